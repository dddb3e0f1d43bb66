//! The search box in a large municipality: a query that matches more than the search ranks
//! shows the best it found and says so, on the page and in the API, on both backends.

use crate::common;

use common::fixture::{PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::Role;
use husly_store::audit::Actor;
use husly_store::{Store, StoreOptions};

#[tokio::test]
async fn a_query_matching_more_than_the_search_ranks_says_so() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = Store::connect(&db.url, &StoreOptions::default()).await.unwrap();
        let drammen = store.municipality_by_number("3301").await.unwrap().unwrap();
        // Every seeded household has a Drammen postal code, 3xxx: 1 100 addresses match "3".
        store
            .seed_households(&drammen, 1_100, 5, &Actor::cli("test"))
            .await
            .unwrap();
        let server = start(&db, &[]);
        let (email, token) = &fixture.users[&Role::Caseworker];
        let http = common::login(&server, email, PASSWORD).await;

        let page = common::page_text(&server, &http, "/search?q=3").await;
        assert!(
            page.contains("Over 1\u{a0}000 navn eller adresser passer til søket"),
            "{page}"
        );
        assert!(!page.contains("Det kan finnes flere"), "one notice, not two");
        let api = common::api_json(&server, "/api/v1/people?municipality=3301&q=3&limit=20", token).await;
        assert_eq!(api["too_many"], true, "{api}");
        assert_eq!(api["results"].as_array().unwrap().len(), 20);

        // A narrower query is ranked whole, and the notice is the usual one.
        let api = common::api_json(&server, "/api/v1/people?municipality=3301&q=oppdiktet&limit=5", token).await;
        assert_eq!(api["too_many"], false, "{api}");
        let page = common::page_text(&server, &http, "/search?q=oppdiktet").await;
        assert!(!page.contains("navn eller adresser passer til søket"), "{page}");
        assert!(page.contains("Det kan finnes flere"), "{page}");
    }
}
