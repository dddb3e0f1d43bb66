//! The waiting list in priority order, the proposal for the current vacancies, and the result of
//! a dwelling import.

use super::DateSchema;
use husly_domain::CaseId;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::proposal::Outcome;
use husly_domain::message::Message;
use husly_usecases::waiting_list::{AllocationPreview, WaitingList as Ranked};
use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

/// The priority policy a ranking used.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyUsed {
    pub version: String,
    #[schemars(with = "DateSchema")]
    pub effective_from: Date,
    pub cited_as: String,
    /// Hex SHA-256 of the policy's canonical text: which rules exactly.
    pub fingerprint: String,
}

impl PolicyUsed {
    fn of(policy: &PriorityPolicy, fingerprint: &str) -> PolicyUsed {
        PolicyUsed {
            version: policy.version.clone(),
            effective_from: policy.effective_from,
            cited_as: policy.cited_as.clone(),
            fingerprint: fingerprint.to_string(),
        }
    }
}

/// Points a household got for one criterion of the policy.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PointsFor {
    /// The criterion's id in the policy.
    pub criterion: String,
    /// Its title in the caller's language.
    pub title: String,
    pub points: u32,
}

/// One household on the waiting list.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WaitingHousehold {
    /// 1 is first. Households that share a place until a draw settles it have the same number.
    pub position: u32,
    pub shared_place: bool,
    pub case_id: CaseId,
    pub reference: String,
    pub applicant_name: String,
    /// single_adult, couple, single_parent, couple_with_children or other.
    pub household_type: String,
    pub points: u32,
    pub criteria: Vec<PointsFor>,
    pub waiting_months: u32,
    pub waiting_points: u32,
    /// The waiting-time points have reached the policy's cap.
    pub waiting_capped: bool,
    pub bedrooms_min: u32,
    pub bedrooms_max: u32,
    #[schemars(with = "DateSchema")]
    pub approved_on: Date,
    /// Why the household stands where it stands, in plain words in the caller's language.
    pub explanation: Vec<String>,
    /// How long it may still wait, from its place and the last three years' lettings.
    pub estimated_wait: super::stock::WaitEstimateAnswer,
}

/// A page of the waiting list in priority order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WaitingList {
    pub policy: PolicyUsed,
    pub total: usize,
    pub offset: usize,
    /// Some households share a place until a draw settles it.
    pub unresolved_ties: bool,
    pub households: Vec<WaitingHousehold>,
}

impl WaitingList {
    pub fn of(list: &Ranked, word: impl Fn(&Message) -> String, lang: husly_domain::Lang) -> WaitingList {
        use husly_domain::allocation::policy::text_in;
        use husly_domain::allocation::priority::DecidedBy;
        WaitingList {
            policy: PolicyUsed::of(&list.policy, &list.fingerprint),
            total: list.total,
            offset: list.offset,
            unresolved_ties: list.unresolved_ties,
            households: list
                .entries
                .iter()
                .map(|e| {
                    let p = &e.ranked.priority;
                    WaitingHousehold {
                        position: e.ranked.position,
                        shared_place: e.ranked.decided_by == DecidedBy::Unresolved,
                        case_id: e.case.case,
                        reference: e.case.reference.clone(),
                        applicant_name: e.case.applicant_name.clone(),
                        household_type: e.household_type.code().to_string(),
                        points: p.total,
                        criteria: p
                            .criteria
                            .iter()
                            .map(|c| PointsFor {
                                criterion: c.id.clone(),
                                title: text_in(&c.title, lang).to_string(),
                                points: c.points,
                            })
                            .collect(),
                        waiting_months: p.waiting.months,
                        waiting_points: p.waiting.points,
                        waiting_capped: p.waiting.capped,
                        bedrooms_min: e.bedrooms.min,
                        bedrooms_max: e.bedrooms.max,
                        approved_on: e.case.approved_on,
                        explanation: e.explanation.iter().map(&word).collect(),
                        estimated_wait: super::stock::WaitEstimateAnswer::of(&e.estimate, &word),
                    }
                })
                .collect(),
        }
    }
}

