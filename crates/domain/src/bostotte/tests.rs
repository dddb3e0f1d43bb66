//! Table tests from Husbanken's published figures (domain brief § 2.9) and property tests.

use proptest::prelude::*;

use super::*;

fn rules() -> &'static BostotteRules {
    BostotteRules::embedded()
}

fn simple(month: &str, income_kr: i64, costs_kr: i64, births: &[&str]) -> EstimateRequest {
    EstimateRequest {
        month: month.into(),
        kommunenummer: "3301".into(),
        members: births
            .iter()
            .map(|b| MemberRequest {
                birth_date: (*b).into(),
                ..Default::default()
            })
            .collect(),
        annual_income_kr: Some(income_kr),
        annual_housing_costs_kr: Some(costs_kr),
        ..Default::default()
    }
}

fn run(request: &EstimateRequest) -> Estimate {
    let input = request.validate(rules()).unwrap_or_else(|e| panic!("{e:?}"));
    estimate(rules(), &input).unwrap()
}

/// Husbanken's annual reports: a single person with 2G income in group 4 and housing costs above
/// the cap, before and after the yearly adjustments (årsrapport 2022 tabell 3, 2023 tabell 8).
#[test]
fn published_examples_match_to_the_krone() {
    let cases = [
        ("1a", "2022-05", 212_798, 75_201, 1_873),
        ("1b", "2022-06", 222_954, 76_329, 1_781),
        ("1c", "2023-06", 237_240, 78_237, 1_729),
    ];
    for (name, month, income, cap, published) in cases {
        let result = run(&simple(month, income, 150_000, &["1960-01-15"]));
        assert_eq!(result.cap_kr, cap, "example {name}: cap");
        assert_eq!(result.weighted_income_kr, income, "example {name}: one person weighs 1");
        assert_eq!(result.monthly_kr, published, "example {name}");
        assert_eq!(result.outcome, Outcome::Paid);
    }
}

#[test]
fn example_1c_shows_each_step() {
    let result = run(&simple("2023-06", 237_240, 150_000, &["1960-01-15"]));
    assert_eq!(result.approved_costs_kr, 78_237);
    assert_eq!(result.own_share.minimum_kr, 23_949);
    assert_eq!(result.own_share.linear_kr, 19_591); // 16.44 % × (237 240 − 118 072)
    assert_eq!(result.own_share.steps, Some(23));
    assert_eq!(result.own_share.upper_kr, 6_548); // 23 × 0.12 % × 237 240
    assert_eq!(result.own_share_kr, 50_088);
    assert_eq!(result.computed_monthly_kr, 1_729);
    assert!(
        result.rule_version.contains("own_share 2023-06"),
        "{}",
        result.rule_version
    );
    assert!(
        result
            .unverified
            .iter()
            .any(|u| u.table == "own_share" && u.field == "minimum"),
        "the derived June-2023 own-share amounts are reported as unverified"
    );
    assert!(
        result.unverified.iter().all(|u| u.table != "caps"),
        "the June-2023 caps are verified"
    );
}

/// The contract example from the issue: an old-age pensioner; the table has no special thresholds
/// for June 2023, so the general ones are used and the result says so.
#[test]
fn contract_example_for_a_single_pensioner() {
    let mut request = simple("2023-06", 237_240, 120_000, &["1958-03-01"]);
    request.kommunenummer = "1875".into();
    request.members[0].old_age_pensioner = true;
    let result = run(&request);
    assert_eq!(result.monthly_kr, 1_729);
    assert_eq!(result.municipality_group, 4);
    assert!(result.unverified.iter().any(|u| u.field == "pensioner_t1"));
}

#[test]
fn single_pensioner_thresholds_apply_where_the_table_has_them() {
    let general = run(&simple("2022-06", 222_954, 150_000, &["1950-01-01"]));
    let mut request = simple("2022-06", 222_954, 150_000, &["1950-01-01"]);
    request.members[0].old_age_pensioner = true;
    let pensioner = run(&request);
    assert_eq!(pensioner.own_share.thresholds, "single_pensioner");
    assert_eq!(pensioner.own_share.t1_kr, 115_165);
    assert!(pensioner.monthly_kr > general.monthly_kr);
}

