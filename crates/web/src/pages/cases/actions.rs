//! What the case page's forms post. Each handler binds its form to a typed struct (the CSRF
//! token is checked by [`StaffForm`] before anything else; a field that does not fit is a field
//! error), calls the use case, and shows the outcome: back to the case page, or the page again
//! with the problem beside its field.

use super::form::FormValues;
use super::view::{finish, rerender};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{StaffForm, path_id};
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::CaseId;
use husly_domain::validation::parse_kr;
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, ProposalInput, StepInput};
use serde::Deserialize;

pub async fn save_application(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let (id, user) = (path_id::<CaseId>(&id)?, &form.user);
    let ctx = user.ctx(&state);
    ctx.case_owner(id, husly_domain::authz::Action::HandleCase).await?;
    let values = FormValues::from_post(&form.fields, None)?;
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

/// A workflow step's form: a button with a version and, where the step needs them, a reason, a
/// deadline, a language, why an approval ends and its confirmation.
#[derive(Deserialize)]
struct StepForm {
    version: i64,
    action: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    information_due: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    expiry_reason: String,
    /// The checkbox: present (`yes`) when ticked.
    #[serde(default)]
    confirmed: Option<String>,
    #[serde(default)]
    appeal_sent_on: String,
    #[serde(default)]
    appeal_channel: String,
}

/// The simple workflow steps: each is a button with a version and, where needed, a reason.
pub async fn action(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: StepForm = form.bind()?;
    let input = StepInput {
        version: f.version,
        step: &f.action,
        reason: &f.reason,
        information_due: &f.information_due,
        language: &f.language,
        expiry_reason: &f.expiry_reason,
        confirmed: f.confirmed.as_deref() == Some("yes"),
        appeal_sent_on: &f.appeal_sent_on,
        appeal_channel: &f.appeal_channel,
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

/// A caseworker's judgement of one rule: `met`, `not_met`, or empty to remove it.
#[derive(Deserialize)]
struct OverrideForm {
    version: i64,
    rule: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    reason: String,
}

pub async fn override_rule(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: OverrideForm = form.bind()?;
    let rule = f.rule.trim();
    let result = usecases::override_rule(&form.user.ctx(&state), id, f.version, rule, Some(&f.outcome), &f.reason)
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

#[derive(Deserialize)]
struct AssignForm {
    version: i64,
    /// `me`, `none`, or a caseworker's id.
    to: String,
}

pub async fn assign(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: AssignForm = form.bind()?;
    let to = match f.to.trim() {
        "me" => usecases::Assignee::Me,
        "none" => usecases::Assignee::Nobody,
        other => usecases::Assignee::Caseworker(path_id(other)?),
    };
    let result = usecases::assign(&form.user.ctx(&state), id, f.version, to).await;
    let said = match to {
        usecases::Assignee::Me => "flash.case.taken",
        usecases::Assignee::Nobody => "flash.case.released",
        usecases::Assignee::Caseworker(_) => "flash.case.given",
    };
    finish(&state, &form.user, id, result, said, "assign", None).await
}

/// A decision as the proposal form writes it. The amount is typed as people write kroner; the
/// conditions one per line.
#[derive(Deserialize)]
pub(super) struct DraftFields {
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub reasons: String,
    #[serde(default)]
    pub granted_text: String,
    #[serde(default)]
    pub amount_kr: String,
    #[serde(default)]
    pub conditions: String,
    /// What the assessment of § 6 needs found (a refused housing application).
    #[serde(default)]
    pub section6: String,
    /// A renewal review: the new term's last day, or the plan and a startlån referral.
    #[serde(default)]
    pub renew_until: String,
    #[serde(default)]
    pub transition_plan: String,
    #[serde(default)]
    pub startlan_referral: Option<String>,
}

impl DraftFields {
    pub fn conditions(&self) -> Vec<String> {
        self.conditions.lines().map(str::to_string).collect()
    }
}

pub async fn propose(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let (version, f) = (form.version()?, form.bind::<DraftFields>()?);
    let amount_text = f.amount_kr.trim();
    let amount_kr = match parse_kr(amount_text) {
        _ if amount_text.is_empty() => None,
        Some(kr) => Some(kr),
        None => {
            let error = super::finance::unreadable_amount("amount_kr");
            return rerender(&state, &form.user, id, &[error], false, None).await;
        }
    };
    let input = ProposalInput {
        version,
        outcome: &f.outcome,
        reasons: &f.reasons,
        granted_text: &f.granted_text,
        amount_kr,
        conditions: f.conditions(),
        section6: &f.section6,
        renew_until: &f.renew_until,
        transition_plan: &f.transition_plan,
        startlan_referral: f.startlan_referral.is_some(),
    };
    // The application form on the same page has a field `reasons` too (the coded reasons): the
    // decision's reasons are shown as `decision.reasons`.
    let result = usecases::propose_decision(&form.user.ctx(&state), id, input)
        .await
        .map_err(|e| e.renamed("reasons", "decision.reasons"));
    finish(&state, &form.user, id, result, "flash.case.proposed", "outcome", None).await
}

/// The approver's choice.
#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum ReviewChoice {
    Approve,
    SendBack,
}

#[derive(Deserialize)]
struct ReviewForm {
    version: i64,
    decision: ReviewChoice,
    #[serde(default)]
    reason: String,
}

pub async fn review(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: ReviewForm = form.bind()?;
    let approve = f.decision == ReviewChoice::Approve;
    let ctx = form.user.ctx(&state);
    let result = usecases::review_decision(&ctx, id, f.version, approve, &f.reason).await;
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

#[derive(Deserialize)]
struct SendForm {
    version: i64,
    #[serde(default)]
    language: String,
    #[serde(default)]
    delivery: String,
    #[serde(default)]
    delivered_on: String,
}

pub async fn send(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: SendForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    let result = usecases::send_decision(&ctx, id, f.version, &f.language, &f.delivery, &f.delivered_on).await;
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

#[derive(Deserialize)]
struct InterimForm {
    version: i64,
    #[serde(default)]
    expected_by: String,
    #[serde(default)]
    interim_reason: String,
    #[serde(default)]
    language: String,
}

pub async fn interim(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: InterimForm = form.bind()?;
    let result = usecases::send_interim_answer(
        &form.user.ctx(&state),
        id,
        f.version,
        &f.expected_by,
        &f.interim_reason,
        &f.language,
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

/// The same household handled together (`link`), or not a duplicate (`dismiss`).
#[derive(Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum FlagChoice {
    Link,
    Dismiss,
}

#[derive(Deserialize)]
struct FlagForm {
    decision: FlagChoice,
    #[serde(default)]
    reason: String,
}

/// Links or dismisses a possible duplicate, with the reason.
pub async fn resolve_flag(
    State(state): State<AppState>,
    Path((id, flag)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: FlagForm = form.bind()?;
    let link = f.decision == FlagChoice::Link;
    let field = format!("flag.{flag}");
    let ctx = form.user.ctx(&state);
    let result = usecases::resolve_flag(&ctx, id, &flag, link, &f.reason)
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
