//! Offers: make one from a drawn round's line, record the household's answer (accept, or
//! decline with a coded reason), withdraw, reopen (the undo of a decline, an expiry or a
//! withdrawal), and the nightly expiry. Making an offer and reopening one send the household the
//! offer letter (tilbud om kommunal utleiebolig), stored as a letter of its case in the same
//! transaction as the offer. The rules are the domain's (`allocation::offer`) with the
//! municipality's `[offers]` policy; the database refuses a second open offer for a dwelling or a
//! household, and that refusal is shown on the form, not as a fault.

use husly_domain::MunicipalityId;
use husly_domain::allocation::dwelling::DwellingStatus;
use husly_domain::allocation::offer::{
    self, Answer, DeclineReason, DeclineStanding, OfferRefusal, OfferState, PastAnswer,
};
use husly_domain::allocation::policy::OfferRules;
use husly_domain::allocation::round::{RoundRefusal, RoundState, check_reason};
use husly_domain::authz::Action;
use husly_domain::validation::{Errors, FieldError};
use husly_letters::LetterKind;
use husly_store::allocation::{
    AllocationEvent, MovedBy, NewOffer, OPEN_OFFER_FOR_CASE, OPEN_OFFER_FOR_DWELLING, Offer, OfferMove,
};
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::{Store, StoreError};
use serde_json::json;
use time::Date;

use crate::cases::letters::{OfferTerms, Party, offer_letter, party_language, render};
use crate::cases::{CaseFile, load};
use crate::priority_policy::policy_in_force;
use crate::rounds::refused as round_refused;
use crate::{Ctx, UseCaseError, UseCaseResult};

/// The municipality's offer rule, from the priority policy in force on `date`.
async fn rules(store: &Store, municipality: MunicipalityId, date: Date) -> UseCaseResult<OfferRules> {
    Ok(policy_in_force(store, municipality, date).await?.0.offers)
}

fn refused(field: &str, refusal: OfferRefusal) -> UseCaseError {
    UseCaseError::Invalid(vec![FieldError::new(field, "offer_refused", refusal.key())])
}

