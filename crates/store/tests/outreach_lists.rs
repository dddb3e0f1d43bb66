//! The bostøtte outreach list as kept (schema 40) on both backends: kept whole and replaced
//! whole, read a page at a time in the order it was made, a household with bostøtte registered
//! for the month since left out (and out of the totals), each list made in the audit log, old
//! months forgotten, and one municipality's list never read as another's.

use husly_domain::HouseholdId;
use husly_domain::bostotte::{Candidate, OutreachList};
use husly_domain::rules::YearMonth;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::tenancies::BOSTOTTE;
use husly_store::testing::TestDb;
use time::macros::date;

use crate::outreach_contacts::household;

fn list(month: YearMonth, entries: &[(HouseholdId, i64)]) -> OutreachList {
    let candidates: Vec<Candidate> = entries
        .iter()
        .map(|&(household_id, monthly_kr)| Candidate {
            household_id,
            address_line: "as made".into(),
            address_protected: false,
            members: 1,
            monthly_rent_kr: 9_000,
            income_kr: 150_000,
            monthly_kr,
        })
        .collect();
    OutreachList {
        month,
        examined: 10,
        total_monthly_kr: candidates.iter().map(|c| c.monthly_kr).sum(),
        candidates,
    }
}

fn households_of(list: &OutreachList) -> Vec<HouseholdId> {
    list.candidates.iter().map(|c| c.household_id).collect()
}

#[tokio::test]
async fn a_kept_list_is_read_in_its_order_without_households_that_got_bostotte() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("3312", "Lier", false, &actor).await.unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let mut ids = Vec::new();
        for seq in 401..404 {
            ids.push(store.create_household(m.id, &household(seq), &cli).await.unwrap());
        }
        let (a, b, c) = (ids[0], ids[1], ids[2]);
        let worker = store
            .create_user("sara@kommune.invalid", "Sara Saks", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let december: YearMonth = "2026-12".parse().unwrap();
        let november: YearMonth = "2026-11".parse().unwrap();
        assert_eq!(store.kept_outreach_list(m.id, december, None).await.unwrap(), None);

        // Kept as made, read a page at a time with the address as it is now.
        let made = list(december, &[(a, 3_000), (b, 2_000), (c, 1_000)]);
        let read_from = husly_store::now_micros();
        store.keep_outreach_list(m.id, &made, read_from, &by).await.unwrap();
        let first = store
            .kept_outreach_list(m.id, december, Some(2))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(households_of(&first.list), [a, b], "{backend:?}");
        assert_eq!(
            (first.households, first.list.total_monthly_kr, first.list.examined),
            (3, 6_000, 10)
        );
        assert_eq!(first.list.candidates[0].address_line, "Prøvestien 4", "{backend:?}");
        assert_eq!(first.made_by.as_deref(), Some("Sara Saks"));
        assert_eq!(first.made_at, read_from);
        let whole = store.kept_outreach_list(m.id, december, None).await.unwrap().unwrap();
        assert_eq!(whole.list.candidates.len(), 3);
        assert_eq!(whole.list.candidates[2].monthly_kr, 1_000);

        // Bostøtte from before the month takes b off; bostøtte from after its first day does not.
        store
            .register_benefit(m.id, b, BOSTOTTE, date!(2026 - 11 - 01), &cli)
            .await
            .unwrap();
        store
            .register_benefit(m.id, c, BOSTOTTE, date!(2027 - 01 - 01), &cli)
            .await
            .unwrap();
        let after = store.kept_outreach_list(m.id, december, None).await.unwrap().unwrap();
        assert_eq!(households_of(&after.list), [a, c], "{backend:?}");
        assert_eq!((after.households, after.list.total_monthly_kr), (2, 4_000));

        // Made again by the nightly job: replaced whole.
        let job = Actor::system("outreach_lists");
        let nightly = Change {
            actor: &job,
            user: None,
            reason: None,
        };
        store
            .keep_outreach_list(
                m.id,
                &list(december, &[(c, 1_500)]),
                husly_store::now_micros(),
                &nightly,
            )
            .await
            .unwrap();
        let again = store.kept_outreach_list(m.id, december, None).await.unwrap().unwrap();
        assert_eq!(households_of(&again.list), [c]);
        assert_eq!((again.made_by, again.list.total_monthly_kr), (None, 1_500));
        assert_eq!(
            again.households, 1,
            "b's bostøtte came before this reading: not subtracted again"
        );
        let made_entries: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM audit_entry WHERE action = 'outreach.list_made'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(made_entries, 2, "{backend:?}");

        // Another municipality has no list of the month; an older month is forgotten.
        assert_eq!(store.kept_outreach_list(other.id, december, None).await.unwrap(), None);
        store
            .keep_outreach_list(m.id, &list(november, &[(a, 100)]), husly_store::now_micros(), &by)
            .await
            .unwrap();
        assert_eq!(store.forget_outreach_lists_before(m.id, december).await.unwrap(), 1);
        assert_eq!(store.kept_outreach_list(m.id, november, None).await.unwrap(), None);
        assert!(store.kept_outreach_list(m.id, december, None).await.unwrap().is_some());
    }
}
