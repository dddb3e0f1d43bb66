//! Reference-budget tables on SQLite and, when `HUSLY_TEST_POSTGRES_URL` is set, PostgreSQL:
//! versions append, the table in force is picked by date, a stale save is a conflict, every save
//! is audited and another municipality sees nothing.

use husly_domain::startlan::ReferenceBudgetLayout;
use husly_domain::startlan::reference_budget::demo_amounts;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use husly_store::{Backend, StoreError};
use time::macros::date;

#[tokio::test]
async fn versions_append_and_the_table_in_force_is_picked_by_date() {
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
        let layout = ReferenceBudgetLayout::embedded();
        let amounts = demo_amounts(layout);
        assert_eq!(
            store.reference_budget_on(m.id, date!(2026 - 06 - 01)).await.unwrap(),
            None
        );

        let v1 = store
            .add_reference_budget(
                m.id,
                0,
                date!(2025 - 06 - 01),
                "SIFO 2025",
                &layout.version,
                &amounts,
                &change,
            )
            .await
            .unwrap();
        assert_eq!(v1, 1);
        let mut higher = amounts.clone();
        higher.household_ore.insert("size_7".into(), 9_999_900);
        let v2 = store
            .add_reference_budget(
                m.id,
                1,
                date!(2026 - 06 - 01),
                "SIFO 2026",
                &layout.version,
                &higher,
                &change,
            )
            .await
            .unwrap();
        assert_eq!(v2, 2);
        let stale = store
            .add_reference_budget(m.id, 1, date!(2026 - 06 - 01), "x", &layout.version, &amounts, &change)
            .await;
        assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{:?}", db.backend());

        let before = store
            .reference_budget_on(m.id, date!(2026 - 05 - 31))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((before.budget.version, before.budget.label.as_str()), (1, "SIFO 2025"));
        assert_eq!(before.budget.amounts, amounts);
        let after = store
            .reference_budget_on(m.id, date!(2026 - 06 - 01))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(after.budget.version, 2);
        assert_eq!(after.budget.amounts, higher);
        assert_eq!(after.layout_version, layout.version);
        assert_eq!(
            store.reference_budget_on(m.id, date!(2025 - 01 - 01)).await.unwrap(),
            None
        );

        let all = store.reference_budgets(m.id).await.unwrap();
        assert_eq!(all.iter().map(|s| s.budget.version).collect::<Vec<_>>(), [2, 1]);
        assert!(store.reference_budgets(other.id).await.unwrap().is_empty());
        assert_eq!(
            store
                .reference_budget_on(other.id, date!(2027 - 01 - 01))
                .await
                .unwrap(),
            None
        );

        let audit = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    action: Some("reference_budget.set".into()),
                    limit: 10,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(audit.len(), 2, "{:?}", db.backend());
    }
}
