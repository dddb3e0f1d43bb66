//! A proposal for the current vacancies: which household for which dwelling, and for every
//! waiting household why it did or did not get each dwelling that would fit it.
//!
//! The hard constraints are [`needs::compatible`]; only fitting pairs become edges of the
//! assignment, each weighted by [`needs::weight`] (priority first, fit second), and
//! [`matching::assign_grouped`] chooses the assignment with the largest total weight — proven
//! optimal. Vacancies with the same facts fit every household equally, so they are checked and
//! matched as one group (their [`FitClass`]): the work grows with households × kinds of
//! dwelling, not households × dwellings. Within a group the dwellings go, in their order, to
//! the group's households in ranking order. Nothing here is saved: the caller shows the
//! proposal, and a round that offers dwellings records it with the policy's fingerprint.

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use time::Date;

use super::matching::{Edge, GroupedProblem, MatchingError, assign_grouped};
use super::needs::{DwellingFacts, FitClass, Mismatch, Needs, weight};
use super::policy::PriorityPolicy;
use super::priority::{Ranking, WaitingHousehold};

/// How many of the fitting dwellings that went to others an outcome names; the rest are counted.
pub const TAKEN_NAMED: usize = 3;

/// A vacancy as the proposal sees it: the register's id and the facts that decide who fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vacancy {
    pub id: String,
    pub facts: DwellingFacts,
}

/// What the proposal says about one household. Saved with a round (as JSON), so its form is
/// part of the stored data: change it only with a migration of `allocation_round.outcomes`, or
/// (as `more` was) by adding a field that reads as its default from what is stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Proposed for this dwelling (index into the vacancies).
    Proposed { dwelling: usize },
    /// Dwellings fit, but each went to a household before it in the proposal: the first
    /// [`TAKEN_NAMED`] (indices of the dwellings and whom they went to) and how many more.
    FittingTakenByOthers {
        taken: Vec<(usize, String)>,
        #[serde(default)]
        more: usize,
    },
    /// No vacancy fits; the reasons per vacancy, most common first.
    NothingFits { reasons: Vec<(Mismatch, usize)> },
}

/// The proposal for a set of vacancies and the ranked waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Per vacancy: the household proposed (entry id), if any household fits it.
    pub dwellings: Vec<Option<String>>,
    /// Per waiting household, in ranking order: entry id and outcome.
    pub households: Vec<(String, Outcome)>,
    /// The sum of the chosen pairs' weights (priority points × 1 000 + fit bonus).
    pub total_weight: i64,
    /// How many household–dwelling pairs fit at all.
    pub fitting_pairs: usize,
}

/// Vacancies of one fit class, in the order each class first appears: `members[g]` are the
/// indices of group `g`'s vacancies, ascending; the first stands for the group. A mismatch is
/// thus reported with the facts of the first vacancy that has it, as when every vacancy was
/// checked on its own.
struct Groups<'a> {
    first: Vec<&'a Vacancy>,
    members: Vec<Vec<usize>>,
}

