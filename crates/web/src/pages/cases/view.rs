//! The work queue and the case page with every action the case's state allows.

use super::form::FormValues;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::layout::{Layout, Section};
use crate::pages::{path_id, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::CaseId;
use husly_domain::authz::Action;
use husly_domain::cases::deadlines::{Urgency, urgency};
use husly_domain::cases::renewal::RenewalTerms;
use husly_domain::cases::{CaseState, CaseType, DecisionStatus, Outcome};
use husly_domain::eligibility::{Assessment, RuleOutcome};
use husly_domain::finance::CaseFinance;
use husly_domain::message::{Message, shorten};
use husly_domain::startlan::AffordabilityResult;
use husly_domain::validation::{FieldError, format_date};
use husly_store::cases::{Case, Decision, Letter, QUEUE_COUNT_CAP, QueueCounts, QueueRow, QueueSort};
use husly_store::households::{Household, TimelineEvent};
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, CaseFile, QueuePlace};
use serde::Deserialize;

const QUEUE_PAGE: i64 = 50;

/// Each queue filter's code (those of [`QueueFilter::CODES`]) and its label.
const QUEUE_FILTERS: [(&str, &str); 6] = [
    ("mine", "queue.mine"),
    ("unassigned", "queue.unassigned"),
    ("due_soon", "queue.due_soon"),
    ("overdue", "queue.overdue"),
    ("to_approve", "queue.to_approve"),
    ("open", "queue.open"),
];

// ------------------------------------------------------------------------------------------
// The work queue

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    filter: Option<String>,
    /// A case type's code; all types when absent or empty.
    case_type: Option<String>,
    /// A sort order's code; the earliest deadline first when absent.
    sort: Option<String>,
    /// The page's number, as shown; without a place, the page this many pages from the start.
    page: Option<i64>,
    /// The next page: the place of the last case on the page before it.
    after: Option<String>,
    /// The page before: the place of the first case on the page after it.
    before: Option<String>,
}

#[derive(Template)]
#[template(path = "cases_queue.html")]
struct QueuePage {
    l: Layout,
    filter: String,
    /// The case type shown ("" for all).
    case_type: String,
    /// The order's code (`deadline` by default).
    sort: String,
    /// The reader's open tasks (for caseworkers), the earliest due first.
    my_tasks: Vec<husly_store::tasks::Task>,
    /// The unit's open referrals past their due day (for those who work with referrals).
    /// The unit's overdue referrals and meeting actions, for those who work with them.
    overdue: Option<husly_usecases::referrals::Overdue>,
    counts: QueueCounts,
    rows: Vec<QueueRow>,
    /// The page's number (1 for the first).
    page: i64,
    /// Where the page before ends and the next starts (`None` on the first and on the last).
    previous: Option<String>,
    next: Option<String>,
    today: time::Date,
}

impl QueuePage {
    fn filters(&self) -> [(&'static str, &'static str); 6] {
        QUEUE_FILTERS
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn overdue(&self, d: &time::Date) -> bool {
        urgency(*d, self.today) == Urgency::Overdue
    }

    fn due_soon(&self, d: &time::Date) -> bool {
        urgency(*d, self.today) == Urgency::DueSoon
    }

    fn task_overdue(&self, d: &time::Date) -> bool {
        *d < self.today
    }

    fn state_key(&self, s: &CaseState) -> String {
        format!("case_state.{}", s.code())
    }

    fn type_key(&self, t: &CaseType) -> String {
        format!("case_type.{}", t.code())
    }

    /// A filter's count as shown: "1000+" where counting stopped.
    fn count(&self, code: &str) -> String {
        match self.counts.of(code) {
            n if n >= QUEUE_COUNT_CAP => format!("{QUEUE_COUNT_CAP}+"),
            n => n.to_string(),
        }
    }

    /// The case types to choose from: (code, catalogue key, chosen).
    fn case_types(&self) -> Vec<(&'static str, String, bool)> {
        CaseType::ALL
            .iter()
            .map(|t| (t.code(), self.type_key(t), self.case_type == t.code()))
            .collect()
    }

    /// The orders to choose from: (code, catalogue key, chosen).
    fn sorts(&self) -> Vec<(&'static str, String, bool)> {
        QueueSort::CODES
            .iter()
            .map(|code| (*code, format!("queue.sort.{code}"), self.sort == *code))
            .collect()
    }

    /// `aria-sort` for a column the queue is sorted by.
    fn aria_sort(&self, column: &str) -> &'static str {
        match (column, self.sort.as_str()) {
            ("next_due", "deadline") | ("received", "oldest") | ("reference", "reference") => {
                " aria-sort=\"ascending\""
            }
            ("received", "newest") => " aria-sort=\"descending\"",
            _ => "",
        }
    }

