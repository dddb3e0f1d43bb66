//! Allocation rounds: freeze the vacancies and the waiting list and commit to a seed; draw and
//! save the proposal; override a line with a reason; close or cancel. The rules are the domain's
//! (`allocation::round`, `draw`, `proposal`); this module loads, checks, saves and audits.
//!
//! A round leaves out households and dwellings bound by an open or accepted offer: they are
//! already in the process, and the database would refuse a second open offer anyway.

use std::collections::{HashMap, HashSet};

use husly_domain::allocation::draw::{self, Seed};
use husly_domain::allocation::needs::DwellingFacts;
use husly_domain::allocation::offer::OfferState;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::priority::{WaitingHousehold, rank};
use husly_domain::allocation::proposal::{Outcome, Vacancy, propose};
use husly_domain::allocation::round::{self, Override, RoundRefusal};
use husly_domain::authz::Action;
use husly_domain::validation::FieldError;
use husly_domain::{CaseId, MunicipalityId};
use husly_store::allocation::{AllocationEvent, DrawnRound, NewRound, Offer, Round, RoundSummary};
use husly_store::dwellings::Dwelling;
use husly_store::waiting_list::WaitingCase;
use serde_json::json;

use crate::priority_policy::policy_in_force;
use crate::waiting_list::waiting_household;
use crate::{Ctx, UseCaseError, UseCaseResult};

/// A domain refusal as the caller shows it: on the field it concerns, or on the form.
pub(crate) fn refused(field: &str, refusal: &RoundRefusal) -> UseCaseError {
    UseCaseError::Invalid(vec![FieldError::new(field, "round_refused", refusal.key())])
}

/// The priority policy a round uses: the one in force the day it was started, which it cites
/// by fingerprint. A version saved later with that same day as its effective date would change
/// the rules under a frozen round; the round is then refused and must be started again.
async fn policy_of_round(ctx: &Ctx, municipality: MunicipalityId, round: &Round) -> UseCaseResult<PriorityPolicy> {
    let started = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(round.created_at) * 1_000)
        .map_err(|e| UseCaseError::Internal(format!("a round's start: {e}")))?
        .date();
    let (policy, _) = policy_in_force(&ctx.store, municipality, started).await?;
    if policy.fingerprint() != round.policy_fingerprint {
        return Err(refused("", &RoundRefusal::PolicyChanged));
    }
    Ok(policy)
}

