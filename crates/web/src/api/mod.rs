//! The JSON API under `/api/v1`. Same actions, same authorisation and same audit as the pages;
//! clients authenticate with an API token (`Authorization: Bearer husly_…`). The contract is
//! described by the OpenAPI document at `/api/openapi.json` ([`openapi`]).

mod calculators;
mod cases;
mod finance;
pub mod openapi;

use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use crate::pages::search::audit_search;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use husly_domain::authz::Action;
use husly_domain::household::{HouseholdInput, validate_household};
use husly_domain::{HouseholdId, MunicipalityId, PersonId};
use husly_store::audit::AuditFilter;
use husly_store::households::Change;
use husly_store::search::SearchQuery;
use serde::Deserialize;
use serde_json::json;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/people", get(search_people))
        .route("/people/{id}", get(person))
        .route("/households", axum::routing::post(create_household))
        .route("/households/{id}", get(household).put(update_household))
        .route("/households/{id}/timeline", get(timeline))
        .route("/audit", get(audit_log))
        .route("/calculators/bostotte", axum::routing::post(calculators::bostotte))
        .route("/outreach/bostotte", get(outreach_bostotte))
        .route("/calculators/startlan", axum::routing::post(calculators::startlan))
        .route("/cases", get(cases::queue))
        .route("/households/{id}/applications", axum::routing::post(cases::register))
        .route("/cases/{id}", get(cases::case))
        .route("/cases/{id}/timeline", get(cases::timeline))
        .route("/cases/{id}/application", axum::routing::put(cases::save_application))
        .route("/cases/{id}/actions", axum::routing::post(cases::act))
        .route("/cases/{id}/overrides", axum::routing::post(cases::override_rule))
        .route("/cases/{id}/decisions", axum::routing::post(cases::propose))
        .route("/cases/{id}/review", axum::routing::post(cases::review))
        .route("/cases/{id}/send", axum::routing::post(cases::send))
        .route("/cases/{id}/letters/{letter_id}", get(cases::letter))
        .route("/cases/{id}/finance", axum::routing::put(finance::save))
        .route("/cases/{id}/ledger", get(finance::ledger))
        .route("/cases/{id}/payments", axum::routing::post(finance::pay))
        .route("/grants/budget", get(finance::budget))
        .route(
            "/grants/budget/{year}/{grant}",
            axum::routing::put(finance::set_allocation),
        )
}

#[derive(Debug, Default, Deserialize)]
struct MunicipalityParam {
    /// Kommunenummer, e.g. `3301`. May be left out by users with a role in one municipality only.
    municipality: Option<String>,
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
                    return Err(AppError::BadRequest(
                        "Give the municipality (kommunenummer) as the query parameter `municipality`.".into(),
                    ));
                }
            }
        }
    };
    user.require(action, id)?;
    Ok(id)
}

async fn me(State(state): State<AppState>, user: ApiUser) -> AppResult<Json<serde_json::Value>> {
    let municipalities = state.store.municipalities().await?;
    let roles: serde_json::Map<String, serde_json::Value> = municipalities
        .iter()
        .filter(|m| !user.principal.roles_in(m.id).is_empty())
        .map(|m| {
            let codes: Vec<&str> = user.principal.roles_in(m.id).iter().map(|r| r.code()).collect();
            (m.number.clone(), json!(codes))
        })
        .collect();
    Ok(Json(json!({
        "id": user.user.id,
        "email": user.user.email,
        "display_name": user.user.display_name,
        "roles": roles,
    })))
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    municipality: Option<String>,
    #[serde(default)]
    q: String,
    limit: Option<i64>,
}

async fn search_people(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<SearchParams>,
) -> AppResult<Json<serde_json::Value>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::SearchPeople).await?;
    let query = SearchQuery::parse(&params.q).ok_or_else(|| {
        AppError::BadRequest("`q` must be a full 11-digit identity number or a name without digits.".into())
    })?;
    let hits = state
        .store
        .search_people(municipality, &query, params.limit.unwrap_or(50))
        .await?;
    audit_search(&state, &user, municipality, params.q.trim(), hits.len()).await?;
    Ok(Json(json!({ "results": hits })))
}

async fn person(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    let id: PersonId = crate::pages::path_id(&id)?;
    let municipality = user.person_owner(&state.store, id, Action::ViewPerson).await?;
    let (person, households) = state.store.person(municipality, id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "person.view",
        ("person", id.to_string()),
        json!({ "via": "api" }),
    )
    .await?;
    let households: Vec<_> = households
        .into_iter()
        .map(|(id, address_line, relation)| json!({ "id": id, "address_line": address_line, "relation": relation }))
        .collect();
    Ok(Json(json!({ "person": person, "households": households })))
}

async fn household_in(
    state: &AppState,
    user: &ApiUser,
    raw: &str,
    action: Action,
) -> AppResult<(MunicipalityId, HouseholdId)> {
    let id: HouseholdId = crate::pages::path_id(raw)?;
    Ok((user.household_owner(&state.store, id, action).await?, id))
}

