//! A case and its decisions as the domain sees them: the facts its lifecycle needs. The store
//! reads and writes these; the lifecycle ([`super::lifecycle`]) changes them.

use super::deadlines::{self, OpenDeadlines};
use super::{ApplicationForm, CaseState, CaseType, Outcome};
use crate::eligibility::Override;
use crate::finance::CaseFinance;
use crate::{CaseId, DecisionId, HouseholdId, MunicipalityId, UserId};
use serde::{Deserialize, Serialize};
use time::Date;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub id: CaseId,
    pub municipality_id: MunicipalityId,
    pub household_id: HouseholdId,
    pub reference: String,
    pub case_type: CaseType,
    pub state: CaseState,
    /// Bumped by every change; a change names the version it was made from (optimistic locking).
    pub version: i64,
    pub form: ApplicationForm,
    pub overrides: Vec<Override>,
    pub received_on: Date,
    pub assigned_to: Option<UserId>,
    /// The assigned user's name, for display (read with the case, never written from here).
    pub assigned_name: Option<String>,
    pub interim_due: Option<Date>,
    pub interim_sent_on: Option<Date>,
    pub information_due: Option<Date>,
    pub decided_on: Option<Date>,
    pub delivered_on: Option<Date>,
    pub appeal_deadline: Option<Date>,
    pub valid_until: Option<Date>,
    pub renewal_reminder_on: Option<Date>,
    /// A renewal review: the day its decision should be sent by, so the household has time to
    /// appeal and, if not renewed, to move (`super::renewal::RenewalPractice::decide_by`).
    pub decide_by: Option<Date>,
    pub next_due: Option<Date>,
    /// A startlån or grant case's economy, once recorded.
    pub finance: Option<CaseFinance>,
}

impl Case {
    /// An application as received: it starts in `Received`, and the interim answer falls due
    /// one month after receipt (forvaltningsloven § 11 a) unless decided before.
    pub fn received(
        id: CaseId,
        municipality_id: MunicipalityId,
        household_id: HouseholdId,
        reference: String,
        case_type: CaseType,
        form: ApplicationForm,
        received_on: Date,
    ) -> Case {
        // A renewal review is the office's own initiative, not an application: no interim answer.
        let interim_due =
            (case_type != super::CaseType::TenancyRenewal).then(|| deadlines::interim_answer_due(received_on));
        Case {
            id,
            municipality_id,
            household_id,
            reference,
            case_type,
            state: CaseState::Received,
            version: 1,
            form,
            overrides: Vec::new(),
            received_on,
            assigned_to: None,
            assigned_name: None,
            interim_due,
            interim_sent_on: None,
            information_due: None,
            decided_on: None,
            delivered_on: None,
            appeal_deadline: None,
            valid_until: None,
            renewal_reminder_on: None,
            decide_by: None,
            next_due: interim_due,
            finance: None,
        }
    }

    /// The deadlines still open, from which the queue's next due date follows.
    pub fn open_deadlines(&self) -> OpenDeadlines {
        OpenDeadlines {
            interim_due: self.interim_due,
            interim_sent: self.interim_sent_on.is_some(),
            information_due: self.information_due,
            renewal_reminder: self.renewal_reminder_on,
            decide_by: self.decide_by,
        }
    }

    /// The next date someone must act on the case, as the work queue orders it.
    pub fn computed_next_due(&self) -> Option<Date> {
        deadlines::next_due(self.state, self.open_deadlines())
    }

    /// The application and the rule overrides may change while the case is being prepared or
    /// assessed, not once a decision is proposed.
    pub fn is_editable(&self) -> bool {
        matches!(
            self.state,
            CaseState::Received | CaseState::UnderAssessment | CaseState::WaitingForInformation
        )
    }
}

/// Where a decision is in the four-eyes process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Written by a caseworker, waiting for a second person.
    Proposed,
    /// Approved by a second person, not yet sent.
    Approved,
    /// Returned to the caseworker with what must change.
    SentBack,
    /// Sent with its letter: from now on it never changes.
    Sent,
}

impl DecisionStatus {
    pub const ALL: [DecisionStatus; 4] = [
        DecisionStatus::Proposed,
        DecisionStatus::Approved,
        DecisionStatus::SentBack,
        DecisionStatus::Sent,
    ];

    pub fn code(self) -> &'static str {
        match self {
            DecisionStatus::Proposed => "proposed",
            DecisionStatus::Approved => "approved",
            DecisionStatus::SentBack => "sent_back",
            DecisionStatus::Sent => "sent",
        }
    }

    pub fn from_code(code: &str) -> Option<DecisionStatus> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

impl std::fmt::Display for DecisionStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A decision with everything shown on the case page and written in its letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub id: DecisionId,
    pub outcome: Outcome,
    pub reasons: String,
    pub granted_text: Option<String>,
    /// The assessment as it stood when the decision was proposed.
    pub assessment: serde_json::Value,
    pub status: DecisionStatus,
    pub proposed_by: UserId,
    pub proposed_by_name: String,
    pub proposed_at: i64,
    pub decided_by: Option<UserId>,
    pub decided_at: Option<i64>,
    pub sent_at: Option<i64>,
    pub on_appeal: bool,
    /// The loan or grant amount granted, øre.
    pub amount_ore: Option<i64>,
    /// The conditions attached to what is granted.
    pub conditions: Vec<String>,
    /// What the assessment of § 6 needs found (a refused or partly granted housing application).
    pub section6: Option<super::section6::Section6Finding>,
    /// A renewal review's decision: the new term, or the plan when not renewed.
    pub renewal: Option<super::renewal::RenewalTerms>,
}

/// The newest decision of a case: what the review and send commands check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestDecision {
    pub id: DecisionId,
    pub proposed_by: UserId,
    pub outcome: Outcome,
    pub status: DecisionStatus,
    pub amount_ore: Option<i64>,
    /// A renewal decision's new term: its last day (a renewal granted).
    pub renew_until: Option<time::Date>,
}

impl Decision {
    pub fn latest(&self) -> LatestDecision {
        LatestDecision {
            id: self.id,
            proposed_by: self.proposed_by,
            outcome: self.outcome,
            status: self.status,
            amount_ore: self.amount_ore,
            renew_until: match self.renewal {
                Some(super::renewal::RenewalTerms::Renew { until }) => Some(until),
                _ => None,
            },
        }
    }
}
