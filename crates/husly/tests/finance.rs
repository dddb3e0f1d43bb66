//! Husbanken's instruments over HTTP on both backends: a startlån case from registration to the
//! decision letter (economy, affordability at the stress-tested rate, four eyes, amount and
//! conditions), an adaptation grant drawing on the year's grant budget (commitment, payments,
//! release), and the same through the JSON API.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, Server, csrf_of, login, start};
use husly_domain::authz::Role;
use reqwest::Method;
use serde_json::{Value, json};

fn form(pairs: &[(&str, &str)], csrf: &str) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .chain(std::iter::once(("csrf".to_string(), csrf.to_string())))
        .collect()
}

async fn post(server: &Server, http: &reqwest::Client, path: &str, pairs: Vec<(String, String)>) -> (u16, String) {
    let response = http.post(server.url(path)).form(&pairs).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.text().await.unwrap();
    (status, location.unwrap_or(body))
}

const APPLICATION: &[(&str, &str)] = &[
    ("received_on", "02.11.2026"),
    ("current_housing", "private_rental"),
    ("reasons", "economy"),
    ("economy[0].income", "540 000"),
    ("economy[0].wealth", "0"),
    ("lawful_residence", "yes"),
    ("registered_in_municipality_since", "01.01.2018"),
    ("rent_arrears", "no"),
    ("confirmed", "1"),
];

async fn register(server: &Server, http: &reqwest::Client, household: &str, case_type: &str) -> String {
    let path = format!("/households/{household}/applications/new");
    let csrf = csrf_of(server, http, &path).await;
    let mut pairs = APPLICATION.to_vec();
    pairs.push(("case_type", case_type));
    let (status, location) = post(server, http, &path, form(&pairs, &csrf)).await;
    assert_eq!(status, 303, "{location}");
    location
}

/// Registers an application and starts its assessment; returns the case's path and its CSRF token.
async fn register_and_assess(
    server: &Server,
    http: &reqwest::Client,
    household: &str,
    case_type: &str,
) -> (String, String) {
    let case_url = register(server, http, household, case_type).await;
    let csrf = csrf_of(server, http, &case_url).await;
    let (status, _) = post(
        server,
        http,
        &format!("{case_url}/action"),
        form(&[("version", "1"), ("action", "start_assessment")], &csrf),
    )
    .await;
    assert_eq!(status, 303);
    (case_url, csrf)
}

/// The approver approves the proposal (version 4) and the caseworker sends the letter.
async fn approve_and_send(
    server: &Server,
    caseworker: &reqwest::Client,
    approver: &reqwest::Client,
    case_url: &str,
    csrf: &str,
    language: &str,
) {
    let approver_csrf = csrf_of(server, approver, case_url).await;
    let (status, _) = post(
        server,
        approver,
        &format!("{case_url}/review"),
        form(&[("version", "4"), ("decision", "approve")], &approver_csrf),
    )
    .await;
    assert_eq!(status, 303);
    let today = husly_domain::validation::format_date(common::today());
    let (status, body) = post(
        server,
        caseworker,
        &format!("{case_url}/send"),
        form(
            &[
                ("version", "5"),
                ("language", language),
                ("delivery", "digital"),
                ("delivered_on", &today),
            ],
            csrf,
        ),
    )
    .await;
    assert_eq!(status, 303, "{body}");
}

/// A startlån economy as the case page's form sends it.
fn startlan_form(term_years: &str, extra: &[(&'static str, &'static str)]) -> Vec<(&'static str, String)> {
    let month = common::today();
    let month = format!("{}-{:02}", month.year(), u8::from(month.month()));
    let mut pairs: Vec<(&'static str, String)> = vec![
        ("loan_purpose", "purchase".into()),
        ("means_test_exception", "".into()),
        ("month", month),
        ("household.adults", "1".into()),
        ("household.children_ages", "7".into()),
        ("income_after_tax_kr", "38 000".into()),
        ("maintenance_kr", "2 500".into()),
        ("loans.startlan.principal_kr", "2 400 000".into()),
        ("loans.startlan.term_years", term_years.into()),
        ("loans.startlan.instalment_free_years", "0".into()),
        ("loans.startlan.kind", "annuity".into()),
        ("financing.price_kr", "2 500 000".into()),
        ("financing.purchase_costs_kr", "65 000".into()),
        ("financing.equity_kr", "0".into()),
    ];
    // `extra` replaces a field of the same name, or adds one.
    for (key, value) in extra {
        pairs.retain(|(k, _)| k != key);
        pairs.push((key, value.to_string()));
    }
    pairs
}

