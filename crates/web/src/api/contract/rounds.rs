//! Allocation rounds and offers: what the API answers and what it takes.

use super::DateSchema;
use husly_domain::CaseId;
use husly_domain::allocation::offer::{DeclineReason, OfferState};
use husly_domain::allocation::round::RoundState;
use husly_store::allocation::{Offer as StoredOffer, RoundSummary as StoredSummary};
use husly_usecases::offers::OfferView;
use husly_usecases::rounds::RoundView;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// A round as listed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundSummary {
    pub id: String,
    pub number: i64,
    pub state: RoundState,
    /// Microseconds since 1970 (UTC).
    pub created_at: i64,
    pub vacancies: i64,
    pub offers: i64,
}

impl RoundSummary {
    pub fn of(r: &StoredSummary) -> RoundSummary {
        RoundSummary {
            id: r.id.clone(),
            number: r.number,
            state: r.state,
            created_at: r.created_at,
            vacancies: r.vacancies,
            offers: r.offers,
        }
    }
}

/// One vacancy of a round and the household chosen for it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundLine {
    pub dwelling_id: String,
    pub address_line: String,
    pub bedrooms: i64,
    /// The household chosen now (the proposal's unless overridden).
    pub case_id: Option<CaseId>,
    pub reference: Option<String>,
    pub applicant_name: Option<String>,
    pub points: Option<i64>,
    /// The household the optimal proposal chose.
    pub proposed_case_id: Option<CaseId>,
    /// Why a person chose another household, when one did.
    pub override_reason: Option<String>,
}

/// A round with its lines and offers. `seed` and `draw_order` only once the round is drawn.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RoundDetail {
    pub id: String,
    pub number: i64,
    pub state: RoundState,
    pub version: i64,
    pub policy_version: String,
    pub policy_fingerprint: String,
    /// How many waiting households the round froze.
    pub households: usize,
    /// Hex SHA-256 of the frozen entries, published before the draw.
    pub input_hash: String,
    /// Hex SHA-256 of the seed, published before the draw.
    pub commitment: String,
    pub seed: Option<String>,
    pub lines: Vec<RoundLine>,
    pub offers: Vec<Offer>,
    pub end_reason: Option<String>,
}

impl RoundDetail {
    pub fn of(v: &RoundView) -> RoundDetail {
        let r = &v.round;
        let label = |case: Option<CaseId>| case.and_then(|c| v.labels.get(&c));
        RoundDetail {
            id: r.id.clone(),
            number: r.number,
            state: r.state,
            version: r.version,
            policy_version: r.policy_version.clone(),
            policy_fingerprint: r.policy_fingerprint.clone(),
            households: r.entries.len(),
            input_hash: r.input_hash.clone(),
            commitment: r.commitment.clone(),
            seed: r.seed.clone(),
            lines: r
                .lines
                .iter()
                .zip(&v.dwellings)
                .map(|(l, d)| RoundLine {
                    dwelling_id: l.dwelling_id.clone(),
                    address_line: d.details.address_line.clone(),
                    bedrooms: d.details.bedrooms,
                    case_id: l.case,
                    reference: label(l.case).map(|(reference, _)| reference.clone()),
                    applicant_name: label(l.case).map(|(_, name)| name.clone()),
                    points: l.points,
                    proposed_case_id: l.proposed_case,
                    override_reason: l.override_reason.clone(),
                })
                .collect(),
            offers: v.offers.iter().map(Offer::of).collect(),
            end_reason: r.end_reason.clone(),
        }
    }
}

/// An offer of a dwelling to a household.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Offer {
    pub id: String,
    pub round_id: Option<String>,
    pub dwelling_id: String,
    /// Empty when `address_protected`: the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub case_id: CaseId,
    pub reference: String,
    pub applicant_name: String,
    pub state: OfferState,
    #[schemars(with = "DateSchema")]
    pub sent_on: Date,
    #[schemars(with = "DateSchema")]
    pub answer_by: Date,
    #[schemars(with = "Option<DateSchema>")]
    pub answered_on: Option<Date>,
    pub decline_reason: Option<DeclineReason>,
    pub note: Option<String>,
    pub version: i64,
}

impl Offer {
    pub fn of(o: &StoredOffer) -> Offer {
        Offer {
            id: o.id.clone(),
            round_id: o.round_id.clone(),
            dwelling_id: o.dwelling_id.clone(),
            address_line: o.address_line.clone(),
            address_protected: o.address_protected,
            case_id: o.case,
            reference: o.case_reference.clone(),
            applicant_name: o.applicant_name.clone(),
            state: o.state,
            sent_on: o.sent_on,
            answer_by: o.answer_by,
            answered_on: o.answered_on,
            decline_reason: o.decline_reason,
            note: o.note.clone(),
            version: o.version,
        }
    }
}

/// An offer with the household's standing with the municipality's decline rule.
#[derive(Debug, Serialize, JsonSchema)]
pub struct OfferDetail {
    pub offer: Offer,
    /// Declines without a reasonable ground (and expiries, if the rule counts them).
    pub unreasonable_declines: u32,
    /// How many the municipality's rule allows.
    pub unreasonable_declines_allowed: u32,
    /// More than the rule allows: the municipality may take the household off the waiting list
    /// by a decision of its own.
    pub limit_exceeded: bool,
}

impl OfferDetail {
    pub fn of(v: &OfferView) -> OfferDetail {
        OfferDetail {
            offer: Offer::of(&v.offer),
            unreasonable_declines: v.standing.unreasonable,
            unreasonable_declines_allowed: v.standing.allowed,
            limit_exceeded: v.standing.limit_exceeded(),
        }
    }
}

/// Drawing a frozen round, at the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawRequest {
    pub version: i64,
}

/// Choosing another household for a line, with the reason.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    pub version: i64,
    /// The case reference of the household chosen instead; none leaves the dwelling unproposed.
    #[serde(default)]
    pub reference: Option<String>,
    #[schemars(length(min = 5, max = 1000))]
    pub reason: String,
}

/// Closing (a drawn round) or cancelling (a round without offers), with the reason.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndRequest {
    pub version: i64,
    /// `true` cancels, `false` closes.
    #[serde(default)]
    pub cancel: bool,
    #[schemars(length(min = 5, max = 1000))]
    pub reason: String,
}

/// Offering a drawn round's line to the household chosen on it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferRequest {
    pub dwelling_id: String,
    /// yyyy-mm-dd, not before today; the municipality's answer period when left out.
    #[serde(default)]
    #[schemars(example = "2026-12-10")]
    pub answer_by: Option<String>,
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub note: Option<String>,
}

/// The household's answer, as a caseworker took it.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub version: i64,
    /// `accept` or `decline`.
    pub answer: String,
    /// Required with `decline`.
    #[serde(default)]
    #[schemars(with = "Option<DeclineReason>")]
    pub reason: Option<String>,
    /// Required with the reason `other`.
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub note: Option<String>,
}

/// Withdrawing an open offer, or reopening a declined, expired or withdrawn one.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OfferChangeRequest {
    pub version: i64,
    #[schemars(length(min = 5, max = 1000))]
    pub reason: String,
    /// Reopening only: the new answer date (yyyy-mm-dd); the municipality's period when left out.
    #[serde(default)]
    pub answer_by: Option<String>,
}
