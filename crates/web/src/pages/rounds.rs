//! Allocation rounds: the list with "start a round", one round (commitment before the draw; the
//! proposal, overrides, offers and the published draw after it), the override form of a line,
//! and closing or cancelling a round.

use super::allocation::why_unplaced;
use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::allocation::offer::OfferState;
use husly_domain::allocation::round::RoundState;
use husly_domain::authz::Action;
use husly_domain::validation::format_date;
use husly_domain::{CaseId, MunicipalityId};
use husly_store::allocation::{AllocationEvent, Offer, RoundLine, RoundSummary};
use husly_store::dwellings::Dwelling;
use husly_usecases::UseCaseError;
use husly_usecases::rounds::{self, RoundView};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .route("/allocation/rounds", get(list).post(start))
        .route("/allocation/rounds/{id}", get(view))
        .route("/allocation/rounds/{id}/draw", post(draw))
        .route("/allocation/rounds/{id}/end", post(end))
        .route("/allocation/rounds/{id}/offers", post(offer))
        .route(
            "/allocation/rounds/{id}/lines/{dwelling}",
            get(line_form).post(override_line),
        )
}

fn status(mut response: Response, code: StatusCode) -> AppResult<Response> {
    *response.status_mut() = code;
    Ok(response)
}

fn when(micros: i64) -> String {
    format_timestamp(micros)
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Template)]
#[template(path = "rounds.html")]
struct ListPage {
    l: Layout,
    rounds: Vec<RoundSummary>,
    errors: FormErrors,
}

impl ListPage {
    fn state(&self, s: &RoundState) -> String {
        s.key()
    }

