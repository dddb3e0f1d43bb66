//! Checkpoints of the audit chains, kept outside the database.
//!
//! The chains' hashes are unkeyed and their heads live in the same database, so someone who can
//! write to the database can cut the newest entries and move a head back, or remove an entry and
//! rehash the rest, and `verify_audit` would not notice. A checkpoint records each chain's head
//! (sequence number and hash) at a moment, signed with HMAC-SHA256 under a key that is not in the
//! database; the server appends one to a file in the data directory (and to its log) now and then.
//! Checking the database against the checkpoints finds both attacks: an entry a checkpoint saw is
//! gone, or its hash is not the one the checkpoint saw. See the threat model in
//! `docs/architecture.md`.

use crate::Store;
use crate::error::{StoreError, StoreResult};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use sqlx::Row;

/// One chain's head as a checkpoint saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Head {
    pub chain: String,
    pub seq: i64,
    pub hash: String,
}

/// Every chain's head at one moment, signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// Microseconds since the Unix epoch, UTC.
    pub at: i64,
    pub heads: Vec<Head>,
    /// HMAC-SHA256 of [`Checkpoint::signed_text`], hex.
    pub mac: String,
}

impl Checkpoint {
    /// The text the MAC covers: the time, then one line per chain.
    fn signed_text(at: i64, heads: &[Head]) -> String {
        let mut text = format!("husly-audit-checkpoint\n{at}\n");
        for h in heads {
            text.push_str(&format!("{} {} {}\n", h.chain, h.seq, h.hash));
        }
        text
    }

    fn mac_of(key: &[u8], at: i64, heads: &[Head]) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(Self::signed_text(at, heads).as_bytes());
        hex::encode(mac.finalize().into_bytes())
    }

    pub fn sign(key: &[u8], at: i64, heads: Vec<Head>) -> Checkpoint {
        let mac = Self::mac_of(key, at, &heads);
        Checkpoint { at, heads, mac }
    }

    /// Whether the checkpoint was signed with `key` and not changed since.
    pub fn is_signed_by(&self, key: &[u8]) -> bool {
        let Ok(expected) = hex::decode(&self.mac) else {
            return false;
        };
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
        mac.update(Self::signed_text(self.at, &self.heads).as_bytes());
        mac.verify_slice(&expected).is_ok()
    }

    /// One line of the checkpoint file.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a checkpoint serialises")
    }
}

/// Reads a checkpoint file (JSON Lines); a line that is not a checkpoint is named by number.
pub fn read_checkpoints(text: &str) -> StoreResult<Vec<Checkpoint>> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| StoreError::Invalid(format!("checkpoint file line {}: {e}", i + 1)))
        })
        .collect()
}

/// What a check against the checkpoints found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointProblem {
    /// When the checkpoint that disagrees was taken (microseconds since the epoch).
    pub at: i64,
    pub chain: String,
    pub seq: i64,
    pub reason: String,
}

impl std::fmt::Display for CheckpointProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "chain {} entry {} (checkpoint at {} µs): {}",
            self.chain, self.seq, self.at, self.reason
        )
    }
}

impl Store {
    /// Every chain's head now, signed with `key`.
    pub async fn audit_checkpoint(&self, key: &[u8], at: i64) -> StoreResult<Checkpoint> {
        let rows = sqlx::query(crate::audit::ALL_HEADS_SQL)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let heads = rows
            .iter()
            .map(|r| {
                Ok(Head {
                    chain: r.try_get("chain")?,
                    seq: r.try_get("seq")?,
                    hash: r.try_get("hash")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Checkpoint::sign(key, at, heads))
    }

    /// Checks the database against checkpoints: each must be signed with `key`, and the entries
    /// the checkpoints saw must still be there with the hashes they saw. Run after
    /// [`Store::verify_audit`]: as each entry's hash covers the one before it, the newest entry a
    /// checkpoint saw of a chain vouches for every earlier one, so one read per chain suffices.
    /// The first problem, if any.
    pub async fn check_audit_checkpoints(
        &self,
        key: &[u8],
        checkpoints: &[Checkpoint],
    ) -> StoreResult<Option<CheckpointProblem>> {
        let mut newest: Vec<(i64, &Head)> = Vec::new();
        for checkpoint in checkpoints {
            if !checkpoint.is_signed_by(key) {
                return Ok(Some(CheckpointProblem {
                    at: checkpoint.at,
                    chain: String::new(),
                    seq: 0,
                    reason:
                        "the checkpoint's signature does not match: it was not written with this key, or was changed"
                            .into(),
                }));
            }
            for head in checkpoint.heads.iter().filter(|h| h.seq > 0) {
                match newest.iter_mut().find(|(_, h)| h.chain == head.chain) {
                    Some(slot) if slot.1.seq < head.seq => *slot = (checkpoint.at, head),
                    Some(_) => {}
                    None => newest.push((checkpoint.at, head)),
                }
            }
        }
        for (at, head) in newest {
            let sql = format!(
                "SELECT hash FROM {} WHERE chain = $1 AND seq = $2",
                crate::audit::Log::of_chain(&head.chain).entry_table()
            );
            let row = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(&head.chain)
                .bind(head.seq)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
            let reason = match row {
                None => "the entry the checkpoint saw is gone (entries were removed)",
                Some(r) if r.try_get::<String, _>("hash")? != head.hash => {
                    "the entry's hash is not the one the checkpoint saw (the chain was rewritten)"
                }
                Some(_) => continue,
            };
            return Ok(Some(CheckpointProblem {
                at,
                chain: head.chain.clone(),
                seq: head.seq,
                reason: reason.into(),
            }));
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_checkpoint_is_signed_and_any_change_shows() {
        let heads = vec![Head {
            chain: "installation".into(),
            seq: 3,
            hash: "ab".into(),
        }];
        let checkpoint = Checkpoint::sign(b"key", 1, heads);
        assert!(checkpoint.is_signed_by(b"key"));
        assert!(!checkpoint.is_signed_by(b"other key"));
        let mut moved = checkpoint.clone();
        moved.heads[0].seq = 2;
        assert!(!moved.is_signed_by(b"key"), "a head moved back is caught");
        let read = read_checkpoints(&format!("{}\n\n{}\n", checkpoint.to_line(), checkpoint.to_line())).unwrap();
        assert_eq!(read, vec![checkpoint.clone(), checkpoint]);
        assert!(read_checkpoints("{}\n").unwrap_err().to_string().contains("line 1"));
    }
}
