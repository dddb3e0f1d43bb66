//! Changing a contract's rent from its page (`/tenancies/{id}`): a new rent from a day, with its
//! basis and the written notice, and cancelling a change not yet in effect, with a reason.

use super::render;
use super::tenancies::contract_page;
use crate::AppState;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::tenancy::rent::RentChangeInput;
use husly_usecases::UseCaseError;
use husly_usecases::rent_changes;

/// The contract page again with the refused form's errors and what was typed.
async fn again(
    state: &AppState,
    form: &StaffForm,
    id: &str,
    active: &'static str,
    change: &str,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut page = contract_page(state, &form.user, id).await?;
    page.active = active;
    page.rent_typed = form.fields.clone();
    page.cancel_for = change.to_string();
    let code = match error {
        UseCaseError::Invalid(errors) => {
            page.errors = FormErrors::of_form(errors, active, page.l.tr.lang);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        UseCaseError::Conflict => {
            page.conflict = true;
            StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    let mut response = render(&page)?;
    *response.status_mut() = code;
    Ok(response)
}

/// `POST /tenancies/{id}/rent`: a new rent from a day.
pub async fn change(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let version = form.version()?;
    let input = RentChangeInput {
        effective_from: form.fields.get("effective_from"),
        monthly_rent_kr: form.fields.get("monthly_rent_kr"),
        basis: form.fields.get("basis"),
        notice_on: form.fields.get("notice_on"),
        note: form.fields.get("note"),
    };
    match rent_changes::change_rent(&form.user.ctx(&state), &id, version, &input).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/tenancies/{id}"),
            "flash.tenancy.rent_changed",
        )),
        Err(e) => again(&state, &form, &id, "rent", "", e).await,
    }
}

/// `POST /tenancies/{id}/rent/{change}/cancel`: a change not yet in effect, cancelled.
pub async fn cancel(
    State(state): State<AppState>,
    Path((id, change)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let version = form.version()?;
    match rent_changes::cancel_rent_change(&form.user.ctx(&state), &id, version, &change, form.fields.get("reason"))
        .await
    {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/tenancies/{id}"),
            "flash.tenancy.rent_change_cancelled",
        )),
        Err(e) => again(&state, &form, &id, "cancel", &change, e).await,
    }
}
