use super::*;
use proptest::prelude::*;

fn edge(household: u32, dwelling: u32, weight: i64) -> Edge {
    Edge {
        household,
        dwelling,
        weight,
    }
}

fn problem(households: u32, dwellings: u32, edges: &[(u32, u32, i64)]) -> AssignmentProblem {
    AssignmentProblem {
        households,
        dwellings,
        edges: edges.iter().map(|&(h, d, w)| edge(h, d, w)).collect(),
    }
}

/// The best total by trying every matching: each dwelling in turn stays vacant or takes a
/// household not yet used.
fn brute_force(problem: &AssignmentProblem) -> i64 {
    fn best(problem: &AssignmentProblem, dwelling: u32, used: &mut Vec<bool>) -> i64 {
        if dwelling == problem.dwellings {
            return 0;
        }
        let mut result = best(problem, dwelling + 1, used);
        for e in problem.edges.iter().filter(|e| e.dwelling == dwelling) {
            if !used[e.household as usize] {
                used[e.household as usize] = true;
                result = result.max(e.weight + best(problem, dwelling + 1, used));
                used[e.household as usize] = false;
            }
        }
        result
    }
    best(problem, 0, &mut vec![false; problem.households as usize])
}

fn solve(problem: &AssignmentProblem) -> Assignment {
    let (assignment, certificate) = assign_with_certificate(problem).expect("a valid problem");
    assert!(
        verify_optimal(problem, &assignment, &certificate),
        "{assignment:?} {certificate:?}"
    );
    assignment
}

#[test]
fn an_empty_round_assigns_nothing() {
    assert_eq!(solve(&problem(0, 0, &[])), Assignment::default());
    assert_eq!(solve(&problem(3, 2, &[])), Assignment::default());
}

#[test]
fn the_greedy_choice_is_not_taken_when_two_households_fit_better_apart() {
    // Greedy gives dwelling 0 to household 0 (10) and leaves household 1 without: 10.
    // Optimal: household 0 → dwelling 1 (9), household 1 → dwelling 0 (8): 17.
    let p = problem(2, 2, &[(0, 0, 10), (0, 1, 9), (1, 0, 8)]);
    assert_eq!(
        solve(&p),
        Assignment {
            pairs: vec![(0, 1), (1, 0)],
            total: 17
        }
    );
}

#[test]
fn a_heavier_single_pair_beats_two_light_ones() {
    // Household 0 on dwelling 0 alone (100) beats 0→1 plus 1→0 (30 + 30).
    let p = problem(2, 2, &[(0, 0, 100), (0, 1, 30), (1, 0, 30)]);
    assert_eq!(
        solve(&p),
        Assignment {
            pairs: vec![(0, 0)],
            total: 100
        }
    );
}

#[test]
fn more_dwellings_than_households_leaves_dwellings_vacant() {
    let p = problem(1, 3, &[(0, 0, 5), (0, 1, 7), (0, 2, 6)]);
    assert_eq!(
        solve(&p),
        Assignment {
            pairs: vec![(0, 1)],
            total: 7
        }
    );
}

#[test]
fn a_long_augmenting_path_is_found() {
    // A chain where each new dwelling shifts every earlier household one step.
    let p = problem(
        4,
        4,
        &[
            (0, 0, 10),
            (0, 1, 9),
            (1, 1, 10),
            (1, 2, 9),
            (2, 2, 10),
            (2, 3, 9),
            (3, 0, 12),
        ],
    );
    assert_eq!(solve(&p).total, brute_force(&p));
    assert_eq!(solve(&p).total, 12 + 9 + 9 + 9);
}

#[test]
fn equal_totals_are_broken_the_same_way_every_time() {
    let p = problem(2, 2, &[(0, 0, 5), (0, 1, 5), (1, 0, 5), (1, 1, 5)]);
    let first = solve(&p);
    assert_eq!(first.total, 10);
    let mut reversed = p.clone();
    reversed.edges.reverse();
    assert_eq!(solve(&reversed), first);
}

#[test]
fn invalid_edges_are_refused_naming_the_edge() {
    assert_eq!(
        assign(&problem(2, 2, &[(0, 0, 1), (2, 0, 1)])),
        Err(MatchingError::HouseholdOutOfRange {
            edge: 1,
            household: 2,
            households: 2
        })
    );
    assert_eq!(
        assign(&problem(2, 2, &[(0, 5, 1)])),
        Err(MatchingError::DwellingOutOfRange {
            edge: 0,
            dwelling: 5,
            dwellings: 2
        })
    );
    assert_eq!(
        assign(&problem(2, 2, &[(0, 0, 0)])),
        Err(MatchingError::NonPositiveWeight { edge: 0, weight: 0 })
    );
    assert_eq!(
        assign(&problem(2, 2, &[(1, 1, 3), (0, 0, 1), (1, 1, 4)])),
        Err(MatchingError::DuplicateEdge {
            edge: 2,
            household: 1,
            dwelling: 1
        })
    );
    let max = max_weight(2, 2);
    assert_eq!(
        assign(&problem(2, 2, &[(0, 0, max + 1)])),
        Err(MatchingError::WeightTooLarge {
            edge: 0,
            weight: max + 1,
            max
        })
    );
    assert!(
        MatchingError::DuplicateEdge {
            edge: 2,
            household: 1,
            dwelling: 1
        }
        .to_string()
        .contains("edges[2]")
    );
}

