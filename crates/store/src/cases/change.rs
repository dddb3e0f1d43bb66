//! Running a lifecycle command of the domain on a case and writing what it returns.

use husly_domain::cases::{CaseChange, DecisionChange, LatestDecision, LedgerEffect, Refusal};
use husly_domain::{CaseId, MunicipalityId};

use super::decisions::{latest_decision, write_decision};
use super::letters::{NewLetter, store_letter};
use super::{Case, case_event, locked_case, read_case, save_case};
use crate::Store;
use crate::db::Tx;
use crate::error::{StoreError, StoreResult};
use crate::households::Change;

impl Store {
    /// Changes a case. Locks it at the version the user saw (a newer one is a conflict), runs
    /// `command` — a lifecycle command of the domain — on it and its newest decision, and writes
    /// what the command returns: the case with the next version, the decision, the letter (the
    /// decision's, when the change sends one), the grant budget postings, and the event with its
    /// audit entry, all in one transaction. A refused command writes nothing.
    pub async fn change_case(
        &self,
        municipality: MunicipalityId,
        id: CaseId,
        expected_version: i64,
        letter: Option<&NewLetter<'_>>,
        who: &Change<'_>,
        command: impl FnOnce(&Case, Option<&LatestDecision>) -> Result<CaseChange, Refusal>,
    ) -> StoreResult<Case> {
        let mut tx = self.write().await?;
        let before = locked_case(&mut tx, municipality, id, expected_version).await?;
        let latest = latest_decision(&mut tx, &before).await?;
        let change = command(&before, latest.as_ref()).map_err(StoreError::Refused)?;
        let CaseChange {
            case,
            event,
            mut details,
            reason,
            decision,
            ledger,
            tenancy,
        } = change;
        if case.id != before.id || case.municipality_id != municipality || case.version != before.version {
            return Err(StoreError::Invalid("a command may not change which case it is".into()));
        }
        let who = Change {
            reason: reason.as_deref().or(who.reason),
            ..*who
        };
        let sent_decision = match &decision {
            Some(DecisionChange::Send { id }) => Some(*id),
            _ => None,
        };
        if let Some(decision) = &decision {
            write_decision(&mut tx, municipality, id, decision).await?;
        }
        if let Some(letter) = letter {
            let sha = store_letter(&mut tx, municipality, id, sent_decision, letter, who.user).await?;
            if let serde_json::Value::Object(map) = &mut details {
                map.insert("letter_sha256".into(), sha.into());
            }
        }
        for effect in ledger {
            apply_ledger(&mut tx, &case, effect, &who).await?;
        }
        if let Some(effect) = tenancy {
            crate::renewals::apply(&mut tx, &case, effect, &who).await?;
        }
        save_case(&mut tx, &case).await?;
        case_event(&mut tx, &case, event, &who, details).await?;
        let after = read_case(tx.conn(), municipality, id).await?;
        tx.commit().await?;
        Ok(after)
    }
}

async fn apply_ledger(tx: &mut Tx, case: &Case, effect: LedgerEffect, who: &Change<'_>) -> StoreResult<()> {
    match effect {
        LedgerEffect::ReleaseOutstanding { grant, on, note } => {
            crate::finance::release_outstanding(tx, case, grant, on, note, who).await
        }
        LedgerEffect::Pay {
            grant,
            amount_ore,
            on,
            note,
        } => {
            crate::finance::post(
                tx,
                case,
                grant,
                crate::finance::Posting {
                    kind: husly_domain::finance::EntryKind::Paid,
                    amount_ore,
                    on,
                    decision: None,
                    note: &note,
                },
                who,
            )
            .await
        }
        LedgerEffect::Commit {
            grant,
            amount_ore,
            on,
            decision,
        } => {
            crate::finance::post(
                tx,
                case,
                grant,
                crate::finance::Posting {
                    kind: husly_domain::finance::EntryKind::Committed,
                    amount_ore,
                    on,
                    decision: Some(decision),
                    note: "",
                },
                who,
            )
            .await
        }
    }
}
