//! The calculator contract: `POST /api/v1/calculators/bostotte` and `husly calc bostotte`, and
//! `POST /api/v1/calculators/startlan` and `husly calc startlan`, accept the same JSON and give the
//! same answer.

use crate::common;

use common::{Database, husly, start};
use serde_json::{Value, json};
use std::io::Write;
use std::process::{Output, Stdio};

fn calc(input: &str) -> Output {
    calc_with("bostotte", input)
}

/// `husly calc <calculator> --lang en` with `input` on standard input.
fn calc_with(calculator: &str, input: &str) -> Output {
    let mut child = husly()
        .args(["calc", calculator, "--lang", "en"])
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
    let truncated = calc(r#"{"month": "2023-06""#);
    assert_eq!(truncated.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&truncated.stdout).unwrap();
    assert_eq!(
        error["error"]["code"], "bad_request",
        "a cut-off document is not a field error"
    );
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

/// A couple with two children (4 and 9) buying a 2 500 000 kr flat, financed wholly by a 30-year
/// annuity startlån; their own 65 000 kr pays the purchase costs.
fn startlan_example() -> Value {
    json!({
        "month": "2024-10",
        "household": {"adults": 2, "couple": true, "children_ages": [4, 9]},
        "income_after_tax_kr": 52000,
        "fixed_costs": [
            {"kind": "childcare", "label": "Barnehage og SFO", "amount_kr": 3000},
            {"kind": "student_loan", "amount_kr": 1200}
        ],
        "maintenance_kr": 3500,
        "loans": {"startlan": {"principal_kr": 2500000, "term_years": 30, "kind": "annuity"}},
        "financing": {"price_kr": 2500000, "purchase_costs_kr": 65000, "equity_kr": 65000}
    })
}

fn field_paths(error: &Value) -> Vec<(&str, &str)> {
    error["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| (f["field"].as_str().unwrap(), f["code"].as_str().unwrap()))
        .collect()
}

#[test]
fn the_startlan_command_assesses_a_household() {
    let out = calc_with("startlan", &startlan_example().to_string());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    // October 2024: Norges Bank's policy rate 4.5 % (from 14 Dec 2023) + Husbanken's 2.5 points.
    assert_eq!(result["policy_rate"], "4.5 %");
    assert_eq!(result["stress_margin"], "2.5 %");
    assert_eq!(result["stress_rate"], "7 %");
    // rules/living_costs.toml, 2024 rates: couple 13 100 + child 0–5 3 850 + child 6–10 3 950.
    assert_eq!(result["living_costs"]["floor"]["total_ore"], 2_090_000);
    assert_eq!(result["living_costs"]["used_ore"], 2_090_000);
    assert_eq!(result["living_costs"]["source"], "social_assistance_floor");
    // 2 500 000 kr at 7 % over 30 years: 2 500 000 · (0.07/12) / (1 − (1 + 0.07/12)^−360)
    // = 16 632.562… kr a month.
    assert_eq!(result["startlan"]["monthly_payment_ore"], 1_663_256);
    // 52 000 − 20 900 − 3 000 − 1 200 − 3 500 − 16 632.56 = 6 767.44 kr.
    assert_eq!(result["disposable_ore"], 676_744);
    assert_eq!(result["affordable"], true);
    let lines: i64 = result["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["amount_ore"].as_i64().unwrap())
        .sum();
    assert_eq!(lines, 676_744, "the lines sum to the disposable amount");
    // 23 400 kr a month for the startlån services 23 400 / 6.653 025 ≈ 3 517 197 kr.
    let max_kr = result["max_affordable_startlan_ore"].as_i64().unwrap() / 100;
    assert!((3_517_150..=3_517_250).contains(&max_kr), "{max_kr}");
    assert_eq!(result["grant"]["financing_need_ore"], 250_000_000);
    assert_eq!(result["grant"]["grant_needed_ore"], 0);
    let unverified: Vec<&str> = result["unverified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["table"].as_str().unwrap())
        .collect();
    assert!(unverified.contains(&"stress_test"), "{unverified:?}");

    // With 20 000 kr a month the same purchase is far out of reach: 20 000 − 45 232.56 kr.
    let mut poorer = startlan_example();
    poorer["income_after_tax_kr"] = json!(20000);
    let out = calc_with("startlan", &poorer.to_string());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["disposable_ore"], 2_000_000 - 4_523_256);
    assert_eq!(result["affordable"], false);
    assert_eq!(result["max_affordable_startlan_ore"], 0);
    assert_eq!(result["grant"]["grant_needed_ore"], 250_000_000);

    // A 45-year term without a reason and a negative income: both named, exit code 2.
    let mut bad = startlan_example();
    bad["loans"]["startlan"]["term_years"] = json!(45);
    bad["income_after_tax_kr"] = json!(-1);
    let out = calc_with("startlan", &bad.to_string());
    assert_eq!(out.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&out.stdout).expect("JSON error on stdout");
    assert_eq!(error["error"]["code"], "validation");
    assert_eq!(
        field_paths(&error),
        [
            ("income_after_tax_kr", "negative_amount"),
            ("loans.startlan.extended_term_reason", "extended_term_reason_required"),
            (
                "loans.startlan.extended_term_conditions",
                "extended_term_conditions_required"
            )
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("income_after_tax_kr") && stderr.contains("loans.startlan.extended_term_reason"),
        "{stderr}"
    );
    // With a reason the 45-year term is accepted.
    bad["income_after_tax_kr"] = json!(52000);
    bad["loans"]["startlan"]["extended_term_reason"] = json!("Varig lav inntekt");
    // … and the § 8-5 conditions: d) is never waived, so it alone is named when missing.
    bad["loans"]["startlan"]["extended_term_conditions"] =
        json!({"lasting_low_income": true, "dwelling_suits_long_term": true, "renting_unsuitable": true});
    let out = calc_with("startlan", &bad.to_string());
    let error: Value = serde_json::from_slice(&out.stdout).expect("JSON error on stdout");
    assert_eq!(
        field_paths(&error),
        [(
            "loans.startlan.extended_term_conditions",
            "extended_term_conditions_not_met"
        )]
    );
    bad["loans"]["startlan"]["extended_term_conditions"]["shorter_term_not_responsible"] = json!(true);
    assert!(calc_with("startlan", &bad.to_string()).status.success());

    let mut typo = startlan_example();
    typo["loans"]["startlan"]["rate"] = json!("3 %");
    let out = calc_with("startlan", &typo.to_string());
    assert_eq!(out.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(field_paths(&error), [("loans.startlan.rate", "invalid_json_value")]);

    let garbage = calc_with("startlan", "not json");
    assert_eq!(garbage.status.code(), Some(2));
    let error: Value = serde_json::from_slice(&garbage.stdout).unwrap();
    assert_eq!(error["error"]["code"], "bad_request");
}

#[tokio::test]
async fn the_startlan_api_answers_without_sign_in_and_agrees_with_the_command() {
    let db = Database::sqlite();
    let server = start(&db, &[]);
    let http = reqwest::Client::new();
    let url = server.url("/api/v1/calculators/startlan");
    let request = startlan_example();
    let response = http.post(&url).json(&request).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let from_api: Value = response.json().await.unwrap();
    assert_eq!(from_api["stress_rate"], "7 %");
    assert_eq!(from_api["disposable_ore"], 676_744);
    let from_cli: Value = serde_json::from_slice(&calc_with("startlan", &request.to_string()).stdout).unwrap();
    assert_eq!(from_api, from_cli, "the API and the command give the same assessment");

    let mut bad = startlan_example();
    bad["loans"]["startlan"]["term_years"] = json!(45);
    bad["income_after_tax_kr"] = json!(-1);
    let response = http
        .post(&url)
        .header("accept-language", "en")
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let from_api: Value = response.json().await.unwrap();
    assert_eq!(from_api["error"]["code"], "validation");
    assert_eq!(
        field_paths(&from_api),
        [
            ("income_after_tax_kr", "negative_amount"),
            ("loans.startlan.extended_term_reason", "extended_term_reason_required"),
            (
                "loans.startlan.extended_term_conditions",
                "extended_term_conditions_required"
            )
        ]
    );
    let from_cli: Value = serde_json::from_slice(&calc_with("startlan", &bad.to_string()).stdout).unwrap();
    assert_eq!(
        from_api["error"]["fields"], from_cli["error"]["fields"],
        "the API and the command name the same fields"
    );

    let mut typo = startlan_example();
    typo["household"]["pets"] = json!(1);
    let response = http.post(&url).json(&typo).send().await.unwrap();
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.unwrap();
    assert_eq!(field_paths(&error), [("household.pets", "invalid_json_value")]);

    // Not JSON at all: 400, as for every API body.
    let response = http
        .post(&url)
        .header("content-type", "application/json")
        .body("not json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
}

/// The household of `startlan_example` as the calculator page's form posts it, with `changes`
/// replacing or adding fields.
fn startlan_form(csrf: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("csrf", csrf),
        ("month", "2024-10"),
        ("household.adults", "2"),
        ("household.couple", "1"),
        ("household.children_ages", "4, 9"),
        ("income_after_tax_kr", "52 000"),
        ("own_living_cost_estimate_kr", ""),
        ("maintenance_kr", "3 500 kr"),
        ("fixed_costs[0].kind", "childcare"),
        ("fixed_costs[0].label", "Barnehage og SFO"),
        ("fixed_costs[0].amount_kr", "3\u{a0}000"),
        ("fixed_costs[1].kind", "student_loan"),
        ("fixed_costs[1].label", ""),
        ("fixed_costs[1].amount_kr", "1200"),
        ("fixed_costs[2].kind", ""),
        ("fixed_costs[2].label", ""),
        ("fixed_costs[2].amount_kr", ""),
        ("loans.startlan.principal_kr", "2 500 000"),
        ("loans.startlan.term_years", "30"),
        ("loans.startlan.instalment_free_years", ""),
        ("loans.startlan.kind", "annuity"),
        ("loans.startlan.extended_term_reason", ""),
        ("loans.bank.principal_kr", ""),
        ("loans.bank.term_years", ""),
        ("loans.bank.kind", "annuity"),
        ("loans.bank.rate", ""),
        ("financing.price_kr", "2 500 000"),
        ("financing.purchase_costs_kr", "65 000"),
        ("financing.equity_kr", "65 000"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (name, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == name) {
            Some(field) => field.1 = value.to_string(),
            None => fields.push((name.to_string(), value.to_string())),
        }
    }
    fields
}

/// The calculator page for staff: a caseworker posts the form and reads the assessment, the same
/// as the API's; mistakes come back as 422 with each field's message; users who may not see cases
/// are refused and anonymous visitors are sent to the login page.
#[tokio::test]
async fn the_startlan_page_assesses_a_posted_form() {
    use common::fixture::{PASSWORD, prepare};
    use husly_domain::authz::Role;

    let db = Database::sqlite();
    let fixture = prepare(&db.url).await;
    let server = start(&db, &[]);
    let url = server.url("/calculators/startlan");

    let caseworker = common::login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
    let response = caseworker.get(&url).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("aria-current=\"page\">Startlånskalkulator"),
        "the menu marks the page"
    );
    assert!(html.contains("name=\"loans.startlan.principal_kr\""));
    assert!(
        !html.contains("startlan-result-heading"),
        "no result before a calculation"
    );
    let csrf = common::hidden(&html, "csrf");

    // 52 000 − 20 900 − 3 000 − 1 200 − 3 500 − 16 632,56 = 6 767,44 kr, as the API says.
    let response = caseworker
        .post(&url)
        .form(&startlan_form(&csrf, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"startlan-result-heading\""), "no result");
    assert!(html.contains("Terminbeløp startlån"));
    assert!(html.contains("−16\u{a0}632,56\u{a0}kr"), "the monthly payment");
    assert!(html.contains("Renten i stresstesten: 7 % (styringsrenten 4,5 %"));
    assert!(html.contains("6\u{a0}767,44\u{a0}kr"), "what is left");
    assert!(html.contains("Husstanden har betjeningsevne."), "the verdict");
    assert!(html.contains("Verdier som ikke er bekreftet"), "the unverified values");
    assert!(html.contains("value=\"2 500 000\""), "the typed values are kept");

    // Too little income: the verdict turns, and a grant must cover the whole need.
    let response = caseworker
        .post(&url)
        .form(&startlan_form(&csrf, &[("income_after_tax_kr", "20 000")]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    assert!(html.contains("Husstanden har ikke betjeningsevne."));
    assert!(html.contains("Behov for tilskudd til etablering"));

    // Unreadable and invalid values: 422, every message next to its field and in the summary.
    let response = caseworker
        .post(&url)
        .header("accept-language", "en")
        .form(&startlan_form(
            &csrf,
            &[
                ("income_after_tax_kr", "a lot"),
                ("loans.startlan.term_years", "45"),
                ("fixed_costs[2].amount_kr", "-10"),
                ("fixed_costs[2].kind", "debt"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let html = response.text().await.unwrap();
    assert!(html.contains("class=\"error-summary\""));
    for (id, text) in [
        (
            "f-income_after_tax_kr",
            "Income after tax (kr): Write a whole amount in kroner, for example 12 500.",
        ),
        (
            "f-fixed_costs-2-amount_kr",
            "Cost 3, amount per month (kr): The amount cannot be negative.",
        ),
        ("f-loans-startlan-extended_term_reason", "Reason for a longer term: "),
        (
            "f-loans-startlan-extended_term_conditions",
            "Conditions for a term over 30 years: ",
        ),
    ] {
        assert!(html.contains(&format!("href=\"#{id}\"")), "the summary links to {id}");
        let message = format!("<p class=\"error-message\" id=\"{id}-error\">{text}");
        assert!(html.contains(&message), "no {message:?} in the page");
    }
    assert!(html.contains("id=\"f-income_after_tax_kr\" name=\"income_after_tax_kr\" value=\"a lot\""));
    assert!(
        !html.contains("startlan-result-heading"),
        "no result for an invalid form"
    );

    // Without the form's CSRF token: refused.
    let mut no_csrf = startlan_form("", &[]);
    no_csrf.retain(|(k, _)| k != "csrf");
    let response = caseworker.post(&url).form(&no_csrf).send().await.unwrap();
    assert_eq!(response.status(), 403);

    // A leader may not see cases, so not the calculator either.
    let leader = common::login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
    assert_eq!(leader.get(&url).send().await.unwrap().status(), 403);
    let leader_csrf = common::csrf_of(&server, &leader, "/plans").await;
    let response = leader
        .post(&url)
        .form(&startlan_form(&leader_csrf, &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);

    // Nobody signed in: to the login page.
    let anonymous = common::client();
    for response in [
        anonymous.get(&url).send().await.unwrap(),
        anonymous.post(&url).form(&startlan_form("", &[])).send().await.unwrap(),
    ] {
        assert_eq!(response.status(), 303);
        assert_eq!(response.headers()["location"], "/login");
    }
}