#[test]
fn the_largest_allowed_weights_do_not_overflow() {
    let max = max_weight(3, 3);
    let p = problem(
        3,
        3,
        &[
            (0, 0, max),
            (0, 1, max - 1),
            (1, 0, max),
            (1, 1, max),
            (2, 1, max - 2),
            (2, 2, 1),
        ],
    );
    assert_eq!(solve(&p).total, brute_force(&p));
}

#[test]
fn a_certificate_that_does_not_cover_an_edge_is_rejected() {
    let p = problem(2, 2, &[(0, 0, 10), (0, 1, 9), (1, 0, 8)]);
    let (assignment, mut certificate) = assign_with_certificate(&p).unwrap();
    assert!(verify_optimal(&p, &assignment, &certificate));
    certificate.household_price[0] -= 1;
    assert!(!verify_optimal(&p, &assignment, &certificate));
    // A suboptimal matching has no certificate with an equal bound.
    let (_, certificate) = assign_with_certificate(&p).unwrap();
    let worse = Assignment {
        pairs: vec![(0, 0)],
        total: 10,
    };
    assert!(!verify_optimal(&p, &worse, &certificate));
}

/// Small random problems: up to 7 × 7, each pair an edge with some probability, weights small
/// enough that ties happen often.
fn small_problem() -> impl Strategy<Value = AssignmentProblem> {
    (0u32..=7, 0u32..=7, 1i64..=20).prop_flat_map(|(h, d, top)| {
        let pairs = (h * d) as usize;
        (
            Just(h),
            Just(d),
            proptest::collection::vec(proptest::option::weighted(0.5, 1..=top), pairs),
        )
            .prop_map(|(h, d, weights)| {
                let edges = weights
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, w)| w.map(|w| edge(i as u32 % h.max(1), i as u32 / h.max(1), w)))
                    .collect();
                AssignmentProblem {
                    households: h,
                    dwellings: d,
                    edges,
                }
            })
    })
}

proptest! {
    #[test]
    fn every_pair_is_an_edge_and_nobody_is_used_twice(p in small_problem()) {
        let a = solve(&p);
        let mut households = std::collections::HashSet::new();
        let mut dwellings = std::collections::HashSet::new();
        for &(h, d) in &a.pairs {
            prop_assert!(p.edges.iter().any(|e| e.household == h && e.dwelling == d));
            prop_assert!(households.insert(h), "household {} twice", h);
            prop_assert!(dwellings.insert(d), "dwelling {} twice", d);
        }
        prop_assert!(a.pairs.windows(2).all(|w| w[0] < w[1]), "pairs sorted");
    }

    #[test]
    fn the_total_is_the_brute_force_optimum(p in small_problem()) {
        prop_assert_eq!(solve(&p).total, brute_force(&p));
    }

    #[test]
    fn the_total_is_the_sum_of_the_chosen_pairs(p in small_problem()) {
        let a = solve(&p);
        let sum: i64 = a.pairs.iter().map(|&(h, d)| {
            p.edges.iter().find(|e| e.household == h && e.dwelling == d).unwrap().weight
        }).sum();
        prop_assert_eq!(a.total, sum);
    }

    #[test]
    fn the_order_of_the_edges_does_not_change_the_result(
        p in small_problem(),
        keys in proptest::collection::vec(any::<u64>(), 49),
    ) {
        let mut shuffled = p.clone();
        let mut keyed: Vec<(u64, Edge)> = shuffled.edges.iter().enumerate().map(|(i, &e)| (keys[i], e)).collect();
        keyed.sort_by_key(|&(k, e)| (k, e.household, e.dwelling));
        shuffled.edges = keyed.into_iter().map(|(_, e)| e).collect();
        prop_assert_eq!(solve(&shuffled), solve(&p));
    }

    /// Larger sparse problems, where brute force is out of reach: the certificate still proves
    /// the result optimal.
    #[test]
    fn larger_sparse_problems_come_with_a_valid_certificate(
        h in 1u32..60,
        d in 1u32..60,
        raw in proptest::collection::vec((any::<u32>(), any::<u32>(), 1i64..5000), 0..400),
    ) {
        let mut seen = std::collections::HashSet::new();
        let edges = raw.into_iter()
            .map(|(a, b, w)| edge(a % h, b % d, w))
            .filter(|e| seen.insert((e.household, e.dwelling)))
            .collect();
        let p = AssignmentProblem { households: h, dwellings: d, edges };
        solve(&p);
    }
}

