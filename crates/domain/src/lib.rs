//! Husly's pure domain: value types, validation and the authorisation policy.
//!
//! Nothing in this crate performs I/O, reads a clock or talks to a database; callers pass in
//! everything a decision needs. That keeps every rule testable with plain tables.

pub mod authz;
pub mod bostotte;
pub mod cases;
pub mod documents;
pub mod eligibility;
pub mod finance;
pub mod household;
pub mod ids;
pub mod person;
pub mod rules;
pub mod startlan;
pub mod validation;

pub use ids::{CaseId, DecisionId, HouseholdId, MunicipalityId, PersonId, UserId};

/// The user interface languages. Bokmål is the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nb,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" | "nn" | "nb-no" | "no-no" | "nn-no" => Some(Lang::Nb),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }
}
pub mod national_id;
