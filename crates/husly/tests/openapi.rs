//! The OpenAPI document against the real API: a scenario calls every documented operation, and
//! every answer — success or error — must have a documented status and match the document's
//! schema for it (JSON Schema 2020-12, as OpenAPI 3.1 uses). The document cannot drift from the
//! code unnoticed, on either backend.

use crate::common;

use common::fixture::{Fixture, prepare};
use common::{Database, Server, start};
use husly_domain::authz::Role;
use reqwest::Method;
use serde_json::{Value, json};
use std::collections::BTreeSet;

/// The document, and what the scenario found.
struct Contract {
    doc: Value,
    called: BTreeSet<String>,
    problems: Vec<String>,
    successes: usize,
    /// Every call and its status, for the failure message.
    log: Vec<String>,
}

impl Contract {
    /// The documented path template a concrete path answers to (`/api/v1/cases/{id}`).
    fn template(&self, method: &Method, path: &str) -> Option<String> {
        let path = path.split('?').next().unwrap_or(path);
        let parts: Vec<&str> = path.split('/').collect();
        self.doc["paths"].as_object()?.iter().find_map(|(template, item)| {
            let pattern: Vec<&str> = template.split('/').collect();
            let fits = pattern.len() == parts.len()
                && pattern
                    .iter()
                    .zip(&parts)
                    .all(|(p, a)| p == a || (p.starts_with('{') && p.ends_with('}')));
            (fits && item.get(method.as_str().to_lowercase()).is_some()).then(|| template.clone())
        })
    }

    /// The schema documented for an operation's answer with `status` and `content_type`.
    fn response_schema(&self, template: &str, method: &Method, status: u16) -> Result<Option<Value>, String> {
        let operation = &self.doc["paths"][template][method.as_str().to_lowercase()];
        let mut response = operation["responses"]
            .get(status.to_string())
            .cloned()
            .ok_or_else(|| format!("{method} {template}: status {status} is not documented"))?;
        if let Some(reference) = response.get("$ref").and_then(Value::as_str) {
            let name = reference.trim_start_matches("#/components/responses/");
            response = self.doc["components"]["responses"][name].clone();
        }
        Ok(response["content"]["application/json"].get("schema").cloned())
    }

    /// Checks one answer against the document.
    fn check(&mut self, method: &Method, path: &str, status: u16, body: &Value) {
        let Some(template) = self.template(method, path) else {
            self.problems.push(format!("{method} {path} is not in the document"));
            return;
        };
        self.called.insert(format!("{method} {template}"));
        let excerpt: String = body.to_string().chars().take(160).collect();
        self.log.push(format!("{status} {method} {path} {excerpt}"));
        let schema = match self.response_schema(&template, method, status) {
            Ok(Some(schema)) => schema,
            Ok(None) => return,
            Err(problem) => {
                self.problems.push(format!("{problem}: {body}"));
                return;
            }
        };
        // The schema's `#/components/…` references resolve against a root that holds them. An
        // answer is held to every documented field and no other: a field added to a response
        // type without its documentation, or documented but never sent, fails here.
        let mut root = schema;
        root["components"] = self.doc["components"].clone();
        closed(&mut root);
        let validator = match jsonschema::validator_for(&root) {
            Ok(validator) => validator,
            Err(e) => {
                self.problems
                    .push(format!("{method} {template} {status}: bad schema: {e}"));
                return;
            }
        };
        for error in validator.iter_errors(body) {
            self.problems.push(format!(
                "{method} {template} {status}: {} at {}",
                error,
                error.instance_path()
            ));
        }
        if (200..300).contains(&status) {
            self.successes += 1;
        }
    }
}

/// Makes every object schema that lists its properties exact: all of them required, no others
/// allowed (unless the schema says otherwise, as maps and open objects do).
fn closed(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                let names: Vec<Value> = properties.keys().map(|k| Value::String(k.clone())).collect();
                map.entry("additionalProperties").or_insert(Value::Bool(false));
                map.entry("required").or_insert(Value::Array(names));
            }
            map.values_mut().for_each(closed);
        }
        Value::Array(items) => items.iter_mut().for_each(closed),
        _ => {}
    }
}

/// One call: JSON in (if any), JSON out (null when not JSON); checked against the document.
async fn call(
    contract: &mut Contract,
    server: &Server,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method.clone(), server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let is_json = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("application/json"));
    let text = response.text().await.expect("body");
    let body = if is_json {
        serde_json::from_str(&text).expect("JSON as declared")
    } else {
        Value::Null
    };
    if is_json || !(200..300).contains(&status) {
        contract.check(&method, path, status, &body);
    } else if let Some(template) = contract.template(&method, path) {
        contract.called.insert(format!("{method} {template}"));
    }
    (status, body)
}

fn complete_form() -> Value {
    json!({
        "current_housing": "private_rental",
        "reasons": ["economy"],
        "economy": [{ "incomes": [["wages", 260000]], "net_wealth_kr": 0 }],
        "lawful_residence": true,
        "registered_in_municipality_since": "2018-01-01",
        "rent_arrears": false,
        "confirmed": true
    })
}

fn household(national_id: &str) -> Value {
    serde_json::to_value(common::fixture::household_input(national_id, "Ola", "Fjellstad")).expect("JSON")
}

