//! The tamper-evident audit log.
//!
//! Every read or write of personal data appends an entry in the same transaction as the change
//! it records. Entries form one hash chain per municipality (`installation` for entries that
//! belong to no municipality): `hash = SHA-256(prev_hash || canonical_bytes(entry))`. The
//! canonical bytes are built field by field here, never from a database's text rendering, so
//! SQLite and PostgreSQL produce the same chain and an export verifies on either backend.
//! `audit_chain_head` holds the last sequence number and hash of each chain, so removing the
//! newest entries is detected too.
//!
//! The log has two halves with the same form (see [`Log`]): changes, appended in the transaction
//! of the change, and accesses (reads and sign-ins), appended through the group commit to chains
//! of their own, which on SQLite live in a file of their own.
//!
//! Identity numbers and search terms never appear in clear: [`Store::keyed_hash`] turns them
//! into an HMAC with the installation's secret key, which still answers "who looked this up".

use crate::db::{Store, Tx, for_update};
use crate::error::{StoreError, StoreResult};
use futures_util::TryStreamExt;
use hmac::{Hmac, KeyInit, Mac};
use husly_domain::MunicipalityId;
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const INSTALLATION_CHAIN: &str = "installation";
/// What the access log's chains are named by: `access:` and the municipality (or `installation`).
pub const ACCESS_CHAIN_PREFIX: &str = "access:";
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
const HMAC_KEY: &str = "audit_hmac_key";

/// The two halves of the audit log. Both are hash chains per municipality of the same entries,
/// verified and checkpointed alike; they differ in where they are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Log {
    /// Changes to data, appended in the transaction of the change (`audit_entry`).
    Changes,
    /// Reads of personal data and sign-ins, appended through the group commit (`access_entry`).
    /// On SQLite its tables live in a second file, so that a page view's commit leaves the
    /// data's file, and every connection's cache of it, as it was.
    Access,
}

impl Log {
    pub(crate) fn entry_table(self) -> &'static str {
        match self {
            Log::Changes => "audit_entry",
            Log::Access => "access_entry",
        }
    }

    pub(crate) fn head_table(self) -> &'static str {
        match self {
            Log::Changes => "audit_chain_head",
            Log::Access => "access_chain_head",
        }
    }

    /// The log a chain belongs to, by its name.
    pub fn of_chain(chain: &str) -> Log {
        if chain.starts_with(ACCESS_CHAIN_PREFIX) {
            Log::Access
        } else {
            Log::Changes
        }
    }

    /// The chain of this log that entries about `municipality` go to.
    fn chain(self, municipality: Option<MunicipalityId>) -> String {
        let name = municipality.map_or_else(|| INSTALLATION_CHAIN.to_string(), |m| m.to_string());
        match self {
            Log::Changes => name,
            Log::Access => format!("{ACCESS_CHAIN_PREFIX}{name}"),
        }
    }
}

/// Every chain's head of both logs, `chain, seq, hash`, in the chains' order.
pub(crate) const ALL_HEADS_SQL: &str = "SELECT chain, seq, hash FROM audit_chain_head \
     UNION ALL SELECT chain, seq, hash FROM access_chain_head ORDER BY chain";

/// Who did something, in which capacity, and why: the part of an audit entry that comes from
/// the request rather than from the action.
#[derive(Debug, Clone)]
pub struct Actor {
    /// A user id, or `cli` / `system` for work not done through the web.
    pub actor: String,
    /// The roles the actor held in the municipality concerned, comma-separated.
    pub role: String,
    pub request_id: String,
    pub purpose: String,
}

impl Actor {
    pub fn cli(purpose: &str) -> Actor {
        Actor {
            actor: "cli".into(),
            role: "operator".into(),
            request_id: uuid::Uuid::now_v7().to_string(),
            purpose: purpose.into(),
        }
    }

    /// Work the server does by itself (the nightly jobs).
    pub fn system(purpose: &str) -> Actor {
        Actor {
            actor: "system".into(),
            role: "scheduler".into(),
            request_id: uuid::Uuid::now_v7().to_string(),
            purpose: purpose.into(),
        }
    }
}

/// What was done to which resource.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub municipality: Option<MunicipalityId>,
    pub action: &'a str,
    pub resource_kind: &'a str,
    pub resource_id: String,
    /// Extra facts, never personal data in clear (use [`Store::keyed_hash`]).
    pub details: serde_json::Value,
}

