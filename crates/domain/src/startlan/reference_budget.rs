//! SIFO's reference budget for consumption expenses (*referansebudsjettet for forbruksutgifter*)
//! as the living-cost reference of a startlån assessment.
//!
//! The budget has two parts: costs that follow each person, by age band and (from some ages) by
//! sex, and costs that follow the household, by its size. The layout (bands, sizes, sources) is
//! rule data in `rules/reference_budget.toml`; the figures are entered by each municipality for
//! the year it uses ([`ReferenceBudget`]), because Husly could not verify a year's SIFO table.
//!
//! Who counts where:
//! - a member's age is the age typed (whole years at the calculation date); an adult whose age
//!   was not given counts in the most expensive adult band (a cautious assumption);
//! - the household model has no sex, so it is an input with an explicit "not stated"; a member
//!   whose sex is not stated counts at the higher of the two amounts of a band split by sex;
//! - a household larger than the table's largest size uses that size's amount.
//!
//! Every such assumption is named in the result, so the caseworker sees what was assumed.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::living_costs::HouseholdComposition;
use crate::rules::Source;
use crate::validation::{Errors, FieldError};

const EMBEDDED_LAYOUT: &str = include_str!("../../../../rules/reference_budget.toml");

/// Largest monthly amount accepted for one band or household size: 1 000 000 kr in øre.
pub const MAX_AMOUNT_ORE: i64 = 100_000_000;
/// Oldest age accepted for an adult.
pub const MAX_AGE: u32 = 130;

/// A member's sex as the reference budget distinguishes it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Female,
    Male,
    /// Not stated: the higher of the two amounts is used.
    #[default]
    NotStated,
}

impl Sex {
    pub const ALL: [Sex; 3] = [Sex::Female, Sex::Male, Sex::NotStated];

    pub fn code(self) -> &'static str {
        match self {
            Sex::Female => "female",
            Sex::Male => "male",
            Sex::NotStated => "not_stated",
        }
    }

    pub fn from_code(code: &str) -> Option<Sex> {
        Sex::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// One age band of the individual costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    pub id: String,
    pub from_age: u32,
    /// Inclusive; `None` for the open-ended top band.
    #[serde(default)]
    pub to_age: Option<u32>,
    /// Whether the band has separate amounts for women and men.
    pub by_sex: bool,
}

impl AgeBand {
    fn contains(&self, age: u32) -> bool {
        age >= self.from_age && self.to_age.is_none_or(|to| age <= to)
    }

    /// The keys of this band's amounts: `age_20_30_female`, `age_20_30_male`, or `age_0`.
    pub fn keys(&self) -> Vec<String> {
        if self.by_sex {
            vec![format!("{}_female", self.id), format!("{}_male", self.id)]
        } else {
            vec![self.id.clone()]
        }
    }
}

/// `rules/reference_budget.toml`: the budget's layout and sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceBudgetLayout {
    /// The SIFO year the layout follows.
    pub version: String,
    pub source: String,
    #[serde(default = "yes")]
    pub verified: bool,
    #[serde(default)]
    pub note: Option<String>,
    pub max_household_size: u32,
    pub sources: Vec<Source>,
    pub bands: Vec<AgeBand>,
}

fn yes() -> bool {
    true
}

impl ReferenceBudgetLayout {
    /// The compiled-in layout (checked by a unit test, so a broken file never ships).
    pub fn embedded() -> &'static ReferenceBudgetLayout {
        static LAYOUT: OnceLock<ReferenceBudgetLayout> = OnceLock::new();
        LAYOUT.get_or_init(|| {
            ReferenceBudgetLayout::from_toml_str(EMBEDDED_LAYOUT)
                .unwrap_or_else(|e| panic!("rules/reference_budget.toml is broken: {e}"))
        })
    }

    pub fn from_toml_str(text: &str) -> Result<ReferenceBudgetLayout, String> {
        let layout: ReferenceBudgetLayout = toml::from_str(text).map_err(|e| e.to_string())?;
        layout.check()?;
        Ok(layout)
    }

    /// Bands start at 0, follow each other without gap or overlap, and only the last is open.
    fn check(&self) -> Result<(), String> {
        if !self.sources.iter().any(|s| s.id == self.source) {
            return Err(format!("source {} is not among [[sources]]", self.source));
        }
        if self.max_household_size == 0 {
            return Err("max_household_size must be at least 1".into());
        }
        let mut next = 0;
        for (i, band) in self.bands.iter().enumerate() {
            if band.from_age != next {
                return Err(format!("band {} should start at age {next}", band.id));
            }
            match band.to_age {
                Some(to) if to >= band.from_age => next = to + 1,
                None if i + 1 == self.bands.len() => return Ok(()),
                _ => return Err(format!("band {} has a bad upper age", band.id)),
            }
        }
        Err("the last band must be open-ended".into())
    }

    pub fn band_of(&self, age: u32) -> &AgeBand {
        self.bands
            .iter()
            .find(|b| b.contains(age))
            .unwrap_or_else(|| self.bands.last().expect("checked: at least one band"))
    }

    /// Every individual key, youngest band first.
    pub fn individual_keys(&self) -> Vec<String> {
        self.bands.iter().flat_map(AgeBand::keys).collect()
    }

    /// `size_1` … `size_N`.
    pub fn household_keys(&self) -> Vec<String> {
        (1..=self.max_household_size).map(|n| format!("size_{n}")).collect()
    }
}

