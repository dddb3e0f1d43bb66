//! The applicant's own status page once the application is granted, on both backends: the place
//! on the waiting list and why in plain words, an offer with its answer date, a decline that
//! is confirmed before it is sent (and recorded as the applicant's), the offer reopened by the
//! caseworker with its letter on the applicant's page (answerable online), and an acceptance.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, client, start, synthetic_id};
use husly_domain::CaseId;
use husly_domain::allocation::offer::OfferState;
use husly_domain::authz::Role;
use husly_store::allocation::NewOffer;
use husly_store::audit::Actor;
use husly_store::households::Change;

/// Submits an application for municipal housing through the self-service pages; returns the
/// applicant's client, the draft's path and its visitor token.
async fn apply(server: &common::Server) -> (reqwest::Client, String, String) {
    let applicant = client();
    let csrf = common::csrf_of(server, &applicant, "/apply").await;
    let started = applicant
        .post(server.url("/apply"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("municipality", "3301"),
            ("case_type", "municipal_housing"),
        ])
        .send()
        .await
        .unwrap();
    let location = started.headers()["location"].to_str().unwrap().to_string();
    let draft = location.split('?').next().unwrap().to_string();
    let fields = vec![
        ("address_line", "Prøvestien 9".to_string()),
        ("postal_code", "3015".into()),
        ("postal_city", "Drammen".into()),
        ("phone", "+47 90000000".into()),
        ("members[0].national_id", synthetic_id(1988, 2, 11, 432)),
        ("members[0].given_name", "Sara".into()),
        ("members[0].family_name", "Eksempelsen".into()),
        ("members[1].national_id", synthetic_id(2016, 5, 3, 212)),
        ("members[1].given_name", "Lea".into()),
        ("members[1].family_name", "Eksempelsen".into()),
        ("members[1].relation", "child".into()),
        ("current_housing", "with_family_or_friends".into()),
        ("reasons", "economy".into()),
        ("lawful_residence", "yes".into()),
        ("registered_in_municipality_since", "01.03.2015".into()),
        ("rent_arrears", "no".into()),
        ("economy[0].income", "190000".into()),
        ("economy[0].wealth", "0".into()),
        ("consents", "nav".into()),
        ("confirmed", "1".into()),
        ("submit", "submit".into()),
        ("csrf", csrf.clone()),
    ];
    let sent = applicant.post(server.url(&draft)).form(&fields).send().await.unwrap();
    assert_eq!(sent.status(), 303, "{}", sent.text().await.unwrap_or_default());
    (applicant, draft, csrf)
}

