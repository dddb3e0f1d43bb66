//! Contacts from the bostøtte outreach list on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): one per household and list month, replaced when recorded
//! again, removed only for its own household; each change an event with an audit entry that
//! leaves the note out; the year's contacts read back for the action plan.

use husly_domain::bostotte::contact::{ContactChannel, ContactFields, ContactOutcome};
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::rules::YearMonth;
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

pub(crate) fn household(seq: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Prøvestien 4".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1970 - 03 - 01), seq).to_string(),
            given_name: "Olga".into(),
            family_name: "Oppsøk".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn fields(on: time::Date, outcome: ContactOutcome, note: Option<&str>) -> ContactFields {
    ContactFields {
        contacted_on: on,
        channel: ContactChannel::Phone,
        outcome,
        note: note.map(str::to_string),
    }
}

#[tokio::test]
async fn a_contact_is_recorded_replaced_and_removed() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let (a, b) = (
            store.create_household(m.id, &household(321), &cli).await.unwrap(),
            store.create_household(m.id, &household(322), &cli).await.unwrap(),
        );
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

        // A contact needs a user; then one per household and month, replaced when recorded again.
        assert!(matches!(
            store
                .record_outreach_contact(
                    m.id,
                    a,
                    december,
                    &fields(date!(2026 - 12 - 01), ContactOutcome::NotReached, None),
                    &cli
                )
                .await,
            Err(StoreError::Invalid(_))
        ));
        let first = store
            .record_outreach_contact(
                m.id,
                a,
                december,
                &fields(date!(2026 - 12 - 01), ContactOutcome::NotReached, None),
                &by,
            )
            .await
            .unwrap();
        let again = store
            .record_outreach_contact(
                m.id,
                a,
                december,
                &fields(date!(2026 - 12 - 03), ContactOutcome::WillApply, Some("Ringer tilbake")),
                &by,
            )
            .await
            .unwrap();
        assert_eq!(first, again, "{backend:?}: replaced, not added");
        store
            .record_outreach_contact(
                m.id,
                a,
                november,
                &fields(date!(2026 - 11 - 20), ContactOutcome::Applied, None),
                &by,
            )
            .await
            .unwrap();
        store
            .record_outreach_contact(
                m.id,
                b,
                december,
                &fields(date!(2026 - 12 - 02), ContactOutcome::NotInterested, None),
                &by,
            )
            .await
            .unwrap();
        let listed = store.outreach_contacts(m.id, december).await.unwrap();
        assert_eq!(listed.len(), 2, "{backend:?}");
        let kept = &listed[&a];
        assert_eq!(
            kept.fields,
            fields(date!(2026 - 12 - 03), ContactOutcome::WillApply, Some("Ringer tilbake"))
        );
        assert_eq!((kept.month, kept.recorded_by.as_str()), (december, "Sara Saks"));

        // The year's contacts, for the action plan: the day and whether reached.
        let mut year = store
            .outreach_contacts_between(m.id, date!(2026 - 01 - 01), date!(2027 - 01 - 01))
            .await
            .unwrap();
        year.sort_by_key(|(_, day, _)| *day);
        assert_eq!(
            year,
            vec![
                (a, date!(2026 - 11 - 20), true),
                (b, date!(2026 - 12 - 02), true),
                (a, date!(2026 - 12 - 03), true),
            ],
            "{backend:?}"
        );

        // Removed only for its own household; then gone.
        assert!(matches!(
            store.remove_outreach_contact(m.id, b, &first, &by).await,
            Err(StoreError::NotFound)
        ));
        let removed = store.remove_outreach_contact(m.id, a, &first, &by).await.unwrap();
        assert_eq!(removed.month, december);
        assert!(!store.outreach_contacts(m.id, december).await.unwrap().contains_key(&a));
        assert!(matches!(
            store.remove_outreach_contact(m.id, a, &first, &by).await,
            Err(StoreError::NotFound)
        ));

        // Each change audited, without the note.
        let filter = AuditFilter {
            limit: 50,
            ..Default::default()
        };
        let entries = store.audit_entries(m.id, &filter).await.unwrap();
        let contacts: Vec<_> = entries
            .iter()
            .filter(|e| e.action == "household.outreach_contact")
            .collect();
        assert_eq!(contacts.len(), 5, "{backend:?}: four recorded, one removed");
        assert!(contacts.iter().all(|e| !e.details.contains("Ringer tilbake")));
    }
}
