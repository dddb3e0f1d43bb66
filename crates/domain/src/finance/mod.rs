//! The economy of a case about Husbanken's instruments: a startlån (the household's economy and
//! the loan, assessed with [`crate::startlan`]) or a grant (what it is for, what it costs, how much
//! is applied for). Stored with the case and saved as a snapshot in each proposed decision.
//!
//! - [`budget`]: the yearly grant budget as a ledger.

pub mod budget;
pub mod requests;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use budget::{Entry, EntryKind, GrantType, PaymentError, Position, check_payment, outstanding, position};

use crate::startlan::{AffordabilityInput, StartlanRules};
use crate::validation::{Errors, FieldError};

/// Longest free text (purpose, landlord's consent note).
pub const MAX_PURPOSE_LEN: usize = 2000;
/// Largest amount in a grant case, kroner.
pub const MAX_GRANT_KR: i64 = 100_000_000;

/// The case's economy, by case type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CaseFinance {
    Startlan(StartlanCase),
    Grant(GrantCase),
}

/// What the loan is for (Husbanken's veileder: purchase, refinancing, building, upgrading).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanPurpose {
    Purchase,
    Refinancing,
    NewBuild,
    Upgrading,
}

impl LoanPurpose {
    pub const ALL: [LoanPurpose; 4] = [
        LoanPurpose::Purchase,
        LoanPurpose::Refinancing,
        LoanPurpose::NewBuild,
        LoanPurpose::Upgrading,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LoanPurpose::Purchase => "purchase",
            LoanPurpose::Refinancing => "refinancing",
            LoanPurpose::NewBuild => "new_build",
            LoanPurpose::Upgrading => "upgrading",
        }
    }

    pub fn from_code(code: &str) -> Option<LoanPurpose> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The exceptions from the means test in forskriften § 5-4 (Husbanken's veileder «Generelt om
/// startlån»): when one applies, the household need not show long-term financing problems or
/// that it has used its saving possibilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeansTestException {
    /// Households with children, or with special social or health challenges, who need a stable
    /// housing situation now.
    ChildrenOrSpecialNeeds,
    /// Refinancing to keep the home.
    RefinancingToKeepHome,
    /// Tenants of municipal housing (buying frees a municipal dwelling).
    MunicipalTenant,
    /// Recruiting labour in the least central municipalities.
    Recruitment,
}

impl MeansTestException {
    pub const ALL: [MeansTestException; 4] = [
        MeansTestException::ChildrenOrSpecialNeeds,
        MeansTestException::RefinancingToKeepHome,
        MeansTestException::MunicipalTenant,
        MeansTestException::Recruitment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            MeansTestException::ChildrenOrSpecialNeeds => "children_or_special_needs",
            MeansTestException::RefinancingToKeepHome => "refinancing_to_keep_home",
            MeansTestException::MunicipalTenant => "municipal_tenant",
            MeansTestException::Recruitment => "recruitment",
        }
    }

    pub fn from_code(code: &str) -> Option<MeansTestException> {
        Self::ALL.into_iter().find(|e| e.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanCaseFinance")]
pub struct StartlanCase {
    pub purpose: LoanPurpose,
    /// The exception from the means test the caseworker relies on, if any.
    #[serde(default)]
    pub exception: Option<MeansTestException>,
    /// The household's economy and the loans, as the affordability test reads them.
    pub affordability: AffordabilityInput,
}

/// Whether the applicant owns or rents the dwelling a grant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "GrantTenure")]
pub enum Tenure {
    Owner,
    Tenant,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "GrantCaseFinance")]
pub struct GrantCase {
    pub grant: GrantType,
    /// What the grant is for: the purchase, or the adaptation (e.g. «trappeheis og bredere dører»).
    pub purpose: String,
    /// The purchase price with costs, or the adaptation's cost estimate, kroner.
    pub cost_kr: i64,
    /// The amount applied for, kroner.
    pub applied_kr: i64,
    pub tenure: Tenure,
    /// A tenant needs the landlord's consent to adapt the dwelling.
    #[serde(default)]
    pub landlord_consent: bool,
    /// The startlån case this grant tops up, by reference (`2026-000042`), if any.
    #[serde(default)]
    pub startlan_reference: Option<String>,
}

impl CaseFinance {
    /// Checks a case's economy; errors name the field (`grant.applied_kr`,
    /// `startlan.affordability.loans.startlan.term_years`).
    pub fn validate(&self, startlan_rules: &StartlanRules) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        match self {
            CaseFinance::Startlan(s) => {
                if let Err(errors) = crate::startlan::validate(&s.affordability, startlan_rules) {
                    for mut error in errors {
                        error.field = format!("startlan.affordability.{}", error.field);
                        e.push(error);
                    }
                }
            }
            CaseFinance::Grant(g) => {
                if g.purpose.trim().is_empty() {
                    e.push(FieldError::required("grant.purpose"));
                } else if g.purpose.chars().count() > MAX_PURPOSE_LEN {
                    e.push(FieldError::too_long("grant.purpose", MAX_PURPOSE_LEN));
                }
                grant_amount(&mut e, "grant.cost_kr", g.cost_kr);
                grant_amount(&mut e, "grant.applied_kr", g.applied_kr);
                if g.applied_kr > g.cost_kr && g.cost_kr >= 0 {
                    e.push(FieldError::new(
                        "grant.applied_kr",
                        "more_than_cost",
                        "error.finance.more_than_cost",
                    ));
                }
                if let Some(reference) = &g.startlan_reference {
                    e.optional_text("grant.startlan_reference", reference);
                }
            }
        }
        e.into_result(())
    }

    /// The amount the case is about, in øre: the startlån principal or the grant applied for.
    pub fn applied_ore(&self) -> i64 {
        match self {
            CaseFinance::Startlan(s) => s.affordability.loans.startlan.principal_kr * 100,
            CaseFinance::Grant(g) => g.applied_kr * 100,
        }
    }

    /// Whether this economy belongs to a case of this type.
    pub fn fits(&self, case_type: crate::cases::CaseType) -> bool {
        match self {
            CaseFinance::Startlan(_) => case_type == crate::cases::CaseType::Startlan,
            CaseFinance::Grant(g) => case_type.grant() == Some(g.grant),
        }
    }
}

