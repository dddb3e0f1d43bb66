use super::*;
use crate::allocation::fixtures::*;
use proptest::prelude::*;
use time::macros::date;

fn policy() -> &'static PriorityPolicy {
    PriorityPolicy::embedded()
}

fn ids(ranking: &Ranking) -> Vec<&str> {
    ranking.entries.iter().map(|r| r.priority.entry_id.as_str()).collect()
}

#[test]
fn drammen_order_homeless_family_then_family_then_single_with_economic_reasons() {
    // Listed worst first, and the single adult has waited longest: the order must not depend
    // on either.
    let single_economy = approved(because(single("single"), &[Reason::Economy]), date!(2024 - 01 - 01));
    let family = with_children(with_partner(single("family")), &[4, 9]);
    let homeless_family = housed(with_children(single("homeless"), &[2]), CurrentHousing::Homeless);
    let ranking = rank(policy(), &[single_economy, family, homeless_family], TODAY, None);
    assert_eq!(ids(&ranking), ["homeless", "family", "single"]);
    assert!(
        ranking
            .entries
            .iter()
            .skip(1)
            .all(|r| r.decided_by == DecidedBy::Points)
    );
    assert_eq!(ranking.policy_fingerprint, policy().fingerprint());
    assert_eq!(ranking.policy_version, "drammen-2020.1");
}

#[test]
fn the_breakdown_names_every_criterion_and_the_waiting_points() {
    let h = housed(with_children(single("a"), &[2]), CurrentHousing::Homeless);
    let p = score(policy(), &h, TODAY);
    let applied: Vec<&str> = p.criteria.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        applied,
        ["homeless_with_children", "families_with_children", "social_situation"]
    );
    assert_eq!(p.waiting.months, 12);
    assert_eq!(p.waiting.points, 12);
    assert!(!p.waiting.capped);
    assert_eq!(p.total, 200 + 100 + 20 + 12);
    assert_eq!(p.criteria[0].title.nb, "Bostedsløse barnefamilier");
}

#[test]
fn waiting_points_stop_at_the_cap() {
    let table = [
        (date!(2027 - 03 - 15), 0, 0, false),
        (date!(2027 - 02 - 16), 0, 0, false),
        (date!(2027 - 02 - 15), 1, 1, false),
        (date!(2024 - 03 - 16), 35, 35, false),
        (date!(2024 - 03 - 15), 36, 36, true),
        (date!(2016 - 01 - 01), 134, 36, true),
    ];
    for (approved_on, months, points, capped) in table {
        let p = score(policy(), &approved(single("a"), approved_on), TODAY);
        assert_eq!(
            (p.waiting.months, p.waiting.points, p.waiting.capped),
            (months, points, capped),
            "{approved_on}"
        );
    }
}

#[test]
fn a_month_from_the_31st_is_full_on_the_last_day_of_a_shorter_month() {
    assert_eq!(full_months(date!(2027 - 01 - 31), date!(2027 - 02 - 27)), 0);
    assert_eq!(full_months(date!(2027 - 01 - 31), date!(2027 - 02 - 28)), 1);
    assert_eq!(full_months(date!(2027 - 01 - 31), date!(2027 - 03 - 30)), 1);
    assert_eq!(full_months(date!(2027 - 01 - 31), date!(2027 - 03 - 31)), 2);
    assert_eq!(full_months(date!(2027 - 05 - 01), date!(2027 - 04 - 01)), 0);
}

#[test]
fn ties_go_by_approval_date_then_received_date_then_draw() {
    // Same points: approved on the same day as "late" would give the same waiting months, so
    // keep the approval dates within one month.
    let early = approved(single("early"), date!(2026 - 03 - 01));
    let late = approved(single("late"), date!(2026 - 03 - 10));
    let ranking = rank(policy(), &[late.clone(), early.clone()], TODAY, None);
    assert_eq!(ids(&ranking), ["early", "late"]);
    assert_eq!(ranking.entries[1].decided_by, DecidedBy::Tie(TieBreaker::ApprovalDate));

    let mut first_in = single("first_in");
    first_in.received_on = date!(2026 - 01 - 10);
    let second_in = single("second_in");
    let ranking = rank(policy(), &[second_in.clone(), first_in.clone()], TODAY, None);
    assert_eq!(ids(&ranking), ["first_in", "second_in"]);
    assert_eq!(ranking.entries[1].decided_by, DecidedBy::Tie(TieBreaker::ReceivedDate));

    // Equal on both dates: only the draw decides.
    let (a, b) = (single("a"), single("b"));
    let draw = vec!["b".to_string(), "a".to_string()];
    let ranking = rank(policy(), &[a.clone(), b.clone()], TODAY, Some(&draw));
    assert_eq!(ids(&ranking), ["b", "a"]);
    assert_eq!(ranking.entries[1].decided_by, DecidedBy::Tie(TieBreaker::Draw));
    assert_eq!(ranking.entries[1].position, 2);
    assert_eq!(ranking.entries[0].draw_position, Some(1));
    assert!(!ranking.has_unresolved_ties());
}

