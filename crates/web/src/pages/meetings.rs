//! Collaboration meetings (*samarbeidsmøter*): the household's meetings at the unit's door
//! (`/households/{id}/meetings`), and the part both the unit's and the partner's household pages
//! show — each meeting with who took part and the actions agreed, the owner's forms to mark an
//! action done or open again, and the form to record a meeting.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::meeting::{ActionInput, ActionState, MeetingInput, MeetingKind, is_overdue};
use husly_domain::referral::{Party, UNIT};
use husly_domain::validation::format_date;
use husly_store::meetings::{Meeting, MeetingAction};
use husly_usecases::UseCaseError;
use husly_usecases::meetings;

use super::part_form::PartForm;
use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};

/// How many action rows the form offers (the API takes up to
/// [`husly_domain::meeting::MAX_ACTIONS`]).
pub const ACTION_ROWS: usize = 5;

pub fn routes() -> Routes {
    Routes::new()
        .route("/households/{id}/meetings", get(view).post(record))
        .route("/households/{id}/meetings/actions/{action}", post(change))
}

/// The meetings part of a household page.
pub struct MeetingPart {
    pub meetings: Vec<Meeting>,
    /// Where the forms post: `…/meetings` (record) and `…/meetings/actions/{id}`.
    pub base: String,
    /// Who looks: the unit, or the partner's organisation.
    pub me: Party,
    /// The organisations that may take part, besides the viewer's own: (id, name).
    pub organisations: Vec<(String, String)>,
    /// Who may own an action: (code, name), the unit first.
    pub owners: Vec<(String, String)>,
    pub can_record: bool,
    pub today: time::Date,
    /// The forms' state (`record`, or a changed action's id).
    pub f: PartForm,
}

impl MeetingPart {
    pub fn new(base: String, me: Party, today: time::Date) -> MeetingPart {
        MeetingPart {
            meetings: Vec::new(),
            base,
            me,
            organisations: Vec::new(),
            owners: Vec::new(),
            can_record: false,
            today,
            f: PartForm::default(),
        }
    }

    /// The owners the form offers: the unit, the viewer's own organisation, then the others.
    pub fn set_owners(&mut self, l: &Layout, own: Option<(String, String)>) {
        self.owners = std::iter::once((UNIT.to_string(), l.t("referral.unit").to_string()))
            .chain(own)
            .chain(self.organisations.iter().cloned())
            .collect();
    }

