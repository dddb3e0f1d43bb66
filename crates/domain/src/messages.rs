//! What an applicant may send from the status page of a submitted application: a message, a
//! document, or both, while the case is not finished. It lands on the case and raises a task for
//! the case's caseworker, due a week later (Husly's choice: long enough to read it in an ordinary
//! week, short enough that an answer to a request for information is not left lying).

use crate::cases::CaseState;
use crate::validation::{FieldError, control_character, has_forbidden_control};

/// The longest message accepted, in characters.
pub const MAX_MESSAGE: usize = 4_000;

/// Days from the message until the caseworker's task is due.
pub const TASK_DUE_DAYS: i64 = 7;

/// Whether the applicant may still write on a case in `state`: until it is finished.
pub fn accepts_applicant_messages(state: CaseState) -> bool {
    !state.is_final()
}

/// Checks what the applicant sends: the message trimmed (`None` when blank), and at least a
/// message or a document. Errors are named `text`.
pub fn check_applicant_message(text: &str, has_document: bool) -> Result<Option<String>, Vec<FieldError>> {
    let text = text.trim();
    if has_forbidden_control(text) {
        return Err(vec![control_character("text")]);
    }
    if text.chars().count() > MAX_MESSAGE {
        return Err(vec![FieldError::too_long("text", MAX_MESSAGE)]);
    }
    match (text.is_empty(), has_document) {
        (true, false) => Err(vec![FieldError::new(
            "text",
            "message.empty",
            "error.applicant_message.empty",
        )]),
        (true, true) => Ok(None),
        (false, _) => Ok(Some(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::error_codes;

    #[test]
    fn a_message_a_document_or_both_but_not_nothing() {
        assert_eq!(
            check_applicant_message("  Her er lønnsslippen.  ", false)
                .unwrap()
                .as_deref(),
            Some("Her er lønnsslippen.")
        );
        assert_eq!(check_applicant_message(" \n", true).unwrap(), None);
        assert_eq!(
            error_codes(check_applicant_message(" ", false)),
            [("text".to_string(), "message.empty")]
        );
        assert_eq!(
            error_codes(check_applicant_message(&"x".repeat(MAX_MESSAGE + 1), true)),
            [("text".to_string(), "too_long")]
        );
        assert!(check_applicant_message(&"x".repeat(MAX_MESSAGE), false).is_ok());
        assert_eq!(
            error_codes(check_applicant_message("hei\u{0}", false)),
            [("text".to_string(), "control_character")]
        );
    }

    #[test]
    fn the_applicant_writes_until_the_case_is_finished() {
        for state in CaseState::ALL {
            assert_eq!(accepts_applicant_messages(state), !state.is_final(), "{state:?}");
        }
        assert!(accepts_applicant_messages(CaseState::WaitingForInformation));
        assert!(!accepts_applicant_messages(CaseState::Closed));
    }
}
