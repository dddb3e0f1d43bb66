//! Follow-up in the home (bo-oppfølging): a household's plan, its measures and its log of
//! contacts, visits and complaints, and the follow-up caseload ordered by risk signals. Pages and
//! the API both call these.

use std::collections::HashMap;

use husly_domain::authz::{Action, Decision, authorize};
use husly_domain::follow_up::risk::{
    Facts, PlanFacts, Risk, RiskSettings, assess, caseload_order, contract_horizon, embedded_rules,
};
use husly_domain::follow_up::{
    CloseInput, Entry, EntryInput, EntryKind, MeasureInput, Outcome, Plan, PlanInput, check_close, check_entry,
    check_measure, check_measure_status, check_plan, check_reopen,
};
use husly_domain::household::Relation;
use husly_domain::rules::{Period, Source, YearMonth};
use husly_domain::{HouseholdId, MunicipalityId, UserId};
use serde_json::json;
use time::{Date, Duration};

use husly_store::follow_up::Households;

use crate::{Ctx, UseCaseError, UseCaseResult, ledger};

/// A household's follow-up: its plans (the active one first), its log (newest first), its risk
/// today, and what the caller may do.
#[derive(Debug, Clone)]
pub struct FollowUpFile {
    pub household: HouseholdId,
    /// The main person's name, for the page's heading.
    pub name: String,
    pub plans: Vec<Plan>,
    pub entries: Vec<Entry>,
    pub risk: Risk,
    /// Who may be responsible for a plan (only for those who keep plans).
    pub workers: Vec<(UserId, String)>,
    pub can_keep: bool,
    pub can_log: bool,
}

impl FollowUpFile {
    pub fn active(&self) -> Option<&Plan> {
        self.plans
            .iter()
            .find(|p| p.state == husly_domain::follow_up::PlanState::Active)
    }
}

/// The settings in force for the municipality this month, with their source.
#[derive(Debug, Clone)]
pub struct Settings {
    pub period: Period<RiskSettings>,
    pub source: Option<Source>,
}

