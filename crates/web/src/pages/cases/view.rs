//! The work queue and the case page with every action the case's state allows.

use super::form::FormValues;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::{FormErrors, FormFields};
use crate::layout::{Layout, Section};
use crate::pages::{path_id, render};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::authz::Action;
use husly_domain::cases::deadlines::{Urgency, urgency};
use husly_domain::cases::{CaseAction, CaseState, CaseType, Outcome};
use husly_domain::eligibility::{Assessment, EligibilityRules, Facts, Member, RuleOutcome, assess};
use husly_domain::finance::CaseFinance;
use husly_domain::startlan::{AffordabilityResult, StartlanRules};
use husly_domain::validation::{FieldError, format_date, parse_date};
use husly_domain::{CaseId, MunicipalityId};
use husly_store::cases::{Case, Decision, Letter, Proposal, QueueFilter, QueueRow};
use husly_store::households::{Change, Household, TimelineEvent};
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

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

// ------------------------------------------------------------------------------------------
// The work queue

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    filter: Option<String>,
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "cases_queue.html")]
struct QueuePage {
    l: Layout,
    filter: String,
    rows: Vec<QueueRow>,
    page: i64,
    more: bool,
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

    fn state_key(&self, s: &CaseState) -> String {
        format!("case_state.{}", s.code())
    }

    fn type_key(&self, t: &CaseType) -> String {
        format!("case_type.{}", t.code())
    }
}

pub async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<QueueQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewCase)?.clone();
    let filter_code = query.filter.unwrap_or_else(|| "mine".into());
    let Some(filter) = QueueFilter::from_code(&filter_code, user.user.id, today()) else {
        return Err(AppError::BadRequest(
            format!("Unknown filter «{filter_code}».").chars().take(80).collect(),
        ));
    };
    let page = query.page.unwrap_or(1).clamp(1, 10_000);
    let mut rows = state
        .store
        .queue(municipality.id, filter, QUEUE_PAGE + 1, (page - 1) * QUEUE_PAGE)
        .await?;
    let more = rows.len() as i64 > QUEUE_PAGE;
    rows.truncate(QUEUE_PAGE as usize);
    user.audit_read(
        &state.store,
        municipality.id,
        "case.queue",
        ("municipality", municipality.id.to_string()),
        serde_json::json!({ "filter": filter_code, "rows": rows.len() }),
    )
    .await?;
    render(&QueuePage {
        l: Layout::for_user(&user, Section::Cases, state.config.demo_mode),
        filter: filter_code,
        rows,
        page,
        more,
        today: today(),
    })
}

// ------------------------------------------------------------------------------------------
// The case page

#[derive(Template)]
#[template(path = "case.html")]
pub struct CasePage {
    pub l: Layout,
    pub case: Case,
    pub household: Household,
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

    /// The establishment grant a startlån case needs beside the loan, øre.
    fn grant_needed(&self) -> Option<i64> {
        match super::finance::combined_grant(&self.case, self.affordability.as_ref()?)? {
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
        format!("rule_outcome.{}", r.outcome().code())
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

    fn rule_name<'a>(&self, r: &'a husly_domain::eligibility::RuleResult) -> &'a str {
        match self.l.tr.lang {
            husly_domain::Lang::Nb => &r.name.nb,
            husly_domain::Lang::En => &r.name.en,
        }
    }

    fn rule_text<'a>(&self, r: &'a husly_domain::eligibility::RuleResult) -> &'a str {
        match self.l.tr.lang {
            husly_domain::Lang::Nb => &r.explanation.nb,
            husly_domain::Lang::En => &r.explanation.en,
        }
    }

    fn awaits_decision(&self) -> bool {
        self.case.state.awaits_decision()
    }

    fn is(&self, state: &str) -> bool {
        self.case.state.code() == state
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

/// How long an approval on the waiting list lasts in the municipality.
pub(crate) fn validity_months(number: &str) -> u32 {
    EligibilityRules::embedded()
        .allocation_rules(number, husly_domain::rules::YearMonth::of(today()))
        .map(|p| p.values.validity_months)
        .unwrap_or(12)
}

pub(super) fn members_of(household: &Household) -> Vec<Member> {
    household
        .members
        .iter()
        .map(|m| Member {
            birth_date: m.person.birth_date,
            relation: m.relation,
        })
        .collect()
}

pub(crate) fn municipality_number(user: &CurrentUser, id: MunicipalityId) -> String {
    user.municipalities
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.number.clone())
        .unwrap_or_default()
}