/// The grouped problem with every group's dwellings written out as columns of their own, each
/// household's edge to a group copied to every dwelling in it.
fn expanded(p: &GroupedProblem) -> AssignmentProblem {
    let first: Vec<u32> = p
        .capacity
        .iter()
        .scan(0u32, |next, &c| {
            let at = *next;
            *next += c;
            Some(at)
        })
        .collect();
    AssignmentProblem {
        households: p.households,
        dwellings: p.capacity.iter().sum(),
        edges: p
            .edges
            .iter()
            .flat_map(|e| (0..p.capacity[e.dwelling as usize]).map(move |i| (e, i)))
            .map(|(e, i)| edge(e.household, first[e.dwelling as usize] + i, e.weight))
            .collect(),
    }
}

fn solve_grouped(p: &GroupedProblem) -> Assignment {
    let (assignment, certificate) = assign_grouped_with_certificate(p).expect("a valid problem");
    assert!(
        verify_grouped_optimal(p, &assignment, &certificate),
        "{assignment:?} {certificate:?}"
    );
    assignment
}

#[test]
fn a_group_takes_as_many_households_as_it_holds() {
    // Three households fit the group of two; the two heaviest get it, the third its other choice.
    let p = GroupedProblem {
        households: 3,
        capacity: vec![2, 1],
        edges: vec![edge(0, 0, 50), edge(1, 0, 40), edge(2, 0, 30), edge(2, 1, 5)],
    };
    let a = solve_grouped(&p);
    assert_eq!(a.pairs, vec![(0, 0), (1, 0), (2, 1)]);
    assert_eq!(a.total, 95);
}

#[test]
fn a_household_is_moved_out_of_a_full_group_when_that_weighs_more() {
    // Household 0 is added first (strongest) and takes the one place in group 0; household 1
    // fits only group 0, so the best total moves 0 on to group 1.
    let p = GroupedProblem {
        households: 2,
        capacity: vec![1, 3],
        edges: vec![edge(0, 0, 90), edge(0, 1, 85), edge(1, 0, 20)],
    };
    let a = solve_grouped(&p);
    assert_eq!(a.pairs, vec![(0, 1), (1, 0)]);
    assert_eq!(a.total, 105);
}

#[test]
fn a_certificate_that_overfills_a_group_is_rejected() {
    let p = GroupedProblem {
        households: 2,
        capacity: vec![1],
        edges: vec![edge(0, 0, 10), edge(1, 0, 10)],
    };
    let (_, certificate) = assign_grouped_with_certificate(&p).unwrap();
    let overfilled = Assignment {
        pairs: vec![(0, 0), (1, 0)],
        total: 20,
    };
    assert!(!verify_grouped_optimal(&p, &overfilled, &certificate));
}

/// Small grouped problems: up to 6 households and 4 groups of 0–2 dwellings (brute force stays
/// within reach).
fn small_grouped_problem() -> impl Strategy<Value = GroupedProblem> {
    (0u32..=6, proptest::collection::vec(0u32..=2, 0..=4), 1i64..=20).prop_flat_map(|(h, capacity, top)| {
        let pairs = h as usize * capacity.len();
        (
            Just(h),
            Just(capacity),
            proptest::collection::vec(proptest::option::weighted(0.5, 1..=top), pairs),
        )
            .prop_map(|(h, capacity, weights)| {
                let edges = weights
                    .into_iter()
                    .enumerate()
                    .filter_map(|(i, w)| w.map(|w| edge(i as u32 % h.max(1), i as u32 / h.max(1), w)))
                    .collect();
                GroupedProblem {
                    households: h,
                    capacity,
                    edges,
                }
            })
    })
}

proptest! {
    /// Groups change how the problem is written, not its answer: the same optimal total as every
    /// dwelling on its own, no group over its capacity, and a certificate that proves it.
    #[test]
    fn groups_give_the_optimum_of_the_dwellings_one_by_one(p in small_grouped_problem()) {
        let a = solve_grouped(&p);
        prop_assert_eq!(a.total, brute_force(&expanded(&p)));
        prop_assert_eq!(a.total, solve(&expanded(&p)).total);
        for (g, &capacity) in p.capacity.iter().enumerate() {
            let held = a.pairs.iter().filter(|&&(_, d)| d as usize == g).count();
            prop_assert!(held <= capacity as usize, "group {} holds {} of {}", g, held, capacity);
        }
    }

    #[test]
    fn larger_grouped_problems_come_with_a_valid_certificate(
        h in 1u32..80,
        capacity in proptest::collection::vec(1u32..20, 1..15),
        raw in proptest::collection::vec((any::<u32>(), any::<u32>(), 1i64..5000), 0..400),
    ) {
        let groups = capacity.len() as u32;
        let mut seen = std::collections::HashSet::new();
        let edges = raw.into_iter()
            .map(|(a, b, w)| edge(a % h, b % groups, w))
            .filter(|e| seen.insert((e.household, e.dwelling)))
            .collect();
        let p = GroupedProblem { households: h, capacity, edges };
        let a = solve_grouped(&p);
        prop_assert_eq!(a.total, solve(&expanded(&p)).total);
    }
}
