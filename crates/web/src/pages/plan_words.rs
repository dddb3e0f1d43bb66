//! Words and figures of the action plan shared by its pages and its report: a status's label and
//! style, a figure with its unit, a chart told in words.

use husly_domain::action_plan::{Figure, Status, Unit};
use husly_domain::validation::format_date;
use husly_usecases::plan_dashboard::{IndicatorTrend, PointSource};

use crate::i18n::Tr;

/// The catalogue key of an indicator's status.
pub(crate) fn status_key(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::OnTrack) => "plan.status.on_track",
        Some(Status::AtRisk) => "plan.status.at_risk",
        Some(Status::OffTrack) => "plan.status.off_track",
        None => "plan.status.none",
    }
}

/// The tag style of an indicator's status.
pub(crate) fn status_class(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::OnTrack) => "tag tag--success",
        Some(Status::AtRisk) => "tag tag--warning",
        Some(Status::OffTrack) => "tag tag--danger",
        None => "tag tag--disabled",
    }
}

/// A figure with its unit, as a person reads it: "42", "12,5 %", "36 dager".
pub(crate) fn written(tr: Tr, unit: Unit, value: Figure) -> String {
    let number = value.written();
    match unit {
        Unit::Count => number,
        Unit::Percent => format!("{number}\u{a0}%"),
        Unit::Days => tr.f("plan.unit.days_value", &[("value", &number)]),
    }
}

/// What an indicator's chart shows, in words: for a screen reader in place of the chart.
pub(crate) fn chart_description(tr: Tr, trend: &IndicatorTrend) -> String {
    let d = &trend.view.indicator.details;
    let show = |value: Figure| written(tr, d.unit, value);
    let values = if trend.points.is_empty() {
        tr.t("plan.chart.no_values").to_string()
    } else {
        let list: Vec<String> = trend
            .points
            .iter()
            .map(|p| format!("{}: {}", p.year, show(p.value)))
            .collect();
        tr.f("plan.chart.values", &[("list", &list.join(", "))])
    };
    tr.f(
        "plan.chart.description",
        &[
            ("baseline_year", &d.baseline_year.to_string()),
            ("baseline", &show(d.baseline)),
            ("target_year", &d.target_year.to_string()),
            ("target", &show(d.target)),
            ("values", &values),
        ],
    )
}

/// Where a trend's value for `year` came from, in words.
pub(crate) fn point_source(tr: Tr, year: i32, source: PointSource) -> String {
    match source {
        PointSource::Snapshot { taken_on } if taken_on.year() == year => {
            tr.f("plan.trend.snapshot", &[("date", &format_date(taken_on))])
        }
        PointSource::Snapshot { taken_on } => tr.f("plan.trend.snapshot_late", &[("date", &format_date(taken_on))]),
        PointSource::Computed => tr.t("plan.trend.computed").to_string(),
        PointSource::Reported => tr.t("plan.trend.reported").to_string(),
    }
}
