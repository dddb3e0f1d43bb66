//! What the case page's forms post. Each handler reads its form (the CSRF token is checked by
//! [`StaffForm`] before anything else), calls the use case, and shows the outcome: back to the
//! case page, or the page again with the problem beside its field.

use super::form::FormValues;
use super::view::{finish, rerender};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::{StaffForm, path_id};
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::CaseId;
use husly_domain::message::Message;
use husly_domain::validation::parse_kr;
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, ProposalInput, StepInput};

pub async fn save_application(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let (id, user) = (path_id::<CaseId>(&id)?, &form.user);
    let ctx = user.ctx(&state);
    ctx.case_owner(id, husly_domain::authz::Action::HandleCase).await?;
    // One economy row per member, as the form was rendered; the use case checks the count.
    let rows = (0..)
        .take_while(|i| form.fields.has(&format!("economy[{i}].income")))
        .count();
    let values = FormValues::from_post(&form.fields, rows);
    let result = match values.to_form() {
        Ok(application) => usecases::save_application(&ctx, id, form.version()?, &application).await,
        Err(errors) => Err(UseCaseError::Invalid(errors)),
    };
    finish(
        &state,
        user,
        id,
        result,
        "flash.case.application_saved",
        "application",
        Some(values),
    )
    .await
}

/// The simple workflow steps: each is a button with a version and, where needed, a reason.
pub async fn action(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f = &form.fields;
    let input = StepInput {
        version: form.version()?,
        step: f.get("action"),
        reason: f.get("reason"),
        information_due: f.get("information_due"),
        language: f.get("language"),
        expiry_reason: f.get("expiry_reason"),
        confirmed: f.get("confirmed") == "yes",
    };
    let step = input.step.trim();
    let result = usecases::take_step(&form.user.ctx(&state), id, input).await;
    // Ending and restoring an approval have forms of their own on the case page; their notes'
    // errors show beside those forms, not the appeal's.
    let result = match step {
        "expire" | "reinstate" => result.map_err(|e| e.renamed("reason", &format!("{step}.reason"))),
        _ => result,
    };
    finish(
        &state,
        &form.user,
        id,
        result,
        &format!("flash.step.{step}"),
        "action",
        None,
    )
    .await
}

pub async fn override_rule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f = &form.fields;
    let rule = f.get("rule").trim();
    let result = usecases::override_rule(
        &form.user.ctx(&state),
        id,
        form.version()?,
        rule,
        Some(f.get("outcome")),
        f.get("reason"),
    )
    .await
    // The page shows the reason's error beside the rule it belongs to.
    .map_err(|e| e.renamed("reason", &format!("override.{rule}")));
    finish(
        &state,
        &form.user,
        id,
        result,
        "flash.case.override_saved",
        &format!("override.{rule}"),
        None,
    )
    .await
}

pub async fn assign(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let take = form.fields.get("to") == "me";
    let result = usecases::assign(&form.user.ctx(&state), id, form.version()?, take).await;
    finish(
        &state,
        &form.user,
        id,
        result,
        if take {
            "flash.case.taken"
        } else {
            "flash.case.released"
        },
        "assign",
        None,
    )
    .await
}

pub async fn propose(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f = &form.fields;
    let amount_text = f.get("amount_kr").trim();
    let amount_kr = match parse_kr(amount_text) {
        _ if amount_text.is_empty() => None,
        Some(kr) => Some(kr),
        None => {
            let error = super::finance::unreadable_amount("amount_kr");
            return rerender(&state, &form.user, id, &[error], false, None).await;
        }
    };
    let input = ProposalInput {
        version: form.version()?,
        outcome: f.get("outcome"),
        reasons: f.get("reasons"),
        granted_text: f.get("granted_text"),
        amount_kr,
        conditions: f.get("conditions").lines().map(str::to_string).collect(),
    };
    // The application form on the same page has a field `reasons` too (the coded reasons): the
    // decision's reasons are shown as `decision.reasons`.
    let result = usecases::propose_decision(&form.user.ctx(&state), id, input)
        .await
        .map_err(|e| e.renamed("reasons", "decision.reasons"));
    finish(&state, &form.user, id, result, "flash.case.proposed", "outcome", None).await
}

pub async fn review(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let approve = match form.fields.get("decision") {
        "approve" => true,
        "send_back" => false,
        _ => return Err(AppError::BadRequest(Message::new("error.decision_choice"))),
    };
    let ctx = form.user.ctx(&state);
    let result = usecases::review_decision(&ctx, id, form.version()?, approve, form.fields.get("reason")).await;
    finish(
        &state,
        &form.user,
        id,
        result,
        if approve {
            "flash.case.approved"
        } else {
            "flash.case.sent_back"
        },
        "review",
        None,
    )
    .await
}

pub async fn send(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f = &form.fields;
    let ctx = form.user.ctx(&state);
    let result = usecases::send_decision(&ctx, id, form.version()?, f.get("language"), f.get("delivered_on")).await;
    finish(
        &state,
        &form.user,
        id,
        result,
        "flash.case.decision_sent",
        "language",
        None,
    )
    .await
}

pub async fn interim(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f = &form.fields;
    let result = usecases::send_interim_answer(
        &form.user.ctx(&state),
        id,
        form.version()?,
        f.get("expected_by"),
        f.get("interim_reason"),
        f.get("language"),
    )
    .await;
    finish(
        &state,
        &form.user,
        id,
        result,
        "flash.case.interim_sent",
        "interim_reason",
        None,
    )
    .await
}

/// Links or dismisses a possible duplicate, with the reason.
pub async fn resolve_flag(
    State(state): State<AppState>,
    Path((id, flag)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let link = match form.fields.get("decision") {
        "link" => true,
        "dismiss" => false,
        _ => return Err(AppError::BadRequest(Message::new("error.decision_choice"))),
    };
    let field = format!("flag.{flag}");
    let ctx = form.user.ctx(&state);
    let result = usecases::resolve_flag(&ctx, id, &flag, link, form.fields.get("reason"))
        .await
        .map_err(|e| e.renamed("reason", &field));
    finish(&state, &form.user, id, result, "flash.case.flag_resolved", &field, None).await
}

/// Attaches a document; the CSRF token travels inside the multipart body and is checked before
/// anything is read or stored.
pub async fn upload_document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let ctx = user.ctx(&state);
    // Who may attach is settled before the body is read; nothing is recorded until then.
    ctx.case_owner(id, husly_domain::authz::Action::HandleCase).await?;
    let upload = crate::upload::read_request(request).await?;
    user.check_csrf(&upload.csrf)?;
    let (kind, filename) = match crate::upload::check(&upload, state.config.max_document_bytes) {
        Ok(checked) => checked,
        Err(error) => return rerender(&state, &user, id, &[error], false, None).await,
    };
    usecases::add_document(&ctx, id, &filename, kind, &upload.bytes).await?;
    Ok(crate::flash::redirect(
        &format!("/cases/{id}"),
        "flash.case.document_added",
    ))
}
