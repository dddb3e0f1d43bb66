//! A party's representative: a *fullmektig* (forvaltningsloven § 12) or a *verge*
//! (vergemålsloven). While one is registered for a household, the municipality writes to the
//! representative: § 12 third paragraph says that when a party has a fullmektig, the agency
//! shall address its communications to the fullmektig, and may also write to the party itself.
//! A verge acts for the person within the mandate Statsforvalteren has given.
//!
//! One representative at a time per household: the letters go to one address. A representative
//! is ended (with a date and a reason), never deleted, so the file shows who received which letter.

use crate::postal::{PostalRegister, check_postal_address};
use crate::validation::{Errors, FieldError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// What kind of representative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepresentativeKind {
    /// Authorised by the party (forvaltningsloven § 12). Anyone who is not an advocate must
    /// show a written authority (fullmakt).
    Fullmektig,
    /// Appointed by Statsforvalteren under vergemålsloven.
    Verge,
}

impl RepresentativeKind {
    pub const ALL: [RepresentativeKind; 2] = [RepresentativeKind::Fullmektig, RepresentativeKind::Verge];

    pub fn code(self) -> &'static str {
        match self {
            RepresentativeKind::Fullmektig => "fullmektig",
            RepresentativeKind::Verge => "verge",
        }
    }

    pub fn from_code(code: &str) -> Option<RepresentativeKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A representative as typed in the form or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct RepresentativeInput {
    /// `fullmektig` or `verge`.
    pub kind: String,
    pub name: String,
    /// A law firm, an organisation or an agency the representative acts from, if any.
    pub organisation: String,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub phone: String,
    /// For a fullmektig the day the written authority was received; for a verge the day the
    /// guardianship began. `dd.mm.yyyy` or `yyyy-mm-dd`.
    pub authority_from: String,
    /// Whether the party also gets a copy of each letter.
    pub copy_to_party: bool,
}

/// A checked representative, ready to be kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewRepresentative {
    pub kind: RepresentativeKind,
    pub name: String,
    pub organisation: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub phone: Option<String>,
    pub authority_from: Date,
    pub copy_to_party: bool,
}

/// A representative as kept, with when it ended if it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Representative {
    pub id: String,
    #[serde(flatten)]
    pub details: NewRepresentative,
    /// The day from which letters no longer go to the representative.
    pub ended_on: Option<Date>,
    pub end_reason: Option<String>,
}

impl Representative {
    /// Whether letters written on `day` go to this representative.
    pub fn acts_on(&self, day: Date) -> bool {
        self.details.authority_from <= day && self.ended_on.is_none_or(|end| day < end)
    }

    /// The address block of a letter to the representative.
    pub fn address_lines(&self) -> Vec<String> {
        let d = &self.details;
        let mut lines = Vec::with_capacity(3);
        lines.extend(d.organisation.clone());
        lines.push(d.address_line.clone());
        lines.push(format!("{} {}", d.postal_code, d.postal_city));
        lines
    }
}

/// Checks a representative; every problem at once, each named by its field. The authority
/// cannot start after `today`: a letter must not go to someone who may not yet act.
pub fn check_representative(input: &RepresentativeInput, today: Date) -> Result<NewRepresentative, Vec<FieldError>> {
    let mut errors = Errors::default();
    let kind = match RepresentativeKind::from_code(input.kind.trim()) {
        Some(kind) => Some(kind),
        None if input.kind.trim().is_empty() => {
            errors.push(FieldError::required("kind"));
            None
        }
        None => {
            let allowed = RepresentativeKind::ALL.map(RepresentativeKind::code);
            errors.push(FieldError::unknown_value("kind", &input.kind, &allowed));
            None
        }
    };
    let name = errors.required_text("name", &input.name);
    let organisation = errors.optional_text("organisation", &input.organisation);
    let address_line = errors.required_text("address_line", &input.address_line);
    let (postal_code, postal_city) = check_postal_address(
        PostalRegister::embedded(),
        &input.postal_code,
        &input.postal_city,
        &mut errors,
    );
    let phone = errors.optional_text("phone", &input.phone);
    let authority_from = if input.authority_from.trim().is_empty() {
        errors.push(FieldError::required("authority_from"));
        None
    } else {
        errors.optional_date("authority_from", &input.authority_from)
    };
    if let Some(from) = authority_from
        && from > today
    {
        errors.push(FieldError::new(
            "authority_from",
            "authority_from.future",
            "error.representative.authority_from_future",
        ));
    }
    errors.into_result(()).map(|()| NewRepresentative {
        kind: kind.unwrap_or(RepresentativeKind::Fullmektig),
        name: name.unwrap_or_default(),
        organisation,
        address_line: address_line.unwrap_or_default(),
        postal_code: postal_code.unwrap_or_default(),
        postal_city: postal_city.unwrap_or_default(),
        phone,
        authority_from: authority_from.unwrap_or(today),
        copy_to_party: input.copy_to_party,
    })
}

/// The longest reason accepted for ending a representative, in characters.
pub const MAX_END_REASON: usize = 1_000;

