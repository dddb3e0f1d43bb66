//! Allocation rounds and offers as stored. Which moves are allowed is the domain's rule
//! (`allocation::{round, offer}`), checked by the use case; the store makes each move in one
//! transaction with its `allocation_event` and audit entry, and guards it against a concurrent
//! move (`WHERE state = …`, a lost race is a `Conflict`). The database itself refuses a second
//! open offer for a dwelling or a household (partial unique indexes): that race is a `Duplicate`
//! naming which one.

use husly_domain::allocation::offer::{DeclineReason, OfferState};
use husly_domain::allocation::round::RoundState;
use husly_domain::{CaseId, MunicipalityId};
use serde_json::json;
use sqlx::Row;
use std::collections::HashMap;
use time::Date;

use crate::audit::{self, Event};
use crate::cases::{NewLetter, store_letter};
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::{Store, date_text, opt_date, parse_date_text};

/// The constraint names a second open offer runs into.
pub const OPEN_OFFER_FOR_DWELLING: &str = "offer_one_open_per_dwelling";
pub const OPEN_OFFER_FOR_CASE: &str = "offer_one_open_per_case";

/// A round as listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundSummary {
    pub id: String,
    pub number: i64,
    pub state: RoundState,
    pub created_at: i64,
    pub drawn_at: Option<i64>,
    pub vacancies: i64,
    pub offers: i64,
}

/// A round with everything it saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Round {
    pub id: String,
    pub number: i64,
    pub state: RoundState,
    pub policy_version: String,
    pub policy_fingerprint: String,
    /// The frozen entry ids (case references), sorted.
    pub entries: Vec<String>,
    pub input_hash: String,
    pub commitment: String,
    /// The seed, only once the round is drawn (secret before).
    pub seed: Option<String>,
    pub draw_order: Option<Vec<String>>,
    /// Per household why it did or did not get a dwelling, as the use case saved it (JSON).
    pub outcomes: Option<serde_json::Value>,
    pub created_by: String,
    pub created_at: i64,
    pub drawn_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub end_reason: Option<String>,
    pub version: i64,
    pub lines: Vec<RoundLine>,
}

/// One vacancy of a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundLine {
    pub dwelling_id: String,
    pub position: i64,
    /// The household the optimal proposal chose.
    pub proposed_case: Option<CaseId>,
    /// The household chosen now: the proposal's unless overridden.
    pub case: Option<CaseId>,
    pub points: Option<i64>,
    pub override_reason: Option<String>,
    pub overridden_by: Option<String>,
    pub overridden_at: Option<i64>,
}

/// What a new round freezes.
#[derive(Debug, Clone)]
pub struct NewRound<'a> {
    pub policy_version: &'a str,
    pub policy_fingerprint: &'a str,
    pub entries: &'a [String],
    pub input_hash: &'a str,
    pub commitment: &'a str,
    pub seed: &'a str,
    /// The vacancies, in the order the proposal will index them.
    pub dwellings: &'a [String],
}

/// What the draw saves.
#[derive(Debug, Clone)]
pub struct DrawnRound<'a> {
    pub draw_order: &'a [String],
    pub outcomes: serde_json::Value,
    /// Per dwelling: the proposed case and its points.
    pub lines: Vec<(String, Option<(CaseId, i64)>)>,
}

/// An offer as stored, with what a list shows about the dwelling and the household.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Offer {
    pub id: String,
    pub round_id: Option<String>,
    pub round_number: Option<i64>,
    pub dwelling_id: String,
    /// The dwelling's address, empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub case: CaseId,
    pub case_reference: String,
    pub applicant_name: String,
    pub state: OfferState,
    pub sent_on: Date,
    pub answer_by: Date,
    pub answered_on: Option<Date>,
    pub decline_reason: Option<DeclineReason>,
    pub note: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub version: i64,
}

/// A new offer.
#[derive(Debug, Clone)]
pub struct NewOffer<'a> {
    pub round_id: Option<&'a str>,
    pub dwelling_id: &'a str,
    pub case: CaseId,
    pub sent_on: Date,
    pub answer_by: Date,
    pub note: Option<&'a str>,
}

/// A move of an offer from `open` (or back to it), as the use case decided it.
#[derive(Debug, Clone)]
pub struct OfferMove<'a> {
    pub from: OfferState,
    pub to: OfferState,
    pub on: Date,
    pub decline_reason: Option<DeclineReason>,
    pub note: Option<&'a str>,
    /// The answer date when an offer is reopened.
    pub answer_by: Option<Date>,
}

