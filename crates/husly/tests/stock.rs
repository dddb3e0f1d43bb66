//! Stock versus demand and the waiting-time estimate over HTTP, on both backends, with seeded
//! households (tenancies begun over the last years, cases on the waiting list, a vacant stock):
//! the page's table and chart, the estimate on the waiting list, and the API's shape agreeing
//! with the waiting list. A leader (no case access) reads the counts but not the list.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_store::audit::Actor;
use husly_store::{Store, StoreOptions};

#[tokio::test]
async fn stock_versus_demand_and_the_estimated_wait() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let drammen = store.municipality_by_number("3301").await.unwrap().unwrap();
        store
            .seed_households(&drammen, 400, 7, &Actor::cli("test"))
            .await
            .unwrap();
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let http = common::login(&server, email, PASSWORD).await;
        let year = husly_domain::oslo::date_at(time::OffsetDateTime::now_utc()).year();

        // The page: a captioned table in a scrolling region, the chart as a described image.
        let html = common::page_text(&server, &http, "/allocation/stock").await;
        assert!(html.contains("<h1>Boligmasse og behov</h1>"), "{html}");
        assert!(html.contains("class=\"table-wrap\""), "{html}");
        assert!(html.contains("<caption id=\"stock-caption\">"), "{html}");
        for y in year - 3..year {
            assert!(html.contains(&format!("Leid ut {y}</th>")), "{y}: {html}");
        }
        assert!(!html.contains(&format!("Leid ut {year}</th>")), "only full years");
        for row in [
            "1 soverom (eller hybel)",
            "5 soverom eller flere",
            "Behov for bolig tilpasset rullestol",
        ] {
            assert!(html.contains(&format!("<th scope=\"row\">{row}</th>")), "{row}: {html}");
        }
        assert!(html.contains("role=\"img\" aria-labelledby=\"stock-chart-title stock-chart-desc\""));
        assert!(
            html.contains("husstander venter,"),
            "the chart's description tells the figures"
        );

        // The waiting list: every household has an estimate or the reason it has none, and the
        // seeded lettings give real ranges.
        let list = common::page_text(&server, &http, "/waiting-list").await;
        assert!(list.contains("Estimert ventetid"), "{list}");
        assert!(list.contains("href=\"/allocation/stock\""), "{list}");
        let rows = list.matches("href=\"/cases/").count();
        let estimates = list.matches("(anslag)</td>").count() + list.matches("<td>Kan ikke anslås:").count();
        assert!(
            rows > 0 && estimates == rows,
            "{rows} rows, {estimates} estimates: {list}"
        );
        assert!(
            list.contains("måneder (anslag)") || list.contains("år (anslag)"),
            "{list}"
        );

        // The API: seven rows, three years, the bedroom rows adding up to the list.
        let stock = common::api_json(&server, "/api/v1/allocation/stock?municipality=3301", token).await;
        let rows = stock["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 7, "{stock}");
        assert_eq!(stock["years"], serde_json::json!([year - 3, year - 2, year - 1]));
        let waiting = |group: &str| {
            rows.iter().find(|r| r["group"] == group).unwrap()["waiting_households"]
                .as_u64()
                .unwrap()
        };
        let parts: u64 = [
            "bedrooms_1",
            "bedrooms_2",
            "bedrooms_3",
            "bedrooms_4",
            "bedrooms_5_plus",
        ]
        .iter()
        .map(|g| waiting(g))
        .sum();
        let api_list = common::api_json(&server, "/api/v1/waiting-list?municipality=3301", token).await;
        assert_eq!(parts, waiting("all"));
        assert_eq!(waiting("all"), api_list["total"].as_u64().unwrap(), "{api_list}");
        let all = rows.iter().find(|r| r["group"] == "all").unwrap();
        assert!(all["dwellings"].as_u64().unwrap() > 0 && all["lettings"].as_array().unwrap().len() == 3);
        let estimated = api_list["households"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|h| h["estimated_wait"]["low_months"].as_u64().is_some())
            .count();
        assert!(estimated > 0, "{api_list}");
        for h in api_list["households"].as_array().unwrap() {
            let e = &h["estimated_wait"];
            match (e["low_months"].as_u64(), e["high_months"].as_u64()) {
                (Some(low), Some(high)) => assert!(low <= high && e["no_estimate"].is_null(), "{e}"),
                _ => assert!(e["no_estimate"].is_string(), "{e}"),
            }
        }

        // A leader sees the counts, not the named list.
        let (email, _) = &fixture.users[&Role::Leader];
        let leader = common::login(&server, email, PASSWORD).await;
        assert_eq!(
            leader
                .get(server.url("/allocation/stock"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        assert_eq!(
            leader.get(server.url("/waiting-list")).send().await.unwrap().status(),
            403
        );
    }
}
