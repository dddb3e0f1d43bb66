//! The living-cost floor: the state guideline rates for økonomisk sosialhjelp for the household.
//!
//! Husbanken's veileder says the living costs in a startlån assessment start from the household's
//! actual consumption (SIFO's reference budget as a guide) but must be at least the guideline
//! rates. The rates are per household type, so the composition decides which apply:
//!
//! - one adult: the single rate (*enslige*);
//! - a couple (married or cohabiting): the couple rate for the two of them;
//! - every other adult (an adult child, a sibling, two adults who are not a couple): the rate for a
//!   person sharing a home (*person i bofellesskap*). This reading of "bofellesskap" for adults who
//!   share a household without being a couple is this program's assumption, not the rundskriv's;
//! - each child by age: 0–5, 6–10 and 11–17 years.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::kr_to_ore;
use super::reference_budget::Sex;
use super::rules::{SOCIAL_ASSISTANCE, SocialAssistanceRates};
use crate::rules::{Period, Trace};

/// Who lives in the household, as far as the guideline rates care.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanHousehold")]
pub struct HouseholdComposition {
    /// Adults (18 or older), the applicants included.
    pub adults: u32,
    /// Whether two of the adults are married or cohabiting.
    #[serde(default)]
    pub couple: bool,
    /// Age in whole years of each child under 18.
    #[serde(default)]
    pub children_ages: Vec<u32>,
    /// For SIFO's reference budget: each member's details, the adults first, then the children
    /// in the order of `children_ages`. May be shorter than the household: an adult without an
    /// age counts in the most expensive adult band, a member whose sex is not stated at the higher
    /// amount of a band split by sex.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberDetail>,
}

/// One member's age and sex, as SIFO's reference budget distinguishes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "StartlanMemberDetail")]
pub struct MemberDetail {
    /// Whole years at the calculation date. For an adult, 18 or older; for a child, the same as
    /// in `children_ages` (or left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    #[serde(default)]
    pub sex: Sex,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FloorCategory {
    Single,
    Couple,
    SharedHousingAdult,
    Child0To5,
    Child6To10,
    Child11To17,
}

impl FloorCategory {
    /// The field of [`SocialAssistanceRates`] that holds this category's rate.
    pub fn field(self) -> &'static str {
        match self {
            FloorCategory::Single => "single_kr",
            FloorCategory::Couple => "couple_kr",
            FloorCategory::SharedHousingAdult => "shared_housing_kr",
            FloorCategory::Child0To5 => "child_0_5_kr",
            FloorCategory::Child6To10 => "child_6_10_kr",
            FloorCategory::Child11To17 => "child_11_17_kr",
        }
    }

    fn rate_kr(self, rates: &SocialAssistanceRates) -> i64 {
        match self {
            FloorCategory::Single => rates.single_kr,
            FloorCategory::Couple => rates.couple_kr,
            FloorCategory::SharedHousingAdult => rates.shared_housing_kr,
            FloorCategory::Child0To5 => rates.child_0_5_kr,
            FloorCategory::Child6To10 => rates.child_6_10_kr,
            FloorCategory::Child11To17 => rates.child_11_17_kr,
        }
    }

    /// The category of a child of `age`, or `None` for an adult.
    pub fn of_child(age: u32) -> Option<FloorCategory> {
        match age {
            0..=5 => Some(FloorCategory::Child0To5),
            6..=10 => Some(FloorCategory::Child6To10),
            11..=17 => Some(FloorCategory::Child11To17),
            _ => None,
        }
    }
}

/// One category of the floor: how many, at which monthly rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FloorLine {
    pub category: FloorCategory,
    pub count: u32,
    pub rate_ore: i64,
    pub amount_ore: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LivingCostFloor {
    pub lines: Vec<FloorLine>,
    pub total_ore: i64,
}

/// Which living-cost amount the assessment used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LivingCostSource {
    /// The household's own estimate, being at least the floor.
    OwnEstimate,
    /// The municipality's reference budget (SIFO), there being no own estimate and the budget
    /// being at least the floor.
    ReferenceBudget,
    /// The social-assistance floor, there being no estimate or reference budget, or a lower one.
    SocialAssistanceFloor,
}

