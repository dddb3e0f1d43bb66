//! Self-service: a household applies without an account. The application is a draft opened with
//! a link and a code until it is submitted; submitting creates the household and the case
//! together and shows a receipt with the reference.

use super::cases::FormValues;
use super::login::{cookie, secure};
use super::render;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::i18n::{self, Tr};
use crate::layout::Layout;
use crate::middleware::RequestId;
use crate::visitor::{VisitorForm, VisitorToken};
use askama::Template;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::household::{HouseholdInput, MemberInput};
use husly_domain::validation::format_date;
use husly_store::drafts::Draft;
use husly_usecases::UseCaseError;
use husly_usecases::applicant_position::Position;
use husly_usecases::self_service::{Applicant, DraftLimits, Saved};
use serde::Deserialize;
use std::net::SocketAddr;

/// Member rows on the form: the applicant and up to five more.
const ROWS: usize = 6;
const DRAFT_COOKIE: &str = "husly_draft";

pub(super) fn tr(headers: &HeaderMap) -> Tr {
    Tr::new(i18n::negotiate(headers))
}

/// The applicant of a draft, for this request.
pub(super) fn applicant(state: &AppState, request_id: &str) -> Applicant {
    Applicant {
        store: state.store.clone(),
        request_id: request_id.to_string(),
        today: state.clock.today(),
    }
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
    Extension(request): Extension<RequestId>,
    csrf: VisitorToken,
    Query(query): Query<StartQuery>,
) -> AppResult<Response> {
    let municipalities = applicant(&state, &request.0).municipalities().await?;
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
    let applicant = applicant(&state, &request.0);
    let chosen = match applicant.choose(number, fields.get("case_type")).await {
        Ok(chosen) => chosen,
        Err(UseCaseError::Invalid(errors)) => {
            let mut response = render(&StartPage {
                l: Layout::visitor(tr, state.config.demo_mode, &token),
                municipalities: applicant.municipalities().await?,
                chosen: number.to_string(),
                errors: FormErrors::from_fields(&errors, tr.lang),
            })?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
        Err(e) => return Err(e.into()),
    };
    // Only a draft that is started counts against the address; a form with errors does not.
    let address = super::login::client_address(&state, &headers, peer);
    let hour = std::time::Duration::from_secs(3600);
    let per_hour = state.config.apply_drafts_per_hour;
    if let Err(wait) = state.quota.take(&format!("drafts:{address}"), per_hour, hour) {
        return Err(AppError::TooManyRequests(wait));
    }
    let (id, code) = applicant.start(chosen).await?;
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
pub(super) async fn open(applicant: &Applicant, headers: &HeaderMap, id: &str) -> AppResult<Option<(Draft, String)>> {
    let Some(value) = i18n::cookie(headers, DRAFT_COOKIE) else {
        return Ok(None);
    };
    let Some((cookie_id, code)) = value.split_once('.') else {
        return Ok(None);
    };
    if cookie_id != id {
        return Ok(None);
    }
    match applicant.open(id, code).await {
        Ok(draft) => Ok(Some((draft, code.to_string()))),
        Err(UseCaseError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

// ------------------------------------------------------------------------------------------

/// One member row of the application form, as typed (`members[i].…`).
#[derive(Default, Deserialize)]
#[serde(default)]
pub struct MemberRow {
    #[serde(skip)]
    pub index: usize,
    pub relation: String,
    pub national_id: String,
    pub given_name: String,
    pub family_name: String,
}

/// The household part of the application form, as typed; the answers are [`FormValues`].
#[derive(Default, Deserialize)]
#[serde(default)]
struct HouseholdFields {
    address_line: String,
    postal_code: String,
    postal_city: String,
    /// The main applicant's contact details.
    phone: String,
    email: String,
    members: Vec<MemberRow>,
    /// `submit` when the applicant sends the application, otherwise the draft is kept.
    submit: String,
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

/// The draft's page with what is stored: its municipality's name and its documents.
async fn stored_page(applicant: &Applicant, state: &AppState, l: Layout, draft: &Draft) -> AppResult<DraftPage> {
    let mut page = draft_page(state, l, draft, applicant.municipality_name(draft).await?);
    page.documents = applicant.documents(draft).await?;
    Ok(page)
}

pub async fn view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    csrf: VisitorToken,
    Path(id): Path<String>,
    Query(query): Query<DraftQuery>,
) -> AppResult<Response> {
    let l = Layout::visitor(tr(&headers), state.config.demo_mode, &csrf.token);
    let applicant = applicant(&state, &request.0);
    let Some((draft, code)) = open(&applicant, &headers, &id).await? else {
        let page = render(&CodePage { l, id, error: false })?;
        return Ok((csrf, page).into_response());
    };
    if draft.submitted_case.is_some() {
        return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
    }
    let mut page = stored_page(&applicant, &state, l, &draft).await?;
    if query.new.is_some() {
        page.new_code = Some(code);
    }
    Ok((csrf, render(&page)?).into_response())
}

pub async fn enter_code(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
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
    match applicant(&state, &request.0).open(&id, &code).await {
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
        Err(UseCaseError::NotFound) => {
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

/// The household as the form gives it, living at the address from `today`. The first row is the
/// main applicant, whatever was posted; a later row left blank has no relation either.
fn household_of(typed: &mut HouseholdFields, today: time::Date) -> (HouseholdInput, Vec<MemberRow>) {
    let mut rows = std::mem::take(&mut typed.members);
    rows.resize_with(ROWS, MemberRow::default);
    for (index, row) in rows.iter_mut().enumerate() {
        row.index = index;
    }
    rows[0].relation = "main_applicant".into();
    let members = rows
        .iter()
        .map(|r| {
            let blank =
                r.national_id.trim().is_empty() && r.given_name.trim().is_empty() && r.family_name.trim().is_empty();
            let main = r.index == 0;
            MemberInput {
                national_id: r.national_id.clone(),
                given_name: r.given_name.clone(),
                family_name: r.family_name.clone(),
                relation: if blank && !main {
                    String::new()
                } else {
                    r.relation.clone()
                },
                phone: if main { typed.phone.clone() } else { String::new() },
                email: if main { typed.email.clone() } else { String::new() },
                ..Default::default()
            }
        })
        .collect();
    (
        HouseholdInput {
            address_line: typed.address_line.clone(),
            postal_code: typed.postal_code.clone(),
            postal_city: typed.postal_city.clone(),
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
    let applicant = applicant(&state, &request.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    if draft.submitted_case.is_some() {
        return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
    }
    let l = Layout::visitor(tr, state.config.demo_mode, &token);
    let mut typed: HouseholdFields = fields.bind()?;
    let (household, rows) = household_of(&mut typed, state.clock.today());
    let names = member_names(&rows);
    let values = FormValues::from_post(&fields, Some(names.len()))?;
    let mut page = stored_page(&applicant, &state, l, &draft).await?;
    page.address_line = household.address_line.clone();
    page.postal_code = household.postal_code.clone();
    page.postal_city = household.postal_city.clone();
    page.phone = typed.phone;
    page.email = typed.email;
    page.rows = rows;
    page.members = names;
    page.v = values.clone();

    let submit = typed.submit == "submit";
    let saved = applicant
        .save(
            &draft,
            &household,
            values.to_form(),
            page.members.len(),
            submit,
            state.config.synthetic_policy(),
        )
        .await;
    match saved {
        Ok(Saved::Submitted(_)) => Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response()),
        Ok(Saved::Kept) => {
            page.saved = true;
            render(&page)
        }
        Err(UseCaseError::Invalid(errors)) => {
            page.errors = FormErrors::from_fields(&errors, tr.lang);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
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
    /// Whether the applicant may still write to the municipality about the case.
    can_write: bool,
    /// Whether the case waits for information the municipality asked for.
    information_requested: bool,
    /// What the applicant has written, oldest first.
    messages: Vec<husly_store::applicant_messages::ApplicantMessage>,
    /// Whether the page follows a message just sent.
    sent: bool,
    errors: FormErrors,
    /// The message typed, kept when it was refused.
    text: String,
    /// The place on the waiting list with why, and the offers (after a municipal-housing grant).
    position: Option<Position>,
    /// The answer to the open offer as typed, its errors, and whether a decline awaits
    /// confirmation.
    offer_form: OfferAnswer,
    offer_errors: FormErrors,
    confirm_decline: bool,
    /// The confirmation after an answer (`accepted` or `declined`).
    answered: String,
}

impl ReceiptPage {
    fn explanation(&self) -> Vec<String> {
        self.position
            .as_ref()
            .map(|p| p.explanation.iter().map(|m| self.l.tr.message(m)).collect())
            .unwrap_or_default()
    }

    fn estimate_text(&self) -> Option<String> {
        let estimate = self.position.as_ref()?.estimate.as_ref()?;
        Some(self.l.tr.message(&estimate.message()))
    }

    fn place_text(&self) -> Option<String> {
        let (place, total) = self.position.as_ref()?.place?;
        Some(self.l.tr.f(
            "apply.position.place",
            &[("place", &place.to_string()), ("total", &total.to_string())],
        ))
    }

    fn open_offer(&self) -> Option<&husly_store::allocation::Offer> {
        self.position.as_ref()?.open_offer()
    }

    fn past_offers(&self) -> Vec<&husly_store::allocation::Offer> {
        self.position
            .as_ref()
            .map(|p| p.offers.iter().filter(|o| !o.state.is_open()).collect())
            .unwrap_or_default()
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn offer_state(&self, o: &husly_store::allocation::Offer) -> String {
        o.state.key()
    }

    fn reasons(&self) -> Vec<(&'static str, String, bool)> {
        husly_domain::allocation::offer::DeclineReason::ALL
            .iter()
            .map(|r| (r.code(), r.key(), self.offer_form.reason == r.code()))
            .collect()
    }

    fn confirm_reason(&self) -> String {
        husly_domain::allocation::offer::DeclineReason::from_code(&self.offer_form.reason)
            .map(|r| r.key())
            .unwrap_or_default()
    }

    fn offer_err(&self, field: &str) -> Option<&str> {
        self.offer_errors.get(&format!("offer-{field}"))
    }

    fn letter_key(&self, kind: &str) -> String {
        format!("letter_kind.{kind}")
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

#[derive(Debug, serde::Deserialize)]
pub struct ReceiptQuery {
    sent: Option<String>,
    answered: Option<String>,
}

/// The status page of a submitted application: the case, its letters, and the form to write.
async fn receipt_page(applicant: &Applicant, l: Layout, id: String, draft: &Draft) -> AppResult<ReceiptPage> {
    let (case, letters) = applicant.case(draft).await?;
    let l_lang = l.tr.lang;
    Ok(ReceiptPage {
        l,
        id,
        reference: case.reference.clone(),
        municipality: applicant.municipality_name(draft).await?,
        received: format_date(case.received_on),
        answer_by: format_date(husly_domain::cases::deadlines::interim_answer_due(case.received_on)),
        state_key: format!("case_state.{}", case.state.code()),
        letters,
        can_write: husly_domain::messages::accepts_applicant_messages(case.state),
        information_requested: case.state == husly_domain::cases::CaseState::WaitingForInformation,
        messages: applicant.messages(draft).await?,
        sent: false,
        errors: FormErrors::default(),
        text: String::new(),
        position: match case.state {
            husly_domain::cases::CaseState::OnWaitingList | husly_domain::cases::CaseState::Closed => {
                Some(applicant.position(draft, l_lang).await?)
            }
            _ => None,
        },
        offer_form: OfferAnswer::default(),
        offer_errors: FormErrors::default(),
        confirm_decline: false,
        answered: String::new(),
    })
}

/// The applicant's answer to an offer, as typed.
#[derive(Debug, Clone, Default, Deserialize)]
struct OfferAnswer {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    version: String,
    #[serde(default)]
    confirmed: Option<String>,
}

/// The applicant answers the household's open offer from the status page; a decline is shown
/// once more to be confirmed.
pub async fn answer_offer(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    Path((id, offer)): Path<(String, String)>,
    VisitorForm { fields, token }: VisitorForm,
) -> AppResult<Response> {
    let tr = tr(&headers);
    let applicant = applicant(&state, &request.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let offer: uuid::Uuid = crate::forms::path_id(&offer)?;
    let form = OfferAnswer {
        answer: fields.get("answer").to_string(),
        reason: fields.get("reason").to_string(),
        note: fields.get("note").to_string(),
        version: fields.get("version").to_string(),
        confirmed: Some(fields.get("confirmed").to_string()).filter(|c| !c.is_empty()),
    };
    let again = |errors: Vec<husly_domain::validation::FieldError>, confirm: bool| {
        let applicant = &applicant;
        let draft = &draft;
        let id = id.clone();
        let token = token.clone();
        let form = form.clone();
        let state = &state;
        async move {
            let l = Layout::visitor(tr, state.config.demo_mode, &token);
            let mut page = receipt_page(applicant, l, id, draft).await?;
            let errors: Vec<_> = errors
                .into_iter()
                .map(|mut e| {
                    e.field = format!("offer-{}", e.field);
                    e
                })
                .collect();
            page.offer_errors = FormErrors::from_fields(&errors, tr.lang);
            page.offer_form = form;
            page.confirm_decline = confirm;
            let mut response = render(&page)?;
            if !confirm {
                *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Ok::<Response, AppError>(response)
        }
    };
    if form.answer == "decline" && form.confirmed.is_none() {
        return match husly_usecases::offers::parse_answer(&form.answer, &form.reason, &form.note) {
            Ok(_) => again(Vec::new(), true).await,
            Err(errors) => again(errors, false).await,
        };
    }
    let version: i64 = form.version.trim().parse().map_err(|_| AppError::Conflict)?;
    match applicant
        .answer_offer(
            &draft,
            &offer.to_string(),
            version,
            &form.answer,
            &form.reason,
            &form.note,
        )
        .await
    {
        Ok(done) => {
            let answered = if done.state == husly_domain::allocation::offer::OfferState::Accepted {
                "accepted"
            } else {
                "declined"
            };
            Ok(Redirect::to(&format!("/apply/{id}/receipt?answered={answered}#offer")).into_response())
        }
        Err(UseCaseError::Invalid(errors)) => again(errors, false).await,
        Err(e) => Err(e.into()),
    }
}

pub async fn receipt(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    csrf: VisitorToken,
    Path(id): Path<String>,
    Query(query): Query<ReceiptQuery>,
) -> AppResult<Response> {
    let l = Layout::visitor(tr(&headers), state.config.demo_mode, &csrf.token);
    let applicant = applicant(&state, &request.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let mut page = receipt_page(&applicant, l, id, &draft).await?;
    page.sent = query.sent.is_some();
    page.answered = match query.answered.as_deref() {
        Some("accepted") => "accepted".into(),
        Some("declined") => "declined".into(),
        _ => String::new(),
    };
    Ok((csrf, render(&page)?).into_response())
}

/// The applicant writes to the municipality from the status page: a message, a document or both.
pub async fn write(
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
    let applicant = applicant(&state, &request_id.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let limits = DraftLimits {
        documents: state.config.apply_documents_per_draft,
        bytes: state.config.apply_bytes_per_draft,
        municipality_bytes_per_day: state.config.apply_bytes_per_municipality_per_day,
    };
    let written = if upload.bytes.is_empty() && upload.filename.is_empty() {
        applicant.write(&draft, &upload.text, None, limits).await
    } else {
        match crate::upload::check(&upload, state.config.max_document_bytes) {
            Ok((kind, filename)) => {
                applicant
                    .write(&draft, &upload.text, Some((&filename, kind, &upload.bytes)), limits)
                    .await
            }
            Err(error) => Err(UseCaseError::Invalid(vec![error])),
        }
    };
    match written {
        Ok(()) => Ok(Redirect::to(&format!("/apply/{id}/receipt?sent=1#write")).into_response()),
        Err(UseCaseError::Invalid(errors)) => {
            let l = Layout::visitor(tr, state.config.demo_mode, &token);
            let mut page = receipt_page(&applicant, l, id, &draft).await?;
            page.errors = FormErrors::from_fields(&errors, tr.lang);
            page.text = upload.text;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// A letter of the applicant's own case, as sent (PDF), opened with the draft's code.
pub async fn letter(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    Path((id, letter)): Path<(String, String)>,
) -> AppResult<Response> {
    let applicant = applicant(&state, &request.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let letter_id = letter.strip_suffix(".pdf").ok_or(AppError::NotFound)?;
    let (meta, pdf) = applicant.letter(&draft, letter_id).await?;
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
    let applicant = applicant(&state, &request_id.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    if draft.submitted_case.is_some() {
        return Ok(Redirect::to(&format!("/apply/{id}/receipt")).into_response());
    }
    let limits = DraftLimits {
        documents: state.config.apply_documents_per_draft,
        bytes: state.config.apply_bytes_per_draft,
        municipality_bytes_per_day: state.config.apply_bytes_per_municipality_per_day,
    };
    let attached = match crate::upload::check(&upload, state.config.max_document_bytes) {
        Ok((kind, filename)) => applicant.attach(&draft, &filename, kind, &upload.bytes, limits).await,
        Err(error) => Err(UseCaseError::Invalid(vec![error])),
    };
    match attached {
        Ok(_) => Ok(Redirect::to(&format!("/apply/{id}")).into_response()),
        Err(UseCaseError::Invalid(errors)) => {
            let l = Layout::visitor(tr, state.config.demo_mode, &token);
            let mut page = stored_page(&applicant, &state, l, &draft).await?;
            page.errors = FormErrors::from_fields(&errors, tr.lang);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
