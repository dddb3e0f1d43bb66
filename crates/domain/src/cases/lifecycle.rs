//! The case lifecycle: every command a user can give a case, as a method that returns the change
//! (the case as it becomes, the event that records it, and what else must be written with it)
//! or a coded refusal. Nothing here reads or writes: the store loads the case, locked at the
//! version the user saw, runs the command, and saves the change in one transaction.
//!
//! A refused command changes nothing; every accepted one goes through [`transition`], so no
//! sequence of commands reaches a state the transition table forbids.

use super::case::{Case, DecisionStatus, LatestDecision};
use super::requests::{CheckedProposal, ExpiryReason, Step};
use super::{ApplicationForm, CaseAction, CaseState, deadlines, transition};
use crate::eligibility::{Override, RuleOutcome};
use crate::finance::GrantType;
use crate::{DecisionId, UserId};
use serde_json::{Value, json};
use time::Date;

/// Why a command was refused. Each has a stable code; the interface words it (`refusal.<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The transition table has no such step from the case's state.
    #[error("«{action}» is not possible when the case is «{}»", state.code())]
    NotNow { state: CaseState, action: &'static str },
    #[error("the application cannot be changed when the case is «{0:?}»")]
    NotEditable(CaseState),
    #[error("there is no proposed decision")]
    NoProposal,
    #[error("only an approved decision can be sent")]
    NotApproved,
    #[error("the person who proposed a decision cannot approve it")]
    OwnProposal,
    #[error("a granted loan or grant needs its amount")]
    AmountMissing,
    #[error("only loan and grant decisions carry an amount")]
    AmountNotApplicable,
    #[error("the amount must be more than 0")]
    AmountNotPositive,
    #[error("a refusal has no conditions")]
    ConditionsOnRefusal,
    #[error("an interim answer is for a case not yet decided")]
    AlreadyDecided,
    #[error("the rule is not part of this case's assessment")]
    UnknownRule,
    /// An approval cannot run out before its validity date.
    #[error("the approval is valid until {0}")]
    StillValid(Date),
    #[error("this economy does not belong to a case of this type")]
    WrongEconomy,
    #[error("only grant cases have payments")]
    NotAGrant,
    #[error("a payment needs a granted case; this one is «{}»", .0.code())]
    NotGranted(CaseState),
    #[error("the payment is more than what is granted and not yet paid ({outstanding_ore} øre)")]
    MoreThanOutstanding { outstanding_ore: i64 },
    #[error("a renewal granted needs the new term's last day")]
    RenewalTermMissing,
}

impl Refusal {
    /// What to tell the person: `refusal.<code>`, with the state and step as catalogue keys.
    pub fn message(self) -> crate::message::Message {
        use crate::validation::{format_date, format_ore_as_kr};
        let message = crate::message::Message::new(format!("refusal.{}", self.code()));
        match self {
            Refusal::NotNow { state, action } => message
                .arg_key("state", format!("case_state.{}", state.code()))
                .arg_key("action", format!("step.{action}")),
            Refusal::NotEditable(state) | Refusal::NotGranted(state) => {
                message.arg_key("state", format!("case_state.{}", state.code()))
            }
            Refusal::StillValid(until) => message.arg("until", format_date(until)),
            Refusal::MoreThanOutstanding { outstanding_ore } => {
                message.arg("outstanding", format_ore_as_kr(outstanding_ore))
            }
            _ => message,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Refusal::NotNow { .. } => "not_now",
            Refusal::NotEditable(_) => "not_editable",
            Refusal::NoProposal => "no_proposal",
            Refusal::NotApproved => "not_approved",
            Refusal::OwnProposal => "own_proposal",
            Refusal::AmountMissing => "amount_missing",
            Refusal::AmountNotApplicable => "amount_not_applicable",
            Refusal::AmountNotPositive => "amount_not_positive",
            Refusal::ConditionsOnRefusal => "conditions_on_refusal",
            Refusal::AlreadyDecided => "already_decided",
            Refusal::UnknownRule => "unknown_rule",
            Refusal::StillValid(_) => "still_valid",
            Refusal::WrongEconomy => "wrong_economy",
            Refusal::NotAGrant => "not_a_grant",
            Refusal::NotGranted(_) => "not_granted",
            Refusal::MoreThanOutstanding { .. } => "more_than_outstanding",
            Refusal::RenewalTermMissing => "renewal_term_missing",
        }
    }

    pub const CODES: [&'static str; 17] = [
        "not_now",
        "not_editable",
        "no_proposal",
        "not_approved",
        "own_proposal",
        "amount_missing",
        "amount_not_applicable",
        "amount_not_positive",
        "conditions_on_refusal",
        "already_decided",
        "unknown_rule",
        "still_valid",
        "wrong_economy",
        "not_a_grant",
        "not_granted",
        "more_than_outstanding",
        "renewal_term_missing",
    ];
}

