//! Cases: the work queue, a case with its decisions and letters, its documents and timeline.

use super::people::TimelineEvent;
use super::{CaseStateSchema, DateSchema, MicrosSchema};
use crate::i18n::Tr;
use husly_domain::cases::{ApplicationForm, CaseState, CaseType};
use husly_domain::eligibility::{Override, RuleOutcome, Text};
use husly_domain::finance::CaseFinance;
use husly_domain::rules::UsedValue;
use husly_domain::{CaseId, DecisionId, HouseholdId, MunicipalityId, UserId};
use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

/// A case: an application for a municipal dwelling or § 6 assistance, a startlån, a grant.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Case {
    pub id: CaseId,
    pub municipality_id: MunicipalityId,
    pub household_id: HouseholdId,
    #[schemars(example = "2026-000042")]
    pub reference: String,
    pub case_type: CaseType,
    #[schemars(with = "CaseStateSchema")]
    pub state: CaseState,
    /// Send it back with every change (optimistic versioning).
    pub version: i64,
    pub form: ApplicationForm,
    pub overrides: Vec<Override>,
    /// The day the application was received.
    #[schemars(with = "DateSchema")]
    pub received_on: Date,
    pub assigned_to: Option<UserId>,
    pub assigned_name: Option<String>,
    /// The interim answer is due (forvaltningsloven § 11 a).
    #[schemars(with = "Option<DateSchema>")]
    pub interim_due: Option<Date>,
    #[schemars(with = "Option<DateSchema>")]
    pub interim_sent_on: Option<Date>,
    /// Deadline for requested information.
    #[schemars(with = "Option<DateSchema>")]
    pub information_due: Option<Date>,
    #[schemars(with = "Option<DateSchema>")]
    pub decided_on: Option<Date>,
    /// The decision reaches the recipient.
    #[schemars(with = "Option<DateSchema>")]
    pub delivered_on: Option<Date>,
    /// Three weeks from delivery.
    #[schemars(with = "Option<DateSchema>")]
    pub appeal_deadline: Option<Date>,
    /// A place on the waiting list lasts until.
    #[schemars(with = "Option<DateSchema>")]
    pub valid_until: Option<Date>,
    #[schemars(with = "Option<DateSchema>")]
    pub renewal_reminder_on: Option<Date>,
    /// A renewal review: the day its decision should be sent by.
    #[schemars(with = "Option<DateSchema>")]
    pub decide_by: Option<Date>,
    /// The earliest open deadline.
    #[schemars(with = "Option<DateSchema>")]
    pub next_due: Option<Date>,
    /// A startlån or grant case's economy, once recorded.
    pub finance: Option<CaseFinance>,
}

impl From<&husly_domain::cases::Case> for Case {
    fn from(c: &husly_domain::cases::Case) -> Case {
        Case {
            id: c.id,
            municipality_id: c.municipality_id,
            household_id: c.household_id,
            reference: c.reference.clone(),
            case_type: c.case_type,
            state: c.state,
            version: c.version,
            form: c.form.clone(),
            overrides: c.overrides.clone(),
            received_on: c.received_on,
            assigned_to: c.assigned_to,
            assigned_name: c.assigned_name.clone(),
            interim_due: c.interim_due,
            interim_sent_on: c.interim_sent_on,
            information_due: c.information_due,
            decided_on: c.decided_on,
            delivered_on: c.delivered_on,
            appeal_deadline: c.appeal_deadline,
            valid_until: c.valid_until,
            renewal_reminder_on: c.renewal_reminder_on,
            decide_by: c.decide_by,
            next_due: c.next_due,
            finance: c.finance.clone(),
        }
    }
}

impl From<husly_domain::cases::Case> for Case {
    fn from(c: husly_domain::cases::Case) -> Case {
        Case::from(&c)
    }
}

/// A row of the work queue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseRow {
    pub id: CaseId,
    pub reference: String,
    pub case_type: CaseType,
    #[schemars(with = "CaseStateSchema")]
    pub state: CaseState,
    #[schemars(with = "DateSchema")]
    pub received_on: Date,
    /// The earliest open deadline.
    #[schemars(with = "Option<DateSchema>")]
    pub next_due: Option<Date>,
    pub assigned_name: Option<String>,
    pub applicant: String,
    /// Empty when `address_protected`: the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseQueue {
    pub cases: Vec<CaseRow>,
    /// How many cases each filter holds for the caller today (with the same case type filter).
    pub counts: QueueCounts,
    /// The caller's open tasks, the earliest due first (for caseworkers; empty for others).
    pub my_tasks: Vec<Task>,
    /// Give as `before` for the page before this one; null on the first page.
    pub previous: Option<String>,
    /// Give as `after` for the next page; null on the last page.
    pub next: Option<String>,
}

