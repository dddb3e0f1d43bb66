//! The startlån affordability calculator (*betjeningsevne*) as a page of its own: the caseworker
//! fills in the household's economy and the loans, Husly shows the assessment line by line.
//! Nothing is stored and no personal data is read, so nothing is audited; the page is for staff
//! who may see cases in their working municipality, and uses its reference budget (SIFO) when one
//! is entered.

use super::render;
use super::startlan_form::StartlanFields;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::startlan::{AffordabilityResult, StartlanRules};

#[derive(Template)]
#[template(path = "startlan_calculator.html")]
struct CalculatorPage {
    l: Layout,
    startlan: StartlanFields,
    errors: FormErrors,
    affordability: Option<AffordabilityResult>,
}

fn page(state: &AppState, user: &CurrentUser, startlan: StartlanFields) -> CalculatorPage {
    CalculatorPage {
        l: Layout::for_user(user, Section::Calculators, state.config.demo_mode),
        startlan,
        errors: FormErrors::default(),
        affordability: None,
    }
}

/// `GET /calculators/startlan`: a blank form for the current month.
pub async fn form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.working_municipality(Action::ViewCase)?;
    let month = state.clock.this_month();
    render(&page(&state, &user, StartlanFields::blank(month)))
}

/// `POST /calculators/startlan`: the form again, with the assessment below it or the errors
/// above it (422).
pub async fn calculate(State(state): State<AppState>, staff: StaffForm) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let municipality = user.working_municipality(Action::ViewCase)?.id;
    let mut page = page(&state, user, StartlanFields::from_form(form)?);
    let rules = StartlanRules::embedded();
    // The municipality's reference budget in force in the month typed, when the month is readable.
    let reference = match page.startlan.parse(rules, page.l.tr.lang) {
        Ok(input) => husly_usecases::reference_budget::in_force(&state.store, municipality, input.month).await?,
        Err(_) => None,
    };
    match page.startlan.assess_with(rules, page.l.tr.lang, reference.as_ref()) {
        Ok((_, result)) => {
            page.affordability = Some(result);
            render(&page)
        }
        Err(errors) => {
            page.errors = errors;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