/// What happens to the case's decisions with a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecisionChange {
    /// A new proposal (also a reversal on appeal).
    Propose {
        id: DecisionId,
        proposal: CheckedProposal,
        proposed_by: UserId,
        on_appeal: bool,
        /// The assessment as it stands when proposed, kept with the decision.
        assessment: Value,
    },
    /// The second person approved or sent back the proposal.
    Review {
        id: DecisionId,
        status: DecisionStatus,
        by: UserId,
    },
    /// The approved decision went out with its letter and is final.
    Send { id: DecisionId },
}

/// What a change does to the municipality's grant budget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerEffect {
    /// Whatever the case still has committed is released.
    ReleaseOutstanding {
        grant: GrantType,
        on: Date,
        note: &'static str,
    },
    /// Part of what is committed is paid out.
    Pay {
        grant: GrantType,
        amount_ore: i64,
        on: Date,
        note: String,
    },
    /// The granted amount is committed against the year's budget.
    Commit {
        grant: GrantType,
        amount_ore: i64,
        on: Date,
        decision: DecisionId,
    },
}

/// What a sent renewal decision does to the contract under review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TenancyEffect {
    /// The next period of the tenancy, from the day after the present term to `until`.
    Renew { until: Date },
    /// Not renewed: the contract runs to the end of its term (recorded on its history).
    NotRenewed,
}

/// An accepted command: everything the store writes, in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseChange {
    /// The case as it becomes (the store bumps the version).
    pub case: Case,
    /// The event's kind (`case.…`, also its label key on the timeline) and details.
    pub event: &'static str,
    pub details: Value,
    /// The user's reason, recorded with the event.
    pub reason: Option<String>,
    pub decision: Option<DecisionChange>,
    pub ledger: Vec<LedgerEffect>,
    /// A renewal decision sent: what it does to the contract reviewed.
    pub tenancy: Option<TenancyEffect>,
}

impl CaseChange {
    fn new(case: Case, event: &'static str, details: Value) -> CaseChange {
        CaseChange {
            case,
            event,
            details,
            reason: None,
            decision: None,
            ledger: Vec::new(),
            tenancy: None,
        }
    }

    fn because(mut self, reason: Option<String>) -> CaseChange {
        self.reason = reason;
        self
    }
}

fn step_event(action: CaseAction) -> &'static str {
    match action {
        CaseAction::StartAssessment => "case.start_assessment",
        CaseAction::RequestInformation => "case.request_information",
        CaseAction::InformationReceived => "case.information_received",
        CaseAction::ProposeDecision(_) => "case.propose_decision",
        CaseAction::SendBack => "case.send_back",
        CaseAction::Approve => "case.approve",
        CaseAction::SendDecision(_) => "case.send_decision",
        CaseAction::RegisterAppeal => "case.register_appeal",
        CaseAction::ReverseOnAppeal => "case.reverse_on_appeal",
        CaseAction::UpholdAndForward => "case.uphold_and_forward",
        CaseAction::RecordAppealBodyOutcome(_) => "case.record_appeal_body_outcome",
        CaseAction::Expire => "case.expire",
        CaseAction::Reinstate => "case.reinstate",
        CaseAction::Renew => "case.renew",
        CaseAction::Withdraw => "case.withdraw",
        CaseAction::Close => "case.close",
    }
}

fn action_details(action: CaseAction) -> Value {
    match action {
        CaseAction::RecordAppealBodyOutcome(outcome) => json!({ "appeal_body_outcome": outcome }),
        other => json!(other.code()),
    }
}

impl Case {
    fn next(&self, action: CaseAction) -> Result<CaseState, Refusal> {
        transition(self.case_type, self.state, action).map_err(|_| Refusal::NotNow {
            state: self.state,
            action: action.code(),
        })
    }

