//! Renewal reviews on both backends (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is
//! set): the contracts due for review are listed; a period's review opens once however often, and
//! however many at the same moment, it is asked for; a sent renewal adds the next period and moves
//! the term's end, and a decision not to renew is on the contract's history.

use husly_domain::cases::renewal::RenewalTerms;
use husly_domain::cases::requests::{CheckedProposal, Delivery, Step};
use husly_domain::cases::{CaseAction, CaseState, CaseType, Outcome};
use husly_domain::{DecisionId, UserId};
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::testing::TestDb;
use husly_store::{Store, StoreError};
use time::macros::date;

fn proposal(outcome: Outcome, renewal: RenewalTerms) -> CheckedProposal {
    CheckedProposal {
        outcome,
        reasons: "Husstanden oppfyller fortsatt vilkårene.".into(),
        granted_text: outcome.grants().then(|| "Ny leiekontrakt".into()),
        amount_ore: None,
        conditions: Vec::new(),
        section6: None,
        renewal: Some(renewal),
    }
}

/// Takes the review from received to sent with `proposal`.
async fn decide(
    store: &Store,
    m: husly_domain::MunicipalityId,
    case: husly_domain::CaseId,
    proposal: &CheckedProposal,
    (caseworker, approver): (&Change<'_>, &Change<'_>),
    today: time::Date,
) -> Result<husly_domain::cases::Case, StoreError> {
    let start = Step {
        action: CaseAction::StartAssessment,
        reason: None,
        information_due: None,
        expiry: None,
        appeal: None,
    };
    let c = store.case(m, case).await?;
    let c = store
        .change_case(m, case, c.version, None, caseworker, |c, _| {
            c.take_step(&start, today, 12)
        })
        .await?;
    let proposer = caseworker.user.unwrap();
    let c = store
        .change_case(m, case, c.version, None, caseworker, |c, _| {
            c.propose(DecisionId::new(), proposal, proposer, serde_json::json!({}))
        })
        .await?;
    let reviewer = approver.user.unwrap();
    let c = store
        .change_case(m, case, c.version, None, approver, |c, latest| {
            c.review(latest, reviewer, true, None)
        })
        .await?;
    store
        .change_case(m, case, c.version, None, caseworker, |c, latest| {
            c.send_decision(latest, today, Delivery::digital(today), 12)
        })
        .await
}

