//! Every change a user makes to a case: authorise → load → check the input → the domain's
//! lifecycle command → the letter, rendered off the async threads → saved with its event and
//! audit entry in one transaction. Each returns the case as it is afterwards.

use super::assessment::{assessment_of, assessment_snapshot, rule_codes, validity_months};
use super::letters::{Party, information_letter, interim_letter, render, render_decision};
use super::{CaseFile, load};
use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::cases::requests::{self, ProposalRequest, StepRequest};
use husly_domain::cases::{ApplicationForm, CaseAction, CaseState, CaseType, DecisionStatus, Refusal};
use husly_domain::eligibility::EligibilityRules;
use husly_domain::validation::FieldError;
use husly_domain::{CaseId, DecisionId, HouseholdId};
use husly_store::cases::Case;

/// The checked input when neither check found a problem; otherwise every problem of both.
fn both<T>(mut errors: Vec<FieldError>, checked: Result<T, Vec<FieldError>>) -> UseCaseResult<T> {
    match checked {
        Ok(value) if errors.is_empty() => Ok(value),
        Ok(_) => Err(UseCaseError::Invalid(errors)),
        Err(more) => {
            errors.extend(more);
            Err(UseCaseError::Invalid(errors))
        }
    }
}

/// A case loaded for a change by a caseworker.
async fn for_handling(ctx: &Ctx, id: CaseId) -> UseCaseResult<CaseFile> {
    load(ctx, id, Action::HandleCase).await
}

/// Registers an application a caseworker received for a household (on paper, by phone, in a
/// meeting): checks its type, the day received and the form, and opens the case.
pub async fn register_application(
    ctx: &Ctx,
    household: HouseholdId,
    case_type: &str,
    received_on: &str,
    form: &ApplicationForm,
) -> UseCaseResult<Case> {
    let municipality = ctx.household_owner(household, Action::HandleCase).await?;
    let members = ctx.store.household(municipality, household).await?.members.len();
    let registration = requests::check_registration(case_type, received_on, ctx.today);
    let (case_type, received) = match (registration, form.check(members, ctx.today)) {
        (Ok(registration), form_errors) if form_errors.is_empty() => registration,
        (registration, form_errors) => {
            let errors = registration.err().unwrap_or_default().into_iter().chain(form_errors);
            return Err(UseCaseError::Invalid(errors.collect()));
        }
    };
    let actor = ctx.actor(municipality);
    let (id, _) = ctx
        .store
        .register_application(municipality, household, case_type, form, received, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.case(municipality, id).await?)
}

/// Replaces the application form (while the case is prepared or assessed).
pub async fn save_application(ctx: &Ctx, id: CaseId, version: i64, form: &ApplicationForm) -> UseCaseResult<Case> {
    let file = for_handling(ctx, id).await?;
    let errors = form.check(file.household.members.len(), ctx.today);
    if !errors.is_empty() {
        return Err(UseCaseError::Invalid(errors));
    }
    ctx.change_case(file.municipality, id, version, None, |case, _| case.save_form(form))
        .await
}

/// A simple workflow step, as a page's button or the API's `action` asks for it.
pub struct StepInput<'a> {
    pub version: i64,
    pub step: &'a str,
    pub reason: &'a str,
    /// The deadline for `request_information`.
    pub information_due: &'a str,
    /// The language of the letter `request_information` sends: `nb`, `nn` or `en`.
    pub language: &'a str,
    /// Why an approval ends (`expire`), an [`husly_domain::cases::requests::ExpiryReason`] code.
    pub expiry_reason: &'a str,
    /// The user confirmed a step that ends or reduces the household's rights.
    pub confirmed: bool,
    /// For `register_appeal`: the day the appeal was posted, sent or handed in.
    pub appeal_sent_on: &'a str,
    /// For `register_appeal`: `post`, `digital` or `in_person`.
    pub appeal_channel: &'a str,
}

