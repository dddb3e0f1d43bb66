//! The action plan: plans, goals, measures, indicators and values reported by hand. Every write is
//! one transaction with a `plan_event` (who, when, what changed from what, why) and an audit
//! entry; nothing is deleted. Also the one question the indicators ask of the cases: their facts.

use futures_util::TryStreamExt;
use husly_domain::action_plan::{
    Direction, Figure, GoalText, IndicatorDetails, MeasureDetails, MeasureStatus, PlanHeading, Unit,
};
use husly_domain::cases::{CaseState, CaseType, Outcome};
use husly_domain::indicators::CaseFact;
use husly_domain::{CaseId, MunicipalityId, UserId};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Event};
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, parse_date_text};

/// A plan's heading as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanSummary {
    pub id: String,
    pub heading: PlanHeading,
    pub version: i64,
}

/// A whole plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub summary: PlanSummary,
    pub goals: Vec<Goal>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    pub id: String,
    pub text: GoalText,
    pub measures: Vec<Measure>,
    pub indicators: Vec<Indicator>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: String,
    pub details: MeasureDetails,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indicator {
    pub id: String,
    pub details: IndicatorDetails,
    /// Values reported by hand, by year, oldest first.
    pub reported: Vec<(i32, Figure)>,
}

/// One change to a plan, as the plan's history shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanEvent {
    pub occurred_at: i64,
    pub actor_name: String,
    pub kind: String,
    pub details: serde_json::Value,
    pub reason: Option<String>,
}

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {code:?}"))
}

fn heading(row: &sqlx::any::AnyRow) -> StoreResult<PlanSummary> {
    let adopted_on: Option<String> = row.try_get("adopted_on")?;
    Ok(PlanSummary {
        id: row.try_get("id")?,
        heading: PlanHeading {
            title: row.try_get("title")?,
            period_from: row.try_get::<i64, _>("period_from")? as i32,
            period_to: row.try_get::<i64, _>("period_to")? as i32,
            adopted_on: adopted_on.as_deref().map(parse_date_text).transpose()?,
            council_ref: row.try_get("council_ref")?,
        },
        version: row.try_get("version")?,
    })
}

fn measure(row: &sqlx::any::AnyRow) -> StoreResult<Measure> {
    let status: String = row.try_get("status")?;
    let deadline: Option<String> = row.try_get("deadline")?;
    Ok(Measure {
        id: row.try_get("id")?,
        details: MeasureDetails {
            title: row.try_get("title")?,
            owner: row.try_get("owner")?,
            deadline: deadline.as_deref().map(parse_date_text).transpose()?,
            status: MeasureStatus::from_code(&status).ok_or_else(|| corrupt("measure status", &status))?,
            budget_ore: row.try_get("budget_ore")?,
        },
    })
}

fn indicator(row: &sqlx::any::AnyRow) -> StoreResult<Indicator> {
    let unit: String = row.try_get("unit")?;
    let direction: String = row.try_get("direction")?;
    Ok(Indicator {
        id: row.try_get("id")?,
        details: IndicatorDetails {
            name: row.try_get("name")?,
            definition: row.try_get("definition")?,
            unit: Unit::from_code(&unit).ok_or_else(|| corrupt("unit", &unit))?,
            direction: Direction::from_code(&direction).ok_or_else(|| corrupt("direction", &direction))?,
            baseline: Figure(row.try_get("baseline")?),
            baseline_year: row.try_get::<i64, _>("baseline_year")? as i32,
            target: Figure(row.try_get("target")?),
            target_year: row.try_get::<i64, _>("target_year")? as i32,
        },
        reported: Vec::new(),
    })
}

const PLAN_COLUMNS: &str = "id, title, period_from, period_to, adopted_on, council_ref, version";
const MEASURE_COLUMNS: &str = "id, goal_id, title, owner, deadline, status, budget_ore";
const INDICATOR_COLUMNS: &str =
    "id, goal_id, name, definition, unit, direction, baseline, baseline_year, target, target_year";