/// A startlån case's affordability test, from its recorded economy.
pub(crate) fn affordability_of(case: &Case) -> Option<AffordabilityResult> {
    match &case.finance {
        Some(CaseFinance::Startlan(s)) => {
            husly_domain::startlan::assess(&s.affordability, StartlanRules::embedded()).ok()
        }
        _ => None,
    }
}

/// The assessment as of today (or the day received, if later), with the case's overrides.
pub(crate) fn assessment_of(case: &Case, household: &Household, number: &str) -> Option<Assessment> {
    assessment_with(case, household, number, affordability_of(case).as_ref())
}

/// [`assessment_of`] with the case's affordability already calculated.
fn assessment_with(
    case: &Case,
    household: &Household,
    number: &str,
    affordability: Option<&AffordabilityResult>,
) -> Option<Assessment> {
    let members = members_of(household);
    let date = today().max(case.received_on);
    assess(
        EligibilityRules::embedded(),
        &Facts {
            case_type: case.case_type,
            municipality_number: number,
            date,
            members: &members,
            form: &case.form,
            finance: case.finance.as_ref(),
            affordability,
        },
        &case.overrides,
    )
    .ok()
}

/// What a proposed decision keeps of the assessment: the rules and, for a startlån, the
/// affordability test as calculated when proposed.
pub(crate) fn assessment_snapshot(case: &Case, household: &Household, number: &str) -> serde_json::Value {
    let affordability = affordability_of(case);
    let mut snapshot = assessment_with(case, household, number, affordability.as_ref())
        .map(|a| serde_json::to_value(a).unwrap_or_default())
        .unwrap_or_default();
    if let (Some(result), serde_json::Value::Object(map)) = (affordability, &mut snapshot) {
        map.insert("affordability".into(), serde_json::to_value(result).unwrap_or_default());
    }
    snapshot
}

/// The proposal as the case page's form sends it; the amount is typed in kroner.
pub(super) fn proposal_from_form(
    fields: &FormFields,
    case: &Case,
    application_complete: bool,
) -> Result<super::steps::CheckedProposal, Vec<FieldError>> {
    let amount_text = fields.get("amount_kr").trim();
    let amount_kr = if amount_text.is_empty() {
        None
    } else {
        match husly_domain::validation::parse_kr(amount_text) {
            Some(kr) => Some(kr),
            None => return Err(vec![super::finance::unreadable_amount("amount_kr")]),
        }
    };
    super::steps::check_proposal(super::steps::ProposalRequest {
        outcome: fields.get("outcome"),
        reasons: fields.get("reasons"),
        granted_text: fields.get("granted_text"),
        application_complete,
        finance_case: case.case_type.is_finance(),
        economy_recorded: case.finance.is_some(),
        amount_kr,
        conditions: fields.get("conditions").lines().map(str::to_string).collect(),
    })
}

pub(crate) async fn load(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    action: Action,
) -> AppResult<(MunicipalityId, Case, Household)> {
    let id: CaseId = path_id(id)?;
    let municipality = user.case_owner(&state.store, id, action).await?;
    let case = state.store.case(municipality, id).await?;
    let household = state.store.household(municipality, case.household_id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "case.view",
        ("case", id.to_string()),
        serde_json::json!({ "household": case.household_id.to_string() }),
    )
    .await?;
    Ok((municipality, case, household))
}

