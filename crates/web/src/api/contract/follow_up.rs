//! Follow-up in the home: a household's plans, measures and log with its risk signals, the
//! requests that change them, and the caseload.

use super::DateSchema;
use husly_domain::follow_up::risk::Signal as DomainSignal;
use husly_domain::follow_up::{CloseReason, EntryKind, MeasureStatus, Outcome, PartnerKind, PlanState};
use husly_domain::{HouseholdId, UserId};
use husly_usecases::follow_up::{Caseload as CaseloadRead, CaseloadLine as Line, FollowUpFile};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// A risk signal and what it names.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Signal {
    /// `arrears`, `neighbour_complaints`, `missed_appointments`, `contract_ending`,
    /// `no_recent_contact`, `review_overdue` or `no_plan`.
    pub kind: String,
    /// Arrears in øre (`arrears`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub arrears_ore: Option<i64>,
    /// Months with rent unpaid (`arrears`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unpaid_months: Option<u32>,
    /// Complaints or missed appointments within the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u32>,
    /// The day the signal is about: the term's end, the last contact, the review day.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<DateSchema>")]
    pub date: Option<Date>,
    /// The contract has run out without being ended (`contract_ending`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expired: Option<bool>,
}

impl Signal {
    fn of(s: &DomainSignal) -> Signal {
        let mut out = Signal {
            kind: s.code().to_string(),
            arrears_ore: None,
            unpaid_months: None,
            count: None,
            date: None,
            expired: None,
        };
        match *s {
            DomainSignal::Arrears {
                arrears_ore,
                unpaid_months,
            } => {
                out.arrears_ore = Some(arrears_ore);
                out.unpaid_months = Some(unpaid_months);
            }
            DomainSignal::NeighbourComplaints { count } | DomainSignal::MissedAppointments { count } => {
                out.count = Some(count)
            }
            DomainSignal::ContractEnding { term_end, expired } => {
                out.date = Some(term_end);
                out.expired = Some(expired);
            }
            DomainSignal::NoRecentContact { since } => out.date = since,
            DomainSignal::ReviewOverdue { review_on } => out.date = Some(review_on),
            DomainSignal::NoPlan => {}
        }
        out
    }
}

/// An agreed measure.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Measure {
    pub id: String,
    pub text: String,
    pub owner: String,
    #[schemars(with = "Option<DateSchema>")]
    pub due_on: Option<Date>,
    pub status: MeasureStatus,
}

/// A follow-up plan with its measures.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Plan {
    pub id: String,
    pub state: PlanState,
    pub goals: String,
    pub responsible: UserId,
    pub responsible_name: String,
    pub partner_kind: Option<PartnerKind>,
    pub partner_name: Option<String>,
    #[schemars(with = "DateSchema")]
    pub review_on: Date,
    #[schemars(with = "DateSchema")]
    pub started_on: Date,
    #[schemars(with = "Option<DateSchema>")]
    pub closed_on: Option<Date>,
    pub close_reason: Option<CloseReason>,
    pub close_note: Option<String>,
    /// Send it back with a change (optimistic versioning).
    pub version: i64,
    pub measures: Vec<Measure>,
}

/// A logged contact, visit or complaint.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Entry {
    pub id: String,
    pub kind: EntryKind,
    /// Held or missed, for a home visit or meeting.
    pub outcome: Option<Outcome>,
    #[schemars(with = "DateSchema")]
    pub occurred_on: Date,
    pub note: Option<String>,
    pub recorded_by: String,
    pub plan_id: Option<String>,
}

/// A household's follow-up: plans (the active one first), log (newest first) and risk today.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FollowUp {
    pub household_id: HouseholdId,
    pub plans: Vec<Plan>,
    pub entries: Vec<Entry>,
    pub signals: Vec<Signal>,
    /// The signals' weights summed (the municipality's settings).
    pub risk_score: u32,
}

impl Plan {
    pub fn of(p: &husly_domain::follow_up::Plan) -> Plan {
        Plan {
            id: p.id.clone(),
            state: p.state,
            goals: p.goals.clone(),
            responsible: p.responsible,
            responsible_name: p.responsible_name.clone(),
            partner_kind: p.partner_kind,
            partner_name: p.partner_name.clone(),
            review_on: p.review_on,
            started_on: p.started_on,
            closed_on: p.closed_on,
            close_reason: p.close_reason,
            close_note: p.close_note.clone(),
            version: p.version,
            measures: p
                .measures
                .iter()
                .map(|m| Measure {
                    id: m.id.clone(),
                    text: m.text.clone(),
                    owner: m.owner.clone(),
                    due_on: m.due_on,
                    status: m.status,
                })
                .collect(),
        }
    }
}

impl Entry {
    pub fn of(e: &husly_domain::follow_up::Entry) -> Entry {
        Entry {
            id: e.id.clone(),
            kind: e.kind,
            outcome: e.outcome,
            occurred_on: e.occurred_on,
            note: e.note.clone(),
            recorded_by: e.recorded_by.clone(),
            plan_id: e.plan_id.clone(),
        }
    }
}

