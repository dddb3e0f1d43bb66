//! The reads behind stock versus demand and the waiting-time estimate, on both backends: the
//! lettings since a date with the dwelling's facts, and the register counted by bedrooms,
//! wheelchair access and status — each municipality only its own, removed dwellings left out.

use husly_domain::allocation::dwelling::DwellingStatus;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::testing::TestDb;
use sqlx::Row;
use time::macros::date;

#[tokio::test]
async fn lettings_and_the_counted_register_are_the_municipalitys_own() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let oslo = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        store.seed_households(&m, 150, 11, &actor).await.unwrap();

        let since = date!(2023 - 01 - 01);
        let lettings = store.lettings_since(m.id, since).await.unwrap();
        let expected: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM tenancy WHERE municipality_id = $1 AND from_date >= '2023-01-01'")
                .bind(m.id.to_string())
                .fetch_one(store.pool())
                .await
                .unwrap()
                .try_get("n")
                .unwrap();
        assert!(expected > 0, "the seed lets dwellings over the years ({})", db.url);
        assert_eq!(lettings.len() as i64, expected, "{}", db.url);
        assert!(lettings.iter().all(|l| l.on >= since && (0..=5).contains(&l.bedrooms)));
        assert!(lettings.windows(2).all(|w| w[0].on <= w[1].on), "oldest first");
        let years: std::collections::BTreeSet<i32> = lettings.iter().map(|l| l.on.year()).collect();
        assert!(years.len() >= 3, "spread over the years: {years:?}");
        assert!(store.lettings_since(oslo.id, since).await.unwrap().is_empty());

        // The counts add up to the register, status by status.
        let counts = store.dwelling_counts(m.id).await.unwrap();
        let by_status = store.dwelling_status_counts(m.id).await.unwrap();
        for (status, n) in &by_status {
            let counted: u32 = counts.iter().filter(|c| c.status == *status).map(|c| c.count).sum();
            assert_eq!(i64::from(counted), *n, "{status:?} {}", db.url);
        }
        assert!(counts.iter().any(|c| c.status == DwellingStatus::Vacant));
        assert!(store.dwelling_counts(oslo.id).await.unwrap().is_empty());

        // A removed dwelling is neither counted nor its lettings read.
        let manager = store
            .create_user("bolig@kommune.invalid", "Berit Bolig", "et langt passord 123", &actor)
            .await
            .unwrap();
        let row = sqlx::query(
            "SELECT t.dwelling_id, d.version FROM tenancy t JOIN dwelling d ON d.id = t.dwelling_id \
             WHERE t.municipality_id = $1 AND t.from_date >= '2023-01-01' ORDER BY t.id LIMIT 1",
        )
        .bind(m.id.to_string())
        .fetch_one(store.pool())
        .await
        .unwrap();
        let gone: String = row.try_get("dwelling_id").unwrap();
        let version: i64 = row.try_get("version").unwrap();
        let total = |c: &[husly_domain::allocation::stock::DwellingCount]| c.iter().map(|c| c.count).sum::<u32>();
        let before = total(&counts);
        store
            .set_dwelling_deleted(
                m.id,
                &gone,
                Some(version),
                true,
                &Change {
                    actor: &actor,
                    user: Some(manager),
                    reason: Some("Registrert ved en feil"),
                },
            )
            .await
            .unwrap();
        assert_eq!(total(&store.dwelling_counts(m.id).await.unwrap()), before - 1);
        assert!(store.lettings_since(m.id, since).await.unwrap().len() < lettings.len());
    }
}
