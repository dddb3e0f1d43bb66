use super::*;
use crate::startlan::affordability::{assess_with_reference, living_cost_used};
use crate::startlan::input::tests::example;
use crate::startlan::living_costs::{LivingCostSource, MemberDetail};
use crate::startlan::rules::StartlanRules;
use proptest::prelude::*;

fn layout() -> &'static ReferenceBudgetLayout {
    ReferenceBudgetLayout::embedded()
}

fn budget(amounts: ReferenceBudgetAmounts) -> ReferenceBudget {
    ReferenceBudget {
        version: 3,
        valid_from: time::macros::date!(2026 - 01 - 01),
        label: "Test".into(),
        amounts,
    }
}

#[test]
fn the_compiled_in_layout_loads_and_covers_every_age() {
    let layout = layout();
    assert_eq!(layout.band_of(0).id, "age_0");
    assert_eq!(layout.band_of(17).id, "age_14_17");
    assert_eq!(layout.band_of(45).id, "age_31_50");
    assert_eq!(layout.band_of(120).id, "age_74");
    assert!(!layout.verified, "the band layout is not checked against SIFO's report");
    assert!(layout.sources.iter().all(|s| s.url.is_some()));
    assert_eq!(layout.household_keys().last().map(String::as_str), Some("size_7"));
    assert!(layout.individual_keys().contains(&"age_20_30_female".to_string()));
}

#[test]
fn a_broken_layout_is_refused() {
    let gap = EMBEDDED_LAYOUT.replace("from_age = 4\n", "from_age = 5\n");
    assert!(
        ReferenceBudgetLayout::from_toml_str(&gap)
            .unwrap_err()
            .contains("age_4_5")
    );
}

#[test]
fn validation_names_each_field() {
    let mut amounts = demo_amounts(layout());
    assert_eq!(amounts.validate(layout()), Ok(()));
    amounts.individual_ore.remove("age_31_50_male");
    amounts.individual_ore.insert("age_6_9".into(), -1);
    amounts.individual_ore.insert("age_99".into(), 1);
    amounts.household_ore.insert("size_3".into(), 1);
    amounts.household_ore.insert("size_1".into(), MAX_AMOUNT_ORE + 1);
    let errors: Vec<_> = amounts
        .validate(layout())
        .unwrap_err()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect();
    assert_eq!(
        errors,
        [
            ("individual_ore.age_6_9".to_string(), "negative_amount"),
            ("individual_ore.age_31_50_male".to_string(), "required"),
            ("individual_ore.age_99".to_string(), "unknown_band"),
            ("household_ore.size_1".to_string(), "amount_too_large"),
            ("household_ore.size_2".to_string(), "lower_than_smaller_household"),
            ("household_ore.size_3".to_string(), "lower_than_smaller_household"),
        ]
    );
}

#[test]
fn members_by_age_and_sex_and_the_assumptions() {
    let amounts = demo_amounts(layout());
    let household = HouseholdComposition {
        adults: 2,
        couple: true,
        children_ages: vec![4, 12],
        members: vec![
            MemberDetail {
                age: Some(35),
                sex: Sex::Female,
            },
            MemberDetail::default(),
            MemberDetail::default(),
            MemberDetail {
                age: None,
                sex: Sex::Male,
            },
        ],
    };
    let cost = reference_budget_cost(&household, layout(), &budget(amounts));
    let keys: Vec<_> = cost.members.iter().map(|m| (m.key.as_str(), m.amount_ore)).collect();
    // The second adult has neither age nor sex: the most expensive adult band, male in the demo.
    assert_eq!(
        keys,
        [
            ("age_31_50_female", 650_000),
            ("age_20_30_male", 700_000),
            ("age_4_5", 300_000),
            ("age_10_13_male", 500_000),
        ]
    );
    assert_eq!(
        cost.members[1].assumptions,
        [Assumption::AgeNotStated, Assumption::SexNotStated]
    );
    assert!(cost.members[0].assumptions.is_empty());
    assert_eq!(cost.household_key, "size_4");
    assert_eq!(cost.household_ore, 520_000);
    assert_eq!(cost.total_ore, 650_000 + 700_000 + 300_000 + 500_000 + 520_000);
}

#[test]
fn a_large_household_uses_the_largest_size() {
    let household = HouseholdComposition {
        adults: 2,
        children_ages: vec![1, 2, 3, 4, 5, 6],
        ..Default::default()
    };
    let cost = reference_budget_cost(&household, layout(), &budget(demo_amounts(layout())));
    assert_eq!(cost.household_key, "size_7");
    assert_eq!(cost.household_assumptions, [Assumption::LargerThanTable]);
}

