//! The explained estimate: every step, every rule value used and which of them are unverified.
//! The arithmetic lives in [`super::month_rules::MonthRules`], shared with the outreach batch.

use schemars::JsonSchema;
use serde::Serialize;

use super::input::{EstimateInput, HousingCosts, IncomeBasis, Tenure};
use super::month_rules::{FINE, MonthRules, ORE_PER_KR};
use super::rules::{BostotteRules, Regime};
use crate::rules::{Percent, RuleError, Trace, UsedValue, YearMonth, div_round};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "BostotteEstimate")]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "BostotteOutcome")]
pub enum Outcome {
    Paid,
    BelowMinimum,
    OwnShareExceedsCosts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "BostotteMemberLine")]
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "BostotteExclusion")]
pub enum Exclusion {
    /// The member is younger than the age from which income counts and is not the applicant.
    UnderAge,
    /// Some incomes are of kinds that do not count (child benefit, social assistance, …).
    ExcludedKinds,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "BostotteHousingLine")]
pub struct HousingLine {
    pub tenure: Tenure,
    /// The household's own costs that count, kr per year.
    pub actual_kr: i64,
    pub operating_sum_kr: i64,
    pub heating_sum_kr: i64,
    pub total_kr: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "BostotteCapLine")]
pub struct CapLine {
    pub base_kr: i64,
    pub group_supplement_kr: i64,
    pub adapted_dwelling_kr: i64,
    pub total_kr: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "BostotteOwnShareLine")]
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
    let r = MonthRules::new(rules, input.month)?;
    let mut trace = Trace::default();

    // Household composition and weights (forskrift §§ 7, 10); which incomes count (guide 2.5.1).
    let per_member = matches!(input.income, IncomeBasis::PerMember);
    if per_member {
        trace.record("income", r.income, "min_age");
        trace.record("income", r.income, "excluded_kinds");
    }
    let mut members = Vec::with_capacity(input.members.len());
    let mut weight_sum = 0i64;
    for (i, member) in input.members.iter().enumerate() {
        let age = age_at(member.birth_date, r.reference);
        let (weight, field) = r.weight(i, age);
        trace.record("weights", r.weights, field);
        weight_sum += weight.basis_points();
        let (mut counted, mut excluded, mut exclusion) = (0i64, 0i64, None);
        if per_member {
            let counts_by_age = r.counts_by_age(i, age);
            for income in &member.incomes {
                if !counts_by_age {
                    excluded += income.annual_ore;
                    exclusion = Some(Exclusion::UnderAge);
                } else if !r.counts(income.kind) {
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
    let assets = &r.assets.values;
    let allowance_ore = if input.housing.tenure != Tenure::Rent {
        trace.record("assets", r.assets, "owner_allowance_cap");
        input
            .housing
            .dwelling_tax_value_ore
            .min(assets.owner_allowance_cap * ORE_PER_KR)
    } else {
        trace.record("assets", r.assets, "renter_allowance");
        assets.renter_allowance * ORE_PER_KR
    };
    let asset_supplement_ore = if input.net_wealth_ore > allowance_ore {
        trace.record("assets", r.assets, "rate");
        div_round(
            i128::from(input.net_wealth_ore - allowance_ore) * i128::from(assets.rate.basis_points()),
            i128::from(Percent::DENOMINATOR),
        ) as i64
    } else {
        0
    };
    let weighted_income_kr = MonthRules::weighted_income_kr(counted_income_ore + asset_supplement_ore, weight_sum);

    // Housing costs (§ 2) and cap (§ 3).
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
        trace.record("fixed_sums", r.fixed, "operating");
        r.fixed.values.operating
    } else {
        0
    };
    // Before September 2024 the heating supplement was a pensioners' right (§ 2 d): old-age,
    // disability (young disabled among them) and survivor pensioners.
    let pensioner_household = input
        .members
        .iter()
        .any(|m| m.old_age_pensioner || m.young_disabled || m.disability_or_survivor_pensioner);
    let heating_sum_kr = if itemised && !input.housing.heating_included {
        trace.record("fixed_sums", r.fixed, "heating_for_all");
        if r.heating_applies(pensioner_household) {
            trace.record("fixed_sums", r.fixed, "heating");
            r.fixed.values.heating
        } else {
            0
        }
    } else {
        0
    };
    let housing_total_fine =
        i128::from(actual_ore) * (FINE / i128::from(ORE_PER_KR)) + i128::from(operating_sum_kr + heating_sum_kr) * FINE;

    let group = r.municipality_group(&input.municipality_number);
    trace.record("municipality_groups", r.groups, group_field(group));
    let cap = r.cap(group, input.members.len(), input.adapted_dwelling);
    trace.record("caps", r.caps, "persons");
    if group < 4 {
        trace.record("caps", r.caps, group_field(group));
    }
    if input.adapted_dwelling {
        trace.record("caps", r.caps, "adapted_dwelling");
    }
    let approved_fine = housing_total_fine.min(i128::from(cap.total_kr) * FINE);

    // Own share (§ 4).
    let single_pensioner = input.members.len() == 1 && input.members[0].old_age_pensioner;
    let young_disabled = input.members.first().is_some_and(|m| m.young_disabled);
    let thresholds = r.thresholds(single_pensioner, young_disabled);
    match (thresholds.label, thresholds.missing) {
        (_, Some(field)) => {
            trace.record_missing("own_share", r.own, field, MISSING_SPECIAL);
            trace.record("own_share", r.own, "t1");
            trace.record("own_share", r.own, "t2");
        }
        ("single_pensioner", None) => {
            trace.record("own_share", r.own, "pensioner_t1");
            trace.record("own_share", r.own, "pensioner_t2");
        }
        ("young_disabled", None) => {
            trace.record("own_share", r.own, "t1");
            trace.record("own_share", r.own, "young_disabled_t2");
        }
        _ => {
            trace.record("own_share", r.own, "t1");
            trace.record("own_share", r.own, "t2");
        }
    }
    trace.record("own_share", r.own, "minimum");
    trace.record("own_share", r.own, "linear_rate");
    let params = &r.own.values;
    let terms = r.own_share(weighted_income_kr, thresholds.t1, thresholds.t2);
    match params.regime {
        Regime::Stepwise => {
            trace.record("own_share", r.own, "step");
            if terms.step_rate.is_some() {
                trace.record("step_rate", r.step_rate, "rate");
            }
        }
        Regime::Linear => trace.record("own_share", r.own, "second_rate"),
    }
    let own_share_fine = terms.total_fine(params.minimum);

    // Payout (§ 1): coverage × (approved − own share), per month.
    trace.record("coverage", r.coverage, "rate");
    trace.record("minimum_payout", r.minimum, "monthly");
    let (computed_monthly_kr, monthly_kr, outcome) = r.payout(approved_fine, own_share_fine);

    let to_kr = |fine: i128| div_round(fine, FINE) as i64;
    let ore_to_kr = |ore: i64| div_round(i128::from(ore), i128::from(ORE_PER_KR)) as i64;
    let members = members
        .into_iter()
        .map(|(age, weight, counted, excluded, exclusion)| MemberLine {
            age,
            weight,
            counted_income_kr: per_member.then(|| ore_to_kr(counted)),
            excluded_income_kr: per_member.then(|| ore_to_kr(excluded)),
            exclusion,
        })
        .collect();
    let rule_version = format!(
        "bostotte {}; own_share {}; caps {}",
        rules.version, r.own.meta.from, r.caps.meta.from
    );
    let unverified = trace.unverified();
    Ok(Estimate {
        month: r.month,
        rule_version,
        municipality_group: group,
        household_size: input.members.len(),
        members,
        counted_income_kr: ore_to_kr(counted_income_ore),
        asset_supplement_kr: ore_to_kr(asset_supplement_ore),
        weight_sum: Percent::from_basis_points(weight_sum),
        weighted_income_kr,
        housing: HousingLine {
            tenure: input.housing.tenure,
            actual_kr: ore_to_kr(actual_ore),
            operating_sum_kr,
            heating_sum_kr,
            total_kr: to_kr(housing_total_fine),
        },
        cap_kr: cap.total_kr,
        cap,
        approved_costs_kr: to_kr(approved_fine),
        own_share: OwnShareLine {
            regime: params.regime,
            minimum_kr: params.minimum,
            t1_kr: thresholds.t1,
            linear_rate: params.linear_rate,
            linear_kr: to_kr(terms.linear_fine),
            t2_kr: thresholds.t2,
            steps: terms.steps,
            step_rate: terms.step_rate,
            second_rate: terms.second_rate,
            upper_kr: to_kr(terms.upper_fine),
            thresholds: thresholds.label,
        },
        own_share_kr: to_kr(own_share_fine),
        coverage_rate: r.coverage.values.rate,
        computed_monthly_kr,
        minimum_payout_kr: r.minimum.values.monthly,
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
        3 => "group3",
        _ => "group4",
    }
}
