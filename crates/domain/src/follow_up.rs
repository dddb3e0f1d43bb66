//! Follow-up in the home (*bo-oppfølging*): the plan a follow-up worker agrees with a household
//! (goals, the measures agreed and who does them, a partner such as NAV or a voluntary Bo-team,
//! the day it is reviewed), the contacts and home visits logged against it, and the risk signals
//! that order the follow-up worker's caseload ([`risk`]).
//!
//! Sources: boligsosialloven § 5 (the municipality's duty to give individually adapted help to
//! find and keep a dwelling; domain brief § 1.1) and Husbanken's Veiviseren on follow-up in the
//! home («Oppfølging i bolig»): agreed goals, regular contact, and acting early on signals such as
//! unpaid rent or complaints from neighbours. No law prescribes the plan's form; the fields here
//! are what the follow-up services studied keep (anchors § 3, item 6).

pub mod risk;
#[cfg(test)]
mod tests;

use time::{Date, Duration};

use crate::UserId;
use crate::allocation::coded;
use crate::validation::{Errors, FieldError, has_forbidden_control};

/// Goals and notes are free text up to this many characters (a journal note's length).
pub const MAX_NOTE_LEN: usize = 4_000;
/// A measure's text.
pub const MAX_MEASURE_LEN: usize = 500;
/// A plan is reviewed at least once a year: its review day is at most this many days ahead.
pub const MAX_REVIEW_AHEAD_DAYS: i64 = 366;
/// A contact is logged at most this long after it happened (older ones belong in the archive).
pub const MAX_LOG_BACK_DAYS: i64 = 366;

coded! {
    /// Where a plan stands.
    PlanState {
        Active => "active",
        Closed => "closed",
    }
}

coded! {
    /// The kind of partner that takes part in the follow-up. Consent-scoped access for partners
    /// comes with the partner organisations of the cross-agency work; until then the plan names
    /// the partner so the unit knows who does what.
    PartnerKind {
        Nav => "nav",
        HealthCare => "health_care",
        RefugeeService => "refugee_service",
        VoluntaryTeam => "voluntary_team",
        Other => "other",
    }
}

coded! {
    /// Where an agreed measure stands.
    MeasureStatus {
        Agreed => "agreed",
        Done => "done",
        Dropped => "dropped",
    }
}

coded! {
    /// What was logged: a contact with the household, or a complaint about the tenancy.
    EntryKind {
        HomeVisit => "home_visit",
        PhoneCall => "phone_call",
        Meeting => "meeting",
        Message => "message",
        NeighbourComplaint => "neighbour_complaint",
    }
}

coded! {
    /// Whether an appointment (a home visit or a meeting) took place.
    Outcome {
        Held => "held",
        Missed => "missed",
    }
}

coded! {
    /// Why a plan was closed.
    CloseReason {
        GoalsReached => "goals_reached",
        MovedAway => "moved_away",
        Declined => "declined",
        Transferred => "transferred",
        Other => "other",
    }
}

impl EntryKind {
    /// An appointment, which can be missed.
    pub fn is_appointment(self) -> bool {
        matches!(self, EntryKind::HomeVisit | EntryKind::Meeting)
    }

    /// A contact with the household (a complaint is about it, not with it).
    pub fn is_contact(self) -> bool {
        self != EntryKind::NeighbourComplaint
    }
}

macro_rules! keyed {
    ($($ty:ident => $prefix:literal),+ $(,)?) => {$(
        impl $ty {
            /// The catalogue key of its words.
            pub fn key(self) -> String {
                format!(concat!($prefix, ".{}"), self.code())
            }
        }
    )+};
}

keyed! {
    PlanState => "follow_up.state",
    PartnerKind => "follow_up.partner",
    MeasureStatus => "follow_up.measure_status",
    EntryKind => "follow_up.kind",
    Outcome => "follow_up.outcome",
    CloseReason => "follow_up.close_reason",
}

/// The plan as typed (dates `dd.mm.åååå` or `åååå-mm-dd`).
#[derive(Debug, Clone, Default)]
pub struct PlanInput<'a> {
    pub goals: &'a str,
    /// The responsible worker's user id.
    pub responsible: &'a str,
    pub partner_kind: &'a str,
    pub partner_name: &'a str,
    pub review_on: &'a str,
}

/// A plan that passed [`check_plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanFields {
    pub goals: String,
    pub responsible: UserId,
    pub partner_kind: Option<PartnerKind>,
    pub partner_name: Option<String>,
    pub review_on: Date,
}

fn long_text(errors: &mut Errors, field: &str, value: &str, max: usize, required: bool) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        if required {
            errors.push(FieldError::required(field));
        }
        return None;
    }
    if value.chars().count() > max {
        errors.push(FieldError::too_long(field, max));
        return None;
    }
    if has_forbidden_control(value) {
        errors.push(crate::validation::control_character(field));
        return None;
    }
    Some(value.to_string())
}

