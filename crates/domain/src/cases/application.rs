//! The application for municipal housing (or for § 6 assistance) as the household fills it in.
//!
//! A draft may be incomplete; [`ApplicationForm::check`] reports problems with what is given, and
//! [`ApplicationForm::missing_for_submission`] names every item a submission still needs. Money is
//! typed in whole kroner and held in øre.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::bostotte::IncomeKind;
use crate::validation::{FieldError, MAX_TEXT_LEN, parse_date};

/// Longest free-text answer (a few paragraphs).
pub const MAX_LONG_TEXT: usize = 4_000;
pub const MAX_AREAS: usize = 10;

/// Where the household lives now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CurrentHousing {
    PrivateRental,
    MunicipalRental,
    OwnHome,
    WithFamilyOrFriends,
    Institution,
    TemporaryAccommodation,
    Homeless,
    Other,
}

impl CurrentHousing {
    pub const ALL: [CurrentHousing; 8] = [
        CurrentHousing::PrivateRental,
        CurrentHousing::MunicipalRental,
        CurrentHousing::OwnHome,
        CurrentHousing::WithFamilyOrFriends,
        CurrentHousing::Institution,
        CurrentHousing::TemporaryAccommodation,
        CurrentHousing::Homeless,
        CurrentHousing::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CurrentHousing::PrivateRental => "private_rental",
            CurrentHousing::MunicipalRental => "municipal_rental",
            CurrentHousing::OwnHome => "own_home",
            CurrentHousing::WithFamilyOrFriends => "with_family_or_friends",
            CurrentHousing::Institution => "institution",
            CurrentHousing::TemporaryAccommodation => "temporary_accommodation",
            CurrentHousing::Homeless => "homeless",
            CurrentHousing::Other => "other",
        }
    }
}

/// Reasons for applying: a coded list with free text, the applicant's own statement. KOSTRA's
/// main reason is the caseworker's classification (`crate::kostra`), which these only suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    Economy,
    Health,
    SubstanceUseOrMentalHealth,
    RefugeeBackground,
    ChildrensSituation,
    Violence,
    Eviction,
    Other,
}

impl Reason {
    pub const ALL: [Reason; 8] = [
        Reason::Economy,
        Reason::Health,
        Reason::SubstanceUseOrMentalHealth,
        Reason::RefugeeBackground,
        Reason::ChildrensSituation,
        Reason::Violence,
        Reason::Eviction,
        Reason::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reason::Economy => "economy",
            Reason::Health => "health",
            Reason::SubstanceUseOrMentalHealth => "substance_use_or_mental_health",
            Reason::RefugeeBackground => "refugee_background",
            Reason::ChildrensSituation => "childrens_situation",
            Reason::Violence => "violence",
            Reason::Eviction => "eviction",
            Reason::Other => "other",
        }
    }
}

/// Consents to share information with partner agencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    Nav,
    HealthAndCare,
    RefugeeService,
    FollowUpTeam,
}