fn with_csrf(pairs: Vec<(&'static str, String)>, version: &str, csrf: &str) -> Vec<(String, String)> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .chain([
            ("version".to_string(), version.to_string()),
            ("csrf".to_string(), csrf.to_string()),
        ])
        .collect()
}

#[tokio::test]
async fn a_startlan_case_from_the_economy_to_the_decision_letter() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let caseworker = login(s, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let approver = login(s, &fixture.users[&Role::Approver].0, PASSWORD).await;
        let (case_url, csrf) = register_and_assess(s, &caseworker, &fixture.household.to_string(), "startlan").await;
        let page = common::page_text(s, &caseworker, &case_url).await;
        assert!(page.contains("Søknad om startlån") && page.contains("Økonomien i saken er ikke registrert"));

        // 45 years without the § 8-5 conditions is refused, the fields named; what was typed stays.
        let (status, html) = post(
            s,
            &caseworker,
            &format!("{case_url}/finance"),
            with_csrf(startlan_form("45", &[]), "2", &csrf),
        )
        .await;
        assert_eq!(status, 422);
        assert!(
            html.contains("krever en begrunnelse") && html.contains("2 400 000"),
            "{html}"
        );
        // Unreadable numbers are named too.
        let bad = startlan_form("30", &[("income_after_tax_kr", "mye")]);
        let (status, html) = post(
            s,
            &caseworker,
            &format!("{case_url}/finance"),
            with_csrf(bad, "2", &csrf),
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("aria-invalid=\"true\""), "{html}");

        // 40 years with the conditions recorded: a) waived for a family with low predictable income.
        let (status, _) = post(
            s,
            &caseworker,
            &format!("{case_url}/finance"),
            with_csrf(
                startlan_form(
                    "40",
                    &[
                        (
                            "loans.startlan.extended_term_reason",
                            "Lav, men stabil inntekt; barn i skolealder",
                        ),
                        ("loans.startlan.extended_term_conditions.dwelling_suits_long_term", "1"),
                        ("loans.startlan.extended_term_conditions.renting_unsuitable", "1"),
                        (
                            "loans.startlan.extended_term_conditions.shorter_term_not_responsible",
                            "1",
                        ),
                        (
                            "loans.startlan.extended_term_conditions.waiver",
                            "low_predictable_income",
                        ),
                    ],
                ),
                "2",
                &csrf,
            ),
        )
        .await;
        assert_eq!(status, 303);
        let page = common::page_text(s, &caseworker, &case_url).await;
        for expected in [
            "Betjeningsevne",
            "Nedbetalingstid over 30 år",
            "Nøktern bolig",
            "Lånet sikres med pant",
        ] {
            assert!(page.contains(expected), "{expected}: {page}");
        }
        assert!(
            page.contains("Økonomien i saken ble registrert"),
            "the event is in the timeline"
        );
        // The page holds the application form, the economy form and the proposal form at once:
        // every element id is still unique (labels and error links depend on it).
        let html = caseworker
            .get(s.url(&case_url))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let mut ids: Vec<&str> = html
            .split(" id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let all = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), all, "duplicate ids on the case page");

        // A granted loan needs its amount.
        let propose = |amount: &'static str| {
            form(
                &[
                    ("version", "3"),
                    ("outcome", "granted"),
                    ("granted_text", "Startlån til kjøp av bolig"),
                    ("reasons", "Husstanden kan betjene lånet med renten i stresstesten."),
                    ("amount_kr", amount),
                    (
                        "conditions",
                        "Lånet sikres med pant i boligen.\nNedbetalingstid 40 år etter § 8-5.",
                    ),
                ],
                &csrf,
            )
        };
        let (status, html) = post(s, &caseworker, &format!("{case_url}/propose"), propose("")).await;
        assert_eq!(status, 422);
        assert!(html.contains("Skriv beløpet som innvilges"), "{html}");
        let (status, _) = post(s, &caseworker, &format!("{case_url}/propose"), propose("2 400 000")).await;
        assert_eq!(status, 303);
        // Four eyes: the caseworker cannot approve; the approver can.
        let (status, _) = post(
            s,
            &caseworker,
            &format!("{case_url}/review"),
            form(&[("version", "4"), ("decision", "approve")], &csrf),
        )
        .await;
        assert_eq!(status, 403);
        approve_and_send(s, &caseworker, &approver, &case_url, &csrf, "nb").await;
        let page = common::page_text(s, &caseworker, &case_url).await;
        assert_eq!(common::case_state(&page), "Innvilget");
        let letter = page
            .split("href=\"")
            .find(|s| s.contains("/letters/") && s.contains(".html"))
            .and_then(|s| s.split('"').next())
            .expect("a letter")
            .to_string();
        let letter = common::page_text(s, &caseworker, &letter).await;
        for expected in [
            "Vedtak om startlån",
            "2\u{a0}400\u{a0}000\u{a0}kr",
            "Vilkår",
            "Nedbetalingstid 40 år etter § 8-5.",
            "forskrift om lån fra Husbanken",
            "Betjeningsevnen er beregnet med en rente på",
            "(styringsrenten pluss 2,5 prosentpoeng)",
            "klagenemnd",
        ] {
            assert!(letter.contains(expected), "{expected}: {letter}");
        }
        // Rates with a decimal comma, as Norwegian writes them.
        assert!(
            !letter.contains(".5 %") && !letter.contains(".25 %") && !letter.contains(".75 %"),
            "{letter}"
        );
        assert!(!letter.contains("Statsforvalteren"));
        // Once decided, the economy can no longer be changed.
        let (status, _) = post(
            s,
            &caseworker,
            &format!("{case_url}/finance"),
            with_csrf(startlan_form("30", &[]), "6", &csrf),
        )
        .await;
        assert_eq!(status, 422);
        // The budget page counts the loan.
        let budget = common::page_text(s, &caseworker, "/grants/budget").await;
        assert!(
            budget.contains("Innvilgede startlån dette året: <strong>1</strong>"),
            "{budget}"
        );
        // The first and last years the budget keeps link only inwards: every year it links to opens.
        let first = common::page_text(s, &caseworker, "/grants/budget?year=2020").await;
        assert!(!first.contains("year=2019") && first.contains("year=2021"), "{first}");
        let last = common::page_text(s, &caseworker, "/grants/budget?year=2100").await;
        assert!(!last.contains("year=2101") && last.contains("year=2099"));
    }
}