/// A municipality's entered figures, øre per month, keyed as the layout's keys.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceBudgetAmounts {
    /// Costs that follow each person, by `age_…` band (and `_female`/`_male` where split).
    pub individual_ore: BTreeMap<String, i64>,
    /// Costs that follow the household, by `size_1` … `size_N`.
    pub household_ore: BTreeMap<String, i64>,
}

impl ReferenceBudgetAmounts {
    /// Every key of the layout present, none other, each amount 0..=[`MAX_AMOUNT_ORE`], and the
    /// household costs never falling as the household grows. Fields are named
    /// `individual_ore.age_20_30_female`, `household_ore.size_3`.
    pub fn validate(&self, layout: &ReferenceBudgetLayout) -> Result<(), Vec<FieldError>> {
        let mut e = Errors::default();
        part(
            &mut e,
            "individual_ore",
            &self.individual_ore,
            &layout.individual_keys(),
        );
        let sizes = layout.household_keys();
        part(&mut e, "household_ore", &self.household_ore, &sizes);
        let mut previous: Option<i64> = None;
        for key in &sizes {
            let Some(&amount) = self.household_ore.get(key) else {
                continue;
            };
            if previous.is_some_and(|p| amount < p) {
                e.push(FieldError::new(
                    format!("household_ore.{key}"),
                    "lower_than_smaller_household",
                    "error.reference_budget.lower_than_smaller_household",
                ));
            }
            previous = Some(amount);
        }
        e.into_result(())
    }
}

fn part(e: &mut Errors, name: &str, amounts: &BTreeMap<String, i64>, keys: &[String]) {
    for key in keys {
        let field = format!("{name}.{key}");
        match amounts.get(key) {
            None => e.push(FieldError::required(field)),
            Some(&a) if a < 0 => e.push(FieldError::new(field, "negative_amount", "error.negative_amount")),
            Some(&a) if a > MAX_AMOUNT_ORE => {
                e.push(FieldError::new(field, "amount_too_large", "error.amount_too_large"))
            }
            Some(_) => {}
        }
    }
    for key in amounts.keys().filter(|k| !keys.contains(k)) {
        e.push(FieldError::new(
            format!("{name}.{key}"),
            "unknown_band",
            "error.reference_budget.unknown_band",
        ));
    }
}

/// One version of a municipality's table, as the assessment uses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "StartlanReferenceBudget")]
pub struct ReferenceBudget {
    /// 1, 2, … per municipality: every save is a new version.
    pub version: i64,
    /// The first day the figures apply.
    #[schemars(with = "crate::schema::DateSchema")]
    pub valid_from: Date,
    /// What the figures are, e.g. «SIFO 2025» (the demo's says they are not SIFO's).
    pub label: String,
    pub amounts: ReferenceBudgetAmounts,
}

/// What was assumed for a member or the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assumption {
    /// No age given for an adult: the most expensive adult band.
    AgeNotStated,
    /// Sex not stated in a band split by sex: the higher amount.
    SexNotStated,
    /// More members than the table has sizes: the largest size's amount.
    LargerThanTable,
}

/// One member's individual costs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "StartlanReferenceBudgetMember")]
pub struct MemberCost {
    pub adult: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<u32>,
    pub sex: Sex,
    /// The amount key used, e.g. `age_31_50_female`.
    pub key: String,
    pub amount_ore: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assumptions: Vec<Assumption>,
}

