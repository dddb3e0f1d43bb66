//! The rule periods in force for one month, resolved once, and the formula steps.
//!
//! Both the explained estimate ([`super::estimate`]) and the outreach batch
//! ([`MonthRules::quick_monthly`]) compute through these methods, so the arithmetic exists once.
//! Amounts are kept exact as integers until the two places Husbanken rounds: the weighted income
//! (whole kroner, forskrift § 7) and the monthly payout (whole kroner). Own share is carried in
//! ten-thousandths of a krone ("fine" units), which holds every two-decimal percentage exactly.

use time::Date;

use super::estimate::{CapLine, Outcome, age_at};
use super::input::IncomeKind;
use super::rules::{
    Assets, BostotteRules, Caps, Coverage, FixedSums, IncomeRules, MinimumPayout, MunicipalityGroups, OwnShare, Regime,
    StepRate, Weights,
};
use crate::rules::{Percent, Period, RuleError, YearMonth, div_round};

/// Ten-thousandths of a krone per krone.
pub(crate) const FINE: i128 = 10_000;
pub(crate) const ORE_PER_KR: i64 = 100;

pub struct MonthRules<'r> {
    pub(crate) month: YearMonth,
    pub(crate) reference: Date,
    pub(crate) coverage: &'r Period<Coverage>,
    pub(crate) caps: &'r Period<Caps>,
    pub(crate) own: &'r Period<OwnShare>,
    pub(crate) step_rate: &'r Period<StepRate>,
    pub(crate) weights: &'r Period<Weights>,
    pub(crate) minimum: &'r Period<MinimumPayout>,
    pub(crate) assets: &'r Period<Assets>,
    pub(crate) fixed: &'r Period<FixedSums>,
    pub(crate) income: &'r Period<IncomeRules>,
    pub(crate) groups: &'r Period<MunicipalityGroups>,
    excluded_kinds: Vec<IncomeKind>,
}

/// The own-share terms for one weighted income.
pub(crate) struct OwnShareTerms {
    pub linear_fine: i128,
    pub upper_fine: i128,
    pub steps: Option<i64>,
    pub step_rate: Option<Percent>,
    pub second_rate: Option<Percent>,
}

impl OwnShareTerms {
    pub fn total_fine(&self, minimum_kr: i64) -> i128 {
        i128::from(minimum_kr) * FINE + self.linear_fine + self.upper_fine
    }
}

/// Thresholds chosen for a household.
pub(crate) struct Thresholds {
    pub t1: i64,
    pub t2: i64,
    pub label: &'static str,
    /// The special field that applied but is missing from the table for this period.
    pub missing: Option<&'static str>,
}

/// One member for the outreach batch: no names, just what the formula needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuickMember {
    pub birth_date: Date,
    /// Income of kinds that count ([`MonthRules::counts`]), øre per year.
    pub income_ore: i64,
    pub old_age_pensioner: bool,
}

/// One rented household for the outreach batch.
#[derive(Debug, Clone, Copy)]
pub struct QuickHousehold<'a> {
    pub members: &'a [QuickMember],
    pub municipality_group: u8,
    pub annual_rent_ore: i64,
    pub heating_included: bool,
    pub adapted_dwelling: bool,
}

impl<'r> MonthRules<'r> {
    pub fn new(rules: &'r BostotteRules, month: YearMonth) -> Result<Self, RuleError> {
        let income = rules.income.in_force("income", month)?;
        let excluded_kinds = IncomeKind::ALL
            .into_iter()
            .filter(|k| income.values.excluded_kinds.iter().any(|e| e == k.code()))
            .collect();
        Ok(Self {
            month,
            reference: month.first_day(),
            coverage: rules.coverage.in_force("coverage", month)?,
            caps: rules.caps.in_force("caps", month)?,
            own: rules.own_share.in_force("own_share", month)?,
            step_rate: rules.step_rate.in_force("step_rate", month)?,
            weights: rules.weights.in_force("weights", month)?,
            minimum: rules.minimum_payout.in_force("minimum_payout", month)?,
            assets: rules.assets.in_force("assets", month)?,
            fixed: rules.fixed_sums.in_force("fixed_sums", month)?,
            income,
            groups: rules.municipality_groups.in_force("municipality_groups", month)?,
            excluded_kinds,
        })
    }

    pub fn month(&self) -> YearMonth {
        self.month
    }

    /// Group 1 (Oslo) to 4 (all others) for a municipality number.
    pub fn municipality_group(&self, number: &str) -> u8 {
        self.groups.values.group_of(number)
    }

    /// Whether income of this kind counts at all (member age aside).
    pub fn counts(&self, kind: IncomeKind) -> bool {
        !self.excluded_kinds.contains(&kind)
    }

    /// Whether a member's income counts by age: the applicant's always does.
    pub(crate) fn counts_by_age(&self, index: usize, age: i32) -> bool {
        index == 0 || age >= self.income.values.min_age
    }

    /// A member's weight and the table field it comes from.
    pub(crate) fn weight(&self, index: usize, age: i32) -> (Percent, &'static str) {
        let w = &self.weights.values;
        match (index, age >= 18) {
            (0, _) => (w.first, "first"),
            (_, true) => (w.adult, "adult"),
            (_, false) => (w.child, "child"),
        }
    }

    /// Income ÷ sum of weights, rounded to whole kroner.
    pub(crate) fn weighted_income_kr(total_ore: i64, weight_sum_bp: i64) -> i64 {
        div_round(
            i128::from(total_ore) * i128::from(Percent::DENOMINATOR),
            i128::from(weight_sum_bp) * i128::from(ORE_PER_KR),
        ) as i64
    }

