//! "What if": today's waiting list ranked under the policy in force and under a draft, side by
//! side, changing nothing. A leader sees who moves up and who moves down, and how each kind of
//! household and each reason fares, before the draft is given an effective date.

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;

use time::Date;

use super::policy::PriorityPolicy;
use super::priority::{HouseholdType, Ranking, WaitingHousehold, rank};
use crate::cases::Reason;
use crate::kostra::KostraCategory;

/// One household under both policies. A smaller position is better; `shift` > 0 means it
/// moves up the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shift {
    pub entry_id: String,
    pub household_type: HouseholdType,
    pub kostra: Option<KostraCategory>,
    pub reasons: Vec<Reason>,
    pub old_position: u32,
    pub new_position: u32,
    pub old_points: u32,
    pub new_points: u32,
}

impl Shift {
    /// Places gained (positive) or lost (negative).
    pub fn shift(&self) -> i64 {
        i64::from(self.old_position) - i64::from(self.new_position)
    }
}

/// How one group of households fares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupSummary {
    pub households: u32,
    pub moved_up: u32,
    pub moved_down: u32,
    pub unchanged: u32,
    /// Sum of the shifts (places gained minus places lost).
    pub shift_sum: i64,
}

impl GroupSummary {
    fn add(&mut self, shift: i64) {
        self.households += 1;
        self.shift_sum += shift;
        match shift.signum() {
            1 => self.moved_up += 1,
            -1 => self.moved_down += 1,
            _ => self.unchanged += 1,
        }
    }

    /// Mean places gained (negative: lost), 0 for an empty group.
    pub fn mean_shift(&self) -> f64 {
        if self.households == 0 {
            0.0
        } else {
            self.shift_sum as f64 / f64::from(self.households)
        }
    }
}

/// The simulation's result; nothing is saved or changed by computing it.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    pub current: Ranking,
    pub draft: Ranking,
    /// In the current ranking's order.
    pub shifts: Vec<Shift>,
    pub all: GroupSummary,
    pub by_household_type: BTreeMap<HouseholdType, GroupSummary>,
    /// By the caseworker's KOSTRA category; `None` = not classified yet.
    pub by_kostra: BTreeMap<Option<KostraCategory>, GroupSummary>,
    /// By ticked reason; a household with several reasons counts under each.
    pub by_reason: BTreeMap<Reason, GroupSummary>,
}

/// Ranks `households` under both policies on `today` with the same draw order.
pub fn simulate(
    current: &PriorityPolicy,
    draft: &PriorityPolicy,
    households: &[WaitingHousehold],
    today: Date,
    draw_order: Option<&[String]>,
) -> Simulation {
    let old = rank(current, households, today, draw_order);
    let new = rank(draft, households, today, draw_order);
    let by_id: BTreeMap<&str, &WaitingHousehold> = households.iter().map(|h| (h.entry_id.as_str(), h)).collect();
    let new_rows: BTreeMap<&str, _> = new.entries.iter().map(|r| (r.priority.entry_id.as_str(), r)).collect();

    let mut result = Simulation {
        shifts: Vec::new(),
        all: GroupSummary::default(),
        by_household_type: BTreeMap::new(),
        by_kostra: BTreeMap::new(),
        by_reason: BTreeMap::new(),
        current: old.clone(),
        draft: new.clone(),
    };
    for old_row in &old.entries {
        let id = old_row.priority.entry_id.as_str();
        let (Some(h), Some(new_row)) = (by_id.get(id), new_rows.get(id)) else {
            continue;
        };
        let shift = Shift {
            entry_id: id.to_string(),
            household_type: h.household_type(today),
            kostra: h.kostra,
            reasons: h.reasons.clone(),
            old_position: old_row.position,
            new_position: new_row.position,
            old_points: old_row.priority.total,
            new_points: new_row.priority.total,
        };
        let s = shift.shift();
        result.all.add(s);
        result.by_household_type.entry(shift.household_type).or_default().add(s);
        result.by_kostra.entry(shift.kostra).or_default().add(s);
        let mut reasons = shift.reasons.clone();
        reasons.sort();
        reasons.dedup();
        for reason in reasons {
            result.by_reason.entry(reason).or_default().add(s);
        }
        result.shifts.push(shift);
    }
    result
}