impl Consent {
    pub const ALL: [Consent; 4] = [
        Consent::Nav,
        Consent::HealthAndCare,
        Consent::RefugeeService,
        Consent::FollowUpTeam,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Consent::Nav => "nav",
            Consent::HealthAndCare => "health_and_care",
            Consent::RefugeeService => "refugee_service",
            Consent::FollowUpTeam => "follow_up_team",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberEconomy {
    /// Yearly incomes, whole kroner.
    #[serde(default)]
    pub incomes: Vec<(IncomeKind, i64)>,
    /// Net wealth, whole kroner.
    #[serde(default)]
    pub net_wealth_kr: i64,
}

/// What the applicant answers. Everything is optional in a draft.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationForm {
    #[serde(default)]
    pub current_housing: Option<CurrentHousing>,
    #[serde(default)]
    pub current_housing_text: String,
    /// When the current lease or stay ends, if it does.
    #[serde(default)]
    #[schemars(with = "Option<crate::schema::DateSchema>")]
    pub current_housing_ends: Option<Date>,
    #[serde(default)]
    pub reasons: Vec<Reason>,
    #[serde(default)]
    pub reasons_text: String,
    #[serde(default)]
    pub wheelchair_access: bool,
    #[serde(default)]
    pub ground_floor_or_lift: bool,
    #[serde(default)]
    pub pets: bool,
    #[serde(default)]
    pub preferred_areas: Vec<String>,
    #[serde(default)]
    pub areas_to_avoid: Vec<String>,
    #[serde(default)]
    pub needs_text: String,
    /// Per household member, in household order.
    #[serde(default)]
    pub economy: Vec<MemberEconomy>,
    /// The applicant has lawful residence in Norway.
    #[serde(default)]
    pub lawful_residence: Option<bool>,
    /// Registered as resident (folkeregistrert) in the municipality since this date.
    #[serde(default)]
    #[schemars(with = "Option<crate::schema::DateSchema>")]
    pub registered_in_municipality_since: Option<Date>,
    #[serde(default)]
    pub rent_arrears: Option<bool>,
    /// The household was evicted from a municipal dwelling on this date.
    #[serde(default)]
    #[schemars(with = "Option<crate::schema::DateSchema>")]
    pub evicted_on: Option<Date>,
    #[serde(default)]
    pub consents: Vec<Consent>,
    /// The applicant already rents a municipal dwelling (KOSTRA: existing tenant vs new applicant).
    #[serde(default)]
    pub existing_tenant: bool,
    /// The applicant confirms the answers are correct (required to submit).
    #[serde(default)]
    pub confirmed: bool,
}

fn text_error(errors: &mut Vec<FieldError>, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.push(FieldError::too_long(field, max));
    }
}

impl ApplicationForm {
    /// Problems with what is filled in (a draft may still be incomplete).
    pub fn check(&self, members: usize, today: Date) -> Vec<FieldError> {
        let mut errors = Vec::new();
        text_error(
            &mut errors,
            "current_housing_text",
            &self.current_housing_text,
            MAX_LONG_TEXT,
        );
        text_error(&mut errors, "reasons_text", &self.reasons_text, MAX_LONG_TEXT);
        text_error(&mut errors, "needs_text", &self.needs_text, MAX_LONG_TEXT);
        for (name, areas) in [
            ("preferred_areas", &self.preferred_areas),
            ("areas_to_avoid", &self.areas_to_avoid),
        ] {
            if areas.len() > MAX_AREAS {
                errors
                    .push(FieldError::new(name, "too_many", "error.application.too_many_areas").arg("max", MAX_AREAS));
            }
            for (i, area) in areas.iter().enumerate() {
                text_error(&mut errors, &format!("{name}[{i}]"), area, MAX_TEXT_LEN);
            }
        }
        if self.economy.len() > members {
            errors.push(FieldError::new(
                "economy",
                "too_many",
                "error.application.economy_too_many_people",
            ));
        }
        for (i, member) in self.economy.iter().enumerate() {
            for (j, (_, kr)) in member.incomes.iter().enumerate() {
                if !(0..=crate::bostotte::MAX_AMOUNT_KR).contains(kr) {
                    errors.push(out_of_range(format!("economy[{i}].incomes[{j}]")));
                }
            }
            if !(-crate::bostotte::MAX_AMOUNT_KR..=crate::bostotte::MAX_AMOUNT_KR).contains(&member.net_wealth_kr) {
                errors.push(out_of_range(format!("economy[{i}].net_wealth_kr")));
            }
        }
        for (field, date) in [
            (
                "registered_in_municipality_since",
                self.registered_in_municipality_since,
            ),
            ("evicted_on", self.evicted_on),
        ] {
            if date.is_some_and(|d| d > today) {
                errors.push(FieldError::new(field, "in_future", "error.application.date_in_future"));
            }
        }
        errors
    }

