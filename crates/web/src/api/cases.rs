//! Cases in the JSON API: the work queue, registering an application, the case with its
//! assessment, decisions and letters, and every step of the workflow. The same authorisation,
//! validation and store calls as the case pages (`crate::pages::cases`); writes are audited by
//! the store, reads here with `audit_read`.

use super::{household_in, municipality_for};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use crate::pages::cases::letters::{decision_letter, render};
use crate::pages::cases::view::{assessment_of, assessment_snapshot};
use crate::pages::path_id;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::authz::Action;
use husly_domain::cases::application::MAX_LONG_TEXT;
use husly_domain::cases::{ApplicationForm, CaseAction, CaseType};
use husly_domain::eligibility::RuleOutcome;
use husly_domain::validation::{FieldError, parse_date};
use husly_domain::{CaseId, MunicipalityId};
use husly_store::cases::{Case, NewLetter, Proposal, QueueFilter};
use husly_store::households::{Change, Household};
use serde::Deserialize;
use serde_json::{Value, json};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

fn change<'a>(user: &'a ApiUser, actor: &'a husly_store::audit::Actor, reason: Option<&'a str>) -> Change<'a> {
    Change {
        actor,
        user: Some(user.user.id),
        reason,
    }
}

/// Field errors, or nothing to complain about.
fn checked(errors: Vec<FieldError>) -> AppResult<()> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The application form's own errors, named by their path in the request body (`form.…`).
fn form_errors(form: &ApplicationForm, members: usize) -> Vec<FieldError> {
    form.check(members, today())
        .into_iter()
        .map(|mut e| {
            e.field = format!("form.{}", e.field);
            e
        })
        .collect()
}

/// An optional free text, trimmed; empty is none.
fn text<'a>(errors: &mut Vec<FieldError>, field: &str, value: &'a Option<String>, max: usize) -> &'a str {
    let value = value.as_deref().map_or("", str::trim);
    if value.chars().count() > max {
        errors.push(FieldError::too_long(field, max));
    }
    value
}

fn required(field: &str, nb: &str, en: &str) -> FieldError {
    FieldError::new(field, "required", nb, en)
}

/// The case named in the path, once the caller may perform `action` on it.
async fn case_in(state: &AppState, user: &ApiUser, raw: &str, action: Action) -> AppResult<(MunicipalityId, Case)> {
    let id: CaseId = path_id(raw)?;
    let municipality = user.case_owner(&state.store, id, action).await?;
    Ok((municipality, state.store.case(municipality, id).await?))
}

async fn household_of(state: &AppState, municipality: MunicipalityId, case: &Case) -> AppResult<Household> {
    Ok(state.store.household(municipality, case.household_id).await?)
}

/// The kommunenummer of a municipality (the rules and letters are keyed by it).
async fn number_of(state: &AppState, id: MunicipalityId) -> AppResult<String> {
    state
        .store
        .municipalities()
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .map(|m| m.number)
        .ok_or(AppError::NotFound)
}

/// The case as it is after a change.
async fn updated(state: &AppState, municipality: MunicipalityId, id: CaseId) -> AppResult<Json<Case>> {
    Ok(Json(state.store.case(municipality, id).await?))
}

// ------------------------------------------------------------------------------------------
// The work queue

#[derive(Debug, Deserialize)]
pub(super) struct QueueParams {
    municipality: Option<String>,
    /// `mine`, `unassigned`, `due_soon`, `overdue`, `to_approve` or `open` (the default).
    filter: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

pub(super) async fn queue(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<QueueParams>,
) -> AppResult<Json<Value>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewCase).await?;
    let code = params.filter.as_deref().map_or("open", str::trim);
    let filter = QueueFilter::from_code(code, user.user.id, today())
        .ok_or_else(|| AppError::Validation(vec![FieldError::unknown_value("filter", code, &QueueFilter::CODES)]))?;
    let limit = params.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let offset = params.offset.unwrap_or(0).max(0);
    let rows = state.store.queue(municipality, filter, limit, offset).await?;
    user.audit_read(
        &state.store,
        municipality,
        "case.queue",
        ("municipality", municipality.to_string()),
        json!({ "filter": code, "rows": rows.len(), "via": "api" }),
    )
    .await?;
    Ok(Json(json!({ "cases": rows })))
}

