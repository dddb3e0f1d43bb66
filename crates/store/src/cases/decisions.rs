//! Decisions of a case: proposed, reviewed by a second person, sent; read for the case page and
//! written as a lifecycle change says.

use husly_domain::cases::renewal::RenewalTerms;
use husly_domain::cases::section6::Section6Finding;
use husly_domain::cases::{DecisionChange, DecisionStatus, LatestDecision, Outcome};
use husly_domain::{CaseId, DecisionId, MunicipalityId, UserId};
use sqlx::Row;

use super::{Case, Decision, corrupt};
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::municipalities::parse_id;
use crate::{Decoded, Store};

/// `LEFT JOIN`s each case `c` of municipality `$1` to its first decision sent that is not a
/// reassessment on appeal, as `first_decision` (`outcome`, `sent_at`). The municipality's sent
/// decisions are numbered per case and joined once, not looked up case by case: three lookups
/// for each of 120 000 cases took 1.5 s at 1 000 000 households, the joins 0.4 s.
macro_rules! first_sent_decision_join {
    () => {
        "LEFT JOIN (SELECT d.case_id, d.outcome, d.sent_at, \
             ROW_NUMBER() OVER (PARTITION BY d.case_id ORDER BY d.sent_at, d.id) AS n \
             FROM case_decision d WHERE d.municipality_id = $1 AND d.status = 'sent' AND d.on_appeal = 0) \
         first_decision ON first_decision.case_id = c.id AND first_decision.n = 1"
    };
}
pub(crate) use first_sent_decision_join;

/// `LEFT JOIN`s each case `c` of municipality `$1` to the moment its first granting decision was
/// sent (an appeal's included), as `first_grant.sent_at`.
macro_rules! first_grant_join {
    () => {
        "LEFT JOIN (SELECT g.case_id, MIN(g.sent_at) AS sent_at FROM case_decision g \
             WHERE g.municipality_id = $1 AND g.status = 'sent' AND g.outcome IN ('granted', 'partly_granted') \
             GROUP BY g.case_id) first_grant ON first_grant.case_id = c.id"
    };
}
pub(crate) use first_grant_join;