    /// A simple workflow step (start, ask for information, appeal, renew, expire, withdraw, …).
    /// `validity_months` is the municipality's validity period for approvals, used by `renew`.
    pub fn take_step(&self, step: &Step, today: Date, validity_months: u32) -> Result<CaseChange, Refusal> {
        let action = step.action;
        if matches!(
            action,
            CaseAction::SendDecision(_)
                | CaseAction::Approve
                | CaseAction::SendBack
                | CaseAction::ProposeDecision(_)
                | CaseAction::ReverseOnAppeal
        ) {
            // These carry a decision and have commands of their own.
            return Err(Refusal::NotNow {
                state: self.state,
                action: action.code(),
            });
        }
        let to = self.next(action)?;
        // Without a reason the rules allow, an approval ends only when its period has run out.
        let expiry = step.expiry.unwrap_or(ExpiryReason::ValidityEnded);
        if let (CaseAction::Expire, ExpiryReason::ValidityEnded, Some(valid_until)) = (action, expiry, self.valid_until)
            && today <= valid_until
        {
            return Err(Refusal::StillValid(valid_until));
        }
        let mut case = self.clone();
        case.state = to;
        case.information_due = match action {
            CaseAction::RequestInformation => step.information_due,
            _ if to == CaseState::WaitingForInformation => case.information_due,
            _ => None,
        };
        // A renewal starts a new period; a reinstated approval whose period has run out too.
        let restarts = action == CaseAction::Renew
            || (action == CaseAction::Reinstate && self.valid_until.is_none_or(|until| until < today));
        if restarts {
            let (valid_until, reminder) = deadlines::validity(today, validity_months);
            case.valid_until = Some(valid_until);
            case.renewal_reminder_on = Some(reminder);
        }
        let mut details = json!({ "from": self.state.code(), "to": to.code(), "action": action_details(action) });
        if action == CaseAction::Expire {
            details["expiry_reason"] = json!(expiry.code());
        }
        if let Some(appeal) = step.appeal {
            details["appeal"] = json!({
                "sent_on": appeal.sent_on.to_string(),
                "channel": appeal.channel.code(),
                "in_time": appeal.in_time,
            });
        }
        let mut change = CaseChange::new(case, step_event(action), details).because(step.reason.clone());
        if let Some(grant) = self.case_type.grant()
            && matches!(to, CaseState::Closed | CaseState::Withdrawn)
        {
            change.ledger.push(LedgerEffect::ReleaseOutstanding {
                grant,
                on: today,
                note: action.code(),
            });
        }
        Ok(change)
    }

    /// Replaces the application form while the case is prepared or assessed.
    pub fn save_form(&self, form: &ApplicationForm) -> Result<CaseChange, Refusal> {
        if !self.is_editable() {
            return Err(Refusal::NotEditable(self.state));
        }
        let mut case = self.clone();
        case.form = form.clone();
        Ok(CaseChange::new(case, "case.form_saved", json!({})))
    }

    /// Records the caseworker's judgement of a rule (or removes it with `outcome: None`).
    /// `known_rules` are the rules of the case's assessment.
    pub fn set_override(
        &self,
        rule: &str,
        outcome: Option<RuleOutcome>,
        reason: &str,
        known_rules: &[&str],
    ) -> Result<CaseChange, Refusal> {
        if !self.is_editable() {
            return Err(Refusal::NotEditable(self.state));
        }
        if !known_rules.contains(&rule) {
            return Err(Refusal::UnknownRule);
        }
        let mut case = self.clone();
        case.overrides.retain(|o| o.rule != rule);
        if let Some(outcome) = outcome {
            case.overrides.push(Override {
                rule: rule.to_string(),
                outcome,
                reason: reason.to_string(),
            });
        }
        Ok(CaseChange::new(
            case,
            "case.rule_overridden",
            json!({ "rule": rule, "outcome": outcome.map(|o| o.code()), "reason": reason }),
        )
        .because((!reason.is_empty()).then(|| reason.to_string())))
    }

    /// Takes the case (`Some(me)`) or releases it (`None`).
    pub fn assign(&self, user: Option<UserId>) -> Result<CaseChange, Refusal> {
        let mut case = self.clone();
        case.assigned_to = user;
        Ok(CaseChange::new(
            case,
            "case.assigned",
            json!({ "user": user.map(|u| u.to_string()) }),
        ))
    }

    /// Proposes a decision for a second person to approve; on appeal, a reversal.
    pub fn propose(
        &self,
        id: DecisionId,
        proposal: &CheckedProposal,
        proposer: UserId,
        assessment: Value,
    ) -> Result<CaseChange, Refusal> {
        let granted = proposal.outcome.grants();
        match (self.case_type.is_finance(), granted, proposal.amount_ore) {
            (true, true, None) => return Err(Refusal::AmountMissing),
            (_, _, Some(amount)) if amount <= 0 => return Err(Refusal::AmountNotPositive),
            (false, _, Some(_)) | (_, false, Some(_)) => return Err(Refusal::AmountNotApplicable),
            _ if !granted && !proposal.conditions.is_empty() => return Err(Refusal::ConditionsOnRefusal),
            _ => {}
        }
        if self.case_type == super::CaseType::TenancyRenewal && proposal.renewal.is_none() {
            return Err(Refusal::RenewalTermMissing);
        }
        let on_appeal = self.state == CaseState::AppealReceived;
        let action = if on_appeal {
            CaseAction::ReverseOnAppeal
        } else {
            CaseAction::ProposeDecision(proposal.outcome)
        };
        let mut case = self.clone();
        case.state = self.next(action)?;
        let mut change = CaseChange::new(
            case,
            if on_appeal {
                "case.reversed_on_appeal"
            } else {
                "case.decision_proposed"
            },
            json!({ "decision": id.to_string(), "outcome": proposal.outcome.code(), "from": self.state.code(),
                "amount_ore": proposal.amount_ore, "conditions": proposal.conditions,
                "section6": proposal.section6.map(|f| f.code()), "renewal": proposal.renewal }),
        );
        change.decision = Some(DecisionChange::Propose {
            id,
            proposal: proposal.clone(),
            proposed_by: proposer,
            on_appeal,
            assessment,
        });
        Ok(change)
    }

