//! The work queue's counts per tab, kept in memory between views while no case of the
//! municipality has changed what the tabs select by.
//!
//! **Why.** Every view of the queue shows how many cases each tab holds: six capped counts, up
//! to six thousand index entries, about half a millisecond of the database's work a view at
//! 45 000 open cases, and the same answer for every caseworker of the municipality until a case
//! changes.
//!
//! **When they are counted again.** Kept counts carry the database's change counter
//! ([`Store::queue_generation`], moved by triggers whenever a case comes, goes or changes its
//! state, assignee, deadline or case type) and the day they were counted on (the due-soon and
//! overdue tabs count to today). A view reads the counter first, one primary-key read, and uses
//! kept counts only if they were counted at that same counter and today. The tabs every
//! caseworker shares are kept per case type; "mine" per caseworker and case type. Several
//! servers on one database each keep their own and all follow the same counter, so a change
//! through one server is counted on the next view on any of them.
//!
//! **Cost.** A few dozen bytes per case type and per caseworker who has looked; at most
//! [`MOST_KEPT`] caseworkers' "mine" per municipality before they are all dropped and counted
//! again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use husly_domain::cases::CaseType;
use husly_domain::{MunicipalityId, UserId};
use husly_store::Store;
use husly_store::cases::{QueueCounts, QueueFilter};
use time::Date;

use crate::UseCaseResult;

/// The most caseworkers' own counts kept per municipality.
const MOST_KEPT: usize = 4096;

/// The counts of one municipality at one value of its change counter, on one day.
#[derive(Debug)]
struct KeptCounts {
    generation: i64,
    counted_on: Date,
    /// The tabs all caseworkers share (every count but "mine"), per case type.
    shared: Mutex<HashMap<Option<CaseType>, QueueCounts>>,
    /// Each caseworker's "mine", per case type.
    mine: Mutex<HashMap<(UserId, Option<CaseType>), i64>>,
}

impl KeptCounts {
    fn new(generation: i64, counted_on: Date) -> Self {
        Self {
            generation,
            counted_on,
            shared: Mutex::default(),
            mine: Mutex::default(),
        }
    }
}

/// How many cases each tab of the queue holds for `user` on `today` (each no further than
/// [`husly_store::cases::QUEUE_COUNT_CAP`]): kept counts when no case has changed since they
/// were counted, else counted now and kept.
pub async fn queue_counts(
    store: &Store,
    municipality: MunicipalityId,
    user: UserId,
    today: Date,
    case_type: Option<CaseType>,
) -> UseCaseResult<QueueCounts> {
    let generation = store.queue_generation(municipality).await?;
    let kept = match store.derived().get::<KeptCounts>(municipality) {
        Some(kept) if kept.generation == generation && kept.counted_on == today => kept,
        // Counted at a later counter than this view read: count for this view, keep theirs.
        Some(kept) if kept.generation > generation && kept.counted_on == today => {
            Arc::new(KeptCounts::new(generation, today))
        }
        _ => {
            let fresh = Arc::new(KeptCounts::new(generation, today));
            store.derived().put(municipality, Arc::clone(&fresh));
            fresh
        }
    };
    let shared = lock(&kept.shared).get(&case_type).copied();
    let mine = lock(&kept.mine).get(&(user, case_type)).copied();
    let mut counts = shared.unwrap_or_default();
    let mut to_count = Vec::with_capacity(6);
    if shared.is_none() {
        to_count.extend(
            QueueFilter::CODES
                .iter()
                .filter_map(|code| QueueFilter::from_code(code, user, today))
                .filter(|filter| !matches!(filter, QueueFilter::Mine(_))),
        );
    }
    if mine.is_none() {
        to_count.push(QueueFilter::Mine(user));
    }
    let counted = store.count_queue(municipality, &to_count, case_type).await?;
    for (&filter, n) in to_count.iter().zip(counted) {
        counts.set(filter, n);
    }
    counts.mine = mine.unwrap_or(counts.mine);
    if shared.is_none() {
        let mut shared = counts;
        shared.mine = 0;
        lock(&kept.shared).insert(case_type, shared);
    }
    if mine.is_none() {
        let mut kept_mine = lock(&kept.mine);
        if kept_mine.len() >= MOST_KEPT {
            kept_mine.clear();
        }
        kept_mine.insert((user, case_type), counts.mine);
    }
    Ok(counts)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
