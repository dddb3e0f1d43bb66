//! What a user asks of a case, checked the same way whether it came from a page's form or the
//! API's JSON: every problem with the request is named by its field. A request that passes is
//! then put to the case's lifecycle ([`super::lifecycle`]), which checks it against the case.

use super::section6::Section6Finding;
use super::{AppealBodyOutcome, CaseAction, CaseType, Outcome};
use crate::eligibility::RuleOutcome;
use crate::validation::{FieldError, parse_date};
use time::Date;

/// The step names a client may send.
pub const STEPS: &[&str] = &[
    "reinstate",
    "start_assessment",
    "request_information",
    "information_received",
    "register_appeal",
    "uphold_and_forward",
    "appeal_upheld",
    "appeal_reversed",
    "appeal_returned",
    "renew",
    "expire",
    "withdraw",
    "close",
];

/// Most conditions in one decision, and the longest.
pub const MAX_CONDITIONS: usize = 20;
pub const MAX_CONDITION_LEN: usize = 1_000;

/// Longest reasons accepted in a decision.
pub const MAX_REASONS: usize = 8_000;

/// Longest free text in a step, a review or an override (the same as the form's long texts).
pub const MAX_NOTE: usize = super::application::MAX_LONG_TEXT;

fn required(field: &str, key: &'static str) -> FieldError {
    FieldError::new(field, "required", key)
}

fn note(errors: &mut Vec<FieldError>, field: &str, text: &str) {
    if text.chars().count() > MAX_NOTE {
        errors.push(FieldError::too_long(field, MAX_NOTE));
    }
}

fn done<T>(errors: Vec<FieldError>, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
    if errors.is_empty() { Ok(value()) } else { Err(errors) }
}

// ------------------------------------------------------------------------------------------
// Registering an application

/// An application registered by a caseworker (received on paper, by phone or in a meeting): its
/// type, and the day it was received, which may not be in the future.
pub fn check_registration(
    case_type: &str,
    received_on: &str,
    today: Date,
) -> Result<(CaseType, Date), Vec<FieldError>> {
    let mut errors = Vec::new();
    let case_type_code = case_type.trim();
    let case_type = CaseType::applied_for(case_type_code);
    if case_type.is_none() {
        errors.push(FieldError::unknown_value(
            "case_type",
            case_type_code,
            &CaseType::APPLIED_FOR.map(CaseType::code),
        ));
    }
    let received = match parse_date(received_on.trim()) {
        Some(date) if date <= today => Some(date),
        Some(_) => {
            errors.push(FieldError::new(
                "received_on",
                "in_future",
                "error.case.received_in_future",
            ));
            None
        }
        None => {
            errors.push(FieldError::invalid_date("received_on"));
            None
        }
    };
    match (case_type, received) {
        (Some(case_type), Some(received)) => Ok((case_type, received)),
        _ => Err(errors),
    }
}

// ------------------------------------------------------------------------------------------
// The simple workflow steps

/// Why an approval on the waiting list ends before the household got a dwelling. Ending it
/// takes the household's place away, so it is never done without one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryReason {
    /// The validity period ran out without a renewal.
    ValidityEnded,
    /// The household has found a home by other means.
    HousedElsewhere,
    /// The household has moved from the municipality.
    MovedAway,
    /// The household asked to be taken off the waiting list.
    AskedToBeRemoved,
}

impl ExpiryReason {
    pub const ALL: [ExpiryReason; 4] = [
        ExpiryReason::ValidityEnded,
        ExpiryReason::HousedElsewhere,
        ExpiryReason::MovedAway,
        ExpiryReason::AskedToBeRemoved,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ExpiryReason::ValidityEnded => "validity_ended",
            ExpiryReason::HousedElsewhere => "housed_elsewhere",
            ExpiryReason::MovedAway => "moved_away",
            ExpiryReason::AskedToBeRemoved => "asked_to_be_removed",
        }
    }

    pub fn from_code(code: &str) -> Option<ExpiryReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// How an appeal reached the office. Forvaltningsloven § 30: an appeal is in time when it was
/// handed to the post, or delivered to the office, before the deadline ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealChannel {
    /// Posted: the date is the postmark's.
    Post,
    /// Sent digitally (e-mail, the municipality's form, Altinn): the date it was sent.
    Digital,
    /// Handed in at the office: the date it was handed in.
    InPerson,
}

impl AppealChannel {
    pub const ALL: [AppealChannel; 3] = [AppealChannel::Post, AppealChannel::Digital, AppealChannel::InPerson];

