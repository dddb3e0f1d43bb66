use proptest::prelude::*;
use time::Date;
use time::macros::date;

use super::*;
use crate::allocation::fixtures::{TODAY, arb_list, single, with_children, with_partner};

fn policy() -> &'static PriorityPolicy {
    PriorityPolicy::embedded()
}

fn letting(on: Date, bedrooms: i64, wheelchair: bool) -> Letting {
    Letting {
        on,
        bedrooms,
        wheelchair_accessible: wheelchair,
        dwelling_type: DwellingType::OrdinaryRental,
    }
}

fn count(bedrooms: i64, wheelchair: bool, status: DwellingStatus, count: u32) -> DwellingCount {
    DwellingCount {
        bedrooms,
        wheelchair_accessible: wheelchair,
        status,
        count,
    }
}

#[test]
fn the_years_are_the_last_three_full_calendar_years() {
    assert_eq!(full_years(date!(2027 - 03 - 15)), [2024, 2025, 2026]);
    assert_eq!(full_years(date!(2026 - 12 - 31)), [2023, 2024, 2025]);
    assert_eq!(lettings_from(date!(2027 - 03 - 15)), date!(2024 - 01 - 01));
}

#[test]
fn bedroom_counts_fall_in_their_rows() {
    for (bedrooms, group) in [
        (0, Group::Bedrooms(1)),
        (1, Group::Bedrooms(1)),
        (2, Group::Bedrooms(2)),
        (4, Group::Bedrooms(4)),
        (5, Group::FivePlus),
        (9, Group::FivePlus),
    ] {
        assert_eq!(Group::of_bedrooms(bedrooms), group, "{bedrooms}");
    }
    assert_eq!(Group::FivePlus.key(), "stock.group.bedrooms_5_plus");
    assert_eq!(Group::Bedrooms(2).key(), "stock.group.bedrooms_2");
}

#[test]
fn years_to_serve_are_the_list_over_the_average_turnover() {
    // 10 waiting, 6 lettings in three years = 2 a year → 5 years.
    assert_eq!(years_to_serve_tenths(10, 6), Some(50));
    // 1 waiting, 9 lettings = 3 a year → 0.33 years, rounded up to 0.4.
    assert_eq!(years_to_serve_tenths(1, 9), Some(4));
    assert_eq!(years_to_serve_tenths(0, 9), Some(0));
    assert_eq!(years_to_serve_tenths(10, 0), None, "no turnover, no figure");
}

#[test]
fn the_table_counts_demand_stock_and_lettings_per_row() {
    let households = vec![
        single("a"),                                       // need 1
        single("b"),                                       // need 1
        with_children(with_partner(single("c")), &[4, 6]), // need 2
        {
            let mut h = with_children(single("d"), &[2, 5, 9, 12, 15, 16, 17, 10]); // 1 + 4 = 5
            h.wheelchair_need = true;
            h
        },
    ];
    let dwellings = [
        count(0, false, DwellingStatus::Vacant, 2),
        count(1, true, DwellingStatus::Let, 5),
        count(2, false, DwellingStatus::Let, 4),
        count(2, false, DwellingStatus::Decommissioned, 3),
        count(6, true, DwellingStatus::Vacant, 1),
    ];
    let lettings = [
        letting(date!(2023 - 12 - 31), 1, false), // before the three years
        letting(date!(2024 - 01 - 01), 1, false),
        letting(date!(2025 - 06 - 01), 1, true),
        letting(date!(2026 - 06 - 01), 2, false),
        letting(date!(2026 - 07 - 01), 5, true),
        letting(date!(2027 - 01 - 10), 2, false), // this year: not a full year
    ];
    let table = stock_and_demand(policy(), &households, &dwellings, &lettings, TODAY);
    assert_eq!(table.years, [2024, 2025, 2026]);
    let one = table.row(Group::Bedrooms(1)).unwrap();
    assert_eq!(
        (one.waiting, one.dwellings, one.vacant, one.wheelchair_accessible),
        (2, 7, 2, 5)
    );
    assert_eq!(one.lettings, [1, 1, 0]);
    assert_eq!(one.years_to_serve_tenths, Some(30));
    let two = table.row(Group::Bedrooms(2)).unwrap();
    assert_eq!(
        (two.waiting, two.dwellings, two.vacant),
        (1, 4, 0),
        "decommissioned left out"
    );
    assert_eq!(two.lettings, [0, 0, 1]);
    let three = table.row(Group::Bedrooms(3)).unwrap();
    assert_eq!((three.waiting, three.dwellings, three.lettings_total()), (0, 0, 0));
    assert_eq!(three.years_to_serve_tenths, None);
    let five = table.row(Group::FivePlus).unwrap();
    assert_eq!((five.waiting, five.dwellings, five.vacant), (1, 1, 1));
    let all = table.row(Group::AllBedrooms).unwrap();
    assert_eq!((all.waiting, all.dwellings, all.lettings_total()), (4, 12, 4));
    let wheelchair = table.row(Group::Wheelchair).unwrap();
    assert_eq!(
        (
            wheelchair.waiting,
            wheelchair.dwellings,
            wheelchair.vacant,
            wheelchair.lettings
        ),
        (1, 6, 1, [0, 1, 1])
    );
    assert_eq!(wheelchair.lettings_per_year_tenths(), 7);
}

proptest! {
    /// The bedroom rows split the whole: their sums are the "all" row, for households,
    /// dwellings and lettings alike.
    #[test]
    fn the_bedroom_rows_add_up_to_the_whole(
        households in arb_list(),
        dwellings in prop::collection::vec((0i64..8, any::<bool>(), 0usize..5, 0u32..20), 0..12),
        lettings in prop::collection::vec((0i64..8, any::<bool>(), 0i64..1_500), 0..40),
    ) {
        let dwellings: Vec<DwellingCount> = dwellings
            .into_iter()
            .map(|(b, w, s, n)| count(b, w, DwellingStatus::ALL[s], n))
            .collect();
        let lettings: Vec<Letting> = lettings
            .into_iter()
            .map(|(b, w, ago)| letting(TODAY - time::Duration::days(ago), b, w))
            .collect();
        let table = stock_and_demand(policy(), &households, &dwellings, &lettings, TODAY);
        let all = table.row(Group::AllBedrooms).unwrap().clone();
        let parts: Vec<&StockRow> = table
            .rows
            .iter()
            .filter(|r| !matches!(r.group, Group::AllBedrooms | Group::Wheelchair))
            .collect();
        prop_assert_eq!(parts.iter().map(|r| r.waiting).sum::<u32>(), all.waiting);
        prop_assert_eq!(all.waiting as usize, households.len());
        prop_assert_eq!(parts.iter().map(|r| r.dwellings).sum::<u32>(), all.dwellings);
        prop_assert_eq!(parts.iter().map(|r| r.vacant).sum::<u32>(), all.vacant);
        prop_assert_eq!(parts.iter().map(|r| r.lettings_total()).sum::<u32>(), all.lettings_total());
        for row in &table.rows {
            prop_assert!(row.vacant <= row.dwellings && row.wheelchair_accessible <= row.dwellings);
            prop_assert_eq!(row.years_to_serve_tenths.is_none(), row.lettings_total() == 0);
        }
    }
}
