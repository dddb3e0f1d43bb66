//! Reminders the nightly job raised for the caller.

use super::{DateSchema, MicrosSchema};
use husly_domain::HouseholdId;
use husly_domain::reminder::{ReminderKind, ReminderState};
use husly_usecases::reminders::{MyReminders, ReminderLine};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// A reminder: what it is about, for which household, and whether it is done.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Reminder {
    pub id: String,
    pub kind: ReminderKind,
    /// The contract (tenancy), follow-up plan or case it is about.
    pub subject_id: String,
    pub household_id: HouseholdId,
    /// The household's main person.
    pub household_name: String,
    /// The day it is about: the term's last day, the review day, the day the approval lapses.
    #[schemars(with = "DateSchema")]
    pub due_on: Date,
    #[schemars(with = "DateSchema")]
    pub raised_on: Date,
    pub state: ReminderState,
    pub done_by: Option<String>,
    #[schemars(with = "Option<MicrosSchema>")]
    pub done_at: Option<i64>,
    /// The version to send back with a mark.
    pub version: i64,
}

impl Reminder {
    pub fn of(line: &ReminderLine) -> Reminder {
        let r = &line.reminder;
        Reminder {
            id: r.id.clone(),
            kind: r.kind,
            subject_id: r.subject.clone(),
            household_id: r.household,
            household_name: line.name.clone(),
            due_on: r.due_on,
            raised_on: r.raised_on,
            state: r.state,
            done_by: r.done_by_name.clone(),
            done_at: r.done_at,
            version: r.version,
        }
    }
}

/// The caller's reminders: open ones first, then those marked done in the last 30 days.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReminderList {
    /// How many are open.
    pub open: usize,
    pub reminders: Vec<Reminder>,
}

impl ReminderList {
    pub fn of(r: &MyReminders) -> ReminderList {
        ReminderList {
            open: r.open,
            reminders: r.lines.iter().map(Reminder::of).collect(),
        }
    }
}

/// Marks a reminder done, or open again.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderMarkRequest {
    pub state: ReminderState,
    /// The version the caller saw; another is a conflict (409).
    pub version: i64,
}
