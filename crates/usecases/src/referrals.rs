//! Referrals between the housing unit and its partner organisations: a household's referrals
//! as the unit sends and answers them, the same at the partner's door on a consent in force,
//! and the two work queues. A referral to an organisation needs the household's consent in
//! force to it; the partner sends and answers only for its own organisation.

use husly_domain::authz::Action;
use husly_domain::referral::{Known, Party, ReferralInput, check_answer, check_referral, is_overdue};
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::meetings::MeetingAction;
use husly_store::partners::PartnerOrganisation;
use husly_store::referrals::Referral;
use serde_json::json;

use crate::{Ctx, PartnerGrant, UseCaseError, UseCaseResult};

/// A household's referrals with what the forms need.
pub struct HouseholdReferrals {
    pub household: HouseholdId,
    /// The newest first.
    pub referrals: Vec<Referral>,
    /// The organisations the household has a consent in force to: those a referral may go to.
    pub receivers: Vec<PartnerOrganisation>,
    /// Whether the caller may send referrals and answer those to the unit.
    pub can_send: bool,
}

/// The organisations the household has a consent in force to today (their ids).
pub(crate) async fn consented(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> UseCaseResult<Vec<String>> {
    let mut ids: Vec<String> = ctx
        .store
        .consents_of_household(municipality, household)
        .await?
        .into_iter()
        .filter(|c| crate::ctx::in_force(c, ctx.today))
        .map(|c| c.organisation_id)
        .collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// The municipality's organisations the household has a consent in force to today.
pub(crate) async fn consented_organisations(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> UseCaseResult<Vec<PartnerOrganisation>> {
    let consented = consented(ctx, municipality, household).await?;
    Ok(ctx
        .store
        .partner_organisations(municipality)
        .await?
        .into_iter()
        .filter(|o| consented.contains(&o.id))
        .collect())
}

/// The ids of the municipality's organisations, and of those the household has a consent in
/// force to today: what a check of a referral or a meeting needs to know ([`Known`]).
pub(crate) async fn known_organisations(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
) -> UseCaseResult<(Vec<String>, Vec<String>)> {
    let all = ctx
        .store
        .partner_organisations(municipality)
        .await?
        .into_iter()
        .map(|o| o.id)
        .collect();
    Ok((all, consented(ctx, municipality, household).await?))
}

/// A household's referrals at the unit's door; the read is recorded.
pub async fn household_referrals(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<HouseholdReferrals> {
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    let referrals = ctx.store.referrals_of_household(municipality, household).await?;
    let receivers = consented_organisations(ctx, municipality, household).await?;
    ctx.audit_read(
        municipality,
        "household.referrals_view",
        ("household", household.to_string()),
        json!({ "referrals": referrals.len() }),
    )
    .await?;
    Ok(HouseholdReferrals {
        household,
        referrals,
        receivers,
        can_send: ctx.require(Action::SendReferral, municipality).is_ok(),
    })
}

/// Checks and sends a referral from `from`; returns its id.
async fn send(
    ctx: &Ctx,
    (municipality, household): (MunicipalityId, HouseholdId),
    from: Party,
    input: &ReferralInput<'_>,
    actor: &husly_store::audit::Actor,
) -> UseCaseResult<Referral> {
    let (organisations, consented) = known_organisations(ctx, municipality, household).await?;
    let known = Known {
        organisations: &organisations,
        consented: &consented,
    };
    let fields = check_referral(&from, input, known, ctx.today)?;
    let id = ctx
        .store
        .send_referral(municipality, household, &fields, &ctx.change(actor))
        .await?;
    Ok(ctx.store.referral(municipality, &id).await?)
}

/// The unit sends a referral about the household (to a partner organisation the household has
/// consented to); returns it. Bad input is refused naming each field; nothing is kept.
pub async fn send_referral(ctx: &Ctx, household: HouseholdId, input: &ReferralInput<'_>) -> UseCaseResult<Referral> {
    let municipality = ctx.household_owner(household, Action::SendReferral).await?;
    let actor = ctx.actor(municipality);
    send(ctx, (municipality, household), Party::Unit, input, &actor).await
}

/// Checks and records an answer by `by` to the household's referral `id`.
async fn answer(
    ctx: &Ctx,
    (municipality, household): (MunicipalityId, HouseholdId),
    (id, by): (&str, Party),
    (step, text): (&str, &str),
    actor: &husly_store::audit::Actor,
) -> UseCaseResult<Referral> {
    let kept = ctx.store.referral(municipality, id).await?;
    if kept.household != household {
        return Err(UseCaseError::NotFound);
    }
    let checked = check_answer(kept.state, &kept.to, &by, step, text)?;
    Ok(ctx
        .store
        .answer_referral(municipality, id, kept.state, &checked, &ctx.change(actor))
        .await?)
}

/// The unit answers a referral to it: accepts, declines with a reason, or completes it with the
/// outcome. A referral that moved on meanwhile is a conflict.
pub async fn answer_referral(
    ctx: &Ctx,
    household: HouseholdId,
    id: &str,
    (step, text): (&str, &str),
) -> UseCaseResult<Referral> {
    let municipality = ctx.household_owner(household, Action::AnswerReferral).await?;
    let actor = ctx.actor(municipality);
    answer(ctx, (municipality, household), (id, Party::Unit), (step, text), &actor).await
}

/// The partner's grant at its door for a referral action, or not found.
pub(crate) async fn partner_door(
    ctx: &Ctx,
    household: HouseholdId,
    action: Action,
) -> UseCaseResult<(MunicipalityId, PartnerGrant)> {
    let (municipality, grant) = ctx.household_access(household, action).await?;
    // The unit's own workers use the unit's door.
    Ok((municipality, grant.ok_or(UseCaseError::Forbidden)?))
}

/// A partner sends a referral about a household that has consented to its organisation (to the
/// unit, or to another organisation the household has consented to); returns it.
pub async fn partner_send_referral(
    ctx: &Ctx,
    household: HouseholdId,
    input: &ReferralInput<'_>,
) -> UseCaseResult<Referral> {
    let (municipality, grant) = partner_door(ctx, household, Action::SendReferral).await?;
    let actor = ctx.partner_actor(municipality, &grant);
    let from = Party::Organisation(grant.organisation.clone());
    send(ctx, (municipality, household), from, input, &actor).await
}

/// A partner answers a referral to its organisation, on the household's consent in force.
pub async fn partner_answer_referral(
    ctx: &Ctx,
    household: HouseholdId,
    id: &str,
    (step, text): (&str, &str),
) -> UseCaseResult<Referral> {
    let (municipality, grant) = partner_door(ctx, household, Action::AnswerReferral).await?;
    let actor = ctx.partner_actor(municipality, &grant);
    let by = Party::Organisation(grant.organisation.clone());
    answer(ctx, (municipality, household), (id, by), (step, text), &actor).await
}

/// The referrals of a household a partner sees at its door: those to or from its organisation.
pub fn partner_referrals(all: Vec<Referral>, grant: &PartnerGrant) -> Vec<Referral> {
    let own = Party::Organisation(grant.organisation.clone());
    all.into_iter().filter(|r| r.to == own || r.from == own).collect()
}

/// Where a partner may refer a household: the unit (`None` as its name), then the other
/// organisations the household has a consent in force to.
pub async fn partner_receivers(
    ctx: &Ctx,
    municipality: MunicipalityId,
    household: HouseholdId,
    grant: &PartnerGrant,
) -> UseCaseResult<Vec<(String, Option<String>)>> {
    let consented = consented(ctx, municipality, household).await?;
    let mut receivers = vec![(husly_domain::referral::UNIT.to_string(), None)];
    for o in ctx.store.partner_organisations(municipality).await? {
        if o.id != grant.organisation && consented.contains(&o.id) {
            receivers.push((o.id, Some(o.name)));
        }
    }
    Ok(receivers)
}

/// A work queue between services: the open referrals to and from a party and the open actions
/// it owns from collaboration meetings, each by due day, with how many are overdue.
#[derive(Debug, Clone, Default)]
pub struct ReferralQueue {
    pub referrals: Vec<Referral>,
    pub overdue: usize,
    pub actions: Vec<MeetingAction>,
    pub overdue_actions: usize,
}

impl ReferralQueue {
    fn of(referrals: Vec<Referral>, actions: Vec<MeetingAction>, today: time::Date) -> ReferralQueue {
        let overdue = referrals
            .iter()
            .filter(|r| is_overdue(r.state, r.due_on, today))
            .count();
        let overdue_actions = actions
            .iter()
            .filter(|a| husly_domain::meeting::is_overdue(a.state, a.due_on, today))
            .count();
        ReferralQueue {
            referrals,
            overdue,
            actions,
            overdue_actions,
        }
    }
}

/// The unit's referral queue; the read is recorded.
pub async fn unit_referral_queue(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<ReferralQueue> {
    ctx.require(Action::SendReferral, municipality)?;
    let referrals = ctx.store.open_referrals_of(municipality, &Party::Unit).await?;
    let actions = ctx.store.open_actions_of(municipality, &Party::Unit).await?;
    ctx.audit_read(
        municipality,
        "referrals.queue",
        ("municipality", municipality.to_string()),
        json!({ "referrals": referrals.len(), "actions": actions.len() }),
    )
    .await?;
    Ok(ReferralQueue::of(referrals, actions, ctx.today))
}

/// What the unit has let pass its due day: open referrals to or from it, and open actions it
/// owns from collaboration meetings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Overdue {
    pub referrals: i64,
    pub actions: i64,
}

/// How many of the unit's open referrals and meeting actions are overdue (counts, no one
/// named: not recorded).
pub async fn unit_overdue(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Overdue> {
    ctx.require(Action::SendReferral, municipality)?;
    Ok(Overdue {
        referrals: ctx
            .store
            .overdue_referrals(municipality, &Party::Unit, ctx.today)
            .await?,
        actions: ctx.store.overdue_actions(municipality, &Party::Unit, ctx.today).await?,
    })
}

/// The open referrals to and from the caller's organisation about households with a consent in
/// force to it today (without one, the partner sees nothing of the household), and the
/// organisation's id.
pub(crate) async fn partner_open_referrals(
    ctx: &Ctx,
    municipality: MunicipalityId,
) -> UseCaseResult<Option<(String, ReferralQueue)>> {
    ctx.require(Action::ViewConsentedHouseholds, municipality)?;
    let Some((organisation, _)) = ctx.store.partner_organisation_of(ctx.user.id, municipality).await? else {
        return Ok(None);
    };
    let own = Party::Organisation(organisation.clone());
    let open = ctx.store.open_referrals_of(municipality, &own).await?;
    let actions = ctx.store.open_actions_of(municipality, &own).await?;
    let mut households: Vec<HouseholdId> = open
        .iter()
        .map(|r| r.household)
        .chain(actions.iter().map(|a| a.household))
        .collect();
    households.sort_by_key(|h| h.to_string());
    households.dedup();
    // One read of the consents for all the queue's households, not one per referral.
    let consented: std::collections::HashSet<HouseholdId> = ctx
        .store
        .consents_to_organisation_of(municipality, &organisation, &households, ctx.today)
        .await?
        .into_iter()
        .filter(|c| crate::ctx::in_force(c, ctx.today))
        .map(|c| c.household)
        .collect();
    let shown = open.into_iter().filter(|r| consented.contains(&r.household)).collect();
    let actions = actions
        .into_iter()
        .filter(|a| consented.contains(&a.household))
        .collect();
    Ok(Some((organisation, ReferralQueue::of(shown, actions, ctx.today))))
}

/// The partner's referral queue; the read is recorded.
pub async fn partner_referral_queue(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<ReferralQueue> {
    let Some((organisation, queue)) = partner_open_referrals(ctx, municipality).await? else {
        return Ok(ReferralQueue::default());
    };
    ctx.audit_read(
        municipality,
        "partner.referral_queue",
        ("partner_organisation", organisation),
        json!({ "referrals": queue.referrals.len(), "actions": queue.actions.len() }),
    )
    .await?;
    Ok(queue)
}
