//! The eligibility rule file (`rules/eligibility.toml`) as types.

use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::rules::{Percent, Period, RuleError, Source, Table, YearMonth};

const EMBEDDED: &str = include_str!("../../../../rules/eligibility.toml");

/// A multiple of G with up to two decimals ("3.5"), held exactly in hundredths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct GMultiple(i64);

impl GMultiple {
    pub fn hundredths(self) -> i64 {
        self.0
    }

    /// The amount in kroner for a G of `g_kr`, rounded down to whole kroner.
    pub fn of(self, g_kr: i64) -> i64 {
        g_kr * self.0 / 100
    }
}

impl GMultiple {
    /// As Norwegian text writes it, with a decimal comma: `3,5 G`.
    pub fn with_decimal_comma(self) -> String {
        self.to_string().replace('.', ",")
    }
}

impl fmt::Display for GMultiple {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "3.5 G" written the way the rule file writes it.
        let text = Percent::from_basis_points(self.0).to_string();
        write!(f, "{} G", text.trim_end_matches(" %"))
    }
}

impl Serialize for GMultiple {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for GMultiple {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Percent::parse(&text)
            .filter(|_| !text.contains('%'))
            .map(|p| GMultiple(p.basis_points()))
            .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not a multiple of G like \"3.5\"")))
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct Grunnbelop {
    pub amount: i64,
}

/// One municipality's allocation rules for a period.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
pub struct AllocationRules {
    pub min_age: i32,
    /// The household is, or is about to be, without a suitable dwelling (Drammen's core
    /// criterion, and most municipalities').
    pub without_suitable_dwelling: bool,
    /// "About to be": its present housing ends within this many months.
    pub losing_dwelling_within_months: u32,
    pub lawful_residence: bool,
    pub registered_resident: bool,
    /// Years registered in the municipality; 0 = no requirement beyond registration.
    pub botid_years: i32,
    /// Cap on the household's yearly income for 1..=5+ persons; empty = no fixed cap.
    #[serde(default)]
    pub income_cap_g: Vec<GMultiple>,
    /// Members younger than this do not count towards the income (0 = all count).
    #[serde(default)]
    pub income_min_age: i32,
    #[serde(default)]
    pub asset_cap_g: Option<GMultiple>,
    /// Rent arrears exclude the household.
    #[serde(default)]
    pub no_rent_arrears: bool,
    /// Months after an eviction before a new application can succeed.
    #[serde(default)]
    pub eviction_quarantine_months: Option<u32>,
    /// How long an approval on the waiting list stays valid.
    pub validity_months: u32,
    /// Children sharing a bedroom in the bedroom rule.
    pub children_per_bedroom: u32,
    /// A fixed-term contract's renewal review opens this many months before its term ends.
    #[serde(default = "default_renewal_lead_time_months")]
    pub renewal_lead_time_months: u32,
    /// The usual new term when a contract is renewed, in months.
    #[serde(default = "default_renewal_term_months")]
    pub renewal_term_months: u32,
    /// The new term for a household with children under 18, in months.
    #[serde(default = "default_renewal_term_months_children")]
    pub renewal_term_months_children: u32,
    /// A review's decision should be sent this many months before the term ends.
    #[serde(default = "default_renewal_decide_months_before")]
    pub renewal_decide_months_before: u32,
}

fn default_renewal_decide_months_before() -> u32 {
    3
}

fn default_renewal_lead_time_months() -> u32 {
    6
}

fn default_renewal_term_months() -> u32 {
    36
}

fn default_renewal_term_months_children() -> u32 {
    60
}