    /// The queue's address with a filter and page, keeping the case type and the order.
    fn href(&self, filter: &str, page: i64) -> String {
        let mut href = format!("/cases?filter={filter}");
        if !self.case_type.is_empty() {
            href.push_str(&format!("&case_type={}", self.case_type));
        }
        if self.sort != QueueSort::default().code() {
            href.push_str(&format!("&sort={}", self.sort));
        }
        if page > 1 {
            href.push_str(&format!("&page={page}"));
        }
        href
    }

    /// "Side 3": the page's number, between the links to the pages before and after it.
    fn page_label(&self) -> String {
        self.l.tr.f("queue.page", &[("page", &self.page.to_string())])
    }

    /// The address of the page next to this one: `after` or `before` a place, numbered `page`.
    fn place_href(&self, side: &str, place: &str, page: i64) -> String {
        let place = percent_encoding::utf8_percent_encode(place, PLACE_ESCAPED);
        format!("{}&{side}={place}", self.href(&self.filter, page))
    }
}

pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<QueueQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewCase)?.id;
    let filter = query.filter.unwrap_or_else(|| "mine".into());
    let case_type = query.case_type.unwrap_or_default().trim().to_string();
    let sort = match query.sort.as_deref().map(str::trim) {
        None | Some("") => QueueSort::default().code().to_string(),
        Some(code) => code.to_string(),
    };
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let place = match (nonempty(query.after.as_deref()), nonempty(query.before.as_deref())) {
        (None, None) => QueuePlace::Offset((page - 1) * QUEUE_PAGE),
        (Some(after), None) => QueuePlace::After(after),
        (None, Some(before)) => QueuePlace::Before(before),
        (Some(_), Some(_)) => return Err(AppError::BadRequest(Message::new("error.queue.place"))),
    };
    let ctx = user.ctx(&state);
    let of_type = (!case_type.is_empty()).then_some(case_type.as_str());
    let unknown = |e: UseCaseError| match e {
        UseCaseError::Invalid(errors) if errors.iter().any(|e| e.field == "case_type") => {
            AppError::BadRequest(Message::new("error.queue.case_type").arg("case_type", shorten(&case_type)))
        }
        UseCaseError::Invalid(errors) if errors.iter().any(|e| e.field == "sort") => {
            AppError::BadRequest(Message::new("error.queue.sort").arg("sort", shorten(&sort)))
        }
        UseCaseError::Invalid(errors) if errors.iter().any(|e| e.field == "after" || e.field == "before") => {
            AppError::BadRequest(Message::new("error.queue.place"))
        }
        UseCaseError::Invalid(_) => {
            AppError::BadRequest(Message::new("error.queue.filter").arg("filter", shorten(&filter)))
        }
        other => other.into(),
    };
    let usecases::WorkQueue {
        rows,
        counts,
        my_tasks,
        previous,
        next,
    } = usecases::work_queue(&ctx, municipality, &filter, of_type, Some(&sort), QUEUE_PAGE, place)
        .await
        .map_err(unknown)?;
    // A page with none before it is the first, whatever number its link gave it.
    let page = if previous.is_none() { 1 } else { page.max(2) };
    let overdue = match husly_usecases::referrals::unit_overdue(&ctx, municipality).await {
        Ok(count) => Some(count),
        Err(UseCaseError::Forbidden) => None,
        Err(other) => return Err(other.into()),
    };
    render(&QueuePage {
        overdue,
        l: Layout::for_user(&user, Section::Cases, state.config.demo_mode),
        filter,
        case_type,
        sort,
        my_tasks,
        counts,
        rows,
        page,
        previous,
        next,
        today: ctx.today,
    })
}

