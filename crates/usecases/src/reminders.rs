//! Reminders: raised each night by the scheduler for the person who must act, listed for them,
//! marked done (and open again) by them. See `docs/architecture.md`, "Reminders".

use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_domain::reminder::{self, Addressee, PLAN_REVIEW_LEAD_DAYS, ReminderKind, ReminderState};
use husly_domain::validation::FieldError;
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::reminders::{CandidateBounds, Reader, Reminder};
use serde_json::json;
use time::{Date, Duration};

use crate::{Ctx, UseCaseError, UseCaseResult};

/// The daily job's name.
pub const REMINDER_JOB: &str = "reminders";

/// How long a reminder marked done stays on the list (with *open again*), in days.
pub const DONE_SHOWN_DAYS: i64 = 30;

/// The most reminders one list shows.
pub const MOST_SHOWN: i64 = 500;

/// What one night's run raised.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReminderRun {
    pub raised: usize,
}

/// Raises today's reminders in every municipality: each thing the domain says is due, once.
/// Running it again the same day (or the next) raises nothing twice.
pub async fn raise_reminders(store: &Store, today: Date) -> UseCaseResult<ReminderRun> {
    let actor = Actor::system("reminders");
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let bounds = CandidateBounds {
        term_ended_before: today,
        review_between: (today, today + Duration::days(PLAN_REVIEW_LEAD_DAYS)),
        approvals_on: today,
    };
    let mut run = ReminderRun::default();
    for municipality in store.municipalities().await? {
        let candidates = store.reminder_candidates(municipality.id, bounds).await?;
        let due = reminder::due(candidates, today);
        run.raised += store.raise_reminders(municipality.id, &due, today, &change).await?;
    }
    Ok(run)
}

/// A reminder with the household's main person, as a list shows it.
#[derive(Debug, Clone)]
pub struct ReminderLine {
    pub reminder: Reminder,
    /// The main person's name ("" when the household is not found).
    pub name: String,
}

/// The caller's reminders: open ones first, then those done in the last [`DONE_SHOWN_DAYS`].
#[derive(Debug, Clone)]
pub struct MyReminders {
    pub lines: Vec<ReminderLine>,
    pub open: usize,
}

/// The caller as the store reads reminders for them: whether they hold the role each kind is
/// addressed to (`ReminderKind::addressed_to`); those for a responsible or assigned worker are
/// matched on the caller's id.
fn reader(ctx: &Ctx, municipality: MunicipalityId) -> Reader {
    let roles = ctx.principal.roles_in(municipality);
    let holds = |kind: ReminderKind| match kind.addressed_to() {
        Addressee::Role(role) | Addressee::AssignedOr(role) => roles.contains(&role),
        Addressee::Responsible => false,
    };
    Reader {
        user: ctx.user.id,
        housing_manager: holds(ReminderKind::ContractPastTerm),
        caseworker: holds(ReminderKind::ApprovalRenewal),
    }
}

/// The caller's reminders in `municipality`; the read names households, so it is recorded.
pub async fn my_reminders(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<MyReminders> {
    ctx.require(Action::ViewReminders, municipality)?;
    let done_since = husly_store::now_micros() - DONE_SHOWN_DAYS * 24 * 3_600 * 1_000_000;
    let reminders = ctx
        .store
        .reminders_for(municipality, reader(ctx, municipality), done_since, MOST_SHOWN)
        .await?;
    let households: Vec<_> = reminders.iter().map(|r| r.household).collect();
    let names = ctx.store.caseload_names(municipality, &households).await?;
    ctx.audit_read(
        municipality,
        "reminders.view",
        ("municipality", municipality.to_string()),
        json!({ "reminders": reminders.len() }),
    )
    .await?;
    let open = reminders.iter().filter(|r| r.state == ReminderState::Open).count();
    let lines = reminders
        .into_iter()
        .map(|reminder| ReminderLine {
            name: names
                .get(&reminder.household)
                .map(|(name, _, _)| name.clone())
                .unwrap_or_default(),
            reminder,
        })
        .collect();
    Ok(MyReminders { lines, open })
}

/// How many open reminders the caller has in `municipality`; `None` when no reminder is ever
/// for them there. A count names no one, so it is not recorded.
pub async fn open_count(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Option<i64>> {
    if ctx.require(Action::ViewReminders, municipality).is_err() {
        return Ok(None);
    }
    Ok(Some(
        ctx.store
            .open_reminder_count(municipality, reader(ctx, municipality))
            .await?,
    ))
}

/// Marks the caller's reminder `id` done, or open again (`to` is `done` or `open`), from the
/// `version` the caller saw; returns it as kept. A reminder that is not theirs, or no longer
/// matters, is not found; one changed meanwhile is a conflict.
pub async fn mark_reminder(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: &str,
    to: &str,
    version: i64,
) -> UseCaseResult<Reminder> {
    ctx.require(Action::MarkReminder, municipality)?;
    let reader = reader(ctx, municipality);
    let kept = ctx.store.reminder_for(municipality, reader, id).await?;
    let to = ReminderState::from_code(to)
        .ok_or_else(|| UseCaseError::Invalid(vec![FieldError::new("state", "invalid", "error.reminder.bad_state")]))?;
    if kept.version != version {
        return Err(UseCaseError::Conflict);
    }
    reminder::mark(kept.state, to)
        .map_err(|key| UseCaseError::Invalid(vec![FieldError::new("state", "already", key)]))?;
    let actor = ctx.actor(municipality);
    ctx.store
        .mark_reminder(municipality, &kept, to, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.reminder_for(municipality, reader, id).await?)
}
