//! People: validation of what a caseworker or an applicant types about a person.

use crate::Lang;
use crate::national_id::{self, IdKind, NationalId, SyntheticPolicy};
use crate::validation::{Errors, FieldError};
use serde::{Deserialize, Serialize};

/// A person as typed into a form or sent to the API: every field is raw text.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonInput {
    pub national_id: String,
    pub given_name: String,
    pub family_name: String,
    /// `dd.mm.yyyy` or `yyyy-mm-dd`; may be left empty when the number gives the date.
    pub birth_date: String,
    pub phone: String,
    pub email: String,
    /// `nb` or `en`; empty means bokmål.
    pub preferred_language: String,
}

impl PersonInput {
    pub fn is_blank(&self) -> bool {
        [
            &self.national_id,
            &self.given_name,
            &self.family_name,
            &self.birth_date,
            &self.phone,
            &self.email,
        ]
        .iter()
        .all(|v| v.trim().is_empty())
    }
}

/// A validated person, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPerson {
    pub national_id: NationalId,
    pub id_kind: IdKind,
    pub given_name: String,
    pub family_name: String,
    pub birth_date: time::Date,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub preferred_language: Lang,
}

/// Validates one person; field paths are prefixed with `prefix` (e.g. `members[0].`).
pub fn validate_person(
    prefix: &str,
    input: &PersonInput,
    policy: SyntheticPolicy,
    today: time::Date,
    errors: &mut Errors,
) -> Option<ValidPerson> {
    let field = |name: &str| format!("{prefix}{name}");
    let parsed = if input.national_id.trim().is_empty() {
        errors.push(FieldError::required(field("national_id")));
        None
    } else {
        match national_id::parse(&input.national_id, policy) {
            Ok(p) => Some(p),
            Err(e) => {
                errors.push(FieldError::with_message(field("national_id"), e.code(), e.message()));
                None
            }
        }
    };
    let given_name = errors.required_text(&field("given_name"), &input.given_name);
    let family_name = errors.required_text(&field("family_name"), &input.family_name);
    let typed_birth = errors.optional_date(&field("birth_date"), &input.birth_date);
    let birth_date = birth_date(
        &field("birth_date"),
        parsed.as_ref(),
        typed_birth,
        &input.birth_date,
        today,
        errors,
    );
    let phone = errors
        .optional_text(&field("phone"), &input.phone)
        .and_then(|p| check_phone(&field("phone"), p, errors));
    let email = errors
        .optional_text(&field("email"), &input.email)
        .and_then(|e| check_email(&field("email"), e, errors));
    let preferred_language = match input.preferred_language.trim() {
        "" => Some(Lang::Nb),
        code => Lang::from_code(code).or_else(|| {
            errors.push(FieldError::unknown_value(
                field("preferred_language"),
                code,
                &["nb", "nn", "en"],
            ));
            None
        }),
    };
    let parsed = parsed?;
    Some(ValidPerson {
        national_id: parsed.id.clone(),
        id_kind: parsed.kind,
        given_name: given_name?,
        family_name: family_name?,
        birth_date: birth_date?,
        phone,
        email,
        preferred_language: preferred_language?,
    })
}

/// The birth date: typed by the user, or read from the number when the number tells it reliably
/// (before 2032, see [`national_id::ParsedId::birth_date_on`]).
/// A typed date must agree with the day and month in the number.
fn birth_date(
    field: &str,
    parsed: Option<&national_id::ParsedId>,
    typed: Option<time::Date>,
    raw: &str,
    today: time::Date,
    errors: &mut Errors,
) -> Option<time::Date> {
    let parsed = parsed?;
    match typed {
        Some(date) => {
            if parsed.day_month() != (date.day(), u8::from(date.month())) {
                errors.push(FieldError::new(
                    field,
                    "birth_date.mismatch",
                    "error.person.birth_date_mismatch",
                ));
                return None;
            }
            Some(date)
        }
        None if raw.trim().is_empty() => parsed.birth_date_on(today).or_else(|| {
            errors.push(FieldError::new(
                field,
                "birth_date.required",
                "error.person.birth_date_required",
            ));
            None
        }),
        None => None,
    }
}

fn check_phone(field: &str, phone: String, errors: &mut Errors) -> Option<String> {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == ' ' || (c == '+' && i == 0));
    if allowed && (8..=15).contains(&digits) {
        Some(phone)
    } else {
        errors.push(FieldError::new(field, "phone.invalid", "error.person.phone"));
        None
    }
}

fn check_email(field: &str, email: String, errors: &mut Errors) -> Option<String> {
    let valid = match email.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !email.contains(char::is_whitespace)
                && !domain.contains('@')
        }
        None => false,
    };
    if valid {
        Some(email)
    } else {
        errors.push(FieldError::new(field, "email.invalid", "error.person.email"));
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_found_by_its_parts_split_on_space_hyphen_and_apostrophe() {
        let words = |given, family| crate::search::search_words(&[given, family]);
        assert_eq!(words("Kari-Anne", "Østby Ås"), ["anne", "kari", "ås", "østby"]);
        assert_eq!(words("Siobhán", "O'Neill"), ["neill", "o", "siobhán"]);
    }

    #[test]
    fn email_and_phone_checks() {
        let mut e = Errors::default();
        assert!(check_email("e", "ola@eksempel.no".into(), &mut e).is_some());
        assert!(check_email("e", "ola@eksempel".into(), &mut e).is_none());
        assert!(check_email("e", "ola @x.no".into(), &mut e).is_none());
        assert!(check_phone("p", "+47 912 34 567".into(), &mut e).is_some());
        assert!(check_phone("p", "12-34".into(), &mut e).is_none());
        assert_eq!(e.0.len(), 3);
    }
}
