//! The JSON API under `/api/v1`. Same actions, same authorisation and same audit as the pages;
//! clients authenticate with an API token (`Authorization: Bearer husly_…`). The contract is
//! described by the OpenAPI document at `/api/openapi.json` ([`openapi`]).

mod allocation;
mod appeals;
mod calculators;
mod cases;
mod consents;
pub mod contract;
mod documents;
mod dwellings;
mod equity;
mod finance;
mod follow_up;
mod handling;
mod kostra;
mod ledger;
mod meetings;
mod notes;
pub mod openapi;
mod outreach;
mod plans;
pub(crate) mod policy;
mod protection;
mod reference_budget;
mod referrals;
mod reminders;
mod representatives;
mod rounds;
mod stays;
mod stock;
mod tasks;
mod tenancies;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use crate::forms::path_id;
use crate::routing::{Routes, delete, get, post, put};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use contract::queries::{AuditParams, MunicipalityParam, SearchParams};
use husly_domain::authz::Action;
use husly_domain::household::HouseholdInput;
use husly_domain::message::Message;
use husly_domain::validation::FieldError;
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::audit::AuditFilter;
use husly_usecases::UseCaseError;
use husly_usecases::access_log::{self, AccessQuery, PersonFound, PersonWanted};
use husly_usecases::households;
use serde_json::json;

