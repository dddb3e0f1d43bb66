//! A person's page: their details and the households they belong to.

use super::{path_id, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::household::Relation;
use husly_store::households::Person;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    l: Layout,
    person: Person,
    households: Vec<(husly_store::search::HouseholdRef, Relation)>,
}

impl PersonPage {
    fn date(&self, d: &time::Date) -> String {
        husly_domain::validation::format_date(*d)
    }

    fn relation(&self, r: &Relation) -> &'static str {
        self.l.tr.t(super::household::relation_key(*r))
    }

    fn spaced_id(&self, id: &str) -> String {
        super::search::format_national_id(id)
    }

    fn language(&self) -> &'static str {
        match self.person.preferred_language {
            husly_domain::Lang::Nb => self.l.tr.t("person.language.nb"),
            husly_domain::Lang::Nn => self.l.tr.t("person.language.nn"),
            husly_domain::Lang::En => self.l.tr.t("person.language.en"),
        }
    }

    fn id_kind(&self) -> &'static str {
        match self.person.id_kind.as_str() {
            "d_nummer" => self.l.tr.t("person.kind.d_nummer"),
            _ => self.l.tr.t("person.kind.fodselsnummer"),
        }
    }
}

pub async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (person, households) = husly_usecases::households::person(&user.ctx(&state), path_id(&id)?).await?;
    render(&PersonPage {
        l: Layout::for_user(&user, Section::None, state.config.demo_mode),
        person,
        households,
    })
}