async fn scenario(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let approver = f.users[&Role::Approver].1.as_str();
    let admin = f.users[&Role::Admin].1.as_str();
    let today = common::today().to_string();

    // People and households.
    call(contract, s, caseworker, M::GET, "/api/v1/me", None).await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/people?municipality=3301&q=ingrid",
        None,
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/people?municipality=3301&q=4",
        None,
    )
    .await;
    // Bad parameters and bodies answer in the error envelope, naming what is wrong.
    for (path, field) in [
        ("/api/v1/people?municipality=3301&q=ingrid&limit=1000", "limit"),
        ("/api/v1/cases?municipality=3301&limit=many", "limit"),
        ("/api/v1/cases?municipality=3301&offset=-1", "offset"),
        ("/api/v1/cases?municipality=3301&after=side-2", "after"),
        (
            "/api/v1/cases?municipality=3301&sort=reference&before=2026-01-01_x",
            "before",
        ),
        ("/api/v1/cases?municipality=3301&offset=0&after=2026-01-01_x", "after"),
    ] {
        let (status, body) = call(contract, s, caseworker, M::GET, path, None).await;
        assert_eq!(
            (status, body["error"]["fields"][0]["field"].as_str()),
            (422, Some(field)),
            "{path}: {body}"
        );
    }
    let review = format!("/api/v1/cases/{}/review", f.case);
    let (status, body) = call(
        contract,
        s,
        approver,
        M::POST,
        &review,
        Some(json!({ "approve": true })),
    )
    .await;
    assert_eq!(
        (status, body["error"]["fields"][0]["field"].as_str()),
        (422, Some("version")),
        "{body}"
    );
    let huge = json!({ "address_line": "x".repeat(70 * 1024) });
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/households?municipality=3301",
        Some(huge),
    )
    .await;
    assert_eq!(status, 413);
    call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/people/{}", f.person),
        None,
    )
    .await;
    let new_id = common::synthetic_id(1980, 5, 17, 321);
    let (_, created) = call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/households?municipality=3301",
        Some(household(&new_id)),
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/households?municipality=3301",
        Some(json!({})),
    )
    .await;
    let household_url = format!("/api/v1/households/{}", created["id"].as_str().unwrap_or_default());
    call(contract, s, caseworker, M::GET, &household_url, None).await;
    call(
        contract,
        s,
        caseworker,
        M::PUT,
        &household_url,
        Some(json!({ "version": 1, "reason": "Ny adresse", "household": household(&new_id) })),
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("{household_url}/timeline"),
        None,
    )
    .await;

    // The household's economy: incomes verified per member, bostøtte from a date.
    let person = created["members"][0]["person"]["id"].clone();
    let incomes = json!({ "incomes": [{ "person_id": person, "kind": "wages", "annual_ore": 31_000_000 }] });
    let (status, economy) = call(
        contract,
        s,
        caseworker,
        M::PUT,
        &format!("{household_url}/economy/incomes"),
        Some(incomes),
    )
    .await;
    assert_eq!(status, 200, "{economy}");
    assert_eq!(economy["incomes"][0]["annual_ore"], 31_000_000);
    let twice = json!({ "incomes": [
        { "person_id": person, "kind": "wages", "annual_ore": 1 },
        { "person_id": person, "kind": "wages", "annual_ore": 2 }
    ] });
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::PUT,
        &format!("{household_url}/economy/incomes"),
        Some(twice),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"]["fields"][0]["field"], "incomes[1].kind", "{refused}");
    let (status, economy) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{household_url}/economy/bostotte"),
        Some(json!({ "from_date": "2026-06-01" })),
    )
    .await;
    assert_eq!(status, 201, "{economy}");
    assert_eq!(economy["benefits"][0]["benefit"], "bostotte");
    call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{household_url}/economy/bostotte"),
        Some(json!({ "from_date": "31.02.2026" })),
    )
    .await;
    let (_, economy) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("{household_url}/economy"),
        None,
    )
    .await;
    assert_eq!(
        economy["incomes"].as_array().map(Vec::len),
        Some(1),
        "the refused change left nothing"
    );

    // A case from registration to the appeal body.
    let (_, case) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{household_url}/applications"),
        Some(json!({ "case_type": "municipal_housing", "received_on": today, "form": complete_form() })),
    )
    .await;
    let url = format!("/api/v1/cases/{}", case["id"].as_str().unwrap_or_default());
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/cases?municipality=3301&filter=open",
        None,
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/cases?municipality=3301&filter=x",
        None,
    )
    .await;
    call(contract, s, caseworker, M::GET, &url, None).await;
    call(contract, s, caseworker, M::GET, &format!("{url}/timeline"), None).await;
    let (status, workload) = call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/cases/workload?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 200, "{workload}");

    // A task on the case: given, refused without a title, done, done again (409), open again.
    let tasks = format!("{url}/tasks");
    let soon = (common::today() + time::Duration::days(30)).to_string();
    let task = json!({ "title": "Ring søkeren om lønnsslipp", "due_on": soon });
    let (status, given) = call(contract, s, caseworker, M::POST, &tasks, Some(task)).await;
    assert_eq!(status, 201, "{given}");
    let task_url = format!("{tasks}/{}", given["tasks"][0]["id"].as_str().unwrap_or_default());
    let untitled = json!({ "title": "", "due_on": soon });
    assert_eq!(
        call(contract, s, caseworker, M::POST, &tasks, Some(untitled)).await.0,
        422
    );
    for (done, expected) in [(true, 200), (true, 409), (false, 200)] {
        let (status, _) = call(
            contract,
            s,
            caseworker,
            M::PUT,
            &task_url,
            Some(json!({ "done": done })),
        )
        .await;
        assert_eq!(status, expected, "done: {done}");
    }
    let (_, listed) = call(contract, s, caseworker, M::GET, &tasks, None).await;
    assert!(listed["tasks"][0]["done_at"].is_null(), "{listed}");

    // The KOSTRA main reason: the applicant ticked economy, which suggests "other"; the
    // caseworker classifies, an unknown category is refused by field, the approver may not.
    let (_, before) = call(contract, s, caseworker, M::GET, &url, None).await;
    assert_eq!(before["kostra"]["suggested"], "other", "{before}");
    assert!(before["kostra"]["category"].is_null(), "{before}");
    let kostra = format!("{url}/kostra-category");
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::PUT,
        &kostra,
        Some(json!({ "category": "economy" })),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "category", "{refused}");
    let (status, classified) = call(
        contract,
        s,
        caseworker,
        M::PUT,
        &kostra,
        Some(json!({ "category": "refugee" })),
    )
    .await;
    assert_eq!(status, 200, "{classified}");
    assert_eq!(classified["category"], "refugee");
    assert_eq!(classified["suggested"], "other");
    assert!(classified["classified_at"].is_i64(), "{classified}");
    let (status, _) = call(
        contract,
        s,
        approver,
        M::PUT,
        &kostra,
        Some(json!({ "category": "other" })),
    )
    .await;
    assert_eq!(status, 403);

    // Journal notes on the case and the household: one kept, one refused (no text).
    for notes in [format!("{url}/notes"), format!("{household_url}/notes")] {
        let note = json!({ "text": "Ringte søker; lønnsslipp kommer.", "visibility": "case_handling" });
        let (status, kept) = call(contract, s, caseworker, M::POST, &notes, Some(note)).await;
        assert_eq!(status, 201, "{kept}");
        assert_eq!(kept["notes"][0]["visibility"], "case_handling");
        let empty = json!({ "text": "  ", "visibility": "everyone" });
        let (status, _) = call(contract, s, caseworker, M::POST, &notes, Some(empty)).await;
        assert_eq!(status, 422);
        let (_, read) = call(contract, s, caseworker, M::GET, &notes, None).await;
        assert_eq!(read["notes"].as_array().map(Vec::len), Some(1));
    }
    // Temporary accommodation: a stay recorded, one sharing a night refused on `from`, the
    // first ended, listed, and the year's figures.
    let stays = format!("{household_url}/stays");
    let from = (common::today() - time::Duration::days(20)).to_string();
    let (status, recorded) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &stays,
        Some(json!({ "place": "Hospitset", "from": from, "with_children": true })),
    )
    .await;
    assert_eq!(status, 201, "{recorded}");
    assert!(recorded["stays"][0]["to"].is_null(), "{recorded}");
    let (status, overlap) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &stays,
        Some(json!({ "place": "Campingen", "from": common::today().to_string() })),
    )
    .await;
    assert_eq!(status, 422, "{overlap}");
    assert_eq!(overlap["error"]["fields"][0]["field"], "from", "{overlap}");
    let stay_id = recorded["stays"][0]["id"].as_str().unwrap_or_default().to_string();
    let (status, ended) = call(
        contract,
        s,
        caseworker,
        M::PUT,
        &format!("{stays}/{stay_id}/end"),
        Some(json!({ "to": (common::today() - time::Duration::days(10)).to_string(), "end_reason": "municipal_dwelling" })),
    )
    .await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["stays"][0]["short"], true, "{ended}");
    let (status, _) = call(contract, s, caseworker, M::GET, &stays, None).await;
    assert_eq!(status, 200);
    let (status, _) = call(contract, s, caseworker, M::GET, "/api/v1/stays?municipality=3301", None).await;
    assert_eq!(status, 200);
    // The year the stay began (the stay lies in it whatever today's date).
    let year = (common::today() - time::Duration::days(20)).year();
    let (status, figures) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/stays/figures?municipality=3301&year={year}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{figures}");
    assert!(
        figures["households_with_children"].as_i64().unwrap_or_default() >= 1,
        "{figures}"
    );
    // Follow-up in the home: a plan started (a second is a conflict), changed, a measure agreed
    // and done, a visit and a complaint logged, the caseload read, the plan closed and reopened.
    let follow_up = format!("{household_url}/follow-up");
    let worker = f.users[&Role::FollowUpWorker].1.as_str();
    let review_on = (common::today() + time::Duration::days(60)).to_string();
    let plan = json!({ "goals": "Beholde boligen", "responsible": f.follow_up_worker, "review_on": review_on,
        "partner_kind": "nav", "partner_name": "NAV Drammen" });
    let (status, started) = call(
        contract,
        s,
        worker,
        M::POST,
        &format!("{follow_up}/plans"),
        Some(plan.clone()),
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let (status, _) = call(contract, s, worker, M::POST, &format!("{follow_up}/plans"), Some(plan)).await;
    assert_eq!(status, 409);
    let plan_id = started["plans"][0]["id"].as_str().unwrap_or_default().to_string();
    let plan_url = format!("{follow_up}/plans/{plan_id}");
    let changed = json!({ "version": 1, "goals": "Beholde boligen og betale husleien",
        "responsible": f.follow_up_worker, "review_on": review_on });
    let (status, body) = call(contract, s, worker, M::PUT, &plan_url, Some(changed)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["plans"][0]["partner_kind"], Value::Null, "{body}");
    let measure = json!({ "version": 2, "text": "Søke bostøtte", "owner": "Husstanden" });
    let (status, body) = call(
        contract,
        s,
        worker,
        M::POST,
        &format!("{plan_url}/measures"),
        Some(measure),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let measure_id = body["plans"][0]["measures"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (status, body) = call(
        contract,
        s,
        worker,
        M::PUT,
        &format!("{plan_url}/measures/{measure_id}"),
        Some(json!({ "version": 3, "status": "done" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for entry in [
        json!({ "kind": "home_visit", "outcome": "held", "occurred_on": common::today().to_string(), "note": "Alt vel" }),
        json!({ "kind": "neighbour_complaint", "occurred_on": common::today().to_string(), "note": "Bråk" }),
    ] {
        let (status, body) = call(
            contract,
            s,
            worker,
            M::POST,
            &format!("{follow_up}/entries"),
            Some(entry),
        )
        .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, caseload) = call(
        contract,
        s,
        worker,
        M::GET,
        "/api/v1/follow-up/caseload?municipality=3301&scope=all",
        None,
    )
    .await;
    assert_eq!(status, 200, "{caseload}");
    assert_eq!(
        caseload["households"][0]["signals"][0]["kind"], "neighbour_complaints",
        "{caseload}"
    );
    let (status, body) = call(
        contract,
        s,
        worker,
        M::POST,
        &format!("{plan_url}/close"),
        Some(json!({ "version": 4, "reason": "goals_reached" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(
        contract,
        s,
        worker,
        M::POST,
        &format!("{plan_url}/reopen"),
        Some(json!({ "version": 5, "reason": "Trenger hjelp igjen" })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = call(contract, s, worker, M::GET, &follow_up, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["plans"][0]["state"], "active", "{body}");
    // KOSTRA skjema 13: the caseworker gets the cases behind each warning, the leader counts only.
    let kostra = format!("/api/v1/kostra/{year}?municipality=3301");
    let (status, form) = call(contract, s, caseworker, M::GET, &kostra, None).await;
    assert_eq!(status, 200, "{form}");
    assert!(form["warnings"][0]["cases"].is_array(), "{form}");
    let leader = f.users[&Role::Leader].1.as_str();
    let (status, form) = call(contract, s, leader, M::GET, &kostra, None).await;
    assert_eq!(status, 200, "{form}");
    assert!(form["warnings"][0]["cases"].is_null(), "{form}");
    let (status, refused) = call(
        contract,
        s,
        leader,
        M::GET,
        "/api/v1/kostra/1999?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    // Equity: the tables of the year's applications, suppressed.
    let (status, equity) = call(
        contract,
        s,
        leader,
        M::GET,
        &format!("/api/v1/equity/{year}?municipality=3301"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{equity}");
    assert_eq!(equity["tables"].as_array().map(Vec::len), Some(2), "{equity}");

    // The party's representative: a bad one refused by field, one registered, a second refused
    // while it acts (what the letters then say is checked in the cases test).
    let representatives = format!("{household_url}/representatives");
    let bad = json!({ "kind": "advokat", "name": "", "address_line": "Postboks 12", "postal_code": "3001", "postal_city": "Drammen", "authority_from": "2026-01-01" });
    let (status, refused) = call(contract, s, caseworker, M::POST, &representatives, Some(bad)).await;
    assert_eq!(status, 422, "{refused}");
    let fullmektig = json!({ "kind": "fullmektig", "name": "Tone Tillit", "organisation": "Advokatfirmaet Tillit", "address_line": "Postboks 12", "postal_code": "3001", "postal_city": "Drammen", "authority_from": "2026-01-01", "copy_to_party": true });
    let (status, kept) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &representatives,
        Some(fullmektig.clone()),
    )
    .await;
    assert_eq!(status, 201, "{kept}");
    assert_eq!(kept["representatives"][0]["acting"], true);
    let (status, _) = call(contract, s, caseworker, M::POST, &representatives, Some(fullmektig)).await;
    assert_eq!(status, 422, "one acts at a time");
    let (_, read) = call(contract, s, caseworker, M::GET, &representatives, None).await;
    assert_eq!(read["representatives"].as_array().map(Vec::len), Some(1));
    let representative = read["representatives"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{url}/assignment"),
        Some(json!({ "version": 1, "take": true, "assign_to": "01900000-0000-7000-8000-000000000001" })),
    )
    .await;
    assert_eq!(status, 422, "take or assign_to, not both");
    let steps: Vec<(M, String, &str, Value)> = vec![
        (
            M::POST,
            format!("{url}/assignment"),
            caseworker,
            json!({ "version": 1, "take": true }),
        ),
        (
            M::POST,
            format!("{url}/actions"),
            caseworker,
            json!({ "version": 2, "action": "start_assessment" }),
        ),
        (
            M::POST,
            format!("{url}/actions"),
            caseworker,
            json!({ "version": 2, "action": "start_assessment" }),
        ),
        (
            M::PUT,
            format!("{url}/application"),
            caseworker,
            json!({ "version": 3, "form": complete_form() }),
        ),
        (
            M::POST,
            format!("{url}/overrides"),
            caseworker,
            json!({ "version": 4, "rule": "other_instruments", "outcome": "met", "reason": "Vurdert" }),
        ),
        (
            M::POST,
            format!("{url}/decision-preview"),
            caseworker,
            json!({ "language": "nn", "outcome": "partly_granted", "reasons": "Delvis innvilget.", "granted_text": "Oppfølging" }),
        ),
        (
            M::POST,
            format!("{url}/interim-answer"),
            caseworker,
            json!({ "version": 5, "expected_by": "2099-01-01", "reason": "Venter på opplysninger" }),
        ),
        (
            M::POST,
            format!("{url}/decisions"),
            caseworker,
            json!({ "version": 6, "outcome": "granted", "reasons": "Behov", "granted_text": "Plass på ventelisten" }),
        ),
        (
            M::POST,
            format!("{url}/review"),
            caseworker,
            json!({ "version": 7, "approve": true }),
        ),
        (
            M::POST,
            format!("{url}/review"),
            approver,
            json!({ "version": 7, "approve": true }),
        ),
        (
            M::POST,
            format!("{url}/send"),
            caseworker,
            json!({ "version": 8, "language": "nb", "delivery": "digital", "delivered_on": today }),
        ),
        (
            M::POST,
            format!("{url}/appeals"),
            caseworker,
            json!({ "version": 9, "appeal_sent_on": today, "appeal_channel": "post" }),
        ),
        (
            M::POST,
            format!("{url}/appeals/forward"),
            caseworker,
            json!({ "version": 10 }),
        ),
        (
            M::POST,
            format!("{url}/appeals/outcome"),
            caseworker,
            json!({ "version": 11, "outcome": "upheld" }),
        ),
        (
            M::POST,
            format!("{url}/flags/01900000-0000-7000-8000-000000000000"),
            caseworker,
            json!({ "resolution": "dismiss", "reason": "x" }),
        ),
    ];
    for (method, path, token, body) in steps {
        call(contract, s, token, method, &path, Some(body)).await;
    }
    let (_, detail) = call(contract, s, caseworker, M::GET, &url, None).await;
    let letter = detail["letters"][0]["id"].as_str().unwrap_or_default().to_string();
    call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("{url}/letters/{letter}"),
        None,
    )
    .await;
    // Ended: letters go to the party again; ending twice is refused.
    let end = format!("{representatives}/{representative}/end");
    let (status, ended) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &end,
        Some(json!({ "reason": "Fullmakten er trukket tilbake" })),
    )
    .await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["representatives"][0]["acting"], false);
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &end,
        Some(json!({ "reason": "igjen" })),
    )
    .await;
    assert_eq!(status, 422);

    // Documents of the fixture's case.
    let case_url = format!("/api/v1/cases/{}", f.case);
    call(contract, s, caseworker, M::GET, &format!("{case_url}/documents"), None).await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("{case_url}/documents/{}", f.document),
        None,
    )
    .await;
    let part = reqwest::multipart::Part::bytes(b"%PDF-1.4 kontrakt".to_vec()).file_name("kontrakt.pdf");
    let response = reqwest::Client::new()
        .post(s.url(&format!("{case_url}/documents")))
        .bearer_auth(caseworker)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .expect("upload");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    contract.check(&M::POST, &format!("{case_url}/documents"), status, &body);

    // A grant case: economy, decision, payment, ledger; the budget.
    let (_, grant) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{household_url}/applications"),
        Some(json!({ "case_type": "adaptation_grant", "received_on": today, "form": complete_form() })),
    )
    .await;
    let grant_url = format!("/api/v1/cases/{}", grant["id"].as_str().unwrap_or_default());
    let economy = json!({ "kind": "grant", "grant": "adaptation", "purpose": "Rampe", "cost_kr": 50000, "applied_kr": 40000, "tenure": "owner" });
    let grant_steps: Vec<(M, String, &str, Value)> = vec![
        (
            M::PUT,
            "/api/v1/grants/budget/2026/adaptation".into(),
            approver,
            json!({ "allocated_kr": 1000000 }),
        ),
        (
            M::PUT,
            format!("{grant_url}/finance"),
            caseworker,
            json!({ "version": 1, "finance": economy }),
        ),
        (
            M::POST,
            format!("{grant_url}/actions"),
            caseworker,
            json!({ "version": 2, "action": "start_assessment" }),
        ),
        (
            M::POST,
            format!("{grant_url}/decisions"),
            caseworker,
            json!({ "version": 3, "outcome": "granted", "reasons": "Behov", "granted_text": "Rampe", "amount_kr": 40000 }),
        ),
        (
            M::POST,
            format!("{grant_url}/review"),
            approver,
            json!({ "version": 4, "approve": true }),
        ),
        (
            M::POST,
            format!("{grant_url}/send"),
            caseworker,
            json!({ "version": 5, "language": "nb", "delivery": "paper" }),
        ),
        (
            M::POST,
            format!("{grant_url}/payments"),
            caseworker,
            json!({ "version": 6, "amount_kr": 99999999, "paid_on": today }),
        ),
        (
            M::POST,
            format!("{grant_url}/payments"),
            caseworker,
            json!({ "version": 6, "amount_kr": 10000, "paid_on": today }),
        ),
    ];
    for (method, path, token, body) in grant_steps {
        call(contract, s, token, method, &path, Some(body)).await;
    }
    call(contract, s, caseworker, M::GET, &format!("{grant_url}/ledger"), None).await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/grants/budget?municipality=3301&year=2026",
        None,
    )
    .await;

    // The reference budget (SIFO): read, a bad save, a good save; the calculator then uses it.
    let (_, budgets) = call(contract, s, admin, M::GET, "/api/v1/reference-budgets", None).await;
    let amounts = |keys: &Value, ore: i64, step: i64| -> Value {
        keys.as_array()
            .map(|keys| {
                keys.iter()
                    .enumerate()
                    .map(|(i, k)| (k.as_str().unwrap_or_default().to_string(), json!(ore + step * i as i64)))
                    .collect::<serde_json::Map<String, Value>>()
            })
            .unwrap_or_default()
            .into()
    };
    let table = json!({
        "expected_version": 0, "valid_from": "2026-01-01", "label": "Eksempeltall",
        "individual_ore": amounts(&budgets["layout"]["individual_keys"], 550_000, 0),
        "household_ore": amounts(&budgets["layout"]["household_keys"], 250_000, 80_000),
    });
    let mut bad = table.clone();
    bad["label"] = json!("");
    call(contract, s, admin, M::PUT, "/api/v1/reference-budgets", Some(bad)).await;
    call(contract, s, admin, M::PUT, "/api/v1/reference-budgets", Some(table)).await;
    call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/calculators/startlan?municipality=3301",
        Some(json!({ "month": "2026-06",
                     "household": { "adults": 2, "couple": true, "children_ages": [7],
                                    "members": [{ "age": 40, "sex": "male" }, { "age": 38 }, { "sex": "female" }] },
                     "income_after_tax_kr": 55000,
                     "loans": { "startlan": { "principal_kr": 2500000, "term_years": 30, "kind": "annuity" } } })),
    )
    .await;

    // Calculators, outreach and the access log.
    call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/calculators/bostotte",
        Some(json!({
            "month": "2026-07", "kommunenummer": "0301",
            "members": [{ "birth_date": "1988-02-10", "incomes": [{ "kind": "wages", "annual_kr": 310000 }] }],
            "housing": { "tenure": "rent", "annual_rent_kr": 168000, "heating_included": false }
        })),
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/calculators/startlan",
        Some(
            json!({ "month": "2026-06", "household": { "adults": 1, "couple": false, "children_ages": [] },
                     "income_after_tax_kr": 30000,
                     "loans": { "startlan": { "principal_kr": 2000000, "term_years": 30, "kind": "annuity" } } }),
        ),
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/outreach/bostotte?municipality=3301&month=2026-07",
        None,
    )
    .await;
    call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/outreach/bostotte/make?municipality=3301&month=2026-07",
        None,
    )
    .await;
    // A contact with a household from this month's list: a bad one named, recorded, read, removed.
    let contacts = format!("/api/v1/households/{}/outreach-contacts", f.household);
    let today = common::today().to_string();
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &contacts,
        Some(json!({ "contacted_on": "2999-01-01", "channel": "phone", "outcome": "will_apply" })),
    )
    .await;
    assert_eq!(status, 422);
    let (status, recorded) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &contacts,
        Some(json!({ "contacted_on": today, "channel": "phone", "outcome": "will_apply", "note": "Vil ha hjelp" })),
    )
    .await;
    assert_eq!(status, 200, "{recorded}");
    call(contract, s, caseworker, M::GET, &contacts, None).await;
    let id = recorded["contact"]["id"].as_str().unwrap().to_string();
    let (status, _) = call(contract, s, caseworker, M::DELETE, &format!("{contacts}/{id}"), None).await;
    assert_eq!(status, 204);
    call(
        contract,
        s,
        admin,
        M::GET,
        "/api/v1/audit?municipality=3301&limit=5",
        None,
    )
    .await;
    action_plan(contract, s, f).await;
    dwellings(contract, s, f).await;
    rounds(contract, s, f).await;
    partners(contract, s, f).await;
    referrals(contract, s, f).await;
    meetings(contract, s, f).await;
    protection(contract, s, f).await;
}

/// The follow-up plan the scenario started due for review in three days, the
/// night's reminders raised: the follow-up worker lists and marks theirs done, is refused marking
/// it done again (422) and from a stale version (409), and opens it again; the caseworker, whom
/// it is not for, does not find it.
async fn reminders(contract: &mut Contract, s: &Server, f: &Fixture, db_url: &str) {
    use Method as M;
    let store = husly_store::Store::connect(db_url, &husly_store::StoreOptions::default())
        .await
        .unwrap();
    let review_on = (common::today() + time::Duration::days(3)).to_string();
    let moved =
        sqlx::query("UPDATE follow_up_plan SET review_on = $1 WHERE responsible_user_id = $2 AND state = 'active'")
            .bind(&review_on)
            .bind(f.follow_up_worker.to_string())
            .execute(store.pool())
            .await
            .unwrap();
    assert_eq!(moved.rows_affected(), 1, "the scenario's plan is active");
    let run = husly_usecases::reminders::raise_reminders(&store, common::today())
        .await
        .unwrap();
    assert_eq!(run.raised, 1);
    let worker = f.users[&Role::FollowUpWorker].1.as_str();
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let (status, list) = call(contract, s, worker, M::GET, "/api/v1/reminders?municipality=3301", None).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["open"], 1, "{list}");
    assert_eq!(list["reminders"][0]["kind"], "plan_review", "{list}");
    let id = list["reminders"][0]["id"].as_str().unwrap().to_string();
    let mark = format!("/api/v1/reminders/{id}?municipality=3301");
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &mark,
        Some(json!({ "state": "done", "version": 1 })),
    )
    .await;
    assert_eq!(status, 404, "not the caseworker's reminder");
    let (status, done) = call(
        contract,
        s,
        worker,
        M::POST,
        &mark,
        Some(json!({ "state": "done", "version": 1 })),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["open"], 0, "{done}");
    assert_eq!(done["reminders"][0]["state"], "done", "{done}");
    let (status, again) = call(
        contract,
        s,
        worker,
        M::POST,
        &mark,
        Some(json!({ "state": "done", "version": 2 })),
    )
    .await;
    assert_eq!(status, 422, "already done: {again}");
    let (status, _) = call(
        contract,
        s,
        worker,
        M::POST,
        &mark,
        Some(json!({ "state": "open", "version": 1 })),
    )
    .await;
    assert_eq!(status, 409, "a stale version");
    let (status, open) = call(
        contract,
        s,
        worker,
        M::POST,
        &mark,
        Some(json!({ "state": "open", "version": 2 })),
    )
    .await;
    assert_eq!(status, 200, "{open}");
    assert_eq!(open["open"], 1, "{open}");
}

