//! What a caseworker types for an affordability assessment, and its validation.
//!
//! Amounts are whole kroner per month (fields ending in `_kr`), except the loan principals and the
//! purchase figures, which are whole kroner. Validation reports every problem at once, each with
//! the path of its field (`loans.startlan.term_years`), a stable code and a sentence in bokmål and
//! English.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::extended_term::{self, ExtendedTermConditions};
use super::living_costs::{FloorCategory, HouseholdComposition};
use super::rules::StartlanRules;
use super::schedule::{LoanKind, MAX_RATE_BASIS_POINTS};
use crate::household::MAX_MEMBERS;
use crate::rules::{Percent, YearMonth};
use crate::validation::{Errors, FieldError, MAX_TEXT_LEN};

/// Largest amount accepted in any field: 1 000 000 000 kr.
pub const MAX_AMOUNT_KR: i64 = 1_000_000_000;
/// Most fixed-cost items in one assessment.
pub const MAX_FIXED_COSTS: usize = 50;
/// Longest term accepted for a co-financing bank loan (a plausibility limit, not a rule).
pub const MAX_BANK_TERM_YEARS: u32 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanRequest")]
pub struct AffordabilityInput {
    /// The month assessed; it picks the rules (policy rate, guideline rates…).
    pub month: YearMonth,
    pub household: HouseholdComposition,
    /// The household's income after tax, kroner per month.
    pub income_after_tax_kr: i64,
    /// Other fixed costs, kroner per month each.
    #[serde(default)]
    pub fixed_costs: Vec<FixedCost>,
    /// Expected maintenance and running costs of the dwelling (common costs, insurance,
    /// municipal fees…), kroner per month.
    #[serde(default)]
    pub maintenance_kr: i64,
    /// The household's own estimate of its living costs, kroner per month. The assessment uses it
    /// when it is at least the social-assistance floor.
    #[serde(default)]
    pub own_living_cost_estimate_kr: Option<i64>,
    pub loans: Loans,
    /// The purchase, to tell how much a grant (*tilskudd til etablering*) would have to cover.
    #[serde(default)]
    pub financing: Option<Financing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "StartlanFixedCostKind")]
