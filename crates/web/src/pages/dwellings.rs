//! The dwelling register: the list with its filters, one dwelling with its history and status
//! forms, and the form that registers or changes a dwelling.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use crate::layout::{Layout, Section};
use crate::routing::{Routes, get, post};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::allocation::dwelling::{DwellingInput, DwellingStatus, DwellingType, OwnershipForm};
use husly_domain::authz::{Action, Decision, authorize};
use husly_domain::validation::{FieldError, format_date, format_ore_as_kr};
use husly_store::dwellings::{Dwelling, DwellingEvent, DwellingFilter};
use husly_usecases::UseCaseError;
use husly_usecases::dwellings::{self, FIRST_STATUSES, FirstStatus, StatusInput};
use serde::Deserialize;

/// Dwellings per page of the register.
const PAGE_SIZE: i64 = 50;

pub fn routes() -> Routes {
    Routes::new()
        .route("/dwellings", get(list))
        .route("/dwellings/new", get(new_form).post(create))
        .route("/dwellings/import", get(import_form).post(import))
        .route("/dwellings/{id}", get(view))
        .route("/dwellings/{id}/edit", get(edit_form).post(update))
        .route("/dwellings/{id}/status", post(set_status))
        .route("/dwellings/{id}/delete", post(delete))
        .route("/dwellings/{id}/restore", post(restore))
}

fn may(user: &CurrentUser, action: Action) -> bool {
    user.municipality
        .as_ref()
        .is_some_and(|m| authorize(&user.principal, action, m.id) == Decision::Allow)
}

fn unprocessable(mut response: Response, status: StatusCode) -> AppResult<Response> {
    *response.status_mut() = status;
    Ok(response)
}

/// Words shared by the templates: statuses, types, dates and money.
pub struct Words;

impl Words {
    pub fn status(&self, s: &DwellingStatus) -> String {
        s.key()
    }

    pub fn kind(&self, t: &DwellingType) -> String {
        t.key()
    }

    pub fn ownership(&self, o: &OwnershipForm) -> String {
        o.key()
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn kr(&self, ore: &i64) -> String {
        format_ore_as_kr(*ore)
    }

    pub fn status_class(&self, s: &DwellingStatus) -> &'static str {
        match s {
            DwellingStatus::Vacant => "tag tag--success",
            DwellingStatus::Let => "tag",
            DwellingStatus::UnderRepair | DwellingStatus::Reserved => "tag tag--warning",
            DwellingStatus::Decommissioned => "tag tag--danger",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The register

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default, rename = "type")]
    dwelling_type: String,
    #[serde(default)]
    bedrooms: String,
    #[serde(default)]
    wheelchair: String,
    #[serde(default)]
    deleted: String,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Template)]
#[template(path = "dwellings.html")]
struct ListPage {
    l: Layout,
    w: Words,
    params: ListParams,
    dwellings: Vec<Dwelling>,
    total: i64,
    page: i64,
    counts: Vec<(DwellingStatus, i64)>,
    can_manage: bool,
}

impl ListPage {
    fn statuses(&self) -> Vec<(&'static str, String, bool, i64)> {
        DwellingStatus::ALL
            .iter()
            .map(|s| (s.code(), s.key(), self.params.status == s.code(), self.count(s)))
            .collect()
    }

    fn types(&self) -> Vec<(&'static str, String, bool)> {
        DwellingType::ALL
            .iter()
            .map(|t| (t.code(), t.key(), self.params.dwelling_type == t.code()))
            .collect()
    }

    fn bedroom_choices(&self) -> Vec<(String, bool)> {
        (0..=6)
            .map(|n| (n.to_string(), self.params.bedrooms == n.to_string()))
            .collect()
    }

    fn count(&self, status: &DwellingStatus) -> i64 {
        self.counts.iter().find(|(s, _)| s == status).map_or(0, |(_, n)| *n)
    }