async fn household(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    let (municipality, id) = household_in(&state, &user, &id, Action::ViewHousehold).await?;
    let household = state.store.household(municipality, id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "household.view",
        ("household", id.to_string()),
        json!({ "via": "api" }),
    )
    .await?;
    Ok(Json(json!(household)))
}

async fn timeline(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<serde_json::Value>> {
    let (municipality, id) = household_in(&state, &user, &id, Action::ViewHousehold).await?;
    let events = state.store.timeline(municipality, id).await?;
    user.audit_read(
        &state.store,
        municipality,
        "household.timeline",
        ("household", id.to_string()),
        json!({ "via": "api" }),
    )
    .await?;
    Ok(Json(json!({ "events": events })))
}

async fn create_household(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
    ApiJson(input): ApiJson<HouseholdInput>,
) -> AppResult<Response> {
    let municipality =
        municipality_for(&state, &user, param.municipality.as_deref(), Action::RegisterHousehold).await?;
    let valid = validate_household(&input, state.config.synthetic_policy()).map_err(AppError::Validation)?;
    let actor = user.actor(Some(municipality), "case_handling");
    let change = Change {
        actor: &actor,
        user: Some(user.user.id),
        reason: None,
    };
    let id = state.store.create_household(municipality, &valid, &change).await?;
    let household = state.store.household(municipality, id).await?;
    Ok((
        StatusCode::CREATED,
        [(axum::http::header::LOCATION, format!("/api/v1/households/{id}"))],
        Json(json!(household)),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HouseholdUpdate {
    /// The version the client read; the update fails with 409 if someone saved in between.
    version: i64,
    #[serde(default)]
    reason: Option<String>,
    household: HouseholdInput,
}

async fn update_household(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(update): ApiJson<HouseholdUpdate>,
) -> AppResult<Json<serde_json::Value>> {
    let (municipality, id) = household_in(&state, &user, &id, Action::EditHousehold).await?;
    let valid = validate_household(&update.household, state.config.synthetic_policy()).map_err(AppError::Validation)?;
    let reason = update.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 1000) {
        return Err(AppError::Validation(vec![
            husly_domain::validation::FieldError::too_long("reason", 1000),
        ]));
    }
    let actor = user.actor(Some(municipality), "case_handling");
    let change = Change {
        actor: &actor,
        user: Some(user.user.id),
        reason,
    };
    state
        .store
        .update_household(municipality, id, update.version, &valid, &change)
        .await?;
    let household = state.store.household(municipality, id).await?;
    Ok(Json(json!(household)))
}

#[derive(Debug, Deserialize)]
struct AuditParams {
    municipality: Option<String>,
    actor: Option<String>,
    action: Option<String>,
    resource: Option<String>,
    limit: Option<i64>,
    offset: Option<i64>,
}

async fn audit_log(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<AuditParams>,
) -> AppResult<Json<serde_json::Value>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ReadAudit).await?;
    let filter = AuditFilter {
        actor: params.actor,
        action: params.action,
        resource_id: params.resource,
        from_micros: None,
        to_micros: None,
        limit: params.limit.unwrap_or(100),
        offset: params.offset.unwrap_or(0),
    };
    let entries = state.store.audit_entries(municipality, &filter).await?;
    Ok(Json(json!({ "entries": entries })))
}

#[derive(Debug, Deserialize)]
struct OutreachParams {
    municipality: Option<String>,
    /// `YYYY-MM`; the current month when left out.
    month: Option<String>,
}

/// The bostøtte outreach list of a municipality as JSON.
async fn outreach_bostotte(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<OutreachParams>,
) -> AppResult<Json<husly_domain::bostotte::OutreachList>> {
    let id = municipality_for(&state, &user, params.municipality.as_deref(), Action::RunOutreach).await?;
    let municipality = state
        .store
        .municipalities()
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let month = match params.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        None => husly_domain::rules::YearMonth::of(time::OffsetDateTime::now_utc().date()),
        Some(text) => match text.parse::<husly_domain::rules::YearMonth>() {
            Ok(month) if month >= husly_domain::bostotte::BostotteRules::embedded().first_month() => month,
            _ => {
                return Err(AppError::Validation(vec![husly_domain::validation::FieldError::new(
                    "month",
                    "invalid_month",
                    "Skriv måneden som åååå-mm, tidligst 2021-06.",
                    "Write the month as yyyy-mm, 2021-06 or later.",
                )]));
            }
        },
    };
    let list = state.store.bostotte_outreach(&municipality, month).await?;
    user.audit_read(
        &state.store,
        id,
        "outreach.bostotte",
        ("municipality", id.to_string()),
        json!({ "month": month.to_string(), "households": list.candidates.len(), "via": "api" }),
    )
    .await?;
    Ok(Json(list))
}
