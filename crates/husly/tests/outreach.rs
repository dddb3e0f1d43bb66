//! The bostøtte outreach list over HTTP on both backends: page, CSV, XLSX and API agree, and
//! registering bostøtte takes a household off the list.

mod common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_store::audit::Actor;
use husly_store::{Store, StoreOptions};

#[tokio::test]
async fn the_outreach_list_in_page_downloads_and_api() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let drammen = store.municipality_by_number("3301").await.unwrap().unwrap();
        store
            .seed_households(&drammen, 600, 3, &Actor::cli("test"))
            .await
            .unwrap();
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
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM audit_entry WHERE action = 'outreach.bostotte'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(
            runs, 6,
            "api, page (leader), page (caseworker), csv, xlsx, api again; the refused month is not run"
        );
    }
}
