//! Collaboration meetings about a household and the actions agreed in them.

use super::referrals::ReferralParty;
use super::{DateSchema, MicrosSchema};
use husly_domain::HouseholdId;
use husly_domain::meeting::{ActionState, MeetingKind, is_overdue};
use husly_store::meetings::{Meeting as KeptMeeting, MeetingAction as KeptAction};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// An action agreed in a meeting.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingAction {
    pub id: String,
    pub meeting_id: String,
    pub household_id: HouseholdId,
    /// The household's main person.
    pub household_name: String,
    /// The day of the meeting that agreed it.
    #[schemars(with = "DateSchema")]
    pub held_on: Date,
    pub description: String,
    /// Who does it: the housing unit (`organisation_id` null) or an organisation that took part.
    pub owner: ReferralParty,
    #[schemars(with = "DateSchema")]
    pub due_on: Date,
    pub state: ActionState,
    /// Open after its due day.
    pub overdue: bool,
    /// What came of it, when marked done.
    pub outcome: Option<String>,
    pub done_by: Option<String>,
    #[schemars(with = "Option<MicrosSchema>")]
    pub done_at: Option<i64>,
}

impl MeetingAction {
    pub fn of(a: &KeptAction, today: Date) -> MeetingAction {
        MeetingAction {
            id: a.id.clone(),
            meeting_id: a.meeting.clone(),
            household_id: a.household,
            household_name: a.household_name.clone(),
            held_on: a.held_on,
            description: a.description.clone(),
            owner: ReferralParty {
                organisation_id: a.owner.organisation().map(str::to_string),
                organisation_name: a.owner_name.clone(),
            },
            due_on: a.due_on,
            state: a.state,
            overdue: is_overdue(a.state, a.due_on, today),
            outcome: a.outcome.clone(),
            done_by: a.done_by.clone(),
            done_at: a.done_at,
        }
    }

    pub fn list(actions: &[KeptAction], today: Date) -> Vec<MeetingAction> {
        actions.iter().map(|a| MeetingAction::of(a, today)).collect()
    }
}

/// An organisation that took part in a meeting.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Participant {
    pub organisation_id: String,
    pub organisation_name: String,
}

/// A collaboration meeting.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Meeting {
    pub id: String,
    pub household_id: HouseholdId,
    pub kind: MeetingKind,
    #[schemars(with = "DateSchema")]
    pub held_on: Date,
    pub summary: String,
    /// Whether the household (or someone on its behalf) took part.
    pub household_present: bool,
    /// The partner organisations that took part; the housing unit takes part in the meetings it
    /// records (`recorded_for` null).
    pub organisations: Vec<Participant>,
    /// Others who took part, in words.
    pub others: Option<String>,
    /// The actions agreed, in order.
    pub actions: Vec<MeetingAction>,
    pub recorded_by: String,
    /// Whose worker recorded it: the unit (`organisation_id` null) or an organisation.
    pub recorded_for: ReferralParty,
    #[schemars(with = "MicrosSchema")]
    pub recorded_at: i64,
}

impl Meeting {
    pub fn of(m: &KeptMeeting, today: Date) -> Meeting {
        let name = |id: &str| {
            m.organisations
                .iter()
                .find(|(o, _)| o == id)
                .map(|(_, name)| name.clone())
        };
        Meeting {
            id: m.id.clone(),
            household_id: m.household,
            kind: m.kind,
            held_on: m.held_on,
            summary: m.summary.clone(),
            household_present: m.household_present,
            organisations: m
                .organisations
                .iter()
                .map(|(id, name)| Participant {
                    organisation_id: id.clone(),
                    organisation_name: name.clone(),
                })
                .collect(),
            others: m.others.clone(),
            actions: MeetingAction::list(&m.actions, today),
            recorded_by: m.recorded_by.clone(),
            recorded_for: ReferralParty {
                organisation_id: m.recorded_for.organisation().map(str::to_string),
                organisation_name: m.recorded_for.organisation().and_then(name),
            },
            recorded_at: m.recorded_at,
        }
    }
}

/// A household's meetings, the latest held first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct MeetingList {
    pub household_id: HouseholdId,
    pub meetings: Vec<Meeting>,
}

/// An action to agree.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionRequest {
    /// What is to be done; at most 1 000 characters.
    pub description: String,
    /// A partner organisation's id the household has a consent in force to (it then takes part
    /// in the meeting), or `unit` for the housing unit.
    pub owner: String,
    /// `yyyy-mm-dd` or `dd.mm.yyyy`, on or after the meeting.
    pub due_on: String,
}

/// A meeting to record.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeetingRequest {
    pub kind: MeetingKind,
    /// `yyyy-mm-dd` or `dd.mm.yyyy`: today or up to a year back.
    pub held_on: String,
    /// What was discussed; at most 4 000 characters.
    pub summary: String,
    /// The partner organisations that took part (ids from `GET /partners`), each with the
    /// household's consent in force.
    #[serde(default)]
    pub organisations: Vec<String>,
    #[serde(default)]
    pub household_present: bool,
    /// Others who took part, in words; at most 500 characters.
    #[serde(default)]
    pub others: String,
    /// At most 20.
    #[serde(default)]
    pub actions: Vec<ActionRequest>,
}

/// An action marked done or open again by its owner.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionChangeRequest {
    pub state: ActionState,
    /// What came of it (when marked done); at most 2 000 characters.
    #[serde(default)]
    pub outcome: String,
}
