//! Temporary accommodation: the section on the household page (`household_stays.html`) with the forms to
//! record a stay and to end an ongoing one, the `/stays` page with this year's KOSTRA figures and
//! costs, and `/stays/ongoing` with the households in temporary accommodation today.

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
use husly_domain::validation::{FieldError, format_date, format_ore_as_kr};
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

    pub fn kr(&self, ore: &i64) -> String {
        format_ore_as_kr(*ore)
    }

    /// What the stay has cost so far, when its price per night is recorded.
    pub fn cost(&self, s: &Stay) -> Option<String> {
        s.cost_ore(self.today.unwrap_or(s.from)).map(format_ore_as_kr)
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
    pub provider: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub end_reason: String,
    #[serde(default)]
    pub with_children: Option<String>,
    #[serde(default)]
    pub nightly_cost_kr: String,
    #[serde(default)]
    pub quality_remarks: String,
}

/// `POST /households/{id}/stays`.
pub async fn record(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f: StayFormInput = form.bind()?;
    let ctx = form.user.ctx(&state);
    let input = StayInput {
        place: &f.place,
        provider: &f.provider,
        from: &f.from,
        to: &f.to,
        end_reason: &f.end_reason,
        with_children: f.with_children.is_some(),
        nightly_cost_kr: &f.nightly_cost_kr,
        quality_remarks: &f.quality_remarks,
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
    /// The reader may see who is in temporary accommodation (the leader sees counts only).
    can_list: bool,
}

impl FiguresPage {
    fn kr(&self, ore: &i64) -> String {
        format_ore_as_kr(*ore)
    }
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
        can_list: user.working_municipality(Action::ViewTemporaryStays).is_ok(),
        l: Layout::for_user(&user, Section::Stays, state.config.demo_mode),
        figures,
    })
}

#[derive(Template)]
#[template(path = "stays_ongoing.html")]
struct OngoingPage {
    l: Layout,
    list: Vec<Stay>,
    today: time::Date,
}

impl OngoingPage {
    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn nights(&self, s: &Stay) -> i64 {
        s.nights(self.today)
    }

    fn long(&self, s: &Stay) -> bool {
        s.is_long(self.today)
    }
}

/// `GET /stays/ongoing`: the households in temporary accommodation today, the longest first,
/// flagged for stays over 3 months, children and young people 18–25; the read is audited.
pub async fn ongoing(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let ctx = user.ctx(&state);
    let list = stays::ongoing_stays(&ctx, user.working_municipality(Action::ViewTemporaryStays)?.id).await?;
    render(&OngoingPage {
        l: Layout::for_user(&user, Section::Stays, state.config.demo_mode),
        list,
        today: ctx.today,
    })
}