/// Takes a simple step; asking for information also sends the request as a letter.
pub async fn take_step(ctx: &Ctx, id: CaseId, input: StepInput<'_>) -> UseCaseResult<Case> {
    let file = for_handling(ctx, id).await?;
    let mut errors = Vec::new();
    let language = requests::check_letter_language(&mut errors, "language", input.language);
    let step = requests::check_step(&StepRequest {
        step: input.step,
        reason: input.reason,
        information_due: input.information_due,
        today: ctx.today,
        appeal_deadline: file.case.appeal_deadline,
        expiry_reason: input.expiry_reason,
        confirmed: input.confirmed,
        appeal_sent_on: input.appeal_sent_on,
        appeal_channel: input.appeal_channel,
    });
    let step = both(errors, step)?;
    // An applicant who applied online answers on the application's status page too.
    let reply_online =
        step.action == CaseAction::RequestInformation && ctx.store.applied_online(file.municipality, id).await?;
    let letter = match (step.action, step.information_due) {
        (CaseAction::RequestInformation, Some(deadline)) => Some(
            render(information_letter(
                &ctx.user,
                &file.number,
                &file.case,
                Party::of(&file),
                step.reason.as_deref().unwrap_or_default(),
                deadline,
                reply_online,
                &language,
                ctx.today,
            ))
            .await?,
        ),
        _ => None,
    };
    let validity = validity_months(&file.number, ctx.today);
    let case = ctx
        .change_case(
            file.municipality,
            id,
            input.version,
            letter.as_ref().map(|l| l.as_new("request_for_information")).as_ref(),
            |case, _| case.take_step(&step, ctx.today, validity),
        )
        .await?;
    if letter.is_some() {
        crate::notify::letter_sent(ctx, &file).await;
    }
    Ok(case)
}

/// Records the caseworker's judgement of a rule (`met` or `not_met`, with reasons), or removes
/// it (`None`).
pub async fn override_rule(
    ctx: &Ctx,
    id: CaseId,
    version: i64,
    rule: &str,
    outcome: Option<&str>,
    reason: &str,
) -> UseCaseResult<Case> {
    let file = for_handling(ctx, id).await?;
    let rule = rule.trim();
    let assessment = assessment_of(&file, ctx.today);
    let rules = rule_codes(assessment.as_ref());
    let mut errors = Vec::new();
    if rule.is_empty() {
        errors.push(FieldError::required("rule"));
    } else if !rules.contains(&rule) {
        errors.push(FieldError::unknown_value("rule", rule, &rules));
    }
    let (outcome, reason) = both(errors, requests::check_override("reason", outcome, reason))?;
    ctx.change_case(file.municipality, id, version, None, |case, _| {
        case.set_override(rule, outcome, &reason, &rules)
    })
    .await
}

/// Who a case is given to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignee {
    /// The caller takes it.
    Me,
    /// Nobody: the caller releases it.
    Nobody,
    /// A caseworker of the municipality (a team lead sharing out the work).
    Caseworker(husly_domain::UserId),
}

/// Gives the case to the caller, to nobody, or to another caseworker of the municipality (field
/// error `to` when they are not one).
pub async fn assign(ctx: &Ctx, id: CaseId, version: i64, to: Assignee) -> UseCaseResult<Case> {
    let municipality = ctx.case_owner(id, Action::HandleCase).await?;
    let to = match to {
        Assignee::Me => Some(ctx.user.id),
        Assignee::Nobody => None,
        Assignee::Caseworker(user) => {
            if !crate::tasks::assignees(ctx, municipality)
                .await?
                .iter()
                .any(|(id, _)| *id == user)
            {
                return Err(UseCaseError::Invalid(vec![FieldError::new(
                    "to",
                    "not_a_caseworker",
                    "error.task.not_a_caseworker",
                )]));
            }
            Some(user)
        }
    };
    ctx.change_case(municipality, id, version, None, |case, _| case.assign(to))
        .await
}

