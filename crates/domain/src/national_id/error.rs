//! Why a number was refused, with stable codes and messages for people.

use super::SyntheticKind;
use crate::Lang;

/// Why [`super::parse`] refused the input. `Display` is a short English text for logs;
/// show people [`IdError::message`].
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

    /// A full sentence for the person who typed the number.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Nb => self.message_nb(),
            Lang::En => self.message_en(),
        }
    }

    fn message_nb(&self) -> String {
        const CHECK: &str = "Sjekk at nummeret er skrevet riktig.";
        match self {
            IdError::Empty => "Skriv inn fødselsnummer eller D-nummer (11 sifre).".into(),
            IdError::InvalidCharacter { ch, position } => format!(
                "Nummeret inneholder et tegn som ikke er tillatt: {} (tegn nummer {position}). \
                 Bruk bare sifre, gjerne med mellomrom, bindestrek eller punktum mellom.",
                shown(*ch, '«', '»'),
            ),
            IdError::WrongLength { digits } => format!(
                "Fødselsnummer og D-nummer har 11 sifre, men du har skrevet {}. {CHECK}",
                match digits {
                    0 => "ingen sifre".to_owned(),
                    1 => "1 siffer".to_owned(),
                    n => format!("{n} sifre"),
                }
            ),
            IdError::InvalidDate => {
                format!("Datoen i nummeret (de seks første sifrene) er ikke en gyldig dato. {CHECK}")
            }
            IdError::FirstCheckDigit => {
                format!("Kontrollsifferet stemmer ikke (siffer 10). {CHECK}")
            }
            IdError::SecondCheckDigit => {
                format!("Kontrollsifferet stemmer ikke (siffer 11). {CHECK}")
            }
            IdError::SyntheticNotAllowed { kind } => format!(
                "Dette er et syntetisk testnummer fra {}. \
                 Syntetiske testnumre godtas bare i demo- eller testmodus.",
                kind.label_nb()
            ),
            IdError::NotSupported => "Nummer som begynner på 8 eller 9, for eksempel FH-nummer \
                 i helsetjenesten, er ikke fødselsnummer eller D-nummer og kan ikke brukes her."
                .into(),
            IdError::TooLong => "Teksten er for lang. Skriv inn fødselsnummeret eller D-nummeret med 11 sifre.".into(),
        }
    }

    fn message_en(&self) -> String {
        const CHECK: &str = "Please check that the number is typed correctly.";
        match self {
            IdError::Empty => "Please enter a national identity number or D number (11 digits).".into(),
            IdError::InvalidCharacter { ch, position } => format!(
                "The number contains a character that is not allowed: {} (character {position}). \
                 Please use digits only, optionally separated by spaces, hyphens or full stops.",
                shown(*ch, '“', '”'),
            ),
            IdError::WrongLength { digits } => format!(
                "A national identity number or D number has 11 digits, but you entered {}. {CHECK}",
                match digits {
                    0 => "none".to_owned(),
                    1 => "1 digit".to_owned(),
                    n => format!("{n} digits"),
                }
            ),
            IdError::InvalidDate => {
                format!("The date in the number (the first six digits) is not a valid date. {CHECK}")
            }
            IdError::FirstCheckDigit => {
                format!("The check digit does not match (digit 10). {CHECK}")
            }
            IdError::SecondCheckDigit => {
                format!("The check digit does not match (digit 11). {CHECK}")
            }
            IdError::SyntheticNotAllowed { kind } => format!(
                "This is a synthetic test number from {}. \
                 Synthetic test numbers are only accepted in demo or test mode.",
                kind.label_en()
            ),
            IdError::NotSupported => "Numbers starting with 8 or 9, such as FH numbers used in \
                 the health service, are not national identity numbers or D numbers and cannot \
                 be used here."
                .into(),
            IdError::TooLong => "The text is too long. Please enter the national identity number or D number \
                 (11 digits)."
                .into(),
        }
    }
}

/// The character in quotes, or its code point when it would be invisible or confusing
/// (control characters, zero-width and direction marks, combining marks).
fn shown(ch: char, open: char, close: char) -> String {
    let invisible = ch.is_control()
        || ch.is_whitespace()
        || matches!(ch,
            '\u{00AD}' | '\u{034F}' | '\u{0300}'..='\u{036F}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}');
    if invisible {
        format!("U+{:04X}", u32::from(ch))
    } else {
        format!("{open}{ch}{close}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn messages_are_sentences_in_both_languages() {
        for e in all() {
            for lang in [Lang::Nb, Lang::En] {
                let m = e.message(lang);
                assert!(m.ends_with('.'), "{m}");
                assert!(m.chars().next().is_some_and(char::is_uppercase), "{m}");
            }
        }
    }

    #[test]
    fn messages_name_what_went_wrong() {
        assert_eq!(
            IdError::SecondCheckDigit.message(Lang::Nb),
            "Kontrollsifferet stemmer ikke (siffer 11). Sjekk at nummeret er skrevet riktig."
        );
        let bad = IdError::InvalidCharacter { ch: 'x', position: 7 };
        assert!(bad.message(Lang::Nb).contains("«x» (tegn nummer 7)"));
        assert!(bad.message(Lang::En).contains("“x” (character 7)"));
        let tab = IdError::InvalidCharacter {
            ch: '\u{200B}',
            position: 3,
        };
        assert!(tab.message(Lang::Nb).contains("U+200B (tegn nummer 3)"));
        let synthetic = IdError::SyntheticNotAllowed {
            kind: SyntheticKind::Nav,
        };
        assert!(synthetic.message(Lang::Nb).contains("bare i demo- eller testmodus"));
        assert!(
            synthetic
                .message(Lang::En)
                .contains("only accepted in demo or test mode")
        );
        assert!(
            IdError::WrongLength { digits: 1 }
                .message(Lang::Nb)
                .contains("1 siffer.")
        );
    }
}
