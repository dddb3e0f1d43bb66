//! Which of the household page's and the case page's lists hold anything, on both backends
//! (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is set): the answers agree with the
//! lists themselves, so that a list a page skips is one that is empty.

use husly_domain::cases::CaseType;
use husly_domain::cases::application::ApplicationForm;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::national_id::{SyntheticPolicy, synthetic_tenor_next};
use husly_domain::notes::{NewNote, NoteVisibility};
use husly_domain::representative::{RepresentativeInput, check_representative};
use husly_domain::stays::NewStay;
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::notes::NoteSubject;
use husly_store::page_lists::HouseholdLists;
use husly_store::testing::TestDb;
use time::macros::date;

fn household(serial: u16) -> husly_domain::household::ValidHousehold {
    let input = HouseholdInput {
        address_line: "Listeveien 3".into(),
        postal_code: "3015".into(),
        postal_city: "Drammen".into(),
        from_date: "01.02.2024".into(),
        to_date: String::new(),
        members: vec![
            MemberInput {
                national_id: synthetic_tenor_next(date!(1981 - 03 - 04), serial).to_string(),
                given_name: "Liv".into(),
                family_name: "Liste".into(),
                relation: "main_applicant".into(),
                ..Default::default()
            },
            MemberInput {
                national_id: synthetic_tenor_next(date!(2015 - 08 - 09), serial).to_string(),
                given_name: "Lars".into(),
                family_name: "Liste".into(),
                relation: "child".into(),
                ..Default::default()
            },
        ],
    };
    validate_household(&input, SyntheticPolicy::Allow, date!(2026 - 11 - 01)).expect("valid household")
}

/// The flags, and the lists read in full.
async fn both(store: &Store, m: MunicipalityId, h: HouseholdId) -> (HouseholdLists, HouseholdLists) {
    let (household, flags) = store.household_with_lists(m, h).await.unwrap();
    assert_eq!(household.members.len(), 2, "the members once each, whatever the flags");
    let lists = HouseholdLists {
        cases: !store.cases_of_household(m, h).await.unwrap().is_empty(),
        notes: !store.notes(m, NoteSubject::Household(h)).await.unwrap().is_empty(),
        representatives: !store.representatives(m, h).await.unwrap().is_empty(),
        stays: !store.stays(m, h).await.unwrap().is_empty(),
    };
    (flags, lists)
}

#[tokio::test]
async fn the_household_page_skips_only_the_lists_that_are_empty() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let worker = store
            .create_user("liste@kommune.invalid", "Lise Liste", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        let h = store.create_household(m.id, &household(401), &by).await.unwrap();
        // Another household, here and in another municipality, with everything: none of it counts.
        let beside = store.create_household(m.id, &household(402), &by).await.unwrap();
        let elsewhere = store.create_household(other.id, &household(403), &by).await.unwrap();
        for (municipality, full) in [(m.id, beside), (other.id, elsewhere)] {
            fill(store, municipality, full, &by, Fill::all()).await;
        }

        let (flags, lists) = both(store, m.id, h).await;
        assert_eq!(
            flags,
            HouseholdLists::default(),
            "{backend:?}: a new household has none"
        );
        assert_eq!(flags, lists, "{backend:?}");

        // A note on the household's case is the case's, not the household's own list.
        let case = fill(
            store,
            m.id,
            h,
            &by,
            Fill {
                case: true,
                ..Fill::none()
            },
        )
        .await;
        let case_note = NewNote {
            text: "Om saken.".into(),
            visibility: NoteVisibility::Everyone,
        };
        store
            .add_note(m.id, NoteSubject::Case(case.expect("a case")), &case_note, &by)
            .await
            .unwrap();
        let (flags, lists) = both(store, m.id, h).await;
        assert_eq!(
            flags,
            HouseholdLists {
                cases: true,
                ..Default::default()
            },
            "{backend:?}"
        );
        assert_eq!(flags, lists, "{backend:?}");

        for step in [
            Fill {
                notes: true,
                ..Fill::none()
            },
            Fill {
                representative: true,
                ..Fill::none()
            },
            Fill {
                stay: true,
                ..Fill::none()
            },
        ] {
            fill(store, m.id, h, &by, step).await;
            let (flags, lists) = both(store, m.id, h).await;
            assert_eq!(flags, lists, "{backend:?} after {step:?}");
        }
        assert_eq!(
            both(store, m.id, h).await.0,
            HouseholdLists {
                cases: true,
                notes: true,
                representatives: true,
                stays: true
            },
            "{backend:?}"
        );
    }
}