pub fn routes() -> Routes {
    Routes::new()
        .route("/me", get(me))
        .route("/action-plans", get(plans::list).post(plans::create))
        .route("/action-plans/{plan_id}", get(plans::view).put(plans::update))
        .route("/action-plans/{plan_id}/history", get(plans::history))
        .route("/action-plans/{plan_id}/goals", post(plans::add_goal))
        .route(
            "/action-plans/{plan_id}/goals/{goal_id}",
            get(plans::goal_trends).put(plans::update_goal),
        )
        .route(
            "/action-plans/{plan_id}/goals/{goal_id}/measures",
            post(plans::add_measure),
        )
        .route(
            "/action-plans/{plan_id}/goals/{goal_id}/indicators",
            post(plans::add_indicator),
        )
        .route(
            "/action-plans/{plan_id}/measures/{measure_id}",
            put(plans::update_measure),
        )
        .route(
            "/action-plans/{plan_id}/indicators/{indicator_id}",
            put(plans::update_indicator),
        )
        .route(
            "/action-plans/{plan_id}/indicators/{indicator_id}/value",
            put(plans::report_value),
        )
        .route(
            "/action-plans/{plan_id}/indicators/{indicator_id}/cases",
            get(plans::indicator_cases),
        )
        .route("/people", get(search_people))
        .route("/people/{id}", get(person))
        .route("/households", post(create_household))
        .route("/households/{id}", get(household).put(update_household))
        .route("/households/{id}/timeline", get(timeline))
        .route("/households/{id}/economy", get(economy))
        .route("/households/{id}/economy/incomes", put(set_incomes))
        .route("/households/{id}/economy/bostotte", post(register_bostotte))
        .route(
            "/households/{id}/notes",
            get(notes::household_notes).post(notes::add_household_note),
        )
        .route(
            "/households/{id}/representatives",
            get(representatives::list).post(representatives::register),
        )
        .route(
            "/households/{id}/representatives/{representative_id}/end",
            post(representatives::end),
        )
        .route("/households/{id}/stays", get(stays::list).post(stays::record))
        .route("/households/{id}/stays/{stay_id}/end", put(stays::end))
        .route("/households/{id}/follow-up", get(follow_up::view))
        .route("/households/{id}/follow-up/plans", post(follow_up::start))
        .route("/households/{id}/follow-up/plans/{plan_id}", put(follow_up::change))
        .route(
            "/households/{id}/follow-up/plans/{plan_id}/close",
            post(follow_up::close),
        )
        .route(
            "/households/{id}/follow-up/plans/{plan_id}/reopen",
            post(follow_up::reopen),
        )
        .route(
            "/households/{id}/follow-up/plans/{plan_id}/measures",
            post(follow_up::add_measure),
        )
        .route(
            "/households/{id}/follow-up/plans/{plan_id}/measures/{measure_id}",
            put(follow_up::set_measure),
        )
        .route("/households/{id}/follow-up/entries", post(follow_up::log))
        .route("/follow-up/caseload", get(follow_up::caseload))
        .route("/stays", get(stays::ongoing))
        .route("/stays/figures", get(stays::figures))
        .route("/kostra/{year}", get(kostra::figures))
        .route("/equity/{year}", get(equity::figures))
        .route("/audit", get(audit_log))
        .route("/calculators/bostotte", post(calculators::bostotte))
        .route("/households/{id}/consents", get(consents::list).post(consents::record))
        .route(
            "/households/{id}/consents/{consent_id}/withdraw",
            post(consents::withdraw),
        )
        .route(
            "/households/{id}/protection",
            get(protection::list).post(protection::record),
        )
        .route("/households/{id}/referrals", get(referrals::list).post(referrals::send))
        .route(
            "/households/{id}/referrals/{referral_id}/answer",
            post(referrals::answer),
        )
        .route("/households/{id}/meetings", get(meetings::list).post(meetings::record))
        .route(
            "/households/{id}/meetings/actions/{action_id}",
            post(meetings::change_action),
        )
        .route("/partner/households/{id}/meetings", post(meetings::partner_record))
        .route(
            "/partner/households/{id}/meetings/actions/{action_id}",
            post(meetings::partner_change_action),
        )
        .route("/referrals", get(referrals::queue))
        .route("/reminders", get(reminders::list))
        .route("/reminders/{reminder_id}", post(reminders::mark))
        .route("/partner/referrals", get(referrals::partner_queue))
        .route("/partner/households/{id}/referrals", post(referrals::partner_send))
        .route(
            "/partner/households/{id}/referrals/{referral_id}/answer",
            post(referrals::partner_answer),
        )
        .route("/households/{id}/protection/reveal", post(protection::reveal))
        .route("/households/{id}/protection/{person_id}/lift", post(protection::lift))
        .route("/partner/households", get(consents::partner_list))
        .route("/partner/households/{id}", get(consents::partner_view))
        .route(
            "/partner/households/{id}/documents/{document_id}",
            get(consents::partner_document),
        )
        .route(
            "/partner/households/{id}/follow-up/entries",
            post(consents::partner_log),
        )
        .route(
            "/partners",
            get(consents::organisations).post(consents::add_organisation),
        )
        .route("/partners/memberships", put(consents::set_membership))
        .route("/outreach/bostotte", get(outreach::list))
        .route("/outreach/bostotte/make", post(outreach::make))
        .route(
            "/households/{id}/outreach-contacts",
            get(outreach::contact).post(outreach::record),
        )
        .route(
            "/households/{id}/outreach-contacts/{contact_id}",
            delete(outreach::remove),
        )
        .route("/calculators/startlan", post(calculators::startlan))
        .route("/cases", get(cases::queue))
        .route("/cases/workload", get(cases::workload))
        .route("/households/{id}/applications", post(cases::register))
        .route("/cases/{id}", get(cases::case))
        .route("/cases/{id}/timeline", get(cases::timeline))
        .route("/cases/{id}/notes", get(notes::case_notes).post(notes::add_case_note))
        .route("/cases/{id}/tasks", get(tasks::list).post(tasks::add))
        .route("/cases/{id}/tasks/{task_id}", put(tasks::set_done))
        .route("/cases/{id}/kostra-category", put(cases::classify_kostra))
        .route("/cases/{id}/application", put(cases::save_application))
        .route("/cases/{id}/actions", post(cases::act))
        .route("/cases/{id}/overrides", post(cases::override_rule))
        .route("/cases/{id}/decisions", post(cases::propose))
        .route("/cases/{id}/review", post(cases::review))
        .route("/cases/{id}/send", post(cases::send))
        .route("/cases/{id}/letters/{letter_id}", get(cases::letter))
        .route("/cases/{id}/documents", get(documents::list).post(documents::upload))
        .route("/cases/{id}/documents/{document_id}", get(documents::download))
        .route("/cases/{id}/assignment", post(handling::assign))
        .route("/cases/{id}/interim-answer", post(handling::interim))
        .route("/cases/{id}/decision-preview", post(handling::preview))
        .route("/cases/{id}/flags/{flag_id}", post(handling::resolve_flag))
        .route("/cases/{id}/appeals", post(appeals::register))
        .route("/cases/{id}/appeals/forward", post(appeals::forward))
        .route("/cases/{id}/appeals/outcome", post(appeals::outcome))
        .route("/cases/{id}/finance", put(finance::save))
        .route("/cases/{id}/ledger", get(finance::ledger))
        .route("/cases/{id}/payments", post(finance::pay))
        .route("/grants/budget", get(finance::budget))
        .route("/grants/budget/{year}/{grant}", put(finance::set_allocation))
        .route("/dwellings", get(dwellings::list).post(dwellings::create))
        .route("/dwellings/import", post(allocation::import))
        .route("/waiting-list", get(allocation::waiting))
        .route("/allocation/proposal", get(allocation::proposal))
        .route("/allocation/rounds", get(rounds::list).post(rounds::start))
        .route("/allocation/rounds/{id}", get(rounds::view))
        .route(
            "/allocation/rounds/{id}/draw",
            get(rounds::published).post(rounds::draw),
        )
        .route("/allocation/rounds/{id}/lines/{dwelling}", post(rounds::override_line))
        .route("/allocation/rounds/{id}/end", post(rounds::end))
        .route("/allocation/rounds/{id}/offers", post(rounds::make_offer))
        .route("/offers", get(rounds::offer_list))
        .route("/offers/{id}", get(rounds::offer))
        .route("/offers/{id}/answer", post(rounds::answer))
        .route("/offers/{id}/withdraw", post(rounds::withdraw))
        .route("/offers/{id}/reopen", post(rounds::reopen))
        .route("/offers/{id}/contract", post(tenancies::create))
        .route("/tenancies", get(tenancies::list))
        .route("/tenancies/ledger", post(ledger::import))
        .route("/tenancies/arrears", get(ledger::arrears))
        .route("/tenancies/{id}", get(tenancies::view))
        .route("/tenancies/{id}/end", post(tenancies::end))
        .route("/tenancies/{id}/undo-end", post(tenancies::undo_end))
        .route("/tenancies/{id}/rent-changes", post(tenancies::change_rent))
        .route(
            "/tenancies/{id}/rent-changes/{change_id}/cancel",
            post(tenancies::cancel_rent_change),
        )
        .route("/allocation/policies", get(policy::list).post(policy::save))
        .route("/allocation/policies/simulate", post(policy::simulate))
        .route("/allocation/policies/{id}", get(policy::view))
        .route("/draws/verify", post(policy::verify_draw))
        .route("/allocation/stock", get(stock::stock_and_demand))
        .route("/dwellings/{id}", get(dwellings::view).put(dwellings::update))
        .route("/dwellings/{id}/status", post(dwellings::set_status))
        .route("/dwellings/{id}/delete", post(dwellings::delete))
        .route("/dwellings/{id}/restore", post(dwellings::restore))
        .route(
            "/dwellings/by-external-id/{external_id}",
            get(dwellings::synced).put(dwellings::sync).delete(dwellings::unsync),
        )
        .route(
            "/reference-budgets",
            get(reference_budget::list).put(reference_budget::put),
        )
}

