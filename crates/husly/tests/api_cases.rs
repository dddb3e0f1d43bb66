//! The case workflow through the JSON API on both backends: register → assess → propose → the
//! approver approves (the caseworker may not, nor may the proposer) → the letter is sent and
//! served as PDF → appeal → upheld and forwarded → the appeal body's outcome; with stale
//! versions, bad input, illegal steps and another municipality's token on the way.

use crate::common;

use common::fixture::prepare;
use common::{Database, Server, start};
use husly_domain::authz::Role;
use reqwest::Method;
use serde_json::{Value, json};

/// One API call: the status and the JSON body (null when the body is not JSON).
async fn call(server: &Server, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let text = response.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn get(server: &Server, token: &str, path: &str) -> (u16, Value) {
    call(server, token, Method::GET, path, None).await
}

async fn post(server: &Server, token: &str, path: &str, body: Value) -> (u16, Value) {
    call(server, token, Method::POST, path, Some(body)).await
}

/// The fields an error response names.
fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|all| {
            all.iter()
                .map(|f| f["field"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn complete_form() -> Value {
    json!({
        "current_housing": "private_rental",
        "reasons": ["economy", "childrens_situation"],
        "economy": [{ "incomes": [["wages", 260000]], "net_wealth_kr": 0 }],
        "lawful_residence": true,
        "registered_in_municipality_since": "2018-01-01",
        "rent_arrears": false,
        "confirmed": true
    })
}

#[tokio::test]
async fn a_case_through_the_api_from_registration_to_the_appeal_body() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let caseworker = fixture.users[&Role::Caseworker].1.as_str();
        let approver = fixture.users[&Role::Approver].1.as_str();
        let stranger = fixture.stranger.1.as_str();
        let today = common::today().to_string();
        let applications = format!("/api/v1/households/{}/applications", fixture.household);

        // Bad input is refused with every field named; nothing is stored.
        let (status, body) = post(
            s,
            caseworker,
            &applications,
            json!({ "case_type": "municipal_housing", "received_on": today, "form": { "pets_count": 2 } }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(body["error"]["code"], "validation");
        assert_eq!(fields(&body), ["form.pets_count"], "{body}");
        let (status, body) = post(
            s,
            caseworker,
            &applications,
            json!({
                "case_type": "castle",
                "received_on": "2026-02-31",
                "form": { "economy": [{ "incomes": [["wages", -1]] }] }
            }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            fields(&body),
            ["case_type", "received_on", "form.economy[0].incomes[0]"],
            "{body}"
        );
        let (status, body) = post(
            s,
            caseworker,
            &applications,
            json!({ "case_type": "municipal_housing", "received_on": today, "form": { "evicted_on": "2026-13-01" } }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&body), ["form.evicted_on"], "{body}");
        let (_, queue) = get(s, caseworker, "/api/v1/cases?municipality=3301&filter=open").await;
        assert_eq!(
            queue["cases"].as_array().unwrap().len(),
            1,
            "only the fixture's case: {queue}"
        );

        // Registered.
        let response = reqwest::Client::new()
            .post(s.url(&applications))
            .bearer_auth(caseworker)
            .json(&json!({ "case_type": "municipal_housing", "received_on": today, "form": complete_form() }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let location = response.headers()["location"].to_str().unwrap().to_string();
        let case: Value = response.json().await.unwrap();
        let id = case["id"].as_str().unwrap().to_string();
        assert_eq!(location, format!("/api/v1/cases/{id}"));
        assert_eq!(case["state"], "received");
        assert_eq!(case["version"], 1);
        assert_eq!(case["case_type"], "municipal_housing");
        assert_eq!(case["received_on"], today.as_str());
        let url = location;

        // Another municipality's user does not see it, nor may change it.
        let (status, _) = get(s, stranger, &url).await;
        assert_eq!(status, 404);
        let (status, _) = post(
            s,
            stranger,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "start_assessment" }),
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = get(s, stranger, &format!("/api/v1/cases/{}", fixture.case)).await;
        assert_eq!(status, 404);

        // A step the state does not allow is refused with the reason.
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "uphold_and_forward" }),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("opprettholde vedtaket og sende klagen videre"),
            "{body}"
        );
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "teleport" }),
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["action".to_string()]), "{body}");
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "request_information", "information_due": "soon" }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&body), ["information_due", "reason"], "{body}");

        let (status, case) = post(
            s,
            caseworker,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "start_assessment" }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(
            (case["state"].as_str(), case["version"].as_i64()),
            (Some("under_assessment"), Some(2))
        );
        // A stale version is a conflict.
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "start_assessment" }),
        )
        .await;
        assert_eq!(status, 409, "{body}");
        assert_eq!(body["error"]["code"], "conflict");

        // The application can be corrected while it is assessed; errors name the form's fields.
        let (status, body) = call(
            s,
            caseworker,
            Method::PUT,
            &format!("{url}/application"),
            Some(json!({ "version": 2, "form": { "registered_in_municipality_since": "2099-01-01" } })),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&body), ["form.registered_in_municipality_since"]);
        let mut form = complete_form();
        form["preferred_areas"] = json!(["Strømsø"]);
        let (status, case) = call(
            s,
            caseworker,
            Method::PUT,
            &format!("{url}/application"),
            Some(json!({ "version": 2, "form": form })),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["version"], 3);
        assert_eq!(case["form"]["preferred_areas"], json!(["Strømsø"]));

        // The caseworker's judgement on a rule needs reasons; unknown rules are named.
        let overrides = format!("{url}/overrides");
        let (status, body) = post(
            s,
            caseworker,
            &overrides,
            json!({ "version": 3, "rule": "other_instruments", "outcome": "met" }),
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["reason".to_string()]), "{body}");
        let (status, body) = post(
            s,
            caseworker,
            &overrides,
            json!({ "version": 3, "rule": "luck", "outcome": "met", "reason": "x" }),
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["rule".to_string()]), "{body}");
        let (status, case) = post(
            s,
            caseworker,
            &overrides,
            json!({
                "version": 3, "rule": "other_instruments", "outcome": "met",
                "reason": "Startlån er vurdert og ikke mulig; bostøtte dekker ikke behovet."
            }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["overrides"][0]["rule"], "other_instruments");

        // Proposed by the caseworker.
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/decisions"),
            json!({ "version": 4, "outcome": "granted", "reasons": "" }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&body), ["reasons", "granted_text"]);
        let (status, case) = post(
            s,
            caseworker,
            &format!("{url}/decisions"),
            json!({
                "version": 4,
                "outcome": "granted",
                "granted_text": "Plass på ventelisten for kommunal bolig med ett soverom",
                "reasons": "Søkeren bor i en leid bolig hun ikke kan betale for, og har ikke andre muligheter."
            }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["state"], "decision_proposed");

        // The caseworker may not approve; the approver may.
        let review = format!("{url}/review");
        let (status, _) = post(s, caseworker, &review, json!({ "version": 5, "approve": true })).await;
        assert_eq!(status, 403);
        let (status, case) = post(s, approver, &review, json!({ "version": 5, "approve": true })).await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(
            (case["state"].as_str(), case["version"].as_i64()),
            (Some("approved"), Some(6))
        );

        // Sent in nynorsk.
        let send = format!("{url}/send");
        let (status, body) = post(
            s,
            caseworker,
            &send,
            json!({ "version": 6, "language": "de", "delivery": "fax", "delivered_on": "2020-01-01" }),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&body), ["language", "delivery", "delivered_on"]);
        let (status, case) = post(
            s,
            caseworker,
            &send,
            json!({ "version": 6, "language": "nn", "delivery": "digital", "delivered_on": today }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["state"], "on_waiting_list");
        assert!(
            case["appeal_deadline"].is_string() && case["valid_until"].is_string(),
            "{case}"
        );

        let (status, detail) = get(s, caseworker, &url).await;
        assert_eq!(status, 200, "{detail}");
        assert_eq!(detail["case"]["state"], "on_waiting_list");
        assert_eq!(detail["missing"], json!([]));
        assert_eq!(detail["assessment"]["case_type"], "municipal_housing");
        assert_eq!(detail["decisions"][0]["status"], "sent");
        let letters = detail["letters"].as_array().unwrap();
        assert_eq!(letters.len(), 1, "{detail}");
        assert_eq!(
            (letters[0]["kind"].as_str(), letters[0]["language"].as_str()),
            (Some("decision"), Some("nn"))
        );
        let letter = letters[0]["id"].as_str().unwrap();
        let pdf = reqwest::Client::new()
            .get(s.url(&format!("{url}/letters/{letter}")))
            .bearer_auth(approver)
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));
        let (status, _) = get(s, caseworker, &format!("{url}/letters/{}", fixture.letter)).await;
        assert_eq!(status, 404, "another case's letter is not this case's");

        // Appealed, upheld by the municipality and forwarded; the appeal body upholds it: each an
        // operation of its own.
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/appeals/outcome"),
            json!({ "version": 7, "outcome": "upheld" }),
        )
        .await;
        assert_eq!(status, 400, "not before the appeal is with the appeal body: {body}");
        // When and how the appeal was sent decide whether it is in time: both are required.
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/appeals"),
            json!({ "version": 7, "appeal_sent_on": "31.12.2999", "appeal_channel": "pigeon" }),
        )
        .await;
        assert_eq!(
            (status, fields(&body)),
            (422, vec!["appeal_channel".to_string(), "appeal_sent_on".to_string()]),
            "{body}"
        );
        for (version, operation, body, state) in [
            (
                7,
                "appeals",
                json!({ "appeal_sent_on": today, "appeal_channel": "digital" }),
                "appeal_received",
            ),
            (8, "appeals/forward", json!({}), "forwarded_to_appeal_body"),
            (9, "appeals/outcome", json!({ "outcome": "maybe" }), ""),
            (9, "appeals/outcome", json!({ "outcome": "upheld" }), "closed"),
        ] {
            let mut body = body;
            body["version"] = json!(version);
            let (status, case) = post(s, caseworker, &format!("{url}/{operation}"), body).await;
            if state.is_empty() {
                assert_eq!((status, fields(&case)), (422, vec!["outcome".to_string()]), "{case}");
                continue;
            }
            assert_eq!(status, 200, "{operation}: {case}");
            assert_eq!(case["state"], state, "{operation}");
        }
        let (status, timeline) = get(s, caseworker, &format!("{url}/timeline")).await;
        assert_eq!(status, 200);
        let kinds: Vec<&str> = timeline["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["kind"].as_str().unwrap())
            .collect();
        for kind in [
            "case.received",
            "case.decision_proposed",
            "case.decision_approved",
            "case.decision_sent",
            "case.register_appeal",
            "case.record_appeal_body_outcome",
        ] {
            assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
        }

        // The queue lists the fixture's open case, not the closed one.
        let (status, queue) = get(s, caseworker, "/api/v1/cases?municipality=3301&filter=open").await;
        assert_eq!(status, 200);
        let ids: Vec<&str> = queue["cases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, [fixture.case.to_string()]);
        let (status, body) = get(s, caseworker, "/api/v1/cases?municipality=3301&filter=someday").await;
        assert_eq!((status, fields(&body)), (422, vec!["filter".to_string()]));

        // Reads are in the access log, writes in the log of changes.
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        for action in ["case.view", "case.letter", "case.timeline", "case.queue", "case.change"] {
            let n: i64 = sqlx::query_scalar(
                "SELECT (SELECT COUNT(*) FROM audit_entry WHERE action = $1 AND resource_id IN ($2, $3)) \
                     + (SELECT COUNT(*) FROM access_entry WHERE action = $1 AND resource_id IN ($2, $3))",
            )
            .bind(action)
            .bind(&id)
            .bind(fixture.home.to_string())
            .fetch_one(store.pool())
            .await
            .unwrap();
            assert!(n > 0, "{action} is audited");
        }
        store.close().await;
    }
}