pub(super) async fn case_page(
    state: &AppState,
    user: &CurrentUser,
    municipality: MunicipalityId,
    case: Case,
    household: Household,
) -> AppResult<CasePage> {
    let number = municipality_number(user, municipality);
    let affordability = affordability_of(&case);
    let assessment = assessment_with(&case, &household, &number, affordability.as_ref());
    let decisions = state.store.decisions(municipality, case.id).await?;
    let letters = state.store.letters(municipality, case.id).await?;
    let flags = state.store.flags(municipality, case.id).await?;
    let documents = state
        .store
        .documents(municipality, husly_store::documents::Owner::Case(case.id))
        .await?;
    let timeline = state.store.case_timeline(municipality, case.id).await?;
    let missing = case
        .form
        .missing_for_submission(household.members.len())
        .into_iter()
        .map(|e| (e.field.clone(), e.message(user.tr.lang).to_string()))
        .collect();
    let own_proposal = decisions
        .first()
        .is_some_and(|d| d.status == "proposed" && d.proposed_by == user.user.id);
    let finance = super::finance::section(state, &case).await?;
    let startlan = super::finance::startlan_fields(&case, &household);
    Ok(CasePage {
        l: Layout::for_user(user, Section::Cases, state.config.demo_mode),
        v: FormValues::of(&case.form, household.members.len()),
        can_handle: user.require(Action::HandleCase, municipality).is_ok(),
        can_approve: user.require(Action::ApproveDecision, municipality).is_ok(),
        own_proposal,
        case,
        household,
        assessment,
        missing,
        decisions,
        letters,
        flags,
        documents,
        max_document_mb: state.config.max_document_bytes / (1024 * 1024),
        timeline,
        errors: FormErrors::default(),
        conflict: false,
        today: today(),
        user_id: user.user.id,
        members: Vec::new(),
        startlan,
        affordability,
        finance,
    })
    .map(|mut page| {
        page.members = page
            .household
            .members
            .iter()
            .map(|m| format!("{} {}", m.person.given_name, m.person.family_name))
            .collect();
        page
    })
}

pub async fn page(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (municipality, case, household) = load(&state, &user, &id, Action::ViewCase).await?;
    render(&case_page(&state, &user, municipality, case, household).await?)
}

pub(super) fn change<'a>(
    user: &'a CurrentUser,
    actor: &'a husly_store::audit::Actor,
    reason: Option<&'a str>,
) -> Change<'a> {
    Change {
        actor,
        user: Some(user.user.id),
        reason,
    }
}

/// Re-renders the case page with errors (422) or a conflict (409), keeping what was typed.
pub(super) async fn rerender(
    state: &AppState,
    user: &CurrentUser,
    municipality: MunicipalityId,
    id: CaseId,
    errors: &[FieldError],
    conflict: bool,
    values: Option<FormValues>,
) -> AppResult<Response> {
    let case = state.store.case(municipality, id).await?;
    let household = state.store.household(municipality, case.household_id).await?;
    let mut page = case_page(state, user, municipality, case, household).await?;
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

/// The outcome of a store call on the case: back to the case page, or the page with the problem.
pub(super) async fn finish(
    state: &AppState,
    user: &CurrentUser,
    municipality: MunicipalityId,
    id: CaseId,
    result: Result<(), husly_store::StoreError>,
    field: &str,
) -> AppResult<Response> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(husly_store::StoreError::Conflict { .. }) => rerender(state, user, municipality, id, &[], true, None).await,
        Err(husly_store::StoreError::Invalid(message)) => {
            let error = FieldError::new(field, "refused", message.clone(), message);
            rerender(state, user, municipality, id, &[error], false, None).await
        }
        Err(e) => Err(e.into()),
    }
}

pub(super) fn version(fields: &FormFields) -> AppResult<i64> {
    fields
        .get("version")
        .parse()
        .map_err(|_| AppError::BadRequest("version".into()))
}

pub async fn save_application(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, household) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let values = FormValues::from_post(&fields, household.members.len());
    let form = match values.to_form() {
        Ok(form) => {
            let errors = form.check(household.members.len(), today());
            if !errors.is_empty() {
                return rerender(&state, &user, municipality, case.id, &errors, false, Some(values)).await;
            }
            form
        }
        Err(errors) => return rerender(&state, &user, municipality, case.id, &errors, false, Some(values)).await,
    };
    let actor = user.actor(Some(municipality), "case_handling");
    let result = state
        .store
        .save_case_form(
            municipality,
            case.id,
            version(&fields)?,
            &form,
            &change(&user, &actor, None),
        )
        .await;
    if let Err(husly_store::StoreError::Conflict { .. }) = result {
        return rerender(&state, &user, municipality, case.id, &[], true, Some(values)).await;
    }
    finish(&state, &user, municipality, case.id, result, "application").await
}

