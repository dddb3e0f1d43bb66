//! Equity monitoring: the year's applications at each stage, by household type and by main
//! reason, with small numbers suppressed.

use super::DateSchema;
use husly_domain::equity::{Equity as Computed, Shown, Stage};
use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

/// How a cell is published.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Publication {
    /// The count is given.
    Count,
    /// 1–4, shown as "<5".
    FewerThanFive,
    /// Hidden so that a small count cannot be worked out from a total.
    Hidden,
    /// Twelve months have not passed for every household in the group.
    NotYetKnown,
}

/// A stage of a group.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EquityCell {
    pub stage: Stage,
    pub shown: Publication,
    /// The count, when `shown` is `count`; null otherwise.
    pub count: Option<i64>,
    /// The share of the stage before in hundredths of a percent (60 % is 6000); null for the
    /// first stage, a hidden count, or fewer applications than `min_denominator` before it.
    pub rate: Option<i64>,
}

/// A group's row.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EquityGroup {
    /// `household_type.<type>`, `kostra_category.<category>`, `not_classified` or `total`.
    pub group: String,
    pub stages: Vec<EquityCell>,
}

/// One table: groups of one kind and the total.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EquityTable {
    /// `household_type` or `kostra_category`.
    pub by: String,
    pub groups: Vec<EquityGroup>,
}

/// The applications for municipal housing received in `year`, as known on `as_of`, at each
/// stage: applied, granted, waiting list, offered (a dwelling offered and not withdrawn, or
/// moved in), housed, still housed after 12 months.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Equity {
    pub year: i32,
    #[schemars(with = "DateSchema")]
    pub as_of: Date,
    /// A rate is given only over at least this many applications.
    pub min_denominator: i64,
    pub tables: Vec<EquityTable>,
}

impl Equity {
    pub fn of(e: &Computed) -> Equity {
        Equity {
            year: e.year,
            as_of: e.as_of,
            min_denominator: husly_domain::equity::MIN_DENOMINATOR,
            tables: e
                .tables
                .iter()
                .map(|t| EquityTable {
                    by: t.by.to_string(),
                    groups: t
                        .rows
                        .iter()
                        .map(|r| EquityGroup {
                            group: r.group.clone(),
                            stages: Stage::ALL
                                .iter()
                                .zip(r.cells.iter().zip(&r.rates))
                                .map(|(stage, (cell, rate))| {
                                    let (shown, count) = match cell {
                                        Shown::Count(n) => (Publication::Count, Some(*n)),
                                        Shown::Small => (Publication::FewerThanFive, None),
                                        Shown::Hidden => (Publication::Hidden, None),
                                        Shown::NotYetKnown => (Publication::NotYetKnown, None),
                                    };
                                    EquityCell {
                                        stage: *stage,
                                        shown,
                                        count,
                                        rate: rate.map(|f| f.0),
                                    }
                                })
                                .collect(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
