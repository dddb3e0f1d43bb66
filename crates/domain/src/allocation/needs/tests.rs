use super::*;
use crate::allocation::fixtures::*;
use crate::allocation::priority::score;
use crate::cases::Reason;
use proptest::prelude::*;

fn policy() -> &'static PriorityPolicy {
    PriorityPolicy::embedded()
}

fn range(h: &WaitingHousehold) -> (u32, u32, u32) {
    let r = bedroom_range(policy(), &h.situation(TODAY));
    (r.need, r.min, r.max)
}

/// A vacant ordinary two-bedroom flat on the first floor, wheelchair accessible, pets allowed.
fn flat() -> DwellingFacts {
    DwellingFacts {
        dwelling_type: DwellingType::OrdinaryRental,
        status: DwellingStatus::Vacant,
        bedrooms: 2,
        floor: Some(1),
        lift: false,
        wheelchair_accessible: true,
        pets_allowed: true,
        district: Some("Bragernes".into()),
    }
}

#[test]
fn bedroom_ranges_follow_the_rule() {
    assert_eq!(range(&single("a")), (1, 0, 2)); // a studio is allowed
    assert_eq!(range(&with_partner(single("a"))), (1, 1, 2));
    assert_eq!(range(&with_children(single("a"), &[3])), (2, 2, 3));
    assert_eq!(range(&with_children(with_partner(single("a")), &[3, 5])), (2, 2, 3));
    assert_eq!(range(&with_children(single("a"), &[1, 3, 5])), (3, 3, 4));
    // A grown-up child needs a room of its own.
    assert_eq!(range(&with_children(single("a"), &[19, 5])), (3, 3, 4));
}

#[test]
fn a_fitting_dwelling_reports_its_fit() {
    let mut h = with_children(single("a"), &[3]);
    h.preferred_areas = vec![" bragernes ".into()];
    let fit = compatible(policy(), &h, &flat(), TODAY).unwrap();
    assert!(fit.exact_bedrooms && fit.preferred_district);
    assert_eq!(fit.bonus(), EXACT_BEDROOMS_BONUS + PREFERRED_DISTRICT_BONUS);
    let fit = compatible(policy(), &single("b"), &flat(), TODAY).unwrap();
    assert!(!fit.exact_bedrooms && !fit.preferred_district);
    assert_eq!(fit.bonus(), 0);
}

#[test]
fn every_mismatch_is_named() {
    let single_adult = single("a");
    let big_family = with_children(single("b"), &[1, 3, 5, 7]);
    let mut wheelchair = single("c");
    wheelchair.wheelchair_need = true;
    let mut stairs = single("d");
    stairs.ground_floor_or_lift = true;
    let mut dog = single("e");
    dog.pets = true;
    let mut avoids = single("f");
    avoids.areas_to_avoid = vec!["BRAGERNES".into()];

    let mut studio_for_family = flat();
    let mut five_rooms = flat();
    five_rooms.bedrooms = 5;
    studio_for_family.bedrooms = 0;
    let mut not_accessible = flat();
    not_accessible.wheelchair_accessible = false;
    let mut third_floor = flat();
    third_floor.floor = Some(3);
    let mut unknown_floor = flat();
    unknown_floor.floor = None;
    let mut with_lift = third_floor.clone();
    with_lift.lift = true;
    let mut no_pets = flat();
    no_pets.pets_allowed = false;
    let mut youth = flat();
    youth.dwelling_type = DwellingType::YouthDwelling;
    let mut emergency = flat();
    emergency.dwelling_type = DwellingType::Emergency;
    let plain = flat();
    let mut let_out = flat();
    let_out.status = DwellingStatus::Let;

    let table: Vec<(&WaitingHousehold, &DwellingFacts, Vec<Mismatch>)> = vec![
        (
            &big_family,
            &studio_for_family,
            vec![Mismatch::TooFewBedrooms { bedrooms: 0, min: 3 }],
        ),
        (
            &single_adult,
            &five_rooms,
            vec![Mismatch::TooManyBedrooms { bedrooms: 5, max: 2 }],
        ),
        (&wheelchair, &not_accessible, vec![Mismatch::NotWheelchairAccessible]),
        (
            &stairs,
            &third_floor,
            vec![Mismatch::NeedsGroundFloorOrLift { floor: Some(3) }],
        ),
        (
            &stairs,
            &unknown_floor,
            vec![Mismatch::NeedsGroundFloorOrLift { floor: None }],
        ),
        (&stairs, &with_lift, vec![]),
        (&dog, &no_pets, vec![Mismatch::NoPetsAllowed]),
        (
            &avoids,
            &plain,
            vec![Mismatch::AvoidedDistrict {
                district: "Bragernes".into(),
            }],
        ),
        (
            &single_adult,
            &youth,
            vec![Mismatch::TypeNotForHousehold {
                dwelling_type: DwellingType::YouthDwelling,
            }],
        ),
        (
            &single_adult,
            &emergency,
            vec![Mismatch::TypeNotForHousehold {
                dwelling_type: DwellingType::Emergency,
            }],
        ),
        (
            &single_adult,
            &let_out,
            vec![Mismatch::NotVacant {
                status: DwellingStatus::Let,
            }],
        ),
    ];
    for (household, dwelling, expected) in table {
        let got = compatible(policy(), household, dwelling, TODAY);
        if expected.is_empty() {
            assert!(got.is_ok(), "{}: {got:?}", household.entry_id);
        } else {
            assert_eq!(got.unwrap_err(), expected, "{}", household.entry_id);
        }
    }

    // Several at once are all reported.
    let mut everything = with_children(single("g"), &[1, 3, 5, 7]);
    everything.wheelchair_need = true;
    everything.pets = true;
    let mut worst = no_pets.clone();
    worst.wheelchair_accessible = false;
    worst.status = DwellingStatus::UnderRepair;
    assert_eq!(compatible(policy(), &everything, &worst, TODAY).unwrap_err().len(), 4);
}