    pub fn code(self) -> &'static str {
        match self {
            AppealChannel::Post => "post",
            AppealChannel::Digital => "digital",
            AppealChannel::InPerson => "in_person",
        }
    }

    pub fn from_code(code: &str) -> Option<AppealChannel> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// When and how an appeal was sent, and whether that was within the deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct AppealReceipt {
    pub sent_on: Date,
    pub channel: AppealChannel,
    /// Sent on or before the appeal deadline (§ 30); an appeal without a deadline is in time.
    pub in_time: bool,
}

pub struct StepRequest<'a> {
    pub step: &'a str,
    /// The user's note: the items asked for, or why (required for some steps).
    pub reason: &'a str,
    /// The deadline typed for `request_information` (dd.mm.yyyy or yyyy-mm-dd).
    pub information_due: &'a str,
    pub today: Date,
    /// The case's appeal deadline, if a decision has been sent.
    pub appeal_deadline: Option<Date>,
    /// For `expire`: why the approval ends (an [`ExpiryReason`] code).
    pub expiry_reason: &'a str,
    /// The user confirmed a step that ends or reduces the household's rights.
    pub confirmed: bool,
    /// For `register_appeal`: the day the appeal was posted, sent or handed in.
    pub appeal_sent_on: &'a str,
    /// For `register_appeal`: an [`AppealChannel`] code.
    pub appeal_channel: &'a str,
}

/// A step that passed [`check_step`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub action: CaseAction,
    /// The note, trimmed; empty is none.
    pub reason: Option<String>,
    /// The deadline for the information asked for.
    pub information_due: Option<Date>,
    /// Why an approval ends (`expire` only).
    pub expiry: Option<ExpiryReason>,
    /// When and how the appeal was sent (`register_appeal` only).
    pub appeal: Option<AppealReceipt>,
}

/// The step, or every problem with the request.
pub fn check_step(request: &StepRequest<'_>) -> Result<Step, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut information_due = None;
    let mut expiry = None;
    let mut appeal = None;
    let reason = request.reason.trim();
    note(&mut errors, "reason", reason);
    let action = match request.step.trim() {
        "start_assessment" => CaseAction::StartAssessment,
        "request_information" => {
            match parse_date(request.information_due.trim()) {
                Some(d) if d > request.today => information_due = Some(d),
                _ => errors.push(FieldError::new(
                    "information_due",
                    "invalid_date",
                    "error.case.information_due_invalid",
                )),
            }
            if reason.is_empty() {
                errors.push(required("reason", "error.case.information_reason_required"));
            }
            CaseAction::RequestInformation
        }
        "information_received" => CaseAction::InformationReceived,
        "register_appeal" => {
            appeal = appeal_receipt(&mut errors, request);
            // A late appeal may still be heard (§ 31), and the note says why.
            if appeal.is_some_and(|a| !a.in_time) && reason.is_empty() {
                errors.push(required("reason", "error.case.late_appeal_reason_required"));
            }
            CaseAction::RegisterAppeal
        }
        "uphold_and_forward" => CaseAction::UpholdAndForward,
        "appeal_upheld" => CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Upheld),
        "appeal_reversed" => CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Reversed),
        "appeal_returned" => CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::ReturnedForNewAssessment),
        "renew" => CaseAction::Renew,
        "expire" => {
            match ExpiryReason::from_code(request.expiry_reason.trim()) {
                Some(code) => expiry = Some(code),
                None => errors.push(FieldError::new(
                    "expiry_reason",
                    "required",
                    "error.case.expiry_reason_required",
                )),
            }
            if reason.is_empty() {
                errors.push(required("reason", "error.case.expiry_reason_text_required"));
            }
            confirmation(&mut errors, request.confirmed);
            CaseAction::Expire
        }
        "reinstate" => {
            if reason.is_empty() {
                errors.push(required("reason", "error.case.reinstate_reason_required"));
            }
            CaseAction::Reinstate
        }
        "withdraw" => {
            if reason.is_empty() {
                errors.push(required("reason", "error.case.withdraw_reason_required"));
            }
            CaseAction::Withdraw
        }
        "close" => CaseAction::Close,
        other => return Err(vec![FieldError::unknown_value("action", other, STEPS)]),
    };
    done(errors, || Step {
        action,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        information_due,
        expiry,
        appeal,
    })
}

/// When and how the appeal was sent: both required, the day not in the future; compared with
/// the deadline, never the day it is registered.
fn appeal_receipt(errors: &mut Vec<FieldError>, request: &StepRequest<'_>) -> Option<AppealReceipt> {
    let channel = AppealChannel::from_code(request.appeal_channel.trim());
    if channel.is_none() {
        errors.push(required("appeal_channel", "error.case.appeal_channel_required"));
    }
    let sent_on = parse_date(request.appeal_sent_on.trim()).filter(|d| *d <= request.today);
    if sent_on.is_none() {
        errors.push(FieldError::new(
            "appeal_sent_on",
            "invalid_date",
            "error.case.appeal_sent_on_invalid",
        ));
    }
    let (sent_on, channel) = (sent_on?, channel?);
    Some(AppealReceipt {
        sent_on,
        channel,
        in_time: request.appeal_deadline.is_none_or(|deadline| sent_on <= deadline),
    })
}

