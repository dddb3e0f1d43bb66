//! Boligsosialloven § 6 beside a refused housing application.
//!
//! A household refused a municipal dwelling (or granted less than it asked for) may still need
//! individually adapted help to find or keep a home, which the municipality must assess
//! (boligsosialloven § 6 first paragraph, read with the duty to inform and guide in § 4 and
//! forvaltningsloven § 11). So a caseworker who proposes such a decision records what that
//! assessment found, and the letter tells the household. Source: Lov om kommunenes ansvar på det
//! boligsosiale feltet (LOV-2022-04-01-34) §§ 4 and 6; Prop. 132 L (2021–2022) on § 6.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// What the assessment of the household's § 6 needs found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Section6Finding {
    /// The household needs help: a § 6 case is opened for it.
    CaseOpened,
    /// Assessed: the household does not need individually adapted help now.
    NoNeed,
    /// The household already receives § 6 help; this decision does not change it.
    AlreadyReceiving,
    /// Offered, and the household does not want it now.
    Declined,
}

impl Section6Finding {
    pub const ALL: [Section6Finding; 4] = [
        Section6Finding::CaseOpened,
        Section6Finding::NoNeed,
        Section6Finding::AlreadyReceiving,
        Section6Finding::Declined,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Section6Finding::CaseOpened => "case_opened",
            Section6Finding::NoNeed => "no_need",
            Section6Finding::AlreadyReceiving => "already_receiving",
            Section6Finding::Declined => "declined",
        }
    }

    pub fn from_code(code: &str) -> Option<Section6Finding> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for finding in Section6Finding::ALL {
            assert_eq!(Section6Finding::from_code(finding.code()), Some(finding));
        }
        assert_eq!(Section6Finding::from_code("maybe"), None);
    }
}