/// A meeting recorded by the unit with an action for the partner and one for the unit (after a
/// refused one), both queues read, each owner marking its own action done, the unit opening its
/// own again, the partner refused on the unit's action, and a meeting recorded by the partner.
async fn meetings(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let partner = f.users[&Role::Partner].1.as_str();
    let today = common::today().to_string();
    let due = (common::today() + time::Duration::days(14)).to_string();
    let list = format!("/api/v1/households/{}/meetings", f.household);
    let tomorrow = (common::today() + time::Duration::days(1)).to_string();
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &list,
        Some(json!({ "kind": "collaboration", "held_on": tomorrow, "summary": "Plan" })),
    )
    .await;
    assert_eq!(status, 422, "a meeting not yet held: {refused}");
    let (status, meeting) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &list,
        Some(json!({
            "kind": "responsibility_group", "held_on": today, "summary": "Restansen og vinteren.",
            "household_present": true, "others": "Fastlegen",
            "actions": [
                { "description": "Vurdere hjelp til restansen", "owner": f.partner_organisation, "due_on": due },
                { "description": "Hjemmebesøk", "owner": "unit", "due_on": due },
            ],
        })),
    )
    .await;
    assert_eq!(status, 201, "{meeting}");
    assert_eq!(
        meeting["organisations"][0]["organisation_id"],
        f.partner_organisation.as_str()
    );
    let partner_action = meeting["actions"][0]["id"].as_str().unwrap().to_string();
    let unit_action = meeting["actions"][1]["id"].as_str().unwrap().to_string();
    call(contract, s, caseworker, M::GET, &list, None).await;
    let (_, queue) = call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/referrals?municipality=3301",
        None,
    )
    .await;
    assert!(
        queue["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == unit_action.as_str()),
        "{queue}"
    );
    let (_, queue) = call(contract, s, partner, M::GET, "/api/v1/partner/referrals", None).await;
    assert!(
        queue["actions"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["id"] == partner_action.as_str()),
        "{queue}"
    );
    let door = format!("/api/v1/partner/households/{}/meetings", f.household);
    let (status, refused) = call(
        contract,
        s,
        partner,
        M::POST,
        &format!("{door}/actions/{unit_action}"),
        Some(json!({ "state": "done" })),
    )
    .await;
    assert_eq!(status, 422, "not the partner's action: {refused}");
    let (status, done) = call(
        contract,
        s,
        partner,
        M::POST,
        &format!("{door}/actions/{partner_action}"),
        Some(json!({ "state": "done", "outcome": "Innvilget." })),
    )
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["state"], "done");
    let own = format!("{list}/actions/{unit_action}");
    let (status, _) = call(contract, s, caseworker, M::POST, &own, Some(json!({ "state": "done" }))).await;
    assert_eq!(status, 200);
    let (status, reopened) = call(contract, s, caseworker, M::POST, &own, Some(json!({ "state": "open" }))).await;
    assert_eq!(status, 200);
    assert_eq!(reopened["state"], "open");
    let (status, recorded) = call(
        contract,
        s,
        partner,
        M::POST,
        &door,
        Some(json!({ "kind": "collaboration", "held_on": today, "summary": "Hjemmebesøk med NAV." })),
    )
    .await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(
        recorded["recorded_for"]["organisation_id"],
        f.partner_organisation.as_str()
    );
}

