//! Cases: the work queue, registering an application for a household, and the case page with
//! its assessment, decisions, letters, timeline and the actions its state allows.

mod actions;
mod answers;
pub(crate) mod budget;
mod case_file;
mod delivery;
pub(crate) mod finance;
mod form;
pub(crate) mod kostra;
mod preview;
mod register;
pub(crate) mod view;

pub use form::FormValues;

use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/cases", get(view::queue))
        .route("/cases/workload", get(view::workload))
        .route(
            "/households/{id}/applications/new",
            get(register::form).post(register::submit),
        )
        .route("/cases/{id}", get(view::page))
        .route("/cases/{id}/application", post(actions::save_application))
        .route("/cases/{id}/action", post(actions::action))
        .route("/cases/{id}/override", post(actions::override_rule))
        .route("/cases/{id}/assign", post(actions::assign))
        .route("/cases/{id}/kostra", post(kostra::classify))
        .route("/cases/{id}/propose", post(actions::propose))
        .route("/cases/{id}/review", post(actions::review))
        .route("/cases/{id}/send", post(actions::send))
        .route("/cases/{id}/preview", post(preview::preview))
        .route("/cases/{id}/interim", post(actions::interim))
        .route("/cases/{id}/letters/{letter}", get(view::letter))
        .route("/cases/{id}/flags/{flag}", post(actions::resolve_flag))
        .route("/cases/{id}/documents", post(actions::upload_document))
        .route("/cases/{id}/case-file.zip", get(case_file::download))
        .route("/cases/{id}/documents/{document}", get(view::document))
        .route("/cases/{id}/finance", post(finance::save))
        .route("/cases/{id}/payments", post(finance::pay))
        .route("/cases/{id}/establishment-grant", post(finance::combine))
        .route("/grants/budget", get(budget::view).post(budget::set))
}
