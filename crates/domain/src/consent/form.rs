//! The consents an applicant gives by ticking them on the application form in self-service:
//! each ticked kind of partner (NAV, health and care, the refugee service, a follow-up team)
//! becomes a consent to every organisation of that kind the municipality has registered, for
//! what the form says it covers — contact details and the application — and for how long. The
//! person can withdraw each on the application's privacy page, at once.

use time::{Date, Month};

use super::{ConsentCategory, ConsentEvidence, ConsentFields, GivenBy};
use crate::PersonId;
use crate::cases::application::Consent as Tick;
use crate::follow_up::PartnerKind;

/// What a consent given on the form covers: the form names contact details and the application.
pub const FORM_CATEGORIES: [ConsentCategory; 2] = [ConsentCategory::Contact, ConsentCategory::Case];

/// How long a consent given on the form lasts, in months, as the form says (a case is decided
/// well within it; a person who wants more gives a new consent).
pub const FORM_MONTHS: u8 = 12;

/// A consent given on the form, to one organisation; the person is the main applicant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormConsent {
    pub organisation: String,
    pub categories: Vec<ConsentCategory>,
    pub valid_from: Date,
    pub valid_to: Date,
}

impl FormConsent {
    /// The consent as recorded: given by `person` (the main applicant) in self-service, for
    /// `purpose`.
    pub fn given_by(&self, person: PersonId, purpose: &str) -> ConsentFields {
        ConsentFields {
            person,
            organisation: self.organisation.clone(),
            purpose: purpose.to_string(),
            categories: self.categories.clone(),
            valid_from: self.valid_from,
            valid_to: self.valid_to,
            evidence: ConsentEvidence::SelfService,
            given_by: GivenBy::Person,
            guardian: None,
        }
    }
}

/// The kind of organisation a tick on the form names.
pub fn kind_of(tick: Tick) -> PartnerKind {
    match tick {
        Tick::Nav => PartnerKind::Nav,
        Tick::HealthAndCare => PartnerKind::HealthCare,
        Tick::RefugeeService => PartnerKind::RefugeeService,
        Tick::FollowUpTeam => PartnerKind::VoluntaryTeam,
    }
}

/// The last day of a period of `months` from `from` (the day before the same day that many
/// months later; the month's last day where that day does not exist).
pub fn last_day_after_months(from: Date, months: u8) -> Date {
    let index = from.month() as i32 - 1 + i32::from(months);
    let year = from.year() + index.div_euclid(12);
    let month = Month::try_from((index.rem_euclid(12) + 1) as u8).unwrap_or(Month::January);
    let day = from.day().min(month.length(year));
    Date::from_calendar_date(year, month, day)
        .map(|d| d.previous_day().unwrap_or(d))
        .unwrap_or(from)
}

/// The consents the ticks give on `today`: one per organisation of a ticked kind, in the
/// organisations' order, each once.
pub fn form_consents(ticks: &[Tick], organisations: &[(String, PartnerKind)], today: Date) -> Vec<FormConsent> {
    let kinds: Vec<PartnerKind> = ticks.iter().map(|t| kind_of(*t)).collect();
    organisations
        .iter()
        .filter(|(_, kind)| kinds.contains(kind))
        .map(|(id, _)| FormConsent {
            organisation: id.clone(),
            categories: FORM_CATEGORIES.to_vec(),
            valid_from: today,
            valid_to: last_day_after_months(today, FORM_MONTHS),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use time::macros::date;

    fn organisations() -> Vec<(String, PartnerKind)> {
        vec![
            ("nav".into(), PartnerKind::Nav),
            ("bo-team".into(), PartnerKind::VoluntaryTeam),
            ("helse".into(), PartnerKind::HealthCare),
            ("kirke".into(), PartnerKind::VoluntaryTeam),
            ("annet".into(), PartnerKind::Other),
        ]
    }

    #[test]
    fn each_tick_gives_a_consent_to_every_organisation_of_its_kind() {
        let today = date!(2026 - 12 - 05);
        let ids = |ticks: &[Tick]| -> Vec<String> {
            form_consents(ticks, &organisations(), today)
                .into_iter()
                .map(|c| c.organisation)
                .collect()
        };
        // (ticks, organisations consented to)
        let table: [(&[Tick], &[&str]); 5] = [
            (&[], &[]),
            (&[Tick::Nav], &["nav"]),
            (&[Tick::FollowUpTeam], &["bo-team", "kirke"]),
            (&[Tick::Nav, Tick::HealthAndCare, Tick::Nav], &["nav", "helse"]),
            // No refugee service registered: nothing to consent to.
            (&[Tick::RefugeeService], &[]),
        ];
        for (ticks, want) in table {
            assert_eq!(ids(ticks), want, "{ticks:?}");
        }
        let consent = &form_consents(&[Tick::Nav], &organisations(), today)[0];
        assert_eq!(
            consent.categories,
            vec![ConsentCategory::Contact, ConsentCategory::Case]
        );
        assert_eq!((consent.valid_from, consent.valid_to), (today, date!(2027 - 12 - 04)));
        let person = PersonId::new();
        let fields = consent.given_by(person, "Søknaden");
        assert_eq!(
            (
                fields.person,
                fields.evidence,
                fields.given_by,
                fields.organisation.as_str()
            ),
            (person, ConsentEvidence::SelfService, GivenBy::Person, "nav")
        );
    }

    #[test]
    fn a_period_of_months_ends_the_day_before_the_same_day() {
        let table = [
            (date!(2026 - 12 - 05), 12, date!(2027 - 12 - 04)),
            (date!(2026 - 01 - 01), 12, date!(2026 - 12 - 31)),
            (date!(2026 - 01 - 31), 1, date!(2026 - 02 - 27)),
            (date!(2027 - 02 - 28), 12, date!(2028 - 02 - 27)),
            (date!(2026 - 11 - 30), 3, date!(2027 - 02 - 27)),
        ];
        for (from, months, want) in table {
            assert_eq!(last_day_after_months(from, months), want, "{from} + {months}");
        }
    }

    proptest! {
        /// A period always ends after it starts, within the months it names.
        #[test]
        fn a_period_ends_within_its_months(days in 0i64..3_650, months in 1u8..37) {
            let from = date!(2024 - 01 - 01) + time::Duration::days(days);
            let to = last_day_after_months(from, months);
            prop_assert!(to >= from);
            prop_assert!((to - from).whole_days() <= 31 * i64::from(months));
            prop_assert!((to - from).whole_days() >= 27 * i64::from(months));
        }
    }
}
