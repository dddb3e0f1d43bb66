//! Collaboration meetings on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): recorded with participants and actions in one
//! transaction, read back per household, an owner who did not take part refused by the
//! database with nothing half-written, actions changed from the state they were checked in (a
//! change meanwhile is a conflict), each party's open actions, and audit entries that carry no
//! words of the workers'.

use husly_domain::follow_up::PartnerKind;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::meeting::{ActionChange, ActionFields, ActionState, MeetingFields, MeetingKind};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::referral::Party;
use husly_store::StoreError;
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn household(seq: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Møteveien 2".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![MemberInput {
            national_id: synthetic_tenor_next(date!(1979 - 04 - 01), seq).to_string(),
            given_name: "Mona".into(),
            family_name: "Møtesen".into(),
            relation: "main_applicant".into(),
            ..Default::default()
        }],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

fn action(owner: Party, due_on: time::Date) -> ActionFields {
    ActionFields {
        description: "Hemmelig tiltak".into(),
        owner,
        due_on,
    }
}

#[tokio::test]
async fn meetings_are_recorded_read_and_their_actions_changed() {
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
        let h = store.create_household(m.id, &household(701), &cli).await.unwrap();
        let worker = store
            .create_user("mari@kommune.invalid", "Mari Møte", "et langt passord 123", &actor)
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
        let bo_team = store
            .add_partner_organisation(m.id, "Bo-teamet", PartnerKind::VoluntaryTeam, (&actor, worker))
            .await
            .unwrap();
        let oslo = store
            .add_partner_organisation(other.id, "NAV Oslo", PartnerKind::Nav, (&actor, worker))
            .await
            .unwrap();
        let today = date!(2026 - 12 - 05);
        let meeting = |organisations: Vec<String>, actions: Vec<ActionFields>| MeetingFields {
            kind: MeetingKind::ResponsibilityGroup,
            held_on: date!(2026 - 12 - 01),
            summary: "Hemmelig referat".into(),
            organisations,
            household_present: true,
            others: Some("Fastlegen".into()),
            actions,
        };
        // An organisation of another municipality is never written.
        assert!(matches!(
            store
                .record_meeting((m.id, h), &Party::Unit, &meeting(vec![oslo], vec![]), &by)
                .await,
            Err(StoreError::NotFound)
        ));
        // An owner that did not take part is refused by the database, and nothing of the
        // meeting is kept.
        let stray = meeting(
            vec![nav.clone()],
            vec![action(Party::Organisation(bo_team.clone()), today)],
        );
        assert!(
            store
                .record_meeting((m.id, h), &Party::Unit, &stray, &by)
                .await
                .is_err(),
            "{backend:?}"
        );
        assert!(
            store.meetings_of_household(m.id, h).await.unwrap().is_empty(),
            "{backend:?}"
        );

        let fields = meeting(
            vec![bo_team.clone(), nav.clone()],
            vec![
                action(Party::Organisation(nav.clone()), date!(2026 - 12 - 03)),
                action(Party::Unit, date!(2026 - 12 - 20)),
            ],
        );
        let id = store
            .record_meeting((m.id, h), &Party::Organisation(bo_team.clone()), &fields, &by)
            .await
            .unwrap();
        let kept = store.meetings_of_household(m.id, h).await.unwrap();
        assert_eq!(kept.len(), 1, "{backend:?}");
        let kept = &kept[0];
        assert_eq!(kept.id, id);
        assert_eq!(
            (kept.kind, kept.held_on, kept.household_present, kept.others.as_deref()),
            (
                MeetingKind::ResponsibilityGroup,
                date!(2026 - 12 - 01),
                true,
                Some("Fastlegen")
            )
        );
        assert_eq!(kept.recorded_for, Party::Organisation(bo_team.clone()));
        assert_eq!(
            kept.organisations.iter().map(|(_, n)| n.as_str()).collect::<Vec<_>>(),
            vec!["Bo-teamet", "NAV Drammen"]
        );
        assert_eq!(kept.actions.len(), 2);
        assert_eq!(kept.actions[0].owner_name.as_deref(), Some("NAV Drammen"));
        assert_eq!(kept.actions[0].household_name, "Mona Møtesen");
        let (nav_action, unit_action) = (kept.actions[0].id.clone(), kept.actions[1].id.clone());

        let to_nav = Party::Organisation(nav.clone());
        assert_eq!(store.open_actions_of(m.id, &to_nav).await.unwrap().len(), 1);
        assert_eq!(store.open_actions_of(m.id, &Party::Unit).await.unwrap().len(), 1);
        assert!(
            store
                .open_actions_of(m.id, &Party::Organisation(bo_team.clone()))
                .await
                .unwrap()
                .is_empty()
        );

        // Done with an outcome, then a change from the state it has left is a conflict.
        let done = ActionChange {
            state: ActionState::Done,
            outcome: Some("Hemmelig resultat".into()),
        };
        let changed = store
            .change_meeting_action(m.id, &nav_action, ActionState::Open, &done, &by)
            .await
            .unwrap();
        assert_eq!(
            (changed.state, changed.outcome.as_deref(), changed.done_by.as_deref()),
            (ActionState::Done, Some("Hemmelig resultat"), Some("Mari Møte")),
            "{backend:?}"
        );
        assert!(changed.done_at.is_some());
        assert!(matches!(
            store
                .change_meeting_action(m.id, &nav_action, ActionState::Open, &done, &by)
                .await,
            Err(StoreError::Conflict { .. })
        ));
        assert!(store.open_actions_of(m.id, &to_nav).await.unwrap().is_empty());
        // Opened again: the outcome and who did it are cleared.
        let reopen = ActionChange {
            state: ActionState::Open,
            outcome: None,
        };
        let reopened = store
            .change_meeting_action(m.id, &nav_action, ActionState::Done, &reopen, &by)
            .await
            .unwrap();
        assert_eq!(
            (reopened.state, reopened.outcome, reopened.done_at),
            (ActionState::Open, None, None)
        );
        // Not found from another municipality.
        assert!(matches!(
            store.meeting_action(other.id, &unit_action).await,
            Err(StoreError::NotFound)
        ));

        let events = store.timeline(m.id, h).await.unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        for kind in [
            "household.meeting_recorded",
            "household.meeting_action_done",
            "household.meeting_action_reopened",
        ] {
            assert!(kinds.contains(&kind), "{backend:?}: {kind} in {kinds:?}");
        }
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
        let ours: Vec<_> = entries.iter().filter(|e| e.action == "household.meeting").collect();
        assert_eq!(ours.len(), 3, "{backend:?}: recorded, done, reopened");
        assert!(
            ours.iter()
                .all(|e| !e.details.contains("Hemmelig") && !e.details.contains("Fastlegen"))
        );
    }
}
