//! Follow-up in the home: the caseload (`/follow-up`, the highest risk first) and a household's
//! follow-up page (`/households/{id}/follow-up`) with the contact log form first, so a visit can
//! be logged on a phone at the door, then the plan, its measures, closed plans and the log.
//! Closing a plan ends the household's follow-up, so it is shown once more to be confirmed; a
//! closed plan can be reopened with a reason.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section};
use crate::routing::{Routes, get, post};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::follow_up::risk::Signal;
use husly_domain::follow_up::{
    CloseInput, CloseReason, EntryInput, EntryKind, MeasureInput, MeasureStatus, Outcome, PartnerKind, Plan, PlanInput,
};
use husly_domain::validation::{format_date, format_ore_as_kr};
use husly_usecases::UseCaseError;
use husly_usecases::follow_up::{self, Caseload, CaseloadScope, FollowUpFile};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .route("/follow-up", get(caseload))
        .route("/households/{id}/follow-up", get(view))
        .route("/households/{id}/follow-up/log", post(log))
        .route("/households/{id}/follow-up/plan", post(start))
        .route("/households/{id}/follow-up/plan/{plan}", post(change))
        .route("/households/{id}/follow-up/plan/{plan}/close", post(close))
        .route("/households/{id}/follow-up/plan/{plan}/reopen", post(reopen))
        .route("/households/{id}/follow-up/plan/{plan}/measures", post(add_measure))
        .route(
            "/households/{id}/follow-up/plan/{plan}/measures/{measure}",
            post(set_measure),
        )
}

/// Words the follow-up templates share.
pub struct Words;

