//! A goal's dashboard (`/plans/{id}/goals/{goal}`): each indicator's value, status and trend as
//! an SVG chart with the same figures in a table; and the drill-down behind a value
//! (`/plans/{id}/indicators/{indicator}/cases`), as far as the reader's role allows.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use husly_domain::action_plan::{Figure, Status, Unit};
use husly_domain::cases::{CaseState, CaseType};
use husly_domain::validation::format_date;
use husly_usecases::plan_dashboard::{self as usecases, DrillDown, GoalDashboard, IndicatorTrend, PointSource};

use super::kostra_form::{YearQuery, parse_year};
use super::plan_words::{chart_description, point_source, status_class, status_key, written};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::charts::{YearChart, year_chart};
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use crate::pages::render;

#[derive(Template)]
#[template(path = "plan_goal.html")]
struct GoalPage {
    l: Layout,
    dashboard: GoalDashboard,
    /// Each indicator's chart (SVG markup), in the order of the indicators.
    charts: Vec<String>,
}

impl GoalPage {
    fn computed(&self) -> String {
        crate::layout::computed_note(self.l.tr, self.dashboard.computed_at)
    }

    fn figure(&self, unit: &Unit, value: &Figure) -> String {
        written(self.l.tr, *unit, *value)
    }

    fn status_key(&self, status: &Option<Status>) -> &'static str {
        status_key(*status)
    }

    fn status_class(&self, status: &Option<Status>) -> &'static str {
        status_class(*status)
    }

    fn source(&self, year: &i32, source: &PointSource) -> String {
        point_source(self.l.tr, *year, *source)
    }

    fn definition_key(&self, definition: &Option<String>) -> String {
        match definition {
            Some(key) => format!("indicator.{key}"),
            None => "plan.indicator.manual".into(),
        }
    }
}

/// An indicator's chart, its description telling the same figures in words.
fn chart(tr: Tr, index: usize, trend: &IndicatorTrend, first_year: i32, last_year: i32) -> String {
    let d = &trend.view.indicator.details;
    let description = chart_description(tr, trend);
    let points: Vec<(i32, i64)> = trend.points.iter().map(|p| (p.year, p.value.0)).collect();
    let axis = |hundredths: i64| written(tr, d.unit, Figure(hundredths));
    year_chart(&YearChart {
        id: &format!("chart-{index}"),
        title: &d.name,
        description: &description,
        first_year: first_year.min(d.baseline_year),
        last_year: last_year.max(d.target_year),
        points: &points,
        baseline: (d.baseline_year, d.baseline.0),
        target: (d.target_year, d.target.0),
        legend: [
            tr.t("plan.chart.series"),
            tr.t("plan.chart.baseline"),
            tr.t("plan.chart.target"),
        ],
        format: &axis,
    })
}

/// `GET /plans/{id}/goals/{goal}`
pub async fn goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, goal)): Path<(String, String)>,
) -> AppResult<Response> {
    let dashboard = usecases::goal_dashboard(&user.ctx(&state), &plan, &goal).await?;
    let l = Layout::for_user(&user, Section::ActionPlan, state.config.demo_mode);
    let charts = dashboard
        .indicators
        .iter()
        .enumerate()
        .map(|(i, trend)| chart(l.tr, i, trend, dashboard.first_year, dashboard.last_year))
        .collect();
    render(&GoalPage { l, dashboard, charts })
}

#[derive(Template)]
#[template(path = "plan_indicator_cases.html")]
struct CasesPage {
    l: Layout,
    drill: DrillDown,
    /// The years the reader may choose, newest first.
    years: Vec<i32>,
}

impl CasesPage {
    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn month_key(&self, month: &u8) -> String {
        format!("plan.month.{month}")
    }

    fn state_key(&self, state: &CaseState) -> String {
        format!("case_state.{}", state.code())
    }

    fn type_key(&self, case_type: &CaseType) -> String {
        format!("case_type.{}", case_type.code())
    }

    fn lead(&self) -> String {
        let key = if self.drill.counted == 1 {
            "plan.drill.lead_one"
        } else {
            "plan.drill.lead"
        };
        self.l.tr.f(
            key,
            &[
                ("count", &self.drill.counted.to_string()),
                ("year", &self.drill.year.to_string()),
            ],
        )
    }

    fn numerator_text(&self, numerator: &i64) -> String {
        self.l
            .tr
            .f("plan.drill.numerator", &[("count", &numerator.to_string())])
    }

    fn is_share(&self) -> bool {
        self.drill.numerator.is_some()
    }
}

/// `GET /plans/{id}/indicators/{indicator}/cases?year=`
pub async fn cases(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, indicator)): Path<(String, String)>,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let ctx = user.ctx(&state);
    let year = parse_year(&query)?;
    let drill = usecases::indicator_cases(&ctx, &plan, &indicator, year).await?;
    let first = drill
        .summary
        .heading
        .period_from
        .min(drill.indicator.details.baseline_year);
    let years = (first..=ctx.today.year()).rev().collect();
    render(&CasesPage {
        l: Layout::for_user(&user, Section::ActionPlan, state.config.demo_mode),
        drill,
        years,
    })
}

/// The municipality's name as the user knows it (the report's letterhead).
fn municipality_name(user: &CurrentUser, id: husly_domain::MunicipalityId) -> String {
    user.municipalities
        .iter()
        .find(|m| m.id == id)
        .map(|m| m.name.clone())
        .unwrap_or_default()
}

/// `GET /plans/{id}/report.pdf`: the yearly status report for the council.
pub async fn report_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
) -> AppResult<Response> {
    let ctx = user.ctx(&state);
    let report = usecases::plan_report(&ctx, &plan).await?;
    let document = crate::plan_export::report(
        &report,
        user.tr,
        &municipality_name(&user, report.municipality),
        ctx.today,
    );
    let pdf = tokio::task::spawn_blocking(move || husly_letters::render_report_pdf(&document))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::download::file(
        &format!("handlingsplan-status-{}.pdf", report.year),
        "application/pdf",
        pdf,
    ))
}

/// `GET /plans/{id}/report.xlsx`: the report's tables.
pub async fn report_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
) -> AppResult<Response> {
    let report = usecases::plan_report(&user.ctx(&state), &plan).await?;
    let body =
        crate::plan_export::xlsx(&report, user.tr).map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(crate::download::file(
        &format!("handlingsplan-tall-{}.xlsx", report.year),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    ))
}
