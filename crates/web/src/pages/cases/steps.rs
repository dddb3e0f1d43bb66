//! The simple workflow steps as a user asks for them (a button on the case page or a JSON body),
//! checked the same way for both: what each step needs, and the effects beside the state change.

use husly_domain::cases::{AppealBodyOutcome, CaseAction};
use husly_domain::validation::{FieldError, parse_date};
use husly_store::cases::Effects;
use time::Date;

/// The step names a client may send.
pub const STEPS: &[&str] = &[
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

pub struct StepRequest<'a> {
    pub step: &'a str,
    /// The user's note: the items asked for, or why (required for some steps).
    pub reason: &'a str,
    /// The deadline typed for `request_information` (dd.mm.yyyy or yyyy-mm-dd).
    pub information_due: &'a str,
    pub today: Date,
    /// The case's appeal deadline, if a decision has been sent.
    pub appeal_deadline: Option<Date>,
    /// The municipality's validity period for approvals, for `renew`.
    pub validity_months: u32,
}

fn required(field: &str, nb: &str, en: &str) -> FieldError {
    FieldError::new(field, "required", nb, en)
}

/// The action and its effects, or every problem with the request.
pub fn check(request: &StepRequest<'_>) -> Result<(CaseAction, Effects), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut effects = Effects::default();
    let reason = request.reason.trim();
    let action = match request.step.trim() {
        "start_assessment" => CaseAction::StartAssessment,
        "request_information" => {
            match parse_date(request.information_due.trim()) {
                Some(d) if d > request.today => effects.information_due = Some(Some(d)),
                _ => errors.push(FieldError::new(
                    "information_due",
                    "invalid_date",
                    "Skriv en frist fram i tid, for eksempel 15.12.2026.",
                    "Write a deadline in the future, for example 15.12.2026.",
                )),
            }
            if reason.is_empty() {
                errors.push(required(
                    "reason",
                    "Skriv hvilke opplysninger som trengs.",
                    "Write which information is needed.",
                ));
            }
            CaseAction::RequestInformation
        }
        "information_received" => CaseAction::InformationReceived,
        "register_appeal" => {
            if request.appeal_deadline.is_some_and(|d| request.today > d) && reason.is_empty() {
                errors.push(required(
                    "reason",
                    "Klagefristen er ute. Skriv hvorfor klagen likevel behandles (forvaltningsloven § 31).",
                    "The appeal deadline has passed. Write why the appeal is still considered (Public Administration Act § 31).",
                ));
            }
            CaseAction::RegisterAppeal
        }
        "uphold_and_forward" => CaseAction::UpholdAndForward,
        "appeal_upheld" => CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Upheld),
        "appeal_reversed" => CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::Reversed),
        "appeal_returned" => CaseAction::RecordAppealBodyOutcome(AppealBodyOutcome::ReturnedForNewAssessment),
        "renew" => {
            effects.decided_on = Some(request.today);
            effects.validity_months = Some(request.validity_months);
            CaseAction::Renew
        }
        "expire" => CaseAction::Expire,
        "withdraw" => {
            if reason.is_empty() {
                errors.push(required(
                    "reason",
                    "Skriv hvorfor saken trekkes.",
                    "Write why the case is withdrawn.",
                ));
            }
            CaseAction::Withdraw
        }
        "close" => CaseAction::Close,
        other => return Err(vec![FieldError::unknown_value("action", other, STEPS)]),
    };
    if errors.is_empty() {
        Ok((action, effects))
    } else {
        Err(errors)
    }
}

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
}

/// A proposal that passed [`check_proposal`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedProposal {
    pub outcome: husly_domain::cases::Outcome,
    pub amount_ore: Option<i64>,
    pub conditions: Vec<String>,
}

