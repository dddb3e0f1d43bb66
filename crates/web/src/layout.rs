//! The page frame every template extends, and the small pages shared by several handlers.

use crate::auth::CurrentUser;
use crate::i18n::Tr;
use askama::Template;
use husly_domain::authz::{Action, Decision};
use husly_store::municipalities::Municipality;

/// Which top-level section a page belongs to, for `aria-current` in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Search,
    NewHousehold,
    Users,
    Audit,
    Outreach,
    Cases,
    /// The stateless startlån calculator.
    Calculators,
    /// The municipality's yearly grant budget.
    GrantBudget,
    /// The social housing action plan.
    ActionPlan,
    /// The year's KOSTRA figures on temporary accommodation.
    Stays,
    /// The year's KOSTRA skjema 13 figures and their warnings.
    Kostra,
    /// Equity monitoring: outcomes by household type and main reason.
    Equity,
    /// The municipality's reference budget (SIFO) for startlån living costs.
    ReferenceBudget,
    /// The dwelling register.
    Dwellings,
    /// The waiting list in priority order.
    WaitingList,
    /// Tenancy contracts.
    Tenancies,
    /// The follow-up caseload.
    FollowUp,
    /// The server's daily jobs and their runs.
    Jobs,
    /// A partner's households, on consent.
    Partner,
    /// The municipality's partner organisations (administration).
    Partners,
    /// The caller's reminders.
    Reminders,
    None,
}

/// What the frame needs: language, who is signed in, and what they may reach.
#[derive(Debug, Clone)]
pub struct Layout {
    pub tr: Tr,
    pub section: Section,
    pub user_name: Option<String>,
    pub csrf: String,
    pub municipality: Option<Municipality>,
    pub municipalities: Vec<Municipality>,
    pub can_search: bool,
    pub can_register: bool,
    pub can_admin: bool,
    pub can_outreach: bool,
    pub can_cases: bool,
    pub can_grant_budget: bool,
    pub can_action_plan: bool,
    pub can_stays: bool,
    pub can_kostra: bool,
    pub can_follow_up: bool,
    pub can_equity: bool,
    pub can_reference_budget: bool,
    pub can_dwellings: bool,
    pub can_waiting_list: bool,
    /// Read the priority policy's versions (the waiting list's pages link to them).
    pub can_priority_policy: bool,
    /// Allocation rounds and offers.
    pub can_allocate: bool,
    /// Change the priority policy (a new version after a simulation).
    pub can_change_policy: bool,
    /// Read tenancy contracts.
    pub can_tenancies: bool,
    /// Write, end and undo the end of contracts.
    pub can_manage_tenancies: bool,
    /// A partner's households on consent.
    pub can_partner: bool,
    /// Register partner organisations and their users.
    pub can_manage_partners: bool,
    /// One's own reminders.
    pub can_reminders: bool,
    pub demo: bool,
    /// The confirmation of the action that led here, in the user's language.
    pub flash: Option<String>,
}

impl Layout {
    /// The frame for an anonymous page (login, errors).
    pub fn anonymous(tr: Tr, demo: bool) -> Layout {
        Layout {
            tr,
            section: Section::None,
            user_name: None,
            csrf: String::new(),
            municipality: None,
            municipalities: Vec::new(),
            can_search: false,
            can_register: false,
            can_admin: false,
            can_outreach: false,
            can_cases: false,
            can_grant_budget: false,
            can_action_plan: false,
            can_stays: false,
            can_kostra: false,
            can_equity: false,
            can_reference_budget: false,
            can_dwellings: false,
            can_waiting_list: false,
            can_priority_policy: false,
            can_allocate: false,
            can_change_policy: false,
            can_tenancies: false,
            can_manage_tenancies: false,
            can_follow_up: false,
            can_partner: false,
            can_manage_partners: false,
            can_reminders: false,
            demo,
            flash: None,
        }
    }

    /// The frame for a visitor's page with forms (self-service): their CSRF token goes in the forms.
    pub fn visitor(tr: Tr, demo: bool, csrf: &str) -> Layout {
        Layout {
            csrf: csrf.to_string(),
            ..Layout::anonymous(tr, demo)
        }
    }

