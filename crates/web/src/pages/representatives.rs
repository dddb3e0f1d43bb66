//! The party's representative on the household page (`representatives.html`): who receives the
//! letters, and for a caseworker the forms to register one and to end the one acting.

use super::render;
use crate::AppState;
use crate::error::AppResult;
use crate::forms::{StaffForm, path_id};
use crate::i18n::Tr;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::representative::{Representative, RepresentativeInput, RepresentativeKind};
use husly_domain::validation::{FieldError, format_date};
use husly_usecases::{UseCaseError, representatives};
use serde::Deserialize;

/// The representative section of the household page.
#[derive(Debug, Clone, Default)]
pub struct RepresentativesSection {
    pub household: String,
    pub list: Vec<Representative>,
    pub can_edit: bool,
    /// What was typed in the registration form, kept when it was refused.
    pub form: RepresentativeInput,
    /// The registration form's errors, by field, in the reader's words.
    pub errors: Vec<(String, String)>,
    /// The end form's errors, by field, in the reader's words.
    pub end_errors: Vec<(String, String)>,
    pub end_reason: String,
    pub end_on: String,
}

impl RepresentativesSection {
    pub fn new(household: HouseholdId, list: Vec<Representative>, can_edit: bool) -> RepresentativesSection {
        RepresentativesSection {
            household: household.to_string(),
            list,
            can_edit,
            form: RepresentativeInput {
                copy_to_party: true,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    /// The representative acting now, if any: letters go there.
    pub fn acting(&self) -> Option<&Representative> {
        self.list.iter().find(|r| r.ended_on.is_none())
    }

    pub fn ended(&self) -> Vec<&Representative> {
        self.list.iter().filter(|r| r.ended_on.is_some()).collect()
    }

    pub fn kind_key(&self, r: &Representative) -> &'static str {
        kind_key(r.details.kind)
    }

    pub fn kinds(&self) -> Vec<(&'static str, &'static str)> {
        RepresentativeKind::ALL
            .iter()
            .map(|k| (k.code(), kind_key(*k)))
            .collect()
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn err(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn end_err(&self, field: &str) -> Option<&str> {
        self.end_errors
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, m)| m.as_str())
    }
}

pub fn kind_key(kind: RepresentativeKind) -> &'static str {
    match kind {
        RepresentativeKind::Fullmektig => "representative.kind.fullmektig",
        RepresentativeKind::Verge => "representative.kind.verge",
    }
}

fn worded(errors: &[FieldError], tr: &Tr) -> Vec<(String, String)> {
    errors.iter().map(|e| (e.field.clone(), tr.error(e))).collect()
}

pub async fn register(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let input: RepresentativeInput = form.bind()?;
    let ctx = form.user.ctx(&state);
    match representatives::register_representative(&ctx, id, &input).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}#representative"),
            "flash.representative.registered",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = super::household::household_page(&state, &form.user, id).await?;
            page.representatives.form = input;
            page.representatives.errors = worded(&errors, &form.user.tr);
            unprocessable(render(&page)?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct EndForm {
    #[serde(default)]
    ended_on: String,
    #[serde(default)]
    reason: String,
}

pub async fn end(
    State(state): State<AppState>,
    Path((id, representative)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f: EndForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    match representatives::end_representative(&ctx, id, &representative, &f.ended_on, &f.reason).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}#representative"),
            "flash.representative.ended",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = super::household::household_page(&state, &form.user, id).await?;
            page.representatives.end_errors = worded(&errors, &form.user.tr);
            page.representatives.end_reason = f.reason;
            page.representatives.end_on = f.ended_on;
            unprocessable(render(&page)?)
        }
        Err(e) => Err(e.into()),
    }
}

fn unprocessable(mut response: Response) -> AppResult<Response> {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