/// Which allocation record an id names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AllocationTable {
    Round,
    Offer,
}

/// Who made a move: a user (with the change's actor) or the applicant through self-service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovedBy {
    User,
    Applicant,
    System,
}

/// One entry of a round's or an offer's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationEvent {
    pub occurred_at: i64,
    pub actor: Option<String>,
    pub by_applicant: bool,
    pub kind: String,
    pub reason: Option<String>,
    pub details: serde_json::Value,
}

const OFFER_COLUMNS: &str = concat!(
    "o.id, o.round_id, r.number AS round_number, o.dwelling_id, d.address_line, o.case_id, \
     c.reference, p.given_name, p.family_name, o.state, o.sent_on, o.answer_by, o.answered_on, o.decline_reason, \
     o.note, o.created_by, o.created_at, o.version, ",
    crate::protection::protected_sql!("c.municipality_id", "c.household_id")
);

const OFFER_FROM: &str = "FROM offer o JOIN dwelling d ON d.id = o.dwelling_id \
     JOIN application_case c ON c.id = o.case_id \
     JOIN household_member m ON m.municipality_id = c.municipality_id \
         AND m.household_id = c.household_id AND m.relation = 'main_applicant' \
     JOIN person p ON p.id = m.person_id \
     LEFT JOIN allocation_round r ON r.id = o.round_id";

fn code_of<T>(row: &sqlx::any::AnyRow, column: &str, parse: fn(&str) -> Option<T>) -> StoreResult<T> {
    let code: String = row.try_get(column)?;
    parse(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown {column} {code:?}")))
}

fn opt_case(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<Option<CaseId>> {
    row.try_get::<Option<String>, _>(column)?
        .map(|id| parse_id(&id).map(CaseId))
        .transpose()
}

fn json_list(text: &str) -> StoreResult<Vec<String>> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("a round's list: {e}")))
}

fn offer_of(row: &sqlx::any::AnyRow) -> StoreResult<Offer> {
    let mut address_line: String = row.try_get("address_line")?;
    let address_protected = crate::protection::masked(row, &mut [&mut address_line])?;
    Ok(Offer {
        id: row.try_get("id")?,
        round_id: row.try_get("round_id")?,
        round_number: row.try_get("round_number")?,
        dwelling_id: row.try_get("dwelling_id")?,
        address_line,
        address_protected,
        case: CaseId(parse_id(&row.try_get::<String, _>("case_id")?)?),
        case_reference: row.try_get("reference")?,
        applicant_name: format!(
            "{} {}",
            row.try_get::<String, _>("given_name")?,
            row.try_get::<String, _>("family_name")?
        ),
        state: code_of(row, "state", OfferState::from_code)?,
        sent_on: parse_date_text(&row.try_get::<String, _>("sent_on")?)?,
        answer_by: parse_date_text(&row.try_get::<String, _>("answer_by")?)?,
        answered_on: opt_date(row, "answered_on")?,
        decline_reason: row
            .try_get::<Option<String>, _>("decline_reason")?
            .map(|code| {
                DeclineReason::from_code(&code)
                    .ok_or_else(|| StoreError::Corrupt(format!("unknown decline reason {code:?}")))
            })
            .transpose()?,
        note: row.try_get("note")?,
        created_by: row.try_get("created_by")?,
        created_at: row.try_get("created_at")?,
        version: row.try_get("version")?,
    })
}

/// A unique-index refusal of a second open offer, named by the index it ran into; any other
/// error unchanged.
fn open_offer_conflict(error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        let message = db.message().to_string();
        let constraint = db.constraint().unwrap_or_default().to_string();
        let names = |index: &str, column: &str| constraint == index || message.contains(&format!("offer.{column}"));
        if names(OPEN_OFFER_FOR_DWELLING, "dwelling_id") {
            return StoreError::Duplicate(OPEN_OFFER_FOR_DWELLING.into());
        }
        if names(OPEN_OFFER_FOR_CASE, "case_id") {
            return StoreError::Duplicate(OPEN_OFFER_FOR_CASE.into());
        }
    }
    StoreError::from(error)
}