fn settings_for(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Settings> {
    let rules = embedded_rules();
    let period = rules
        .in_force(
            "follow_up",
            ctx.municipality_number(municipality)?,
            YearMonth::of(ctx.today),
        )
        .map_err(|e| UseCaseError::Internal(e.to_string()))?;
    Ok(Settings {
        source: rules.source(&period.meta.source).cloned(),
        period: period.clone(),
    })
}

fn allowed(ctx: &Ctx, action: Action, municipality: MunicipalityId) -> bool {
    authorize(&ctx.principal, action, municipality) == Decision::Allow
}

/// The facts of one household's risk from its plans, log, contract and arrears.
fn facts_of(plans: &[Plan], entries: &[Entry], term_end: Option<Date>, arrears: Option<(i64, u32)>) -> Facts {
    let active = plans
        .iter()
        .find(|p| p.state == husly_domain::follow_up::PlanState::Active);
    Facts {
        plan: active.map(|p| PlanFacts {
            started_on: p.started_on,
            review_on: p.review_on,
        }),
        last_contact: entries
            .iter()
            .filter(|e| e.is_held_contact())
            .map(|e| e.occurred_on)
            .max(),
        missed: entries
            .iter()
            .filter(|e| e.outcome == Some(Outcome::Missed))
            .map(|e| e.occurred_on)
            .collect(),
        complaints: entries
            .iter()
            .filter(|e| e.kind == EntryKind::NeighbourComplaint)
            .map(|e| e.occurred_on)
            .collect(),
        arrears,
        term_end,
    }
}

/// A household's follow-up; the read is recorded.
pub async fn household_follow_up(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<FollowUpFile> {
    let municipality = ctx.household_owner(household, Action::ViewFollowUp).await?;
    let kept = ctx.store.household(municipality, household).await?;
    let name = kept
        .members
        .iter()
        .find(|m| m.relation == Relation::MainApplicant)
        .map(|m| format!("{} {}", m.person.given_name, m.person.family_name))
        .unwrap_or_default();
    let plans = ctx.store.follow_up_plans(municipality, household).await?;
    let entries = ctx.store.follow_up_entries(municipality, household).await?;
    let settings = settings_for(ctx, municipality)?;
    let term_end = ctx
        .store
        .open_contracts_ending_by(
            municipality,
            Households::One(household),
            contract_horizon(&settings.period.values, ctx.today),
        )
        .await?
        .into_iter()
        .map(|(_, term_end)| term_end)
        .min();
    let arrears = ledger::households_over_threshold(ctx, municipality, Households::One(household))
        .await?
        .remove(&household);
    let risk = assess(
        &facts_of(&plans, &entries, term_end, arrears),
        &settings.period.values,
        ctx.today,
    );
    let can_keep = allowed(ctx, Action::KeepFollowUpPlan, municipality);
    let workers = if can_keep {
        ctx.store.follow_up_workers(municipality).await?
    } else {
        Vec::new()
    };
    ctx.audit_read(
        municipality,
        "household.follow_up_view",
        ("household", household.to_string()),
        json!({ "plans": plans.len(), "entries": entries.len() }),
    )
    .await?;
    Ok(FollowUpFile {
        household,
        name,
        plans,
        entries,
        risk,
        workers,
        can_keep,
        can_log: allowed(ctx, Action::LogFollowUp, municipality),
    })
}

async fn workers_of(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<UserId>> {
    Ok(ctx
        .store
        .follow_up_workers(municipality)
        .await?
        .into_iter()
        .map(|(id, _)| id)
        .collect())
}

/// Starts a follow-up plan for the household today. A household with an active plan already is
/// a conflict. Returns the plan's id.
pub async fn start_plan(ctx: &Ctx, household: HouseholdId, input: &PlanInput<'_>) -> UseCaseResult<String> {
    let municipality = ctx.household_owner(household, Action::KeepFollowUpPlan).await?;
    let fields = check_plan(input, &workers_of(ctx, municipality).await?, ctx.today)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .create_follow_up_plan(municipality, household, &fields, ctx.today, &ctx.change(&actor))
        .await?)
}

/// Changes the active plan (from the version the caller read).
pub async fn change_plan(
    ctx: &Ctx,
    household: HouseholdId,
    (plan_id, version): (&str, i64),
    input: &PlanInput<'_>,
) -> UseCaseResult<()> {
    let municipality = ctx.household_owner(household, Action::KeepFollowUpPlan).await?;
    let fields = check_plan(input, &workers_of(ctx, municipality).await?, ctx.today)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .update_follow_up_plan(municipality, household, plan_id, version, &fields, &ctx.change(&actor))
        .await?)
}

/// Closes the active plan today, for a reason (the follow-up ends: the page asks to confirm).
pub async fn close_plan(
    ctx: &Ctx,
    household: HouseholdId,
    (plan_id, version): (&str, i64),
    input: &CloseInput<'_>,
) -> UseCaseResult<()> {
    let municipality = ctx.household_owner(household, Action::KeepFollowUpPlan).await?;
    let (reason, note) = check_close(input)?;
    let actor = ctx.actor(municipality);
    let mut change = ctx.change(&actor);
    change.reason = note.as_deref();
    Ok(ctx
        .store
        .close_follow_up_plan(
            municipality,
            household,
            plan_id,
            version,
            (reason, note.as_deref()),
            ctx.today,
            &change,
        )
        .await?)
}

/// Reopens a closed plan (undoing a close), with the reason why.
pub async fn reopen_plan(
    ctx: &Ctx,
    household: HouseholdId,
    (plan_id, version): (&str, i64),
    reason: &str,
) -> UseCaseResult<()> {
    let municipality = ctx.household_owner(household, Action::KeepFollowUpPlan).await?;
    let reason = check_reopen(reason)?;
    let actor = ctx.actor(municipality);
    let mut change = ctx.change(&actor);
    change.reason = Some(&reason);
    Ok(ctx
        .store
        .reopen_follow_up_plan(municipality, household, plan_id, version, &change)
        .await?)
}

/// Adds an agreed measure to the active plan. Returns its id.
pub async fn add_measure(
    ctx: &Ctx,
    household: HouseholdId,
    plan: (&str, i64),
    input: &MeasureInput<'_>,
) -> UseCaseResult<String> {
    let municipality = ctx.household_owner(household, Action::KeepFollowUpPlan).await?;
    let fields = check_measure(input)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .add_follow_up_measure(municipality, household, plan, &fields, &ctx.change(&actor))
        .await?)
}