#[tokio::test]
async fn an_adaptation_grant_commits_is_paid_and_releases_the_rest_of_the_budget() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let caseworker = login(s, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let approver = login(s, &fixture.users[&Role::Approver].0, PASSWORD).await;
        let leader = login(s, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let year = time::OffsetDateTime::now_utc().year().to_string();

        // The leader sets the year's allocation; a bad amount is named.
        let leader_csrf = csrf_of(s, &leader, "/grants/budget").await;
        let (status, html) = post(
            s,
            &leader,
            "/grants/budget",
            form(
                &[
                    ("year", &year),
                    ("grant", "adaptation"),
                    ("allocated_kr", "mange penger"),
                ],
                &leader_csrf,
            ),
        )
        .await;
        assert_eq!(status, 422);
        assert!(html.contains("Skriv rammen i hele kroner"), "{html}");
        let (status, _) = post(
            s,
            &leader,
            "/grants/budget",
            form(
                &[
                    ("year", &year),
                    ("grant", "adaptation"),
                    ("allocated_kr", "500 000"),
                    ("note", "Budsjettvedtak desember"),
                ],
                &leader_csrf,
            ),
        )
        .await;
        assert_eq!(status, 303);
        // The caseworker sees the budget but may not set it.
        let csrf = csrf_of(s, &caseworker, "/grants/budget").await;
        let (status, _) = post(
            s,
            &caseworker,
            "/grants/budget",
            form(
                &[("year", &year), ("grant", "adaptation"), ("allocated_kr", "1")],
                &csrf,
            ),
        )
        .await;
        assert_eq!(status, 403);

        let (case_url, csrf) =
            register_and_assess(s, &caseworker, &fixture.household.to_string(), "adaptation_grant").await;
        let grant = |applied: &str, consent: bool| {
            let mut pairs = vec![
                ("version", "2"),
                ("grant.purpose", "Trappeheis og bredere dører"),
                ("grant.cost_kr", "120 000"),
                ("grant.applied_kr", applied),
                ("grant.tenure", "tenant"),
            ];
            if consent {
                pairs.push(("grant.landlord_consent", "1"));
            }
            form(&pairs, &csrf)
        };
        let (status, html) = post(s, &caseworker, &format!("{case_url}/finance"), grant("150 000", true)).await;
        assert_eq!(status, 422);
        assert!(html.contains("kan ikke være større enn kostnaden"), "{html}");
        let (status, _) = post(s, &caseworker, &format!("{case_url}/finance"), grant("80 000", false)).await;
        assert_eq!(status, 303);
        let page = common::page_text(s, &caseworker, &case_url).await;
        assert!(page.contains("En leietaker må ha utleierens samtykke"), "{page}");
        assert!(page.contains("Igjen av tilskuddsrammen for"), "{page}");

        let (status, _) = post(
            s,
            &caseworker,
            &format!("{case_url}/propose"),
            form(
                &[
                    ("version", "3"),
                    ("outcome", "granted"),
                    ("granted_text", "Tilskudd til trappeheis"),
                    ("reasons", "Tilpasningen gjør at søkeren kan bli boende."),
                    ("amount_kr", "80 000"),
                    ("conditions", "Tilskuddet utbetales mot faktura."),
                ],
                &csrf,
            ),
        )
        .await;
        assert_eq!(status, 303);
        approve_and_send(s, &caseworker, &approver, &case_url, &csrf, "nn").await;
        let today = husly_domain::validation::format_date(common::today());
        let budget = common::page_text(s, &leader, "/grants/budget").await;
        assert!(
            budget.contains("80\u{a0}000\u{a0}kr") && budget.contains("420\u{a0}000\u{a0}kr"),
            "committed 80 000 of 500 000: {budget}"
        );
        assert!(!budget.contains("/cases/"), "the leader sees figures, not cases");

        // Payments: never more than outstanding.
        let pay = |version: &'static str, amount: &'static str| {
            form(
                &[
                    ("version", version),
                    ("payment.amount_kr", amount),
                    ("payment.paid_on", &today),
                    ("payment.note", "Faktura 1"),
                ],
                &csrf,
            )
        };
        let (status, html) = post(s, &caseworker, &format!("{case_url}/payments"), pay("6", "90 000")).await;
        assert_eq!(status, 422);
        assert!(
            html.contains("større enn det som er innvilget og ikke utbetalt"),
            "{html}"
        );
        let (status, _) = post(s, &caseworker, &format!("{case_url}/payments"), pay("6", "50 000")).await;
        assert_eq!(status, 303);
        let (status, _) = post(
            s,
            &caseworker,
            &format!("{case_url}/action"),
            form(&[("version", "7"), ("action", "close")], &csrf),
        )
        .await;
        assert_eq!(status, 303);
        let page = common::page_text(s, &caseworker, &case_url).await;
        for expected in ["Utbetalt", "Frigjort", "30\u{a0}000\u{a0}kr", "Tilskudd ble utbetalt"] {
            assert!(page.contains(expected), "{expected}: {page}");
        }
        // The case page's budget line (the totals the triggers keep) agrees with the budget page.
        let left = format!("Igjen av tilskuddsrammen for {year}: <strong>450\u{a0}000\u{a0}kr</strong>");
        assert!(page.contains(&left), "{left}: {page}");
        let budget = common::page_text(s, &caseworker, &format!("/grants/budget?year={year}")).await;
        assert!(
            budget.contains("450\u{a0}000\u{a0}kr") && budget.contains(&case_url),
            "50 000 paid, the rest released; the caseworker sees the case: {budget}"
        );
        // Those without the budget role are refused; another municipality's user sees nothing.
        let partner = login(s, &fixture.users[&Role::Partner].0, PASSWORD).await;
        assert_eq!(partner.get(s.url("/grants/budget")).send().await.unwrap().status(), 403);
    }
}

