//! Registering an application received on paper, by phone or at the counter.

use super::form::FormValues;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::layout::{Layout, Section};
use crate::pages::{path_id, render};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::cases::requests::check_registration;
use husly_domain::cases::{ApplicationForm, CaseType};
use husly_domain::validation::format_date;
use husly_store::households::Household;
use husly_store::tenancies::Economy;
use husly_usecases::UseCaseError;
use husly_usecases::cases as usecases;

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
        CaseType::APPLIED_FOR.iter().map(|t| t.code()).collect()
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Household, Economy)> {
    let id: HouseholdId = path_id(id)?;
    Ok(husly_usecases::households::open_economy(&user.ctx(state), id, Action::HandleCase, "application").await?)
}

fn page(user: &CurrentUser, state: &AppState, household: &Household, v: FormValues) -> RegisterPage {
    RegisterPage {
        l: Layout::for_user(user, Section::None, state.config.demo_mode),
        household_id: household.id.to_string(),
        address: crate::layout::household_address(&user.tr, household),
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
        received_on: format_date(state.clock.today()),
        v,
        errors: FormErrors::default(),
    }
}

pub async fn form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    // Start from the incomes the household has registered.
    let (household, economy) = load(&state, &user, &id).await?;
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
    form.existing_tenant = economy.tenancy_on(state.clock.today()).is_some();
    render(&page(
        &user,
        &state,
        &household,
        FormValues::of(&form, household.members.len()),
    ))
}

pub async fn submit(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let (user, fields) = (&form.user, &form.fields);
    let (household, _) = load(&state, user, &id).await?;
    let values = FormValues::from_post(fields, Some(household.members.len()))?;
    let (case_type, received_on) = (fields.get("case_type"), fields.get("received_on"));
    let ctx = user.ctx(&state);
    let result = match values.to_form() {
        Ok(application) => {
            usecases::register_application(&ctx, household.id, case_type, received_on, &application).await
        }
        Err(mut errors) => {
            // Say everything that is wrong at once, also beside the type and the date.
            if let Err(more) = check_registration(case_type, received_on, ctx.today) {
                errors.splice(0..0, more);
            }
            Err(UseCaseError::Invalid(errors))
        }
    };
    let errors = match result {
        Ok(case) => {
            return Ok(crate::flash::redirect(
                &format!("/cases/{}", case.id),
                "flash.case.registered",
            ));
        }
        Err(UseCaseError::Invalid(errors)) => errors,
        Err(other) => return Err(other.into()),
    };
    let mut page = page(user, &state, &household, values);
    page.case_type = case_type.to_string();
    page.received_on = received_on.to_string();
    page.errors = FormErrors::from_fields(&errors, user.tr.lang);
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
