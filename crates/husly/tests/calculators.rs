//! The bostøtte calculator contract: `POST /api/v1/calculators/bostotte` and
//! `husly calc bostotte` accept the same JSON and give the same answer.

mod common;

use common::{Database, husly, start};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Output, Stdio};

fn calc(input: &str) -> Output {
    let mut child = husly()
        .args(["calc", "bostotte", "--lang", "en"])
        .env_remove("HUSLY_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("husly");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    child.wait_with_output().expect("output")
}

fn contract_example() -> Value {
    json!({"month": "2023-06", "kommunenummer": "1875", "members": [{"birth_date": "1958-03-01",
        "old_age_pensioner": true}], "annual_income_kr": 237240, "annual_housing_costs_kr": 120000,
        "adapted_dwelling": false, "young_disabled": false})
}

#[test]
fn the_command_reads_json_and_writes_the_estimate() {
    let out = calc(&contract_example().to_string());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let estimate: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    // Husbanken's published example for June 2023 (årsrapport 2023, tabell 8): 1 729 kr.
    assert_eq!(estimate["monthly_kr"], 1729);
    assert_eq!(estimate["weighted_income_kr"], 237240);
    assert_eq!(estimate["cap_kr"], 78237);
    assert_eq!(estimate["own_share_kr"], 50088);
    assert!(estimate["rule_version"].as_str().unwrap().contains("2023-06"));
    let unverified = estimate["unverified"].as_array().unwrap();
    assert!(
        unverified.iter().any(|u| u["field"] == "pensioner_t1"),
        "{unverified:?}"
    );

    let bad = calc(r#"{"month": "2023-13", "kommunenummer": "1875", "members": [], "annual_income_kr": -1}"#);
    assert_eq!(bad.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&bad.stdout).expect("JSON error on stdout");
    let fields: Vec<&str> = error["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["month", "members", "annual_income_kr", "annual_housing_costs_kr"]
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("month"));

    let typo = calc(
        r#"{"month": "2023-06", "kommunenummer": "1875", "members": [{"birth_date": "1958-03-01", "pensioner": true}]}"#,
    );
    assert_eq!(typo.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&typo.stdout).unwrap();
    assert_eq!(error["error"]["fields"][0]["field"], "members[0].pensioner");
    assert!(
        error["error"]["fields"][0]["message"]
            .as_str()
            .unwrap()
            .contains("pensioner")
    );

    let garbage = calc("not json");
    assert_eq!(garbage.status.code(), Some(2));
}

#[tokio::test]
async fn the_api_answers_without_sign_in_and_agrees_with_the_command() {
    let db = Database::sqlite();
    let server = start(&db, &[]);
    let http = reqwest::Client::new();
    let url = server.url("/api/v1/calculators/bostotte");
    let request = json!({
        "month": "2026-07", "kommunenummer": "0301",
        "members": [
            {"birth_date": "1988-02-10", "incomes": [{"kind": "wages", "annual_kr": 310000}, {"kind": "barnetrygd", "annual_kr": 18000}]},
            {"birth_date": "2016-09-01"}
        ],
        "housing": {"tenure": "rent", "annual_rent_kr": 168000, "heating_included": false}
    });
    let response = http.post(&url).json(&request).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let from_api: Value = response.json().await.unwrap();
    assert_eq!(from_api["municipality_group"], 1);
    assert_eq!(from_api["counted_income_kr"], 310000);
    assert_eq!(from_api["cap_kr"], 113774 + 27982);
    assert!(from_api["monthly_kr"].as_i64().unwrap() > 0);
    let from_cli: Value = serde_json::from_slice(&calc(&request.to_string()).stdout).unwrap();
    assert_eq!(from_api, from_cli, "the API and the command give the same estimate");

    let response = http
        .post(&url)
        .header("accept-language", "en")
        .json(
            &json!({"month": "2026-07", "kommunenummer": "301", "members": [{"birth_date": "2030-01-01"}],
            "annual_income_kr": 1, "annual_housing_costs_kr": 1}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "validation");
    let fields: Vec<(&str, &str)> = error["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        fields,
        [
            ("kommunenummer", "invalid_municipality_number"),
            ("members[0].birth_date", "born_after_month")
        ]
    );

    let response = http
        .post(&url)
        .header("content-type", "application/json")
        .body(r#"{"month": "2026-07", "kommunenummer": "0301", "members": [{"birth_date": "1980-01-01"}], "annual_income_kr": "much"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["fields"][0]["field"], "annual_income_kr");
}