/// A referral from the unit to the fixture's partner, accepted and completed; one from the
/// partner to the unit, declined; and one to oneself refused.
async fn referrals(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let partner = f.users[&Role::Partner].1.as_str();
    let due = (common::today() + time::Duration::days(14)).to_string();
    let list = format!("/api/v1/households/{}/referrals", f.household);
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &list,
        Some(json!({ "to": "unit", "purpose": "Husleie", "request": "Se på restansen", "due_on": due })),
    )
    .await;
    assert_eq!(status, 422, "a referral to oneself: {refused}");
    let (status, sent) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &list,
        Some(json!({ "to": f.partner_organisation, "purpose": "Husleierestanse", "request": "Vurder hjelp til restansen for oktober.", "due_on": due })),
    )
    .await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["state"], "sent");
    let id = sent["id"].as_str().unwrap().to_string();
    call(contract, s, caseworker, M::GET, &list, None).await;
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/referrals?municipality=3301",
        None,
    )
    .await;
    let (_, queue) = call(contract, s, partner, M::GET, "/api/v1/partner/referrals", None).await;
    assert!(
        queue["referrals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == id.as_str()),
        "{queue}"
    );
    let door = format!("/api/v1/partner/households/{}/referrals", f.household);
    let (status, accepted) = call(
        contract,
        s,
        partner,
        M::POST,
        &format!("{door}/{id}/answer"),
        Some(json!({ "step": "accept" })),
    )
    .await;
    assert_eq!(status, 200, "{accepted}");
    let (status, done) = call(
        contract,
        s,
        partner,
        M::POST,
        &format!("{door}/{id}/answer"),
        Some(json!({ "step": "complete", "text": "Innvilget engangsstønad." })),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(done["state"], "completed");
    let (status, back) = call(
        contract,
        s,
        partner,
        M::POST,
        &door,
        Some(json!({ "to": "unit", "purpose": "Bytte av bolig", "request": "Familien trenger et soverom til.", "due_on": due })),
    )
    .await;
    assert_eq!(status, 201, "{back}");
    let back_id = back["id"].as_str().unwrap();
    let (status, declined) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{list}/{back_id}/answer"),
        Some(json!({ "step": "decline", "text": "Søknad om bytte må sendes på eget skjema." })),
    )
    .await;
    assert_eq!(status, 200, "{declined}");
    assert_eq!(declined["state"], "declined");
}

