//! Protected addresses over the API: the same use cases as the page
//! (`husly_usecases::protection`).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use husly_domain::protection::ProtectionInput;
use husly_domain::{HouseholdId, PersonId};
use husly_usecases::protection;

use super::contract::protection as c;
use super::{ApiJson, ApiUser};
use crate::AppState;
use crate::error::AppResult;
use crate::forms::path_id;

async fn list_of(state: &AppState, user: &ApiUser, id: HouseholdId) -> AppResult<Json<c::ProtectionList>> {
    let found = protection::household_protection(&user.ctx(state), id).await?;
    Ok(Json(c::ProtectionList {
        household_id: id,
        level: found.household.protection,
        blocks: found.protections.iter().map(c::Block::of).collect(),
    }))
}

/// `GET /households/{id}/protection`.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::ProtectionList>> {
    list_of(&state, &user, path_id(&id)?).await
}

/// `POST /households/{id}/protection`: recorded; answers with the household's blocks.
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::ProtectionRequest>,
) -> AppResult<(StatusCode, Json<c::ProtectionList>)> {
    let id: HouseholdId = path_id(&id)?;
    let route = request.contact_route.as_ref();
    let input = ProtectionInput {
        person: &request.person_id,
        level: request.level.code(),
        reason: &request.reason,
        address_line: route.map(|r| r.address_line.as_str()).unwrap_or_default(),
        postal_code: route.map(|r| r.postal_code.as_str()).unwrap_or_default(),
        postal_city: route.map(|r| r.postal_city.as_str()).unwrap_or_default(),
    };
    // The request names the member `person_id` and the route's fields under `contact_route`.
    protection::protect_address(&user.ctx(&state), id, &input)
        .await
        .map_err(|e| {
            e.renamed("person", "person_id")
                .renamed("address_line", "contact_route.address_line")
                .renamed("postal_code", "contact_route.postal_code")
                .renamed("postal_city", "contact_route.postal_city")
        })?;
    Ok((StatusCode::CREATED, list_of(&state, &user, id).await?))
}

/// `POST /households/{id}/protection/{person_id}/lift`: lifted; answers with the blocks left.
pub async fn lift(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, person)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::LiftRequest>,
) -> AppResult<Json<c::ProtectionList>> {
    let id: HouseholdId = path_id(&id)?;
    let person: PersonId = path_id(&person)?;
    protection::lift_protection(&user.ctx(&state), id, person, &request.reason).await?;
    list_of(&state, &user, id).await
}

/// `POST /households/{id}/protection/reveal`: the address, for the purpose stated (audited).
pub async fn reveal(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::RevealRequest>,
) -> AppResult<Json<c::RevealedAddress>> {
    let id: HouseholdId = path_id(&id)?;
    let opened = protection::reveal_address(&user.ctx(&state), id, request.purpose.code()).await?;
    Ok(Json(c::RevealedAddress::of(id, &opened.address, opened.purpose)))
}
