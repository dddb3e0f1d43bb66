//! Self-service: a household applies without an account. The application is a draft opened with
//! a link and a code until it is submitted; submitting creates the household and the case
//! together and shows a receipt with the reference.

use super::cases::FormValues;
use super::login::{cookie, secure};
use super::render;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::forms::{FormErrors, FormFields};
use crate::i18n::{self, Tr};
use crate::layout::Layout;
use crate::middleware::RequestId;
use crate::visitor::{VisitorForm, VisitorToken};
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::cases::CaseType;
use husly_domain::household::{HouseholdInput, MemberInput, validate_household};
use husly_domain::validation::{FieldError, format_date};
use husly_store::drafts::Draft;
use serde::Deserialize;
use std::net::SocketAddr;

/// Member rows on the form: the applicant and up to five more.
const ROWS: usize = 6;
const DRAFT_COOKIE: &str = "husly_draft";

fn tr(headers: &HeaderMap) -> Tr {
    Tr::new(i18n::negotiate(headers))
}

// ------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "apply_start.html")]
struct StartPage {
    l: Layout,
    municipalities: Vec<(String, String)>,
    chosen: String,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct StartQuery {
    kommune: Option<String>,
}

pub async fn start(
    State(state): State<AppState>,
    headers: HeaderMap,
    csrf: VisitorToken,
    Query(query): Query<StartQuery>,
) -> AppResult<Response> {
    let municipalities = state
        .store
        .municipalities()
        .await?
        .into_iter()
        .map(|m| (m.number, m.name))
        .collect();
    let page = render(&StartPage {
        l: Layout::visitor(tr(&headers), state.config.demo_mode, &csrf.token),
        municipalities,
        chosen: query.kommune.unwrap_or_default(),
        errors: FormErrors::default(),
    })?;
    Ok((csrf, page).into_response())
}

pub async fn create(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    VisitorForm { fields, token }: VisitorForm,
) -> AppResult<Response> {
    let tr = tr(&headers);
    let number = fields.get("municipality").trim();
    let municipality = state.store.municipality_by_number(number).await?;
    let case_type = CaseType::from_code(fields.get("case_type"));
    let (Some(municipality), Some(case_type)) = (municipality, case_type) else {
        let mut errors = Vec::new();
        if number.is_empty() || state.store.municipality_by_number(number).await?.is_none() {
            errors.push(FieldError::new(
                "municipality",
                "required",
                "error.apply.municipality_required",
            ));
        }
        if case_type.is_none() {
            errors.push(FieldError::new(
                "case_type",
                "required",
                "error.apply.case_type_required",
            ));
        }
        let municipalities = state
            .store
            .municipalities()
            .await?
            .into_iter()
            .map(|m| (m.number, m.name))
            .collect();
        let mut response = render(&StartPage {
            l: Layout::visitor(tr, state.config.demo_mode, &token),
            municipalities,
            chosen: number.to_string(),
            errors: FormErrors::from_fields(&errors, tr.lang),
        })?;
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(response);
    };
    // Only a draft that is created counts against the address; a form with errors does not.
    let address = super::login::client_address(&state, &headers, peer);
    let hour = std::time::Duration::from_secs(3600);
    let per_hour = state.config.apply_drafts_per_hour;
    if let Err(wait) = state.quota.take(&format!("drafts:{address}"), per_hour, hour) {
        return Err(AppError::TooManyRequests(wait));
    }
    let (id, code) = state.store.create_draft(municipality.id, case_type, &request.0).await?;
    let mut response = Redirect::to(&format!("/apply/{id}?new=1")).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie(
            DRAFT_COOKIE,
            &format!("{id}.{code}"),
            Some(husly_store::drafts::DRAFT_DAYS * 24 * 3600),
            secure(&state, &headers),
        ),
    );
    Ok(response)
}