pub enum FixedCostKind {
    /// Consumer debt, car loans, credit cards.
    Debt,
    StudentLoan,
    /// Kindergarten, SFO/AKS.
    Childcare,
    /// Child support paid (*barnebidrag*).
    ChildSupport,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanFixedCost")]
pub struct FixedCost {
    pub kind: FixedCostKind,
    #[serde(default)]
    pub label: Option<String>,
    /// Kroner per month.
    pub amount_kr: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanLoans")]
pub struct Loans {
    pub startlan: StartlanLoan,
    /// A bank loan financing the rest of the purchase, if any.
    #[serde(default)]
    pub bank: Option<BankLoan>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StartlanLoan {
    /// Kroner.
    pub principal_kr: i64,
    pub term_years: u32,
    #[serde(default)]
    pub instalment_free_years: u32,
    pub kind: LoanKind,
    /// Why a term longer than the normal maximum (30 years) is granted; required for one.
    #[serde(default)]
    pub extended_term_reason: Option<String>,
    /// The § 8-5 conditions for a term longer than the normal maximum; required for one, and
    /// each must be met or waived.
    #[serde(default)]
    pub extended_term_conditions: Option<ExtendedTermConditions>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanBankLoan")]
pub struct BankLoan {
    /// Kroner.
    pub principal_kr: i64,
    pub term_years: u32,
    pub kind: LoanKind,
    /// The rate to test the bank loan at (for example the bank's own stress-test rate, "8.5 %").
    /// Without one, the startlån's stress-test rate is used.
    #[serde(default)]
    pub rate: Option<Percent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanFinancing")]
pub struct Financing {
    /// Kroner.
    pub price_kr: i64,
    /// Document duty, registration fees, estate agent… in kroner.
    #[serde(default)]
    pub purchase_costs_kr: i64,
    /// Kroner.
    #[serde(default)]
    pub equity_kr: i64,
}

/// Checks everything [`super::assess`] relies on, against the rules in force in the input's month.
pub fn validate(input: &AffordabilityInput, rules: &StartlanRules) -> Result<(), Vec<FieldError>> {
    let mut e = Errors::default();

    let terms = match rules.for_month(input.month) {
        Ok(month_rules) => Some(month_rules.terms.values),
        Err(_) => {
            e.push(FieldError::new("month", "no_rules_for_month", "error.startlan.no_rules").arg("month", input.month));
            None
        }
    };

    household(&mut e, &input.household);

    amount(&mut e, "income_after_tax_kr", input.income_after_tax_kr);
    amount(&mut e, "maintenance_kr", input.maintenance_kr);
    if let Some(own) = input.own_living_cost_estimate_kr {
        amount(&mut e, "own_living_cost_estimate_kr", own);
    }
    if input.fixed_costs.len() > MAX_FIXED_COSTS {
        e.push(
            FieldError::new("fixed_costs", "too_many_items", "error.startlan.too_many_fixed_costs")
                .arg("max", MAX_FIXED_COSTS),
        );
    }
    for (i, cost) in input.fixed_costs.iter().enumerate() {
        amount(&mut e, &format!("fixed_costs[{i}].amount_kr"), cost.amount_kr);
        if let Some(label) = &cost.label {
            e.optional_text(&format!("fixed_costs[{i}].label"), label);
        }
    }

    let startlan = &input.loans.startlan;
    amount(&mut e, "loans.startlan.principal_kr", startlan.principal_kr);
    if let Some(reason) = &startlan.extended_term_reason
        && reason.chars().count() > MAX_TEXT_LEN
    {
        e.push(FieldError::too_long(
            "loans.startlan.extended_term_reason",
            MAX_TEXT_LEN,
        ));
    }
    if let Some(terms) = terms {
        startlan_terms(
            &mut e,
            startlan,
            !input.household.children_ages.is_empty(),
            terms.normal_max_years,
            terms.special_max_years,
            terms.max_instalment_free_years,
        );
    }

    if let Some(bank) = &input.loans.bank {
        amount(&mut e, "loans.bank.principal_kr", bank.principal_kr);
        if !(1..=MAX_BANK_TERM_YEARS).contains(&bank.term_years) {
            e.push(
                FieldError::new("loans.bank.term_years", "term_out_of_range", "error.startlan.bank_term")
                    .arg("max", MAX_BANK_TERM_YEARS),
            );
        }
        if let Some(rate) = bank.rate
            && !(0..=MAX_RATE_BASIS_POINTS).contains(&rate.basis_points())
        {
            e.push(FieldError::new(
                "loans.bank.rate",
                "rate_out_of_range",
                "error.startlan.rate_out_of_range",
            ));
        }
    }

    if let Some(financing) = &input.financing {
        amount(&mut e, "financing.price_kr", financing.price_kr);
        amount(&mut e, "financing.purchase_costs_kr", financing.purchase_costs_kr);
        amount(&mut e, "financing.equity_kr", financing.equity_kr);
    }

    e.into_result(())
}

fn amount(e: &mut Errors, field: &str, kr: i64) {
    crate::validation::amount_kr(e, field, kr, MAX_AMOUNT_KR);
}

fn household(e: &mut Errors, h: &HouseholdComposition) {
    if h.adults == 0 {
        e.push(FieldError::new(
            "household.adults",
            "at_least_one_adult",
            "error.startlan.at_least_one_adult",
        ));
    }
    if h.couple && h.adults < 2 {
        e.push(FieldError::new(
            "household.couple",
            "couple_needs_two_adults",
            "error.startlan.couple_needs_two_adults",
        ));
    }
    if h.adults as usize + h.children_ages.len() > MAX_MEMBERS {
        e.push(
            FieldError::new("household", "too_many_members", "error.startlan.too_many_members").arg("max", MAX_MEMBERS),
        );
        return;
    }
    let adults = h.adults as usize;
    if h.members.len() > adults + h.children_ages.len() {
        e.push(FieldError::new(
            "household.members",
            "more_than_members",
            "error.startlan.more_than_members",
        ));
    }
    for (i, detail) in h.members.iter().enumerate() {
        let Some(age) = detail.age else { continue };
        let fits = match i.checked_sub(adults) {
            None => (18..=super::reference_budget::MAX_AGE).contains(&age),
            Some(child) => h.children_ages.get(child).is_none_or(|&a| a == age),
        };
        if !fits {
            e.push(FieldError::new(
                format!("household.members[{i}].age"),
                "member_age_mismatch",
                "error.startlan.member_age_mismatch",
            ));
        }
    }
    for (i, &age) in h.children_ages.iter().enumerate() {
        if FloorCategory::of_child(age).is_none() {
            e.push(FieldError::new(
                format!("household.children_ages[{i}]"),
                "child_age_out_of_range",
                "error.startlan.child_age_out_of_range",
            ));
        }
    }
}

fn startlan_terms(
    e: &mut Errors,
    loan: &StartlanLoan,
    has_children: bool,
    normal_max: u32,
    special_max: u32,
    max_free: u32,
) {
    let has_reason = loan
        .extended_term_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if loan.term_years == 0 {
        e.push(FieldError::new(
            "loans.startlan.term_years",
            "term_too_short",
            "error.startlan.term_too_short",
        ));
    } else if loan.term_years > special_max {
        e.push(
            FieldError::new(
                "loans.startlan.term_years",
                "term_too_long",
                "error.startlan.term_too_long",
            )
            .arg("max", special_max),
        );
    } else if loan.term_years > normal_max && !has_reason {
        e.push(
            FieldError::new(
                "loans.startlan.extended_term_reason",
                "extended_term_reason_required",
                "error.startlan.extended_term_reason",
            )
            .arg("normal", normal_max)
            .arg("max", special_max),
        );
    }
    if loan.term_years > normal_max && loan.term_years <= special_max {
        match &loan.extended_term_conditions {
            None => e.push(
                FieldError::new(
                    "loans.startlan.extended_term_conditions",
                    "extended_term_conditions_required",
                    "error.startlan.extended_term_conditions",
                )
                .arg("normal", normal_max),
            ),
            Some(conditions) => {
                let unmet = extended_term::unmet(conditions, has_children);
                if !unmet.is_empty() {
                    let conditions = unmet
                        .iter()
                        .map(|c| format!("startlan.condition.{}", c.letter()).into())
                        .collect();
                    e.push(
                        FieldError::new(
                            "loans.startlan.extended_term_conditions",
                            "extended_term_conditions_not_met",
                            "error.startlan.extended_term_conditions_not_met",
                        )
                        .arg("normal", normal_max)
                        .arg_keys("conditions", conditions),
                    );
                }
            }
        }
    }
    if loan.instalment_free_years > max_free {
        e.push(
            FieldError::new(
                "loans.startlan.instalment_free_years",
                "instalment_free_too_long",
                "error.startlan.instalment_free_too_long",
            )
            .arg("max", max_free),
        );
    } else if loan.term_years > 0 && loan.instalment_free_years >= loan.term_years {
        e.push(FieldError::new(
            "loans.startlan.instalment_free_years",
            "instalment_free_not_less_than_term",
            "error.startlan.instalment_free_not_less_than_term",
        ));
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A valid input: a couple with two children buying with a startlån and a bank loan.
    pub(crate) fn example() -> AffordabilityInput {
        toml::from_str(
            r#"
            month = "2024-05"
            income_after_tax_kr = 60000
            maintenance_kr = 3000
            household = { adults = 2, couple = true, children_ages = [4, 12] }
            fixed_costs = [
                { kind = "student_loan", label = "Lånekassen", amount_kr = 1500 },
                { kind = "childcare", amount_kr = 3000 },
            ]
            financing = { price_kr = 3000000, purchase_costs_kr = 80000, equity_kr = 50000 }

            [loans]
            startlan = { principal_kr = 1000000, term_years = 30, kind = "annuity" }
            bank = { principal_kr = 1000000, term_years = 30, kind = "annuity", rate = "7 %" }
            "#,
        )
        .unwrap()
    }

    fn errors(input: &AffordabilityInput) -> Vec<(String, &'static str)> {
        match validate(input, StartlanRules::embedded()) {
            Ok(()) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn one(field: &str, code: &'static str) -> Vec<(String, &'static str)> {
        vec![(field.to_string(), code)]
    }

    #[test]
    fn the_example_is_valid() {
        assert_eq!(errors(&example()), []);
    }

    #[test]
    fn unknown_fields_are_refused() {
        let text = r#"
            month = "2024-05"
            income_after_tax_kr = 1
            household = { adults = 1 }
            loans = { startlan = { principal_kr = 1, term_years = 1, kind = "serial", rate = "1 %" } }
        "#;
        let err = toml::from_str::<AffordabilityInput>(text).unwrap_err();
        assert!(err.to_string().contains("rate"), "{err}");
    }

    #[test]
    fn negative_and_huge_amounts() {
        let mut input = example();
        input.income_after_tax_kr = -1;
        input.fixed_costs[1].amount_kr = -5;
        input.loans.bank.as_mut().unwrap().principal_kr = MAX_AMOUNT_KR + 1;
        assert_eq!(
            errors(&input),
            [
                ("income_after_tax_kr".to_string(), "negative_amount"),
                ("fixed_costs[1].amount_kr".to_string(), "negative_amount"),
                ("loans.bank.principal_kr".to_string(), "amount_too_large"),
            ]
        );
    }

    #[test]
    fn a_term_over_30_years_needs_a_reason_the_conditions_and_50_is_the_limit() {
        let mut input = example();
        input.loans.startlan.term_years = 40;
        let conditions_required = (
            "loans.startlan.extended_term_conditions".to_string(),
            "extended_term_conditions_required",
        );
        assert_eq!(
            errors(&input),
            [
                (
                    "loans.startlan.extended_term_reason".to_string(),
                    "extended_term_reason_required"
                ),
                conditions_required.clone()
            ]
        );
        input.loans.startlan.extended_term_reason = Some("   ".into());
        assert_eq!(errors(&input).len(), 2);
        input.loans.startlan.extended_term_reason = Some("Varig lav inntekt, uføretrygd".into());
        assert_eq!(errors(&input), [conditions_required]);
        // The example household has children: with low predictable income, a) is waived; b) is not.
        input.loans.startlan.extended_term_conditions = Some(ExtendedTermConditions {
            low_predictable_income: true,
            renting_unsuitable: true,
            shorter_term_not_responsible: true,
            ..Default::default()
        });
        let not_met = errors(&input);
        assert_eq!(
            not_met,
            one(
                "loans.startlan.extended_term_conditions",
                "extended_term_conditions_not_met"
            )
        );
        input.loans.startlan.extended_term_conditions = Some(ExtendedTermConditions {
            low_predictable_income: true,
            dwelling_suits_long_term: true,
            renting_unsuitable: true,
            shorter_term_not_responsible: true,
            ..Default::default()
        });
        assert_eq!(errors(&input), []);
        input.loans.startlan.term_years = 50;
        assert_eq!(errors(&input), []);
        input.loans.startlan.term_years = 51;
        assert_eq!(errors(&input), one("loans.startlan.term_years", "term_too_long"));
        input.loans.startlan.term_years = 0;
        assert_eq!(errors(&input), one("loans.startlan.term_years", "term_too_short"));
    }

    #[test]
    fn instalment_free_years() {
        let mut input = example();
        input.loans.startlan.instalment_free_years = 8;
        assert_eq!(errors(&input), []);
        input.loans.startlan.instalment_free_years = 9;
        assert_eq!(
            errors(&input),
            one("loans.startlan.instalment_free_years", "instalment_free_too_long")
        );
        input.loans.startlan.instalment_free_years = 5;
        input.loans.startlan.term_years = 5;
        assert_eq!(
            errors(&input),
            one(
                "loans.startlan.instalment_free_years",
                "instalment_free_not_less_than_term"
            )
        );
    }

    #[test]
    fn a_month_without_rules() {
        let mut input = example();
        input.month = "2021-06".parse().unwrap();
        let result = validate(&input, StartlanRules::embedded()).unwrap_err();
        assert_eq!(
            (result[0].field.as_str(), result[0].code),
            ("month", "no_rules_for_month")
        );
        assert_eq!(
            result[0].message.args,
            [("month", crate::message::Arg::Text("2021-06".into()))]
        );
    }

    #[test]
    fn household_composition() {
        let mut input = example();
        input.household = HouseholdComposition {
            adults: 1,
            couple: true,
            children_ages: vec![3, 18],
            ..Default::default()
        };
        assert_eq!(
            errors(&input),
            [
                ("household.couple".to_string(), "couple_needs_two_adults"),
                ("household.children_ages[1]".to_string(), "child_age_out_of_range"),
            ]
        );
        input.household = HouseholdComposition {
            adults: 0,
            couple: false,
            children_ages: vec![],
            ..Default::default()
        };
        assert_eq!(errors(&input), one("household.adults", "at_least_one_adult"));
    }

    #[test]
    fn bank_loan_limits() {
        let mut input = example();
        let bank = input.loans.bank.as_mut().unwrap();
        bank.term_years = 0;
        bank.rate = Some(Percent::from_basis_points(10_001));
        assert_eq!(
            errors(&input),
            [
                ("loans.bank.term_years".to_string(), "term_out_of_range"),
                ("loans.bank.rate".to_string(), "rate_out_of_range"),
            ]
        );
    }
}
