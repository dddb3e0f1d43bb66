//! Referrals between the housing unit and its partner organisations.

use super::{DateSchema, MicrosSchema};
use husly_domain::HouseholdId;
use husly_domain::referral::{ReferralState, ReferralStep, is_overdue};
use husly_store::referrals::Referral as Kept;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// A party to a referral: the housing unit (`organisation_id` null) or a partner organisation.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferralParty {
    pub organisation_id: Option<String>,
    /// The organisation's name; null for the unit.
    pub organisation_name: Option<String>,
}

/// A referral.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Referral {
    pub id: String,
    pub household_id: HouseholdId,
    /// The household's main person.
    pub household_name: String,
    pub from: ReferralParty,
    pub to: ReferralParty,
    pub purpose: String,
    pub request: String,
    #[schemars(with = "DateSchema")]
    pub due_on: Date,
    pub state: ReferralState,
    /// Open (`sent` or `accepted`) after its due day.
    pub overdue: bool,
    /// The reason it was declined, or the outcome.
    pub answer: Option<String>,
    pub sent_by: String,
    #[schemars(with = "MicrosSchema")]
    pub sent_at: i64,
    pub answered_by: Option<String>,
    #[schemars(with = "Option<MicrosSchema>")]
    pub answered_at: Option<i64>,
}

impl Referral {
    pub fn of(r: &Kept, today: Date) -> Referral {
        Referral {
            id: r.id.clone(),
            household_id: r.household,
            household_name: r.household_name.clone(),
            from: ReferralParty {
                organisation_id: r.from.organisation().map(str::to_string),
                organisation_name: r.from_name.clone(),
            },
            to: ReferralParty {
                organisation_id: r.to.organisation().map(str::to_string),
                organisation_name: r.to_name.clone(),
            },
            purpose: r.purpose.clone(),
            request: r.request.clone(),
            due_on: r.due_on,
            state: r.state,
            overdue: is_overdue(r.state, r.due_on, today),
            answer: r.answer.clone(),
            sent_by: r.sent_by.clone(),
            sent_at: r.sent_at,
            answered_by: r.answered_by.clone(),
            answered_at: r.answered_at,
        }
    }

    pub fn list(referrals: &[Kept], today: Date) -> Vec<Referral> {
        referrals.iter().map(|r| Referral::of(r, today)).collect()
    }
}

/// A household's referrals, the newest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferralList {
    pub household_id: HouseholdId,
    pub referrals: Vec<Referral>,
}

/// A work queue between services: the open referrals to and from the unit (or the caller's
/// organisation), and the open actions it owns from collaboration meetings.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferralQueue {
    pub overdue: usize,
    pub referrals: Vec<Referral>,
    /// Of the actions, how many are past their due day.
    pub overdue_actions: usize,
    pub actions: Vec<super::meetings::MeetingAction>,
}

/// A referral to send.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralRequest {
    /// A partner organisation's id (`GET /partners`) the household has a consent in force to, or
    /// `unit` for the housing unit (from a partner).
    pub to: String,
    /// At most 500 characters.
    pub purpose: String,
    /// What is asked; at most 2 000 characters.
    pub request: String,
    /// `yyyy-mm-dd` or `dd.mm.yyyy`, today or later.
    pub due_on: String,
}

/// The receiver's answer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerRequest {
    pub step: ReferralStep,
    /// The reason (to decline) or the outcome (to complete); at most 2 000 characters.
    #[serde(default)]
    pub text: String,
}
