//! Every route × every role: the expected answer follows from the authorisation policy.
//!
//! Anonymous visitors are sent to the login page (pages) or get 401 (API); a role that the
//! policy allows gets through to the handler; a role the policy denies gets 403; a user of
//! another municipality gets 404 for any of this municipality's records.

mod common;

use common::fixture::{Fixture, PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::{Action, Role, roles_allowed};
use reqwest::{Client, Method};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    /// A record of the home municipality, named in the path.
    Record,
    /// The caller's working municipality (search, registration, administration lists).
    Working,
    /// Open to everyone, signed in or not (stateless calculators that touch no stored data).
    Public,
}

struct Route {
    method: Method,
    path: String,
    action: Option<Action>,
    scope: Scope,
    api: bool,
    body: Vec<(&'static str, String)>,
    json: Option<serde_json::Value>,
}

fn routes(f: &Fixture) -> Vec<Route> {
    let page =
        |method: Method, path: String, action: Option<Action>, scope: Scope, body: Vec<(&'static str, String)>| Route {
            method,
            path,
            action,
            scope,
            api: false,
            body,
            json: None,
        };
    let api =
        |method: Method, path: String, action: Option<Action>, scope: Scope, json: Option<serde_json::Value>| Route {
            method,
            path,
            action,
            scope,
            api: true,
            body: Vec::new(),
            json,
        };
    let (h, p, u, t) = (f.household, f.person, f.target_user, f.target_token.clone());
    let (c, letter, document) = (f.case, f.letter.clone(), f.document.clone());
    use Action::*;
    use Scope::*;
    vec![
        page(
            Method::GET,
            "/search?q=ingrid".into(),
            Some(SearchPeople),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/households/new".into(),
            Some(RegisterHousehold),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/households/new".into(),
            Some(RegisterHousehold),
            Working,
            vec![("rows", "1".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/households/{h}/edit"),
            Some(EditHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/edit"),
            Some(EditHousehold),
            Record,
            vec![("version", "1".into())],
        ),
        page(Method::GET, format!("/people/{p}"), Some(ViewPerson), Record, vec![]),
        page(Method::GET, "/admin/users".into(), Some(ManageUsers), Working, vec![]),
        page(
            Method::GET,
            "/admin/users/new".into(),
            Some(ManageUsers),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/admin/users/new".into(),
            Some(ManageUsers),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            format!("/admin/users/{u}"),
            Some(ManageUsers),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/roles"),
            Some(ManageUsers),
            Record,
            vec![("role", "partner".into())],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/status"),
            Some(ManageUsers),
            Record,
            vec![("disabled", "false".into())],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/password"),
            Some(ManageUsers),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/tokens"),
            Some(ManageTokens),
            Record,
            vec![("name", "matrix".into())],
        ),
        page(
            Method::POST,
            format!("/admin/tokens/{t}/revoke"),
            Some(ManageTokens),
            Record,
            vec![("user", u.to_string())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/bostotte"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/bostotte"),
            Some(ViewHousehold),
            Record,
            vec![("month", "2026-06".into()), ("monthly_rent", "9000".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/economy"),
            Some(EditHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/economy"),
            Some(EditHousehold),
            Record,
            vec![
                ("members[0].rows", "1".into()),
                ("members[0].incomes[0].kind", "wages".into()),
                ("members[0].incomes[0].amount", "250000".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/households/{h}/benefits"),
            Some(EditHousehold),
            Record,
            vec![("benefit_from", "01.06.2026".into())],
        ),
        page(Method::GET, "/apply".into(), None, Public, vec![]),
        page(
            Method::GET,
            "/apply/01900000-0000-7000-8000-000000000000".into(),
            None,
            Public,
            vec![],
        ),
        page(
            Method::POST,
            "/apply/01900000-0000-7000-8000-000000000000/code".into(),
            None,
            Public,
            vec![("code", "WRONGCODE9".into())],
        ),
        page(
            Method::GET,
            "/cases?filter=open".into(),
            Some(ViewCase),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/calculators/startlan".into(),
            Some(ViewCase),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/calculators/startlan".into(),
            Some(ViewCase),
            Working,
            vec![("month", "2026-06".into()), ("income_after_tax_kr", "40000".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/applications/new"),
            Some(HandleCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/applications/new"),
            Some(HandleCase),
            Record,
            vec![
                ("case_type", "municipal_housing".into()),
                ("received_on", "01.11.2026".into()),
            ],
        ),
        page(Method::GET, format!("/cases/{c}"), Some(ViewCase), Record, vec![]),
        page(
            Method::GET,
            format!("/cases/{c}/letters/{letter}.pdf"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/cases/{c}/letters/{letter}.html"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/preview"),
            Some(HandleCase),
            Record,
            vec![
                ("outcome", "refused".into()),
                ("reasons", "Inntekten er over grensen.".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/application"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/action"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into()), ("action", "start_assessment".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/override"),
            Some(HandleCase),
            Record,
            vec![
                ("version", "2".into()),
                ("rule", "age".into()),
                ("outcome", "none".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/assign"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into()), ("to", "me".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/propose"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/review"),
            Some(ApproveDecision),
            Record,
            vec![("version", "2".into()), ("decision", "approve".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/send"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/flags/{MISSING_FLAG}"),
            Some(HandleCase),
            Record,
            vec![("decision", "dismiss".into()), ("reason", "Ikke samme person".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/documents"),
            Some(HandleCase),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/cases/{c}/documents/{document}"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/cases/{c}/case-file.zip"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/interim"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::GET,
            "/outreach?month=2026-07".into(),
            Some(RunOutreach),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/outreach.csv?month=2026-07".into(),
            Some(RunOutreach),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/outreach.xlsx?month=2026-07".into(),
            Some(RunOutreach),
            Working,
            vec![],
        ),
        page(Method::GET, "/admin/audit".into(), Some(ReadAudit), Working, vec![]),
        api(Method::GET, "/api/v1/me".into(), None, Working, None),
        api(
            Method::GET,
            "/api/v1/people?municipality=3301&q=ingrid".into(),
            Some(SearchPeople),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/people/{p}"),
            Some(ViewPerson),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/households?municipality=3301".into(),
            Some(RegisterHousehold),
            Record,
            Some(serde_json::json!({})),
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/households/{h}"),
            Some(EditHousehold),
            Record,
            Some(serde_json::json!({"version": 1, "household": {}})),
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/timeline"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/audit?municipality=3301".into(),
            Some(ReadAudit),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/outreach/bostotte?municipality=3301&month=2026-07".into(),
            Some(RunOutreach),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/calculators/bostotte".into(),
            None,
            Public,
            Some(serde_json::json!({})),
        ),
        api(
            Method::POST,
            "/api/v1/calculators/startlan".into(),
            None,
            Public,
            Some(serde_json::json!({})),
        ),
        api(
            Method::GET,
            "/api/v1/cases?municipality=3301&filter=open".into(),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/applications"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"case_type": "municipal_housing", "received_on": "2026-11-02", "form": {}})),
        ),
        api(Method::GET, format!("/api/v1/cases/{c}"), Some(ViewCase), Record, None),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/timeline"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/letters/{letter}"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/cases/{c}/application"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "form": {}})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/actions"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "action": "start_assessment"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/overrides"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "rule": "age", "outcome": null})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/decisions"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "outcome": "refused", "reasons": "Matrix."})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/review"),
            Some(ApproveDecision),
            Record,
            Some(serde_json::json!({"version": 2, "approve": true})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/send"),
            Some(HandleCase),
            Record,
            Some(
                serde_json::json!({"version": 2, "language": "nb", "delivery": "digital", "delivered_on": "2026-12-01"}),
            ),
        ),
        page(
            Method::POST,
            format!("/cases/{c}/finance"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/establishment-grant"),
            Some(HandleCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/payments"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into()), ("payment.amount_kr", "100".into())],
        ),
        page(
            Method::GET,
            "/grants/budget?year=2026".into(),
            Some(ViewGrantBudget),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/grants/budget".into(),
            Some(ManageGrantBudget),
            Working,
            vec![
                ("year", "2026".into()),
                ("grant", "adaptation".into()),
                ("allocated_kr", "100000".into()),
            ],
        ),
        api(
            Method::PUT,
            format!("/api/v1/cases/{c}/finance"),
            Some(HandleCase),
            Record,
            Some(
                serde_json::json!({"version": 2, "finance": {"kind": "grant", "grant": "adaptation", "purpose": "Rampe", "cost_kr": 10, "applied_kr": 5, "tenure": "owner"}}),
            ),
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/ledger"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/payments"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "amount_kr": 100, "paid_on": "2026-12-01"})),
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/documents"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/documents"),
            Some(HandleCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/documents/{document}"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/assignment"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "take": true})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/decision-preview"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"outcome": "refused", "reasons": "Inntekten er over grensen."})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/interim-answer"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "expected_by": "2030-01-01", "reason": "Venter"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/flags/{MISSING_FLAG}"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"resolution": "dismiss", "reason": "Ikke samme person"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/appeals"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "appeal_sent_on": "2026-01-05", "appeal_channel": "post"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/appeals/forward"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/appeals/outcome"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "outcome": "upheld"})),
        ),
        api(
            Method::GET,
            "/api/v1/grants/budget?year=2026".into(),
            Some(ViewGrantBudget),
            Working,
            None,
        ),
        api(
            Method::PUT,
            "/api/v1/grants/budget/2026/establishment".into(),
            Some(ManageGrantBudget),
            Working,
            Some(serde_json::json!({"allocated_kr": 100000})),
        ),
    ]
}

/// Who asks: a role in the home municipality, a stranger from another municipality, or nobody.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Role(Role),
    Stranger,
    Anonymous,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    Forbidden,
    NotFound,
    LoginRequired,
}

/// A duplicate flag the walk's case does not have: a role allowed to handle the case gets past
/// authorisation and is told the flag does not exist (404); any other role is stopped before.
const MISSING_FLAG: &str = "01900000-0000-7000-8000-000000000000";

fn expected(route: &Route, who: Who) -> Outcome {
    let outcome = expected_access(route, who);
    if outcome == Outcome::Allowed && route.path.ends_with(&format!("/flags/{MISSING_FLAG}")) {
        return Outcome::NotFound;
    }
    outcome
}

fn expected_access(route: &Route, who: Who) -> Outcome {
    if route.scope == Scope::Public {
        return Outcome::Allowed;
    }
    match who {
        Who::Anonymous => Outcome::LoginRequired,
        Who::Stranger => match route.scope {
            Scope::Record => Outcome::NotFound,
            // The stranger works in their own municipality, where they hold every role.
            Scope::Working | Scope::Public => Outcome::Allowed,
        },
        Who::Role(role) => match route.action {
            None => Outcome::Allowed,
            Some(action) if roles_allowed(action).contains(&role) => Outcome::Allowed,
            Some(_) => Outcome::Forbidden,
        },
    }
}

fn classify(route: &Route, status: u16, location: Option<&str>) -> Outcome {
    match status {
        401 => Outcome::LoginRequired,
        303 if !route.api && location == Some("/login") => Outcome::LoginRequired,
        403 => Outcome::Forbidden,
        404 => Outcome::NotFound,
        s if s < 500 && s != 405 => Outcome::Allowed,
        s => panic!("{} {} answered {s}", route.method, route.path),
    }
}

async fn ask(server: &common::Server, http: &Client, route: &Route, token: Option<&str>, csrf: &str) -> Outcome {
    let mut request = http.request(route.method.clone(), server.url(&route.path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(json) = &route.json {
        request = request.json(json);
    } else if route.method == Method::POST {
        let mut form = route.body.clone();
        form.push(("csrf", csrf.to_string()));
        request = request.form(&form);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/html"));
    if html && route.method == Method::GET {
        // Every page a role may see has a plain-text title.
        common::title_of(&response.text().await.expect("body"));
    }
    classify(route, status, location.as_deref())
}

#[tokio::test]
async fn every_route_for_every_role() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let table = routes(&fixture);
        let mut who: Vec<Who> = Role::ALL.into_iter().map(Who::Role).collect();
        who.push(Who::Stranger);
        who.push(Who::Anonymous);
        let mut failures = Vec::new();
        for principal in who {
            let (http, csrf, token) = match principal {
                Who::Anonymous => (common::client(), String::new(), None),
                Who::Stranger => {
                    let http = common::login(&server, &fixture.stranger.0, PASSWORD).await;
                    let csrf = common::csrf_of(&server, &http, "/admin/users").await;
                    (http, csrf, Some(fixture.stranger.1.clone()))
                }
                Who::Role(role) => {
                    let (email, token) = &fixture.users[&role];
                    let http = common::login(&server, email, PASSWORD).await;
                    // Every signed-in page carries the CSRF token in its logout form; the start
                    // page is open to every role.
                    let csrf = match common::csrf_of_any(&server, &http, "/").await {
                        Some(csrf) => csrf,
                        None => common::csrf_of(&server, &http, "/search").await,
                    };
                    (http, csrf, Some(token.clone()))
                }
            };
            for route in &table {
                let token = if route.api { token.as_deref() } else { None };
                let got = ask(&server, &http, route, token, &csrf).await;
                let want = expected(route, principal);
                if got != want {
                    failures.push(format!(
                        "{principal:?} {} {}: expected {want:?}, got {got:?}",
                        route.method, route.path
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
    }
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_api_routes() {
    let db = Database::sqlite();
    let fixture = prepare(&db.url).await;
    let server = start(&db, &[]);
    let doc: serde_json::Value = reqwest::get(server.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let template = |path: &str| -> String {
        let path = path.split('?').next().unwrap_or(path);
        path.replace(&fixture.household.to_string(), "{id}")
            .replace(&fixture.person.to_string(), "{id}")
            .replace(&fixture.case.to_string(), "{id}")
            .replace(&fixture.letter, "{letter_id}")
            .replace(&fixture.document, "{document_id}")
            .replace("01900000-0000-7000-8000-000000000000", "{flag_id}")
            .replace("/grants/budget/2026/establishment", "/grants/budget/{year}/{grant}")
    };
    let mut routed: Vec<String> = routes(&fixture)
        .iter()
        .filter(|r| r.api)
        .map(|r| format!("{} {}", r.method, template(&r.path)))
        .collect();
    documented.sort();
    routed.sort();
    routed.dedup();
    assert_eq!(documented, routed, "the OpenAPI document and the API routes differ");
    // Unknown API paths are JSON 404s.
    let response = reqwest::get(server.url("/api/v1/nothing-here")).await.unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

/// One signed-in client per role, made when first needed.
struct Sessions<'a> {
    server: &'a common::Server,
    fixture: &'a Fixture,
    clients: std::collections::HashMap<Role, Client>,
}

impl Sessions<'_> {
    async fn of(&mut self, role: Role) -> Client {
        if let Some(client) = self.clients.get(&role) {
            return client.clone();
        }
        let (email, _) = &self.fixture.users[&role];
        let client = common::login(self.server, email, PASSWORD).await;
        self.clients.insert(role, client.clone());
        client
    }
}

/// A role that may use the route (the route's first allowed role; any role for routes without
/// an action).
fn allowed_role(route: &Route) -> Role {
    route.action.map_or(Role::Caseworker, |action| roles_allowed(action)[0])
}

async fn audit_entries(store: &husly_store::Store) -> u64 {
    store.verify_audit().await.expect("audit").entries
}

/// Every state-changing form of a signed-in user, posted without its CSRF token and with a wrong
/// one, by a user who may otherwise use it: 403, and nothing read, recorded or changed.
#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_before_anything_is_read() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        let home = store.municipality_by_number("3301").await.unwrap().unwrap().id;
        let case_before = store.case(home, fixture.case).await.unwrap();
        let household_before = store.household(home, fixture.household).await.unwrap();
        let mut sessions = Sessions {
            server: &server,
            fixture: &fixture,
            clients: Default::default(),
        };
        let mut failures = Vec::new();
        let mut posted = 0;
        let table = routes(&fixture);
        let forms = table
            .iter()
            .filter(|r| !r.api && r.method == Method::POST && r.scope != Scope::Public);
        for route in forms {
            let http = sessions.of(allowed_role(route)).await;
            for token in [None, Some("forged-token-0000000000000000")] {
                let before = audit_entries(&store).await;
                let mut request = http.post(server.url(&route.path));
                request = if route.path.ends_with("/documents") {
                    let mut form = reqwest::multipart::Form::new().part(
                        "file",
                        reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("a.pdf"),
                    );
                    if let Some(token) = token {
                        form = form.text("csrf", token);
                    }
                    request.multipart(form)
                } else {
                    let mut form = route.body.clone();
                    if let Some(token) = token {
                        form.push(("csrf", token.to_string()));
                    }
                    request.form(&form)
                };
                let status = request.send().await.expect("post").status().as_u16();
                let after = audit_entries(&store).await;
                posted += 1;
                if status != 403 || after != before {
                    failures.push(format!(
                        "POST {} with token {token:?}: {status}, {} new audit entries",
                        route.path,
                        after - before
                    ));
                }
            }
        }
        assert!(posted >= 40, "only {posted} forms were posted");
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
        assert_eq!(store.case(home, fixture.case).await.unwrap(), case_before);
        assert_eq!(
            store.household(home, fixture.household).await.unwrap().version,
            household_before.version
        );
    }
}

/// Reads that show nothing personal, and why they write no audit entry.
const NOT_PERSONAL: &[(&str, &str)] = &[
    ("/households/new", "an empty registration form"),
    (
        "/admin/users",
        "staff accounts, not personal data of the people the municipality serves",
    ),
    ("/admin/users/new", "an empty form"),
    ("/admin/users/", "a staff account"),
    (
        "/admin/audit",
        "the access log itself; reading it is the administrator's job",
    ),
    ("/apply", "the applicant's own draft, opened with its code"),
    ("/calculators/startlan", "a calculator with no stored data"),
    ("/api/v1/me", "the caller's own account"),
    ("/api/v1/audit", "the access log itself"),
    ("/api/v1/grants/budget", "figures without names"),
];

/// Every read of personal data, by a user who may make it: exactly one new audit entry.
#[tokio::test]
async fn every_read_of_personal_data_writes_exactly_one_audit_entry() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        let mut sessions = Sessions {
            server: &server,
            fixture: &fixture,
            clients: Default::default(),
        };
        let mut failures = Vec::new();
        let mut read = 0;
        let table = routes(&fixture);
        let reads = table
            .iter()
            .filter(|r| r.method == Method::GET && !NOT_PERSONAL.iter().any(|(prefix, _)| r.path.starts_with(prefix)));
        for route in reads {
            let role = allowed_role(route);
            let before = audit_entries(&store).await;
            let mut request = if route.api {
                common::client()
                    .get(server.url(&route.path))
                    .bearer_auth(&fixture.users[&role].1)
            } else {
                sessions.of(role).await.get(server.url(&route.path))
            };
            request = request.header("accept-language", "nb");
            let status = request.send().await.expect("get").status().as_u16();
            let after = audit_entries(&store).await;
            read += 1;
            if status != 200 || after != before + 1 {
                failures.push(format!(
                    "GET {} as {role:?}: {status}, {} new audit entries",
                    route.path,
                    after - before
                ));
            }
        }
        assert!(read >= 25, "only {read} reads were made");
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
    }
}
