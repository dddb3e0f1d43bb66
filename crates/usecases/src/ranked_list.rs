//! The municipality's waiting list ranked under the policy in force, kept in memory between
//! requests. The waiting-list page, the applicant's status page, the stock page and the
//! allocation preview all read it; without it each request would read every waiting case with
//! its application and rank them all again (about a second at 20 000 households).
//!
//! **When it is rebuilt.** The list carries the database's change counter
//! ([`Store::waiting_list_generation`], moved by triggers on everything the list reads) and the
//! day it was ranked on. A request reads the counter first — one primary-key read — and uses the
//! kept list if it is at least that new and ranked today; otherwise one request rebuilds it
//! while the others for the same municipality wait for that one instead of rebuilding too.
//! Several servers on one database each keep their own list and all follow the same counter,
//! so a change made through one server is seen by the next request on any of them.
//!
//! **Cost.** Memory: one list per municipality (the waiting cases with their applications, a
//! few kilobytes each). Time: a rebuild after each change to the list, so a burst of changes
//! followed by reads costs one rebuild per read that falls between two changes.
//!
//! Nothing is authorised or audited here: the use cases that show the list do both.

use std::collections::HashMap;
use std::sync::Arc;

use husly_domain::MunicipalityId;
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::priority::{PeerIndex, Ranking, WaitingHousehold, rank};
use husly_domain::allocation::stock::lettings_from;
use husly_domain::allocation::wait_estimate::LettingTally;
use husly_store::Store;
use husly_store::waiting_list::WaitingCase;
use time::Date;

use crate::UseCaseResult;
use crate::priority_policy::policy_in_force;
use crate::waiting_list::waiting_household;

/// The ranked list and what its pages compute from.
#[derive(Debug)]
pub struct RankedList {
    /// The database's change counter when the list was read.
    generation: i64,
    /// The day the list was ranked on (waiting time and ages count to it).
    pub ranked_on: Date,
    pub policy: PriorityPolicy,
    /// The cases on the list and the domain's view of each, in the same order.
    pub cases: Vec<WaitingCase>,
    pub households: Vec<WaitingHousehold>,
    pub ranking: Ranking,
    /// Each household's place among the households it competes with.
    pub peers: PeerIndex,
    /// The last three full years' lettings, for the wait estimates.
    pub lettings: LettingTally,
    /// Case reference → index into `cases` and `households`.
    by_reference: HashMap<String, usize>,
}

impl RankedList {
    /// The case and the household with this reference, if it is on the list.
    pub fn get(&self, reference: &str) -> Option<(&WaitingCase, &WaitingHousehold)> {
        let i = *self.by_reference.get(reference)?;
        Some((&self.cases[i], &self.households[i]))
    }

    fn is_fresh(&self, generation: i64, today: Date) -> bool {
        // The counter only grows, so a list read at a later count is newer still.
        self.generation >= generation && self.ranked_on == today
    }
}

/// The municipality's ranked waiting list as of `today`: the kept one when nothing it was read
/// from has changed, else a new one.
pub async fn ranked_list(store: &Store, municipality: MunicipalityId, today: Date) -> UseCaseResult<Arc<RankedList>> {
    let generation = store.waiting_list_generation(municipality).await?;
    let kept = || {
        store
            .derived()
            .get::<RankedList>(municipality)
            .filter(|list| list.is_fresh(generation, today))
    };
    if let Some(list) = kept() {
        return Ok(list);
    }
    let builder = store.derived().builder::<RankedList>(municipality);
    let _building = builder.lock().await;
    // Another request may have built it while this one waited.
    if let Some(list) = kept() {
        return Ok(list);
    }
    let list = Arc::new(build(store, municipality, today, generation).await?);
    store.derived().put(municipality, Arc::clone(&list));
    Ok(list)
}

async fn build(store: &Store, municipality: MunicipalityId, today: Date, generation: i64) -> UseCaseResult<RankedList> {
    let cases = store.waiting_cases(municipality).await?;
    let (policy, _) = policy_in_force(store, municipality, today).await?;
    let lettings = store.lettings_since(municipality, lettings_from(today)).await?;
    let households: Vec<WaitingHousehold> = cases.iter().map(waiting_household).collect();
    let ranking = rank(&policy, &households, today, None);
    let peers = PeerIndex::new(&policy, &households, &ranking);
    let by_reference = cases
        .iter()
        .enumerate()
        .map(|(i, c)| (c.reference.clone(), i))
        .collect();
    Ok(RankedList {
        generation,
        ranked_on: today,
        lettings: LettingTally::new(&lettings, today),
        policy,
        cases,
        households,
        ranking,
        peers,
        by_reference,
    })
}