// ------------------------------------------------------------------------------------------
// Registering an application

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct NewApplication {
    case_type: String,
    /// `YYYY-MM-DD` (or `dd.mm.yyyy`), not in the future.
    received_on: String,
    #[serde(default)]
    form: ApplicationForm,
}

pub(super) async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewApplication>,
) -> AppResult<Response> {
    let (municipality, household_id) = household_in(&state, &user, &id, Action::HandleCase).await?;
    let household = state.store.household(municipality, household_id).await?;
    let mut errors = Vec::new();
    let case_type = CaseType::from_code(input.case_type.trim());
    if case_type.is_none() {
        errors.push(FieldError::unknown_value(
            "case_type",
            &input.case_type,
            &CaseType::ALL.map(CaseType::code),
        ));
    }
    let received = parse_date(input.received_on.trim());
    match received {
        None => errors.push(FieldError::invalid_date("received_on")),
        Some(date) if date > today() => errors.push(FieldError::new(
            "received_on",
            "in_future",
            "Mottatt-datoen kan ikke være fram i tid.",
            "The date received cannot be in the future.",
        )),
        Some(_) => {}
    }
    errors.extend(form_errors(&input.form, household.members.len()));
    checked(errors)?;
    let (Some(case_type), Some(received)) = (case_type, received) else {
        return Err(AppError::BadRequest("case_type".into()));
    };
    let actor = user.actor(Some(municipality), "case_handling");
    let (case, _) = state
        .store
        .register_application(
            municipality,
            household.id,
            case_type,
            &input.form,
            received,
            &change(&user, &actor, None),
        )
        .await?;
    let case = state.store.case(municipality, case).await?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/cases/{}", case.id))],
        Json(case),
    )
        .into_response())
}

// ------------------------------------------------------------------------------------------
// Reading a case

pub(super) async fn case(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::ViewCase).await?;
    let household = household_of(&state, municipality, &case).await?;
    let number = number_of(&state, municipality).await?;
    let assessment = assessment_of(&case, &household, &number);
    let decisions = state.store.decisions(municipality, case.id).await?;
    let letters = state.store.letters(municipality, case.id).await?;
    let missing: Vec<Value> = case
        .form
        .missing_for_submission(household.members.len())
        .iter()
        .map(|e| json!({ "field": format!("form.{}", e.field), "code": e.code, "message": e.message(user.tr.lang) }))
        .collect();
    user.audit_read(
        &state.store,
        municipality,
        "case.view",
        ("case", case.id.to_string()),
        json!({ "household": case.household_id.to_string(), "via": "api" }),
    )
    .await?;
    Ok(Json(json!({
        "case": case,
        "assessment": assessment,
        "missing": missing,
        "decisions": decisions,
        "letters": letters,
    })))
}

pub(super) async fn timeline(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<Value>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::ViewCase).await?;
    let events = state.store.case_timeline(municipality, case.id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "case.timeline",
        ("case", case.id.to_string()),
        json!({ "via": "api" }),
    )
    .await?;
    Ok(Json(json!({ "events": events })))
}

/// A stored letter's PDF, exactly as sent.
pub(super) async fn letter(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, letter)): Path<(String, String)>,
) -> AppResult<Response> {
    let (municipality, case) = case_in(&state, &user, &id, Action::ViewCase).await?;
    let (meta, _, pdf) = state.store.letter(municipality, case.id, letter.trim()).await?;
    user.audit_read(
        &state.store,
        municipality,
        "case.letter",
        ("case", case.id.to_string()),
        json!({ "letter": meta.id, "sha256": meta.sha256, "via": "api" }),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}-{}.pdf\"", case.reference, meta.kind),
            ),
            (header::ETAG, format!("\"{}\"", meta.sha256)),
        ],
        pdf,
    )
        .into_response())
}

// ------------------------------------------------------------------------------------------
// Changing a case

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ApplicationUpdate {
    version: i64,
    form: ApplicationForm,
}

