//! Authorisation: who may do what, decided in one place.
//!
//! A decision needs three things: the principal's roles per municipality, the action, and the
//! municipality the resource belongs to. Handlers call [`authorize`] before they act, and every
//! store query is also filtered by municipality, so a miss in one is caught by the other.
//!
//! Principle of least privilege: administrators manage users and read the audit log but do not
//! see households; leaders see aggregates and no personal records; partners see a household only
//! on its consent: [`authorize_on_consent`] adds the consent dimension to the same decision.

use crate::MunicipalityId;
use crate::consent::ConsentCategory;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The roles a user can hold in a municipality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Caseworker,
    Approver,
    FollowUpWorker,
    HousingManager,
    Leader,
    Partner,
    /// May open a protected address (*fortrolig adresse*), stating why, and lift a block. Held
    /// beside a unit role, by the few who need it.
    ProtectedAddresses,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Caseworker,
        Role::Approver,
        Role::FollowUpWorker,
        Role::HousingManager,
        Role::Leader,
        Role::Partner,
        Role::ProtectedAddresses,
    ];

    /// The stable code used in the database, the CLI and the API.
    pub fn code(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Caseworker => "caseworker",
            Role::Approver => "approver",
            Role::FollowUpWorker => "follow_up_worker",
            Role::HousingManager => "housing_manager",
            Role::Leader => "leader",
            Role::Partner => "partner",
            Role::ProtectedAddresses => "protected_addresses",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// Everything a user can ask Husly to do. A new route needs a new action or an existing one;
/// the route × role test walks this table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SearchPeople,
    ViewPerson,
    ViewHousehold,
    RegisterHousehold,
    EditHousehold,
    ManageUsers,
    ManageTokens,
    ReadAudit,
    /// Run the bostøtte outreach list over the municipality's tenancies.
    RunOutreach,
    /// Record (or remove) a contact with a household on the outreach list.
    RecordOutreachContact,
    /// See cases (applications), their assessment, decisions and letters.
    ViewCase,
    /// Register applications, assess, request information, propose decisions, send letters,
    /// register appeals.
    HandleCase,
    /// Approve or send back a proposed decision (never one's own: four eyes).
    ApproveDecision,
    /// See the yearly grant budget: allocated, committed, paid, remaining.
    ViewGrantBudget,
    /// Set the year's allocation for a grant.
    ManageGrantBudget,
    /// Write a journal note on a household: a caseworker, or a follow-up worker logging a
    /// contact or a home visit.
    WriteHouseholdNote,
    /// Follow the social housing action plan: goals, measures, indicators and their values.
    ViewActionPlan,
    /// Keep the action plan: goals, measures, indicators, targets and values reported by hand.
    ManageActionPlan,
    /// See a household's stays in temporary accommodation (sosialtjenesteloven § 27) and the
    /// list of households staying in one.
    ViewTemporaryStays,
    /// Record a stay in temporary accommodation, and end one.
    RecordTemporaryStay,
    /// See the year's KOSTRA figures on temporary accommodation: counts, no one behind them.
    ViewStayFigures,
    /// Enter the municipality's reference-budget table (SIFO) for startlån living costs.
    ManageReferenceBudget,
    /// See the year's KOSTRA skjema 13 figures and their data-quality warnings: counts; the
    /// cases behind a warning only with `ViewCase` as well.
    ViewKostraFigures,
    /// See how applications fare at each stage by household type and main reason: suppressed
    /// aggregates, no household named.
    ViewEquityFigures,
    /// See the dwelling register: dwellings, their facts, status and history (no personal data).
    ViewDwellings,
    /// Keep the dwelling register: register, change, import, set status, remove and restore.
    ManageDwellings,
    /// Run allocation rounds and make offers: start a round, draw, override a proposal with a
    /// reason, offer, record answers, withdraw and reopen offers.
    Allocate,
    /// Read the priority policy's versions: which is in force and which are scheduled, and their
    /// criteria (municipal rule data, no personal data).
    ViewPriorityPolicy,
    /// Simulate a new version of the priority policy on today's waiting list and save it with an
    /// effective date. The households that move are named only to those who may also see cases.
    ManagePriorityPolicy,
    /// See tenancy contracts: who rents which dwelling, on what terms, until when, and their
    /// history.
    ViewTenancies,
    /// Write a contract from an accepted offer, end a contract, and undo an end.
    ManageTenancies,
    /// See a household's follow-up plan and log, and the follow-up caseload with its risk
    /// signals.
    ViewFollowUp,
    /// Make, change, close and reopen a household's follow-up plan and its measures.
    KeepFollowUpPlan,
    /// Log a contact, a home visit or a neighbour complaint on a household.
    LogFollowUp,
    /// Register the municipality's partner organisations and their users' membership.
    ManagePartners,
    /// Record a household member's consent to share with a partner organisation, and its
    /// withdrawal.
    RecordConsent,
    /// A partner's list of the households that have consented to its organisation.
    ViewConsentedHouseholds,
    /// A partner's view of one household: only the consented categories, on a consent in force.
    ViewAsPartner,
    /// A partner opens one of the documents of a household's applications, on a documents
    /// consent in force.
    ReadDocumentAsPartner,
    /// Record a household member's address block (fortrolig or strengt fortrolig adresse).
    ProtectAddress,
    /// Lift an address block (it reduces the person's protection).
    LiftAddressProtection,
    /// Open a protected address, stating why; each view is audited.
    RevealProtectedAddress,
    /// Send a referral (henvisning) about a household to a partner organisation or the unit.
    SendReferral,
    /// Accept, decline or complete a referral addressed to one's own unit or organisation.
    AnswerReferral,
    /// Record a collaboration meeting about a household, with its agreed actions.
    RecordMeeting,
    /// Mark an action agreed in a meeting done, or open again, as its owner.
    UpdateMeetingAction,
    /// See one's own reminders: what the nightly job says is due for one to act on.
    ViewReminders,
    /// Mark one's own reminder done, or open again.
    MarkReminder,
}

