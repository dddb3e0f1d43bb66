//! Why a number was refused, with stable codes and messages for people.

use super::SyntheticKind;
use crate::message::Message;

/// Why [`super::parse`] refused the input. `Display` is a short English text for logs;
/// show people [`IdError::message`], worded by the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("national ID is empty")]
    Empty,
    #[error("national ID contains the invalid character {ch:?} at position {position}")]
    InvalidCharacter {
        ch: char,
        /// 1-based, counted in characters of the original input.
        position: usize,
    },
    #[error("national ID has {digits} digits, expected 11")]
    WrongLength { digits: usize },
    #[error("national ID does not contain a valid date")]
    InvalidDate,
    #[error("national ID first check digit (digit 10) is wrong")]
    FirstCheckDigit,
    #[error("national ID second check digit (digit 11) is wrong")]
    SecondCheckDigit,
    #[error("synthetic national ID ({kind:?}) is not allowed here")]
    SyntheticNotAllowed { kind: SyntheticKind },
    #[error("number type not supported (FH-number)")]
    NotSupported,
    #[error("national ID input is too long")]
    TooLong,
}

impl IdError {
    /// A stable, machine-readable code (used by the API, templates and tests).
    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty => "national_id.empty",
            IdError::InvalidCharacter { .. } => "national_id.invalid_character",
            IdError::WrongLength { .. } => "national_id.wrong_length",
            IdError::InvalidDate => "national_id.invalid_date",
            IdError::FirstCheckDigit => "national_id.check_digit_1",
            IdError::SecondCheckDigit => "national_id.check_digit_2",
            IdError::SyntheticNotAllowed { .. } => "national_id.synthetic_not_allowed",
            IdError::NotSupported => "national_id.not_supported",
            IdError::TooLong => "national_id.too_long",
        }
    }

    /// What to tell the person who typed the number (the catalogue's `national_id.*`).
    pub fn message(&self) -> Message {
        match self {
            IdError::InvalidCharacter { ch, position } if invisible(*ch) => {
                Message::new("national_id.invisible_character")
                    .arg("code", format!("U+{:04X}", u32::from(*ch)))
                    .arg("position", position)
            }
            IdError::InvalidCharacter { ch, position } => Message::new("national_id.invalid_character")
                .arg("character", ch)
                .arg("position", position),
            IdError::WrongLength { digits: 0 } => Message::new("national_id.wrong_length_none"),
            IdError::WrongLength { digits: 1 } => Message::new("national_id.wrong_length_one"),
            IdError::WrongLength { digits } => Message::new("national_id.wrong_length").arg("digits", digits),
            IdError::SyntheticNotAllowed { kind } => Message::new("national_id.synthetic_not_allowed")
                .arg_key("source", format!("synthetic_source.{}", kind.code())),
            other => Message::new(other.code()),
        }
    }
}

/// Whether the character would be invisible or confusing if quoted (control characters,
/// zero-width and direction marks, combining marks): such a one is named by its code point.
fn invisible(ch: char) -> bool {
    ch.is_control()
        || ch.is_whitespace()
        || matches!(ch,
            '\u{00AD}' | '\u{034F}' | '\u{0300}'..='\u{036F}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::Arg;

    fn all() -> Vec<IdError> {
        vec![
            IdError::Empty,
            IdError::InvalidCharacter { ch: 'x', position: 7 },
            IdError::WrongLength { digits: 9 },
            IdError::InvalidDate,
            IdError::FirstCheckDigit,
            IdError::SecondCheckDigit,
            IdError::SyntheticNotAllowed {
                kind: SyntheticKind::Tenor,
            },
            IdError::NotSupported,
            IdError::TooLong,
        ]
    }

    #[test]
    fn codes_are_unique_and_namespaced() {
        let codes: std::collections::HashSet<_> = all().iter().map(IdError::code).collect();
        assert_eq!(codes.len(), all().len());
        assert!(codes.iter().all(|c| c.starts_with("national_id.")));
    }

    #[test]
    fn messages_name_what_went_wrong() {
        assert_eq!(IdError::SecondCheckDigit.message().key, "national_id.check_digit_2");
        let bad = IdError::InvalidCharacter { ch: 'x', position: 7 }.message();
        assert_eq!(bad.key, "national_id.invalid_character");
        assert_eq!(
            bad.args,
            [
                ("character", Arg::Text("x".into())),
                ("position", Arg::Text("7".into()))
            ]
        );
        let invisible = IdError::InvalidCharacter {
            ch: '\u{200B}',
            position: 3,
        }
        .message();
        assert_eq!(invisible.key, "national_id.invisible_character");
        assert_eq!(invisible.args[0], ("code", Arg::Text("U+200B".into())));
        let synthetic = IdError::SyntheticNotAllowed {
            kind: SyntheticKind::Nav,
        }
        .message();
        assert_eq!(synthetic.args, [("source", Arg::Key("synthetic_source.nav".into()))]);
        assert_eq!(
            IdError::WrongLength { digits: 1 }.message().key,
            "national_id.wrong_length_one"
        );
        assert_eq!(
            IdError::WrongLength { digits: 9 }.message().args,
            [("digits", Arg::Text("9".into()))]
        );
    }
}
