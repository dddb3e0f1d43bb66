//! The municipality's priority policy versions on SQLite and, when `HUSLY_TEST_POSTGRES_URL` is
//! set, PostgreSQL: versions append, the one in force is picked by date (of one day the last
//! saved), a version label is not reused, every save is audited in its transaction, another
//! municipality sees nothing, and the archive carries the table.

use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::priority_policy::NewPolicy;
use husly_store::testing::TestDb;
use husly_store::{Backend, StoreError};
use time::macros::date;

fn new<'a>(version: &'a str, effective_from: time::Date, text: &'a str) -> NewPolicy<'a> {
    NewPolicy {
        version,
        effective_from,
        text,
        fingerprint: "ab12",
        reason: "Bystyret vedtok nye retningslinjer",
    }
}

#[tokio::test]
async fn versions_append_and_the_one_in_force_is_picked_by_date() {
    let dbs = TestDb::all().await.expect("test databases");
    if std::env::var("CI").as_deref() == Ok("true") {
        assert!(dbs.iter().any(|d| d.backend() == Backend::Postgres));
    }
    for db in dbs {
        let store = &db.store;
        let actor = Actor::cli("test");
        let change = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        assert_eq!(
            store.priority_policy_on(m.id, date!(2027 - 01 - 01)).await.unwrap(),
            None
        );
        assert!(store.priority_policies(m.id).await.unwrap().is_empty());

        let first = store
            .add_priority_policy(m.id, new("2027.1", date!(2027 - 01 - 01), "a = 1\n"), &change)
            .await
            .unwrap();
        assert_eq!(first.id.len(), 36);
        let second = store
            .add_priority_policy(m.id, new("2027.2", date!(2027 - 07 - 01), "a = 2\n"), &change)
            .await
            .unwrap();
        // Saved later for the same day: it wins that day.
        let correction = store
            .add_priority_policy(m.id, new("2027.2b", date!(2027 - 07 - 01), "a = 3\n"), &change)
            .await
            .unwrap();
        let reused = store
            .add_priority_policy(m.id, new("2027.1", date!(2028 - 01 - 01), "a = 4\n"), &change)
            .await;
        assert!(
            matches!(reused, Err(StoreError::Duplicate(ref f)) if f == "version"),
            "{:?}: {reused:?}",
            db.backend()
        );
        // Another municipality may use the same label.
        store
            .add_priority_policy(other.id, new("2027.1", date!(2027 - 01 - 01), "b = 1\n"), &change)
            .await
            .unwrap();

        let on = |d| store.priority_policy_on(m.id, d);
        assert_eq!(on(date!(2026 - 12 - 31)).await.unwrap(), None);
        assert_eq!(on(date!(2027 - 01 - 01)).await.unwrap().unwrap().id, first.id);
        assert_eq!(on(date!(2027 - 06 - 30)).await.unwrap().unwrap().text, "a = 1\n");
        let july = on(date!(2027 - 07 - 01)).await.unwrap().unwrap();
        assert_eq!(july, correction);
        assert_eq!(july.reason, "Bystyret vedtok nye retningslinjer");
        assert_eq!(july.effective_from, date!(2027 - 07 - 01));

        let all = store.priority_policies(m.id).await.unwrap();
        assert_eq!(
            all.iter().map(|p| p.version.as_str()).collect::<Vec<_>>(),
            ["2027.2b", "2027.2", "2027.1"]
        );
        assert_eq!(
            store.priority_policy(m.id, &second.id).await.unwrap(),
            Some(second.clone())
        );
        assert_eq!(store.priority_policy(other.id, &second.id).await.unwrap(), None);
        assert_eq!(store.priority_policies(other.id).await.unwrap().len(), 1);

        let audit = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    action: Some("priority_policy.saved".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(audit.len(), 3, "{:?}", db.backend());
        assert!(audit.iter().any(|e| e.resource_id == first.id));

        let tables = husly_store::export::exported_tables();
        assert!(tables.iter().any(|(name, _)| *name == "priority_policy"));
    }
}