fn grant_amount(e: &mut Errors, field: &str, kr: i64) {
    crate::validation::amount_kr(e, field, kr, MAX_GRANT_KR);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cases::CaseType;

    fn grant() -> GrantCase {
        GrantCase {
            grant: GrantType::Adaptation,
            purpose: "Trappeheis".into(),
            cost_kr: 120_000,
            applied_kr: 80_000,
            tenure: Tenure::Tenant,
            landlord_consent: true,
            startlan_reference: None,
        }
    }

    fn rules() -> &'static StartlanRules {
        StartlanRules::embedded()
    }

    #[test]
    fn a_grant_case_is_checked_field_by_field() {
        assert!(CaseFinance::Grant(grant()).validate(rules()).is_ok());
        let bad = CaseFinance::Grant(GrantCase {
            purpose: " ".into(),
            applied_kr: 200_000,
            cost_kr: -1,
            ..grant()
        });
        let errors = bad.validate(rules()).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [("grant.purpose", "required"), ("grant.cost_kr", "negative_amount")]
        );
        let too_much = CaseFinance::Grant(GrantCase {
            applied_kr: 200_000,
            ..grant()
        });
        assert_eq!(too_much.validate(rules()).unwrap_err()[0].code, "more_than_cost");
    }

    #[test]
    fn startlan_errors_carry_the_path_inside_the_case() {
        let mut input = crate::startlan::input::tests::example();
        input.loans.startlan.term_years = 0;
        let finance = CaseFinance::Startlan(StartlanCase {
            purpose: LoanPurpose::Purchase,
            exception: None,
            affordability: input,
        });
        let errors = finance.validate(rules()).unwrap_err();
        assert_eq!(errors[0].field, "startlan.affordability.loans.startlan.term_years");
    }

    #[test]
    fn an_economy_fits_its_case_type_only() {
        let g = CaseFinance::Grant(grant());
        assert!(g.fits(CaseType::AdaptationGrant));
        assert!(!g.fits(CaseType::EstablishmentGrant));
        assert!(!g.fits(CaseType::Startlan));
        assert_eq!(g.applied_ore(), 8_000_000);
    }

    #[test]
    fn codes_round_trip() {
        for p in LoanPurpose::ALL {
            assert_eq!(LoanPurpose::from_code(p.code()), Some(p));
        }
        for x in MeansTestException::ALL {
            assert_eq!(MeansTestException::from_code(x.code()), Some(x));
        }
    }
}
