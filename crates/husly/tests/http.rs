//! The real server over HTTP: the caseworker's main flows, bad input, security, logs, durability.

use crate::common;

use common::fixture::{PASSWORD, household_input, prepare};
use common::{Database, client, csrf_of, hidden, login, start, synthetic_id};
use husly_domain::authz::Role;

fn household_form(csrf: &str, national_id: &str, postal_code: &str) -> Vec<(String, String)> {
    [
        ("csrf", csrf),
        ("rows", "2"),
        ("address_line", "Fiktivbakken 3"),
        ("postal_code", postal_code),
        ("postal_city", "Drammen"),
        ("from_date", "01.03.2025"),
        ("members[0].relation", "main_applicant"),
        ("members[0].national_id", national_id),
        ("members[0].given_name", "Selma"),
        ("members[0].family_name", "Rypefjær"),
        ("members[0].preferred_language", "en"),
        ("members[1].relation", ""),
        ("members[1].national_id", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect()
}

#[tokio::test]
async fn caseworker_registers_finds_and_edits_a_household() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &["--demo"]);
        let (email, _) = &fixture.users[&Role::Caseworker];
        let http = login(&server, email, PASSWORD).await;
        let csrf = csrf_of(&server, &http, "/households/new").await;

        // A validation error is shown next to the field, and nothing is stored.
        let bad = http
            .post(server.url("/households/new"))
            .form(&household_form(&csrf, "12345678901", "12"))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let html = bad.text().await.unwrap();
        assert!(html.contains("class=\"error-summary\""));
        assert!(
            html.contains("Postnummeret må ha fire sifre."),
            "postal code error missing"
        );
        assert!(html.contains("id=\"f-members-0-national_id\""));
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(html.contains("value=\"Fiktivbakken 3\""), "typed values are kept");

        // Posten's register: a code that does not exist, and a place that is not the code's,
        // are named with the right place; nothing is stored.
        let number = synthetic_id(1990, 10, 11, 321);
        for (code, place, expected) in [
            (
                "0000",
                "Drammen",
                "Postnummeret 0000 finnes ikke i Postens postnummerregister",
            ),
            ("0150", "Drammen", "Postnummeret 0150 hører til Oslo."),
        ] {
            let mut form = household_form(&csrf, &number, code);
            form.retain(|(k, _)| k != "postal_city");
            form.push(("postal_city".into(), place.into()));
            let wrong = http
                .post(server.url("/households/new"))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(wrong.status(), 422, "{code} {place}");
            let html = wrong.text().await.unwrap();
            assert!(html.contains(expected), "{code} {place}: {expected}");
        }

        // Corrected, with the place left blank, it is registered with the place filled in from
        // the postal code, and we land on the household page.
        let mut corrected = household_form(&csrf, &number, "3015");
        corrected.retain(|(k, _)| k != "postal_city");
        corrected.push(("postal_city".into(), String::new()));
        let ok = http
            .post(server.url("/households/new"))
            .form(&corrected)
            .send()
            .await
            .unwrap();
        assert_eq!(ok.status(), 303);
        let location = ok.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/households/"));
        let page = http
            .get(server.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Selma Rypefjær"));
        assert!(page.contains("Husstanden ble registrert"));
        assert!(
            page.contains("Fiktivbakken 3, 3015 Drammen"),
            "the place from the register"
        );

        // Search by name prefix and by the number with a space.
        let found = http
            .get(server.url("/search?q=selma+rypef"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(found.contains("Rypefjær, Selma"), "name search");
        assert!(
            found.contains(">1 person funnet.<"),
            "one hit is counted in the singular"
        );
        let spaced = format!("{} {}", &number[..6], &number[6..]);
        let found = http
            .get(server.url("/search"))
            .query(&[("q", spaced.as_str())])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(found.contains(&location), "number search finds the household link");
        let found = common::page_text(&server, &http, "/search?q=fiktivbakk+3+drammen").await;
        assert!(found.contains("Rypefjær, Selma"), "address search");

        // The household's bostøtte form refuses a tenure the rules do not know, as the API does,
        // and names the field; no estimate is shown.
        let bostotte = |tenure: &'static str| {
            http.post(server.url(&format!("{location}/bostotte")))
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("month", "06.2026"),
                    ("members[0].income", "250 000"),
                    ("tenure", tenure),
                    ("monthly_rent", "9 000"),
                ])
                .send()
        };
        let refused = bostotte("castle").await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains("Ukjent verdi «castle»"), "the tenure is named: {html}");
        let estimated = bostotte("rent").await.unwrap();
        assert_eq!(estimated.status(), 200, "a month written mm.åååå is read");

        // Edit with the version read; a second edit based on the same version conflicts.
        let edit_page = http
            .get(server.url(&format!("{location}/edit")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let version = hidden(&edit_page, "version");
        assert!(
            edit_page.contains("<option value=\"en\" selected>"),
            "the preferred language is kept for editing"
        );
        let mut form = household_form(&csrf, &number, "3016");
        form.push(("version".into(), version.clone()));
        form.push(("reason".into(), "Flyttet til nabohuset".into()));
        let saved = http
            .post(server.url(&format!("{location}/edit")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let again = http
            .post(server.url(&format!("{location}/edit")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409);
        let conflict = again.text().await.unwrap();
        assert!(
            conflict.contains("Noen andre har lagret endringer"),
            "conflict explained"
        );
        assert!(
            conflict.contains("value=\"3016\""),
            "the user's input is kept on conflict"
        );
        let page = http
            .get(server.url(&location))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Husstanden ble endret") && page.contains("Flyttet til nabohuset"));

        // Logging out ends the session.
        let logout = http
            .post(server.url("/logout"))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(logout.status(), 303);
        let after = http.get(server.url(&location)).send().await.unwrap();
        assert_eq!(after.headers()["location"], "/login");
    }
}

/// On both backends: requests that carry names, identity numbers and phone numbers — accepted,
/// refused as invalid, and one that fails inside the server — leave none of them in the logs.
#[tokio::test]
async fn logs_hold_no_personal_data() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &["--demo"]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let http = login(&server, email, PASSWORD).await;
        let number = synthetic_id(1988, 2, 29, 222);
        let csrf = csrf_of(&server, &http, "/households/new").await;
        let mut form = household_form(&csrf, &number, "3015");
        form.push(("members[0].phone".into(), "+47 912 34 567".into()));
        let status = |response: reqwest::Response| response.status().as_u16();
        let registered = http
            .post(server.url("/households/new"))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(status(registered), 303, "the household is registered");
        let searched = http
            .get(server.url("/search"))
            .query(&[("q", number.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(status(searched), 200);
        let by_name = http
            .get(server.url("/search?q=Selma+Rypefj%C3%A6r"))
            .send()
            .await
            .unwrap();
        assert_eq!(status(by_name), 200);
        // Invalid input that echoes personal data back must not reach the logs either.
        let invalid = http
            .post(server.url("/households/new"))
            .form(&household_form(&csrf, "0101901234x", "12"))
            .send()
            .await
            .unwrap();
        assert_eq!(status(invalid), 422);
        let api_search = client()
            .get(server.url("/api/v1/people"))
            .query(&[("municipality", "3301"), ("q", number.as_str())])
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(status(api_search), 200);
        let api_created = client()
            .post(server.url("/api/v1/households?municipality=3301"))
            .bearer_auth(token)
            .json(&household_input(&synthetic_id(1977, 7, 7, 333), "Leah", "Bekkesus"))
            .send()
            .await
            .unwrap();
        assert_eq!(status(api_created), 201);

        // A failure inside the server while it holds personal data: the table it writes to is
        // gone. The error is logged, without the data.
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        husly_store::testing::execute_raw(&store, "ALTER TABLE household RENAME TO household_moved")
            .await
            .unwrap();
        let failed = client()
            .post(server.url("/api/v1/households?municipality=3301"))
            .bearer_auth(token)
            .json(&household_input(&synthetic_id(1966, 6, 6, 444), "Oline", "Vassbotn"))
            .send()
            .await
            .unwrap();
        assert_eq!(status(failed), 500, "the forced failure answers 500");

        // The server writes its log line after the answer has gone: wait for it.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while !server.logs().contains("ERROR") && std::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let logs = server.logs();
        assert!(logs.contains("request"), "the server logs requests: {logs}");
        assert!(logs.contains("ERROR"), "the failure is logged: {logs}");
        for secret in [
            number.as_str(),
            &number[..6],
            "Selma",
            "Rypefjær",
            "Rypefj",
            "912 34 567",
            "Leah",
            "Bekkesus",
            "0101901234x",
            "Oline",
            "Vassbotn",
        ] {
            assert!(
                !logs.contains(secret),
                "personal data {secret:?} in the logs on {}:\n{logs}",
                db.url
            );
        }
        assert!(!logs.contains(token.as_str()), "API token in the logs");
    }
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_stores_nothing() {
    let db = Database::sqlite();
    let fixture = prepare(&db.url).await;
    let server = start(&db, &[]);
    let (_, token) = &fixture.users[&Role::Caseworker];
    let api = client();
    let post = |body: serde_json::Value| {
        api.post(server.url("/api/v1/households?municipality=3301"))
            .bearer_auth(token.as_str())
            .json(&body)
            .send()
    };

    // Unknown enum value: the field is named.
    let mut input = serde_json::to_value(household_input(&synthetic_id(1980, 1, 1, 100), "A", "B")).unwrap();
    input["members"][0]["relation"] = "grandmother".into();
    let response = post(input.clone()).await.unwrap();
    assert_eq!(response.status(), 422);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "members[0].relation");
    assert_eq!(body["error"]["fields"][0]["code"], "unknown_value");

    // Synthetic numbers are refused outside demo/test mode, with a reason.
    input["members"][0]["relation"] = "main_applicant".into();
    let body: serde_json::Value = post(input.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(body["error"]["fields"][0]["code"], "national_id.synthetic_not_allowed");

    // Duplicate members, malformed numbers and over-long fields are each named.
    let doubled = serde_json::json!({
        "address_line": "x".repeat(201), "postal_code": "3015", "postal_city": "Drammen", "from_date": "2025-01-01",
        "members": [
            {"national_id": "0101 90x", "given_name": "A", "family_name": "B", "relation": "main_applicant"},
            {"national_id": "02013299997", "given_name": "C", "family_name": "D", "relation": "child"},
            {"national_id": "02013299997", "given_name": "C", "family_name": "D", "relation": "child"}
        ]
    });
    let body: serde_json::Value = post(doubled).await.unwrap().json().await.unwrap();
    let fields: Vec<(String, String)> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["field"].as_str().unwrap().to_string(),
                f["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert!(
        fields.contains(&("address_line".into(), "too_long".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("members[0].national_id".into(), "national_id.invalid_character".into())),
        "{fields:?}"
    );
    assert!(
        fields.contains(&("members[2].national_id".into(), "members.duplicate".into())),
        "{fields:?}"
    );

    // Wrong JSON types name the path; unknown fields are refused.
    let body: serde_json::Value = post(serde_json::json!({"members": [{"given_name": 5}]}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["error"]["fields"][0]["field"], "members[0].given_name");
    let response = post(serde_json::json!({"colour": "blue"})).await.unwrap();
    assert_eq!(response.status(), 422);

    // Oversized bodies and invalid UTF-8. The server closes a connection whose body it refused
    // unread, so each of these gets a client (and connection) of its own.
    let huge = client()
        .post(server.url("/api/v1/households?municipality=3301"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(vec![b' '; 65 * 1024 + 1]) // just over the limit: small enough to be written whole before the 413 arrives
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);
    let body: serde_json::Value = huge.json().await.unwrap();
    assert_eq!(body["error"]["code"], "payload_too_large");
    let bad_utf8 = client()
        .post(server.url("/api/v1/households?municipality=3301"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(b"{\"address_line\": \"\xff\xfe\"}".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(bad_utf8.status(), 400);

    let (email, _) = &fixture.users[&Role::Caseworker];
    let http = login(&server, email, PASSWORD).await;
    let csrf = csrf_of(&server, &http, "/households/new").await;
    let form = format!("csrf={csrf}&rows=1&address_line=a&members%5B0%5D.given_name=%FF%FE");
    let response = http
        .post(server.url("/households/new"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(
        response.text().await.unwrap().contains("members[0].given_name"),
        "the bad field is named"
    );

    // None of the refused requests stored anything: only the fixture's household remains.
    let hits = common::api_json(&server, "/api/v1/people?municipality=3301&q=c+d", token).await;
    assert_eq!(hits["results"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn security_headers_csrf_and_login_throttling() {
    let db = Database::sqlite();
    let fixture = prepare(&db.url).await;
    let server = start(&db, &[]);
    let response = client().get(server.url("/login")).send().await.unwrap();
    let headers = response.headers();
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline")
    );
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    let cookie = headers["set-cookie"].to_str().unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"));

    // A state-changing form without the session's CSRF token is refused.
    let (email, _) = &fixture.users[&Role::Caseworker];
    let http = login(&server, email, PASSWORD).await;
    let forged = http
        .post(server.url("/households/new"))
        .form(&[("csrf", "forged"), ("rows", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 403);
    let login_without_token = client()
        .post(server.url("/login"))
        .form(&[("email", email.as_str()), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(login_without_token.status(), 403);

    // Five failures from one address make each further attempt from there wait (a growing delay,
    // always said in `Retry-After`); an unknown account answers exactly alike.
    let attempt = |who: String, password: &'static str| {
        let server = &server;
        async move {
            let http = client();
            let page = http
                .get(server.url("/login"))
                .send()
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            let csrf = hidden(&page, "csrf");
            let response = http
                .post(server.url("/login"))
                .form(&[("csrf", csrf.as_str()), ("email", who.as_str()), ("password", password)])
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            let retry_after = response
                .headers()
                .get("retry-after")
                .map(|v| v.to_str().unwrap().to_string());
            (status, retry_after, response.text().await.unwrap())
        }
    };
    let known = fixture.users[&Role::Approver].0.clone();
    for who in [known.clone(), "nobody@drammen.example".to_string()] {
        for _ in 0..5 {
            let (status, _, body) = attempt(who.clone(), "wrong password").await;
            assert_eq!(status, 401);
            assert!(body.contains("Feil e-postadresse eller passord"));
        }
        let (status, retry_after, body) = attempt(who.clone(), "wrong password").await;
        assert_eq!(status, 429, "{who}");
        assert_eq!(retry_after.as_deref(), Some("1"), "{who}: the wait is said");
        assert!(body.contains("For mange mislykkede forsøk"));
    }
    // Even the right password waits out the delay from this address, and is told how long; once
    // it is over, it logs in.
    let (status, retry_after, _) = attempt(known.clone(), PASSWORD).await;
    assert_eq!((status, retry_after.as_deref()), (429, Some("1")));
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, _, _) = attempt(known, PASSWORD).await;
    assert_eq!(status, 303, "the owner gets in once the wait is over");
    // The lockouts are in the access log, with the account and the address only as keyed hashes.
    let log = server.logs();
    assert!(log.contains("login locked"), "the lockout is logged");
}

#[tokio::test]
async fn english_on_request_and_operational_endpoints() {
    let db = Database::sqlite();
    prepare(&db.url).await;
    let server = start(&db, &[]);
    let english = client()
        .get(server.url("/login"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    let html = english.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">") && html.contains("Log in"));
    let norsk = client()
        .get(server.url("/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(norsk.contains("<html lang=\"nb\">") && norsk.contains("Logg inn"));
    let missing = client()
        .get(server.url("/no/such/page"))
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Page not found"));

    assert_eq!(
        client()
            .get(server.url("/healthz"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        "ok"
    );
    assert_eq!(client().get(server.url("/readyz")).send().await.unwrap().status(), 200);
    let metrics = client()
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("husly_http_requests_total"), "{metrics}");
    let css = client().get(server.url("/static/husly.css")).send().await.unwrap();
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
}

/// Nynorsk is a language of its own: chosen in the header, it words pages, error pages and the
/// API's field errors from the nynorsk catalogue, and the header then offers bokmål and English.
#[tokio::test]
async fn nynorsk_is_chosen_and_used_everywhere() {
    let db = Database::sqlite();
    prepare(&db.url).await;
    let server = start(&db, &[]);
    let chosen = client()
        .post(server.url("/language"))
        .form(&[("lang", "nn")])
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), 303);
    let cookie = chosen.headers()["set-cookie"].to_str().unwrap().to_string();
    assert!(cookie.starts_with("husly_lang=nn;"), "{cookie}");

    let page = client()
        .get(server.url("/login"))
        .header("cookie", "husly_lang=nn")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("<html lang=\"nn\">"), "{page}");
    for other in ["value=\"nb\"", ">Bokmål<", "value=\"en\"", ">English<"] {
        assert!(page.contains(other), "the language switch lacks {other}");
    }
    assert!(!page.contains(">Nynorsk<"), "the page offers its own language");

    let missing = client()
        .get(server.url("/no/such/page"))
        .header("accept-language", "nn-NO")
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await.unwrap().contains("Fann ikkje sida"));

    let refused = client()
        .post(server.url("/api/v1/calculators/bostotte"))
        .header("accept-language", "nn")
        .json(&serde_json::json!({ "month": "juni", "kommunenummer": "3301", "members": [] }))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let body: serde_json::Value = refused.json().await.unwrap();
    let month = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field"] == "month")
        .unwrap_or_else(|| panic!("{body}"));
    assert_eq!(month["message"], "Skriv månaden som mm.åååå, til dømes 06.2023.");
}

#[tokio::test]
async fn an_acknowledged_write_survives_kill_9() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let (_, token) = &fixture.users[&Role::Caseworker];
        let mut server = start(&db, &["--demo"]);
        let response = client()
            .post(server.url("/api/v1/households?municipality=3301"))
            .bearer_auth(token)
            .json(&household_input(&synthetic_id(1966, 6, 6, 166), "Even", "Kveldssol"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let created: serde_json::Value = response.json().await.unwrap();
        server.kill_hard();
        let server = start(&db, &["--demo"]);
        let id = created["id"].as_str().unwrap();
        let read = client()
            .get(server.url(&format!("/api/v1/households/{id}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(
            read.status(),
            200,
            "the household is still there after kill -9 ({})",
            db.url
        );
    }
}

/// Deactivating a user is never one click: the page says what it does and asks for a
/// confirmation; without it nothing changes.
#[tokio::test]
async fn deactivating_a_user_asks_for_confirmation() {
    for db in Database::all().await {
        let fixture = common::fixture::prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, _) = &fixture.users[&husly_domain::authz::Role::Admin];
        let admin = common::login(&server, email, common::fixture::PASSWORD).await;
        let page = format!("/admin/users/{}", fixture.target_user);
        let html = common::page_text(&server, &admin, &page).await;
        assert!(html.contains("logges ut med en gang"), "{html}");
        let csrf = common::csrf_of(&server, &admin, &page).await;
        let status = |confirmed: Option<&str>| {
            let mut form = vec![("csrf", csrf.clone()), ("disabled", "true".to_string())];
            if let Some(value) = confirmed {
                form.push(("confirmed", value.to_string()));
            }
            admin.post(server.url(&format!("{page}/status"))).form(&form).send()
        };
        let refused = status(None).await.unwrap();
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains("Kryss av for å bekrefte"));
        let html = common::page_text(&server, &admin, &page).await;
        assert!(!html.contains("tag--disabled"), "still active");
        assert_eq!(status(Some("yes")).await.unwrap().status(), 303);
        let html = common::page_text(&server, &admin, &page).await;
        assert!(html.contains("tag--disabled"), "deactivated");
    }
}

/// A control character (NUL above all, which PostgreSQL cannot store) is refused at every door
/// with 422 naming the field: forms, the anonymous login form, JSON and query parameters; nothing
/// is stored, on both backends alike.
#[tokio::test]
async fn control_characters_are_refused_at_every_door() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let api = client();
        let mut input =
            serde_json::to_value(household_input(&synthetic_id(1981, 3, 3, 250), "Ka\u{0}ri", "Nord")).unwrap();
        input["address_line"] = "Gate 1\u{7}".into();
        let response = api
            .post(server.url("/api/v1/households?municipality=3301"))
            .bearer_auth(token)
            .json(&input)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let body: serde_json::Value = response.json().await.unwrap();
        let fields: Vec<&str> = body["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["address_line", "members[0].given_name"], "{body}");
        assert_eq!(body["error"]["fields"][0]["code"], "control_character");

        let response = api
            .get(server.url("/api/v1/people?municipality=3301&q=Ka%00ri"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "q", "{body}");

        // The anonymous login form, and a signed-in user's form.
        let anonymous = client();
        let login_page = anonymous
            .get(server.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = hidden(&login_page, "csrf");
        let response = anonymous
            .post(server.url("/login"))
            .form(&[("csrf", csrf.as_str()), ("email", "kari\u{0}@x.no"), ("password", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        let http = login(&server, email, PASSWORD).await;
        let csrf = csrf_of(&server, &http, "/households/new").await;
        let response = http
            .post(server.url("/households/new"))
            .form(&[("csrf", csrf.as_str()), ("rows", "1"), ("address_line", "Gate\u{0} 1")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 422);
        assert!(response.text().await.unwrap().contains("kontrolltegn"));
        let response = http.get(server.url("/search?q=%00")).send().await.unwrap();
        assert_eq!(response.status(), 422);

        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let names: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM person WHERE given_name LIKE 'Ka%ri'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(names, 0, "nothing was stored");
        store.close().await;
    }
}

/// `/metrics` is not public: with a configured token the caller must present it; without one
/// only this machine may ask (the test above asks from it).
#[tokio::test]
async fn metrics_ask_for_their_token() {
    let db = Database::sqlite();
    let file = db.dir.path().join("husly.toml");
    std::fs::write(&file, "metrics_token = \"s3cret-metrics-token\"\n").unwrap();
    let server = start(&db, &["--config", file.to_str().unwrap()]);
    let ask = |token: Option<&str>| {
        let mut request = client().get(server.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(ask(None).await.unwrap().status(), 404);
    assert_eq!(ask(Some("guess")).await.unwrap().status(), 404);
    let answer = ask(Some("s3cret-metrics-token")).await.unwrap();
    assert_eq!(answer.status(), 200);
    assert!(answer.text().await.unwrap().contains("husly_http_requests_total"));

    // The audit checkpoints, for a second party to collect, are asked for the same way.
    let collect = |token: Option<&str>, after: Option<i64>| {
        let path = after.map_or("/audit/checkpoints".to_string(), |at| {
            format!("/audit/checkpoints?after={at}")
        });
        let mut request = client().get(server.url(&path));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    assert_eq!(collect(None, None).await.unwrap().status(), 404);
    let answer = collect(Some("s3cret-metrics-token"), None).await.unwrap();
    assert_eq!(answer.status(), 200);
    let body = answer.text().await.unwrap();
    let checkpoints: Vec<serde_json::Value> = body.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!checkpoints.is_empty(), "the server writes one at start");
    assert!(
        checkpoints
            .iter()
            .all(|c| c["heads"].is_array() && c["mac"].is_string()),
        "{body}"
    );
    let last = checkpoints.last().unwrap()["at"].as_i64().unwrap();
    let newer = collect(Some("s3cret-metrics-token"), Some(last)).await.unwrap();
    assert_eq!(newer.text().await.unwrap(), "", "nothing after the last one");
}

/// An office's administration keeps its rules at the door: an administrator cannot take away
/// their own administrator role or disable themselves (the office would lock itself out), an
/// e-mail address is one account, and the one-time password shown for a new user signs them in.
#[tokio::test]
async fn user_administration_keeps_its_rules() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Admin];
        let admin = login(&server, email, PASSWORD).await;
        let me = common::api_json(&server, "/api/v1/me", token).await;
        let own = format!("/admin/users/{}", me["id"].as_str().unwrap());
        let csrf = csrf_of(&server, &admin, &own).await;

        let roles = [("csrf", csrf.as_str()), ("role", "caseworker")];
        let refused = admin
            .post(server.url(&format!("{own}/roles")))
            .form(&roles)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        assert!(
            refused
                .text()
                .await
                .unwrap()
                .contains("Du kan ikke fjerne din egen administratorrolle")
        );
        let disable = [("csrf", csrf.as_str()), ("disabled", "true"), ("confirmed", "yes")];
        let refused = admin
            .post(server.url(&format!("{own}/status")))
            .form(&disable)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        let page = common::page_text(&server, &admin, &own).await;
        assert!(page.contains(r#"value="admin" checked"#), "still an administrator");
        assert!(!page.contains("tag--disabled"), "still active");

        let csrf = csrf_of(&server, &admin, "/admin/users/new").await;
        let create = |email: &str| {
            let form = [
                ("csrf", csrf.clone()),
                ("email", email.to_string()),
                ("display_name", "Ny Saksbehandler".to_string()),
                ("role", "caseworker".to_string()),
            ];
            admin.post(server.url("/admin/users/new")).form(&form).send()
        };
        let taken = create(email).await.unwrap();
        assert_eq!(taken.status(), 422);
        assert!(
            taken
                .text()
                .await
                .unwrap()
                .contains("Det finnes allerede en bruker med denne e-postadressen")
        );
        let created = create("ny.saksbehandler@kommune.invalid").await.unwrap();
        assert_eq!(created.status(), 200);
        let html = created.text().await.unwrap();
        let password = html
            .split("<code")
            .nth(1)
            .and_then(|rest| rest.split('>').nth(1))
            .and_then(|rest| rest.split('<').next())
            .expect("the one-time password is shown")
            .to_string();
        let newcomer = login(&server, "ny.saksbehandler@kommune.invalid", &password).await;
        let queue = newcomer.get(server.url("/cases")).send().await.unwrap();
        assert_eq!(
            queue.status(),
            200,
            "the new user signs in with the password shown once"
        );
    }
}

/// The economy page and the API keep one rule for registered incomes (in the domain): a member
/// has each kind of income once. The page shows the use case's error beside the row it came from.
#[tokio::test]
async fn an_income_kind_twice_is_refused_beside_its_row() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let caseworker = login(&server, email, PASSWORD).await;
        let page = format!("/households/{}/economy", fixture.household);
        let csrf = csrf_of(&server, &caseworker, &page).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("members[0].rows", "2"),
            ("members[0].incomes[0].kind", "wages"),
            ("members[0].incomes[0].amount", "250 000"),
            ("members[0].incomes[1].kind", "wages"),
            ("members[0].incomes[1].amount", "10 000"),
        ];
        let refused = caseworker.post(server.url(&page)).form(&form).send().await.unwrap();
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(html.contains(r#"id="f-members-0-incomes-1-kind-error""#), "{html}");
        assert!(html.contains("Denne inntektstypen er allerede ført for personen"));
        let economy = common::api_json(
            &server,
            &format!("/api/v1/households/{}/economy", fixture.household),
            token,
        )
        .await;
        assert_eq!(economy["incomes"], serde_json::json!([]), "nothing was saved");
    }
}

/// Journal notes: a caseworker keeps one on a case for case handling only and one for everyone;
/// an approver reads both, a follow-up worker only the one for everyone, on the page and through
/// the API. The timeline says a note was written; neither it nor the access log holds the text.
#[tokio::test]
async fn a_note_for_case_handling_is_read_by_case_handling_only() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, _) = &fixture.users[&Role::Caseworker];
        let caseworker = login(&server, email, PASSWORD).await;
        let page = format!("/cases/{}", fixture.case);
        for (text, visibility) in [
            ("Søker fortalte om helseproblemer.", "case_handling"),
            ("Avtalt hjemmebesøk 3. desember.", "everyone"),
        ] {
            let csrf = csrf_of(&server, &caseworker, &page).await;
            let form = [("csrf", csrf.as_str()), ("text", text), ("visibility", visibility)];
            let saved = caseworker
                .post(server.url(&format!("{page}/notes")))
                .form(&form)
                .send()
                .await
                .unwrap();
            assert_eq!(saved.status(), 303);
        }
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(html.contains("Notatet er lagret."), "the confirmation is shown");
        assert!(html.contains("Et notat ble skrevet"), "the timeline names the note");

        let csrf = csrf_of(&server, &caseworker, &page).await;
        let empty = [("csrf", csrf.as_str()), ("text", " "), ("visibility", "everyone")];
        let refused = caseworker
            .post(server.url(&format!("{page}/notes")))
            .form(&empty)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
        assert!(refused.text().await.unwrap().contains(r#"id="f-note-text-error""#));

        for (role, sees_restricted) in [(Role::Approver, true), (Role::FollowUpWorker, false)] {
            let (email, token) = &fixture.users[&role];
            let reader = login(&server, email, PASSWORD).await;
            let html = common::page_text(&server, &reader, &page).await;
            assert!(html.contains("Avtalt hjemmebesøk"), "{role:?}");
            assert_eq!(html.contains("helseproblemer"), sees_restricted, "{role:?} on the page");
            let api = common::api_json(&server, &format!("/api/v1/cases/{}/notes", fixture.case), token).await;
            assert_eq!(
                api["notes"].as_array().map(Vec::len),
                Some(if sees_restricted { 2 } else { 1 }),
                "{role:?}"
            );
            assert!(
                !html.contains("f-note-text"),
                "{role:?} reads notes but does not write them"
            );
        }

        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let filter = husly_store::audit::AuditFilter {
            limit: 1000,
            ..Default::default()
        };
        let entries = store.audit_entries(fixture.home, &filter).await.unwrap();
        let written = entries.iter().filter(|e| e.details.contains("case.note_added")).count();
        assert_eq!(written, 2, "each note is in the access log");
        assert!(
            entries.iter().all(|e| !e.details.contains("helseproblemer")),
            "never its text"
        );
    }
}

/// The work queue says how many cases each filter holds and narrows to one case type; the page,
/// the API and the rows agree, and an unknown case type is refused by name.
#[tokio::test]
async fn the_queue_counts_its_filters_and_narrows_to_a_case_type() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let caseworker = login(&server, email, PASSWORD).await;
        let all = common::api_json(&server, "/api/v1/cases?municipality=3301&filter=open", token).await;
        let open = all["cases"].as_array().map_or(0, Vec::len);
        assert!(open > 0, "{all}");
        assert_eq!(all["counts"]["open"], open, "{all}");
        let html = common::page_text(&server, &caseworker, "/cases?filter=open").await;
        assert!(
            html.contains(&format!(r#"<span class="count">({open})</span>"#)),
            "the open tab says how many"
        );
        for case_type in ["municipal_housing", "startlan"] {
            let path = format!("/api/v1/cases?municipality=3301&filter=open&case_type={case_type}");
            let narrowed = common::api_json(&server, &path, token).await;
            let cases = narrowed["cases"].as_array().unwrap();
            assert!(cases.iter().all(|c| c["case_type"] == case_type), "{narrowed}");
            assert_eq!(narrowed["counts"]["open"], cases.len(), "{narrowed}");
        }
        // The counts follow the cases: a case taken leaves the unassigned tab for "mine" on the
        // very next view (the kept counts are counted again when a case changes).
        let unassigned = common::api_json(&server, "/api/v1/cases?municipality=3301&filter=unassigned", token).await;
        let taken = unassigned["cases"][0]["id"]
            .as_str()
            .expect("an unassigned case")
            .to_string();
        let case = common::api_json(&server, &format!("/api/v1/cases/{taken}"), token).await;
        let answer = client()
            .post(server.url(&format!("/api/v1/cases/{taken}/assignment")))
            .bearer_auth(token)
            .json(&serde_json::json!({ "version": case["case"]["version"], "take": true }))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{}", answer.text().await.unwrap());
        let after = common::api_json(&server, "/api/v1/cases?municipality=3301&filter=mine", token).await;
        let count = |json: &serde_json::Value, tab: &str| json["counts"][tab].as_i64().unwrap();
        assert_eq!(count(&after, "mine"), count(&unassigned, "mine") + 1, "{after}");
        assert_eq!(
            count(&after, "unassigned"),
            count(&unassigned, "unassigned") - 1,
            "{after}"
        );
        assert_eq!(count(&after, "open"), count(&unassigned, "open"), "{after}");
        assert!(
            after["cases"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == taken.as_str())
        );
        let refused = caseworker
            .get(server.url("/cases?filter=open&case_type=villa"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        assert!(refused.text().await.unwrap().contains("«villa» er ikke en sakstype."));

        // Sorted by the day received, newest first: the API and the page list the same order,
        // the page keeps the order in its tabs' links and marks the sorted column.
        let newest = common::api_json(
            &server,
            "/api/v1/cases?municipality=3301&filter=open&sort=newest",
            token,
        )
        .await;
        let received: Vec<&str> = newest["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["received_on"].as_str().unwrap())
            .collect();
        let mut descending = received.clone();
        descending.sort_by(|a, b| b.cmp(a));
        assert_eq!(received, descending, "{newest}");
        let html = common::page_text(&server, &caseworker, "/cases?filter=open&sort=newest").await;
        assert!(html.contains(r#"<option value="newest" selected>"#));
        assert!(html.contains("filter=mine&#38;sort=newest"), "the tabs keep the order");
        assert!(html.contains(r#"aria-sort="descending""#));
        let references: Vec<&str> = newest["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["reference"].as_str().unwrap())
            .collect();
        let on_page: Vec<usize> = references.iter().map(|r| html.find(r).expect("listed")).collect();
        assert!(
            on_page.windows(2).all(|w| w[0] < w[1]),
            "the page lists the API's order"
        );
        // A case number in the search box, with or without its leading zeros, names the case
        // and lists its household.
        let reference = references[0];
        let case_id = newest["cases"][0]["id"].as_str().unwrap();
        let (year, number) = reference.split_once('-').unwrap();
        let short = format!("{year}-{}", number.trim_start_matches('0'));
        let found = common::page_text(&server, &caseworker, &format!("/search?q={short}")).await;
        assert!(
            found.contains(&format!(r#"<a href="/cases/{case_id}">Åpne saken {reference}</a>"#)),
            "{found}"
        );
        let api = common::api_json(
            &server,
            &format!("/api/v1/people?municipality=3301&q={reference}"),
            token,
        )
        .await;
        assert_eq!(api["case"]["id"], case_id, "{api}");
        assert!(!api["results"].as_array().unwrap().is_empty(), "{api}");
        let unknown = common::page_text(&server, &caseworker, "/search?q=1999-1").await;
        assert!(unknown.contains("Ingen sak har saksnummeret 1999-000001."));
        let refused = caseworker
            .get(server.url("/cases?filter=open&sort=height"))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 400);
        assert!(refused.text().await.unwrap().contains("«height»"));
        let refused = client()
            .get(server.url("/api/v1/cases?municipality=3301&sort=height"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422);
    }
}

/// The work queue pages from a place: the API's `next` and `previous` walk every open case once
/// each way, the page links to the page before and after by place and numbers its pages, and a
/// place that is no place is refused with a sentence, not a server error.
#[tokio::test]
async fn the_queue_pages_from_a_place_both_ways() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let caseworker = login(&server, email, PASSWORD).await;
        // Three applications more, so that there are pages to walk.
        let applications = format!("/api/v1/households/{}/applications", fixture.household);
        for day in ["2026-11-02", "2026-11-03", "2026-11-04"] {
            let answer = client()
                .post(server.url(&applications))
                .bearer_auth(token)
                .json(&serde_json::json!({ "case_type": "section6_assistance", "received_on": day }))
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
        }
        let base = "/api/v1/cases?municipality=3301&filter=open&sort=reference";
        let whole = common::api_json(&server, &format!("{base}&limit=200"), token).await;
        let ids = |json: &serde_json::Value| -> Vec<String> {
            json["cases"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].as_str().unwrap().to_string())
                .collect()
        };
        let all = ids(&whole);
        assert!(all.len() >= 2, "{whole}");
        assert!(whole["previous"].is_null() && whole["next"].is_null(), "{whole}");
        // Forwards one case a page, by `next`.
        let mut page = common::api_json(&server, &format!("{base}&limit=1"), token).await;
        assert!(page["previous"].is_null(), "the first page has none before it: {page}");
        let mut forwards = ids(&page);
        while let Some(next) = page["next"].as_str() {
            page = common::api_json(&server, &format!("{base}&limit=1&after={next}"), token).await;
            assert!(page["previous"].is_string(), "{page}");
            forwards.extend(ids(&page));
        }
        assert_eq!(forwards, all, "every case once, in order");
        // Backwards from the last page, by `previous`.
        let mut backwards = ids(&page);
        while let Some(previous) = page["previous"].as_str() {
            page = common::api_json(&server, &format!("{base}&limit=1&before={previous}"), token).await;
            assert!(page["next"].is_string(), "{page}");
            backwards.splice(0..0, ids(&page));
        }
        assert_eq!(backwards, all, "back to the first page");

        // The page after the first case: numbered 2, linked back to the page before by place.
        let first = common::api_json(&server, &format!("{base}&limit=1"), token).await;
        let after = first["next"].as_str().unwrap();
        let html = common::plain(
            &common::page_text(
                &server,
                &caseworker,
                &format!("/cases?filter=open&sort=reference&after={after}&page=2"),
            )
            .await,
        );
        assert!(html.contains("Side 2"), "{html}");
        assert!(
            html.contains(r#"<a rel="prev" href="/cases?filter=open&#38;sort=reference&#38;before="#),
            "{html}"
        );
        let listed: Vec<usize> = all[1..]
            .iter()
            .map(|id| html.find(id.as_str()).expect("listed"))
            .collect();
        assert!(listed.windows(2).all(|w| w[0] < w[1]), "in the queue's order");
        assert!(
            !html.contains(&all[0]),
            "the case before the place is on the page before"
        );
        // A page of fewer cases than a page holds has no links and no number.
        let html = common::page_text(&server, &caseworker, "/cases?filter=open&sort=reference").await;
        assert!(!html.contains(r#"rel="next""#) && !html.contains("Side 1"), "{html}");

        // A place that is none, or one from another order, is refused in words.
        for path in [
            "/cases?filter=open&after=side-2".to_string(),
            format!("/cases?filter=open&sort=newest&after=2026-000001_{}", all[0]),
            format!("/cases?filter=open&after={after}&before={after}"),
        ] {
            let refused = caseworker.get(server.url(&path)).send().await.unwrap();
            assert_eq!(refused.status(), 400, "{path}");
            let text = refused.text().await.unwrap();
            assert!(
                text.contains("Lenken til neste eller forrige side i køen er ugyldig"),
                "{path}: {text}"
            );
        }
    }
}

/// Tasks: a caseworker gives one to themselves; it is listed above their work queue and on the
/// case, is marked done and opened again, each an event on the timeline; a past date and an
/// approver as the one to do it are refused beside their fields.
#[tokio::test]
async fn a_task_is_given_done_and_opened_again() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, _) = &fixture.users[&Role::Caseworker];
        let caseworker = login(&server, email, PASSWORD).await;
        let page = format!("/cases/{}", fixture.case);
        let soon = common::today() + time::Duration::days(10);
        let due = format!("{:02}.{:02}.{}", soon.day(), u8::from(soon.month()), soon.year());
        let csrf = csrf_of(&server, &caseworker, &page).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("title", "Ring søkeren om lønnsslipp"),
            ("due_on", due.as_str()),
        ];
        let given = caseworker
            .post(server.url(&format!("{page}/tasks")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(given.status(), 303);
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(html.contains("Oppgaven er lagt til."));
        let queue = common::page_text(&server, &caseworker, "/cases").await;
        assert!(
            queue.contains("Mine oppgaver") && queue.contains("Ring søkeren om lønnsslipp"),
            "{queue}"
        );
        let task = html
            .split(&format!("{page}/tasks/"))
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .expect("the task's done button")
            .to_string();
        let csrf = csrf_of(&server, &caseworker, &page).await;
        for (step, said) in [
            ("done", "Oppgaven er merket som ferdig."),
            ("reopen", "Oppgaven er åpnet igjen."),
        ] {
            let answer = caseworker
                .post(server.url(&format!("{page}/tasks/{task}/{step}")))
                .form(&[("csrf", csrf.as_str())])
                .send()
                .await
                .unwrap();
            assert_eq!(answer.status(), 303, "{step}");
            assert!(
                common::page_text(&server, &caseworker, &page).await.contains(said),
                "{step}"
            );
        }
        let again = caseworker
            .post(server.url(&format!("{page}/tasks/{task}/reopen")))
            .form(&[("csrf", csrf.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409, "an open task cannot be opened again");
        let html = common::page_text(&server, &caseworker, &page).await;
        for event in [
            "En oppgave ble gitt",
            "En oppgave ble gjort",
            "En oppgave ble åpnet igjen",
        ] {
            assert!(html.contains(event), "{event}");
        }

        let me = common::api_json(&server, "/api/v1/me", &fixture.users[&Role::Approver].1).await;
        let approver = me["id"].as_str().unwrap().to_string();
        let refused = [
            ("csrf", csrf.as_str()),
            ("title", "Godkjenn"),
            ("due_on", "01.01.2020"),
            ("assigned_to", approver.as_str()),
        ];
        let answer = caseworker
            .post(server.url(&format!("{page}/tasks")))
            .form(&refused)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422);
        let html = answer.text().await.unwrap();
        assert!(html.contains(r#"id="f-task-due_on-error""#) && html.contains("Fristen kan ikke være før i dag."));
        assert!(
            html.contains(r#"id="f-task-assigned_to-error""#) && html.contains("Velg en saksbehandler i kommunen.")
        );
    }
}

/// A team lead shares out the work: a case is given to another caseworker (not to an approver),
/// and the workload page says who has how many open cases.
#[tokio::test]
async fn a_case_is_given_to_another_caseworker_and_the_workload_shows_it() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let actor = husly_store::audit::Actor::cli("test");
        let colleague = store
            .create_user("kollega@drammen.example", "Kari Kollega", PASSWORD, &actor)
            .await
            .unwrap();
        store
            .grant_role(colleague, fixture.home, Role::Caseworker, &actor)
            .await
            .unwrap();
        let server = start(&db, &[]);
        let (email, _) = &fixture.users[&Role::Caseworker];
        let caseworker = login(&server, email, PASSWORD).await;
        let page = format!("/cases/{}", fixture.case);
        let html = common::page_text(&server, &caseworker, &page).await;
        let version = html
            .split(r#"name="version" value=""#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap()
            .to_string();
        let csrf = csrf_of(&server, &caseworker, &page).await;
        let approver = common::api_json(&server, "/api/v1/me", &fixture.users[&Role::Approver].1).await;
        let to_approver = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("to", approver["id"].as_str().unwrap()),
        ];
        let refused = caseworker
            .post(server.url(&format!("{page}/assign")))
            .form(&to_approver)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "an approver handles no cases");
        let colleague_id = colleague.to_string();
        let given = [
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("to", colleague_id.as_str()),
        ];
        let answer = caseworker
            .post(server.url(&format!("{page}/assign")))
            .form(&given)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 303);
        let html = common::page_text(&server, &caseworker, &page).await;
        assert!(html.contains("Saken har fått ny saksbehandler.") && html.contains("Kari Kollega"));
        let workload = common::page_text(&server, &caseworker, "/cases/workload").await;
        let row = workload.split("Kari Kollega").nth(1).expect("the colleague's row");
        assert!(row.trim_start().starts_with("</th>"), "{row}");
        assert!(row.contains(r#"<td class="numeric">1</td>"#), "one open case: {row}");
    }
}

/// "Who has looked at my data?" is one search in the access log (issue: casework people can
/// trust, item 7): by identity number, the log shows the entries about the person, their
/// households and their cases — in words and by name, not ids — and nothing about a namesake;
/// a name that matches two people asks which; an unknown case reference is named; the answer
/// comes as a PDF for an access request; and the officer's own lookup is in the log.
#[tokio::test]
async fn the_access_log_answers_who_has_seen_a_persons_data() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let actor = husly_store::audit::Actor::cli("test");
        let change = husly_store::households::Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let namesake = husly_domain::household::validate_household(
            &household_input(&synthetic_id(1990, 1, 15, 170), "Ingrid", "Fjellstad"),
            husly_domain::national_id::SyntheticPolicy::Allow,
            husly_usecases::Clock::system().today(),
        )
        .unwrap();
        let namesake_household = store.create_household(fixture.home, &namesake, &change).await.unwrap();
        let server = start(&db, &[]);
        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        for path in [
            format!("/households/{}", fixture.household),
            format!("/cases/{}", fixture.case),
            format!("/households/{namesake_household}"),
        ] {
            let status = caseworker.get(server.url(&path)).send().await.unwrap().status();
            assert_eq!(status, 200, "{path}");
        }
        let officer = login(&server, &fixture.users[&Role::Admin].0, PASSWORD).await;

        let by_number = format!("/admin/audit?person={}", fixture.main_applicant_id);
        let html = common::page_text(&server, &officer, &by_number).await;
        let reference = store.case(fixture.home, fixture.case).await.unwrap().reference;
        for wanted in [
            "Ingrid Skjærgård",
            "Husstand: Modellveien 12, 3015 Drammen",
            &format!("Sak {reference} (Søknad om kommunal bolig)"),
            "Så husstand",
            "Så sak",
            "Test caseworker (caseworker@drammen.example)",
            "access-request.pdf",
        ] {
            assert!(html.contains(wanted), "{wanted} missing from the person's log");
        }
        assert!(!html.contains("Fjellstad"), "a namesake's entries are not shown");
        assert!(!html.contains(&fixture.case.to_string()), "cases by reference, not id");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));

        let by_name = common::page_text(&server, &officer, "/admin/audit?person=ingrid").await;
        assert!(by_name.contains("Ingrid Fjellstad") && by_name.contains("Ingrid Skjærgård"));
        assert!(!by_name.contains("<tbody>"), "no entries until one person is chosen");

        let unknown = officer
            .get(server.url("/admin/audit?case=1999-999999"))
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 422);
        assert!(unknown.text().await.unwrap().contains("1999-999999"));

        let pdf = officer
            .get(server.url(&format!("/admin/audit/access-request.pdf?person_id={}", fixture.person)))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));

        // The API answers the same question, by identity number; an unknown number is not found.
        let token = &fixture.users[&Role::Admin].1;
        let path = format!("/api/v1/audit?municipality=3301&person={}", fixture.main_applicant_id);
        let answer = common::api_json(&server, &path, token).await;
        let footprint = store.person_records(fixture.home, fixture.person).await.unwrap();
        let listed = answer["entries"].as_array().expect("entries");
        assert!(!listed.is_empty());
        assert!(
            listed
                .iter()
                .all(|e| footprint.contains(&e["resource_id"].as_str().unwrap().to_string())),
            "{listed:?}"
        );
        assert!(!footprint.contains(&namesake_household.to_string()));
        let unknown = client()
            .get(server.url(&format!(
                "/api/v1/audit?municipality=3301&person={}",
                synthetic_id(1950, 5, 5, 180)
            )))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 404);

        let lookups = store
            .audit_entries(
                fixture.home,
                &husly_store::audit::AuditFilter {
                    action: Some("audit.view".into()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert!(
            lookups.iter().any(|e| e.resource_id == fixture.person.to_string()),
            "the officer's lookup of the person is itself in the log"
        );
        assert!(
            lookups
                .iter()
                .all(|e| !e.details.contains(&fixture.main_applicant_id) && !e.details.contains("Skjærgård")),
            "never the number or name typed"
        );
    }
}

/// A follow-up worker logs a home visit on the household: the form offers no "case handling
/// only" (they could not read such a note back), the API refuses one by naming `visibility`, and
/// the approver, who checks and records nothing, may not write a note at all.
#[tokio::test]
async fn a_follow_up_worker_logs_visits_on_the_household() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::FollowUpWorker];
        let worker = login(&server, email, PASSWORD).await;
        let page = format!("/households/{}", fixture.household);
        let html = common::page_text(&server, &worker, &page).await;
        assert!(html.contains("f-note-text"), "the follow-up worker gets the note form");
        assert!(
            !html.contains("f-note-case_handling"),
            "but no case-handling-only choice"
        );
        let csrf = csrf_of(&server, &worker, &page).await;
        let form = [
            ("csrf", csrf.as_str()),
            ("text", "Hjemmebesøk: husleia er betalt, avtalt nytt besøk om to uker."),
            ("visibility", "everyone"),
        ];
        let saved = worker
            .post(server.url(&format!("{page}/notes")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(saved.status(), 303);
        let html = common::page_text(&server, &worker, &page).await;
        assert!(html.contains("Hjemmebesøk: husleia er betalt"));

        let restricted = client()
            .post(server.url(&format!("/api/v1/households/{}/notes", fixture.household)))
            .bearer_auth(token)
            .json(&serde_json::json!({ "text": "Bekymring", "visibility": "case_handling" }))
            .send()
            .await
            .unwrap();
        assert_eq!(restricted.status(), 422);
        let body: serde_json::Value = restricted.json().await.unwrap();
        assert!(body.to_string().contains("visibility"), "{body}");

        let approver = &fixture.users[&Role::Approver].1;
        let refused = client()
            .post(server.url(&format!("/api/v1/households/{}/notes", fixture.household)))
            .bearer_auth(approver)
            .json(&serde_json::json!({ "text": "Sjekket", "visibility": "everyone" }))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
    }
}
