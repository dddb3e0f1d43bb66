//! The dwelling register: the list with its filters, one dwelling with its history, the housing
//! manager's changes (each at the version read), and a property-management system's sync by its
//! own id (idempotent: the same call twice changes nothing the second time).

use super::contract::dwellings as c;
use super::contract::queries::{DwellingParams, MunicipalityParam};
use super::{municipality_for, page_of};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::allocation::dwelling::{DwellingStatus, DwellingType};
use husly_domain::authz::Action;
use husly_domain::validation::FieldError;
use husly_store::dwellings::{DwellingFilter, MAX_PAGE, Upserted};
use husly_usecases::dwellings::{self, FirstStatus, StatusInput};
use husly_usecases::{Ctx, UseCaseError};

/// The fields of a [`c::DwellingRecord`]: their errors are named below `dwelling.` when the
/// record is nested in the body, as a body's own type errors are.
const RECORD_FIELDS: &[&str] = &[
    "external_id",
    "address_line",
    "postal_code",
    "postal_city",
    "district",
    "gnr",
    "bnr",
    "fnr",
    "snr",
    "unit_number",
    "dwelling_type",
    "ownership",
    "bedrooms",
    "area_m2",
    "floor",
    "lift",
    "wheelchair_accessible",
    "adapted",
    "pets_allowed",
    "monthly_rent_kr",
];

/// A use case's field errors about the record, named by where they are in the body.
fn in_record(error: UseCaseError) -> UseCaseError {
    match error {
        UseCaseError::Invalid(fields) => UseCaseError::Invalid(
            fields
                .into_iter()
                .map(|mut e| {
                    if RECORD_FIELDS.contains(&e.field.as_str()) {
                        e.field = format!("dwelling.{}", e.field);
                    }
                    e
                })
                .collect(),
        ),
        other => other,
    }
}

async fn detail(ctx: &Ctx, id: &str) -> AppResult<Json<c::DwellingDetail>> {
    Ok(Json(c::DwellingDetail::from(&dwellings::dwelling(ctx, id).await?)))
}

/// A code filter: absent or blank is no filter; an unknown code is refused naming the parameter.
fn code<T>(
    field: &str,
    text: Option<&str>,
    from_code: fn(&str) -> Option<T>,
    codes: Vec<&str>,
) -> AppResult<Option<T>> {
    match text.map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => from_code(text)
            .map(Some)
            .ok_or_else(|| AppError::Validation(vec![FieldError::unknown_value(field, text, &codes)])),
    }
}

/// `GET /dwellings`
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<DwellingParams>,
) -> AppResult<Json<c::DwellingList>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewDwellings).await?;
    let (limit, offset) = page_of(params.limit, params.offset, 50, MAX_PAGE)?;
    let filter = DwellingFilter {
        status: code(
            "status",
            params.status.as_deref(),
            DwellingStatus::from_code,
            DwellingStatus::codes(),
        )?,
        dwelling_type: code(
            "type",
            params.dwelling_type.as_deref(),
            DwellingType::from_code,
            DwellingType::codes(),
        )?,
        bedrooms: params.bedrooms,
        wheelchair_accessible: params.wheelchair_accessible.unwrap_or(false),
        text: params.q.map(|q| q.trim().to_string()).filter(|q| !q.is_empty()),
        deleted: params.deleted.unwrap_or(false),
        offset,
        limit,
    };
    let register = dwellings::register(&user.ctx(&state), municipality, &filter).await?;
    Ok(Json(c::DwellingList::of(&register, offset, limit)))
}

/// `POST /dwellings`
pub async fn create(
    State(state): State<AppState>,
    user: ApiUser,
    Query(param): Query<MunicipalityParam>,
    ApiJson(new): ApiJson<c::NewDwelling>,
) -> AppResult<Response> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ManageDwellings).await?;
    let ctx = user.ctx(&state);
    let first = FirstStatus {
        status: new.status.as_deref().unwrap_or_default(),
        from: new.status_from.as_deref().unwrap_or_default(),
    };
    let id = dwellings::register_dwelling(&ctx, municipality, &new.dwelling.to_input(), &first)
        .await
        .map_err(in_record)?;
    Ok((
        StatusCode::CREATED,
        [(header::LOCATION, format!("/api/v1/dwellings/{id}"))],
        detail(&ctx, &id).await?,
    )
        .into_response())
}