/// Forskrift om bostøtte § 2 d before 1 September 2024: the heating supplement (when heating is
/// not in the rent) went to households with an old-age, disability (young disabled among them)
/// or survivor pensioner, and to no other; from September 2024 to every household.
#[test]
fn the_heating_supplement_before_september_2024_was_for_pensioners_of_every_kind() {
    let heating = |month: &str, pensioner: fn(&mut MemberRequest)| {
        let mut request = simple(month, 200_000, 0, &["1970-05-01"]);
        request.annual_housing_costs_kr = None;
        request.housing = Some(HousingRequest {
            tenure: "rent".into(),
            annual_rent_kr: Some(120_000),
            ..Default::default()
        });
        pensioner(&mut request.members[0]);
        run(&request).housing.heating_sum_kr
    };
    type Mark = fn(&mut MemberRequest);
    let cases: [(&str, Mark, i64); 8] = [
        ("2024-06", |_| {}, 0),
        ("2024-06", |m| m.old_age_pensioner = true, 6_625),
        ("2024-06", |m| m.young_disabled = true, 6_625),
        ("2024-06", |m| m.disability_or_survivor_pensioner = true, 6_625),
        ("2024-08", |m| m.disability_or_survivor_pensioner = true, 6_625),
        ("2024-08", |_| {}, 0),
        ("2024-09", |_| {}, 6_625),
        ("2024-09", |m| m.disability_or_survivor_pensioner = true, 6_625),
    ];
    for (month, pensioner, expected) in cases {
        assert_eq!(heating(month, pensioner), expected, "{month}");
    }
}

/// Husbanken's guide 2.5.1 (2026): 3 adults with 300 000 → 238 095; one adult and two children
/// with 300 000 → 230 769.
#[test]
fn weighted_income_follows_the_guide() {
    let adults = run(&simple(
        "2026-06",
        300_000,
        150_000,
        &["1980-01-01", "1981-01-01", "1990-01-01"],
    ));
    assert_eq!(adults.weighted_income_kr, 238_095);
    let children = run(&simple(
        "2026-06",
        300_000,
        150_000,
        &["1980-01-01", "2015-01-01", "2018-01-01"],
    ));
    assert_eq!(children.weighted_income_kr, 230_769);
    // Before February 2023 a child weighed 0.13 like an adult.
    let before = run(&simple(
        "2023-01",
        300_000,
        150_000,
        &["1980-01-01", "2015-01-01", "2018-01-01"],
    ));
    assert_eq!(before.weighted_income_kr, 238_095);
}

#[test]
fn caps_follow_group_size_and_adaptation() {
    let mut request = simple("2026-06", 100_000, 400_000, &["1980-01-01", "1981-01-01"]);
    request.kommunenummer = "0301".into();
    request.adapted_dwelling = true;
    let oslo = run(&request);
    assert_eq!(oslo.cap.base_kr, 113_774);
    assert_eq!(oslo.cap.group_supplement_kr, 27_982);
    assert_eq!(oslo.cap.adapted_dwelling_kr, 5_724);
    assert_eq!(oslo.cap_kr, 113_774 + 27_982 + 5_724);
    let seven = run(&simple("2026-06", 100_000, 400_000, &["1980-01-01"; 7]));
    assert_eq!(seven.cap.base_kr, 150_385, "five or more persons share the last cap");
}

#[test]
fn low_payouts_are_not_paid() {
    // Income where the computed amount is positive but below the minimum payout.
    let mut income = 250_000;
    loop {
        let result = run(&simple("2026-06", income, 150_000, &["1980-01-01"]));
        if result.computed_monthly_kr < result.minimum_payout_kr {
            if result.computed_monthly_kr > 0 {
                assert_eq!(result.outcome, Outcome::BelowMinimum);
            } else {
                assert_eq!(result.outcome, Outcome::OwnShareExceedsCosts);
            }
            assert_eq!(result.monthly_kr, 0);
            break;
        }
        income += 250;
    }
}

#[test]
fn per_member_incomes_leave_out_children_and_excluded_kinds() {
    let request = EstimateRequest {
        month: "2025-01".into(),
        kommunenummer: "3301".into(),
        members: vec![
            MemberRequest {
                birth_date: "1985-04-02".into(),
                incomes: vec![
                    IncomeRequest {
                        kind: "wages".into(),
                        annual_kr: 250_000,
                    },
                    IncomeRequest {
                        kind: "barnetrygd".into(),
                        annual_kr: 21_000,
                    },
                ],
                ..Default::default()
            },
            MemberRequest {
                birth_date: "2006-03-01".into(),
                incomes: vec![IncomeRequest {
                    kind: "wages".into(),
                    annual_kr: 80_000,
                }],
                ..Default::default()
            },
        ],
        housing: Some(HousingRequest {
            tenure: "rent".into(),
            annual_rent_kr: Some(130_000),
            ..Default::default()
        }),
        ..Default::default()
    };
    let result = run(&request);
    assert_eq!(result.counted_income_kr, 250_000);
    assert_eq!(result.members[0].exclusion, Some(Exclusion::ExcludedKinds));
    assert_eq!(result.members[1].age, 18);
    assert_eq!(
        result.members[1].exclusion,
        Some(Exclusion::UnderAge),
        "18-year-olds are left out from Oct 2024"
    );
    assert_eq!(
        result.housing.heating_sum_kr, 6_625,
        "heating supplement for all from Sep 2024"
    );
    assert_eq!(result.housing.total_kr, 136_625);
}

