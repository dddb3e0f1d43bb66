//! A startlån term over the normal maximum (30 years, up to 50): the conditions of forskrift om
//! lån fra Husbanken § 8-5 as Husbanken's veileder explains them («Nedbetalingsvilkår»).
//!
//! All four must be met:
//! - a) the household has documented lasting low income;
//! - b) the dwelling will meet the household's needs for a long time;
//! - c) renting privately is unsuitable, or considerably more expensive over time;
//! - d) the municipality finds a shorter term not financially responsible.
//!
//! Waivers: a) may be set aside for families with children and for households at risk of losing
//! their home, when their income is low but predictable; b) and c) may be set aside when the
//! household is at risk of losing its home. d) is never waived.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the caseworker records for a term over the normal maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtendedTermConditions {
    /// a) Documented lasting low income.
    #[serde(default)]
    pub lasting_low_income: bool,
    /// b) The dwelling will meet the household's needs for a long time.
    #[serde(default)]
    pub dwelling_suits_long_term: bool,
    /// c) Renting privately is unsuitable or considerably more expensive over time.
    #[serde(default)]
    pub renting_unsuitable: bool,
    /// d) A shorter term is not financially responsible.
    #[serde(default)]
    pub shorter_term_not_responsible: bool,
    /// The household is at risk of losing its home (waives b and c; with low predictable
    /// income, also a).
    #[serde(default)]
    pub at_risk_of_losing_home: bool,
    /// The household's income is low but predictable (with children or the risk of losing the
    /// home, waives a).
    #[serde(default)]
    pub low_predictable_income: bool,
}

/// The four conditions, in the regulation's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ExtendedTermCondition")]
pub enum Condition {
    LastingLowIncome,
    DwellingSuitsLongTerm,
    RentingUnsuitable,
    ShorterTermNotResponsible,
}

impl Condition {
    pub const ALL: [Condition; 4] = [
        Condition::LastingLowIncome,
        Condition::DwellingSuitsLongTerm,
        Condition::RentingUnsuitable,
        Condition::ShorterTermNotResponsible,
    ];

    /// The letter of § 8-5 the condition is.
    pub fn letter(self) -> char {
        match self {
            Condition::LastingLowIncome => 'a',
            Condition::DwellingSuitsLongTerm => 'b',
            Condition::RentingUnsuitable => 'c',
            Condition::ShorterTermNotResponsible => 'd',
        }
    }
}

/// How one condition came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "ExtendedTermConditionStatus")]
pub enum ConditionStatus {
    Met,
    /// Not met, but set aside by a waiver the household qualifies for.
    Waived,
    NotMet,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "ExtendedTermConditionResult")]
pub struct ConditionResult {
    pub condition: Condition,
    pub status: ConditionStatus,
}

/// Checks the four conditions; `has_children` comes from the household's composition.
pub fn check(conditions: &ExtendedTermConditions, has_children: bool) -> Vec<ConditionResult> {
    let c = conditions;
    let waives_a = (has_children || c.at_risk_of_losing_home) && c.low_predictable_income;
    let waives_b_c = c.at_risk_of_losing_home;
    Condition::ALL
        .into_iter()
        .map(|condition| {
            let (met, waived) = match condition {
                Condition::LastingLowIncome => (c.lasting_low_income, waives_a),
                Condition::DwellingSuitsLongTerm => (c.dwelling_suits_long_term, waives_b_c),
                Condition::RentingUnsuitable => (c.renting_unsuitable, waives_b_c),
                Condition::ShorterTermNotResponsible => (c.shorter_term_not_responsible, false),
            };
            let status = match (met, waived) {
                (true, _) => ConditionStatus::Met,
                (false, true) => ConditionStatus::Waived,
                (false, false) => ConditionStatus::NotMet,
            };
            ConditionResult { condition, status }
        })
        .collect()
}

/// The conditions not met and not waived; empty when a long term may be granted.
pub fn unmet(conditions: &ExtendedTermConditions, has_children: bool) -> Vec<Condition> {
    check(conditions, has_children)
        .into_iter()
        .filter(|r| r.status == ConditionStatus::NotMet)
        .map(|r| r.condition)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConditionStatus::{Met, NotMet, Waived};

    fn all_met() -> ExtendedTermConditions {
        ExtendedTermConditions {
            lasting_low_income: true,
            dwelling_suits_long_term: true,
            renting_unsuitable: true,
            shorter_term_not_responsible: true,
            ..Default::default()
        }
    }

    fn statuses(c: &ExtendedTermConditions, has_children: bool) -> [ConditionStatus; 4] {
        let r = check(c, has_children);
        [r[0].status, r[1].status, r[2].status, r[3].status]
    }

    /// The veileder's rules, one row per situation: (conditions, children?, expected a–d).
    #[test]
    fn the_conditions_and_their_waivers() {
        let none = ExtendedTermConditions::default();
        let risk = ExtendedTermConditions {
            at_risk_of_losing_home: true,
            ..none
        };
        let risk_low = ExtendedTermConditions {
            low_predictable_income: true,
            ..risk
        };
        let low = ExtendedTermConditions {
            low_predictable_income: true,
            ..none
        };
        let table: [(ExtendedTermConditions, bool, [ConditionStatus; 4]); 8] = [
            (all_met(), false, [Met, Met, Met, Met]),
            (none, false, [NotMet, NotMet, NotMet, NotMet]),
            // Risk of losing the home waives b and c, but a only with low predictable income.
            (risk, false, [NotMet, Waived, Waived, NotMet]),
            (risk_low, false, [Waived, Waived, Waived, NotMet]),
            // Families with children: a waived with low predictable income; b and c are not.
            (low, true, [Waived, NotMet, NotMet, NotMet]),
            (low, false, [NotMet, NotMet, NotMet, NotMet]),
            // d is never waived.
            (
                ExtendedTermConditions {
                    shorter_term_not_responsible: true,
                    ..risk_low
                },
                false,
                [Waived, Waived, Waived, Met],
            ),
            (
                ExtendedTermConditions {
                    shorter_term_not_responsible: false,
                    ..all_met()
                },
                true,
                [Met, Met, Met, NotMet],
            ),
        ];
        for (i, (conditions, children, expected)) in table.into_iter().enumerate() {
            assert_eq!(statuses(&conditions, children), expected, "row {i}");
        }
    }

    #[test]
    fn unmet_names_what_is_missing() {
        assert!(unmet(&all_met(), false).is_empty());
        let c = ExtendedTermConditions {
            renting_unsuitable: false,
            ..all_met()
        };
        assert_eq!(unmet(&c, true), vec![Condition::RentingUnsuitable]);
    }

    #[test]
    fn letters_follow_the_regulation() {
        let letters: String = Condition::ALL.iter().map(|c| c.letter()).collect();
        assert_eq!(letters, "abcd");
    }
}