/// A decision as proposed.
pub struct ProposalInput<'a> {
    pub version: i64,
    pub outcome: &'a str,
    pub reasons: &'a str,
    pub granted_text: &'a str,
    /// The loan or grant amount, whole kroner.
    pub amount_kr: Option<i64>,
    pub conditions: Vec<String>,
    /// What the assessment of the household's § 6 needs found (a code of
    /// [`husly_domain::cases::section6::Section6Finding`]); needed to refuse a municipal dwelling.
    pub section6: &'a str,
    /// A renewal review: the new term's last day (renewed) …
    pub renew_until: &'a str,
    /// … or what happens next (not renewed), and whether the household is referred to startlån.
    pub transition_plan: &'a str,
    pub startlan_referral: bool,
}

/// The new term's last day a renewal review suggests: the municipality's usual term from the end
/// of the present one, longer for a household with children under 18.
pub fn suggested_renewal_until(file: &CaseFile, today: time::Date) -> Option<time::Date> {
    let period_end = file.reviewed_contract.as_ref()?.period_end?;
    let rules = EligibilityRules::embedded()
        .allocation_rules(&file.number, husly_domain::rules::YearMonth::of(today))
        .ok()?;
    let with_children = file
        .household
        .members
        .iter()
        .any(|m| husly_domain::bostotte::age_at(m.person.birth_date, today) < 18);
    Some(
        rules
            .values
            .renewal_practice()
            .suggested_until(period_end, with_children),
    )
}

/// The renewal part of a proposal for a renewal review, against the contract it is about.
pub(crate) fn renewal_request<'a>(
    file: &CaseFile,
    renew_until: &'a str,
    transition_plan: &'a str,
    startlan_referral: bool,
) -> Option<husly_domain::cases::renewal::RenewalRequest<'a>> {
    let contract = file.reviewed_contract.as_ref()?;
    Some(husly_domain::cases::renewal::RenewalRequest {
        renew_until,
        transition_plan,
        startlan_referral,
        term_end: contract.period_end?,
        notice_11_1_given: contract.notice_11_1_on.is_some(),
    })
}

/// Proposes a decision (a reversal when the case is on appeal) for an approver to review; it
/// keeps the assessment as it stands.
pub async fn propose_decision(ctx: &Ctx, id: CaseId, input: ProposalInput<'_>) -> UseCaseResult<Case> {
    let file = for_handling(ctx, id).await?;
    let childrens_best_interests_unassessed = assessment_of(&file, ctx.today).is_some_and(|a| a.awaits_weighing());
    // A refusal that says a § 6 case is opened needs one: in handling, or granted.
    let housing_decision = matches!(
        file.case.case_type,
        CaseType::MunicipalHousing | CaseType::TenancyRenewal
    );
    let section6_case_registered = housing_decision
        && ctx
            .store
            .cases_of_household(file.municipality, file.case.household_id)
            .await?
            .iter()
            .any(|c| {
                c.case_type == CaseType::Section6Assistance
                    && !matches!(
                        c.state,
                        CaseState::Withdrawn | CaseState::Closed | CaseState::Refused | CaseState::Expired
                    )
            });
    let proposal = requests::check_proposal(ProposalRequest {
        outcome: input.outcome,
        reasons: input.reasons,
        granted_text: input.granted_text,
        application_complete: file
            .case
            .form
            .missing_for_submission(file.household.members.len())
            .is_empty(),
        finance_case: file.case.case_type.is_finance(),
        economy_recorded: file.case.finance.is_some(),
        amount_kr: input.amount_kr,
        conditions: input.conditions,
        childrens_best_interests_unassessed,
        municipal_housing: housing_decision,
        section6: input.section6,
        section6_case_registered,
        renewal: renewal_request(&file, input.renew_until, input.transition_plan, input.startlan_referral),
    })?;
    let assessment = assessment_snapshot(&file, ctx.today);
    let proposer = ctx.user.id;
    ctx.change_case(file.municipality, id, input.version, None, |case, _| {
        case.propose(DecisionId::new(), &proposal, proposer, assessment)
    })
    .await
}

/// The approver approves the proposed decision or sends it back with what must change; never
/// their own proposal.
pub async fn review_decision(ctx: &Ctx, id: CaseId, version: i64, approve: bool, reason: &str) -> UseCaseResult<Case> {
    let municipality = ctx.case_owner(id, Action::ApproveDecision).await?;
    let reason = requests::check_review(approve, reason)?;
    let reviewer = ctx.user.id;
    ctx.change_case(municipality, id, version, None, |case, latest| {
        case.review(latest, reviewer, approve, reason)
    })
    .await
}