/// A step that ends or reduces a household's rights needs the user's explicit confirmation.
fn confirmation(errors: &mut Vec<FieldError>, confirmed: bool) {
    if !confirmed {
        errors.push(FieldError::new(
            "confirmed",
            "not_confirmed",
            "error.case.expiry_not_confirmed",
        ));
    }
}

// ------------------------------------------------------------------------------------------
// Proposing a decision

/// A proposed decision as asked for (the case page's form or the API's JSON).
pub struct ProposalRequest<'a> {
    pub outcome: &'a str,
    pub reasons: &'a str,
    pub granted_text: &'a str,
    /// Whether the application has everything needed to grant it.
    pub application_complete: bool,
    /// A startlån or grant case: a granted decision says how much.
    pub finance_case: bool,
    /// Whether the case's economy is recorded (finance cases).
    pub economy_recorded: bool,
    /// The amount granted, whole kroner (finance cases).
    pub amount_kr: Option<i64>,
    /// The conditions attached to what is granted, one text each.
    pub conditions: Vec<String>,
    /// The household has children and their best interests are not yet assessed (the rule
    /// [`crate::eligibility::CHILDRENS_BEST_INTERESTS`] without the caseworker's assessment).
    pub childrens_best_interests_unassessed: bool,
    /// An application for a municipal dwelling or a renewal review: a refusal or a partial grant
    /// records what the assessment of the household's § 6 needs found ([`super::section6`]).
    pub municipal_housing: bool,
    /// A renewal review: the new term or the plan when not renewed ([`super::renewal`]).
    pub renewal: Option<super::renewal::RenewalRequest<'a>>,
    /// The § 6 finding's code, or empty.
    pub section6: &'a str,
    /// The household has a § 6 case still in handling or granted: the finding "a § 6 case is
    /// opened" must be true when the letter says so.
    pub section6_case_registered: bool,
}

/// A proposal that passed [`check_proposal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedProposal {
    pub outcome: Outcome,
    pub reasons: String,
    pub granted_text: Option<String>,
    pub amount_ore: Option<i64>,
    pub conditions: Vec<String>,
    /// What the assessment of § 6 needs found (a refused or partly granted housing application).
    pub section6: Option<Section6Finding>,
    /// A renewal review's decision: the new term, or the plan when not renewed.
    pub renewal: Option<super::renewal::RenewalTerms>,
}