/// A page of a list: `limit` rows (1 to `max`; `default` when left out) from `offset` (0 or
/// more). A value out of range is refused, naming the parameter, never quietly changed.
fn page_of(limit: Option<i64>, offset: Option<i64>, default: i64, max: i64) -> AppResult<(i64, i64)> {
    let mut errors = Vec::new();
    let limit = limit.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        errors.push(
            husly_domain::validation::FieldError::new("limit", "out_of_range", "error.api.limit_out_of_range")
                .arg("max", max),
        );
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        errors.push(husly_domain::validation::FieldError::new(
            "offset",
            "out_of_range",
            "error.api.offset_out_of_range",
        ));
    }
    if errors.is_empty() {
        Ok((limit, offset))
    } else {
        Err(AppError::Validation(errors))
    }
}

/// The municipality an API call works in, after checking `action` there.
async fn municipality_for(
    state: &AppState,
    user: &ApiUser,
    number: Option<&str>,
    action: Action,
) -> AppResult<MunicipalityId> {
    let id = match number {
        Some(number) => {
            state
                .store
                .municipality_by_number(number.trim())
                .await?
                .ok_or(AppError::NotFound)?
                .id
        }
        None => {
            let mut held = user.principal.roles.keys();
            match (held.next(), held.next()) {
                (Some(only), None) => *only,
                _ => {
                    return Err(AppError::BadRequest(Message::new("error.api.municipality_required")));
                }
            }
        }
    };
    user.require(action, id)?;
    Ok(id)
}

async fn me(State(state): State<AppState>, user: ApiUser) -> AppResult<Json<contract::Me>> {
    let municipalities = state.store.municipalities().await?;
    let roles = municipalities
        .iter()
        .filter(|m| !user.principal.roles_in(m.id).is_empty())
        .map(|m| {
            let codes = user.principal.roles_in(m.id).iter().map(|r| r.code()).collect();
            (m.number.clone(), codes)
        })
        .collect();
    Ok(Json(contract::Me {
        id: user.user.id,
        email: user.user.email.clone(),
        display_name: user.user.display_name.clone(),
        roles,
    }))
}