/// What a place is escaped of in a link: all but letters, digits and `-._~`, which a URL's query
/// holds as they are (a place is a date or case reference, `_`, and a UUID).
const PLACE_ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// A query parameter's text, trimmed; `None` when it is absent or blank.
fn nonempty(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

#[derive(Template)]
#[template(path = "cases_workload.html")]
struct WorkloadPage {
    l: Layout,
    rows: Vec<husly_store::cases::WorkloadRow>,
}

/// How the open cases are shared among the caseworkers: for a team lead sharing out the work.
pub async fn workload(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewCase)?.id;
    let rows = usecases::workload(&user.ctx(&state), municipality).await?;
    render(&WorkloadPage {
        l: Layout::for_user(&user, Section::Cases, state.config.demo_mode),
        rows,
    })
}

// ------------------------------------------------------------------------------------------
// The case page

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub l: Layout,
    pub kostra: super::kostra::KostraSection,
    pub tasks: crate::pages::tasks::TasksSection,
    pub notes: crate::pages::notes::NotesSection,
    /// What the applicant wrote from the status page, oldest first.
    pub applicant_messages: Vec<husly_store::applicant_messages::ApplicantMessage>,
    pub case: Case,
    pub household: Household,
    /// Whom the case's letters go to when the party has a representative, in the reader's words.
    pub letters_to: Option<String>,
    pub assessment: Option<Assessment>,
    pub missing: Vec<(String, String)>,
    pub decisions: Vec<Decision>,
    pub letters: Vec<Letter>,
    pub flags: Vec<husly_store::cases::Flag>,
    pub documents: Vec<husly_store::documents::Document>,
    pub max_document_mb: usize,
    pub timeline: Vec<TimelineEvent>,
    pub v: FormValues,
    pub errors: FormErrors,
    pub conflict: bool,
    pub can_handle: bool,
    pub can_approve: bool,
    pub own_proposal: bool,
    pub today: time::Date,
    pub user_id: husly_domain::UserId,
    pub members: Vec<String>,
    /// Startlån cases: the affordability form and its result.
    pub startlan: crate::pages::startlan_form::StartlanFields,
    pub affordability: Option<AffordabilityResult>,
    /// Startlån and grant cases: the rest of the economy, the ledger and the budget.
    pub finance: super::finance::FinanceSection,
    /// A renewal review: the contract it is about, and the new term's suggested last day.
    pub reviewed_contract: Option<husly_store::renewals::ReviewedContract>,
    pub suggested_until: Option<time::Date>,
}