/// Checks a proposal the same way for the page and the API: an outcome, the reasons
/// (forvaltningsloven § 25), what is granted, a complete application to grant, and for a loan or
/// grant the amount and its conditions.
pub fn check_proposal(request: ProposalRequest<'_>) -> Result<CheckedProposal, Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome_code = request.outcome.trim();
    let outcome = Outcome::from_code(outcome_code);
    if outcome_code.is_empty() {
        errors.push(required("outcome", "error.case.outcome_required"));
    } else if outcome.is_none() {
        errors.push(FieldError::unknown_value(
            "outcome",
            outcome_code,
            &Outcome::ALL.map(Outcome::code),
        ));
    }
    let reasons = request.reasons.trim();
    if reasons.is_empty() {
        errors.push(required("reasons", "error.case.reasons_required"));
    } else if reasons.chars().count() > MAX_REASONS {
        errors.push(FieldError::too_long("reasons", MAX_REASONS));
    }
    let granted_text = request.granted_text.trim();
    note(&mut errors, "granted_text", granted_text);
    let conditions: Vec<String> = request
        .conditions
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if conditions.len() > MAX_CONDITIONS {
        errors.push(
            FieldError::new("conditions", "too_many_items", "error.case.too_many_conditions")
                .arg("max", MAX_CONDITIONS),
        );
    } else if conditions.iter().any(|c| c.chars().count() > MAX_CONDITION_LEN) {
        errors.push(FieldError::too_long("conditions", MAX_CONDITION_LEN));
    }
    // Grunnloven § 104 second paragraph and barnekonvensjonen art. 3: no decision that concerns
    // children is made before their best interests are assessed, whatever the outcome.
    if request.childrens_best_interests_unassessed {
        errors.push(FieldError::new(
            "childrens_best_interests",
            "not_assessed",
            "error.case.childrens_best_interests_required",
        ));
    }
    let granted = outcome.is_some_and(Outcome::grants);
    if granted {
        if granted_text.is_empty() {
            errors.push(required("granted_text", "error.case.granted_text_required"));
        }
        if !request.application_complete {
            errors.push(FieldError::new("outcome", "incomplete", "error.case.incomplete"));
        }
    } else if outcome.is_some() && !conditions.is_empty() {
        errors.push(FieldError::new(
            "conditions",
            "conditions_on_refusal",
            "error.case.conditions_on_refusal",
        ));
    }
    let mut amount_ore = None;
    if request.finance_case && granted {
        if !request.economy_recorded {
            errors.push(FieldError::new(
                "outcome",
                "economy_missing",
                "error.case.economy_missing",
            ));
        }
        match request.amount_kr {
            None => errors.push(required("amount_kr", "error.case.amount_required")),
            Some(kr) if kr <= 0 || kr > crate::startlan::input::MAX_AMOUNT_KR => errors.push(FieldError::new(
                "amount_kr",
                "amount_out_of_range",
                "error.case.amount_out_of_range",
            )),
            Some(kr) => amount_ore = Some(kr * 100),
        }
    } else if request.amount_kr.is_some() {
        errors.push(FieldError::new(
            "amount_kr",
            "amount_not_applicable",
            "error.case.amount_not_applicable",
        ));
    }
    // Boligsosialloven § 6: a household refused a dwelling, wholly or in part, is assessed for
    // individually adapted help, and the decision says what was found.
    let section6_code = request.section6.trim();
    let section6 = Section6Finding::from_code(section6_code);
    let section6_needed = request.municipal_housing && outcome.is_some_and(|o| o != Outcome::Granted);
    if section6_needed && section6_code.is_empty() {
        errors.push(required("section6", "error.case.section6_required"));
    } else if section6_needed && section6 == Some(Section6Finding::CaseOpened) && !request.section6_case_registered {
        errors.push(FieldError::new(
            "section6",
            "section6_case_missing",
            "error.case.section6_case_missing",
        ));
    } else if !section6_code.is_empty() && section6.is_none() {
        errors.push(FieldError::unknown_value(
            "section6",
            section6_code,
            &Section6Finding::ALL.map(Section6Finding::code),
        ));
    }
    let renewal = request
        .renewal
        .as_ref()
        .and_then(|renewal| super::renewal::check_renewal(outcome, renewal, &mut errors));
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(CheckedProposal {
            outcome,
            reasons: reasons.to_string(),
            granted_text: (!granted_text.is_empty()).then(|| granted_text.to_string()),
            amount_ore,
            conditions,
            section6: section6.filter(|_| section6_needed),
            renewal,
        }),
        _ => Err(errors),
    }
}

// ------------------------------------------------------------------------------------------
// Reviewing, sending, the interim answer, overrides and duplicate flags

/// The approver's answer: approve, or send back with what must change (the reason).
pub fn check_review(approve: bool, reason: &str) -> Result<Option<String>, Vec<FieldError>> {
    let reason = reason.trim();
    let mut errors = Vec::new();
    note(&mut errors, "reason", reason);
    if !approve && reason.is_empty() {
        errors.push(required("reason", "error.case.return_reason_required"));
    }
    done(errors, || (!reason.is_empty()).then(|| reason.to_string()))
}

/// The languages a letter can be written in.
pub const LETTER_LANGUAGES: [&str; 3] = ["nb", "nn", "en"];

/// A letter language code, checked.
pub fn check_letter_language(errors: &mut Vec<FieldError>, field: &str, code: &str) -> String {
    let code = code.trim();
    if code.is_empty() {
        return "nb".into();
    }
    if !LETTER_LANGUAGES.contains(&code) {
        errors.push(FieldError::unknown_value(field, code, &LETTER_LANGUAGES));
    }
    code.to_string()
}

/// How a decision letter reaches the party. The appeal deadline runs from the day it does
/// (forvaltningsloven § 29), which is not the day it is sent when it goes by post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryChannel {
    /// Made available digitally (Digipost, e-Boks, the municipality's inbox): reaches the party
    /// the same day.
    Digital,
    /// Posted on paper: reaches the party some working days later (the municipality's rule).
    Paper,
}

impl DeliveryChannel {
    pub const ALL: [DeliveryChannel; 2] = [DeliveryChannel::Digital, DeliveryChannel::Paper];

    pub fn code(self) -> &'static str {
        match self {
            DeliveryChannel::Digital => "digital",
            DeliveryChannel::Paper => "paper",
        }
    }

    pub fn from_code(code: &str) -> Option<DeliveryChannel> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// How and when the decision reaches the party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Delivery {
    pub channel: DeliveryChannel,
    pub on: Date,
}

impl Delivery {
    /// Made available digitally on `on`.
    pub fn digital(on: Date) -> Delivery {
        Delivery {
            channel: DeliveryChannel::Digital,
            on,
        }
    }
}