/// An address block recorded, the household seen masked, the address opened for a purpose,
/// and the block lifted.
async fn protection(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let guardian = f.users[&Role::ProtectedAddresses].1.as_str();
    let blocks = format!("/api/v1/households/{}/protection", f.household);
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &blocks,
        Some(json!({ "person_id": f.person.to_string(), "level": "strengt_fortrolig", "reason": "Melding fra politiet" })),
    )
    .await;
    assert_eq!(status, 422, "strengt fortrolig needs a contact route: {refused}");
    let (status, recorded) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &blocks,
        Some(
            json!({ "person_id": f.person.to_string(), "level": "fortrolig", "reason": "Melding fra Folkeregisteret" }),
        ),
    )
    .await;
    assert_eq!(status, 201, "{recorded}");
    assert_eq!(recorded["level"], "fortrolig");
    let (_, household) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/households/{}", f.household),
        None,
    )
    .await;
    assert_eq!(household["address_line"], "", "masked: {household}");
    assert_eq!(household["address_protection"], "fortrolig");
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{blocks}/reveal"),
        Some(json!({ "purpose": "home_visit" })),
    )
    .await;
    assert_eq!(status, 403, "the caseworker has no access to protected addresses");
    let (status, opened) = call(
        contract,
        s,
        guardian,
        M::POST,
        &format!("{blocks}/reveal"),
        Some(json!({ "purpose": "home_visit" })),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        opened["stored"].as_bool().unwrap() && opened["address_line"] != "",
        "{opened}"
    );
    call(contract, s, caseworker, M::GET, &blocks, None).await;
    let (status, lifted) = call(
        contract,
        s,
        guardian,
        M::POST,
        &format!("{blocks}/{}/lift", f.person),
        Some(json!({ "reason": "Sperren er opphevet i Folkeregisteret" })),
    )
    .await;
    assert_eq!(status, 200, "{lifted}");
    assert!(lifted["level"].is_null());
}

/// Partner organisations, a consent recorded and withdrawn, and the partner's door.
async fn partners(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let admin = f.users[&Role::Admin].1.as_str();
    let partner = f.users[&Role::Partner].1.as_str();
    let today = common::today();
    let (status, _) = call(
        contract,
        s,
        admin,
        M::POST,
        "/api/v1/partners?municipality=3301",
        Some(json!({ "name": "Bo-teamet", "kind": "voluntary_team" })),
    )
    .await;
    assert_eq!(status, 422, "the name is taken");
    let (status, organisations) = call(
        contract,
        s,
        admin,
        M::POST,
        "/api/v1/partners?municipality=3301",
        Some(json!({ "name": "NAV Drammen", "kind": "nav" })),
    )
    .await;
    assert_eq!(status, 201, "{organisations}");
    call(contract, s, admin, M::GET, "/api/v1/partners?municipality=3301", None).await;
    let (status, _) = call(
        contract,
        s,
        admin,
        M::PUT,
        "/api/v1/partners/memberships?municipality=3301",
        Some(json!({ "user_id": f.target_user.to_string(), "organisation_id": null })),
    )
    .await;
    assert_eq!(status, 200);
    let consents = format!("/api/v1/households/{}/consents", f.household);
    let (status, recorded) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &consents,
        Some(json!({
            "person_id": f.person.to_string(), "organisation_id": f.partner_organisation,
            "purpose": "Oppfølging i hjemmet", "categories": ["follow_up"],
            "valid_from": today.to_string(), "valid_to": (today + time::Duration::days(90)).to_string(),
            "evidence": "meeting", "given_by": "guardian", "guardian": "Verge Vigdis Dahl"
        })),
    )
    .await;
    assert_eq!(status, 201, "{recorded}");
    call(contract, s, caseworker, M::GET, &consents, None).await;
    call(contract, s, partner, M::GET, "/api/v1/partner/households", None).await;
    let door = format!("/api/v1/partner/households/{}", f.household);
    call(contract, s, partner, M::GET, &door, None).await;
    let (status, _) = call(
        contract,
        s,
        partner,
        M::GET,
        &format!("{door}/documents/{}", f.document),
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = call(
        contract,
        s,
        partner,
        M::POST,
        &format!("{door}/follow-up/entries"),
        Some(json!({ "kind": "phone_call", "occurred_on": today.to_string(), "note": "Ringte om husleien" })),
    )
    .await;
    assert_eq!(status, 201);
    let id = recorded["consents"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{consents}/{id}/withdraw"),
        Some(json!({ "reason": "Ringte og trakk samtykket" })),
    )
    .await;
    assert_eq!(status, 200);
}

/// An allocation round from start to end, and the fixture's offer answered, reopened and
/// withdrawn.
async fn rounds(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let (status, started) = call(
        contract,
        s,
        caseworker,
        M::POST,
        "/api/v1/allocation/rounds?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 201, "{started}");
    let id = started["id"].as_str().unwrap().to_string();
    assert!(started["seed"].is_null(), "secret before the draw: {started}");
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/allocation/rounds/{id}/draw"),
        None,
    )
    .await;
    assert_eq!(status, 422, "nothing is published before the draw");
    let version = started["version"].as_i64().unwrap();
    let (status, drawn) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("/api/v1/allocation/rounds/{id}/draw"),
        Some(json!({ "version": version })),
    )
    .await;
    assert_eq!(status, 200, "{drawn}");
    let (status, published) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/allocation/rounds/{id}/draw"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{published}");
    let published: husly_domain::allocation::draw::PublishedDraw = serde_json::from_value(published).unwrap();
    assert_eq!(husly_domain::allocation::draw::verify(&published), Ok(()));
    let (status, read) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/allocation/rounds/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{read}");
    assert_eq!(read["seed"], published.seed.to_hex(), "revealed after the draw");
    let line = drawn["lines"][0]["dwelling_id"].as_str().unwrap().to_string();
    let version = drawn["version"].as_i64().unwrap();
    let (status, overridden) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("/api/v1/allocation/rounds/{id}/lines/{line}"),
        Some(json!({ "version": version, "reason": "Boligen skal pusses opp først" })),
    )
    .await;
    assert_eq!(status, 200, "{overridden}");
    assert!(overridden["lines"][0]["case_id"].is_null(), "{overridden}");
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("/api/v1/allocation/rounds/{id}/offers"),
        Some(json!({ "dwelling_id": line })),
    )
    .await;
    assert_eq!(status, 422, "nobody to offer it to: {refused}");
    call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/allocation/rounds?municipality=3301",
        None,
    )
    .await;
    let (status, ended) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("/api/v1/allocation/rounds/{id}/end"),
        Some(json!({ "version": overridden["version"], "reason": "Møtet er ferdig" })),
    )
    .await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["state"], "closed");

    // The fixture's open offer: declined, reopened, withdrawn.
    let offer = format!("/api/v1/offers/{}", f.offer);
    let (status, open) = call(contract, s, caseworker, M::GET, &offer, None).await;
    assert_eq!(status, 200, "{open}");
    let (status, declined) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{offer}/answer"),
        Some(json!({ "version": open["offer"]["version"], "answer": "decline", "reason": "location" })),
    )
    .await;
    assert_eq!(status, 200, "{declined}");
    assert_eq!(declined["unreasonable_declines"], 1);
    let (status, reopened) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{offer}/reopen"),
        Some(json!({ "version": declined["offer"]["version"], "reason": "Registrert på feil husstand" })),
    )
    .await;
    assert_eq!(status, 200, "{reopened}");
    let (status, withdrawn) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{offer}/withdraw"),
        Some(json!({ "version": reopened["offer"]["version"], "reason": "Boligen trengs til en akutt sak" })),
    )
    .await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["offer"]["state"], "withdrawn");
    let (status, _) = call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/offers?municipality=3301&all=true",
        None,
    )
    .await;
    assert_eq!(status, 200);
    let (status, refused) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("/api/v1/allocation/rounds/{}/offers", f.round),
        Some(json!({ "dwelling_id": f.offered_dwelling, "answer_by": "2020-01-01" })),
    )
    .await;
    assert_eq!(status, 422, "an answer date in the past: {refused}");
    priority_policy(contract, s, f).await;
    tenancies(contract, s, f).await;
    rent_ledger(contract, s, f).await;
}