fn authorise(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<()> {
    ctx.require(Action::Allocate, municipality)?;
    ctx.require(Action::ViewCase, municipality)
}

/// A second open offer, as the database refused it, on the form.
fn already_offered(error: StoreError) -> UseCaseError {
    match error {
        StoreError::Duplicate(index) if index == OPEN_OFFER_FOR_DWELLING => {
            UseCaseError::Invalid(vec![FieldError::new(
                "",
                "open_offer",
                "offer.refused.dwelling_has_open_offer",
            )])
        }
        StoreError::Duplicate(index) if index == OPEN_OFFER_FOR_CASE => UseCaseError::Invalid(vec![FieldError::new(
            "",
            "open_offer",
            "offer.refused.household_has_open_offer",
        )]),
        other => other.into(),
    }
}

/// A household's standing with the decline rule, from its offers.
pub fn standing(offers: &[Offer], rules: &OfferRules) -> DeclineStanding {
    let history: Vec<PastAnswer> = offers
        .iter()
        .map(|o| PastAnswer {
            state: o.state,
            reason: o.decline_reason,
        })
        .collect();
    DeclineStanding::of(&history, rules)
}

/// The municipality's offers, newest first (only open ones when `open_only`). Households are
/// named: an audited read.
pub async fn offers(ctx: &Ctx, municipality: MunicipalityId, open_only: bool) -> UseCaseResult<Vec<Offer>> {
    authorise(ctx, municipality)?;
    let offers = ctx.store.offers(municipality, open_only).await?;
    ctx.audit_read(
        municipality,
        "offer.list",
        ("municipality", municipality.to_string()),
        json!({ "offers": offers.len(), "open_only": open_only }),
    )
    .await?;
    Ok(offers)
}

/// One offer with its history and the household's standing with the decline rule.
#[derive(Debug, Clone)]
pub struct OfferView {
    pub offer: Offer,
    pub events: Vec<AllocationEvent>,
    /// Every offer the household has had, this one included.
    pub household_offers: Vec<Offer>,
    pub standing: DeclineStanding,
    pub rules: OfferRules,
}

pub async fn offer(ctx: &Ctx, municipality: MunicipalityId, id: &str) -> UseCaseResult<OfferView> {
    authorise(ctx, municipality)?;
    let offer = ctx.store.offer(municipality, id).await?;
    let events = ctx.store.allocation_events(municipality, None, Some(id)).await?;
    let household_offers = ctx.store.offers_of_case(municipality, offer.case).await?;
    let rules = rules(&ctx.store, municipality, ctx.today).await?;
    ctx.audit_read(
        municipality,
        "offer.view",
        ("offer", id.to_string()),
        json!({ "case": offer.case.to_string() }),
    )
    .await?;
    Ok(OfferView {
        standing: standing(&household_offers, &rules),
        offer,
        events,
        household_offers,
        rules,
    })
}

/// The answer date as typed, or the policy's default; not before today.
fn answer_date(ctx: &Ctx, errors: &mut Errors, typed: &str, rules: &OfferRules) -> Option<Date> {
    let answer_by = if typed.trim().is_empty() {
        offer::answer_by(ctx.today, rules)
    } else {
        errors.optional_date("answer_by", typed)?
    };
    if let Err(refusal) = offer::check_answer_by(ctx.today, answer_by) {
        errors.push(FieldError::new("answer_by", "offer_refused", refusal.key()));
        return None;
    }
    Some(answer_by)
}

/// The offer letter for the household of `file`, written out: the dwelling as registered, the
/// answer date, and the offer rule in force; in the household's letter language.
async fn render_offer_letter(
    ctx: &Ctx,
    file: &CaseFile,
    dwelling: &husly_store::dwellings::Dwelling,
    answer_by: Date,
    rules: &OfferRules,
) -> UseCaseResult<crate::cases::letters::Rendered> {
    let language = party_language(&ctx.store, file).await?;
    let answer_online = ctx.store.applied_online(file.municipality, file.case.id).await?;
    // A dwelling registered as vacant from a later day can be moved into from that day.
    let available_from =
        (dwelling.status == DwellingStatus::Vacant && dwelling.status_from > ctx.today).then_some(dwelling.status_from);
    let terms = OfferTerms {
        dwelling: &dwelling.details,
        available_from,
        answer_by,
        answer_online,
        rules,
    };
    render(offer_letter(
        &ctx.user,
        &file.number,
        &file.case,
        Party::of(file),
        &terms,
        language,
        ctx.today,
    ))
    .await
}

/// The case an offer goes to, in the municipality making it.
async fn offer_case(ctx: &Ctx, municipality: MunicipalityId, case: husly_domain::CaseId) -> UseCaseResult<CaseFile> {
    let file = load(ctx, case, Action::ViewCase).await?;
    if file.municipality != municipality {
        return Err(UseCaseError::NotFound);
    }
    Ok(file)
}

/// Offers a drawn round's line to the household chosen on it, with an answer date (the
/// policy's default when empty), and sends the household the offer letter: stored with the
/// offer in one transaction, as a letter of its case. Returns the offer's id.
pub async fn make_offer(
    ctx: &Ctx,
    municipality: MunicipalityId,
    round: &str,
    dwelling: &str,
    answer_by: &str,
    note: &str,
) -> UseCaseResult<String> {
    authorise(ctx, municipality)?;
    let saved = ctx.store.round(municipality, round).await?;
    if saved.state != RoundState::Drawn {
        return Err(round_refused("", &RoundRefusal::WrongState(saved.state)));
    }
    let line = saved
        .lines
        .iter()
        .find(|l| l.dwelling_id == dwelling)
        .ok_or(UseCaseError::NotFound)?;
    let Some(case) = line.case else {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "",
            "offer_refused",
            "offer.refused.no_household",
        )]));
    };
    let d = ctx.store.dwelling(municipality, dwelling).await?;
    if d.status != DwellingStatus::Vacant || d.deleted {
        return Err(UseCaseError::Invalid(vec![
            FieldError::new("", "offer_refused", "offer.refused.not_vacant").arg_key("status", d.status.key()),
        ]));
    }
    let rules = rules(&ctx.store, municipality, ctx.today).await?;
    let mut errors = Errors::default();
    let answer_by = answer_date(ctx, &mut errors, answer_by, &rules);
    let note = errors.optional_text("note", note);
    let Some(answer_by) = answer_by.filter(|_| errors.is_empty()) else {
        return Err(UseCaseError::Invalid(errors.0));
    };
    let file = offer_case(ctx, municipality, case).await?;
    let letter = render_offer_letter(ctx, &file, &d, answer_by, &rules).await?;
    let new = NewOffer {
        round_id: Some(round),
        dwelling_id: dwelling,
        case,
        sent_on: ctx.today,
        answer_by,
        note: note.as_deref(),
    };
    let actor = ctx.actor(municipality);
    let id = ctx
        .store
        .create_offer_with_letter(
            municipality,
            &new,
            Some(&letter.as_new(LetterKind::Offer.code())),
            &ctx.change(&actor),
        )
        .await
        .map_err(already_offered)?;
    crate::notify::letter_sent(ctx, &file).await;
    Ok(id)
}