impl Words {
    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    /// A signal in words: its catalogue key and the values it names.
    pub fn signal(&self, l: &Layout, s: &Signal) -> String {
        let key = match *s {
            // "1 month" reads differently from "2 months".
            Signal::Arrears { unpaid_months: 1, .. } => "follow_up.signal.arrears_one".to_string(),
            _ => format!("follow_up.signal.{}", s.code()),
        };
        let text = l.tr.t(&key).to_string();
        match *s {
            Signal::Arrears {
                arrears_ore,
                unpaid_months,
            } => text
                .replace("{amount}", &format_ore_as_kr(arrears_ore))
                .replace("{months}", &unpaid_months.to_string()),
            Signal::NeighbourComplaints { count } | Signal::MissedAppointments { count } => {
                text.replace("{count}", &count.to_string())
            }
            Signal::ContractEnding { term_end, expired } => {
                l.tr.t(if expired {
                    "follow_up.signal.contract_expired"
                } else {
                    "follow_up.signal.contract_ending"
                })
                .replace("{date}", &format_date(term_end))
            }
            Signal::NoRecentContact { since } => match since {
                Some(day) => text.replace("{date}", &format_date(day)),
                None => l.tr.t("follow_up.signal.never_contacted").to_string(),
            },
            Signal::ReviewOverdue { review_on } => text.replace("{date}", &format_date(review_on)),
            Signal::NoPlan => text,
        }
    }

    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        EntryKind::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    pub fn partners(&self) -> Vec<(&'static str, String)> {
        PartnerKind::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    pub fn close_reasons(&self) -> Vec<(&'static str, String)> {
        CloseReason::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    pub fn statuses(&self) -> Vec<(&'static str, String)> {
        MeasureStatus::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    pub fn outcomes(&self) -> Vec<(&'static str, String)> {
        Outcome::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }
}

#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    l: Layout,
    w: Words,
    f: FollowUpFile,
    name: String,
    /// The form the errors and typed values belong to: `log`, `start`, `plan`, `close`,
    /// `reopen-{plan}`, `measure`.
    active: String,
    typed: FormFields,
    errors: FormErrors,
    conflict: bool,
    /// The close form was checked and waits for the confirmation.
    confirm_close: bool,
    today: time::Date,
    /// The caller's user id: the new plan's responsible worker unless another is chosen.
    me: String,
}

impl FollowUpPage {
    fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    /// What was typed in `form`'s `field` when that form was refused, else `default`.
    fn typed_or(&self, form: &str, field: &str, default: &str) -> String {
        if self.active == form {
            self.typed.get(field).to_string()
        } else {
            default.to_string()
        }
    }

    fn log_day(&self) -> String {
        self.typed_or("log", "occurred_on", &format_date(self.today))
    }

    fn is_chosen(&self, form: &str, field: &str, code: &str, default: &str) -> bool {
        self.typed_or(form, field, default) == code
    }

    fn status_is(&self, m: &husly_domain::follow_up::Measure, code: &str) -> bool {
        m.status.code() == code
    }

    fn plan(&self) -> Option<&Plan> {
        self.f.active()
    }

    fn closed(&self) -> Vec<&Plan> {
        self.f
            .plans
            .iter()
            .filter(|p| p.state != husly_domain::follow_up::PlanState::Active)
            .collect()
    }

    fn partner_of(&self, p: &Plan) -> String {
        match (&p.partner_kind, &p.partner_name) {
            (Some(kind), Some(name)) => format!("{} ({name})", self.l.t(&kind.key())),
            (Some(kind), None) => self.l.t(&kind.key()).to_string(),
            _ => String::new(),
        }
    }

    fn plan_value(&self, p: &Plan, field: &str) -> String {
        let kept = match field {
            "goals" => p.goals.clone(),
            "responsible" => p.responsible.to_string(),
            "partner_kind" => p.partner_kind.map(|k| k.code().to_string()).unwrap_or_default(),
            "partner_name" => p.partner_name.clone().unwrap_or_default(),
            "review_on" => format_date(p.review_on),
            _ => String::new(),
        };
        self.typed_or("plan", field, &kept)
    }
}

#[derive(Debug, Deserialize)]
struct CaseloadParams {
    #[serde(default)]
    scope: Option<String>,
    /// Where the page starts in the order; what is not a number reads as the first page.
    #[serde(default)]
    offset: String,
}

#[derive(Template)]
#[template(path = "follow_up_caseload.html")]
struct CaseloadPage {
    l: Layout,
    w: Words,
    c: Caseload,
    all: bool,
}

impl CaseloadPage {
    fn unverified(&self) -> bool {
        !self.c.settings.period.meta.verified
    }

    fn next_offset(&self) -> Option<usize> {
        let next = self.c.offset + follow_up::CASELOAD_PAGE;
        (next < self.c.total).then_some(next)
    }

    fn previous_offset(&self) -> Option<usize> {
        (self.c.offset > 0).then(|| self.c.offset.saturating_sub(follow_up::CASELOAD_PAGE))
    }

    /// "Viser 51–100 av 4 635 husstander", or the count alone when one page holds them all.
    fn count_text(&self) -> String {
        if self.c.total <= self.c.lines.len() {
            return self
                .l
                .tr
                .f("follow_up.caseload.count", &[("count", &self.c.total.to_string())]);
        }
        self.l.tr.f(
            "follow_up.caseload.showing",
            &[
                ("first", &(self.c.offset + 1).to_string()),
                ("last", &(self.c.offset + self.c.lines.len()).to_string()),
                ("count", &self.c.total.to_string()),
            ],
        )
    }
}

/// `GET /follow-up`: the caseload, the caller's plans (`?scope=all` for every household).
async fn caseload(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<CaseloadParams>,
) -> AppResult<Response> {
    let scope = match params.scope.as_deref() {
        Some("all") => CaseloadScope::All,
        _ => CaseloadScope::Mine,
    };
    let municipality = user.working_municipality(Action::ViewFollowUp)?.id;
    let offset = params.offset.trim().parse::<usize>().unwrap_or(0);
    let c = follow_up::caseload(&user.ctx(&state), municipality, scope, offset).await?;
    render(&CaseloadPage {
        l: Layout::for_user(&user, Section::FollowUp, state.config.demo_mode),
        w: Words,
        all: scope == CaseloadScope::All,
        c,
    })
}

async fn page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> AppResult<FollowUpPage> {
    let f = follow_up::household_follow_up(&user.ctx(state), id).await?;
    Ok(FollowUpPage {
        l: Layout::for_user(user, Section::FollowUp, state.config.demo_mode),
        w: Words,
        name: f.name.clone(),
        f,
        active: String::new(),
        typed: FormFields::default(),
        errors: FormErrors::default(),
        conflict: false,
        confirm_close: false,
        today: state.clock.today(),
        me: user.user.id.to_string(),
    })
}

/// `GET /households/{id}/follow-up`.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    render(&page(&state, &user, path_id(&id)?).await?)
}

/// The page again after a refused form, with the errors on that form and what was typed kept.
async fn again(
    state: &AppState,
    form: &StaffForm,
    id: HouseholdId,
    active: &str,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut p = page(state, &form.user, id).await?;
    p.active = active.to_string();
    p.typed = form.fields.clone();
    let code = match error {
        UseCaseError::Invalid(errors) => {
            p.errors = FormErrors::of_form(errors, active, p.l.tr.lang);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        UseCaseError::Conflict => {
            p.conflict = true;
            StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    let mut response = render(&p)?;
    *response.status_mut() = code;
    Ok(response)
}

/// Back to the page's top, where the confirmation shows above the log form.
fn done(id: HouseholdId, key: &str) -> Response {
    crate::flash::redirect(&format!("/households/{id}/follow-up"), key)
}

fn plan_input(fields: &FormFields) -> PlanInput<'_> {
    PlanInput {
        goals: fields.get("goals"),
        responsible: fields.get("responsible"),
        partner_kind: fields.get("partner_kind"),
        partner_name: fields.get("partner_name"),
        review_on: fields.get("review_on"),
    }
}

/// `POST /households/{id}/follow-up/log`: a contact, visit or complaint.
async fn log(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let input = EntryInput {
        kind: form.fields.get("kind"),
        outcome: form.fields.get("outcome"),
        occurred_on: form.fields.get("occurred_on"),
        note: form.fields.get("note"),
    };
    match follow_up::log_entry(&form.user.ctx(&state), id, &input).await {
        Ok(_) => Ok(done(id, "flash.follow_up.logged")),
        Err(e) => again(&state, &form, id, "log", e).await,
    }
}

/// `POST /households/{id}/follow-up/plan`: a new plan.
async fn start(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    match follow_up::start_plan(&form.user.ctx(&state), id, &plan_input(&form.fields)).await {
        Ok(_) => Ok(done(id, "flash.follow_up.plan_started")),
        Err(e) => again(&state, &form, id, "start", e).await,
    }
}

/// `POST /households/{id}/follow-up/plan/{plan}`: the plan changed.
async fn change(
    State(state): State<AppState>,
    Path((id, plan)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let version = form.version()?;
    match follow_up::change_plan(&form.user.ctx(&state), id, (&plan, version), &plan_input(&form.fields)).await {
        Ok(()) => Ok(done(id, "flash.follow_up.plan_changed")),
        Err(e) => again(&state, &form, id, "plan", e).await,
    }
}

/// `POST /households/{id}/follow-up/plan/{plan}/close`: checked, shown once more to be
/// confirmed, then closed.
async fn close(
    State(state): State<AppState>,
    Path((id, plan)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let version = form.version()?;
    let input = CloseInput {
        reason: form.fields.get("reason"),
        note: form.fields.get("note"),
    };
    if form.fields.get("confirmed") != "yes" {
        if let Err(errors) = husly_domain::follow_up::check_close(&input) {
            return again(&state, &form, id, "close", UseCaseError::Invalid(errors)).await;
        }
        let mut p = page(&state, &form.user, id).await?;
        p.active = "close".into();
        p.typed = form.fields.clone();
        p.confirm_close = true;
        return render(&p);
    }
    match follow_up::close_plan(&form.user.ctx(&state), id, (&plan, version), &input).await {
        Ok(()) => Ok(done(id, "flash.follow_up.plan_closed")),
        Err(e) => again(&state, &form, id, "close", e).await,
    }
}

/// `POST /households/{id}/follow-up/plan/{plan}/reopen`: undoing a close, with the reason.
async fn reopen(
    State(state): State<AppState>,
    Path((id, plan)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let version = form.version()?;
    match follow_up::reopen_plan(&form.user.ctx(&state), id, (&plan, version), form.fields.get("reason")).await {
        Ok(()) => Ok(done(id, "flash.follow_up.plan_reopened")),
        Err(e) => again(&state, &form, id, &format!("reopen-{plan}"), e).await,
    }
}

/// `POST /households/{id}/follow-up/plan/{plan}/measures`: a measure agreed.
async fn add_measure(
    State(state): State<AppState>,
    Path((id, plan)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let version = form.version()?;
    let input = MeasureInput {
        text: form.fields.get("text"),
        owner: form.fields.get("owner"),
        due_on: form.fields.get("due_on"),
    };
    match follow_up::add_measure(&form.user.ctx(&state), id, (&plan, version), &input).await {
        Ok(_) => Ok(done(id, "flash.follow_up.measure_added")),
        Err(e) => again(&state, &form, id, "measure", e).await,
    }
}

/// `POST /households/{id}/follow-up/plan/{plan}/measures/{measure}`: done, dropped or agreed.
async fn set_measure(
    State(state): State<AppState>,
    Path((id, plan, measure)): Path<(String, String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let version = form.version()?;
    match follow_up::set_measure_status(
        &form.user.ctx(&state),
        id,
        (&plan, version),
        &measure,
        form.fields.get("status"),
    )
    .await
    {
        Ok(()) => Ok(done(id, "flash.follow_up.measure_changed")),
        Err(e) => again(&state, &form, id, &format!("status-{measure}"), e).await,
    }
}
