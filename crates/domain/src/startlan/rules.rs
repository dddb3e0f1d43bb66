//! The startlån rule tables: Norges Bank's policy rate, the stress-test margin, the repayment
//! terms (`rules/startlan.toml`) and the social-assistance guideline rates used as the
//! living-cost floor (`rules/living_costs.toml`).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::rules::{Percent, Period, RuleError, Source, Table, YearMonth};

/// Table names, as recorded in a calculation's trace.
pub const POLICY_RATE: &str = "policy_rate";
pub const STRESS_TEST: &str = "stress_test";
pub const TERMS: &str = "terms";
pub const SOCIAL_ASSISTANCE: &str = "social_assistance";

const STARTLAN_FILE: &str = "rules/startlan.toml";
const LIVING_COSTS_FILE: &str = "rules/living_costs.toml";

const EMBEDDED_STARTLAN: &str = include_str!("../../../../rules/startlan.toml");
const EMBEDDED_LIVING_COSTS: &str = include_str!("../../../../rules/living_costs.toml");

/// Norges Bank's policy rate (*styringsrenten*) in force in the month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct PolicyRate {
    pub rate: Percent,
}

/// The rentestresstest: the loan is tested at the policy rate plus this margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct StressTest {
    pub margin: Percent,
}

/// Repayment terms of a startlån (forskrift om lån fra Husbanken § 8-5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct Terms {
    /// Longest term without special reasons.
    pub normal_max_years: u32,
    /// Longest term in special cases, which must be recorded.
    pub special_max_years: u32,
    /// Most years without instalments (interest only).
    pub max_instalment_free_years: u32,
}

/// The state guideline rates for økonomisk stønad til livsopphold, whole kroner per month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct SocialAssistanceRates {
    /// An adult living alone (*enslige*).
    pub single_kr: i64,
    /// A married or cohabiting couple together (*ektepar/samboere*).
    pub couple_kr: i64,
    /// Each adult sharing a home with other adults (*person i bofellesskap*).
    pub shared_housing_kr: i64,
    pub child_0_5_kr: i64,
    pub child_6_10_kr: i64,
    pub child_11_17_kr: i64,
}

/// `rules/startlan.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StartlanFile {
    pub sources: Vec<Source>,
    pub policy_rate: Table<PolicyRate>,
    pub stress_test: Table<StressTest>,
    pub terms: Table<Terms>,
}

/// `rules/living_costs.toml`.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LivingCostsFile {
    pub sources: Vec<Source>,
    pub social_assistance: Table<SocialAssistanceRates>,
}

/// Both rule files, loaded and checked.
#[derive(Debug, Clone, PartialEq)]
pub struct StartlanRules {
    pub startlan: StartlanFile,
    pub living_costs: LivingCostsFile,
}