/// One stored entry, as read back.
#[derive(Debug, Clone)]
pub struct AuditEntry {
    pub chain: String,
    pub seq: i64,
    pub id: String,
    pub occurred_at: i64,
    pub actor: String,
    pub actor_role: String,
    pub municipality_id: Option<String>,
    pub action: String,
    pub resource_kind: String,
    pub resource_id: String,
    pub purpose: String,
    pub request_id: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The backend-independent bytes the hash covers: each field length-prefixed, in a fixed order.
    fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(512);
        let mut text = |s: &str| {
            out.extend_from_slice(&(s.len() as u64).to_be_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        text(&self.chain);
        text(&self.seq.to_string());
        text(&self.id);
        text(&self.occurred_at.to_string());
        text(&self.actor);
        text(&self.actor_role);
        text(self.municipality_id.as_deref().unwrap_or(""));
        text(&self.action);
        text(&self.resource_kind);
        text(&self.resource_id);
        text(&self.purpose);
        text(&self.request_id);
        text(&self.details);
        out
    }

    pub(crate) fn compute_hash(&self) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.prev_hash.as_bytes());
        hasher.update(self.canonical_bytes());
        hex::encode(hasher.finalize())
    }
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for AuditEntry {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<AuditEntry> {
        Ok(AuditEntry {
            chain: row.try_get("chain")?,
            seq: row.try_get("seq")?,
            id: row.try_get("id")?,
            occurred_at: row.try_get("occurred_at")?,
            actor: row.try_get("actor")?,
            actor_role: row.try_get("actor_role")?,
            municipality_id: row.try_get("municipality_id")?,
            action: row.try_get("action")?,
            resource_kind: row.try_get("resource_kind")?,
            resource_id: row.try_get("resource_id")?,
            purpose: row.try_get("purpose")?,
            request_id: row.try_get("request_id")?,
            details: row.try_get("details")?,
            prev_hash: row.try_get("prev_hash")?,
            hash: row.try_get("hash")?,
        })
    }
}

pub(crate) const ENTRY_COLUMNS: &str = "chain, seq, id, occurred_at, actor, actor_role, municipality_id, action, \
     resource_kind, resource_id, purpose, request_id, details, prev_hash, hash";

/// Appends one entry about a change to the chain of the event's municipality, inside the
/// caller's transaction (the change's own).
pub async fn append(tx: &mut Tx, actor: &Actor, event: Event<'_>) -> StoreResult<()> {
    append_all(tx, Log::Changes, vec![(actor, event)]).await.map(drop)
}

