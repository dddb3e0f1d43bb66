//! Consent to share a household's information with a partner organisation (NAV, health and
//! care, the refugee service, a voluntary follow-up team). The duty of confidentiality
//! (forvaltningsloven § 13, sosialtjenesteloven § 44) lifts with the person's consent
//! (forvaltningsloven § 13 a nr. 1); the GDPR asks that it be specific (a purpose and the
//! categories of data), informed, recorded with how it was given, limited in time and as easy to
//! withdraw as to give. A partner sees a household only through a consent in force on the day
//! of access ([`crate::authz::authorize_on_consent`]).

pub mod form;

use std::collections::BTreeSet;

use time::Date;

use crate::PersonId;
use crate::allocation::coded;
use crate::tenancy::{coded_field, date_field};
use crate::validation::{Errors, FieldError, control_character, has_forbidden_control};

/// The longest purpose, in characters.
pub const MAX_PURPOSE_LEN: usize = 500;

/// The longest reason for a withdrawal, in characters.
pub const MAX_REASON_LEN: usize = 500;

coded! {
    /// What a consent lets the partner see of the household. Each names a part of the
    /// partner's view of the household; nothing outside the consented parts is shown.
    ConsentCategory {
        /// Names, birth dates, address, phone and e-mail of the household's members.
        Contact => "contact",
        /// The household's applications: what was applied for, where each stands, the
        /// decisions and their dates.
        Case => "case",
        /// The follow-up plan, its measures, and the log of contacts and home visits; with it
        /// the partner may log its own contacts and visits.
        FollowUp => "follow_up",
        /// The economy as registered: the members' incomes, the benefits the household
        /// receives, and the rent of its municipal dwelling.
        Economy => "economy",
        /// The documents of the household's applications: their names and days, and the
        /// documents themselves.
        Documents => "documents",
    }
}

coded! {
    /// How the consent was given.
    ConsentEvidence {
        /// A signed form, kept with the household's documents.
        SignedForm => "signed_form",
        /// Given in a meeting and noted by the worker who records it.
        Meeting => "meeting",
        /// Given by the person in self-service.
        SelfService => "self_service",
    }
}

coded! {
    /// Who gave it: the person, or a guardian (verge, or a parent for a child).
    GivenBy {
        Person => "person",
        Guardian => "guardian",
    }
}

coded! {
    /// Where a consent stands on a day.
    ConsentState {
        /// Starts later.
        Scheduled => "scheduled",
        InForce => "in_force",
        /// Its last day has passed.
        Expired => "expired",
        Withdrawn => "withdrawn",
    }
}

/// The state of a consent valid `from`..=`to` on `day`; a withdrawal ends it at once, whatever
/// its dates say.
pub fn consent_state(from: Date, to: Date, withdrawn: bool, day: Date) -> ConsentState {
    if withdrawn {
        ConsentState::Withdrawn
    } else if day < from {
        ConsentState::Scheduled
    } else if day > to {
        ConsentState::Expired
    } else {
        ConsentState::InForce
    }
}

/// A consent as typed. `organisation_known` is whether the chosen partner organisation is one of
/// the municipality's (the caller looks it up; an organisation of another municipality is not).
#[derive(Debug, Clone, Default)]
pub struct ConsentInput<'a> {
    pub person: &'a str,
    pub organisation: &'a str,
    pub organisation_known: bool,
    pub purpose: &'a str,
    pub categories: Vec<&'a str>,
    pub valid_from: &'a str,
    pub valid_to: &'a str,
    pub evidence: &'a str,
    pub given_by: &'a str,
    /// The guardian's name, when a guardian gave it.
    pub guardian: &'a str,
}

/// A consent that passed [`check_consent`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentFields {
    pub person: PersonId,
    /// The partner organisation's id, as typed (the caller found it among the municipality's).
    pub organisation: String,
    pub purpose: String,
    /// At least one, in their listed order.
    pub categories: Vec<ConsentCategory>,
    pub valid_from: Date,
    pub valid_to: Date,
    pub evidence: ConsentEvidence,
    pub given_by: GivenBy,
    pub guardian: Option<String>,
}

pub(crate) fn text(errors: &mut Errors, field: &str, value: &str, max: usize) -> Option<String> {
    let value = value.trim();
    if value.is_empty() {
        errors.push(FieldError::required(field));
        None
    } else if value.chars().count() > max {
        errors.push(FieldError::too_long(field, max));
        None
    } else if has_forbidden_control(value) {
        errors.push(control_character(field));
        None
    } else {
        Some(value.to_string())
    }
}

