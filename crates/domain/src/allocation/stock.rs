//! Stock versus demand: the households on the waiting list by the bedrooms they need and by
//! wheelchair need, against the dwellings the municipality has and the lettings of the last three
//! full calendar years, so the mismatch is visible at a glance.
//!
//! A row is a bedroom count (1, 2, 3, 4, 5 or more; a studio counts with the 1-bedroom row) or
//! the wheelchair row. For each row:
//!
//! - **waiting**: households whose bedroom *need* under the policy's rule
//!   ([`super::needs::bedroom_range`]'s `need`) is that count; in the wheelchair row, those with
//!   a wheelchair need (whatever their bedroom count);
//! - **dwellings**: the register's dwellings with that count that are not decommissioned, how
//!   many of them are vacant now, and how many are wheelchair accessible;
//! - **lettings** per year: tenancies that began in each of the last three full years in a
//!   dwelling with that count (the record of vacancies filled);
//! - **years to serve**: `waiting ÷ (lettings over the three years ÷ 3)` — how long today's list
//!   would take at the last years' average turnover, if nobody new joined. None when there was
//!   no letting at all in the three years. Today's vacancies are shown beside it, not subtracted.
//!
//! Aggregates only: no household or dwelling is named. Pure: the store counts, this decides.

#[cfg(test)]
mod tests;

use time::Date;

use super::dwelling::{DwellingStatus, DwellingType};
use super::needs::bedroom_range;
use super::policy::PriorityPolicy;
use super::priority::WaitingHousehold;

/// How many full years of lettings the figures look back.
pub const YEARS: usize = 3;

/// A tenancy that began: a vacancy filled, with the facts of the dwelling let.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Letting {
    pub on: Date,
    pub bedrooms: i64,
    pub wheelchair_accessible: bool,
    pub dwelling_type: DwellingType,
}

/// How many of the register's dwellings (not removed) share these facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DwellingCount {
    pub bedrooms: i64,
    pub wheelchair_accessible: bool,
    pub status: DwellingStatus,
    pub count: u32,
}

/// The last [`YEARS`] full calendar years before `today`, oldest first.
pub fn full_years(today: Date) -> [i32; YEARS] {
    let last = today.year() - 1;
    [last - 2, last - 1, last]
}

/// The first day of the oldest year [`full_years`] counts: what the store reads lettings from.
pub fn lettings_from(today: Date) -> Date {
    Date::from_calendar_date(full_years(today)[0], time::Month::January, 1).unwrap_or(Date::MIN)
}

/// A row of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// 1 to 4 bedrooms (a studio counts as 1).
    Bedrooms(u8),
    /// Five bedrooms or more.
    FivePlus,
    /// Every bedroom count together.
    AllBedrooms,
    /// Wheelchair need, and wheelchair-accessible dwellings.
    Wheelchair,
}

impl Group {
    pub const ROWS: [Group; 7] = [
        Group::Bedrooms(1),
        Group::Bedrooms(2),
        Group::Bedrooms(3),
        Group::Bedrooms(4),
        Group::FivePlus,
        Group::AllBedrooms,
        Group::Wheelchair,
    ];

    /// The bedroom row a count belongs to.
    pub fn of_bedrooms(bedrooms: i64) -> Group {
        match bedrooms {
            ..=1 => Group::Bedrooms(1),
            5.. => Group::FivePlus,
            n => Group::Bedrooms(n as u8),
        }
    }

    pub fn code(self) -> String {
        match self {
            Group::Bedrooms(n) => format!("bedrooms_{n}"),
            Group::FivePlus => "bedrooms_5_plus".into(),
            Group::AllBedrooms => "all".into(),
            Group::Wheelchair => "wheelchair".into(),
        }
    }

    /// The catalogue key of the row's label.
    pub fn key(self) -> String {
        format!("stock.group.{}", self.code())
    }

    fn holds_bedrooms(self, bedrooms: i64) -> bool {
        match self {
            Group::AllBedrooms => true,
            Group::Wheelchair => false,
            g => Group::of_bedrooms(bedrooms) == g,
        }
    }
}

/// One row: demand, stock and turnover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockRow {
    pub group: Group,
    pub waiting: u32,
    pub dwellings: u32,
    pub vacant: u32,
    pub wheelchair_accessible: u32,
    /// Lettings per year, oldest year first (the years of [`StockAndDemand::years`]).
    pub lettings: [u32; YEARS],
    /// Years to serve today's list at the average turnover, in tenths of a year (rounded up);
    /// None when nothing was let in the three years.
    pub years_to_serve_tenths: Option<u32>,
}

impl StockRow {
    pub fn lettings_total(&self) -> u32 {
        self.lettings.iter().sum()
    }

    /// The average lettings per year in tenths (rounded to nearest).
    pub fn lettings_per_year_tenths(&self) -> u32 {
        (self.lettings_total() * 10 + YEARS as u32 / 2) / YEARS as u32
    }
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StockAndDemand {
    pub years: [i32; YEARS],
    pub rows: Vec<StockRow>,
}

impl StockAndDemand {
    pub fn row(&self, group: Group) -> Option<&StockRow> {
        self.rows.iter().find(|r| r.group == group)
    }
}

/// `waiting ÷ (total ÷ YEARS)` in tenths of a year, rounded up; None without turnover.
pub fn years_to_serve_tenths(waiting: u32, lettings_total: u32) -> Option<u32> {
    (lettings_total > 0).then(|| {
        let numerator = u64::from(waiting) * YEARS as u64 * 10;
        numerator.div_ceil(u64::from(lettings_total)) as u32
    })
}

/// The comparison on `today` under the policy's bedroom rule.
pub fn stock_and_demand(
    policy: &PriorityPolicy,
    households: &[WaitingHousehold],
    dwellings: &[DwellingCount],
    lettings: &[Letting],
    today: Date,
) -> StockAndDemand {
    let years = full_years(today);
    let needs: Vec<(i64, bool)> = households
        .iter()
        .map(|h| {
            let need = bedroom_range(policy, &h.situation(today)).need;
            (i64::from(need), h.wheelchair_need)
        })
        .collect();
    let rows = Group::ROWS
        .iter()
        .map(|&group| {
            let wheelchair_row = group == Group::Wheelchair;
            let waiting = needs
                .iter()
                .filter(|(need, wheelchair)| {
                    if wheelchair_row {
                        *wheelchair
                    } else {
                        group.holds_bedrooms(*need)
                    }
                })
                .count() as u32;
            let mut row = StockRow {
                group,
                waiting,
                dwellings: 0,
                vacant: 0,
                wheelchair_accessible: 0,
                lettings: [0; YEARS],
                years_to_serve_tenths: None,
            };
            for d in dwellings {
                let in_row = if wheelchair_row {
                    d.wheelchair_accessible
                } else {
                    group.holds_bedrooms(d.bedrooms)
                };
                if !in_row || d.status == DwellingStatus::Decommissioned {
                    continue;
                }
                row.dwellings += d.count;
                if d.status == DwellingStatus::Vacant {
                    row.vacant += d.count;
                }
                if d.wheelchair_accessible {
                    row.wheelchair_accessible += d.count;
                }
            }
            for l in lettings {
                let in_row = if wheelchair_row {
                    l.wheelchair_accessible
                } else {
                    group.holds_bedrooms(l.bedrooms)
                };
                if let Some(i) = years.iter().position(|y| *y == l.on.year())
                    && in_row
                {
                    row.lettings[i] += 1;
                }
            }
            row.years_to_serve_tenths = years_to_serve_tenths(row.waiting, row.lettings_total());
            row
        })
        .collect();
    StockAndDemand { years, rows }
}
