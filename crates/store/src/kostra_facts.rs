//! The facts KOSTRA skjema 13 is computed from (`husly_domain::kostra_form`): a municipality's
//! applications for municipal housing with their first decisions and the states they entered,
//! the tenancies of the households that applied, and the municipal dwellings. No names; the
//! counting is the domain's.

use std::collections::BTreeMap;

use husly_domain::cases::{CaseState, Outcome};
use husly_domain::kostra::KostraCategory;
use husly_domain::kostra_form::{DwellingFact, KostraCase, KostraFacts, StateEntered};
use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::{StoreError, StoreResult};
use crate::{Store, date_text, parse_date_text};

fn corrupt(what: &str, code: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} {code:?}"))
}

/// The day in Norway at a stored instant (microseconds since the epoch).
fn oslo_day(micros: i64) -> StoreResult<time::Date> {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map(husly_domain::oslo::date_at)
        .map_err(|_| corrupt("instant", &micros.to_string()))
}

fn parse<T: std::str::FromStr>(row: &AnyRow, column: &str) -> StoreResult<T> {
    let text: String = row.try_get(column)?;
    text.parse().map_err(|_| corrupt(column, &text))
}

/// Each counted case `c` joined to its first decision sent and its first grant.
const DECISIONS: &str = concat!(
    crate::cases::decisions::first_sent_decision_join!(),
    " ",
    crate::cases::decisions::first_grant_join!()
);

/// Of households that began a tenancy from `$3` up to (not including) `$4`.
const MOVERS: &str = " AND c.household_id IN (SELECT m.household_id FROM tenancy m WHERE m.municipality_id = $1 \
     AND m.from_date >= $3 AND m.from_date < $4)";

/// The applications counted: municipal housing, received by the last day counted.
macro_rules! counted {
    () => {
        "c.municipality_id = $1 AND c.case_type = 'municipal_housing' AND c.received_on <= $2"
    };
}
const CASES: &str = concat!("application_case c WHERE ", counted!());
/// [`CASES`]'s conditions, for a statement that joins more to `application_case c`.
const CASES_WHERE: &str = counted!();

impl Store {
    /// The facts of the municipality's applications for municipal housing received up to
    /// `until`, of their households' tenancies begun by then, and of its dwellings.
    pub async fn kostra_facts(&self, municipality: MunicipalityId, until: time::Date) -> StoreResult<KostraFacts> {
        let m = municipality.to_string();
        let until_text = date_text(until);
        let (mut cases, tenancy_starts) = self.kostra_cases(&m, &until_text, None).await?;
        let mut history = self.kostra_history(&m, &until_text).await?;
        for case in &mut cases {
            case.history = history.remove(&case.id).unwrap_or_default();
        }
        let dwellings = sqlx::query("SELECT created_at, adapted FROM dwelling WHERE municipality_id = $1 ORDER BY id")
            .bind(&m)
            .fetch_all(&mut *self.conn().await?)
            .await?
            .iter()
            .map(|row| -> StoreResult<DwellingFact> {
                Ok(DwellingFact {
                    registered_on: oslo_day(row.try_get("created_at")?)?,
                    adapted: row.try_get::<i64, _>("adapted")? != 0,
                })
            })
            .collect::<StoreResult<_>>()?;
        Ok(KostraFacts {
            cases,
            tenancy_starts,
            dwellings,
        })
    }

    /// What the new-tenant counts of skjema 13 are computed from, for the tenancies begun from
    /// `from` up to (not including) `until`: the applications for municipal housing received by
    /// `last_day` of the households that began one, with every tenancy start of theirs. No
    /// timelines and no dwellings: the form's other figures cannot be computed from these, and
    /// the action plan reads only the new tenants (`husly_domain::indicators`). A large
    /// municipality's year reads its few thousand movers, not its every application.
    pub async fn kostra_move_in_facts(
        &self,
        municipality: MunicipalityId,
        (from, until): (time::Date, time::Date),
        last_day: time::Date,
    ) -> StoreResult<KostraFacts> {
        let range = (date_text(from), date_text(until));
        let (cases, tenancy_starts) = self
            .kostra_cases(&municipality.to_string(), &date_text(last_day), Some(&range))
            .await?;
        Ok(KostraFacts {
            cases,
            tenancy_starts,
            dwellings: Vec::new(),
        })
    }

