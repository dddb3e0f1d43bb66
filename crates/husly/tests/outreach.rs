//! The bostøtte outreach list over HTTP on both backends: page, CSV, XLSX and API agree, and
//! registering bostøtte takes a household off the list.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_store::audit::Actor;
use husly_store::{Store, StoreOptions};

/// The fixture's users and Drammen with 600 seeded households (tenants among them).
async fn seeded(
    db: &Database,
) -> (
    common::fixture::Fixture,
    Store,
    husly_store::municipalities::Municipality,
) {
    let fixture = prepare(&db.url).await;
    let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
    let drammen = store.municipality_by_number("3301").await.unwrap().unwrap();
    store
        .seed_households(&drammen, 600, 3, &Actor::cli("test"))
        .await
        .unwrap();
    (fixture, store, drammen)
}

#[tokio::test]
async fn the_outreach_list_in_page_downloads_and_api() {
    for db in Database::all().await {
        let (fixture, store, drammen) = seeded(&db).await;
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Leader];
        let http = common::login(&server, email, PASSWORD).await;

        let api = common::api_json(
            &server,
            "/api/v1/outreach/bostotte?municipality=3301&month=2026-07",
            token,
        )
        .await;
        let candidates = api["candidates"].as_array().unwrap();
        assert!(!candidates.is_empty(), "{api}");
        assert!(api["examined"].as_u64().unwrap() >= candidates.len() as u64);
        let amounts: Vec<i64> = candidates.iter().map(|c| c["monthly_kr"].as_i64().unwrap()).collect();
        assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "largest first");

        let page = http.get(server.url("/outreach?month=2026-07")).send().await.unwrap();
        assert_eq!(page.status(), 200);
        let html = page.text().await.unwrap();
        let first = candidates[0]["household_id"].as_str().unwrap();
        // A leader sees the addresses but no links into households they may not open.
        let address = candidates[0]["address_line"].as_str().unwrap();
        assert!(html.contains(address), "the page lists the top household");
        assert!(
            !html.contains(&format!("/households/{first}/bostotte")),
            "no household links for a leader"
        );
        let (caseworker_email, _) = &fixture.users[&Role::Caseworker];
        let caseworker = common::login(&server, caseworker_email, PASSWORD).await;
        let html = common::page_text(&server, &caseworker, "/outreach?month=2026-07").await;
        assert!(
            html.contains(&format!("/households/{first}/bostotte")),
            "a caseworker gets the links"
        );

        let csv = http
            .get(server.url("/outreach.csv?month=2026-07"))
            .send()
            .await
            .unwrap();
        assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
        assert!(
            csv.headers()["content-disposition"]
                .to_str()
                .unwrap()
                .contains("bostotte-oppsok-3301-2026-07.csv")
        );
        let text = csv.text().await.unwrap();
        assert_eq!(
            text.lines().count(),
            candidates.len() + 1,
            "a header and one line per household"
        );
        assert!(text.lines().nth(1).unwrap().contains(first));

        let xlsx = http
            .get(server.url("/outreach.xlsx?month=2026-07"))
            .send()
            .await
            .unwrap();
        assert_eq!(xlsx.status(), 200);
        // The workbook, opened: its cells are the CSV's, row by row and column by column.
        let sheet = common::xlsx_cells(&xlsx.bytes().await.unwrap(), 1);
        let csv_cells: Vec<Vec<String>> = text
            .trim_start_matches('\u{feff}')
            .lines()
            .map(|line| line.split(';').map(str::to_string).collect())
            .collect();
        assert_eq!(
            sheet.len(),
            candidates.len() + 1,
            "a heading row and one row per household"
        );
        assert_eq!(sheet, csv_cells, "the XLSX and the CSV hold the same cells");

        let bad = http.get(server.url("/outreach?month=2019-13")).send().await.unwrap();
        assert_eq!(bad.status(), 422);
        assert!(bad.text().await.unwrap().contains("mm.åååå"));

        // Once bostøtte is registered, the household is no longer on the list.
        let household = husly_domain::HouseholdId(first.parse().unwrap());
        store
            .register_benefit(
                drammen.id,
                household,
                husly_store::tenancies::BOSTOTTE,
                time::macros::date!(2026 - 06 - 01),
                &husly_store::households::Change {
                    actor: &Actor::cli("test"),
                    user: None,
                    reason: Some("innvilget"),
                },
            )
            .await
            .unwrap();
        let after = common::api_json(
            &server,
            "/api/v1/outreach/bostotte?municipality=3301&month=2026-07",
            token,
        )
        .await;
        assert_eq!(after["candidates"].as_array().unwrap().len(), candidates.len() - 1);
        assert!(
            after["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["household_id"] != first)
        );

        // Every run is in the access log.
        let runs: i64 =
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM access_entry WHERE action = 'outreach.bostotte'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(
            runs, 6,
            "api, page (leader), page (caseworker), csv, xlsx, api again; the refused month is not run"
        );
    }
}

