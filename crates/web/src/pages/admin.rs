//! Administration: users and roles in the admin's municipality, API tokens, and the audit log.
//!
//! An administrator manages the users who hold a role in the municipality they work in; a user
//! without a role there is "not found" to them. New passwords and tokens are shown once.

use super::{path_id, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::{FormErrors, FormFields, StaffForm};
use crate::layout::{Layout, SecretPage, Section};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::UserId;
use husly_domain::authz::{Action, Role};
use husly_domain::message::Message;
use husly_domain::validation::FieldError;
use husly_store::accounts::{ApiToken, User};
use husly_store::audit::{AuditEntry, AuditFilter};
use husly_store::municipalities::Municipality;

pub fn role_key(role: Role) -> &'static str {
    match role {
        Role::Admin => "role.admin",
        Role::Caseworker => "role.caseworker",
        Role::Approver => "role.approver",
        Role::FollowUpWorker => "role.follow_up_worker",
        Role::HousingManager => "role.housing_manager",
        Role::Leader => "role.leader",
        Role::Partner => "role.partner",
    }
}

/// A readable one-time password: 24 letters and digits without look-alikes, in groups of four.
fn generated_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 24];
    rand::fill(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
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
    let users = state.store.users(Some(municipality.id)).await?;
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

fn roles_from(form: &FormFields) -> Vec<Role> {
    form.all("role").filter_map(Role::from_code).collect()
}

pub async fn create_user(State(state): State<AppState>, staff: StaffForm) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let municipality = user.working_municipality(Action::ManageUsers)?.clone();
    let email = form.get("email").trim().to_string();
    let display_name = form.get("display_name").trim().to_string();
    let roles = roles_from(form);
    let mut errors = Vec::new();
    if !email.contains('@') || email.len() > 200 {
        errors.push(FieldError::new("email", "email.invalid", "error.admin.email"));
    }
    if display_name.is_empty() || display_name.chars().count() > 200 {
        errors.push(FieldError::required("display_name"));
    }
    if roles.is_empty() {
        errors.push(FieldError::new("role", "roles.empty", "error.admin.no_roles"));
    }
    let password = generated_password();
    let mut created = None;
    if errors.is_empty() {
        let actor = user.actor(Some(municipality.id), "administration");
        match state.store.create_user(&email, &display_name, &password, &actor).await {
            Ok(id) => {
                state.store.set_roles(id, municipality.id, &roles, &actor).await?;
                created = Some(id);
            }
            Err(husly_store::StoreError::Duplicate(_)) => {
                errors.push(FieldError::new("email", "email.taken", "error.admin.email_taken"))
            }
            Err(e) => return Err(e.into()),
        }
    }
    let Some(id) = created else {
        let lang = user.tr.lang;
        let page = NewUserPage {
            l: Layout::for_user(user, Section::Users, state.config.demo_mode),
            email,
            display_name,
            selected: roles,
            errors: FormErrors::from_fields(&errors, lang),
        };
        let mut response = render(&page)?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };
    render(&SecretPage {
        l: Layout::for_user(user, Section::Users, state.config.demo_mode),
        title: user.tr.t("admin.user_created").to_string(),
        explanation: user.tr.f("admin.password_once", &[("email", &email)]),
        secret: password,
        back_href: format!("/admin/users/{id}"),
    })
}