    pub fn for_user(user: &CurrentUser, section: Section, demo: bool) -> Layout {
        let allowed = |action| {
            user.municipality
                .as_ref()
                .is_some_and(|m| husly_domain::authz::authorize(&user.principal, action, m.id) == Decision::Allow)
        };
        Layout {
            tr: user.tr,
            section,
            user_name: Some(user.user.display_name.clone()),
            csrf: user.csrf_token.clone(),
            municipality: user.municipality.clone(),
            municipalities: user.municipalities.clone(),
            can_search: allowed(Action::SearchPeople),
            can_register: allowed(Action::RegisterHousehold),
            can_admin: allowed(Action::ManageUsers),
            can_outreach: allowed(Action::RunOutreach),
            can_cases: allowed(Action::ViewCase),
            can_grant_budget: allowed(Action::ViewGrantBudget),
            can_action_plan: allowed(Action::ViewActionPlan),
            can_stays: allowed(Action::ViewStayFigures),
            can_kostra: allowed(Action::ViewKostraFigures),
            can_equity: allowed(Action::ViewEquityFigures),
            can_reference_budget: allowed(Action::ManageReferenceBudget),
            can_dwellings: allowed(Action::ViewDwellings),
            can_waiting_list: allowed(Action::ViewCase),
            can_priority_policy: allowed(Action::ViewPriorityPolicy),
            can_allocate: allowed(Action::Allocate),
            can_change_policy: allowed(Action::ManagePriorityPolicy),
            can_tenancies: allowed(Action::ViewTenancies),
            can_manage_tenancies: allowed(Action::ManageTenancies),
            can_follow_up: allowed(Action::ViewFollowUp),
            can_partner: allowed(Action::ViewConsentedHouseholds),
            can_manage_partners: allowed(Action::ManagePartners),
            can_reminders: allowed(Action::ViewReminders),
            demo,
            flash: user.flash.as_deref().map(|key| user.tr.t(key).to_string()),
        }
    }

    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        self.tr.t(key)
    }

    /// An address as a page shows it: "Skjermet adresse" when the household's address is
    /// protected (it comes masked, as empty text, from the store), else the address.
    pub fn address(&self, protected: &bool, address: &str) -> String {
        address_text(&self.tr, *protected, address)
    }

    /// A household's whole address ("Storgata 1, 3015 DRAMMEN"), or that it is protected.
    pub fn full_address(&self, h: &husly_store::households::Household) -> String {
        household_address(&self.tr, h)
    }

    pub fn current(&self, section: &str) -> bool {
        matches!(
            (self.section, section),
            (Section::Search, "search")
                | (Section::NewHousehold, "new_household")
                | (Section::Users, "users")
                | (Section::Audit, "audit")
                | (Section::Outreach, "outreach")
                | (Section::Cases, "cases")
                | (Section::Calculators, "calculators")
                | (Section::GrantBudget, "grant_budget")
                | (Section::ActionPlan, "action_plan")
                | (Section::Stays, "stays")
                | (Section::Kostra, "kostra")
                | (Section::Equity, "equity")
                | (Section::ReferenceBudget, "reference_budget")
                | (Section::Dwellings, "dwellings")
                | (Section::WaitingList, "waiting_list")
                | (Section::Tenancies, "tenancies")
                | (Section::FollowUp, "follow_up")
                | (Section::Jobs, "jobs")
                | (Section::Partner, "partner")
                | (Section::Partners, "partners")
                | (Section::Reminders, "reminders")
        )
    }

    pub fn is_working_in(&self, municipality: &Municipality) -> bool {
        self.municipality.as_ref().is_some_and(|m| m.id == municipality.id)
    }

    /// The languages the page can switch to: all but its own.
    pub fn other_langs(&self) -> Vec<husly_domain::Lang> {
        husly_domain::Lang::ALL
            .into_iter()
            .filter(|l| *l != self.tr.lang)
            .collect()
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub l: Layout,
    pub title: String,
    pub text: String,
    pub detail: Option<String>,
    /// Each field that was wrong and why, in the request's language.
    pub fields: Vec<(String, String)>,
    pub request_id: String,
}

/// Shows a secret (a new password or API token) exactly once.
#[derive(Template)]
#[template(path = "secret.html")]
pub struct SecretPage {
    pub l: Layout,
    pub title: String,
    pub explanation: String,
    pub secret: String,
    pub back_href: String,
}

/// When this year's indicator values were computed, as a sentence for the plan's pages ("" when
/// none were).
pub fn computed_note(tr: Tr, at: Option<time::OffsetDateTime>) -> String {
    match at {
        Some(at) => tr.f(
            "plan.computed_at",
            &[("time", &format_timestamp(husly_store::micros_of(at)))],
        ),
        None => String::new(),
    }
}

/// A stored timestamp (µs since the epoch, UTC) as Norwegian local time, `dd.mm.yyyy kl. HH.MM`.
pub fn format_timestamp(micros: i64) -> String {
    let utc = husly_store::time_of(micros);
    let local = utc.to_offset(husly_domain::oslo::offset_at(utc));
    format!(
        "{:02}.{:02}.{:04} kl. {:02}.{:02}",
        local.day(),
        u8::from(local.month()),
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// An address as a page, a list or an export shows it: "Skjermet adresse" when the household's
/// address is protected (the store masked it to empty text), else the address.
pub fn address_text(tr: &Tr, protected: bool, address: &str) -> String {
    if protected {
        tr.t("protection.masked").to_string()
    } else {
        address.to_string()
    }
}

/// A household's whole address ("Storgata 1, 3015 DRAMMEN"), or "Skjermet adresse".
pub fn household_address(tr: &Tr, h: &husly_store::households::Household) -> String {
    let whole = format!("{}, {} {}", h.address_line, h.postal_code, h.postal_city);
    address_text(tr, h.protection.is_some(), &whole)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn oslo_time_follows_summer_time() {
        let micros = husly_store::micros_of(datetime!(2026-07-01 10:05 UTC));
        assert_eq!(format_timestamp(micros), "01.07.2026 kl. 12.05");
    }
}