impl CasePage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn kr(&self, kr: &i64) -> String {
        husly_domain::validation::format_kr(*kr)
    }

    fn ore(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }

    fn is_finance(&self) -> bool {
        self.case.case_type.is_finance()
    }

    fn is_renewal(&self) -> bool {
        self.case.case_type == husly_domain::cases::CaseType::TenancyRenewal
    }

    /// The establishment grant a startlån case needs beside the loan, øre.
    fn grant_needed(&self) -> Option<i64> {
        match self.case.establishment_grant_needed(self.affordability.as_ref()?)? {
            CaseFinance::Grant(g) => Some(g.applied_kr * 100),
            CaseFinance::Startlan(_) => None,
        }
    }

    /// What a proposal of a loan or grant starts from: the amount applied for.
    fn suggested_amount(&self) -> String {
        self.case
            .finance
            .as_ref()
            .map(|f| (f.applied_ore() / 100).to_string())
            .unwrap_or_default()
    }

    /// The conditions a loan usually carries, for the caseworker to edit.
    fn suggested_conditions(&self) -> String {
        match &self.case.finance {
            Some(CaseFinance::Startlan(s)) => {
                let mut lines = vec![self.l.t("finance.condition.mortgage").to_string()];
                if s.affordability.loans.startlan.extended_term_conditions.is_some() {
                    lines.push(self.l.t("finance.condition.extended_term").to_string());
                }
                lines.join("\n")
            }
            Some(CaseFinance::Grant(_)) => self.l.t("finance.condition.grant").to_string(),
            None => String::new(),
        }
    }

    fn entry_key(&self, kind: &husly_domain::finance::EntryKind) -> String {
        format!("finance.entry.{}", kind.code())
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn state_key(&self) -> String {
        format!("case_state.{}", self.case.state.code())
    }

    fn type_key(&self) -> String {
        format!("case_type.{}", self.case.case_type.code())
    }

    fn outcome_key(&self, o: &RuleOutcome) -> String {
        format!("rule_outcome.{}", o.code())
    }

    fn document_hint(&self) -> String {
        self.l
            .tr
            .f("documents.hint", &[("mb", &self.max_document_mb.to_string())])
    }

    fn result_key(&self, r: &husly_domain::eligibility::RuleResult) -> String {
        use husly_domain::eligibility::RuleOutcome;
        // The children's best interests are weighed, not met or failed.
        match r.outcome() {
            RuleOutcome::Met | RuleOutcome::NotMet if r.is_weighed() => "rule_outcome.assessed".into(),
            outcome => format!("rule_outcome.{}", outcome.code()),
        }
    }

    /// The codes of what the assessment of § 6 needs can find, in the order the form offers them.
    fn section6_findings(&self) -> [&'static str; 4] {
        husly_domain::cases::section6::Section6Finding::ALL.map(|f| f.code())
    }

    fn decision_key(&self, o: &Outcome) -> String {
        format!("decision_outcome.{}", o.code())
    }

    fn event_title(&self, kind: &str) -> String {
        let key = format!("event.{kind}");
        let text = self.l.tr.t(&key);
        if text == key {
            kind.to_string()
        } else {
            text.to_string()
        }
    }

    /// A text of the assessment (its explanation, a fact) in the page's language.
    fn in_lang(&self, text: &husly_domain::eligibility::Wording) -> String {
        self.l.tr.wording(text)
    }

    fn rule_name(&self, r: &husly_domain::eligibility::RuleResult) -> String {
        let case_type = self.assessment.as_ref().map_or(self.case.case_type, |a| a.case_type);
        self.in_lang(&r.name(case_type))
    }

    fn rule_text(&self, r: &husly_domain::eligibility::RuleResult) -> String {
        self.in_lang(&r.explanation)
    }

    fn awaits_decision(&self) -> bool {
        self.case.state.awaits_decision()
    }

    /// The reasons an approval may end; running out is offered once the period has.
    fn expiry_reasons(&self) -> Vec<&'static str> {
        use husly_domain::cases::requests::ExpiryReason;
        ExpiryReason::ALL
            .into_iter()
            .filter(|r| *r != ExpiryReason::ValidityEnded || self.case.valid_until.is_none_or(|v| v < self.today))
            .map(ExpiryReason::code)
            .collect()
    }

    fn is(&self, state: &str) -> bool {
        self.case.state.code() == state
    }

    /// Whether a decision can be proposed now: under assessment, or a new decision that ends or
    /// changes § 6 help already granted (never closing it without one).
    fn can_propose(&self) -> bool {
        use husly_domain::cases::{CaseAction, Outcome, transition};
        transition(
            self.case.case_type,
            self.case.state,
            CaseAction::ProposeDecision(Outcome::Refused),
        )
        .is_ok()
    }

    /// The assessment's rule values not confirmed against their source, in words.
    fn unverified_rules(
        &self,
        a: &husly_domain::eligibility::Assessment,
    ) -> Vec<crate::pages::rule_values::Unverified> {
        let sources = &husly_domain::eligibility::EligibilityRules::embedded().sources;
        crate::pages::rule_values::unverified(&a.unverified, self.l.tr, |id| {
            sources
                .iter()
                .find(|s| s.id == id)
                .map_or_else(|| id.to_string(), |s| s.title.clone())
        })
    }

    /// What the applicant answered, read-only.
    fn answers(&self) -> Vec<super::answers::Answer> {
        super::answers::answers(&self.case.form, &self.household, self.l.tr)
    }

    fn editable(&self) -> bool {
        matches!(
            self.case.state,
            CaseState::Received | CaseState::UnderAssessment | CaseState::WaitingForInformation
        )
    }

    fn interim_pending(&self) -> bool {
        self.case.state.awaits_decision() && self.case.interim_sent_on.is_none()
    }

    fn overdue(&self, d: &time::Date) -> bool {
        urgency(*d, self.today) == Urgency::Overdue
    }
}

