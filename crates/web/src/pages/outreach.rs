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
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::bostotte::OutreachList;
use husly_domain::validation::format_date;
use husly_store::outreach_contacts::OutreachContact;
use husly_usecases::UseCaseError;
use serde::Deserialize;
use std::collections::HashMap;

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
    /// The contacts recorded from the month's list.
    contacts: HashMap<HouseholdId, OutreachContact>,
    /// Leaders may run the list but not open households: they get addresses without links.
    can_view_households: bool,
    /// Caseworkers and housing managers record their contacts with the households.
    can_record: bool,
}

impl OutreachPage {
    fn kr(&self, amount: &i64) -> String {
        super::bostotte::format_kr(*amount)
    }

    fn shown(&self) -> usize {
        self.list.as_ref().map_or(0, |l| l.candidates.len().min(PAGE_ROWS))
    }

    /// "Ringt 03.12.2026: Vil søke", or nothing when no contact is recorded.
    fn contact(&self, household: &HouseholdId) -> Option<String> {
        let c = self.contacts.get(household)?;
        Some(
            self.l.tr.f(
                "outreach.contact.summary",
                &[
                    (
                        "channel",
                        self.l
                            .tr
                            .t(&format!("outreach.contact.channel.{}", c.fields.channel.code())),
                    ),
                    ("date", &format_date(c.fields.contacted_on)),
                    (
                        "outcome",
                        self.l
                            .tr
                            .t(&format!("outreach.contact.outcome.{}", c.fields.outcome.code())),
                    ),
                ],
            ),
        )
    }

    fn reached(&self) -> usize {
        self.contacts.values().filter(|c| c.fields.outcome.reached()).count()
    }
}

/// Runs the list for the user's working municipality (one recorded read).
async fn run_with_contacts(
    state: &AppState,
    user: &CurrentUser,
    month: Option<&str>,
) -> Result<(OutreachList, HashMap<HouseholdId, OutreachContact>), UseCaseError> {
    let municipality = user
        .working_municipality(Action::RunOutreach)
        .map_err(|_| UseCaseError::Forbidden)?;
    husly_usecases::outreach::outreach_with_contacts(&user.ctx(state), municipality.id, month, "page").await
}

/// Runs the list for the user's working municipality (one recorded read).
async fn run(
    state: &AppState,
    user: &CurrentUser,
    month: Option<&str>,
    format: &str,
) -> Result<OutreachList, UseCaseError> {
    let municipality = user
        .working_municipality(Action::RunOutreach)
        .map_err(|_| UseCaseError::Forbidden)?;
    husly_usecases::outreach::bostotte_outreach(&user.ctx(state), municipality.id, month, format).await
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::RunOutreach)?.id;
    let can_view_households = user.require(Action::ViewHousehold, municipality).is_ok();
    let can_record = user.require(Action::RecordOutreachContact, municipality).is_ok();
    let (list, contacts, errors) = match run_with_contacts(&state, &user, query.month.as_deref()).await {
        Ok((list, contacts)) => (Some(list), contacts, Vec::new()),
        Err(UseCaseError::Invalid(errors)) => (None, HashMap::new(), errors),
        Err(other) => return Err(other.into()),
    };
    let mut response = render(&OutreachPage {
        l: Layout::for_user(&user, Section::Outreach, state.config.demo_mode),
        month: list
            .as_ref()
            .map_or_else(|| query.month.clone().unwrap_or_default(), |l| l.month.written()),
        errors: FormErrors::from_fields(&errors, user.tr.lang),
        can_view_households,
        can_record,
        contacts,
        list,
    })?;
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// A download of the list; a month that cannot be run is a plain 400 with the reason.
async fn list_for_download(
    state: &AppState,
    user: &CurrentUser,
    month: Option<&str>,
    format: &str,
) -> AppResult<OutreachList> {
    run(state, user, month, format).await.map_err(|e| match e {
        UseCaseError::Invalid(errors) => AppError::Validation(errors),
        other => other.into(),
    })
}

fn download(list: &OutreachList, number: &str, extension: &str, content_type: &str, body: Vec<u8>) -> Response {
    let filename = format!("bostotte-oppsok-{number}-{}.{extension}", list.month);
    crate::download::file(&filename, content_type, body)
}

pub async fn csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    let list = list_for_download(&state, &user, query.month.as_deref(), "csv").await?;
    let number = user.municipality.as_ref().map(|m| m.number.clone()).unwrap_or_default();
    let body = crate::outreach_export::csv(&list, user.tr.lang).into_bytes();
    Ok(download(&list, &number, "csv", "text/csv; charset=utf-8", body))
}

pub async fn xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    let list = list_for_download(&state, &user, query.month.as_deref(), "xlsx").await?;
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
