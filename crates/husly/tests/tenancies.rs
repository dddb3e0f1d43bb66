//! Tenancy contracts through the pages and the API, on both backends: the housing manager
//! writes the contract from an accepted offer (a term shorter than three years without the
//! § 11-1 notice is refused, naming the field, and nothing is saved), the dwelling is let and
//! the household leaves the waiting list; the contract is on the expiring list; ending it is
//! confirmed first and frees the dwelling; an end can be undone with a reason; a caseworker
//! reads but cannot end. A household that bought its own home: the end names its startlån
//! case (another household's is refused on the field, on the page and in the API), the page links
//! it, the JSON carries it, and undoing the end clears it.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::cases::{ApplicationForm, CaseType};
use husly_store::audit::Actor;
use husly_store::households::Change;
use serde_json::{Value, json};

/// A startlån case for a household, and one for a second household of the same municipality.
async fn startlan_cases(
    store: &husly_store::Store,
    f: &common::fixture::Fixture,
) -> (husly_domain::CaseId, String, husly_domain::CaseId) {
    let actor = Actor::cli("test");
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let today = common::today();
    let (own, reference) = store
        .register_application(
            f.home,
            f.household,
            CaseType::Startlan,
            &ApplicationForm::default(),
            today,
            &change,
        )
        .await
        .unwrap();
    let neighbour = husly_domain::household::validate_household(
        &common::fixture::household_input(&common::synthetic_id(1985, 4, 4, 170), "Nina", "Naboen"),
        husly_domain::national_id::SyntheticPolicy::Allow,
        today,
    )
    .unwrap();
    let neighbour = store.create_household(f.home, &neighbour, &change).await.unwrap();
    let (theirs, _) = store
        .register_application(
            f.home,
            neighbour,
            CaseType::Startlan,
            &ApplicationForm::default(),
            today,
            &change,
        )
        .await
        .unwrap();
    (own, reference, theirs)
}