pub(super) async fn latest_decision(tx: &mut Tx, case: &Case) -> StoreResult<Option<LatestDecision>> {
    let row = sqlx::query(
        "SELECT id, proposed_by, outcome, status, amount_ore, renewal FROM case_decision WHERE municipality_id = $1 AND case_id = $2 \
         ORDER BY proposed_at DESC, id DESC LIMIT 1",
    )
    .bind(case.municipality_id.to_string())
    .bind(case.id.to_string())
    .fetch_optional(tx.conn())
    .await?;
    row.map(|row| {
        let outcome: String = row.try_get("outcome")?;
        let status: String = row.try_get("status")?;
        Ok(LatestDecision {
            id: DecisionId(parse_id(&row.try_get::<String, _>("id")?)?),
            proposed_by: UserId(parse_id(&row.try_get::<String, _>("proposed_by")?)?),
            outcome: Outcome::from_code(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?,
            status: DecisionStatus::from_code(&status).ok_or_else(|| corrupt("decision status", &status))?,
            amount_ore: row.try_get("amount_ore")?,
            renew_until: match renewal_of(&row)? {
                Some(RenewalTerms::Renew { until }) => Some(until),
                _ => None,
            },
        })
    })
    .transpose()
}

pub(super) async fn write_decision(
    tx: &mut Tx,
    municipality: MunicipalityId,
    case: CaseId,
    decision: &DecisionChange,
) -> StoreResult<()> {
    match decision {
        DecisionChange::Propose {
            id,
            proposal,
            proposed_by,
            on_appeal,
            assessment,
        } => {
            sqlx::query(
                "INSERT INTO case_decision (id, municipality_id, case_id, outcome, reasons, granted_text, assessment, status, \
                 proposed_by, proposed_at, on_appeal, amount_ore, conditions, section6, renewal) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
            )
            .bind(id.to_string())
            .bind(municipality.to_string())
            .bind(case.to_string())
            .bind(proposal.outcome.code())
            .bind(&proposal.reasons)
            .bind(proposal.granted_text.as_deref())
            .bind(assessment.to_string())
            .bind(DecisionStatus::Proposed.code())
            .bind(proposed_by.to_string())
            .bind(crate::now_micros())
            .bind(crate::flag(*on_appeal))
            .bind(proposal.amount_ore)
            .bind(serde_json::to_string(&proposal.conditions).map_err(anyhow::Error::from)?)
            .bind(proposal.section6.map(|f| f.code()))
            .bind(
                proposal
                    .renewal
                    .as_ref()
                    .map(serde_json::to_string)
                    .transpose()
                    .map_err(anyhow::Error::from)?,
            )
            .execute(tx.conn())
            .await?;
        }
        DecisionChange::Review { id, status, by } => {
            sqlx::query(
                "UPDATE case_decision SET status = $1, decided_by = $2, decided_at = $3 \
                 WHERE municipality_id = $4 AND id = $5 AND status = $6",
            )
            .bind(status.code())
            .bind(by.to_string())
            .bind(crate::now_micros())
            .bind(municipality.to_string())
            .bind(id.to_string())
            .bind(DecisionStatus::Proposed.code())
            .execute(tx.conn())
            .await?;
        }
        DecisionChange::Send { id } => {
            sqlx::query(
                "UPDATE case_decision SET status = $1, sent_at = $2 WHERE municipality_id = $3 AND id = $4 AND status = $5",
            )
            .bind(DecisionStatus::Sent.code())
            .bind(crate::now_micros())
            .bind(municipality.to_string())
            .bind(id.to_string())
            .bind(DecisionStatus::Approved.code())
            .execute(tx.conn())
            .await?;
        }
    }
    Ok(())
}

impl Store {
    pub async fn decisions(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Decision>> {
        let rows: Vec<Decoded<Decision>> = sqlx::query_as(
            "SELECT d.id, d.outcome, d.reasons, d.granted_text, d.assessment, d.status, d.proposed_by, u.display_name, \
             d.proposed_at, d.decided_by, d.decided_at, d.sent_at, d.on_appeal, d.amount_ore, d.conditions, d.section6, d.renewal FROM case_decision d \
             JOIN app_user u ON u.id = d.proposed_by WHERE d.municipality_id = $1 AND d.case_id = $2 \
             ORDER BY d.proposed_at DESC, d.id DESC",
        )
        .bind(municipality.to_string())
        .bind(case.to_string())
        .fetch_all(&mut self.key_read().await?)
        .await?;
        Ok(rows.into_iter().map(Decoded::into_inner).collect())
    }
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Decoded<Decision> {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Decoded<Decision>> {
        let outcome: String = row.try_get("outcome")?;
        let assessment: String = row.try_get("assessment")?;
        Ok(Decoded(Decision {
            id: DecisionId(parse_id(&row.try_get::<String, _>("id")?)?),
            outcome: Outcome::from_code(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?,
            reasons: row.try_get("reasons")?,
            granted_text: row.try_get("granted_text")?,
            assessment: serde_json::from_str(&assessment).unwrap_or(serde_json::Value::Null),
            status: {
                let status: String = row.try_get("status")?;
                DecisionStatus::from_code(&status).ok_or_else(|| corrupt("decision status", &status))?
            },
            proposed_by: UserId(parse_id(&row.try_get::<String, _>("proposed_by")?)?),
            proposed_by_name: row.try_get("display_name")?,
            proposed_at: row.try_get("proposed_at")?,
            decided_by: row
                .try_get::<Option<String>, _>("decided_by")?
                .map(|u| parse_id(&u).map(UserId))
                .transpose()?,
            decided_at: row.try_get("decided_at")?,
            sent_at: row.try_get("sent_at")?,
            on_appeal: crate::flag_of(row, "on_appeal")?,
            amount_ore: row.try_get("amount_ore")?,
            conditions: row
                .try_get::<Option<String>, _>("conditions")?
                .map(|c| serde_json::from_str(&c).map_err(|e| StoreError::Corrupt(format!("conditions: {e}"))))
                .transpose()?
                .unwrap_or_default(),
            section6: row
                .try_get::<Option<String>, _>("section6")?
                .map(|code| Section6Finding::from_code(&code).ok_or_else(|| corrupt("section6 finding", &code)))
                .transpose()?,
            renewal: renewal_of(row)?,
        }))
    }
}

/// A decision's renewal terms, kept as JSON (`RenewalTerms`' own serde form).
fn renewal_of(row: &sqlx::any::AnyRow) -> StoreResult<Option<RenewalTerms>> {
    row.try_get::<Option<String>, _>("renewal")?
        .map(|text| serde_json::from_str(&text).map_err(|e| corrupt("renewal terms", &e.to_string())))
        .transpose()
}
