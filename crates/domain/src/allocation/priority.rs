//! Each waiting household's priority under a policy, and the waiting list's order.
//!
//! [`score`] adds the points of every criterion whose condition holds and the waiting-time
//! points; [`rank`] orders the list by total points, then by the policy's tie-breakers. A tie
//! that only a draw can break is decided by the draw order given from outside (the verifiable
//! draw's result); without it the tie is reported as unresolved (the households share a
//! position), never decided silently. [`peer_positions`] gives each household's place among
//! the households that compete for the same dwellings.

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use time::Date;

use super::dwelling::DwellingType;
use super::needs::{BedroomRange, bedroom_range};
use super::policy::{PriorityPolicy, TieBreaker};
use crate::bostotte::age_at;
use crate::cases::{CurrentHousing, Reason};
use crate::eligibility::Text;
use crate::household::Relation;
use crate::kostra::KostraCategory;

/// Age from which a member counts as an adult.
pub const ADULT_AGE: i32 = 18;

/// A member of a waiting household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingMember {
    pub relation: Relation,
    pub birth_date: Date,
}

/// What the store supplies about one approved household on the waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingHousehold {
    /// The waiting-list entry's id, as the draw names it (opaque here).
    pub entry_id: String,
    /// The main applicant (relation `MainApplicant`, else the first member) and everyone moving in.
    pub members: Vec<WaitingMember>,
    pub current_housing: Option<CurrentHousing>,
    /// The applicant's ticked reasons.
    pub reasons: Vec<Reason>,
    /// The caseworker's KOSTRA main-reason classification, if made.
    pub kostra: Option<KostraCategory>,
    pub wheelchair_need: bool,
    pub ground_floor_or_lift: bool,
    pub pets: bool,
    pub preferred_areas: Vec<String>,
    pub areas_to_avoid: Vec<String>,
    pub received_on: Date,
    /// The day the application was approved (the decision date); waiting time runs from it.
    pub approved_on: Date,
}

/// The coded situation a policy's conditions read, on the day of ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Situation {
    /// Members aged 18 or more, the main applicant included.
    pub adults: u32,
    /// Members under 18 (other than the main applicant).
    pub children: u32,
    /// The main applicant lives with a spouse or cohabitant.
    pub partner: bool,
    /// Adults other than the main applicant and their partner (each needs a bedroom).
    pub other_adults: u32,
    pub main_applicant_age: Option<u32>,
    pub current_housing: Option<CurrentHousing>,
    pub reasons: Vec<Reason>,
    pub kostra: Option<KostraCategory>,
    pub wheelchair_need: bool,
    pub ground_floor_need: bool,
}

impl WaitingHousehold {
    fn main_index(&self) -> Option<usize> {
        self.members
            .iter()
            .position(|m| m.relation == Relation::MainApplicant)
            .or((!self.members.is_empty()).then_some(0))
    }

    pub fn situation(&self, today: Date) -> Situation {
        let main = self.main_index();
        let mut s = Situation {
            adults: 0,
            children: 0,
            partner: false,
            other_adults: 0,
            main_applicant_age: main.map(|i| age_at(self.members[i].birth_date, today).max(0) as u32),
            current_housing: self.current_housing,
            reasons: self.reasons.clone(),
            kostra: self.kostra,
            wheelchair_need: self.wheelchair_need,
            ground_floor_need: self.ground_floor_or_lift,
        };
        // The main applicant is an adult for the rules even when younger (a 17-year-old
        // parent applies as the household's head).
        if main.is_some() {
            s.adults = 1;
        }
        for (i, member) in self.members.iter().enumerate() {
            if Some(i) == main {
                continue;
            }
            let adult = age_at(member.birth_date, today) >= ADULT_AGE;
            match member.relation {
                Relation::Spouse | Relation::Cohabitant => {
                    s.partner = true;
                    s.adults += 1;
                }
                _ if !adult => s.children += 1,
                _ => {
                    s.adults += 1;
                    s.other_adults += 1;
                }
            }
        }
        s
    }

    /// The household's type, for the simulation's summary.
    pub fn household_type(&self, today: Date) -> HouseholdType {
        let s = self.situation(today);
        match (s.adults, s.partner, s.other_adults, s.children) {
            (1, _, _, 0) => HouseholdType::SingleAdult,
            (1, _, _, _) => HouseholdType::SingleParent,
            (2, true, 0, 0) => HouseholdType::CoupleWithoutChildren,
            (2, true, 0, _) => HouseholdType::CoupleWithChildren,
            _ => HouseholdType::Other,
        }
    }
}