impl Action {
    pub const ALL: [Action; 48] = [
        Action::SearchPeople,
        Action::ViewPerson,
        Action::ViewHousehold,
        Action::RegisterHousehold,
        Action::EditHousehold,
        Action::ManageUsers,
        Action::ManageTokens,
        Action::ReadAudit,
        Action::RunOutreach,
        Action::RecordOutreachContact,
        Action::ViewCase,
        Action::HandleCase,
        Action::ApproveDecision,
        Action::ViewGrantBudget,
        Action::ManageGrantBudget,
        Action::WriteHouseholdNote,
        Action::ViewActionPlan,
        Action::ManageActionPlan,
        Action::ViewTemporaryStays,
        Action::RecordTemporaryStay,
        Action::ViewStayFigures,
        Action::ManageReferenceBudget,
        Action::ViewKostraFigures,
        Action::ViewEquityFigures,
        Action::ViewDwellings,
        Action::ManageDwellings,
        Action::Allocate,
        Action::ViewPriorityPolicy,
        Action::ManagePriorityPolicy,
        Action::ViewTenancies,
        Action::ManageTenancies,
        Action::ViewFollowUp,
        Action::KeepFollowUpPlan,
        Action::LogFollowUp,
        Action::ManagePartners,
        Action::RecordConsent,
        Action::ViewConsentedHouseholds,
        Action::ViewAsPartner,
        Action::ReadDocumentAsPartner,
        Action::ProtectAddress,
        Action::LiftAddressProtection,
        Action::RevealProtectedAddress,
        Action::SendReferral,
        Action::AnswerReferral,
        Action::RecordMeeting,
        Action::UpdateMeetingAction,
        Action::ViewReminders,
        Action::MarkReminder,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Action::SearchPeople => "search_people",
            Action::ViewPerson => "view_person",
            Action::ViewHousehold => "view_household",
            Action::RegisterHousehold => "register_household",
            Action::EditHousehold => "edit_household",
            Action::ManageUsers => "manage_users",
            Action::ManageTokens => "manage_tokens",
            Action::ReadAudit => "read_audit",
            Action::RunOutreach => "run_outreach",
            Action::RecordOutreachContact => "record_outreach_contact",
            Action::ViewCase => "view_case",
            Action::HandleCase => "handle_case",
            Action::ApproveDecision => "approve_decision",
            Action::ViewGrantBudget => "view_grant_budget",
            Action::ManageGrantBudget => "manage_grant_budget",
            Action::WriteHouseholdNote => "write_household_note",
            Action::ViewActionPlan => "view_action_plan",
            Action::ManageActionPlan => "manage_action_plan",
            Action::ViewTemporaryStays => "view_temporary_stays",
            Action::RecordTemporaryStay => "record_temporary_stay",
            Action::ViewStayFigures => "view_stay_figures",
            Action::ManageReferenceBudget => "manage_reference_budget",
            Action::ViewKostraFigures => "view_kostra_figures",
            Action::ViewEquityFigures => "view_equity_figures",
            Action::ViewDwellings => "view_dwellings",
            Action::ManageDwellings => "manage_dwellings",
            Action::Allocate => "allocate",
            Action::ViewPriorityPolicy => "view_priority_policy",
            Action::ManagePriorityPolicy => "manage_priority_policy",
            Action::ViewTenancies => "view_tenancies",
            Action::ManageTenancies => "manage_tenancies",
            Action::ViewFollowUp => "view_follow_up",
            Action::KeepFollowUpPlan => "keep_follow_up_plan",
            Action::LogFollowUp => "log_follow_up",
            Action::ManagePartners => "manage_partners",
            Action::RecordConsent => "record_consent",
            Action::ViewConsentedHouseholds => "view_consented_households",
            Action::ViewAsPartner => "view_as_partner",
            Action::ReadDocumentAsPartner => "read_document_as_partner",
            Action::ProtectAddress => "protect_address",
            Action::LiftAddressProtection => "lift_address_protection",
            Action::RevealProtectedAddress => "reveal_protected_address",
            Action::SendReferral => "send_referral",
            Action::AnswerReferral => "answer_referral",
            Action::RecordMeeting => "record_meeting",
            Action::UpdateMeetingAction => "update_meeting_action",
            Action::ViewReminders => "view_reminders",
            Action::MarkReminder => "mark_reminder",
        }
    }
}

