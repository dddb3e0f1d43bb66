//! The work queue's change counter (migration 42) on both backends: it moves when a case comes
//! or changes what the queue's tabs select by (state, assignee, deadline, case type) and
//! stays put for every other change, so kept counts are counted again exactly when they must be.

use husly_store::audit::Actor;
use husly_store::testing::{TestDb, execute_raw};

#[tokio::test]
async fn the_counter_moves_with_what_the_queue_counts_and_only_then() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store
            .ensure_municipality("3005", "Drammen nord", false, &actor)
            .await
            .unwrap();
        assert_eq!(store.queue_generation(m.id).await.unwrap(), 0, "nothing yet");
        store.seed_households(&m, 60, 7, &actor).await.unwrap();
        let seeded = store.queue_generation(m.id).await.unwrap();
        assert!(seeded > 0, "{:?}: new cases moved the counter", db.backend());
        let case: String = sqlx::query_scalar(
            "SELECT id FROM application_case WHERE municipality_id = $1 AND state = 'received' LIMIT 1",
        )
        .bind(m.id.to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();
        let user = store
            .create_user("q@example.no", "Queue Caseworker", "a long password here", &actor)
            .await
            .unwrap();
        let mut last = seeded;
        let mut change = async |what: &str, set: String, moves: bool| {
            execute_raw(store, &format!("UPDATE application_case SET {set} WHERE id = '{case}'"))
                .await
                .unwrap();
            let now = store.queue_generation(m.id).await.unwrap();
            if moves {
                assert!(
                    now > last,
                    "{:?}: {what} moves the counter ({last} → {now})",
                    db.backend()
                );
            } else {
                assert_eq!(now, last, "{:?}: {what} leaves the counter alone", db.backend());
            }
            last = now;
        };
        change("a new version only", "version = version + 1".into(), false).await;
        change("the state set to what it was", "state = 'received'".into(), false).await;
        change("the state", "state = 'under_assessment'".into(), true).await;
        change("an assignee", format!("assigned_to = '{}'", user.0), true).await;
        change("the deadline", "due_order = '2027-01-15'".into(), true).await;
        change(
            "the case type",
            "case_type = CASE WHEN case_type = 'startlan' THEN 'municipal_housing' ELSE 'startlan' END".into(),
            true,
        )
        .await;
        assert_eq!(
            store.queue_generation(other.id).await.unwrap(),
            0,
            "{:?}: another municipality's counter stays put",
            db.backend()
        );
    }
}
