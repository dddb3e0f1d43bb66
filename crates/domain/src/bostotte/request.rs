//! The estimate request as other systems send it (JSON, whole kroner) and its validation.
//!
//! Two forms are accepted in one shape. The simple form gives the household's counted income
//! (`annual_income_kr`) and its eligible housing costs (`annual_housing_costs_kr`). The richer
//! form gives incomes per member (`members[].incomes`) and itemised costs (`housing`), and the
//! estimator decides what counts. Each error names the field it belongs to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::estimate::{Estimate, estimate};
use super::input::{CostItems, EstimateInput, Housing, HousingCosts, Income, IncomeBasis, IncomeKind, Member, Tenure};
use super::rules::BostotteRules;
use crate::household::MAX_MEMBERS;
use crate::rules::YearMonth;
use crate::validation::{FieldError, parse_date};

/// Largest yearly amount accepted, kr: far above any household's figures, small enough that no
/// sum can overflow.
pub const MAX_AMOUNT_KR: i64 = 100_000_000;

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BostotteRequest")]
pub struct EstimateRequest {
    /// `YYYY-MM`: picks the rules in force and the reference date (the 1st).
    pub month: String,
    pub kommunenummer: String,
    pub members: Vec<MemberRequest>,
    /// The household's counted income before weighting, kr per year (simple form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_income_kr: Option<i64>,
    /// Eligible housing costs, kr per year (simple form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_housing_costs_kr: Option<i64>,
    /// Itemised housing costs (richer form).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub housing: Option<HousingRequest>,
    /// Tenure when the simple form is used: `rent` (default), `cooperative` or `owned`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenure: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_wealth_kr: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dwelling_tax_value_kr: Option<i64>,
    #[serde(default)]
    pub adapted_dwelling: bool,
    /// The applicant is *ung ufør* (same as `members[0].young_disabled`).
    #[serde(default)]
    pub young_disabled: bool,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BostotteMember")]
pub struct MemberRequest {
    /// `YYYY-MM-DD` or `dd.mm.yyyy`.
    pub birth_date: String,
    #[serde(default)]
    pub old_age_pensioner: bool,
    #[serde(default)]
    pub young_disabled: bool,
    /// Receives disability benefit (*uføretrygd*) or a survivor's pension (*etterlattepensjon*).
    /// Until September 2024 the heating supplement went to old-age, disability and survivor
    /// pensioners (forskrift om bostøtte § 2 d as it then read), not to every household.
    #[serde(default)]
    pub disability_or_survivor_pensioner: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomes: Vec<IncomeRequest>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BostotteIncome")]
pub struct IncomeRequest {
    pub kind: String,
    pub annual_kr: i64,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "BostotteHousing")]
pub struct HousingRequest {
    pub tenure: String,
    #[serde(default)]
    pub annual_rent_kr: Option<i64>,
    #[serde(default)]
    pub annual_common_costs_kr: Option<i64>,
    #[serde(default)]
    pub annual_loan_costs_kr: Option<i64>,
    #[serde(default)]
    pub annual_municipal_charges_kr: Option<i64>,
    #[serde(default)]
    pub annual_property_tax_kr: Option<i64>,
    #[serde(default)]
    pub annual_ground_rent_kr: Option<i64>,
    #[serde(default)]
    pub heating_included: bool,
}

impl EstimateRequest {
    /// Validates the request and estimates: what the API and `husly calc bostotte` both call.
    pub fn estimate(&self, rules: &BostotteRules) -> Result<Estimate, Vec<FieldError>> {
        let input = self.validate(rules)?;
        estimate(rules, &input).map_err(|_| {
            vec![FieldError::new("month", "no_rules", "error.bostotte.rules_incomplete").arg("month", &self.month)]
        })
    }

    /// Checks every field and builds the estimator's input; all errors at once.
    pub fn validate(&self, rules: &BostotteRules) -> Result<EstimateInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let month = match self.month.parse::<YearMonth>() {
            Ok(month) if month < rules.first_month() => {
                errors.push(
                    FieldError::new("month", "no_rules", "error.bostotte.no_rules")
                        .arg("month", month)
                        .arg("first", rules.first_month()),
                );
                None
            }
            Ok(month) => Some(month),
            Err(_) if self.month.trim().is_empty() => {
                errors.push(FieldError::required("month"));
                None
            }
            Err(_) => {
                errors.push(FieldError::new(
                    "month",
                    "invalid_month",
                    "error.bostotte.invalid_month",
                ));
                None
            }
        };
        let number = self.kommunenummer.trim();
        if number.len() != 4 || !number.bytes().all(|b| b.is_ascii_digit()) {
            errors.push(FieldError::new(
                "kommunenummer",
                "invalid_municipality_number",
                "error.bostotte.invalid_municipality_number",
            ));
        }