/// Appends entries to one log in the given order, each to the chain of its event's
/// municipality, inside the caller's transaction. Each chain's head is read (and on PostgreSQL
/// locked) once and written once, however many entries the chain gets: a group commit of 50 page
/// views costs a few statements, not 150. Heads are locked in the chains' sorted order, so two
/// servers appending to the same chains cannot deadlock. Gives the chains' new heads.
pub(crate) async fn append_all(tx: &mut Tx, log: Log, entries: Vec<(&Actor, Event<'_>)>) -> StoreResult<Heads> {
    let chains = chains_of(log, &entries);
    let mut heads = Heads::with_capacity(chains.len());
    for chain in &chains {
        heads.insert(chain.clone(), lock_head(tx, log, chain).await?);
    }
    let rows = chain_entries(log, entries, &mut heads);
    insert_entries(tx.conn(), log, &rows).await?;
    let update = format!("UPDATE {} SET seq = $1, hash = $2 WHERE chain = $3", log.head_table());
    for chain in chains {
        let head = &heads[&chain];
        sqlx::query(sqlx::AssertSqlSafe(update.as_str()))
            .bind(head.seq)
            .bind(&head.hash)
            .bind(&chain)
            .execute(tx.conn())
            .await?;
    }
    Ok(heads)
}

/// As [`append_all`], but from the heads the caller remembers from its own last append instead
/// of reading them: each head is moved on only where it still is what the caller remembers
/// (which also locks it, in the chains' sorted order). `None` when a chain is not among `known`
/// or another writer (another server on the same database, or an import) has moved a head
/// since: the caller then rolls back what this wrote and appends with [`append_all`]. Saves the
/// head's read, a statement per chain and transaction; the group-commit appender, the access
/// log's one writer in a server, uses it.
pub(crate) async fn append_on_known_heads(
    tx: &mut Tx,
    log: Log,
    entries: Vec<(&Actor, Event<'_>)>,
    known: &Heads,
) -> StoreResult<Option<Heads>> {
    let chains = chains_of(log, &entries);
    let mut heads = Heads::with_capacity(chains.len());
    for chain in &chains {
        match known.get(chain) {
            Some(head) => heads.insert(chain.clone(), head.clone()),
            None => return Ok(None),
        };
    }
    let rows = chain_entries(log, entries, &mut heads);
    let update = format!(
        "UPDATE {} SET seq = $1, hash = $2 WHERE chain = $3 AND seq = $4",
        log.head_table()
    );
    for chain in chains {
        let (head, before) = (&heads[&chain], &known[&chain]);
        let moved = sqlx::query(sqlx::AssertSqlSafe(update.as_str()))
            .bind(head.seq)
            .bind(&head.hash)
            .bind(&chain)
            .bind(before.seq)
            .execute(tx.conn())
            .await?
            .rows_affected();
        if moved != 1 {
            return Ok(None);
        }
    }
    insert_entries(tx.conn(), log, &rows).await?;
    Ok(Some(heads))
}

/// The chains the entries go to, sorted, each once.
fn chains_of(log: Log, entries: &[(&Actor, Event<'_>)]) -> Vec<String> {
    let mut chains: Vec<String> = entries.iter().map(|(_, event)| log.chain(event.municipality)).collect();
    chains.sort_unstable();
    chains.dedup();
    chains
}

/// The entries as rows of their chains, each linked to the one before it; moves `heads` on to
/// the last of each chain.
fn chain_entries(log: Log, entries: Vec<(&Actor, Event<'_>)>, heads: &mut Heads) -> Vec<AuditEntry> {
    let mut rows = Vec::with_capacity(entries.len());
    for (actor, event) in entries {
        let chain = log.chain(event.municipality);
        let head = heads.get_mut(&chain).expect("every chain's head is known");
        let mut entry = AuditEntry {
            seq: head.seq + 1,
            id: uuid::Uuid::now_v7().to_string(),
            occurred_at: crate::now_micros(),
            actor: actor.actor.clone(),
            actor_role: actor.role.clone(),
            municipality_id: event.municipality.map(|m| m.to_string()),
            action: event.action.to_string(),
            resource_kind: event.resource_kind.to_string(),
            resource_id: event.resource_id,
            purpose: actor.purpose.clone(),
            request_id: actor.request_id.clone(),
            details: event.details.to_string(),
            prev_hash: std::mem::take(&mut head.hash),
            hash: String::new(),
            chain,
        };
        entry.hash = entry.compute_hash();
        head.seq = entry.seq;
        head.hash.clone_from(&entry.hash);
        rows.push(entry);
    }
    rows
}

/// Chains' heads by chain.
pub(crate) type Heads = std::collections::HashMap<String, Head>;

/// The newest entry of a chain, as its head records it.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    seq: i64,
    hash: String,
}

/// Reads a chain's head, locking it on PostgreSQL until the transaction ends (SQLite's writer
/// holds the whole database); creates the head at a chain's first entry.
async fn lock_head(tx: &mut Tx, log: Log, chain: &str) -> StoreResult<Head> {
    let sql = format!(
        "SELECT seq, hash FROM {} WHERE chain = $1{}",
        log.head_table(),
        for_update(tx.backend())
    );
    let mut row = sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
        .bind(chain)
        .fetch_optional(tx.conn())
        .await?;
    if row.is_none() {
        ensure_chain(tx, log, chain).await?;
        row = Some(
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(chain)
                .fetch_one(tx.conn())
                .await?,
        );
    }
    let row = row.expect("read or created above");
    Ok(Head {
        seq: row.try_get("seq")?,
        hash: row.try_get("hash")?,
    })
}

/// Most entries one INSERT carries. Batches are split into runs of 32, 16, 8, 4, 2 and 1, so
/// each connection prepares at most six statement texts for them.
const ROWS_PER_INSERT: usize = 32;

/// Writes entries of one log as they are (their hashes already computed).
pub(crate) async fn insert_entries(
    conn: &mut sqlx::AnyConnection,
    log: Log,
    entries: &[AuditEntry],
) -> StoreResult<()> {
    let mut rest = entries;
    while !rest.is_empty() {
        let size = ROWS_PER_INSERT.min(1 << rest.len().ilog2());
        let (run, after) = rest.split_at(size);
        let mut query = sqlx::query(sqlx::AssertSqlSafe(insert_sql(log, size)));
        for entry in run {
            query = query
                .bind(&entry.chain)
                .bind(entry.seq)
                .bind(&entry.id)
                .bind(entry.occurred_at)
                .bind(&entry.actor)
                .bind(&entry.actor_role)
                .bind(&entry.municipality_id)
                .bind(&entry.action)
                .bind(&entry.resource_kind)
                .bind(&entry.resource_id)
                .bind(&entry.purpose)
                .bind(&entry.request_id)
                .bind(&entry.details)
                .bind(&entry.prev_hash)
                .bind(&entry.hash);
        }
        query.execute(&mut *conn).await?;
        rest = after;
    }
    Ok(())
}

/// `INSERT INTO audit_entry (…) VALUES ($1, …, $15), ($16, …)` for `rows` entries, a power of
/// two (likewise `access_entry`).
fn insert_sql(log: Log, rows: usize) -> &'static str {
    fn texts(table: &str) -> Vec<String> {
        const COLUMNS: usize = 15;
        (0..=ROWS_PER_INSERT.ilog2())
            .map(|power| {
                let values: Vec<String> = (0..1usize << power)
                    .map(|row| {
                        let params: Vec<String> = (1..=COLUMNS).map(|c| format!("${}", row * COLUMNS + c)).collect();
                        format!("({})", params.join(", "))
                    })
                    .collect();
                format!("INSERT INTO {table} ({ENTRY_COLUMNS}) VALUES {}", values.join(", "))
            })
            .collect()
    }
    static CHANGES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| texts("audit_entry"));
    static ACCESS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| texts("access_entry"));
    let texts = match log {
        Log::Changes => &CHANGES,
        Log::Access => &ACCESS,
    };
    &texts[rows.ilog2() as usize]
}

async fn ensure_chain(tx: &mut Tx, log: Log, chain: &str) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO {} (chain, seq, hash) VALUES ($1, 0, $2) ON CONFLICT (chain) DO NOTHING",
        log.head_table()
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(chain)
        .bind(GENESIS)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The first problem `verify` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub chain: String,
    pub seq: i64,
    pub entry_id: Option<String>,
    pub reason: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "chain {} entry {}", self.chain, self.seq)?;
        if let Some(id) = &self.entry_id {
            write!(f, " (id {id})")?;
        }
        write!(f, ": {}", self.reason)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub chains: usize,
    pub entries: u64,
    pub first_break: Option<ChainBreak>,
}