/// An API write with a token: the status and the JSON answer.
async fn api_post(server: &common::Server, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = common::client()
        .post(server.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_contract_from_an_accepted_offer_runs_out_ends_and_is_undone() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        // The fixture's case waits on the list (its decision is tested elsewhere).
        sqlx::query("UPDATE application_case SET state = 'on_waiting_list', decided_on = received_on WHERE id = $1")
            .bind(f.case.to_string())
            .execute(store.pool())
            .await
            .unwrap();
        let manager = common::login(&server, &f.users[&Role::HousingManager].0, PASSWORD).await;
        let offer_page = format!("/offers/{}", f.offer);

        // Accepted on the household's behalf.
        let html = common::page_text(&server, &manager, &offer_page).await;
        let csrf = common::hidden(&html, "csrf");
        let version = common::hidden(&html, "version");
        let accepted = manager
            .post(server.url(&format!("{offer_page}/answer")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("version", version.as_str()),
                ("answer", "accept"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(accepted.status(), 303);
        let html = common::page_text(&server, &manager, &offer_page).await;
        assert!(html.contains(&format!("href=\"{offer_page}/contract\"")), "{html}");

        // The form starts from the dwelling's rent and a three-year term.
        let form = common::page_text(&server, &manager, &format!("{offer_page}/contract")).await;
        assert!(form.contains("<h1>Skriv leiekontrakt: Tollbugata 9</h1>"), "{form}");
        assert!(common::raw_keys(&form).is_empty(), "{:?}", common::raw_keys(&form));
        let version = common::hidden(&form, "version");
        let today = common::today();
        let day = |d: time::Date| husly_domain::validation::format_date(d);
        let start_on = today + time::Duration::days(14);
        let post = |fields: Vec<(&'static str, String)>| {
            let mut fields = fields;
            fields.push(("csrf", csrf.clone()));
            fields.push(("version", version.clone()));
            manager
                .post(server.url(&format!("{offer_page}/contract")))
                .form(&fields)
                .send()
        };
        let two_years = vec![
            ("start", day(start_on)),
            ("term", "fixed".into()),
            ("term_end", day(start_on + time::Duration::days(730))),
            ("monthly_rent_kr", "9 400".into()),
            ("security_kind", "deposit".into()),
            ("security_kr", "28 200".into()),
        ];
        let refused = post(two_years.clone()).await.unwrap();
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(text.contains("kortere enn tre år"), "{text}");
        assert!(
            text.contains("href=\"#f-notice_11_1_on\""),
            "the summary links to the field: {text}"
        );
        assert_eq!(
            store.contract_of_offer(f.home, &f.offer).await.unwrap(),
            None,
            "nothing saved"
        );

        let mut with_notice = two_years;
        with_notice.push(("notice_11_1_on", day(today)));
        let written = post(with_notice).await.unwrap();
        assert_eq!(written.status(), 303);
        let location = written.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/tenancies/"), "{location}");
        let html = common::page_text(&server, &manager, &location).await;
        assert!(html.contains("Kontrakten er lagret"), "the confirmation: {html}");
        let plain = html.replace(['\u{a0}', '\u{202f}'], " ");
        assert!(plain.contains("Løper") && plain.contains("9 400 kr"), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let dwelling = store.dwelling(f.home, &f.offered_dwelling).await.unwrap();
        assert_eq!(dwelling.status.code(), "let");
        assert!(
            store
                .waiting_cases(f.home)
                .await
                .unwrap()
                .iter()
                .all(|c| c.case != f.case)
        );

        // On the list of those running out within 36 months, not within 12.
        let expiring = common::page_text(&server, &manager, "/tenancies?list=expiring&months=36").await;
        assert!(expiring.contains(&location), "{expiring}");
        let soon = common::page_text(&server, &manager, "/tenancies?list=expiring&months=12").await;
        assert!(!soon.contains(&location), "{soon}");

        // Ending: checked, confirmed, then done.
        let csrf = common::hidden(&html, "csrf");
        let version = common::hidden(&html, "version");
        let end = |fields: Vec<(&'static str, String)>| {
            let mut fields = fields;
            fields.push(("csrf", csrf.clone()));
            fields.push(("version", version.clone()));
            manager
                .post(server.url(&format!("{location}/end")))
                .form(&fields)
                .send()
        };
        let before_start = end(vec![
            ("ended_on", day(start_on - time::Duration::days(1))),
            ("reason", "tenant_notice".into()),
        ])
        .await
        .unwrap();
        assert_eq!(before_start.status(), 422);
        assert!(
            before_start
                .text()
                .await
                .unwrap()
                .contains("kan ikke være før leieforholdet startet")
        );
        let move_out = start_on + time::Duration::days(200);
        // The household bought its home with a startlån: its case is offered on the form; a
        // neighbour's startlån case is refused on the field, as is the link with another reason.
        let (loan, loan_reference, neighbours_loan) = startlan_cases(&store, &f).await;
        let html = common::page_text(&server, &manager, &location).await;
        assert!(
            html.contains(&format!("<option value=\"{loan}\">{loan_reference}</option>")),
            "{html}"
        );
        assert!(
            !html.contains(&neighbours_loan.to_string()),
            "only the household's cases"
        );
        let theirs = end(vec![
            ("ended_on", day(move_out)),
            ("reason", "bought_own_home".into()),
            ("move_on_case_id", neighbours_loan.to_string()),
            ("confirmed", "yes".into()),
        ])
        .await
        .unwrap();
        assert_eq!(theirs.status(), 422);
        let text = theirs.text().await.unwrap();
        assert!(
            text.contains("Velg en startlånsak for denne husstanden i kommunen.")
                && text.contains("href=\"#f-end-move_on_case_id\""),
            "{text}"
        );
        let wrong_reason = end(vec![
            ("ended_on", day(move_out)),
            ("reason", "tenant_notice".into()),
            ("move_on_case_id", loan.to_string()),
        ])
        .await
        .unwrap();
        assert_eq!(wrong_reason.status(), 422);
        assert!(
            wrong_reason
                .text()
                .await
                .unwrap()
                .contains("kan bare knyttes til leieforholdet når årsaken er at husstanden kjøpte egen bolig")
        );
        assert_eq!(
            store
                .contract(f.home, location.trim_start_matches("/tenancies/"))
                .await
                .unwrap()
                .ended_on,
            None
        );
        let fields = vec![
            ("ended_on", day(move_out)),
            ("reason", "bought_own_home".into()),
            ("move_on_case_id", loan.to_string()),
        ];
        let confirm = end(fields.clone()).await.unwrap();
        assert_eq!(confirm.status(), 200);
        let text = confirm.text().await.unwrap();
        assert!(text.contains("Vil du avslutte leieforholdet?"), "{text}");
        assert!(
            text.contains(&format!("name=\"move_on_case_id\" value=\"{loan}\"")) && text.contains(&loan_reference),
            "the confirmation carries the case: {text}"
        );
        assert_eq!(
            store.dwelling(f.home, &f.offered_dwelling).await.unwrap().status.code(),
            "let"
        );
        let mut confirmed = fields;
        confirmed.push(("confirmed", "yes".into()));
        assert_eq!(end(confirmed).await.unwrap().status(), 303);
        let html = common::page_text(&server, &manager, &location).await;
        assert!(
            html.contains("Leieforholdet er avsluttet") && html.contains("Kjøpte egen bolig"),
            "{html}"
        );
        assert!(
            html.contains("Fra leie til eie: startlånsak")
                && html.contains(&format!("<a href=\"/cases/{loan}\">{loan_reference}</a>")),
            "the page links the case: {html}"
        );
        let id = location.trim_start_matches("/tenancies/");
        let json = common::api_json(
            &server,
            &format!("/api/v1/tenancies/{id}"),
            &f.users[&Role::HousingManager].1,
        )
        .await;
        assert_eq!(json["contract"]["move_on_case_id"], loan.to_string(), "{json}");
        let dwelling = store.dwelling(f.home, &f.offered_dwelling).await.unwrap();
        assert_eq!(dwelling.status.code(), "vacant");
        assert_eq!(dwelling.status_from, move_out + time::Duration::days(1));

        // Undone, with a reason (none is refused).
        let csrf = common::hidden(&html, "csrf");
        let version = common::hidden(&html, "version");
        let undo = |note: &'static str| {
            manager
                .post(server.url(&format!("{location}/undo-end")))
                .form(&[("csrf", csrf.as_str()), ("version", version.as_str()), ("note", note)])
                .send()
        };
        assert_eq!(undo("").await.unwrap().status(), 422);
        assert_eq!(undo("Kjøpet gikk ikke gjennom").await.unwrap().status(), 303);
        let html = common::page_text(&server, &manager, &location).await;
        assert!(
            html.contains("Avslutningen er angret") && html.contains("Kjøpet gikk ikke gjennom"),
            "{html}"
        );
        assert!(!html.contains("Fra leie til eie"), "the undo clears the link: {html}");

        // A caseworker reads the contract and its JSON, and may not end it.
        let caseworker = common::login(&server, &f.users[&Role::Caseworker].0, PASSWORD).await;
        let html = common::page_text(&server, &caseworker, &location).await;
        assert!(!html.contains("/end\""), "no end form for a reader: {html}");
        let forbidden = caseworker
            .post(server.url(&format!("{location}/end")))
            .form(&[
                ("csrf", common::hidden(&html, "csrf").as_str()),
                ("version", "3"),
                ("ended_on", &day(move_out)),
                ("reason", "tenant_notice"),
                ("confirmed", "yes"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(forbidden.status(), 403);
        let id = location.trim_start_matches("/tenancies/");
        let json = common::api_json(
            &server,
            &format!("/api/v1/tenancies/{id}"),
            &f.users[&Role::Caseworker].1,
        )
        .await;
        assert_eq!(json["contract"]["state"], "active", "{json}");
        assert_eq!(json["contract"]["monthly_rent_ore"], 940_000);
        let kinds: Vec<&str> = json["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        assert_eq!(kinds, ["created", "ended", "end_undone"]);
        assert_eq!(json["contract"]["move_on_case_id"], Value::Null, "{json}");

        // The API ends it the same way: a neighbour's case refused on the field, then the own.
        let token = &f.users[&Role::HousingManager].1;
        let version = json["contract"]["version"].as_i64().unwrap();
        let path = format!("/api/v1/tenancies/{id}/end");
        let body = |case: String| {
            json!({ "version": version, "ended_on": move_out.to_string(), "reason": "bought_own_home",
                    "move_on_case_id": case })
        };
        let (status, refused) = api_post(&server, token, &path, body(neighbours_loan.to_string())).await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["error"]["fields"][0]["field"], "move_on_case_id", "{refused}");
        let (status, ended) = api_post(&server, token, &path, body(loan.to_string())).await;
        assert_eq!(status, 200, "{ended}");
        assert_eq!(ended["contract"]["state"], "ended", "{ended}");
        assert_eq!(ended["contract"]["move_on_case_id"], loan.to_string(), "{ended}");
        assert_eq!(store.verify_audit().await.unwrap().first_break, None);
    }
}