/// Opens a case for `action`, recording the read: for handlers that show the case page.
pub(crate) async fn load(state: &AppState, user: &CurrentUser, id: &str, action: Action) -> AppResult<CaseFile> {
    let id: CaseId = path_id(id)?;
    Ok(usecases::open_case(&user.ctx(state), id, action).await?)
}

/// The case page for a case already opened.
pub(crate) async fn case_page(state: &AppState, user: &CurrentUser, file: CaseFile) -> AppResult<CasePage> {
    let ctx = user.ctx(state);
    let overview = usecases::overview_of(&ctx, file).await?;
    let usecases::CaseOverview {
        file,
        assessment,
        affordability,
        missing,
        decisions,
        letters,
        flags,
        documents,
        timeline,
        grant,
        notes,
        tasks,
        applicant_messages,
        kostra,
    } = overview;
    let suggested_until = usecases::suggested_renewal_until(&file, ctx.today);
    let CaseFile {
        case,
        household,
        representative,
        reviewed_contract,
        ..
    } = file;
    let letters_to = representative.map(|r| {
        let key = match r.details.kind {
            husly_domain::representative::RepresentativeKind::Fullmektig => "case.letters_to.fullmektig",
            husly_domain::representative::RepresentativeKind::Verge => "case.letters_to.verge",
        };
        user.tr.f(key, &[("name", &r.details.name)])
    });
    let own_proposal = decisions
        .first()
        .is_some_and(|d| d.status == DecisionStatus::Proposed && d.proposed_by == user.user.id);
    let finance = super::finance::section(&case, grant, state.clock.this_year());
    let startlan = super::finance::startlan_fields(&case, &household, state.clock.today());
    let members = household
        .members
        .iter()
        .map(|m| format!("{} {}", m.person.given_name, m.person.family_name))
        .collect();
    let can_handle = user.require(Action::HandleCase, case.municipality_id).is_ok();
    let assignees = if can_handle {
        husly_usecases::tasks::assignees(&ctx, case.municipality_id).await?
    } else {
        Vec::new()
    };
    let tasks = crate::pages::tasks::TasksSection {
        case_id: case.id.to_string(),
        tasks,
        assignees,
        me: Some(user.user.id),
        today: Some(ctx.today),
        ..Default::default()
    };
    Ok(CasePage {
        kostra: super::kostra::KostraSection::new(case.id, kostra, can_handle),
        tasks,
        l: Layout::for_user(user, Section::Cases, state.config.demo_mode),
        v: FormValues::of(&case.form, household.members.len()),
        notes: crate::pages::notes::NotesSection::new(
            format!("/cases/{}/notes", case.id),
            notes,
            can_handle,
            user,
            case.municipality_id,
        ),
        applicant_messages,
        can_handle,
        can_approve: user.require(Action::ApproveDecision, case.municipality_id).is_ok(),
        own_proposal,
        missing: missing.iter().map(|e| (e.field.clone(), user.tr.error(e))).collect(),
        case,
        household,
        letters_to,
        assessment,
        decisions,
        letters,
        flags,
        documents,
        max_document_mb: state.config.max_document_bytes / (1024 * 1024),
        timeline,
        errors: FormErrors::default(),
        conflict: false,
        today: ctx.today,
        user_id: user.user.id,
        members,
        startlan,
        affordability,
        finance,
        reviewed_contract,
        suggested_until,
    })
}