    fn when(&self, micros: &i64) -> String {
        when(*micros)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

async fn list_page(state: &AppState, user: &CurrentUser) -> AppResult<ListPage> {
    let municipality = user.working_municipality(Action::Allocate)?.id;
    Ok(ListPage {
        l: Layout::for_user(user, Section::WaitingList, state.config.demo_mode),
        rounds: rounds::rounds(&user.ctx(state), municipality).await?,
        errors: FormErrors::default(),
    })
}

/// `GET /allocation/rounds`.
async fn list(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    render(&list_page(&state, &user).await?)
}

/// `POST /allocation/rounds`: freezes the vacancies and the waiting list and commits to a seed.
async fn start(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    match rounds::start_round(&form.user.ctx(&state), municipality).await {
        Ok((id, _)) => Ok(crate::flash::redirect(
            &format!("/allocation/rounds/{id}"),
            "flash.round.started",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = list_page(&state, &form.user).await?;
            page.errors = FormErrors::from_fields(&errors, page.l.tr.lang);
            status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// One round

/// A line of the round as the page shows it.
pub struct LineRow<'a> {
    pub line: &'a RoundLine,
    pub dwelling: &'a Dwelling,
    pub household: Option<(CaseId, &'a str, &'a str)>,
    pub proposed: Option<(&'a str, &'a str)>,
    pub offer: Option<&'a Offer>,
}

/// A household the round did not place, with why.
pub struct UnplacedRow {
    pub case: Option<CaseId>,
    pub name: String,
    pub reference: String,
    pub why: Vec<String>,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    l: Layout,
    v: RoundView,
    errors: FormErrors,
    end_reason: String,
    default_answer_by: String,
    conflict: bool,
}

impl RoundPage {
    fn r(&self) -> &husly_store::allocation::Round {
        &self.v.round
    }

    fn state(&self) -> String {
        self.v.round.state.key()
    }

    fn frozen(&self) -> bool {
        self.v.round.state == RoundState::Frozen
    }

    fn drawn(&self) -> bool {
        self.v.round.state == RoundState::Drawn
    }

    fn label(&self, case: Option<CaseId>) -> Option<(CaseId, &str, &str)> {
        let case = case?;
        self.v
            .labels
            .get(&case)
            .map(|(reference, name)| (case, name.as_str(), reference.as_str()))
    }

    fn lines(&self) -> Vec<LineRow<'_>> {
        self.v
            .round
            .lines
            .iter()
            .zip(&self.v.dwellings)
            .map(|(line, dwelling)| LineRow {
                line,
                dwelling,
                household: self.label(line.case),
                proposed: line
                    .override_reason
                    .as_ref()
                    .and_then(|_| self.label(line.proposed_case))
                    .map(|(_, name, reference)| (name, reference)),
                offer: self
                    .v
                    .live_offer(&line.dwelling_id)
                    .or_else(|| self.v.offers.iter().rev().find(|o| o.dwelling_id == line.dwelling_id)),
            })
            .collect()
    }

    fn proposed_count(&self) -> usize {
        self.v.round.lines.iter().filter(|l| l.case.is_some()).count()
    }

    fn unplaced(&self) -> Vec<UnplacedRow> {
        let name_of = |reference: &str| {
            let case = self.v.cases_by_reference.get(reference)?;
            self.v.labels.get(case).map(|(r, n)| (n.clone(), r.clone()))
        };
        self.v
            .unplaced
            .iter()
            .filter_map(|(reference, outcome)| {
                let why = why_unplaced(
                    &self.l.tr,
                    outcome,
                    |d| self.v.dwellings.get(d).map(|d| d.details.address_line.clone()),
                    name_of,
                )?;
                Some(UnplacedRow {
                    case: self.v.cases_by_reference.get(reference).copied(),
                    name: name_of(reference).map(|(n, _)| n).unwrap_or_default(),
                    reference: reference.clone(),
                    why,
                })
            })
            .collect()
    }

    fn unplaced_more(&self) -> usize {
        self.v.unplaced_total.saturating_sub(self.v.unplaced.len())
    }

    fn offer_state(&self, o: &Offer) -> String {
        o.state.key()
    }

    fn offer_class(&self, o: &Offer) -> &'static str {
        offer_class(o.state)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn when(&self, micros: &i64) -> String {
        when(*micros)
    }

    fn event_key(&self, e: &AllocationEvent) -> String {
        format!("allocation.event.{}", e.kind)
    }

    fn kind(&self, d: &Dwelling) -> String {
        d.details.dwelling_type.key()
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn seed(&self) -> &str {
        self.v.round.seed.as_deref().unwrap_or_default()
    }

    fn is_open(&self, o: &Offer) -> bool {
        o.state == OfferState::Open
    }
}

/// The tag class of an offer's state.
pub fn offer_class(state: OfferState) -> &'static str {
    match state {
        OfferState::Open => "tag tag--warning",
        OfferState::Accepted => "tag tag--success",
        OfferState::Declined | OfferState::Expired => "tag tag--danger",
        OfferState::Withdrawn => "tag",
    }
}

async fn round_page(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<RoundPage> {
    let municipality: MunicipalityId = user.working_municipality(Action::Allocate)?.id;
    let ctx = user.ctx(state);
    let v = rounds::round(&ctx, municipality, id).await?;
    let default_answer_by = format_date(v.default_answer_by);
    Ok(RoundPage {
        l: Layout::for_user(user, Section::WaitingList, state.config.demo_mode),
        v,
        errors: FormErrors::default(),
        end_reason: String::new(),
        default_answer_by,
        conflict: false,
    })
}

async fn page_with_errors(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    result: Result<(), UseCaseError>,
    reason: String,
) -> AppResult<Response> {
    match result {
        Ok(()) => unreachable!("only errors are shown again"),
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = round_page(state, user, id).await?;
            page.errors = FormErrors::from_fields(&errors, page.l.tr.lang);
            page.end_reason = reason;
            status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(UseCaseError::Conflict) => {
            let mut page = round_page(state, user, id).await?;
            page.conflict = true;
            status(render(&page)?, StatusCode::CONFLICT)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /allocation/rounds/{id}`.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id: uuid::Uuid = path_id(&id)?;
    render(&round_page(&state, &user, &id.to_string()).await?)
}

/// `POST /allocation/rounds/{id}/draw`: reveals the seed and saves the proposal.
async fn draw(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    match rounds::draw_round(&form.user.ctx(&state), municipality, &id, version).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/allocation/rounds/{id}"),
            "flash.round.drawn",
        )),
        other => page_with_errors(&state, &form.user, &id, other, String::new()).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct EndForm {
    #[serde(default)]
    reason: String,
    /// `cancel` or `close`.
    #[serde(default)]
    how: String,
}

/// `POST /allocation/rounds/{id}/end`: closes a drawn round or cancels one with no offers.
async fn end(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: EndForm = form.bind()?;
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    let cancel = f.how == "cancel";
    match rounds::end_round(&form.user.ctx(&state), municipality, &id, version, cancel, &f.reason).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/allocation/rounds/{id}"),
            if cancel {
                "flash.round.cancelled"
            } else {
                "flash.round.closed"
            },
        )),
        other => page_with_errors(&state, &form.user, &id, other, f.reason).await,
    }
}

#[derive(Debug, Default, Deserialize)]
struct OfferForm {
    #[serde(default)]
    dwelling: String,
    #[serde(default)]
    answer_by: String,
    #[serde(default)]
    note: String,
}

/// `POST /allocation/rounds/{id}/offers`: offers a line's dwelling to its household.
async fn offer(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: OfferForm = form.bind()?;
    let dwelling = path_id::<uuid::Uuid>(&f.dwelling)?.to_string();
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    let ctx = form.user.ctx(&state);
    match husly_usecases::offers::make_offer(&ctx, municipality, &id, &dwelling, &f.answer_by, &f.note).await {
        Ok(offer) => Ok(crate::flash::redirect(&format!("/offers/{offer}"), "flash.offer.made")),
        Err(e) => page_with_errors(&state, &form.user, &id, Err(e), String::new()).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Overriding a line

#[derive(Debug, Default, Deserialize)]
struct LineForm {
    #[serde(default)]
    case: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "round_line.html")]
struct LinePage<'a> {
    l: Layout,
    round: &'a husly_store::allocation::Round,
    row: LineRow<'a>,
    form: LineForm,
    errors: FormErrors,
}

impl LinePage<'_> {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }
}

async fn line_response(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    dwelling: &str,
    form: LineForm,
    errors: FormErrors,
    code: StatusCode,
) -> AppResult<Response> {
    let page = round_page(state, user, id).await?;
    let rows = page.lines();
    let row = rows
        .into_iter()
        .find(|r| r.line.dwelling_id == dwelling)
        .ok_or(crate::error::AppError::NotFound)?;
    let form = if form.case.is_empty() && errors.is_empty() {
        LineForm {
            case: row.household.map(|(_, _, r)| r.to_string()).unwrap_or_default(),
            reason: form.reason,
        }
    } else {
        form
    };
    let line = LinePage {
        l: Layout::for_user(user, Section::WaitingList, state.config.demo_mode),
        round: &page.v.round,
        row,
        form,
        errors,
    };
    status(render(&line)?, code)
}

/// `GET /allocation/rounds/{id}/lines/{dwelling}`: the form to choose another household.
async fn line_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, dwelling)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let dwelling = path_id::<uuid::Uuid>(&dwelling)?.to_string();
    line_response(
        &state,
        &user,
        &id,
        &dwelling,
        LineForm::default(),
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /allocation/rounds/{id}/lines/{dwelling}`: saves the override with its reason.
async fn override_line(
    State(state): State<AppState>,
    Path((id, dwelling)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let dwelling = path_id::<uuid::Uuid>(&dwelling)?.to_string();
    let f: LineForm = form.bind()?;
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::Allocate)?.id;
    let ctx = form.user.ctx(&state);
    match rounds::override_line(&ctx, municipality, &id, version, &dwelling, &f.case, &f.reason).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/allocation/rounds/{id}"),
            "flash.round.overridden",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let errors = FormErrors::from_fields(&errors, form.user.tr.lang);
            line_response(
                &state,
                &form.user,
                &id,
                &dwelling,
                f,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(UseCaseError::Conflict) => {
            page_with_errors(&state, &form.user, &id, Err(UseCaseError::Conflict), String::new()).await
        }
        Err(e) => Err(e.into()),
    }
}
