//! The waiting list's change counter (migration 21) on both backends: it moves with every change
//! to what the list is read from — a case entering, changing on or leaving the list, a member of a
//! waiting household, a person's name or birth date, a letting, a let dwelling's facts, a policy
//! version — and stays put for changes the list does not read, so the kept ranked list is
//! rebuilt exactly when it must be.

use husly_store::audit::Actor;
use husly_store::testing::{TestDb, execute_raw};

#[tokio::test]
async fn the_counter_moves_with_what_the_waiting_list_reads_and_only_then() {
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
        assert_eq!(store.waiting_list_generation(m.id).await.unwrap(), 0, "nothing yet");
        store.seed_households(&m, 300, 7, &actor).await.unwrap();
        let waiting = store.waiting_cases(m.id).await.unwrap();
        assert!(!waiting.is_empty(), "{:?}: the seed has a waiting list", db.backend());
        let seeded = store.waiting_list_generation(m.id).await.unwrap();
        assert!(seeded > 0, "{:?}: seeding the list moved the counter", db.backend());
        let mid = m.id.to_string();
        let on_list = waiting[0].case.to_string();
        let household = waiting[0].household.to_string();
        let mut last = seeded;
        let mut expect = |what: &str, moved: bool, now: i64| {
            if moved {
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

        // A case not on the list changes: nothing the list reads.
        let off_list: Option<String> = sqlx::query_scalar(
            "SELECT id FROM application_case WHERE municipality_id = $1 AND state <> 'on_waiting_list' LIMIT 1",
        )
        .bind(&mid)
        .fetch_optional(store.pool())
        .await
        .unwrap();
        if let Some(id) = off_list {
            execute_raw(
                store,
                &format!("UPDATE application_case SET version = version + 1 WHERE id = '{id}'"),
            )
            .await
            .unwrap();
            expect(
                "a case off the list",
                false,
                store.waiting_list_generation(m.id).await.unwrap(),
            );
        }
        // A case on the list changes, and leaves it.
        execute_raw(
            store,
            &format!("UPDATE application_case SET version = version + 1 WHERE id = '{on_list}'"),
        )
        .await
        .unwrap();
        expect(
            "a case on the list",
            true,
            store.waiting_list_generation(m.id).await.unwrap(),
        );
        // A member of a waiting household.
        execute_raw(
            store,
            &format!("UPDATE household_member SET position = position WHERE household_id = '{household}'"),
        )
        .await
        .unwrap();
        expect(
            "a waiting household's member",
            true,
            store.waiting_list_generation(m.id).await.unwrap(),
        );
        // A person's birth date.
        execute_raw(
            store,
            &format!(
                "UPDATE person SET birth_date = birth_date WHERE id IN \
                 (SELECT person_id FROM household_member WHERE household_id = '{household}')"
            ),
        )
        .await
        .unwrap();
        expect(
            "a person's birth date",
            true,
            store.waiting_list_generation(m.id).await.unwrap(),
        );
        // A letting, and a dwelling's bedrooms.
        execute_raw(
            store,
            &format!("UPDATE tenancy SET from_date = from_date WHERE municipality_id = '{mid}'"),
        )
        .await
        .unwrap();
        expect("a letting", true, store.waiting_list_generation(m.id).await.unwrap());
        execute_raw(
            store,
            &format!("UPDATE dwelling SET bedrooms = bedrooms WHERE municipality_id = '{mid}'"),
        )
        .await
        .unwrap();
        expect(
            "a dwelling's bedrooms",
            true,
            store.waiting_list_generation(m.id).await.unwrap(),
        );
        // The case leaves the list.
        execute_raw(
            store,
            &format!("UPDATE application_case SET state = 'closed' WHERE id = '{on_list}'"),
        )
        .await
        .unwrap();
        expect(
            "a case leaving the list",
            true,
            store.waiting_list_generation(m.id).await.unwrap(),
        );
        assert_eq!(store.waiting_cases(m.id).await.unwrap().len(), waiting.len() - 1);
        // The other municipality's counter never moved.
        assert_eq!(
            store.waiting_list_generation(other.id).await.unwrap(),
            0,
            "{:?}",
            db.backend()
        );
    }
}