#[tokio::test]
async fn the_applicant_sees_the_place_and_why_and_answers_the_offer() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &["--demo"]);
        let (applicant, draft, csrf) = apply(&server).await;
        let receipt = format!("{draft}/receipt");
        let html = common::page_text(&server, &applicant, &receipt).await;
        assert!(!html.contains("Plassen deres på ventelisten"), "not before the grant");

        // Granted (the decision's own steps are tested elsewhere): on the waiting list, with
        // an offer of the fixture's vacant flat.
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let reference = html
            .split("id=\"reference\">")
            .nth(1)
            .and_then(|s| s.split('<').next())
            .unwrap()
            .to_string();
        // References are numbered per municipality, and the demo municipality has cases of its own.
        let case: String =
            sqlx::query_scalar("SELECT id FROM application_case WHERE municipality_id = $1 AND reference = $2")
                .bind(fixture.home.to_string())
                .bind(&reference)
                .fetch_one(store.pool())
                .await
                .unwrap();
        let case = CaseId(case.parse().unwrap());
        sqlx::query("UPDATE application_case SET state = 'on_waiting_list', decided_on = received_on WHERE id = $1")
            .bind(case.to_string())
            .execute(store.pool())
            .await
            .unwrap();
        let actor = Actor::cli("test");
        let by = Change {
            actor: &actor,
            user: Some(fixture.target_user),
            reason: None,
        };
        let today = common::today();
        let offer = store
            .create_offer(
                fixture.home,
                &NewOffer {
                    round_id: None,
                    dwelling_id: &fixture.dwelling,
                    case,
                    sent_on: today,
                    answer_by: today + time::Duration::days(7),
                    note: None,
                },
                &by,
            )
            .await
            .unwrap();

        let html = common::page_text(&server, &applicant, &receipt).await;
        assert!(html.contains("Plassen deres på ventelisten"), "{html}");
        assert!(html.contains("Dere står som nummer 1 av 1 husstander"), "{html}");
        assert!(
            html.contains("Dere har") && html.contains("poeng"),
            "the explanation: {html}"
        );
        assert!(
            html.contains("Estimert ventetid:"),
            "an estimate, labelled as one: {html}"
        );
        assert!(
            html.contains("Dere har fått tilbud om bolig") && html.contains("Tollbugata 7"),
            "{html}"
        );

        // A decline is confirmed before it is sent; a decline without a reason is refused.
        let answer = |pairs: Vec<(&'static str, String)>| {
            let mut form = pairs;
            form.push(("csrf", csrf.clone()));
            form.push(("version", "1".into()));
            applicant
                .post(server.url(&format!("{draft}/offers/{offer}")))
                .form(&form)
                .send()
        };
        let no_reason = answer(vec![("answer", "decline".into())]).await.unwrap();
        assert_eq!(no_reason.status(), 422);
        assert!(no_reason.text().await.unwrap().contains("id=\"f-offer-reason-error\""));
        let ask = answer(vec![("answer", "decline".into()), ("reason", "school_or_work".into())])
            .await
            .unwrap();
        assert_eq!(ask.status(), 200);
        assert!(
            ask.text()
                .await
                .unwrap()
                .contains("Er dere sikre på at dere vil takke nei?")
        );
        assert_eq!(store.offer(fixture.home, &offer).await.unwrap().state, OfferState::Open);
        let sent = answer(vec![
            ("answer", "decline".into()),
            ("reason", "school_or_work".into()),
            ("confirmed", "yes".into()),
        ])
        .await
        .unwrap();
        assert_eq!(sent.status(), 303);
        let html = common::page_text(&server, &applicant, &format!("{receipt}?answered=declined")).await;
        assert!(html.contains("dere har takket nei"), "{html}");
        assert!(html.contains("Tidligere tilbud"), "{html}");
        let history = store.allocation_events(fixture.home, None, Some(&offer)).await.unwrap();
        assert!(
            history.last().unwrap().by_applicant,
            "recorded as the applicant's own answer"
        );

        // Reopened by the caseworker, which sends the offer letter; the applicant sees it on the
        // status page, is told there it can answer there, and accepts.
        assert!(
            !html.contains("Tilbud om kommunal utleiebolig"),
            "no letter for an offer made outside the use case"
        );
        let declined = store.offer(fixture.home, &offer).await.unwrap();
        let (email, _) = fixture.users[&Role::Caseworker].clone();
        let caseworker = common::login(&server, &email, PASSWORD).await;
        let staff_csrf = common::csrf_of(&server, &caseworker, &format!("/offers/{offer}")).await;
        let reopened = caseworker
            .post(server.url(&format!("/offers/{offer}/reopen")))
            .form(&[
                ("csrf", staff_csrf),
                ("version", declined.version.to_string()),
                ("answer_by", String::new()),
                ("reason", "Husstanden ombestemte seg samme dag".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(reopened.status(), 303, "{}", reopened.text().await.unwrap_or_default());
        let html = common::page_text(&server, &applicant, &receipt).await;
        assert!(
            html.contains("Tilbud om kommunal utleiebolig"),
            "the letter is listed: {html}"
        );
        let link = html
            .split("href=\"")
            .map(|s| s.split('"').next().unwrap_or_default())
            .find(|href| href.starts_with(&format!("{draft}/letters/")))
            .unwrap_or_else(|| panic!("a letter link in {html}"))
            .to_string();
        let pdf = applicant.get(server.url(&link)).send().await.unwrap();
        assert_eq!(pdf.status(), 200);
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        let letters = store.letters(fixture.home, case).await.unwrap();
        let sent = letters.iter().find(|l| l.kind == "offer").expect("an offer letter");
        let (_, letter_html, _) = store.letter(fixture.home, case, &sent.id).await.unwrap();
        assert!(
            letter_html.contains("Tollbugata 7") && letter_html.contains("siden der du følger søknaden din"),
            "the dwelling, and the status page to answer on: {letter_html}"
        );
        let version = store.offer(fixture.home, &offer).await.unwrap().version;
        let accepted = applicant
            .post(server.url(&format!("{draft}/offers/{offer}")))
            .form(&[
                ("csrf", csrf.clone()),
                ("version", version.to_string()),
                ("answer", "accept".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(accepted.status(), 303);
        let html = common::page_text(&server, &applicant, &format!("{receipt}?answered=accepted")).await;
        assert!(html.contains("Dere har takket ja"), "{html}");
        assert_eq!(
            store.offer(fixture.home, &offer).await.unwrap().state,
            OfferState::Accepted
        );

        // Someone else's offer is not found through this draft.
        let stranger = applicant
            .post(server.url(&format!("{draft}/offers/{}", fixture.offer)))
            .form(&[
                ("csrf", csrf.clone()),
                ("version", "1".into()),
                ("answer", "accept".into()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(stranger.status(), 404);
        store.close().await;
    }
}