#[test]
fn a_tie_that_needs_a_draw_is_unresolved_without_one() {
    let households = [
        single("a"),
        single("b"),
        single("c"),
        because(single("d"), &[Reason::Economy]),
    ];
    for draw in [None, Some(vec!["a".to_string(), "b".to_string()])] {
        // No draw, or a draw that leaves one of the tied households out.
        let ranking = rank(policy(), &households, TODAY, draw.as_deref());
        assert_eq!(ranking.entries[0].priority.entry_id, "d");
        for r in &ranking.entries[1..] {
            assert_eq!(r.position, 2);
            assert_eq!(r.tied_with, 2);
            assert_eq!(r.draw_position, None);
        }
        assert_eq!(ranking.entries[2].decided_by, DecidedBy::Unresolved);
        assert!(ranking.has_unresolved_ties());
    }
}

#[test]
fn a_policy_without_a_draw_leaves_full_ties_unresolved_even_with_a_draw_order() {
    let text = PriorityPolicy::embedded_text().replace(", \"draw\"]", "]");
    let no_draw = PriorityPolicy::parse(&text).unwrap();
    let draw = vec!["b".to_string(), "a".to_string()];
    let ranking = rank(&no_draw, &[single("a"), single("b")], TODAY, Some(&draw));
    assert!(ranking.entries.iter().all(|r| r.position == 1 && r.tied_with == 1));
}

#[test]
fn youth_dwellings_go_only_to_main_applicants_aged_18_to_25() {
    let mut young = single("young");
    young.members = vec![member(Relation::MainApplicant, 22)];
    let old = single("old");
    let p = policy();
    assert!(p.may_get(DwellingType::YouthDwelling, &young.situation(TODAY)));
    assert!(!p.may_get(DwellingType::YouthDwelling, &old.situation(TODAY)));
    assert!(!p.may_get(DwellingType::Emergency, &young.situation(TODAY)));
    let mut care = single("care");
    care.wheelchair_need = true;
    assert!(p.may_get(DwellingType::CareDwelling, &care.situation(TODAY)));
    assert!(!p.may_get(DwellingType::CareDwelling, &old.situation(TODAY)));
}

#[test]
fn peers_are_the_households_that_may_get_the_same_dwellings() {
    let homeless_young = {
        let mut h = approved(housed(single("young"), CurrentHousing::Homeless), date!(2026 - 01 - 01));
        h.members = vec![member(Relation::MainApplicant, 20)];
        h
    };
    let family = with_children(single("family"), &[3, 5, 7]); // needs 3 bedrooms
    let single_old = because(single("old"), &[Reason::Economy]);
    let households = [homeless_young, family, single_old];
    let ranking = rank(policy(), &households, TODAY, None);
    assert_eq!(ids(&ranking), ["family", "young", "old"]);
    let peers = peer_positions(policy(), &households, &ranking);
    let ordinary = |id: &str| {
        peers[id]
            .iter()
            .find(|p| p.dwelling_type == DwellingType::OrdinaryRental)
            .copied()
            .unwrap()
    };
    // The family's 3–4 bedrooms do not overlap the singles' 0–2.
    assert_eq!((ordinary("family").position, ordinary("family").of), (1, 1));
    assert_eq!((ordinary("young").position, ordinary("young").of), (1, 2));
    assert_eq!((ordinary("old").position, ordinary("old").of), (2, 2));
    let youth: Vec<_> = peers["young"]
        .iter()
        .filter(|p| p.dwelling_type == DwellingType::YouthDwelling)
        .collect();
    assert_eq!((youth[0].position, youth[0].of), (1, 1));
    assert!(
        !peers["old"]
            .iter()
            .any(|p| p.dwelling_type == DwellingType::YouthDwelling)
    );
}