/// The target user, if they hold a role in the admin's municipality.
async fn managed_user(state: &AppState, user: &CurrentUser, raw_id: &str) -> AppResult<(Municipality, User)> {
    let municipality = user.working_municipality(Action::ManageUsers)?.clone();
    let id: UserId = path_id(raw_id)?;
    let target = state.store.user(id).await?;
    if !target.roles.contains_key(&municipality.id) {
        return Err(AppError::NotFound);
    }
    Ok((municipality, target))
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
    let (municipality, target) = managed_user(state, user, id).await?;
    let held = target.roles.get(&municipality.id).cloned().unwrap_or_default();
    let tokens = state.store.tokens(&[target.id]).await?;
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
    let (municipality, target) = managed_user(&state, user, &id).await?;
    let roles = roles_from(form);
    if target.id == user.user.id && !roles.contains(&Role::Admin) {
        // Removing one's own admin role locks the office out of its user administration.
        return Err(AppError::BadRequest(Message::new("admin.keep_own_admin")));
    }
    let actor = user.actor(Some(municipality.id), "administration");
    state
        .store
        .set_roles(target.id, municipality.id, &roles, &actor)
        .await?;
    Ok(crate::flash::redirect(
        &format!("/admin/users/{}", target.id),
        "flash.admin.roles_saved",
    ))
}

pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (municipality, target) = managed_user(&state, user, &id).await?;
    let disable = form.get("disabled") == "true";
    if disable && target.id == user.user.id {
        return Err(AppError::BadRequest(Message::new("admin.keep_own_admin")));
    }
    if disable && form.get("confirmed") != "yes" {
        // Deactivating signs the user out everywhere and stops their API keys: never one click.
        let error = user.tr.t("admin.disable_unconfirmed").to_string();
        let mut response = render(&user_page(&state, user, &id, Some(error)).await?)?;
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    }
    let actor = user.actor(Some(municipality.id), "administration");
    state
        .store
        .set_user_disabled(target.id, disable, Some(municipality.id), &actor)
        .await?;
    let done = if disable {
        "flash.admin.disabled"
    } else {
        "flash.admin.enabled"
    };
    Ok(crate::flash::redirect(&format!("/admin/users/{}", target.id), done))
}

pub async fn reset_password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let user = &staff.user;
    let (municipality, target) = managed_user(&state, user, &id).await?;
    let password = generated_password();
    let actor = user.actor(Some(municipality.id), "administration");
    state
        .store
        .set_password(target.id, &password, Some(municipality.id), &actor)
        .await?;
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
    let (municipality, target) = managed_user(&state, user, &id).await?;
    user.require(Action::ManageTokens, municipality.id)?;
    let name = form.get("name").trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::BadRequest(Message::new("admin.token_name_required")));
    }
    let actor = user.actor(Some(municipality.id), "administration");
    let (_, secret) = state.store.create_token(target.id, name, None, &actor).await?;
    render(&SecretPage {
        l: Layout::for_user(user, Section::Users, state.config.demo_mode),
        title: user.tr.t("admin.token_created").to_string(),
        explanation: user.tr.t("admin.token_once").to_string(),
        secret,
        back_href: format!("/admin/users/{}", target.id),
    })
}

pub async fn revoke_token(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let municipality = user.working_municipality(Action::ManageTokens)?.clone();
    let owner = form.get("user");
    let (_, target) = managed_user(&state, user, owner).await?;
    let tokens = state.store.tokens(&[target.id]).await?;
    if !tokens.iter().any(|t| t.id == id) {
        return Err(AppError::NotFound);
    }
    let actor = user.actor(Some(municipality.id), "administration");
    state.store.revoke_token(&id, &actor).await?;
    Ok(Redirect::to(&format!("/admin/users/{}", target.id)).into_response())
}

#[derive(Debug, Default, serde::Deserialize)]
pub struct AuditParams {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    resource: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    page: u32,
}

pub const AUDIT_PAGE_SIZE: i64 = 100;

/// Every action the access log records, in the order the filter offers them; each has a label
/// `audit.action.<code>`.
pub(crate) const AUDIT_ACTIONS: &[&str] = &[
    "person.search",
    "person.view",
    "household.view",
    "household.timeline",
    "household.create",
    "household.update",
    "user.create",
    "user.grant_role",
    "user.set_roles",
    "user.disable",
    "user.enable",
    "user.reset_password",
    "token.create",
    "token.revoke",
    "municipality.create",
    "seed.households",
    "installation.export",
    "case.queue",
    "case.view",
    "case.timeline",
    "case.change",
    "case.letter",
    "case.letter_preview",
    "case.document",
    "case.documents",
    "case.case_file",
    "document.add",
    "draft.create",
    "draft.save",
    "draft.expired_deleted",
    "grant_budget.set",
    "grant_ledger.post",
    "grant_ledger.view",
    "household.benefit",
    "household.incomes",
    "outreach.bostotte",
    "auth.lockout",
];

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    l: Layout,
    params: AuditParams,
    entries: Vec<AuditEntry>,
    users: Vec<User>,
    errors: FormErrors,
    previous: Option<String>,
    next: Option<String>,
}

