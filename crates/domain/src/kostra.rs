//! KOSTRA skjema 13 ("Kommunalt disponerte boliger"): the main-reason categories SSB counts new
//! tenants and the waiting list by. The *main* reason is the caseworker's classification of the
//! case; the applicant's ticked reasons are their own statement and only suggest a category.
//!
//! Sources (SSB KOMPIS variable definitions, skjema 13; read 3 Dec 2026 through the project's
//! domain brief `domain-norway.md` § 4.2):
//! - refugees: new tenants whose main reason is refugee status, counted while the municipality
//!   receives integreringstilskudd for them, i.e. within five years of first settlement
//!   (`KOSnyinnflyttfly0000`);
//! - persons with mental illness and/or substance use, one merged category since statistics year
//!   2020 (`KOSandnyinnflytt0001`, `KOSventelistepsy0001`);
//! - persons who need an adapted dwelling (physical disability, age) (`KOSventelistetil0000`);
//! - other problems: economic, social or health, often families with children
//!   (`KOSandandrevente0000`).

use crate::cases::Reason;
use serde::{Deserialize, Serialize};

/// A KOSTRA main-reason category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KostraCategory {
    /// A refugee the municipality receives integreringstilskudd for (within five years of
    /// settlement).
    Refugee,
    /// Needs an adapted dwelling: physical disability or age.
    AdaptedDwelling,
    /// Mental illness and/or substance use.
    MentalHealthOrSubstanceUse,
    /// Other problems: economy, social or health problems not above.
    Other,
}

impl KostraCategory {
    pub const ALL: [KostraCategory; 4] = [
        KostraCategory::Refugee,
        KostraCategory::AdaptedDwelling,
        KostraCategory::MentalHealthOrSubstanceUse,
        KostraCategory::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            KostraCategory::Refugee => "refugee",
            KostraCategory::AdaptedDwelling => "adapted_dwelling",
            KostraCategory::MentalHealthOrSubstanceUse => "mental_health_or_substance_use",
            KostraCategory::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<KostraCategory> {
        KostraCategory::ALL.into_iter().find(|c| c.code() == code)
    }

    /// The catalogue key of the category's name.
    pub fn key(self) -> String {
        format!("kostra.category.{}", self.code())
    }

    /// The category an applicant's ticked reason points to, if it points to a specific one.
    fn of_reason(reason: Reason) -> Option<KostraCategory> {
        match reason {
            Reason::RefugeeBackground => Some(KostraCategory::Refugee),
            Reason::SubstanceUseOrMentalHealth => Some(KostraCategory::MentalHealthOrSubstanceUse),
            Reason::Health => Some(KostraCategory::AdaptedDwelling),
            Reason::Economy | Reason::ChildrensSituation | Reason::Violence | Reason::Eviction | Reason::Other => None,
        }
    }
}

/// The category the applicant's ticks suggest: the first tick (in the applicant's order) that
/// points to a specific category, else `Other`; nothing when nothing was ticked. Only a
/// suggestion: whether a refugee still brings integreringstilskudd, or whether "health" means a
/// need of an adapted dwelling, is for the caseworker to judge.
pub fn suggested_category(reasons: &[Reason]) -> Option<KostraCategory> {
    if reasons.is_empty() {
        return None;
    }
    Some(
        reasons
            .iter()
            .find_map(|r| KostraCategory::of_reason(*r))
            .unwrap_or(KostraCategory::Other),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_round_trip() {
        for c in KostraCategory::ALL {
            assert_eq!(KostraCategory::from_code(c.code()), Some(c));
        }
        assert_eq!(KostraCategory::from_code("economy"), None);
    }

    #[test]
    fn the_first_specific_tick_is_suggested_not_the_first_tick() {
        assert_eq!(suggested_category(&[]), None);
        assert_eq!(
            suggested_category(&[Reason::Economy, Reason::RefugeeBackground]),
            Some(KostraCategory::Refugee)
        );
        assert_eq!(
            suggested_category(&[Reason::Eviction, Reason::Violence]),
            Some(KostraCategory::Other)
        );
        assert_eq!(
            suggested_category(&[Reason::Health, Reason::SubstanceUseOrMentalHealth]),
            Some(KostraCategory::AdaptedDwelling)
        );
    }

    proptest! {
        /// Any ticks give a suggestion, and ticks that point nowhere specific suggest `Other`.
        #[test]
        fn ticks_always_suggest_a_category(picks in proptest::collection::vec(0usize..8, 1..8)) {
            let reasons: Vec<Reason> = picks.iter().map(|i| Reason::ALL[*i]).collect();
            let suggested = suggested_category(&reasons).expect("a suggestion");
            let specific = reasons.iter().find_map(|r| KostraCategory::of_reason(*r));
            prop_assert_eq!(suggested, specific.unwrap_or(KostraCategory::Other));
        }
    }
}