/// Sends the approved decision: writes its letter in `language` (HTML and PDF), stores it with
/// the case, and starts the appeal deadline from the day it reaches the party: `delivered_on`,
/// or by `channel` (`digital`: today; `paper`: the municipality's working days later).
pub async fn send_decision(
    ctx: &Ctx,
    id: CaseId,
    version: i64,
    language: &str,
    channel: &str,
    delivered_on: &str,
) -> UseCaseResult<Case> {
    let file = for_handling(ctx, id).await?;
    let paper_days = EligibilityRules::embedded()
        .municipality(&file.number)
        .letters
        .paper_delivery_working_days;
    let (language, delivery) = requests::check_send(language, channel, delivered_on, ctx.today, paper_days)?;
    let decision = ctx
        .store
        .decisions(file.municipality, id)
        .await?
        .into_iter()
        .next()
        .filter(|d| d.status == DecisionStatus::Approved)
        .ok_or(UseCaseError::Refused(Refusal::NotApproved))?;
    let letter = render_decision(ctx, &file, &decision, &language).await?;
    let validity = validity_months(&file.number, ctx.today);
    let case = ctx
        .change_case(
            file.municipality,
            id,
            version,
            Some(&letter.as_new("decision")),
            |case, latest| case.send_decision(latest, ctx.today, delivery, validity),
        )
        .await?;
    crate::notify::letter_sent(ctx, &file).await;
    Ok(case)
}

/// Sends the interim answer (forvaltningsloven § 11 a) as a letter.
pub async fn send_interim_answer(
    ctx: &Ctx,
    id: CaseId,
    version: i64,
    expected_by: &str,
    reason: &str,
    language: &str,
) -> UseCaseResult<Case> {
    let file = for_handling(ctx, id).await?;
    let mut errors = Vec::new();
    let language = requests::check_letter_language(&mut errors, "language", language);
    let (expected, reason) = both(errors, requests::check_interim(expected_by, reason, ctx.today))?;
    let letter = render(interim_letter(
        &ctx.user,
        &file.number,
        &file.case,
        Party::of(&file),
        &reason,
        expected,
        &language,
        ctx.today,
    ))
    .await?;
    let case = ctx
        .change_case(
            file.municipality,
            id,
            version,
            Some(&letter.as_new("interim_answer")),
            |case, _| case.send_interim_answer(ctx.today),
        )
        .await?;
    crate::notify::letter_sent(ctx, &file).await;
    Ok(case)
}

/// Links (the same household applying twice, handled together) or dismisses (not a duplicate) a
/// possible duplicate, with the reason; the records stay as they are.
pub async fn resolve_flag(ctx: &Ctx, id: CaseId, flag: &str, link: bool, reason: &str) -> UseCaseResult<Case> {
    let municipality = ctx.case_owner(id, Action::HandleCase).await?;
    let reason = requests::check_flag_resolution("reason", reason)?;
    let actor = ctx.actor(municipality);
    let change = husly_store::households::Change {
        reason: Some(&reason),
        ..ctx.change(&actor)
    };
    ctx.store
        .resolve_flag(municipality, id, flag, link, &reason, &change)
        .await?;
    Ok(ctx.store.case(municipality, id).await?)
}

/// Attaches a checked document (see [`husly_domain::documents`]) to a case.
pub async fn add_document(
    ctx: &Ctx,
    id: CaseId,
    filename: &str,
    kind: husly_domain::documents::DocumentType,
    bytes: &[u8],
) -> UseCaseResult<husly_store::documents::Document> {
    let municipality = ctx.case_owner(id, Action::HandleCase).await?;
    let actor = ctx.actor(municipality);
    Ok(ctx
        .store
        .add_document(
            municipality,
            husly_store::documents::Owner::Case(id),
            filename,
            kind,
            bytes,
            &actor,
        )
        .await?)
}
