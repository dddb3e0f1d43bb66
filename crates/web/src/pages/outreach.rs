//! The bostøtte outreach list: tenants of municipal dwellings who likely qualify for bostøtte
//! but have none registered, largest estimate first, with CSV and XLSX downloads. The list is
//! the one kept from last night (or from when a user last asked for it again), with when it was
//! made and a button that makes it again.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::{FormErrors, StaffForm};
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::bostotte::OutreachList;
use husly_domain::validation::format_date;
use husly_store::outreach_contacts::OutreachContact;
use husly_store::outreach_lists::KeptOutreachList;
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
    /// The first [`PAGE_ROWS`] households of the list.
    list: Option<OutreachList>,
    /// Households on the list, and when and by whom it was made ("" for the nightly job).
    households: u64,
    made_at: String,
    made_by: String,
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

    fn count(&self, n: &u64) -> String {
        husly_domain::validation::group_thousands(*n)
    }

    fn more_than_shown(&self) -> bool {
        self.list
            .as_ref()
            .is_some_and(|l| (l.candidates.len() as u64) < self.households)
    }

    /// "05.12.2026 kl. 02:10 av nattkjøringen" or "… av Kari Saksbehandler".
    fn made(&self) -> String {
        let by = if self.made_by.is_empty() {
            self.l.tr.t("outreach.made_by_job").to_string()
        } else {
            self.made_by.clone()
        };
        self.l.tr.f("outreach.made", &[("at", &self.made_at), ("by", &by)])
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

/// The first households of the list of the user's working municipality, with the contacts made
/// from it (one recorded read).
async fn run_with_contacts(
    state: &AppState,
    user: &CurrentUser,
    month: Option<&str>,
) -> Result<(KeptOutreachList, HashMap<HouseholdId, OutreachContact>), UseCaseError> {
    let municipality = user
        .working_municipality(Action::RunOutreach)
        .map_err(|_| UseCaseError::Forbidden)?;
    let ctx = user.ctx(state);
    husly_usecases::outreach::outreach_with_contacts(&ctx, municipality.id, month, "page", Some(PAGE_ROWS)).await
}

/// The whole list of the user's working municipality (one recorded read).
async fn run(
    state: &AppState,
    user: &CurrentUser,
    month: Option<&str>,
    format: &str,
) -> Result<OutreachList, UseCaseError> {
    let municipality = user
        .working_municipality(Action::RunOutreach)
        .map_err(|_| UseCaseError::Forbidden)?;
    let ctx = user.ctx(state);
    let kept = husly_usecases::outreach::bostotte_outreach(&ctx, municipality.id, month, format, None).await?;
    Ok(kept.list)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<OutreachQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::RunOutreach)?.id;
    let can_view_households = user.require(Action::ViewHousehold, municipality).is_ok();
    let can_record = user.require(Action::RecordOutreachContact, municipality).is_ok();
    let (kept, contacts, errors) = match run_with_contacts(&state, &user, query.month.as_deref()).await {
        Ok((kept, contacts)) => (Some(kept), contacts, Vec::new()),
        Err(UseCaseError::Invalid(errors)) => (None, HashMap::new(), errors),
        Err(other) => return Err(other.into()),
    };
    let households = kept.as_ref().map_or(0, |k| k.households);
    let made_at = kept
        .as_ref()
        .map(|k| crate::layout::format_timestamp(k.made_at))
        .unwrap_or_default();
    let made_by = kept.as_ref().and_then(|k| k.made_by.clone()).unwrap_or_default();
    let list = kept.map(|k| k.list);
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
        households,
        made_at,
        made_by,
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

/// `POST /outreach/make`: the month's list made again from the tenancies as they are now, then
/// back to it with a confirmation; a month that cannot be made is named on the list's page (the
/// page of that month says what is wrong with it).
pub async fn make(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let municipality = form.user.working_municipality(Action::RunOutreach)?.id;
    let month = form.fields.get("month");
    match husly_usecases::outreach::make_outreach_list(&form.user.ctx(&state), municipality, Some(month)).await {
        Ok(kept) => Ok(crate::flash::redirect(
            &format!("/outreach?month={}", kept.list.month.written()),
            "flash.outreach.list_made",
        )),
        Err(UseCaseError::Invalid(_)) => {
            let typed = percent_encoding::utf8_percent_encode(month, percent_encoding::NON_ALPHANUMERIC);
            Ok(axum::response::Redirect::to(&format!("/outreach?month={typed}")).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
