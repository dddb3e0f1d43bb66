//! Renewal reviews of fixed-term contracts, opened by the scheduler: each day, every open
//! fixed-term contract whose term ends within the municipality's lead time gets a review case
//! for its present period (`tenancy_renewal`), which a caseworker then handles like any case:
//! assess, propose, a second person approves, the letter goes out, and a renewal adds the next
//! period to the contract. Opening is idempotent: a period is reviewed once, however often the
//! job runs and however many servers run it.

use husly_domain::cases::deadlines::add_months;
use husly_domain::eligibility::EligibilityRules;
use husly_domain::rules::YearMonth;
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::households::Change;
use time::Date;

use crate::UseCaseResult;

/// The scheduler's name for the daily run.
pub const RENEWAL_REVIEW_JOB: &str = "renewal_reviews";

/// Contracts read per query: a municipality with more due at once is read again until done.
const BATCH: i64 = 500;

/// What a run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RenewalRun {
    /// Review cases opened.
    pub opened: usize,
    /// Contracts due whose review another run (or server) had opened first.
    pub already_open: usize,
}

/// Opens the review of every contract due for one on `today`, in every municipality.
pub async fn open_renewal_reviews(store: &Store, today: Date) -> UseCaseResult<RenewalRun> {
    let actor = Actor::system("renewal reviews");
    let change = Change {
        actor: &actor,
        user: None,
        reason: None,
    };
    let rules = EligibilityRules::embedded();
    let mut run = RenewalRun::default();
    for municipality in store.municipalities().await? {
        let Ok(period) = rules.allocation_rules(&municipality.number, YearMonth::of(today)) else {
            continue;
        };
        let practice = period.values.renewal_practice();
        let due_by = add_months(today, practice.lead_time_months);
        loop {
            let due = store.contracts_due_for_review(municipality.id, due_by, BATCH).await?;
            let mut opened_now = 0;
            for contract in &due {
                let decide_by = practice.decide_by(contract.term_end, today);
                match store
                    .open_renewal_review(municipality.id, contract, today, decide_by, &change)
                    .await?
                {
                    Some(_) => opened_now += 1,
                    None => run.already_open += 1,
                }
            }
            run.opened += opened_now;
            // A short batch is the last; one where nothing could be opened would be read again
            // unchanged, so it ends the loop too.
            if (due.len() as i64) < BATCH || opened_now == 0 {
                break;
            }
        }
    }
    Ok(run)
}
