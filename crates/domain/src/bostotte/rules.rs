//! The bostøtte rule tables (`rules/bostotte.toml`) as types.

use schemars::JsonSchema;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::rules::{Percent, Source, Table};

const EMBEDDED: &str = include_str!("../../../../rules/bostotte.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BostotteRules {
    /// Version of the rule file; part of every result's `rule_version`.
    pub version: String,
    pub sources: Vec<Source>,
    pub coverage: Table<Coverage>,
    pub caps: Table<Caps>,
    pub own_share: Table<OwnShare>,
    pub step_rate: Table<StepRate>,
    pub weights: Table<Weights>,
    pub minimum_payout: Table<MinimumPayout>,
    pub assets: Table<Assets>,
    pub fixed_sums: Table<FixedSums>,
    pub income: Table<IncomeRules>,
    pub municipality_groups: Table<MunicipalityGroups>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct Coverage {
    pub rate: Percent,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct Caps {
    /// Base cap for 1, 2, 3, 4 and 5 or more persons, kr per year.
    pub persons: [i64; 5],
    pub oslo: i64,
    pub group2: i64,
    pub group3: i64,
    pub adapted_dwelling: i64,
}

#[derive(Debug, Clone, Copy, Deserialize, serde::Serialize, PartialEq, Eq, JsonSchema)]
#[serde(rename_all = "lowercase")]
#[schemars(rename = "OwnShareRegime")]
pub enum Regime {
    /// Through June 2024: a progressive term that grows in steps with the weighted income.
    Stepwise,
    /// From July 2024: a second linear rate above the upper threshold.
    Linear,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct OwnShare {
    pub regime: Regime,
    pub minimum: i64,
    pub t1: i64,
    pub linear_rate: Percent,
    pub t2: i64,
    /// Step width of the stepwise regime, kr.
    #[serde(default)]
    pub step: Option<i64>,
    /// Rate above `t2` in the linear regime.
    #[serde(default)]
    pub second_rate: Option<Percent>,
    #[serde(default)]
    pub pensioner_t1: Option<i64>,
    #[serde(default)]
    pub pensioner_t2: Option<i64>,
    #[serde(default)]
    pub young_disabled_t2: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct StepRate {
    pub rate: Percent,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct Weights {
    pub first: Percent,
    pub adult: Percent,
    pub child: Percent,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct MinimumPayout {
    pub monthly: i64,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct Assets {
    pub rate: Percent,
    pub renter_allowance: i64,
    pub owner_allowance_cap: i64,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct FixedSums {
    pub operating: i64,
    pub heating: i64,
    /// Whether every household gets the heating sum (from September 2024) or only pensioners.
    pub heating_for_all: bool,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct IncomeRules {
    pub min_age: i32,
    pub excluded_kinds: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize, PartialEq)]
pub struct MunicipalityGroups {
    pub oslo: Vec<String>,
    pub group2: Vec<String>,
    pub group3: Vec<String>,
}

impl MunicipalityGroups {
    /// Group 1 (Oslo) to 4 (all others) for a four-digit municipality number.
    pub fn group_of(&self, number: &str) -> u8 {
        let listed = |list: &[String]| list.iter().any(|n| n == number);
        if listed(&self.oslo) {
            1
        } else if listed(&self.group2) {
            2
        } else if listed(&self.group3) {
            3
        } else {
            4
        }
    }
}

impl BostotteRules {
    /// The rules compiled into this build. The file is checked by a unit test, so a broken file
    /// never reaches a binary.
    pub fn embedded() -> &'static BostotteRules {
        static RULES: OnceLock<BostotteRules> = OnceLock::new();
        RULES.get_or_init(|| Self::from_toml_str(EMBEDDED).expect("the embedded rules/bostotte.toml is valid"))
    }

    /// Parses and checks a rule file: every period cites a known source, periods do not overlap,
    /// and every stepwise period has a step and every linear period a second rate.
    pub fn from_toml_str(text: &str) -> Result<BostotteRules, String> {
        let rules: BostotteRules = toml::from_str(text).map_err(|e| e.to_string())?;
        let sources = &rules.sources;
        rules.coverage.check("coverage", sources)?;
        rules.caps.check("caps", sources)?;
        rules.own_share.check("own_share", sources)?;
        rules.step_rate.check("step_rate", sources)?;
        rules.weights.check("weights", sources)?;
        rules.minimum_payout.check("minimum_payout", sources)?;
        rules.assets.check("assets", sources)?;
        rules.fixed_sums.check("fixed_sums", sources)?;
        rules.income.check("income", sources)?;
        rules.municipality_groups.check("municipality_groups", sources)?;
        for period in rules.own_share.periods() {
            let values = &period.values;
            let complete = match values.regime {
                Regime::Stepwise => values.step.is_some_and(|s| s > 0),
                Regime::Linear => values.second_rate.is_some(),
            };
            if !complete {
                return Err(format!(
                    "own_share from {}: a stepwise period needs `step`, a linear one `second_rate`",
                    period.meta.from
                ));
            }
        }
        Ok(rules)
    }

    /// The first month every table has rules for.
    pub fn first_month(&self) -> crate::rules::YearMonth {
        [
            self.coverage.periods().first().map(|p| p.meta.from),
            self.caps.periods().first().map(|p| p.meta.from),
            self.own_share.periods().first().map(|p| p.meta.from),
            self.weights.periods().first().map(|p| p.meta.from),
        ]
        .into_iter()
        .flatten()
        .max()
        .expect("the rule file has periods")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_rule_file_loads_and_is_consistent() {
        let rules = BostotteRules::from_toml_str(EMBEDDED).unwrap();
        assert_eq!(rules.first_month().to_string(), "2021-06");
        let groups = rules
            .municipality_groups
            .in_force("municipality_groups", "2024-01".parse().unwrap())
            .unwrap();
        assert_eq!(groups.values.group_of("0301"), 1);
        assert_eq!(groups.values.group_of("4601"), 2);
        assert_eq!(groups.values.group_of("3301"), 4, "Drammen is in group 4");
    }

    #[test]
    fn a_broken_rule_file_is_refused_with_the_place() {
        let broken = EMBEDDED.replacen("to = \"2022-05\"", "to = \"2022-07\"", 1);
        let err = BostotteRules::from_toml_str(&broken).unwrap_err();
        assert!(err.contains("overlaps"), "{err}");
    }
}