/// Checks the end of a representative: a reason is required (the file must say why letters
/// stopped going there); the end is today or earlier (blank: today), not before the authority began.
pub fn check_end(
    representative: &Representative,
    ended_on: &str,
    reason: &str,
    today: Date,
) -> Result<(Date, String), Vec<FieldError>> {
    let mut errors = Errors::default();
    let ended = if ended_on.trim().is_empty() {
        Some(today)
    } else {
        errors.optional_date("ended_on", ended_on)
    };
    if representative.ended_on.is_some() {
        errors.push(FieldError::new(
            "ended_on",
            "representative.already_ended",
            "error.representative.already_ended",
        ));
    }
    if let Some(ended) = ended
        && ended > today
    {
        // Letters written until then would still go to the representative; end it on the day.
        errors.push(FieldError::new(
            "ended_on",
            "ended_on.future",
            "error.representative.ended_in_future",
        ));
    }
    if let Some(ended) = ended
        && ended < representative.details.authority_from
    {
        errors.push(FieldError::new(
            "ended_on",
            "ended_on.before_from",
            "error.representative.ended_before_from",
        ));
    }
    let reason = reason.trim();
    if reason.is_empty() {
        errors.push(FieldError::required("reason"));
    } else if reason.chars().count() > MAX_END_REASON {
        errors.push(FieldError::too_long("reason", MAX_END_REASON));
    }
    errors
        .into_result(())
        .map(|()| (ended.unwrap_or(today), reason.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::error_codes;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 02);

    fn input() -> RepresentativeInput {
        RepresentativeInput {
            kind: "fullmektig".into(),
            name: " Kari Fullmakt ".into(),
            organisation: "Advokatfirmaet Eksempel AS".into(),
            address_line: "Storgata 1".into(),
            postal_code: "3015".into(),
            postal_city: "Drammen".into(),
            phone: String::new(),
            authority_from: "01.12.2026".into(),
            copy_to_party: true,
        }
    }

    #[test]
    fn a_complete_representative_is_kept_trimmed() {
        let r = check_representative(&input(), TODAY).unwrap();
        assert_eq!(r.kind, RepresentativeKind::Fullmektig);
        assert_eq!(r.name, "Kari Fullmakt");
        assert_eq!(r.phone, None);
        assert_eq!(r.authority_from, date!(2026 - 12 - 01));
    }

    #[test]
    fn every_problem_is_named_by_its_field() {
        let bad = RepresentativeInput {
            kind: "advokat".into(),
            name: " ".into(),
            postal_code: "301".into(),
            authority_from: "03.12.2026".into(),
            ..input()
        };
        assert_eq!(
            error_codes(check_representative(&bad, TODAY)),
            [
                ("kind".to_string(), "unknown_value"),
                ("name".to_string(), "required"),
                ("postal_code".to_string(), "postal_code.invalid"),
                ("authority_from".to_string(), "authority_from.future"),
            ]
        );
        // The postal place may be left blank: it is filled in from the postal code.
        let empty = RepresentativeInput::default();
        let codes = error_codes(check_representative(&empty, TODAY));
        for field in ["kind", "name", "address_line", "postal_code", "authority_from"] {
            assert!(codes.contains(&(field.to_string(), "required")), "{field}: {codes:?}");
        }
    }

    fn kept(from: Date, ended_on: Option<Date>) -> Representative {
        let mut details = check_representative(&input(), TODAY).unwrap();
        details.authority_from = from;
        Representative {
            id: "r".into(),
            details,
            ended_on,
            end_reason: ended_on.map(|_| "Fullmakten er trukket tilbake".into()),
        }
    }

    #[test]
    fn letters_go_to_the_representative_from_the_authority_until_the_end() {
        let r = kept(date!(2026 - 11 - 01), Some(date!(2026 - 12 - 01)));
        assert!(!r.acts_on(date!(2026 - 10 - 31)));
        assert!(r.acts_on(date!(2026 - 11 - 01)));
        assert!(r.acts_on(date!(2026 - 11 - 30)));
        assert!(!r.acts_on(date!(2026 - 12 - 01)));
        assert!(kept(date!(2026 - 11 - 01), None).acts_on(TODAY));
    }

    #[test]
    fn the_address_block_names_the_organisation_first() {
        let r = kept(TODAY, None);
        assert_eq!(
            r.address_lines(),
            ["Advokatfirmaet Eksempel AS", "Storgata 1", "3015 Drammen"]
        );
    }

    #[test]
    fn ending_needs_a_reason_and_cannot_precede_the_authority() {
        let active = kept(date!(2026 - 11 - 01), None);
        assert_eq!(
            check_end(&active, "", " Fullmakten er trukket tilbake ", TODAY).unwrap(),
            (TODAY, "Fullmakten er trukket tilbake".to_string())
        );
        assert_eq!(
            error_codes(check_end(&active, "31.10.2026", "", TODAY)),
            [
                ("ended_on".to_string(), "ended_on.before_from"),
                ("reason".to_string(), "required"),
            ]
        );
        assert_eq!(
            error_codes(check_end(&active, "03.12.2026", "Flytter", TODAY)),
            [("ended_on".to_string(), "ended_on.future")]
        );
        let ended = kept(date!(2026 - 11 - 01), Some(TODAY));
        assert_eq!(
            error_codes(check_end(&ended, "", "igjen", TODAY)),
            [("ended_on".to_string(), "representative.already_ended")]
        );
    }
}
