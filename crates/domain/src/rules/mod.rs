//! Rule tables as versioned, cited data.
//!
//! Husbanken's amounts change every June, sometimes mid-year, and some of what we know about them
//! is derived or second-hand. Every table is therefore a list of periods (`from`..=`to`, months),
//! each citing a source and saying which of its values are verified against a primary source.
//! A calculation records every value it used; the unverified ones travel with its result.
//!
//! The tables live as TOML in the repository's `rules/` folder and are compiled in; a new year's
//! values are a new period in a file, not a code change.

mod month;
pub mod municipal;
mod percent;

pub use month::{MonthParseError, YearMonth};
pub use percent::Percent;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

/// Where a value comes from.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub id: String,
    /// Where the values were read, with the maintainers' notes on how.
    pub title: String,
    #[serde(default)]
    pub url: Option<String>,
    /// The name a decision letter cites, as the rule-giver names it (no notes on where it was
    /// read); the title when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cited_as: Option<String>,
}

impl Source {
    /// How a letter names this source as the legal basis.
    pub fn citation(&self) -> &str {
        self.cited_as.as_deref().unwrap_or(&self.title)
    }
}

/// What every period of every table says about itself.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
pub struct PeriodMeta {
    pub from: YearMonth,
    /// Last month the period applies to; open-ended when absent.
    #[serde(default)]
    pub to: Option<YearMonth>,
    /// Id of an entry in the file's `[[sources]]`.
    pub source: String,
    /// Whether the period's values were checked against a primary source.
    #[serde(default = "default_true")]
    pub verified: bool,
    /// Fields that are not verified although the period as a whole is.
    #[serde(default)]
    pub unverified: Vec<String>,
    /// Why a value is uncertain or how it was derived.
    #[serde(default)]
    pub note: Option<String>,
}

fn default_true() -> bool {
    true
}

/// One period of a table: its metadata and its values.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Period<T> {
    #[serde(flatten)]
    pub meta: PeriodMeta,
    #[serde(flatten)]
    pub values: T,
}

impl<T> Period<T> {
    pub fn covers(&self, month: YearMonth) -> bool {
        self.meta.from <= month && self.meta.to.is_none_or(|to| month <= to)
    }

    pub fn is_verified(&self, field: &str) -> bool {
        self.meta.verified && !self.meta.unverified.iter().any(|f| f == field)
    }
}

/// The periods of one table, ordered and without overlaps (checked by [`Table::check`]).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(transparent)]
pub struct Table<T>(pub Vec<Period<T>>);

impl<T> Table<T> {
    pub fn in_force(&self, name: &'static str, month: YearMonth) -> Result<&Period<T>, RuleError> {
        self.0
            .iter()
            .find(|p| p.covers(month))
            .ok_or(RuleError::NoRuleInForce { table: name, month })
    }

    pub fn periods(&self) -> &[Period<T>] {
        &self.0
    }

    /// Checks order, overlaps and citations. Called when a rule file is loaded.
    pub fn check(&self, name: &str, sources: &[Source]) -> Result<(), String> {
        for (i, period) in self.0.iter().enumerate() {
            let at = format!("{name}[{i}] (from {})", period.meta.from);
            if let Some(to) = period.meta.to
                && to < period.meta.from
            {
                return Err(format!("{at}: `to` {to} is before `from`"));
            }
            if !sources.iter().any(|s| s.id == period.meta.source) {
                return Err(format!("{at}: unknown source `{}`", period.meta.source));
            }
            if let Some(next) = self.0.get(i + 1) {
                match period.meta.to {
                    None => return Err(format!("{at}: open-ended period is followed by another")),
                    Some(to) if to >= next.meta.from => {
                        return Err(format!("{at}: overlaps the period from {}", next.meta.from));
                    }
                    _ => {}
                }
            }
        }
        Ok(())
    }
}

/// A rule value that was used in a calculation, for the explanation and the `unverified` list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "RuleValue")]
pub struct UsedValue {
    pub table: String,
    pub field: String,
    pub period_from: YearMonth,
    pub source: String,
    pub verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl fmt::Display for UsedValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}.{} (from {}, source {})",
            self.table, self.field, self.period_from, self.source
        )?;
        if let Some(note) = &self.note {
            write!(f, ": {note}")?;
        }
        Ok(())
    }
}

/// Collects the rule values a calculation used.
#[derive(Debug, Default, Clone)]
pub struct Trace {
    used: BTreeSet<UsedValue>,
}