/// A task on a case.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Task {
    pub id: String,
    pub case_id: CaseId,
    pub case_reference: String,
    pub title: String,
    #[schemars(with = "DateSchema")]
    pub due_on: time::Date,
    pub assigned_to: UserId,
    pub assigned_name: String,
    /// When it was done (microseconds since the epoch); absent while open.
    #[schemars(with = "Option<MicrosSchema>")]
    pub done_at: Option<i64>,
}

/// How a municipality's open cases are shared among its caseworkers today.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Workload {
    pub caseworkers: Vec<WorkloadRow>,
}

/// One caseworker's share of the open cases; without `user_id`, the cases nobody has.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WorkloadRow {
    pub user_id: Option<UserId>,
    pub name: Option<String>,
    pub open: i64,
    pub overdue: i64,
    pub due_soon: i64,
    pub to_approve: i64,
}

impl From<&[husly_store::cases::WorkloadRow]> for Workload {
    fn from(rows: &[husly_store::cases::WorkloadRow]) -> Workload {
        Workload {
            caseworkers: rows
                .iter()
                .map(|r| WorkloadRow {
                    user_id: r.user,
                    name: r.name.clone(),
                    open: r.open,
                    overdue: r.overdue,
                    due_soon: r.due_soon,
                    to_approve: r.to_approve,
                })
                .collect(),
        }
    }
}

/// A case's tasks, open ones first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TaskList {
    pub tasks: Vec<Task>,
}

impl From<&husly_store::tasks::Task> for Task {
    fn from(t: &husly_store::tasks::Task) -> Task {
        Task {
            id: t.id.clone(),
            case_id: t.case_id,
            case_reference: t.case_reference.clone(),
            title: t.title.clone(),
            due_on: t.due_on,
            assigned_to: t.assigned_to,
            assigned_name: t.assigned_name.clone(),
            done_at: t.done_at,
        }
    }
}

impl From<&[husly_store::tasks::Task]> for TaskList {
    fn from(tasks: &[husly_store::tasks::Task]) -> TaskList {
        TaskList {
            tasks: tasks.iter().map(Task::from).collect(),
        }
    }
}

/// Cases per filter of the work queue, each counted up to 1 000 (1 000 means "1 000 or more").
#[derive(Debug, Serialize, JsonSchema)]
pub struct QueueCounts {
    pub mine: i64,
    pub unassigned: i64,
    pub due_soon: i64,
    pub overdue: i64,
    pub to_approve: i64,
    pub open: i64,
}

impl From<&husly_usecases::cases::WorkQueue> for CaseQueue {
    fn from(queue: &husly_usecases::cases::WorkQueue) -> CaseQueue {
        let counts = &queue.counts;
        CaseQueue {
            cases: queue
                .rows
                .iter()
                .map(|r| CaseRow {
                    id: r.id,
                    reference: r.reference.clone(),
                    case_type: r.case_type,
                    state: r.state,
                    received_on: r.received_on,
                    next_due: r.next_due,
                    assigned_name: r.assigned_name.clone(),
                    applicant: r.applicant.clone(),
                    address_line: r.address_line.clone(),
                    address_protected: r.address_protected,
                })
                .collect(),
            counts: QueueCounts {
                mine: counts.mine,
                unassigned: counts.unassigned,
                due_soon: counts.due_soon,
                overdue: counts.overdue,
                to_approve: counts.to_approve,
                open: counts.open,
            },
            my_tasks: queue.my_tasks.iter().map(Task::from).collect(),
            previous: queue.previous.clone(),
            next: queue.next.clone(),
        }
    }
}

