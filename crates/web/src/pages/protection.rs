//! A household's protected address (`/households/{id}/protection`): which members have an
//! address block (fortrolig or strengt fortrolig adresse), the form to record one, the lifting
//! of one (it reduces the person's protection, so it is shown once more to be confirmed, with a
//! reason), and, for the holder of the specific permission, opening the address with a stated
//! purpose — shown in that answer only, and audited.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::protection::{AddressProtection, ProtectionInput, RevealPurpose};
use husly_domain::{HouseholdId, PersonId};
use husly_store::protection::PersonProtection;
use husly_usecases::UseCaseError;
use husly_usecases::protection::{self, HouseholdProtection, RevealedAddress};
use serde::Deserialize;

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/households/{id}/protection", get(view).post(record))
        .route("/households/{id}/protection/reveal", post(reveal))
        .route("/households/{id}/protection/{person}/lift", post(lift))
}

#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    /// A member whose block is to be lifted, to confirm.
    lift: Option<String>,
}

#[derive(Template)]
#[template(path = "protection.html")]
struct ProtectionPage {
    l: Layout,
    p: HouseholdProtection,
    /// The block whose lifting is to be confirmed.
    confirm: Option<PersonProtection>,
    /// The address opened in this answer, with the purpose stated.
    revealed: Option<RevealedAddress>,
    /// Which form was refused (`record`, `lift` or `reveal`), and what was typed in it.
    active: String,
    typed: FormFields,
    errors: FormErrors,
}

impl ProtectionPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    fn typed_or(&self, form: &str, field: &str) -> String {
        if self.active == form {
            self.typed.get(field).to_string()
        } else {
            String::new()
        }
    }

    fn is_chosen(&self, form: &str, field: &str, code: &str) -> bool {
        self.active == form && self.typed.get(field) == code
    }

    fn levels(&self) -> Vec<(&'static str, String)> {
        super::choices(AddressProtection::ALL, AddressProtection::code, "protection.level")
    }

    fn purposes(&self) -> Vec<(&'static str, String)> {
        super::choices(RevealPurpose::ALL, RevealPurpose::code, "protection.purpose")
    }

    fn level_key(&self, level: &AddressProtection) -> String {
        format!("protection.level.{}", level.code())
    }

    fn purpose_key(&self, purpose: &RevealPurpose) -> String {
        format!("protection.purpose.{}", purpose.code())
    }

    fn name_of(&self, person: &PersonId) -> String {
        self.p
            .household
            .members
            .iter()
            .find(|m| m.person.id == *person)
            .map(|m| m.person.full_name())
            .unwrap_or_default()
    }

    fn timestamp(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }
}

async fn page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> Result<ProtectionPage, UseCaseError> {
    let p = protection::household_protection(&user.ctx(state), id).await?;
    Ok(ProtectionPage {
        l: Layout::for_user(user, Section::Search, state.config.demo_mode),
        p,
        confirm: None,
        revealed: None,
        active: String::new(),
        typed: FormFields::default(),
        errors: FormErrors::default(),
    })
}

/// `GET /households/{id}/protection[?lift=]`: the blocks, the forms, and a lifting to confirm.
async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ViewQuery>,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let mut p = page(&state, &user, id).await?;
    if let Some(wanted) = query.lift
        && p.p.can_reveal
    {
        p.confirm = p.p.protections.iter().find(|b| b.person.to_string() == wanted).cloned();
    }
    render(&p)
}

fn done(id: HouseholdId, key: &str) -> Response {
    crate::flash::redirect(&format!("/households/{id}/protection"), key)
}

/// The page again with the refused form's problems and what was typed.
async fn again(
    state: &AppState,
    form: &StaffForm,
    (id, lifting): (HouseholdId, Option<&str>),
    active: &str,
    error: UseCaseError,
) -> AppResult<Response> {
    let UseCaseError::Invalid(errors) = error else {
        return Err(error.into());
    };
    let mut p = page(state, &form.user, id).await?;
    p.active = active.to_string();
    p.typed = form.fields.clone();
    if let Some(wanted) = lifting {
        p.confirm = p.p.protections.iter().find(|b| b.person.to_string() == wanted).cloned();
    }
    p.errors = FormErrors::of_form(errors, active, p.l.tr.lang);
    let mut response = render(&p)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /households/{id}/protection`: a block recorded, else the form with each problem named.
async fn record(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f = &form.fields;
    let input = ProtectionInput {
        person: f.get("person"),
        level: f.get("level"),
        reason: f.get("reason"),
        address_line: f.get("address_line"),
        postal_code: f.get("postal_code"),
        postal_city: f.get("postal_city"),
    };
    match protection::protect_address(&form.user.ctx(&state), id, &input).await {
        Ok(()) => Ok(done(id, "flash.protection.recorded")),
        Err(e) => again(&state, &form, (id, None), "record", e).await,
    }
}

/// `POST /households/{id}/protection/{person}/lift`: lifted, with the reason.
async fn lift(
    State(state): State<AppState>,
    Path((id, person)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let person: PersonId = path_id(&person)?;
    match protection::lift_protection(&form.user.ctx(&state), id, person, form.fields.get("reason")).await {
        Ok(_) => Ok(done(id, "flash.protection.lifted")),
        Err(e) => again(&state, &form, (id, Some(&person.to_string())), "lift", e).await,
    }
}

/// `POST /households/{id}/protection/reveal`: the address, in this answer only, for the purpose
/// stated (audited); else the form with the problem named.
async fn reveal(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    match protection::reveal_address(&form.user.ctx(&state), id, form.fields.get("purpose")).await {
        Ok(revealed) => {
            let mut p = page(&state, &form.user, id).await?;
            p.revealed = Some(revealed);
            let mut response = render(&p)?;
            // The answer holds a protected address: no cache keeps it.
            response.headers_mut().insert(
                axum::http::header::CACHE_CONTROL,
                axum::http::HeaderValue::from_static("no-store"),
            );
            Ok(response)
        }
        Err(e) => again(&state, &form, (id, None), "reveal", e).await,
    }
}
