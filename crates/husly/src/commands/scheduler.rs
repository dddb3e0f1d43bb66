//! The background scheduler inside `husly serve`: every few minutes each server asks the
//! database whether today's run of a daily job is still unclaimed, and the one server that
//! claims it runs it. Several servers on one PostgreSQL therefore run each job once a day; a
//! server that dies mid-run leaves a claim that another takes over once it is stale.

use husly_store::Store;
use husly_store::jobs::ClaimTimes;
use husly_usecases::Clock;
use husly_usecases::approval_expiry::{APPROVAL_EXPIRY_JOB, expire_lapsed_approvals};
use husly_usecases::indicator_values::{SNAPSHOT_JOB, take_indicator_snapshots};
use husly_usecases::offers::{OFFER_EXPIRY_JOB, expire_offers};
use husly_usecases::outreach::{OUTREACH_LIST_JOB, make_outreach_lists};
use husly_usecases::reminders::{REMINDER_JOB, raise_reminders};
use husly_usecases::renewals::{RENEWAL_REVIEW_JOB, open_renewal_reviews};
use husly_usecases::rent_changes::{RENT_CHANGE_JOB, apply_rent_changes};
use std::time::Duration;

/// How often a server looks for a job to run.
pub const TICK: Duration = Duration::from_secs(5 * 60);

const MINUTE: i64 = 60_000_000;

/// A snapshot run takes seconds; two hours without an end means its server died. A failure
/// (the database away for a moment) is tried again a quarter of an hour later.
const CLAIM_TIMES: ClaimTimes = ClaimTimes {
    stale_after: 120 * MINUTE,
    retry_after: 15 * MINUTE,
};

/// Starts the scheduler: a first look at once, then every [`TICK`].
pub fn spawn(store: Store, clock: Clock) -> tokio::task::JoinHandle<()> {
    // A fresh name per process: a restarted server is another claimant.
    let instance = uuid::Uuid::now_v7().to_string();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(TICK);
        loop {
            ticks.tick().await;
            run_due(&store, clock, &instance).await;
            // SQLite's planner statistics follow the data's growth; a no-op when little changed.
            if let Err(e) = store.refresh_statistics().await {
                tracing::warn!(error = %e, "planner statistics not refreshed");
            }
        }
    })
}

/// The daily jobs, in the order a tick runs them.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// The action plan's indicator snapshots.
    Snapshots,
    /// Offers whose answer date has passed are marked expired.
    OfferExpiry,
    /// Rent changes whose day has come take effect (before the renewals, which carry the rent).
    RentChanges,
    /// Fixed-term contracts nearing their end get a renewal review case.
    RenewalReviews,
    /// Those who must act are reminded (after the renewals, which move a contract's term).
    Reminders,
    /// Approvals on the waiting list whose validity ran out expire.
    ApprovalExpiry,
    /// This month's bostøtte outreach list is made from every tenancy (after the rent changes).
    OutreachLists,
}

impl Job {
    const ALL: [Job; 7] = [
        Job::Snapshots,
        Job::OfferExpiry,
        Job::RentChanges,
        Job::RenewalReviews,
        Job::Reminders,
        Job::ApprovalExpiry,
        Job::OutreachLists,
    ];

    fn name(self) -> &'static str {
        match self {
            Job::Snapshots => SNAPSHOT_JOB,
            Job::OfferExpiry => OFFER_EXPIRY_JOB,
            Job::RentChanges => RENT_CHANGE_JOB,
            Job::RenewalReviews => RENEWAL_REVIEW_JOB,
            Job::Reminders => REMINDER_JOB,
            Job::ApprovalExpiry => APPROVAL_EXPIRY_JOB,
            Job::OutreachLists => OUTREACH_LIST_JOB,
        }
    }
}

/// Runs each of today's jobs that this server wins the claim of. Errors are logged and recorded
/// on the run (counts and error kinds only, never personal data), to be tried again.
pub async fn run_due(store: &Store, clock: Clock, instance: &str) {
    for job in Job::ALL {
        run_job(store, clock, instance, job).await;
    }
}

async fn run_job(store: &Store, clock: Clock, instance: &str, job: Job) {
    let today = clock.today();
    let now = husly_store::micros_of(clock.now());
    let name = job.name();
    match store.claim_job(name, today, instance, now, CLAIM_TIMES).await {
        Ok(true) => {}
        Ok(false) => return,
        Err(e) => {
            tracing::error!(job = name, error = %e, "job not claimed");
            return;
        }
    }
    let started = std::time::Instant::now();
    let result = match job {
        Job::Snapshots => take_indicator_snapshots(store, today).await.map(|run| {
            tracing::info!(
                job = name,
                municipalities = run.municipalities,
                values = run.values,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "indicator snapshots taken"
            );
        }),
        Job::OfferExpiry => expire_offers(store, today).await.map(|expired| {
            tracing::info!(
                job = name,
                expired,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "offers past their answer date expired"
            );
        }),
        Job::RentChanges => apply_rent_changes(store, today).await.map(|applied| {
            tracing::info!(
                job = name,
                applied,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "rent changes put into effect"
            );
        }),
        Job::RenewalReviews => open_renewal_reviews(store, today).await.map(|run| {
            tracing::info!(
                job = name,
                opened = run.opened,
                already_open = run.already_open,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "renewal reviews opened"
            );
        }),
        Job::Reminders => raise_reminders(store, today).await.map(|run| {
            tracing::info!(
                job = name,
                raised = run.raised,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "reminders raised"
            );
        }),
        Job::ApprovalExpiry => expire_lapsed_approvals(store, today).await.map(|expired| {
            tracing::info!(
                job = name,
                expired,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "lapsed approvals on the waiting list expired"
            );
        }),
        Job::OutreachLists => make_outreach_lists(store, today).await.map(|run| {
            tracing::info!(
                job = name,
                municipalities = run.municipalities,
                households = run.households,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "bostøtte outreach lists made"
            );
        }),
    };
    // Prometheus: runs by outcome, and the last run's duration and finish, per job.
    let seconds = started.elapsed().as_secs_f64();
    metrics::gauge!("husly_job_last_duration_seconds", "job" => name).set(seconds);
    let outcome = match result {
        Ok(()) => {
            metrics::counter!("husly_job_runs_total", "job" => name, "outcome" => "done").increment(1);
            metrics::gauge!("husly_job_last_success_timestamp_seconds", "job" => name)
                .set(clock.now().unix_timestamp() as f64);
            "done".to_string()
        }
        Err(e) => {
            metrics::counter!("husly_job_runs_total", "job" => name, "outcome" => "failed").increment(1);
            tracing::error!(job = name, error = %e, "job failed");
            format!("failed: {e}").chars().take(200).collect()
        }
    };
    let finished = husly_store::micros_of(clock.now());
    if let Err(e) = store.finish_job(name, today, instance, finished, &outcome).await {
        tracing::error!(job = name, error = %e, "job end not recorded");
    }
}
