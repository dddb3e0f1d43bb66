//! A proposal for the current vacancies: which household for which dwelling, and for every
//! waiting household why it did or did not get each dwelling that would fit it.
//!
//! The hard constraints are [`needs::compatible`]; only fitting pairs become edges of the
//! assignment, each weighted by [`needs::weight`] (priority first, fit second), and
//! [`matching::assign`] chooses the assignment with the largest total weight — proven optimal.
//! Nothing here is saved: the caller shows the proposal, and a round that offers dwellings
//! records it with the policy's fingerprint.

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use time::Date;

use super::matching::{AssignmentProblem, Edge, MatchingError, assign};
use super::needs::{DwellingFacts, Mismatch, compatible, weight};
use super::policy::PriorityPolicy;
use super::priority::{Ranking, WaitingHousehold};

/// A vacancy as the proposal sees it: the register's id and the facts that decide who fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vacancy {
    pub id: String,
    pub facts: DwellingFacts,
}

/// What the proposal says about one household. Saved with a round (as JSON), so its form is
/// part of the stored data: change it only with a migration of `allocation_round.outcomes`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Proposed for this dwelling (index into the vacancies).
    Proposed { dwelling: usize },
    /// Dwellings fit, but each went to a household before it in the proposal (indices of the
    /// dwellings and whom they went to).
    FittingTakenByOthers { taken: Vec<(usize, String)> },
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
    let mut edges = Vec::new();
    let mut fitting: Vec<Vec<usize>> = vec![Vec::new(); ranked.len()];
    let mut misfits: Vec<HashMap<&'static str, (Mismatch, usize)>> = vec![HashMap::new(); ranked.len()];
    for (h, (_, household, _)) in ranked.iter().enumerate() {
        let priority = ranking.entries[h].priority.clone();
        for (d, vacancy) in vacancies.iter().enumerate() {
            match compatible(policy, household, &vacancy.facts, today) {
                Ok(fit) => {
                    fitting[h].push(d);
                    edges.push(Edge {
                        household: h as u32,
                        dwelling: d as u32,
                        weight: weight(&priority, &fit).max(1),
                    });
                }
                Err(reasons) => {
                    for reason in reasons {
                        misfits[h].entry(reason.code()).or_insert((reason, 0)).1 += 1;
                    }
                }
            }
        }
    }
    let fitting_pairs = edges.len();
    let problem = AssignmentProblem {
        households: ranked.len() as u32,
        dwellings: vacancies.len() as u32,
        edges,
    };
    let assignment = assign(&problem)?;
    let mut dwelling_to: Vec<Option<usize>> = vec![None; vacancies.len()];
    let mut household_to: Vec<Option<usize>> = vec![None; ranked.len()];
    for (h, d) in &assignment.pairs {
        dwelling_to[*d as usize] = Some(*h as usize);
        household_to[*h as usize] = Some(*d as usize);
    }
    let outcomes = ranked
        .iter()
        .enumerate()
        .map(|(h, (id, _, _))| {
            let outcome = match household_to[h] {
                Some(dwelling) => Outcome::Proposed { dwelling },
                None if !fitting[h].is_empty() => Outcome::FittingTakenByOthers {
                    taken: fitting[h]
                        .iter()
                        .filter_map(|d| dwelling_to[*d].map(|other| (*d, ranked[other].0.to_string())))
                        .collect(),
                },
                None => {
                    let mut reasons: Vec<(Mismatch, usize)> = misfits[h].values().cloned().collect();
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
