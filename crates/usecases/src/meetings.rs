//! Collaboration meetings about a household: recorded at the unit's door, or at the partner's
//! on a follow-up consent in force; each agreed action marked done (or open again) by its owner.
//! An organisation takes part, and owns an action, only on the household's consent in force to
//! it. A partner sees the meetings its organisation took part in.

use husly_domain::authz::Action;
use husly_domain::meeting::{Known, MeetingInput, check_action_step, check_meeting};
use husly_domain::referral::Party;
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::meetings::{Meeting, MeetingAction};
use husly_store::partners::PartnerOrganisation;
use serde_json::json;

use crate::{Ctx, PartnerGrant, UseCaseError, UseCaseResult};

/// A household's meetings with what the form needs.
pub struct HouseholdMeetings {
    pub household: HouseholdId,
    /// The latest held first.
    pub meetings: Vec<Meeting>,
    /// The organisations the household has a consent in force to: those that may take part.
    pub organisations: Vec<PartnerOrganisation>,
    /// Whether the caller may record meetings and change the unit's actions.
    pub can_record: bool,
}

/// The household's meetings at the unit's door; the read is recorded.
pub async fn household_meetings(ctx: &Ctx, household: HouseholdId) -> UseCaseResult<HouseholdMeetings> {
    let municipality = ctx.household_owner(household, Action::ViewHousehold).await?;
    let meetings = ctx.store.meetings_of_household(municipality, household).await?;
    let organisations = crate::referrals::consented_organisations(ctx, municipality, household).await?;
    ctx.audit_read(
        municipality,
        "household.meetings_view",
        ("household", household.to_string()),
        json!({ "meetings": meetings.len() }),
    )
    .await?;
    Ok(HouseholdMeetings {
        household,
        meetings,
        organisations,
        can_record: ctx.require(Action::RecordMeeting, municipality).is_ok(),
    })
}

/// Checks and records a meeting for `by`; returns it as kept.
async fn record(
    ctx: &Ctx,
    (municipality, household): (MunicipalityId, HouseholdId),
    by: Party,
    input: &MeetingInput<'_>,
    actor: &husly_store::audit::Actor,
) -> UseCaseResult<Meeting> {
    let (organisations, consented) = crate::referrals::known_organisations(ctx, municipality, household).await?;
    let known = Known {
        organisations: &organisations,
        consented: &consented,
    };
    let fields = check_meeting(&by, input, known, ctx.today)?;
    let id = ctx
        .store
        .record_meeting((municipality, household), &by, &fields, &ctx.change(actor))
        .await?;
    ctx.store
        .meetings_of_household(municipality, household)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(UseCaseError::NotFound)
}

/// The unit records a meeting about the household, with the organisations that took part (each
/// with the household's consent in force) and the actions agreed; returns it. Bad input is
/// refused naming each field; nothing is kept.
pub async fn record_meeting(ctx: &Ctx, household: HouseholdId, input: &MeetingInput<'_>) -> UseCaseResult<Meeting> {
    let municipality = ctx.household_owner(household, Action::RecordMeeting).await?;
    let actor = ctx.actor(municipality);
    record(ctx, (municipality, household), Party::Unit, input, &actor).await
}

/// Checks and records `by`'s change to the household's action `id`.
async fn change(
    ctx: &Ctx,
    (municipality, household): (MunicipalityId, HouseholdId),
    (id, by): (&str, Party),
    (to, outcome): (&str, &str),
    actor: &husly_store::audit::Actor,
) -> UseCaseResult<MeetingAction> {
    let kept = ctx.store.meeting_action(municipality, id).await?;
    if kept.household != household {
        return Err(UseCaseError::NotFound);
    }
    let checked = check_action_step(kept.state, &kept.owner, &by, to, outcome)?;
    Ok(ctx
        .store
        .change_meeting_action(municipality, id, kept.state, &checked, &ctx.change(actor))
        .await?)
}

/// The unit marks one of its actions done (with what came of it) or open again. An action
/// changed meanwhile is a conflict.
pub async fn change_action(
    ctx: &Ctx,
    household: HouseholdId,
    id: &str,
    (to, outcome): (&str, &str),
) -> UseCaseResult<MeetingAction> {
    let municipality = ctx.household_owner(household, Action::UpdateMeetingAction).await?;
    let actor = ctx.actor(municipality);
    change(ctx, (municipality, household), (id, Party::Unit), (to, outcome), &actor).await
}

/// A partner records a meeting about a household that has a follow-up consent in force to its
/// organisation, which took part; returns it.
pub async fn partner_record_meeting(
    ctx: &Ctx,
    household: HouseholdId,
    input: &MeetingInput<'_>,
) -> UseCaseResult<Meeting> {
    let (municipality, grant) = crate::referrals::partner_door(ctx, household, Action::RecordMeeting).await?;
    let actor = ctx.partner_actor(municipality, &grant);
    let by = Party::Organisation(grant.organisation.clone());
    record(ctx, (municipality, household), by, input, &actor).await
}

/// A partner marks one of its organisation's actions done or open again, on the household's
/// consent in force.
pub async fn partner_change_action(
    ctx: &Ctx,
    household: HouseholdId,
    id: &str,
    (to, outcome): (&str, &str),
) -> UseCaseResult<MeetingAction> {
    let (municipality, grant) = crate::referrals::partner_door(ctx, household, Action::UpdateMeetingAction).await?;
    let actor = ctx.partner_actor(municipality, &grant);
    let by = Party::Organisation(grant.organisation.clone());
    change(ctx, (municipality, household), (id, by), (to, outcome), &actor).await
}

/// The meetings of a household a partner sees at its door: those its organisation took part in.
pub fn partner_meetings(all: Vec<Meeting>, grant: &PartnerGrant) -> Vec<Meeting> {
    all.into_iter().filter(|m| m.took_part(&grant.organisation)).collect()
}
