//! Stock versus demand, and the waiting-time estimate carried by each waiting-list entry.

use husly_domain::allocation::stock::StockAndDemand;
use husly_domain::allocation::wait_estimate::WaitEstimate;
use husly_domain::message::Message;
use schemars::JsonSchema;
use serde::Serialize;

/// One row: a bedroom count, all of them together, or wheelchair need.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StockRow {
    /// bedrooms_1 (a studio counts here), bedrooms_2, bedrooms_3, bedrooms_4, bedrooms_5_plus,
    /// all, or wheelchair.
    pub group: String,
    /// The row's name in the caller's language.
    pub label: String,
    /// Households on the waiting list whose bedroom need under the policy is this count (in the
    /// wheelchair row: those that need a wheelchair-accessible home).
    pub waiting_households: u32,
    /// Dwellings in the register with this count, decommissioned ones left out.
    pub dwellings: u32,
    pub vacant_now: u32,
    pub wheelchair_accessible: u32,
    /// Tenancies begun in each year of `years`, in the same order.
    pub lettings: Vec<u32>,
    /// The average lettings per year over `years`, to one decimal.
    pub lettings_per_year: f64,
    /// Years to house everyone waiting now at the average turnover, to one decimal (rounded up);
    /// null when nothing was let in the years.
    pub years_to_serve: Option<f64>,
}

/// The waiting list against the stock and the lettings of the last three full years. Counts only.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StockAndDemandAnswer {
    /// The full calendar years the lettings are counted over, oldest first.
    pub years: Vec<i32>,
    pub rows: Vec<StockRow>,
}

impl StockAndDemandAnswer {
    pub fn of(table: &StockAndDemand, word: impl Fn(&str) -> String) -> StockAndDemandAnswer {
        StockAndDemandAnswer {
            years: table.years.to_vec(),
            rows: table
                .rows
                .iter()
                .map(|r| StockRow {
                    group: r.group.code(),
                    label: word(&r.group.key()),
                    waiting_households: r.waiting,
                    dwellings: r.dwellings,
                    vacant_now: r.vacant,
                    wheelchair_accessible: r.wheelchair_accessible,
                    lettings: r.lettings.to_vec(),
                    lettings_per_year: f64::from(r.lettings_per_year_tenths()) / 10.0,
                    years_to_serve: r.years_to_serve_tenths.map(|t| f64::from(t) / 10.0),
                })
                .collect(),
        }
    }
}

/// How long a household may still wait: an estimate, never a promise.
#[derive(Debug, Serialize, JsonSchema)]
pub struct WaitEstimateAnswer {
    /// The short and long end in months; both null when no estimate can be given.
    pub low_months: Option<u32>,
    pub high_months: Option<u32>,
    /// Why there is none: no_compatible_lettings or no_dwelling_type; null with an estimate.
    pub no_estimate: Option<String>,
    /// The place counted from: 1 + the households ahead that compete for the same dwellings.
    pub position: Option<u32>,
    /// The full years counted and the lettings that would have fitted the household in each.
    pub years: Vec<i32>,
    pub compatible_lettings: Vec<u32>,
    /// The estimate (or why there is none) in words, in the caller's language.
    pub text: String,
}

impl WaitEstimateAnswer {
    pub fn of(e: &WaitEstimate, word: impl Fn(&Message) -> String) -> WaitEstimateAnswer {
        WaitEstimateAnswer {
            low_months: e.outcome.ok().map(|r| r.low),
            high_months: e.outcome.ok().map(|r| r.high),
            no_estimate: e.outcome.err().map(|r| r.code().to_string()),
            position: e.position,
            years: e.years.to_vec(),
            compatible_lettings: e.lettings.to_vec(),
            text: word(&e.message()),
        }
    }
}