/// `GET /dwellings/{id}`
pub async fn view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::DwellingDetail>> {
    detail(&user.ctx(&state), &id).await
}

/// `PUT /dwellings/{id}`
pub async fn update(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<c::DwellingChange>,
) -> AppResult<Json<c::DwellingDetail>> {
    let ctx = user.ctx(&state);
    // The form's reading of the dwelling, so an unknown id or a reader without the right to
    // change it is told so before the facts are checked.
    dwellings::dwelling_to_edit(&ctx, &id).await?;
    dwellings::update_dwelling(&ctx, &id, change.version, &change.dwelling.to_input())
        .await
        .map_err(in_record)?;
    detail(&ctx, &id).await
}

/// `POST /dwellings/{id}/status`
pub async fn set_status(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(change): ApiJson<c::StatusRequest>,
) -> AppResult<Json<c::DwellingDetail>> {
    let ctx = user.ctx(&state);
    let input = StatusInput {
        status: &change.status,
        from: change.from.as_deref().unwrap_or_default(),
        reason: change.reason.as_deref().unwrap_or_default(),
    };
    dwellings::set_status(&ctx, &id, change.version, &input).await?;
    detail(&ctx, &id).await
}

/// `POST /dwellings/{id}/delete`
pub async fn delete(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(removal): ApiJson<c::DeleteRequest>,
) -> AppResult<Json<c::DwellingDetail>> {
    let ctx = user.ctx(&state);
    dwellings::delete_dwelling(&ctx, &id, removal.version, &removal.reason).await?;
    detail(&ctx, &id).await
}

/// `POST /dwellings/{id}/restore`
pub async fn restore(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(restore): ApiJson<c::RestoreRequest>,
) -> AppResult<Json<c::DwellingDetail>> {
    let ctx = user.ctx(&state);
    dwellings::restore_dwelling(&ctx, &id, restore.version).await?;
    detail(&ctx, &id).await
}

/// `GET /dwellings/by-external-id/{external_id}`
pub async fn synced(
    State(state): State<AppState>,
    user: ApiUser,
    Path(external_id): Path<String>,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<Json<c::Dwelling>> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ViewDwellings).await?;
    let found = dwellings::synced_dwelling(&user.ctx(&state), municipality, &external_id).await?;
    Ok(Json(c::Dwelling::from(&found)))
}

/// `PUT /dwellings/by-external-id/{external_id}`: 201 when created, 200 otherwise.
pub async fn sync(
    State(state): State<AppState>,
    user: ApiUser,
    Path(external_id): Path<String>,
    Query(param): Query<MunicipalityParam>,
    ApiJson(record): ApiJson<c::DwellingRecord>,
) -> AppResult<Response> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ManageDwellings).await?;
    // The path names the dwelling; a body naming another is a mistake, not a rename.
    if let Some(given) = record.external_id.as_deref().map(str::trim)
        && !given.is_empty()
        && given != external_id.trim()
    {
        return Err(AppError::Validation(vec![FieldError::unknown_value(
            "external_id",
            given,
            &[external_id.trim()],
        )]));
    }
    let (dwelling, outcome) =
        dwellings::sync_dwelling(&user.ctx(&state), municipality, &external_id, &record.to_input()).await?;
    let answer = Json(c::SyncedDwelling {
        outcome: outcome.into(),
        dwelling: c::Dwelling::from(&dwelling),
    });
    Ok(match outcome {
        Upserted::Created => (
            StatusCode::CREATED,
            [(header::LOCATION, format!("/api/v1/dwellings/{}", dwelling.id))],
            answer,
        )
            .into_response(),
        _ => answer.into_response(),
    })
}

/// `DELETE /dwellings/by-external-id/{external_id}`: 204.
pub async fn unsync(
    State(state): State<AppState>,
    user: ApiUser,
    Path(external_id): Path<String>,
    Query(param): Query<MunicipalityParam>,
) -> AppResult<StatusCode> {
    let municipality = municipality_for(&state, &user, param.municipality.as_deref(), Action::ManageDwellings).await?;
    dwellings::delete_synced_dwelling(&user.ctx(&state), municipality, &external_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