/// Checks a consent: a member of the household (`members`) who gives it, a partner organisation
/// of the municipality, a purpose, at least one category, a period that ends on or after the day
/// it starts and has not ended before `today`, how it was given, and who gave it (a guardian by
/// name). Every problem at once, each named by its field.
pub fn check_consent(
    input: &ConsentInput<'_>,
    members: &[PersonId],
    today: Date,
) -> Result<ConsentFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let person = match input.person.trim() {
        "" => {
            errors.push(FieldError::required("person"));
            None
        }
        typed => match typed
            .parse::<uuid::Uuid>()
            .ok()
            .map(PersonId)
            .filter(|p| members.contains(p))
        {
            Some(person) => Some(person),
            None => {
                errors.push(FieldError::new(
                    "person",
                    "consent.not_a_member",
                    "error.consent.not_a_member",
                ));
                None
            }
        },
    };
    let organisation = match input.organisation.trim() {
        "" => {
            errors.push(FieldError::required("organisation"));
            None
        }
        _ if !input.organisation_known => {
            errors.push(FieldError::new(
                "organisation",
                "consent.unknown_organisation",
                "error.consent.unknown_organisation",
            ));
            None
        }
        typed => Some(typed.to_string()),
    };
    let purpose = text(&mut errors, "purpose", input.purpose, MAX_PURPOSE_LEN);
    let mut chosen = BTreeSet::new();
    for typed in input.categories.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match ConsentCategory::from_code(typed) {
            Some(category) => {
                chosen.insert(category);
            }
            None => errors.push(FieldError::unknown_value(
                "categories",
                typed,
                &ConsentCategory::codes(),
            )),
        }
    }
    if chosen.is_empty() && input.categories.iter().all(|c| c.trim().is_empty()) {
        errors.push(FieldError::new(
            "categories",
            "consent.no_category",
            "error.consent.no_category",
        ));
    }
    let valid_from = date_field(&mut errors, "valid_from", input.valid_from, true);
    let valid_to = date_field(&mut errors, "valid_to", input.valid_to, true);
    if let (Some(from), Some(to)) = (valid_from, valid_to) {
        if to < from {
            errors.push(FieldError::new(
                "valid_to",
                "consent.ends_before_start",
                "error.consent.ends_before_start",
            ));
        } else if to < today {
            errors.push(FieldError::new(
                "valid_to",
                "consent.already_ended",
                "error.consent.already_ended",
            ));
        }
    }
    let evidence = coded_field(
        &mut errors,
        "evidence",
        input.evidence,
        ConsentEvidence::from_code,
        &ConsentEvidence::codes(),
    );
    let given_by = coded_field(
        &mut errors,
        "given_by",
        input.given_by,
        GivenBy::from_code,
        &GivenBy::codes(),
    );
    let guardian = match given_by {
        Some(GivenBy::Guardian) => text(&mut errors, "guardian", input.guardian, crate::validation::MAX_TEXT_LEN),
        _ => None,
    };
    match (person, organisation, purpose, valid_from, valid_to, evidence, given_by) {
        (
            Some(person),
            Some(organisation),
            Some(purpose),
            Some(valid_from),
            Some(valid_to),
            Some(evidence),
            Some(given_by),
        ) if errors.is_empty() => Ok(ConsentFields {
            person,
            organisation,
            purpose,
            categories: chosen.into_iter().collect(),
            valid_from,
            valid_to,
            evidence,
            given_by,
            guardian,
        }),
        _ => Err(errors.0),
    }
}

/// Checks the reason for withdrawing a consent (what the person said, and how): required, at
/// most [`MAX_REASON_LEN`] characters.
pub fn check_withdrawal(reason: &str) -> Result<String, Vec<FieldError>> {
    let mut errors = Errors::default();
    let reason = text(&mut errors, "reason", reason, MAX_REASON_LEN);
    match reason {
        Some(reason) if errors.is_empty() => Ok(reason),
        _ => Err(errors.0),
    }
}