/// The day a letter sent `today` reaches the party when the caseworker gives none: the same day
/// digitally, `paper_working_days` working days later by post.
pub fn default_delivery(channel: DeliveryChannel, today: Date, paper_working_days: u32) -> Date {
    match channel {
        DeliveryChannel::Digital => today,
        DeliveryChannel::Paper => (0..paper_working_days).fold(today, |day, _| {
            super::deadlines::next_working_day_from(day + time::Duration::days(1))
        }),
    }
}

/// Sending the approved decision: the letter's language, how it goes, and the day it reaches
/// the party (given, today or later; or by the channel's default), from which the appeal
/// deadline runs.
pub fn check_send(
    language: &str,
    channel: &str,
    delivered_on: &str,
    today: Date,
    paper_working_days: u32,
) -> Result<(String, Delivery), Vec<FieldError>> {
    let mut errors = Vec::new();
    if language.trim().is_empty() {
        errors.push(FieldError::unknown_value("language", "", &LETTER_LANGUAGES));
    }
    let language = check_letter_language(&mut errors, "language", language);
    let channel = DeliveryChannel::from_code(channel.trim());
    if channel.is_none() {
        errors.push(required("delivery", "error.case.delivery_required"));
    }
    let delivered = match (delivered_on.trim(), channel) {
        ("", Some(channel)) => Some(default_delivery(channel, today, paper_working_days)),
        ("", None) => None,
        (typed, _) => {
            let delivered = parse_date(typed).filter(|d| *d >= today);
            if delivered.is_none() {
                errors.push(FieldError::new(
                    "delivered_on",
                    "invalid_date",
                    "error.case.delivered_on_invalid",
                ));
            }
            delivered
        }
    };
    match (channel, delivered) {
        (Some(channel), Some(on)) if errors.is_empty() => Ok((language, Delivery { channel, on })),
        _ => Err(errors),
    }
}

/// The interim answer (forvaltningsloven § 11 a): when the party may expect an answer, and why
/// the case is not decided yet.
pub fn check_interim(expected_by: &str, reason: &str, today: Date) -> Result<(Date, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let expected = parse_date(expected_by.trim()).filter(|d| *d > today);
    if expected.is_none() {
        errors.push(FieldError::new(
            "expected_by",
            "invalid_date",
            "error.case.expected_by_invalid",
        ));
    }
    let reason = reason.trim();
    note(&mut errors, "interim_reason", reason);
    if reason.is_empty() {
        errors.push(FieldError::new(
            "interim_reason",
            "required",
            "error.case.interim_reason_required",
        ));
    }
    match expected {
        Some(expected) if errors.is_empty() => Ok((expected, reason.to_string())),
        _ => Err(errors),
    }
}

/// An override of one rule's result: `met`, `not_met`, or none to remove it; an override needs
/// its reasons. `field` names where the form shows the error.
pub fn check_override(
    field: &str,
    outcome: Option<&str>,
    reason: &str,
) -> Result<(Option<RuleOutcome>, String), Vec<FieldError>> {
    let mut errors = Vec::new();
    let outcome = match outcome.map(str::trim) {
        None | Some("" | "none") => None,
        Some(code @ ("met" | "not_met")) => RuleOutcome::from_code(code),
        Some(other) => {
            errors.push(FieldError::unknown_value("outcome", other, &["met", "not_met"]));
            None
        }
    };
    let reason = reason.trim();
    note(&mut errors, field, reason);
    if outcome.is_some() && reason.is_empty() {
        errors.push(required(field, "error.case.override_reason_required"));
    }
    done(errors, || (outcome, reason.to_string()))
}