#[test]
fn wealth_above_the_allowance_adds_to_income() {
    let mut request = simple("2026-06", 200_000, 150_000, &["1980-01-01"]);
    request.net_wealth_kr = Some(433_557);
    let result = run(&request);
    assert_eq!(result.asset_supplement_kr, 65_000); // 65 % of 100 000 above 333 557
    assert_eq!(result.weighted_income_kr, 265_000);
}

#[test]
fn errors_name_each_field() {
    let request = EstimateRequest {
        month: "2019-05".into(),
        kommunenummer: "18".into(),
        members: vec![MemberRequest {
            birth_date: "31.02.1990".into(),
            incomes: vec![IncomeRequest {
                kind: "lottery".into(),
                annual_kr: -5,
            }],
            ..Default::default()
        }],
        annual_income_kr: Some(100),
        ..Default::default()
    };
    let errors = request.validate(rules()).unwrap_err();
    let fields: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
    assert_eq!(
        fields,
        [
            ("month", "no_rules"),
            ("kommunenummer", "invalid_municipality_number"),
            ("members[0].birth_date", "invalid_date"),
            ("members[0].incomes[0].kind", "unknown_value"),
            ("members[0].incomes[0].annual_kr", "out_of_range"),
            ("annual_income_kr", "either_or"),
            ("annual_housing_costs_kr", "required"),
        ]
    );
    for error in &errors {
        assert!(error.message.key.starts_with("error."), "{error:?}");
    }
}

#[test]
fn items_that_do_not_belong_to_the_tenure_are_refused() {
    let mut request = simple("2026-06", 200_000, 0, &["1980-01-01"]);
    request.annual_housing_costs_kr = None;
    request.housing = Some(HousingRequest {
        tenure: "rent".into(),
        annual_rent_kr: Some(100_000),
        annual_property_tax_kr: Some(3_000),
        ..Default::default()
    });
    let errors = request.validate(rules()).unwrap_err();
    assert_eq!(errors[0].field, "housing.annual_property_tax_kr");
    assert_eq!(errors[0].code, "not_for_tenure");
}

fn months() -> impl Strategy<Value = String> {
    (2021i32..=2027, 1u8..=12)
        .prop_filter("rules from 2021-06", |(y, m)| (*y, *m) >= (2021, 6))
        .prop_map(|(y, m)| format!("{y:04}-{m:02}"))
}

fn households() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec((1930i32..=2020, 1u8..=12, 1u8..=28), 1..8).prop_map(|dates| {
        dates
            .into_iter()
            .map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
            .collect()
    })
}