struct EventRecord<'a> {
    round: Option<&'a str>,
    offer: Option<&'a str>,
    kind: &'static str,
    by: MovedBy,
    details: serde_json::Value,
}

async fn record(
    tx: &mut Tx,
    municipality: MunicipalityId,
    event: EventRecord<'_>,
    change: &Change<'_>,
) -> StoreResult<()> {
    let actor = match event.by {
        MovedBy::User => Some(
            change
                .user
                .map(|u| u.to_string())
                .ok_or_else(|| StoreError::Invalid("this move is made by a user".into()))?,
        ),
        MovedBy::Applicant | MovedBy::System => None,
    };
    sqlx::query(
        "INSERT INTO allocation_event (id, municipality_id, round_id, offer_id, occurred_at, actor, by_applicant, \
         kind, reason, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(municipality.to_string())
    .bind(event.round)
    .bind(event.offer)
    .bind(crate::now_micros())
    .bind(actor)
    .bind(crate::flag(event.by == MovedBy::Applicant))
    .bind(event.kind)
    .bind(change.reason)
    .bind(event.details.to_string())
    .execute(tx.conn())
    .await?;
    let (resource_kind, resource_id) = match (event.offer, event.round) {
        (Some(offer), _) => ("offer", offer),
        (None, Some(round)) => ("allocation_round", round),
        (None, None) => {
            return Err(StoreError::Invalid(
                "an allocation event concerns a round or an offer".into(),
            ));
        }
    };
    audit::append(
        tx,
        change.actor,
        Event {
            municipality: Some(municipality),
            action: audit_action(event.kind),
            resource_kind,
            resource_id: resource_id.to_string(),
            details: json!({ "kind": event.kind }),
        },
    )
    .await
}

fn audit_action(kind: &str) -> &'static str {
    match kind {
        "round_started" => "allocation.round_started",
        "round_drawn" => "allocation.round_drawn",
        "line_overridden" => "allocation.line_overridden",
        "round_closed" => "allocation.round_closed",
        "round_cancelled" => "allocation.round_cancelled",
        "offer_made" => "offer.made",
        "offer_accepted" => "offer.accepted",
        "offer_declined" => "offer.declined",
        "offer_expired" => "offer.expired",
        "offer_withdrawn" => "offer.withdrawn",
        _ => "offer.reopened",
    }
}

