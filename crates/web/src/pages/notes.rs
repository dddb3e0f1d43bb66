//! Journal notes on the case page and the household page: the notes the reader may see and, for a
//! caseworker, the form to write one (`notes.html`, included by both pages).

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::forms::{StaffForm, path_id};
use crate::i18n::Tr;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::notes::NoteVisibility;
use husly_domain::validation::FieldError;
use husly_domain::{CaseId, HouseholdId};
use husly_store::notes::Note;
use husly_usecases::{UseCaseError, notes};
use serde::Deserialize;

/// The notes section of a page.
#[derive(Debug, Clone, Default)]
pub struct NotesSection {
    /// Where the form posts.
    pub action: String,
    pub notes: Vec<Note>,
    pub can_write: bool,
    /// Whether the writer may keep a note for case handling only (they can read it back).
    pub can_restrict: bool,
    /// What was typed, kept when the note was refused.
    pub text: String,
    pub case_handling_only: bool,
    pub error: Option<String>,
}

impl NotesSection {
    /// The section for `user` in `municipality`: the form when `can_write`, with the choice of
    /// keeping a note for case handling only when the user can read such notes.
    pub fn new(
        action: String,
        notes: Vec<Note>,
        can_write: bool,
        user: &crate::auth::CurrentUser,
        municipality: husly_domain::MunicipalityId,
    ) -> NotesSection {
        NotesSection {
            action,
            notes,
            can_write,
            can_restrict: NoteVisibility::CaseHandling.readable_by(&user.principal, municipality),
            ..Default::default()
        }
    }

    pub fn is_restricted(&self, note: &Note) -> bool {
        note.visibility == NoteVisibility::CaseHandling
    }

    pub fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    /// The section again with the note that was refused and why.
    fn refused(mut self, form: &NoteForm, errors: &[FieldError], tr: &Tr) -> NotesSection {
        self.text = form.text.clone();
        self.case_handling_only = form.visibility == NoteVisibility::CaseHandling;
        self.error = errors.first().map(|e| tr.error(e));
        self
    }
}

#[derive(Debug, Deserialize)]
struct NoteForm {
    #[serde(default)]
    text: String,
    visibility: NoteVisibility,
}

pub async fn add_to_case(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: NoteForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    match notes::add_case_note(&ctx, id, &f.text, f.visibility).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/cases/{id}#notes"),
            "flash.note.saved",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let file = husly_usecases::cases::open_case(&ctx, id, Action::ViewCase).await?;
            let mut page = super::cases::view::case_page(&state, &form.user, file).await?;
            page.notes = page.notes.refused(&f, &errors, &form.user.tr);
            unprocessable(render(&page)?)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn add_to_household(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f: NoteForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    match notes::add_household_note(&ctx, id, &f.text, f.visibility).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}#notes"),
            "flash.note.saved",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = super::household::household_page(&state, &form.user, id).await?;
            page.notes = page.notes.refused(&f, &errors, &form.user.tr);
            unprocessable(render(&page)?)
        }
        Err(e) => Err(e.into()),
    }
}

fn unprocessable(mut response: Response) -> AppResult<Response> {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