#[tokio::test]
async fn a_startlan_that_cannot_cover_the_purchase_leads_to_an_establishment_grant_application() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let caseworker = login(s, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let (case_url, csrf) = register_and_assess(s, &caseworker, &fixture.household.to_string(), "startlan").await;
        // 20 000 kr a month after tax cannot service the 2.4 million the purchase needs.
        let economy = startlan_form("30", &[("income_after_tax_kr", "20 000")]);
        let (status, _) = post(
            s,
            &caseworker,
            &format!("{case_url}/finance"),
            with_csrf(economy, "2", &csrf),
        )
        .await;
        assert_eq!(status, 303);
        let page = common::page_text(s, &caseworker, &case_url).await;
        assert!(page.contains("Et tilskudd til etablering må dekke"), "{page}");
        let (status, grant_url) = post(
            s,
            &caseworker,
            &format!("{case_url}/establishment-grant"),
            form(&[], &csrf),
        )
        .await;
        assert_eq!(status, 303, "{grant_url}");
        let grant = common::page_text(s, &caseworker, &grant_url).await;
        let reference = page
            .split("<h1>")
            .nth(1)
            .and_then(|rest| rest.split('<').next())
            .and_then(|title| title.split_whitespace().last())
            .unwrap_or_default()
            .to_string();
        assert!(reference.starts_with("20"), "{reference}");
        assert!(grant.contains("Søknad om tilskudd til etablering"), "{grant}");
        assert!(
            grant.contains(&format!("Kjøp av bolig sammen med startlån i sak {reference}")),
            "the grant names its loan {reference}: {grant}"
        );
        assert!(
            grant.contains("Sammen med startlån"),
            "the assessment links the two: {grant}"
        );
        // A housing application has no loan to top up.
        let housing = format!("/cases/{}", fixture.case);
        let (status, _) = post(
            s,
            &caseworker,
            &format!("{housing}/establishment-grant"),
            form(&[], &csrf),
        )
        .await;
        assert_eq!(status, 422);
    }
}