pub async fn page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let file = load(&state, &user, &id, Action::ViewCase).await?;
    render(&case_page(&state, &user, file).await?)
}

/// Re-renders the case page with errors (422) or a conflict (409), keeping what was typed.
pub(super) async fn rerender(
    state: &AppState,
    user: &CurrentUser,
    id: CaseId,
    errors: &[FieldError],
    conflict: bool,
    values: Option<FormValues>,
) -> AppResult<Response> {
    let file = usecases::open_case(&user.ctx(state), id, Action::ViewCase).await?;
    let mut page = case_page(state, user, file).await?;
    page.errors = FormErrors::from_fields(errors, user.tr.lang);
    page.conflict = conflict;
    if let Some(values) = values {
        page.v = values;
    }
    let mut response = render(&page)?;
    *response.status_mut() = if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(response)
}

/// The outcome of a use case on the case: back to the case page with the confirmation `done` (a
/// `flash.…` key), or the page again with the problem shown beside `field`, keeping what was
/// typed.
pub(super) async fn finish<T>(
    state: &AppState,
    user: &CurrentUser,
    id: CaseId,
    result: Result<T, UseCaseError>,
    done: &str,
    field: &str,
    values: Option<FormValues>,
) -> AppResult<Response> {
    let error = match result {
        Ok(_) => return Ok(crate::flash::redirect(&format!("/cases/{id}"), done)),
        Err(UseCaseError::Conflict) => return rerender(state, user, id, &[], true, values).await,
        Err(UseCaseError::Invalid(errors)) => return rerender(state, user, id, &errors, false, values).await,
        Err(UseCaseError::Refused(refusal)) => crate::i18n::refusal_error(field, refusal),
        Err(other) => return Err(other.into()),
    };
    rerender(state, user, id, &[error], false, values).await
}

/// A stored letter: `…/letters/{id}.pdf` or `…/letters/{id}.html`, exactly as sent.
pub async fn letter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, letter)): Path<(String, String)>,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let (letter_id, pdf) = match (letter.strip_suffix(".pdf"), letter.strip_suffix(".html")) {
        (Some(id), _) => (id, true),
        (_, Some(id)) => (id, false),
        _ => return Err(AppError::NotFound),
    };
    let sent = usecases::letter(&user.ctx(&state), id, letter_id).await?;
    if pdf {
        return Ok(crate::download::pdf_inline(
            &format!("{}-{}.pdf", sent.case.reference, sent.letter.kind),
            sent.pdf,
            None,
        ));
    }
    render(&LetterPage {
        l: Layout::for_user(&user, Section::Cases, state.config.demo_mode),
        case_id: sent.case.id.to_string(),
        reference: sent.case.reference,
        pdf_href: format!("/cases/{}/letters/{}.pdf", sent.case.id, sent.letter.id),
        sha256: sent.letter.sha256,
        html: sent.html,
    })
}

#[derive(Template)]
#[template(path = "case_letter.html")]
struct LetterPage {
    l: Layout,
    case_id: String,
    reference: String,
    pdf_href: String,
    sha256: String,
    /// The letter as rendered by `husly_letters` (escaped there), shown as sent.
    html: String,
}

pub async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let (_, meta, bytes) = usecases::document(&user.ctx(&state), id, &document).await?;
    Ok(crate::download::attachment(&meta, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_store::cases::QueueFilter;

    #[test]
    fn the_queue_offers_every_filter_the_store_knows() {
        let codes: Vec<&str> = QUEUE_FILTERS.iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, QueueFilter::CODES);
        let user = husly_domain::UserId::new();
        let today = time::OffsetDateTime::now_utc().date();
        for code in QueueFilter::CODES {
            assert!(QueueFilter::from_code(code, user, today).is_some(), "{code}");
        }
        assert_eq!(QueueFilter::from_code("everything", user, today), None);
    }
}