        let reference = month.map(YearMonth::first_day);
        let mut members = Vec::with_capacity(self.members.len());
        if self.members.is_empty() {
            errors.push(FieldError::new("members", "required", "error.bostotte.no_members"));
        } else if self.members.len() > MAX_MEMBERS {
            errors.push(
                FieldError::new("members", "too_many", "error.bostotte.too_many_members").arg("max", MAX_MEMBERS),
            );
        }
        for (i, member) in self.members.iter().take(MAX_MEMBERS).enumerate() {
            let field = format!("members[{i}].birth_date");
            let birth_date = match parse_date(&member.birth_date) {
                None => {
                    errors.push(FieldError::invalid_date(&field));
                    None
                }
                Some(date) if reference.is_some_and(|r| date > r) => {
                    errors.push(FieldError::new(
                        field,
                        "born_after_month",
                        "error.bostotte.born_after_month",
                    ));
                    None
                }
                Some(date) if reference.is_some_and(|r| r.year() - date.year() > 130) => {
                    errors.push(FieldError::new(
                        field,
                        "implausible_birth_date",
                        "error.bostotte.implausible_birth_date",
                    ));
                    None
                }
                Some(date) => Some(date),
            };
            let mut incomes = Vec::with_capacity(member.incomes.len());
            for (j, income) in member.incomes.iter().enumerate() {
                let kind = IncomeKind::from_code(income.kind.trim());
                if kind.is_none() {
                    let allowed: Vec<&str> = IncomeKind::ALL.iter().map(|k| k.code()).collect();
                    errors.push(FieldError::unknown_value(
                        format!("members[{i}].incomes[{j}].kind"),
                        &income.kind,
                        &allowed,
                    ));
                }
                let amount = amount(
                    &mut errors,
                    &format!("members[{i}].incomes[{j}].annual_kr"),
                    income.annual_kr,
                );
                if let (Some(kind), Some(annual_ore)) = (kind, amount) {
                    incomes.push(Income { kind, annual_ore });
                }
            }
            if let Some(birth_date) = birth_date {
                members.push(Member {
                    birth_date,
                    old_age_pensioner: member.old_age_pensioner,
                    young_disabled: member.young_disabled || (i == 0 && self.young_disabled),
                    disability_or_survivor_pensioner: member.disability_or_survivor_pensioner,
                    incomes,
                });
            }
        }

        let any_member_incomes = self.members.iter().any(|m| !m.incomes.is_empty());
        let income = match (self.annual_income_kr, any_member_incomes) {
            (Some(_), true) => {
                errors.push(either_or("annual_income_kr", "members[].incomes"));
                None
            }
            (Some(kr), false) => {
                amount(&mut errors, "annual_income_kr", kr).map(|annual_ore| IncomeBasis::HouseholdTotal { annual_ore })
            }
            (None, true) => Some(IncomeBasis::PerMember),
            (None, false) => {
                errors.push(FieldError::new(
                    "annual_income_kr",
                    "required",
                    "error.bostotte.income_required",
                ));
                None
            }
        };

        let dwelling_tax_value_ore = self
            .dwelling_tax_value_kr
            .map_or(Some(0), |kr| amount(&mut errors, "dwelling_tax_value_kr", kr));
        let net_wealth_ore = self
            .net_wealth_kr
            .map_or(Some(0), |kr| amount(&mut errors, "net_wealth_kr", kr));
        let housing = match (self.annual_housing_costs_kr, &self.housing) {
            (Some(_), Some(_)) => {
                errors.push(either_or("annual_housing_costs_kr", "housing"));
                None
            }
            (Some(kr), None) => {
                let tenure = match &self.tenure {
                    None => Some(Tenure::Rent),
                    Some(code) => tenure(&mut errors, "tenure", code),
                };
                let costs = amount(&mut errors, "annual_housing_costs_kr", kr);
                match (tenure, costs) {
                    (Some(tenure), Some(annual_ore)) => Some((tenure, HousingCosts::Total { annual_ore }, true)),
                    _ => None,
                }
            }
            (None, Some(housing)) => housing_items(&mut errors, housing, self.tenure.is_some()),
            (None, None) => {
                errors.push(FieldError::new(
                    "annual_housing_costs_kr",
                    "required",
                    "error.bostotte.housing_costs_required",
                ));
                None
            }
        };