    /// The counted applications (without their timelines) and their households' tenancy starts;
    /// with `moved_in`, only those of the households that began a tenancy in that range.
    async fn kostra_cases(
        &self,
        m: &str,
        until_text: &str,
        moved_in: Option<&(String, String)>,
    ) -> StoreResult<(Vec<KostraCase>, Vec<(HouseholdId, time::Date)>)> {
        let movers = if moved_in.is_some() { MOVERS } else { "" };
        let sql = format!(
            "SELECT c.id, c.reference, c.household_id, c.state, c.received_on, c.existing_tenant, c.kostra_category, \
             first_decision.outcome AS first_outcome, first_decision.sent_at AS first_sent_at, \
             first_grant.sent_at AS granted_at \
             FROM application_case c {DECISIONS} WHERE {CASES_WHERE}{movers} ORDER BY c.received_on, c.id"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(m).bind(until_text);
        if let Some((from, until)) = moved_in {
            query = query.bind(from).bind(until);
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let state: String = row.try_get("state")?;
            let category: Option<String> = row.try_get("kostra_category")?;
            let outcome: Option<String> = row.try_get("first_outcome")?;
            let first_sent: Option<i64> = row.try_get("first_sent_at")?;
            let granted: Option<i64> = row.try_get("granted_at")?;
            let first_decision = match (outcome, first_sent) {
                (Some(o), Some(at)) => Some((
                    oslo_day(at)?,
                    Outcome::from_code(&o).ok_or_else(|| corrupt("outcome", &o))?,
                )),
                _ => None,
            };
            cases.push(KostraCase {
                id: parse(row, "id")?,
                reference: row.try_get("reference")?,
                household: parse(row, "household_id")?,
                received_on: parse_date_text(&row.try_get::<String, _>("received_on")?)?,
                existing_tenant: row.try_get::<i64, _>("existing_tenant")? != 0,
                category: category
                    .map(|c| KostraCategory::from_code(&c).ok_or_else(|| corrupt("KOSTRA category", &c)))
                    .transpose()?,
                first_decision,
                granted_on: granted.map(oslo_day).transpose()?,
                state: CaseState::from_code(&state).ok_or_else(|| corrupt("case state", &state))?,
                history: Vec::new(),
            });
        }
        let movers = if moved_in.is_some() {
            MOVERS.replace("c.household_id", "t.household_id")
        } else {
            String::new()
        };
        let sql = format!(
            "SELECT t.household_id, t.from_date FROM tenancy t WHERE t.municipality_id = $1 AND t.from_date <= $2 \
             AND t.household_id IN (SELECT household_id FROM application_case WHERE municipality_id = $1 \
             AND case_type = 'municipal_housing'){movers} ORDER BY t.household_id, t.from_date"
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(m).bind(until_text);
        if let Some((from, until)) = moved_in {
            query = query.bind(from).bind(until);
        }
        let tenancy_starts = query
            .fetch_all(&mut *self.conn().await?)
            .await?
            .iter()
            .map(|row| -> StoreResult<(HouseholdId, time::Date)> {
                Ok((
                    parse(row, "household_id")?,
                    parse_date_text(&row.try_get::<String, _>("from_date")?)?,
                ))
            })
            .collect::<StoreResult<_>>()?;
        Ok((cases, tenancy_starts))
    }

    /// The states the counted cases entered, from their timelines: a step names the state it
    /// led to (`to`); a decision sent leads to the waiting list when it grants, else to refused.
    async fn kostra_history(&self, m: &str, until: &str) -> StoreResult<BTreeMap<CaseId, Vec<StateEntered>>> {
        let sql = format!(
            "SELECT e.case_id, e.kind, e.details, e.occurred_at FROM case_event e WHERE e.municipality_id = $1 \
             AND e.case_id IN (SELECT c.id FROM {CASES}) \
             AND (e.kind = 'case.decision_sent' OR e.details LIKE '%\"to\":%') ORDER BY e.occurred_at, e.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(m)
            .bind(until)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let mut out: BTreeMap<CaseId, Vec<StateEntered>> = BTreeMap::new();
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let details: String = row.try_get("details")?;
            let details: serde_json::Value =
                serde_json::from_str(&details).map_err(|_| corrupt("event details", &kind))?;
            let state = if kind == "case.decision_sent" {
                let outcome = details["outcome"].as_str().unwrap_or_default();
                match Outcome::from_code(outcome) {
                    Some(o) if o.grants() => CaseState::OnWaitingList,
                    Some(_) => CaseState::Refused,
                    None => return Err(corrupt("outcome", outcome)),
                }
            } else {
                let Some(to) = details["to"].as_str() else {
                    continue;
                };
                CaseState::from_code(to).ok_or_else(|| corrupt("case state", to))?
            };
            out.entry(parse(row, "case_id")?).or_default().push(StateEntered {
                on: oslo_day(row.try_get("occurred_at")?)?,
                state,
            });
        }
        Ok(out)
    }
}