    /// The second person approves the proposal (never their own) or sends it back.
    pub fn review(
        &self,
        latest: Option<&LatestDecision>,
        reviewer: UserId,
        approve: bool,
        reason: Option<String>,
    ) -> Result<CaseChange, Refusal> {
        let action = if approve {
            CaseAction::Approve
        } else {
            CaseAction::SendBack
        };
        let to = self.next(action)?;
        let latest = latest
            .filter(|d| d.status == DecisionStatus::Proposed)
            .ok_or(Refusal::NoProposal)?;
        if approve && super::check_four_eyes(latest.proposed_by, reviewer).is_err() {
            return Err(Refusal::OwnProposal);
        }
        let mut case = self.clone();
        case.state = to;
        let mut change = CaseChange::new(
            case,
            if approve {
                "case.decision_approved"
            } else {
                "case.decision_sent_back"
            },
            json!({ "decision": latest.id.to_string() }),
        )
        .because(reason);
        change.decision = Some(DecisionChange::Review {
            id: latest.id,
            status: if approve {
                DecisionStatus::Approved
            } else {
                DecisionStatus::SentBack
            },
            by: reviewer,
        });
        Ok(change)
    }

    /// Sends the approved decision: the appeal deadline runs from the day the letter reaches
    /// the party (`delivery`: how, and on which day); an approval on the waiting list is valid
    /// for `validity_months`; a grant commits its amount (and releases what an earlier decision
    /// had committed). The event says how the letter went out and when it arrived.
    pub fn send_decision(
        &self,
        latest: Option<&LatestDecision>,
        sent_on: Date,
        delivery: super::requests::Delivery,
        validity_months: u32,
    ) -> Result<CaseChange, Refusal> {
        let delivered_on = delivery.on;
        let latest = latest
            .filter(|d| d.status == DecisionStatus::Approved)
            .ok_or(Refusal::NotApproved)?;
        let mut case = self.clone();
        case.state = self.next(CaseAction::SendDecision(latest.outcome))?;
        case.decided_on = Some(sent_on);
        case.delivered_on = Some(delivered_on);
        case.appeal_deadline = Some(deadlines::appeal_deadline(delivered_on));
        if case.state == CaseState::OnWaitingList {
            let (valid_until, reminder) = deadlines::validity(sent_on, validity_months);
            case.valid_until = Some(valid_until);
            case.renewal_reminder_on = Some(reminder);
        }
        let details = json!({ "decision": latest.id.to_string(), "outcome": latest.outcome.code(),
            "delivery": delivery.channel.code(), "delivered_on": delivered_on.to_string(),
            "appeal_deadline": case.appeal_deadline.map(|d| d.to_string()) });
        let mut change = CaseChange::new(case, "case.decision_sent", details);
        change.decision = Some(DecisionChange::Send { id: latest.id });
        if self.case_type == super::CaseType::TenancyRenewal {
            change.tenancy = Some(match (latest.outcome.grants(), latest.renew_until) {
                (true, Some(until)) => TenancyEffect::Renew { until },
                (true, None) => return Err(Refusal::RenewalTermMissing),
                (false, _) => TenancyEffect::NotRenewed,
            });
        }
        if let Some(grant) = self.case_type.grant() {
            change.ledger.push(LedgerEffect::ReleaseOutstanding {
                grant,
                on: sent_on,
                note: "replaced by a new decision",
            });
            if let (true, Some(amount_ore)) = (latest.outcome.grants(), latest.amount_ore) {
                change.ledger.push(LedgerEffect::Commit {
                    grant,
                    amount_ore,
                    on: sent_on,
                    decision: latest.id,
                });
            }
        }
        Ok(change)
    }

    /// Sends the interim answer (forvaltningsloven § 11 a) to a case not yet decided.
    pub fn send_interim_answer(&self, sent_on: Date) -> Result<CaseChange, Refusal> {
        if !self.state.awaits_decision() {
            return Err(Refusal::AlreadyDecided);
        }
        let mut case = self.clone();
        case.interim_sent_on = Some(sent_on);
        Ok(CaseChange::new(case, "case.interim_answer_sent", json!({})))
    }
}

mod economy;

#[cfg(test)]
mod tests;