/// The policy table: which roles may perform an action within their own municipality.
pub fn roles_allowed(action: Action) -> &'static [Role] {
    use Role::*;
    const READ_PERSONAL: &[Role] = &[Caseworker, Approver, FollowUpWorker, HousingManager];
    // Four eyes: the approver checks what a caseworker recorded, and records nothing itself.
    const WRITE_PERSONAL: &[Role] = &[Caseworker];
    match action {
        Action::SearchPeople | Action::ViewPerson | Action::ViewHousehold => READ_PERSONAL,
        Action::RegisterHousehold | Action::EditHousehold => WRITE_PERSONAL,
        Action::ManageUsers | Action::ManageTokens | Action::ReadAudit => &[Admin],
        // Leaders follow the action plan's goal of active use of Husbanken's instruments.
        Action::RunOutreach => &[Caseworker, Approver, HousingManager, Leader],
        // Those who meet the tenants: the caseworkers and the housing managers.
        Action::RecordOutreachContact => &[Caseworker, HousingManager],
        Action::ViewCase => &[Caseworker, Approver, FollowUpWorker, HousingManager],
        Action::HandleCase => &[Caseworker],
        Action::ApproveDecision => &[Approver],
        // The budget is an aggregate; leaders own it and see no household behind a figure.
        Action::ViewGrantBudget => &[Caseworker, Approver, HousingManager, Leader],
        Action::ManageGrantBudget => &[Approver, Leader],
        // Follow-up is work with the household; the approver checks, and records nothing.
        Action::WriteHouseholdNote => &[Caseworker, FollowUpWorker],
        // The plan holds no personal data: the unit follows it; leaders keep it.
        Action::ViewActionPlan => &[Leader, Admin, Caseworker, Approver, FollowUpWorker, HousingManager],
        Action::ManageActionPlan => &[Leader, Admin],
        // NAV's caseworker finds the place; the follow-up worker and the housing manager see
        // the household through it. The approver checks decisions, and records nothing.
        Action::ViewTemporaryStays => READ_PERSONAL,
        Action::RecordTemporaryStay => &[Caseworker, FollowUpWorker, HousingManager],
        // Leaders report the figures to KOSTRA and see no household behind them.
        Action::ViewStayFigures => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        // Municipal rule data, no personal data: the administration and the leaders own it.
        Action::ManageReferenceBudget => &[Admin, Leader],
        // The leader reports skjema 13; those who keep the cases, stays and tenancies behind it
        // see it to clear its warnings. The administrator keeps accounts, not the reporting, and
        // does not see the stay figures either.
        Action::ViewKostraFigures => &[Leader, Caseworker, Approver, FollowUpWorker, HousingManager],
        // Aggregates with small numbers suppressed: the leader who answers for equal treatment,
        // and the unit whose practice it measures. Not the administrator (no reporting role).
        Action::ViewEquityFigures => &[Leader, Caseworker, Approver, FollowUpWorker, HousingManager],
        // The register holds no personal data: everyone in the unit may read it.
        Action::ViewDwellings => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        Action::ManageDwellings => &[HousingManager],
        Action::Allocate => &[Caseworker, HousingManager],
        // The priority policy is the municipality's rule for who comes first: everyone in the
        // unit may read it (caseworkers explain it to applicants); the leader, who answers for
        // the rules the council or committee adopted, changes it.
        Action::ViewPriorityPolicy => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        Action::ManagePriorityPolicy => &[Leader],
        // The unit that houses and follows up the household reads the contract; the housing
        // manager, who lets the dwellings, writes and ends it.
        Action::ViewTenancies => READ_PERSONAL,
        Action::ManageTenancies => &[HousingManager],
        // The unit that works with the household sees its follow-up; the follow-up worker and
        // the caseworker keep the plan; the housing manager also logs what reaches the landlord
        // (a neighbour complaint, a visit to the dwelling). The approver records nothing.
        Action::ViewFollowUp => READ_PERSONAL,
        Action::KeepFollowUpPlan => &[Caseworker, FollowUpWorker],
        Action::LogFollowUp => &[Caseworker, FollowUpWorker, HousingManager],
        // The administrator registers the partners and who works for them, as with users.
        Action::ManagePartners => &[Admin],
        // Those who meet the household record what it agrees to share: in an application
        // meeting or on a home visit.
        Action::RecordConsent => &[Caseworker, FollowUpWorker],
        Action::ViewConsentedHouseholds => &[Partner],
        // No role sees a household as a partner by its role alone: only on a consent in force.
        Action::ViewAsPartner | Action::ReadDocumentAsPartner => &[],
        // The caseworker learns of a block and records it at once; protecting more is never
        // held back. Lifting it and opening the address need the specific permission.
        Action::ProtectAddress => &[Caseworker, ProtectedAddresses],
        Action::LiftAddressProtection | Action::RevealProtectedAddress => &[ProtectedAddresses],
        // Those who meet the household work with the partners; a partner refers and answers on
        // a consent in force (`consent_needed`).
        Action::SendReferral | Action::AnswerReferral => &[Caseworker, FollowUpWorker],
        // The same workers hold the household's meetings; a partner records one on a follow-up
        // consent and marks its own actions done on any consent in force.
        Action::RecordMeeting | Action::UpdateMeetingAction => &[Caseworker, FollowUpWorker],
        // Those the nightly job reminds: the housing manager of contracts, the responsible
        // worker of a plan's review, the caseworker of an approval; each sees only their own.
        Action::ViewReminders | Action::MarkReminder => &[Caseworker, FollowUpWorker, HousingManager],
    }
}

