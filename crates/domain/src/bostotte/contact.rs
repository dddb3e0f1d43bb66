//! Reaching out: a contact with a household on the outreach list, to tell it that it likely
//! qualifies for bostøtte. One contact per household and list month (recording it again
//! replaces it); the action plan counts the households reached in a year.

use time::{Date, Duration};

use crate::allocation::coded;
use crate::tenancy::{coded_field, date_field};
use crate::validation::{Errors, FieldError, control_character, has_forbidden_control};

/// The longest note, in characters.
pub const MAX_NOTE_LEN: usize = 1_000;

/// How far back a contact may be dated, in days: the list of last month is worked through this
/// month, and an older contact belongs to an older list.
pub const MAX_DAYS_BACK: i64 = 93;

coded! {
    /// How the household was contacted.
    ContactChannel {
        Letter => "letter",
        Phone => "phone",
        Meeting => "meeting",
        SmsOrEmail => "sms_or_email",
    }
}

coded! {
    /// What came of the contact: the household will apply, has applied (with help or by
    /// itself), was told and does not want to, or was not reached.
    ContactOutcome {
        WillApply => "will_apply",
        Applied => "applied",
        NotInterested => "not_interested",
        NotReached => "not_reached",
    }
}

impl ContactOutcome {
    /// Whether the household got the message: every outcome but "not reached".
    pub fn reached(self) -> bool {
        self != ContactOutcome::NotReached
    }
}

/// A contact as typed.
#[derive(Debug, Clone, Default)]
pub struct ContactInput<'a> {
    pub contacted_on: &'a str,
    pub channel: &'a str,
    pub outcome: &'a str,
    pub note: &'a str,
}

/// A contact that passed [`check_contact`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactFields {
    pub contacted_on: Date,
    pub channel: ContactChannel,
    pub outcome: ContactOutcome,
    pub note: Option<String>,
}

/// Checks a contact: the day (not ahead of today, at most [`MAX_DAYS_BACK`] days back), how and
/// with what outcome (from their lists), and an optional note of at most [`MAX_NOTE_LEN`]
/// characters. Every problem at once, each named by its field.
pub fn check_contact(input: &ContactInput<'_>, today: Date) -> Result<ContactFields, Vec<FieldError>> {
    let mut errors = Errors::default();
    let contacted_on = date_field(&mut errors, "contacted_on", input.contacted_on, true);
    if let Some(day) = contacted_on {
        if day > today {
            errors.push(FieldError::new(
                "contacted_on",
                "outreach.contact_in_future",
                "error.outreach.contact_in_future",
            ));
        } else if day < today - Duration::days(MAX_DAYS_BACK) {
            errors.push(FieldError::new(
                "contacted_on",
                "outreach.contact_too_old",
                "error.outreach.contact_too_old",
            ));
        }
    }
    let channel = coded_field(
        &mut errors,
        "channel",
        input.channel,
        ContactChannel::from_code,
        &ContactChannel::codes(),
    );
    let outcome = coded_field(
        &mut errors,
        "outcome",
        input.outcome,
        ContactOutcome::from_code,
        &ContactOutcome::codes(),
    );
    let note = match input.note.trim() {
        "" => None,
        text if text.chars().count() > MAX_NOTE_LEN => {
            errors.push(FieldError::too_long("note", MAX_NOTE_LEN));
            None
        }
        text if has_forbidden_control(text) => {
            errors.push(control_character("note"));
            None
        }
        text => Some(text.to_string()),
    };
    match (contacted_on, channel, outcome, errors.0.is_empty()) {
        (Some(contacted_on), Some(channel), Some(outcome), true) => Ok(ContactFields {
            contacted_on,
            channel,
            outcome,
            note,
        }),
        _ => Err(errors.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn fields(errors: &[FieldError]) -> Vec<(&str, &str)> {
        errors.iter().map(|e| (e.field.as_str(), e.code)).collect()
    }

    #[test]
    fn a_contact_names_its_day_channel_and_outcome() {
        let ok = check_contact(
            &ContactInput {
                contacted_on: "03.12.2026",
                channel: "phone",
                outcome: "will_apply",
                note: "  Søker med hjelp fra NAV  ",
            },
            TODAY,
        )
        .unwrap();
        assert_eq!(ok.contacted_on, date!(2026 - 12 - 03));
        assert_eq!(
            (ok.channel, ok.outcome),
            (ContactChannel::Phone, ContactOutcome::WillApply)
        );
        assert_eq!(ok.note.as_deref(), Some("Søker med hjelp fra NAV"));
        assert!(ok.outcome.reached());
        assert!(!ContactOutcome::NotReached.reached());
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let table: &[(ContactInput<'_>, &[(&str, &str)])] = &[
            (
                ContactInput::default(),
                &[
                    ("contacted_on", "required"),
                    ("channel", "required"),
                    ("outcome", "required"),
                ],
            ),
            (
                ContactInput {
                    contacted_on: "05.12.2026",
                    channel: "pigeon",
                    outcome: "maybe",
                    note: "",
                },
                &[
                    ("contacted_on", "outreach.contact_in_future"),
                    ("channel", "unknown_value"),
                    ("outcome", "unknown_value"),
                ],
            ),
            (
                // 93 days back is the limit; 94 is an older list's.
                ContactInput {
                    contacted_on: "2026-09-01",
                    channel: "letter",
                    outcome: "not_reached",
                    note: "a\u{7}b",
                },
                &[
                    ("contacted_on", "outreach.contact_too_old"),
                    ("note", "control_character"),
                ],
            ),
        ];
        for (input, want) in table {
            let errors = check_contact(input, TODAY).unwrap_err();
            assert_eq!(fields(&errors), want.to_vec(), "{input:?}");
        }
        let limit = ContactInput {
            contacted_on: "2026-09-02",
            channel: "letter",
            outcome: "not_reached",
            note: "",
        };
        assert!(check_contact(&limit, TODAY).is_ok());
    }
}
