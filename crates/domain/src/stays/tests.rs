use super::*;
use crate::HouseholdId;
use proptest::prelude::*;
use time::macros::date;

fn stay(household: HouseholdId, from: Date, to: Option<Date>) -> Stay {
    Stay {
        id: format!("{from}"),
        household,
        place: "Hospitset".into(),
        provider: None,
        address_protected: false,
        from,
        to,
        end_reason: to.map(|_| EndReason::OtherTemporary),
        with_children: false,
        nightly_cost_ore: None,
        quality_remarks: None,
        main_person_born: Some(date!(1990 - 05 - 01)),
        main_person_name: None,
    }
}

fn input<'a>(place: &'a str, from: &'a str, to: &'a str, end_reason: &'a str) -> StayInput<'a> {
    StayInput {
        place,
        from,
        to,
        end_reason,
        ..Default::default()
    }
}

#[test]
fn moving_on_the_day_is_no_overlap_and_a_shared_night_is() {
    let d = |day| Date::from_calendar_date(2026, time::Month::March, day).unwrap();
    assert!(!overlaps((d(1), Some(d(10))), (d(10), None)));
    assert!(overlaps((d(1), Some(d(11))), (d(10), Some(d(12)))));
    assert!(
        overlaps((d(1), None), (d(20), Some(d(21)))),
        "an ongoing stay has every night after"
    );
    assert!(
        overlaps((d(5), Some(d(5))), (d(5), Some(d(6)))),
        "a same-day stay is one night"
    );
    assert!(!overlaps((d(5), Some(d(5))), (d(6), None)));
}

#[test]
fn flags_at_their_edges() {
    let h = HouseholdId::new();
    let from = date!(2026 - 01 - 31);
    assert!(stay(h, from, Some(from + Duration::days(14))).is_short());
    assert!(!stay(h, from, Some(from + Duration::days(15))).is_short());
    assert!(!stay(h, from, None).is_short(), "an ongoing stay is not yet short");
    // Three months after 31 January is 30 April: more than that is long.
    assert_eq!(add_months(from, 3), date!(2026 - 04 - 30));
    assert!(!stay(h, from, Some(date!(2026 - 04 - 30))).is_long(date!(2026 - 12 - 01)));
    assert!(stay(h, from, Some(date!(2026 - 05 - 01))).is_long(date!(2026 - 12 - 01)));
    assert!(
        stay(h, from, None).is_long(date!(2026 - 05 - 01)),
        "ongoing, counted to today"
    );
    let mut young = stay(h, date!(2015 - 05 - 01), None);
    assert!(young.is_young(), "25 on the first day");
    young.from = date!(2016 - 05 - 01);
    assert!(!young.is_young(), "26");
    young.main_person_born = None;
    assert!(!young.is_young());
}

#[test]
fn a_stay_is_checked_field_by_field() {
    let today = date!(2026 - 12 - 03);
    let ok = check_stay(
        &StayInput {
            with_children: true,
            ..input(" Hospitset ", "01.11.2026", "", "")
        },
        today,
    )
    .unwrap();
    assert_eq!((ok.place.as_str(), ok.to, ok.with_children), ("Hospitset", None, true));
    assert_eq!(
        (ok.provider, ok.nightly_cost_ore, ok.quality_remarks),
        (None, None, None)
    );
    let errors = check_stay(&input("", "04.12.2026", "01.12.2026", "moved"), today).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["place", "from", "to", "end_reason"]);
    let errors = check_stay(&input("Hospitset", "01.11.2026", "05.11.2026", ""), today).unwrap_err();
    assert_eq!(errors[0].field, "end_reason", "an end needs its reason");
    let kept = stay(HouseholdId::new(), date!(2026 - 11 - 01), None);
    assert_eq!(
        check_end(&kept, "10.11.2026", "municipal_dwelling").unwrap(),
        (date!(2026 - 11 - 10), EndReason::MunicipalDwelling)
    );
    let errors = check_end(&kept, "", "").unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["to", "end_reason"]);
    assert_eq!(check_end(&kept, "31.10.2026", "unknown").unwrap_err()[0].field, "to");
}