        match (month, income, housing, net_wealth_ore, dwelling_tax_value_ore) {
            (
                Some(month),
                Some(income),
                Some((tenure, costs, heating_included)),
                Some(net_wealth_ore),
                Some(tax_value),
            ) if errors.is_empty() => Ok(EstimateInput {
                month,
                municipality_number: number.to_string(),
                members,
                income,
                housing: Housing {
                    tenure,
                    costs,
                    heating_included,
                    dwelling_tax_value_ore: tax_value,
                },
                net_wealth_ore,
                adapted_dwelling: self.adapted_dwelling,
            }),
            _ => Err(errors),
        }
    }
}

fn amount(errors: &mut Vec<FieldError>, field: &str, kr: i64) -> Option<i64> {
    if (0..=MAX_AMOUNT_KR).contains(&kr) {
        Some(kr * 100)
    } else {
        errors.push(
            FieldError::new(field, "out_of_range", "error.bostotte.amount_out_of_range").arg("max", MAX_AMOUNT_KR),
        );
        None
    }
}

fn tenure(errors: &mut Vec<FieldError>, field: &str, code: &str) -> Option<Tenure> {
    let tenure = Tenure::from_code(code.trim());
    if tenure.is_none() {
        errors.push(FieldError::unknown_value(
            field,
            code,
            &["rent", "cooperative", "owned"],
        ));
    }
    tenure
}

fn either_or(field: &str, other: &str) -> FieldError {
    FieldError::new(field, "either_or", "error.bostotte.either_or")
        .arg("field", field)
        .arg("other", other)
}

fn housing_items(
    errors: &mut Vec<FieldError>,
    housing: &HousingRequest,
    tenure_given_twice: bool,
) -> Option<(Tenure, HousingCosts, bool)> {
    if tenure_given_twice {
        errors.push(either_or("tenure", "housing.tenure"));
    }
    let tenure = tenure(errors, "housing.tenure", &housing.tenure)?;
    let allowed: &[&str] = match tenure {
        Tenure::Rent => &["annual_rent_kr"],
        Tenure::Cooperative => &["annual_common_costs_kr", "annual_loan_costs_kr"],
        Tenure::Owned => &[
            "annual_loan_costs_kr",
            "annual_municipal_charges_kr",
            "annual_property_tax_kr",
            "annual_ground_rent_kr",
        ],
    };
    let mut items = CostItems::default();
    let fields: [(&str, Option<i64>, &mut i64); 6] = [
        ("annual_rent_kr", housing.annual_rent_kr, &mut items.rent_ore),
        (
            "annual_common_costs_kr",
            housing.annual_common_costs_kr,
            &mut items.common_costs_ore,
        ),
        (
            "annual_loan_costs_kr",
            housing.annual_loan_costs_kr,
            &mut items.loan_costs_ore,
        ),
        (
            "annual_municipal_charges_kr",
            housing.annual_municipal_charges_kr,
            &mut items.municipal_charges_ore,
        ),
        (
            "annual_property_tax_kr",
            housing.annual_property_tax_kr,
            &mut items.property_tax_ore,
        ),
        (
            "annual_ground_rent_kr",
            housing.annual_ground_rent_kr,
            &mut items.ground_rent_ore,
        ),
    ];
    let before = errors.len();
    for (name, value, slot) in fields {
        let Some(kr) = value else { continue };
        let field = format!("housing.{name}");
        if !allowed.contains(&name) {
            errors.push(
                FieldError::new(field, "not_for_tenure", "error.bostotte.not_for_tenure")
                    .arg_key("tenure", format!("tenure.{}", tenure.code())),
            );
        } else if let Some(ore) = amount(errors, &field, kr) {
            *slot = ore;
        }
    }
    (errors.len() == before).then_some((tenure, HousingCosts::Itemised(items), housing.heating_included))
}
