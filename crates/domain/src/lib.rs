//! Husly's pure domain: value types, validation and the authorisation policy.
//!
//! Nothing in this crate performs I/O, reads a clock or talks to a database; callers pass in
//! everything a decision needs. That keeps every rule testable with plain tables.

pub mod action_plan;
pub mod allocation;
pub mod authz;
pub mod bostotte;
pub mod cases;
pub mod consent;
pub mod documents;
pub mod economy;
pub mod eligibility;
pub mod equity;
pub mod finance;
pub mod follow_up;
pub mod household;
pub mod ids;
pub mod indicators;
pub mod kostra;
pub mod kostra_form;
pub mod meeting;
pub mod message;
pub mod messages;
pub mod notes;
pub mod oslo;
pub mod person;
pub mod postal;
pub mod protection;
pub mod referral;
pub mod reminder;
pub mod representative;
pub mod rules;
pub mod schema;
pub mod search;
pub mod startlan;
pub mod stays;
pub mod tasks;
pub mod tenancy;
pub mod validation;

pub use ids::{CaseId, DecisionId, HouseholdId, MunicipalityId, PersonId, UserId};

/// The user interface languages: bokmål (the default), nynorsk and English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nb,
    Nn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::Nb, Lang::Nn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::Nn => "nn",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" | "nb-no" | "no-no" => Some(Lang::Nb),
            "nn" | "nn-no" => Some(Lang::Nn),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            _ => None,
        }
    }

    /// The language's name in itself, as a language choice shows it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::Nb => "Bokmål",
            Lang::Nn => "Nynorsk",
            Lang::En => "English",
        }
    }

    /// Whether numbers are written with a decimal comma (the Norwegian written forms).
    pub fn decimal_comma(self) -> bool {
        !matches!(self, Lang::En)
    }
}
pub mod national_id;
