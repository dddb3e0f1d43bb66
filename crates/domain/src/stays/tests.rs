use super::*;
use crate::HouseholdId;
use proptest::prelude::*;
use time::macros::date;

fn stay(household: HouseholdId, from: Date, to: Option<Date>) -> Stay {
    Stay {
        id: format!("{from}"),
        household,
        place: "Hospitset".into(),
        from,
        to,
        end_reason: to.map(|_| EndReason::OtherTemporary),
        with_children: false,
        main_person_born: Some(date!(1990 - 05 - 01)),
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
    let ok = check_stay(" Hospitset ", "01.11.2026", "", "", true, today).unwrap();
    assert_eq!((ok.place.as_str(), ok.to, ok.with_children), ("Hospitset", None, true));
    let errors = check_stay("", "04.12.2026", "01.12.2026", "moved", false, today).unwrap_err();
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(fields, ["place", "from", "to", "end_reason"]);
    let errors = check_stay("Hospitset", "01.11.2026", "05.11.2026", "", false, today).unwrap_err();
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
