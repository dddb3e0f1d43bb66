//! Offers: the list (open ones first), one offer with its history and the household's standing
//! with the decline rule, and the forms that record an answer, withdraw and reopen. A decline
//! and a withdrawal end the household's chance at this dwelling, so each is shown once more to
//! be confirmed; reopening undoes either.

use super::render;
use super::rounds::offer_class;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::allocation::offer::{self as rules, DeclineReason, OfferState};
use husly_domain::authz::Action;
use husly_domain::validation::format_date;
use husly_store::allocation::{AllocationEvent, Offer};
use husly_usecases::UseCaseError;
use husly_usecases::offers::{self, OfferView};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .route("/offers", get(list))
        .route("/offers/{id}", get(view))
        .route("/offers/{id}/answer", post(answer))
        .route("/offers/{id}/withdraw", post(withdraw))
        .route("/offers/{id}/reopen", post(reopen))
}

fn status(mut response: Response, code: StatusCode) -> AppResult<Response> {
    *response.status_mut() = code;
    Ok(response)
}

/// Words the offer templates share.
pub struct OfferWords;

impl OfferWords {
    pub fn state(&self, s: &OfferState) -> String {
        s.key()
    }

    pub fn class(&self, s: &OfferState) -> &'static str {
        offer_class(*s)
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn reason(&self, r: &DeclineReason) -> String {
        r.key()
    }

    pub fn reasons(&self) -> Vec<(&'static str, String)> {
        DeclineReason::ALL.iter().map(|r| (r.code(), r.key())).collect()
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(default)]
    all: String,
}

#[derive(Template)]
#[template(path = "offers.html")]
struct ListPage {
    l: Layout,
    w: OfferWords,
    offers: Vec<Offer>,
    all: bool,
}

/// `GET /offers`: open offers, or every offer with `?all=1`.
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ListParams>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::Allocate)?.id;
    let all = !params.all.is_empty();
    let offers = offers::offers(&user.ctx(&state), municipality, !all).await?;
    render(&ListPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        w: OfferWords,
        offers,
        all,
    })
}

/// The forms of the offer page as typed.
#[derive(Debug, Clone, Default, Deserialize)]
struct AnswerForm {
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    answer_by: String,
    #[serde(default)]
    confirmed: Option<String>,
}

#[derive(Template)]
#[template(path = "offer.html")]
struct OfferPage {
    l: Layout,
    w: OfferWords,
    v: OfferView,
    form: AnswerForm,
    /// Which form the errors or the confirmation belong to: `answer`, `withdraw` or `reopen`.
    active: &'static str,
    errors: FormErrors,
    confirm: bool,
    conflict: bool,
    default_answer_by: String,
    /// The contract written from this offer, once it is accepted and one is written.
    contract: Option<String>,
}

impl OfferPage {
    fn o(&self) -> &Offer {
        &self.v.offer
    }

    fn open(&self) -> bool {
        self.v.offer.state == OfferState::Open
    }

    fn accepted(&self) -> bool {
        self.v.offer.state == OfferState::Accepted
    }

    fn reopenable(&self) -> bool {
        rules::reopen(self.v.offer.state).is_ok()
    }

    /// The error of a field of one form (`answer`, `withdraw`, `reopen`).
    fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn when(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }

    fn event_key(&self, e: &AllocationEvent) -> String {
        format!("allocation.event.{}", e.kind)
    }

    fn by_whom(&self, e: &AllocationEvent) -> &'static str {
        match (e.by_applicant, &e.actor) {
            (true, _) => "offer.by.applicant",
            (false, Some(_)) => "offer.by.staff",
            (false, None) => "offer.by.system",
        }
    }

    fn chosen_reason(&self, code: &str) -> bool {
        self.form.reason == code
    }

    fn confirm_reason(&self) -> String {
        DeclineReason::from_code(&self.form.reason)
            .map(|r| r.key())
            .unwrap_or_default()
    }

    fn standing_text(&self) -> String {
        self.l.tr.f(
            "offer.standing.text",
            &[
                ("count", &self.v.standing.unreasonable.to_string()),
                ("allowed", &self.v.standing.allowed.to_string()),
            ],
        )
    }

    fn reasonable(&self) -> Vec<String> {
        self.v
            .rules
            .reasonable_decline_reasons
            .iter()
            .map(|r| r.key())
            .collect()
    }
}

