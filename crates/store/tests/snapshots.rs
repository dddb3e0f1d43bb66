//! The scheduler's claims and the indicators' snapshots on both backends (SQLite always,
//! PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is set): one server wins a day's run even when
//! several claim it at once, a dead server's claim and a failed run are taken over in time, and a
//! year's value is the one that stood at the year's end.

use husly_domain::action_plan::Figure;
use husly_store::audit::Actor;
use husly_store::jobs::ClaimTimes;
use husly_store::snapshots::Snapshot;
use husly_store::testing::TestDb;
use time::Date;
use time::macros::date;

const MINUTE: i64 = 60_000_000;
const TIMES: ClaimTimes = ClaimTimes {
    stale_after: 120 * MINUTE,
    retry_after: 15 * MINUTE,
};

#[tokio::test]
async fn one_server_runs_a_days_job_and_a_dead_or_failed_run_is_taken_over() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let day = date!(2026 - 12 - 03);
        let t0 = 1_800_000_000_000_000i64;
        // Eight servers claim at once: exactly one wins.
        let claims = futures_claims(store, day, t0).await;
        assert_eq!(claims.iter().filter(|won| **won).count(), 1, "{:?}", db.backend());
        let winner = format!("server-{}", claims.iter().position(|won| *won).unwrap());
        // Later the same day nobody else gets it while it runs, nor once it is done.
        assert!(
            !store
                .claim_job("snapshots", day, "late", t0 + 30 * MINUTE, TIMES)
                .await
                .unwrap()
        );
        store
            .finish_job("snapshots", day, &winner, t0 + MINUTE, "done")
            .await
            .unwrap();
        assert!(
            !store
                .claim_job("snapshots", day, "late", t0 + 300 * MINUTE, TIMES)
                .await
                .unwrap()
        );
        // The next day is a new run.
        let next = day.next_day().unwrap();
        assert!(store.claim_job("snapshots", next, "a", t0, TIMES).await.unwrap());
        // Its server dies: the claim is taken over once stale, and the dead server's late
        // finish records nothing.
        assert!(
            !store
                .claim_job("snapshots", next, "b", t0 + 119 * MINUTE, TIMES)
                .await
                .unwrap()
        );
        assert!(
            store
                .claim_job("snapshots", next, "b", t0 + 121 * MINUTE, TIMES)
                .await
                .unwrap()
        );
        store
            .finish_job("snapshots", next, "a", t0 + 122 * MINUTE, "done")
            .await
            .unwrap();
        let runs = store.job_runs("snapshots", 10).await.unwrap();
        assert_eq!((runs[0].claimed_by.as_str(), runs[0].outcome.as_deref()), ("b", None));
        // It fails: tried again a quarter of an hour later, not before.
        store
            .finish_job("snapshots", next, "b", t0 + 125 * MINUTE, "failed: database away")
            .await
            .unwrap();
        assert!(
            !store
                .claim_job("snapshots", next, "c", t0 + 130 * MINUTE, TIMES)
                .await
                .unwrap()
        );
        assert!(
            store
                .claim_job("snapshots", next, "c", t0 + 141 * MINUTE, TIMES)
                .await
                .unwrap()
        );
        store
            .finish_job("snapshots", next, "c", t0 + 142 * MINUTE, "done")
            .await
            .unwrap();
        let runs = store.job_runs("snapshots", 10).await.unwrap();
        assert_eq!(runs.len(), 2);
        assert_eq!((runs[0].run_on, runs[0].claimed_by.as_str()), (next, "c"));
        assert_eq!(runs[0].outcome.as_deref(), Some("done"));
        assert_eq!(runs[1].run_on, day);
    }
}

async fn futures_claims(store: &husly_store::Store, day: Date, at: i64) -> Vec<bool> {
    let claims = (0..8).map(|i| {
        let store = store.clone();
        tokio::spawn(async move {
            store
                .claim_job("snapshots", day, &format!("server-{i}"), at, TIMES)
                .await
                .unwrap()
        })
    });
    let mut won = Vec::new();
    for claim in claims.collect::<Vec<_>>() {
        won.push(claim.await.unwrap());
    }
    won
}

fn snapshot(definition: &str, year: i32, taken_on: Date, value: Option<i64>) -> Snapshot {
    Snapshot {
        definition: definition.into(),
        year,
        taken_on,
        value: value.map(Figure::whole),
        counted: value.unwrap_or(0),
        numerator: None,
    }
}

#[tokio::test]
async fn a_years_value_is_the_one_that_stood_at_its_end() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        assert_eq!(store.first_data_year(m.id).await.unwrap(), None);
        assert!(store.snapshot_years(m.id).await.unwrap().is_empty());
        store
            .save_snapshots(
                m.id,
                &[
                    // 2023 ended before snapshots were kept: filled in later.
                    snapshot("a", 2023, date!(2026 - 12 - 03), Some(4)),
                    snapshot("a", 2023, date!(2026 - 12 - 04), Some(5)),
                    // 2024 through the year, then corrected in January.
                    snapshot("a", 2024, date!(2024 - 06 - 30), Some(10)),
                    snapshot("a", 2024, date!(2024 - 12 - 31), Some(12)),
                    snapshot("a", 2025, date!(2025 - 03 - 01), None),
                    snapshot("a", 2024, date!(2025 - 01 - 10), Some(13)),
                    snapshot("b", 2024, date!(2024 - 12 - 30), Some(1)),
                ],
            )
            .await
            .unwrap();
        store
            .save_snapshots(other.id, &[snapshot("a", 2024, date!(2024 - 12 - 31), Some(99))])
            .await
            .unwrap();
        // Taken again the same day: replaced.
        store
            .save_snapshots(m.id, &[snapshot("b", 2024, date!(2024 - 12 - 30), Some(2))])
            .await
            .unwrap();
        let values: Vec<(String, i32, Date, Option<Figure>)> = store
            .year_end_snapshots(m.id, &["a", "b"], 2023, 2025)
            .await
            .unwrap()
            .into_iter()
            .map(|s| (s.definition, s.year, s.taken_on, s.value))
            .collect();
        assert_eq!(
            values,
            vec![
                ("a".into(), 2023, date!(2026 - 12 - 03), Some(Figure::whole(4))),
                ("a".into(), 2024, date!(2024 - 12 - 31), Some(Figure::whole(12))),
                ("a".into(), 2025, date!(2025 - 03 - 01), None),
                ("b".into(), 2024, date!(2024 - 12 - 30), Some(Figure::whole(2))),
            ],
            "{:?}",
            db.backend()
        );
        assert!(
            store
                .year_end_snapshots(m.id, &[], 2023, 2025)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.snapshot_years(m.id).await.unwrap(), vec![2023, 2024, 2025]);
        assert_eq!(store.snapshots_of_year(m.id, "a", 2024).await.unwrap().len(), 3);
    }
}
