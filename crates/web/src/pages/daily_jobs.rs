//! `GET /admin/jobs`: the server's daily jobs and how their latest runs went, for an
//! administrator (authorise → read → render; the runs name no person, so nothing is audited).

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_store::jobs::JobRun;
use husly_usecases::daily_jobs::{self, JobHistory};

#[derive(Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    l: Layout,
    jobs: Vec<JobHistory>,
}

/// How a run went, as the page words it.
enum RunState<'a> {
    Done,
    Failed(&'a str),
    Running,
}

impl JobsPage {
    fn state<'a>(&self, run: &'a JobRun) -> RunState<'a> {
        match (run.finished_at, run.outcome.as_deref()) {
            (None, _) => RunState::Running,
            (Some(_), Some("done")) => RunState::Done,
            (Some(_), outcome) => RunState::Failed(outcome.unwrap_or_default().trim_start_matches("failed: ")),
        }
    }

    fn day(&self, run: &JobRun) -> String {
        husly_domain::validation::format_date(run.run_on)
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    /// The run's duration in seconds, with one decimal.
    fn duration(&self, run: &JobRun) -> String {
        run.finished_at
            .map(|end| {
                let tenths = (end - run.claimed_at).max(0) / 100_000;
                format!("{},{} s", tenths / 10, tenths % 10)
            })
            .unwrap_or_default()
    }

    /// The claiming server, shortened: its name is a fresh UUID per process.
    fn server(&self, run: &JobRun) -> String {
        run.claimed_by
            .chars()
            .rev()
            .take(8)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect()
    }
}

pub async fn page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ManageUsers)?.id;
    let jobs = daily_jobs::job_history(&user.ctx(&state), municipality).await?;
    render(&JobsPage {
        l: Layout::for_user(&user, Section::Jobs, state.config.demo_mode),
        jobs,
    })
}
