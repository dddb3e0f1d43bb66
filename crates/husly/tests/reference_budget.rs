//! The municipality's reference budget (SIFO) over HTTP on both backends: the administrator enters
//! a table on the page (a bad amount is a 422 naming the field, a good one a new version with a
//! confirmation), the startlån calculator page and API use it with the social-assistance floor as
//! lower bound and say so, a caseworker can neither see nor change it, and the API does the same.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, Server, csrf_of, login, start};
use husly_domain::authz::Role;
use husly_domain::startlan::ReferenceBudgetLayout;
use serde_json::{Value, json};

async fn post(server: &Server, http: &reqwest::Client, path: &str, pairs: &[(String, String)]) -> (u16, String) {
    let response = http.post(server.url(path)).form(pairs).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.text().await.unwrap();
    (status, location.unwrap_or(body))
}

/// Every amount field of the page: 6 000 kr per person, household costs rising by size.
fn table_form(csrf: &str, valid_from: &str) -> Vec<(String, String)> {
    let layout = ReferenceBudgetLayout::embedded();
    let mut pairs = vec![
        ("csrf".to_string(), csrf.to_string()),
        ("expected_version".to_string(), "0".to_string()),
        ("valid_from".to_string(), valid_from.to_string()),
        ("label".to_string(), "SIFO testtabell".to_string()),
    ];
    for key in layout.individual_keys() {
        pairs.push((format!("individual_ore.{key}"), "6 000".into()));
    }
    for (i, key) in layout.household_keys().into_iter().enumerate() {
        pairs.push((format!("household_ore.{key}"), (3_000 + 1_000 * i).to_string()));
    }
    pairs
}

fn startlan_request() -> Value {
    json!({
        "month": "2026-06",
        "household": {
            "adults": 2, "couple": true, "children_ages": [4, 9],
            "members": [{"age": 35, "sex": "female"}, {"sex": "not_stated"}]
        },
        "income_after_tax_kr": 60000,
        "maintenance_kr": 3500,
        "loans": {"startlan": {"principal_kr": 2000000, "term_years": 30, "kind": "annuity"}}
    })
}

#[tokio::test]
async fn an_admin_enters_a_table_and_the_calculator_uses_it() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let admin = login(s, &fixture.users[&Role::Admin].0, PASSWORD).await;
        let caseworker = login(s, &fixture.users[&Role::Caseworker].0, PASSWORD).await;

        // Without a table the calculator API uses the floor.
        let http = reqwest::Client::new();
        let url = s.url("/api/v1/calculators/startlan?municipality=3301");
        let before: Value = http
            .post(&url)
            .json(&startlan_request())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(before["living_costs"]["source"], "social_assistance_floor", "{before}");
        assert!(before["living_costs"].get("reference_budget").is_none());

        // A bad amount is named; nothing is saved.
        let csrf = csrf_of(s, &admin, "/admin/reference-budget").await;
        let mut bad = table_form(&csrf, "01.01.2026");
        for pair in bad.iter_mut() {
            if pair.0 == "individual_ore.age_31_50_female" {
                pair.1 = "mye".into();
            }
            if pair.0 == "household_ore.size_3" {
                pair.1 = "1".into();
            }
        }
        let (status, html) = post(s, &admin, "/admin/reference-budget", &bad).await;
        assert_eq!(status, 422, "{html}");
        assert!(html.contains("id=\"f-individual_ore-age_31_50_female\""), "{html}");
        assert!(html.contains("Skriv et beløp i hele kroner"), "{html}");
        assert!(
            html.contains("kan ikke være lavere enn for en mindre husstand"),
            "{html}"
        );
        assert!(
            common::page_text(s, &admin, "/admin/reference-budget")
                .await
                .contains("ikke lagt inn")
        );

        // A good table is saved as version 1, with a confirmation.
        let (status, location) = post(s, &admin, "/admin/reference-budget", &table_form(&csrf, "01.01.2026")).await;
        assert_eq!((status, location.as_str()), (303, "/admin/reference-budget"));
        let page = common::page_text(s, &admin, "/admin/reference-budget").await;
        assert!(page.contains("lagret som en ny versjon"), "{page}");
        assert!(page.contains("SIFO testtabell"), "{page}");
        assert!(common::raw_keys(&page).is_empty(), "{:?}", common::raw_keys(&page));

        // A caseworker may neither open nor change it.
        let response = caseworker.get(s.url("/admin/reference-budget")).send().await.unwrap();
        assert_eq!(response.status(), 403);
        let cw_csrf = csrf_of(s, &caseworker, "/calculators/startlan").await;
        let (status, _) = post(
            s,
            &caseworker,
            "/admin/reference-budget",
            &table_form(&cw_csrf, "01.01.2026"),
        )
        .await;
        assert_eq!(status, 403);

        // The calculator API uses it: 6 000 × 4 + 6 000 (size 4) = 30 000 kr, above the floor.
        let after: Value = http
            .post(&url)
            .json(&startlan_request())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let costs = &after["living_costs"];
        assert_eq!(costs["source"], "reference_budget", "{after}");
        assert_eq!(costs["used_ore"], 3_000_000);
        assert_eq!(costs["reference_budget"]["version"], 1);
        assert_eq!(
            costs["reference_budget"]["members"][1]["assumptions"],
            json!(["age_not_stated", "sex_not_stated"])
        );
        // Not before the table is valid, and not for a municipality without one.
        let mut early = startlan_request();
        early["month"] = json!("2025-12");
        let early: Value = http.post(&url).json(&early).send().await.unwrap().json().await.unwrap();
        assert_eq!(early["living_costs"]["source"], "social_assistance_floor");
        let oslo: Value = http
            .post(s.url("/api/v1/calculators/startlan?municipality=0301"))
            .json(&startlan_request())
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(oslo["living_costs"]["source"], "social_assistance_floor");
        let unknown = http
            .post(s.url("/api/v1/calculators/startlan?municipality=0000"))
            .json(&startlan_request())
            .send()
            .await
            .unwrap();
        assert_eq!(unknown.status(), 422);
        let body: Value = unknown.json().await.unwrap();
        assert_eq!(body["error"]["fields"][0]["field"], "municipality");

        // The calculator page in the caseworker's municipality shows which was used.
        let (status, html) = post(
            s,
            &caseworker,
            "/calculators/startlan",
            &[
                ("csrf".to_string(), cw_csrf.clone()),
                ("month".to_string(), "2026-06".to_string()),
                ("household.adults".to_string(), "1".to_string()),
                ("income_after_tax_kr".to_string(), "40000".to_string()),
                ("maintenance_kr".to_string(), "3000".to_string()),
                ("loans.startlan.principal_kr".to_string(), "1500000".to_string()),
                ("loans.startlan.term_years".to_string(), "30".to_string()),
                ("loans.startlan.kind".to_string(), "annuity".to_string()),
            ],
        )
        .await;
        assert_eq!(status, 200, "{html}");
        assert!(
            html.contains("Kommunens referansebudsjett (SIFO testtabell, versjon 1"),
            "{html}"
        );
        assert!(html.contains("Brukt: kommunens referansebudsjett"), "{html}");
        assert!(html.contains("strøm"), "the running-costs hint names electricity");
    }
}