/// An answer as typed: `accept`, or `decline` with a reason code (and a note for `other`).
pub fn parse_answer(answer: &str, reason: &str, note: &str) -> Result<(Answer, Option<String>), Vec<FieldError>> {
    let mut errors = Errors::default();
    let note = errors.optional_text("note", note);
    let answer = match answer.trim() {
        "accept" => Some(Answer::Accept),
        "decline" => match DeclineReason::from_code(reason.trim()) {
            Some(r) if r.needs_note() && note.is_none() => {
                errors.push(FieldError::new("note", "required", "offer.refused.note_for_other"));
                None
            }
            Some(r) => Some(Answer::Decline(r)),
            None if reason.trim().is_empty() => {
                errors.push(FieldError::required("reason"));
                None
            }
            None => {
                errors.push(FieldError::unknown_value("reason", reason, &DeclineReason::codes()));
                None
            }
        },
        other => {
            errors.push(FieldError::unknown_value("answer", other, &["accept", "decline"]));
            None
        }
    };
    match answer {
        Some(a) if errors.is_empty() => Ok((a, note)),
        _ => Err(errors.0),
    }
}

/// What an answer leaves: the household's standing with the decline rule afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    pub state: OfferState,
    pub standing: DeclineStanding,
}

/// Records an answer for one offer, by a caseworker (`by` = user) or by the applicant.
#[allow(clippy::too_many_arguments)]
async fn record_answer(
    store: &Store,
    municipality: MunicipalityId,
    current: &Offer,
    version: i64,
    answer: Answer,
    note: Option<&str>,
    today: Date,
    by: MovedBy,
    change: &Change<'_>,
) -> UseCaseResult<Answered> {
    if current.version != version {
        return Err(UseCaseError::Conflict);
    }
    let to = offer::answer(current.state, current.answer_by, today, answer).map_err(|r| refused("", r))?;
    let mv = OfferMove {
        from: current.state,
        to,
        on: today,
        decline_reason: match answer {
            Answer::Decline(r) => Some(r),
            Answer::Accept => None,
        },
        note,
        answer_by: None,
    };
    store
        .move_offer(municipality, &current.id, version, &mv, by, change)
        .await?;
    let rules = rules(store, municipality, today).await?;
    let household = store.offers_of_case(municipality, current.case).await?;
    Ok(Answered {
        state: to,
        standing: standing(&household, &rules),
    })
}

/// Records the household's answer as a caseworker took it (by phone, at the counter).
pub async fn answer_offer(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    answer: &str,
    reason: &str,
    note: &str,
) -> UseCaseResult<Answered> {
    authorise(ctx, municipality)?;
    let current = ctx.store.offer(municipality, id).await?;
    let (answer, note) = parse_answer(answer, reason, note).map_err(UseCaseError::Invalid)?;
    let actor = ctx.actor(municipality);
    let change = ctx.change(&actor);
    record_answer(
        &ctx.store,
        municipality,
        &current,
        version,
        answer,
        note.as_deref(),
        ctx.today,
        MovedBy::User,
        &change,
    )
    .await
}

