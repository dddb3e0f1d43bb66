//! Verifiable draws: when ties need randomness, an order anyone can re-run from the published
//! data (docs/verify-draw.md has the procedure and a Python verifier).
//!
//! 1. Before the draw the round publishes `commitment = hex(SHA-256(seed))` for a seed of 32
//!    random bytes (made by the caller: this crate has no randomness), and freezes the entries:
//!    their ids sorted (by UTF-8 bytes, no duplicates, no line breaks), hashed as
//!    `input_hash = hex(SHA-256(entries joined by "\n"))`.
//! 2. The draw order is the entries sorted by `HMAC-SHA256(key = seed, message = entry id)`
//!    ascending (bytewise), ties — never seen in practice — by entry id.
//! 3. After the draw the seed is revealed; [`verify`] (or `husly verify-draw`) recomputes all three.
//!
//! The seed stays secret until the entries are frozen, so nobody can pick a seed that favours an
//! entry; and the commitment binds the seed, so it cannot be changed afterwards.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// The draw's secret: 32 bytes, published as 64 lowercase hex digits after the draw.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Seed(pub [u8; 32]);

impl std::fmt::Debug for Seed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Seed({})", hex::encode(self.0))
    }
}

impl Seed {
    /// Parses 64 hex digits.
    pub fn from_hex(text: &str) -> Result<Seed, String> {
        let bytes = hex::decode(text.trim()).map_err(|e| format!("the seed is not hex ({e})"))?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|b: Vec<u8>| format!("the seed has {} bytes, not 32 (64 hex digits)", b.len()))?;
        Ok(Seed(bytes))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

impl serde::Serialize for Seed {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> serde::Deserialize<'de> for Seed {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Seed, D::Error> {
        let text = String::deserialize(deserializer)?;
        Seed::from_hex(&text).map_err(serde::de::Error::custom)
    }
}

/// Everything a round publishes about a draw, as JSON; enough to re-run it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishedDraw {
    /// `hex(SHA-256(seed))`, published before the draw.
    pub commitment: String,
    /// Revealed after the draw: 64 hex digits.
    #[schemars(with = "String")]
    pub seed: Seed,
    /// `hex(SHA-256(entries joined by "\n"))`, published before the draw.
    pub input_hash: String,
    /// The frozen entry ids, sorted.
    pub entries: Vec<String>,
    /// The drawn order of the entries.
    pub order: Vec<String>,
}

/// Why a list of entry ids cannot be frozen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("entries[{position}] is empty")]
    Empty { position: usize },
    #[error("entries[{position}] contains a line break")]
    LineBreak { position: usize },
    #[error("entries[{position}] repeats the id {id:?}")]
    Duplicate { position: usize, id: String },
}

/// What does not match when a published draw is re-run; the first problem found, checked in
/// the order commitment, input hash, entries, order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DrawMismatch {
    #[error("the commitment {published} is not SHA-256 of the seed ({computed})")]
    Commitment { published: String, computed: String },
    #[error("the input hash {published} is not SHA-256 of the entries ({computed})")]
    InputHash { published: String, computed: String },
    #[error("entries[{position}] is not a valid entry id in sorted order: {problem}")]
    Entries { position: usize, problem: EntryProblem },
    #[error("the order has {published} entries, the draw gives {computed}")]
    OrderLength { published: usize, computed: usize },
    #[error("order[{position}] is {published:?}, the draw gives {computed:?}")]
    Order {
        position: usize,
        published: String,
        computed: String,
    },
}

/// Why a published entry list is not the canonical (sorted, unique) one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("empty")]
    Empty,
    #[error("contains a line break")]
    LineBreak,
    #[error("not after the entry before it (unsorted or repeated)")]
    NotSorted,
}

/// `hex(SHA-256(seed))`.
pub fn commit(seed: &Seed) -> String {
    hex::encode(Sha256::digest(seed.0))
}

/// `hex(SHA-256(entries joined by "\n"))`, for entries already in canonical order.
pub fn input_hash(entries: &[String]) -> String {
    hex::encode(Sha256::digest(entries.join("\n").as_bytes()))
}

/// The canonical frozen list: sorted by UTF-8 bytes; empty ids, line breaks and repeats refused
/// (positions are in the caller's list).
pub fn freeze(entries: impl IntoIterator<Item = String>) -> Result<Vec<String>, EntryError> {
    let mut indexed: Vec<(String, usize)> = entries.into_iter().enumerate().map(|(i, e)| (e, i)).collect();
    for (id, position) in &indexed {
        if id.is_empty() {
            return Err(EntryError::Empty { position: *position });
        }
        if id.contains(['\n', '\r']) {
            return Err(EntryError::LineBreak { position: *position });
        }
    }
    indexed.sort();
    if let Some(pair) = indexed.windows(2).find(|pair| pair[0].0 == pair[1].0) {
        return Err(EntryError::Duplicate {
            position: pair[1].1,
            id: pair[1].0.clone(),
        });
    }
    Ok(indexed.into_iter().map(|(id, _)| id).collect())
}

/// The draw order of `entries`: sorted by HMAC-SHA256(seed, id), then by id.
pub fn draw(seed: &Seed, entries: &[String]) -> Vec<String> {
    let mut keyed: Vec<([u8; 32], &String)> = entries.iter().map(|id| (draw_key(seed, id), id)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, id)| id.clone()).collect()
}

fn draw_key(seed: &Seed, id: &str) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&seed.0).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    mac.finalize().into_bytes().into()
}

impl PublishedDraw {
    /// Freezes `entries`, draws with `seed` and records everything to publish.
    pub fn new(seed: Seed, entries: impl IntoIterator<Item = String>) -> Result<PublishedDraw, EntryError> {
        let entries = freeze(entries)?;
        Ok(PublishedDraw {
            commitment: commit(&seed),
            seed,
            input_hash: input_hash(&entries),
            order: draw(&seed, &entries),
            entries,
        })
    }
}

/// Re-runs a published draw; `Ok` when commitment, input hash and order all match.
pub fn verify(published: &PublishedDraw) -> Result<(), DrawMismatch> {
    let computed = commit(&published.seed);
    if !published.commitment.trim().eq_ignore_ascii_case(&computed) {
        return Err(DrawMismatch::Commitment {
            published: published.commitment.clone(),
            computed,
        });
    }
    let computed = input_hash(&published.entries);
    if !published.input_hash.trim().eq_ignore_ascii_case(&computed) {
        return Err(DrawMismatch::InputHash {
            published: published.input_hash.clone(),
            computed,
        });
    }
    for (position, id) in published.entries.iter().enumerate() {
        let problem = if id.is_empty() {
            Some(EntryProblem::Empty)
        } else if id.contains(['\n', '\r']) {
            Some(EntryProblem::LineBreak)
        } else if position > 0 && published.entries[position - 1] >= *id {
            Some(EntryProblem::NotSorted)
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(DrawMismatch::Entries { position, problem });
        }
    }
    let order = draw(&published.seed, &published.entries);
    if let Some(position) = (0..order.len().min(published.order.len())).find(|&i| order[i] != published.order[i]) {
        return Err(DrawMismatch::Order {
            position,
            published: published.order[position].clone(),
            computed: order[position].clone(),
        });
    }
    if order.len() != published.order.len() {
        return Err(DrawMismatch::OrderLength {
            published: published.order.len(),
            computed: order.len(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