/// The rent ledger: a file naming an unknown tenancy is refused naming the row; a good file for
/// the fixture's contract is imported; the arrears list and the contract show its arrears.
async fn rent_ledger(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let manager = f.users[&Role::HousingManager].1.as_str();
    let (_, own) = call(
        contract,
        s,
        manager,
        M::GET,
        &format!("/api/v1/tenancies/{}", f.tenancy),
        None,
    )
    .await;
    let reference = own["contract"]["reference"].as_str().expect("a reference").to_string();
    let month = husly_domain::rules::YearMonth::of(common::today()).written();
    let path = "/api/v1/tenancies/ledger?municipality=3301";
    let import = |csv: String| {
        let part = reqwest::multipart::Part::bytes(csv.into_bytes()).file_name("reskontro.csv");
        reqwest::Client::new()
            .post(s.url(path))
            .bearer_auth(manager)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let bad = format!("Leieforhold;Periode;Forfalt;Innbetalt\nL-999999;{month};8 100;0\n");
    let response = import(bad).await.expect("import");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("rows[2].reference"), "{body}");
    contract.check(&M::POST, path, status, &body);
    let good = format!("Leieforhold;Periode;Forfalt;Innbetalt\n{reference};{month};8 100,00;-\n");
    let response = import(good).await.expect("import");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!((status, &body["rows"]), (200, &json!(1)), "{body}");
    contract.check(&M::POST, path, status, &body);
    let (status, list) = call(
        contract,
        s,
        manager,
        M::GET,
        "/api/v1/tenancies/arrears?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list["tenancies"][0]["reference"], reference.as_str(), "{list}");
    let (status, own) = call(
        contract,
        s,
        manager,
        M::GET,
        &format!("/api/v1/tenancies/{}", f.tenancy),
        None,
    )
    .await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["ledger"]["arrears"]["arrears_ore"], 810_000, "{own}");
}

/// The fixture's offer (withdrawn above) reopened and accepted; the housing manager writes the
/// contract, lists and reads it, ends it and undoes the end; the fixture's own contract is read.
async fn tenancies(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let manager = f.users[&Role::HousingManager].1.as_str();
    let offer = format!("/api/v1/offers/{}", f.offer);
    let (_, withdrawn) = call(contract, s, caseworker, M::GET, &offer, None).await;
    let (status, reopened) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{offer}/reopen"),
        Some(json!({ "version": withdrawn["offer"]["version"], "reason": "Boligen er ledig likevel" })),
    )
    .await;
    assert_eq!(status, 200, "{reopened}");
    let (status, accepted) = call(
        contract,
        s,
        caseworker,
        M::POST,
        &format!("{offer}/answer"),
        Some(json!({ "version": reopened["offer"]["version"], "answer": "accept" })),
    )
    .await;
    assert_eq!(status, 200, "{accepted}");
    let version = accepted["offer"]["version"].clone();
    let (status, refused) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{offer}/contract"),
        Some(json!({
            "version": version, "start": "2027-02-01", "term": "fixed", "term_end": "2028-01-31",
            "monthly_rent_kr": 8100, "security_kind": "deposit", "security_kr": 60000
        })),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    let fields: Vec<&str> = refused["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["notice_11_1_on", "security_kr"], "{refused}");
    let (status, written) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{offer}/contract"),
        Some(json!({
            "version": version, "start": "2027-02-01", "term": "indefinite",
            "monthly_rent_kr": 8100, "security_kind": "guarantee", "security_kr": 48600
        })),
    )
    .await;
    assert_eq!(status, 201, "{written}");
    assert_eq!(written["contract"]["security_ore"], 4_860_000);
    let tenancy = format!("/api/v1/tenancies/{}", written["contract"]["id"].as_str().unwrap());
    let (status, list) = call(
        contract,
        s,
        manager,
        M::GET,
        "/api/v1/tenancies?municipality=3301&list=expiring&months=12",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert!(
        list["contracts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == f.tenancy.as_str()),
        "the fixture's contract ends within six months: {list}"
    );
    let (status, ended) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{tenancy}/end"),
        Some(json!({
            "version": written["contract"]["version"], "ended_on": "2027-08-31", "reason": "moved_to_private_rental",
            "notice_on": "2027-05-31"
        })),
    )
    .await;
    assert_eq!(status, 200, "{ended}");
    assert_eq!(ended["contract"]["state"], "ended");
    let (status, undone) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{tenancy}/undo-end"),
        Some(json!({ "version": ended["contract"]["version"], "reason": "Flyttingen ble avlyst" })),
    )
    .await;
    assert_eq!(status, 200, "{undone}");
    assert_eq!(undone["contract"]["state"], "active");
    // A new rent agreed from a later day, an index adjustment too soon after it refused on the
    // day, and the agreed change cancelled before it takes effect.
    let (status, changed) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{tenancy}/rent-changes"),
        Some(json!({
            "version": undone["contract"]["version"], "effective_from": "2027-06-01", "monthly_rent_kr": "8 400",
            "basis": "agreement", "note": "Ny vaskemaskin i leiligheten"
        })),
    )
    .await;
    assert_eq!(status, 201, "{changed}");
    assert_eq!(changed["rent_changes"][0]["status"], "coming", "{changed}");
    assert_eq!(changed["rent_changes"][0]["previous_rent_ore"], 810_000);
    let (status, refused) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{tenancy}/rent-changes"),
        Some(json!({
            "version": changed["contract"]["version"], "effective_from": "2027-07-01", "monthly_rent_kr": "8 600",
            "basis": "index_adjustment", "notice_on": common::today().to_string()
        })),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "effective_from", "{refused}");
    assert_eq!(refused["error"]["fields"][0]["code"], "rent.too_soon", "{refused}");
    let change_id = changed["rent_changes"][0]["id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (status, cancelled) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{tenancy}/rent-changes/{change_id}/cancel"),
        Some(json!({ "version": changed["contract"]["version"], "reason": "Vaskemaskinen ble ikke levert" })),
    )
    .await;
    assert_eq!(status, 200, "{cancelled}");
    assert_eq!(cancelled["rent_changes"][0]["status"], "cancelled", "{cancelled}");
    assert_eq!(cancelled["contract"]["monthly_rent_ore"], 810_000, "{cancelled}");
    let (status, own) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("/api/v1/tenancies/{}", f.tenancy),
        None,
    )
    .await;
    assert_eq!(status, 200, "{own}");
    // The fixture's contract ends in seven months: beyond the six that count as soon.
    assert_eq!(own["contract"]["term_status"], "not_soon");
}

fn dwelling_record(external_id: Option<&str>) -> Value {
    let mut record = json!({
        "address_line": "Konnerudgata 14", "postal_code": "3015", "district": "Konnerud",
        "gnr": 114, "bnr": 52, "unit_number": "H0201", "dwelling_type": "ordinary_rental",
        "ownership": "municipal", "bedrooms": 3, "area_m2": 72, "floor": 2, "lift": true,
        "wheelchair_accessible": false, "adapted": false, "pets_allowed": true, "monthly_rent_kr": 11200
    });
    if let Some(id) = external_id {
        record["external_id"] = json!(id);
    }
    record
}

