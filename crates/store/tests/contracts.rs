//! Tenancy contracts on both backends (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL`
//! is set): a contract is written from an accepted offer together with the let dwelling and the
//! closed case; a dwelling holds one running contract, also when two are written at once; an end
//! frees the dwelling and its undo lets it again; every change is in the history.

use husly_domain::allocation::dwelling::DwellingStatus;
use husly_domain::allocation::offer::OfferState;
use husly_domain::cases::CaseAction;
use husly_domain::cases::CaseState;
use husly_domain::cases::requests::Step;
use husly_domain::tenancy::{ContractEnd, ContractTerm, EndReason, NewContract, SecurityKind};
use husly_store::StoreError;
use husly_store::allocation::{MovedBy, NewOffer, OfferMove};
use husly_store::audit::Actor;
use husly_store::contracts::{CONTRACT_FOR_OFFER, ContractFilter, OPEN_CONTRACT_FOR_DWELLING};
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

fn close() -> Step {
    Step {
        action: CaseAction::Close,
        reason: None,
        information_due: None,
        expiry: None,
        appeal: None,
    }
}

fn contract(start: time::Date) -> NewContract {
    NewContract {
        start,
        term: ContractTerm::Fixed,
        term_end: Some(date!(2029 - 12 - 31)),
        monthly_rent_ore: 950_000,
        security_kind: SecurityKind::Deposit,
        security_ore: 2_850_000,
        notice_11_1_on: None,
    }
}