fn coded_field<T: Copy>(
    errors: &mut Errors,
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
    codes: &[&str],
) -> Option<T> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    let parsed = parse(value);
    if parsed.is_none() {
        errors.push(FieldError::unknown_value(field, value, codes));
    }
    parsed
}

/// Checks a plan: goals written; a responsible worker among `workers` (those of the
/// municipality who do follow-up); a partner named when one is chosen, and the kind chosen when
/// one is named; the review day from today to a year ahead.
pub fn check_plan(input: &PlanInput<'_>, workers: &[UserId], today: Date) -> Result<PlanFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let goals = long_text(&mut errors, "goals", input.goals, MAX_NOTE_LEN, true);
    let responsible = match input.responsible.trim() {
        "" => {
            errors.push(FieldError::required("responsible"));
            None
        }
        text => {
            let found = workers.iter().copied().find(|w| w.to_string() == text);
            if found.is_none() {
                errors.push(FieldError::new(
                    "responsible",
                    "follow_up.not_a_worker",
                    "error.follow_up.not_a_worker",
                ));
            }
            found
        }
    };
    let kinds = PartnerKind::codes();
    let partner_kind = coded_field(
        &mut errors,
        "partner_kind",
        input.partner_kind,
        PartnerKind::from_code,
        &kinds,
    );
    let partner_name = long_text(&mut errors, "partner_name", input.partner_name, 200, false);
    if input.partner_kind.trim().is_empty() && partner_name.is_some() {
        errors.push(FieldError::new(
            "partner_kind",
            "follow_up.partner_kind_missing",
            "error.follow_up.partner_kind_missing",
        ));
    }
    if partner_kind.is_some() && partner_name.is_none() && input.partner_name.trim().is_empty() {
        errors.push(FieldError::new(
            "partner_name",
            "follow_up.partner_name_missing",
            "error.follow_up.partner_name_missing",
        ));
    }
    let review_on = match input.review_on.trim() {
        "" => {
            errors.push(FieldError::required("review_on"));
            None
        }
        _ => errors.optional_date("review_on", input.review_on),
    };
    if let Some(day) = review_on {
        if day < today {
            errors.push(FieldError::new(
                "review_on",
                "follow_up.review_past",
                "error.follow_up.review_past",
            ));
        } else if day > today + Duration::days(MAX_REVIEW_AHEAD_DAYS) {
            errors.push(FieldError::new(
                "review_on",
                "follow_up.review_too_far",
                "error.follow_up.review_too_far",
            ));
        }
    }
    match (goals, responsible, review_on, errors.is_empty()) {
        (Some(goals), Some(responsible), Some(review_on), true) => Ok(PlanFields {
            goals,
            responsible,
            partner_kind,
            partner_name,
            review_on,
        }),
        _ => Err(errors.0),
    }
}

/// A measure as typed.
#[derive(Debug, Clone, Default)]
pub struct MeasureInput<'a> {
    pub text: &'a str,
    /// Who does it: the household, the follow-up worker, NAV, the Bo-team …
    pub owner: &'a str,
    pub due_on: &'a str,
}

/// A measure that passed [`check_measure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureFields {
    pub text: String,
    pub owner: String,
    pub due_on: Option<Date>,
}

/// Checks a measure: what is to be done and by whom; a due day, when given, is a date.
pub fn check_measure(input: &MeasureInput<'_>) -> Result<MeasureFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let text = long_text(&mut errors, "text", input.text, MAX_MEASURE_LEN, true);
    let owner = long_text(&mut errors, "owner", input.owner, 200, true);
    let due_on = errors.optional_date("due_on", input.due_on);
    match (text, owner, errors.is_empty()) {
        (Some(text), Some(owner), true) => Ok(MeasureFields { text, owner, due_on }),
        _ => Err(errors.0),
    }
}

/// Reads a measure's new status.
pub fn check_measure_status(value: &str) -> Result<MeasureStatus, Vec<FieldError>> {
    let mut errors = Errors::default();
    let codes = MeasureStatus::codes();
    if value.trim().is_empty() {
        errors.push(FieldError::required("status"));
    }
    let status = coded_field(&mut errors, "status", value, MeasureStatus::from_code, &codes);
    status.ok_or(errors.0)
}

/// A contact, visit or complaint as typed.
#[derive(Debug, Clone, Default)]
pub struct EntryInput<'a> {
    pub kind: &'a str,
    pub outcome: &'a str,
    pub occurred_on: &'a str,
    pub note: &'a str,
}

/// An entry that passed [`check_entry`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryFields {
    pub kind: EntryKind,
    /// Held or missed, for an appointment; `None` for the other kinds.
    pub outcome: Option<Outcome>,
    pub occurred_on: Date,
    pub note: Option<String>,
}