/// Linking or dismissing a possible duplicate needs the reason.
pub fn check_flag_resolution(field: &str, reason: &str) -> Result<String, Vec<FieldError>> {
    let reason = reason.trim();
    let mut errors = Vec::new();
    note(&mut errors, field, reason);
    if reason.is_empty() {
        errors.push(FieldError::new(field, "required", "error.case.reason_required"));
    }
    done(errors, || reason.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn request<'a>(step: &'a str, reason: &'a str, due: &'a str) -> StepRequest<'a> {
        StepRequest {
            step,
            reason,
            information_due: due,
            today: date!(2026 - 11 - 26),
            appeal_deadline: Some(date!(2026 - 11 - 20)),
            expiry_reason: "",
            confirmed: false,
            appeal_sent_on: "",
            appeal_channel: "",
        }
    }

    fn appeal<'a>(sent_on: &'a str, channel: &'a str, reason: &'a str) -> Result<Step, Vec<FieldError>> {
        check_step(&StepRequest {
            appeal_sent_on: sent_on,
            appeal_channel: channel,
            ..request("register_appeal", reason, "")
        })
    }

    /// Forvaltningsloven § 30: the deadline (here 20.11.2026) is kept when the appeal was posted
    /// or delivered by its last day, however late it is registered (today is 26.11.2026); § 31:
    /// a late appeal needs the reason it is heard anyway.
    #[test]
    fn an_appeal_is_timely_by_when_it_was_sent_not_when_it_is_registered() {
        // (sent on, channel, note, in time or the fields refused)
        type Expected = Result<bool, &'static [&'static str]>;
        let cases: [(&str, &str, &str, Expected); 9] = [
            ("20.11.2026", "post", "", Ok(true)),
            ("2026-11-19", "digital", "", Ok(true)),
            ("20.11.2026", "in_person", "", Ok(true)),
            ("21.11.2026", "post", "", Err(&["reason"])),
            ("21.11.2026", "post", "Innlagt på sykehus", Ok(false)),
            ("27.11.2026", "post", "", Err(&["appeal_sent_on"])),
            ("", "post", "", Err(&["appeal_sent_on"])),
            ("20.11.2026", "", "", Err(&["appeal_channel"])),
            ("20.11.2026", "pigeon", "", Err(&["appeal_channel"])),
        ];
        for (sent_on, channel, reason, expected) in cases {
            let result = appeal(sent_on, channel, reason);
            match (expected, result) {
                (Ok(in_time), Ok(step)) => {
                    let receipt = step.appeal.expect("the receipt");
                    assert_eq!(receipt.in_time, in_time, "{sent_on} {channel}");
                    assert_eq!(receipt.channel.code(), channel);
                }
                (Err(fields), Err(errors)) => {
                    let named: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
                    assert_eq!(named, fields, "{sent_on} {channel} {reason}");
                }
                (expected, result) => panic!("{sent_on} {channel} {reason}: {expected:?} but {result:?}"),
            }
        }
        // Without a sent decision there is no deadline to miss.
        let step = check_step(&StepRequest {
            appeal_deadline: None,
            appeal_sent_on: "01.01.2026",
            appeal_channel: "post",
            ..request("register_appeal", "", "")
        })
        .unwrap();
        assert!(step.appeal.unwrap().in_time);
    }

    #[test]
    fn each_step_asks_for_what_it_needs() {
        assert_eq!(
            check_step(&request("start_assessment", "", "")).unwrap().action,
            CaseAction::StartAssessment
        );
        let errors = check_step(&request("request_information", "", "01.01.2020")).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["information_due", "reason"]
        );
        let step = check_step(&request("request_information", "Lønnsslipp", "2026-12-10")).unwrap();
        assert_eq!(step.information_due, Some(date!(2026 - 12 - 10)));
        assert_eq!(step.reason.as_deref(), Some("Lønnsslipp"));
        assert!(
            appeal("26.11.2026", "post", "").is_err(),
            "a late appeal needs a reason"
        );
        assert!(appeal("26.11.2026", "post", "Søkeren var innlagt på sykehus").is_ok());
        assert_eq!(
            check_step(&request("fly", "", "")).unwrap_err()[0].code,
            "unknown_value"
        );
        let long = "x".repeat(MAX_NOTE + 1);
        assert_eq!(
            check_step(&request("withdraw", &long, "")).unwrap_err()[0].code,
            "too_long"
        );
    }

    #[test]
    fn ending_an_approval_needs_a_reason_the_rules_know_written_reasons_and_confirmation() {
        let errors = check_step(&request("expire", "", "")).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["expiry_reason", "reason", "confirmed"]);
        let step = check_step(&StepRequest {
            expiry_reason: "housed_elsewhere",
            confirmed: true,
            ..request("expire", "Har kjøpt bolig med startlån", "")
        })
        .unwrap();
        assert_eq!(
            (step.action, step.expiry),
            (CaseAction::Expire, Some(ExpiryReason::HousedElsewhere))
        );
        assert_eq!(
            check_step(&request("reinstate", "", "")).unwrap_err()[0].field,
            "reason"
        );
        for reason in ExpiryReason::ALL {
            assert_eq!(ExpiryReason::from_code(reason.code()), Some(reason));
        }
    }

    #[test]
    fn a_registered_application_has_a_known_type_and_was_not_received_in_the_future() {
        let today = date!(2026 - 11 - 26);
        assert_eq!(
            check_registration("section6_assistance", "26.11.2026", today),
            Ok((CaseType::Section6Assistance, today))
        );
        let errors = check_registration("castle", "27.11.2026", today).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(codes, [("case_type", "unknown_value"), ("received_on", "in_future")]);
        assert_eq!(
            check_registration("startlan", "i går", today).unwrap_err()[0].code,
            "invalid_date"
        );
    }

    #[test]
    fn a_proposal_needs_reasons_and_to_grant_what_is_granted() {
        let base = |outcome: &'static str, reasons: &'static str, complete| ProposalRequest {
            outcome,
            reasons,
            granted_text: "",
            application_complete: complete,
            finance_case: false,
            economy_recorded: false,
            amount_kr: None,
            conditions: Vec::new(),
            childrens_best_interests_unassessed: false,
            municipal_housing: false,
            section6: "",
            section6_case_registered: false,
            renewal: None,
        };
        assert_eq!(
            check_proposal(base("refused", " Inntekten er over grensen. ", false)).map(|p| (p.outcome, p.reasons)),
            Ok((Outcome::Refused, "Inntekten er over grensen.".to_string()))
        );
        let errors = check_proposal(base("granted", "", false)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reasons", "granted_text", "outcome"]);
        assert_eq!(check_proposal(base("", "x", true)).unwrap_err()[0].code, "required");
        assert_eq!(
            check_proposal(base("maybe", "x", true)).unwrap_err()[0].code,
            "unknown_value"
        );
        // Children's best interests are assessed before any decision, a refusal too.
        for outcome in ["granted", "partly_granted", "refused"] {
            let errors = check_proposal(ProposalRequest {
                granted_text: "Kommunal bolig",
                childrens_best_interests_unassessed: true,
                ..base(outcome, "x", true)
            })
            .unwrap_err();
            assert_eq!(
                errors.iter().map(|e| (e.field.as_str(), e.code)).collect::<Vec<_>>(),
                [("childrens_best_interests", "not_assessed")],
                "{outcome}"
            );
        }
    }

    /// Boligsosialloven § 6: refusing a municipal dwelling, wholly or in part, records what the
    /// assessment of the household's § 6 needs found; a grant needs none, and another case type
    /// keeps none.
    #[test]
    fn a_refused_housing_application_records_the_assessment_of_section6_needs() {
        let housing = |outcome: &'static str, section6: &'static str| ProposalRequest {
            outcome,
            reasons: "Vilkårene er ikke oppfylt.",
            granted_text: if outcome == "refused" { "" } else { "Oppfølging" },
            application_complete: true,
            finance_case: false,
            economy_recorded: false,
            amount_kr: None,
            conditions: Vec::new(),
            childrens_best_interests_unassessed: false,
            municipal_housing: true,
            section6,
            section6_case_registered: true,
            renewal: None,
        };
        type Expected = Result<Option<Section6Finding>, (&'static str, &'static str)>;
        let cases: [(&str, &str, Expected); 8] = [
            ("refused", "", Err(("section6", "required"))),
            ("partly_granted", "", Err(("section6", "required"))),
            ("refused", "no_need", Ok(Some(Section6Finding::NoNeed))),
            ("partly_granted", "case_opened", Ok(Some(Section6Finding::CaseOpened))),
            (
                "refused",
                "already_receiving",
                Ok(Some(Section6Finding::AlreadyReceiving)),
            ),
            ("refused", "declined", Ok(Some(Section6Finding::Declined))),
            ("refused", "perhaps", Err(("section6", "unknown_value"))),
            ("granted", "", Ok(None)),
        ];
        for (outcome, section6, expected) in cases {
            let found = check_proposal(housing(outcome, section6))
                .map(|p| p.section6)
                .map_err(|e| (e[0].field.clone(), e[0].code));
            let expected = expected.map_err(|(f, c)| (f.to_string(), c));
            assert_eq!(found, expected, "{outcome} {section6}");
        }
        // "A § 6 case is opened" only when the household has one.
        let unregistered = ProposalRequest {
            section6_case_registered: false,
            ..housing("refused", "case_opened")
        };
        let errors = check_proposal(unregistered).unwrap_err();
        assert_eq!(
            (errors[0].field.as_str(), errors[0].code),
            ("section6", "section6_case_missing")
        );
        let no_need = ProposalRequest {
            section6_case_registered: false,
            ..housing("refused", "no_need")
        };
        assert!(check_proposal(no_need).is_ok());
        // Kept only where it belongs: a grant, or a § 6 case itself, keeps no finding.
        assert_eq!(check_proposal(housing("granted", "no_need")).unwrap().section6, None);
        let section6_case = ProposalRequest {
            municipal_housing: false,
            ..housing("refused", "")
        };
        assert_eq!(check_proposal(section6_case).unwrap().section6, None);
    }

    #[test]
    fn a_granted_loan_or_grant_needs_its_amount_and_a_refusal_has_neither_amount_nor_conditions() {
        let loan = |outcome: &'static str, amount_kr, conditions: &[&str]| ProposalRequest {
            outcome,
            reasons: "Husstanden kan betjene lånet.",
            granted_text: "Startlån",
            application_complete: true,
            finance_case: true,
            economy_recorded: true,
            amount_kr,
            conditions: conditions.iter().map(|c| c.to_string()).collect(),
            childrens_best_interests_unassessed: false,
            municipal_housing: false,
            section6: "",
            section6_case_registered: false,
            renewal: None,
        };
        let ok = check_proposal(loan("granted", Some(1_500_000), &["Pant i boligen", "  "])).unwrap();
        assert_eq!(ok.amount_ore, Some(150_000_000));
        assert_eq!(ok.conditions, ["Pant i boligen"]);
        let codes = |r| {
            check_proposal(r)
                .unwrap_err()
                .iter()
                .map(|e: &FieldError| (e.field.clone(), e.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            codes(loan("granted", None, &[])),
            [("amount_kr".to_string(), "required")]
        );
        assert_eq!(
            codes(loan("granted", Some(0), &[])),
            [("amount_kr".to_string(), "amount_out_of_range")]
        );
        assert_eq!(
            codes(loan("refused", Some(5), &["x"])),
            [
                ("conditions".to_string(), "conditions_on_refusal"),
                ("amount_kr".to_string(), "amount_not_applicable")
            ]
        );
        let unrecorded = ProposalRequest {
            economy_recorded: false,
            ..loan("granted", Some(1), &[])
        };
        assert_eq!(codes(unrecorded), [("outcome".to_string(), "economy_missing")]);
    }

    /// The day a decision reaches the party, when the caseworker gives none, by channel: the day
    /// it is made available digitally; by post, three working days later (weekends and public
    /// holidays do not count). A given day is kept.
    #[test]
    fn a_decision_reaches_the_party_by_its_channel_not_on_the_day_it_is_sent() {
        let paper = |on| Delivery {
            channel: DeliveryChannel::Paper,
            on,
        };
        let cases = [
            // Thursday → Tuesday (Saturday and Sunday do not count).
            (date!(2026 - 11 - 26), "paper", "", Some(date!(2026 - 12 - 01))),
            // Tuesday before Easter 2026 → Wednesday 1 April, then Tuesday 7 and Wednesday 8 April
            // (Maundy Thursday to Easter Monday do not count).
            (date!(2026 - 03 - 31), "paper", "", Some(date!(2026 - 04 - 08))),
            (date!(2026 - 11 - 26), "digital", "", Some(date!(2026 - 11 - 26))),
            (
                date!(2026 - 11 - 26),
                "paper",
                "30.11.2026",
                Some(date!(2026 - 11 - 30)),
            ),
            (date!(2026 - 11 - 26), "paper", "25.11.2026", None),
            (date!(2026 - 11 - 26), "", "", None),
        ];
        for (today, channel, typed, expected) in cases {
            let result = check_send("nb", channel, typed, today, 3).ok().map(|(_, d)| d.on);
            assert_eq!(result, expected, "{today} {channel} {typed:?}");
        }
        assert_eq!(
            check_send("nb", "paper", "", date!(2026 - 11 - 26), 3),
            Ok(("nb".into(), paper(date!(2026 - 12 - 01))))
        );
    }

    #[test]
    fn reviews_sends_interim_answers_overrides_and_flags_name_what_is_missing() {
        let today = date!(2026 - 11 - 26);
        assert_eq!(check_review(true, ""), Ok(None));
        assert_eq!(check_review(false, "  ").unwrap_err()[0].field, "reason");
        let digital = |on| Delivery {
            channel: DeliveryChannel::Digital,
            on,
        };
        assert_eq!(
            check_send("nn", "digital", "26.11.2026", today, 3),
            Ok(("nn".into(), digital(today)))
        );
        let errors = check_send("sv", "", "25.11.2026", today, 3).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["language", "delivery", "delivered_on"]
        );
        assert_eq!(
            check_send("", "digital", "2026-12-01", today, 3).unwrap_err()[0].field,
            "language"
        );
        assert!(check_interim("26.11.2026", "Venter på legeerklæring", today).is_err());
        assert_eq!(
            check_interim("10.12.2026", " Venter ", today),
            Ok((date!(2026 - 12 - 10), "Venter".into()))
        );
        assert_eq!(
            check_override("override.income_cap", Some("met"), "").unwrap_err()[0].field,
            "override.income_cap"
        );
        assert_eq!(check_override("o", Some("none"), ""), Ok((None, String::new())));
        assert_eq!(
            check_override("o", Some("maybe"), "x").unwrap_err()[0].code,
            "unknown_value"
        );
        assert!(check_flag_resolution("flag.1", " ").is_err());
    }
}
