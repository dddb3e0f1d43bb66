//! The action plan's tables on both backends: a plan with goals, measures and indicators, every
//! change an event with the old and new values, nothing visible from another municipality.

use husly_domain::action_plan::{
    Direction, Figure, GoalText, IndicatorDetails, MeasureDetails, MeasureStatus, PlanHeading, Unit,
};
use husly_store::audit::{Actor, AuditFilter};
use husly_store::households::Change;
use husly_store::testing::{POSTGRES_URL_VAR, TestDb};
use husly_store::{Backend, StoreError};
use time::macros::date;

async fn databases() -> Vec<TestDb> {
    let dbs = TestDb::all().await.expect("test databases");
    if std::env::var("CI").as_deref() == Ok("true") {
        assert!(
            dbs.iter().any(|d| d.backend() == Backend::Postgres),
            "CI must run the store tests on PostgreSQL: set {POSTGRES_URL_VAR}"
        );
    }
    dbs
}

fn heading(title: &str) -> PlanHeading {
    PlanHeading {
        title: title.into(),
        period_from: 2026,
        period_to: 2029,
        adopted_on: None,
        council_ref: None,
    }
}

fn waiting_time() -> IndicatorDetails {
    IndicatorDetails {
        name: "Saksbehandlingstid".into(),
        definition: Some("median_days_to_decision".into()),
        unit: Unit::Days,
        direction: Direction::Decrease,
        baseline: Figure::whole(45),
        baseline_year: 2025,
        target: Figure::whole(21),
        target_year: 2029,
    }
}

#[tokio::test]
async fn a_plan_is_kept_with_its_goals_measures_indicators_and_history() {
    for db in databases().await {
        let store = &db.store;
        let actor = Actor::cli("test");
        let m = store
            .ensure_municipality("3301", "Drammen", false, &actor)
            .await
            .unwrap();
        let other = store.ensure_municipality("0301", "Oslo", false, &actor).await.unwrap();
        let leader = store
            .create_user("leder@kommune.invalid", "Lena Leder", "et langt passord 123", &actor)
            .await
            .unwrap();
        let by = |reason| Change {
            actor: &actor,
            user: Some(leader),
            reason,
        };
        let plan = store
            .create_action_plan(m.id, &heading("Boligsosial handlingsplan 2026–2029"), &by(None))
            .await
            .unwrap();
        let goal = store
            .add_plan_goal(
                m.id,
                &plan,
                &GoalText {
                    title: "Ingen skal være bostedsløse".into(),
                    description: Some("Nullvisjonen i den nasjonale strategien.".into()),
                },
                &by(None),
            )
            .await
            .unwrap();
        let measure = MeasureDetails {
            title: "Bo-team for unge".into(),
            owner: "Boligkontoret".into(),
            deadline: Some(date!(2027 - 12 - 31)),
            status: MeasureStatus::Planned,
            budget_ore: Some(125_000_000),
        };
        let measure_id = store
            .add_plan_measure(m.id, &plan, &goal, &measure, &by(None))
            .await
            .unwrap();
        let indicator = store
            .add_plan_indicator(m.id, &plan, &goal, &waiting_time(), &by(None))
            .await
            .unwrap();
        let manual = IndicatorDetails {
            name: "Bostedsløse (kartlegging)".into(),
            definition: None,
            unit: Unit::Count,
            ..waiting_time()
        };
        let manual_id = store
            .add_plan_indicator(m.id, &plan, &goal, &manual, &by(None))
            .await
            .unwrap();
        store
            .update_plan_measure(
                m.id,
                &plan,
                &measure_id,
                &MeasureDetails {
                    status: MeasureStatus::InProgress,
                    ..measure.clone()
                },
                &by(None),
            )
            .await
            .unwrap();
        let revised = IndicatorDetails {
            target: Figure::whole(28),
            ..waiting_time()
        };
        store
            .update_plan_indicator(m.id, &plan, &indicator, &revised, &by(Some("Bystyret justerte målet")))
            .await
            .unwrap();
        store
            .report_indicator_value(m.id, &plan, &manual_id, 2025, Figure::whole(40), &by(None))
            .await
            .unwrap();
        store
            .report_indicator_value(m.id, &plan, &manual_id, 2025, Figure::whole(38), &by(None))
            .await
            .unwrap();

        let kept = store.action_plan(m.id, &plan).await.unwrap();
        assert_eq!(kept.summary.heading.title, "Boligsosial handlingsplan 2026–2029");
        assert_eq!(kept.goals.len(), 1);
        let goal_kept = &kept.goals[0];
        assert_eq!(goal_kept.measures[0].details.status, MeasureStatus::InProgress);
        assert_eq!(goal_kept.measures[0].details.budget_ore, Some(125_000_000));
        assert_eq!(goal_kept.indicators.len(), 2);
        assert_eq!(goal_kept.indicators[0].details, revised);
        assert_eq!(goal_kept.indicators[1].reported, [(2025, Figure::whole(38))]);

        // The history names the old and new target and the reason, newest first.
        let events = store.plan_events(m.id, &plan).await.unwrap();
        let kinds: Vec<&str> = events.iter().rev().map(|e| e.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "plan.created",
                "plan.goal_added",
                "plan.measure_added",
                "plan.indicator_added",
                "plan.indicator_added",
                "plan.measure_changed",
                "plan.indicator_changed",
                "plan.value_reported",
                "plan.value_reported",
            ],
            "{:?}",
            db.backend()
        );
        let target_change = events.iter().find(|e| e.kind == "plan.indicator_changed").unwrap();
        assert_eq!(target_change.details["before"]["target"], 2_100);
        assert_eq!(target_change.details["after"]["target"], 2_800);
        assert_eq!(target_change.reason.as_deref(), Some("Bystyret justerte målet"));
        assert_eq!(target_change.actor_name, "Lena Leder");
        assert_eq!(
            events[0].details["before"], 4_000,
            "a replaced value is kept in the event"
        );
        let audited = store
            .audit_entries(
                m.id,
                &AuditFilter {
                    resource_id: Some(plan.clone()),
                    limit: 100,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        assert_eq!(audited.iter().filter(|e| e.resource_kind == "action_plan").count(), 9);

        // Another municipality sees nothing and changes nothing.
        assert!(store.action_plans(other.id).await.unwrap().is_empty());
        assert!(matches!(
            store.action_plan(other.id, &plan).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .add_plan_goal(
                    other.id,
                    &plan,
                    &GoalText {
                        title: "x".into(),
                        description: None
                    },
                    &by(None)
                )
                .await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(
            store
                .update_plan_indicator(other.id, &plan, &indicator, &waiting_time(), &by(None))
                .await,
            Err(StoreError::NotFound)
        ));

        // The heading changes at the version read; a stale version is a conflict.
        let adopted = PlanHeading {
            adopted_on: Some(date!(2026 - 06 - 18)),
            council_ref: Some("PS 45/26".into()),
            ..heading("Boligsosial handlingsplan 2026–2029")
        };
        store
            .update_action_plan(m.id, &plan, 1, &adopted, &by(None))
            .await
            .unwrap();
        assert!(matches!(
            store.update_action_plan(m.id, &plan, 1, &adopted, &by(None)).await,
            Err(StoreError::Conflict { .. })
        ));
        let listed = store.action_plans(m.id).await.unwrap();
        assert_eq!((listed.len(), listed[0].version), (1, 2));
        assert_eq!(listed[0].heading, adopted);
    }
}
