//! Rent changes on a contract through the page, the daily job and the API, on both backends: an
//! index adjustment without its written notice is refused naming the field, and nothing is
//! saved; an agreed change from today is in effect at once; a correction from a later day waits
//! until the daily job puts it into effect on its day (once, however often it runs); the
//! caseworker reads the contract but cannot change its rent.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_domain::validation::format_date;

#[tokio::test]
async fn the_rent_changes_now_or_on_its_day() {
    for db in Database::all().await {
        let f = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .unwrap();
        let today = common::today();
        let page = format!("/tenancies/{}", f.tenancy);
        let manager = common::login(&server, &f.users[&Role::HousingManager].0, PASSWORD).await;
        let html = common::page_text(&server, &manager, &page).await;
        assert!(html.contains("Endre husleien"), "{html}");
        assert!(common::raw_keys(&html).is_empty(), "{:?}", common::raw_keys(&html));
        let csrf = common::hidden(&html, "csrf");
        let post = |path: String, fields: Vec<(&'static str, String)>| {
            let mut fields = fields;
            fields.push(("csrf", csrf.clone()));
            manager.post(server.url(&path)).form(&fields).send()
        };
        let version = || async { store.contract(f.home, &f.tenancy).await.unwrap().version.to_string() };

        // An index adjustment needs its notice: refused, nothing saved.
        let refused = post(
            format!("{page}/rent"),
            vec![
                ("version", version().await),
                ("effective_from", format_date(today)),
                ("monthly_rent_kr", "8 400".into()),
                ("basis", "index_adjustment".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(refused.status(), 422);
        let text = refused.text().await.unwrap();
        assert!(text.contains("href=\"#f-rent-notice_on\""), "{text}");
        assert!(store.rent_changes(f.home, &f.tenancy).await.unwrap().is_empty());

        // Agreed from today: in effect at once.
        let agreed = post(
            format!("{page}/rent"),
            vec![
                ("version", version().await),
                ("effective_from", format_date(today)),
                ("monthly_rent_kr", "8 400".into()),
                ("basis", "agreement".into()),
                ("note", "Ny vaskemaskin i leiligheten".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(agreed.status(), 303);
        let html = common::plain(&common::page_text(&server, &manager, &page).await);
        assert!(html.contains("Husleieendringen er registrert."), "{html}");
        assert!(html.contains("Trådt i kraft"), "{html}");
        assert_eq!(
            store.contract(f.home, &f.tenancy).await.unwrap().monthly_rent_ore,
            840_000
        );

        // A correction from a later day waits for its day.
        let later = today + time::Duration::days(10);
        let coming = post(
            format!("{page}/rent"),
            vec![
                ("version", version().await),
                ("effective_from", format_date(later)),
                ("monthly_rent_kr", "8 350".into()),
                ("basis", "correction".into()),
                ("note", "Avtalt leie var 8 350 kroner".into()),
            ],
        )
        .await
        .unwrap();
        assert_eq!(coming.status(), 303);
        assert_eq!(
            store.contract(f.home, &f.tenancy).await.unwrap().monthly_rent_ore,
            840_000
        );
        let none_yet = husly_usecases::rent_changes::apply_rent_changes(&store, today)
            .await
            .unwrap();
        assert_eq!(none_yet, 0);
        let applied = husly_usecases::rent_changes::apply_rent_changes(&store, later)
            .await
            .unwrap();
        assert_eq!(applied, 1);
        let again = husly_usecases::rent_changes::apply_rent_changes(&store, later)
            .await
            .unwrap();
        assert_eq!(again, 0, "once");
        assert_eq!(
            store.contract(f.home, &f.tenancy).await.unwrap().monthly_rent_ore,
            835_000
        );
        let events = store.contract_events(f.home, &f.tenancy).await.unwrap();
        assert_eq!(events.iter().filter(|e| e.kind == "rent_change_applied").count(), 1);
        assert_eq!(events.iter().filter(|e| e.kind == "rent_changed").count(), 2);

        // The caseworker reads, and cannot change the rent.
        let token = f.users[&Role::Caseworker].1.clone();
        let json = common::api_json(&server, &format!("/api/v1/tenancies/{}", f.tenancy), &token).await;
        assert_eq!(json["rent_changes"].as_array().map(Vec::len), Some(2), "{json}");
        let denied = common::client()
            .post(server.url(&format!("/api/v1/tenancies/{}/rent-changes", f.tenancy)))
            .bearer_auth(&token)
            .json(&serde_json::json!({
                "version": 1, "effective_from": later.to_string(), "monthly_rent_kr": "9000",
                "basis": "agreement", "note": "x"
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(denied.status(), 403);
    }
}