/// What a partner needs for an action on a household: any consent in force (to open its view),
/// or one that holds a category. Actions not listed are never done on consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsentNeed {
    Any,
    Category(ConsentCategory),
}

/// The consent a partner needs for `action`, if a consent can allow it at all.
pub fn consent_needed(action: Action) -> Option<ConsentNeed> {
    match action {
        Action::ViewAsPartner => Some(ConsentNeed::Any),
        // A follow-up team logs its own contacts and visits on a follow-up consent.
        Action::LogFollowUp => Some(ConsentNeed::Category(ConsentCategory::FollowUp)),
        Action::ReadDocumentAsPartner => Some(ConsentNeed::Category(ConsentCategory::Documents)),
        // Referring shares only that the household exists and what it needs: any consent.
        Action::SendReferral | Action::AnswerReferral => Some(ConsentNeed::Any),
        // A meeting's record is follow-up: recording one needs that category; an organisation
        // given an action took part on a consent, and reports back on any consent in force.
        Action::RecordMeeting => Some(ConsentNeed::Category(ConsentCategory::FollowUp)),
        Action::UpdateMeetingAction => Some(ConsentNeed::Any),
        _ => None,
    }
}

/// A signed-in user (or API token) with the roles they hold in each municipality.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user_id: crate::UserId,
    pub roles: BTreeMap<MunicipalityId, Vec<Role>>,
}

