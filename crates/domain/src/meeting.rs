//! Collaboration meetings (*samarbeidsmøter*, or a responsibility group's meeting,
//! *ansvarsgruppemøte*) about a household: who took part, what was discussed, and the actions
//! agreed — each with its owner (the unit or a partner organisation that took part) and a due
//! day. An organisation takes part only on the household's consent in force to it (the meeting
//! shares what the household is going through); the caller says which ones have one.

use time::Date;

use crate::allocation::coded;
use crate::consent::text;
use crate::referral::{Party, UNIT};
use crate::tenancy::{coded_field, date_field};
use crate::validation::{Errors, FieldError};

/// The longest summary, in characters.
pub const MAX_SUMMARY_LEN: usize = 4_000;
/// The longest list of other participants, in characters.
pub const MAX_OTHERS_LEN: usize = 500;
/// The longest action, in characters.
pub const MAX_ACTION_LEN: usize = 1_000;
/// The longest outcome of an action, in characters.
pub const MAX_OUTCOME_LEN: usize = 2_000;
/// The most actions one meeting agrees.
pub const MAX_ACTIONS: usize = 20;
/// How far back a meeting may be recorded, in days.
pub const MAX_AGE_DAYS: i64 = 366;

coded! {
    /// What kind of meeting it was.
    MeetingKind {
        /// A collaboration meeting about the household.
        Collaboration => "collaboration",
        /// A meeting of the household's responsibility group (*ansvarsgruppe*).
        ResponsibilityGroup => "responsibility_group",
    }
}

coded! {
    /// Where an agreed action stands.
    ActionState {
        Open => "open",
        Done => "done",
    }
}

impl MeetingKind {
    pub fn key(self) -> String {
        format!("meeting.kind.{}", self.code())
    }
}

/// An action as typed: `owner` is an organisation's id or [`UNIT`]. A row left all blank is no
/// action.
#[derive(Debug, Clone, Default)]
pub struct ActionInput<'a> {
    pub description: &'a str,
    pub owner: &'a str,
    pub due_on: &'a str,
}

impl ActionInput<'_> {
    fn is_blank(&self) -> bool {
        [self.description, self.owner, self.due_on]
            .iter()
            .all(|t| t.trim().is_empty())
    }
}

/// A meeting as typed.
#[derive(Debug, Clone, Default)]
pub struct MeetingInput<'a> {
    pub kind: &'a str,
    pub held_on: &'a str,
    pub summary: &'a str,
    /// The partner organisations that took part (ids).
    pub organisations: Vec<&'a str>,
    /// Whether the household (or someone on its behalf) took part.
    pub household_present: bool,
    /// Others who took part, in words (a GP, a school, a landlord).
    pub others: &'a str,
    pub actions: Vec<ActionInput<'a>>,
}

/// An agreed action that passed [`check_meeting`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionFields {
    pub description: String,
    pub owner: Party,
    pub due_on: Date,
}

/// A meeting that passed [`check_meeting`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingFields {
    pub kind: MeetingKind,
    pub held_on: Date,
    pub summary: String,
    /// The organisations that took part, sorted, each once: those ticked, the owners of actions
    /// and the recording organisation.
    pub organisations: Vec<String>,
    pub household_present: bool,
    pub others: Option<String>,
    pub actions: Vec<ActionFields>,
}

/// What the caller knows of the organisations: the municipality's, and those the household has a
/// consent in force to today.
pub use crate::referral::Known;

/// The field of an action row, as forms and the API name it.
pub fn action_field(row: usize, field: &str) -> String {
    format!("actions[{row}].{field}")
}