impl Store {
    /// The municipality a plan belongs to, if the plan exists.
    pub async fn action_plan_municipality(&self, plan: &str) -> StoreResult<Option<MunicipalityId>> {
        let owner: Option<String> = sqlx::query_scalar("SELECT municipality_id FROM action_plan WHERE id = $1")
            .bind(plan)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        owner.as_deref().map(crate::municipalities::parse_id).transpose()
    }

    /// The municipality's plans, the latest period first.
    pub async fn action_plans(&self, municipality: MunicipalityId) -> StoreResult<Vec<PlanSummary>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PLAN_COLUMNS} FROM action_plan WHERE municipality_id = $1 ORDER BY period_from DESC, id DESC"
        )))
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(heading).collect()
    }

    /// A plan with its goals, measures, indicators and reported values.
    pub async fn action_plan(&self, municipality: MunicipalityId, plan: &str) -> StoreResult<Plan> {
        let m = municipality.to_string();
        let summary = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {PLAN_COLUMNS} FROM action_plan WHERE municipality_id = $1 AND id = $2"
        )))
        .bind(&m)
        .bind(plan)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .as_ref()
        .map(heading)
        .transpose()?
        .ok_or(StoreError::NotFound)?;
        let goal_rows = sqlx::query(
            "SELECT id, title, description FROM plan_goal WHERE municipality_id = $1 AND plan_id = $2 ORDER BY position, id",
        )
        .bind(&m)
        .bind(plan)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut goals = goal_rows
            .iter()
            .map(|row| {
                Ok(Goal {
                    id: row.try_get("id")?,
                    text: GoalText {
                        title: row.try_get("title")?,
                        description: row.try_get("description")?,
                    },
                    measures: Vec::new(),
                    indicators: Vec::new(),
                })
            })
            .collect::<StoreResult<Vec<Goal>>>()?;
        let in_plan = "goal_id IN (SELECT id FROM plan_goal WHERE municipality_id = $1 AND plan_id = $2)";
        for row in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MEASURE_COLUMNS} FROM plan_measure WHERE municipality_id = $1 AND {in_plan} ORDER BY position, id"
        )))
        .bind(&m)
        .bind(plan)
        .fetch_all(&mut *self.conn().await?)
        .await?
        {
            let goal: String = row.try_get("goal_id")?;
            if let Some(g) = goals.iter_mut().find(|g| g.id == goal) {
                g.measures.push(measure(&row)?);
            }
        }
        for row in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {INDICATOR_COLUMNS} FROM plan_indicator WHERE municipality_id = $1 AND {in_plan} ORDER BY position, id"
        )))
        .bind(&m)
        .bind(plan)
        .fetch_all(&mut *self.conn().await?)
        .await?
        {
            let goal: String = row.try_get("goal_id")?;
            if let Some(g) = goals.iter_mut().find(|g| g.id == goal) {
                g.indicators.push(indicator(&row)?);
            }
        }
        for row in sqlx::query(
            "SELECT r.indicator_id, r.year, r.value FROM indicator_report r JOIN plan_indicator i ON i.id = r.indicator_id \
             WHERE r.municipality_id = $1 AND i.goal_id IN (SELECT id FROM plan_goal WHERE municipality_id = $1 AND plan_id = $2) \
             ORDER BY r.indicator_id, r.year",
        )
        .bind(&m)
        .bind(plan)
        .fetch_all(&mut *self.conn().await?)
        .await?
        {
            let id: String = row.try_get("indicator_id")?;
            let entry = (row.try_get::<i64, _>("year")? as i32, Figure(row.try_get("value")?));
            if let Some(i) = goals.iter_mut().flat_map(|g| g.indicators.iter_mut()).find(|i| i.id == id) {
                i.reported.push(entry);
            }
        }
        Ok(Plan { summary, goals })
    }

    /// The plan's history, newest first.
    pub async fn plan_events(&self, municipality: MunicipalityId, plan: &str) -> StoreResult<Vec<PlanEvent>> {
        let rows = sqlx::query(
            "SELECT e.occurred_at, u.display_name, e.kind, e.details, e.reason FROM plan_event e \
             JOIN app_user u ON u.id = e.actor WHERE e.municipality_id = $1 AND e.plan_id = $2 \
             ORDER BY e.occurred_at DESC, e.id DESC",
        )
        .bind(municipality.to_string())
        .bind(plan)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let details: String = row.try_get("details")?;
                Ok(PlanEvent {
                    occurred_at: row.try_get("occurred_at")?,
                    actor_name: row.try_get("display_name")?,
                    kind: row.try_get("kind")?,
                    details: serde_json::from_str(&details).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    reason: row.try_get("reason")?,
                })
            })
            .collect()
    }

    /// Starts a plan (a draft until its adoption is recorded).
    pub async fn create_action_plan(
        &self,
        municipality: MunicipalityId,
        plan: &PlanHeading,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let user = user_of(change)?;
        let mut tx = self.write().await?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        sqlx::query(
            "INSERT INTO action_plan (id, municipality_id, title, period_from, period_to, adopted_on, council_ref, version, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $9, $9)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(&plan.title)
        .bind(i64::from(plan.period_from))
        .bind(i64::from(plan.period_to))
        .bind(plan.adopted_on.map(date_text))
        .bind(&plan.council_ref)
        .bind(user.to_string())
        .bind(now)
        .execute(tx.conn())
        .await?;
        plan_event(&mut tx, municipality, &id, "plan.created", change, heading_json(plan)).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a plan's heading (title, period, adoption) if it is still at `version`.
    pub async fn update_action_plan(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        version: i64,
        new: &PlanHeading,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let before = read_plan_in(&mut tx, municipality, plan).await?;
        if before.version != version {
            return Err(StoreError::Conflict { expected: version });
        }
        sqlx::query(
            "UPDATE action_plan SET title = $1, period_from = $2, period_to = $3, adopted_on = $4, council_ref = $5, \
             version = version + 1, updated_at = $6 WHERE municipality_id = $7 AND id = $8 AND version = $9",
        )
        .bind(&new.title)
        .bind(i64::from(new.period_from))
        .bind(i64::from(new.period_to))
        .bind(new.adopted_on.map(date_text))
        .bind(&new.council_ref)
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(plan)
        .bind(version)
        .execute(tx.conn())
        .await?;
        let details = json!({ "before": heading_json(&before.heading), "after": heading_json(new) });
        plan_event(&mut tx, municipality, plan, "plan.changed", change, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a goal at the end of the plan.
    pub async fn add_plan_goal(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        goal: &GoalText,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        read_plan_in(&mut tx, municipality, plan).await?;
        let id = uuid::Uuid::now_v7().to_string();
        let position = next_position(&mut tx, "plan_goal", "plan_id", plan).await?;
        sqlx::query(
            "INSERT INTO plan_goal (id, municipality_id, plan_id, position, title, description) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(plan)
        .bind(position)
        .bind(&goal.title)
        .bind(&goal.description)
        .execute(tx.conn())
        .await?;
        let details = json!({ "goal": id, "title": goal.title });
        plan_event(&mut tx, municipality, plan, "plan.goal_added", change, details).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a goal's title and description.
    pub async fn update_plan_goal(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        goal: &str,
        text: &GoalText,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let before = read_goal_in(&mut tx, municipality, plan, goal).await?;
        sqlx::query("UPDATE plan_goal SET title = $1, description = $2 WHERE municipality_id = $3 AND id = $4")
            .bind(&text.title)
            .bind(&text.description)
            .bind(municipality.to_string())
            .bind(goal)
            .execute(tx.conn())
            .await?;
        let details = json!({ "goal": goal, "before": { "title": before.title }, "after": { "title": text.title } });
        plan_event(&mut tx, municipality, plan, "plan.goal_changed", change, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds a measure under a goal of the plan.
    pub async fn add_plan_measure(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        goal: &str,
        new: &MeasureDetails,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        read_goal_in(&mut tx, municipality, plan, goal).await?;
        let id = uuid::Uuid::now_v7().to_string();
        let position = next_position(&mut tx, "plan_measure", "goal_id", goal).await?;
        sqlx::query(
            "INSERT INTO plan_measure (id, municipality_id, goal_id, position, title, owner, deadline, status, budget_ore) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(goal)
        .bind(position)
        .bind(&new.title)
        .bind(&new.owner)
        .bind(new.deadline.map(date_text))
        .bind(new.status.code())
        .bind(new.budget_ore)
        .execute(tx.conn())
        .await?;
        let details = json!({ "goal": goal, "measure": id, "after": measure_json(new) });
        plan_event(&mut tx, municipality, plan, "plan.measure_added", change, details).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes a measure (its status as work goes on, its deadline, owner or budget).
    pub async fn update_plan_measure(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        id: &str,
        new: &MeasureDetails,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {MEASURE_COLUMNS} FROM plan_measure WHERE municipality_id = $1 AND id = $2 \
             AND goal_id IN (SELECT id FROM plan_goal WHERE municipality_id = $1 AND plan_id = $3)"
        )))
        .bind(municipality.to_string())
        .bind(id)
        .bind(plan)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?;
        let before = measure(&row)?;
        sqlx::query(
            "UPDATE plan_measure SET title = $1, owner = $2, deadline = $3, status = $4, budget_ore = $5 \
             WHERE municipality_id = $6 AND id = $7",
        )
        .bind(&new.title)
        .bind(&new.owner)
        .bind(new.deadline.map(date_text))
        .bind(new.status.code())
        .bind(new.budget_ore)
        .bind(municipality.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let details = json!({ "measure": id, "before": measure_json(&before.details), "after": measure_json(new) });
        plan_event(&mut tx, municipality, plan, "plan.measure_changed", change, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Adds an indicator under a goal of the plan.
    pub async fn add_plan_indicator(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        goal: &str,
        new: &IndicatorDetails,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        read_goal_in(&mut tx, municipality, plan, goal).await?;
        let id = uuid::Uuid::now_v7().to_string();
        let position = next_position(&mut tx, "plan_indicator", "goal_id", goal).await?;
        sqlx::query(
            "INSERT INTO plan_indicator (id, municipality_id, goal_id, position, name, definition, unit, direction, \
             baseline, baseline_year, target, target_year) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(goal)
        .bind(position)
        .bind(&new.name)
        .bind(&new.definition)
        .bind(new.unit.code())
        .bind(new.direction.code())
        .bind(new.baseline.0)
        .bind(i64::from(new.baseline_year))
        .bind(new.target.0)
        .bind(i64::from(new.target_year))
        .execute(tx.conn())
        .await?;
        let details = json!({ "goal": goal, "indicator": id, "after": indicator_json(new) });
        plan_event(&mut tx, municipality, plan, "plan.indicator_added", change, details).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Changes an indicator; the event keeps the old baseline and target beside the new.
    pub async fn update_plan_indicator(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        id: &str,
        new: &IndicatorDetails,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let before = read_indicator_in(&mut tx, municipality, plan, id).await?;
        sqlx::query(
            "UPDATE plan_indicator SET name = $1, definition = $2, unit = $3, direction = $4, baseline = $5, \
             baseline_year = $6, target = $7, target_year = $8 WHERE municipality_id = $9 AND id = $10",
        )
        .bind(&new.name)
        .bind(&new.definition)
        .bind(new.unit.code())
        .bind(new.direction.code())
        .bind(new.baseline.0)
        .bind(i64::from(new.baseline_year))
        .bind(new.target.0)
        .bind(i64::from(new.target_year))
        .bind(municipality.to_string())
        .bind(id)
        .execute(tx.conn())
        .await?;
        let details =
            json!({ "indicator": id, "before": indicator_json(&before.details), "after": indicator_json(new) });
        plan_event(&mut tx, municipality, plan, "plan.indicator_changed", change, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records a value reported by hand for a year, replacing an earlier one for that year.
    pub async fn report_indicator_value(
        &self,
        municipality: MunicipalityId,
        plan: &str,
        id: &str,
        year: i32,
        value: Figure,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let user = user_of(change)?;
        let mut tx = self.write().await?;
        read_indicator_in(&mut tx, municipality, plan, id).await?;
        let before: Option<i64> =
            sqlx::query_scalar("SELECT value FROM indicator_report WHERE indicator_id = $1 AND year = $2")
                .bind(id)
                .bind(i64::from(year))
                .fetch_optional(tx.conn())
                .await?;
        sqlx::query("DELETE FROM indicator_report WHERE indicator_id = $1 AND year = $2")
            .bind(id)
            .bind(i64::from(year))
            .execute(tx.conn())
            .await?;
        sqlx::query(
            "INSERT INTO indicator_report (municipality_id, indicator_id, year, value, reported_by, reported_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(municipality.to_string())
        .bind(id)
        .bind(i64::from(year))
        .bind(value.0)
        .bind(user.to_string())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        let details = json!({ "indicator": id, "year": year, "before": before, "after": value.0 });
        plan_event(&mut tx, municipality, plan, "plan.value_reported", change, details).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The facts the indicators count of the municipality's cases received or decided from
    /// `since` on, and of those on the waiting list now: type, state, dates, the first decision
    /// sent, children, whether the household was already a tenant and whether an appeal was
    /// registered. No names.
    pub async fn case_facts(&self, municipality: MunicipalityId, since: time::Date) -> StoreResult<Vec<CaseFact>> {
        self.case_facts_between(municipality, since, time::Date::MAX).await
    }

    /// As [`Store::case_facts`], for the cases received or decided from `from` up to (not
    /// including) `until`, and those on the waiting list now. Each of the three is a range or
    /// point on its own index, so a year of a large municipality reads only that year's cases.
    pub async fn case_facts_between(
        &self,
        municipality: MunicipalityId,
        from: time::Date,
        until: time::Date,
    ) -> StoreResult<Vec<CaseFact>> {
        let query = sqlx::query(concat!(
            "SELECT c.id, c.reference, c.case_type, c.state, c.received_on, c.decided_on, c.interim_due, c.interim_sent_on, c.children, \
             c.existing_tenant, CASE WHEN EXISTS (SELECT 1 FROM case_event e WHERE e.municipality_id = c.municipality_id \
             AND e.case_id = c.id AND e.kind = 'case.register_appeal') THEN 1 ELSE 0 END AS appealed, \
             first_decision.outcome AS outcome FROM application_case c ",
            crate::cases::decisions::first_sent_decision_join!(),
            " WHERE c.municipality_id = $1 AND c.id IN ( \
             SELECT id FROM application_case WHERE municipality_id = $1 AND received_on >= $2 AND received_on < $3 \
             UNION SELECT id FROM application_case WHERE municipality_id = $1 AND decided_on >= $2 AND decided_on < $3 \
             UNION SELECT id FROM application_case WHERE municipality_id = $1 AND state = 'on_waiting_list')"
        ))
        .bind(municipality.to_string())
        .bind(date_text(from))
        .bind(date_text(until));
        // Each row becomes its fact as it arrives: a year at 1 000 000 households is some
        // 200 000 cases, and a driver's row holds many times a fact's few bytes.
        let mut conn = self.conn().await?;
        let mut rows = query.fetch(&mut *conn);
        let mut facts = Vec::new();
        while let Some(row) = rows.try_next().await? {
            facts.push(case_fact(&row)?);
        }
        Ok(facts)
    }
}

fn case_fact(row: &sqlx::any::AnyRow) -> StoreResult<CaseFact> {
    let date = |row: &sqlx::any::AnyRow, column: &str| -> StoreResult<Option<time::Date>> {
        let text: Option<String> = row.try_get(column)?;
        text.as_deref().map(parse_date_text).transpose()
    };
    let case_type: String = row.try_get("case_type")?;
    let state: String = row.try_get("state")?;
    let outcome: Option<String> = row.try_get("outcome")?;
    Ok(CaseFact {
        case: CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
        reference: row.try_get("reference")?,
        case_type: CaseType::from_code(&case_type).ok_or_else(|| corrupt("case type", &case_type))?,
        state: CaseState::from_code(&state).ok_or_else(|| corrupt("case state", &state))?,
        received_on: date(row, "received_on")?.ok_or_else(|| corrupt("received date", ""))?,
        decided_on: date(row, "decided_on")?,
        outcome: outcome
            .map(|o| Outcome::from_code(&o).ok_or_else(|| corrupt("outcome", &o)))
            .transpose()?,
        interim_due: date(row, "interim_due")?,
        interim_sent_on: date(row, "interim_sent_on")?,
        children: row.try_get::<i64, _>("children")? > 0,
        existing_tenant: row.try_get::<i64, _>("existing_tenant")? != 0,
        appealed: crate::flag_of(row, "appealed")?,
    })
}

fn user_of(change: &Change<'_>) -> StoreResult<UserId> {
    change
        .user
        .ok_or_else(|| StoreError::Invalid("a plan is changed by a user".into()))
}

async fn read_plan_in(tx: &mut Tx, municipality: MunicipalityId, plan: &str) -> StoreResult<PlanSummary> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {PLAN_COLUMNS} FROM action_plan WHERE municipality_id = $1 AND id = $2"
    )))
    .bind(municipality.to_string())
    .bind(plan)
    .fetch_optional(tx.conn())
    .await?
    .as_ref()
    .map(heading)
    .transpose()?
    .ok_or(StoreError::NotFound)
}

async fn read_goal_in(tx: &mut Tx, municipality: MunicipalityId, plan: &str, goal: &str) -> StoreResult<GoalText> {
    let row =
        sqlx::query("SELECT title, description FROM plan_goal WHERE municipality_id = $1 AND plan_id = $2 AND id = $3")
            .bind(municipality.to_string())
            .bind(plan)
            .bind(goal)
            .fetch_optional(tx.conn())
            .await?
            .ok_or(StoreError::NotFound)?;
    Ok(GoalText {
        title: row.try_get("title")?,
        description: row.try_get("description")?,
    })
}

async fn read_indicator_in(tx: &mut Tx, municipality: MunicipalityId, plan: &str, id: &str) -> StoreResult<Indicator> {
    let row = sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT {INDICATOR_COLUMNS} FROM plan_indicator WHERE municipality_id = $1 AND id = $2 \
         AND goal_id IN (SELECT id FROM plan_goal WHERE municipality_id = $1 AND plan_id = $3)"
    )))
    .bind(municipality.to_string())
    .bind(id)
    .bind(plan)
    .fetch_optional(tx.conn())
    .await?
    .ok_or(StoreError::NotFound)?;
    indicator(&row)
}

async fn next_position(tx: &mut Tx, table: &str, parent: &str, id: &str) -> StoreResult<i64> {
    let last: Option<i64> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT MAX(position) FROM {table} WHERE {parent} = $1"
    )))
    .bind(id)
    .fetch_one(tx.conn())
    .await?;
    Ok(last.map_or(1, |p| p + 1))
}

/// Appends the event and its audit entry. The audit entry names the plan and the kind of change;
/// the event holds what changed (plans hold no personal data).
async fn plan_event(
    tx: &mut Tx,
    municipality: MunicipalityId,
    plan: &str,
    kind: &'static str,
    change: &Change<'_>,
    details: serde_json::Value,
) -> StoreResult<()> {
    let user = user_of(change)?;
    sqlx::query(
        "INSERT INTO plan_event (id, municipality_id, plan_id, occurred_at, actor, kind, details, reason) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(municipality.to_string())
    .bind(plan)
    .bind(crate::now_micros())
    .bind(user.to_string())
    .bind(kind)
    .bind(details.to_string())
    .bind(change.reason)
    .execute(tx.conn())
    .await?;
    audit::append(
        tx,
        change.actor,
        Event {
            municipality: Some(municipality),
            action: kind,
            resource_kind: "action_plan",
            resource_id: plan.to_string(),
            details: json!({ "kind": kind }),
        },
    )
    .await
}

fn heading_json(plan: &PlanHeading) -> serde_json::Value {
    json!({
        "title": plan.title, "period_from": plan.period_from, "period_to": plan.period_to,
        "adopted_on": plan.adopted_on.map(date_text), "council_ref": plan.council_ref,
    })
}

fn measure_json(measure: &MeasureDetails) -> serde_json::Value {
    json!({
        "title": measure.title, "owner": measure.owner, "deadline": measure.deadline.map(date_text),
        "status": measure.status.code(), "budget_ore": measure.budget_ore,
    })
}

fn indicator_json(indicator: &IndicatorDetails) -> serde_json::Value {
    json!({
        "name": indicator.name, "definition": indicator.definition, "direction": indicator.direction.code(),
        "baseline": indicator.baseline.0, "baseline_year": indicator.baseline_year,
        "target": indicator.target.0, "target_year": indicator.target_year,
    })
}
