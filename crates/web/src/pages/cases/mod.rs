//! Cases: the work queue, registering an application for a household, and the case page with
//! its assessment, decisions, letters, timeline and the actions its state allows.

pub(crate) mod budget;
mod case_file;
pub(crate) mod finance;
mod form;
pub(crate) mod letters;
mod register;
pub(crate) mod steps;
pub(crate) mod view;

pub use form::FormValues;

use crate::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/cases", get(view::queue))
        .route(
            "/households/{id}/applications/new",
            get(register::form).post(register::submit),
        )
        .route("/cases/{id}", get(view::page))
        .route("/cases/{id}/application", post(view::save_application))
        .route("/cases/{id}/action", post(view::action))
        .route("/cases/{id}/override", post(view::override_rule))
        .route("/cases/{id}/assign", post(view::assign))
        .route("/cases/{id}/propose", post(view::propose))
        .route("/cases/{id}/review", post(view::review))
        .route("/cases/{id}/send", post(view::send))
        .route("/cases/{id}/interim", post(view::interim))
        .route("/cases/{id}/letters/{letter}", get(view::letter))
        .route("/cases/{id}/flags/{flag}", post(view::resolve_flag))
        .route("/cases/{id}/documents", post(view::upload_document))
        .route("/cases/{id}/case-file.zip", get(case_file::download))
        .route("/cases/{id}/documents/{document}", get(view::document))
        .route("/cases/{id}/finance", post(finance::save))
        .route("/cases/{id}/payments", post(finance::pay))
        .route("/cases/{id}/establishment-grant", post(finance::combine))
        .route("/grants/budget", get(budget::view).post(budget::set))
}