#[test]
fn every_mismatch_has_a_message_key_and_a_place_of_its_own() {
    let all = [
        Mismatch::NotVacant {
            status: DwellingStatus::Let,
        },
        Mismatch::TypeNotForHousehold {
            dwelling_type: DwellingType::Emergency,
        },
        Mismatch::TooFewBedrooms { bedrooms: 0, min: 1 },
        Mismatch::TooManyBedrooms { bedrooms: 5, max: 2 },
        Mismatch::NotWheelchairAccessible,
        Mismatch::NeedsGroundFloorOrLift { floor: Some(3) },
        Mismatch::NeedsGroundFloorOrLift { floor: None },
        Mismatch::NoPetsAllowed,
        Mismatch::AvoidedDistrict {
            district: "Strømsø".into(),
        },
    ];
    let keys: std::collections::BTreeSet<_> = all.iter().map(|m| m.message().key).collect();
    assert_eq!(keys.len(), all.len());
    assert!(keys.iter().all(|k| k.starts_with("allocation.mismatch.")));
    // Reasons are counted in an array by kind: every kind its own place below the count.
    let places: std::collections::BTreeSet<usize> = all.iter().map(Mismatch::ordinal).collect();
    assert_eq!(places, (0..Mismatch::KINDS).collect());
}

#[test]
fn priority_always_outweighs_fit() {
    let more = score(policy(), &because(single("a"), &[Reason::Economy]), TODAY);
    let fewer = score(policy(), &single("b"), TODAY);
    assert!(more.total > fewer.total);
    let best_fit = Fit {
        exact_bedrooms: true,
        preferred_district: true,
    };
    let no_fit = Fit {
        exact_bedrooms: false,
        preferred_district: false,
    };
    assert!(weight(&more, &no_fit) > weight(&fewer, &best_fit));
}

proptest! {
    /// The range always contains the need, and a household always fits a vacant ordinary
    /// dwelling with exactly the bedrooms it needs and no other constraint.
    #[test]
    fn the_bedroom_range_always_contains_the_need(list in arb_list()) {
        for h in &list {
            let r = bedroom_range(policy(), &h.situation(TODAY));
            prop_assert!(r.min <= r.need && r.need <= r.max);
            prop_assert!(r.contains(i64::from(r.need)));
            let mut d = flat();
            d.bedrooms = i64::from(r.need);
            d.lift = true;
            let mut h = h.clone();
            h.pets = false;
            prop_assert!(compatible(policy(), &h, &d, TODAY).is_ok_and(|f| f.exact_bedrooms));
        }
    }
}