#[tokio::test]
async fn the_proposer_can_never_approve() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        // The stranger holds every role in the other municipality, approver included.
        let both = fixture.stranger.1.as_str();
        let today = common::today().to_string();
        let (status, case) = post(
            s,
            both,
            &format!("/api/v1/households/{}/applications", fixture.other_household),
            json!({ "case_type": "section6_assistance", "received_on": today }),
        )
        .await;
        assert_eq!(status, 201, "{case}");
        let url = format!("/api/v1/cases/{}", case["id"].as_str().unwrap());
        let (status, _) = post(
            s,
            both,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "start_assessment" }),
        )
        .await;
        assert_eq!(status, 200);
        // Granting an incomplete application is refused; refusing it is possible.
        let (status, body) = post(
            s,
            both,
            &format!("{url}/decisions"),
            json!({ "version": 2, "outcome": "granted", "granted_text": "Bistand", "reasons": "Behov." }),
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["outcome".to_string()]), "{body}");
        let (status, _) = post(
            s,
            both,
            &format!("{url}/decisions"),
            json!({ "version": 2, "outcome": "refused", "reasons": "Vilkårene er ikke oppfylt." }),
        )
        .await;
        assert_eq!(status, 200);
        let (status, body) = post(
            s,
            both,
            &format!("{url}/review"),
            json!({ "version": 3, "approve": true }),
        )
        .await;
        assert_eq!(status, 400, "{body}");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("kan ikke godkjenne"),
            "{body}"
        );
        // Sending back needs a reason, and is allowed.
        let (status, body) = post(
            s,
            both,
            &format!("{url}/review"),
            json!({ "version": 3, "approve": false }),
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["reason".to_string()]), "{body}");
        let (status, case) = post(
            s,
            both,
            &format!("{url}/review"),
            json!({ "version": 3, "approve": false, "reason": "Vurder § 6 på nytt." }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["state"], "under_assessment");
    }
}