pub(super) async fn save_application(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<ApplicationUpdate>,
) -> AppResult<Json<Case>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::HandleCase).await?;
    let household = household_of(&state, municipality, &case).await?;
    checked(form_errors(&update.form, household.members.len()))?;
    let actor = user.actor(Some(municipality), "case_handling");
    state
        .store
        .save_case_form(
            municipality,
            case.id,
            update.version,
            &update.form,
            &change(&user, &actor, None),
        )
        .await?;
    updated(&state, municipality, case.id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ActionRequest {
    version: i64,
    action: String,
    #[serde(default)]
    reason: Option<String>,
    /// `YYYY-MM-DD`; the deadline for `request_information`.
    #[serde(default)]
    information_due: Option<String>,
    /// The letter's language for `request_information`: `nb` (default), `nn` or `en`.
    #[serde(default)]
    language: Option<String>,
}

/// The simple workflow steps, validated as the case page validates them.
pub(super) async fn act(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ActionRequest>,
) -> AppResult<Json<Case>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::HandleCase).await?;
    let mut errors = Vec::new();
    let reason = text(&mut errors, "reason", &request.reason, MAX_LONG_TEXT);
    checked(errors)?;
    let number = number_of(&state, municipality).await?;
    let (action, mut effects) = crate::pages::cases::steps::check(&crate::pages::cases::steps::StepRequest {
        step: &request.action,
        reason,
        information_due: request.information_due.as_deref().unwrap_or_default(),
        today: today(),
        appeal_deadline: case.appeal_deadline,
        validity_months: crate::pages::cases::view::validity_months(&number),
    })
    .map_err(AppError::Validation)?;
    if let (CaseAction::RequestInformation, Some(Some(deadline))) = (action, effects.information_due) {
        let household = household_of(&state, municipality, &case).await?;
        let language = request.language.as_deref().unwrap_or("nb");
        effects.letter = Some(
            crate::pages::cases::letters::information_request(
                &user, &number, &case, &household, reason, deadline, language,
            )
            .await?,
        );
    }
    let actor = user.actor(Some(municipality), "case_handling");
    let reason = (!reason.is_empty()).then_some(reason);
    state
        .store
        .act(
            municipality,
            case.id,
            request.version,
            action,
            effects,
            &change(&user, &actor, reason),
        )
        .await?;
    updated(&state, municipality, case.id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct OverrideRequest {
    version: i64,
    rule: String,
    /// `met`, `not_met`, or null to remove the override.
    #[serde(default)]
    outcome: Option<String>,
    #[serde(default)]
    reason: Option<String>,
}

pub(super) async fn override_rule(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<OverrideRequest>,
) -> AppResult<Json<Case>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::HandleCase).await?;
    let mut errors = Vec::new();
    let rule = request.rule.trim();
    let household = household_of(&state, municipality, &case).await?;
    let number = number_of(&state, municipality).await?;
    if let Some(assessment) = assessment_of(&case, &household, &number) {
        let rules: Vec<&str> = assessment.results.iter().map(|r| r.rule.as_str()).collect();
        if !rules.contains(&rule) {
            errors.push(FieldError::unknown_value("rule", rule, &rules));
        }
    } else if rule.is_empty() {
        errors.push(FieldError::required("rule"));
    }
    let outcome = match request.outcome.as_deref().map(str::trim) {
        None => None,
        Some(code @ ("met" | "not_met")) => RuleOutcome::from_code(code),
        Some(other) => {
            errors.push(FieldError::unknown_value("outcome", other, &["met", "not_met"]));
            None
        }
    };
    let reason = text(&mut errors, "reason", &request.reason, MAX_LONG_TEXT);
    if outcome.is_some() && reason.is_empty() {
        errors.push(required(
            "reason",
            "Skriv begrunnelsen for vurderingen.",
            "Write the reasons for the judgement.",
        ));
    }
    checked(errors)?;
    let actor = user.actor(Some(municipality), "case_handling");
    state
        .store
        .set_override(
            municipality,
            case.id,
            request.version,
            rule,
            outcome,
            reason,
            &change(&user, &actor, Some(reason)),
        )
        .await?;
    updated(&state, municipality, case.id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct DecisionRequest {
    version: i64,
    outcome: String,
    reasons: String,
    #[serde(default)]
    granted_text: Option<String>,
    /// The loan or grant amount granted, whole kroner (startlån and grant cases).
    #[serde(default)]
    amount_kr: Option<i64>,
    /// The conditions attached to what is granted.
    #[serde(default)]
    conditions: Vec<String>,
}

/// Proposes a decision (a reversal when the case is on appeal), for an approver to review.
pub(super) async fn propose(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> AppResult<Json<Case>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::HandleCase).await?;
    let household = household_of(&state, municipality, &case).await?;
    let mut errors = Vec::new();
    let granted_text = text(&mut errors, "granted_text", &request.granted_text, MAX_LONG_TEXT);
    checked(errors)?;
    let reasons = request.reasons.trim();
    let complete = case.form.missing_for_submission(household.members.len()).is_empty();
    let proposal = crate::pages::cases::steps::check_proposal(crate::pages::cases::steps::ProposalRequest {
        outcome: &request.outcome,
        reasons,
        granted_text,
        application_complete: complete,
        finance_case: case.case_type.is_finance(),
        economy_recorded: case.finance.is_some(),
        amount_kr: request.amount_kr,
        conditions: request.conditions.clone(),
    })
    .map_err(AppError::Validation)?;
    let number = number_of(&state, municipality).await?;
    let assessment = assessment_snapshot(&case, &household, &number);
    let actor = user.actor(Some(municipality), "case_handling");
    state
        .store
        .propose_decision(
            municipality,
            case.id,
            request.version,
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
        .await?;
    updated(&state, municipality, case.id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ReviewRequest {
    version: i64,
    approve: bool,
    /// Required when sending the proposal back.
    #[serde(default)]
    reason: Option<String>,
}

/// The approver approves the proposed decision or sends it back; never their own proposal.
pub(super) async fn review(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> AppResult<Json<Case>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::ApproveDecision).await?;
    let mut errors = Vec::new();
    let reason = text(&mut errors, "reason", &request.reason, MAX_LONG_TEXT);
    if !request.approve && reason.is_empty() {
        errors.push(required(
            "reason",
            "Skriv hva som må endres.",
            "Write what needs to change.",
        ));
    }
    checked(errors)?;
    let actor = user.actor(Some(municipality), "case_handling");
    let reason = (!reason.is_empty()).then_some(reason);
    state
        .store
        .review_decision(
            municipality,
            case.id,
            request.version,
            request.approve,
            &change(&user, &actor, reason),
        )
        .await?;
    updated(&state, municipality, case.id).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SendRequest {
    version: i64,
    /// `nb`, `nn` or `en`.
    language: String,
    /// `YYYY-MM-DD`: when the letter reaches the recipient (today or later); the appeal
    /// deadline runs from it.
    delivered_on: String,
}

/// Sends the approved decision: writes the letter (HTML and PDF) and stores it with the case.
pub(super) async fn send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SendRequest>,
) -> AppResult<Json<Case>> {
    let (municipality, case) = case_in(&state, &user, &id, Action::HandleCase).await?;
    let mut errors = Vec::new();
    let language = request.language.trim();
    if !["nb", "nn", "en"].contains(&language) {
        errors.push(FieldError::unknown_value("language", language, &["nb", "nn", "en"]));
    }
    let delivered = parse_date(request.delivered_on.trim()).filter(|d| *d >= today());
    if delivered.is_none() {
        errors.push(FieldError::new(
            "delivered_on",
            "invalid_date",
            "Skriv datoen brevet når mottakeren (i dag eller senere) som åååå-mm-dd.",
            "Write the date the letter reaches the recipient (today or later) as yyyy-mm-dd.",
        ));
    }
    checked(errors)?;
    let Some(delivered) = delivered else {
        return Err(AppError::BadRequest("delivered_on".into()));
    };
    let decision = state
        .store
        .decisions(municipality, case.id)
        .await?
        .into_iter()
        .next()
        .filter(|d| d.status == "approved")
        .ok_or_else(|| AppError::BadRequest("The case has no approved decision to send.".into()))?;
    let household = household_of(&state, municipality, &case).await?;
    let number = number_of(&state, municipality).await?;
    let rendered = render(decision_letter(
        &user,
        &number,
        &case,
        &household,
        &decision,
        language,
        today(),
    ))
    .await?;
    let validity = crate::pages::cases::view::validity_months(&number);
    let letter = NewLetter {
        kind: "decision",
        language: rendered.language,
        html: &rendered.html,
        pdf: &rendered.pdf,
    };
    let actor = user.actor(Some(municipality), "case_handling");
    state
        .store
        .send_decision(
            municipality,
            case.id,
            request.version,
            today(),
            delivered,
            validity,
            &letter,
            &change(&user, &actor, None),
        )
        .await?;
    updated(&state, municipality, case.id).await
}