impl FollowUp {
    pub fn of(f: &FollowUpFile) -> FollowUp {
        FollowUp {
            household_id: f.household,
            plans: f.plans.iter().map(Plan::of).collect(),
            entries: f.entries.iter().map(Entry::of).collect(),
            signals: f.risk.signals.iter().map(Signal::of).collect(),
            risk_score: f.risk.score,
        }
    }
}

/// A plan to start, or the plan's new fields.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    /// The version read, when changing a plan; left out when starting one.
    #[serde(default)]
    pub version: Option<i64>,
    #[schemars(length(min = 1, max = 4000))]
    pub goals: String,
    /// A caseworker or follow-up worker of the municipality.
    pub responsible: UserId,
    #[serde(default)]
    pub partner_kind: Option<PartnerKind>,
    /// Required with `partner_kind`.
    #[serde(default)]
    pub partner_name: Option<String>,
    /// yyyy-mm-dd (or dd.mm.yyyy); today to a year ahead.
    #[schemars(example = "2027-03-01")]
    pub review_on: String,
}

/// Closing a plan (the follow-up ends).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    pub version: i64,
    pub reason: CloseReason,
    /// Required when the reason is `other`.
    #[serde(default)]
    pub note: Option<String>,
}

/// Reopening a closed plan, with why.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReopenRequest {
    pub version: i64,
    #[schemars(length(min = 1, max = 500))]
    pub reason: String,
}

/// A measure to agree.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureRequest {
    /// The plan's version.
    pub version: i64,
    #[schemars(length(min = 1, max = 500))]
    pub text: String,
    #[schemars(length(min = 1, max = 200))]
    pub owner: String,
    #[serde(default)]
    pub due_on: Option<String>,
}

/// A measure's new status.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MeasureStatusRequest {
    /// The plan's version.
    pub version: i64,
    pub status: MeasureStatus,
}

/// A contact, visit or complaint to log.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryRequest {
    pub kind: EntryKind,
    /// Required for `home_visit` and `meeting`, not allowed for the others.
    #[serde(default)]
    pub outcome: Option<Outcome>,
    /// yyyy-mm-dd (or dd.mm.yyyy); today or up to a year back.
    #[schemars(example = "2026-12-03")]
    pub occurred_on: String,
    /// What happened; required unless the appointment was missed.
    #[serde(default)]
    pub note: Option<String>,
}

/// `scope`: `mine` (the default: the caller's plans) or `all`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CaseloadParams {
    #[serde(default)]
    pub municipality: Option<String>,
    #[serde(default)]
    pub scope: Option<CaseloadScope>,
    /// Where the page of 50 starts in the caseload's order; 0 when left out.
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub offset: Option<u32>,
}

#[derive(Debug, Clone, Copy, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseloadScope {
    Mine,
    All,
}

/// A household on the caseload.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseloadLine {
    pub household_id: HouseholdId,
    pub name: String,
    /// Empty when `address_protected`: the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub plan_id: Option<String>,
    pub responsible: Option<UserId>,
    pub responsible_name: Option<String>,
    pub signals: Vec<Signal>,
    pub risk_score: u32,
    #[schemars(with = "Option<DateSchema>")]
    pub last_contact: Option<Date>,
}

/// The caseload, the highest risk first, with the settings it used.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Caseload {
    /// A page of at most 50 households, `offset` on in the order.
    pub households: Vec<CaseloadLine>,
    /// How many households the caseload holds in all.
    pub total: u64,
    pub offset: u64,
    /// The rule file's period in force (`rules/follow_up.toml`): its first month and source.
    pub settings_from: String,
    pub settings_source: String,
    /// Whether the municipality has confirmed the settings (false: Husly's proposal).
    pub settings_verified: bool,
}

impl Caseload {
    pub fn of(c: &CaseloadRead) -> Caseload {
        Caseload {
            households: c
                .lines
                .iter()
                .map(|l: &Line| CaseloadLine {
                    household_id: l.household,
                    name: l.name.clone(),
                    address_line: l.address_line.clone(),
                    address_protected: l.address_protected,
                    plan_id: l.plan.as_ref().map(|p| p.0.clone()),
                    responsible: l.plan.as_ref().map(|p| p.1),
                    responsible_name: l.plan.as_ref().map(|p| p.2.clone()),
                    signals: l.risk.signals.iter().map(Signal::of).collect(),
                    risk_score: l.risk.score,
                    last_contact: l.last_contact,
                })
                .collect(),
            total: c.total as u64,
            offset: c.offset as u64,
            settings_from: c.settings.period.meta.from.to_string(),
            settings_source: c.settings.period.meta.source.clone(),
            settings_verified: c.settings.period.meta.verified,
        }
    }
}
