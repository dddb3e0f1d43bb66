//! Finding people and households.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use husly_domain::authz::Action;
use husly_store::search::{CaseMatch, Found, SearchHit, SearchQuery};
use husly_usecases::UseCaseError;

/// Results shown on one page; a caseworker narrows the search rather than paging through names.
pub const RESULT_LIMIT: i64 = 50;

#[derive(Debug, serde::Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    pub q: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    l: Layout,
    q: String,
    searched: bool,
    invalid: bool,
    hits: Vec<SearchHit>,
    /// More matched than the search ranks (`husly_store::search::CANDIDATES`).
    too_many: bool,
    /// The case a case number named, and the number typed when it named none.
    case: Option<CaseMatch>,
    unknown_case: Option<String>,
    limit: i64,
    /// The caller's open reminders, on the empty search page where the day starts.
    reminders: Option<i64>,
}

impl SearchPage {
    /// "1 person funnet." or "3 personer funnet.": the count with the noun in its number.
    /// "Du har 3 påminnelser.": the count with the noun in its number.
    fn reminder_count(&self, count: &i64) -> String {
        match count {
            1 => self.l.tr.t("reminder.count_one").to_string(),
            n => self.l.tr.f("reminder.count", &[("count", &n.to_string())]),
        }
    }

    fn found(&self) -> String {
        match self.hits.len() {
            1 => self.l.tr.t("search.found_one").to_string(),
            n => self.l.tr.f("search.found", &[("count", &n.to_string())]),
        }
    }

    /// "Over 1 000 navn eller adresser passer til søket. …", the bound with its thousands spaced.
    fn too_many_text(&self) -> String {
        let count = husly_domain::validation::group_thousands(husly_store::search::CANDIDATES.unsigned_abs());
        self.l.tr.f("search.too_many", &[("count", &count)])
    }

    fn with_reference(&self, key: &str, reference: &str) -> String {
        self.l.tr.f(key, &[("reference", reference)])
    }

    fn date(&self, d: &time::Date) -> String {
        husly_domain::validation::format_date(*d)
    }

    fn spaced_id(&self, id: &str) -> String {
        format_national_id(id)
    }
}

/// `01019012345` → `010190 12345`, the way it is printed on Norwegian documents.
pub fn format_national_id(id: &str) -> String {
    if id.len() == 11 && id.is_ascii() {
        format!("{} {}", &id[..6], &id[6..])
    } else {
        id.to_string()
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<SearchParams>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::SearchPeople)?.id;
    let q = params.q.trim().to_string();
    let (found, searched, invalid) = if q.is_empty() {
        (Found::default(), false, false)
    } else {
        match husly_usecases::households::search_people(&user.ctx(&state), municipality, &q, RESULT_LIMIT).await {
            Ok(found) => (found, true, false),
            Err(UseCaseError::Invalid(_)) => (Found::default(), false, true),
            Err(other) => return Err(other.into()),
        }
    };
    let unknown_case = match SearchQuery::parse(&q) {
        Some(SearchQuery::CaseReference(reference)) if found.case.is_none() => Some(reference),
        _ => None,
    };
    let reminders = if q.is_empty() {
        husly_usecases::reminders::open_count(&user.ctx(&state), municipality).await?
    } else {
        None
    };
    render(&SearchPage {
        l: Layout::for_user(&user, Section::Search, state.config.demo_mode),
        reminders,
        searched,
        invalid,
        q,
        hits: found.hits,
        too_many: found.too_many,
        case: found.case,
        unknown_case,
        limit: RESULT_LIMIT,
    })
}
