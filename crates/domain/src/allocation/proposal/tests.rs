use super::*;
use crate::allocation::dwelling::{DwellingStatus, DwellingType};
use crate::allocation::fixtures::{TODAY, approved, housed, single, with_children};
use crate::allocation::priority::rank;
use crate::cases::CurrentHousing;
use proptest::prelude::*;
use time::macros::date;

fn flat(id: &str, bedrooms: i64) -> Vacancy {
    Vacancy {
        id: id.to_string(),
        facts: DwellingFacts {
            dwelling_type: DwellingType::OrdinaryRental,
            status: DwellingStatus::Vacant,
            bedrooms,
            floor: Some(2),
            lift: true,
            wheelchair_accessible: false,
            pets_allowed: false,
            district: Some("Strømsø".into()),
        },
    }
}

fn proposal_for(households: &[WaitingHousehold], vacancies: &[Vacancy]) -> Proposal {
    let policy = PriorityPolicy::embedded();
    let ranking = rank(policy, households, TODAY, None);
    propose(policy, households, &ranking, vacancies, TODAY).unwrap()
}

#[test]
fn the_homeless_family_gets_the_family_flat_and_the_single_adult_the_small_one() {
    let family = housed(with_children(single("family"), &[4, 9]), CurrentHousing::Homeless);
    let single_adult = single("single");
    let couple_waiting_longer = approved(with_children(single("older"), &[6, 7]), date!(2025 - 01 - 01));
    let households = [single_adult, family, couple_waiting_longer];
    let vacancies = [flat("big", 3), flat("small", 1)];
    let p = proposal_for(&households, &vacancies);
    assert_eq!(
        p.dwellings,
        vec![Some("family".to_string()), Some("single".to_string())]
    );
    let outcome = |id: &str| p.households.iter().find(|(h, _)| h == id).unwrap().1.clone();
    assert_eq!(outcome("family"), Outcome::Proposed { dwelling: 0 });
    assert_eq!(
        outcome("older"),
        Outcome::FittingTakenByOthers {
            taken: vec![(0, "family".to_string())]
        },
        "the family flat fitted, but went to a household before it"
    );
    assert_eq!(p.households[0].0, "family", "the answer is in ranking order");
}

#[test]
fn a_household_nothing_fits_is_told_why() {
    let mut wheelchair = single("wheelchair");
    wheelchair.wheelchair_need = true;
    let p = proposal_for(&[wheelchair], &[flat("a", 1), flat("b", 1)]);
    assert_eq!(p.dwellings, vec![None, None]);
    match &p.households[0].1 {
        Outcome::NothingFits { reasons } => {
            assert_eq!(reasons[0], (Mismatch::NotWheelchairAccessible, 2));
        }
        other => panic!("{other:?}"),
    }
}

proptest! {
    #[test]
    fn every_proposed_pair_fits_and_nobody_gets_two(households in crate::allocation::fixtures::arb_list(), sizes in proptest::collection::vec(0i64..6, 0..8)) {
        let vacancies: Vec<Vacancy> = sizes.iter().enumerate().map(|(i, b)| flat(&format!("d{i}"), *b)).collect();
        let policy = PriorityPolicy::embedded();
        let ranking = rank(policy, &households, TODAY, None);
        let p = propose(policy, &households, &ranking, &vacancies, TODAY).unwrap();
        let mut seen = std::collections::HashSet::new();
        for (d, proposed) in p.dwellings.iter().enumerate() {
            if let Some(id) = proposed {
                prop_assert!(seen.insert(id.clone()), "{id} twice");
                let h = households.iter().find(|h| &h.entry_id == id).unwrap();
                prop_assert!(compatible(policy, h, &vacancies[d].facts, TODAY).is_ok());
            }
        }
        // The same input gives the same proposal.
        prop_assert_eq!(propose(policy, &households, &ranking, &vacancies, TODAY).unwrap(), p);
    }
}