/// Filters for reading the audit log.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub action: Option<String>,
    pub resource_id: Option<String>,
    /// Entries about any of these records (a person's footprint); empty: any record.
    pub resources: Vec<String>,
    pub from_micros: Option<i64>,
    pub to_micros: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

impl Store {
    /// Creates the installation's secret key on first start.
    pub(crate) async fn ensure_installation(&self) -> StoreResult<()> {
        let mut key = [0u8; 32];
        rand::fill(&mut key);
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO installation (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(HMAC_KEY)
            .bind(hex::encode(key))
            .execute(tx.conn())
            .await?;
        ensure_chain(&mut tx, Log::Changes, INSTALLATION_CHAIN).await?;
        tx.commit().await
    }

    /// HMAC-SHA-256 of a sensitive value under the installation key, as hex.
    pub async fn keyed_hash(&self, value: &str) -> StoreResult<String> {
        let key = self.installation_key().await?;
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&key)
            .map_err(|e| StoreError::Corrupt(format!("installation key: {e}")))?;
        mac.update(value.as_bytes());
        Ok(hex::encode(mac.finalize().into_bytes()))
    }

    /// The installation key, cached after the first read (an import replaces it and clears the cache).
    async fn installation_key(&self) -> StoreResult<Vec<u8>> {
        if let Some(key) = self.shared.hmac_key.read().ok().and_then(|k| k.clone()) {
            return Ok(key);
        }
        let row = sqlx::query("SELECT value FROM installation WHERE key = $1")
            .bind(HMAC_KEY)
            .fetch_one(&mut *self.conn().await?)
            .await?;
        let key = hex::decode(row.try_get::<String, _>("value")?)
            .map_err(|e| StoreError::Corrupt(format!("installation key: {e}")))?;
        if let Ok(mut cache) = self.shared.hmac_key.write() {
            *cache = Some(key.clone());
        }
        Ok(key)
    }

    /// Walks every chain and checks sequence numbers, links, hashes and the chain heads.
    pub async fn verify_audit(&self) -> StoreResult<VerifyReport> {
        let mut conn = self.conn().await?;
        verify_on(&mut conn).await
    }
}