/// A household's composition, as the simulation groups households.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HouseholdType {
    SingleAdult,
    CoupleWithoutChildren,
    SingleParent,
    CoupleWithChildren,
    Other,
}

impl HouseholdType {
    pub const ALL: [HouseholdType; 5] = [
        HouseholdType::SingleAdult,
        HouseholdType::CoupleWithoutChildren,
        HouseholdType::SingleParent,
        HouseholdType::CoupleWithChildren,
        HouseholdType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            HouseholdType::SingleAdult => "single_adult",
            HouseholdType::CoupleWithoutChildren => "couple_without_children",
            HouseholdType::SingleParent => "single_parent",
            HouseholdType::CoupleWithChildren => "couple_with_children",
            HouseholdType::Other => "other",
        }
    }

    pub fn key(self) -> String {
        format!("allocation.household_type.{}", self.code())
    }
}

/// A criterion that applied, with the policy's own title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedCriterion {
    pub id: String,
    pub points: u32,
    pub title: Text,
}

/// The waiting-time points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WaitingPoints {
    /// Full months since the approval date.
    pub months: u32,
    pub points: u32,
    /// The cap was reached: more waiting adds nothing.
    pub capped: bool,
    pub points_per_month: u32,
    pub max_points: u32,
}

/// One household's points breakdown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priority {
    pub entry_id: String,
    pub criteria: Vec<AppliedCriterion>,
    pub waiting: WaitingPoints,
    pub total: u32,
}

/// Full calendar months from `from` to `to` (a month is full on the same day of a later month;
/// from 31 January, the month is full on the last day of February).
pub fn full_months(from: Date, to: Date) -> u32 {
    if to <= from {
        return 0;
    }
    let months = (to.year() - from.year()) * 12 + (i32::from(u8::from(to.month())) - i32::from(u8::from(from.month())));
    let last_day = to.month().length(to.year());
    let day_reached = to.day() >= from.day() || to.day() == last_day;
    let months = if day_reached { months } else { months - 1 };
    months.max(0) as u32
}

/// The household's points under the policy on `today`.
pub fn score(policy: &PriorityPolicy, household: &WaitingHousehold, today: Date) -> Priority {
    let situation = household.situation(today);
    let criteria: Vec<AppliedCriterion> = policy
        .criteria
        .iter()
        .filter(|c| c.when.holds(&situation))
        .map(|c| AppliedCriterion {
            id: c.id.clone(),
            points: c.points,
            title: c.title.clone(),
        })
        .collect();
    let w = &policy.waiting_time;
    let months = full_months(household.approved_on, today);
    let uncapped = u64::from(months) * u64::from(w.points_per_month);
    let capped = uncapped >= u64::from(w.max_points) && w.points_per_month > 0;
    let points = uncapped.min(u64::from(w.max_points)) as u32;
    let waiting = WaitingPoints {
        months,
        points,
        capped,
        points_per_month: w.points_per_month,
        max_points: w.max_points,
    };
    let total = criteria.iter().map(|c| c.points).sum::<u32>() + points;
    Priority {
        entry_id: household.entry_id.clone(),
        criteria,
        waiting,
        total,
    }
}

/// What placed a household after the one directly above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecidedBy {
    /// First on the list.
    First,
    /// Fewer points.
    Points,
    Tie(TieBreaker),
    /// Equal on points and every tie-breaker that could be applied: a draw is needed (or the
    /// policy has no further tie-breaker). The households share a position.
    Unresolved,
}

/// One household's place in a ranking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub priority: Priority,
    pub approved_on: Date,
    pub received_on: Date,
    /// The position in the draw, when a draw decided a tie.
    pub draw_position: Option<u32>,
    /// 1-based; households in an unresolved tie share the position of the first of them.
    pub position: u32,
    pub decided_by: DecidedBy,
    /// How many other households share this position (0 unless the tie is unresolved).
    pub tied_with: u32,
}

/// A ranking of the waiting list, with the policy it used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranking {
    pub policy_version: String,
    pub policy_fingerprint: String,
    pub ranked_on: Date,
    /// Best first.
    pub entries: Vec<Ranked>,
}

impl Ranking {
    pub fn get(&self, entry_id: &str) -> Option<&Ranked> {
        self.entries.iter().find(|r| r.priority.entry_id == entry_id)
    }

    /// Whether some tie still needs a draw.
    pub fn has_unresolved_ties(&self) -> bool {
        self.entries.iter().any(|r| r.tied_with > 0)
    }
}

