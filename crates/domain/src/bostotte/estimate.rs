//! The estimator: one pure function from household facts and rule tables to an explained amount.
//!
//! Amounts are kept exact as integers until the two places Husbanken rounds: the weighted income
//! (whole kroner, forskrift § 7) and the monthly payout (whole kroner). Own share is carried in
//! ten-thousandths of a krone, which holds every rate of the tables (two-decimal percentages)
//! without loss. [`crate::rules::div_round`] does all rounding.

use serde::Serialize;

use super::input::{EstimateInput, HousingCosts, IncomeBasis, Tenure};
use super::rules::{BostotteRules, Regime};
use crate::rules::{Percent, RuleError, Trace, UsedValue, YearMonth, div_round};

/// Ten-thousandths of a krone per krone.
const FINE: i128 = 10_000;
const ORE_PER_KR: i64 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Estimate {
    pub month: YearMonth,
    /// Rule file version and the periods used, e.g. `bostotte 2026.11.1; own_share 2023-06; caps 2023-06`.
    pub rule_version: String,
    pub municipality_group: u8,
    pub household_size: usize,
    pub members: Vec<MemberLine>,
    /// Counted income before the asset supplement, kr per year.
    pub counted_income_kr: i64,
    pub asset_supplement_kr: i64,
    pub weight_sum: Percent,
    pub weighted_income_kr: i64,
    pub housing: HousingLine,
    pub cap: CapLine,
    /// The cap in force for this household, kr per year (same as `cap.total_kr`).
    pub cap_kr: i64,
    /// min(housing costs, cap), kr per year.
    pub approved_costs_kr: i64,
    pub own_share: OwnShareLine,
    /// Own share, kr per year, rounded.
    pub own_share_kr: i64,
    pub coverage_rate: Percent,
    /// coverage × (approved costs − own share) ÷ 12, rounded; negative when the own share is larger.
    pub computed_monthly_kr: i64,
    pub minimum_payout_kr: i64,
    /// What would be paid: 0 when below the minimum payout.
    pub monthly_kr: i64,
    pub outcome: Outcome,
    /// Every rule value used, with its period and source.
    pub used: Vec<UsedValue>,
    /// The used values that are not verified against a primary source.
    pub unverified: Vec<UsedValue>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Paid,
    BelowMinimum,
    OwnShareExceedsCosts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberLine {
    pub age: i32,
    pub weight: Percent,
    /// This member's counted and excluded income; absent when the household's total was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub counted_income_kr: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excluded_income_kr: Option<i64>,
    /// Why some or all of this member's income was left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exclusion: Option<Exclusion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exclusion {
    /// The member is younger than the age from which income counts and is not the applicant.
    UnderAge,
    /// Some incomes are of kinds that do not count (child benefit, social assistance, …).
    ExcludedKinds,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HousingLine {
    pub tenure: Tenure,
    /// The household's own costs that count, kr per year.
    pub actual_kr: i64,
    pub operating_sum_kr: i64,
    pub heating_sum_kr: i64,
    pub total_kr: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapLine {
    pub base_kr: i64,
    pub group_supplement_kr: i64,
    pub adapted_dwelling_kr: i64,
    pub total_kr: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnShareLine {
    pub regime: Regime,
    pub minimum_kr: i64,
    pub t1_kr: i64,
    pub linear_rate: Percent,
    /// Linear term, kr per year (rounded for display; the total uses the exact value).
    pub linear_kr: i64,
    pub t2_kr: i64,
    /// Stepwise regime: number of steps above t2 and the rate per step.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub steps: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step_rate: Option<Percent>,
    /// Linear regime: the rate above t2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub second_rate: Option<Percent>,
    /// The progressive or second term, kr per year (rounded for display).
    pub upper_kr: i64,
    /// Which thresholds were used: `general`, `single_pensioner` or `young_disabled`.
    pub thresholds: &'static str,
}

/// Full years between a birth date and the reference date.
pub fn age_at(birth: time::Date, reference: time::Date) -> i32 {
    let mut age = reference.year() - birth.year();
    if (reference.month() as u8, reference.day()) < (birth.month() as u8, birth.day()) {
        age -= 1;
    }
    age
}

/// Estimates bostøtte for one household and month. The input must have passed validation
/// (see [`super::request`]); the only error left is a month outside the rule tables.
pub fn estimate(rules: &BostotteRules, input: &EstimateInput) -> Result<Estimate, RuleError> {
    let month = input.month;
    let reference = month.first_day();
    let mut trace = Trace::default();

    // Household composition and weights (forskrift §§ 7, 10).
    let weights = rules.weights.in_force("weights", month)?;
    let income_rules = rules.income.in_force("income", month)?;
    let per_member = matches!(input.income, IncomeBasis::PerMember);
    if per_member {
        trace.record("income", income_rules, "min_age");
        trace.record("income", income_rules, "excluded_kinds");
    }
    let mut members = Vec::with_capacity(input.members.len());
    let mut weight_sum = 0i64;
    for (i, member) in input.members.iter().enumerate() {
        let age = age_at(member.birth_date, reference);
        let (weight, field) = match (i, age >= 18) {
            (0, _) => (weights.values.first, "first"),
            (_, true) => (weights.values.adult, "adult"),
            (_, false) => (weights.values.child, "child"),
        };
        trace.record("weights", weights, field);
        weight_sum += weight.basis_points();
        let (mut counted, mut excluded, mut exclusion) = (0i64, 0i64, None);
        if per_member {
            let under_age = i > 0 && age < income_rules.values.min_age;
            for income in &member.incomes {
                let kind_excluded = income_rules
                    .values
                    .excluded_kinds
                    .iter()
                    .any(|k| k == income.kind.code());
                if under_age {
                    excluded += income.annual_ore;
                    exclusion = Some(Exclusion::UnderAge);
                } else if kind_excluded {
                    excluded += income.annual_ore;
                    exclusion.get_or_insert(Exclusion::ExcludedKinds);
                } else {
                    counted += income.annual_ore;
                }
            }
        }
        members.push((age, weight, counted, excluded, exclusion));
    }
    let counted_income_ore: i64 = match input.income {
        IncomeBasis::HouseholdTotal { annual_ore } => annual_ore,
        IncomeBasis::PerMember => members.iter().map(|m| m.2).sum(),
    };

    // Asset supplement (§ 6).
    let assets = rules.assets.in_force("assets", month)?;
    let owner = input.housing.tenure != Tenure::Rent;
    let allowance_ore = if owner {
        trace.record("assets", assets, "owner_allowance_cap");
        input
            .housing
            .dwelling_tax_value_ore
            .min(assets.values.owner_allowance_cap * ORE_PER_KR)
    } else {
        trace.record("assets", assets, "renter_allowance");
        assets.values.renter_allowance * ORE_PER_KR
    };
    let asset_supplement_ore = if input.net_wealth_ore > allowance_ore {
        trace.record("assets", assets, "rate");
        div_round(
            i128::from(input.net_wealth_ore - allowance_ore) * i128::from(assets.values.rate.basis_points()),
            i128::from(Percent::DENOMINATOR),
        ) as i64
    } else {
        0
    };

    // Weighted income, rounded to whole kroner: income ÷ weight sum.
    let total_income_ore = counted_income_ore + asset_supplement_ore;
    let weighted_income_kr = div_round(
        i128::from(total_income_ore) * i128::from(Percent::DENOMINATOR),
        i128::from(weight_sum) * i128::from(ORE_PER_KR),
    ) as i64;

    // Housing costs (§ 2) and cap (§ 3).
    let fixed = rules.fixed_sums.in_force("fixed_sums", month)?;
    let (actual_ore, itemised) = match &input.housing.costs {
        HousingCosts::Total { annual_ore } => (*annual_ore, false),
        HousingCosts::Itemised(items) => {
            let sum = match input.housing.tenure {
                Tenure::Rent => items.rent_ore,
                Tenure::Cooperative => items.common_costs_ore + items.loan_costs_ore,
                Tenure::Owned => {
                    items.loan_costs_ore + items.municipal_charges_ore + items.property_tax_ore + items.ground_rent_ore
                }
            };
            (sum, true)
        }
    };
    let operating_sum_kr = if itemised && input.housing.tenure == Tenure::Owned {
        trace.record("fixed_sums", fixed, "operating");
        fixed.values.operating
    } else {
        0
    };
    let pensioner_household = input.members.iter().any(|m| m.old_age_pensioner || m.young_disabled);
    let heating_sum_kr = if itemised && !input.housing.heating_included {
        trace.record("fixed_sums", fixed, "heating_for_all");
        if fixed.values.heating_for_all || pensioner_household {
            trace.record("fixed_sums", fixed, "heating");
            fixed.values.heating
        } else {
            0
        }
    } else {
        0
    };
    let housing_total_fine =
        i128::from(actual_ore) * (FINE / i128::from(ORE_PER_KR)) + i128::from(operating_sum_kr + heating_sum_kr) * FINE;

    let caps = rules.caps.in_force("caps", month)?;
    let groups = rules.municipality_groups.in_force("municipality_groups", month)?;
    let group = groups.values.group_of(&input.municipality_number);
    trace.record(
        "municipality_groups",
        groups,
        if group == 4 { "group4" } else { group_field(group) },
    );
    let size_index = input.members.len().clamp(1, 5) - 1;
    trace.record("caps", caps, "persons");
    let base_kr = caps.values.persons[size_index];
    let group_supplement_kr = match group {
        1 => caps.values.oslo,
        2 => caps.values.group2,
        3 => caps.values.group3,
        _ => 0,
    };
    if group < 4 {
        trace.record("caps", caps, group_field(group));
    }
    let adapted_dwelling_kr = if input.adapted_dwelling {
        trace.record("caps", caps, "adapted_dwelling");
        caps.values.adapted_dwelling
    } else {
        0
    };
    let cap_kr = base_kr + group_supplement_kr + adapted_dwelling_kr;
    let approved_fine = housing_total_fine.min(i128::from(cap_kr) * FINE);

    // Own share (§ 4).
    let own = rules.own_share.in_force("own_share", month)?;
    let params = &own.values;
    let single_pensioner = input.members.len() == 1 && input.members[0].old_age_pensioner;
    let young_disabled = input.members.first().is_some_and(|m| m.young_disabled);
    let mut thresholds = "general";
    let (mut t1, mut t2) = (params.t1, params.t2);
    if single_pensioner {
        match (params.pensioner_t1, params.pensioner_t2) {
            (Some(p1), Some(p2)) => {
                (t1, t2) = (p1, p2);
                thresholds = "single_pensioner";
                trace.record("own_share", own, "pensioner_t1");
                trace.record("own_share", own, "pensioner_t2");
            }
            _ => trace.record_missing("own_share", own, "pensioner_t1", MISSING_SPECIAL),
        }
    } else if young_disabled {
        match params.young_disabled_t2 {
            Some(y2) => {
                t2 = y2;
                thresholds = "young_disabled";
                trace.record("own_share", own, "young_disabled_t2");
            }
            None => trace.record_missing("own_share", own, "young_disabled_t2", MISSING_SPECIAL),
        }
    }
    if thresholds != "single_pensioner" {
        trace.record("own_share", own, "t1");
    }
    if thresholds == "general" {
        trace.record("own_share", own, "t2");
    }
    trace.record("own_share", own, "minimum");
    trace.record("own_share", own, "linear_rate");
    let y = i128::from(weighted_income_kr);
    let linear_fine = i128::from(params.linear_rate.basis_points()) * (y - i128::from(t1)).max(0);
    let (upper_fine, steps, step_rate, second_rate) = match params.regime {
        Regime::Stepwise => {
            trace.record("own_share", own, "step");
            let step = i128::from(params.step.expect("checked when the rules were loaded"));
            if y > i128::from(t2) {
                let rate = rules.step_rate.in_force("step_rate", month)?;
                trace.record("step_rate", rate, "rate");
                let steps = 1 + (y - (i128::from(t2) + 1)) / step;
                let fine = i128::from(rate.values.rate.basis_points()) * steps * y;
                (fine, Some(steps as i64), Some(rate.values.rate), None)
            } else {
                (0, Some(0), None, None)
            }
        }
        Regime::Linear => {
            trace.record("own_share", own, "second_rate");
            let rate = params.second_rate.expect("checked when the rules were loaded");
            let fine = i128::from(rate.basis_points()) * (y - i128::from(t2)).max(0);
            (fine, None, None, Some(rate))
        }
    };
    let own_share_fine = i128::from(params.minimum) * FINE + linear_fine + upper_fine;

    // Payout (§ 1): coverage × (approved − own share), per month.
    let coverage = rules.coverage.in_force("coverage", month)?;
    trace.record("coverage", coverage, "rate");
    let minimum = rules.minimum_payout.in_force("minimum_payout", month)?;
    trace.record("minimum_payout", minimum, "monthly");
    let computed_monthly_kr = div_round(
        i128::from(coverage.values.rate.basis_points()) * (approved_fine - own_share_fine),
        i128::from(Percent::DENOMINATOR) * FINE * 12,
    ) as i64;
    let (monthly_kr, outcome) = if computed_monthly_kr <= 0 {
        (0, Outcome::OwnShareExceedsCosts)
    } else if computed_monthly_kr < minimum.values.monthly {
        (0, Outcome::BelowMinimum)
    } else {
        (computed_monthly_kr, Outcome::Paid)
    };

    let to_kr = |fine: i128| div_round(fine, FINE) as i64;
    let members = members
        .into_iter()
        .map(|(age, weight, counted, excluded, exclusion)| MemberLine {
            age,
            weight,
            counted_income_kr: per_member.then(|| div_round(i128::from(counted), i128::from(ORE_PER_KR)) as i64),
            excluded_income_kr: per_member.then(|| div_round(i128::from(excluded), i128::from(ORE_PER_KR)) as i64),
            exclusion,
        })
        .collect();
    let rule_version = format!(
        "bostotte {}; own_share {}; caps {}",
        rules.version, own.meta.from, caps.meta.from
    );
    let unverified = trace.unverified();
    Ok(Estimate {
        month,
        rule_version,
        municipality_group: group,
        household_size: input.members.len(),
        members,
        counted_income_kr: div_round(i128::from(counted_income_ore), i128::from(ORE_PER_KR)) as i64,
        asset_supplement_kr: div_round(i128::from(asset_supplement_ore), i128::from(ORE_PER_KR)) as i64,
        weight_sum: Percent::from_basis_points(weight_sum),
        weighted_income_kr,
        housing: HousingLine {
            tenure: input.housing.tenure,
            actual_kr: div_round(i128::from(actual_ore), i128::from(ORE_PER_KR)) as i64,
            operating_sum_kr,
            heating_sum_kr,
            total_kr: to_kr(housing_total_fine),
        },
        cap: CapLine {
            base_kr,
            group_supplement_kr,
            adapted_dwelling_kr,
            total_kr: cap_kr,
        },
        cap_kr,
        approved_costs_kr: to_kr(approved_fine),
        own_share: OwnShareLine {
            regime: params.regime,
            minimum_kr: params.minimum,
            t1_kr: t1,
            linear_rate: params.linear_rate,
            linear_kr: to_kr(linear_fine),
            t2_kr: t2,
            steps,
            step_rate,
            second_rate,
            upper_kr: to_kr(upper_fine),
            thresholds,
        },
        own_share_kr: to_kr(own_share_fine),
        coverage_rate: coverage.values.rate,
        computed_monthly_kr,
        minimum_payout_kr: minimum.values.monthly,
        monthly_kr,
        outcome,
        used: trace.into_used(),
        unverified,
    })
}

const MISSING_SPECIAL: &str =
    "Regeltabellen har ikke særskilte innslagspunkter for denne perioden; de generelle er brukt.";

fn group_field(group: u8) -> &'static str {
    match group {
        1 => "oslo",
        2 => "group2",
        _ => "group3",
    }
}
