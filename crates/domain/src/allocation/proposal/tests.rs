use super::*;
use crate::allocation::dwelling::{DwellingStatus, DwellingType};
use crate::allocation::fixtures::{TODAY, approved, housed, single, with_children};
use crate::allocation::needs::compatible;
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
            taken: vec![(0, "family".to_string())],
            more: 0
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

#[test]
fn a_household_behind_many_takers_hears_of_the_first_three_and_the_count_of_the_rest() {
    // Five equal flats and six single adults approved on different days: the last one in line
    // fits all five, and all five went to those before it.
    let households: Vec<WaitingHousehold> = (0..6)
        .map(|i| {
            approved(
                single(&format!("h{i}")),
                date!(2025 - 01 - 01) + time::Duration::days(62 * i),
            )
        })
        .collect();
    let vacancies: Vec<Vacancy> = (0..5).map(|i| flat(&format!("d{i}"), 1)).collect();
    let p = proposal_for(&households, &vacancies);
    assert_eq!(p.fitting_pairs, 30, "pairs are counted per dwelling, not per group");
    assert!(p.dwellings.iter().all(Option::is_some));
    let (last, outcome) = p.households.last().unwrap();
    assert_eq!(last, "h5");
    match outcome {
        Outcome::FittingTakenByOthers { taken, more } => {
            assert_eq!(taken.iter().map(|(d, _)| *d).collect::<Vec<_>>(), vec![0, 1, 2]);
            assert_eq!(*more, 2);
        }
        other => panic!("{other:?}"),
    }
    // The group's dwellings go in order to its households in ranking order.
    let order: Vec<&str> = p.households.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(
        p.dwellings.iter().map(|h| h.as_deref().unwrap()).collect::<Vec<_>>(),
        order[..5]
    );
}

#[test]
fn an_outcome_stored_before_the_count_was_added_still_reads() {
    let stored = serde_json::json!({"outcome": "fitting_taken_by_others", "taken": [[0, "h1"]]});
    assert_eq!(
        serde_json::from_value::<Outcome>(stored).unwrap(),
        Outcome::FittingTakenByOthers {
            taken: vec![(0, "h1".to_string())],
            more: 0
        }
    );
}

/// The best total over every household–dwelling pair on its own, without groups: what the
/// proposal computed before it grouped equal dwellings.
fn best_total_dwelling_by_dwelling(households: &[WaitingHousehold], vacancies: &[Vacancy]) -> i64 {
    use crate::allocation::matching::{AssignmentProblem, assign};
    let policy = PriorityPolicy::embedded();
    let ranking = rank(policy, households, TODAY, None);
    let mut edges = Vec::new();
    for (h, entry) in ranking.entries.iter().enumerate() {
        let household = households
            .iter()
            .find(|x| x.entry_id == entry.priority.entry_id)
            .unwrap();
        for (d, vacancy) in vacancies.iter().enumerate() {
            if let Ok(fit) = compatible(policy, household, &vacancy.facts, TODAY) {
                edges.push(Edge {
                    household: h as u32,
                    dwelling: d as u32,
                    weight: weight(&entry.priority, &fit).max(1),
                });
            }
        }
    }
    let problem = AssignmentProblem {
        households: ranking.entries.len() as u32,
        dwellings: vacancies.len() as u32,
        edges,
    };
    assign(&problem).unwrap().total
}

proptest! {
    /// Few kinds of dwelling, many of each: grouping gives the optimum of matching every
    /// dwelling on its own.
    #[test]
    fn grouping_equal_dwellings_keeps_the_optimum(
        households in crate::allocation::fixtures::arb_list(),
        kinds in proptest::collection::vec((0i64..4, 0i64..4, any::<bool>()), 0..12),
    ) {
        // Floors and lifts vary within a fit class: only reaching the door without stairs counts.
        let vacancies: Vec<Vacancy> = kinds
            .iter()
            .enumerate()
            .map(|(i, &(bedrooms, floor, lift))| {
                let mut v = flat(&format!("d{i}"), bedrooms);
                v.facts.floor = Some(floor);
                v.facts.lift = lift;
                v
            })
            .collect();
        let p = proposal_for(&households, &vacancies);
        prop_assert_eq!(p.total_weight, best_total_dwelling_by_dwelling(&households, &vacancies));
        let policy = PriorityPolicy::embedded();
        for (id, outcome) in &p.households {
            if let Outcome::NothingFits { reasons } = outcome {
                // The same reasons and counts as checking dwelling by dwelling, each named by
                // the first dwelling that has it.
                let household = households.iter().find(|h| &h.entry_id == id).unwrap();
                let mut expected: Vec<(Mismatch, usize)> = Vec::new();
                for v in &vacancies {
                    for reason in compatible(policy, household, &v.facts, TODAY).unwrap_err() {
                        match expected.iter_mut().find(|(m, _)| m.code() == reason.code()) {
                            Some((_, n)) => *n += 1,
                            None => expected.push((reason, 1)),
                        }
                    }
                }
                expected.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code().cmp(b.0.code())));
                prop_assert_eq!(reasons, &expected);
            }
        }
        for (_, outcome) in &p.households {
            if let Outcome::FittingTakenByOthers { taken, .. } = outcome {
                prop_assert!(taken.len() <= TAKEN_NAMED);
                prop_assert!(taken.iter().all(|(d, _)| p.dwellings[*d].is_some()));
            }
        }
    }

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