impl Store {
    /// Freezes a new round: its number (the next of the municipality), the entries, the
    /// commitment and the secret seed, and one line per vacancy.
    pub async fn create_round(
        &self,
        municipality: MunicipalityId,
        round: &NewRound<'_>,
        change: &Change<'_>,
    ) -> StoreResult<(String, i64)> {
        let mut tx = self.write().await?;
        let number: i64 =
            sqlx::query("SELECT COALESCE(MAX(number), 0) + 1 AS next FROM allocation_round WHERE municipality_id = $1")
                .bind(municipality.to_string())
                .fetch_one(tx.conn())
                .await?
                .try_get("next")?;
        let id = uuid::Uuid::now_v7().to_string();
        let user = change
            .user
            .map(|u| u.to_string())
            .ok_or_else(|| StoreError::Invalid("a round is started by a user".into()))?;
        sqlx::query(
            "INSERT INTO allocation_round (id, municipality_id, number, state, policy_version, policy_fingerprint, \
             entries, input_hash, commitment, seed, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(number)
        .bind(RoundState::Frozen.code())
        .bind(round.policy_version)
        .bind(round.policy_fingerprint)
        .bind(serde_json::to_string(round.entries).map_err(anyhow::Error::from)?)
        .bind(round.input_hash)
        .bind(round.commitment)
        .bind(round.seed)
        .bind(&user)
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await
        .map_err(|e| match e {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { expected: number - 1 },
            other => other.into(),
        })?;
        for (position, dwelling) in round.dwellings.iter().enumerate() {
            sqlx::query(
                "INSERT INTO allocation_round_line (round_id, dwelling_id, municipality_id, position) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(&id)
            .bind(dwelling)
            .bind(municipality.to_string())
            .bind(position as i64)
            .execute(tx.conn())
            .await?;
        }
        let event = EventRecord {
            round: Some(&id),
            offer: None,
            kind: "round_started",
            by: MovedBy::User,
            details: json!({
                "number": number,
                "entries": round.entries.len(),
                "vacancies": round.dwellings.len(),
                "input_hash": round.input_hash,
                "commitment": round.commitment,
                "policy": round.policy_fingerprint,
            }),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok((id, number))
    }

    /// The municipality a round or an offer belongs to (`table` is `allocation_round` or
    /// `offer`), for a caller that names it by id only.
    pub async fn allocation_owner(&self, table: AllocationTable, id: &str) -> StoreResult<Option<MunicipalityId>> {
        let sql = match table {
            AllocationTable::Round => "SELECT municipality_id FROM allocation_round WHERE id = $1",
            AllocationTable::Offer => "SELECT municipality_id FROM offer WHERE id = $1",
        };
        sqlx::query(sql)
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .map(|row| Ok(MunicipalityId(parse_id(&row.try_get::<String, _>("municipality_id")?)?)))
            .transpose()
    }

    /// The municipality's rounds, newest first.
    pub async fn rounds(&self, municipality: MunicipalityId) -> StoreResult<Vec<RoundSummary>> {
        let rows = sqlx::query(
            "SELECT r.id, r.number, r.state, r.created_at, r.drawn_at, \
             (SELECT COUNT(*) FROM allocation_round_line l WHERE l.round_id = r.id) AS vacancies, \
             (SELECT COUNT(*) FROM offer o WHERE o.round_id = r.id) AS offers \
             FROM allocation_round r WHERE r.municipality_id = $1 ORDER BY r.number DESC",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(RoundSummary {
                    id: row.try_get("id")?,
                    number: row.try_get("number")?,
                    state: code_of(row, "state", RoundState::from_code)?,
                    created_at: row.try_get("created_at")?,
                    drawn_at: row.try_get("drawn_at")?,
                    vacancies: row.try_get("vacancies")?,
                    offers: row.try_get("offers")?,
                })
            })
            .collect()
    }

    /// One round with its lines, in the order of its vacancies.
    pub async fn round(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Round> {
        let row = sqlx::query(
            "SELECT id, number, state, policy_version, policy_fingerprint, entries, input_hash, commitment, seed, \
             draw_order, outcomes, created_by, created_at, drawn_at, ended_at, end_reason, version \
             FROM allocation_round WHERE municipality_id = $1 AND id = $2",
        )
        .bind(municipality.to_string())
        .bind(id)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .ok_or(StoreError::NotFound)?;
        let drawn_at: Option<i64> = row.try_get("drawn_at")?;
        let lines = sqlx::query(
            "SELECT dwelling_id, position, proposed_case_id, case_id, points, override_reason, overridden_by, \
             overridden_at FROM allocation_round_line WHERE municipality_id = $1 AND round_id = $2 ORDER BY position",
        )
        .bind(municipality.to_string())
        .bind(id)
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|l| {
            Ok(RoundLine {
                dwelling_id: l.try_get("dwelling_id")?,
                position: l.try_get("position")?,
                proposed_case: opt_case(l, "proposed_case_id")?,
                case: opt_case(l, "case_id")?,
                points: l.try_get("points")?,
                override_reason: l.try_get("override_reason")?,
                overridden_by: l.try_get("overridden_by")?,
                overridden_at: l.try_get("overridden_at")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        Ok(Round {
            id: row.try_get("id")?,
            number: row.try_get("number")?,
            state: code_of(&row, "state", RoundState::from_code)?,
            policy_version: row.try_get("policy_version")?,
            policy_fingerprint: row.try_get("policy_fingerprint")?,
            entries: json_list(&row.try_get::<String, _>("entries")?)?,
            input_hash: row.try_get("input_hash")?,
            commitment: row.try_get("commitment")?,
            // The seed stays secret until the draw.
            seed: drawn_at.map(|_| row.try_get("seed")).transpose()?,
            draw_order: row
                .try_get::<Option<String>, _>("draw_order")?
                .map(|t| json_list(&t))
                .transpose()?,
            outcomes: row
                .try_get::<Option<String>, _>("outcomes")?
                .map(|t| serde_json::from_str(&t).map_err(|e| StoreError::Corrupt(format!("outcomes: {e}"))))
                .transpose()?,
            created_by: row.try_get("created_by")?,
            created_at: row.try_get("created_at")?,
            drawn_at,
            ended_at: row.try_get("ended_at")?,
            end_reason: row.try_get("end_reason")?,
            version: row.try_get("version")?,
            lines,
        })
    }

    /// The secret seed of a frozen round, for the draw only.
    pub async fn round_seed(&self, municipality: MunicipalityId, id: &str) -> StoreResult<String> {
        sqlx::query("SELECT seed FROM allocation_round WHERE municipality_id = $1 AND id = $2")
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?
            .try_get("seed")
            .map_err(StoreError::from)
    }

    /// Saves the draw: the order, the proposal's lines and the outcomes; the round must still be
    /// frozen at `version`.
    pub async fn save_draw(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        drawn: &DrawnRound<'_>,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let now = crate::now_micros();
        let updated = sqlx::query(
            "UPDATE allocation_round SET state = $1, draw_order = $2, outcomes = $3, drawn_at = $4, \
             version = version + 1 WHERE municipality_id = $5 AND id = $6 AND state = $7 AND version = $8",
        )
        .bind(RoundState::Drawn.code())
        .bind(serde_json::to_string(drawn.draw_order).map_err(anyhow::Error::from)?)
        .bind(drawn.outcomes.to_string())
        .bind(now)
        .bind(municipality.to_string())
        .bind(id)
        .bind(RoundState::Frozen.code())
        .bind(version)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { expected: version });
        }
        let mut proposed = 0;
        for (dwelling, chosen) in &drawn.lines {
            proposed += usize::from(chosen.is_some());
            let case = chosen.map(|(c, _)| c.to_string());
            sqlx::query(
                "UPDATE allocation_round_line SET proposed_case_id = $1, case_id = $1, points = $2 \
                 WHERE municipality_id = $3 AND round_id = $4 AND dwelling_id = $5",
            )
            .bind(case)
            .bind(chosen.map(|(_, points)| points))
            .bind(municipality.to_string())
            .bind(id)
            .bind(dwelling)
            .execute(tx.conn())
            .await?;
        }
        let event = EventRecord {
            round: Some(id),
            offer: None,
            kind: "round_drawn",
            by: MovedBy::User,
            details: json!({ "proposed": proposed, "vacancies": drawn.lines.len() }),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Chooses another household (or none) for one line of a drawn round, with the reason in
    /// `change`. The round must still be at `version`.
    pub async fn override_line(
        &self,
        municipality: MunicipalityId,
        round: &str,
        version: i64,
        dwelling: &str,
        case: Option<(CaseId, i64)>,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        bump_round(&mut tx, municipality, round, version, RoundState::Drawn).await?;
        let before: Option<String> = sqlx::query(
            "SELECT case_id FROM allocation_round_line WHERE municipality_id = $1 AND round_id = $2 AND dwelling_id = $3",
        )
        .bind(municipality.to_string())
        .bind(round)
        .bind(dwelling)
        .fetch_optional(tx.conn())
        .await?
        .ok_or(StoreError::NotFound)?
        .try_get("case_id")?;
        sqlx::query(
            "UPDATE allocation_round_line SET case_id = $1, points = $2, override_reason = $3, overridden_by = $4, \
             overridden_at = $5 WHERE municipality_id = $6 AND round_id = $7 AND dwelling_id = $8",
        )
        .bind(case.map(|(c, _)| c.to_string()))
        .bind(case.map(|(_, p)| p))
        .bind(change.reason)
        .bind(change.user.map(|u| u.to_string()))
        .bind(crate::now_micros())
        .bind(municipality.to_string())
        .bind(round)
        .bind(dwelling)
        .execute(tx.conn())
        .await?;
        let event = EventRecord {
            round: Some(round),
            offer: None,
            kind: "line_overridden",
            by: MovedBy::User,
            details: json!({
                "dwelling": dwelling,
                "before": before,
                "after": case.map(|(c, _)| c.to_string()),
            }),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes or cancels a round at `version` (the reason in `change`).
    pub async fn end_round(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        from: RoundState,
        to: RoundState,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let updated = sqlx::query(
            "UPDATE allocation_round SET state = $1, ended_at = $2, end_reason = $3, version = version + 1 \
             WHERE municipality_id = $4 AND id = $5 AND state = $6 AND version = $7",
        )
        .bind(to.code())
        .bind(crate::now_micros())
        .bind(change.reason)
        .bind(municipality.to_string())
        .bind(id)
        .bind(from.code())
        .bind(version)
        .execute(tx.conn())
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Conflict { expected: version });
        }
        let event = EventRecord {
            round: Some(id),
            offer: None,
            kind: if to == RoundState::Cancelled {
                "round_cancelled"
            } else {
                "round_closed"
            },
            by: MovedBy::User,
            details: json!({ "from": from.code() }),
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Makes an offer. A dwelling or a household that already has an open offer is refused by
    /// the database: `Duplicate` with [`OPEN_OFFER_FOR_DWELLING`] or [`OPEN_OFFER_FOR_CASE`].
    pub async fn create_offer(
        &self,
        municipality: MunicipalityId,
        offer: &NewOffer<'_>,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        self.create_offer_with_letter(municipality, offer, None, change).await
    }

    /// Makes an offer and stores its letter as a letter of the household's case, in one
    /// transaction: a refused offer leaves no letter, and no offer is made without its letter.
    /// The event records the letter's SHA-256.
    pub async fn create_offer_with_letter(
        &self,
        municipality: MunicipalityId,
        offer: &NewOffer<'_>,
        letter: Option<&NewLetter<'_>>,
        change: &Change<'_>,
    ) -> StoreResult<String> {
        let mut tx = self.write().await?;
        let id = uuid::Uuid::now_v7().to_string();
        let now = crate::now_micros();
        let user = change
            .user
            .map(|u| u.to_string())
            .ok_or_else(|| StoreError::Invalid("an offer is made by a user".into()))?;
        sqlx::query(
            "INSERT INTO offer (id, municipality_id, round_id, dwelling_id, case_id, state, sent_on, answer_by, note, \
             created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
        )
        .bind(&id)
        .bind(municipality.to_string())
        .bind(offer.round_id)
        .bind(offer.dwelling_id)
        .bind(offer.case.to_string())
        .bind(OfferState::Open.code())
        .bind(date_text(offer.sent_on))
        .bind(date_text(offer.answer_by))
        .bind(offer.note)
        .bind(user)
        .bind(now)
        .execute(tx.conn())
        .await
        .map_err(open_offer_conflict)?;
        let mut details = json!({
            "dwelling": offer.dwelling_id,
            "case": offer.case.to_string(),
            "answer_by": date_text(offer.answer_by),
        });
        if let Some(letter) = letter {
            let sha = store_letter(&mut tx, municipality, offer.case, None, letter, change.user).await?;
            details["letter_sha256"] = sha.into();
        }
        let event = EventRecord {
            round: offer.round_id,
            offer: Some(&id),
            kind: "offer_made",
            by: MovedBy::User,
            details,
        };
        record(&mut tx, municipality, event, change).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves an offer from `mv.from` to `mv.to` if it is still there at `version`: an answer, a
    /// withdrawal, an expiry or a reopening. Reopening runs into the unique indexes like a new
    /// offer.
    pub async fn move_offer(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        mv: &OfferMove<'_>,
        by: MovedBy,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        self.move_offer_with_letter(municipality, id, version, mv, by, None, change)
            .await
    }

    /// [`Store::move_offer`], storing `letter` (a reopened offer's new letter) as a letter of the
    /// offer's case in the same transaction; the event records its SHA-256.
    #[allow(clippy::too_many_arguments)]
    pub async fn move_offer_with_letter(
        &self,
        municipality: MunicipalityId,
        id: &str,
        version: i64,
        mv: &OfferMove<'_>,
        by: MovedBy,
        letter: Option<&NewLetter<'_>>,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        move_offer_in(&mut tx, municipality, id, version, mv, by, letter, change).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every open offer whose answer date is before `today`, in any municipality: (municipality,
    /// offer id, version). The nightly run expires them one by one.
    pub async fn offers_past_answer_date(&self, today: Date) -> StoreResult<Vec<(MunicipalityId, String, i64)>> {
        let rows = sqlx::query("SELECT municipality_id, id, version FROM offer WHERE state = $1 AND answer_by < $2")
            .bind(OfferState::Open.code())
            .bind(date_text(today))
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    MunicipalityId(parse_id(&row.try_get::<String, _>("municipality_id")?)?),
                    row.try_get("id")?,
                    row.try_get("version")?,
                ))
            })
            .collect()
    }

    /// The municipality's offers, newest first; only open ones when `open_only`.
    pub async fn offers(&self, municipality: MunicipalityId, open_only: bool) -> StoreResult<Vec<Offer>> {
        let sql = format!(
            "SELECT {OFFER_COLUMNS} {OFFER_FROM} WHERE o.municipality_id = $1{} ORDER BY o.created_at DESC, o.id LIMIT 500",
            if open_only { " AND o.state = 'open'" } else { "" }
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(offer_of).collect()
    }

    /// One offer.
    pub async fn offer(&self, municipality: MunicipalityId, id: &str) -> StoreResult<Offer> {
        let row = sqlx::query(sqlx::AssertSqlSafe(offer_sql()))
            .bind(municipality.to_string())
            .bind(id)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        offer_of(&row)
    }

    /// Every offer made to a case, oldest first.
    pub async fn offers_of_case(&self, municipality: MunicipalityId, case: CaseId) -> StoreResult<Vec<Offer>> {
        self.offers_where(municipality, "o.case_id", &case.to_string()).await
    }

    /// The offers of a round, oldest first.
    pub async fn offers_of_round(&self, municipality: MunicipalityId, round: &str) -> StoreResult<Vec<Offer>> {
        self.offers_where(municipality, "o.round_id", round).await
    }

    /// The offers whose `column` (a fixed column name, never input) is `value`, oldest first.
    async fn offers_where(
        &self,
        municipality: MunicipalityId,
        column: &'static str,
        value: &str,
    ) -> StoreResult<Vec<Offer>> {
        let sql = format!(
            "SELECT {OFFER_COLUMNS} {OFFER_FROM} WHERE o.municipality_id = $1 AND {column} = $2 ORDER BY o.created_at, o.id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(value)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter().map(offer_of).collect()
    }

    /// Cases and dwellings of the municipality bound by an open or accepted offer: a new round
    /// leaves them out.
    pub async fn bound_by_offers(
        &self,
        municipality: MunicipalityId,
    ) -> StoreResult<(std::collections::HashSet<CaseId>, std::collections::HashSet<String>)> {
        let rows = sqlx::query(
            "SELECT case_id, dwelling_id FROM offer WHERE municipality_id = $1 AND state IN ('open', 'accepted')",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        let mut cases = std::collections::HashSet::new();
        let mut dwellings = std::collections::HashSet::new();
        for row in &rows {
            cases.insert(CaseId(parse_id(&row.try_get::<String, _>("case_id")?)?));
            dwellings.insert(row.try_get("dwelling_id")?);
        }
        Ok((cases, dwellings))
    }

    /// The reference and main applicant's name of cases, for a round's lines.
    pub async fn case_labels(
        &self,
        municipality: MunicipalityId,
        cases: &[CaseId],
    ) -> StoreResult<HashMap<CaseId, (String, String)>> {
        let mut out = HashMap::new();
        for chunk in cases.chunks(200) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT c.id, c.reference, p.given_name, p.family_name FROM application_case c \
                 JOIN household_member m ON m.municipality_id = c.municipality_id \
                     AND m.household_id = c.household_id AND m.relation = 'main_applicant' \
                 JOIN person p ON p.id = m.person_id WHERE c.municipality_id = $1 AND c.id IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
            for case in chunk {
                query = query.bind(case.to_string());
            }
            for row in query.fetch_all(&mut *self.conn().await?).await? {
                out.insert(
                    CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
                    (
                        row.try_get("reference")?,
                        format!(
                            "{} {}",
                            row.try_get::<String, _>("given_name")?,
                            row.try_get::<String, _>("family_name")?
                        ),
                    ),
                );
            }
        }
        Ok(out)
    }

    /// The ids of the municipality's cases with these references.
    pub async fn case_ids_by_reference(
        &self,
        municipality: MunicipalityId,
        references: &[String],
    ) -> StoreResult<HashMap<String, CaseId>> {
        let mut out = HashMap::new();
        for chunk in references.chunks(200) {
            let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
            let sql = format!(
                "SELECT id, reference FROM application_case WHERE municipality_id = $1 AND reference IN ({})",
                marks.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
            for reference in chunk {
                query = query.bind(reference);
            }
            for row in query.fetch_all(&mut *self.conn().await?).await? {
                out.insert(
                    row.try_get("reference")?,
                    CaseId(parse_id(&row.try_get::<String, _>("id")?)?),
                );
            }
        }
        Ok(out)
    }

    /// The history of a round (its own events and its offers') or of one offer, oldest first.
    pub async fn allocation_events(
        &self,
        municipality: MunicipalityId,
        round: Option<&str>,
        offer: Option<&str>,
    ) -> StoreResult<Vec<AllocationEvent>> {
        let rows = sqlx::query(
            "SELECT occurred_at, actor, by_applicant, kind, reason, details FROM allocation_event \
             WHERE municipality_id = $1 AND (round_id = $2 OR offer_id = $3) ORDER BY occurred_at, id",
        )
        .bind(municipality.to_string())
        .bind(round)
        .bind(offer)
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AllocationEvent {
                    occurred_at: row.try_get("occurred_at")?,
                    actor: row.try_get("actor")?,
                    by_applicant: crate::flag_of(row, "by_applicant")?,
                    kind: row.try_get("kind")?,
                    reason: row.try_get("reason")?,
                    details: serde_json::from_str(&row.try_get::<String, _>("details")?)
                        .map_err(|e| StoreError::Corrupt(format!("allocation event: {e}")))?,
                })
            })
            .collect()
    }
}

/// Bumps a round's version if it is in `state` at `version`, so two overrides of one round
/// cannot cross.
async fn bump_round(
    tx: &mut Tx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    state: RoundState,
) -> StoreResult<()> {
    let updated = sqlx::query(
        "UPDATE allocation_round SET version = version + 1 WHERE municipality_id = $1 AND id = $2 AND state = $3 \
         AND version = $4",
    )
    .bind(municipality.to_string())
    .bind(id)
    .bind(state.code())
    .bind(version)
    .execute(tx.conn())
    .await?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { expected: version });
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
async fn move_offer_in(
    tx: &mut Tx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    mv: &OfferMove<'_>,
    by: MovedBy,
    letter: Option<&NewLetter<'_>>,
    change: &Change<'_>,
) -> StoreResult<()> {
    let answered = matches!(mv.to, OfferState::Accepted | OfferState::Declined).then(|| date_text(mv.on));
    let updated = sqlx::query(
        "UPDATE offer SET state = $1, answered_on = $2, decline_reason = $3, \
         note = COALESCE($4, note), answer_by = COALESCE($5, answer_by), updated_at = $6, version = version + 1 \
         WHERE municipality_id = $7 AND id = $8 AND state = $9 AND version = $10",
    )
    .bind(mv.to.code())
    .bind(answered)
    .bind(mv.decline_reason.map(DeclineReason::code))
    .bind(mv.note)
    .bind(mv.answer_by.map(date_text))
    .bind(crate::now_micros())
    .bind(municipality.to_string())
    .bind(id)
    .bind(mv.from.code())
    .bind(version)
    .execute(tx.conn())
    .await
    .map_err(open_offer_conflict)?;
    if updated.rows_affected() != 1 {
        return Err(StoreError::Conflict { expected: version });
    }
    let kind = match (mv.from, mv.to) {
        (_, OfferState::Accepted) => "offer_accepted",
        (_, OfferState::Declined) => "offer_declined",
        (_, OfferState::Expired) => "offer_expired",
        (_, OfferState::Withdrawn) => "offer_withdrawn",
        _ => "offer_reopened",
    };
    let row = sqlx::query("SELECT round_id, case_id FROM offer WHERE id = $1")
        .bind(id)
        .fetch_one(tx.conn())
        .await?;
    let round: Option<String> = row.try_get("round_id")?;
    let mut details = json!({
        "from": mv.from.code(),
        "to": mv.to.code(),
        "decline_reason": mv.decline_reason.map(DeclineReason::code),
        "answer_by": mv.answer_by.map(date_text),
    });
    if let Some(letter) = letter {
        let case = CaseId(parse_id(&row.try_get::<String, _>("case_id")?)?);
        let sha = store_letter(tx, municipality, case, None, letter, change.user).await?;
        details["letter_sha256"] = sha.into();
    }
    let event = EventRecord {
        round: round.as_deref(),
        offer: Some(id),
        kind,
        by,
        details,
    };
    record(tx, municipality, event, change).await
}

/// One offer: `$1` municipality, `$2` offer.
fn offer_sql() -> String {
    format!("SELECT {OFFER_COLUMNS} {OFFER_FROM} WHERE o.municipality_id = $1 AND o.id = $2")
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn an_offer_is_looked_up_by_index() {
        let id = "01a24634-7263-70a7-b260-e66266e3f277";
        crate::testing::assert_reads_by_index(&super::offer_sql(), &[id, id]).await;
    }
}