/// Marks a measure done or dropped (or agreed again).
pub async fn set_measure_status(
    ctx: &Ctx,
    household: HouseholdId,
    plan: (&str, i64),
    measure_id: &str,
    status: &str,
) -> UseCaseResult<()> {
    let municipality = ctx.household_owner(household, Action::KeepFollowUpPlan).await?;
    let status = check_measure_status(status)?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .set_follow_up_measure_status(municipality, household, plan, measure_id, status, &ctx.change(&actor))
        .await?)
}

/// Logs a contact, home visit or neighbour complaint on the household. Returns its id.
pub async fn log_entry(ctx: &Ctx, household: HouseholdId, input: &EntryInput<'_>) -> UseCaseResult<String> {
    let municipality = ctx.household_owner(household, Action::LogFollowUp).await?;
    log_entry_by(ctx, (municipality, household), &ctx.actor(municipality), input).await
}

/// Logs an entry by `actor`, once authorised (the unit by role, a partner on consent).
pub(crate) async fn log_entry_by(
    ctx: &Ctx,
    (municipality, household): (MunicipalityId, HouseholdId),
    actor: &husly_store::audit::Actor,
    input: &EntryInput<'_>,
) -> UseCaseResult<String> {
    let fields = check_entry(input, ctx.today)?;
    Ok(ctx
        .store
        .add_follow_up_entry(municipality, household, &fields, &ctx.change(actor))
        .await?)
}

/// One household on the caseload.
#[derive(Debug, Clone)]
pub struct CaseloadLine {
    pub household: HouseholdId,
    pub name: String,
    /// Empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    /// The active plan's id and responsible worker, if it has one.
    pub plan: Option<(String, UserId, String)>,
    pub risk: Risk,
    pub last_contact: Option<Date>,
}

/// Whose households the caseload shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CaseloadScope {
    /// The plans the caller is responsible for.
    #[default]
    Mine,
    /// Every household with a plan or a signal.
    All,
}

/// How many caseload lines a page shows.
pub const CASELOAD_PAGE: usize = 50;

/// The caseload: households with an active plan, and households with an open contract and a
/// signal but no plan; the highest risk first, a page of them.
#[derive(Debug, Clone)]
pub struct Caseload {
    /// The page's lines, `offset` on in the order.
    pub lines: Vec<CaseloadLine>,
    /// How many households the caseload holds in all.
    pub total: usize,
    pub offset: usize,
    pub scope: CaseloadScope,
    pub settings: Settings,
}

/// A household's facts and risk before its name is read (only the page's names are).
struct Assessed {
    household: HouseholdId,
    plan: Option<(String, UserId, String)>,
    risk: Risk,
    last_contact: Option<Date>,
}

