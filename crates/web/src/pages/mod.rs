//! Server-rendered pages for staff. One file per area; each handler authorises first.

mod admin;
mod household;
mod login;
mod person;
pub mod search;

use crate::AppState;
use crate::error::AppResult;
use askama::Template;
use axum::Router;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/language", post(login::language))
        .route("/municipality", post(login::switch_municipality))
        .route("/search", get(search::page))
        .route("/households/new", get(household::new_form).post(household::create))
        .route("/households/{id}", get(household::view))
        .route(
            "/households/{id}/edit",
            get(household::edit_form).post(household::update),
        )
        .route("/people/{id}", get(person::view))
        .route("/admin/users", get(admin::users))
        .route("/admin/users/new", get(admin::new_user_form).post(admin::create_user))
        .route("/admin/users/{id}", get(admin::user))
        .route("/admin/users/{id}/roles", post(admin::set_roles))
        .route("/admin/users/{id}/status", post(admin::set_status))
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/admin/users/{id}/tokens", post(admin::create_token))
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/audit", get(admin::audit))
}

async fn home(user: Option<crate::auth::CurrentUser>) -> Response {
    match user {
        Some(u) if u.municipality.is_some() => {
            let m = u.municipality.as_ref().map(|m| m.id);
            let can_search = m.is_some_and(|m| u.require(husly_domain::authz::Action::SearchPeople, m).is_ok());
            if can_search {
                Redirect::to("/search").into_response()
            } else {
                Redirect::to("/admin/users").into_response()
            }
        }
        _ => Redirect::to("/login").into_response(),
    }
}

/// Renders a template as a 200 page.
pub fn render(template: &impl Template) -> AppResult<Response> {
    Ok(Html(template.render()?).into_response())
}

/// Parses a path id; a malformed id is simply "not found".
pub fn path_id<T: std::str::FromStr>(raw: &str) -> AppResult<T> {
    raw.parse().map_err(|_| crate::error::AppError::NotFound)
}
