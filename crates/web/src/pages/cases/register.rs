//! Registering an application received on paper, by phone or at the counter.

use super::form::FormValues;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields};
use crate::layout::{Layout, Section};
use crate::pages::{path_id, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::cases::{ApplicationForm, CaseType};
use husly_domain::validation::{FieldError, format_date, parse_date};
use husly_store::households::{Change, Household};

#[derive(Template)]
#[template(path = "case_register.html")]
pub struct RegisterPage {
    pub l: Layout,
    pub household_id: String,
    pub address: String,
    pub members: Vec<String>,
    pub case_type: String,
    pub received_on: String,
    pub v: FormValues,
    pub errors: FormErrors,
}

impl RegisterPage {
    fn case_types(&self) -> Vec<&'static str> {
        CaseType::ALL.iter().map(|t| t.code()).collect()
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(husly_domain::MunicipalityId, Household)> {
    let id: HouseholdId = path_id(id)?;
    let municipality = user.household_owner(&state.store, id, Action::HandleCase).await?;
    let household = state.store.household(municipality, id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "household.view",
        ("household", id.to_string()),
        serde_json::json!({ "for": "application" }),
    )
    .await?;
    Ok((municipality, household))
}

fn page(user: &CurrentUser, state: &AppState, household: &Household, v: FormValues) -> RegisterPage {
    RegisterPage {
        l: Layout::for_user(user, Section::None, state.config.demo_mode),
        household_id: household.id.to_string(),
        address: format!(
            "{}, {} {}",
            household.address_line, household.postal_code, household.postal_city
        ),
        members: household
            .members
            .iter()
            .map(|m| {
                format!(
                    "{} {} ({})",
                    m.person.given_name,
                    m.person.family_name,
                    format_date(m.person.birth_date)
                )
            })
            .collect(),
        case_type: CaseType::MunicipalHousing.code().into(),
        received_on: format_date(time::OffsetDateTime::now_utc().date()),
        v,
        errors: FormErrors::default(),
    }
}

pub async fn form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (municipality, household) = load(&state, &user, &id).await?;
    // Start from the incomes the household has registered.
    let economy = state.store.economy(municipality, household.id).await?;
    let mut form = ApplicationForm::default();
    let any_income = !economy.incomes.is_empty();
    if any_income {
        for member in &household.members {
            form.economy.push(husly_domain::cases::MemberEconomy {
                incomes: economy
                    .incomes_of(member.person.id)
                    .filter(|(k, _)| k.is_taxable())
                    .map(|(k, ore)| (k, ore / 100))
                    .collect(),
                net_wealth_kr: 0,
            });
        }
    }
    form.existing_tenant = economy.tenancy_on(time::OffsetDateTime::now_utc().date()).is_some();
    render(&page(
        &user,
        &state,
        &household,
        FormValues::of(&form, household.members.len()),
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    fields: FormFields,
) -> AppResult<Response> {
    let (municipality, household) = load(&state, &user, &id).await?;
    user.check_csrf(fields.get("csrf"))?;
    let values = FormValues::from_post(&fields, household.members.len());
    let mut page = page(&user, &state, &household, values);
    page.case_type = fields.get("case_type").to_string();
    page.received_on = fields.get("received_on").to_string();
    let today = time::OffsetDateTime::now_utc().date();
    let mut errors = Vec::new();
    let case_type = CaseType::from_code(&page.case_type);
    if case_type.is_none() {
        errors.push(FieldError::unknown_value(
            "case_type",
            &page.case_type,
            &CaseType::ALL.map(CaseType::code),
        ));
    }
    let received = match parse_date(&page.received_on) {
        Some(date) if date <= today => Some(date),
        Some(_) => {
            errors.push(FieldError::new(
                "received_on",
                "in_future",
                "Mottatt-datoen kan ikke være fram i tid.",
                "The date received cannot be in the future.",
            ));
            None
        }
        None => {
            errors.push(FieldError::invalid_date("received_on"));
            None
        }
    };
    let form = match page.v.to_form() {
        Ok(form) => {
            errors.extend(form.check(household.members.len(), today));
            Some(form)
        }
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    match (case_type, received, form) {
        (Some(case_type), Some(received), Some(form)) if errors.is_empty() => {
            let actor = user.actor(Some(municipality), "case_handling");
            let change = Change {
                actor: &actor,
                user: Some(user.user.id),
                reason: None,
            };
            let (case, _) = state
                .store
                .register_application(municipality, household.id, case_type, &form, received, &change)
                .await?;
            Ok(Redirect::to(&format!("/cases/{case}")).into_response())
        }
        _ => {
            page.errors = FormErrors::from_fields(&errors, user.tr.lang);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
