//! Partner organisations and consents for seeded households, so the partner's door, a
//! household's consents page and the access log have something real to show: three
//! organisations (NAV, health and care, a voluntary Bo-team), and for about one household in
//! twelve a consent from its main applicant to one of them — most in force, some expired, a few
//! not started yet, and now and then one withdrawn with its reason.

use super::SplitMix64;
use crate::date_text;
use husly_domain::consent::ConsentCategory;
use husly_domain::follow_up::PartnerKind;
use serde_json::{Value, json};
use time::{Date, Duration};

/// The seeded organisations: (name, kind).
pub(super) const ORGANISATIONS: [(&str, PartnerKind); 3] = [
    ("NAV-kontoret", PartnerKind::Nav),
    ("Bo-teamet i bymisjonen", PartnerKind::VoluntaryTeam),
    ("Psykisk helse og rus", PartnerKind::HealthCare),
];

const PURPOSES: [&str; 3] = [
    "Samarbeid om økonomi, husleie og søknad om bostøtte.",
    "Oppfølging i hjemmet fra Bo-teamet.",
    "Samarbeid om bolig og oppfølging av helsen.",
];

/// Rows for the consent table and their household events, in archive order.
#[derive(Default)]
pub(super) struct SeededConsents {
    pub consents: Vec<Vec<Value>>,
    pub events: Vec<Vec<Value>>,
}

/// Consents for the households of one batch: `main_applicants` holds (household, person, the
/// person's sort name).
pub(super) fn generate_consents(
    rng: &mut SplitMix64,
    municipality: &str,
    main_applicants: &[(String, String, String)],
    organisations: &[String],
    today: Date,
    by: &str,
) -> SeededConsents {
    let mut out = SeededConsents::default();
    let now = crate::now_micros();
    for (household, person, sort_name) in main_applicants {
        if rng.below(12) != 0 || organisations.is_empty() {
            continue;
        }
        let which = rng.below(organisations.len() as u64) as usize;
        let organisation = &organisations[which];
        // The organisation's own part first, then perhaps contact details and applications.
        let mut categories = vec![match which {
            1 => ConsentCategory::FollowUp,
            _ => ConsentCategory::Case,
        }];
        if rng.below(3) != 0 {
            categories.insert(0, ConsentCategory::Contact);
        }
        let codes: Vec<&str> = categories.iter().map(|c| c.code()).collect();
        let roll = rng.below(20);
        let (from, to) = match roll {
            // Expired: given a year or two ago for a year.
            0..=2 => {
                let from = today - Duration::days(400 + rng.below(300) as i64);
                (from, from + Duration::days(364))
            }
            // Not started yet.
            3 => {
                let from = today + Duration::days(1 + rng.below(20) as i64);
                (from, from + Duration::days(364))
            }
            _ => {
                let from = today - Duration::days(rng.below(300) as i64);
                (from, from + Duration::days(364))
            }
        };
        let withdrawn = roll == 4;
        let id = uuid::Uuid::now_v7().to_string();
        out.consents.push(vec![
            json!(id),
            json!(municipality),
            json!(household),
            json!(person),
            json!(organisation),
            json!(PURPOSES[which]),
            json!(codes.join(" ")),
            json!(date_text(from)),
            json!(date_text(to)),
            json!(if rng.below(2) == 0 { "signed_form" } else { "meeting" }),
            json!("person"),
            Value::Null,
            json!(by),
            json!(now),
            if withdrawn { json!(now) } else { Value::Null },
            if withdrawn { json!(by) } else { Value::Null },
            if withdrawn {
                json!("Ringte og trakk samtykket.")
            } else {
                Value::Null
            },
            json!(sort_name),
        ]);
        out.events.push(event(
            (municipality, household, by, now),
            "household.consent_recorded",
            json!({ "consent": id, "organisation": organisation, "categories": codes.join(" "),
                    "valid_from": date_text(from), "valid_to": date_text(to) }),
            None,
        ));
        if withdrawn {
            out.events.push(event(
                (municipality, household, by, now),
                "household.consent_withdrawn",
                json!({ "consent": id, "organisation": organisation }),
                Some("Ringte og trakk samtykket."),
            ));
        }
    }
    out
}

fn event(
    (municipality, household, by, now): (&str, &str, &str, i64),
    kind: &str,
    details: Value,
    reason: Option<&str>,
) -> Vec<Value> {
    vec![
        json!(uuid::Uuid::now_v7().to_string()),
        json!(municipality),
        json!(household),
        json!(kind),
        json!(by),
        reason.map_or(Value::Null, |r| json!(r)),
        json!(details.to_string()),
        json!(now),
        Value::Null,
    ]
}