/// A decision: proposed, sent back, approved by a second person, or sent.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Decision {
    pub id: DecisionId,
    #[schemars(with = "super::OutcomeSchema")]
    pub outcome: &'static str,
    pub reasons: String,
    pub granted_text: Option<String>,
    /// The assessment as proposed (an Assessment, or null).
    pub assessment: serde_json::Value,
    /// `proposed`, `sent_back`, `approved` or `sent`.
    pub status: &'static str,
    pub proposed_by: UserId,
    pub proposed_by_name: String,
    #[schemars(with = "MicrosSchema")]
    pub proposed_at: i64,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub on_appeal: bool,
    /// The loan or grant amount granted, øre.
    pub amount_ore: Option<i64>,
    /// The conditions attached to what is granted.
    pub conditions: Vec<String>,
    /// What the assessment of the household's § 6 needs found (a refused or partly granted
    /// application for a municipal dwelling).
    pub section6: Option<husly_domain::cases::section6::Section6Finding>,
    /// A renewal review's decision: `renew` with the new term's last day, or `end` with the
    /// plan for what happens next and whether the household is referred to startlån.
    pub renewal: Option<husly_domain::cases::renewal::RenewalTerms>,
}

impl From<&husly_domain::cases::Decision> for Decision {
    fn from(d: &husly_domain::cases::Decision) -> Decision {
        Decision {
            id: d.id,
            outcome: d.outcome.code(),
            reasons: d.reasons.clone(),
            granted_text: d.granted_text.clone(),
            assessment: worded(&d.assessment),
            status: d.status.code(),
            proposed_by: d.proposed_by,
            proposed_by_name: d.proposed_by_name.clone(),
            proposed_at: d.proposed_at,
            decided_by: d.decided_by,
            decided_at: d.decided_at,
            sent_at: d.sent_at,
            on_appeal: d.on_appeal,
            amount_ore: d.amount_ore,
            conditions: d.conditions.clone(),
            section6: d.section6,
            renewal: d.renewal.clone(),
        }
    }
}

/// A letter as sent, kept exactly as it went out.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Letter {
    pub id: String,
    /// `decision`, `interim_answer`, `request_for_information` or `offer` (an offer of a dwelling).
    pub kind: String,
    /// `nb`, `nn` or `en`.
    pub language: String,
    /// SHA-256 of the stored PDF, hex.
    pub sha256: String,
    #[schemars(with = "MicrosSchema")]
    pub created_at: i64,
}

impl From<&husly_store::cases::Letter> for Letter {
    fn from(l: &husly_store::cases::Letter) -> Letter {
        Letter {
            id: l.id.clone(),
            kind: l.kind.clone(),
            language: l.language.clone(),
            sha256: l.sha256.clone(),
            created_at: l.created_at,
        }
    }
}

/// The automatic eligibility assessment as the API answers it: every rule with its name, facts
/// and explanation worded in bokmål, nynorsk and English from the catalogue.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Assessment {
    pub case_type: CaseType,
    #[schemars(with = "DateSchema")]
    pub date: Date,
    pub municipality_rules: String,
    pub rule_version: String,
    pub results: Vec<RuleResult>,
    pub overall: RuleOutcome,
    /// Bedrooms the household needs by the municipality's rule.
    pub bedrooms: u32,
    pub used: Vec<UsedValue>,
    pub unverified: Vec<UsedValue>,
}

/// One rule of the assessment and what it found.
#[derive(Debug, Serialize, JsonSchema)]
pub struct RuleResult {
    /// Stable code: `age`, `without_suitable_dwelling`, `lawful_residence`, `registered_resident`, `botid`, `income_cap`,
    /// `asset_cap`, `rent_arrears`, `eviction_quarantine`, `other_instruments`, `need`, …
    pub rule: String,
    pub name: Text,
    /// The facts used, each with its label and value in the three languages.
    pub facts: Vec<Fact>,
    /// What the automatic check found.
    pub computed: RuleOutcome,
    pub explanation: Text,
    pub overridden: Option<Override>,
}

/// A fact a rule used: its label and its value, each in bokmål, nynorsk and English.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Fact {
    pub label: Text,
    pub value: Text,
}

impl From<&husly_domain::eligibility::Assessment> for Assessment {
    fn from(a: &husly_domain::eligibility::Assessment) -> Assessment {
        use husly_catalogue::translated;
        Assessment {
            case_type: a.case_type,
            date: a.date,
            municipality_rules: a.municipality_rules.clone(),
            rule_version: a.rule_version.clone(),
            results: a
                .results
                .iter()
                .map(|r| RuleResult {
                    rule: r.rule.clone(),
                    name: translated(&r.name(a.case_type)),
                    facts: r
                        .facts
                        .iter()
                        .map(|f| Fact {
                            label: translated(&f.label),
                            value: translated(&f.value),
                        })
                        .collect(),
                    computed: r.computed,
                    explanation: translated(&r.explanation),
                    overridden: r.overridden.clone(),
                })
                .collect(),
            overall: a.overall,
            bedrooms: a.bedrooms,
            used: a.used.clone(),
            unverified: a.unverified.clone(),
        }
    }
}

