//! Reading a number as people type it.

use super::check::{self, Digits};
use super::{CheckDigitRule, IdError, IdKind, NationalId, ParsedId, SyntheticKind, SyntheticPolicy};
use time::{Date, Month};

/// Longer input is refused before it is scanned; 11 digits with generous separators and
/// surrounding whitespace fit comfortably.
const MAX_INPUT_CHARS: usize = 64;

/// Parses and validates a fødselsnummer or D-nummer.
///
/// Digits may be grouped with spaces (any Unicode whitespace, e.g. a non-breaking space from
/// a copied document), hyphens or dots between them; leading and trailing whitespace is
/// ignored. Checks run in the order a person can best act on: characters, length, number
/// type, date, check digits, and finally whether synthetic numbers are allowed (so
/// [`IdError::SyntheticNotAllowed`] is only reported for otherwise valid test numbers).
pub fn parse(input: &str, policy: SyntheticPolicy) -> Result<ParsedId, IdError> {
    let digits = scan(input)?;
    let fields = Fields::decode(&digits)?;
    let rule = check::first_check_rule(&digits).ok_or(IdError::FirstCheckDigit)?;
    if !check::second_check_ok(&digits) {
        return Err(IdError::SecondCheckDigit);
    }
    if let Some(kind) = fields.synthetic
        && policy == SyntheticPolicy::Reject
    {
        return Err(IdError::SyntheticNotAllowed { kind });
    }
    let birth_date = fields.birth_date(rule)?;
    Ok(ParsedId {
        id: NationalId::from_digits(&digits),
        kind: fields.kind,
        synthetic: fields.synthetic,
        rule,
        day: fields.day,
        month: fields.month,
        birth_date,
    })
}

/// What a character in the input is allowed to be.
enum Class {
    Digit(u8),
    Space,
    /// A hyphen or dot: only allowed between digits.
    Mark,
    Invalid,
}

fn classify(ch: char) -> Class {
    match ch {
        '0'..='9' => Class::Digit(ch as u8 - b'0'),
        // Word processors turn "-" into a typographic hyphen or dash; accept those too.
        '-' | '.' | '\u{2010}' | '\u{2011}' | '\u{2013}' | '\u{2212}' => Class::Mark,
        c if c.is_whitespace() => Class::Space,
        _ => Class::Invalid,
    }
}

/// Extracts exactly eleven digits, reporting the first disallowed character by its 1-based
/// character position in the original input.
fn scan(input: &str) -> Result<Digits, IdError> {
    // `nth` stops after MAX_INPUT_CHARS + 1 characters, so huge input costs nothing.
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(IdError::TooLong);
    }
    if input.trim().is_empty() {
        return Err(IdError::Empty);
    }
    let mut digits: Digits = [0; 11];
    let mut count = 0;
    // The first hyphen or dot after the latest digit: an error unless another digit follows.
    let mut dangling_mark: Option<(char, usize)> = None;
    for (index, ch) in input.chars().enumerate() {
        let position = index + 1;
        match classify(ch) {
            Class::Digit(d) => {
                if let Some(slot) = digits.get_mut(count) {
                    *slot = d;
                }
                count += 1;
                dangling_mark = None;
            }
            Class::Mark if count == 0 => return Err(IdError::InvalidCharacter { ch, position }),
            Class::Mark => dangling_mark = dangling_mark.or(Some((ch, position))),
            Class::Space => {}
            Class::Invalid => return Err(IdError::InvalidCharacter { ch, position }),
        }
    }
    if let Some((ch, position)) = dangling_mark {
        return Err(IdError::InvalidCharacter { ch, position });
    }
    if count != 11 {
        return Err(IdError::WrongLength { digits: count });
    }
    Ok(digits)
}

/// The fields of a number, with the D-number and synthetic offsets removed.
struct Fields {
    kind: IdKind,
    synthetic: Option<SyntheticKind>,
    day: u8,
    month: u8,
    yy: u8,
    individual: u16,
}

impl Fields {
    fn decode(digits: &Digits) -> Result<Self, IdError> {
        let [d1, d2, m1, m2, y1, y2, i1, i2, i3, _, _] = *digits;
        let (kind, day_tens) = match d1 {
            0..=3 => (IdKind::Fodselsnummer, d1),
            4..=7 => (IdKind::DNummer, d1 - 4),
            _ => return Err(IdError::NotSupported),
        };
        let (synthetic, month_tens) = match m1 {
            0 | 1 => (None, m1),
            4 | 5 => (Some(SyntheticKind::Nav), m1 - 4),
            8 | 9 => (Some(SyntheticKind::Tenor), m1 - 8),
            _ => return Err(IdError::InvalidDate),
        };
        let fields = Fields {
            kind,
            synthetic,
            day: day_tens * 10 + d2,
            month: month_tens * 10 + m2,
            yy: y1 * 10 + y2,
            individual: u16::from(i1) * 100 + u16::from(i2) * 10 + u16::from(i3),
        };
        // Without a known century, check against 20yy: 29 February then exists exactly when
        // it exists in some century (as in the reference validator; 1900 is settled later).
        fields.date_in(2000).ok_or(IdError::InvalidDate)?;
        Ok(fields)
    }

    fn date_in(&self, century: i32) -> Option<Date> {
        let month = Month::try_from(self.month).ok()?;
        Date::from_calendar_date(century + i32::from(self.yy), month, self.day).ok()
    }

    /// The birth date where the number states it reliably. A known century can still
    /// make the date impossible (29 February 1900), which is an error.
    fn birth_date(&self, rule: CheckDigitRule) -> Result<Option<Date>, IdError> {
        let reliable = self.kind == IdKind::Fodselsnummer && rule == CheckDigitRule::Classic;
        match check::century(self.individual, self.yy) {
            Some(century) if reliable => self.date_in(century).map(Some).ok_or(IdError::InvalidDate),
            _ => Ok(None),
        }
    }
}

#[cfg(test)]
mod tests;