/// The applicant's own answer, from the self-service page. `actor` names the draft.
#[allow(clippy::too_many_arguments)]
pub async fn answer_offer_as_applicant(
    store: &Store,
    actor: &Actor,
    municipality: MunicipalityId,
    current: &Offer,
    version: i64,
    answer: &str,
    reason: &str,
    note: &str,
    today: Date,
) -> UseCaseResult<Answered> {
    let (answer, note) = parse_answer(answer, reason, note).map_err(UseCaseError::Invalid)?;
    let change = Change {
        actor,
        user: None,
        reason: None,
    };
    record_answer(
        store,
        municipality,
        current,
        version,
        answer,
        note.as_deref(),
        today,
        MovedBy::Applicant,
        &change,
    )
    .await
}

/// Takes an open offer back, with a reason (the household has not answered yet).
pub async fn withdraw_offer(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    reason: &str,
) -> UseCaseResult<()> {
    authorise(ctx, municipality)?;
    let current = ctx.store.offer(municipality, id).await?;
    if current.version != version {
        return Err(UseCaseError::Conflict);
    }
    let to = offer::withdraw(current.state).map_err(|r| refused("", r))?;
    let reason = check_reason(reason).map_err(|r| round_refused("reason", &r))?;
    let mv = OfferMove {
        from: current.state,
        to,
        on: ctx.today,
        decline_reason: None,
        note: None,
        answer_by: None,
    };
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(&reason);
    Ok(ctx
        .store
        .move_offer(municipality, id, version, &mv, MovedBy::User, &who)
        .await?)
}

/// Undoes a decline, an expiry or a withdrawal: the offer is open again with a new answer date,
/// unless the dwelling or the household has another open offer by now. The household gets a new
/// offer letter with the new answer date, stored with the move.
pub async fn reopen_offer(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: &str,
    version: i64,
    answer_by: &str,
    reason: &str,
) -> UseCaseResult<()> {
    authorise(ctx, municipality)?;
    let current = ctx.store.offer(municipality, id).await?;
    if current.version != version {
        return Err(UseCaseError::Conflict);
    }
    let to = offer::reopen(current.state).map_err(|r| refused("", r))?;
    let rules = rules(&ctx.store, municipality, ctx.today).await?;
    let mut errors = Errors::default();
    let answer_by = answer_date(ctx, &mut errors, answer_by, &rules);
    let reason = match check_reason(reason) {
        Ok(r) => Some(r),
        Err(r) => {
            errors.push(FieldError::new("reason", "round_refused", r.key()));
            None
        }
    };
    let (Some(answer_by), Some(reason), true) = (answer_by, reason, errors.is_empty()) else {
        return Err(UseCaseError::Invalid(errors.0));
    };
    let file = offer_case(ctx, municipality, current.case).await?;
    let dwelling = ctx.store.dwelling(municipality, &current.dwelling_id).await?;
    let letter = render_offer_letter(ctx, &file, &dwelling, answer_by, &rules).await?;
    let mv = OfferMove {
        from: current.state,
        to,
        on: ctx.today,
        decline_reason: None,
        note: None,
        answer_by: Some(answer_by),
    };
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(&reason);
    ctx.store
        .move_offer_with_letter(
            municipality,
            id,
            version,
            &mv,
            MovedBy::User,
            Some(&letter.as_new(LetterKind::Offer.code())),
            &who,
        )
        .await
        .map_err(already_offered)?;
    crate::notify::letter_sent(ctx, &file).await;
    Ok(())
}

/// The scheduler's name for the nightly expiry.
pub const OFFER_EXPIRY_JOB: &str = "offer_expiry";

/// Marks every open offer whose answer date has passed as expired (the nightly job). Returns
/// how many were expired; an offer answered meanwhile is left as it is.
pub async fn expire_offers(store: &Store, today: Date) -> UseCaseResult<usize> {
    let due = store.offers_past_answer_date(today).await?;
    let actor = Actor::system("offer expiry");
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let mut expired = 0;
    for (municipality, id, version) in due {
        let mv = OfferMove {
            from: OfferState::Open,
            to: OfferState::Expired,
            on: today,
            decline_reason: None,
            note: None,
            answer_by: None,
        };
        match store
            .move_offer(municipality, &id, version, &mv, MovedBy::System, &change)
            .await
        {
            Ok(()) => expired += 1,
            // Answered or withdrawn since it was listed.
            Err(StoreError::Conflict { .. }) => {}
            Err(other) => return Err(other.into()),
        }
    }
    Ok(expired)
}