/// An assessment kept with a decision (with what else the decision keeps beside it), its rules
/// worded as [`Assessment`]'s; kept as it is if it does not read as one.
fn worded(kept: &serde_json::Value) -> serde_json::Value {
    let Ok(assessment) = serde_json::from_value::<husly_domain::eligibility::Assessment>(kept.clone()) else {
        return kept.clone();
    };
    let mut out = kept.clone();
    if let (Some(object), Ok(results)) = (
        out.as_object_mut(),
        serde_json::to_value(Assessment::from(&assessment).results),
    ) {
        object.insert("results".to_string(), results);
    }
    out
}

/// A case with what the case page shows beside it.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseDetail {
    pub case: Case,
    /// As of today (or the day received, if later); null when the municipality's rules cannot
    /// assess it.
    pub assessment: Option<Assessment>,
    /// What the application still lacks before it can be granted.
    pub missing: Vec<super::FieldProblem>,
    /// Newest first.
    pub decisions: Vec<Decision>,
    /// Newest first.
    pub letters: Vec<Letter>,
    /// The KOSTRA main reason: suggested from the applicant's ticks, and as classified.
    pub kostra: Kostra,
}

/// A case's KOSTRA skjema 13 main reason. `category` is the caseworker's classification (null
/// until classified); `suggested` is derived from the reasons the applicant ticked and is only
/// a suggestion.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Kostra {
    pub suggested: Option<husly_domain::kostra::KostraCategory>,
    pub category: Option<husly_domain::kostra::KostraCategory>,
    pub classified_by: Option<UserId>,
    pub classified_by_name: Option<String>,
    #[schemars(with = "Option<MicrosSchema>")]
    pub classified_at: Option<i64>,
}

impl From<&husly_usecases::kostra::KostraView> for Kostra {
    fn from(v: &husly_usecases::kostra::KostraView) -> Kostra {
        let c = v.classification.as_ref();
        Kostra {
            suggested: v.suggested,
            category: c.map(|c| c.category),
            classified_by: c.map(|c| c.classified_by),
            classified_by_name: c.map(|c| c.classified_by_name.clone()),
            classified_at: c.map(|c| c.classified_at),
        }
    }
}

impl CaseDetail {
    pub fn new(overview: &husly_usecases::cases::CaseOverview, tr: Tr) -> CaseDetail {
        CaseDetail {
            case: Case::from(&overview.file.case),
            assessment: overview.assessment.as_ref().map(Assessment::from),
            missing: overview
                .missing
                .iter()
                .map(|e| super::FieldProblem {
                    field: format!("form.{}", e.field),
                    code: e.code.to_string(),
                    message: tr.error(e),
                })
                .collect(),
            decisions: overview.decisions.iter().map(Decision::from).collect(),
            letters: overview.letters.iter().map(Letter::from).collect(),
            kostra: Kostra::from(&overview.kostra),
        }
    }
}

/// A document attached to a case (or to a draft application).
#[derive(Debug, Serialize, JsonSchema)]
pub struct Document {
    pub id: String,
    pub filename: String,
    /// `application/pdf`, `image/jpeg` or `image/png`, recognised by the content.
    pub mime: String,
    pub size: i64,
    pub sha256: String,
    #[schemars(with = "MicrosSchema")]
    pub created_at: i64,
}

impl From<&husly_store::documents::Document> for Document {
    fn from(d: &husly_store::documents::Document) -> Document {
        Document {
            id: d.id.clone(),
            filename: d.filename.clone(),
            mime: d.mime.clone(),
            size: d.size,
            sha256: d.sha256.clone(),
            created_at: d.created_at,
        }
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct DocumentList {
    pub documents: Vec<Document>,
}

impl From<&[husly_store::documents::Document]> for DocumentList {
    fn from(documents: &[husly_store::documents::Document]) -> DocumentList {
        DocumentList {
            documents: documents.iter().map(Document::from).collect(),
        }
    }
}

/// A household's or a case's events, oldest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Timeline {
    pub events: Vec<TimelineEvent>,
}

impl From<&[husly_store::households::TimelineEvent]> for Timeline {
    fn from(events: &[husly_store::households::TimelineEvent]) -> Timeline {
        Timeline {
            events: events.iter().map(TimelineEvent::from).collect(),
        }
    }
}
