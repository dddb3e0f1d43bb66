//! Temporary accommodation: the section on the household page (`household_stays.html`) with the forms to
//! record a stay and to end an ongoing one, and the `/stays` page with this year's KOSTRA figures.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{StaffForm, path_id};
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::stays::{EndReason, Stay, StayFigures};
use husly_domain::validation::{FieldError, format_date};
use husly_usecases::UseCaseError;
use husly_usecases::stays::{self, StayInput};
use serde::Deserialize;

/// The stays section of the household page.
#[derive(Debug, Clone, Default)]
pub struct StaysSection {
    pub household: String,
    pub list: Vec<Stay>,
    /// Shown at all (the reader may see stays).
    pub visible: bool,
    pub can_record: bool,
    pub today: Option<time::Date>,
    /// What was typed in the record form, kept when it was refused.
    pub form: StayFormInput,
    pub errors: Vec<(String, String)>,
    /// The end form's errors and what was typed there, for the stay it was about.
    pub end_for: String,
    pub end_errors: Vec<(String, String)>,
    pub end_to: String,
    pub end_reason: String,
}

impl StaysSection {
    pub fn new(household: HouseholdId, list: Option<Vec<Stay>>, can_record: bool, today: time::Date) -> StaysSection {
        StaysSection {
            household: household.to_string(),
            visible: list.is_some(),
            list: list.unwrap_or_default(),
            can_record,
            today: Some(today),
            ..Default::default()
        }
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn reasons(&self) -> Vec<(&'static str, String)> {
        EndReason::ALL.iter().map(|r| (r.code(), reason_key(*r))).collect()
    }

    pub fn reason_key(&self, r: &EndReason) -> String {
        reason_key(*r)
    }

    pub fn nights(&self, s: &Stay) -> i64 {
        s.nights(self.today.unwrap_or(s.from))
    }

    pub fn long(&self, s: &Stay) -> bool {
        s.is_long(self.today.unwrap_or(s.from))
    }

    pub fn err(&self, field: &str) -> Option<&str> {
        find(&self.errors, field)
    }

    pub fn end_err(&self, stay: &str, field: &str) -> Option<&str> {
        (self.end_for == stay).then(|| find(&self.end_errors, field)).flatten()
    }
}

fn find<'a>(errors: &'a [(String, String)], field: &str) -> Option<&'a str> {
    errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
}

pub fn reason_key(r: EndReason) -> String {
    format!("stays.end_reason.{}", r.code())
}

fn worded(errors: &[FieldError], tr: &Tr) -> Vec<(String, String)> {
    errors.iter().map(|e| (e.field.clone(), tr.error(e))).collect()
}

/// The record form as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StayFormInput {
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub end_reason: String,
    #[serde(default)]
    pub with_children: Option<String>,
}

/// `POST /households/{id}/stays`.
pub async fn record(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f: StayFormInput = form.bind()?;
    let ctx = form.user.ctx(&state);
    let input = StayInput {
        place: &f.place,
        from: &f.from,
        to: &f.to,
        end_reason: &f.end_reason,
        with_children: f.with_children.is_some(),
    };
    match stays::record_stay(&ctx, id, &input).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}#stays"),
            "flash.stay.recorded",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = super::household::household_page(&state, &form.user, id).await?;
            page.stays.errors = worded(&errors, &form.user.tr);
            page.stays.form = f;
            unprocessable(render(&page)?)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Deserialize)]
struct EndForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    end_reason: String,
}

/// `POST /households/{id}/stays/{stay}/end`: the last day and why.
pub async fn end(
    State(state): State<AppState>,
    Path((id, stay)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f: EndForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    match stays::end_stay(&ctx, id, &stay, &f.to, &f.end_reason).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}#stays"),
            "flash.stay.ended",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = super::household::household_page(&state, &form.user, id).await?;
            page.stays.end_for = stay;
            page.stays.end_errors = worded(&errors, &form.user.tr);
            page.stays.end_to = f.to;
            page.stays.end_reason = f.end_reason;
            unprocessable(render(&page)?)
        }
        Err(e) => Err(e.into()),
    }
}

fn unprocessable(mut response: Response) -> AppResult<Response> {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[derive(Template)]
#[template(path = "stays_figures.html")]
struct FiguresPage {
    l: Layout,
    figures: StayFigures,
}

#[derive(Debug, Deserialize)]
pub struct FiguresParams {
    #[serde(default)]
    year: Option<i32>,
}

/// `GET /stays`: the year's KOSTRA figures on temporary accommodation (this year by default).
pub async fn figures(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<FiguresParams>,
) -> AppResult<Response> {
    let ctx = user.ctx(&state);
    let figures = stays::stay_figures(
        &ctx,
        user.working_municipality(Action::ViewStayFigures)?.id,
        params.year,
    )
    .await?;
    render(&FiguresPage {
        l: Layout::for_user(&user, Section::Stays, state.config.demo_mode),
        figures,
    })
}
