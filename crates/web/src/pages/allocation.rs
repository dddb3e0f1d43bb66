//! `GET /allocation`: the proposal for the current vacancies — which household for which
//! dwelling, optimal under the priority policy — and why each household without a proposal did
//! not get one. Computed when the page is opened; nothing is saved or sent.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use crate::paging::{OffsetParam, Window};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use husly_domain::allocation::proposal::Outcome;
use husly_domain::authz::Action;
use husly_store::dwellings::Dwelling;
use husly_store::waiting_list::WaitingCase;
use husly_usecases::rounds::UNPLACED_SHOWN;
use husly_usecases::waiting_list::{self, AllocationPreview};

/// A household the proposal does not place, with why.
pub struct Unplaced<'a> {
    pub case: &'a WaitingCase,
    pub points: u32,
    pub why: Vec<String>,
}

#[derive(Template)]
#[template(path = "allocation.html")]
struct AllocationPage {
    l: Layout,
    p: AllocationPreview,
    /// The vacancies this page lists.
    window: Window,
}

impl AllocationPage {
    /// This page's vacancies with the household proposed for each.
    fn rows(&self) -> Vec<(&Dwelling, Option<(&WaitingCase, u32)>)> {
        let range = self.window.range();
        self.p.vacancies[range.clone()]
            .iter()
            .zip(&self.p.proposal.dwellings[range])
            .map(|(d, proposed)| {
                let household = proposed
                    .as_ref()
                    .and_then(|id| self.p.cases.get(id).map(|c| (c, self.points(id))));
                (d, household)
            })
            .collect()
    }

    fn points(&self, id: &str) -> u32 {
        self.p.points.get(id).copied().unwrap_or(0)
    }

    fn proposed_count(&self) -> usize {
        self.p.proposal.dwellings.iter().filter(|d| d.is_some()).count()
    }

    /// The first [`UNPLACED_SHOWN`] households without a proposal, in ranking order.
    fn unplaced(&self) -> Vec<Unplaced<'_>> {
        self.p
            .proposal
            .households
            .iter()
            .filter_map(|(id, outcome)| {
                let case = self.p.cases.get(id)?;
                let why = why_unplaced(
                    &self.l.tr,
                    outcome,
                    |d| self.p.vacancies.get(d).map(|d| d.details.address_line.clone()),
                    |other| {
                        self.p
                            .cases
                            .get(other)
                            .map(|c| (c.applicant_name.clone(), c.reference.clone()))
                    },
                )?;
                Some(Unplaced {
                    case,
                    points: self.points(id),
                    why,
                })
            })
            .take(UNPLACED_SHOWN)
            .collect()
    }

    /// How many households without a proposal the page does not list.
    fn unplaced_more(&self) -> usize {
        let unplaced = self.p.proposal.households.len() - self.proposed_count();
        unplaced.saturating_sub(UNPLACED_SHOWN)
    }

    /// A count as Norwegian text writes it: `21 987`.
    fn count(&self, n: usize) -> String {
        count(n)
    }

    fn kind(&self, d: &Dwelling) -> String {
        d.details.dwelling_type.key()
    }

    /// Husly's standard applies: the municipality has no own version in force.
    fn is_standard(&self) -> bool {
        self.p.fingerprint == husly_domain::allocation::policy::PriorityPolicy::embedded().fingerprint()
    }

    fn short_fingerprint(&self) -> &str {
        &self.p.fingerprint[..self.p.fingerprint.len().min(12)]
    }
}

fn count(n: usize) -> String {
    husly_domain::validation::group_thousands(n as u64)
}

/// Why a household got no dwelling, in the reader's words: the fitting dwellings and whom they
/// went to, or the commonest reasons nothing fits. `None` for a household that got one.
/// `address` names a dwelling by its index, `household` gives another household's name and
/// reference by its entry id.
pub(super) fn why_unplaced(
    tr: &Tr,
    outcome: &Outcome,
    address: impl Fn(usize) -> Option<String>,
    household: impl Fn(&str) -> Option<(String, String)>,
) -> Option<Vec<String>> {
    Some(match outcome {
        Outcome::Proposed { .. } => return None,
        Outcome::FittingTakenByOthers { taken, more } => taken
            .iter()
            .filter_map(|(d, other)| {
                let address = address(*d)?;
                let (name, reference) = household(other)?;
                Some(tr.f(
                    "allocation.preview.taken",
                    &[
                        ("address", address.as_str()),
                        ("name", name.as_str()),
                        ("reference", reference.as_str()),
                    ],
                ))
            })
            .chain((*more > 0).then(|| tr.f("allocation.preview.taken_more", &[("count", &count(*more))])))
            .collect(),
        Outcome::NothingFits { reasons } if reasons.is_empty() => {
            vec![tr.t("allocation.preview.no_vacancies").to_string()]
        }
        Outcome::NothingFits { reasons } => reasons
            .iter()
            .take(3)
            .map(|(reason, count)| {
                tr.f(
                    "allocation.preview.misfit",
                    &[
                        ("reason", &tr.message(&reason.message())),
                        ("count", &count.to_string()),
                    ],
                )
            })
            .collect(),
    })
}

/// Vacancies listed on one page of the proposal.
pub const VACANCIES_SHOWN: usize = 100;

/// `GET /allocation[?offset=N]`: the proposal, its vacancies a hundred at a time (an offset that
/// is no number: the first page; past the end: the last).
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(asked): Query<OffsetParam>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewCase)?.id;
    let p = waiting_list::allocation_preview(&user.ctx(&state), municipality).await?;
    render(&AllocationPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        window: Window::at(asked.offset(), p.vacancies.len(), VACANCIES_SHOWN),
        p,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::Lang;

    #[test]
    fn a_household_behind_many_takers_reads_three_sentences_and_the_count_of_the_rest() {
        let tr = Tr::new(Lang::Nb);
        let outcome = Outcome::FittingTakenByOthers {
            taken: vec![(0, "a".into()), (1, "b".into()), (2, "c".into())],
            more: 12_652,
        };
        let why = why_unplaced(
            &tr,
            &outcome,
            |d| Some(format!("Testveien {d}")),
            |other| Some((format!("Navn {other}"), format!("REF-{other}"))),
        )
        .unwrap();
        assert_eq!(why.len(), 4);
        assert_eq!(
            why[0],
            "Testveien 0 passer, men er foreslått for Navn a (REF-a), som står foran."
        );
        assert_eq!(
            why[3],
            "Flere boliger som passer, er foreslått for husstander som står foran: 12\u{a0}652."
        );
        let none_more = Outcome::FittingTakenByOthers {
            taken: vec![(0, "a".into())],
            more: 0,
        };
        let why = why_unplaced(
            &tr,
            &none_more,
            |d| Some(format!("Testveien {d}")),
            |o| Some((o.to_string(), o.to_string())),
        );
        assert_eq!(why.map(|w| w.len()), Some(1));
    }
}