#[test]
fn the_years_figures_count_households_once() {
    let (a, b, c) = (HouseholdId::new(), HouseholdId::new(), HouseholdId::new());
    let today = date!(2026 - 12 - 03);
    let mut children = stay(b, date!(2026 - 01 - 10), Some(date!(2026 - 06 - 01)));
    children.with_children = true;
    let stays = [
        // a: two short stays, 20 nights in all: neither household short nor long.
        stay(a, date!(2026 - 03 - 01), Some(date!(2026 - 03 - 11))),
        stay(a, date!(2026 - 03 - 11), Some(date!(2026 - 03 - 21))),
        children,
        // c: last year, but into this one by 5 nights; and one going on.
        stay(c, date!(2025 - 12 - 20), Some(date!(2026 - 01 - 05))),
        stay(c, date!(2026 - 11 - 30), None),
        // not this year at all
        stay(a, date!(2024 - 01 - 01), Some(date!(2024 - 02 - 01))),
    ];
    let f = figures(2026, today, &stays);
    assert_eq!(f.households, 3);
    assert_eq!(f.stays, 5);
    assert_eq!(f.stays_14_days_or_fewer, 2);
    assert_eq!(f.households_14_days_or_fewer, 1, "c: 4 + 3 nights");
    assert_eq!((f.households_over_3_months, f.stays_over_3_months), (1, 1));
    assert_eq!(
        (f.households_with_children, f.households_with_children_over_3_months),
        (1, 1)
    );
    assert_eq!(f.ongoing, 1);
    assert_eq!(f.households_aged_18_to_25, 0);
}

#[test]
fn the_price_per_night_is_whole_kroner_above_zero_and_below_the_cap() {
    let today = date!(2026 - 12 - 03);
    let priced = |kr: &'static str| {
        check_stay(
            &StayInput {
                nightly_cost_kr: kr,
                ..input("Hospitset", "01.11.2026", "", "")
            },
            today,
        )
    };
    // (typed, øre kept, or the code of the refusal on nightly_cost_kr)
    let cases: [(&str, Result<Option<i64>, &str>); 10] = [
        ("", Ok(None)),
        ("   ", Ok(None)),
        ("950", Ok(Some(95_000))),
        ("1 250 kr", Ok(Some(125_000))),
        ("10 000", Ok(Some(1_000_000))),
        ("10 001", Err("stay.nightly_cost_too_high")),
        ("95000", Err("stay.nightly_cost_too_high")),
        ("0", Err("stay.nightly_cost_not_positive")),
        ("-500", Err("stay.nightly_cost_not_positive")),
        ("ni hundre", Err("not_an_amount")),
    ];
    for (typed, expected) in cases {
        match (priced(typed), expected) {
            (Ok(new), Ok(ore)) => assert_eq!(new.nightly_cost_ore, ore, "{typed:?}"),
            (Err(errors), Err(code)) => {
                assert_eq!(errors.len(), 1, "{typed:?}");
                assert_eq!(
                    (errors[0].field.as_str(), errors[0].code),
                    ("nightly_cost_kr", code),
                    "{typed:?}"
                );
            }
            (got, _) => panic!("{typed:?}: {got:?}"),
        }
    }
}

#[test]
fn provider_and_remarks_are_optional_and_short() {
    let today = date!(2026 - 12 - 03);
    let long = "x".repeat(MAX_REMARKS_LEN + 1);
    let ok = check_stay(
        &StayInput {
            provider: " Byhotellet AS ",
            quality_remarks: " Felles bad, ikke egnet for barn. ",
            ..input("Rom 12", "01.11.2026", "", "")
        },
        today,
    )
    .unwrap();
    assert_eq!(ok.provider.as_deref(), Some("Byhotellet AS"));
    assert_eq!(ok.quality_remarks.as_deref(), Some("Felles bad, ikke egnet for barn."));
    let long_provider = "p".repeat(201);
    let errors = check_stay(
        &StayInput {
            provider: &long_provider,
            quality_remarks: &long,
            ..input("Rom 12", "01.11.2026", "", "")
        },
        today,
    )
    .unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["provider", "quality_remarks"]);
}

#[test]
fn a_stays_cost_is_its_nights_at_the_price() {
    let h = HouseholdId::new();
    let priced = |from, to, ore| Stay {
        nightly_cost_ore: Some(ore),
        ..stay(h, from, to)
    };
    let today = date!(2026 - 12 - 03);
    // (stay, its cost, its cost in 2026)
    let cases = [
        // 10 nights at 900 kr.
        (
            priced(date!(2026 - 03 - 01), Some(date!(2026 - 03 - 11)), 90_000),
            Some(900_000),
            Some(900_000),
        ),
        // Ending the day it began: one night.
        (
            priced(date!(2026 - 03 - 01), Some(date!(2026 - 03 - 01)), 90_000),
            Some(90_000),
            Some(90_000),
        ),
        // Ongoing: up to today (2 nights).
        (
            priced(date!(2026 - 12 - 01), None, 50_000),
            Some(100_000),
            Some(100_000),
        ),
        // Over new year: 11 nights in 2025, 4 in 2026.
        (
            priced(date!(2025 - 12 - 21), Some(date!(2026 - 01 - 05)), 10_000),
            Some(150_000),
            Some(40_000),
        ),
        // No price recorded: no cost.
        (stay(h, date!(2026 - 03 - 01), Some(date!(2026 - 03 - 11))), None, None),
    ];
    for (s, cost, in_2026) in cases {
        assert_eq!(s.cost_ore(today), cost, "{s:?}");
        assert_eq!(s.cost_in(2026, today), in_2026, "{s:?}");
    }
}