    /// The hint on who takes part: the unit, or the viewer's own organisation, always does.
    pub fn organisations_hint(&self) -> &'static str {
        match self.me {
            Party::Unit => "meeting.organisations_hint",
            Party::Organisation(_) => "meeting.organisations_hint_partner",
        }
    }

    pub fn kinds(&self) -> Vec<(&'static str, String)> {
        MeetingKind::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    pub fn rows(&self) -> std::ops::Range<usize> {
        0..ACTION_ROWS
    }

    /// A row's field name as the form posts it, and as its errors are named.
    pub fn row_field(&self, row: &usize, field: &str) -> String {
        husly_domain::meeting::action_field(*row, field)
    }

    /// A row's field id: the anchor its error in the summary links to.
    pub fn row_id(&self, row: &usize, field: &str) -> String {
        self.f.anchor(&format!("record-{}", self.row_field(row, field)))
    }

    pub fn kind_key(&self, m: &Meeting) -> String {
        m.kind.key()
    }

    pub fn owner_name(&self, l: &Layout, a: &MeetingAction) -> String {
        a.owner_name.clone().unwrap_or_else(|| l.t("referral.unit").to_string())
    }

    pub fn overdue(&self, a: &MeetingAction) -> bool {
        is_overdue(a.state, a.due_on, self.today)
    }

    /// Whether the viewer owns the action and so may change it.
    pub fn owns(&self, a: &MeetingAction) -> bool {
        a.owner == self.me
    }

    /// Where a queue's action opens: the unit's meetings page, or the partner's household page.
    pub fn action_link(&self, a: &MeetingAction) -> String {
        match self.me {
            Party::Unit => format!("/households/{}/meetings#action-{}", a.household, a.id),
            Party::Organisation(_) => format!("/partner/households/{}#action-{}", a.household, a.id),
        }
    }

    pub fn is_done(&self, a: &MeetingAction) -> bool {
        a.state == ActionState::Done
    }

    /// Who took part, in words: the unit when it recorded the meeting, the organisations, the
    /// household and the others.
    pub fn participants(&self, l: &Layout, m: &Meeting) -> String {
        (m.recorded_for == Party::Unit)
            .then(|| l.t("referral.unit").to_string())
            .into_iter()
            .chain(m.organisations.iter().map(|(_, name)| name.clone()))
            .chain(m.household_present.then(|| l.t("meeting.household").to_string()))
            .chain(m.others.clone())
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn timestamp(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }

    pub fn default_held_on(&self) -> String {
        format_date(self.today)
    }
}

/// A meeting as typed into the record form.
pub fn typed_meeting(f: &FormFields) -> MeetingInput<'_> {
    MeetingInput {
        kind: f.get("kind"),
        held_on: f.get("held_on"),
        summary: f.get("summary"),
        organisations: f.all("organisations"),
        household_present: !f.get("household_present").is_empty(),
        others: f.get("others"),
        actions: (0..ACTION_ROWS)
            .map(|row| ActionInput {
                description: f.get(&husly_domain::meeting::action_field(row, "description")),
                owner: f.get(&husly_domain::meeting::action_field(row, "owner")),
                due_on: f.get(&husly_domain::meeting::action_field(row, "due_on")),
            })
            .collect(),
    }
}

/// An action's change as typed: the state it moves to and the outcome.
pub fn typed_change(f: &FormFields) -> (&str, &str) {
    (f.get("state"), f.get("outcome"))
}

#[derive(Template)]
#[template(path = "meetings.html")]
struct MeetingsPage {
    l: Layout,
    household: HouseholdId,
    mp: MeetingPart,
}

async fn page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> Result<MeetingsPage, UseCaseError> {
    let l = Layout::for_user(user, Section::Search, state.config.demo_mode);
    let found = meetings::household_meetings(&user.ctx(state), id).await?;
    let mut mp = MeetingPart::new(format!("/households/{id}/meetings"), Party::Unit, state.clock.today());
    mp.meetings = found.meetings;
    mp.organisations = found.organisations.into_iter().map(|o| (o.id, o.name)).collect();
    mp.set_owners(&l, None);
    mp.can_record = found.can_record;
    Ok(MeetingsPage { l, household: id, mp })
}

/// `GET /households/{id}/meetings`.
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
    let code = p.mp.f.refused(active, &form.fields, error, p.l.tr.lang)?;
    let mut response = render(&p)?;
    *response.status_mut() = code;
    Ok(response)
}

/// `POST /households/{id}/meetings`: recorded, else the form with each problem named.
async fn record(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    match meetings::record_meeting(&form.user.ctx(&state), id, &typed_meeting(&form.fields)).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}/meetings"),
            "flash.meeting.recorded",
        )),
        Err(e) => again(&state, &form, id, "record", e).await,
    }
}

/// `POST /households/{id}/meetings/actions/{action}`: one of the unit's actions done or open.
async fn change(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    match meetings::change_action(&form.user.ctx(&state), id, &action, typed_change(&form.fields)).await {
        Ok(a) => Ok(crate::flash::redirect(
            &format!("/households/{id}/meetings"),
            action_flash(&a),
        )),
        Err(e) => again(&state, &form, id, &action, e).await,
    }
}

/// The confirmation after an action changed.
pub fn action_flash(a: &MeetingAction) -> &'static str {
    match a.state {
        ActionState::Done => "flash.meeting.action_done",
        ActionState::Open => "flash.meeting.action_reopened",
    }
}