/// The outcome of an authorisation check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// The user works in the municipality but their roles do not allow this action (HTTP 403).
    Forbidden,
    /// The user has no role in the resource's municipality. Answered as "not found" (HTTP 404):
    /// the existence of a record is itself personal data.
    NotFound,
}

impl Principal {
    /// The roles this principal holds in a municipality (empty when none).
    pub fn roles_in(&self, municipality: MunicipalityId) -> &[Role] {
        self.roles.get(&municipality).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Municipalities where this principal may perform `action`, in id order.
    pub fn municipalities_for(&self, action: Action) -> Vec<MunicipalityId> {
        self.roles
            .keys()
            .copied()
            .filter(|m| authorize(self, action, *m) == Decision::Allow)
            .collect()
    }
}

/// The authorisation decision at the unit's own doors, which no consent opens: role × action ×
/// the resource's municipality.
pub fn authorize(principal: &Principal, action: Action, municipality: MunicipalityId) -> Decision {
    authorize_on_consent(principal, action, municipality, None)
}

/// The one authorisation decision: role × action × the resource's municipality × what the
/// household has consented to share with the caller's partner organisation, in force on the day
/// of access. `consented` is `None` at a door no consent opens (the unit's own pages and API),
/// and the categories in force (perhaps none) at the partner's door.
///
/// At the partner's door, a partner whose consent does not reach the action is told the
/// household does not exist (`NotFound`): without consent, even its existence is confidential.
pub fn authorize_on_consent(
    principal: &Principal,
    action: Action,
    municipality: MunicipalityId,
    consented: Option<&[ConsentCategory]>,
) -> Decision {
    let held = principal.roles_in(municipality);
    if held.is_empty() {
        return Decision::NotFound;
    }
    if held.iter().any(|r| roles_allowed(action).contains(r)) {
        return Decision::Allow;
    }
    let (Some(consented), true) = (consented, held.contains(&Role::Partner)) else {
        return Decision::Forbidden;
    };
    match consent_needed(action) {
        Some(ConsentNeed::Any) if !consented.is_empty() => Decision::Allow,
        Some(ConsentNeed::Category(c)) if consented.contains(&c) => Decision::Allow,
        Some(_) => Decision::NotFound,
        None => Decision::Forbidden,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserId;

    fn principal(m: MunicipalityId, roles: &[Role]) -> Principal {
        Principal {
            user_id: UserId::new(),
            roles: BTreeMap::from([(m, roles.to_vec())]),
        }
    }

    #[test]
    fn role_codes_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::from_code(role.code()), Some(role));
        }
        assert_eq!(Role::from_code("superuser"), None);
    }

    #[test]
    fn other_municipality_is_not_found_for_every_action_and_role() {
        let own = MunicipalityId::new();
        let other = MunicipalityId::new();
        for role in Role::ALL {
            let p = principal(own, &[role]);
            for action in Action::ALL {
                assert_eq!(authorize(&p, action, other), Decision::NotFound);
            }
        }
    }

    #[test]
    fn policy_table() {
        use Action::*;
        use Role::*;
        // (role, action, allowed in own municipality)
        let table = [
            (Caseworker, ViewHousehold, true),
            (Caseworker, RegisterHousehold, true),
            (Caseworker, ManageUsers, false),
            (Approver, EditHousehold, false),
            (Approver, RegisterHousehold, false),
            (Approver, ViewHousehold, true),
            (FollowUpWorker, ViewHousehold, true),
            (FollowUpWorker, EditHousehold, false),
            (HousingManager, SearchPeople, true),
            (HousingManager, RegisterHousehold, false),
            (Leader, ViewHousehold, false),
            (Partner, ViewPerson, false),
            (Admin, ViewHousehold, false),
            (Admin, ManageUsers, true),
            (Admin, ReadAudit, true),
            (Caseworker, ReadAudit, false),
            (Leader, ViewGrantBudget, true),
            (Leader, ManageGrantBudget, true),
            (Caseworker, ViewGrantBudget, true),
            (Caseworker, ManageGrantBudget, false),
            (FollowUpWorker, ViewGrantBudget, false),
            (Partner, ViewGrantBudget, false),
            (Leader, ManageActionPlan, true),
            (Caseworker, ViewActionPlan, true),
            (Caseworker, ManageActionPlan, false),
            (Partner, ViewActionPlan, false),
            (Caseworker, RecordTemporaryStay, true),
            (FollowUpWorker, RecordTemporaryStay, true),
            (HousingManager, RecordTemporaryStay, true),
            (Approver, RecordTemporaryStay, false),
            (Approver, ViewTemporaryStays, true),
            (Leader, ViewTemporaryStays, false),
            (Leader, ViewStayFigures, true),
            (Partner, ViewStayFigures, false),
            (HousingManager, ManageDwellings, true),
            (Caseworker, ManageDwellings, false),
            (Leader, ManageDwellings, false),
            (Caseworker, ViewDwellings, true),
            (Leader, ViewDwellings, true),
            (Partner, ViewDwellings, false),
            (Caseworker, Allocate, true),
            (HousingManager, Allocate, true),
            (Approver, Allocate, false),
            (Leader, Allocate, false),
            (FollowUpWorker, Allocate, false),
            (Admin, ViewStayFigures, false),
            (FollowUpWorker, KeepFollowUpPlan, true),
            (Caseworker, KeepFollowUpPlan, true),
            (HousingManager, KeepFollowUpPlan, false),
            (HousingManager, LogFollowUp, true),
            (Approver, LogFollowUp, false),
            (Approver, ViewFollowUp, true),
            (Leader, ViewFollowUp, false),
            (Partner, ViewFollowUp, false),
            (Admin, ManageReferenceBudget, true),
            (Leader, ManageReferenceBudget, true),
            (Caseworker, ManageReferenceBudget, false),
            (Approver, ManageReferenceBudget, false),
            (Leader, ViewKostraFigures, true),
            (HousingManager, ViewKostraFigures, true),
            (Admin, ViewKostraFigures, false),
            (Partner, ViewKostraFigures, false),
            (Leader, ViewEquityFigures, true),
            (FollowUpWorker, ViewEquityFigures, true),
            (Admin, ViewEquityFigures, false),
            (Partner, ViewEquityFigures, false),
            (Caseworker, ViewPriorityPolicy, true),
            (Leader, ViewPriorityPolicy, true),
            (Admin, ViewPriorityPolicy, false),
            (Partner, ViewPriorityPolicy, false),
            (Leader, ManagePriorityPolicy, true),
            (HousingManager, ManagePriorityPolicy, false),
            (Caseworker, ManagePriorityPolicy, false),
            (Admin, ManagePriorityPolicy, false),
            (Admin, ManagePartners, true),
            (Caseworker, ManagePartners, false),
            (Partner, ManagePartners, false),
            (Caseworker, RecordConsent, true),
            (FollowUpWorker, RecordConsent, true),
            (Approver, RecordConsent, false),
            (Admin, RecordConsent, false),
            (Partner, ViewConsentedHouseholds, true),
            (Caseworker, ViewConsentedHouseholds, false),
            (Caseworker, ProtectAddress, true),
            (ProtectedAddresses, ProtectAddress, true),
            (FollowUpWorker, ProtectAddress, false),
            (Caseworker, LiftAddressProtection, false),
            (Caseworker, RevealProtectedAddress, false),
            (Admin, RevealProtectedAddress, false),
            (ProtectedAddresses, LiftAddressProtection, true),
            (ProtectedAddresses, RevealProtectedAddress, true),
            // The permission opens addresses, nothing else.
            (ProtectedAddresses, ViewHousehold, false),
            (ProtectedAddresses, SearchPeople, false),
            (Caseworker, SendReferral, true),
            (FollowUpWorker, AnswerReferral, true),
            (Approver, SendReferral, false),
            (HousingManager, AnswerReferral, false),
            (Partner, SendReferral, false),
            (Caseworker, RecordMeeting, true),
            (FollowUpWorker, UpdateMeetingAction, true),
            (HousingManager, RecordMeeting, false),
            (Partner, RecordMeeting, false),
            (HousingManager, ViewReminders, true),
            (FollowUpWorker, MarkReminder, true),
            (Approver, ViewReminders, false),
            (Leader, ViewReminders, false),
            (Partner, MarkReminder, false),
        ];
        let m = MunicipalityId::new();
        for (role, action, allowed) in table {
            let expected = if allowed { Decision::Allow } else { Decision::Forbidden };
            assert_eq!(
                authorize(&principal(m, &[role]), action, m),
                expected,
                "{role:?} {action:?}"
            );
        }
    }

    #[test]
    fn a_partner_acts_on_a_household_only_as_far_as_its_consent_reaches() {
        use ConsentCategory::*;
        let m = MunicipalityId::new();
        let partner = principal(m, &[Role::Partner]);
        // (action, consented at the partner's door, decision)
        let table: &[(Action, &[ConsentCategory], Decision)] = &[
            (Action::ViewAsPartner, &[], Decision::NotFound),
            (Action::ViewAsPartner, &[Contact], Decision::Allow),
            (Action::ViewAsPartner, &[Case], Decision::Allow),
            (Action::LogFollowUp, &[], Decision::NotFound),
            (Action::LogFollowUp, &[Contact, Case], Decision::NotFound),
            (Action::LogFollowUp, &[FollowUp], Decision::Allow),
            (Action::ViewConsentedHouseholds, &[], Decision::Allow),
            (Action::ReadDocumentAsPartner, &[Contact, Economy], Decision::NotFound),
            (Action::ReadDocumentAsPartner, &[Documents], Decision::Allow),
            (Action::SendReferral, &[], Decision::NotFound),
            (Action::SendReferral, &[Contact], Decision::Allow),
            (Action::AnswerReferral, &[Case], Decision::Allow),
            (Action::RecordMeeting, &[Contact, Case], Decision::NotFound),
            (Action::RecordMeeting, &[FollowUp], Decision::Allow),
            (Action::UpdateMeetingAction, &[], Decision::NotFound),
            (Action::UpdateMeetingAction, &[Contact], Decision::Allow),
            // A consent never opens what it cannot allow.
            (Action::ViewHousehold, &[Contact, Case, FollowUp], Decision::Forbidden),
            (Action::ViewFollowUp, &[FollowUp], Decision::Forbidden),
            (Action::RecordConsent, &[Contact], Decision::Forbidden),
        ];
        for (action, consented, want) in table {
            assert_eq!(
                authorize_on_consent(&partner, *action, m, Some(consented)),
                *want,
                "{action:?} {consented:?}"
            );
        }
        // At the unit's own doors the role alone decides: 403, even for what a consent could
        // allow at the partner's door.
        assert_eq!(authorize(&partner, Action::LogFollowUp, m), Decision::Forbidden);
        assert_eq!(authorize(&partner, Action::ViewAsPartner, m), Decision::Forbidden);
        // A consent is no way into another municipality, and other roles gain nothing by one.
        let other = MunicipalityId::new();
        assert_eq!(
            authorize_on_consent(&partner, Action::ViewAsPartner, other, Some(&[Contact])),
            Decision::NotFound
        );
        for role in Role::ALL.into_iter().filter(|r| *r != Role::Partner) {
            assert_eq!(
                authorize_on_consent(&principal(m, &[role]), Action::ViewAsPartner, m, Some(&[Contact])),
                Decision::Forbidden,
                "{role:?}"
            );
        }
        assert_eq!(
            authorize_on_consent(&principal(m, &[Role::Caseworker]), Action::LogFollowUp, m, Some(&[])),
            Decision::Allow
        );
    }

    #[test]
    fn any_allowing_role_is_enough() {
        let m = MunicipalityId::new();
        let p = principal(m, &[Role::Leader, Role::Caseworker]);
        assert_eq!(authorize(&p, Action::EditHousehold, m), Decision::Allow);
        assert_eq!(p.municipalities_for(Action::EditHousehold), vec![m]);
        assert!(p.municipalities_for(Action::ManageUsers).is_empty());
    }
}