/// The categories a partner may see on `day`: the union of those of the consents in force.
pub fn categories_in_force<'a>(
    consents: impl IntoIterator<Item = (&'a [ConsentCategory], Date, Date, bool)>,
    day: Date,
) -> Vec<ConsentCategory> {
    let mut union = BTreeSet::new();
    for (categories, from, to, withdrawn) in consents {
        if consent_state(from, to, withdrawn, day) == ConsentState::InForce {
            union.extend(categories.iter().copied());
        }
    }
    union.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn member() -> PersonId {
        PersonId("0193a000-0000-7000-8000-000000000001".parse().unwrap())
    }

    fn input() -> ConsentInput<'static> {
        ConsentInput {
            person: "0193a000-0000-7000-8000-000000000001",
            organisation: "0193a000-0000-7000-8000-0000000000aa",
            organisation_known: true,
            purpose: "Oppfølging i hjemmet fra Bo-teamet",
            categories: vec!["contact", "follow_up"],
            valid_from: "01.12.2026",
            valid_to: "2027-11-30",
            evidence: "signed_form",
            given_by: "person",
            guardian: "",
        }
    }

    fn codes(input: &ConsentInput<'_>) -> Vec<(String, &'static str)> {
        match check_consent(input, &[member()], TODAY) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn a_complete_consent_passes_with_its_categories_in_order() {
        let mut typed = input();
        typed.categories = vec!["follow_up", "contact", "follow_up"];
        let fields = check_consent(&typed, &[member()], TODAY).unwrap();
        assert_eq!(
            fields.categories,
            vec![ConsentCategory::Contact, ConsentCategory::FollowUp]
        );
        assert_eq!(fields.valid_from, date!(2026 - 12 - 01));
        assert_eq!(fields.valid_to, date!(2027 - 11 - 30));
        assert_eq!(fields.guardian, None);
    }

    #[test]
    fn bad_consents_are_refused_naming_each_field() {
        type Change = fn(&mut ConsentInput<'static>);
        let table: Vec<(Change, Vec<(&str, &str)>)> = vec![
            (|i| i.purpose = "  ", vec![("purpose", "required")]),
            (|i| i.categories = vec![], vec![("categories", "consent.no_category")]),
            (
                |i| i.categories = vec!["", " "],
                vec![("categories", "consent.no_category")],
            ),
            (|i| i.categories = vec!["health"], vec![("categories", "unknown_value")]),
            (
                |i| i.valid_to = "30.11.2026",
                vec![("valid_to", "consent.ends_before_start")],
            ),
            (
                |i| {
                    i.valid_from = "01.01.2026";
                    i.valid_to = "03.12.2026";
                },
                vec![("valid_to", "consent.already_ended")],
            ),
            (|i| i.valid_from = "31.02.2026", vec![("valid_from", "invalid_date")]),
            (|i| i.valid_to = "", vec![("valid_to", "required")]),
            (
                |i| i.person = "0193a000-0000-7000-8000-000000000002",
                vec![("person", "consent.not_a_member")],
            ),
            (|i| i.person = "not an id", vec![("person", "consent.not_a_member")]),
            (
                |i| i.organisation_known = false,
                vec![("organisation", "consent.unknown_organisation")],
            ),
            (|i| i.organisation = "", vec![("organisation", "required")]),
            (|i| i.evidence = "email", vec![("evidence", "unknown_value")]),
            (|i| i.given_by = "guardian", vec![("guardian", "required")]),
            (|i| i.purpose = "a\u{0}b", vec![("purpose", "control_character")]),
        ];
        for (change, want) in table {
            let mut typed = input();
            change(&mut typed);
            let want: Vec<(String, &str)> = want.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
            assert_eq!(codes(&typed), want, "{typed:?}");
        }
        let long = "x".repeat(MAX_PURPOSE_LEN + 1);
        let mut typed = input();
        typed.purpose = &long;
        assert_eq!(codes(&typed), vec![("purpose".to_string(), "too_long")]);
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let typed = ConsentInput::default();
        let fields: Vec<String> = codes(&typed).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            [
                "person",
                "organisation",
                "purpose",
                "categories",
                "valid_from",
                "valid_to",
                "evidence",
                "given_by"
            ]
        );
    }

    #[test]
    fn a_guardian_is_named() {
        let mut typed = input();
        typed.given_by = "guardian";
        typed.guardian = " Verge Vigdis Dahl ";
        let fields = check_consent(&typed, &[member()], TODAY).unwrap();
        assert_eq!(fields.given_by, GivenBy::Guardian);
        assert_eq!(fields.guardian.as_deref(), Some("Verge Vigdis Dahl"));
    }

    #[test]
    fn states_over_a_period() {
        let (from, to) = (date!(2026 - 12 - 01), date!(2027 - 01 - 31));
        let table = [
            (date!(2026 - 11 - 30), false, ConsentState::Scheduled),
            (date!(2026 - 12 - 01), false, ConsentState::InForce),
            (date!(2027 - 01 - 31), false, ConsentState::InForce),
            (date!(2027 - 02 - 01), false, ConsentState::Expired),
            (date!(2026 - 12 - 15), true, ConsentState::Withdrawn),
            (date!(2026 - 11 - 01), true, ConsentState::Withdrawn),
        ];
        for (day, withdrawn, want) in table {
            assert_eq!(consent_state(from, to, withdrawn, day), want, "{day}");
        }
    }

    #[test]
    fn a_withdrawal_needs_a_reason() {
        assert_eq!(check_withdrawal(" Sa det i telefonen ").unwrap(), "Sa det i telefonen");
        assert_eq!(check_withdrawal("").unwrap_err()[0].code, "required");
    }

    fn day(offset: i64) -> Date {
        TODAY + time::Duration::days(offset)
    }

    proptest! {
        /// A category is in force on a day exactly when some consent holding it is in force.
        #[test]
        fn in_force_is_the_union_of_consents_in_force(
            consents in proptest::collection::vec((0usize..32, -30i64..30, 0i64..60, any::<bool>()), 0..6),
            offset in -40i64..60,
        ) {
            let all = ConsentCategory::ALL;
            let kept: Vec<(Vec<ConsentCategory>, Date, Date, bool)> = consents
                .iter()
                .map(|&(mask, start, length, withdrawn)| {
                    let categories = all.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, c)| *c).collect();
                    (categories, day(start), day(start + length), withdrawn)
                })
                .collect();
            let on = day(offset);
            let union = categories_in_force(kept.iter().map(|(c, f, t, w)| (c.as_slice(), *f, *t, *w)), on);
            for category in all {
                let expected = kept.iter().any(|(c, f, t, w)| !w && *f <= on && on <= *t && c.contains(category));
                prop_assert_eq!(union.contains(category), expected);
            }
        }
    }
}
