//! `POST /cases/{id}/preview`: the decision letter before it is sent, in the page (HTML) or as
//! the PDF it would be. From the proposal form it shows the proposal being written (nothing is
//! saved); from the review and send forms, the decision waiting for approval or sending.

use super::actions::DraftFields;
use crate::AppState;
use crate::error::AppResult;
use crate::forms::{StaffForm, path_id};
use crate::layout::{Layout, Section};
use crate::pages::render;
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::CaseId;
use husly_domain::validation::parse_kr;
use husly_usecases::UseCaseError;
use husly_usecases::cases::{self as usecases, DraftDecision};
use serde::Deserialize;

/// The proposal form's fields (empty when previewing the pending decision), the letter's
/// language and whether the PDF is wanted.
#[derive(Deserialize)]
struct PreviewForm {
    #[serde(default)]
    language: String,
    #[serde(flatten)]
    draft: DraftFields,
    /// `pdf` for the PDF; the page otherwise.
    #[serde(default)]
    format: String,
}

#[derive(Template)]
#[template(path = "case_letter_preview.html")]
struct PreviewPage<'a> {
    l: Layout,
    case_id: String,
    reference: String,
    form: &'a PreviewForm,
    /// The letter as `husly_letters` renders it (escaped there).
    html: String,
}

pub async fn preview(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: PreviewForm = form.bind()?;
    let d = &f.draft;
    let draft = (!d.outcome.trim().is_empty()).then(|| DraftDecision {
        outcome: &d.outcome,
        reasons: &d.reasons,
        granted_text: &d.granted_text,
        amount_kr: parse_kr(d.amount_kr.trim()),
        conditions: d.conditions(),
        section6: &d.section6,
        renew_until: &d.renew_until,
        transition_plan: &d.transition_plan,
        startlan_referral: d.startlan_referral.is_some(),
    });
    // What the proposal would refuse, the preview shows beside the proposal's fields, as
    // proposing would (the decision's reasons are `decision.reasons` on the case page).
    let preview = match usecases::preview_decision(&form.user.ctx(&state), id, draft, &f.language)
        .await
        .map_err(|e| e.renamed("reasons", "decision.reasons"))
    {
        Ok(preview) => preview,
        Err(UseCaseError::Invalid(errors)) => {
            return super::view::rerender(&state, &form.user, id, &errors, false, None).await;
        }
        Err(other) => return Err(other.into()),
    };
    if f.format == "pdf" {
        return Ok(crate::download::pdf_inline(
            &format!("{}-utkast.pdf", preview.case.reference),
            preview.letter.pdf,
            None,
        ));
    }
    render(&PreviewPage {
        l: Layout::for_user(&form.user, Section::Cases, state.config.demo_mode),
        case_id: preview.case.id.to_string(),
        reference: preview.case.reference,
        form: &f,
        html: preview.letter.html,
    })
}
