//! Journal notes (journalnotater) on a case or a household: what a caseworker learned or did that
//! is not a form field, with who wrote it and when. A journal is kept, not edited: a note is never
//! changed or deleted; a correction is a new note.
//!
//! A note is visible to everyone who may see what it is written on, or, when it holds what only
//! case handling needs (health, conflict, a report of concern), to case handling alone: the
//! caseworkers and approvers of the municipality, not follow-up workers or housing managers.

use crate::MunicipalityId;
use crate::authz::{Action, Decision, Principal, authorize};
use crate::validation::FieldError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The longest note accepted, in characters.
pub const MAX_NOTE: usize = 4_000;

/// Who may read a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteVisibility {
    /// Everyone who may see the case or household it is written on.
    Everyone,
    /// Caseworkers and approvers only.
    CaseHandling,
}

impl NoteVisibility {
    pub const ALL: [NoteVisibility; 2] = [NoteVisibility::Everyone, NoteVisibility::CaseHandling];

    pub fn code(self) -> &'static str {
        match self {
            NoteVisibility::Everyone => "everyone",
            NoteVisibility::CaseHandling => "case_handling",
        }
    }

    pub fn from_code(code: &str) -> Option<NoteVisibility> {
        Self::ALL.into_iter().find(|v| v.code() == code)
    }

    /// Whether `principal` may read a note of this visibility in `municipality` (having been
    /// allowed to see what it is written on).
    pub fn readable_by(self, principal: &Principal, municipality: MunicipalityId) -> bool {
        match self {
            NoteVisibility::Everyone => true,
            NoteVisibility::CaseHandling => [Action::HandleCase, Action::ApproveDecision]
                .into_iter()
                .any(|action| authorize(principal, action, municipality) == Decision::Allow),
        }
    }
}

/// A note as it will be kept: its text trimmed, at most [`MAX_NOTE`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNote {
    pub text: String,
    pub visibility: NoteVisibility,
}

/// Checks a note before it is kept; errors are named `text`, or `visibility` when the writer
/// could not read the note back (a follow-up worker keeps nothing for case handling only).
pub fn check_note(
    text: &str,
    visibility: NoteVisibility,
    writer: &Principal,
    municipality: MunicipalityId,
) -> Result<NewNote, Vec<FieldError>> {
    if !visibility.readable_by(writer, municipality) {
        return Err(vec![FieldError::new(
            "visibility",
            "not_readable_by_writer",
            "error.note.visibility_not_readable",
        )]);
    }
    let text = text.trim();
    if text.is_empty() {
        return Err(vec![FieldError::new("text", "required", "error.note.text_required")]);
    }
    if text.chars().count() > MAX_NOTE {
        return Err(vec![FieldError::too_long("text", MAX_NOTE)]);
    }
    Ok(NewNote {
        text: text.to_string(),
        visibility,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::authz::Role;
    use std::collections::BTreeMap;

    fn principal(municipality: MunicipalityId, role: Role) -> Principal {
        Principal {
            user_id: crate::UserId::new(),
            roles: BTreeMap::from([(municipality, vec![role])]),
        }
    }

    #[test]
    fn a_note_is_its_trimmed_text_within_the_limit() {
        let here = MunicipalityId::new();
        let writer = principal(here, Role::Caseworker);
        let note = check_note(
            "  Ringte søker; sender lønnsslipp.  ",
            NoteVisibility::Everyone,
            &writer,
            here,
        )
        .unwrap();
        assert_eq!(note.text, "Ringte søker; sender lønnsslipp.");
        let codes =
            |text: &str| crate::validation::error_codes(check_note(text, NoteVisibility::Everyone, &writer, here));
        assert_eq!(codes(" \n "), [("text".to_string(), "required")]);
        assert_eq!(codes(&"x".repeat(MAX_NOTE)), []);
        assert_eq!(codes(&"x".repeat(MAX_NOTE + 1)), [("text".to_string(), "too_long")]);
    }

    #[test]
    fn case_handling_notes_are_for_caseworkers_and_approvers_of_the_municipality() {
        let here = MunicipalityId::new();
        let elsewhere = MunicipalityId::new();
        for role in Role::ALL {
            let reader = principal(here, role);
            assert!(NoteVisibility::Everyone.readable_by(&reader, here));
            let expected = matches!(role, Role::Caseworker | Role::Approver);
            assert_eq!(
                NoteVisibility::CaseHandling.readable_by(&reader, here),
                expected,
                "{role:?}"
            );
            assert!(
                !NoteVisibility::CaseHandling.readable_by(&reader, elsewhere),
                "{role:?} elsewhere"
            );
        }
        for visibility in NoteVisibility::ALL {
            assert_eq!(NoteVisibility::from_code(visibility.code()), Some(visibility));
        }
    }

    #[test]
    fn a_writer_keeps_only_notes_they_can_read_back() {
        let here = MunicipalityId::new();
        for role in Role::ALL {
            let writer = principal(here, role);
            for visibility in NoteVisibility::ALL {
                let result = check_note("Hjemmebesøk; alt i orden.", visibility, &writer, here);
                assert_eq!(
                    result.is_ok(),
                    visibility.readable_by(&writer, here),
                    "{role:?} {visibility:?}"
                );
            }
        }
        let follow_up = principal(here, Role::FollowUpWorker);
        let refused = check_note("Bekymring", NoteVisibility::CaseHandling, &follow_up, here).unwrap_err();
        assert_eq!(refused[0].field, "visibility");
    }
}