/// The follow-up caseload, the highest risk first, `CASELOAD_PAGE` lines from `offset`. With
/// [`CaseloadScope::Mine`] the plans the caller is responsible for (only their households' facts
/// are read); with `All` every plan, and every household with an open contract whose signals
/// call for follow-up but which has no plan. Names households: the read is recorded.
pub async fn caseload(
    ctx: &Ctx,
    municipality: MunicipalityId,
    scope: CaseloadScope,
    offset: usize,
) -> UseCaseResult<Caseload> {
    ctx.require(Action::ViewFollowUp, municipality)?;
    let settings = settings_for(ctx, municipality)?;
    let s = settings.period.values;
    let households = match scope {
        CaseloadScope::Mine => Households::PlansOf(ctx.user.id),
        CaseloadScope::All => Households::All,
    };
    let window = s.missed_window_days.max(s.complaint_window_days);
    let since = ctx.today - Duration::days(i64::from(window));
    let (facts, last_contacts) = ctx.store.follow_up_facts(municipality, since, households).await?;
    let last: HashMap<HouseholdId, Date> = last_contacts.into_iter().collect();
    let mut by_household: HashMap<HouseholdId, Facts> = HashMap::new();
    for fact in &facts {
        let f = by_household.entry(fact.household).or_default();
        if fact.kind == EntryKind::NeighbourComplaint {
            f.complaints.push(fact.occurred_on);
        } else if fact.outcome == Some(Outcome::Missed) {
            f.missed.push(fact.occurred_on);
        }
    }
    let mut arrears = ledger::households_over_threshold(ctx, municipality, households).await?;
    // The fixed terms ending within the signal's horizon, the earliest per household.
    let mut term_ends: HashMap<HouseholdId, Date> = HashMap::new();
    for (household, end) in ctx
        .store
        .open_contracts_ending_by(
            municipality,
            households,
            contract_horizon(&settings.period.values, ctx.today),
        )
        .await?
    {
        term_ends
            .entry(household)
            .and_modify(|d| *d = (*d).min(end))
            .or_insert(end);
    }
    let mut assessed = Vec::new();
    for plan in ctx.store.active_follow_up_plans(municipality, households).await? {
        let mut f = by_household.remove(&plan.household).unwrap_or_default();
        f.plan = Some(PlanFacts {
            started_on: plan.started_on,
            review_on: plan.review_on,
        });
        f.last_contact = last.get(&plan.household).copied();
        f.arrears = arrears.remove(&plan.household);
        f.term_end = term_ends.remove(&plan.household);
        assessed.push(Assessed {
            household: plan.household,
            plan: Some((plan.plan_id, plan.responsible, plan.responsible_name)),
            risk: assess(&f, &s, ctx.today),
            last_contact: f.last_contact,
        });
    }
    if scope == CaseloadScope::All {
        // Households without a plan are on the caseload by a signal, and only with an open
        // contract: the arrears and the ending terms are open contracts' already; those with
        // only complaints or missed visits are looked up.
        let mut candidates: std::collections::HashSet<HouseholdId> = arrears.keys().copied().collect();
        candidates.extend(term_ends.keys().copied());
        let logged: Vec<HouseholdId> = by_household
            .keys()
            .filter(|h| !candidates.contains(h))
            .copied()
            .collect();
        candidates.extend(ctx.store.with_open_contract(municipality, &logged).await?);
        for household in candidates {
            let mut f = by_household.remove(&household).unwrap_or_default();
            f.last_contact = last.get(&household).copied();
            f.arrears = arrears.remove(&household);
            f.term_end = term_ends.remove(&household);
            let risk = assess(&f, &s, ctx.today);
            if !risk.signals.is_empty() {
                assessed.push(Assessed {
                    household,
                    plan: None,
                    risk,
                    last_contact: f.last_contact,
                });
            }
        }
    }
    assessed.sort_by(|a, b| {
        caseload_order(
            (&a.risk, a.last_contact, a.household),
            (&b.risk, b.last_contact, b.household),
        )
    });
    let total = assessed.len();
    let page: Vec<Assessed> = assessed.into_iter().skip(offset).take(CASELOAD_PAGE).collect();
    let ids: Vec<HouseholdId> = page.iter().map(|a| a.household).collect();
    let mut names = ctx.store.caseload_names(municipality, &ids).await?;
    let lines: Vec<CaseloadLine> = page
        .into_iter()
        .map(|a| {
            let (name, address_line, address_protected) = names.remove(&a.household).unwrap_or_default();
            CaseloadLine {
                household: a.household,
                name,
                address_line,
                address_protected,
                plan: a.plan,
                risk: a.risk,
                last_contact: a.last_contact,
            }
        })
        .collect();
    ctx.audit_read(
        municipality,
        "follow_up.caseload",
        ("municipality", municipality.to_string()),
        json!({
            "households": lines.len(),
            "total": total,
            "offset": offset,
            "scope": match scope { CaseloadScope::Mine => "mine", CaseloadScope::All => "all" },
        }),
    )
    .await?;
    Ok(Caseload {
        lines,
        total,
        offset,
        scope,
        settings,
    })
}
