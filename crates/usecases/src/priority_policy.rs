//! The municipality's priority policy for the waiting list as versioned data: the version in
//! force on a day (the municipality's own, or Husly's standard modelled on Drammen when it has
//! none), the list of versions, a draft simulated on today's waiting list, and a draft saved as a
//! new version with an effective date.
//!
//! The policy is rule data, not personal data: reading it and saving it need no read audit;
//! saving is audited (`priority_policy.saved`). A simulation names households (by case
//! reference) only to a caller who may also see cases, and then the read is audited
//! (`priority_policy.simulate`); everyone else sees counts by group only.

use husly_domain::MunicipalityId;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::policy::version::{DraftContext, DraftInput, check_draft, check_reason, check_simulated};
use husly_domain::allocation::simulation::{Shift, Simulation, simulate};
use husly_domain::authz::{Action, Decision, authorize};
use husly_domain::validation::FieldError;
use husly_store::StoreError;
use husly_store::priority_policy::{NewPolicy, StoredPolicy};
use serde_json::json;
use time::Date;

use crate::{Ctx, UseCaseError, UseCaseResult};

/// How many households that move most are named, each way.
pub const MOVERS: usize = 10;

/// Where the policy in force comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyOrigin {
    /// Husly's standard, modelled on Drammen: the municipality has no own version in force.
    Standard,
    /// The municipality's own version, by its id.
    Municipality(String),
}

impl PolicyOrigin {
    pub fn code(&self) -> &'static str {
        match self {
            PolicyOrigin::Standard => "standard",
            PolicyOrigin::Municipality(_) => "municipality",
        }
    }
}

/// Whether a version applies today, will apply, or has been replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VersionStatus {
    InForce,
    Scheduled,
    Replaced,
}

impl VersionStatus {
    pub fn code(self) -> &'static str {
        match self {
            VersionStatus::InForce => "in_force",
            VersionStatus::Scheduled => "scheduled",
            VersionStatus::Replaced => "replaced",
        }
    }
}

/// One version as listed: the municipality's own (with who saved it and why) or the standard.
#[derive(Debug, Clone)]
pub struct PolicyVersion {
    /// `None` for Husly's standard.
    pub stored: Option<StoredPolicy>,
    pub policy: PriorityPolicy,
    pub status: VersionStatus,
}

impl PolicyVersion {
    /// The id the pages and the API name the version by (`standard` for Husly's).
    pub fn id(&self) -> &str {
        self.stored.as_ref().map_or(STANDARD, |s| s.id.as_str())
    }
}

/// The id of Husly's standard policy in paths.
pub const STANDARD: &str = "standard";

/// The municipality's versions (latest effective date first) and the standard after them.
#[derive(Debug, Clone)]
pub struct PolicyVersions {
    pub versions: Vec<PolicyVersion>,
}

impl PolicyVersions {
    /// The version in force today.
    pub fn in_force(&self) -> &PolicyVersion {
        self.versions
            .iter()
            .find(|v| v.status == VersionStatus::InForce)
            .expect("the standard applies when nothing else does")
    }
}

fn parse_stored(stored: &StoredPolicy) -> UseCaseResult<PriorityPolicy> {
    PriorityPolicy::parse(&stored.text)
        .map_err(|_| UseCaseError::Internal(format!("priority policy {} does not parse", stored.id)))
}

/// The policy in force on `date`, and where it comes from. No authorisation: the policy is
/// municipal rule data, and the caller has authorised what it ranks.
pub async fn policy_in_force(
    store: &husly_store::Store,
    municipality: MunicipalityId,
    date: Date,
) -> UseCaseResult<(PriorityPolicy, PolicyOrigin)> {
    match store.priority_policy_on(municipality, date).await? {
        Some(stored) => Ok((parse_stored(&stored)?, PolicyOrigin::Municipality(stored.id))),
        None => Ok((PriorityPolicy::embedded().clone(), PolicyOrigin::Standard)),
    }
}

