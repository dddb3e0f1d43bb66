//! Referrals (*henvisninger*): the household's referrals at the unit's door
//! (`/households/{id}/referrals`), the unit's work queue (`/referrals`), and the part both the
//! unit's and the partner's household pages show — the list, the receiver's answers and the
//! form to send one.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::referral::{Party, ReferralInput, ReferralState, ReferralStep, is_overdue};
use husly_domain::validation::format_date;
use husly_store::referrals::Referral;
use husly_usecases::UseCaseError;
use husly_usecases::referrals::{self, ReferralQueue};

use super::meetings::MeetingPart;
use super::part_form::PartForm;
use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/referrals", get(queue))
        .route("/households/{id}/referrals", get(view).post(send))
        .route("/households/{id}/referrals/{referral}/answer", post(answer))
}

/// The referrals part of a household page: the list, the answers the viewer may give and the
/// form to send one; what a refused form typed and why.
pub struct ReferralPart {
    pub referrals: Vec<Referral>,
    /// Where the forms post: `…/referrals` (send) and `…/referrals/{id}/answer`.
    pub base: String,
    /// Who looks: the unit, or the partner's organisation.
    pub me: Party,
    /// The receivers the send form offers: (code, name).
    pub receivers: Vec<(String, String)>,
    pub can_send: bool,
    pub today: time::Date,
    /// The forms' state (`send`, or an answered referral's id).
    pub f: PartForm,
}

impl ReferralPart {
    pub fn new(base: String, me: Party, today: time::Date) -> ReferralPart {
        ReferralPart {
            referrals: Vec::new(),
            base,
            me,
            receivers: Vec::new(),
            can_send: false,
            today,
            f: PartForm::default(),
        }
    }

    pub fn party_name(&self, l: &Layout, name: &Option<String>) -> String {
        name.clone().unwrap_or_else(|| l.t("referral.unit").to_string())
    }

    pub fn state_key(&self, r: &Referral) -> String {
        format!("referral.state.{}", r.state.code())
    }

    pub fn overdue(&self, r: &Referral) -> bool {
        is_overdue(r.state, r.due_on, self.today)
    }

    /// The steps the viewer may take on a referral: only its receiver, only while open.
    pub fn steps(&self, r: &Referral) -> Vec<(&'static str, String)> {
        if r.to != self.me || !matches!(r.state, ReferralState::Sent | ReferralState::Accepted) {
            return Vec::new();
        }
        ReferralStep::ALL
            .iter()
            .filter(|s| husly_domain::referral::next_state(r.state, **s).is_some())
            .map(|s| (s.code(), format!("referral.step.{}", s.code())))
            .collect()
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn timestamp(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }

    pub fn default_due(&self) -> String {
        format_date(self.today + time::Duration::days(14))
    }
}

/// A referral as typed into the send form.
pub fn typed_referral(f: &FormFields) -> ReferralInput<'_> {
    ReferralInput {
        to: f.get("to"),
        purpose: f.get("purpose"),
        request: f.get("request"),
        due_on: f.get("due_on"),
    }
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    l: Layout,
    household: HouseholdId,
    rp: ReferralPart,
}

async fn page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> Result<ReferralsPage, UseCaseError> {
    let found = referrals::household_referrals(&user.ctx(state), id).await?;
    let mut rp = ReferralPart::new(format!("/households/{id}/referrals"), Party::Unit, state.clock.today());
    rp.referrals = found.referrals;
    rp.receivers = found.receivers.into_iter().map(|o| (o.id, o.name)).collect();
    rp.can_send = found.can_send;
    Ok(ReferralsPage {
        l: Layout::for_user(user, Section::Search, state.config.demo_mode),
        household: id,
        rp,
    })
}

/// `GET /households/{id}/referrals`.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    render(&page(&state, &user, id).await?)
}

async fn again(
    state: &AppState,
    form: &StaffForm,
    id: HouseholdId,
    active: &str,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut p = page(state, &form.user, id).await?;
    let code = p.rp.f.refused(active, &form.fields, error, p.l.tr.lang)?;
    let mut response = render(&p)?;
    *response.status_mut() = code;
    Ok(response)
}

/// `POST /households/{id}/referrals`: sent, else the form with each problem named.
async fn send(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    match referrals::send_referral(&form.user.ctx(&state), id, &typed_referral(&form.fields)).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}/referrals"),
            "flash.referral.sent",
        )),
        Err(e) => again(&state, &form, id, "send", e).await,
    }
}

/// `POST /households/{id}/referrals/{referral}/answer`: accepted, declined or completed.
async fn answer(
    State(state): State<AppState>,
    Path((id, referral)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let step = (form.fields.get("step"), form.fields.get("text"));
    match referrals::answer_referral(&form.user.ctx(&state), id, &referral, step).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}/referrals"),
            "flash.referral.answered",
        )),
        Err(e) => again(&state, &form, id, &referral, e).await,
    }
}

#[derive(Template)]
#[template(path = "referrals_queue.html")]
struct QueuePage {
    l: Layout,
    q: ReferralQueue,
    rp: ReferralPart,
    mp: MeetingPart,
}

/// `GET /referrals`: the unit's open referrals, to and from it, by due day.
async fn queue(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::SendReferral)?;
    let q = referrals::unit_referral_queue(&user.ctx(&state), municipality.id).await?;
    render(&QueuePage {
        l: Layout::for_user(&user, Section::Cases, state.config.demo_mode),
        q,
        rp: ReferralPart::new(String::new(), Party::Unit, state.clock.today()),
        mp: MeetingPart::new(String::new(), Party::Unit, state.clock.today()),
    })
}
