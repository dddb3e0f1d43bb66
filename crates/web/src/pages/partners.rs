//! The municipality's partner organisations (`/admin/partners`): the administrator registers
//! them and says which partner user works for which. A partner user sees households only on
//! consents to their organisation.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::follow_up::PartnerKind;
use husly_store::accounts::User;
use husly_store::partners::PartnerOrganisation;
use husly_usecases::{UseCaseError, partners};

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm};
use crate::layout::{Layout, Section};
use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/admin/partners", get(view).post(add))
        .route("/admin/partners/members", post(set_member))
}

#[derive(Template)]
#[template(path = "admin_partners.html")]
struct PartnersPage {
    l: Layout,
    organisations: Vec<PartnerOrganisation>,
    partners: Vec<User>,
    active: String,
    typed: FormFields,
    errors: FormErrors,
}

impl PartnersPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    fn typed_or(&self, form: &str, field: &str, default: &str) -> String {
        if self.active == form {
            self.typed.get(field).to_string()
        } else {
            default.to_string()
        }
    }

    fn kinds(&self) -> Vec<(&'static str, String)> {
        PartnerKind::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    /// The organisation a partner user works for, by name.
    fn works_for(&self, user: &User) -> String {
        self.organisations
            .iter()
            .find(|o| o.members.iter().any(|(id, _, _)| *id == user.id))
            .map(|o| o.name.clone())
            .unwrap_or_else(|| self.l.t("partners.no_organisation").to_string())
    }
}

async fn page(state: &AppState, user: &CurrentUser) -> AppResult<PartnersPage> {
    let municipality = user.working_municipality(Action::ManagePartners)?.id;
    let (organisations, partners) = partners::partner_organisations(&user.ctx(state), municipality).await?;
    Ok(PartnersPage {
        l: Layout::for_user(user, Section::Partners, state.config.demo_mode),
        organisations,
        partners,
        active: String::new(),
        typed: FormFields::default(),
        errors: FormErrors::default(),
    })
}

/// `GET /admin/partners`: the organisations, their members, and the forms.
async fn view(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    render(&page(&state, &user).await?)
}

async fn again(state: &AppState, form: &StaffForm, active: &str, error: UseCaseError) -> AppResult<Response> {
    let UseCaseError::Invalid(errors) = error else {
        return Err(error.into());
    };
    let mut p = page(state, &form.user).await?;
    p.active = active.to_string();
    p.typed = form.fields.clone();
    p.errors = FormErrors::of_form(errors, active, p.l.tr.lang);
    let mut response = render(&p)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// `POST /admin/partners`: an organisation registered.
async fn add(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let municipality = form.user.working_municipality(Action::ManagePartners)?.id;
    let (name, kind) = (form.fields.get("name"), form.fields.get("kind"));
    match partners::add_partner_organisation(&form.user.ctx(&state), municipality, name, kind).await {
        Ok(_) => Ok(crate::flash::redirect("/admin/partners", "flash.partners.added")),
        Err(e) => again(&state, &form, "add", e).await,
    }
}

/// `POST /admin/partners/members`: a partner user now works for an organisation (or none).
async fn set_member(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let municipality = form.user.working_municipality(Action::ManagePartners)?.id;
    let (member, organisation) = (form.fields.get("user"), form.fields.get("organisation"));
    match partners::set_partner_membership(&form.user.ctx(&state), municipality, member, organisation).await {
        Ok(()) => Ok(crate::flash::redirect("/admin/partners", "flash.partners.member_set")),
        Err(e) => again(&state, &form, "member", e).await,
    }
}
