//! `GET /waiting-list`: the households on the waiting list in priority order, each with its
//! points and why, its bedroom need, and the explanation it could be given.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use husly_domain::allocation::policy::text_in;
use husly_domain::allocation::priority::DecidedBy;
use husly_domain::authz::Action;
use husly_domain::validation::format_date;
use husly_usecases::waiting_list::{self, PAGE, WaitingEntry, WaitingList};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct Params {
    #[serde(default)]
    page: Option<usize>,
}

#[derive(Template)]
#[template(path = "waiting_list.html")]
struct WaitingListPage {
    l: Layout,
    list: WaitingList,
    page: usize,
}

impl WaitingListPage {
    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn criteria(&self, e: &WaitingEntry) -> Vec<(String, u32)> {
        e.ranked
            .priority
            .criteria
            .iter()
            .map(|c| (text_in(&c.title, self.l.tr.lang).to_string(), c.points))
            .collect()
    }

    fn explanation(&self, e: &WaitingEntry) -> Vec<String> {
        e.explanation.iter().map(|m| self.l.tr.message(m)).collect()
    }

    fn needs(&self, e: &WaitingEntry) -> Vec<&'static str> {
        let form = &e.case.form;
        [
            (form.wheelchair_access, "waiting.need.wheelchair"),
            (form.ground_floor_or_lift, "waiting.need.ground_floor"),
            (form.pets, "waiting.need.pets"),
        ]
        .into_iter()
        .filter_map(|(on, key)| on.then_some(key))
        .collect()
    }

    fn estimate(&self, e: &WaitingEntry) -> String {
        self.l.tr.message(&e.estimate.message())
    }

    fn tied(&self, e: &WaitingEntry) -> bool {
        e.ranked.decided_by == DecidedBy::Unresolved
    }

    fn household_type(&self, e: &WaitingEntry) -> String {
        e.household_type.key()
    }

    fn more(&self) -> bool {
        self.page * PAGE < self.list.total
    }

    /// Husly's standard applies: the municipality has no own version in force.
    fn is_standard(&self) -> bool {
        self.list.fingerprint == husly_domain::allocation::policy::PriorityPolicy::embedded().fingerprint()
    }

    fn short_fingerprint(&self) -> &str {
        &self.list.fingerprint[..self.list.fingerprint.len().min(12)]
    }
}

/// `GET /waiting-list`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<Params>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewCase)?.id;
    let page = params.page.unwrap_or(1).clamp(1, 10_000);
    let list = waiting_list::waiting_list(&user.ctx(&state), municipality, (page - 1) * PAGE).await?;
    render(&WaitingListPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        list,
        page,
    })
}
