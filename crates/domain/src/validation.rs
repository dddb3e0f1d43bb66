//! Field-level validation errors shared by the web forms, the JSON API and the CLI.
//!
//! Each error names the field it belongs to (a path such as `members[2].national_id`), carries a
//! stable code that API clients can rely on, and renders a sentence in the user's language.

use crate::message::{Message, shorten};
use serde::Serialize;

/// Longest accepted free-text field. Long enough for any real name or address line, short enough
/// that a form field cannot be used to store a document.
pub const MAX_TEXT_LEN: usize = 200;

/// Whether text holds a control character that no field accepts: anything but tab, line feed
/// and carriage return (for fields of several lines). NUL among them: PostgreSQL cannot store it,
/// and no person types one.
pub fn has_forbidden_control(text: &str) -> bool {
    text.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// The error for a field holding a control character.
pub fn control_character(field: impl Into<String>) -> FieldError {
    FieldError::new(field, "control_character", "error.control_character")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Path of the offending field, e.g. `address.postal_code` or `members[1].national_id`.
    pub field: String,
    /// Stable machine-readable code, e.g. `required` or `national_id.check_digit_2`.
    pub code: &'static str,
    /// What to tell the person, worded by the catalogue.
    #[serde(skip)]
    pub message: Message,
}

impl FieldError {
    /// An error worded by the catalogue entry `key`.
    pub fn new(field: impl Into<String>, code: &'static str, key: &'static str) -> Self {
        Self::with_message(field, code, Message::new(key))
    }

    pub fn with_message(field: impl Into<String>, code: &'static str, message: Message) -> Self {
        Self {
            field: field.into(),
            code,
            message,
        }
    }

    /// Adds a value for a `{name}` placeholder of the message.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Self {
        self.message = self.message.arg(name, value);
        self
    }

    /// Adds a placeholder value that is itself a catalogue key.
    pub fn arg_key(mut self, name: &'static str, key: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        self.message = self.message.arg_key(name, key);
        self
    }

    /// Adds a placeholder value that is a list of catalogue keys.
    pub fn arg_keys(mut self, name: &'static str, keys: Vec<std::borrow::Cow<'static, str>>) -> Self {
        self.message = self.message.arg_keys(name, keys);
        self
    }

    pub fn required(field: impl Into<String>) -> Self {
        Self::new(field, "required", "error.required")
    }

    pub fn too_long(field: impl Into<String>, max: usize) -> Self {
        Self::new(field, "too_long", "error.too_long").arg("max", max)
    }

    pub fn invalid_date(field: impl Into<String>) -> Self {
        Self::new(field, "invalid_date", "error.invalid_date")
    }

    pub fn unknown_value(field: impl Into<String>, value: &str, allowed: &[&str]) -> Self {
        Self::new(field, "unknown_value", "error.unknown_value")
            .arg("value", shorten(value))
            .arg("allowed", allowed.join(", "))
    }
}

/// Collects errors while a whole input is validated, so the user sees every problem at once.
#[derive(Debug, Default)]
pub struct Errors(pub Vec<FieldError>);

impl Errors {
    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Trimmed required text, at most [`MAX_TEXT_LEN`] characters.
    pub fn required_text(&mut self, field: &str, value: &str) -> Option<String> {
        let value = value.trim();
        if value.is_empty() {
            self.push(FieldError::required(field));
            None
        } else {
            self.optional_text(field, value)
        }
    }

    /// Trimmed optional text (`None` when blank), at most [`MAX_TEXT_LEN`] characters.
    pub fn optional_text(&mut self, field: &str, value: &str) -> Option<String> {
        let value = value.trim();
        if value.chars().count() > MAX_TEXT_LEN {
            self.push(FieldError::too_long(field, MAX_TEXT_LEN));
            None
        } else if value.is_empty() {
            None
        } else {
            Some(value.to_string())
        }
    }

    /// An optional date typed as `dd.mm.yyyy` (as Norwegians write it) or ISO `yyyy-mm-dd`.
    pub fn optional_date(&mut self, field: &str, value: &str) -> Option<time::Date> {
        let value = value.trim();
        if value.is_empty() {
            return None;
        }
        let parsed = parse_date(value);
        if parsed.is_none() {
            self.push(FieldError::invalid_date(field));
        }
        parsed
    }

    pub fn into_result<T>(self, value: T) -> Result<T, Vec<FieldError>> {
        if self.0.is_empty() { Ok(value) } else { Err(self.0) }
    }
}

/// Parses `dd.mm.yyyy` or `yyyy-mm-dd`.
pub fn parse_date(value: &str) -> Option<time::Date> {
    let (year, month, day) = if let Some((y, rest)) = value.split_once('-') {
        let (m, d) = rest.split_once('-')?;
        (y, m, d)
    } else {
        let mut parts = value.split('.');
        let d = parts.next()?;
        let m = parts.next()?;
        let y = parts.next()?;
        if parts.next().is_some() {
            return None;
        }
        (y, m, d)
    };
    if year.len() != 4 || !(1..=2).contains(&month.len()) || !(1..=2).contains(&day.len()) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let month: u8 = month.parse().ok()?;
    let day: u8 = day.parse().ok()?;
    let month = time::Month::try_from(month).ok()?;
    time::Date::from_calendar_date(year, month, day).ok()
}