/// The simple workflow steps: each is a button with a version and, where needed, a reason.
pub async fn action(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let reason = fields.get("reason").trim();
    let checked = super::steps::check(&super::steps::StepRequest {
        step: fields.get("action"),
        reason,
        information_due: fields.get("information_due"),
        today: today(),
        appeal_deadline: case.appeal_deadline,
        validity_months: validity_months(&municipality_number(&user, municipality)),
    });
    let (action, mut effects) = match checked {
        Ok(step) => step,
        Err(errors) => return rerender(&state, &user, municipality, case.id, &errors, false, None).await,
    };
    if let (CaseAction::RequestInformation, Some(Some(deadline))) = (action, effects.information_due) {
        let household = state.store.household(municipality, case.household_id).await?;
        let number = municipality_number(&user, municipality);
        effects.letter = Some(
            super::letters::information_request(
                &user,
                &number,
                &case,
                &household,
                reason,
                deadline,
                fields.get("language"),
            )
            .await?,
        );
    }
    let actor = user.actor(Some(municipality), "case_handling");
    let reason = (!reason.is_empty()).then_some(reason);
    let result = state
        .store
        .act(
            municipality,
            case.id,
            version(&fields)?,
            action,
            effects,
            &change(&user, &actor, reason),
        )
        .await
        .map(|_| ());
    finish(&state, &user, municipality, case.id, result, "action").await
}

pub async fn override_rule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let rule = fields.get("rule").trim().to_string();
    let outcome = match fields.get("outcome") {
        "" | "none" => None,
        code => Some(RuleOutcome::from_code(code).ok_or_else(|| AppError::BadRequest("outcome".into()))?),
    };
    let reason = fields.get("reason").trim();
    let field = format!("override.{rule}");
    if outcome.is_some() && reason.is_empty() {
        let error = FieldError::new(
            field,
            "required",
            "Skriv begrunnelsen for vurderingen.",
            "Write the reasons for the judgement.",
        );
        return rerender(&state, &user, municipality, case.id, &[error], false, None).await;
    }
    let actor = user.actor(Some(municipality), "case_handling");
    let result = state
        .store
        .set_override(
            municipality,
            case.id,
            version(&fields)?,
            &rule,
            outcome,
            reason,
            &change(&user, &actor, Some(reason)),
        )
        .await;
    finish(&state, &user, municipality, case.id, result, &field).await
}

pub async fn assign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let to = (fields.get("to") == "me").then_some(user.user.id);
    let actor = user.actor(Some(municipality), "case_handling");
    let result = state
        .store
        .assign(
            municipality,
            case.id,
            version(&fields)?,
            to,
            &change(&user, &actor, None),
        )
        .await;
    finish(&state, &user, municipality, case.id, result, "assign").await
}

pub async fn propose(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, household) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let reasons = fields.get("reasons").trim();
    let granted_text = fields.get("granted_text").trim();
    let complete = case.form.missing_for_submission(household.members.len()).is_empty();
    let proposal = match proposal_from_form(&fields, &case, complete) {
        Ok(proposal) => proposal,
        Err(errors) => return rerender(&state, &user, municipality, case.id, &errors, false, None).await,
    };
    let number = municipality_number(&user, municipality);
    let assessment = assessment_snapshot(&case, &household, &number);
    let actor = user.actor(Some(municipality), "case_handling");
    let result = state
        .store
        .propose_decision(
            municipality,
            case.id,
            version(&fields)?,
            &Proposal {
                outcome: proposal.outcome,
                reasons,
                granted_text: (!granted_text.is_empty()).then_some(granted_text),
                assessment: &assessment,
                amount_ore: proposal.amount_ore,
                conditions: &proposal.conditions,
            },
            &change(&user, &actor, None),
        )
        .await
        .map(|_| ());
    finish(&state, &user, municipality, case.id, result, "outcome").await
}

pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::ApproveDecision).await?;
    user.check_csrf(fields.get("csrf"))?;
    let approve = match fields.get("decision") {
        "approve" => true,
        "send_back" => false,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let reason = fields.get("reason").trim();
    if !approve && reason.is_empty() {
        let error = FieldError::new(
            "reason",
            "required",
            "Skriv hva som må endres.",
            "Write what needs to change.",
        );
        return rerender(&state, &user, municipality, case.id, &[error], false, None).await;
    }
    let actor = user.actor(Some(municipality), "case_handling");
    let reason = (!reason.is_empty()).then_some(reason);
    let result = state
        .store
        .review_decision(
            municipality,
            case.id,
            version(&fields)?,
            approve,
            &change(&user, &actor, reason),
        )
        .await
        .map(|_| ());
    finish(&state, &user, municipality, case.id, result, "review").await
}

pub async fn send(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, household) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let language = fields.get("language");
    let delivered = parse_date(fields.get("delivered_on")).filter(|d| *d >= today());
    let Some(delivered) = delivered else {
        let error = FieldError::new(
            "delivered_on",
            "invalid_date",
            "Skriv datoen brevet når mottakeren (i dag eller senere) som dd.mm.åååå.",
            "Write the date the letter reaches the recipient (today or later) as dd.mm.yyyy.",
        );
        return rerender(&state, &user, municipality, case.id, &[error], false, None).await;
    };
    let decision = state
        .store
        .decisions(municipality, case.id)
        .await?
        .into_iter()
        .next()
        .filter(|d| d.status == "approved")
        .ok_or_else(|| AppError::BadRequest("no approved decision".into()))?;
    let number = municipality_number(&user, municipality);
    let rendered = super::letters::render(super::letters::decision_letter(
        &user,
        &number,
        &case,
        &household,
        &decision,
        language,
        today(),
    ))
    .await?;
    let validity = validity_months(&number);
    let actor = user.actor(Some(municipality), "case_handling");
    let letter = husly_store::cases::NewLetter {
        kind: "decision",
        language: rendered.language,
        html: &rendered.html,
        pdf: &rendered.pdf,
    };
    let result = state
        .store
        .send_decision(
            municipality,
            case.id,
            version(&fields)?,
            today(),
            delivered,
            validity,
            &letter,
            &change(&user, &actor, None),
        )
        .await
        .map(|_| ());
    finish(&state, &user, municipality, case.id, result, "language").await
}

pub async fn interim(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, household) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let mut errors = Vec::new();
    let expected = parse_date(fields.get("expected_by")).filter(|d| *d > today());
    if expected.is_none() {
        errors.push(FieldError::new(
            "expected_by",
            "invalid_date",
            "Skriv når søkeren kan vente svar (fram i tid) som dd.mm.åååå.",
            "Write when the applicant can expect an answer (in the future) as dd.mm.yyyy.",
        ));
    }
    let reason = fields.get("interim_reason").trim();
    if reason.is_empty() {
        errors.push(FieldError::new(
            "interim_reason",
            "required",
            "Skriv hvorfor saken ikke er avgjort ennå.",
            "Write why the case is not decided yet.",
        ));
    }
    let Some(expected) = expected.filter(|_| errors.is_empty()) else {
        return rerender(&state, &user, municipality, case.id, &errors, false, None).await;
    };
    let number = municipality_number(&user, municipality);
    let rendered = super::letters::render(super::letters::interim_letter(
        &user,
        &number,
        &case,
        &household,
        reason,
        expected,
        fields.get("language"),
        today(),
    ))
    .await?;
    let actor = user.actor(Some(municipality), "case_handling");
    let letter = husly_store::cases::NewLetter {
        kind: "interim_answer",
        language: rendered.language,
        html: &rendered.html,
        pdf: &rendered.pdf,
    };
    let result = state
        .store
        .send_interim_answer(
            municipality,
            case.id,
            version(&fields)?,
            today(),
            &letter,
            &change(&user, &actor, None),
        )
        .await
        .map(|_| ());
    finish(&state, &user, municipality, case.id, result, "interim_reason").await
}