/// Checks a proposal the same way for the page and the API: an outcome, the reasons
/// (forvaltningsloven § 25), what is granted, a complete application to grant, and for a loan or
/// grant the amount and its conditions.
pub fn check_proposal(request: ProposalRequest<'_>) -> Result<CheckedProposal, Vec<FieldError>> {
    use husly_domain::cases::Outcome;
    let mut errors = Vec::new();
    let outcome_code = request.outcome.trim();
    let outcome = Outcome::from_code(outcome_code);
    if outcome_code.is_empty() {
        errors.push(required("outcome", "Velg utfallet.", "Choose the outcome."));
    } else if outcome.is_none() {
        errors.push(FieldError::unknown_value(
            "outcome",
            outcome_code,
            &[Outcome::Granted.code(), Outcome::Refused.code()],
        ));
    }
    let reasons = request.reasons.trim();
    if reasons.is_empty() {
        errors.push(required(
            "reasons",
            "Skriv begrunnelsen (forvaltningsloven § 25): de faktiske forholdene og hovedhensynene.",
            "Write the reasons (Public Administration Act § 25): the facts and the main considerations.",
        ));
    } else if reasons.chars().count() > MAX_REASONS {
        errors.push(FieldError::too_long("reasons", MAX_REASONS));
    }
    let conditions: Vec<String> = request
        .conditions
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    if conditions.len() > MAX_CONDITIONS {
        errors.push(FieldError::new(
            "conditions",
            "too_many_items",
            format!("Høyst {MAX_CONDITIONS} vilkår."),
            format!("At most {MAX_CONDITIONS} conditions."),
        ));
    } else if conditions.iter().any(|c| c.chars().count() > MAX_CONDITION_LEN) {
        errors.push(FieldError::too_long("conditions", MAX_CONDITION_LEN));
    }
    let granted = outcome == Some(Outcome::Granted);
    if granted {
        if request.granted_text.trim().is_empty() {
            errors.push(required(
                "granted_text",
                "Skriv hva som innvilges, for eksempel «plass på ventelisten for bolig med to soverom».",
                "Write what is granted, for example “a place on the waiting list for a two-bedroom dwelling”.",
            ));
        }
        if !request.application_complete {
            errors.push(FieldError::new(
                "outcome",
                "incomplete",
                "Søknaden mangler opplysninger. Innhent dem før søknaden innvilges.",
                "The application lacks information. Obtain it before granting.",
            ));
        }
    } else if outcome.is_some() && !conditions.is_empty() {
        errors.push(FieldError::new(
            "conditions",
            "conditions_on_refusal",
            "Et avslag har ingen vilkår.",
            "A refusal has no conditions.",
        ));
    }
    let mut amount_ore = None;
    if request.finance_case && granted {
        if !request.economy_recorded {
            errors.push(FieldError::new(
                "outcome",
                "economy_missing",
                "Registrer økonomien i saken før lånet eller tilskuddet innvilges.",
                "Record the case's economy before granting the loan or grant.",
            ));
        }
        match request.amount_kr {
            None => errors.push(required(
                "amount_kr",
                "Skriv beløpet som innvilges.",
                "Write the amount granted.",
            )),
            Some(kr) if kr <= 0 || kr > husly_domain::startlan::input::MAX_AMOUNT_KR => errors.push(FieldError::new(
                "amount_kr",
                "amount_out_of_range",
                "Beløpet må være mer enn 0 kr og rimelig.",
                "The amount must be more than 0 kr and plausible.",
            )),
            Some(kr) => amount_ore = Some(kr * 100),
        }
    } else if request.amount_kr.is_some() {
        errors.push(FieldError::new(
            "amount_kr",
            "amount_not_applicable",
            "Bare innvilgede lån og tilskudd har et beløp.",
            "Only granted loans and grants have an amount.",
        ));
    }
    match outcome {
        Some(outcome) if errors.is_empty() => Ok(CheckedProposal {
            outcome,
            amount_ore,
            conditions,
        }),
        _ => Err(errors),
    }
}

/// Most conditions in one decision, and the longest.
pub const MAX_CONDITIONS: usize = 20;
pub const MAX_CONDITION_LEN: usize = 1_000;

/// Longest reasons accepted in a decision.
pub const MAX_REASONS: usize = 8_000;

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
            validity_months: 12,
        }
    }

    #[test]
    fn each_step_asks_for_what_it_needs() {
        assert_eq!(
            check(&request("start_assessment", "", "")).unwrap().0,
            CaseAction::StartAssessment
        );
        let errors = check(&request("request_information", "", "01.01.2020")).unwrap_err();
        assert_eq!(
            errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(),
            ["information_due", "reason"]
        );
        let (_, effects) = check(&request("request_information", "Lønnsslipp", "2026-12-10")).unwrap();
        assert_eq!(effects.information_due, Some(Some(date!(2026 - 12 - 10))));
        assert!(
            check(&request("register_appeal", "", "")).is_err(),
            "a late appeal needs a reason"
        );
        assert!(check(&request("register_appeal", "Søkeren var innlagt på sykehus", "")).is_ok());
        assert_eq!(check(&request("renew", "", "")).unwrap().1.validity_months, Some(12));
        assert_eq!(check(&request("fly", "", "")).unwrap_err()[0].code, "unknown_value");
    }

    #[test]
    fn a_proposal_needs_reasons_and_to_grant_what_is_granted() {
        use husly_domain::cases::Outcome;
        let base = |outcome: &'static str, reasons: &'static str, complete| ProposalRequest {
            outcome,
            reasons,
            granted_text: "",
            application_complete: complete,
            finance_case: false,
            economy_recorded: false,
            amount_kr: None,
            conditions: Vec::new(),
        };
        assert_eq!(
            check_proposal(base("refused", "Inntekten er over grensen.", false)).map(|p| p.outcome),
            Ok(Outcome::Refused)
        );
        let errors = check_proposal(base("granted", "", false)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["reasons", "granted_text", "outcome"]);
        assert_eq!(check_proposal(base("", "x", true)).unwrap_err()[0].code, "required");
        assert_eq!(
            check_proposal(base("maybe", "x", true)).unwrap_err()[0].code,
            "unknown_value"
        );
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
}