/// Uploads `bytes` as the file `kontrakt.pdf` in a multipart body.
async fn upload(server: &Server, token: &str, path: &str, bytes: &[u8]) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name("kontrakt.pdf");
    reqwest::Client::new()
        .post(server.url(path))
        .bearer_auth(token)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload")
}

/// Documents, taking a case, the interim answer and duplicate flags through the API: the same use
/// cases as the case page, with its checks.
#[tokio::test]
async fn documents_assignment_interim_answers_and_flags_through_the_api() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let caseworker = fixture.users[&Role::Caseworker].1.as_str();
        let follow_up = fixture.users[&Role::FollowUpWorker].1.as_str();
        let url = format!("/api/v1/cases/{}", fixture.case);

        // Documents: listed, uploaded (recognised by content), served as uploaded.
        let (status, list) = get(s, follow_up, &format!("{url}/documents")).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["documents"].as_array().unwrap().len(), 1);
        let documents = format!("{url}/documents");
        assert_eq!(upload(s, follow_up, &documents, b"%PDF-1.4 x").await.status(), 403);
        assert_eq!(upload(s, caseworker, &documents, b"MZ not a pdf").await.status(), 422);
        let created = upload(s, caseworker, &documents, b"%PDF-1.4 husleiekontrakt").await;
        assert_eq!(created.status(), 201);
        let document: Value = created.json().await.unwrap();
        assert_eq!(document["mime"], "application/pdf");
        let download = reqwest::Client::new()
            .get(s.url(&format!("{url}/documents/{}", document["id"].as_str().unwrap())))
            .bearer_auth(follow_up)
            .send()
            .await
            .unwrap();
        assert_eq!(download.status(), 200);
        assert_eq!(download.bytes().await.unwrap().as_ref(), b"%PDF-1.4 husleiekontrakt");

        // Taking the case, then the interim answer: the fixture already sent one, so the case
        // has version 2.
        let (status, case) = post(
            s,
            caseworker,
            &format!("{url}/assignment"),
            json!({ "version": 2, "take": true }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert!(case["assigned_to"].is_string(), "{case}");
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/interim-answer"),
            json!({ "version": 3, "expected_by": "2020-01-01", "reason": " " }),
        )
        .await;
        assert_eq!(
            (status, fields(&body)),
            (422, vec!["expected_by".to_string(), "reason".to_string()]),
            "{body}"
        );
        let (status, case) = post(
            s,
            caseworker,
            &format!("{url}/interim-answer"),
            json!({ "version": 3, "expected_by": "2099-01-01", "reason": "Vi venter på legeerklæring.", "language": "nn" }),
        )
        .await;
        assert_eq!(status, 200, "{case}");
        assert_eq!(case["version"], 4);

        // A flag that does not exist, or a resolution that is not one.
        let (status, body) = post(
            s,
            caseworker,
            &format!("{url}/flags/01900000-0000-7000-8000-000000000000"),
            json!({ "resolution": "merge", "reason": "x" }),
        )
        .await;
        assert_eq!((status, fields(&body)), (422, vec!["resolution".to_string()]), "{body}");
        let (status, _) = post(
            s,
            caseworker,
            &format!("{url}/flags/01900000-0000-7000-8000-000000000000"),
            json!({ "resolution": "dismiss", "reason": "Ikke samme person" }),
        )
        .await;
        assert_eq!(status, 404, "no such flag");
    }
}