/// The draft the browser's cookie opens, if it is this one.
async fn open(state: &AppState, headers: &HeaderMap, id: &str) -> AppResult<Option<(Draft, String)>> {
    let Some(value) = i18n::cookie(headers, DRAFT_COOKIE) else {
        return Ok(None);
    };
    let Some((cookie_id, code)) = value.split_once('.') else {
        return Ok(None);
    };
    if cookie_id != id {
        return Ok(None);
    }
    match state.store.draft(id, code).await {
        Ok(draft) => Ok(Some((draft, code.to_string()))),
        Err(husly_store::StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------------------------

pub struct MemberRow {
    pub index: usize,
    pub relation: String,
    pub national_id: String,
    pub given_name: String,
    pub family_name: String,
}

#[derive(Template)]
#[template(path = "apply_form.html")]
pub struct DraftPage {
    pub l: Layout,
    pub id: String,
    /// The code, shown once right after the draft is created.
    pub new_code: Option<String>,
    pub case_type: String,
    pub municipality: String,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub phone: String,
    pub email: String,
    pub rows: Vec<MemberRow>,
    pub members: Vec<String>,
    pub v: FormValues,
    pub errors: FormErrors,
    pub saved: bool,
    pub documents: Vec<husly_store::documents::Document>,
    pub max_document_mb: usize,
}

impl DraftPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn relations(&self) -> Vec<(&'static str, &'static str)> {
        husly_domain::household::Relation::ALL
            .iter()
            .filter(|r| **r != husly_domain::household::Relation::MainApplicant)
            .map(|r| (r.code(), super::household::relation_key(*r)))
            .collect()
    }

    fn document_hint(&self) -> String {
        self.l
            .tr
            .f("documents.hint", &[("mb", &self.max_document_mb.to_string())])
    }

    fn contact_fields(&self) -> Vec<(&'static str, &'static str, String)> {
        vec![
            ("address_line", "household.address_line", self.address_line.clone()),
            ("postal_code", "household.postal_code", self.postal_code.clone()),
            ("postal_city", "household.postal_city", self.postal_city.clone()),
            ("phone", "apply.phone", self.phone.clone()),
            ("email", "apply.email", self.email.clone()),
        ]
    }

    fn person_fields(&self, row: &MemberRow) -> Vec<(&'static str, &'static str, String)> {
        vec![
            ("national_id", "person.national_id", row.national_id.clone()),
            ("given_name", "person.given_name", row.given_name.clone()),
            ("family_name", "person.family_name", row.family_name.clone()),
        ]
    }

    fn case_type_key(&self) -> String {
        format!("case_type.{}", self.case_type)
    }

    fn member_field(&self, index: &usize, name: &str) -> String {
        format!("members[{index}].{name}")
    }
}

fn draft_page(state: &AppState, l: Layout, draft: &Draft, municipality: String) -> DraftPage {
    let input = &draft.household;
    let rows: Vec<MemberRow> = (0..ROWS)
        .map(|index| {
            let m = input.members.get(index);
            MemberRow {
                index,
                relation: if index == 0 {
                    "main_applicant".into()
                } else {
                    m.map(|m| m.relation.clone()).unwrap_or_default()
                },
                national_id: m.map(|m| m.national_id.clone()).unwrap_or_default(),
                given_name: m.map(|m| m.given_name.clone()).unwrap_or_default(),
                family_name: m.map(|m| m.family_name.clone()).unwrap_or_default(),
            }
        })
        .collect();
    let members = member_names(&rows);
    let main = input.members.first();
    DraftPage {
        l,
        id: draft.id.clone(),
        new_code: None,
        case_type: draft.case_type.code().into(),
        municipality,
        address_line: input.address_line.clone(),
        postal_code: input.postal_code.clone(),
        postal_city: input.postal_city.clone(),
        phone: main.map(|m| m.phone.clone()).unwrap_or_default(),
        email: main.map(|m| m.email.clone()).unwrap_or_default(),
        rows,
        v: FormValues::of(&draft.form, members.len()),
        members,
        errors: FormErrors::default(),
        saved: false,
        documents: Vec::new(),
        max_document_mb: state.config.max_document_bytes / (1024 * 1024),
    }
}

/// The names the economy rows are labelled with: the filled-in member rows.
fn member_names(rows: &[MemberRow]) -> Vec<String> {
    rows.iter()
        .filter(|r| r.index == 0 || !(r.national_id.trim().is_empty() && r.given_name.trim().is_empty()))
        .map(|r| {
            let name = format!("{} {}", r.given_name.trim(), r.family_name.trim());
            if name.trim().is_empty() {
                format!("Person {}", r.index + 1)
            } else {
                name.trim().to_string()
            }
        })
        .collect()
}

#[derive(Debug, Default, Deserialize)]
pub struct DraftQuery {
    new: Option<String>,
}

#[derive(Template)]
#[template(path = "apply_code.html")]
struct CodePage {
    l: Layout,
    id: String,
    error: bool,
}

async fn municipality_name(state: &AppState, draft: &Draft) -> AppResult<String> {
    Ok(state
        .store
        .municipalities()
        .await?
        .into_iter()
        .find(|m| m.id == draft.municipality_id)
        .map(|m| m.name)
        .unwrap_or_default())
}

pub async fn view(
    State(state): State<AppState>,
    headers: HeaderMap,
    csrf: VisitorToken,
    Path(id): Path<String>,
    Query(query): Query<DraftQuery>,
) -> AppResult<Response> {
    let l = Layout::visitor(tr(&headers), state.config.demo_mode, &csrf.token);
    let Some((draft, code)) = open(&state, &headers, &id).await? else {
        let page = render(&CodePage { l, id, error: false })?;
        return Ok((csrf, page).into_response());
    };
    if draft.submitted_case.is_some() {
        return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
    }
    let mut page = draft_page(&state, l, &draft, municipality_name(&state, &draft).await?);
    page.documents = state
        .store
        .documents(draft.municipality_id, husly_store::documents::Owner::Draft(&draft.id))
        .await?;
    if query.new.is_some() {
        page.new_code = Some(code);
    }
    Ok((csrf, render(&page)?).into_response())
}

pub async fn enter_code(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<String>,
    VisitorForm { fields, token }: VisitorForm,
) -> AppResult<Response> {
    let code = fields.get("code").trim().to_string();
    // A draft's code is guessed no faster than a password: the login throttle, keyed by draft.
    let address = super::login::client_address(&state, &headers, peer);
    let draft_key = format!("draft:{id}");
    if let Err(wait) = state.throttle.check(&draft_key, &address) {
        return Err(AppError::TooManyRequests(wait));
    }
    match state.store.draft(&id, &code).await {
        Ok(_) => {
            state.throttle.record_success(&draft_key, &address);
            let mut response = Redirect::to(&format!("/apply/{id}")).into_response();
            response.headers_mut().append(
                header::SET_COOKIE,
                cookie(
                    DRAFT_COOKIE,
                    &format!("{id}.{}", code.to_ascii_uppercase()),
                    Some(husly_store::drafts::DRAFT_DAYS * 24 * 3600),
                    secure(&state, &headers),
                ),
            );
            Ok(response)
        }
        Err(husly_store::StoreError::NotFound) => {
            state.throttle.record_failure(&draft_key, &address);
            let mut response = render(&CodePage {
                l: Layout::visitor(tr(&headers), state.config.demo_mode, &token),
                id,
                error: true,
            })?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// The household as the form gives it, living at the address from `today`.
fn household_of(fields: &FormFields, today: time::Date) -> (HouseholdInput, Vec<MemberRow>) {
    let rows: Vec<MemberRow> = (0..ROWS)
        .map(|index| {
            let f = |name: &str| fields.get(&format!("members[{index}].{name}")).to_string();
            MemberRow {
                index,
                relation: if index == 0 {
                    "main_applicant".into()
                } else {
                    f("relation")
                },
                national_id: f("national_id"),
                given_name: f("given_name"),
                family_name: f("family_name"),
            }
        })
        .collect();
    let members = rows
        .iter()
        .map(|r| {
            let blank =
                r.national_id.trim().is_empty() && r.given_name.trim().is_empty() && r.family_name.trim().is_empty();
            MemberInput {
                national_id: r.national_id.clone(),
                given_name: r.given_name.clone(),
                family_name: r.family_name.clone(),
                relation: if blank && r.index > 0 {
                    String::new()
                } else {
                    r.relation.clone()
                },
                phone: if r.index == 0 {
                    fields.get("phone").to_string()
                } else {
                    String::new()
                },
                email: if r.index == 0 {
                    fields.get("email").to_string()
                } else {
                    String::new()
                },
                ..Default::default()
            }
        })
        .collect();
    (
        HouseholdInput {
            address_line: fields.get("address_line").to_string(),
            postal_code: fields.get("postal_code").to_string(),
            postal_city: fields.get("postal_city").to_string(),
            from_date: format_date(today),
            to_date: String::new(),
            members,
        },
        rows,
    )
}

pub async fn save(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    Path(id): Path<String>,
    VisitorForm { fields, token }: VisitorForm,
) -> AppResult<Response> {
    let tr = tr(&headers);
    let Some((draft, _)) = open(&state, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    if draft.submitted_case.is_some() {
        return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
    }
    let l = Layout::visitor(tr, state.config.demo_mode, &token);
    let (household, rows) = household_of(&fields, state.clock.today());
    let names = member_names(&rows);
    let values = FormValues::from_post(&fields, names.len())?;
    let mut page = draft_page(&state, l, &draft, municipality_name(&state, &draft).await?);
    page.documents = state
        .store
        .documents(draft.municipality_id, husly_store::documents::Owner::Draft(&draft.id))
        .await?;
    page.address_line = household.address_line.clone();
    page.postal_code = household.postal_code.clone();
    page.postal_city = household.postal_city.clone();
    page.phone = fields.get("phone").to_string();
    page.email = fields.get("email").to_string();
    page.rows = rows;
    page.members = names;
    page.v = values.clone();

    let mut errors = Vec::new();
    let form = match values.to_form() {
        Ok(form) => {
            errors.extend(form.check(page.members.len(), state.clock.today()));
            Some(form)
        }
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let submitting = fields.get("submit") == "submit";
    // Whatever can be kept is kept: a draft stores what was typed even when it is not complete.
    if let Some(form) = &form {
        state.store.save_draft(&draft, &household, form, &request.0).await?;
    }
    if submitting {
        let valid = validate_household(&household, state.config.synthetic_policy(), state.clock.today());
        if let Err(e) = &valid {
            errors.extend(e.iter().cloned());
        }
        if household
            .members
            .first()
            .is_some_and(|m| m.phone.trim().is_empty() && m.email.trim().is_empty())
        {
            errors.push(FieldError::new("phone", "required", "error.apply.contact_required"));
        }
        if let Some(form) = &form {
            errors.extend(form.missing_for_submission(page.members.len()));
        }
        if let (Ok(valid), Some(form), true) = (valid, &form, errors.is_empty()) {
            state
                .store
                .submit_draft(&draft, &valid, &household, form, state.clock.today(), &request.0)
                .await?;
            return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
        }
    }
    if errors.is_empty() {
        page.saved = true;
        return render(&page);
    }
    page.errors = FormErrors::from_fields(&errors, tr.lang);
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

#[derive(Template)]
#[template(path = "apply_receipt.html")]
struct ReceiptPage {
    l: Layout,
    id: String,
    reference: String,
    municipality: String,
    received: String,
    answer_by: String,
    state_key: String,
    /// The letters sent in the case: the applicant reads them here too.
    letters: Vec<husly_store::cases::Letter>,
}

impl ReceiptPage {
    fn letter_key(&self, kind: &str) -> String {
        format!("letter_kind.{kind}")
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }
}

pub async fn receipt(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<String>) -> AppResult<Response> {
    let tr = tr(&headers);
    let Some((draft, _)) = open(&state, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let case_id = draft.submitted_case.ok_or(AppError::NotFound)?;
    let case = state.store.case(draft.municipality_id, case_id).await?;
    let letters = state.store.letters(draft.municipality_id, case_id).await?;
    render(&ReceiptPage {
        l: Layout::anonymous(tr, state.config.demo_mode),
        id,
        reference: case.reference.clone(),
        municipality: municipality_name(&state, &draft).await?,
        received: format_date(case.received_on),
        answer_by: format_date(husly_domain::cases::deadlines::interim_answer_due(case.received_on)),
        state_key: format!("case_state.{}", case.state.code()),
        letters,
    })
}

/// A letter of the applicant's own case, as sent (PDF), opened with the draft's code.
pub async fn letter(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request_id): Extension<RequestId>,
    Path((id, letter)): Path<(String, String)>,
) -> AppResult<Response> {
    let Some((draft, _)) = open(&state, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let case_id = draft.submitted_case.ok_or(AppError::NotFound)?;
    let letter_id = letter.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    let (meta, _, pdf) = state.store.letter(draft.municipality_id, case_id, letter_id).await?;
    state
        .store
        .audit(
            &husly_store::drafts::applicant(&draft.id, &request_id.0),
            husly_store::audit::Event {
                municipality: Some(draft.municipality_id),
                action: "case.letter",
                resource_kind: "case",
                resource_id: case_id.to_string(),
                details: serde_json::json!({ "letter": meta.id, "by": "applicant" }),
            },
        )
        .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{}.pdf\"", meta.kind),
            ),
        ],
        pdf,
    )
        .into_response())
}

/// The applicant attaches a document to the draft; it follows the application when submitted.
/// Whether one more document of `bytes` fits the application's quota (documents and bytes).
fn draft_room(
    config: &crate::WebConfig,
    held: &[husly_store::documents::Document],
    bytes: usize,
) -> Result<(), FieldError> {
    let total: u64 = held.iter().map(|d| u64::try_from(d.size).unwrap_or(0)).sum::<u64>() + bytes as u64;
    if held.len() >= config.apply_documents_per_draft as usize {
        Err(
            FieldError::new("file", "too_many_documents", "error.apply.too_many_documents")
                .arg("max", config.apply_documents_per_draft),
        )
    } else if total > config.apply_bytes_per_draft {
        Err(
            FieldError::new("file", "documents_too_large", "error.apply.documents_too_large")
                .arg("mb", config.apply_bytes_per_draft / (1024 * 1024)),
        )
    } else {
        Ok(())
    }
}

pub async fn upload_document(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request_id): Extension<RequestId>,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> AppResult<Response> {
    let tr = tr(&headers);
    // The token travels inside the multipart body: read it, and check it before the draft is.
    let upload = crate::upload::read_request(request).await?;
    let token = crate::visitor::check(&headers, &upload.csrf)?;
    let Some((draft, _)) = open(&state, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    if draft.submitted_case.is_some() {
        return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
    }
    let held = state
        .store
        .documents(draft.municipality_id, husly_store::documents::Owner::Draft(&draft.id))
        .await?;
    let checked = crate::upload::check(&upload, state.config.max_document_bytes)
        .and_then(|checked| draft_room(&state.config, &held, upload.bytes.len()).map(|()| checked));
    match checked {
        Ok((kind, filename)) => {
            let actor = husly_store::drafts::applicant(&draft.id, &request_id.0);
            state
                .store
                .add_document(
                    draft.municipality_id,
                    husly_store::documents::Owner::Draft(&draft.id),
                    &filename,
                    kind,
                    &upload.bytes,
                    &actor,
                )
                .await?;
            Ok(Redirect::to(&format!("/apply/{id}")).into_response())
        }
        Err(error) => {
            let l = Layout::visitor(tr, state.config.demo_mode, &token);
            let mut page = draft_page(&state, l, &draft, municipality_name(&state, &draft).await?);
            page.documents = state
                .store
                .documents(draft.municipality_id, husly_store::documents::Owner::Draft(&draft.id))
                .await?;
            page.errors = FormErrors::from_fields(&[error], tr.lang);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
    }
}