#[tokio::test]
async fn a_contract_lets_the_dwelling_closes_the_case_and_can_be_ended_and_undone() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        store.seed_households(&m, 600, 11, &actor).await.unwrap();
        let manager = store
            .create_user(
                "forvalter@kommune.invalid",
                "Frida Forvalter",
                "et langt passord 123",
                &actor,
            )
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(manager),
            reason: None,
        };
        let waiting = store.waiting_cases(m.id).await.unwrap();
        let vacant = store.vacant_dwellings(m.id).await.unwrap();
        assert!(
            waiting.len() >= 2 && !vacant.is_empty(),
            "{:?}: a list and a vacancy",
            db.backend()
        );
        let (first, second) = (&waiting[0], &waiting[1]);
        let flat = vacant[0].id.clone();
        let today = date!(2027 - 01 - 15);
        let offer_to = |case| NewOffer {
            round_id: None,
            dwelling_id: &flat,
            case,
            sent_on: today,
            answer_by: today + time::Duration::days(7),
            note: None,
        };
        let offer = store.create_offer(m.id, &offer_to(first.case), &by).await.unwrap();
        let accept = OfferMove {
            from: OfferState::Open,
            to: OfferState::Accepted,
            on: today,
            decline_reason: None,
            note: None,
            answer_by: None,
        };
        // Not before the answer: an open offer gets no contract.
        let open = store.offer(m.id, &offer).await.unwrap();
        let refused = store
            .create_contract(m.id, &offer, open.version, &contract(today), &by, |c| {
                c.take_step(&close(), today, 12).ok()
            })
            .await;
        assert!(matches!(refused, Err(StoreError::Invalid(_))), "{refused:?}");
        store
            .move_offer(m.id, &offer, open.version, &accept, MovedBy::Applicant, &by)
            .await
            .unwrap();
        let accepted = store.offer(m.id, &offer).await.unwrap();

        let id = store
            .create_contract(m.id, &offer, accepted.version, &contract(today), &by, |c| {
                c.take_step(&close(), today, 12).ok()
            })
            .await
            .unwrap();
        let written = store.contract(m.id, &id).await.unwrap();
        assert_eq!(written.offer_id.as_deref(), Some(offer.as_str()));
        assert_eq!((written.start, written.term_end), (today, Some(date!(2029 - 12 - 31))));
        assert_eq!(written.monthly_rent_ore, 950_000);
        assert_eq!(store.contract_of_offer(m.id, &offer).await.unwrap(), Some(id.clone()));
        assert_eq!(store.contract_periods(m.id, &id).await.unwrap().len(), 1);
        let dwelling = store.dwelling(m.id, &flat).await.unwrap();
        assert_eq!((dwelling.status, dwelling.status_from), (DwellingStatus::Let, today));
        assert_eq!(store.case(m.id, first.case).await.unwrap().state, CaseState::Closed);
        assert!(
            !store
                .waiting_cases(m.id)
                .await
                .unwrap()
                .iter()
                .any(|c| c.case == first.case),
            "the household left the waiting list"
        );
        // The older readers see the term's end as the tenancy's end.
        let to_date: Option<String> = sqlx::query_scalar("SELECT to_date FROM tenancy WHERE id = $1")
            .bind(&id)
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(to_date.as_deref(), Some("2029-12-31"));
        // A second contract for the same offer is refused.
        let again = store
            .create_contract(m.id, &offer, accepted.version, &contract(today), &by, |c| {
                c.take_step(&close(), today, 12).ok()
            })
            .await;
        assert!(
            matches!(&again, Err(StoreError::Duplicate(index)) if index == CONTRACT_FOR_OFFER),
            "{again:?}"
        );

        // The expiring list: ending by 2029-12-31 it is there, by the day before it is not.
        let ending = |day| store.contracts(m.id, ContractFilter::EndingBy(day), 0, 100);
        assert!(
            ending(date!(2029 - 12 - 31))
                .await
                .unwrap()
                .contracts
                .iter()
                .any(|c| c.id == id)
        );
        assert!(
            !ending(date!(2029 - 12 - 30))
                .await
                .unwrap()
                .contracts
                .iter()
                .any(|c| c.id == id)
        );

        // Ended: the dwelling is vacant from the day after; then undone: let again. The
        // household bought its home with a startlån: the end names that case.
        let (loan, _) = store
            .register_application(
                m.id,
                written.household,
                husly_domain::cases::CaseType::Startlan,
                &husly_domain::cases::ApplicationForm::default(),
                today,
                &by,
            )
            .await
            .unwrap();
        let end = ContractEnd {
            ended_on: date!(2028 - 06 - 30),
            reason: EndReason::BoughtOwnHome,
            notice_on: Some(date!(2028 - 03 - 31)),
            note: None,
            move_on_case: Some(loan),
        };
        store.end_contract(m.id, &id, written.version, &end, &by).await.unwrap();
        let ended = store.contract(m.id, &id).await.unwrap();
        assert_eq!(ended.ended_on, Some(date!(2028 - 06 - 30)));
        assert_eq!(ended.end_reason, Some(EndReason::BoughtOwnHome));
        assert_eq!(ended.move_on_case, Some(loan), "{:?}", db.backend());
        let loan_reference = store.case(m.id, loan).await.unwrap().reference;
        assert_eq!(ended.move_on_reference.as_deref(), Some(loan_reference.as_str()));
        let listed = store.contracts(m.id, ContractFilter::Ended, 0, 10).await.unwrap();
        assert!(
            listed
                .contracts
                .iter()
                .any(|c| c.id == id && c.move_on_case == Some(loan))
        );
        // The "from renting to owning" indicators' facts: the year's ended contracts.
        let year = (date!(2028 - 01 - 01), date!(2029 - 01 - 01));
        let facts = store.ended_tenancies_between(m.id, year.0, year.1).await.unwrap();
        assert_eq!(
            facts,
            vec![husly_domain::indicators::EndedTenancy {
                ended_on: date!(2028 - 06 - 30),
                bought_own_home: true,
                with_startlan_case: true,
            }],
            "{:?}",
            db.backend()
        );
        assert!(
            store
                .ended_tenancies_between(m.id, date!(2029 - 01 - 01), date!(2030 - 01 - 01))
                .await
                .unwrap()
                .is_empty()
        );
        let events = store.contract_events(m.id, &id).await.unwrap();
        let ended_event = events.iter().find(|e| e.kind == "ended").unwrap();
        assert_eq!(ended_event.details["move_on_case_id"], loan.to_string());
        let dwelling = store.dwelling(m.id, &flat).await.unwrap();
        assert_eq!(
            (dwelling.status, dwelling.status_from),
            (DwellingStatus::Vacant, date!(2028 - 07 - 01))
        );
        assert!(matches!(
            store.end_contract(m.id, &id, written.version, &end, &by).await,
            Err(StoreError::Conflict { .. })
        ));
        let undo = Change {
            reason: Some("Kjøpet gikk ikke gjennom"),
            ..by
        };
        store.undo_contract_end(m.id, &id, ended.version, &undo).await.unwrap();
        let running = store.contract(m.id, &id).await.unwrap();
        assert_eq!((running.ended_on, running.end_reason), (None, None));
        assert_eq!(
            (running.move_on_case, running.move_on_reference),
            (None, None),
            "the undo clears it"
        );
        assert_eq!(store.dwelling(m.id, &flat).await.unwrap().status, DwellingStatus::Let);
        let kinds: Vec<String> = store
            .contract_events(m.id, &id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(kinds, ["created", "ended", "end_undone"]);
        assert!(
            store
                .ended_tenancies_between(m.id, year.0, year.1)
                .await
                .unwrap()
                .is_empty(),
            "an undone end is counted no more"
        );

        // The database keeps one running contract per dwelling: a second household's accepted
        // offer of the same flat cannot get one while the first runs (two at once: one wins).
        store.end_contract(m.id, &id, running.version, &end, &by).await.unwrap();
        let offer_2 = store.create_offer(m.id, &offer_to(second.case), &by).await.unwrap();
        let open_2 = store.offer(m.id, &offer_2).await.unwrap();
        store
            .move_offer(m.id, &offer_2, open_2.version, &accept, MovedBy::Applicant, &by)
            .await
            .unwrap();
        let accepted_2 = store.offer(m.id, &offer_2).await.unwrap();
        let ended = store.contract(m.id, &id).await.unwrap();
        let new = contract(today);
        let (a, b) = tokio::join!(
            store.create_contract(m.id, &offer_2, accepted_2.version, &new, &by, |c| {
                c.take_step(&close(), today, 12).ok()
            }),
            store.undo_contract_end(m.id, &id, ended.version, &undo),
        );
        assert!(
            a.is_ok() != b.is_ok(),
            "{:?}: exactly one wins: {a:?} {b:?}",
            db.backend()
        );
        let loser = if a.is_ok() { b.err() } else { a.err() };
        assert!(
            matches!(&loser, Some(StoreError::Duplicate(index)) if index == OPEN_CONTRACT_FOR_DWELLING),
            "{:?}: {loser:?}",
            db.backend()
        );
        let running: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM tenancy WHERE dwelling_id = $1 AND ended_on IS NULL")
                .bind(&flat)
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert_eq!(running, 1);
        assert_eq!(store.verify_audit().await.unwrap().first_break, None);
    }
}