/// The periods in force in one month.
#[derive(Debug, Clone, Copy)]
pub struct MonthRules<'a> {
    pub month: YearMonth,
    pub policy_rate: &'a Period<PolicyRate>,
    pub stress_test: &'a Period<StressTest>,
    pub terms: &'a Period<Terms>,
    pub social_assistance: &'a Period<SocialAssistanceRates>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesLoadError {
    #[error("{file}: not a valid rule file: {message}")]
    Parse { file: &'static str, message: String },
    #[error("{file}: {message}")]
    Invalid { file: &'static str, message: String },
}

impl StartlanRules {
    /// The rules compiled into the program. Parsed and checked once; a broken compiled-in file is a
    /// build defect (the tests load it), so it panics rather than returning an error.
    pub fn embedded() -> &'static StartlanRules {
        static RULES: OnceLock<StartlanRules> = OnceLock::new();
        RULES.get_or_init(|| {
            StartlanRules::from_toml_str(EMBEDDED_STARTLAN, EMBEDDED_LIVING_COSTS)
                .unwrap_or_else(|e| panic!("the compiled-in startlån rules are broken: {e}"))
        })
    }

    /// Rules from files given at run time (for example a newer year's values before a release).
    pub fn from_toml_str(startlan: &str, living_costs: &str) -> Result<StartlanRules, RulesLoadError> {
        let parse_error = |file| {
            move |e: toml::de::Error| RulesLoadError::Parse {
                file,
                message: e.to_string(),
            }
        };
        let startlan: StartlanFile = toml::from_str(startlan).map_err(parse_error(STARTLAN_FILE))?;
        let living_costs: LivingCostsFile = toml::from_str(living_costs).map_err(parse_error(LIVING_COSTS_FILE))?;
        let rules = StartlanRules { startlan, living_costs };
        rules.check()?;
        Ok(rules)
    }

    /// Order, overlaps and citations of every table, and the values' plausibility.
    pub fn check(&self) -> Result<(), RulesLoadError> {
        let invalid = |file| move |message: String| RulesLoadError::Invalid { file, message };
        let s = &self.startlan;
        check_unique_sources(&s.sources).map_err(invalid(STARTLAN_FILE))?;
        s.policy_rate
            .check(POLICY_RATE, &s.sources)
            .map_err(invalid(STARTLAN_FILE))?;
        s.stress_test
            .check(STRESS_TEST, &s.sources)
            .map_err(invalid(STARTLAN_FILE))?;
        s.terms.check(TERMS, &s.sources).map_err(invalid(STARTLAN_FILE))?;
        check_values(&s.policy_rate, POLICY_RATE, |v| percent_plausible(v.rate)).map_err(invalid(STARTLAN_FILE))?;
        check_values(&s.stress_test, STRESS_TEST, |v| percent_plausible(v.margin)).map_err(invalid(STARTLAN_FILE))?;
        check_values(&s.terms, TERMS, terms_plausible).map_err(invalid(STARTLAN_FILE))?;

        let l = &self.living_costs;
        check_unique_sources(&l.sources).map_err(invalid(LIVING_COSTS_FILE))?;
        l.social_assistance
            .check(SOCIAL_ASSISTANCE, &l.sources)
            .map_err(invalid(LIVING_COSTS_FILE))?;
        check_values(&l.social_assistance, SOCIAL_ASSISTANCE, rates_plausible).map_err(invalid(LIVING_COSTS_FILE))
    }

    /// The periods in force in `month`, or the first table without one.
    pub fn for_month(&self, month: YearMonth) -> Result<MonthRules<'_>, RuleError> {
        Ok(MonthRules {
            month,
            policy_rate: self.startlan.policy_rate.in_force(POLICY_RATE, month)?,
            stress_test: self.startlan.stress_test.in_force(STRESS_TEST, month)?,
            terms: self.startlan.terms.in_force(TERMS, month)?,
            social_assistance: self.living_costs.social_assistance.in_force(SOCIAL_ASSISTANCE, month)?,
        })
    }
}

fn check_unique_sources(sources: &[Source]) -> Result<(), String> {
    for (i, source) in sources.iter().enumerate() {
        if sources[..i].iter().any(|s| s.id == source.id) {
            return Err(format!("source id `{}` is used twice", source.id));
        }
    }
    Ok(())
}

fn check_values<T>(table: &Table<T>, name: &str, plausible: impl Fn(&T) -> Result<(), String>) -> Result<(), String> {
    for period in table.periods() {
        plausible(&period.values).map_err(|e| format!("{name} (from {}): {e}", period.meta.from))?;
    }
    Ok(())
}

fn percent_plausible(p: Percent) -> Result<(), String> {
    if (0..=3_000).contains(&p.basis_points()) {
        Ok(())
    } else {
        Err(format!("{p} is outside 0-30 %"))
    }
}

fn terms_plausible(t: &Terms) -> Result<(), String> {
    if t.normal_max_years >= 1
        && t.special_max_years >= t.normal_max_years
        && t.special_max_years <= crate::startlan::schedule::MAX_TERM_YEARS
        && t.max_instalment_free_years < t.normal_max_years
    {
        Ok(())
    } else {
        Err(format!("implausible terms {t:?}"))
    }
}

