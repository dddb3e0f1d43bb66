//! The action plan over HTTP on both backends: the leader lands on the plan in force, adds an
//! indicator whose value comes from the cases, is told what is wrong with bad input, changes a
//! target only with a reason, reports a value by hand and moves a measure on; every change is in
//! the plan's history in words. The unit follows the plan but cannot change it.

mod common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, Server, csrf_of, login, start};
use husly_domain::authz::Role;

async fn post(server: &Server, http: &reqwest::Client, path: &str, pairs: &[(&str, &str)]) -> (u16, String) {
    let csrf = csrf_of(server, http, "/plans").await;
    let mut form: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    form.push(("csrf".into(), csrf));
    let response = http.post(server.url(path)).form(&form).send().await.unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string());
    let body = response.text().await.unwrap();
    (status, location.unwrap_or(body))
}

async fn page(server: &Server, http: &reqwest::Client, path: &str) -> String {
    let response = http.get(server.url(path)).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_leader_keeps_the_plan_and_the_unit_follows_it() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let plan = format!("/plans/{}", fixture.plan);
        let leader = login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;

        // The leader lands on the plan in force this year.
        let home = leader.get(server.url("/")).send().await.unwrap();
        assert_eq!(home.headers()["location"], "/plan");
        let start_page = leader.get(server.url("/plan")).send().await.unwrap();
        assert_eq!(start_page.headers()["location"].to_str().unwrap(), plan);
        let html = page(&server, &leader, &plan).await;
        assert!(html.contains("Boligsosial handlingsplan 2026–2029"));
        assert!(html.contains("Ingen skal være bostedsløse"));
        assert!(html.contains("Bo-team for unge"));
        assert!(html.contains("Utkast"), "not adopted yet");

        // An indicator from the cases: the fixture's one new housing application this year.
        let new_indicator = format!("{plan}/goals/{}/indicators/new", fixture.goal);
        let form = page(&server, &leader, &new_indicator).await;
        assert!(
            form.contains("Nye søknader om kommunal bolig"),
            "the definitions are offered by name"
        );
        let typed = [
            ("name", "Nye søkere"),
            ("definition", "housing_applications_new"),
            ("direction", "decrease"),
            ("baseline", "0"),
            ("baseline_year", "2025"),
            ("target", "10"),
            ("target_year", "2029"),
        ];
        let (status, body) = post(&server, &leader, &new_indicator, &typed).await;
        assert_eq!(status, 422);
        assert!(
            body.contains("Når lavere er bedre, kan målet ikke være høyere enn utgangspunktet."),
            "the error says what is wrong"
        );
        assert!(body.contains("value=\"Nye søkere\""), "what was typed is kept");
        let mut typed = typed.to_vec();
        typed[2] = ("direction", "increase");
        let (status, location) = post(&server, &leader, &new_indicator, &typed).await;
        assert_eq!(status, 303, "{location}");
        let html = page(&server, &leader, &location).await;
        assert!(html.contains("Indikatoren er lagt til."), "confirmed");
        assert!(
            html.contains("beregnet fra 1 sak<"),
            "computed from the one case: {html}"
        );

        // A target changes only with a reason; the history keeps the old and new value.
        let indicator = format!("{plan}/indicators/{}/edit", fixture.indicator);
        let edit = page(&server, &leader, &indicator).await;
        assert!(
            edit.contains("Rapporter en verdi for et år"),
            "a manual indicator can be reported"
        );
        let changed = [
            ("name", "Bostedsløse (kartlegging)"),
            ("unit", "count"),
            ("direction", "decrease"),
            ("baseline", "40"),
            ("baseline_year", "2025"),
            ("target", "15"),
            ("target_year", "2029"),
        ];
        let (status, body) = post(&server, &leader, &indicator, &changed).await;
        assert_eq!(status, 422);
        assert!(body.contains("Skriv hvorfor utgangspunktet eller målet endres."));
        let mut with_reason = changed.to_vec();
        with_reason.push(("reason", "Bystyret skjerpet målet"));
        let (status, _) = post(&server, &leader, &indicator, &with_reason).await;
        assert_eq!(status, 303);

        // A value reported by hand, and a measure moved on.
        let report = format!("{plan}/indicators/{}/report", fixture.indicator);
        let (status, body) = post(&server, &leader, &report, &[("year", "2025"), ("value", "-3")]).await;
        assert_eq!(status, 422);
        assert!(body.contains("Skriv et tall som ikke er negativt"));
        let (status, _) = post(&server, &leader, &report, &[("year", "2025"), ("value", "38")]).await;
        assert_eq!(status, 303);
        let measure = format!("{plan}/measures/{}/edit", fixture.measure);
        let moved = [
            ("title", "Bo-team for unge"),
            ("owner", "Boligkontoret"),
            ("status", "in_progress"),
            ("budget_kr", "1 250 000"),
        ];
        assert_eq!(post(&server, &leader, &measure, &moved).await.0, 303);
        let html = page(&server, &leader, &plan).await;
        assert!(html.contains("rapportert for 2025"));
        assert!(html.contains("Pågår"));
        assert!(html.contains("1\u{a0}250\u{a0}000\u{a0}kr"));

        let history = page(&server, &leader, &format!("{plan}/history")).await;
        assert!(history.contains("Mål: 20 → 15"), "old and new target");
        assert!(history.contains("Bystyret skjerpet målet"));
        assert!(history.contains("Status: Planlagt → Pågår"), "in words, not codes");
        assert!(history.contains("Verdi for 2025: – → 38"));
        assert!(!history.contains("in_progress"));

        // The caseworker follows the plan but cannot change it.
        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let html = page(&server, &caseworker, &plan).await;
        assert!(html.contains("Nye søkere"));
        assert!(!html.contains("/edit\""), "no edit links");
        let csrf = csrf_of(&server, &caseworker, "/plans").await;
        let refused = caseworker
            .post(server.url(&measure))
            .form(&[("csrf", csrf.as_str()), ("title", "x")])
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 403);
    }
}