/// A caseworker records a contact with a household on the list from its form: bad input is
/// named and nothing is kept; the contact shows on the list after a confirmation, on the
/// household's timeline and on the action plan as a household reached; the leader may run the
/// list but not record; removing the contact takes it off the plan again.
#[tokio::test]
async fn a_contact_from_the_list_is_recorded_counted_and_removed() {
    for db in Database::all().await {
        let (fixture, _, _) = seeded(&db).await;
        // The plan's count follows each contact at once: no value is kept between views.
        let server = common::start_configured(&db, &[], "live_values_secs = 0\n");
        let today = common::today();
        let month = format!("{}-{:02}", today.year(), u8::from(today.month()));
        let written_month = format!("{:02}.{}", u8::from(today.month()), today.year());
        let (caseworker_email, caseworker_token) = &fixture.users[&Role::Caseworker];
        let list = common::api_json(
            &server,
            &format!("/api/v1/outreach/bostotte?municipality=3301&month={month}"),
            caseworker_token,
        )
        .await;
        assert_eq!(list["contacts"], serde_json::json!([]), "{list}");
        let household = list["candidates"][0]["household_id"].as_str().unwrap().to_string();
        let caseworker = common::login(&server, caseworker_email, PASSWORD).await;
        let form_path = format!("/outreach/households/{household}/contact?month={month}");
        let form = common::page_text(&server, &caseworker, &form_path).await;
        assert!(form.contains("Kontakt om bostøtte"), "{form}");
        assert!(common::raw_keys(&form).is_empty(), "{:?}", common::raw_keys(&form));
        let csrf = common::hidden(&form, "csrf");
        let post = |fields: Vec<(&'static str, String)>| {
            let mut fields = fields;
            fields.push(("csrf", csrf.clone()));
            caseworker
                .post(server.url(&format!("/outreach/households/{household}/contact")))
                .form(&fields)
                .send()
        };

        // Bad input: each problem named, nothing kept.
        let refused = post(vec![
            ("month", month.clone()),
            ("contacted_on", (today + time::Duration::days(1)).to_string()),
            ("outcome", "will_apply".into()),
        ])
        .await
        .unwrap();
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(
            text.contains("Datoen for kontakten kan ikke være fram i tid."),
            "{text}"
        );
        assert!(text.contains("href=\"#f-channel\""), "{text}");
        let kept = common::api_json(
            &server,
            &format!("/api/v1/households/{household}/outreach-contacts?month={month}"),
            caseworker_token,
        )
        .await;
        assert_eq!(kept["contact"], serde_json::Value::Null, "nothing kept: {kept}");

        let recorded = post(vec![
            ("month", month.clone()),
            ("contacted_on", today.to_string()),
            ("channel", "phone".into()),
            ("outcome", "will_apply".into()),
            ("note", "Vil ha hjelp med søknaden".into()),
        ])
        .await
        .unwrap();
        assert_eq!(recorded.status(), 303);
        let back = recorded.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(back, format!("/outreach?month={written_month}"));
        let html = common::page_text(&server, &caseworker, &back).await;
        assert!(html.contains("Kontakten er registrert."), "confirmation");
        let day = husly_domain::validation::format_date(today);
        assert!(html.contains(&format!("Telefon {day}: Vil søke")), "{html}");

        // The leader runs the list but records nothing.
        let leader_token = &fixture.users[&Role::Leader].1;
        let by_leader = common::client()
            .post(server.url(&format!("/api/v1/households/{household}/outreach-contacts")))
            .bearer_auth(leader_token)
            .json(&serde_json::json!({"contacted_on": today.to_string(), "channel": "letter", "outcome": "applied"}))
            .send()
            .await
            .unwrap();
        assert_eq!(by_leader.status(), 403);

        // On the household's timeline, and counted on the action plan.
        let timeline = common::api_json(
            &server,
            &format!("/api/v1/households/{household}/timeline"),
            caseworker_token,
        )
        .await;
        assert!(
            timeline.to_string().contains("household.outreach_contact_recorded"),
            "{timeline}"
        );
        let plan = format!("/api/v1/action-plans/{}", fixture.plan);
        let added = common::client()
            .post(server.url(&format!("{plan}/goals/{}/indicators", fixture.goal)))
            .bearer_auth(leader_token)
            .json(
                &serde_json::json!({ "name": "Nådd med bostøtte", "definition": "bostotte_outreach_reached",
                "baseline": "0", "baseline_year": "2025", "target": "50", "target_year": "2029" }),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(added.status(), 201);
        let reached = |plan: serde_json::Value| {
            plan["goals"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|g| g["indicators"].as_array().unwrap().clone())
                .find(|i| i["definition"] == "bostotte_outreach_reached")
                .map(|i| i["value"].clone())
                .unwrap()
        };
        assert_eq!(reached(common::api_json(&server, &plan, leader_token).await), "1");

        // Removed as recorded in error: off the list's contacts and the plan.
        let contact = common::api_json(
            &server,
            &format!("/api/v1/households/{household}/outreach-contacts?month={month}"),
            caseworker_token,
        )
        .await;
        assert_eq!(contact["note"], "Vil ha hjelp med søknaden");
        let removed = caseworker
            .post(server.url(&format!("/outreach/households/{household}/contact/remove")))
            .form(&[
                ("csrf", csrf.clone()),
                ("contact", contact["contact"]["id"].as_str().unwrap().to_string()),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(removed.status(), 303);
        let html = common::page_text(&server, &caseworker, &back).await;
        assert!(html.contains("Registreringen er fjernet."), "confirmation");
        assert_eq!(reached(common::api_json(&server, &plan, leader_token).await), "0");
    }
}

/// The list is kept: the nightly run makes this month's when the server starts its day, a
/// change to a household's income shows only once the list is made again (from the page, with
/// a confirmation, or over the API), and each list made is in the access log.
#[tokio::test]
async fn the_kept_list_is_made_again_on_request() {
    for db in Database::all().await {
        let (fixture, store, drammen) = seeded(&db).await;
        let server = start(&db, &[]);
        common::scheduler_settled(&store).await;
        let (email, token) = &fixture.users[&Role::Caseworker];
        let caseworker = common::login(&server, email, PASSWORD).await;

        // This month's list is last night's (made at the server's start of the day).
        let html = common::page_text(&server, &caseworker, "/outreach").await;
        assert!(html.contains("av nattkjøringen."), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let path = "/api/v1/outreach/bostotte?municipality=3301";
        let before = common::api_json(&server, path, token).await;
        assert!(before.get("made_by").is_none(), "{before}");
        assert!(before["made_at"].as_i64().unwrap() > 0);
        let candidates = before["candidates"].as_array().unwrap().len();
        let first = before["candidates"][0]["household_id"].as_str().unwrap().to_string();

        // The first household's main person gets a large wage: the kept list still has it.
        let id = husly_domain::HouseholdId(first.parse().unwrap());
        let household = store.household(drammen.id, id).await.unwrap();
        let cli = Actor::cli("test");
        let change = husly_store::households::Change {
            actor: &cli,
            user: None,
            reason: None,
        };
        let wage = (
            household.members[0].person.id,
            husly_domain::bostotte::IncomeKind::Wages,
            200_000_000, // 2 million kr a year, in øre
        );
        store.set_incomes(drammen.id, id, &[wage], &change).await.unwrap();
        let kept = common::api_json(&server, path, token).await;
        assert_eq!(kept["candidates"].as_array().unwrap().len(), candidates);

        // Made again from the page: a confirmation, then the list without it, made by the caseworker.
        let csrf = common::hidden(&html, "csrf");
        let made = caseworker
            .post(server.url("/outreach/make"))
            .form(&[("csrf", csrf.as_str()), ("month", "")])
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), 303, "{:?}", made.text().await);
        let back = made.headers()["location"].to_str().unwrap().to_string();
        assert!(back.starts_with("/outreach?month="), "{back}");
        let html = common::page_text(&server, &caseworker, &back).await;
        assert!(
            html.contains("Listen er laget på nytt fra leieforholdene slik de er nå."),
            "{html}"
        );
        assert!(html.contains("av Test caseworker."), "{html}");
        let after = common::api_json(&server, path, token).await;
        assert_eq!(after["candidates"].as_array().unwrap().len(), candidates - 1);
        assert!(
            after["candidates"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c["household_id"] != first.as_str())
        );

        // A month that cannot be made goes back to the page that names what is wrong.
        let refused = caseworker
            .post(server.url("/outreach/make"))
            .form(&[("csrf", csrf.as_str()), ("month", "2019-13")])
            .send()
            .await
            .unwrap();
        let back = refused.headers()["location"].to_str().unwrap().to_string();
        let page = caseworker.get(server.url(&back)).send().await.unwrap();
        assert_eq!(page.status(), 422);
        assert!(page.text().await.unwrap().contains("mm.åååå"));

        // Over the API: the figures of the list made.
        let http = reqwest::Client::new();
        let figures: serde_json::Value = http
            .post(server.url("/api/v1/outreach/bostotte/make?municipality=3301"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(figures["households"].as_u64(), Some(candidates as u64 - 1), "{figures}");
        assert_eq!(figures["total_monthly_kr"], after["total_monthly_kr"]);

        let lists_made: i64 = sqlx::query_scalar::<_, i64>(
            "SELECT COUNT(*) FROM audit_entry WHERE action = 'outreach.list_made' AND municipality_id = $1",
        )
        .bind(drammen.id.to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(lists_made, 3, "the nightly run, the page and the API");
    }
}
