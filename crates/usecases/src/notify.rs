//! Telling a party by SMS or e-mail that the municipality has sent them a letter: a port. The
//! use cases compose the notice; an adapter outside (the web crate's logging one in the demo,
//! where no outside service is reachable; an SMS or e-mail gateway in production) sends it.
//!
//! A notice says only that a letter has come and where to read it, never what it says: SMS and
//! ordinary e-mail are not for personal information (the letter itself goes by post or digitally).
//! It is sent after the letter is stored; if it fails, the letter stands and the failure is the
//! adapter's to report.

use std::future::Future;
use std::pin::Pin;

use husly_catalogue::Tr;

use crate::cases::letters::Party;

/// How a notice travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeChannel {
    Sms,
    Email,
}

impl NoticeChannel {
    pub fn code(self) -> &'static str {
        match self {
            NoticeChannel::Sms => "sms",
            NoticeChannel::Email => "email",
        }
    }
}

/// A notice ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub channel: NoticeChannel,
    /// The phone number or e-mail address.
    pub to: String,
    /// The case's reference, the one thing an adapter may log about it.
    pub case_reference: String,
    pub text: String,
}

/// Sends notices. `Send + Sync` so one adapter serves every request. The adapter reports its
/// own failures (log, metrics, a retry queue): the letter the notice is about is already sent.
pub trait Notifier: Send + Sync {
    fn send<'a>(&'a self, notice: &'a Notice) -> Pin<Box<dyn Future<Output = ()> + Send + 'a>>;
}

/// Tells the party of `file` that a letter was sent in its case, if there is someone to tell.
/// Infallible: it runs after the letter is stored, so the action has succeeded whatever happens
/// here; if the store cannot say whether they applied online, the notice leaves the status page out.
pub(crate) async fn letter_sent(ctx: &crate::Ctx, file: &crate::cases::CaseFile) {
    let online = ctx
        .store
        .applied_online(file.municipality, file.case.id)
        .await
        .unwrap_or(false);
    let municipality = husly_domain::eligibility::EligibilityRules::embedded()
        .municipality(&file.number)
        .letters
        .name
        .clone();
    if let Some(notice) = letter_notice(Party::of(file), &file.case.reference, &municipality, online) {
        ctx.notifier.send(&notice).await;
    }
}

/// The notice that a letter was sent in the case `reference`: by SMS to the main applicant's
/// phone, else by e-mail, in their language; none when they have neither, or when a
/// representative receives the letters (the representative gets the letter itself).
/// `online`: the party applied online and can read the letter on the application's status page.
pub fn letter_notice(party: Party<'_>, reference: &str, municipality: &str, online: bool) -> Option<Notice> {
    if party.representative.is_some() {
        return None;
    }
    let person = party.household.main_applicant()?;
    let (channel, to) = match (&person.phone, &person.email) {
        (Some(phone), _) if !phone.trim().is_empty() => (NoticeChannel::Sms, phone.trim()),
        (_, Some(email)) if !email.trim().is_empty() => (NoticeChannel::Email, email.trim()),
        _ => return None,
    };
    let key = if online {
        "notice.letter_sent_online"
    } else {
        "notice.letter_sent"
    };
    let text = Tr::new(person.preferred_language).f(key, &[("municipality", municipality), ("reference", reference)]);
    Some(Notice {
        channel,
        to: to.to_string(),
        case_reference: reference.to_string(),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::household::Relation;
    use husly_domain::national_id::synthetic_tenor_next;
    use husly_domain::{HouseholdId, Lang, MunicipalityId, PersonId};
    use husly_store::households::{Household, Member, Person};
    use time::macros::date;

    fn household(phone: Option<&str>, email: Option<&str>, language: Lang) -> Household {
        Household {
            id: HouseholdId::new(),
            municipality_id: MunicipalityId::new(),
            address_line: "Diktervegen 4".into(),
            postal_code: "3040".into(),
            postal_city: "Drammen".into(),
            protection: None,
            from_date: date!(2020 - 01 - 01),
            to_date: None,
            version: 1,
            members: vec![Member {
                person: Person {
                    id: PersonId::new(),
                    municipality_id: MunicipalityId::new(),
                    national_id: synthetic_tenor_next(date!(1988 - 04 - 12), 100),
                    id_kind: "fodselsnummer".into(),
                    given_name: "Kari".into(),
                    family_name: "Testesen".into(),
                    birth_date: date!(1988 - 04 - 12),
                    phone: phone.map(str::to_string),
                    email: email.map(str::to_string),
                    preferred_language: language,
                },
                relation: Relation::MainApplicant,
                protection: None,
            }],
        }
    }

    fn party(household: &Household) -> Party<'_> {
        Party {
            household,
            representative: None,
            letter_address: None,
        }
    }

    #[test]
    fn sms_first_then_e_mail_in_the_party_s_language_without_the_letter_s_content() {
        let both = household(Some(" 99 88 77 66 "), Some("kari@example.invalid"), Lang::Nn);
        let notice = letter_notice(party(&both), "2026-000042", "Drammen kommune", true).unwrap();
        assert_eq!(notice.channel, NoticeChannel::Sms);
        assert_eq!(notice.to, "99 88 77 66");
        assert!(
            notice.text.contains("2026-000042") && notice.text.contains("Drammen kommune"),
            "{}",
            notice.text
        );
        assert!(
            notice.text.contains("søknaden"),
            "nynorsk, and the status page: {}",
            notice.text
        );
        let mail = household(None, Some("kari@example.invalid"), Lang::En);
        let notice = letter_notice(party(&mail), "2026-000042", "Drammen kommune", false).unwrap();
        assert_eq!(notice.channel, NoticeChannel::Email);
        assert!(notice.text.starts_with("You have"), "{}", notice.text);
        assert!(
            !notice.text.contains("status"),
            "no status page to point to: {}",
            notice.text
        );
        assert_eq!(
            letter_notice(party(&household(None, None, Lang::Nb)), "2026-000042", "X", true),
            None
        );
    }

    #[test]
    fn no_notice_when_a_representative_receives_the_letters() {
        use husly_domain::representative::{Representative, RepresentativeInput, check_representative};
        let reachable = household(Some("99887766"), None, Lang::Nb);
        let input = RepresentativeInput {
            kind: "verge".into(),
            name: "Vera Verge".into(),
            address_line: "Postboks 1".into(),
            postal_code: "3001".into(),
            postal_city: "Drammen".into(),
            authority_from: "2026-01-01".into(),
            ..Default::default()
        };
        let representative = Representative {
            id: "r".into(),
            details: check_representative(&input, date!(2026 - 12 - 02)).unwrap(),
            ended_on: None,
            end_reason: None,
        };
        let represented = Party {
            household: &reachable,
            representative: Some(&representative),
            letter_address: None,
        };
        assert_eq!(letter_notice(represented, "2026-000042", "Drammen kommune", true), None);
    }
}