#[test]
fn household_types() {
    assert_eq!(single("a").household_type(TODAY), HouseholdType::SingleAdult);
    assert_eq!(
        with_partner(single("a")).household_type(TODAY),
        HouseholdType::CoupleWithoutChildren
    );
    assert_eq!(
        with_children(single("a"), &[3]).household_type(TODAY),
        HouseholdType::SingleParent
    );
    assert_eq!(
        with_children(with_partner(single("a")), &[3]).household_type(TODAY),
        HouseholdType::CoupleWithChildren
    );
    // A grown-up child living at home makes it "other".
    assert_eq!(
        with_children(single("a"), &[19]).household_type(TODAY),
        HouseholdType::Other
    );
}

proptest! {
    /// Higher points are never ranked below lower points, positions never go down the list,
    /// and every household appears once.
    #[test]
    fn ranking_is_an_order_consistent_with_points(list in arb_list(), with_draw in any::<bool>()) {
        let draw: Vec<String> = list.iter().rev().map(|h| h.entry_id.clone()).collect();
        let ranking = rank(policy(), &list, TODAY, with_draw.then_some(draw.as_slice()));
        prop_assert_eq!(ranking.entries.len(), list.len());
        for pair in ranking.entries.windows(2) {
            prop_assert!(pair[0].priority.total >= pair[1].priority.total);
            prop_assert!(pair[0].position <= pair[1].position);
            if pair[0].priority.total > pair[1].priority.total {
                prop_assert!(pair[0].position < pair[1].position);
            }
        }
        for (i, r) in ranking.entries.iter().enumerate() {
            prop_assert!(r.position as usize <= i + 1);
            prop_assert_eq!(r.priority.total, score(policy(), list.iter().find(|h| h.entry_id == r.priority.entry_id).unwrap(), TODAY).total);
        }
        // With a full draw every tie is decided and the positions are 1..=n.
        if with_draw {
            prop_assert!(!ranking.has_unresolved_ties());
            for (i, r) in ranking.entries.iter().enumerate() {
                prop_assert_eq!(r.position as usize, i + 1);
            }
        }
    }

    /// The same input in any order gives the same ranking.
    #[test]
    fn the_same_input_gives_the_same_ranking(list in arb_list(), seed in any::<u64>()) {
        let mut shuffled = list.clone();
        let len = shuffled.len();
        shuffled.rotate_left((seed as usize) % len.max(1));
        shuffled.reverse();
        prop_assert_eq!(rank(policy(), &list, TODAY, None), rank(policy(), &shuffled, TODAY, None));
    }

    /// Waiting longer never lowers the points, and never raises them past the cap.
    #[test]
    fn waiting_longer_never_lowers_points(h in arb_household(0), later in 0i64..2_000) {
        let now = score(policy(), &h, TODAY);
        let then = score(policy(), &h, TODAY + time::Duration::days(later));
        prop_assert!(then.waiting.points >= now.waiting.points);
        prop_assert!(then.waiting.points <= policy().waiting_time.max_points);
        prop_assert_eq!(
            then.total - then.waiting.points,
            then.criteria.iter().map(|c| c.points).sum::<u32>()
        );
    }
}

proptest! {
    /// Positions for a page of the list are the same as those for the whole list.
    #[test]
    fn peer_positions_of_a_page_match_the_whole(list in arb_list(), skip in 0usize..4) {
        let policy = PriorityPolicy::embedded();
        let ranking = rank(policy, &list, TODAY, None);
        let all = peer_positions(policy, &list, &ranking);
        let page: std::collections::HashSet<&str> =
            ranking.entries.iter().skip(skip).take(3).map(|r| r.priority.entry_id.as_str()).collect();
        let some = peer_positions_of(policy, &list, &ranking, Some(&page));
        prop_assert_eq!(some.len(), page.len());
        for (id, places) in &some {
            prop_assert_eq!(Some(places), all.get(id));
        }
    }
}

proptest! {
    /// The index gives every household the places the direct count gives.
    #[test]
    fn the_peer_index_agrees_with_the_direct_count(list in arb_list()) {
        let policy = PriorityPolicy::embedded();
        let ranking = rank(policy, &list, TODAY, None);
        let all = peer_positions(policy, &list, &ranking);
        let index = PeerIndex::new(policy, &list, &ranking);
        for r in &ranking.entries {
            let id = &r.priority.entry_id;
            prop_assert_eq!(&index.positions(id), all.get(id).unwrap());
        }
        prop_assert!(index.positions("not on the list").is_empty());
    }
}