proptest! {
    #[test]
    fn never_negative_and_never_above_the_coverage_of_the_cap(
        month in months(),
        births in households(),
        income in 0i64..1_500_000,
        costs in 0i64..400_000,
        group in prop::sample::select(vec!["0301", "4601", "4204", "3301"]),
        adapted in any::<bool>(),
    ) {
        let births: Vec<&str> = births.iter().map(String::as_str).collect();
        let mut request = simple(&month, income, costs, &births);
        request.kommunenummer = group.into();
        request.adapted_dwelling = adapted;
        if let Ok(input) = request.validate(rules()) {
            let result = estimate(rules(), &input).unwrap();
            prop_assert!(result.monthly_kr >= 0);
            // 73.7 % of the yearly cap, per month, plus the half krone of rounding.
            prop_assert!(result.monthly_kr * 12 * 1000 <= result.cap_kr * 737 + 6_000);
            prop_assert!(result.monthly_kr == 0 || result.monthly_kr >= result.minimum_payout_kr);
        }
    }

    #[test]
    fn more_income_never_gives_more_support(
        month in months(),
        births in households(),
        income in 0i64..800_000,
        extra in 1i64..100_000,
        costs in 0i64..300_000,
    ) {
        let births: Vec<&str> = births.iter().map(String::as_str).collect();
        let lower = simple(&month, income, costs, &births);
        let higher = simple(&month, income + extra, costs, &births);
        if let (Ok(a), Ok(b)) = (lower.validate(rules()), higher.validate(rules())) {
            let (a, b) = (estimate(rules(), &a).unwrap(), estimate(rules(), &b).unwrap());
            prop_assert!(b.monthly_kr <= a.monthly_kr, "{} → {}", a.monthly_kr, b.monthly_kr);
        }
    }

    #[test]
    fn a_child_weighs_more_than_an_adult_from_february_2023(
        month in months().prop_filter("from 2023-02", |m| m.as_str() >= "2023-02"),
        income in 100_000i64..800_000,
        costs in 50_000i64..300_000,
    ) {
        let with_adult = run(&simple(&month, income, costs, &["1980-01-01", "1982-01-01"]));
        let with_child = run(&simple(&month, income, costs, &["1980-01-01", "2019-01-01"]));
        prop_assert!(with_child.weight_sum > with_adult.weight_sum);
        prop_assert!(with_child.weighted_income_kr <= with_adult.weighted_income_kr);
        prop_assert!(with_child.monthly_kr >= with_adult.monthly_kr);
    }

    #[test]
    fn facts_that_do_not_count_change_nothing(
        month in months(),
        income in 0i64..800_000,
        costs in 0i64..300_000,
        benefit in 0i64..100_000,
    ) {
        let base = EstimateRequest {
            month: month.clone(),
            kommunenummer: "3301".into(),
            members: vec![MemberRequest {
                birth_date: "1980-01-01".into(),
                incomes: vec![IncomeRequest { kind: "wages".into(), annual_kr: income }],
                ..Default::default()
            }],
            annual_housing_costs_kr: Some(costs),
            ..Default::default()
        };
        let mut with_benefit = base.clone();
        with_benefit.members[0].incomes.push(IncomeRequest { kind: "sosialhjelp".into(), annual_kr: benefit });
        let (a, b) = (run(&base), run(&with_benefit));
        prop_assert_eq!(a.monthly_kr, b.monthly_kr);
        prop_assert_eq!(a.weighted_income_kr, b.weighted_income_kr);
    }
}

fn quick_members() -> impl Strategy<Value = Vec<(String, i64, bool, IncomeKind)>> {
    prop::collection::vec(
        (
            (1930i32..=2020, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
            0i64..600_000,
            any::<bool>(),
            prop::sample::select(vec![IncomeKind::Wages, IncomeKind::Pension, IncomeKind::Barnetrygd]),
        ),
        1..7,
    )
}

proptest! {
    /// The outreach batch's allocation-free path gives the explained estimate's amount.
    #[test]
    fn the_quick_path_agrees_with_the_explained_estimate(
        month in months(),
        members in quick_members(),
        rent in 0i64..25_000,
        heating_included in any::<bool>(),
        adapted in any::<bool>(),
        number in prop::sample::select(vec!["0301", "4601", "4204", "3301"]),
    ) {
        let request = EstimateRequest {
            month: month.clone(),
            kommunenummer: number.into(),
            members: members
                .iter()
                .map(|(birth, income, pensioner, kind)| MemberRequest {
                    birth_date: birth.clone(),
                    old_age_pensioner: *pensioner,
                    incomes: vec![IncomeRequest { kind: kind.code().into(), annual_kr: *income }],
                    ..Default::default()
                })
                .collect(),
            housing: Some(HousingRequest {
                tenure: "rent".into(),
                annual_rent_kr: Some(rent * 12),
                heating_included,
                ..Default::default()
            }),
            adapted_dwelling: adapted,
            ..Default::default()
        };
        let Ok(input) = request.validate(rules()) else { return Ok(()) };
        let explained = estimate(rules(), &input).unwrap();
        let month_rules = MonthRules::new(rules(), input.month).unwrap();
        let quick: Vec<QuickMember> = input
            .members
            .iter()
            .map(|m| QuickMember {
                birth_date: m.birth_date,
                income_ore: m.incomes.iter().filter(|i| month_rules.counts(i.kind)).map(|i| i.annual_ore).sum(),
                old_age_pensioner: m.old_age_pensioner,
            })
            .collect();
        let household = QuickHousehold {
            members: &quick,
            municipality_group: month_rules.municipality_group(number),
            annual_rent_ore: rent * 12 * 100,
            heating_included,
            adapted_dwelling: adapted,
        };
        prop_assert_eq!(month_rules.quick_monthly(&household), explained.monthly_kr);
    }
}