impl AllocationRules {
    /// The municipality's practice for renewal reviews.
    pub fn renewal_practice(&self) -> crate::cases::renewal::RenewalPractice {
        crate::cases::renewal::RenewalPractice {
            lead_time_months: self.renewal_lead_time_months,
            term_months: self.renewal_term_months,
            term_months_children: self.renewal_term_months_children,
            decide_months_before: self.renewal_decide_months_before,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MunicipalityRules {
    /// Kommunenummer, or `default` for municipalities without their own rules.
    pub number: String,
    pub name: String,
    /// Who decides appeals on municipal housing decisions.
    pub appeal_body: String,
    /// Who decides appeals on § 6 decisions: the regional Statsforvalter.
    pub statsforvalter: String,
    /// The sender block of the municipality's letters.
    pub letters: LetterSender,
    pub periods: Table<AllocationRules>,
}

/// How the housing office signs its letters.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LetterSender {
    pub name: String,
    pub unit: String,
    pub postal_address: Vec<String>,
    pub phone: String,
    pub email: String,
    pub web: String,
    /// Working days a decision posted on paper is taken to need to reach the party, when the
    /// caseworker gives no date (the municipality's practice; the appeal deadline runs from it).
    #[serde(default = "default_paper_delivery_working_days")]
    pub paper_delivery_working_days: u32,
}

fn default_paper_delivery_working_days() -> u32 {
    3
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRules {
    pub version: String,
    pub sources: Vec<Source>,
    pub grunnbelop: Table<Grunnbelop>,
    pub municipalities: Vec<MunicipalityRules>,
}

impl EligibilityRules {
    pub fn embedded() -> &'static EligibilityRules {
        static RULES: OnceLock<EligibilityRules> = OnceLock::new();
        RULES.get_or_init(|| Self::from_toml_str(EMBEDDED).expect("the embedded rules/eligibility.toml is valid"))
    }

    pub fn from_toml_str(text: &str) -> Result<EligibilityRules, String> {
        let rules: EligibilityRules = toml::from_str(text).map_err(|e| e.to_string())?;
        rules.grunnbelop.check("grunnbelop", &rules.sources)?;
        if !rules.municipalities.iter().any(|m| m.number == "default") {
            return Err("the rule file needs a `default` municipality".into());
        }
        for m in &rules.municipalities {
            m.periods
                .check(&format!("municipalities[{}].periods", m.number), &rules.sources)?;
            for period in m.periods.periods() {
                let r = &period.values;
                if r.income_cap_g.len() > 5
                    || r.children_per_bedroom == 0
                    || r.validity_months == 0
                    || r.renewal_term_months == 0
                    || r.renewal_term_months_children == 0
                    || r.renewal_lead_time_months > 24
                    || r.renewal_decide_months_before > r.renewal_lead_time_months
                {
                    return Err(format!(
                        "municipalities[{}] from {}: income_cap_g has at most 5 values, children_per_bedroom, validity_months and the renewal terms are at least 1, the renewal lead time at most 24 months and not shorter than the months a decision is due before the term ends",
                        m.number, period.meta.from
                    ));
                }
            }
        }
        Ok(rules)
    }

    /// The municipality's own rules, or the default set.
    pub fn municipality(&self, number: &str) -> &MunicipalityRules {
        self.municipalities
            .iter()
            .find(|m| m.number == number)
            .or_else(|| self.municipalities.iter().find(|m| m.number == "default"))
            .expect("checked when loaded")
    }

    pub fn allocation_rules(&self, number: &str, month: YearMonth) -> Result<&Period<AllocationRules>, RuleError> {
        self.municipality(number).periods.in_force("allocation_rules", month)
    }

    pub fn grunnbelop(&self, month: YearMonth) -> Result<&Period<Grunnbelop>, RuleError> {
        self.grunnbelop.in_force("grunnbelop", month)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_file_loads() {
        let rules = EligibilityRules::from_toml_str(EMBEDDED).unwrap();
        let may_2023: YearMonth = "2023-06".parse().unwrap();
        assert_eq!(rules.grunnbelop(may_2023).unwrap().values.amount, 118_620);
        let oslo = rules.allocation_rules("0301", "2024-03".parse().unwrap()).unwrap();
        assert_eq!(oslo.values.income_cap_g[0].of(100_000), 400_000);
        assert_eq!(oslo.values.income_min_age, 20);
        assert_eq!(rules.municipality("1875").number, "default");
        assert_eq!(GMultiple(350).to_string(), "3.5 G");
    }

    #[test]
    fn a_missing_default_is_refused() {
        let broken = EMBEDDED.replace("number = \"default\"", "number = \"9998\"");
        assert!(
            EligibilityRules::from_toml_str(&broken)
                .unwrap_err()
                .contains("default")
        );
    }
}
