//! The daily expiry of lapsed approvals on the waiting list: an approval is valid for the
//! municipality's validity period (`validity_months` in the allocation rules), the household is
//! reminded a month before, and when the period has run out without a renewal the approval
//! expires — the same `expire` step (reason: the validity ended) a caseworker took by hand
//! before, through the case lifecycle, as an event with the system as its actor. A caseworker can
//! undo it with `reinstate` (which starts a new period). Idempotent: an expired case is no longer
//! on the list, and a case changed since it was listed is left for the next run.

use husly_domain::cases::CaseAction;
use husly_domain::cases::requests::{ExpiryReason, Step};
use husly_store::audit::Actor;
use husly_store::households::Change;
use husly_store::{Store, StoreError};
use time::Date;

use crate::UseCaseResult;

/// The scheduler's name for the daily run.
pub const APPROVAL_EXPIRY_JOB: &str = "approval_expiry";

/// Cases read per query; a larger backlog is read again until done.
const BATCH: i64 = 500;

/// Expires every approval on the waiting list whose validity ran out before `today`. Returns how
/// many expired.
pub async fn expire_lapsed_approvals(store: &Store, today: Date) -> UseCaseResult<usize> {
    let actor = Actor::system("approval expiry");
    let change = Change {
        actor: &actor,
        user: None,
        reason: Some("Godkjenningen gikk ut uten å bli fornyet."),
    };
    let step = Step {
        action: CaseAction::Expire,
        reason: None,
        information_due: None,
        expiry: Some(ExpiryReason::ValidityEnded),
        appeal: None,
    };
    let mut expired = 0;
    loop {
        let due = store.lapsed_approvals(today, BATCH).await?;
        let mut expired_now = 0;
        for (municipality, id, version) in &due {
            // The validity period does not matter to `expire`; it is the renewal's.
            match store
                .change_case(*municipality, *id, *version, None, &change, |case, _| {
                    case.take_step(&step, today, 12)
                })
                .await
            {
                Ok(_) => expired_now += 1,
                // Changed since it was listed (renewed, say), or no longer allowed: left alone.
                Err(StoreError::Conflict { .. } | StoreError::Refused(_)) => {}
                Err(other) => return Err(other.into()),
            }
        }
        expired += expired_now;
        if (due.len() as i64) < BATCH || expired_now == 0 {
            break;
        }
    }
    Ok(expired)
}