/// The floor for a household whose composition has been validated (at least one adult, a couple
/// only with two adults, children under 18). Records every rate it used in `trace`.
pub fn living_cost_floor(
    household: &HouseholdComposition,
    rates: &Period<SocialAssistanceRates>,
    trace: &mut Trace,
) -> LivingCostFloor {
    let mut counts: Vec<(FloorCategory, u32)> = Vec::new();
    let mut add = |category, count| {
        if count > 0 {
            match counts.iter_mut().find(|(c, _)| *c == category) {
                Some((_, n)) => *n += count,
                None => counts.push((category, count)),
            }
        }
    };
    match (household.adults, household.couple) {
        (1, false) => add(FloorCategory::Single, 1),
        (adults, true) => {
            add(FloorCategory::Couple, 1);
            add(FloorCategory::SharedHousingAdult, adults.saturating_sub(2));
        }
        (adults, false) => add(FloorCategory::SharedHousingAdult, adults),
    }
    for &age in &household.children_ages {
        if let Some(category) = FloorCategory::of_child(age) {
            add(category, 1);
        }
    }
    counts.sort();

    let lines: Vec<FloorLine> = counts
        .into_iter()
        .map(|(category, count)| {
            trace.record(SOCIAL_ASSISTANCE, rates, category.field());
            let rate_ore = kr_to_ore(category.rate_kr(&rates.values));
            FloorLine {
                category,
                count,
                rate_ore,
                amount_ore: rate_ore * i64::from(count),
            }
        })
        .collect();
    let total_ore = lines.iter().map(|l| l.amount_ore).sum();
    LivingCostFloor { lines, total_ore }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::startlan::rules::{SOCIAL_ASSISTANCE, StartlanRules};

    fn floor_of(household: HouseholdComposition, month: &str) -> (LivingCostFloor, Trace) {
        let rules = StartlanRules::embedded();
        let rates = rules
            .living_costs
            .social_assistance
            .in_force(SOCIAL_ASSISTANCE, month.parse().unwrap())
            .unwrap();
        let mut trace = Trace::default();
        (living_cost_floor(&household, rates, &mut trace), trace)
    }

    #[test]
    fn couple_with_two_children() {
        // 2024: couple 13 100 + child aged 4: 3 850 + child aged 12: 5 150 = 22 100 kr.
        let household = HouseholdComposition {
            adults: 2,
            couple: true,
            children_ages: vec![12, 4],
            ..Default::default()
        };
        let (floor, trace) = floor_of(household, "2024-05");
        assert_eq!(floor.total_ore, 2_210_000);
        let lines: Vec<_> = floor
            .lines
            .iter()
            .map(|l| (l.category, l.count, l.amount_ore))
            .collect();
        assert_eq!(
            lines,
            [
                (FloorCategory::Couple, 1, 1_310_000),
                (FloorCategory::Child0To5, 1, 385_000),
                (FloorCategory::Child11To17, 1, 515_000),
            ]
        );
        let fields: Vec<_> = trace.used().map(|u| u.field.as_str()).collect();
        assert_eq!(fields, ["child_0_5_kr", "child_11_17_kr", "couple_kr"]);
        assert!(trace.unverified().is_empty());
    }

    #[test]
    fn single_parent_and_adults_who_are_not_a_couple() {
        // July 2022: single 6 650 + two children aged 6 and 10: 2 · 3 350 = 13 350 kr.
        let (floor, _) = floor_of(
            HouseholdComposition {
                adults: 1,
                couple: false,
                children_ages: vec![6, 10],
                ..Default::default()
            },
            "2022-07",
        );
        assert_eq!(floor.total_ore, 1_335_000);
        assert_eq!(floor.lines[1].count, 2);

        // Couple plus an adult child, 2024: 13 100 + 6 600.
        let (floor, _) = floor_of(
            HouseholdComposition {
                adults: 3,
                couple: true,
                children_ages: vec![],
                ..Default::default()
            },
            "2024-01",
        );
        assert_eq!(floor.total_ore, 1_970_000);

        // Two adults who are not a couple, 2024: 2 · 6 600.
        let (floor, _) = floor_of(
            HouseholdComposition {
                adults: 2,
                couple: false,
                children_ages: vec![],
                ..Default::default()
            },
            "2024-01",
        );
        assert_eq!(floor.total_ore, 1_320_000);
    }

    #[test]
    fn the_placeholder_rates_are_reported_as_unverified() {
        let (_, trace) = floor_of(
            HouseholdComposition {
                adults: 1,
                couple: false,
                children_ages: vec![],
                ..Default::default()
            },
            "2026-11",
        );
        let unverified = trace.unverified();
        assert_eq!(unverified.len(), 1);
        assert_eq!(unverified[0].field, "single_kr");
    }
}
