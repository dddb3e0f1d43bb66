//! The bostøtte outreach list with the contacts made from it, a household's contact, and the
//! request that records one.

use std::collections::HashMap;

use super::{DateSchema, MicrosSchema};
use husly_domain::HouseholdId;
use husly_domain::bostotte::OutreachList;
use husly_domain::bostotte::contact::{ContactChannel, ContactOutcome};
use husly_domain::rules::YearMonth;
use husly_store::outreach_contacts::OutreachContact as Kept;
use husly_store::outreach_lists::KeptOutreachList;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// The list of a month, and who on it has been contacted.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Outreach {
    #[serde(flatten)]
    pub list: OutreachList,
    /// When the list was made (microseconds since the epoch, UTC): each night for this month,
    /// or when a user made it again (`POST /outreach/bostotte/make`). A household with
    /// bostøtte registered since is left out; other changes count from the next making.
    #[schemars(with = "MicrosSchema")]
    pub made_at: i64,
    /// Who made it; absent when the nightly job did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub made_by: Option<String>,
    /// The contacts recorded from this month's list (households on it or, since the list is
    /// made again, households that were on it when contacted). No notes: a household's own
    /// contact holds it.
    pub contacts: Vec<ContactSummary>,
}

impl Outreach {
    pub fn from_parts(kept: KeptOutreachList, contacts: HashMap<HouseholdId, Kept>) -> Outreach {
        let mut contacts: Vec<ContactSummary> = contacts.into_values().map(|c| ContactSummary::from(&c)).collect();
        contacts.sort_by(|a, b| (a.contacted_on, &a.id).cmp(&(b.contacted_on, &b.id)));
        Outreach {
            list: kept.list,
            made_at: kept.made_at,
            made_by: kept.made_by,
            contacts,
        }
    }
}

/// A month's list as just made again: its figures, not its households (`GET
/// /outreach/bostotte` reads them).
#[derive(Debug, Serialize, JsonSchema)]
pub struct OutreachMade {
    pub month: YearMonth,
    #[schemars(with = "MicrosSchema")]
    pub made_at: i64,
    /// Tenancies looked at (in force that month, without bostøtte).
    pub examined: u64,
    /// Households on the list.
    pub households: u64,
    pub total_monthly_kr: i64,
}

impl From<KeptOutreachList> for OutreachMade {
    fn from(kept: KeptOutreachList) -> OutreachMade {
        OutreachMade {
            month: kept.list.month,
            made_at: kept.made_at,
            examined: kept.list.examined,
            households: kept.households,
            total_monthly_kr: kept.list.total_monthly_kr,
        }
    }
}

/// A contact recorded, without its note.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ContactSummary {
    pub id: String,
    pub household_id: HouseholdId,
    #[schemars(with = "DateSchema")]
    pub contacted_on: Date,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    /// The household got the message (every outcome but `not_reached`): what the action plan
    /// counts.
    pub reached: bool,
    /// Who recorded it.
    pub recorded_by: String,
}

impl From<&Kept> for ContactSummary {
    fn from(c: &Kept) -> ContactSummary {
        ContactSummary {
            id: c.id.clone(),
            household_id: c.household,
            contacted_on: c.fields.contacted_on,
            channel: c.fields.channel,
            outcome: c.fields.outcome,
            reached: c.fields.outcome.reached(),
            recorded_by: c.recorded_by.clone(),
        }
    }
}

/// A household's contact from the list of a month.
#[derive(Debug, Serialize, JsonSchema)]
pub struct HouseholdContact {
    pub household_id: HouseholdId,
    /// Empty when `address_protected`: the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub month: YearMonth,
    /// `null` when none is recorded for the month.
    pub contact: Option<ContactSummary>,
    /// The worker's note, when one was written.
    pub note: Option<String>,
}

impl HouseholdContact {
    pub fn from_parts(
        household: HouseholdId,
        (address, month, contact): (husly_store::search::HouseholdRef, YearMonth, Option<Kept>),
    ) -> Self {
        HouseholdContact {
            household_id: household,
            address_line: address.address_line,
            address_protected: address.address_protected,
            month,
            note: contact.as_ref().and_then(|c| c.fields.note.clone()),
            contact: contact.as_ref().map(ContactSummary::from),
        }
    }
}

/// A contact to record: replaces one recorded for the household from the same month's list.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRequest {
    /// The month of the list (yyyy-mm); the current month when left out.
    #[serde(default)]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    pub month: Option<String>,
    /// yyyy-mm-dd (or dd.mm.yyyy); today or up to 93 days back.
    #[schemars(example = "2026-12-03")]
    pub contacted_on: String,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    /// At most 1000 characters; only what the follow-up needs.
    #[serde(default)]
    pub note: Option<String>,
}

/// `month`: the list's month (yyyy-mm); the current month when left out.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct MonthParam {
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    pub month: Option<String>,
}