async fn search_people(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<SearchParams>,
) -> AppResult<Json<contract::SearchResults>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::SearchPeople).await?;
    let (limit, _) = page_of(params.limit, None, 50, 200)?;
    let found = households::search_people(&user.ctx(&state), municipality, &params.q, limit)
        .await
        .map_err(|e| match e {
            UseCaseError::Invalid(_) => AppError::BadRequest(Message::new("error.search.query")),
            other => other.into(),
        })?;
    Ok(Json(contract::SearchResults::from(&found)))
}

async fn person(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::PersonWithHouseholds>> {
    let (person, households) = households::person(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(contract::PersonWithHouseholds::new(&person, &households)))
}

async fn household(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::Household>> {
    let ctx = user.ctx(&state);
    let household = households::open_household(&ctx, path_id(&id)?, Action::ViewHousehold, json!({})).await?;
    Ok(Json(contract::Household::from(&household)))
}

async fn timeline(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::Timeline>> {
    let events = households::household_timeline(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(contract::Timeline::from(events.as_slice())))
}

async fn economy(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<contract::HouseholdEconomy>> {
    let ctx = user.ctx(&state);
    let (household, economy) = households::open_economy(&ctx, path_id(&id)?, Action::ViewHousehold, "economy").await?;
    Ok(Json(contract::HouseholdEconomy::new(household.id, &economy)))
}

async fn set_incomes(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<contract::requests::IncomesUpdate>,
) -> AppResult<Json<contract::HouseholdEconomy>> {
    let id: HouseholdId = path_id(&id)?;
    let economy = households::set_incomes(&user.ctx(&state), id, &update.incomes).await?;
    Ok(Json(contract::HouseholdEconomy::new(id, &economy)))
}

async fn register_bostotte(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(registration): ApiJson<contract::requests::BostotteRegistration>,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let Some(from) = husly_domain::validation::parse_date(&registration.from_date) else {
        return Err(AppError::Validation(vec![FieldError::invalid_date("from_date")]));
    };
    let economy = households::register_bostotte(&user.ctx(&state), id, from).await?;
    Ok((StatusCode::CREATED, Json(contract::HouseholdEconomy::new(id, &economy))).into_response())
}

async fn create_household(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
    ApiJson(input): ApiJson<HouseholdInput>,
) -> AppResult<Response> {
    let municipality =
        municipality_for(&state, &user, param.municipality.as_deref(), Action::RegisterHousehold).await?;
    let synthetic = state.config.synthetic_policy();
    let household = households::register_household(&user.ctx(&state), municipality, &input, synthetic).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/households/{}", household.id),
        )],
        Json(contract::Household::from(&household)),
    )
        .into_response())
}

async fn update_household(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<contract::requests::HouseholdUpdate>,
) -> AppResult<Json<contract::Household>> {
    let reason = update.reason.as_deref().unwrap_or_default();
    let synthetic = state.config.synthetic_policy();
    let ctx = user.ctx(&state);
    let household = households::update_household(
        &ctx,
        path_id(&id)?,
        update.version,
        &update.household,
        reason,
        synthetic,
    )
    .await?;
    Ok(Json(contract::Household::from(&household)))
}

async fn audit_log(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<AuditParams>,
) -> AppResult<Json<contract::AuditEntries>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ReadAudit).await?;
    let (limit, offset) = page_of(params.limit, params.offset, 100, 500)?;
    let filter = AuditFilter {
        actor: params.actor,
        action: params.action,
        resource_id: params.resource,
        limit,
        offset,
        ..Default::default()
    };
    // A person by id, or by identity number (never by name: an API client knows whom it asks for).
    let person = match params.person.as_deref().map(str::trim) {
        None | Some("") => PersonWanted::Anyone,
        Some(text) => match text.parse() {
            Ok(id) => PersonWanted::Chosen(id),
            Err(_) if text.len() == 11 && text.bytes().all(|b| b.is_ascii_digit()) => PersonWanted::Typed(text.into()),
            Err(_) => {
                return Err(AppError::Validation(vec![FieldError::new(
                    "person",
                    "invalid_query",
                    "error.search.query",
                )]));
            }
        },
    };
    let query = AccessQuery {
        filter,
        person,
        case_reference: params.case.unwrap_or_default(),
    };
    let report = access_log::access_report(&user.ctx(&state), municipality, query).await?;
    let entries = match report.person {
        PersonFound::Nobody | PersonFound::Several(_) => return Err(AppError::NotFound),
        PersonFound::Anyone | PersonFound::One(_) => report.entries,
    };
    Ok(Json(contract::AuditEntries::from(entries.as_slice())))
}
