//! The background scheduler's claims: a job runs once per day however many Husly servers share
//! the database. A server claims the day's run by inserting its row; the primary key lets exactly
//! one insert win on both backends. A claim whose server stopped mid-run is taken over once it is
//! stale, and a failed run is tried again after a pause. The jobs themselves are idempotent, so a
//! run taken over from a server that was only slow does no harm.

use sqlx::Row;
use time::Date;

use crate::error::StoreResult;
use crate::{Store, date_text, parse_date_text};

/// One run of a job, as the scheduler left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRun {
    pub job: String,
    pub run_on: Date,
    pub claimed_by: String,
    pub claimed_at: i64,
    pub finished_at: Option<i64>,
    pub outcome: Option<String>,
}

/// How long a claim or a failure holds, in microseconds.
#[derive(Debug, Clone, Copy)]
pub struct ClaimTimes {
    /// A run started this long ago and never finished is taken to have died with its server.
    pub stale_after: i64,
    /// A failed run is tried again once this long has passed since it failed.
    pub retry_after: i64,
}

impl Store {
    /// Claims the run of `job` for `run_on` for the server `instance` at `now`. True when this
    /// server should run it: nobody had claimed it, or the claim was stale, or the run failed long
    /// enough ago.
    pub async fn claim_job(
        &self,
        job: &str,
        run_on: Date,
        instance: &str,
        now: i64,
        times: ClaimTimes,
    ) -> StoreResult<bool> {
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO job_run (job, run_on, claimed_by, claimed_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (job, run_on) DO NOTHING",
        )
        .bind(job)
        .bind(date_text(run_on))
        .bind(instance)
        .bind(now)
        .execute(tx.conn())
        .await?
        .rows_affected();
        let claimed = inserted == 1
            || sqlx::query(
                "UPDATE job_run SET claimed_by = $3, claimed_at = $4, finished_at = NULL, outcome = NULL \
                 WHERE job = $1 AND run_on = $2 AND ( \
                 (finished_at IS NULL AND claimed_at < $5) OR \
                 (finished_at IS NOT NULL AND outcome <> 'done' AND finished_at < $6))",
            )
            .bind(job)
            .bind(date_text(run_on))
            .bind(instance)
            .bind(now)
            .bind(now - times.stale_after)
            .bind(now - times.retry_after)
            .execute(tx.conn())
            .await?
            .rows_affected()
                == 1;
        tx.commit().await?;
        Ok(claimed)
    }

    /// Records how the claimed run ended: `done`, or `failed: …` with a reason free of personal
    /// data. A server that lost its claim (taken over as stale) records nothing.
    pub async fn finish_job(
        &self,
        job: &str,
        run_on: Date,
        instance: &str,
        now: i64,
        outcome: &str,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "UPDATE job_run SET finished_at = $4, outcome = $5 \
             WHERE job = $1 AND run_on = $2 AND claimed_by = $3 AND finished_at IS NULL",
        )
        .bind(job)
        .bind(date_text(run_on))
        .bind(instance)
        .bind(now)
        .bind(outcome)
        .execute(tx.conn())
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest runs of a job, newest first.
    pub async fn job_runs(&self, job: &str, limit: i64) -> StoreResult<Vec<JobRun>> {
        let sql = format!(
            "SELECT job, run_on, claimed_by, claimed_at, finished_at, outcome FROM job_run \
             WHERE job = $1 ORDER BY run_on DESC {}",
            crate::limit(limit)
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(job)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(JobRun {
                    job: row.try_get("job")?,
                    run_on: parse_date_text(&row.try_get::<String, _>("run_on")?)?,
                    claimed_by: row.try_get("claimed_by")?,
                    claimed_at: row.try_get("claimed_at")?,
                    finished_at: row.try_get("finished_at")?,
                    outcome: row.try_get("outcome")?,
                })
            })
            .collect()
    }
}