/// Checks a meeting recorded by `by` (the unit or the organisation whose worker records it): a
/// kind, the day it was held (not after `today`, at most a year back), a summary, organisations
/// of the municipality with the household's consent in force, and each action with what is to
/// be done, an owner who may be given it and a due day on or after the meeting. Rows left blank
/// are skipped. Every problem at once, each named by its field.
pub fn check_meeting(
    by: &Party,
    input: &MeetingInput<'_>,
    known: Known<'_>,
    today: Date,
) -> Result<MeetingFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let kind = coded_field(
        &mut errors,
        "kind",
        input.kind,
        MeetingKind::from_code,
        &MeetingKind::codes(),
    );
    let held_on = date_field(&mut errors, "held_on", input.held_on, true);
    if let Some(day) = held_on {
        if day > today {
            errors.push(FieldError::new(
                "held_on",
                "meeting.in_future",
                "error.meeting.in_future",
            ));
        } else if (today - day).whole_days() > MAX_AGE_DAYS {
            errors.push(FieldError::new("held_on", "meeting.too_old", "error.meeting.too_old"));
        }
    }
    let summary = text(&mut errors, "summary", input.summary, MAX_SUMMARY_LEN);
    let mut organisations: Vec<String> = Vec::new();
    for id in input.organisations.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
        if let Some(problem) = organisation_problem(id, known) {
            errors.push(FieldError::new("organisations", problem.0, problem.1));
        } else {
            organisations.push(id.to_string());
        }
    }
    let others = optional(&mut errors, "others", input.others, MAX_OTHERS_LEN);
    let rows: Vec<(usize, &ActionInput<'_>)> = input
        .actions
        .iter()
        .enumerate()
        .filter(|(_, a)| !a.is_blank())
        .collect();
    if rows.len() > MAX_ACTIONS {
        errors.push(
            FieldError::new("actions", "meeting.too_many_actions", "error.meeting.too_many_actions")
                .arg("max", MAX_ACTIONS),
        );
    }
    let mut actions = Vec::new();
    for (row, action) in rows {
        if let Some(action) = check_row(&mut errors, row, action, known, held_on) {
            if let Party::Organisation(id) = &action.owner {
                organisations.push(id.clone());
            }
            actions.push(action);
        }
    }
    if let Party::Organisation(id) = by {
        organisations.push(id.clone());
    }
    organisations.sort();
    organisations.dedup();
    match (kind, held_on, summary) {
        (Some(kind), Some(held_on), Some(summary)) if errors.is_empty() => Ok(MeetingFields {
            kind,
            held_on,
            summary,
            organisations,
            household_present: input.household_present,
            others,
            actions,
        }),
        _ => Err(errors.0),
    }
}

/// Optional text of at most `max` characters (`None` when blank).
fn optional(errors: &mut Errors, field: &str, value: &str, max: usize) -> Option<String> {
    if value.trim().is_empty() {
        None
    } else {
        text(errors, field, value, max)
    }
}

/// Why an organisation may not take part or own an action, if it may not.
fn organisation_problem(id: &str, known: Known<'_>) -> Option<(&'static str, &'static str)> {
    if !known.organisations.iter().any(|o| o == id) {
        Some(("meeting.unknown_organisation", "error.meeting.unknown_organisation"))
    } else if !known.consented.iter().any(|o| o == id) {
        Some(("meeting.no_consent", "error.meeting.no_consent"))
    } else {
        None
    }
}

fn check_row(
    errors: &mut Errors,
    row: usize,
    input: &ActionInput<'_>,
    known: Known<'_>,
    held_on: Option<Date>,
) -> Option<ActionFields> {
    let description = text(
        errors,
        &action_field(row, "description"),
        input.description,
        MAX_ACTION_LEN,
    );
    let owner_field = action_field(row, "owner");
    let owner = match input.owner.trim() {
        "" => {
            errors.push(FieldError::required(&owner_field));
            None
        }
        UNIT => Some(Party::Unit),
        id => match organisation_problem(id, known) {
            Some((code, key)) => {
                errors.push(FieldError::new(&owner_field, code, key));
                None
            }
            None => Some(Party::Organisation(id.to_string())),
        },
    };
    let due_field = action_field(row, "due_on");
    let due_on = date_field(errors, &due_field, input.due_on, true);
    if let (Some(due), Some(held)) = (due_on, held_on)
        && due < held
    {
        errors.push(FieldError::new(
            &due_field,
            "meeting.due_before_meeting",
            "error.meeting.due_before_meeting",
        ));
        return None;
    }
    Some(ActionFields {
        description: description?,
        owner: owner?,
        due_on: due_on?,
    })
}

/// A change to an action that passed [`check_action_step`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionChange {
    pub state: ActionState,
    /// What came of it (marking done), if said.
    pub outcome: Option<String>,
}

/// Checks marking an action `owner` owns done (with an optional outcome) or open again, by
/// `by`: only the owner does either (`meeting.not_owner` on `state`), and only from the other
/// state (`meeting.already`).
pub fn check_action_step(
    state: ActionState,
    owner: &Party,
    by: &Party,
    to: &str,
    outcome: &str,
) -> Result<ActionChange, Vec<FieldError>> {
    let mut errors = Errors::default();
    let to = coded_field(&mut errors, "state", to, ActionState::from_code, &ActionState::codes());
    if owner != by {
        errors.push(FieldError::new("state", "meeting.not_owner", "error.meeting.not_owner"));
        return Err(errors.0);
    }
    let to = to.ok_or_else(|| errors.0.clone())?;
    if to == state {
        errors.push(FieldError::new("state", "meeting.already", "error.meeting.already"));
    }
    let outcome = match to {
        ActionState::Done => optional(&mut errors, "outcome", outcome, MAX_OUTCOME_LEN),
        ActionState::Open => None,
    };
    errors.into_result(ActionChange { state: to, outcome })
}

/// Whether an action is past its due day and not done on `today`.
pub fn is_overdue(state: ActionState, due_on: Date, today: Date) -> bool {
    state == ActionState::Open && due_on < today
}

#[cfg(test)]
mod tests;