/// Checks a logged contact: its kind; for a home visit or meeting whether it was held or missed
/// (other kinds have no outcome); the day, today or up to a year back; a note of what happened,
/// required unless the appointment was missed.
pub fn check_entry(input: &EntryInput<'_>, today: Date) -> Result<EntryFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    if input.kind.trim().is_empty() {
        errors.push(FieldError::required("kind"));
    }
    let kinds = EntryKind::codes();
    let kind = coded_field(&mut errors, "kind", input.kind, EntryKind::from_code, &kinds);
    let outcomes = Outcome::codes();
    let outcome = coded_field(&mut errors, "outcome", input.outcome, Outcome::from_code, &outcomes);
    match kind {
        Some(k) if k.is_appointment() && outcome.is_none() && input.outcome.trim().is_empty() => {
            errors.push(FieldError::new(
                "outcome",
                "follow_up.outcome_missing",
                "error.follow_up.outcome_missing",
            ));
        }
        Some(k) if !k.is_appointment() && outcome.is_some() => {
            errors.push(FieldError::new(
                "outcome",
                "follow_up.outcome_not_appointment",
                "error.follow_up.outcome_not_appointment",
            ));
        }
        _ => {}
    }
    let occurred_on = match input.occurred_on.trim() {
        "" => {
            errors.push(FieldError::required("occurred_on"));
            None
        }
        _ => errors.optional_date("occurred_on", input.occurred_on),
    };
    if let Some(day) = occurred_on {
        if day > today {
            errors.push(FieldError::new(
                "occurred_on",
                "follow_up.in_future",
                "error.follow_up.in_future",
            ));
        } else if day < today - Duration::days(MAX_LOG_BACK_DAYS) {
            errors.push(FieldError::new(
                "occurred_on",
                "follow_up.too_old",
                "error.follow_up.too_old",
            ));
        }
    }
    let missed = outcome == Some(Outcome::Missed);
    let note = long_text(&mut errors, "note", input.note, MAX_NOTE_LEN, !missed);
    match (kind, occurred_on, errors.is_empty()) {
        (Some(kind), Some(occurred_on), true) => Ok(EntryFields {
            kind,
            outcome: if kind.is_appointment() { outcome } else { None },
            occurred_on,
            note,
        }),
        _ => Err(errors.0),
    }
}

/// Closing or reopening a plan, as typed: why (a reason code when closing) and a note.
#[derive(Debug, Clone, Default)]
pub struct CloseInput<'a> {
    pub reason: &'a str,
    pub note: &'a str,
}

/// Checks a close: the reason from the list; the note is required when the reason is "other".
pub fn check_close(input: &CloseInput<'_>) -> Result<(CloseReason, Option<String>), Vec<FieldError>> {
    let mut errors = Errors::default();
    if input.reason.trim().is_empty() {
        errors.push(FieldError::required("reason"));
    }
    let codes = CloseReason::codes();
    let reason = coded_field(&mut errors, "reason", input.reason, CloseReason::from_code, &codes);
    let note = long_text(
        &mut errors,
        "note",
        input.note,
        MAX_MEASURE_LEN,
        reason == Some(CloseReason::Other),
    );
    match (reason, errors.is_empty()) {
        (Some(reason), true) => Ok((reason, note)),
        _ => Err(errors.0),
    }
}

/// Checks a reopening: it needs its reason in words (undoing a close is itself a change someone
/// answers for).
pub fn check_reopen(reason: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Errors::default();
    let reason = long_text(&mut errors, "reason", reason, MAX_MEASURE_LEN, true);
    match (reason, errors.is_empty()) {
        (Some(reason), true) => Ok(reason),
        _ => Err(errors.0),
    }
}

/// An agreed measure as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    pub id: String,
    pub text: String,
    pub owner: String,
    pub due_on: Option<Date>,
    pub status: MeasureStatus,
}

/// A plan as kept, with its measures (oldest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: String,
    pub household: crate::HouseholdId,
    pub state: PlanState,
    pub goals: String,
    pub responsible: UserId,
    /// The responsible worker's name.
    pub responsible_name: String,
    pub partner_kind: Option<PartnerKind>,
    pub partner_name: Option<String>,
    pub review_on: Date,
    pub started_on: Date,
    pub closed_on: Option<Date>,
    pub close_reason: Option<CloseReason>,
    pub close_note: Option<String>,
    pub version: i64,
    pub measures: Vec<Measure>,
}

/// A logged contact, visit or complaint as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub kind: EntryKind,
    pub outcome: Option<Outcome>,
    pub occurred_on: Date,
    pub note: Option<String>,
    /// Who logged it (their name).
    pub recorded_by: String,
    /// The plan in force when it was logged.
    pub plan_id: Option<String>,
}

impl Entry {
    /// A contact held with the household: not a complaint, not a missed appointment.
    pub fn is_held_contact(&self) -> bool {
        self.kind.is_contact() && self.outcome != Some(Outcome::Missed)
    }
}