fn authorise(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<()> {
    ctx.require(Action::Allocate, municipality)?;
    ctx.require(Action::ViewCase, municipality)
}

/// The waiting cases a new round may propose: on the list and bound by no offer.
async fn free_cases(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<(Vec<WaitingCase>, HashSet<String>)> {
    let (bound_cases, bound_dwellings) = ctx.store.bound_by_offers(municipality).await?;
    let list = crate::ranked_list::ranked_list(&ctx.store, municipality, ctx.today).await?;
    let cases = list
        .cases
        .iter()
        .filter(|c| !bound_cases.contains(&c.case))
        .cloned()
        .collect();
    Ok((cases, bound_dwellings))
}

/// Whether an offer in this state holds its dwelling and household (open or accepted).
fn binds(state: OfferState) -> bool {
    matches!(state, OfferState::Open | OfferState::Accepted)
}

/// Households without a dwelling a round's page names; the rest are counted.
pub const UNPLACED_SHOWN: usize = 100;

/// The municipality's rounds, newest first.
pub async fn rounds(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<RoundSummary>> {
    authorise(ctx, municipality)?;
    Ok(ctx.store.rounds(municipality).await?)
}

/// Starts a round: the vacancies not yet offered, the waiting households not yet in an offer,
/// frozen and hashed, and a fresh secret seed of which only the commitment is shown until the
/// draw.
pub async fn start_round(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<(String, i64)> {
    authorise(ctx, municipality)?;
    let (policy, _) = policy_in_force(&ctx.store, municipality, ctx.today).await?;
    let (cases, bound_dwellings) = free_cases(ctx, municipality).await?;
    let vacancies: Vec<String> = ctx
        .store
        .vacant_dwellings(municipality)
        .await?
        .into_iter()
        .filter(|d| !bound_dwellings.contains(&d.id))
        .map(|d| d.id)
        .collect();
    if vacancies.is_empty() {
        return Err(refused("", &RoundRefusal::NoVacancies));
    }
    let entries = draw::freeze(cases.into_iter().map(|c| c.reference))
        .map_err(|e| UseCaseError::Internal(format!("case references cannot be frozen: {e}")))?;
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let seed = Seed(bytes);
    let new = NewRound {
        policy_version: &policy.version,
        policy_fingerprint: &policy.fingerprint(),
        entries: &entries,
        input_hash: &draw::input_hash(&entries),
        commitment: &draw::commit(&seed),
        seed: &seed.to_hex(),
        dwellings: &vacancies,
    };
    let actor = ctx.actor(municipality);
    Ok(ctx.store.create_round(municipality, &new, &ctx.change(&actor)).await?)
}

/// A round as its page shows it.
#[derive(Debug, Clone)]
pub struct RoundView {
    pub round: Round,
    /// The dwelling of each line, in line order.
    pub dwellings: Vec<Dwelling>,
    /// Reference and main applicant's name of every case the round names.
    pub labels: HashMap<CaseId, (String, String)>,
    /// Entry id (case reference) → case id, for the households of the outcomes shown.
    pub cases_by_reference: HashMap<String, CaseId>,
    /// The first [`UNPLACED_SHOWN`] households without a dwelling, in ranking order, with why
    /// (after the draw).
    pub unplaced: Vec<(String, Outcome)>,
    /// How many households the round left without a dwelling in all.
    pub unplaced_total: usize,
    pub offers: Vec<Offer>,
    pub events: Vec<AllocationEvent>,
    /// The answer date an offer made today gets by default (the municipality's rule).
    pub default_answer_by: time::Date,
}

impl RoundView {
    /// The open or accepted offer of a line's dwelling, if any.
    pub fn live_offer(&self, dwelling: &str) -> Option<&Offer> {
        self.offers.iter().find(|o| o.dwelling_id == dwelling && binds(o.state))
    }
}

/// One round with its lines, offers and history. Households are named: an audited read.
pub async fn round(ctx: &Ctx, municipality: MunicipalityId, id: &str) -> UseCaseResult<RoundView> {
    authorise(ctx, municipality)?;
    let round = ctx.store.round(municipality, id).await?;
    let mut dwellings = Vec::with_capacity(round.lines.len());
    for line in &round.lines {
        dwellings.push(ctx.store.dwelling(municipality, &line.dwelling_id).await?);
    }
    let outcomes: Vec<(String, Outcome)> = match &round.outcomes {
        Some(value) => serde_json::from_value(value.clone())
            .map_err(|e| UseCaseError::Internal(format!("a round's outcomes: {e}")))?,
        None => Vec::new(),
    };
    let mut unplaced: Vec<(String, Outcome)> = outcomes
        .into_iter()
        .filter(|(_, o)| !matches!(o, Outcome::Proposed { .. }))
        .collect();
    let unplaced_total = unplaced.len();
    unplaced.truncate(UNPLACED_SHOWN);
    // Only the households the page names: those shown and those their dwellings went to.
    let mut references: Vec<String> = Vec::new();
    for (reference, outcome) in &unplaced {
        references.push(reference.clone());
        if let Outcome::FittingTakenByOthers { taken, .. } = outcome {
            references.extend(taken.iter().map(|(_, other)| other.clone()));
        }
    }
    references.sort();
    references.dedup();
    let cases_by_reference = ctx.store.case_ids_by_reference(municipality, &references).await?;
    let offers = ctx.store.offers_of_round(municipality, id).await?;
    let mut named: Vec<CaseId> = round
        .lines
        .iter()
        .flat_map(|l| [l.case, l.proposed_case])
        .flatten()
        .collect();
    named.extend(offers.iter().map(|o| o.case));
    named.extend(cases_by_reference.values().copied());
    named.sort();
    named.dedup();
    let labels = ctx.store.case_labels(municipality, &named).await?;
    let events = ctx.store.allocation_events(municipality, Some(id), None).await?;
    let (policy, _) = policy_in_force(&ctx.store, municipality, ctx.today).await?;
    let default_answer_by = husly_domain::allocation::offer::answer_by(ctx.today, &policy.offers);
    ctx.audit_read(
        municipality,
        "allocation.round_view",
        ("allocation_round", id.to_string()),
        json!({ "households": labels.len() }),
    )
    .await?;
    Ok(RoundView {
        round,
        dwellings,
        labels,
        cases_by_reference,
        unplaced,
        unplaced_total,
        offers,
        events,
        default_answer_by,
    })
}

/// The published draw of a drawn round: commitment, seed, input hash, entries and order, for
/// anyone to re-run with `husly verify-draw`. Entries are case references, no names.
pub async fn published_draw(ctx: &Ctx, municipality: MunicipalityId, id: &str) -> UseCaseResult<draw::PublishedDraw> {
    authorise(ctx, municipality)?;
    let round = ctx.store.round(municipality, id).await?;
    let (Some(seed), Some(order)) = (round.seed, round.draw_order) else {
        return Err(refused("", &RoundRefusal::WrongState(round.state)));
    };
    // Case references identify households to whoever can look them up: a recorded read.
    ctx.audit_read(
        municipality,
        "allocation.draw_published",
        ("allocation_round", id.to_string()),
        json!({ "entries": round.entries.len() }),
    )
    .await?;
    Ok(draw::PublishedDraw {
        commitment: round.commitment,
        seed: Seed::from_hex(&seed).map_err(UseCaseError::Internal)?,
        input_hash: round.input_hash,
        entries: round.entries,
        order,
    })
}

/// Reveals the seed, draws, ranks the frozen households still on the list with the draw as the
/// last tie-breaker, and saves the optimal proposal for the round's dwellings (one that is no
/// longer vacant gets nobody, and says why).
pub async fn draw_round(ctx: &Ctx, municipality: MunicipalityId, id: &str, version: i64) -> UseCaseResult<()> {
    authorise(ctx, municipality)?;
    let round = ctx.store.round(municipality, id).await?;
    round::draw(round.state).map_err(|r| refused("", &r))?;
    if round.version != version {
        return Err(UseCaseError::Conflict);
    }
    let policy = policy_of_round(ctx, municipality, &round).await?;
    let seed = Seed::from_hex(&ctx.store.round_seed(municipality, id).await?).map_err(UseCaseError::Internal)?;
    let order = draw::draw(&seed, &round.entries);
    let frozen: HashSet<&str> = round.entries.iter().map(String::as_str).collect();
    let (cases, _) = free_cases(ctx, municipality).await?;
    let cases: Vec<WaitingCase> = cases
        .into_iter()
        .filter(|c| frozen.contains(c.reference.as_str()))
        .collect();
    let households: Vec<WaitingHousehold> = cases.iter().map(waiting_household).collect();
    let ranking = rank(&policy, &households, ctx.today, Some(&order));
    let mut vacancies = Vec::with_capacity(round.lines.len());
    for line in &round.lines {
        let d = ctx.store.dwelling(municipality, &line.dwelling_id).await?;
        vacancies.push(Vacancy {
            id: d.id.clone(),
            facts: DwellingFacts::of(&d.details, d.status),
        });
    }
    let proposal = propose(&policy, &households, &ranking, &vacancies, ctx.today)
        .map_err(|e| UseCaseError::Internal(format!("allocation: {e:?}")))?;
    let by_reference: HashMap<&str, CaseId> = cases.iter().map(|c| (c.reference.as_str(), c.case)).collect();
    let points: HashMap<&str, u32> = ranking
        .entries
        .iter()
        .map(|r| (r.priority.entry_id.as_str(), r.priority.total))
        .collect();
    let lines = round
        .lines
        .iter()
        .zip(&proposal.dwellings)
        .map(|(line, chosen)| {
            let chosen = chosen.as_deref().and_then(|reference| {
                let case = by_reference.get(reference)?;
                Some((*case, i64::from(points.get(reference).copied().unwrap_or(0))))
            });
            (line.dwelling_id.clone(), chosen)
        })
        .collect();
    let drawn = DrawnRound {
        draw_order: &order,
        outcomes: serde_json::to_value(&proposal.households)
            .map_err(|e| UseCaseError::Internal(format!("outcomes: {e}")))?,
        lines,
    };
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .save_draw(municipality, id, version, &drawn, &ctx.change(&actor))
        .await?)
}

/// Chooses another household for a line (by case reference; empty leaves the dwelling without
/// a proposal), with a reason. The chosen household must be on the round's list, on no other
/// line, and fit the dwelling.
pub async fn override_line(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    dwelling: &str,
    reference: &str,
    reason: &str,
) -> UseCaseResult<()> {
    authorise(ctx, municipality)?;
    let round = ctx.store.round(municipality, id).await?;
    if round.version != version {
        return Err(UseCaseError::Conflict);
    }
    let line = round
        .lines
        .iter()
        .find(|l| l.dwelling_id == dwelling)
        .ok_or(UseCaseError::NotFound)?;
    let offers = ctx.store.offers_of_round(municipality, id).await?;
    let line_offered = offers.iter().any(|o| o.dwelling_id == dwelling && binds(o.state));
    let d = ctx.store.dwelling(municipality, dwelling).await?;
    let facts = DwellingFacts::of(&d.details, d.status);
    let policy = policy_of_round(ctx, municipality, &round).await?;
    let reference = reference.trim();
    let (cases, _) = free_cases(ctx, municipality).await?;
    let case = cases.iter().find(|c| c.reference.eq_ignore_ascii_case(reference));
    let household = case.map(waiting_household);
    let in_round = case.is_some_and(|c| round.entries.contains(&c.reference));
    let proposed_elsewhere = case.is_some_and(|c| {
        round
            .lines
            .iter()
            .any(|l| l.dwelling_id != line.dwelling_id && l.case == Some(c.case))
    });
    let change = Override {
        state: round.state,
        line_offered,
        household: match (&household, reference.is_empty()) {
            (_, true) => None,
            (Some(h), false) => Some((h, in_round)),
            // On the frozen list but no longer waiting (or already in an offer).
            (None, false) => return Err(refused("case", &RoundRefusal::NotInRound)),
        },
        proposed_elsewhere,
        dwelling: &facts,
        reason,
    };
    let reason = round::check_override(&policy, &change, ctx.today).map_err(|r| {
        let field = match r {
            RoundRefusal::ReasonMissing => "reason",
            RoundRefusal::WrongState(_) | RoundRefusal::LineOffered => "",
            _ => "case",
        };
        refused(field, &r)
    })?;
    let points = match &household {
        Some(h) => {
            let ranking = rank(&policy, std::slice::from_ref(h), ctx.today, None);
            ranking.entries.first().map(|r| i64::from(r.priority.total))
        }
        None => None,
    };
    let chosen = case.map(|c| (c.case, points.unwrap_or(0)));
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(&reason);
    Ok(ctx
        .store
        .override_line(municipality, id, version, dwelling, chosen, &who)
        .await?)
}

/// Closes a drawn round (the meeting is done with it) or cancels one nobody was offered
/// anything from; either with a reason.
pub async fn end_round(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    cancel: bool,
    reason: &str,
) -> UseCaseResult<()> {
    authorise(ctx, municipality)?;
    let round = ctx.store.round(municipality, id).await?;
    if round.version != version {
        return Err(UseCaseError::Conflict);
    }
    let to = if cancel {
        let offers = ctx.store.offers_of_round(municipality, id).await?;
        round::cancel(round.state, offers.len())
    } else {
        round::close(round.state)
    }
    .map_err(|r| refused("", &r))?;
    let reason = round::check_reason(reason).map_err(|r| refused("reason", &r))?;
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(&reason);
    Ok(ctx
        .store
        .end_round(municipality, id, version, round.state, to, &who)
        .await?)
}
