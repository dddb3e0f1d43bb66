//! Group commit for the access log (reads and sign-ins, `audit::Log::Access`).
//!
//! Every page that shows personal data writes an audit entry before it answers, so reads are
//! writes. One transaction per page view would make the commit (an fsync on PostgreSQL, the
//! single writer lock on SQLite) the ceiling of the whole site. Instead, requests hand their
//! entries to one appender task, which writes everything that has queued up in one transaction
//! and then tells each request that its entry is committed. No request answers before its entry
//! is durable, and no latency is added when there is no queue: a lone entry is written at once.

use crate::Store;
use crate::audit::{self, Actor, Event};
use crate::error::{StoreError, StoreResult};
use husly_domain::MunicipalityId;
use tokio::sync::{mpsc, oneshot};

/// Most entries per transaction; keeps a single transaction short under extreme load.
const MAX_BATCH: usize = 512;
const QUEUE: usize = 4096;

pub(crate) type Appender = mpsc::Sender<Request>;

pub(crate) struct Request {
    actor: Actor,
    municipality: Option<MunicipalityId>,
    action: String,
    resource_kind: String,
    resource_id: String,
    details: serde_json::Value,
    done: oneshot::Sender<Result<(), BatchFailed>>,
}

/// Why a batch was not written, for each of its waiters: whether no connection came free in time
/// (the installation is overloaded: the request is answered 503 like any other read that timed
/// out), and the error's text.
#[derive(Debug, Clone)]
struct BatchFailed {
    overloaded: bool,
    message: String,
}

impl Store {
    /// Appends one entry to the access log through the group-commit appender and waits until it
    /// is committed. A change's entry is appended in the change's transaction instead
    /// ([`crate::audit::append`]).
    pub async fn audit(&self, actor: &Actor, event: Event<'_>) -> StoreResult<()> {
        // Waiting for the entry's commit while holding the request's connection could leave the
        // appender with none (see `Store::pinned`).
        self.release_pin();
        let appender = self.shared.appender.get_or_init(|| spawn(self.unpinned())).clone();
        let (done, committed) = oneshot::channel();
        let request = Request {
            actor: actor.clone(),
            municipality: event.municipality,
            action: event.action.to_string(),
            resource_kind: event.resource_kind.to_string(),
            resource_id: event.resource_id,
            details: event.details,
            done,
        };
        appender
            .send(request)
            .await
            .map_err(|_| StoreError::Other(anyhow::anyhow!("the audit appender has stopped")))?;
        committed
            .await
            .map_err(|_| StoreError::Other(anyhow::anyhow!("the audit appender has stopped")))?
            .map_err(|e| {
                if e.overloaded {
                    StoreError::Database(sqlx::Error::PoolTimedOut)
                } else {
                    StoreError::Other(anyhow::anyhow!("audit append failed: {}", e.message))
                }
            })
    }
}

fn spawn(store: Store) -> Appender {
    let (sender, receiver) = mpsc::channel(QUEUE);
    tokio::spawn(run(store, receiver));
    sender
}

async fn run(store: Store, mut receiver: mpsc::Receiver<Request>) {
    let mut batch: Vec<Request> = Vec::with_capacity(MAX_BATCH);
    // The chains' heads as this appender last committed them: forgotten whenever a batch fails.
    let mut known = audit::Heads::new();
    while let Some(first) = receiver.recv().await {
        batch.push(first);
        while batch.len() < MAX_BATCH {
            match receiver.try_recv() {
                Ok(next) => batch.push(next),
                Err(_) => break,
            }
        }
        let result = write_batch(&store, &batch, &mut known).await.map_err(|e| BatchFailed {
            overloaded: e.is_overloaded(),
            message: e.to_string(),
        });
        if let Err(e) = &result {
            tracing::error!(entries = batch.len(), error = %e.message, "audit batch failed");
        }
        for request in batch.drain(..) {
            let _ = request.done.send(result.clone());
        }
        if let Err(e) = store.restart_access_log_if_due().await {
            // Asked again at the copier's next round.
            tracing::warn!(error = %e, "starting the access log's write-ahead log over failed");
        }
    }
}

/// Writes a batch in one transaction, from the heads the appender remembers where they still
/// hold (a statement fewer per chain), else reading them.
async fn write_batch(store: &Store, batch: &[Request], known: &mut audit::Heads) -> StoreResult<()> {
    let heads = std::mem::take(known);
    if !heads.is_empty() {
        let mut tx = store.write().await?;
        if let Some(moved) = audit::append_on_known_heads(&mut tx, audit::Log::Access, entries(batch), &heads).await? {
            tx.commit().await?;
            *known = heads;
            known.extend(moved);
            return Ok(());
        }
        // A head another writer moved, or a chain not known yet: undone, and written as below.
        tx.rollback().await?;
    }
    let mut tx = store.write().await?;
    let moved = audit::append_all(&mut tx, audit::Log::Access, entries(batch)).await?;
    tx.commit().await?;
    *known = heads;
    known.extend(moved);
    Ok(())
}

fn entries(batch: &[Request]) -> Vec<(&Actor, Event<'_>)> {
    batch
        .iter()
        .map(|request| {
            let event = Event {
                municipality: request.municipality,
                action: &request.action,
                resource_kind: &request.resource_kind,
                resource_id: request.resource_id.clone(),
                details: request.details.clone(),
            };
            (&request.actor, event)
        })
        .collect()
}
