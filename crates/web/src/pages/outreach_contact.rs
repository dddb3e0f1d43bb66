//! Recording a contact with a household on the bostøtte outreach list: how, when and what came
//! of it, from the list of a month; changed by recording it again, removed when recorded in
//! error. Back on the list, the row shows the contact.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::bostotte::contact::{ContactChannel, ContactInput, ContactOutcome};
use husly_domain::rules::YearMonth;
use husly_domain::validation::format_date;
use husly_store::outreach_contacts::OutreachContact;
use husly_usecases::{UseCaseError, outreach};
use serde::Deserialize;

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section};
use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/outreach/households/{id}/contact", get(form).post(record))
        .route("/outreach/households/{id}/contact/remove", post(remove))
}

#[derive(Debug, Default, Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

#[derive(Template)]
#[template(path = "outreach_contact.html")]
struct ContactPage {
    l: Layout,
    household: HouseholdId,
    address: String,
    month: YearMonth,
    contact: Option<OutreachContact>,
    typed: Option<FormFields>,
    errors: FormErrors,
    today: time::Date,
}

impl ContactPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn channels(&self) -> Vec<(&'static str, String)> {
        super::choices(ContactChannel::ALL, ContactChannel::code, "outreach.contact.channel")
    }

    fn outcomes(&self) -> Vec<(&'static str, String)> {
        super::choices(ContactOutcome::ALL, ContactOutcome::code, "outreach.contact.outcome")
    }

    /// What the field shows: what was typed, else what is kept, else `default`.
    fn value(&self, field: &str, default: &str) -> String {
        if let Some(typed) = &self.typed {
            return typed.get(field).to_string();
        }
        match (&self.contact, field) {
            (Some(c), "contacted_on") => format_date(c.fields.contacted_on),
            (Some(c), "channel") => c.fields.channel.code().into(),
            (Some(c), "outcome") => c.fields.outcome.code().into(),
            (Some(c), "note") => c.fields.note.clone().unwrap_or_default(),
            _ => default.into(),
        }
    }

    fn today(&self) -> String {
        format_date(self.today)
    }

    fn date(&self, day: &time::Date) -> String {
        format_date(*day)
    }
}

async fn page(
    state: &AppState,
    user: &CurrentUser,
    household: HouseholdId,
    month: Option<&str>,
) -> Result<ContactPage, UseCaseError> {
    let (address, month, contact) = outreach::outreach_contact_form(&user.ctx(state), household, month).await?;
    Ok(ContactPage {
        l: Layout::for_user(user, Section::Outreach, state.config.demo_mode),
        household,
        address: crate::layout::address_text(&user.tr, address.address_protected, &address.address_line),
        month,
        contact,
        typed: None,
        errors: FormErrors::default(),
        today: state.clock.today(),
    })
}

/// `GET /outreach/households/{id}/contact?month=`: the form, with the contact already recorded
/// from that month's list.
async fn form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<MonthQuery>,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    render(&page(&state, &user, id, query.month.as_deref()).await?)
}

/// Back to the month's list, with the confirmation.
fn back(month: YearMonth, key: &str) -> Response {
    crate::flash::redirect(&format!("/outreach?month={}", month.written()), key)
}

/// `POST /outreach/households/{id}/contact`: recorded (or recorded again), else the form with
/// each problem named and what was typed.
async fn record(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let month = Some(form.fields.get("month"));
    let input = ContactInput {
        contacted_on: form.fields.get("contacted_on"),
        channel: form.fields.get("channel"),
        outcome: form.fields.get("outcome"),
        note: form.fields.get("note"),
    };
    match outreach::record_outreach_contact(&form.user.ctx(&state), id, month, &input).await {
        Ok(_) => {
            let month = month
                .and_then(|m| m.parse().ok())
                .unwrap_or(YearMonth::of(state.clock.today()));
            Ok(back(month, "flash.outreach.contact_recorded"))
        }
        Err(UseCaseError::Invalid(errors)) => {
            let mut p = page(&state, &form.user, id, month).await?;
            p.errors = FormErrors::from_fields(&errors, p.l.tr.lang);
            p.typed = Some(form.fields.clone());
            let mut response = render(&p)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /outreach/households/{id}/contact/remove`: the contact recorded in error is removed
/// (the household's timeline keeps that it was recorded and removed).
async fn remove(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let household: HouseholdId = path_id(&id)?;
    let removed =
        outreach::remove_outreach_contact(&form.user.ctx(&state), household, form.fields.get("contact")).await?;
    Ok(back(removed.month, "flash.outreach.contact_removed"))
}