/// [`Store::verify_audit`] on one connection, also inside a transaction (an import checks the
/// chains it wrote before it commits).
pub(crate) async fn verify_on(conn: &mut sqlx::AnyConnection) -> StoreResult<VerifyReport> {
    let heads = sqlx::query(ALL_HEADS_SQL).fetch_all(&mut *conn).await?;
    let mut report = VerifyReport {
        chains: heads.len(),
        entries: 0,
        first_break: None,
    };
    for head in heads {
        let chain: String = head.try_get("chain")?;
        let head_seq: i64 = head.try_get("seq")?;
        let head_hash: String = head.try_get("hash")?;
        if let Some(problem) = verify_chain(&mut *conn, &chain, head_seq, &head_hash, &mut report.entries).await? {
            report.first_break = Some(problem);
            break;
        }
    }
    Ok(report)
}

async fn verify_chain(
    conn: &mut sqlx::AnyConnection,
    chain: &str,
    head_seq: i64,
    head_hash: &str,
    count: &mut u64,
) -> StoreResult<Option<ChainBreak>> {
    let sql = format!(
        "SELECT {ENTRY_COLUMNS} FROM {} WHERE chain = $1 ORDER BY seq",
        Log::of_chain(chain).entry_table()
    );
    let mut rows = sqlx::query_as::<_, AuditEntry>(sqlx::AssertSqlSafe(sql))
        .bind(chain)
        .fetch(&mut *conn);
    let mut expected_seq = 1;
    let mut prev_hash = GENESIS.to_string();
    let broken = |seq: i64, id: Option<&str>, reason: String| ChainBreak {
        chain: chain.to_string(),
        seq,
        entry_id: id.map(str::to_string),
        reason,
    };
    while let Some(entry) = rows.try_next().await? {
        *count += 1;
        if entry.seq != expected_seq {
            return Ok(Some(broken(
                expected_seq,
                None,
                format!("entry is missing (next entry found is {})", entry.seq),
            )));
        }
        if entry.prev_hash != prev_hash {
            return Ok(Some(broken(
                entry.seq,
                Some(&entry.id),
                "link to the previous entry is broken".into(),
            )));
        }
        if entry.compute_hash() != entry.hash {
            return Ok(Some(broken(
                entry.seq,
                Some(&entry.id),
                "content does not match its hash (entry was changed)".into(),
            )));
        }
        prev_hash = entry.hash;
        expected_seq += 1;
    }
    let last = expected_seq - 1;
    if last != head_seq || prev_hash != head_hash {
        return Ok(Some(broken(
            last + 1,
            None,
            format!("chain ends at entry {last}, but the chain head records entry {head_seq} (entries removed)"),
        )));
    }
    Ok(None)
}

impl Store {
    /// Reads entries of one municipality's chains in both logs, newest first.
    pub async fn audit_entries(
        &self,
        municipality: MunicipalityId,
        filter: &AuditFilter,
    ) -> StoreResult<Vec<AuditEntry>> {
        // A footprint's ids are bound one by one (`resource_id IN ($9, $10, …)`), so the
        // resource index serves them; the list is bounded by what one person can have.
        let any_of = (0..filter.resources.len())
            .map(|i| format!("${}", 9 + i))
            .collect::<Vec<_>>()
            .join(", ");
        let resources = if any_of.is_empty() {
            String::new()
        } else {
            format!(" AND resource_id IN ({any_of})")
        };
        let conditions = format!(
            "($2 IS NULL OR actor = $2) AND ($3 IS NULL OR action = $3) \
             AND ($4 IS NULL OR resource_id = $4) AND ($5 IS NULL OR occurred_at >= $5) \
             AND ($6 IS NULL OR occurred_at < $6){resources}"
        );
        // Both logs' chains are read newest first through their time index and merged.
        let sql = format!(
            "SELECT {ENTRY_COLUMNS} FROM audit_entry WHERE chain = $1 AND {conditions} \
             UNION ALL SELECT {ENTRY_COLUMNS} FROM access_entry WHERE chain = $8 AND {conditions} \
             ORDER BY occurred_at DESC, seq DESC {} OFFSET $7",
            crate::limit(filter.limit.clamp(1, 500))
        );
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(Log::Changes.chain(Some(municipality)))
            .bind(&filter.actor)
            .bind(&filter.action)
            .bind(&filter.resource_id)
            .bind(filter.from_micros)
            .bind(filter.to_micros)
            .bind(filter.offset.max(0))
            .bind(Log::Access.chain(Some(municipality)));
        for id in &filter.resources {
            query = query.bind(id);
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        Ok(rows)
    }
}