/// Every version with its status today, the standard last.
pub async fn policy_versions(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<PolicyVersions> {
    ctx.require(Action::ViewPriorityPolicy, municipality)?;
    let stored = ctx.store.priority_policies(municipality).await?;
    let in_force = ctx.store.priority_policy_on(municipality, ctx.today).await?;
    let in_force_id = in_force.as_ref().map(|s| s.id.clone());
    let mut versions = Vec::with_capacity(stored.len() + 1);
    for s in stored {
        let status = if Some(&s.id) == in_force_id.as_ref() {
            VersionStatus::InForce
        } else if s.effective_from > ctx.today {
            VersionStatus::Scheduled
        } else {
            VersionStatus::Replaced
        };
        versions.push(PolicyVersion {
            policy: parse_stored(&s)?,
            stored: Some(s),
            status,
        });
    }
    versions.push(PolicyVersion {
        stored: None,
        policy: PriorityPolicy::embedded().clone(),
        status: if in_force_id.is_none() {
            VersionStatus::InForce
        } else {
            VersionStatus::Replaced
        },
    });
    Ok(PolicyVersions { versions })
}

/// One version by id (`standard` for Husly's); another municipality's is not found.
pub async fn policy_version(ctx: &Ctx, municipality: MunicipalityId, id: &str) -> UseCaseResult<PolicyVersion> {
    let all = policy_versions(ctx, municipality).await?;
    all.versions
        .into_iter()
        .find(|v| v.id() == id)
        .ok_or(UseCaseError::NotFound)
}

/// A draft simulated on today's waiting list against the policy in force.
#[derive(Debug, Clone)]
pub struct PolicySimulation {
    pub current: PriorityPolicy,
    pub current_origin: PolicyOrigin,
    pub draft: PriorityPolicy,
    pub simulation: Simulation,
    /// The households that move most (up, then down), by case reference; `None` when the caller
    /// may not see cases.
    pub movers: Option<Movers>,
}

/// The households that move most each way.
#[derive(Debug, Clone, Default)]
pub struct Movers {
    pub up: Vec<Shift>,
    pub down: Vec<Shift>,
}

fn movers(simulation: &Simulation) -> Movers {
    let mut up: Vec<Shift> = simulation.shifts.iter().filter(|s| s.shift() > 0).cloned().collect();
    up.sort_by_key(|s| (std::cmp::Reverse(s.shift()), s.new_position));
    up.truncate(MOVERS);
    let mut down: Vec<Shift> = simulation.shifts.iter().filter(|s| s.shift() < 0).cloned().collect();
    down.sort_by_key(|s| (s.shift(), s.old_position));
    down.truncate(MOVERS);
    Movers { up, down }
}

/// Checks a draft against the municipality's versions; the policy it would be.
async fn checked_draft(
    ctx: &Ctx,
    municipality: MunicipalityId,
    input: &DraftInput<'_>,
) -> UseCaseResult<PriorityPolicy> {
    let number = ctx.municipality_number(municipality)?.to_string();
    let stored = ctx.store.priority_policies(municipality).await?;
    let taken: Vec<&str> = stored.iter().map(|s| s.version.as_str()).collect();
    let context = DraftContext {
        municipality: &number,
        today: ctx.today,
        taken: &taken,
    };
    check_draft(input, &context).map_err(UseCaseError::Invalid)
}

/// Ranks today's waiting list under the policy in force and under the draft, changing nothing.
pub async fn simulate_policy(
    ctx: &Ctx,
    municipality: MunicipalityId,
    input: DraftInput<'_>,
) -> UseCaseResult<PolicySimulation> {
    ctx.require(Action::ManagePriorityPolicy, municipality)?;
    let draft = checked_draft(ctx, municipality, &input).await?;
    let (current, current_origin) = policy_in_force(&ctx.store, municipality, ctx.today).await?;
    let list = crate::ranked_list::ranked_list(&ctx.store, municipality, ctx.today).await?;
    let simulation = simulate(&current, &draft, &list.households, ctx.today, None);
    let may_see_cases = authorize(&ctx.principal, Action::ViewCase, municipality) == Decision::Allow;
    let movers = if may_see_cases {
        let movers = movers(&simulation);
        ctx.audit_read(
            municipality,
            "priority_policy.simulate",
            ("municipality", municipality.to_string()),
            json!({
                "households": movers.up.len() + movers.down.len(),
                "current": current.fingerprint(),
                "draft": draft.fingerprint(),
            }),
        )
        .await?;
        Some(movers)
    } else {
        None
    };
    Ok(PolicySimulation {
        current,
        current_origin,
        draft,
        simulation,
        movers,
    })
}

/// Saves a draft as a new version. `simulated` is the fingerprint of the text the caller
/// simulated: a text not simulated (or changed since) is refused on the field `simulated`.
pub async fn save_policy_version(
    ctx: &Ctx,
    municipality: MunicipalityId,
    input: DraftInput<'_>,
    reason: &str,
    simulated: &str,
) -> UseCaseResult<StoredPolicy> {
    ctx.require(Action::ManagePriorityPolicy, municipality)?;
    let mut errors: Vec<FieldError> = Vec::new();
    let draft = match checked_draft(ctx, municipality, &input).await {
        Ok(draft) => Some(draft),
        Err(UseCaseError::Invalid(found)) => {
            errors.extend(found);
            None
        }
        Err(other) => return Err(other),
    };
    let reason = check_reason(reason).map_err(|e| errors.push(e)).ok();
    if let Some(draft) = &draft
        && let Err(e) = check_simulated(draft, simulated)
    {
        errors.push(e);
    }
    let (Some(draft), Some(reason), true) = (draft, reason, errors.is_empty()) else {
        return Err(UseCaseError::Invalid(errors));
    };
    let actor = husly_store::audit::Actor {
        purpose: "priority_policy".into(),
        ..ctx.actor(municipality)
    };
    let fingerprint = draft.fingerprint();
    let new = NewPolicy {
        version: &draft.version,
        effective_from: draft.effective_from,
        text: draft.canonical_text(),
        fingerprint: &fingerprint,
        reason: &reason,
    };
    match ctx
        .store
        .add_priority_policy(municipality, new, &ctx.change(&actor))
        .await
    {
        Ok(stored) => Ok(stored),
        Err(StoreError::Duplicate(_)) => Err(UseCaseError::Invalid(vec![
            FieldError::new("version", "policy_version_taken", "error.policy.version_taken")
                .arg("version", &draft.version),
        ])),
        Err(other) => Err(other.into()),
    }
}
