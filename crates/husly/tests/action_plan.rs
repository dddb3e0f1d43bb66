//! The action plan over HTTP on both backends: the leader lands on the plan in force, adds an
//! indicator whose value comes from the cases, is told what is wrong with bad input, changes a
//! target only with a reason, reports a value by hand and moves a measure on; every change is in
//! the plan's history in words. The unit follows the plan but cannot change it.

use crate::common;

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

/// A goal's dashboard on both backends, with two servers sharing the database: the scheduler
/// takes today's snapshots once, the trend shows last year as it stood at the year's end and this
/// year computed now, as an SVG chart and as a table; the drill-down behind a value shows the
/// leader counts and a caseworker the cases, the latter a recorded read.
#[tokio::test]
async fn a_goal_dashboard_shows_the_trend_and_what_a_value_counts() {
    use husly_domain::action_plan::Figure;
    use husly_store::snapshots::Snapshot;
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        let today = common::today();
        let (this_year, last_year) = (today.year(), today.year() - 1);
        let day = |year: i32, month: time::Month, d: u8| time::Date::from_calendar_date(year, month, d).unwrap();
        let snapshot = |taken_on: time::Date, value: i64| Snapshot {
            definition: "housing_applications_new".into(),
            year: last_year,
            taken_on,
            value: Some(Figure::whole(value)),
            counted: value,
            numerator: None,
        };
        // Last year as the job saw it in June and on New Year's Eve, and a correction computed
        // later: the year's end counts.
        store
            .save_snapshots(
                fixture.home,
                &[
                    snapshot(day(last_year, time::Month::June, 30), 3),
                    snapshot(day(last_year, time::Month::December, 31), 7),
                    snapshot(day(this_year, time::Month::January, 2), 8),
                ],
            )
            .await
            .unwrap();
        let server = start(&db, &[]);
        let second = start(&db, &[]);

        // Both servers look for today's run at start; one claims it and runs it.
        let mut runs = Vec::new();
        for _ in 0..100 {
            runs = store.job_runs("indicator_snapshots", 10).await.unwrap();
            if runs.iter().any(|r| r.outcome.as_deref() == Some("done")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert_eq!(runs.len(), 1, "one run today: {runs:?}");
        assert_eq!((runs[0].run_on, runs[0].outcome.as_deref()), (today, Some("done")));
        let taken = store
            .snapshots_of_year(fixture.home, "housing_applications_new", this_year)
            .await
            .unwrap();
        assert_eq!(
            taken.iter().map(|s| (s.taken_on, s.value)).collect::<Vec<_>>(),
            vec![(today, Some(Figure::whole(1)))],
            "today's snapshot of this year: the fixture's one new application"
        );
        drop(second);

        let plan = &fixture.plan;
        let trends = common::api_json(
            &server,
            &format!("/api/v1/action-plans/{plan}/goals/{}", fixture.goal),
            &fixture.users[&Role::Leader].1,
        )
        .await;
        let computed = trends["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["indicator"]["id"] == fixture.computed_indicator.as_str())
            .expect("the computed indicator");
        assert_eq!(
            computed["points"],
            serde_json::json!([
                { "year": last_year, "value": "7", "source": "snapshot", "taken_on": format!("{last_year}-12-31") },
                { "year": this_year, "value": "1", "source": "computed", "taken_on": null },
            ]),
            "{trends}"
        );

        let leader = login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let html = page(&server, &leader, &format!("/plans/{plan}")).await;
        assert!(html.contains(&format!("href=\"/plans/{plan}/goals/{}\"", fixture.goal)));
        let html = page(&server, &leader, &format!("/plans/{plan}/goals/{}", fixture.goal)).await;
        assert!(html.contains("<svg class=\"chart\""), "a chart");
        assert!(html.contains("role=\"img\""));
        assert!(
            html.contains(&format!("Verdier: {last_year}: 7, {this_year}: 1.")),
            "the chart's description tells the figures"
        );
        assert!(html.contains(&format!("Slik tallet sto ved årsslutt (lagret 31.12.{last_year})")));
        assert!(html.contains("Beregnet nå"));

        // The status report for the council, and its tables.
        let pdf = leader
            .get(server.url(&format!("/plans/{plan}/report.pdf")))
            .send()
            .await
            .unwrap();
        assert_eq!(pdf.status(), 200);
        assert_eq!(pdf.headers()["content-type"], "application/pdf");
        assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
        let xlsx = leader
            .get(server.url(&format!("/plans/{plan}/report.xlsx")))
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200);
        let bytes = xlsx.bytes().await.unwrap();
        let indicators = common::xlsx_cells(&bytes, 1);
        assert_eq!(indicators[0][0], "Mål i planen");
        let computed_row = indicators
            .iter()
            .find(|row| row[1] == "Nye søknader")
            .expect("the computed indicator's row");
        assert_eq!(
            computed_row[2..],
            [
                "Nye søknader om kommunal bolig",
                "Antall",
                "1",
                "0",
                "2025",
                "5",
                "2029",
                "Risiko"
            ],
            "{indicators:?}"
        );
        let trend = common::xlsx_cells(&bytes, 2);
        assert!(
            trend
                .iter()
                .any(|row| row[1] == "Nye søknader" && row[2] == last_year.to_string() && row[3] == "7"),
            "{trend:?}"
        );
        let measures = common::xlsx_cells(&bytes, 3);
        assert_eq!(measures[1][1], "Bo-team for unge");

        // The leader sees what the value counts, but not the cases; nothing personal is read.
        let behind = format!("/plans/{plan}/indicators/{}/cases", fixture.computed_indicator);
        let before = common::audit_entries_by_people(&store).await;
        let html = page(&server, &leader, &behind).await;
        assert!(
            html.contains(&format!("Indikatoren teller 1 sak for {this_year}.")),
            "{html}"
        );
        assert!(html.contains("Rollen din gir tilgang til tallene, men ikke til sakene bak dem."));
        assert!(!html.contains(&format!("/cases/{}", fixture.case)));
        assert_eq!(common::audit_entries_by_people(&store).await, before);

        // A caseworker sees the case itself, and the read is recorded.
        let caseworker = login(&server, &fixture.users[&Role::Caseworker].0, PASSWORD).await;
        let html = page(&server, &caseworker, &behind).await;
        assert!(html.contains(&format!("href=\"/cases/{}\"", fixture.case)), "{html}");
        assert_eq!(common::audit_entries_by_people(&store).await, before + 1);
        let last = store
            .audit_entries(
                fixture.home,
                &husly_store::audit::AuditFilter {
                    limit: 1,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(last[0].action, "plan.indicator_cases");

        // A bad year is named; an indicator reported by hand has no cases behind it; another
        // municipality's user is told the plan does not exist.
        let bad = caseworker
            .get(server.url(&format!("{behind}?year=i fjor")))
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        let manual = caseworker
            .get(server.url(&format!("/plans/{plan}/indicators/{}/cases", fixture.indicator)))
            .send()
            .await
            .unwrap();
        assert_eq!(manual.status(), 404);
        let foreign = common::client()
            .get(server.url(&format!(
                "/api/v1/action-plans/{plan}/indicators/{}/cases",
                fixture.computed_indicator
            )))
            .bearer_auth(&fixture.stranger.1)
            .send()
            .await
            .unwrap();
        assert_eq!(foreign.status(), 404);
    }
}

/// "Fra leie til eie" from the data: the day a contract ends because the household bought a
/// home of its own, the plan's indicators over tenancies count it, in words of contracts. A
/// server that keeps this year's values for a while (the default minute; an hour here) shows the
/// value it computed, and when, until it computes again; one that keeps none shows the new one.
/// A value a little past its time is shown while the server computes the new one in the
/// background.
#[tokio::test]
async fn a_tenant_who_bought_a_home_counts_on_the_plan() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = common::start_configured(&db, &[], "live_values_secs = 0\n");
        let cached = common::start_configured(&db, &[], "live_values_secs = 3600\n");
        let refreshing = common::start_configured(&db, &[], "live_values_secs = 2\n");
        let plan_api = format!("/api/v1/action-plans/{}", fixture.plan);
        let leader_token = fixture.users[&Role::Leader].1.as_str();
        let plan = format!("/plans/{}", fixture.plan);
        let leader = login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let new_indicator = format!("{plan}/goals/{}/indicators/new", fixture.goal);
        let form = page(&server, &leader, &new_indicator).await;
        assert!(
            form.contains("Leietakere i kommunal bolig som kjøpte egen bolig"),
            "offered by name"
        );
        for (name, definition, target) in [
            ("Fra leie til eie", "rent_to_own_households", "10"),
            ("Andel fra leie til eie", "rent_to_own_share", "30"),
        ] {
            let typed = [
                ("name", name),
                ("definition", definition),
                ("direction", "increase"),
                ("baseline", "0"),
                ("baseline_year", "2025"),
                ("target", target),
                ("target_year", "2029"),
            ];
            let (status, location) = post(&server, &leader, &new_indicator, &typed).await;
            assert_eq!(status, 303, "{location}");
        }
        let html = page(&server, &leader, &plan).await;
        assert!(
            html.contains("beregnet fra 0 leieforhold<"),
            "nothing ended yet: {html}"
        );
        let on_cached = login(&cached, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let before = page(&cached, &on_cached, &plan).await;
        assert!(before.contains("beregnet fra 0 leieforhold<"), "{before}");
        let computed = |html: &str| {
            html.split("Verdiene for i år ble regnet ut ")
                .nth(1)
                .and_then(|rest| rest.split('.').take(5).collect::<Vec<_>>().join(".").into())
                .unwrap_or_default()
        };
        assert!(!computed(&before).is_empty(), "the page says when: {before}");
        let computed_at = |json: &serde_json::Value| json["computed_at"].as_i64().expect("computed_at");
        let first = computed_at(&common::api_json(&refreshing, &plan_api, leader_token).await);
        let first_seen = std::time::Instant::now();

        // The housing manager ends the fixture's contract today: the household bought a home.
        let token = &fixture.users[&Role::HousingManager].1;
        let contract = common::api_json(&server, &format!("/api/v1/tenancies/{}", fixture.tenancy), token).await;
        let ended = common::client()
            .post(server.url(&format!("/api/v1/tenancies/{}/end", fixture.tenancy)))
            .bearer_auth(token)
            .json(&serde_json::json!({
                "version": contract["contract"]["version"],
                "ended_on": common::today().to_string(),
                "reason": "bought_own_home",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(ended.status(), 200, "{}", ended.text().await.unwrap());

        let html = page(&server, &leader, &plan).await;
        assert!(html.contains("beregnet fra 1 leieforhold<"), "the count: {html}");
        assert!(html.contains("1 av 1 leieforhold<"), "the share: {html}");
        // The caching server shows what it computed before, and says when.
        let after = page(&cached, &on_cached, &plan).await;
        assert!(after.contains("beregnet fra 0 leieforhold<"), "kept: {after}");
        assert_eq!(computed(&after), computed(&before));
        // Past its two seconds (and within four), the value is still shown while the server
        // computes it again in the background; a view a moment later has the new one. After four
        // seconds a view would compute it itself, so the new one must come before then.
        tokio::time::sleep(std::time::Duration::from_millis(2_200).saturating_sub(first_seen.elapsed())).await;
        let stale = computed_at(&common::api_json(&refreshing, &plan_api, leader_token).await);
        if first_seen.elapsed() < std::time::Duration::from_millis(3_500) {
            assert_eq!(stale, first, "the value past its time is shown");
            let mut refreshed = stale;
            while refreshed == first && first_seen.elapsed() < std::time::Duration::from_millis(3_900) {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                refreshed = computed_at(&common::api_json(&refreshing, &plan_api, leader_token).await);
            }
            assert!(refreshed > first, "computed again in the background");
        }
    }
}

/// The figures of today over the running contracts: a fixed term ending within three months
/// with no renewal decision counts as expiring, and a follow-up plan started counts at once.
#[tokio::test]
async fn running_contracts_and_follow_up_plans_count_on_the_plan() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        // The fixture's contract ends in seven months; moved to two, it is inside the horizon
        // (the daily run opens its review, which is not decided).
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        common::fixture::move_term_end(&store, &fixture.tenancy, 60).await;
        // The figures follow each change at once: no value is kept between views.
        let server = common::start_configured(&db, &[], "live_values_secs = 0\n");
        common::scheduler_settled(&store).await;
        let plan = &fixture.plan;
        let leader = login(&server, &fixture.users[&Role::Leader].0, PASSWORD).await;
        let new_indicator = format!("/plans/{plan}/goals/{}/indicators/new", fixture.goal);
        let form = page(&server, &leader, &new_indicator).await;
        assert!(
            form.contains("Husstander i kommunal bolig med oppfølgingsplan nå"),
            "offered by name"
        );
        for (name, definition, direction, baseline, target) in [
            ("Leieforhold nå", "tenants_now", "increase", "0", "5"),
            (
                "Med oppfølgingsplan",
                "tenants_with_follow_up_plan",
                "increase",
                "0",
                "3",
            ),
            (
                "Går ut uten vedtak",
                "contracts_expiring_undecided",
                "decrease",
                "4",
                "0",
            ),
        ] {
            let typed = [
                ("name", name),
                ("definition", definition),
                ("direction", direction),
                ("baseline", baseline),
                ("baseline_year", "2025"),
                ("target", target),
                ("target_year", "2029"),
            ];
            let (status, location) = post(&server, &leader, &new_indicator, &typed).await;
            assert_eq!(status, 303, "{location}");
        }
        let dashboard = format!("/api/v1/action-plans/{plan}/goals/{}", fixture.goal);
        let this_year =
            |name: &'static str| this_years_value(&server, &fixture.users[&Role::Leader].1, &dashboard, name);
        assert!(this_year("Leieforhold nå").await >= 1, "the fixture's contract runs");
        assert_eq!(this_year("Går ut uten vedtak").await, 1, "{}", db.url);
        let planned = this_year("Med oppfølgingsplan").await;

        // The follow-up worker starts a plan for the fixture's household: counted at once.
        let started = common::client()
            .post(server.url(&format!("/api/v1/households/{}/follow-up/plans", fixture.household)))
            .bearer_auth(&fixture.users[&Role::FollowUpWorker].1)
            .json(&serde_json::json!({
                "goals": "Beholde boligen", "responsible": fixture.follow_up_worker,
                "review_on": (common::today() + time::Duration::days(30)).to_string()
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(started.status(), 201, "{}", started.text().await.unwrap());
        assert_eq!(this_year("Med oppfølgingsplan").await, planned + 1);
    }
}

/// The value computed now of the goal dashboard's indicator called `name`.
async fn this_years_value(server: &Server, token: &str, dashboard: &str, name: &str) -> i64 {
    let trends = common::api_json(server, dashboard, token).await;
    let indicator = trends["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["indicator"]["name"] == name)
        .unwrap_or_else(|| panic!("{name} in {trends}"));
    let point = indicator["points"].as_array().unwrap().last().unwrap();
    assert_eq!(point["source"], "computed", "{name}: {indicator}");
    point["value"].as_str().unwrap().parse().unwrap()
}