#[test]
fn the_years_cost_counts_its_own_nights_and_the_stays_without_a_price() {
    let h = HouseholdId::new();
    let today = date!(2026 - 12 - 03);
    let priced = |from, to, ore| Stay {
        nightly_cost_ore: Some(ore),
        ..stay(h, from, to)
    };
    let stays = [
        priced(date!(2025 - 12 - 21), Some(date!(2026 - 01 - 05)), 10_000), // 4 nights in 2026
        priced(date!(2026 - 12 - 01), None, 50_000),                        // 2 nights so far
        stay(HouseholdId::new(), date!(2026 - 06 - 01), Some(date!(2026 - 06 - 03))),
        priced(date!(2024 - 01 - 01), Some(date!(2024 - 02 - 01)), 99_900), // not this year
    ];
    let f = figures(2026, today, &stays);
    assert_eq!((f.cost_ore, f.stays_without_cost), (40_000 + 100_000, 1));
    let last = figures(2025, today, &stays);
    assert_eq!((last.cost_ore, last.stays_without_cost), (110_000, 0));
}

fn day() -> impl Strategy<Value = Date> {
    (0i64..800).prop_map(|n| date!(2025 - 01 - 01) + Duration::days(n))
}

fn period() -> impl Strategy<Value = (Date, Option<Date>)> {
    (day(), proptest::option::of(0i64..200)).prop_map(|(from, len)| (from, len.map(|n| from + Duration::days(n))))
}

proptest! {
    /// Overlap is symmetric, and two stays overlap exactly when some night is in both.
    #[test]
    fn overlap_is_a_shared_night(a in period(), b in period()) {
        prop_assert_eq!(overlaps(a, b), overlaps(b, a));
        let nights = |(from, to): (Date, Option<Date>)| {
            let end = to.map_or(date!(2028 - 01 - 01), |to| to.max(from + Duration::days(1)));
            (0..(end - from).whole_days()).map(move |n| from + Duration::days(n))
        };
        let shared = nights(a).any(|night| nights(b).any(|other| other == night));
        prop_assert_eq!(overlaps(a, b), shared);
    }

    /// A stay is never both short and long; short means ended within 14 nights; ongoing stays
    /// are never short; the flags do not depend on the household or the place.
    #[test]
    fn flags_agree_with_the_nights((from, to) in period(), today_offset in 0i64..400) {
        let today = from + Duration::days(today_offset);
        let s = stay(HouseholdId::new(), from, to);
        prop_assert!(!(s.is_short() && s.is_long(today)));
        prop_assert_eq!(s.is_short(), to.is_some() && s.nights(today) <= SHORT_DAYS);
        let mut elsewhere = s.clone();
        elsewhere.place = "Campingen".into();
        elsewhere.household = HouseholdId::new();
        prop_assert_eq!(elsewhere.is_long(today), s.is_long(today));
    }

    /// A cost is never negative, and the cost of a stay over two years is the two years' costs.
    #[test]
    fn a_cost_split_over_two_years_sums_to_the_whole(
        (from, to) in period(),
        today_offset in 0i64..400,
        ore in 1i64..=MAX_NIGHTLY_COST_KR * 100,
    ) {
        let today = from + Duration::days(today_offset);
        let s = Stay { nightly_cost_ore: Some(ore), ..stay(HouseholdId::new(), from, to) };
        let whole = s.cost_ore(today).unwrap_or(-1);
        prop_assert!(whole >= 0);
        // `period()` starts in 2025 or 2026 and lasts at most 200 nights, or up to `today`
        // (at most 400 days after it began): three years hold every night.
        let years: i64 = (2025..=2028).map(|y| s.cost_in(y, today).unwrap_or(-1)).sum();
        prop_assert!((2025..=2028).all(|y| s.cost_in(y, today).is_some_and(|c| c >= 0)));
        prop_assert_eq!(years, whole);
    }

    /// Households are counted once however their stays are split, and never more than stays.
    #[test]
    fn figures_never_count_a_household_twice(periods in proptest::collection::vec(period(), 0..12)) {
        let households = [HouseholdId::new(), HouseholdId::new(), HouseholdId::new()];
        let stays: Vec<Stay> = periods
            .iter()
            .enumerate()
            .map(|(i, (from, to))| stay(households[i % 3], *from, *to))
            .collect();
        let f = figures(2026, date!(2026 - 12 - 31), &stays);
        prop_assert!(f.households <= 3 && f.households <= f.stays);
        prop_assert!(f.households_14_days_or_fewer <= f.households);
        prop_assert!(f.households_over_3_months <= f.stays_over_3_months);
        prop_assert!(f.households_with_children_over_3_months <= f.households_with_children);
    }
}
