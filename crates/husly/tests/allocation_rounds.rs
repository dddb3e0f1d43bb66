//! An allocation round through the pages and the API, on both backends: a caseworker starts a
//! round (the commitment shown, the seed not), draws (the seed revealed and the published draw
//! re-runs to the same order), is refused an override without a reason or with a household
//! that is not on the list, offers a dwelling, records a decline only after confirming it,
//! reopens it; the offer and the reopening each send the household a letter (naming the
//! dwelling's address and the answer date) that the case page lists and downloads; eight
//! simultaneous offers of one dwelling make exactly one; the nightly expiry closes an offer past its
//! answer date; a leader is refused, another municipality finds nothing.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::CaseId;
use husly_domain::allocation::draw::{PublishedDraw, commit, verify};
use husly_domain::authz::Role;
use serde_json::{Value, json};

async fn api(
    server: &common::Server,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = common::client().request(method, server.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A date as a bokmål letter writes it: "4. februar 2026".
fn long_date_nb(date: time::Date) -> String {
    const MONTHS: [&str; 12] = [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ];
    format!(
        "{}. {} {}",
        date.day(),
        MONTHS[usize::from(u8::from(date.month())) - 1],
        date.year()
    )
}

/// The offer letters of a case, newest first, with the HTML each was sent as.
async fn offer_letters(db: &Database, case: CaseId) -> Vec<(husly_store::cases::Letter, String)> {
    let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
        .await
        .unwrap();
    let home = store.municipality_by_number("3301").await.unwrap().unwrap();
    let mut letters = Vec::new();
    for letter in store.letters(home.id, case).await.unwrap() {
        if letter.kind == "offer" {
            let (_, html, _) = store.letter(home.id, case, &letter.id).await.unwrap();
            letters.push((letter, html));
        }
    }
    store.close().await;
    letters
}

#[tokio::test]
async fn a_round_is_drawn_verifiably_and_its_offers_are_answered_once() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        {
            let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
                .await
                .unwrap();
            let home = store.municipality_by_number("3301").await.unwrap().unwrap();
            store
                .seed_households(&home, 800, 21, &husly_store::audit::Actor::cli("test"))
                .await
                .unwrap();
            // Fewer vacancies than waiting households, so some get nothing and are told why.
            let vacant: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM dwelling WHERE municipality_id = $1 AND status = 'vacant' ORDER BY id",
            )
            .bind(home.id.to_string())
            .fetch_all(store.pool())
            .await
            .unwrap();
            for id in vacant.iter().skip(4) {
                sqlx::query("UPDATE dwelling SET status = 'under_repair' WHERE id = $1")
                    .bind(id)
                    .execute(store.pool())
                    .await
                    .unwrap();
            }
            store.close().await;
        }
        let server = start(&db, &[]);
        let (email, token) = fixture.users[&Role::Caseworker].clone();
        let caseworker = common::login(&server, &email, PASSWORD).await;
        let csrf = common::csrf_of(&server, &caseworker, "/allocation/rounds").await;
        let post = |path: String, pairs: Vec<(&'static str, String)>| {
            let mut form = pairs;
            form.push(("csrf", csrf.clone()));
            caseworker.post(server.url(&path)).form(&form).send()
        };

        // Start: the list is frozen and the commitment shown before anything is drawn.
        let started = post("/allocation/rounds".into(), vec![]).await.unwrap();
        assert_eq!(started.status(), 303, "{}", db.url);
        let round = started.headers()["location"].to_str().unwrap().to_string();
        let id = round.rsplit('/').next().unwrap().to_string();
        let html = common::page_text(&server, &caseworker, &round).await;
        assert!(html.contains("Runden er startet"), "{html}");
        assert!(html.contains("Trekk og lag forslag"), "{html}");
        assert!(
            !html.contains("Det hemmelige tallet, vist etter trekningen"),
            "the seed is secret"
        );
        let version = common::hidden(&html, "version");
        let (_, frozen) = api(
            &server,
            &token,
            reqwest::Method::GET,
            &format!("/api/v1/allocation/rounds/{id}"),
            None,
        )
        .await;
        let commitment = frozen["commitment"].as_str().unwrap().to_string();
        assert!(html.contains(&commitment), "the commitment is on the page");

        // Draw: the seed revealed matches the commitment; the published draw re-runs.
        let drawn = post(format!("{round}/draw"), vec![("version", version)]).await.unwrap();
        assert_eq!(drawn.status(), 303);
        let html = common::page_text(&server, &caseworker, &round).await;
        assert!(html.contains("Trekningen er gjort"), "{html}");
        assert!(html.contains("Forslag per bolig"), "{html}");
        assert!(
            html.contains("Husstander uten forslag, og hvorfor") && html.contains("class=\"task\""),
            "the households without a dwelling, with why: {html}"
        );
        let (status, published) = api(
            &server,
            &token,
            reqwest::Method::GET,
            &format!("/api/v1/allocation/rounds/{id}/draw"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{published}");
        let published: PublishedDraw = serde_json::from_value(published).unwrap();
        assert_eq!(verify(&published), Ok(()));
        assert_eq!(commit(&published.seed), commitment, "the seed is the one committed to");
        assert!(
            html.contains(&published.seed.to_hex()),
            "the seed is on the page after the draw"
        );
        let mut tampered = published.clone();
        let last = tampered.order.len() - 1;
        tampered.order.swap(0, last);
        assert!(
            published.order.len() < 2 || verify(&tampered).is_err(),
            "a changed order is caught"
        );

        let (_, detail) = api(
            &server,
            &token,
            reqwest::Method::GET,
            &format!("/api/v1/allocation/rounds/{id}"),
            None,
        )
        .await;
        let lines = detail["lines"].as_array().unwrap().clone();
        let proposed: Vec<&Value> = lines.iter().filter(|l| !l["case_id"].is_null()).collect();
        assert!(
            proposed.len() >= 2,
            "{}: the seeded list fills at least two vacancies: {detail}",
            db.url
        );
        let version = detail["version"].as_i64().unwrap().to_string();

        // An override needs a reason and a household on the round's list.
        let first = proposed[0]["dwelling_id"].as_str().unwrap().to_string();
        let line_page = format!("{round}/lines/{first}");
        let no_reason = post(
            line_page.clone(),
            vec![("version", version.clone()), ("case", "".into()), ("reason", "".into())],
        )
        .await
        .unwrap();
        assert_eq!(no_reason.status(), 422);
        let html = no_reason.text().await.unwrap();
        assert!(html.contains("id=\"f-reason-error\""), "{html}");
        let stranger = post(
            line_page.clone(),
            vec![
                ("version", version.clone()),
                ("case", "BOL-1999-999999".into()),
                ("reason", "Kjent fra møtet".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(stranger.status(), 422);
        assert!(stranger.text().await.unwrap().contains("id=\"f-case-error\""));

        // Offer the first line from the page; record a decline, confirmed first.
        let offered = post(
            format!("{round}/offers"),
            vec![("dwelling", first.clone()), ("answer_by", "".into())],
        )
        .await
        .unwrap();
        assert_eq!(offered.status(), 303);
        let offer = offered.headers()["location"].to_str().unwrap().to_string();
        let html = common::page_text(&server, &caseworker, &offer).await;
        assert!(
            html.contains("Tilbudet er sendt.") && html.contains("Venter på svar"),
            "{html}"
        );
        // The offer went out as a letter of the household's case, in the same transaction: the
        // case page lists it, and it names the dwelling's address and the answer date.
        let case = CaseId(proposed[0]["case_id"].as_str().unwrap().parse().unwrap());
        let (address, answer_by) = {
            let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
                .await
                .unwrap();
            let home = store.municipality_by_number("3301").await.unwrap().unwrap();
            let dwelling = store.dwelling(home.id, &first).await.unwrap();
            let offer_id = offer.rsplit('/').next().unwrap();
            let answer_by = store.offer(home.id, offer_id).await.unwrap().answer_by;
            store.close().await;
            (dwelling.details.address_line, answer_by)
        };
        let letters = offer_letters(&db, case).await;
        assert_eq!(letters.len(), 1, "{}: one letter for one offer", db.url);
        let (sent, _) = &letters[0];
        assert_eq!(sent.language, "nb", "the household's language");
        let case_page = common::page_text(&server, &caseworker, &format!("/cases/{case}")).await;
        assert!(
            case_page.contains("Tilbud om kommunal utleiebolig")
                && case_page.contains(&format!("/cases/{case}/letters/{}.pdf", sent.id)),
            "the case page lists the offer letter: {case_page}"
        );
        let shown = common::page_text(&server, &caseworker, &format!("/cases/{case}/letters/{}.html", sent.id)).await;
        assert!(shown.contains("Tilbud om kommunal utleiebolig"), "{shown}");
        assert!(shown.contains(&address), "the address {address:?}: {shown}");
        let deadline = format!("Svarfristen er {}.", long_date_nb(answer_by));
        assert!(shown.contains(&deadline), "{deadline:?}: {shown}");
        assert!(!shown.contains("Klagefristen"), "an offer is not a decision: {shown}");
        let pdf = caseworker
            .get(server.url(&format!("/cases/{case}/letters/{}.pdf", sent.id)))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

        let version = common::hidden(&html, "version");
        let decline = |confirmed: bool| {
            let mut pairs = vec![
                ("version", version.clone()),
                ("answer", "decline".to_string()),
                ("reason", "location".to_string()),
            ];
            if confirmed {
                pairs.push(("confirmed", "yes".into()));
            }
            pairs
        };
        let ask = post(format!("{offer}/answer"), decline(false)).await.unwrap();
        assert_eq!(ask.status(), 200);
        assert!(ask.text().await.unwrap().contains("Bekreft at husstanden takker nei"));
        assert!(
            common::page_text(&server, &caseworker, &offer)
                .await
                .contains("Venter på svar"),
            "not until confirmed"
        );
        let done = post(format!("{offer}/answer"), decline(true)).await.unwrap();
        assert_eq!(done.status(), 303);
        let html = common::page_text(&server, &caseworker, &offer).await;
        assert!(
            html.contains("husstanden takker nei") && html.contains("Takket nei"),
            "{html}"
        );
        assert!(html.contains("takket nei uten rimelig grunn 1 ganger"), "{html}");
        let again = post(format!("{offer}/answer"), decline(true)).await.unwrap();
        assert_eq!(again.status(), 409, "answered once");

        // Undone: reopened with a new answer date and a reason; a second letter with that date.
        let version = common::hidden(&html, "version");
        let new_date = common::today() + time::Duration::days(12);
        let reopened = post(
            format!("{offer}/reopen"),
            vec![
                ("version", version),
                (
                    "answer_by",
                    format!(
                        "{:02}.{:02}.{}",
                        new_date.day(),
                        u8::from(new_date.month()),
                        new_date.year()
                    ),
                ),
                ("reason", "Svaret ble registrert på feil sak".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(reopened.status(), 303);
        assert!(
            common::page_text(&server, &caseworker, &offer)
                .await
                .contains("Venter på svar")
        );
        let letters = offer_letters(&db, case).await;
        assert_eq!(letters.len(), 2, "{}: a second letter for the reopened offer", db.url);
        let (_, newest) = &letters[0];
        let deadline = format!("Svarfristen er {}.", long_date_nb(new_date));
        assert!(newest.contains(&deadline), "the new date {deadline:?}: {newest}");
        assert!(newest.contains(&address), "{newest}");

        // Eight offers of the second line at once: the database lets exactly one through.
        let second = proposed[1]["dwelling_id"].as_str().unwrap().to_string();
        let racing: Vec<_> = (0..8)
            .map(|_| {
                let url = server.url(&format!("/api/v1/allocation/rounds/{id}/offers"));
                let token = token.clone();
                let second = second.clone();
                tokio::spawn(async move {
                    common::client()
                        .post(url)
                        .bearer_auth(token)
                        .json(&json!({ "dwelling_id": second }))
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16()
                })
            })
            .collect();
        let mut statuses = Vec::new();
        for task in racing {
            statuses.push(task.await.unwrap());
        }
        statuses.sort();
        assert_eq!(statuses, [201, 422, 422, 422, 422, 422, 422, 422], "{}", db.url);
        // The letter is written with the offer: the seven refused leave none behind.
        let second_case = CaseId(proposed[1]["case_id"].as_str().unwrap().parse().unwrap());
        assert_eq!(offer_letters(&db, second_case).await.len(), 1, "{}", db.url);

        // The nightly expiry: past the answer date the open offers expire, and say so.
        {
            let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
                .await
                .unwrap();
            let later = common::today() + time::Duration::days(40);
            let expired = husly_usecases::offers::expire_offers(&store, later).await.unwrap();
            assert!(expired >= 2, "{}: {expired} expired", db.url);
            assert_eq!(
                husly_usecases::offers::expire_offers(&store, later).await.unwrap(),
                0,
                "once"
            );
            store.close().await;
        }
        let html = common::page_text(&server, &caseworker, &offer).await;
        assert!(
            html.contains("Svarfristen gikk ut") && html.contains("automatisk"),
            "{html}"
        );
        let list = common::page_text(&server, &caseworker, "/offers?all=1").await;
        assert!(list.contains(&offer), "{list}");

        // Who may: a leader is refused; another municipality finds nothing.
        let (leader_email, _) = &fixture.users[&Role::Leader];
        let leader = common::login(&server, leader_email, PASSWORD).await;
        let refused = leader.get(server.url(&round)).send().await.unwrap();
        assert_eq!(refused.status(), 403);
        let (status, _) = api(
            &server,
            &fixture.stranger.1,
            reqwest::Method::GET,
            &format!("/api/v1/allocation/rounds/{id}"),
            None,
        )
        .await;
        assert_eq!(status, 404);
    }
}
