//! Rule files whose values each municipality may set for itself (rent-arrears thresholds,
//! follow-up risk settings): a `default` entry for every municipality and periods per
//! municipality, each period citing its source.

use serde::Deserialize;

use super::{Period, RuleError, Source, Table, YearMonth};

/// One municipality's periods (`number` is the kommunenummer, or `default`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalTable<T> {
    pub number: String,
    pub name: String,
    pub periods: Table<T>,
}

/// The rule file: its version, its sources and the municipalities' tables.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalRules<T> {
    pub version: String,
    pub sources: Vec<Source>,
    pub municipalities: Vec<MunicipalTable<T>>,
}

impl<T: for<'de> Deserialize<'de>> MunicipalRules<T> {
    /// Reads the file and checks its structure (a `default`, periods in order and cited);
    /// `check` checks each period's values.
    pub fn from_toml_str(
        text: &str,
        check: impl Fn(&Period<T>) -> Result<(), String>,
    ) -> Result<MunicipalRules<T>, String> {
        let rules: MunicipalRules<T> = toml::from_str(text).map_err(|e| e.to_string())?;
        if !rules.municipalities.iter().any(|m| m.number == "default") {
            return Err("the rule file needs a `default` municipality".into());
        }
        for m in &rules.municipalities {
            m.periods
                .check(&format!("municipalities[{}].periods", m.number), &rules.sources)?;
            for period in m.periods.periods() {
                check(period).map_err(|e| format!("municipalities[{}] from {}: {e}", m.number, period.meta.from))?;
            }
        }
        Ok(rules)
    }
}

impl<T> MunicipalRules<T> {
    /// The municipality's own table, or the default one.
    pub fn municipality(&self, number: &str) -> &MunicipalTable<T> {
        self.municipalities
            .iter()
            .find(|m| m.number == number)
            .or_else(|| self.municipalities.iter().find(|m| m.number == "default"))
            .expect("checked when loaded")
    }

    /// The values in force for the municipality in a month.
    pub fn in_force(&self, table: &'static str, number: &str, month: YearMonth) -> Result<&Period<T>, RuleError> {
        self.municipality(number).periods.in_force(table, month)
    }

    /// The source a period cites.
    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}