/// Boligsosialloven § 6: refusing an application for a municipal dwelling records what the
/// assessment of the household's § 6 needs found, through the API and the page alike; the letter
/// tells the household, and the case keeps it with the decision. "A § 6 case is opened" needs
/// the household's § 6 case to exist.
#[tokio::test]
async fn refusing_a_dwelling_records_the_assessment_of_section6_needs() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let (email, token) = &fixture.users[&Role::Caseworker];
        let today = common::today().to_string();
        let (status, case) = post(
            s,
            token,
            &format!("/api/v1/households/{}/applications", fixture.household),
            json!({ "case_type": "municipal_housing", "received_on": today }),
        )
        .await;
        assert_eq!(status, 201, "{case}");
        let id = case["id"].as_str().unwrap().to_string();
        let url = format!("/api/v1/cases/{id}");
        let (status, _) = post(
            s,
            token,
            &format!("{url}/actions"),
            json!({ "version": 1, "action": "start_assessment" }),
        )
        .await;
        assert_eq!(status, 200);
        let refusal = |section6: Value| json!({ "version": 2, "outcome": "refused", "reasons": "Inntekten er over grensen.", "section6": section6 });
        let (status, body) = post(s, token, &format!("{url}/decisions"), refusal(Value::Null)).await;
        assert_eq!((status, fields(&body)), (422, vec!["section6".to_string()]), "{body}");
        let (status, body) = post(s, token, &format!("{url}/decisions"), refusal(json!("maybe"))).await;
        assert_eq!((status, fields(&body)), (422, vec!["section6".to_string()]), "{body}");

        // The page's letter preview says what was found, in the letter's words.
        let caseworker = common::login(s, email, common::fixture::PASSWORD).await;
        let csrf = common::csrf_of(s, &caseworker, &format!("/cases/{id}")).await;
        let preview = caseworker
            .post(s.url(&format!("/cases/{id}/preview")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("language", "nb"),
                ("outcome", "refused"),
                ("reasons", "Inntekten er over grensen."),
                ("section6", "no_need"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(preview.status(), 200);
        let html = preview.text().await.unwrap();
        assert!(html.contains("Behov for bistand etter boligsosialloven § 6"), "{html}");
        assert!(html.contains("Vi har kommet til at du ikke har behov for slik bistand nå."));

        // "A § 6 case is opened" is true only once the household has one.
        let (status, body) = post(s, token, &format!("{url}/decisions"), refusal(json!("case_opened"))).await;
        assert_eq!((status, fields(&body)), (422, vec!["section6".to_string()]), "{body}");
        let (status, body) = post(
            s,
            token,
            &format!("/api/v1/households/{}/applications", fixture.household),
            json!({ "case_type": "section6_assistance", "received_on": today }),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let (status, body) = post(s, token, &format!("{url}/decisions"), refusal(json!("case_opened"))).await;
        assert_eq!(status, 200, "{body}");
        let (status, case) = get(s, token, &url).await;
        assert_eq!(status, 200);
        assert_eq!(case["decisions"][0]["section6"], "case_opened", "{case}");
    }
}

/// Boligsosialloven § 6 help, once granted, is ended or changed only by a new decision: the case
/// cannot be closed, a new decision is proposed, approved and sent like the first, and its letter
/// says the help ends (not that an application is refused).
#[tokio::test]
async fn granted_section6_help_ends_only_by_a_new_decision() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let (email, caseworker) = &fixture.users[&Role::Caseworker];
        let approver = &fixture.users[&Role::Approver].1;
        let today = common::today().to_string();
        let (status, case) = post(
            s,
            caseworker,
            &format!("/api/v1/households/{}/applications", fixture.household),
            json!({ "case_type": "section6_assistance", "received_on": today, "form": complete_form() }),
        )
        .await;
        assert_eq!(status, 201, "{case}");
        let id = case["id"].as_str().unwrap().to_string();
        let url = format!("/api/v1/cases/{id}");
        let step = |version: i64, action: &str| json!({ "version": version, "action": action });
        assert_eq!(
            post(s, caseworker, &format!("{url}/actions"), step(1, "start_assessment"))
                .await
                .0,
            200
        );
        let grant = json!({ "version": 2, "outcome": "granted", "granted_text": "Hjelp til å finne bolig", "reasons": "Behovet er dokumentert." });
        let (status, body) = post(s, caseworker, &format!("{url}/decisions"), grant).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            post(
                s,
                approver,
                &format!("{url}/review"),
                json!({ "version": 3, "approve": true })
            )
            .await
            .0,
            200
        );
        let send = |version: i64| json!({ "version": version, "language": "nb", "delivery": "digital", "delivered_on": today });
        let (status, case) = post(s, caseworker, &format!("{url}/send"), send(4)).await;
        assert_eq!((status, case["state"].as_str()), (200, Some("granted")), "{case}");

        // Closing would end the help without a decision: refused, nothing changes.
        let (status, body) = post(s, caseworker, &format!("{url}/actions"), step(5, "close")).await;
        assert!((400..500).contains(&status), "{status} {body}");
        assert_eq!(get(s, caseworker, &url).await.1["case"]["state"], "granted");

        // The letter of the new decision says the help ends.
        let page = common::login(s, email, common::fixture::PASSWORD).await;
        let html = common::page_text(s, &page, &format!("/cases/{id}")).await;
        assert!(
            html.contains("Avslutt eller endre bistanden (nytt vedtak)"),
            "the page offers a new decision"
        );
        let csrf = common::csrf_of(s, &page, &format!("/cases/{id}")).await;
        let preview = page
            .post(s.url(&format!("/cases/{id}/preview")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("language", "nb"),
                ("outcome", "refused"),
                ("reasons", "Husstanden har fått bolig og klarer seg selv."),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(preview.status(), 200);
        let letter = preview.text().await.unwrap();
        assert!(
            letter.contains("avsluttes. Dette vedtaket avløser det forrige vedtaket"),
            "{letter}"
        );
        assert!(!letter.contains("Vi avslår"), "not an answer to an application");

        let end =
            json!({ "version": 5, "outcome": "refused", "reasons": "Husstanden har fått bolig og klarer seg selv." });
        let (status, case) = post(s, caseworker, &format!("{url}/decisions"), end).await;
        assert_eq!(
            (status, case["state"].as_str()),
            (200, Some("decision_proposed")),
            "{case}"
        );
        assert_eq!(
            post(
                s,
                approver,
                &format!("{url}/review"),
                json!({ "version": 6, "approve": true })
            )
            .await
            .0,
            200
        );
        let (status, case) = post(s, caseworker, &format!("{url}/send"), send(7)).await;
        assert_eq!((status, case["state"].as_str()), (200, Some("refused")), "{case}");
        let detail = get(s, caseworker, &url).await.1;
        assert_eq!(detail["letters"].as_array().map(Vec::len), Some(2), "{detail}");
    }
}