impl<'a> Groups<'a> {
    fn of(vacancies: &'a [Vacancy]) -> Groups<'a> {
        let mut index: HashMap<FitClass<'a>, usize> = HashMap::new();
        let mut groups = Groups {
            first: Vec::new(),
            members: Vec::new(),
        };
        for (d, vacancy) in vacancies.iter().enumerate() {
            let g = *index.entry(vacancy.facts.fit_class()).or_insert_with(|| {
                groups.first.push(vacancy);
                groups.members.push(Vec::new());
                groups.first.len() - 1
            });
            groups.members[g].push(d);
        }
        groups
    }
}

/// Proposes dwellings for the ranked waiting list. `households` in any order; `ranking` orders
/// the answer and gives each household's points.
pub fn propose(
    policy: &PriorityPolicy,
    households: &[WaitingHousehold],
    ranking: &Ranking,
    vacancies: &[Vacancy],
    today: Date,
) -> Result<Proposal, MatchingError> {
    let by_id: HashMap<&str, &WaitingHousehold> = households.iter().map(|h| (h.entry_id.as_str(), h)).collect();
    let ranked: Vec<(&str, &WaitingHousehold, u32)> = ranking
        .entries
        .iter()
        .filter_map(|r| {
            by_id
                .get(r.priority.entry_id.as_str())
                .map(|h| (r.priority.entry_id.as_str(), *h, r.priority.total))
        })
        .collect();
    let groups = Groups::of(vacancies);
    let mut edges = Vec::new();
    let mut fitting_pairs = 0;
    let mut fitting: Vec<Vec<usize>> = vec![Vec::new(); ranked.len()];
    // Why nothing fits, per kind of reason, kept only for households nothing fits.
    let mut misfits: Vec<Vec<(Mismatch, usize)>> = vec![Vec::new(); ranked.len()];
    for (h, (_, household, _)) in ranked.iter().enumerate() {
        let priority = &ranking.entries[h].priority;
        let needs = Needs::of(policy, household, today);
        let mut counted: [Option<(Mismatch, usize)>; Mismatch::KINDS] = Default::default();
        for (g, first) in groups.first.iter().enumerate() {
            let size = groups.members[g].len();
            match needs.check(&first.facts) {
                Ok(fit) => {
                    fitting[h].push(g);
                    fitting_pairs += size;
                    edges.push(Edge {
                        household: h as u32,
                        dwelling: g as u32,
                        weight: weight(priority, &fit).max(1),
                    });
                }
                Err(reasons) => {
                    for reason in reasons {
                        match &mut counted[reason.ordinal()] {
                            Some((_, count)) => *count += size,
                            slot => *slot = Some((reason, size)),
                        }
                    }
                }
            }
        }
        if fitting[h].is_empty() {
            misfits[h] = counted.into_iter().flatten().collect();
        }
    }
    let problem = GroupedProblem {
        households: ranked.len() as u32,
        capacity: groups.members.iter().map(|m| m.len() as u32).collect(),
        edges,
    };
    let assignment = assign_grouped(&problem)?;
    // A group's dwellings in order to its households in ranking order (pairs are sorted by
    // household, and households are indexed in ranking order).
    let mut dwelling_to: Vec<Option<usize>> = vec![None; vacancies.len()];
    let mut household_to: Vec<Option<usize>> = vec![None; ranked.len()];
    let mut given = vec![0usize; groups.members.len()];
    for &(h, g) in &assignment.pairs {
        let d = groups.members[g as usize][given[g as usize]];
        given[g as usize] += 1;
        dwelling_to[d] = Some(h as usize);
        household_to[h as usize] = Some(d);
    }
    let outcomes = ranked
        .iter()
        .enumerate()
        .map(|(h, (id, _, _))| {
            let outcome = match household_to[h] {
                Some(dwelling) => Outcome::Proposed { dwelling },
                None if !fitting[h].is_empty() => taken_by_others(&fitting[h], &groups, &given, |d| {
                    dwelling_to[d].map(|other| ranked[other].0.to_string())
                }),
                None => {
                    let mut reasons = misfits[h].clone();
                    reasons.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.code().cmp(b.0.code())));
                    Outcome::NothingFits { reasons }
                }
            };
            (id.to_string(), outcome)
        })
        .collect();
    Ok(Proposal {
        dwellings: dwelling_to.iter().map(|h| h.map(|h| ranked[h].0.to_string())).collect(),
        households: outcomes,
        total_weight: assignment.total,
        fitting_pairs,
    })
}

/// The fitting dwellings of the groups `fitting` that went to others: the first [`TAKEN_NAMED`]
/// by dwelling order, named with whom they went to, and a count of the rest. Only a group's
/// first `given[g]` dwellings went to anyone.
fn taken_by_others(
    fitting: &[usize],
    groups: &Groups<'_>,
    given: &[usize],
    taker: impl Fn(usize) -> Option<String>,
) -> Outcome {
    let mut first: Vec<usize> = fitting
        .iter()
        .flat_map(|&g| groups.members[g][..given[g]].iter().take(TAKEN_NAMED).copied())
        .collect();
    first.sort_unstable();
    first.truncate(TAKEN_NAMED);
    let taken: Vec<(usize, String)> = first.into_iter().filter_map(|d| Some((d, taker(d)?))).collect();
    let all: usize = fitting.iter().map(|&g| given[g]).sum();
    Outcome::FittingTakenByOthers {
        more: all - taken.len(),
        taken,
    }
}
