use super::*;
use crate::allocation::fixtures::*;
use crate::cases::CurrentHousing;
use proptest::prelude::*;
use time::macros::date;

fn current() -> &'static PriorityPolicy {
    PriorityPolicy::embedded()
}

/// A draft that weighs health far above families with children.
fn health_first() -> PriorityPolicy {
    let text = PriorityPolicy::embedded_text()
        .replace(
            "id = \"health_situation\"\npoints = 20",
            "id = \"health_situation\"\npoints = 500",
        )
        .replace("version = \"drammen-2020.1\"", "version = \"drammen-2020.2-utkast\"")
        .replace("effective_from = 2020-02-04", "effective_from = 2027-07-01");
    PriorityPolicy::parse(&text).unwrap()
}

#[test]
fn a_draft_moves_households_and_the_summary_counts_them() {
    let family = with_children(with_partner(single("family")), &[4]);
    let sick = because(single("sick"), &[Reason::Health]);
    let mut sick_classified = because(single("sick2"), &[Reason::SubstanceUseOrMentalHealth]);
    sick_classified.kostra = Some(KostraCategory::MentalHealthOrSubstanceUse);
    sick_classified.approved_on = date!(2026 - 01 - 01);
    let homeless = housed(with_children(single("homeless"), &[1]), CurrentHousing::Homeless);
    let households = [family, sick, sick_classified, homeless];

    let sim = simulate(current(), &health_first(), &households, TODAY, None);
    let order = |r: &Ranking| {
        r.entries
            .iter()
            .map(|e| e.priority.entry_id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(order(&sim.current), ["homeless", "family", "sick2", "sick"]);
    assert_eq!(order(&sim.draft), ["sick2", "sick", "homeless", "family"]);
    assert_eq!(sim.draft.policy_version, "drammen-2020.2-utkast");
    assert_ne!(sim.current.policy_fingerprint, sim.draft.policy_fingerprint);

    let shift = |id: &str| sim.shifts.iter().find(|s| s.entry_id == id).unwrap();
    assert_eq!((shift("sick").old_position, shift("sick").new_position), (4, 2));
    assert_eq!(
        (shift("sick").old_points, shift("sick").new_points),
        (20 + 12, 500 + 12)
    );
    assert_eq!(shift("family").shift(), -2);

    assert_eq!(
        (
            sim.all.households,
            sim.all.moved_up,
            sim.all.moved_down,
            sim.all.unchanged
        ),
        (4, 2, 2, 0)
    );
    assert_eq!(sim.all.shift_sum, 0, "places gained and lost balance out");
    let singles = sim.by_household_type[&HouseholdType::SingleAdult];
    assert_eq!((singles.households, singles.moved_up), (2, 2));
    assert_eq!(singles.mean_shift(), 2.0);
    let parents = sim.by_household_type[&HouseholdType::SingleParent];
    assert_eq!((parents.moved_down, parents.mean_shift()), (1, -2.0));
    assert_eq!(
        sim.by_kostra[&Some(KostraCategory::MentalHealthOrSubstanceUse)].moved_up,
        1
    );
    assert_eq!(sim.by_kostra[&None].households, 3);
    assert_eq!(sim.by_reason[&Reason::Health].moved_up, 1);
    assert!(!sim.by_reason.contains_key(&Reason::Economy));
}

proptest! {
    /// The same policy as draft moves nobody.
    #[test]
    fn the_same_policy_moves_nobody(list in arb_list(), with_draw in any::<bool>()) {
        let draw: Vec<String> = list.iter().map(|h| h.entry_id.clone()).collect();
        let sim = simulate(current(), current(), &list, TODAY, with_draw.then_some(draw.as_slice()));
        prop_assert_eq!(sim.shifts.len(), list.len());
        prop_assert!(sim.shifts.iter().all(|s| s.shift() == 0 && s.old_points == s.new_points));
        prop_assert_eq!(sim.all.unchanged as usize, list.len());
        prop_assert_eq!(sim.all.moved_up + sim.all.moved_down, 0);
    }

    /// Each household is counted once in the household-type summary, whatever the draft.
    #[test]
    fn every_household_is_summarised_once(list in arb_list()) {
        let sim = simulate(current(), &health_first(), &list, TODAY, None);
        let counted: u32 = sim.by_household_type.values().map(|g| g.households).sum();
        prop_assert_eq!(counted as usize, list.len());
        let kostra: u32 = sim.by_kostra.values().map(|g| g.households).sum();
        prop_assert_eq!(kostra as usize, list.len());
        for g in sim.by_household_type.values() {
            prop_assert_eq!(g.moved_up + g.moved_down + g.unchanged, g.households);
        }
    }
}