#[tokio::test]
async fn the_api_reads_and_enters_versions_and_names_bad_fields() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let s = &server;
        let leader = &fixture.users[&Role::Leader].1;
        let caseworker = &fixture.users[&Role::Caseworker].1;
        let http = reqwest::Client::new();
        let url = s.url("/api/v1/reference-budgets");

        let read = common::api_json(s, "/api/v1/reference-budgets", leader).await;
        assert_eq!(read["versions"], json!([]));
        let individual_keys = read["layout"]["individual_keys"].as_array().unwrap().clone();
        let household_keys = read["layout"]["household_keys"].as_array().unwrap().clone();
        let individual: serde_json::Map<String, Value> = individual_keys
            .iter()
            .map(|k| (k.as_str().unwrap().to_string(), json!(500_000)))
            .collect();
        let household: serde_json::Map<String, Value> = household_keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str().unwrap().to_string(), json!(200_000 + 50_000 * i as i64)))
            .collect();
        let body = json!({
            "expected_version": 0, "valid_from": "2026-01-01", "label": "SIFO 2025",
            "individual_ore": individual, "household_ore": household
        });

        // A caseworker may not enter one.
        let response = http.put(&url).bearer_auth(caseworker).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 403);

        // A bad value is a 422 naming the field.
        let mut bad = body.clone();
        bad["individual_ore"]["age_20_30_male"] = json!(-5);
        bad["valid_from"] = json!("31.02.2026");
        let response = http.put(&url).bearer_auth(leader).json(&bad).send().await.unwrap();
        assert_eq!(response.status(), 422);
        let answer: Value = response.json().await.unwrap();
        let fields: Vec<&str> = answer["error"]["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, ["valid_from", "individual_ore.age_20_30_male"], "{answer}");

        let response = http.put(&url).bearer_auth(leader).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.json::<Value>().await.unwrap()["version"], 1);
        // A save from a stale read is a conflict.
        let response = http.put(&url).bearer_auth(leader).json(&body).send().await.unwrap();
        assert_eq!(response.status(), 409);

        let read = common::api_json(s, "/api/v1/reference-budgets", leader).await;
        assert_eq!(read["versions"][0]["version"], 1);
        assert_eq!(read["versions"][0]["label"], "SIFO 2025");
        assert_eq!(read["versions"][0]["individual_ore"]["age_31_50_female"], 500_000);
        let response = http.get(&url).bearer_auth(caseworker).send().await.unwrap();
        assert_eq!(response.status(), 403);
    }
}

#[tokio::test]
async fn the_demo_enters_a_table_labelled_as_not_sifos_figures() {
    let db = Database::sqlite();
    let server = start(&db, &["--demo"]);
    let (email, password) = server.demo_login("leader");
    let leader = login(&server, &email, &password).await;
    let page = common::page_text(&server, &leader, "/admin/reference-budget").await;
    assert!(page.contains("Eksempeltall for demo – ikke SIFOs tall"), "{page}");
}