impl AuditPage {
    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn who(&self, actor: &str) -> String {
        self.users
            .iter()
            .find(|u| u.id.to_string() == actor)
            .map_or_else(|| actor.to_string(), |u| u.email.clone())
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    /// A translated label for a stable code, or the code itself when there is none.
    fn label(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        match self.l.tr.t(&key) {
            text if text == key => code.to_string(),
            text => text.to_string(),
        }
    }

    fn roles(&self, codes: &str) -> String {
        codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| Role::from_code(c).map_or_else(|| c.to_string(), |r| self.l.tr.t(role_key(r)).to_string()))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The actions the filter offers, with their labels.
    fn actions(&self) -> Vec<(&'static str, String)> {
        AUDIT_ACTIONS
            .iter()
            .map(|code| (*code, self.label("audit.action", code)))
            .collect()
    }

    /// The random tail of a request id: enough to find it in the server's logs.
    fn short(&self, id: &str) -> String {
        id.rsplit('-').next().unwrap_or(id).to_string()
    }
}

/// Turns the filter form into a store filter; dates are whole days in Norwegian time.
fn audit_filter(params: &AuditParams, errors: &mut husly_domain::validation::Errors, users: &[User]) -> AuditFilter {
    let day_start = |date: time::Date| husly_store::micros_of(husly_domain::oslo::start_of_day(date));
    let from = errors.optional_date("from", &params.from).map(day_start);
    let to = errors
        .optional_date("to", &params.to)
        .map(|d| day_start(d.next_day().unwrap_or(d)));
    let actor = match params.actor.trim() {
        "" => None,
        wanted => Some(
            users
                .iter()
                .find(|u| u.email == wanted.to_lowercase())
                .map_or_else(|| wanted.to_string(), |u| u.id.to_string()),
        ),
    };
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    AuditFilter {
        actor,
        action: nonempty(&params.action),
        resource_id: nonempty(&params.resource),
        from_micros: from,
        to_micros: to,
        limit: AUDIT_PAGE_SIZE + 1,
        offset: i64::from(params.page) * AUDIT_PAGE_SIZE,
    }
}

fn page_link(params: &AuditParams, page: u32) -> String {
    let q = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!(
        "/admin/audit?actor={}&action={}&resource={}&from={}&to={}&page={page}",
        q(&params.actor),
        q(&params.action),
        q(&params.resource),
        q(&params.from),
        q(&params.to)
    )
}

pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AuditParams>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ReadAudit)?.clone();
    let users = state.store.users(Some(municipality.id)).await?;
    let mut errors = husly_domain::validation::Errors::default();
    let filter = audit_filter(&params, &mut errors, &users);
    let mut entries = if errors.is_empty() {
        state.store.audit_entries(municipality.id, &filter).await?
    } else {
        Vec::new()
    };
    let has_more = entries.len() as i64 > AUDIT_PAGE_SIZE;
    entries.truncate(AUDIT_PAGE_SIZE as usize);
    let previous = (params.page > 0).then(|| page_link(&params, params.page - 1));
    let next = has_more.then(|| page_link(&params, params.page + 1));
    render(&AuditPage {
        l: Layout::for_user(&user, Section::Audit, state.config.demo_mode),
        errors: FormErrors::from_fields(&errors.0, user.tr.lang),
        params,
        entries,
        users,
        previous,
        next,
    })
}