async fn call(server: &Server, token: &str, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, server.url(path))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn startlan_and_grant_cases_through_the_api() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let caseworker = fixture.users[&Role::Caseworker].1.as_str();
        let approver = fixture.users[&Role::Approver].1.as_str();
        let leader = fixture.users[&Role::Leader].1.as_str();
        let today = common::today();
        let month = format!("{}-{:02}", today.year(), u8::from(today.month()));
        let (status, body) = call(
            s,
            caseworker,
            Method::POST,
            &format!("/api/v1/households/{}/applications", fixture.household),
            Some(
                json!({ "case_type": "startlan", "received_on": today.to_string(), "form": {
                    "current_housing": "private_rental", "reasons": ["economy"],
                    "economy": [{ "incomes": [["wages", 540000]], "net_wealth_kr": 0 }],
                    "lawful_residence": true, "registered_in_municipality_since": "2018-01-01",
                    "rent_arrears": false, "confirmed": true
                }}),
            ),
        )
        .await;
        assert_eq!(status, 201, "{body}");
        let case = format!("/api/v1/cases/{}", body["id"].as_str().unwrap());
        let (status, _) = call(
            s,
            caseworker,
            Method::POST,
            &format!("{case}/actions"),
            Some(json!({ "version": 1, "action": "start_assessment" })),
        )
        .await;
        assert_eq!(status, 200);
        let economy = |principal: i64| {
            json!({ "kind": "startlan", "purpose": "purchase", "exception": "municipal_tenant", "affordability": {
                "month": month, "household": { "adults": 1, "children_ages": [7] },
                "income_after_tax_kr": 38000, "maintenance_kr": 2500,
                "loans": { "startlan": { "principal_kr": principal, "term_years": 30, "kind": "annuity" } }
            }})
        };
        // A grant's economy on a loan case, and a bad amount, are refused with the fields named.
        let (status, body) = call(
            s,
            caseworker,
            Method::PUT,
            &format!("{case}/finance"),
            Some(json!({ "version": 2, "finance": { "kind": "grant", "grant": "adaptation", "purpose": "x", "cost_kr": 1, "applied_kr": 1, "tenure": "owner" } })),
        )
        .await;
        assert_eq!(
            (status, body["error"]["fields"][0]["field"].as_str()),
            (422, Some("finance.kind")),
            "{body}"
        );
        let (status, body) = call(
            s,
            caseworker,
            Method::PUT,
            &format!("{case}/finance"),
            Some(json!({ "version": 2, "finance": economy(-5) })),
        )
        .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(
            body["error"]["fields"][0]["field"],
            "finance.startlan.affordability.loans.startlan.principal_kr"
        );
        let (status, body) = call(
            s,
            caseworker,
            Method::PUT,
            &format!("{case}/finance"),
            Some(json!({ "version": 2, "finance": economy(2_000_000) })),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["case"]["finance"]["exception"], "municipal_tenant");
        assert!(body["affordability"]["stress_rate"].is_string(), "{body}");
        let (_, detail) = call(s, caseworker, Method::GET, &case, None).await;
        let rules: Vec<&str> = detail["assessment"]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["rule"].as_str().unwrap())
            .collect();
        assert_eq!(
            rules,
            ["age", "means_test", "affordability", "modest_dwelling"],
            "{detail}"
        );

        let (status, body) = call(
            s,
            caseworker,
            Method::POST,
            &format!("{case}/decisions"),
            Some(json!({ "version": 3, "outcome": "granted", "reasons": "Kan betjene lånet.", "granted_text": "Startlån", "amount_kr": 2000000, "conditions": ["Pant i boligen."] })),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = call(
            s,
            approver,
            Method::POST,
            &format!("{case}/review"),
            Some(json!({ "version": 4, "approve": true })),
        )
        .await;
        assert_eq!(status, 200);
        let (status, body) = call(
            s,
            caseworker,
            Method::POST,
            &format!("{case}/send"),
            Some(json!({ "version": 5, "language": "en", "delivery": "paper", "delivered_on": today.to_string() })),
        )
        .await;
        assert_eq!((status, body["state"].as_str()), (200, Some("granted")), "{body}");
        let (_, detail) = call(s, caseworker, Method::GET, &case, None).await;
        assert_eq!(detail["decisions"][0]["amount_ore"], 200_000_000);
        assert_eq!(detail["decisions"][0]["conditions"][0], "Pant i boligen.");
        assert!(detail["decisions"][0]["assessment"]["affordability"]["disposable_ore"].is_i64());

        // The budget through the API: leaders set it, caseworkers may not.
        let year = today.year();
        let path = format!("/api/v1/grants/budget/{year}/establishment");
        let (status, _) = call(s, caseworker, Method::PUT, &path, Some(json!({ "allocated_kr": 1 }))).await;
        assert_eq!(status, 403);
        let (status, body) = call(
            s,
            leader,
            Method::PUT,
            &path,
            Some(json!({ "allocated_kr": 750000, "note": "Ramme" })),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = call(
            s,
            leader,
            Method::PUT,
            &format!("/api/v1/grants/budget/{year}/castle"),
            Some(json!({ "allocated_kr": 1 })),
        )
        .await;
        assert_eq!(
            (status, body["error"]["fields"][0]["field"].as_str()),
            (422, Some("grant")),
            "{body}"
        );
        let (status, body) = call(
            s,
            caseworker,
            Method::GET,
            &format!("/api/v1/grants/budget?year={year}"),
            None,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(body["grants"][0]["position"]["allocated_ore"], 75_000_000);
        assert_eq!(body["startlan"]["loans"], 1);
        assert_eq!(body["startlan"]["amount_ore"], 200_000_000);
        let (status, _) = call(
            s,
            fixture.stranger.1.as_str(),
            Method::GET,
            &format!("/api/v1/grants/budget?year={year}&municipality=3301"),
            None,
        )
        .await;
        assert_eq!(status, 404);
    }
}
