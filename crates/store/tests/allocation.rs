//! Allocation rounds and offers on both backends (SQLite always, PostgreSQL when
//! `HUSLY_TEST_POSTGRES_URL` is set): a round keeps its seed secret until it is drawn; a stale
//! round is refused; the database lets a dwelling and a household carry one open offer each, also
//! when offers race; answers, expiry and reopening keep their history.

use husly_domain::allocation::offer::{DeclineReason, OfferState};
use husly_domain::allocation::round::RoundState;
use husly_store::StoreError;
use husly_store::allocation::{
    DrawnRound, MovedBy, NewOffer, NewRound, OPEN_OFFER_FOR_CASE, OPEN_OFFER_FOR_DWELLING, OfferMove,
};
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::testing::TestDb;
use time::macros::date;

#[tokio::test]
async fn a_round_and_its_offers_keep_one_open_offer_per_dwelling_and_household() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        store.seed_households(&m, 1000, 7, &actor).await.unwrap();
        let caseworker = store
            .create_user(
                "tildeling@kommune.invalid",
                "Tora Tildeling",
                "et langt passord 123",
                &actor,
            )
            .await
            .unwrap();
        let by = Change {
            actor: &actor,
            user: Some(caseworker),
            reason: None,
        };
        let waiting = store.waiting_cases(m.id).await.unwrap();
        let vacant: Vec<String> = store
            .vacant_dwellings(m.id)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.id)
            .collect();
        assert!(
            waiting.len() >= 4 && vacant.len() >= 3,
            "{:?}: the seed has a waiting list ({}) and vacancies ({})",
            db.backend(),
            waiting.len(),
            vacant.len()
        );
        let mut entries: Vec<String> = waiting.iter().map(|c| c.reference.clone()).collect();
        entries.sort();

        // A round: numbered, the seed hidden until the draw.
        let new = NewRound {
            policy_version: "drammen-2020.1",
            policy_fingerprint: "f",
            entries: &entries,
            input_hash: "h",
            commitment: "c",
            seed: "s",
            dwellings: &vacant,
        };
        let (round, number) = store.create_round(m.id, &new, &by).await.unwrap();
        assert_eq!(number, 1);
        let (_, second) = store.create_round(m.id, &new, &by).await.unwrap();
        assert_eq!(second, 2);
        let frozen = store.round(m.id, &round).await.unwrap();
        assert_eq!(frozen.state, RoundState::Frozen);
        assert_eq!(frozen.seed, None, "the seed is secret before the draw");
        assert_eq!(store.round_seed(m.id, &round).await.unwrap(), "s");
        assert_eq!(frozen.lines.len(), vacant.len());
        assert_eq!(frozen.entries, entries);

        let lines: Vec<_> = vacant
            .iter()
            .zip(&waiting)
            .map(|(d, c)| (d.clone(), Some((c.case, 120))))
            .collect();
        let drawn = DrawnRound {
            draw_order: &entries,
            outcomes: serde_json::json!([]),
            lines,
        };
        let stale = store.save_draw(m.id, &round, frozen.version + 1, &drawn, &by).await;
        assert!(matches!(stale, Err(StoreError::Conflict { .. })));
        store
            .save_draw(m.id, &round, frozen.version, &drawn, &by)
            .await
            .unwrap();
        let saved = store.round(m.id, &round).await.unwrap();
        assert_eq!(saved.state, RoundState::Drawn);
        assert_eq!(saved.seed.as_deref(), Some("s"), "revealed after the draw");
        assert_eq!(saved.lines[0].case, Some(waiting[0].case));
        assert_eq!(saved.lines[0].proposed_case, Some(waiting[0].case));
        let again = store.save_draw(m.id, &round, saved.version, &drawn, &by).await;
        assert!(matches!(again, Err(StoreError::Conflict { .. })), "drawn once only");

        // An override keeps the proposal beside the choice, and the reason.
        let mut why = by.clone();
        why.reason = Some("Kjent fra møtet");
        store
            .override_line(
                m.id,
                &round,
                saved.version,
                &vacant[1],
                Some((waiting[3].case, 40)),
                &why,
            )
            .await
            .unwrap();
        let overridden = store.round(m.id, &round).await.unwrap();
        assert_eq!(overridden.lines[1].case, Some(waiting[3].case));
        assert_eq!(overridden.lines[1].proposed_case, Some(waiting[1].case));
        assert_eq!(overridden.lines[1].override_reason.as_deref(), Some("Kjent fra møtet"));

        // Offers: one open per dwelling and per household, enforced by the database.
        let offer = |dwelling: usize, case: usize| NewOffer {
            round_id: Some(&round),
            dwelling_id: &vacant[dwelling],
            case: waiting[case].case,
            sent_on: date!(2026 - 12 - 03),
            answer_by: date!(2026 - 12 - 10),
            note: None,
        };
        let first = store.create_offer(m.id, &offer(0, 0), &by).await.unwrap();
        match store.create_offer(m.id, &offer(0, 1), &by).await {
            Err(StoreError::Duplicate(index)) => assert_eq!(index, OPEN_OFFER_FOR_DWELLING),
            other => panic!("{:?}: a second open offer for a dwelling: {other:?}", db.backend()),
        }
        match store.create_offer(m.id, &offer(1, 0), &by).await {
            Err(StoreError::Duplicate(index)) => assert_eq!(index, OPEN_OFFER_FOR_CASE),
            other => panic!("{:?}: a second open offer for a household: {other:?}", db.backend()),
        }

        // Eight offers of one dwelling at the same moment: exactly one is made.
        let racing: Vec<_> = (1..=3)
            .flat_map(|case| [case; 3])
            .take(8)
            .enumerate()
            .map(|(i, case)| {
                let store = store.clone();
                let actor = Actor::cli("race");
                let dwelling = vacant[2].clone();
                let round = round.clone();
                let case = waiting[if i % 2 == 0 { case } else { case.min(3) }].case;
                tokio::spawn(async move {
                    let by = Change {
                        actor: &actor,
                        user: Some(caseworker),
                        reason: None,
                    };
                    let new = NewOffer {
                        round_id: Some(&round),
                        dwelling_id: &dwelling,
                        case,
                        sent_on: date!(2026 - 12 - 03),
                        answer_by: date!(2026 - 12 - 10),
                        note: None,
                    };
                    store.create_offer(m.id, &new, &by).await
                })
            })
            .collect();
        let mut made = 0;
        for task in racing {
            match task.await.unwrap() {
                Ok(_) => made += 1,
                Err(StoreError::Duplicate(_)) => {}
                Err(other) => panic!("{:?}: a racing offer failed otherwise: {other}", db.backend()),
            }
        }
        assert_eq!(made, 1, "{:?}: one open offer per dwelling under a race", db.backend());

        // A decline frees the dwelling for the next household; reopening it then is refused.
        let current = store.offer(m.id, &first).await.unwrap();
        assert_eq!(current.state, OfferState::Open);
        assert_eq!(current.case_reference, waiting[0].reference);
        let decline = OfferMove {
            from: OfferState::Open,
            to: OfferState::Declined,
            on: date!(2026 - 12 - 05),
            decline_reason: Some(DeclineReason::Location),
            note: Some("Vil bo nærmere jobben"),
            answer_by: None,
        };
        store
            .move_offer(m.id, &first, current.version, &decline, MovedBy::Applicant, &by)
            .await
            .unwrap();
        let stale = store
            .move_offer(m.id, &first, current.version, &decline, MovedBy::Applicant, &by)
            .await;
        assert!(matches!(stale, Err(StoreError::Conflict { .. })), "answered once");
        let declined = store.offer(m.id, &first).await.unwrap();
        assert_eq!(declined.state, OfferState::Declined);
        assert_eq!(declined.decline_reason, Some(DeclineReason::Location));
        assert_eq!(declined.answered_on, Some(date!(2026 - 12 - 05)));
        let next = store.create_offer(m.id, &offer(0, 2), &by).await;
        let next = match next {
            Ok(id) => id,
            // The household won the race above: give it to the fourth instead.
            Err(StoreError::Duplicate(_)) => store.create_offer(m.id, &offer(0, 3), &by).await.unwrap(),
            Err(other) => panic!("{other}"),
        };
        let reopen = OfferMove {
            from: OfferState::Declined,
            to: OfferState::Open,
            on: date!(2026 - 12 - 06),
            decline_reason: None,
            note: None,
            answer_by: Some(date!(2026 - 12 - 13)),
        };
        match store
            .move_offer(m.id, &first, declined.version, &reopen, MovedBy::User, &by)
            .await
        {
            Err(StoreError::Duplicate(index)) => assert_eq!(index, OPEN_OFFER_FOR_DWELLING),
            other => panic!("{:?}: reopening while another offer is open: {other:?}", db.backend()),
        }

        // The nightly expiry finds the open offers past their answer date.
        let due = store.offers_past_answer_date(date!(2026 - 12 - 11)).await.unwrap();
        assert!(due.iter().any(|(_, id, _)| id == &next));
        assert!(
            store
                .offers_past_answer_date(date!(2026 - 12 - 10))
                .await
                .unwrap()
                .is_empty()
        );

        // History: who, when, what; the applicant's decline is marked as the applicant's.
        let history = store.allocation_events(m.id, None, Some(&first)).await.unwrap();
        let kinds: Vec<&str> = history.iter().map(|e| e.kind.as_str()).collect();
        assert_eq!(kinds, ["offer_made", "offer_declined"]);
        assert!(history[1].by_applicant && history[1].actor.is_none());
        let round_history = store.allocation_events(m.id, Some(&round), None).await.unwrap();
        assert!(
            round_history
                .iter()
                .any(|e| e.kind == "line_overridden" && e.reason.as_deref() == Some("Kjent fra møtet"))
        );
        let (bound_cases, bound_dwellings) = store.bound_by_offers(m.id).await.unwrap();
        assert!(bound_dwellings.contains(&vacant[0]) && bound_dwellings.contains(&vacant[2]));
        assert!(!bound_cases.contains(&waiting[0].case), "a declined offer binds nobody");
        let rounds = store.rounds(m.id).await.unwrap();
        assert_eq!(rounds.len(), 2);
        assert_eq!(
            rounds[1].offers as usize,
            store.offers_of_round(m.id, &round).await.unwrap().len()
        );

        let mut closing = by.clone();
        closing.reason = Some("Møtet er ferdig");
        store
            .end_round(
                m.id,
                &round,
                overridden.version,
                RoundState::Drawn,
                RoundState::Closed,
                &closing,
            )
            .await
            .unwrap();
        assert_eq!(store.round(m.id, &round).await.unwrap().state, RoundState::Closed);
    }
}