    /// Every item a submission needs that is still missing, each with its field.
    pub fn missing_for_submission(&self, members: usize) -> Vec<FieldError> {
        let mut missing = Vec::new();
        let mut require = |present: bool, field: &str, key: &'static str| {
            if !present {
                missing.push(FieldError::new(field, "required", key));
            }
        };
        require(
            self.current_housing.is_some(),
            "current_housing",
            "error.application.current_housing_required",
        );
        require(
            !self.reasons.is_empty(),
            "reasons",
            "error.application.reasons_required",
        );
        require(
            self.lawful_residence.is_some(),
            "lawful_residence",
            "error.application.lawful_residence_required",
        );
        require(
            self.registered_in_municipality_since.is_some(),
            "registered_in_municipality_since",
            "error.application.registered_in_municipality_since_required",
        );
        require(
            self.rent_arrears.is_some(),
            "rent_arrears",
            "error.application.rent_arrears_required",
        );
        require(
            self.economy.len() == members,
            "economy",
            "error.application.economy_required",
        );
        require(self.confirmed, "confirmed", "error.application.confirmed_required");
        missing
    }

    /// The household's counted yearly income in øre (all kinds the bostøtte rules count).
    pub fn income_ore(&self, counts: impl Fn(IncomeKind) -> bool) -> i64 {
        self.economy
            .iter()
            .flat_map(|m| &m.incomes)
            .filter(|(kind, _)| counts(*kind))
            .map(|(_, kr)| kr * 100)
            .sum()
    }

    pub fn net_wealth_ore(&self) -> i64 {
        self.economy.iter().map(|m| m.net_wealth_kr * 100).sum()
    }
}

fn out_of_range(field: String) -> FieldError {
    FieldError::new(field, "out_of_range", "error.application.amount_out_of_range")
}

/// Parses an optional date typed in a form (dd.mm.yyyy or ISO); an empty field is none.
pub fn optional_date(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<Date> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let date = parse_date(text);
    if date.is_none() {
        errors.push(FieldError::invalid_date(field));
    }
    date
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn complete() -> ApplicationForm {
        ApplicationForm {
            current_housing: Some(CurrentHousing::PrivateRental),
            reasons: vec![Reason::Economy, Reason::ChildrensSituation],
            lawful_residence: Some(true),
            registered_in_municipality_since: Some(date!(2019 - 05 - 01)),
            rent_arrears: Some(false),
            economy: vec![MemberEconomy {
                incomes: vec![(IncomeKind::Wages, 280_000)],
                net_wealth_kr: 10_000,
            }],
            confirmed: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_application_can_be_submitted() {
        let form = complete();
        assert!(form.check(1, date!(2026 - 11 - 26)).is_empty());
        assert!(form.missing_for_submission(1).is_empty());
        assert_eq!(form.reasons[0], Reason::Economy);
        assert_eq!(form.income_ore(|_| true), 28_000_000);
    }

    #[test]
    fn every_missing_item_is_named() {
        let errors = ApplicationForm::default().missing_for_submission(2);
        let missing: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            missing,
            [
                "current_housing",
                "reasons",
                "lawful_residence",
                "registered_in_municipality_since",
                "rent_arrears",
                "economy",
                "confirmed"
            ]
        );
        let mut two = complete();
        assert_eq!(
            two.missing_for_submission(2)[0].field,
            "economy",
            "one member's economy is missing"
        );
        two.economy.push(MemberEconomy::default());
        assert!(two.missing_for_submission(2).is_empty());
    }

    #[test]
    fn bad_values_are_refused_even_in_a_draft() {
        let form = ApplicationForm {
            registered_in_municipality_since: Some(date!(2027 - 01 - 01)),
            reasons_text: "x".repeat(MAX_LONG_TEXT + 1),
            economy: vec![MemberEconomy {
                incomes: vec![(IncomeKind::Wages, -1)],
                net_wealth_kr: 0,
            }],
            ..Default::default()
        };
        let fields: Vec<String> = form
            .check(1, date!(2026 - 11 - 26))
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(
            fields,
            [
                "reasons_text",
                "economy[0].incomes[0]",
                "registered_in_municipality_since"
            ]
        );
    }
}