    pub(crate) fn heating_applies(&self, pensioner_household: bool) -> bool {
        self.fixed.values.heating_for_all || pensioner_household
    }

    pub(crate) fn cap(&self, group: u8, household_size: usize, adapted: bool) -> CapLine {
        let caps = &self.caps.values;
        let base_kr = caps.persons[household_size.clamp(1, 5) - 1];
        let group_supplement_kr = match group {
            1 => caps.oslo,
            2 => caps.group2,
            3 => caps.group3,
            _ => 0,
        };
        let adapted_dwelling_kr = if adapted { caps.adapted_dwelling } else { 0 };
        CapLine {
            base_kr,
            group_supplement_kr,
            adapted_dwelling_kr,
            total_kr: base_kr + group_supplement_kr + adapted_dwelling_kr,
        }
    }

    pub(crate) fn thresholds(&self, single_pensioner: bool, young_disabled: bool) -> Thresholds {
        let p = &self.own.values;
        let general = Thresholds {
            t1: p.t1,
            t2: p.t2,
            label: "general",
            missing: None,
        };
        if single_pensioner {
            match (p.pensioner_t1, p.pensioner_t2) {
                (Some(t1), Some(t2)) => Thresholds {
                    t1,
                    t2,
                    label: "single_pensioner",
                    missing: None,
                },
                _ => Thresholds {
                    missing: Some("pensioner_t1"),
                    ..general
                },
            }
        } else if young_disabled {
            match p.young_disabled_t2 {
                Some(t2) => Thresholds {
                    t2,
                    label: "young_disabled",
                    ..general
                },
                None => Thresholds {
                    missing: Some("young_disabled_t2"),
                    ..general
                },
            }
        } else {
            general
        }
    }

    pub(crate) fn own_share(&self, weighted_income_kr: i64, t1: i64, t2: i64) -> OwnShareTerms {
        let p = &self.own.values;
        let y = i128::from(weighted_income_kr);
        let linear_fine = i128::from(p.linear_rate.basis_points()) * (y - i128::from(t1)).max(0);
        match p.regime {
            Regime::Stepwise => {
                let step = i128::from(p.step.expect("checked when the rules were loaded"));
                if y > i128::from(t2) {
                    let rate = self.step_rate.values.rate;
                    let steps = 1 + (y - (i128::from(t2) + 1)) / step;
                    OwnShareTerms {
                        linear_fine,
                        upper_fine: i128::from(rate.basis_points()) * steps * y,
                        steps: Some(steps as i64),
                        step_rate: Some(rate),
                        second_rate: None,
                    }
                } else {
                    OwnShareTerms {
                        linear_fine,
                        upper_fine: 0,
                        steps: Some(0),
                        step_rate: None,
                        second_rate: None,
                    }
                }
            }
            Regime::Linear => {
                let rate = p.second_rate.expect("checked when the rules were loaded");
                OwnShareTerms {
                    linear_fine,
                    upper_fine: i128::from(rate.basis_points()) * (y - i128::from(t2)).max(0),
                    steps: None,
                    step_rate: None,
                    second_rate: Some(rate),
                }
            }
        }
    }

    /// The monthly amount before and after the minimum-payout rule.
    pub(crate) fn payout(&self, approved_fine: i128, own_share_fine: i128) -> (i64, i64, Outcome) {
        let computed = div_round(
            i128::from(self.coverage.values.rate.basis_points()) * (approved_fine - own_share_fine),
            i128::from(Percent::DENOMINATOR) * FINE * 12,
        ) as i64;
        if computed <= 0 {
            (computed, 0, Outcome::OwnShareExceedsCosts)
        } else if computed < self.minimum.values.monthly {
            (computed, 0, Outcome::BelowMinimum)
        } else {
            (computed, computed, Outcome::Paid)
        }
    }

    /// The monthly payout for a renting household without wealth: the outreach batch's estimate.
    /// Allocation-free; gives the same amount as [`super::estimate`] for the same facts.
    pub fn quick_monthly(&self, household: &QuickHousehold<'_>) -> i64 {
        let mut weight_sum = 0i64;
        let mut income_ore = 0i64;
        let mut pensioner_household = false;
        for (i, member) in household.members.iter().enumerate() {
            let age = age_at(member.birth_date, self.reference);
            weight_sum += self.weight(i, age).0.basis_points();
            if self.counts_by_age(i, age) {
                income_ore += member.income_ore;
            }
            pensioner_household |= member.old_age_pensioner;
        }
        if weight_sum == 0 {
            return 0;
        }
        let y = Self::weighted_income_kr(income_ore, weight_sum);
        let heating_kr = if !household.heating_included && self.heating_applies(pensioner_household) {
            self.fixed.values.heating
        } else {
            0
        };
        let costs_fine =
            i128::from(household.annual_rent_ore) * (FINE / i128::from(ORE_PER_KR)) + i128::from(heating_kr) * FINE;
        let cap = self.cap(
            household.municipality_group,
            household.members.len(),
            household.adapted_dwelling,
        );
        let approved_fine = costs_fine.min(i128::from(cap.total_kr) * FINE);
        let single_pensioner = household.members.len() == 1 && household.members[0].old_age_pensioner;
        let thresholds = self.thresholds(single_pensioner, false);
        let terms = self.own_share(y, thresholds.t1, thresholds.t2);
        self.payout(approved_fine, terms.total_fine(self.own.values.minimum)).1
    }
}
