//! `GET /allocation`: the proposal for the current vacancies — which household for which
//! dwelling, optimal under the priority policy — and why each household without a proposal did
//! not get one. Computed when the page is opened; nothing is saved or sent.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use husly_domain::allocation::proposal::Outcome;
use husly_domain::authz::Action;
use husly_store::dwellings::Dwelling;
use husly_store::waiting_list::WaitingCase;
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
}

impl AllocationPage {
    fn rows(&self) -> Vec<(&Dwelling, Option<(&WaitingCase, u32)>)> {
        self.p
            .vacancies
            .iter()
            .zip(&self.p.proposal.dwellings)
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

    fn unplaced(&self) -> Vec<Unplaced<'_>> {
        let tr = &self.l.tr;
        self.p
            .proposal
            .households
            .iter()
            .filter_map(|(id, outcome)| {
                let case = self.p.cases.get(id)?;
                let why = match outcome {
                    Outcome::Proposed { .. } => return None,
                    Outcome::FittingTakenByOthers { taken } => taken
                        .iter()
                        .filter_map(|(d, other)| {
                            let dwelling = self.p.vacancies.get(*d)?;
                            let other = self.p.cases.get(other)?;
                            Some(tr.f(
                                "allocation.preview.taken",
                                &[
                                    ("address", dwelling.details.address_line.as_str()),
                                    ("name", other.applicant_name.as_str()),
                                    ("reference", other.reference.as_str()),
                                ],
                            ))
                        })
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
                };
                Some(Unplaced {
                    case,
                    points: self.points(id),
                    why,
                })
            })
            .collect()
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

/// `GET /allocation`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewCase)?.id;
    let p = waiting_list::allocation_preview(&user.ctx(&state), municipality).await?;
    render(&AllocationPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        p,
    })
}