#[tokio::test]
async fn a_period_is_reviewed_once_and_its_decision_renews_or_ends_the_contract() {
    for db in TestDb::all().await.expect("test databases") {
        let store = &db.store;
        let backend = db.backend();
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        store.seed_households(&m, 600, 11, &actor).await.unwrap();
        let mut users = Vec::new();
        for (email, name) in [
            ("saksbehandler@kommune.invalid", "Siri Saksbehandler"),
            ("godkjenner@kommune.invalid", "Gunn Godkjenner"),
        ] {
            users.push(
                store
                    .create_user(email, name, "et langt passord 123", &actor)
                    .await
                    .unwrap(),
            );
        }
        let change = |user: UserId| Change {
            actor: &actor,
            user: Some(user),
            reason: None,
        };
        let (caseworker, approver) = (change(users[0]), change(users[1]));
        let system = Actor::system("renewal reviews");
        let by_system = Change {
            actor: &system,
            user: None,
            reason: None,
        };

        // The seeded contracts run five years from 2022: due within six months of late 2026.
        let today = date!(2026 - 12 - 03);
        let due = store
            .contracts_due_for_review(m.id, date!(2027 - 06 - 03), 1000)
            .await
            .unwrap();
        assert!(due.len() >= 2, "{backend:?}: seeded contracts due, found {}", due.len());
        assert!(due.windows(2).all(|w| w[0].term_end <= w[1].term_end), "soonest first");
        assert!(due.iter().all(|d| d.term_end <= date!(2027 - 06 - 03)));
        let later = store
            .contracts_due_for_review(m.id, date!(2026 - 01 - 01), 1000)
            .await
            .unwrap();
        assert!(later.len() < due.len(), "a nearer horizon lists fewer");

        // Opening twice, and twice at the same moment, opens one review.
        let decide_by = date!(2027 - 01 - 15);
        let (first, second) = (&due[0], &due[1]);
        let opened = store
            .open_renewal_review(m.id, first, today, decide_by, &by_system)
            .await
            .unwrap();
        let (review, reference) = opened.expect("opened");
        assert_eq!(
            store
                .open_renewal_review(m.id, first, today, decide_by, &by_system)
                .await
                .unwrap(),
            None,
            "{backend:?}: a period is reviewed once"
        );
        let (a, b) = tokio::join!(
            store.open_renewal_review(m.id, second, today, decide_by, &by_system),
            store.open_renewal_review(m.id, second, today, decide_by, &by_system),
        );
        let opened_at_once = [a.unwrap(), b.unwrap()];
        assert_eq!(
            opened_at_once.iter().filter(|o| o.is_some()).count(),
            1,
            "{backend:?}: two at once open one review"
        );
        let second_review = opened_at_once.iter().flatten().next().unwrap().0;
        let still_due = store
            .contracts_due_for_review(m.id, date!(2027 - 06 - 03), 1000)
            .await
            .unwrap();
        assert_eq!(
            still_due.len(),
            due.len() - 2,
            "{backend:?}: reviewed periods leave the list"
        );

        let case = store.case(m.id, review).await.unwrap();
        assert_eq!(
            (case.case_type, case.state),
            (CaseType::TenancyRenewal, CaseState::Received)
        );
        assert_eq!(case.household_id, first.household);
        assert_eq!(case.interim_due, None, "no interim answer for the office's own review");
        assert_eq!(
            (case.decide_by, case.next_due),
            (Some(decide_by), Some(decide_by)),
            "{backend:?}: due in the work queue by its day"
        );
        let contract = store
            .reviewed_contract(m.id, review)
            .await
            .unwrap()
            .expect("its contract");
        assert_eq!(contract.tenancy_id, first.tenancy_id);
        assert_eq!(contract.period_end, Some(first.term_end));
        let periods = store.contract_periods(m.id, &first.tenancy_id).await.unwrap();
        assert_eq!(periods.last().unwrap().review, Some((review, reference)));

        // Renewed: the next period from the day after the term, the term's end moved.
        let until = date!(2030 - 02 - 28);
        let sent = decide(
            store,
            m.id,
            review,
            &proposal(Outcome::Granted, RenewalTerms::Renew { until }),
            (&caseworker, &approver),
            today,
        )
        .await
        .unwrap();
        assert_eq!(sent.state, CaseState::Granted);
        let renewed = store.contract(m.id, &first.tenancy_id).await.unwrap();
        assert_eq!(renewed.term_end, Some(until), "{backend:?}");
        let periods = store.contract_periods(m.id, &first.tenancy_id).await.unwrap();
        let (present, next) = (&periods[periods.len() - 2], &periods[periods.len() - 1]);
        assert_eq!(next.seq, present.seq + 1);
        assert_eq!(next.from, first.term_end.next_day().unwrap());
        assert_eq!(
            (next.to, next.monthly_rent_ore),
            (Some(until), present.monthly_rent_ore)
        );
        assert_eq!(next.review, None, "the new period has its own review later");
        let events = store.contract_events(m.id, &first.tenancy_id).await.unwrap();
        let kinds: Vec<&str> = events.iter().map(|e| e.kind.as_str()).collect();
        assert!(kinds.ends_with(&["review_opened", "renewed"]), "{kinds:?}");
        let decisions = store.decisions(m.id, review).await.unwrap();
        assert_eq!(decisions[0].renewal, Some(RenewalTerms::Renew { until }));

        // Not renewed: the contract runs to its term's end, and its history says so.
        let plan = RenewalTerms::End {
            transition_plan: "Vi hjelper husstanden med å søke bolig på det private markedet.".into(),
            startlan_referral: true,
        };
        decide(
            store,
            m.id,
            second_review,
            &proposal(Outcome::Refused, plan.clone()),
            (&caseworker, &approver),
            today,
        )
        .await
        .unwrap();
        let kept = store.contract(m.id, &second.tenancy_id).await.unwrap();
        assert_eq!(kept.term_end, Some(second.term_end), "{backend:?}");
        assert_eq!(kept.ended_on, None, "the housing manager ends it at the move-out");
        let events = store.contract_events(m.id, &second.tenancy_id).await.unwrap();
        assert_eq!(events.last().unwrap().kind, "not_renewed");
        assert_eq!(
            store.decisions(m.id, second_review).await.unwrap()[0].renewal,
            Some(plan)
        );

        // The indicators of today see the decisions: the renewed contract's new period is not
        // reviewed yet but ends years ahead; the one not renewed is decided; a third, listed as
        // due, has no decision.
        let facts = store
            .running_tenant_facts(m.id, today, date!(2027 - 12 - 31))
            .await
            .unwrap();
        let fact = |household| {
            facts
                .iter()
                .find(|(h, _)| *h == household)
                .map(|(_, f)| *f)
                .expect("running")
        };
        let renewed = fact(first.household);
        assert_eq!(
            (renewed.term_end, renewed.renewal_decided),
            (Some(until), false),
            "{backend:?}"
        );
        let ending = fact(second.household);
        assert_eq!(
            (ending.term_end, ending.renewal_decided),
            (Some(second.term_end), true),
            "{backend:?}"
        );
        assert!(!fact(due[2].household).renewal_decided, "{backend:?}");
        assert!(
            facts.iter().all(|(_, f)| !f.arrears_over_threshold),
            "set by the caller"
        );
        assert!(facts.len() >= due.len(), "{backend:?}");
        let before = store
            .running_tenant_facts(m.id, date!(2000 - 01 - 01), date!(2001 - 01 - 01))
            .await
            .unwrap();
        assert!(before.is_empty(), "{backend:?}: nothing had begun in 2000");

        // An end registered ahead: running until its day, with no term end left to decide;
        // from the day after the move-out, not running.
        let third = &due[2];
        let version = store.contract(m.id, &third.tenancy_id).await.unwrap().version;
        let end = husly_domain::tenancy::ContractEnd {
            ended_on: date!(2027 - 01 - 31),
            reason: husly_domain::tenancy::EndReason::TenantNotice,
            notice_on: Some(date!(2026 - 10 - 31)),
            note: None,
            move_on_case: None,
        };
        store
            .end_contract(m.id, &third.tenancy_id, version, &end, &caseworker)
            .await
            .unwrap();
        let facts = store
            .running_tenant_facts(m.id, today, date!(2027 - 12 - 31))
            .await
            .unwrap();
        let leaving = facts.iter().find(|(h, _)| *h == third.household).expect("running").1;
        assert_eq!(leaving.term_end, None, "{backend:?}");
        let after = store
            .running_tenant_facts(m.id, date!(2027 - 02 - 01), date!(2028 - 02 - 01))
            .await
            .unwrap();
        assert!(!after.iter().any(|(h, _)| *h == third.household), "{backend:?}");
    }
}