    fn all_count(&self) -> i64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }

    fn href(&self, page: i64) -> String {
        let p = &self.params;
        let pairs = [
            ("q", p.q.as_str()),
            ("status", p.status.as_str()),
            ("type", p.dwelling_type.as_str()),
            ("bedrooms", p.bedrooms.as_str()),
            ("wheelchair", p.wheelchair.as_str()),
            ("deleted", p.deleted.as_str()),
        ];
        let mut query: Vec<String> = pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
                )
            })
            .collect();
        query.push(format!("page={page}"));
        format!("/dwellings?{}", query.join("&"))
    }

    fn more(&self) -> bool {
        self.page * PAGE_SIZE < self.total
    }

    fn first_shown(&self) -> i64 {
        (self.page - 1) * PAGE_SIZE + 1
    }

    fn last_shown(&self) -> i64 {
        ((self.page - 1) * PAGE_SIZE + self.dwellings.len() as i64).max(0)
    }
}

/// `GET /dwellings`: the register, filtered, in address order.
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ListParams>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewDwellings)?.id;
    let page = params.page.unwrap_or(1).clamp(1, 10_000);
    let filter = DwellingFilter {
        status: DwellingStatus::from_code(params.status.trim()),
        dwelling_type: DwellingType::from_code(params.dwelling_type.trim()),
        bedrooms: params.bedrooms.trim().parse().ok(),
        wheelchair_accessible: !params.wheelchair.is_empty(),
        text: Some(params.q.clone()).filter(|q| !q.trim().is_empty()),
        deleted: !params.deleted.is_empty(),
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
    };
    let register = dwellings::register(&user.ctx(&state), municipality, &filter).await?;
    render(&ListPage {
        l: Layout::for_user(&user, Section::Dwellings, state.config.demo_mode),
        w: Words,
        params,
        dwellings: register.page.dwellings,
        total: register.page.total,
        page,
        counts: register.counts,
        can_manage: may(&user, Action::ManageDwellings),
    })
}

// ---------------------------------------------------------------------------------------------
// One dwelling

#[derive(Template)]
#[template(path = "dwelling.html")]
struct DwellingPage {
    l: Layout,
    w: Words,
    dwelling: Dwelling,
    events: Vec<DwellingEvent>,
    can_manage: bool,
    /// The status form as typed, its errors, and whether the page asks to confirm it.
    status_form: StatusForm,
    status_errors: FormErrors,
    confirm: bool,
    delete_errors: FormErrors,
    delete_reason: String,
    conflict: bool,
}

impl DwellingPage {
    fn moves(&self) -> Vec<(&'static str, String, bool)> {
        self.dwelling
            .status
            .manual_moves()
            .iter()
            .map(|s| (s.code(), s.key(), self.status_form.status == s.code()))
            .collect()
    }

