//! Administration: users and roles in the admin's municipality, and API tokens.
//!
//! An administrator manages the users who hold a role in the municipality they work in; a user
//! without a role there is "not found" to them. New passwords and tokens are shown once.

use super::{path_id, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::layout::{Layout, SecretPage, Section};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::authz::{Action, Role};
use husly_domain::{MunicipalityId, UserId};
use husly_store::accounts::{ApiToken, User};
use husly_store::municipalities::Municipality;
use husly_usecases::{UseCaseError, accounts};

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role.admin",
        Role::Caseworker => "role.caseworker",
        Role::Approver => "role.approver",
        Role::FollowUpWorker => "role.follow_up_worker",
        Role::HousingManager => "role.housing_manager",
        Role::Leader => "role.leader",
        Role::Partner => "role.partner",
        Role::ProtectedAddresses => "role.protected_addresses",
    }
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    l: Layout,
    municipality: Municipality,
    users: Vec<User>,
}

impl UsersPage {
    fn roles(&self, user: &User) -> String {
        user.roles
            .get(&self.municipality.id)
            .map(|roles| {
                roles
                    .iter()
                    .map(|r| self.l.tr.t(role_key(*r)))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .unwrap_or_default()
    }
}

pub async fn users(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ManageUsers)?.clone();
    let users = accounts::users(&user.ctx(&state), municipality.id).await?;
    render(&UsersPage {
        l: Layout::for_user(&user, Section::Users, state.config.demo_mode),
        municipality,
        users,
    })
}

#[derive(Template)]
#[template(path = "admin_user_new.html")]
struct NewUserPage {
    l: Layout,
    email: String,
    display_name: String,
    selected: Vec<Role>,
    errors: FormErrors,
}

impl NewUserPage {
    fn roles(&self) -> Vec<(&'static str, &'static str, bool)> {
        Role::ALL
            .iter()
            .map(|r| (r.code(), role_key(*r), self.selected.contains(r)))
            .collect()
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

pub async fn new_user_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.working_municipality(Action::ManageUsers)?;
    render(&NewUserPage {
        l: Layout::for_user(&user, Section::Users, state.config.demo_mode),
        email: String::new(),
        display_name: String::new(),
        selected: vec![Role::Caseworker],
        errors: FormErrors::default(),
    })
}

/// The new-user and roles forms as typed: one `role` field per ticked role.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct UserFields {
    email: String,
    display_name: String,
    #[serde(rename = "role")]
    roles: Vec<String>,
}

impl UserFields {
    fn roles(&self) -> Vec<Role> {
        self.roles.iter().filter_map(|code| Role::from_code(code)).collect()
    }
}

pub async fn create_user(State(state): State<AppState>, staff: StaffForm) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let municipality = user.working_municipality(Action::ManageUsers)?.clone();
    let typed: UserFields = form.bind()?;
    let (email, display_name) = (typed.email.trim(), typed.display_name.trim());
    let roles = typed.roles();
    let new = accounts::NewUser {
        email,
        display_name,
        roles: &roles,
    };
    let (id, password) = match accounts::create_user(&user.ctx(&state), municipality.id, new).await {
        Ok(created) => created,
        Err(UseCaseError::Invalid(errors)) => {
            let page = NewUserPage {
                l: Layout::for_user(user, Section::Users, state.config.demo_mode),
                email: email.to_string(),
                display_name: display_name.to_string(),
                selected: roles,
                errors: FormErrors::from_fields(&errors, user.tr.lang),
            };
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
        Err(e) => return Err(e.into()),
    };
    render(&SecretPage {
        l: Layout::for_user(user, Section::Users, state.config.demo_mode),
        title: user.tr.t("admin.user_created").to_string(),
        explanation: user.tr.f("admin.password_once", &[("email", email)]),
        secret: password,
        back_href: format!("/admin/users/{id}"),
    })
}

/// The municipality the administrator works in and the user named by the path.
fn target(user: &CurrentUser, raw_id: &str) -> AppResult<(MunicipalityId, UserId)> {
    let municipality = user.working_municipality(Action::ManageUsers)?.id;
    Ok((municipality, path_id(raw_id)?))
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    l: Layout,
    target: User,
    held: Vec<Role>,
    tokens: Vec<ApiToken>,
    /// Deactivating was asked for without the confirmation.
    confirm_error: Option<String>,
}

impl UserPage {
    fn roles(&self) -> Vec<(&'static str, &'static str, bool)> {
        Role::ALL
            .iter()
            .map(|r| (r.code(), role_key(*r), self.held.contains(r)))
            .collect()
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }
}

pub async fn user(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    render(&user_page(&state, &user, &id, None).await?)
}

async fn user_page(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    confirm_error: Option<String>,
) -> AppResult<UserPage> {
    let (municipality, id) = target(user, id)?;
    let (target, tokens) = accounts::managed_user(&user.ctx(state), municipality, id).await?;
    let held = target.roles.get(&municipality).cloned().unwrap_or_default();
    Ok(UserPage {
        l: Layout::for_user(user, Section::Users, state.config.demo_mode),
        target,
        held,
        tokens,
        confirm_error,
    })
}

pub async fn set_roles(State(state): State<AppState>, Path(id): Path<String>, staff: StaffForm) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (municipality, id) = target(user, &id)?;
    accounts::set_roles(&user.ctx(&state), municipality, id, &form.bind::<UserFields>()?.roles()).await?;
    Ok(crate::flash::redirect(
        &format!("/admin/users/{id}"),
        "flash.admin.roles_saved",
    ))
}

pub async fn set_status(
    State(state): State<AppState>,
    Path(raw_id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (municipality, id) = target(user, &raw_id)?;
    let disable = form.get("disabled") == "true";
    if disable && form.get("confirmed") != "yes" && id != user.user.id {
        // Deactivating signs the user out everywhere and stops their API keys: never one click.
        let error = user.tr.t("admin.disable_unconfirmed").to_string();
        let mut response = render(&user_page(&state, user, &raw_id, Some(error)).await?)?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    accounts::set_disabled(&user.ctx(&state), municipality, id, disable).await?;
    let done = if disable {
        "flash.admin.disabled"
    } else {
        "flash.admin.enabled"
    };
    Ok(crate::flash::redirect(&format!("/admin/users/{id}"), done))
}

pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let user = &staff.user;
    let (municipality, id) = target(user, &id)?;
    let (target, password) = accounts::reset_password(&user.ctx(&state), municipality, id).await?;
    render(&SecretPage {
        l: Layout::for_user(user, Section::Users, state.config.demo_mode),
        title: user.tr.t("admin.password_reset").to_string(),
        explanation: user.tr.f("admin.password_once", &[("email", &target.email)]),
        secret: password,
        back_href: format!("/admin/users/{}", target.id),
    })
}

pub async fn create_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (municipality, id) = target(user, &id)?;
    let secret = accounts::create_token(&user.ctx(&state), municipality, id, form.get("name")).await?;
    render(&SecretPage {
        l: Layout::for_user(user, Section::Users, state.config.demo_mode),
        title: user.tr.t("admin.token_created").to_string(),
        explanation: user.tr.t("admin.token_once").to_string(),
        secret,
        back_href: format!("/admin/users/{id}"),
    })
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let municipality = user.working_municipality(Action::ManageTokens)?.id;
    let owner: UserId = path_id(form.get("user"))?;
    accounts::revoke_token(&user.ctx(&state), municipality, owner, &id).await?;
    Ok(Redirect::to(&format!("/admin/users/{owner}")).into_response())
}