/// The reference budget of one household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "StartlanReferenceBudgetCost")]
pub struct ReferenceBudgetCost {
    pub version: i64,
    #[schemars(with = "crate::schema::DateSchema")]
    pub valid_from: Date,
    pub label: String,
    pub members: Vec<MemberCost>,
    pub household_key: String,
    pub household_ore: i64,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub household_assumptions: Vec<Assumption>,
    /// Individual costs of every member plus the household costs.
    pub total_ore: i64,
}

/// The household's reference budget from `budget`. The composition has been validated.
pub fn reference_budget_cost(
    household: &HouseholdComposition,
    layout: &ReferenceBudgetLayout,
    budget: &ReferenceBudget,
) -> ReferenceBudgetCost {
    let amount = |key: &str| budget.amounts.individual_ore.get(key).copied().unwrap_or(0);
    let member = |adult: bool, age: Option<u32>, sex: Sex| {
        let mut assumptions = Vec::new();
        let bands: Vec<&AgeBand> = match age {
            Some(age) => vec![layout.band_of(age)],
            None => {
                assumptions.push(Assumption::AgeNotStated);
                layout
                    .bands
                    .iter()
                    .filter(|b| b.from_age >= 18 || b.contains(18))
                    .collect()
            }
        };
        let mut candidates: Vec<String> = Vec::new();
        for band in bands {
            match (band.by_sex, sex) {
                (false, _) => candidates.push(band.id.clone()),
                (true, Sex::Female) => candidates.push(format!("{}_female", band.id)),
                (true, Sex::Male) => candidates.push(format!("{}_male", band.id)),
                (true, Sex::NotStated) => {
                    if !assumptions.contains(&Assumption::SexNotStated) {
                        assumptions.push(Assumption::SexNotStated);
                    }
                    candidates.extend(band.keys());
                }
            }
        }
        // The highest amount; on a tie the first key, so the result is stable.
        let key = candidates
            .iter()
            .fold(None::<&String>, |best, k| match best {
                Some(b) if amount(b) >= amount(k) => Some(b),
                _ => Some(k),
            })
            .cloned()
            .unwrap_or_default();
        MemberCost {
            adult,
            age,
            sex,
            amount_ore: amount(&key),
            key,
            assumptions,
        }
    };

    let detail = |i: usize| household.members.get(i).copied().unwrap_or_default();
    let adults = household.adults as usize;
    let mut members = Vec::new();
    for i in 0..adults {
        members.push(member(true, detail(i).age, detail(i).sex));
    }
    for (i, &age) in household.children_ages.iter().enumerate() {
        members.push(member(false, Some(age), detail(adults + i).sex));
    }

    let size = (members.len() as u32).max(1);
    let mut household_assumptions = Vec::new();
    if size > layout.max_household_size {
        household_assumptions.push(Assumption::LargerThanTable);
    }
    let household_key = format!("size_{}", size.min(layout.max_household_size));
    let household_ore = budget.amounts.household_ore.get(&household_key).copied().unwrap_or(0);
    let total_ore = members.iter().map(|m| m.amount_ore).sum::<i64>() + household_ore;
    ReferenceBudgetCost {
        version: budget.version,
        valid_from: budget.valid_from,
        label: budget.label.clone(),
        members,
        household_key,
        household_ore,
        household_assumptions,
        total_ore,
    }
}

/// The demo's table: plausible-looking round figures, clearly labelled as not SIFO's.
pub fn demo_amounts(layout: &ReferenceBudgetLayout) -> ReferenceBudgetAmounts {
    let mut individual_ore = BTreeMap::new();
    for band in &layout.bands {
        let base_kr: i64 = match band.from_age {
            0..=5 => 3_000,
            6..=13 => 4_500,
            14..=19 => 6_000,
            20..=66 => 6_500,
            _ => 5_500,
        };
        for key in band.keys() {
            let extra = if key.ends_with("_male") { 500 } else { 0 };
            individual_ore.insert(key, (base_kr + extra) * 100);
        }
    }
    let household_ore = layout
        .household_keys()
        .into_iter()
        .zip(1_i64..)
        .map(|(k, n)| (k, (2_500 + 900 * (n - 1)) * 100))
        .collect();
    ReferenceBudgetAmounts {
        individual_ore,
        household_ore,
    }
}

#[cfg(test)]
mod tests;
