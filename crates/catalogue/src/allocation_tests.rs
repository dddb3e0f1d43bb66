//! The allocation texts: every message the priority policy, the explanation and the fit check
//! can produce exists in every language and is fully worded.

use super::*;
use husly_domain::allocation::dwelling::{DwellingStatus, DwellingType};
use husly_domain::allocation::explain::explain;
use husly_domain::allocation::needs::Mismatch;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::priority::{HouseholdType, WaitingHousehold, WaitingMember, peer_positions, rank};
use husly_domain::cases::{CurrentHousing, Reason};
use husly_domain::household::Relation;
use time::Date;
use time::macros::date;

const TODAY: Date = date!(2027 - 03 - 15);

fn household(id: &str, ages: &[i32], housing: CurrentHousing, approved_on: Date) -> WaitingHousehold {
    let born = |age: i32| Date::from_calendar_date(2027 - age, time::Month::January, 1).unwrap();
    let mut members = vec![WaitingMember {
        relation: Relation::MainApplicant,
        birth_date: born(ages[0]),
    }];
    members.extend(ages[1..].iter().map(|a| WaitingMember {
        relation: Relation::Child,
        birth_date: born(*a),
    }));
    WaitingHousehold {
        entry_id: id.into(),
        members,
        current_housing: Some(housing),
        reasons: vec![Reason::Economy],
        kostra: None,
        wheelchair_need: false,
        ground_floor_or_lift: false,
        pets: false,
        preferred_areas: vec![],
        areas_to_avoid: vec![],
        received_on: approved_on,
        approved_on,
    }
}

fn assert_worded(message: &Message) -> Vec<String> {
    Lang::ALL
        .iter()
        .map(|lang| {
            assert!(
                catalog(*lang).contains_key(message.key.as_ref()),
                "{} missing in {lang:?}",
                message.key
            );
            let text = Tr::new(*lang).message(message);
            assert!(!text.contains('{') && !text.contains("allocation."), "{lang:?}: {text}");
            text
        })
        .collect()
}

#[test]
fn every_explanation_is_worded_in_every_language() {
    let p = PriorityPolicy::embedded();
    let households = [
        household("family", &[30, 2], CurrentHousing::Homeless, date!(2025 - 07 - 15)),
        household("a", &[40], CurrentHousing::PrivateRental, date!(2020 - 01 - 01)),
        household("b", &[40], CurrentHousing::PrivateRental, date!(2020 - 01 - 01)),
        household("c", &[40], CurrentHousing::PrivateRental, date!(2020 - 01 - 01)),
        household("young", &[20], CurrentHousing::PrivateRental, date!(2027 - 02 - 15)),
        household("new", &[50], CurrentHousing::PrivateRental, date!(2027 - 03 - 01)),
    ];
    let ranking = rank(p, &households, TODAY, None);
    let peers = peer_positions(p, &households, &ranking);
    let mut keys = std::collections::BTreeSet::new();
    for h in &households {
        for lang in Lang::ALL {
            for m in explain(p, &ranking, &h.entry_id, &peers[&h.entry_id], lang).unwrap() {
                assert_worded(&m);
                keys.insert(m.key.to_string());
            }
        }
    }
    assert!(keys.len() >= 15, "{keys:?}");

    let family = explain(p, &ranking, "family", &peers["family"], Lang::Nb).unwrap();
    let nb: Vec<String> = family.iter().map(|m| Tr::new(Lang::Nb).message(m)).collect();
    assert!(
        nb.contains(&"200 poeng fordi dere hører til gruppen «Bostedsløse barnefamilier».".to_string()),
        "{nb:#?}"
    );
    assert!(
        nb.contains(&"20 poeng for 20 måneder på ventelisten (høyst 36 poeng).".to_string()),
        "{nb:#?}"
    );
    assert!(
        nb.iter().any(|t| t.starts_with("Blant husstandene som kan få en bolig av typen «Ordinær utleiebolig» med 2–3 soverom, står dere som nummer 1 av ")),
        "{nb:#?}"
    );
}

#[test]
fn every_mismatch_and_household_type_is_worded() {
    let mismatches = [
        Mismatch::NotVacant {
            status: DwellingStatus::Let,
        },
        Mismatch::TypeNotForHousehold {
            dwelling_type: DwellingType::YouthDwelling,
        },
        Mismatch::TooFewBedrooms { bedrooms: 1, min: 2 },
        Mismatch::TooManyBedrooms { bedrooms: 4, max: 2 },
        Mismatch::NotWheelchairAccessible,
        Mismatch::NeedsGroundFloorOrLift { floor: Some(3) },
        Mismatch::NeedsGroundFloorOrLift { floor: None },
        Mismatch::NoPetsAllowed,
        Mismatch::AvoidedDistrict {
            district: "Strømsø".into(),
        },
    ];
    for m in &mismatches {
        assert_worded(&m.message());
    }
    let texts = assert_worded(&mismatches[0].message());
    assert_eq!(texts[0], "Boligen er ikke ledig nå: «Utleid».");
    for t in HouseholdType::ALL {
        assert_worded(&Message::new(t.key()));
    }
}

#[test]
fn every_policy_error_is_worded_in_every_language() {
    let text = PriorityPolicy::embedded_text();
    let broken = [
        text.replace("municipality = \"3301\"", "municipality = \"3301"),
        text.replace("effective_from = 2020-02-04\n", "")
            .replace("municipality = \"3301\"", "municipality = \"Drammen\"")
            .replace("when = \"refugee\"", "when = { refugee = true, homeless = true }")
            .replace("id = \"economic_situation\"", "id = \"Økonomi\"")
            .replace("id = \"health_situation\"", "id = \"refugee\"")
            .replace("version = ", "colour = \"red\"\nversion = ")
            .replacen("points = 200", "points = \"mange\"", 1)
            .replacen("points = 100", "points = -1", 1)
            .replace(
                "source = \"husly\"\nunverified = true\nnote = \"Drammen",
                "source = \"nowhere\"\nnote = \"Drammen",
            )
            .replace(
                "youth_dwelling = { main_applicant_age = [18, 25] }",
                "youth_dwelling = { main_applicant_age = [25, 18] }",
            )
            .replace("\"received_date\", \"draw\"", "\"received_date\", \"coin\"")
            .replace("temporary = false", "temporary = { any = [] }"),
        text.replace("effective_from = 2020-02-04", "effective_from = \"snart\""),
    ];
    let mut codes = std::collections::BTreeSet::new();
    for policy in &broken {
        for error in PriorityPolicy::parse(policy).unwrap_err() {
            codes.insert(error.code);
            let texts = assert_worded(&error.message);
            assert!(texts.iter().all(|t| t.ends_with('.') || t.ends_with(':')), "{texts:?}");
        }
    }
    assert!(codes.len() >= 12, "{codes:?}");
}