/// Formats a date the Norwegian way, `dd.mm.yyyy`.
pub fn format_date(date: time::Date) -> String {
    format!("{:02}.{:02}.{:04}", date.day(), u8::from(date.month()), date.year())
}

/// Checks an amount typed in whole kroner: not negative, at most `max`.
pub fn amount_kr(errors: &mut Errors, field: &str, kr: i64, max: i64) {
    if kr < 0 {
        errors.push(FieldError::new(field, "negative_amount", "error.negative_amount"));
    } else if kr > max {
        errors.push(FieldError::new(field, "amount_too_large", "error.amount_too_large"));
    }
}

/// Whole kroner as people write them: `1250000`, `1 250 000` (also with non-breaking or thin
/// spaces), `1.250.000`, `1 250 000 kr`, `kr 1 250 000,-`, `1 250 000,00`. A leading minus is
/// kept (each form refuses negative amounts with its own message). `None` when unreadable.
pub fn parse_kr(text: &str) -> Option<i64> {
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut s = compact.to_lowercase();
    for prefix in ["kr.", "kr", "nok"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest.to_string();
            break;
        }
    }
    for suffix in [",-", ".-", "kr.", "kr", "nok", ",-", ",00", ".00"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest.to_string();
        }
    }
    let (negative, digits) = match s.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, s.as_str()),
    };
    let mut groups = digits.split('.');
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let valid_groups = rest.is_empty() || ((1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3));
    let joined = format!("{first}{}", rest.concat());
    if joined.is_empty() || !valid_groups || !joined.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let kr: i64 = joined.parse().ok()?;
    Some(if negative { -kr } else { kr })
}

/// An amount in øre as whole kroner (øre dropped, rounding down), written as [`format_kr`] does.
pub fn format_ore_as_kr(ore: i64) -> String {
    format_kr(ore.div_euclid(100))
}

/// `12 345 kr` with a non-breaking space between thousands, as Norwegian text writes it.
pub fn format_kr(amount: i64) -> String {
    let sign = if amount < 0 { "−" } else { "" };
    format!("{sign}{}\u{a0}kr", group_thousands(amount.unsigned_abs()))
}

/// `1 250 000` with a non-breaking space between thousands, as Norwegian text writes numbers.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

/// The field and code of each error a check returned (none when it passed): what table tests
/// compare.
#[cfg(test)]
pub(crate) fn error_codes<T>(result: Result<T, Vec<FieldError>>) -> Vec<(String, &'static str)> {
    result
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|e| (e.field, e.code))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_but_tab_and_line_breaks_are_forbidden() {
        assert!(!has_forbidden_control("Åse Ødegård\tLinje 1\r\nLinje 2"));
        for bad in ["a\u{0}b", "\u{7}", "x\u{1b}[31m", "\u{7f}", "\u{85}", "\u{9b}"] {
            assert!(has_forbidden_control(bad), "{bad:?}");
        }
        assert_eq!(control_character("given_name").code, "control_character");
    }

    #[test]
    fn amounts_are_read_the_norwegian_way() {
        assert_eq!(parse_kr("1250000"), Some(1_250_000));
        assert_eq!(parse_kr(" 1 250 000 "), Some(1_250_000));
        assert_eq!(parse_kr("1\u{a0}250\u{a0}000\u{a0}kr"), Some(1_250_000));
        assert_eq!(parse_kr("1\u{202f}250\u{202f}000"), Some(1_250_000));
        assert_eq!(parse_kr("1 250 000 kr"), Some(1_250_000));
        assert_eq!(parse_kr("kr 1 250 000,-"), Some(1_250_000));
        assert_eq!(parse_kr("1.250.000"), Some(1_250_000));
        assert_eq!(parse_kr("1 250 000,00"), Some(1_250_000));
        assert_eq!(parse_kr("NOK 500"), Some(500));
        assert_eq!(parse_kr("-3"), Some(-3));
        assert_eq!(parse_kr("−3 000"), Some(-3000));
        for bad in [
            "",
            "kr",
            "12,5",
            "1.25",
            "12.5000",
            "abc",
            "1 2x",
            "99999999999999999999",
        ] {
            assert_eq!(parse_kr(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn dates_in_both_forms() {
        let d = time::macros::date!(2026 - 02 - 03);
        assert_eq!(parse_date("03.02.2026"), Some(d));
        assert_eq!(parse_date("3.2.2026"), Some(d));
        assert_eq!(parse_date("2026-02-03"), Some(d));
        assert_eq!(parse_date("30.02.2026"), None);
        assert_eq!(parse_date("03.02.26"), None);
        assert_eq!(parse_date("2026-02"), None);
        assert_eq!(parse_date("a.b.c"), None);
        assert_eq!(format_date(d), "03.02.2026");
    }

    #[test]
    fn text_limits() {
        let mut e = Errors::default();
        assert_eq!(e.required_text("x", "  Ola "), Some("Ola".into()));
        assert_eq!(e.required_text("y", "   "), None);
        assert_eq!(e.optional_text("z", &"å".repeat(MAX_TEXT_LEN + 1)), None);
        let codes: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(codes, [("y", "required"), ("z", "too_long")]);
    }
}
