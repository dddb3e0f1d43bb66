//! Cases in the JSON API: the work queue, registering an application, the case with its
//! assessment, decisions and letters, and every step of the workflow. Each handler parses its
//! request, calls the same use case as the case page (`husly_usecases::cases`), and answers with
//! the result.

use super::contract::queries::QueueParams;
use super::contract::requests::{
    ActionRequest, ApplicationUpdate, DecisionRequest, NewApplication, OverrideRequest, ReviewRequest, SendRequest,
};
use super::contract::{Case, CaseDetail, CaseQueue, Timeline};
use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::{ApiJson, path_id};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::CaseId;
use husly_domain::authz::Action;
use husly_domain::validation::FieldError;
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, ProposalInput, QueuePlace, StepInput};

const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 200;

// ------------------------------------------------------------------------------------------
// The work queue

pub(super) async fn queue(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<QueueParams>,
) -> AppResult<Json<CaseQueue>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewCase).await?;
    let filter = params.filter.as_deref().map_or("open", str::trim);
    let (limit, offset) = super::page_of(params.limit, params.offset, DEFAULT_LIMIT, MAX_LIMIT)?;
    let place = match (params.after.as_deref(), params.before.as_deref(), params.offset) {
        (None, None, _) => QueuePlace::Offset(offset),
        (Some(after), None, None) => QueuePlace::After(after),
        (None, Some(before), None) => QueuePlace::Before(before),
        _ => {
            let field = if params.after.is_some() { "after" } else { "before" };
            let error = FieldError::new(field, "conflict", "error.api.one_place");
            return Err(AppError::Validation(vec![error]));
        }
    };
    let ctx = user.ctx(&state);
    let case_type = params.case_type.as_deref();
    let sort = params.sort.as_deref();
    let queue = usecases::work_queue(&ctx, municipality, filter, case_type, sort, limit, place).await?;
    Ok(Json(CaseQueue::from(&queue)))
}

/// `GET /cases/workload`: how the open cases are shared among the caseworkers.
pub(super) async fn workload(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<super::MunicipalityParam>,
) -> AppResult<Json<super::contract::Workload>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewCase).await?;
    let rows = usecases::workload(&user.ctx(&state), municipality).await?;
    Ok(Json(super::contract::Workload::from(rows.as_slice())))
}

// ------------------------------------------------------------------------------------------
// Registering an application

pub(super) async fn register(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(input): ApiJson<NewApplication>,
) -> AppResult<Response> {
    let ctx = user.ctx(&state);
    let result =
        usecases::register_application(&ctx, path_id(&id)?, &input.case_type, &input.received_on, &input.form).await;
    // The form's own errors are named by their path in the request body.
    let case = result.map_err(|e| e.nested("form.", &["case_type", "received_on"]))?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/cases/{}", case.id))],
        Json(Case::from(case)),
    )
        .into_response())
}

// ------------------------------------------------------------------------------------------
// Reading a case

pub(super) async fn case(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<CaseDetail>> {
    let overview = usecases::case_overview(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(CaseDetail::new(&overview, user.tr)))
}

pub(super) async fn timeline(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<Timeline>> {
    let events = usecases::timeline(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(Timeline::from(events.as_slice())))
}

/// A stored letter's PDF, exactly as sent.
pub(super) async fn letter(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, letter)): Path<(String, String)>,
) -> AppResult<Response> {
    let sent = usecases::letter(&user.ctx(&state), path_id(&id)?, &letter).await?;
    Ok(crate::download::pdf_inline(
        &format!("{}-{}.pdf", sent.case.reference, sent.letter.kind),
        sent.pdf,
        Some(&sent.letter.sha256),
    ))
}

// ------------------------------------------------------------------------------------------
// Changing a case

pub(super) async fn save_application(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<ApplicationUpdate>,
) -> AppResult<Json<Case>> {
    let result = usecases::save_application(&user.ctx(&state), path_id(&id)?, update.version, &update.form).await;
    answer(result.map_err(|e| e.nested("form.", &[])))
}

/// The case as it is after a change, or why it did not change.
fn answer(result: Result<husly_domain::cases::Case, UseCaseError>) -> AppResult<Json<Case>> {
    Ok(Json(result?.into()))
}

/// The simple workflow steps, validated as the case page validates them.
pub(super) async fn act(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ActionRequest>,
) -> AppResult<Json<Case>> {
    let input = StepInput {
        version: request.version,
        step: &request.action,
        reason: request.reason.as_deref().unwrap_or_default(),
        information_due: request.information_due.as_deref().unwrap_or_default(),
        language: request.language.as_deref().unwrap_or_default(),
        expiry_reason: request.expiry_reason.as_deref().unwrap_or_default(),
        confirmed: request.confirmed,
        appeal_sent_on: request.appeal_sent_on.as_deref().unwrap_or_default(),
        appeal_channel: request.appeal_channel.as_deref().unwrap_or_default(),
    };
    answer(usecases::take_step(&user.ctx(&state), path_id::<CaseId>(&id)?, input).await)
}

pub(super) async fn override_rule(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<OverrideRequest>,
) -> AppResult<Json<Case>> {
    answer(
        usecases::override_rule(
            &user.ctx(&state),
            path_id(&id)?,
            request.version,
            &request.rule,
            request.outcome.as_deref(),
            request.reason.as_deref().unwrap_or_default(),
        )
        .await,
    )
}

/// Proposes a decision (a reversal when the case is on appeal), for an approver to review.
pub(super) async fn propose(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<DecisionRequest>,
) -> AppResult<Json<Case>> {
    let input = ProposalInput {
        version: request.version,
        outcome: &request.outcome,
        reasons: &request.reasons,
        granted_text: request.granted_text.as_deref().unwrap_or_default(),
        amount_kr: request.amount_kr,
        conditions: request.conditions,
        section6: request.section6.map_or("", |f| f.code()),
        renew_until: request.renew_until.as_deref().unwrap_or_default(),
        transition_plan: request.transition_plan.as_deref().unwrap_or_default(),
        startlan_referral: request.startlan_referral,
    };
    answer(usecases::propose_decision(&user.ctx(&state), path_id(&id)?, input).await)
}

/// The approver approves the proposed decision or sends it back; never their own proposal.
pub(super) async fn review(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ReviewRequest>,
) -> AppResult<Json<Case>> {
    let reason = request.reason.as_deref().unwrap_or_default();
    answer(
        usecases::review_decision(
            &user.ctx(&state),
            path_id(&id)?,
            request.version,
            request.approve,
            reason,
        )
        .await,
    )
}

/// Sends the approved decision: writes the letter (HTML and PDF) and stores it with the case.
pub(super) async fn send(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<SendRequest>,
) -> AppResult<Json<Case>> {
    let ctx = user.ctx(&state);
    let delivered_on = request.delivered_on.as_deref().unwrap_or_default();
    answer(
        usecases::send_decision(
            &ctx,
            path_id(&id)?,
            request.version,
            &request.language,
            &request.delivery,
            delivered_on,
        )
        .await,
    )
}

/// `PUT /cases/{id}/kostra-category`: the caseworker's KOSTRA main-reason classification.
pub async fn classify_kostra(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<super::contract::requests::KostraClassification>,
) -> AppResult<Json<super::contract::Kostra>> {
    let (ctx, id) = (user.ctx(&state), path_id(&id)?);
    let view = husly_usecases::kostra::classify_kostra(&ctx, id, &request.category).await?;
    Ok(Json(super::contract::Kostra::from(&view)))
}