#[test]
fn the_assessment_uses_the_reference_budget_but_never_below_the_floor() {
    let rules = StartlanRules::embedded();
    let mut input = example();
    input.own_living_cost_estimate_kr = None;
    let mut high = demo_amounts(layout());
    let table = budget(high.clone());
    let result = assess_with_reference(&input, rules, Some(&table)).expect("assessed");
    let costs = &result.living_costs;
    assert_eq!(costs.source, LivingCostSource::ReferenceBudget);
    assert_eq!(costs.used_ore, costs.reference_budget.as_ref().unwrap().total_ore);
    assert!(costs.used_ore >= costs.floor.total_ore);

    for amount in high.individual_ore.values_mut().chain(high.household_ore.values_mut()) {
        *amount = 100;
    }
    let result = assess_with_reference(&input, rules, Some(&budget(high))).expect("assessed");
    assert_eq!(result.living_costs.source, LivingCostSource::SocialAssistanceFloor);
    assert_eq!(result.living_costs.used_ore, result.living_costs.floor.total_ore);

    // An own estimate above the floor wins over the reference budget.
    input.own_living_cost_estimate_kr = Some(40_000);
    let result = assess_with_reference(&input, rules, Some(&table)).expect("assessed");
    assert_eq!(result.living_costs.source, LivingCostSource::OwnEstimate);
    assert_eq!(result.living_costs.used_ore, 4_000_000);
}

#[test]
fn member_details_are_validated() {
    let rules = StartlanRules::embedded();
    let mut input = example();
    input.household.members = vec![
        MemberDetail {
            age: Some(17),
            sex: Sex::Male
        };
        9
    ];
    input.household.members[2].age = Some(99);
    input.household.members[3].age = Some(input.household.children_ages[1]);
    let fields: Vec<_> = crate::startlan::validate(&input, rules)
        .unwrap_err()
        .into_iter()
        .map(|e| e.field)
        .collect();
    // The example has two adults and children aged 4 and 12.
    assert!(fields.contains(&"household.members".to_string()), "{fields:?}");
    assert!(fields.contains(&"household.members[0].age".to_string()), "{fields:?}");
    assert!(fields.contains(&"household.members[2].age".to_string()), "{fields:?}");
    assert!(!fields.contains(&"household.members[3].age".to_string()), "{fields:?}");
}

fn sex() -> impl Strategy<Value = Sex> {
    prop::sample::select(Sex::ALL.to_vec())
}

fn amounts() -> impl Strategy<Value = ReferenceBudgetAmounts> {
    let layout = layout();
    let individual = layout.individual_keys();
    let sizes = layout.household_keys();
    (
        prop::collection::vec(0_i64..1_000_000, individual.len()),
        prop::collection::vec(0_i64..300_000, sizes.len()),
    )
        .prop_map(move |(ind, mut steps)| {
            // Household costs are entered non-decreasing (validation refuses anything else).
            for i in 1..steps.len() {
                steps[i] += steps[i - 1];
            }
            ReferenceBudgetAmounts {
                individual_ore: individual.iter().cloned().zip(ind).collect(),
                household_ore: sizes.iter().cloned().zip(steps).collect(),
            }
        })
}

proptest! {
    #[test]
    fn the_floor_always_holds_and_a_member_never_lowers_the_costs(
        amounts in amounts(),
        adults in 1_u32..4,
        couple in any::<bool>(),
        adult_ages in prop::collection::vec(prop::option::of(18_u32..100), 0..3),
        sexes in prop::collection::vec(sex(), 0..8),
        children in prop::collection::vec(0_u32..18, 0..4),
        new_child in 0_u32..18,
        new_sex in sex(),
        own in prop::option::of(0_i64..5_000_000),
    ) {
        prop_assert_eq!(amounts.validate(layout()), Ok(()));
        let table = budget(amounts);
        let couple = couple && adults >= 2;
        let mut members: Vec<MemberDetail> = (0..adults as usize)
            .map(|i| MemberDetail { age: adult_ages.get(i).copied().flatten(), sex: sexes.get(i).copied().unwrap_or_default() })
            .collect();
        members.extend(children.iter().zip(sexes.iter().rev()).map(|(_, &sex)| MemberDetail { age: None, sex }));
        let household = HouseholdComposition { adults, couple, children_ages: children, members };
        let rules = StartlanRules::embedded();
        let mut input = example();
        input.household = household.clone();
        input.own_living_cost_estimate_kr = None;
        let before = assess_with_reference(&input, rules, Some(&table)).expect("valid");
        prop_assert!(before.living_costs.used_ore >= before.living_costs.floor.total_ore);
        let (used, _) = living_cost_used(own, before.living_costs.reference_budget.as_ref(), before.living_costs.floor.total_ore);
        prop_assert!(used >= before.living_costs.floor.total_ore);

        let mut bigger = household;
        if bigger.members.len() == bigger.adults as usize + bigger.children_ages.len() {
            bigger.members.push(MemberDetail { age: Some(new_child), sex: new_sex });
        }
        bigger.children_ages.push(new_child);
        input.household = bigger;
        let after = assess_with_reference(&input, rules, Some(&table)).expect("valid");
        prop_assert!(after.living_costs.used_ore >= before.living_costs.used_ore);
        prop_assert!(
            after.living_costs.reference_budget.as_ref().unwrap().total_ore
                >= before.living_costs.reference_budget.as_ref().unwrap().total_ore
        );
    }
}
