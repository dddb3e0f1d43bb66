//! Journal notes on a case or a household: a caseworker writes one (a follow-up worker too, on a
//! household); everyone who may see the case
//! or household reads those meant for them (the domain's [`NoteVisibility`] rule).

use crate::{Ctx, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::notes::{NoteVisibility, check_note};
use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use husly_store::notes::{Note, NoteSubject};
use serde_json::json;

/// Keeps a note on a case (caseworkers); returns the notes the caller may read, the new one last
/// (the write is recorded, so this is no read of its own). Field errors are named `text`.
pub async fn add_case_note(ctx: &Ctx, id: CaseId, text: &str, visibility: NoteVisibility) -> UseCaseResult<Vec<Note>> {
    let municipality = ctx.case_owner(id, Action::HandleCase).await?;
    add(ctx, municipality, NoteSubject::Case(id), text, visibility).await
}

/// Keeps a note on a household (caseworkers, and follow-up workers logging a contact or a home
/// visit); returns the notes as [`add_case_note`] does.
pub async fn add_household_note(
    ctx: &Ctx,
    id: HouseholdId,
    text: &str,
    visibility: NoteVisibility,
) -> UseCaseResult<Vec<Note>> {
    let municipality = ctx.household_owner(id, Action::WriteHouseholdNote).await?;
    add(ctx, municipality, NoteSubject::Household(id), text, visibility).await
}

async fn add(
    ctx: &Ctx,
    municipality: MunicipalityId,
    subject: NoteSubject,
    text: &str,
    visibility: NoteVisibility,
) -> UseCaseResult<Vec<Note>> {
    let note = check_note(text, visibility, &ctx.principal, municipality)?;
    let actor = ctx.actor(municipality);
    ctx.store
        .add_note(municipality, subject, &note, &ctx.change(&actor))
        .await?;
    readable(ctx, municipality, subject).await
}

/// The notes on a case the caller may read, oldest first; the read is recorded.
pub async fn case_notes(ctx: &Ctx, id: CaseId) -> UseCaseResult<Vec<Note>> {
    let municipality = ctx.case_owner(id, Action::ViewCase).await?;
    let notes = readable(ctx, municipality, NoteSubject::Case(id)).await?;
    ctx.audit_read(
        municipality,
        "case.notes",
        ("case", id.to_string()),
        json!({ "notes": notes.len() }),
    )
    .await?;
    Ok(notes)
}

/// The notes on a household the caller may read, oldest first; the read is recorded.
pub async fn household_notes(ctx: &Ctx, id: HouseholdId) -> UseCaseResult<Vec<Note>> {
    let municipality = ctx.household_owner(id, Action::ViewHousehold).await?;
    let notes = readable(ctx, municipality, NoteSubject::Household(id)).await?;
    ctx.audit_read(
        municipality,
        "household.notes",
        ("household", id.to_string()),
        json!({ "notes": notes.len() }),
    )
    .await?;
    Ok(notes)
}

/// The notes on `subject` the caller may read (they have been allowed to see the subject).
pub(crate) async fn readable(
    ctx: &Ctx,
    municipality: MunicipalityId,
    subject: NoteSubject,
) -> UseCaseResult<Vec<Note>> {
    let mut notes = ctx.store.notes(municipality, subject).await?;
    notes.retain(|n| n.visibility.readable_by(&ctx.principal, municipality));
    Ok(notes)
}