/// Orders the waiting list: most points first, then the policy's tie-breakers. `draw_order` is
/// the verifiable draw's result as entry ids, first drawn first.
pub fn rank(
    policy: &PriorityPolicy,
    households: &[WaitingHousehold],
    today: Date,
    draw_order: Option<&[String]>,
) -> Ranking {
    let draw: HashMap<&str, u32> = draw_order
        .unwrap_or_default()
        .iter()
        .enumerate()
        .rev() // the first occurrence wins
        .map(|(i, id)| (id.as_str(), i as u32 + 1))
        .collect();
    let mut rows: Vec<Ranked> = households
        .iter()
        .map(|h| Ranked {
            priority: score(policy, h, today),
            approved_on: h.approved_on,
            received_on: h.received_on,
            draw_position: draw.get(h.entry_id.as_str()).copied(),
            position: 0,
            decided_by: DecidedBy::First,
            tied_with: 0,
        })
        .collect();

    // The tie-breakers before the draw order every household; the draw orders only a group
    // where every member has a draw position.
    let before_draw: Vec<TieBreaker> = policy
        .tie_breakers
        .iter()
        .copied()
        .take_while(|t| *t != TieBreaker::Draw)
        .collect();
    let after_draw: Vec<TieBreaker> = policy
        .tie_breakers
        .iter()
        .copied()
        .skip_while(|t| *t != TieBreaker::Draw)
        .collect();
    let date_key = |r: &Ranked, t: TieBreaker| match t {
        TieBreaker::ApprovalDate => r.approved_on,
        TieBreaker::ReceivedDate => r.received_on,
        TieBreaker::Draw => unreachable!("the draw is not a date"),
    };
    let group_key = |r: &Ranked| {
        (
            std::cmp::Reverse(r.priority.total),
            before_draw.iter().map(|t| date_key(r, *t)).collect::<Vec<_>>(),
        )
    };
    rows.sort_by_cached_key(|r| (group_key(r), r.priority.entry_id.clone()));

    let mut start = 0;
    while start < rows.len() {
        let key = group_key(&rows[start]);
        let end = start + rows[start..].iter().take_while(|r| group_key(r) == key).count();
        let group = &mut rows[start..end];
        let drawable = !after_draw.is_empty() && group.iter().all(|r| r.draw_position.is_some());
        if group.len() > 1 && drawable {
            group.sort_by_key(|r| (r.draw_position, r.priority.entry_id.clone()));
        }
        let unresolved = group.len() > 1 && !drawable;
        for (i, row) in group.iter_mut().enumerate() {
            row.position = (start + if unresolved { 0 } else { i }) as u32 + 1;
            row.tied_with = if unresolved { (end - start - 1) as u32 } else { 0 };
            if end - start == 1 || !drawable {
                row.draw_position = None;
            }
        }
        start = end;
    }

    for i in 0..rows.len() {
        rows[i].decided_by = if i == 0 {
            DecidedBy::First
        } else if rows[i].tied_with > 0 && rows[i].position == rows[i - 1].position {
            DecidedBy::Unresolved
        } else {
            let (above, this) = (&rows[i - 1], &rows[i]);
            if above.priority.total != this.priority.total {
                DecidedBy::Points
            } else {
                before_draw
                    .iter()
                    .find(|t| date_key(above, **t) != date_key(this, **t))
                    .map_or(DecidedBy::Tie(TieBreaker::Draw), |t| DecidedBy::Tie(*t))
            }
        };
    }

    Ranking {
        policy_version: policy.version.clone(),
        policy_fingerprint: policy.fingerprint(),
        ranked_on: today,
        entries: rows,
    }
}

/// A household's place among those who may get the same dwelling type with an overlapping
/// bedroom range (the households it actually competes with for such a dwelling).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerPosition {
    pub dwelling_type: DwellingType,
    pub bedrooms: BedroomRange,
    /// 1 + the competitors ranked strictly ahead.
    pub position: u32,
    /// The competitors, the household included.
    pub of: u32,
}

/// For each household of the ranking, its place per dwelling type it may get.
/// Quadratic in the list's length; a waiting list of a few thousand is well within reach.
pub fn peer_positions(
    policy: &PriorityPolicy,
    households: &[WaitingHousehold],
    ranking: &Ranking,
) -> HashMap<String, Vec<PeerPosition>> {
    peer_positions_of(policy, households, ranking, None)
}

