//! Server-rendered pages for staff. One file per area; each handler authorises first.

pub mod access_log;
mod action_plan;
pub mod admin;
mod allocation;
mod apply;
mod apply_privacy;
pub mod bostotte;
pub(crate) mod cases;
mod consents;
mod daily_jobs;
mod dwellings;
mod economy;
mod equity;
mod follow_up;
pub(crate) mod household;
mod kostra_form;
mod ledger;
pub(crate) mod login;
pub(crate) mod meetings;
mod notes;
mod offers;
mod outreach;
mod outreach_contact;
mod part_form;
mod partner;
mod partners;
mod person;
mod plan_dashboard;
pub(crate) mod plan_words;
mod policy;
mod protection;
mod reference_budget;
pub(crate) mod referrals;
mod reminders;
mod rent_changes;
mod representatives;
mod rounds;
pub(crate) mod rule_values;
pub mod search;
mod startlan_calculator;
pub mod startlan_form;
mod stays;
mod stock;
pub(crate) mod tasks;
mod tenancies;
mod waiting_list;

use crate::AppState;
use crate::error::AppResult;
use crate::routing::{Routes, get, post};
use askama::Template;
use axum::response::{Html, IntoResponse, Redirect, Response};

pub fn routes() -> Routes {
    Routes::new()
        .route("/", get(home))
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/language", post(login::language))
        .route("/municipality", post(login::switch_municipality))
        .route("/search", get(search::page))
        .route("/plan", get(action_plan::start))
        .route("/plans", get(action_plan::list))
        .route("/plans/new", get(action_plan::new_plan).post(action_plan::create_plan))
        .route("/plans/{id}", get(action_plan::view))
        .route(
            "/plans/{id}/edit",
            get(action_plan::edit_plan).post(action_plan::update_plan),
        )
        .route("/plans/{id}/history", get(action_plan::history))
        .route("/plans/{id}/goals/{goal}", get(plan_dashboard::goal))
        .route("/plans/{id}/report.pdf", get(plan_dashboard::report_pdf))
        .route("/plans/{id}/report.xlsx", get(plan_dashboard::report_xlsx))
        .route("/plans/{id}/indicators/{indicator}/cases", get(plan_dashboard::cases))
        .route(
            "/plans/{id}/goals/new",
            get(action_plan::new_goal).post(action_plan::create_goal),
        )
        .route(
            "/plans/{id}/goals/{goal}/edit",
            get(action_plan::edit_goal).post(action_plan::update_goal),
        )
        .route(
            "/plans/{id}/goals/{goal}/measures/new",
            get(action_plan::new_measure).post(action_plan::create_measure),
        )
        .route(
            "/plans/{id}/goals/{goal}/indicators/new",
            get(action_plan::new_indicator).post(action_plan::create_indicator),
        )
        .route(
            "/plans/{id}/measures/{measure}/edit",
            get(action_plan::edit_measure).post(action_plan::update_measure),
        )
        .route(
            "/plans/{id}/indicators/{indicator}/edit",
            get(action_plan::edit_indicator).post(action_plan::update_indicator),
        )
        .route(
            "/plans/{id}/indicators/{indicator}/report",
            get(action_plan::report).post(action_plan::save_report),
        )
        .route("/households/new", get(household::new_form).post(household::create))
        .route("/households/{id}", get(household::view))
        .route(
            "/households/{id}/edit",
            get(household::edit_form).post(household::update),
        )
        .route(
            "/households/{id}/bostotte",
            get(bostotte::form).post(bostotte::calculate),
        )
        .route(
            "/households/{id}/economy",
            get(economy::view).post(economy::save_incomes),
        )
        .route("/households/{id}/benefits", post(economy::register_bostotte))
        .route("/households/{id}/notes", post(notes::add_to_household))
        .route("/households/{id}/representatives", post(representatives::register))
        .route(
            "/households/{id}/representatives/{representative}/end",
            post(representatives::end),
        )
        .route("/households/{id}/stays", post(stays::record))
        .route("/households/{id}/stays/{stay}/end", post(stays::end))
        .route("/stays", get(stays::figures))
        .route("/stays/ongoing", get(stays::ongoing))
        .route("/kostra", get(kostra_form::page))
        .route("/kostra.csv", get(kostra_form::download))
        .route("/equity", get(equity::page))
        .route("/equity.csv", get(equity::download))
        .route("/cases/{id}/notes", post(notes::add_to_case))
        .route("/cases/{id}/tasks", post(tasks::add))
        .route("/cases/{id}/tasks/{task}/done", post(tasks::done))
        .route("/cases/{id}/tasks/{task}/reopen", post(tasks::reopen))
        .route(
            "/calculators/startlan",
            get(startlan_calculator::form).post(startlan_calculator::calculate),
        )
        .route("/outreach", get(outreach::page))
        .route("/outreach.csv", get(outreach::csv))
        .route("/outreach.xlsx", get(outreach::xlsx))
        .route("/outreach/make", post(outreach::make))
        .route("/people/{id}", get(person::view))
        .route("/admin/users", get(admin::users))
        .route("/admin/users/new", get(admin::new_user_form).post(admin::create_user))
        .route("/admin/users/{id}", get(admin::user))
        .route("/admin/users/{id}/roles", post(admin::set_roles))
        .route("/admin/users/{id}/status", post(admin::set_status))
        .route("/admin/users/{id}/password", post(admin::reset_password))
        .route("/admin/users/{id}/tokens", post(admin::create_token))
        .route("/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/admin/audit", get(access_log::audit))
        .route("/admin/jobs", get(daily_jobs::page))
        .route(
            "/admin/reference-budget",
            get(reference_budget::view).post(reference_budget::save),
        )
        .route("/admin/audit/access-request.pdf", get(access_log::access_request_pdf))
        .merge(cases::routes())
        .merge(dwellings::routes())
        .merge(rounds::routes())
        .merge(offers::routes())
        .merge(tenancies::routes())
        .merge(ledger::routes())
        .merge(follow_up::routes())
        .merge(outreach_contact::routes())
        .merge(consents::routes())
        .merge(protection::routes())
        .merge(referrals::routes())
        .merge(meetings::routes())
        .merge(reminders::routes())
        .merge(partner::routes())
        .merge(partners::routes())
        .route("/waiting-list", get(waiting_list::page))
        .route("/allocation", get(allocation::page))
        .route("/allocation/policy", get(policy::list))
        .route("/allocation/policy/new", get(policy::new_form).post(policy::submit))
        .route("/allocation/policy/{id}", get(policy::view))
        .route("/allocation/stock", get(stock::page))
        .route("/apply", get(apply::start).post(apply::create))
        .route("/apply/{id}", get(apply::view).post(apply::save))
        .route("/apply/{id}/code", post(apply::enter_code))
        .route("/apply/{id}/receipt", get(apply::receipt))
        .route("/apply/{id}/documents", post(apply::upload_document))
        .route("/apply/{id}/messages", post(apply::write))
        .route("/apply/{id}/offers/{offer}", post(apply::answer_offer))
        .route("/apply/{id}/letters/{letter}", get(apply::letter))
        .route("/apply/{id}/privacy", get(apply_privacy::view))
        .route("/apply/{id}/privacy.pdf", get(apply_privacy::pdf))
        .route("/apply/{id}/consents/{consent}/withdraw", post(apply_privacy::withdraw))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: crate::layout::Layout,
    roles: Vec<(String, Vec<&'static str>)>,
}

/// The start page: caseworkers go straight to search; everyone else sees what they can do and
/// which roles they hold where; leaders land on the action plan.
async fn home(
    axum::extract::State(state): axum::extract::State<AppState>,
    user: Option<crate::auth::CurrentUser>,
) -> AppResult<Response> {
    let Some(user) = user else {
        return Ok(Redirect::to("/login").into_response());
    };
    let layout = crate::layout::Layout::for_user(&user, crate::layout::Section::None, state.config.demo_mode);
    if layout.can_search {
        return Ok(Redirect::to("/search").into_response());
    }
    // Partners start with the households that have consented to their organisation.
    if layout.can_partner {
        return Ok(Redirect::to("/partner").into_response());
    }
    // Leaders start where their work is: the action plan.
    if layout.can_action_plan && !layout.can_admin {
        return Ok(Redirect::to("/plan").into_response());
    }
    let roles = user
        .municipalities
        .iter()
        .map(|m| {
            let names = user
                .principal
                .roles_in(m.id)
                .iter()
                .map(|r| user.tr.t(admin::role_key(*r)))
                .collect();
            (format!("{} {}", m.number, m.name), names)
        })
        .collect();
    render(&HomePage { l: layout, roles })
}

/// A closed set of codes as a form's choices: each code with its catalogue key,
/// `{prefix}.{code}`.
pub(crate) fn choices<T: Copy>(all: &[T], code: fn(T) -> &'static str, prefix: &str) -> Vec<(&'static str, String)> {
    all.iter()
        .map(|c| (code(*c), format!("{prefix}.{}", code(*c))))
        .collect()
}

/// Renders a template as a 200 page.
pub fn render(template: &impl Template) -> AppResult<Response> {
    Ok(Html(template.render()?).into_response())
}

pub use crate::forms::path_id;
