use proptest::prelude::*;
use time::Date;
use time::macros::date;

use super::*;
use crate::allocation::dwelling::DwellingType;
use crate::allocation::fixtures::{TODAY, single, with_children};
use crate::allocation::needs::BedroomRange;

fn policy() -> &'static PriorityPolicy {
    PriorityPolicy::embedded()
}

fn letting(on: Date, bedrooms: i64, wheelchair: bool, dwelling_type: DwellingType) -> Letting {
    Letting {
        on,
        bedrooms,
        wheelchair_accessible: wheelchair,
        dwelling_type,
    }
}

fn peer(position: u32) -> PeerPosition {
    PeerPosition {
        dwelling_type: DwellingType::OrdinaryRental,
        bedrooms: BedroomRange {
            need: 1,
            min: 0,
            max: 2,
        },
        position,
        of: 50,
    }
}

#[test]
fn the_range_runs_from_the_busiest_year_to_the_quietest() {
    // Position 6; 12, 6 and 9 lettings a year: low 12·6/12 = 6, high 12·6/6 = 12.
    assert_eq!(estimate_months(6, [12, 6, 9]), Some(MonthRange { low: 6, high: 12 }));
    // Rounded up to whole months.
    assert_eq!(estimate_months(1, [5, 5, 5]), Some(MonthRange { low: 3, high: 3 }));
    // An empty year: the high end uses half the yearly average (6 over three years → 1 a year).
    assert_eq!(estimate_months(2, [0, 4, 2]), Some(MonthRange { low: 6, high: 24 }));
    assert_eq!(estimate_months(3, [0, 0, 0]), None);
    // Position 0 never happens; it counts as the first.
    assert_eq!(estimate_months(0, [12, 12, 12]), estimate_months(1, [12, 12, 12]));
}

#[test]
fn only_lettings_that_fit_the_household_count() {
    // A single parent with two children: needs 2 bedrooms, may have 3.
    let household = with_children(single("a"), &[4, 7]);
    let lettings = [
        letting(date!(2024 - 02 - 01), 2, false, DwellingType::OrdinaryRental),
        letting(date!(2024 - 03 - 01), 3, false, DwellingType::OrdinaryRental),
        letting(date!(2025 - 03 - 01), 1, false, DwellingType::OrdinaryRental), // too few
        letting(date!(2025 - 04 - 01), 4, false, DwellingType::OrdinaryRental), // too many
        letting(date!(2026 - 04 - 01), 2, false, DwellingType::CareDwelling),   // not for them
        letting(date!(2026 - 05 - 01), 2, true, DwellingType::OrdinaryRental),
        letting(date!(2023 - 05 - 01), 2, false, DwellingType::OrdinaryRental), // too old
    ];
    let lettings = LettingTally::new(&lettings, TODAY);
    assert_eq!(compatible_lettings(policy(), &household, &lettings, TODAY), [2, 0, 1]);
    let mut wheelchair = household.clone();
    wheelchair.wheelchair_need = true;
    assert_eq!(compatible_lettings(policy(), &wheelchair, &lettings, TODAY), [0, 0, 1]);

    let estimate = wait_estimate(policy(), &household, &[peer(4), peer(2)], &lettings, TODAY);
    assert_eq!(estimate.position, Some(2), "the best place counts");
    assert_eq!(estimate.years, [2024, 2025, 2026]);
    // low 12·2/2 = 12; high r = max(0, 3/6) → 72·2/3 = 48.
    assert_eq!(estimate.outcome, Ok(MonthRange { low: 12, high: 48 }));
    assert_eq!(estimate.message().key, "stock.estimate.months");
}

#[test]
fn without_fitting_lettings_or_a_place_there_is_no_estimate() {
    let household = single("a");
    let big = LettingTally::new(
        &[letting(date!(2025 - 02 - 01), 4, false, DwellingType::OrdinaryRental)],
        TODAY,
    );
    let none = wait_estimate(policy(), &household, &[peer(1)], &big, TODAY);
    assert_eq!(none.outcome, Err(NoEstimate::NoCompatibleLettings));
    assert_eq!(none.message().key, "stock.estimate.none.no_compatible_lettings");
    let nowhere = wait_estimate(policy(), &household, &[], &big, TODAY);
    assert_eq!(nowhere.outcome, Err(NoEstimate::NoDwellingType));
    assert_eq!(nowhere.position, None);
}

#[test]
fn long_waits_are_told_in_years() {
    let estimate = |low, high| WaitEstimate {
        position: Some(1),
        years: [2024, 2025, 2026],
        lettings: [1, 1, 1],
        outcome: Ok(MonthRange { low, high }),
    };
    let m = estimate(30, 50).message();
    assert_eq!(m.key, "stock.estimate.years");
    assert_eq!(estimate(8, 14).message().key, "stock.estimate.months");
    assert_eq!(estimate(5, 5).message().key, "stock.estimate.months_one");
}

proptest! {
    /// A higher position never gives a shorter estimate.
    #[test]
    fn a_later_place_never_waits_less(p in 1u32..5_000, extra in 0u32..5_000, lettings in prop::array::uniform3(0u32..200)) {
        let (Some(a), Some(b)) = (estimate_months(p, lettings), estimate_months(p + extra, lettings)) else {
            prop_assert_eq!(lettings.iter().sum::<u32>(), 0);
            return Ok(());
        };
        prop_assert!(a.low <= b.low && a.high <= b.high);
        prop_assert!(a.low <= a.high && b.low <= b.high);
    }

    /// More lettings in any year never give a longer estimate, and never take one away.
    #[test]
    fn more_lettings_never_wait_longer(p in 1u32..5_000, lettings in prop::array::uniform3(0u32..200), year in 0usize..3, more in 1u32..50) {
        let mut busier = lettings;
        busier[year] += more;
        let after = estimate_months(p, busier).expect("at least one letting");
        if let Some(before) = estimate_months(p, lettings) {
            prop_assert!(after.low <= before.low && after.high <= before.high, "{before:?} → {after:?}");
        }
    }
}