impl Trace {
    pub fn record<T>(&mut self, table: &str, period: &Period<T>, field: &str) {
        self.used.insert(UsedValue {
            table: table.to_string(),
            field: field.to_string(),
            period_from: period.meta.from,
            source: period.meta.source.clone(),
            verified: period.is_verified(field),
            note: period.meta.note.clone(),
        });
    }

    /// Records a value the calculation looked for but the period does not have.
    pub fn record_missing<T>(&mut self, table: &str, period: &Period<T>, field: &str, why: &str) {
        self.used.insert(UsedValue {
            table: table.to_string(),
            field: field.to_string(),
            period_from: period.meta.from,
            source: period.meta.source.clone(),
            verified: false,
            note: Some(why.to_string()),
        });
    }

    pub fn used(&self) -> impl Iterator<Item = &UsedValue> {
        self.used.iter()
    }

    pub fn unverified(&self) -> Vec<UsedValue> {
        self.used.iter().filter(|u| !u.verified).cloned().collect()
    }

    pub fn into_used(self) -> Vec<UsedValue> {
        self.used.into_iter().collect()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("no `{table}` rules are in force for {month}")]
    NoRuleInForce { table: &'static str, month: YearMonth },
}

/// Integer division rounding halves away from zero: the one rounding used by the calculators.
///
/// Husbanken rounds the weighted income and the monthly payout to whole kroner; all other
/// intermediate amounts are kept exact as integers of a finer unit until that point.
pub fn div_round(numerator: i128, denominator: i128) -> i128 {
    assert!(denominator > 0, "denominator must be positive");
    let half = denominator / 2;
    if numerator >= 0 {
        (numerator + half) / denominator
    } else {
        -((-numerator + half) / denominator)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
    struct Amount {
        amount: i64,
    }

    #[derive(Deserialize)]
    struct File {
        sources: Vec<Source>,
        amounts: Table<Amount>,
    }

    fn load(text: &str) -> File {
        toml::from_str(text).unwrap()
    }

    const SOURCES: &str = "[[sources]]\nid = \"s\"\ntitle = \"A source\"\n";

    #[test]
    fn finds_the_period_in_force() {
        let file = load(&format!(
            "{SOURCES}[[amounts]]\nfrom = \"2022-06\"\nto = \"2023-05\"\nsource = \"s\"\namount = 1\n\
             [[amounts]]\nfrom = \"2023-06\"\nsource = \"s\"\nverified = false\namount = 2\n"
        ));
        file.amounts.check("amounts", &file.sources).unwrap();
        let month = |m: &str| m.parse::<YearMonth>().unwrap();
        assert_eq!(
            file.amounts
                .in_force("amounts", month("2022-06"))
                .unwrap()
                .values
                .amount,
            1
        );
        assert_eq!(
            file.amounts
                .in_force("amounts", month("2023-05"))
                .unwrap()
                .values
                .amount,
            1
        );
        let later = file.amounts.in_force("amounts", month("2030-01")).unwrap();
        assert_eq!(later.values.amount, 2);
        assert!(!later.is_verified("amount"));
        assert!(file.amounts.in_force("amounts", month("2022-05")).is_err());
    }

    #[test]
    fn refuses_overlaps_gaps_in_order_and_unknown_sources() {
        let overlapping = load(&format!(
            "{SOURCES}[[amounts]]\nfrom = \"2022-06\"\nto = \"2023-06\"\nsource = \"s\"\namount = 1\n\
             [[amounts]]\nfrom = \"2023-06\"\nsource = \"s\"\namount = 2\n"
        ));
        assert!(
            overlapping
                .amounts
                .check("amounts", &overlapping.sources)
                .unwrap_err()
                .contains("overlaps")
        );
        let unknown = load(&format!(
            "{SOURCES}[[amounts]]\nfrom = \"2022-06\"\nsource = \"x\"\namount = 1\n"
        ));
        assert!(
            unknown
                .amounts
                .check("amounts", &unknown.sources)
                .unwrap_err()
                .contains("unknown source")
        );
    }

    #[test]
    fn rounds_halves_away_from_zero() {
        assert_eq!(div_round(5, 10), 1);
        assert_eq!(div_round(4, 10), 0);
        assert_eq!(div_round(-5, 10), -1);
        assert_eq!(div_round(-4, 10), 0);
        assert_eq!(div_round(15, 10), 2);
    }
}