async fn offer_page(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<OfferPage> {
    let municipality = user.working_municipality(Action::Allocate)?.id;
    let ctx = user.ctx(state);
    let v = offers::offer(&ctx, municipality, id).await?;
    let default_answer_by = format_date(rules::answer_by(ctx.today, &v.rules));
    let l = Layout::for_user(user, Section::WaitingList, state.config.demo_mode);
    let contract = if v.offer.state == OfferState::Accepted && l.can_tenancies {
        husly_usecases::contracts::contract_of_offer(&ctx, municipality, id).await?
    } else {
        None
    };
    Ok(OfferPage {
        l,
        contract,
        w: OfferWords,
        v,
        form: AnswerForm::default(),
        active: "",
        errors: FormErrors::default(),
        confirm: false,
        conflict: false,
        default_answer_by,
    })
}

/// `GET /offers/{id}`.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    render(&offer_page(&state, &user, &id).await?)
}

/// The page again after a refused form: the errors on their form, what was typed kept.
async fn again(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    active: &'static str,
    form: AnswerForm,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut page = offer_page(state, user, id).await?;
    match error {
        UseCaseError::Invalid(errors) => {
            page.errors = FormErrors::of_form(errors, active, page.l.tr.lang);
            page.active = active;
            page.form = form;
            status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        UseCaseError::Conflict => {
            page.conflict = true;
            status(render(&page)?, StatusCode::CONFLICT)
        }
        other => Err(other.into()),
    }
}

/// Shows the form once more to be confirmed.
async fn confirm(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    active: &'static str,
    form: AnswerForm,
) -> AppResult<Response> {
    let mut page = offer_page(state, user, id).await?;
    page.active = active;
    page.form = form;
    page.confirm = true;
    render(&page)
}

/// `POST /offers/{id}/answer`: the household's answer as a caseworker took it; a decline is
/// confirmed first.
async fn answer(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: AnswerForm = form.bind()?;
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    if f.answer == "decline" && f.confirmed.is_none() {
        // Check the answer first, so the confirmation step shows no error.
        if let Err(errors) = offers::parse_answer(&f.answer, &f.reason, &f.note) {
            return again(&state, &form.user, &id, "answer", f, UseCaseError::Invalid(errors)).await;
        }
        return confirm(&state, &form.user, &id, "answer", f).await;
    }
    let ctx = form.user.ctx(&state);
    match offers::answer_offer(&ctx, municipality, &id, version, &f.answer, &f.reason, &f.note).await {
        Ok(done) => {
            let key = match (done.state, done.standing.limit_exceeded()) {
                (OfferState::Accepted, _) => "flash.offer.accepted",
                (_, true) => "flash.offer.declined_over_limit",
                _ => "flash.offer.declined",
            };
            Ok(crate::flash::redirect(&format!("/offers/{id}"), key))
        }
        Err(e) => again(&state, &form.user, &id, "answer", f, e).await,
    }
}

/// `POST /offers/{id}/withdraw`: takes an open offer back, confirmed and with a reason.
async fn withdraw(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: AnswerForm = form.bind()?;
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    if f.confirmed.is_none() {
        if let Err(refusal) = husly_domain::allocation::round::check_reason(&f.reason) {
            let error = husly_domain::validation::FieldError::new("reason", "round_refused", refusal.key());
            return again(
                &state,
                &form.user,
                &id,
                "withdraw",
                f,
                UseCaseError::Invalid(vec![error]),
            )
            .await;
        }
        return confirm(&state, &form.user, &id, "withdraw", f).await;
    }
    let ctx = form.user.ctx(&state);
    match offers::withdraw_offer(&ctx, municipality, &id, version, &f.reason).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/offers/{id}"),
            "flash.offer.withdrawn",
        )),
        Err(e) => again(&state, &form.user, &id, "withdraw", f, e).await,
    }
}

/// `POST /offers/{id}/reopen`: undoes a decline, an expiry or a withdrawal.
async fn reopen(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: AnswerForm = form.bind()?;
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    let ctx = form.user.ctx(&state);
    match offers::reopen_offer(&ctx, municipality, &id, version, &f.answer_by, &f.reason).await {
        Ok(()) => Ok(crate::flash::redirect(&format!("/offers/{id}"), "flash.offer.reopened")),
        Err(e) => again(&state, &form.user, &id, "reopen", f, e).await,
    }
}