#[derive(Debug, Clone, Copy)]
struct Fill {
    case: bool,
    notes: bool,
    representative: bool,
    stay: bool,
}

impl Fill {
    fn none() -> Fill {
        Fill {
            case: false,
            notes: false,
            representative: false,
            stay: false,
        }
    }

    fn all() -> Fill {
        Fill {
            case: true,
            notes: true,
            representative: true,
            stay: true,
        }
    }
}

/// Gives the household what `fill` names; the case's id when it registered one.
async fn fill(
    store: &Store,
    m: MunicipalityId,
    h: HouseholdId,
    by: &Change<'_>,
    fill: Fill,
) -> Option<husly_domain::CaseId> {
    let mut case = None;
    if fill.case {
        let form = ApplicationForm::default();
        let received = date!(2026 - 10 - 31);
        let (id, _) = store
            .register_application(m, h, CaseType::MunicipalHousing, &form, received, by)
            .await
            .unwrap();
        case = Some(id);
    }
    if fill.notes {
        let note = NewNote {
            text: "Ringte om bolig.".into(),
            visibility: NoteVisibility::CaseHandling,
        };
        store.add_note(m, NoteSubject::Household(h), &note, by).await.unwrap();
    }
    if fill.representative {
        let input = RepresentativeInput {
            kind: "verge".into(),
            name: "Verge Liste".into(),
            organisation: String::new(),
            address_line: "Postboks 1".into(),
            postal_code: "3001".into(),
            postal_city: "Drammen".into(),
            phone: "99999999".into(),
            authority_from: "2026-11-01".into(),
            copy_to_party: false,
        };
        let representative = check_representative(&input, date!(2026 - 12 - 02)).unwrap();
        store.add_representative(m, h, &representative, by).await.unwrap();
    }
    if fill.stay {
        let stay = NewStay {
            place: "Rom 3".into(),
            from: date!(2026 - 01 - 10),
            to: None,
            end_reason: None,
            with_children: true,
            provider: None,
            nightly_cost_ore: None,
            quality_remarks: None,
        };
        store.add_stay(m, h, &stay, by).await.unwrap().expect("no overlap");
    }
    case
}

/// The case page's flags, and its lists read in full.
async fn case_both(
    store: &Store,
    m: MunicipalityId,
    case: husly_domain::CaseId,
) -> (husly_store::page_lists::CaseLists, husly_store::page_lists::CaseLists) {
    use husly_store::documents::Owner;
    let flags = store.case_lists(m, case).await.unwrap();
    let lists = husly_store::page_lists::CaseLists {
        notes: !store.notes(m, NoteSubject::Case(case)).await.unwrap().is_empty(),
        tasks: !store.tasks(m, case).await.unwrap().is_empty(),
        applicant_messages: !store.applicant_messages(m, case).await.unwrap().is_empty(),
        decisions: !store.decisions(m, case).await.unwrap().is_empty(),
        letters: !store.letters(m, case).await.unwrap().is_empty(),
        flags: !store.flags(m, case).await.unwrap().is_empty(),
        documents: !store.documents(m, Owner::Case(case)).await.unwrap().is_empty(),
    };
    (flags, lists)
}

