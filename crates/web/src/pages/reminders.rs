//! The caller's reminders (`/reminders`): what the nightly job says is due for them to act on,
//! open ones first, each with a link to what it is about and a mark; those marked done lately
//! with *open again*.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::reminder::{ReminderKind, ReminderState};
use husly_domain::validation::format_date;
use husly_usecases::reminders::{self, MyReminders, ReminderLine};

use super::part_form::PartForm;
use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::StaffForm;
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/reminders", get(view))
        .route("/reminders/{reminder}", post(mark))
}

#[derive(Template)]
#[template(path = "reminders.html")]
struct RemindersPage {
    l: Layout,
    r: MyReminders,
    /// The refused mark, if any (the reminder's id), and why.
    f: PartForm,
}

impl RemindersPage {
    fn lines(&self, state: ReminderState) -> Vec<&ReminderLine> {
        self.r
            .lines
            .iter()
            .filter(|line| line.reminder.state == state)
            .collect()
    }

    pub fn open_lines(&self) -> Vec<&ReminderLine> {
        self.lines(ReminderState::Open)
    }

    pub fn done_lines(&self) -> Vec<&ReminderLine> {
        self.lines(ReminderState::Done)
    }

    pub fn kind_key(&self, line: &ReminderLine) -> String {
        line.reminder.kind.key()
    }

    pub fn link_key(&self, line: &ReminderLine) -> String {
        format!("reminder.open_link.{}", line.reminder.kind.code())
    }

    /// Where the reminder's matter is dealt with.
    pub fn link(&self, line: &ReminderLine) -> String {
        let r = &line.reminder;
        match r.kind {
            ReminderKind::ContractPastTerm => format!("/tenancies/{}", r.subject),
            ReminderKind::PlanReview => format!("/households/{}/follow-up", r.household),
            ReminderKind::ApprovalRenewal => format!("/cases/{}", r.subject),
        }
    }

    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    /// An open reminder's day it was raised; a done one's who marked it and when.
    pub fn when(&self, line: &ReminderLine) -> String {
        let r = &line.reminder;
        match (r.state, r.done_at) {
            (ReminderState::Done, Some(at)) => match &r.done_by_name {
                Some(name) => format!("{name}, {}", format_timestamp(at)),
                None => format_timestamp(at),
            },
            _ => format_date(r.raised_on),
        }
    }

    /// The state a mark moves the reminder to, and the button's words.
    pub fn next_state(&self, line: &ReminderLine) -> &'static str {
        match line.reminder.state {
            ReminderState::Open => ReminderState::Done.code(),
            ReminderState::Done => ReminderState::Open.code(),
        }
    }

    pub fn mark_key(&self, line: &ReminderLine) -> &'static str {
        match line.reminder.state {
            ReminderState::Open => "reminder.mark_done",
            ReminderState::Done => "reminder.reopen",
        }
    }
}

async fn page(state: &AppState, user: &CurrentUser) -> AppResult<RemindersPage> {
    let municipality = user.working_municipality(Action::ViewReminders)?;
    let r = reminders::my_reminders(&user.ctx(state), municipality.id).await?;
    Ok(RemindersPage {
        l: Layout::for_user(user, Section::Reminders, state.config.demo_mode),
        r,
        f: PartForm::default(),
    })
}

/// `GET /reminders`.
async fn view(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    render(&page(&state, &user).await?)
}

/// `POST /reminders/{reminder}`: marked done or open again (`state`, from `version`), with a
/// confirmation; else the list with the problem beside the reminder, or the conflict.
async fn mark(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let municipality = form.user.working_municipality(Action::MarkReminder)?.id;
    let f = &form.fields;
    // A version that is not a number cannot be the one shown: someone changed the page.
    let version = f.get("version").trim().parse().unwrap_or(-1);
    let ctx = form.user.ctx(&state);
    match reminders::mark_reminder(&ctx, municipality, &id, f.get("state"), version).await {
        Ok(kept) => Ok(crate::flash::redirect("/reminders", flash(kept.state))),
        Err(e) => {
            let mut p = page(&state, &form.user).await?;
            let code = p.f.refused(&id, &form.fields, e, p.l.tr.lang)?;
            let mut response = render(&p)?;
            *response.status_mut() = code;
            Ok(response)
        }
    }
}

/// The confirmation after a mark.
pub fn flash(state: ReminderState) -> &'static str {
    match state {
        ReminderState::Done => "flash.reminder.done",
        ReminderState::Open => "flash.reminder.reopened",
    }
}
