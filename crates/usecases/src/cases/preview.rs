//! The decision letter before it is sent: for the proposal being written (from the proposal
//! form, not saved) or for the decision waiting for approval or sending. Rendered exactly as
//! sending would render it, stored nowhere, and the read recorded.

use super::assessment::assessment_snapshot;
use super::letters::{Rendered, render_decision};
use super::{CaseFile, load};
use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::cases::requests::{self, ProposalRequest};
use husly_domain::cases::{CaseType, DecisionStatus, Outcome};
use husly_domain::{CaseId, DecisionId};
use husly_store::cases::{Case, Decision};
use serde_json::json;

/// A proposal as written in the form, not yet proposed.
pub struct DraftDecision<'a> {
    pub outcome: &'a str,
    pub reasons: &'a str,
    pub granted_text: &'a str,
    /// The loan or grant amount, whole kroner.
    pub amount_kr: Option<i64>,
    pub conditions: Vec<String>,
    /// The § 6 finding's code (a refused housing application), or empty.
    pub section6: &'a str,
    /// A renewal review's new term or plan (as in [`super::commands::ProposalInput`]).
    pub renew_until: &'a str,
    pub transition_plan: &'a str,
    pub startlan_referral: bool,
}

/// The letter, and the case it is for.
pub struct Preview {
    pub case: Case,
    pub letter: Rendered,
}

/// The decision letter in `language` for `draft`, or, without one, for the case's decision that
/// is proposed or approved but not sent.
pub async fn preview_decision(
    ctx: &Ctx,
    id: CaseId,
    draft: Option<DraftDecision<'_>>,
    language: &str,
) -> UseCaseResult<Preview> {
    let file = load(ctx, id, Action::HandleCase).await?;
    let mut errors = Vec::new();
    let language = requests::check_letter_language(&mut errors, "language", language);
    if !errors.is_empty() {
        return Err(UseCaseError::Invalid(errors));
    }
    let (decision, of) = match draft {
        Some(draft) => (drafted(ctx, &file, draft)?, "draft".to_string()),
        None => {
            let pending = ctx
                .store
                .decisions(file.municipality, id)
                .await?
                .into_iter()
                .next()
                .filter(|d| matches!(d.status, DecisionStatus::Proposed | DecisionStatus::Approved))
                .ok_or(UseCaseError::NotFound)?;
            let of = pending.id.to_string();
            (pending, of)
        }
    };
    let letter = render_decision(ctx, &file, &decision, &language).await?;
    ctx.audit_read(
        file.municipality,
        "case.letter_preview",
        ("case", id.to_string()),
        json!({ "decision": of, "language": language }),
    )
    .await?;
    Ok(Preview {
        case: file.case,
        letter,
    })
}

/// The draft as the proposal would store it; what the proposal would refuse, the preview refuses.
fn drafted(ctx: &Ctx, file: &CaseFile, draft: DraftDecision<'_>) -> UseCaseResult<Decision> {
    let proposal = requests::check_proposal(ProposalRequest {
        outcome: draft.outcome,
        reasons: draft.reasons,
        granted_text: draft.granted_text,
        // Completeness and the children's assessment are the proposal's own checks: a letter
        // can be read before they are settled.
        application_complete: true,
        finance_case: file.case.case_type.is_finance(),
        economy_recorded: true,
        amount_kr: draft.amount_kr,
        conditions: draft.conditions,
        childrens_best_interests_unassessed: false,
        // Shown when given; that a refusal needs one is the proposal's own check.
        municipal_housing: matches!(
            file.case.case_type,
            CaseType::MunicipalHousing | CaseType::TenancyRenewal
        ) && !draft.section6.trim().is_empty(),
        section6: draft.section6,
        // The preview shows the letter; whether the § 6 case exists is the proposal's check.
        section6_case_registered: true,
        renewal: super::commands::renewal_request(
            file,
            draft.renew_until,
            draft.transition_plan,
            draft.startlan_referral,
        ),
    })?;
    Ok(Decision {
        id: DecisionId::new(),
        outcome: proposal.outcome,
        reasons: proposal.reasons,
        granted_text: proposal.granted_text.filter(|_| proposal.outcome != Outcome::Refused),
        assessment: assessment_snapshot(file, ctx.today),
        status: DecisionStatus::Proposed,
        proposed_by: ctx.user.id,
        proposed_by_name: ctx.user.display_name.clone(),
        proposed_at: 0,
        decided_by: None,
        decided_at: None,
        sent_at: None,
        on_appeal: false,
        amount_ore: proposal.amount_ore,
        conditions: proposal.conditions,
        section6: proposal.section6,
        renewal: proposal.renewal,
    })
}