#[tokio::test]
async fn the_case_page_skips_only_the_lists_that_are_empty() {
    use husly_domain::DecisionId;
    use husly_domain::cases::requests::{CheckedProposal, Step};
    use husly_domain::cases::{CaseAction, Outcome};
    use husly_domain::documents::DocumentType;
    use husly_domain::tasks::NewTask;
    use husly_store::applicant_messages::ApplicantContribution;
    use husly_store::cases::NewLetter;
    use husly_store::page_lists::CaseLists;
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let worker = store
            .create_user("sak@kommune.invalid", "Siri Sak", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(worker),
            reason: None,
        };
        // A case beside it with everything of its own does not count.
        let beside = store.create_household(m.id, &household(411), &by).await.unwrap();
        fill(store, m.id, beside, &by, Fill::all()).await;
        let h = store.create_household(m.id, &household(412), &by).await.unwrap();
        let case = fill(
            store,
            m.id,
            h,
            &by,
            Fill {
                case: true,
                ..Fill::none()
            },
        )
        .await
        .expect("a case");
        let (flags, lists) = case_both(store, m.id, case).await;
        assert_eq!(flags, CaseLists::default(), "{backend:?}: a new case has none");
        assert_eq!(flags, lists, "{backend:?}");

        // The household's own note is not the case's.
        fill(
            store,
            m.id,
            h,
            &by,
            Fill {
                notes: true,
                ..Fill::none()
            },
        )
        .await;
        assert_eq!(
            case_both(store, m.id, case).await.0,
            CaseLists::default(),
            "{backend:?}"
        );

        let note = NewNote {
            text: "Om saken.".into(),
            visibility: NoteVisibility::Everyone,
        };
        store.add_note(m.id, NoteSubject::Case(case), &note, &by).await.unwrap();
        let task = NewTask {
            title: "Hent lønnsslipp".into(),
            due_on: date!(2026 - 12 - 20),
        };
        store.add_task(m.id, case, &task, worker, &by).await.unwrap();
        let contribution = ApplicantContribution {
            text: Some("Her er lønnsslippen."),
            document: Some(("lonn.pdf", DocumentType::Pdf, b"%PDF-1.7 test")),
            task: None,
        };
        store
            .add_applicant_contribution(m.id, case, "draft-1", &contribution, &actor)
            .await
            .unwrap();
        let (flags, lists) = case_both(store, m.id, case).await;
        assert_eq!(flags, lists, "{backend:?}");
        assert!(
            flags.notes && flags.tasks && flags.applicant_messages && flags.documents,
            "{backend:?}"
        );

        // A letter with a step, then a proposed decision; a second case of the same people is
        // flagged as a possible duplicate.
        let step = Step {
            action: CaseAction::StartAssessment,
            reason: Some("test".into()),
            information_due: None,
            expiry: None,
            appeal: None,
        };
        let letter = NewLetter {
            kind: "information_request",
            language: "nb",
            html: "<p>Brev</p>",
            pdf: b"%PDF-1.7 test",
        };
        let today = date!(2026 - 11 - 02);
        store
            .change_case(m.id, case, 1, Some(&letter), &by, |c, _| c.take_step(&step, today, 12))
            .await
            .unwrap();
        let proposal = CheckedProposal {
            outcome: Outcome::Refused,
            reasons: "Husstanden har bolig.".into(),
            granted_text: None,
            amount_ore: None,
            conditions: Vec::new(),
            section6: None,
            renewal: None,
        };
        store
            .change_case(m.id, case, 2, None, &by, |c, _| {
                c.propose(DecisionId::new(), &proposal, worker, serde_json::json!({}))
            })
            .await
            .unwrap();
        let second = fill(
            store,
            m.id,
            h,
            &by,
            Fill {
                case: true,
                ..Fill::none()
            },
        )
        .await
        .expect("a case");
        let (flags, lists) = case_both(store, m.id, case).await;
        assert_eq!(flags, lists, "{backend:?}");
        assert!(flags.letters && flags.decisions, "{backend:?}");
        let (second_flags, second_lists) = case_both(store, m.id, second).await;
        assert_eq!(second_flags, second_lists, "{backend:?}");
        assert!(second_flags.flags, "{backend:?}: the second case is flagged");
    }
}
