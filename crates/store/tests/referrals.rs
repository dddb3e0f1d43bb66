//! Referrals on both backends (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is
//! set): sent between the unit and an organisation of the municipality, answered from the state
//! it was checked in (a step taken meanwhile is a conflict), listed in both parties' queues with
//! the overdue count; each step a household event whose audit entry names no words of the
//! worker's.

use husly_domain::follow_up::PartnerKind;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::referral::{Answer, Party, ReferralFields, ReferralState, ReferralStep};
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn household(seq: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Henvisningsveien 5".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1982 - 06 - 01), seq).to_string(),
            given_name: "Hege".into(),
            family_name: "Henvist".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

#[tokio::test]
async fn referrals_are_sent_answered_and_queued() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let cli = Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        let h = store.create_household(m.id, &household(601), &cli).await.unwrap();
        let worker = store
            .create_user("sara@kommune.invalid", "Sara Saks", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let nav = store
            .add_partner_organisation(m.id, "NAV Drammen", PartnerKind::Nav, (&actor, worker))
            .await
            .unwrap();
        let oslo = store
            .add_partner_organisation(other.id, "NAV Oslo", PartnerKind::Nav, (&actor, worker))
            .await
            .unwrap();
        let today = date!(2026 - 12 - 04);
        let fields = |to: Party, due: time::Date| ReferralFields {
            from: Party::Unit,
            to,
            purpose: "Hemmelig formål".into(),
            request: "Hemmelig forespørsel".into(),
            due_on: due,
        };
        // An organisation of another municipality is never written.
        assert!(matches!(
            store
                .send_referral(m.id, h, &fields(Party::Organisation(oslo), today), &by)
                .await,
            Err(StoreError::NotFound)
        ));
        let late = store
            .send_referral(
                m.id,
                h,
                &fields(Party::Organisation(nav.clone()), date!(2026 - 11 - 30)),
                &by,
            )
            .await
            .unwrap();
        let open = store
            .send_referral(
                m.id,
                h,
                &fields(Party::Organisation(nav.clone()), date!(2026 - 12 - 20)),
                &by,
            )
            .await
            .unwrap();
        let to_nav = Party::Organisation(nav.clone());
        assert_eq!(
            store.overdue_referrals(m.id, &to_nav, today).await.unwrap(),
            1,
            "{backend:?}"
        );
        assert_eq!(store.overdue_referrals(m.id, &Party::Unit, today).await.unwrap(), 1);
        assert_eq!(store.open_referrals_of(m.id, &to_nav).await.unwrap().len(), 2);
        assert_eq!(store.open_referrals_of(m.id, &Party::Unit).await.unwrap().len(), 2);
        let kept = store.referral(m.id, &late).await.unwrap();
        assert_eq!(
            (kept.state, kept.household_name.as_str()),
            (ReferralState::Sent, "Hege Henvist")
        );
        assert_eq!(kept.to_name.as_deref(), Some("NAV Drammen"));

        // Accepted, then completed; a step from a state it has left is a conflict.
        let accept = Answer {
            step: ReferralStep::Accept,
            state: ReferralState::Accepted,
            text: None,
        };
        let accepted = store
            .answer_referral(m.id, &late, ReferralState::Sent, &accept, &by)
            .await
            .unwrap();
        assert_eq!(accepted.state, ReferralState::Accepted, "{backend:?}");
        assert!(matches!(
            store
                .answer_referral(m.id, &late, ReferralState::Sent, &accept, &by)
                .await,
            Err(StoreError::Conflict { .. })
        ));
        let complete = Answer {
            step: ReferralStep::Complete,
            state: ReferralState::Completed,
            text: Some("Utført".into()),
        };
        let done = store
            .answer_referral(m.id, &late, ReferralState::Accepted, &complete, &by)
            .await
            .unwrap();
        assert_eq!(
            (done.state, done.answer.as_deref()),
            (ReferralState::Completed, Some("Utført"))
        );
        assert_eq!(store.overdue_referrals(m.id, &to_nav, today).await.unwrap(), 0);
        assert_eq!(store.open_referrals_of(m.id, &to_nav).await.unwrap().len(), 1);
        assert_eq!(store.referrals_of_household(m.id, h).await.unwrap().len(), 2);
        assert!(matches!(
            store.referral(other.id, &open).await,
            Err(StoreError::NotFound)
        ));

        let entries = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    limit: 20,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let ours: Vec<_> = entries.iter().filter(|e| e.action == "household.referral").collect();
        assert_eq!(ours.len(), 4, "{backend:?}: two sent, two answers");
        assert!(
            ours.iter()
                .all(|e| !e.details.contains("Hemmelig") && !e.details.contains("Utført"))
        );
    }
}