/// A vacant dwelling and the household proposed for it, if any fits.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProposedLet {
    pub dwelling_id: String,
    pub address_line: String,
    pub bedrooms: i64,
    pub case_id: Option<CaseId>,
    pub reference: Option<String>,
    pub points: Option<u32>,
}

/// A fitting dwelling that went to a household before this one.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TakenBy {
    pub dwelling_id: String,
    pub reference: String,
}

/// Why no vacancy fits, and for how many of them.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Misfit {
    /// e.g. too_few_bedrooms, not_wheelchair_accessible, type_not_for_household.
    pub code: String,
    pub text: String,
    pub dwellings: usize,
}

/// A household the proposal does not place.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Unplaced {
    pub case_id: CaseId,
    pub reference: String,
    pub points: u32,
    /// Dwellings that fit it but went to households before it (empty when none fits): the
    /// first three, in the order of `dwellings`.
    pub taken_by_others: Vec<TakenBy>,
    /// How many more fitting dwellings went to households before it.
    pub taken_by_others_more: usize,
    /// When nothing fits: why, most common first.
    pub misfits: Vec<Misfit>,
}

/// The proposal for the current vacancies: computed now, saved nowhere.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AllocationProposal {
    pub policy: PolicyUsed,
    pub waiting_households: usize,
    /// Household–dwelling pairs that fit at all.
    pub fitting_pairs: usize,
    /// The optimum's total weight: priority points × 1 000 plus the fit bonus, summed.
    pub total_weight: i64,
    pub unresolved_ties: bool,
    pub dwellings: Vec<ProposedLet>,
    pub unplaced: Vec<Unplaced>,
}

impl AllocationProposal {
    pub fn of(p: &AllocationPreview, word: impl Fn(&Message) -> String) -> AllocationProposal {
        let points = |id: &str| p.points.get(id).copied().unwrap_or(0);
        AllocationProposal {
            policy: PolicyUsed::of(&p.policy, &p.fingerprint),
            waiting_households: p.cases.len(),
            fitting_pairs: p.proposal.fitting_pairs,
            total_weight: p.proposal.total_weight,
            unresolved_ties: p.unresolved_ties,
            dwellings: p
                .vacancies
                .iter()
                .zip(&p.proposal.dwellings)
                .map(|(d, proposed)| {
                    let case = proposed.as_ref().and_then(|id| p.cases.get(id));
                    ProposedLet {
                        dwelling_id: d.id.clone(),
                        address_line: d.details.address_line.clone(),
                        bedrooms: d.details.bedrooms,
                        case_id: case.map(|c| c.case),
                        reference: case.map(|c| c.reference.clone()),
                        points: proposed.as_ref().map(|id| points(id)),
                    }
                })
                .collect(),
            unplaced: p
                .proposal
                .households
                .iter()
                .filter_map(|(id, outcome)| {
                    let case = p.cases.get(id)?;
                    let (taken_by_others, taken_by_others_more, misfits) = match outcome {
                        Outcome::Proposed { .. } => return None,
                        Outcome::FittingTakenByOthers { taken, more } => (
                            taken
                                .iter()
                                .filter_map(|(d, other)| {
                                    Some(TakenBy {
                                        dwelling_id: p.vacancies.get(*d)?.id.clone(),
                                        reference: other.clone(),
                                    })
                                })
                                .collect(),
                            *more,
                            Vec::new(),
                        ),
                        Outcome::NothingFits { reasons } => (
                            Vec::new(),
                            0,
                            reasons
                                .iter()
                                .map(|(m, n)| Misfit {
                                    code: m.code().to_string(),
                                    text: word(&m.message()),
                                    dwellings: *n,
                                })
                                .collect(),
                        ),
                    };
                    Some(Unplaced {
                        case_id: case.case,
                        reference: case.reference.clone(),
                        points: points(id),
                        taken_by_others,
                        taken_by_others_more,
                        misfits,
                    })
                })
                .collect(),
        }
    }
}

/// What an import saved.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ImportResult {
    pub created: u64,
    pub updated: u64,
    /// Rows whose dwelling was already exactly as in the file.
    pub unchanged: u64,
}