fn rates_plausible(r: &SocialAssistanceRates) -> Result<(), String> {
    let all = [
        r.single_kr,
        r.couple_kr,
        r.shared_housing_kr,
        r.child_0_5_kr,
        r.child_6_10_kr,
        r.child_11_17_kr,
    ];
    if all.iter().all(|kr| (1..=100_000).contains(kr)) {
        Ok(())
    } else {
        Err(format!("amounts must be 1-100 000 kr a month: {r:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(text: &str) -> YearMonth {
        text.parse().unwrap()
    }

    #[test]
    fn embedded_rules_load_and_every_table_checks() {
        let rules = StartlanRules::embedded();
        rules.check().unwrap();
        assert!(rules.startlan.policy_rate.periods().len() >= 10);
        assert!(!rules.living_costs.social_assistance.periods().is_empty());
    }

    #[test]
    fn embedded_rules_cover_every_month_from_2023_to_the_end_of_2026() {
        let rules = StartlanRules::embedded();
        let mut m = month("2023-01");
        while m <= month("2026-12") {
            rules.for_month(m).unwrap_or_else(|e| panic!("{m}: {e}"));
            m = m.next();
        }
        // Before the assumed start of the stress test there are no complete rules.
        assert!(rules.for_month(month("2022-12")).is_err());
    }

    #[test]
    fn known_values_from_the_sources() {
        let rules = StartlanRules::embedded();
        let at = |m: &str| rules.for_month(month(m)).unwrap();
        assert_eq!(at("2024-03").policy_rate.values.rate, Percent::parse("4.5 %").unwrap());
        assert_eq!(at("2025-06").policy_rate.values.rate, Percent::parse("4.25 %").unwrap());
        assert_eq!(at("2025-10").policy_rate.values.rate, Percent::parse("4 %").unwrap());
        assert_eq!(at("2023-07").policy_rate.values.rate, Percent::parse("3.75 %").unwrap());
        assert_eq!(
            at("2026-11").stress_test.values.margin,
            Percent::parse("2.5 %").unwrap()
        );
        assert_eq!(at("2026-11").terms.values.special_max_years, 50);
        let rates = at("2024-06").social_assistance.values;
        assert_eq!(
            (rates.single_kr, rates.couple_kr, rates.child_11_17_kr),
            (7850, 13100, 5150)
        );
        let july_2022 = rules
            .living_costs
            .social_assistance
            .in_force(SOCIAL_ASSISTANCE, month("2022-07"))
            .unwrap();
        assert_eq!(july_2022.values.shared_housing_kr, 5600);
        // Values that could not be confirmed say so.
        assert!(!at("2026-11").policy_rate.is_verified("rate"));
        assert!(!at("2025-03").social_assistance.is_verified("single_kr"));
        assert!(at("2024-03").social_assistance.is_verified("single_kr"));
    }

    #[test]
    fn a_file_given_at_run_time_is_checked_with_a_clear_error() {
        let broken = EMBEDDED_STARTLAN.replace("rate = \"4.5 %\"", "rate = \"4,5 prosent\"");
        let err = StartlanRules::from_toml_str(&broken, EMBEDDED_LIVING_COSTS).unwrap_err();
        assert!(
            matches!(
                err,
                RulesLoadError::Parse {
                    file: STARTLAN_FILE,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("4,5 prosent"), "{err}");

        let overlapping = EMBEDDED_LIVING_COSTS.replace("to = \"2022-06\"", "to = \"2022-07\"");
        let err = StartlanRules::from_toml_str(EMBEDDED_STARTLAN, &overlapping).unwrap_err();
        assert!(
            matches!(
                err,
                RulesLoadError::Invalid {
                    file: LIVING_COSTS_FILE,
                    ..
                }
            ),
            "{err}"
        );
        assert!(err.to_string().contains("overlaps"), "{err}");

        let silly_margin = EMBEDDED_STARTLAN.replace("margin = \"2.5 %\"", "margin = \"250 %\"");
        let err = StartlanRules::from_toml_str(&silly_margin, EMBEDDED_LIVING_COSTS).unwrap_err();
        assert!(err.to_string().contains("stress_test"), "{err}");
    }
}