    fn yes_no(&self, value: &bool) -> &'static str {
        if *value { "dwelling.yes" } else { "dwelling.no" }
    }

    fn matrikkel(&self) -> String {
        let m = self.dwelling.details.matrikkel;
        [("gnr.", m.gnr), ("bnr.", m.bnr), ("fnr.", m.fnr), ("snr.", m.snr)]
            .iter()
            .filter_map(|(label, n)| n.map(|n| format!("{label} {n}")))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn event_key(&self, e: &DwellingEvent) -> String {
        format!("dwelling.event.{}", e.kind)
    }

    fn when(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn changed(&self, e: &DwellingEvent) -> Vec<String> {
        e.details
            .get("changed")
            .and_then(|c| c.as_object())
            .map(|c| c.keys().map(|k| format!("dwelling.field.{k}")).collect())
            .unwrap_or_default()
    }

    fn status_err(&self, field: &str) -> Option<&str> {
        self.status_errors.get(field)
    }

    fn delete_err(&self, field: &str) -> Option<&str> {
        self.delete_errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

async fn dwelling_page(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<DwellingPage> {
    let view = dwellings::dwelling(&user.ctx(state), id).await?;
    Ok(DwellingPage {
        l: Layout::for_user(user, Section::Dwellings, state.config.demo_mode),
        w: Words,
        dwelling: view.dwelling,
        events: view.events,
        can_manage: may(user, Action::ManageDwellings),
        status_form: StatusForm::default(),
        status_errors: FormErrors::default(),
        confirm: false,
        delete_errors: FormErrors::default(),
        delete_reason: String::new(),
        conflict: false,
    })
}

/// The dwelling page again, saying that someone else changed it first (409).
async fn conflict(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<Response> {
    let mut page = dwelling_page(state, user, id).await?;
    page.conflict = true;
    unprocessable(render(&page)?, StatusCode::CONFLICT)
}

/// `GET /dwellings/{id}`.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    render(&dwelling_page(&state, &user, &id.to_string()).await?)
}

#[derive(Debug, Clone, Default, Deserialize)]
struct StatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    reason: String,
    /// Ticked on the confirmation step of a move that takes the dwelling out of use.
    #[serde(default)]
    confirmed: Option<String>,
}

/// `POST /dwellings/{id}/status`: a move that takes the dwelling out of use is shown once more
/// to be confirmed before it is made.
async fn set_status(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    let id = id.to_string();
    let f: StatusForm = form.bind()?;
    let version = form.version()?;
    let out_of_use = DwellingStatus::from_code(f.status.trim()).is_some_and(DwellingStatus::needs_reason);
    let ctx = form.user.ctx(&state);
    let result = if out_of_use && f.confirmed.is_none() {
        // Check everything but the confirmation first, so the confirmation step shows no error.
        let mut page = dwelling_page(&state, &form.user, &id).await?;
        if page.dwelling.version != version {
            Err(UseCaseError::Conflict)
        } else if f.reason.trim().is_empty() {
            Err(UseCaseError::Invalid(vec![FieldError::required("reason")]))
        } else {
            page.status_form = f;
            page.confirm = true;
            return render(&page);
        }
    } else {
        let input = StatusInput {
            status: &f.status,
            from: &f.from,
            reason: &f.reason,
        };
        dwellings::set_status(&ctx, &id, version, &input).await
    };
    match result {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/dwellings/{id}"),
            "flash.dwelling.status",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = dwelling_page(&state, &form.user, &id).await?;
            page.status_errors = FormErrors::from_fields(&errors, page.l.tr.lang);
            page.status_form = f;
            unprocessable(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(UseCaseError::Conflict) => conflict(&state, &form.user, &id).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Debug, Default, Deserialize)]
struct DeleteForm {
    #[serde(default)]
    reason: String,
}

/// `POST /dwellings/{id}/delete`: takes a dwelling registered by mistake out of the register,
/// with a reason; it can be put back.
async fn delete(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    let id = id.to_string();
    let f: DeleteForm = form.bind()?;
    let version = form.version()?;
    match dwellings::delete_dwelling(&form.user.ctx(&state), &id, version, &f.reason).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/dwellings/{id}"),
            "flash.dwelling.deleted",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = dwelling_page(&state, &form.user, &id).await?;
            page.delete_errors = FormErrors::from_fields(&errors, page.l.tr.lang);
            page.delete_reason = f.reason;
            unprocessable(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(UseCaseError::Conflict) => conflict(&state, &form.user, &id).await,
        Err(e) => Err(e.into()),
    }
}

/// `POST /dwellings/{id}/restore`: undoes a removal.
async fn restore(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    let id = id.to_string();
    let version = form.version()?;
    match dwellings::restore_dwelling(&form.user.ctx(&state), &id, version).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/dwellings/{id}"),
            "flash.dwelling.restored",
        )),
        Err(UseCaseError::Conflict) => conflict(&state, &form.user, &id).await,
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// The register form

/// One input of the dwelling form.
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    pub kind: FieldKind,
    pub value: String,
    /// `inputmode="numeric"` for whole numbers.
    pub numeric: bool,
}

pub enum FieldKind {
    Text,
    Choice(Vec<(&'static str, String)>),
    Check,
}

impl Field {
    fn text(name: &'static str, label: &'static str, value: &str) -> Field {
        Field {
            name,
            label,
            hint: None,
            kind: FieldKind::Text,
            value: value.to_string(),
            numeric: false,
        }
    }

    fn number(name: &'static str, label: &'static str, value: &str) -> Field {
        Field {
            numeric: true,
            ..Field::text(name, label, value)
        }
    }

    fn hint(self, hint: &'static str) -> Field {
        Field {
            hint: Some(hint),
            ..self
        }
    }

    fn check(name: &'static str, label: &'static str, value: &str) -> Field {
        let on = husly_domain::allocation::dwelling::parse_yes_no(value).unwrap_or(false);
        Field {
            kind: FieldKind::Check,
            value: if on { "ja".into() } else { String::new() },
            ..Field::text(name, label, "")
        }
    }

    fn choice(name: &'static str, label: &'static str, value: &str, options: Vec<(&'static str, String)>) -> Field {
        Field {
            kind: FieldKind::Choice(options),
            ..Field::text(name, label, value)
        }
    }

    pub fn is_check(&self) -> bool {
        matches!(self.kind, FieldKind::Check)
    }

    pub fn options(&self) -> &[(&'static str, String)] {
        match &self.kind {
            FieldKind::Choice(options) => options,
            _ => &[],
        }
    }

    pub fn is_choice(&self) -> bool {
        matches!(self.kind, FieldKind::Choice(_))
    }
}

/// The form's fields in groups (legend key, fields).
fn field_groups(d: &DwellingInput) -> Vec<(&'static str, Vec<Field>)> {
    let types = DwellingType::ALL.iter().map(|t| (t.code(), t.key())).collect();
    let ownerships = OwnershipForm::ALL.iter().map(|o| (o.code(), o.key())).collect();
    vec![
        (
            "dwelling.group.address",
            vec![
                Field::text("address_line", "dwelling.field.address_line", &d.address_line),
                Field::number("postal_code", "dwelling.field.postal_code", &d.postal_code),
                Field::text("postal_city", "dwelling.field.postal_city", &d.postal_city).hint("form.postal_city_hint"),
                Field::text("district", "dwelling.field.district", &d.district).hint("dwelling.hint.district"),
                Field::text("unit_number", "dwelling.field.unit_number", &d.unit_number)
                    .hint("dwelling.hint.unit_number"),
            ],
        ),
        (
            "dwelling.group.matrikkel",
            vec![
                Field::number("gnr", "dwelling.field.gnr", &d.gnr),
                Field::number("bnr", "dwelling.field.bnr", &d.bnr),
                Field::number("fnr", "dwelling.field.fnr", &d.fnr),
                Field::number("snr", "dwelling.field.snr", &d.snr),
            ],
        ),
        (
            "dwelling.group.dwelling",
            vec![
                Field::choice("dwelling_type", "dwelling.field.dwelling_type", &d.dwelling_type, types),
                Field::choice("ownership", "dwelling.field.ownership", &d.ownership, ownerships),
                Field::number("bedrooms", "dwelling.field.bedrooms", &d.bedrooms).hint("dwelling.hint.bedrooms"),
                Field::number("area_m2", "dwelling.field.area_m2", &d.area_m2),
                Field::number("floor", "dwelling.field.floor", &d.floor).hint("dwelling.hint.floor"),
                Field::number("monthly_rent_kr", "dwelling.field.monthly_rent_kr", &d.monthly_rent_kr),
                Field::text("external_id", "dwelling.field.external_id", &d.external_id)
                    .hint("dwelling.hint.external_id"),
            ],
        ),
        (
            "dwelling.group.accessibility",
            vec![
                Field::check("lift", "dwelling.field.lift", &d.lift),
                Field::check(
                    "wheelchair_accessible",
                    "dwelling.field.wheelchair_accessible",
                    &d.wheelchair_accessible,
                ),
                Field::check("adapted", "dwelling.field.adapted", &d.adapted),
                Field::check("pets_allowed", "dwelling.field.pets_allowed", &d.pets_allowed),
            ],
        ),
    ]
}

#[derive(Template)]
#[template(path = "dwelling_form.html")]
struct FormPage {
    l: Layout,
    action: String,
    cancel_href: String,
    /// A new dwelling (with its first status) or a change of one (at `version`).
    version: Option<i64>,
    groups: Vec<(&'static str, Vec<Field>)>,
    first: FirstStatusForm,
    errors: FormErrors,
    conflict: bool,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn first_statuses(&self) -> Vec<(&'static str, String, bool)> {
        FIRST_STATUSES
            .iter()
            .map(|s| {
                let chosen =
                    self.first.status == s.code() || (self.first.status.is_empty() && *s == DwellingStatus::Vacant);
                (s.code(), s.key(), chosen)
            })
            .collect()
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
struct FirstStatusForm {
    #[serde(default)]
    status: String,
    #[serde(default)]
    status_from: String,
}

fn form_page(
    user: &CurrentUser,
    state: &AppState,
    input: &DwellingInput,
    version: Option<i64>,
    id: Option<&str>,
) -> FormPage {
    FormPage {
        l: Layout::for_user(user, Section::Dwellings, state.config.demo_mode),
        action: id.map_or("/dwellings/new".into(), |id| format!("/dwellings/{id}/edit")),
        cancel_href: id.map_or("/dwellings".into(), |id| format!("/dwellings/{id}")),
        version,
        groups: field_groups(input),
        first: FirstStatusForm::default(),
        errors: FormErrors::default(),
        conflict: false,
    }
}

fn refused(mut page: FormPage, errors: &[FieldError]) -> AppResult<Response> {
    page.errors = FormErrors::from_fields(errors, page.l.tr.lang);
    unprocessable(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
}

/// `GET /dwellings/new`.
async fn new_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.working_municipality(Action::ManageDwellings)?;
    let blank = DwellingInput {
        dwelling_type: DwellingType::OrdinaryRental.code().into(),
        ownership: OwnershipForm::Municipal.code().into(),
        ..DwellingInput::default()
    };
    render(&form_page(&user, &state, &blank, None, None))
}

/// `POST /dwellings/new`.
async fn create(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let municipality = form.user.working_municipality(Action::ManageDwellings)?.id;
    let input: DwellingInput = form.bind()?;
    let first: FirstStatusForm = form.bind()?;
    let status = FirstStatus {
        status: &first.status,
        from: &first.status_from,
    };
    match dwellings::register_dwelling(&form.user.ctx(&state), municipality, &input, &status).await {
        Ok(id) => Ok(crate::flash::redirect(
            &format!("/dwellings/{id}"),
            "flash.dwelling.registered",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = form_page(&form.user, &state, &input, None, None);
            page.first = first;
            refused(page, &errors)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /dwellings/{id}/edit`.
async fn edit_form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    let kept = dwellings::dwelling_to_edit(&user.ctx(&state), &id.to_string()).await?;
    render(&form_page(
        &user,
        &state,
        &kept.details.to_input(),
        Some(kept.version),
        Some(&kept.id),
    ))
}

/// `POST /dwellings/{id}/edit`.
async fn update(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    let id = id.to_string();
    let input: DwellingInput = form.bind()?;
    let version = form.version()?;
    match dwellings::update_dwelling(&form.user.ctx(&state), &id, version, &input).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/dwellings/{id}"),
            "flash.dwelling.saved",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            refused(form_page(&form.user, &state, &input, Some(version), Some(&id)), &errors)
        }
        Err(UseCaseError::Conflict) => {
            let mut page = form_page(&form.user, &state, &input, Some(version), Some(&id));
            page.conflict = true;
            unprocessable(render(&page)?, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// Import from a file

#[derive(Template)]
#[template(path = "dwellings_import.html")]
struct ImportPage {
    l: Layout,
    /// Each problem as a place in the file and what is wrong there.
    problems: Vec<(String, String)>,
}

/// `GET /dwellings/import`.
async fn import_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.working_municipality(Action::ManageDwellings)?;
    render(&ImportPage {
        l: Layout::for_user(&user, Section::Dwellings, state.config.demo_mode),
        problems: Vec::new(),
    })
}

/// `POST /dwellings/import`: a CSV or XLSX file; all rows or none.
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    request: axum::extract::Request,
) -> AppResult<Response> {
    // Who may import is settled before the body is read.
    let municipality = user.working_municipality(Action::ManageDwellings)?.id;
    let upload = crate::upload::read_request(request).await?;
    user.check_csrf(&upload.csrf)?;
    match dwellings::import_dwellings(&user.ctx(&state), municipality, &upload.filename, &upload.bytes).await {
        Ok(counts) => {
            let l = Layout::for_user(&user, Section::Dwellings, state.config.demo_mode);
            let text = l.tr.f(
                "dwellings.import.done",
                &[
                    ("created", &counts.created.to_string()),
                    ("updated", &counts.updated.to_string()),
                    ("unchanged", &counts.unchanged.to_string()),
                ],
            );
            render(&ImportDone { l, text })
        }
        Err(UseCaseError::Invalid(errors)) => {
            let l = Layout::for_user(&user, Section::Dwellings, state.config.demo_mode);
            let problems = crate::import_report::problems(&errors, "dwelling.field.", &l.tr);
            unprocessable(render(&ImportPage { l, problems })?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "dwellings_import_done.html")]
struct ImportDone {
    l: Layout,
    text: String,
}