/// The dwelling register: a housing manager registers, lists, changes, sets the status, removes
/// and restores; a property-management system syncs by its own id.
async fn dwellings(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let manager = f.users[&Role::HousingManager].1.as_str();
    let (status, created) = call(
        contract,
        s,
        manager,
        M::POST,
        "/api/v1/dwellings?municipality=3301",
        Some(json!({ "dwelling": dwelling_record(None), "status": "reserved" })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    assert_eq!(created["dwelling"]["monthly_rent_ore"], 1_120_000);
    assert_eq!(created["dwelling"]["status"], "reserved");
    let mut castle = dwelling_record(None);
    castle["dwelling_type"] = json!("castle");
    let (status, refused) = call(
        contract,
        s,
        manager,
        M::POST,
        "/api/v1/dwellings?municipality=3301",
        Some(json!({ "dwelling": castle })),
    )
    .await;
    assert_eq!(
        (status, refused["error"]["fields"][0]["field"].as_str()),
        (422, Some("dwelling.dwelling_type")),
        "{refused}"
    );
    let (status, list) = call(
        contract,
        s,
        manager,
        M::GET,
        "/api/v1/dwellings?municipality=3301&status=reserved&bedrooms=3&limit=10",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let listed = list["dwellings"].as_array().cloned().unwrap_or_default();
    assert!(!listed.is_empty(), "{list}");
    assert!(
        listed.iter().all(|d| d["status"] == "reserved" && d["bedrooms"] == 3),
        "{list}"
    );
    let (status, _) = call(
        contract,
        s,
        manager,
        M::GET,
        "/api/v1/dwellings?municipality=3301&status=sold",
        None,
    )
    .await;
    assert_eq!(status, 422);
    let id = created["dwelling"]["id"].as_str().unwrap_or_default().to_string();
    let url = format!("/api/v1/dwellings/{id}");
    let (status, _) = call(contract, s, manager, M::GET, &url, None).await;
    assert_eq!(status, 200);
    // Another municipality's dwelling is not found.
    let (status, _) = call(contract, s, &f.stranger.1, M::GET, &url, None).await;
    assert_eq!(status, 404);
    let mut bigger = dwelling_record(None);
    bigger["bedrooms"] = json!(4);
    let (status, changed) = call(
        contract,
        s,
        manager,
        M::PUT,
        &url,
        Some(json!({ "version": 1, "dwelling": bigger })),
    )
    .await;
    assert_eq!(
        (status, changed["dwelling"]["version"].as_i64()),
        (200, Some(2)),
        "{changed}"
    );
    let (status, _) = call(
        contract,
        s,
        manager,
        M::PUT,
        &url,
        Some(json!({ "version": 1, "dwelling": dwelling_record(None) })),
    )
    .await;
    assert_eq!(status, 409);
    let (status, set) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{url}/status"),
        Some(json!({ "version": 2, "status": "vacant" })),
    )
    .await;
    assert_eq!(
        (status, set["dwelling"]["status"].as_str()),
        (200, Some("vacant")),
        "{set}"
    );
    let (status, removed) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{url}/delete"),
        Some(json!({ "version": 3, "reason": "Registrert to ganger" })),
    )
    .await;
    assert_eq!(
        (status, removed["dwelling"]["deleted"].as_bool()),
        (200, Some(true)),
        "{removed}"
    );
    let (status, restored) = call(
        contract,
        s,
        manager,
        M::POST,
        &format!("{url}/restore"),
        Some(json!({ "version": 4 })),
    )
    .await;
    assert_eq!(
        (status, restored["dwelling"]["deleted"].as_bool()),
        (200, Some(false)),
        "{restored}"
    );

    // The property-management system: the same upsert twice, read, remove.
    let pms = "/api/v1/dwellings/by-external-id/PMS-77?municipality=3301";
    let (status, first) = call(contract, s, manager, M::PUT, pms, Some(dwelling_record(None))).await;
    assert_eq!((status, first["outcome"].as_str()), (201, Some("created")), "{first}");
    let (status, again) = call(contract, s, manager, M::PUT, pms, Some(dwelling_record(Some("PMS-77")))).await;
    assert_eq!((status, again["outcome"].as_str()), (200, Some("unchanged")), "{again}");
    let (status, _) = call(contract, s, manager, M::PUT, pms, Some(dwelling_record(Some("PMS-78")))).await;
    assert_eq!(status, 422);
    let (status, found) = call(contract, s, manager, M::GET, pms, None).await;
    assert_eq!(
        (status, found["external_id"].as_str()),
        (200, Some("PMS-77")),
        "{found}"
    );
    let (status, _) = call(contract, s, manager, M::DELETE, pms, None).await;
    assert_eq!(status, 204);
    let (status, _) = call(
        contract,
        s,
        manager,
        M::DELETE,
        "/api/v1/dwellings/by-external-id/NO-SUCH?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 404);

    // An import: a good file is saved; a file with a bad row saves nothing and names the row.
    let import = |csv: &'static str| {
        let part = reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("boliger.csv");
        reqwest::Client::new()
            .post(s.url("/api/v1/dwellings/import?municipality=3301"))
            .bearer_auth(manager)
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let good = "Adresse;Postnummer;Boligtype;Eierform;Soverom;Husleie;Bolig-ID\n\
                Importveien 1;3015;ordinary_rental;municipal;2;9500;IMP-1\n";
    let response = import(good).await.expect("import");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!((status, &body["created"]), (200, &json!(1)), "{body}");
    contract.check(&M::POST, "/api/v1/dwellings/import?municipality=3301", status, &body);
    let bad = "Adresse;Postnummer;Boligtype;Eierform;Soverom;Husleie\n\
               Importveien 2;3015;slott;municipal;2;9500\n";
    let response = import(bad).await.expect("import");
    let status = response.status().as_u16();
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("rows[2].dwelling_type"), "{body}");
    contract.check(&M::POST, "/api/v1/dwellings/import?municipality=3301", status, &body);

    // The waiting list and the proposal for the vacancies (the fixture's flat among them).
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let (status, list) = call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/waiting-list?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    assert!(
        list["policy"]["fingerprint"].as_str().is_some_and(|f| f.len() == 64),
        "{list}"
    );
    let (status, proposal) = call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/allocation/proposal?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 200, "{proposal}");
    assert!(
        proposal["dwellings"].as_array().is_some_and(|d| !d.is_empty()),
        "{proposal}"
    );
    assert!(
        list["households"]
            .as_array()
            .is_some_and(|h| h.iter().all(|h| h["estimated_wait"]["text"].is_string())),
        "{list}"
    );
    let (status, stock) = call(
        contract,
        s,
        caseworker,
        M::GET,
        "/api/v1/allocation/stock?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 200, "{stock}");
    assert_eq!(stock["rows"].as_array().map(Vec::len), Some(7), "{stock}");
    assert_eq!(stock["years"].as_array().map(Vec::len), Some(3), "{stock}");
}

/// The priority policy: the versions, a bad draft and a good one simulated, a save without and
/// with the simulation's fingerprint, the new version read back; a draw verified and one not.
async fn priority_policy(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    use husly_domain::allocation::draw::{PublishedDraw, Seed};
    let leader = f.users[&Role::Leader].1.as_str();
    let (status, list) = call(
        contract,
        s,
        leader,
        M::GET,
        "/api/v1/allocation/policies?municipality=3301",
        None,
    )
    .await;
    assert_eq!((status, list["in_force"].as_str()), (200, Some("standard")), "{list}");
    let (status, standard) = call(
        contract,
        s,
        leader,
        M::GET,
        "/api/v1/allocation/policies/standard?municipality=3301",
        None,
    )
    .await;
    assert_eq!(status, 200, "{standard}");
    let text = standard["text"]
        .as_str()
        .unwrap()
        .replace("points = 100", "points = 150");
    let today = common::today().to_string();
    let draft = json!({ "municipality": "3301", "text": text, "version": "2027.1", "effective_from": today });
    let mut bad = draft.clone();
    bad["text"] = json!(text.replacen("points = 200", "points = -1", 1));
    let (status, refused) = call(
        contract,
        s,
        leader,
        M::POST,
        "/api/v1/allocation/policies/simulate",
        Some(bad),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(
        refused["error"]["fields"][0]["field"], "text.criteria[0].points",
        "{refused}"
    );
    let (status, simulated) = call(
        contract,
        s,
        leader,
        M::POST,
        "/api/v1/allocation/policies/simulate",
        Some(draft.clone()),
    )
    .await;
    assert_eq!(status, 200, "{simulated}");
    let mut save = draft.clone();
    save["reason"] = json!("Hovedutvalget vedtok å gi barnefamilier mer vekt");
    save["simulated_fingerprint"] = json!("0000");
    let (status, refused) = call(
        contract,
        s,
        leader,
        M::POST,
        "/api/v1/allocation/policies",
        Some(save.clone()),
    )
    .await;
    assert_eq!(status, 422, "{refused}");
    save["simulated_fingerprint"] = simulated["fingerprint"].clone();
    let (status, saved) = call(contract, s, leader, M::POST, "/api/v1/allocation/policies", Some(save)).await;
    assert_eq!(status, 201, "{saved}");
    let id = saved["id"].as_str().unwrap();
    let (status, read) = call(
        contract,
        s,
        leader,
        M::GET,
        &format!("/api/v1/allocation/policies/{id}?municipality=3301"),
        None,
    )
    .await;
    assert_eq!((status, read["status"].as_str()), (200, Some("in_force")), "{read}");

    // Anyone may verify a published draw (signed in or not: the integration test asks anonymously).
    let anyone = f.users[&Role::Caseworker].1.as_str();
    let draw = PublishedDraw::new(Seed([7; 32]), ["2026-000002".to_string(), "2026-000001".to_string()]).unwrap();
    let (status, ok) = call(
        contract,
        s,
        anyone,
        M::POST,
        "/api/v1/draws/verify",
        Some(serde_json::to_value(&draw).unwrap()),
    )
    .await;
    assert_eq!((status, ok["ok"].as_bool()), (200, Some(true)), "{ok}");
    let mut swapped = serde_json::to_value(&draw).unwrap();
    swapped["order"] = json!([draw.order[1], draw.order[0]]);
    let (status, mismatch) = call(contract, s, anyone, M::POST, "/api/v1/draws/verify", Some(swapped)).await;
    assert_eq!(
        (status, mismatch["mismatch"]["kind"].as_str()),
        (200, Some("order")),
        "{mismatch}"
    );
    let (status, _) = call(
        contract,
        s,
        anyone,
        M::POST,
        "/api/v1/draws/verify",
        Some(json!({ "seed": "xyz" })),
    )
    .await;
    assert_eq!(status, 422);
}

/// The action plan: a leader starts a plan, adds a goal, a measure and an indicator from the
/// cases, revises a target with a reason and reports a value by hand.
async fn action_plan(contract: &mut Contract, s: &Server, f: &Fixture) {
    use Method as M;
    let leader = f.users[&Role::Leader].1.as_str();
    let (_, listed) = call(
        contract,
        s,
        leader,
        M::GET,
        "/api/v1/action-plans?municipality=3301",
        None,
    )
    .await;
    assert_eq!(listed["plans"].as_array().map(Vec::len), Some(1), "{listed}");
    let (status, created) = call(
        contract,
        s,
        leader,
        M::POST,
        "/api/v1/action-plans?municipality=3301",
        Some(json!({ "title": "Boligsosial handlingsplan 2030–2033", "period_from": "2030", "period_to": "2033" })),
    )
    .await;
    assert_eq!(status, 201, "{created}");
    let plan = created["plan"]["id"].as_str().unwrap().to_string();
    let base = format!("/api/v1/action-plans/{plan}");
    let (status, bad) = call(
        contract,
        s,
        leader,
        M::PUT,
        &base,
        Some(json!({ "version": 1, "plan": { "title": "x", "period_from": "2033", "period_to": "2030" } })),
    )
    .await;
    assert_eq!(
        (status, bad["error"]["fields"][0]["field"].as_str()),
        (422, Some("period_to")),
        "{bad}"
    );
    let (status, _) = call(
        contract,
        s,
        leader,
        M::PUT,
        &base,
        Some(
            json!({ "version": 1, "plan": { "title": "Boligsosial handlingsplan 2030–2033", "period_from": "2030",
                     "period_to": "2033", "adopted_on": "2026-06-18", "council_ref": "PS 45/26" } }),
        ),
    )
    .await;
    assert_eq!(status, 200);
    let (_, with_goal) = call(
        contract,
        s,
        leader,
        M::POST,
        &format!("{base}/goals"),
        Some(json!({ "title": "Flere skal eie egen bolig" })),
    )
    .await;
    let goal = with_goal["goals"][0]["id"].as_str().unwrap().to_string();
    call(
        contract,
        s,
        leader,
        M::PUT,
        &format!("{base}/goals/{goal}"),
        Some(json!({ "title": "Flere skal eie egen bolig", "description": "Startlån til barnefamilier" })),
    )
    .await;
    let (_, with_measure) = call(
        contract,
        s,
        leader,
        M::POST,
        &format!("{base}/goals/{goal}/measures"),
        Some(json!({ "title": "Startlånkampanje", "owner": "Boligkontoret", "budget_kr": "150 000" })),
    )
    .await;
    let measure = with_measure["goals"][0]["measures"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(with_measure["goals"][0]["measures"][0]["budget_ore"], 15_000_000);
    call(
        contract,
        s,
        leader,
        M::PUT,
        &format!("{base}/measures/{measure}"),
        Some(json!({ "title": "Startlånkampanje", "owner": "Boligkontoret", "status": "done" })),
    )
    .await;
    let (status, computed) = call(
        contract,
        s,
        leader,
        M::POST,
        &format!("{base}/goals/{goal}/indicators"),
        Some(
            json!({ "name": "Nye søkere", "definition": "housing_applications_new", "baseline": "0",
                     "baseline_year": "2029", "target": "10", "target_year": "2033" }),
        ),
    )
    .await;
    assert_eq!(status, 201, "{computed}");
    let indicator = &computed["goals"][0]["indicators"][0];
    assert_eq!(
        (indicator["unit"].as_str(), indicator["direction"].as_str()),
        (Some("count"), Some("increase"))
    );
    let (_, manual) = call(
        contract,
        s,
        leader,
        M::POST,
        &format!("{base}/goals/{goal}/indicators"),
        Some(
            json!({ "name": "Eiere blant tidligere leietakere", "unit": "percent", "direction": "increase",
                     "baseline": "12.5", "baseline_year": "2029", "target": "20", "target_year": "2033" }),
        ),
    )
    .await;
    let manual_id = manual["goals"][0]["indicators"][1]["id"].as_str().unwrap().to_string();
    let (status, refused) = call(
        contract,
        s,
        leader,
        M::PUT,
        &format!("{base}/indicators/{manual_id}"),
        Some(json!({ "indicator": { "name": "Eiere blant tidligere leietakere", "unit": "percent", "direction": "increase",
                     "baseline": "12.5", "baseline_year": "2029", "target": "25", "target_year": "2033" } })),
    )
    .await;
    assert_eq!(
        (status, refused["error"]["fields"][0]["field"].as_str()),
        (422, Some("reason")),
        "{refused}"
    );
    call(
        contract,
        s,
        leader,
        M::PUT,
        &format!("{base}/indicators/{manual_id}"),
        Some(json!({ "indicator": { "name": "Eiere blant tidligere leietakere", "unit": "percent", "direction": "increase",
                     "baseline": "12.5", "baseline_year": "2029", "target": "25", "target_year": "2033" },
                     "reason": "Bystyret økte ambisjonen" })),
    )
    .await;
    let (_, reported) = call(
        contract,
        s,
        leader,
        M::PUT,
        &format!("{base}/indicators/{manual_id}/value"),
        Some(json!({ "year": 2025, "value": "13.75" })),
    )
    .await;
    assert_eq!(reported["goals"][0]["indicators"][1]["reported"][0]["value"], "13.75");
    let (_, history) = call(contract, s, leader, M::GET, &format!("{base}/history"), None).await;
    assert_eq!(history["events"][0]["kind"], "plan.value_reported");
    call(contract, s, leader, M::GET, &base, None).await;
    let (status, trends) = call(contract, s, leader, M::GET, &format!("{base}/goals/{goal}"), None).await;
    assert_eq!(status, 200, "{trends}");
    assert_eq!(trends["indicators"][1]["points"][0]["source"], "reported", "{trends}");
    let computed_id = indicator["id"].as_str().unwrap();
    let caseworker = f.users[&Role::Caseworker].1.as_str();
    let (status, behind) = call(
        contract,
        s,
        caseworker,
        M::GET,
        &format!("{base}/indicators/{computed_id}/cases?year=2026"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{behind}");
    assert!(behind["cases"].is_array(), "a caseworker sees the cases: {behind}");
}

#[tokio::test]
async fn every_documented_operation_answers_as_documented() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        // Demo mode: the scenario registers people with synthetic identity numbers.
        let server = start(&db, &["--demo"]);
        let doc: Value = reqwest::get(server.url("/api/openapi.json"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut contract = Contract {
            doc,
            called: BTreeSet::new(),
            problems: Vec::new(),
            successes: 0,
            log: Vec::new(),
        };
        // The check can fail: an answer with a field of the wrong type, an undocumented field
        // and an undocumented status are each caught.
        contract.check(&Method::GET, "/api/v1/me", 200, &json!({ "id": 5 }));
        contract.check(&Method::GET, "/api/v1/me", 418, &json!({}));
        assert!(contract.problems.len() >= 3, "{:?}", contract.problems);
        contract.problems.clear();
        contract.called.clear();
        contract.successes = 0;
        scenario(&mut contract, &server, &fixture).await;
        reminders(&mut contract, &server, &fixture, &db.url).await;
        let documented: BTreeSet<String> = contract.doc["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(|method| format!("{} {path}", method.to_uppercase()))
                    .collect::<Vec<_>>()
            })
            .collect();
        let not_called: Vec<&String> = documented.difference(&contract.called).collect();
        assert!(
            not_called.is_empty(),
            "operations the scenario never called: {not_called:?}"
        );
        assert!(
            contract.problems.is_empty(),
            "on {}:\n{}",
            db.url,
            contract.problems.join("\n")
        );
        assert!(
            contract.successes >= 35,
            "only {} successful answers:\n{}",
            contract.successes,
            contract.log.join("\n")
        );
    }
}
