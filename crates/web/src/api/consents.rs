//! Consents, the partner's door and the partner organisations over the API: the same use cases
//! as the pages (`husly_usecases::consents`, `husly_usecases::partners`). The partner's
//! endpoints are also what a partner's own system reads.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::consent::ConsentInput;
use husly_domain::follow_up::EntryInput;
use husly_usecases::{consents, partners};

use super::contract::consents as c;
use super::contract::follow_up::EntryRequest;
use super::contract::queries::MunicipalityParam;
use super::{ApiJson, ApiUser, municipality_for};
use crate::AppState;
use crate::error::AppResult;
use crate::forms::path_id;

async fn list_of(state: &AppState, user: &ApiUser, id: HouseholdId) -> AppResult<Json<c::ConsentList>> {
    let found = consents::household_consents(&user.ctx(state), id).await?;
    let today = state.clock.today();
    Ok(Json(c::ConsentList {
        household_id: id,
        consents: found.consents.iter().map(|k| c::Consent::of(k, today)).collect(),
    }))
}

/// `GET /households/{id}/consents`.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::ConsentList>> {
    list_of(&state, &user, path_id(&id)?).await
}

/// `POST /households/{id}/consents`: recorded; answers with the household's consents.
pub async fn record(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<c::ConsentRequest>,
) -> AppResult<(StatusCode, Json<c::ConsentList>)> {
    let id: HouseholdId = path_id(&id)?;
    let input = ConsentInput {
        person: &request.person_id,
        organisation: &request.organisation_id,
        organisation_known: false,
        purpose: &request.purpose,
        categories: request.categories.iter().map(|k| k.code()).collect(),
        valid_from: &request.valid_from,
        valid_to: &request.valid_to,
        evidence: request.evidence.code(),
        given_by: request.given_by.code(),
        guardian: request.guardian.as_deref().unwrap_or_default(),
    };
    // The request names the ids as `person_id` and `organisation_id`; its errors do too.
    consents::record_consent(&user.ctx(&state), id, &input)
        .await
        .map_err(|e| {
            e.renamed("person", "person_id")
                .renamed("organisation", "organisation_id")
        })?;
    Ok((StatusCode::CREATED, list_of(&state, &user, id).await?))
}

/// `POST /households/{id}/consents/{consent_id}/withdraw`: withdrawn at once.
pub async fn withdraw(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, consent)): Path<(String, String)>,
    ApiJson(request): ApiJson<c::WithdrawRequest>,
) -> AppResult<Json<c::Consent>> {
    let id: HouseholdId = path_id(&id)?;
    let withdrawn = consents::withdraw_consent(&user.ctx(&state), id, &consent, &request.reason).await?;
    Ok(Json(c::Consent::of(&withdrawn, state.clock.today())))
}

/// `GET /partner/households[?offset=]`: a page of the households with a consent to the
/// caller's organisation.
pub async fn partner_list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<c::PartnerListParams>,
) -> AppResult<Json<c::ConsentingHouseholds>> {
    let m = municipality_for(
        &state,
        &user,
        params.municipality.as_deref(),
        Action::ViewConsentedHouseholds,
    )
    .await?;
    let page = consents::consenting_households(&user.ctx(&state), m, params.offset).await?;
    Ok(Json(c::ConsentingHouseholds::of(page)))
}

async fn partner_view_of(state: &AppState, user: &ApiUser, id: HouseholdId) -> AppResult<Json<c::PartnerHousehold>> {
    let view = consents::partner_view(&user.ctx(state), id).await?;
    Ok(Json(c::PartnerHousehold::of(&view, state.clock.today())))
}

/// `GET /partner/households/{id}`: the household as its consents show it.
pub async fn partner_view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<c::PartnerHousehold>> {
    partner_view_of(&state, &user, path_id(&id)?).await
}

/// `POST /partner/households/{id}/follow-up/entries`: a contact or visit logged on the
/// household's follow-up consent.
pub async fn partner_log(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<EntryRequest>,
) -> AppResult<(StatusCode, Json<c::PartnerHousehold>)> {
    let id: HouseholdId = path_id(&id)?;
    let input = EntryInput {
        kind: request.kind.code(),
        outcome: request.outcome.map(|o| o.code()).unwrap_or_default(),
        occurred_on: &request.occurred_on,
        note: request.note.as_deref().unwrap_or_default(),
    };
    consents::partner_log_entry(&user.ctx(&state), id, &input).await?;
    Ok((StatusCode::CREATED, partner_view_of(&state, &user, id).await?))
}

async fn organisations_of(
    state: &AppState,
    user: &ApiUser,
    m: husly_domain::MunicipalityId,
) -> AppResult<Json<Vec<c::Organisation>>> {
    let (organisations, _) = partners::partner_organisations(&user.ctx(state), m).await?;
    Ok(Json(organisations.iter().map(c::Organisation::of).collect()))
}

/// `GET /partners`: the municipality's partner organisations with their users.
pub async fn organisations(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
) -> AppResult<Json<Vec<c::Organisation>>> {
    let m = municipality_for(&state, &user, params.municipality.as_deref(), Action::ManagePartners).await?;
    organisations_of(&state, &user, m).await
}

/// `POST /partners`: an organisation registered; answers with them all.
pub async fn add_organisation(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
    ApiJson(request): ApiJson<c::OrganisationRequest>,
) -> AppResult<(StatusCode, Json<Vec<c::Organisation>>)> {
    let m = municipality_for(&state, &user, params.municipality.as_deref(), Action::ManagePartners).await?;
    partners::add_partner_organisation(&user.ctx(&state), m, &request.name, request.kind.code()).await?;
    Ok((StatusCode::CREATED, organisations_of(&state, &user, m).await?))
}

/// `PUT /partners/memberships`: which organisation a partner user works for.
pub async fn set_membership(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<MunicipalityParam>,
    ApiJson(request): ApiJson<c::MembershipRequest>,
) -> AppResult<Json<Vec<c::Organisation>>> {
    let m = municipality_for(&state, &user, params.municipality.as_deref(), Action::ManagePartners).await?;
    let organisation = request.organisation_id.as_deref().unwrap_or_default();
    partners::set_partner_membership(&user.ctx(&state), m, &request.user_id, organisation)
        .await
        .map_err(|e| e.renamed("user", "user_id").renamed("organisation", "organisation_id"))?;
    organisations_of(&state, &user, m).await
}

/// `GET /partner/households/{id}/documents/{document_id}`: a document of the household's
/// applications, on a documents consent in force.
pub async fn partner_document(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<axum::response::Response> {
    let (meta, bytes) = consents::partner_document(&user.ctx(&state), path_id(&id)?, &document).await?;
    Ok(crate::download::attachment(&meta, bytes))
}