/// A stored letter: `…/letters/{id}.pdf` or `…/letters/{id}.html`, exactly as sent.
pub async fn letter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, letter)): Path<(String, String)>,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::ViewCase).await?;
    let (letter_id, pdf) = match (letter.strip_suffix(".pdf"), letter.strip_suffix(".html")) {
        (Some(id), _) => (id, true),
        (_, Some(id)) => (id, false),
        _ => return Err(AppError::NotFound),
    };
    let (meta, html, bytes) = state.store.letter(municipality, case.id, letter_id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "case.letter",
        ("case", case.id.to_string()),
        serde_json::json!({ "letter": meta.id, "sha256": meta.sha256 }),
    )
    .await?;
    if pdf {
        Ok((
            [
                (header::CONTENT_TYPE, "application/pdf".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("inline; filename=\"{}-{}.pdf\"", case.reference, meta.kind),
                ),
            ],
            bytes,
        )
            .into_response())
    } else {
        render(&LetterPage {
            l: Layout::for_user(&user, Section::Cases, state.config.demo_mode),
            case_id: case.id.to_string(),
            reference: case.reference,
            pdf_href: format!("/cases/{}/letters/{}.pdf", case.id, meta.id),
            sha256: meta.sha256,
            html,
        })
    }
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

/// Links or dismisses a possible duplicate, with the reason.
pub async fn resolve_flag(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, flag)): Path<(String, String)>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::HandleCase).await?;
    user.check_csrf(fields.get("csrf"))?;
    let link = match fields.get("decision") {
        "link" => true,
        "dismiss" => false,
        _ => return Err(AppError::BadRequest("decision".into())),
    };
    let reason = fields.get("reason").trim();
    let field = format!("flag.{flag}");
    if reason.is_empty() {
        let error = FieldError::new(field, "required", "Skriv begrunnelsen.", "Write the reason.");
        return rerender(&state, &user, municipality, case.id, &[error], false, None).await;
    }
    let actor = user.actor(Some(municipality), "case_handling");
    let result = state
        .store
        .resolve_flag(
            municipality,
            case.id,
            &flag,
            link,
            reason,
            &change(&user, &actor, Some(reason)),
        )
        .await;
    finish(&state, &user, municipality, case.id, result, &field).await
}

pub async fn upload_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::HandleCase).await?;
    let upload = crate::pages::documents::read_request(request).await?;
    user.check_csrf(&upload.csrf)?;
    let (kind, filename) = match crate::pages::documents::check(&upload, state.config.max_document_bytes) {
        Ok(checked) => checked,
        Err(error) => return rerender(&state, &user, municipality, case.id, &[error], false, None).await,
    };
    let actor = user.actor(Some(municipality), "case_handling");
    state
        .store
        .add_document(
            municipality,
            husly_store::documents::Owner::Case(case.id),
            &filename,
            kind,
            &upload.bytes,
            &actor,
        )
        .await?;
    Ok(Redirect::to(&format!("/cases/{}", case.id)).into_response())
}

pub async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    let (municipality, case, _) = load(&state, &user, &id, Action::ViewCase).await?;
    let (meta, bytes) = state
        .store
        .document(municipality, husly_store::documents::Owner::Case(case.id), &document)
        .await?;
    user.audit_read(
        &state.store,
        municipality,
        "case.document",
        ("case", case.id.to_string()),
        serde_json::json!({ "document": meta.id, "sha256": meta.sha256 }),
    )
    .await?;
    Ok(crate::pages::documents::download(&meta, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_queue_offers_every_filter_the_store_knows() {
        let codes: Vec<&str> = QUEUE_FILTERS.iter().map(|(code, _)| *code).collect();
        assert_eq!(codes, QueueFilter::CODES);
        let user = husly_domain::UserId::new();
        for code in QueueFilter::CODES {
            assert!(QueueFilter::from_code(code, user, today()).is_some(), "{code}");
        }
        assert_eq!(QueueFilter::from_code("everything", user, today()), None);
    }
}
