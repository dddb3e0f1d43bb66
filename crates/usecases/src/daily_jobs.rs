//! The server's daily jobs as an administrator follows them: each job with its latest runs
//! (which day, which server, when it started and ended, how it went). The runs are the
//! installation's, not a municipality's, and name no person, so reading them is not audited.

use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_store::jobs::JobRun;

use crate::approval_expiry::APPROVAL_EXPIRY_JOB;
use crate::indicator_values::SNAPSHOT_JOB;
use crate::offers::OFFER_EXPIRY_JOB;
use crate::outreach::OUTREACH_LIST_JOB;
use crate::reminders::REMINDER_JOB;
use crate::renewals::RENEWAL_REVIEW_JOB;
use crate::rent_changes::RENT_CHANGE_JOB;
use crate::{Ctx, UseCaseResult};

/// The daily jobs, in the order the scheduler runs them.
pub const DAILY_JOBS: [&str; 7] = [
    SNAPSHOT_JOB,
    OFFER_EXPIRY_JOB,
    RENT_CHANGE_JOB,
    RENEWAL_REVIEW_JOB,
    REMINDER_JOB,
    APPROVAL_EXPIRY_JOB,
    OUTREACH_LIST_JOB,
];

/// How many runs of each job the overview shows.
pub const RUNS_SHOWN: i64 = 14;

/// One job and its latest runs, newest first.
#[derive(Debug, Clone)]
pub struct JobHistory {
    pub job: &'static str,
    pub runs: Vec<JobRun>,
}

/// The daily jobs with their latest runs, for an administrator of `municipality`.
pub async fn job_history(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<JobHistory>> {
    ctx.require(Action::ManageUsers, municipality)?;
    let mut history = Vec::with_capacity(DAILY_JOBS.len());
    for job in DAILY_JOBS {
        history.push(JobHistory {
            job,
            runs: ctx.store.job_runs(job, RUNS_SHOWN).await?,
        });
    }
    Ok(history)
}
