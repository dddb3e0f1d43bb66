//! The bostøtte outreach list: tenants of municipal dwellings who likely qualify for bostøtte
//! but have none registered, largest estimate first, with CSV and XLSX downloads.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::authz::Action;
use husly_domain::bostotte::{BostotteRules, OutreachList};
use husly_domain::rules::YearMonth;
use husly_domain::validation::FieldError;
use serde::Deserialize;

/// Rows shown on the page; the downloads hold all.
const PAGE_ROWS: usize = 500;

#[derive(Debug, Default, Deserialize)]
pub struct OutreachQuery {
    month: Option<String>,
}

#[derive(Template)]
#[template(path = "outreach.html")]
struct OutreachPage {
    l: Layout,
    month: String,
    errors: FormErrors,
    list: Option<OutreachList>,
    /// Leaders may run the list but not open households: they get addresses without links.
    can_view_households: bool,
}

impl OutreachPage {
    fn kr(&self, amount: &i64) -> String {
        super::bostotte::format_kr(*amount)
    }

    fn shown(&self) -> usize {
        self.list.as_ref().map_or(0, |l| l.candidates.len().min(PAGE_ROWS))
    }
}

fn parse_month(text: Option<&str>) -> Result<YearMonth, FieldError> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(YearMonth::of(time::OffsetDateTime::now_utc().date()));
    };
    let first = BostotteRules::embedded().first_month();
    match text.parse::<YearMonth>() {
        Ok(month) if month >= first => Ok(month),
        Ok(_) => Err(FieldError::new(
            "month",
            "no_rules",
            format!("Husly har bostøtteregler fra {first}."),
            format!("Husly has bostøtte rules from {first}."),
        )),
        Err(_) => Err(FieldError::new(
            "month",
            "invalid_month",
            "Skriv måneden som åååå-mm, for eksempel 2026-12.",
            "Write the month as yyyy-mm, for example 2026-12.",
        )),
    }
}

/// Runs the list for the user's working municipality and writes one audit entry for it.
async fn run(state: &AppState, user: &CurrentUser, month: YearMonth, format: &str) -> AppResult<OutreachList> {
    let municipality = user.working_municipality(Action::RunOutreach)?.clone();
    let list = state.store.bostotte_outreach(&municipality, month).await?;
    user.audit_read(
        &state.store,
        municipality.id,
        "outreach.bostotte",
        ("municipality", municipality.id.to_string()),
        serde_json::json!({ "month": month.to_string(), "households": list.candidates.len(), "format": format }),
    )
    .await?;
    Ok(list)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    user.working_municipality(Action::RunOutreach)?;
    let layout = Layout::for_user(&user, Section::Outreach, state.config.demo_mode);
    let can_view_households = user
        .municipality
        .as_ref()
        .is_some_and(|m| user.require(Action::ViewHousehold, m.id).is_ok());
    match parse_month(query.month.as_deref()) {
        Ok(month) => {
            let list = run(&state, &user, month, "page").await?;
            render(&OutreachPage {
                l: layout,
                month: month.to_string(),
                errors: FormErrors::default(),
                list: Some(list),
                can_view_households,
            })
        }
        Err(error) => {
            let errors = FormErrors::from_fields(&[error], user.tr.lang);
            let mut response = render(&OutreachPage {
                l: layout,
                month: query.month.unwrap_or_default(),
                errors,
                list: None,
                can_view_households,
            })?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}

fn download(list: &OutreachList, number: &str, extension: &str, content_type: &str, body: Vec<u8>) -> Response {
    let filename = format!("bostotte-oppsok-{number}-{}.{extension}", list.month);
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    let month =
        parse_month(query.month.as_deref()).map_err(|e| AppError::BadRequest(e.message(user.tr.lang).into()))?;
    let list = run(&state, &user, month, "csv").await?;
    let number = user.municipality.as_ref().map(|m| m.number.clone()).unwrap_or_default();
    let body = crate::outreach_export::csv(&list, user.tr.lang).into_bytes();
    Ok(download(&list, &number, "csv", "text/csv; charset=utf-8", body))
}

pub async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    let month =
        parse_month(query.month.as_deref()).map_err(|e| AppError::BadRequest(e.message(user.tr.lang).into()))?;
    let list = run(&state, &user, month, "xlsx").await?;
    let number = user.municipality.as_ref().map(|m| m.number.clone()).unwrap_or_default();
    let body = crate::outreach_export::xlsx(&list, user.tr.lang)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(
        &list,
        &number,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    ))
}