/// Every household's places among its competitors, built once for a ranking and then asked
/// for any household in logarithmic time. [`peer_positions_of`] passes over the whole list once
/// per household asked; this passes over it once per distinct bedroom range and dwelling type
/// (a handful), which pays as soon as a page of households is asked, and a kept ranking (the
/// waiting-list page's) answers every later page without passing over the list at all.
#[derive(Debug, Clone)]
pub struct PeerIndex {
    /// Each household's position, bedroom range and the dwelling types it may get.
    rows: HashMap<String, (u32, BedroomRange, Vec<DwellingType>)>,
    /// For a dwelling type and a bedroom range: the sorted positions of the households that may
    /// get that type with an overlapping range.
    competitors: HashMap<(DwellingType, BedroomRange), Vec<u32>>,
}

impl PeerIndex {
    pub fn new(policy: &PriorityPolicy, households: &[WaitingHousehold], ranking: &Ranking) -> PeerIndex {
        let today = ranking.ranked_on;
        let by_id: HashMap<&str, &WaitingHousehold> = households.iter().map(|h| (h.entry_id.as_str(), h)).collect();
        let mut rows = HashMap::with_capacity(ranking.entries.len());
        for r in &ranking.entries {
            let Some(h) = by_id.get(r.priority.entry_id.as_str()) else {
                continue;
            };
            let s = h.situation(today);
            let types: Vec<DwellingType> = DwellingType::ALL
                .iter()
                .copied()
                .filter(|t| policy.may_get(*t, &s))
                .collect();
            rows.insert(h.entry_id.clone(), (r.position, bedroom_range(policy, &s), types));
        }
        let mut competitors: HashMap<(DwellingType, BedroomRange), Vec<u32>> = HashMap::new();
        let keys: std::collections::HashSet<(DwellingType, BedroomRange)> = rows
            .values()
            .flat_map(|(_, range, types)| types.iter().map(move |t| (*t, *range)))
            .collect();
        for (t, range) in keys {
            let mut positions: Vec<u32> = rows
                .values()
                .filter(|(_, other, types)| types.contains(&t) && other.overlaps(&range))
                .map(|(position, _, _)| *position)
                .collect();
            positions.sort_unstable();
            competitors.insert((t, range), positions);
        }
        PeerIndex { rows, competitors }
    }

    /// The household's place per dwelling type it may get (empty for an unknown household).
    pub fn positions(&self, entry_id: &str) -> Vec<PeerPosition> {
        let Some((position, range, types)) = self.rows.get(entry_id) else {
            return Vec::new();
        };
        types
            .iter()
            .map(|t| {
                let competitors = self.competitors.get(&(*t, *range)).map(Vec::as_slice).unwrap_or(&[]);
                PeerPosition {
                    dwelling_type: *t,
                    bedrooms: *range,
                    position: competitors.partition_point(|p| p < position) as u32 + 1,
                    of: competitors.len() as u32,
                }
            })
            .collect()
    }
}

/// [`peer_positions`] for the households in `only` (all when `None`): a page of the list costs
/// one pass over the list per household shown, not the whole square.
pub fn peer_positions_of(
    policy: &PriorityPolicy,
    households: &[WaitingHousehold],
    ranking: &Ranking,
    only: Option<&std::collections::HashSet<&str>>,
) -> HashMap<String, Vec<PeerPosition>> {
    let today = ranking.ranked_on;
    let by_id: HashMap<&str, &WaitingHousehold> = households.iter().map(|h| (h.entry_id.as_str(), h)).collect();
    struct Row {
        id: String,
        position: u32,
        range: BedroomRange,
        types: Vec<DwellingType>,
    }
    let rows: Vec<Row> = ranking
        .entries
        .iter()
        .filter_map(|r| {
            let h = by_id.get(r.priority.entry_id.as_str())?;
            let s = h.situation(today);
            Some(Row {
                id: h.entry_id.clone(),
                position: r.position,
                range: bedroom_range(policy, &s),
                types: DwellingType::ALL
                    .iter()
                    .copied()
                    .filter(|t| policy.may_get(*t, &s))
                    .collect(),
            })
        })
        .collect();
    let mut out = HashMap::new();
    for row in rows
        .iter()
        .filter(|r| only.is_none_or(|only| only.contains(r.id.as_str())))
    {
        let mut places = Vec::new();
        for &t in &row.types {
            let mut ahead = 0;
            let mut of = 0;
            for other in &rows {
                if other.types.contains(&t) && other.range.overlaps(&row.range) {
                    of += 1;
                    if other.position < row.position {
                        ahead += 1;
                    }
                }
            }
            places.push(PeerPosition {
                dwelling_type: t,
                bedrooms: row.range,
                position: ahead + 1,
                of,
            });
        }
        out.insert(row.id.clone(), places);
    }
    out
}
