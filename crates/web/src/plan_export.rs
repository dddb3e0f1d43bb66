//! The action plan's yearly status report for the council: a PDF (the letters crate's report
//! machinery: goals, indicators with value, target, status and trend chart, measures) and the
//! underlying tables as XLSX. Every text from the catalogue in the reader's language.

use husly_domain::action_plan::{Figure, Unit};
use husly_domain::validation::{format_date, format_ore_as_kr};
use husly_usecases::plan_dashboard::{IndicatorTrend, PlanReport};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::charts::axis_ticks;
use crate::i18n::Tr;
use crate::pages::plan_words::{point_source, status_key, written};

/// The report as a document for the letters crate, made on `today` in `municipality`.
pub fn report(report: &PlanReport, tr: Tr, municipality: &str, today: time::Date) -> husly_letters::Report {
    let heading = &report.summary.heading;
    let adopted = match (&heading.adopted_on, &heading.council_ref) {
        (Some(on), Some(reference)) => format!("{} ({reference})", format_date(*on)),
        (Some(on), None) => format_date(*on),
        _ => tr.t("plan.draft").to_string(),
    };
    let mut sections = vec![husly_letters::ReportSection {
        heading: tr.t("plan.report.about_heading").to_string(),
        paragraphs: vec![
            tr.f("plan.report.about", &[("date", &format_date(today))]),
            tr.t("plan.status_explained").to_string(),
        ],
        items: Vec::new(),
        charts: Vec::new(),
    }];
    for goal in &report.goals {
        let mut paragraphs: Vec<String> = goal.goal.text.description.iter().cloned().collect();
        if goal.indicators.is_empty() {
            paragraphs.push(tr.t("plan.no_indicators").to_string());
        }
        let mut items: Vec<String> = goal
            .indicators
            .iter()
            .map(|t| indicator_line(tr, t, report.year))
            .collect();
        items.extend(goal.goal.measures.iter().map(|m| {
            let d = &m.details;
            let mut line = tr.f(
                "plan.report.measure",
                &[
                    ("title", &d.title),
                    ("owner", &d.owner),
                    ("status", tr.t(&format!("plan.measure_status.{}", d.status.code()))),
                ],
            );
            if let Some(deadline) = d.deadline {
                line.push_str(&tr.f("plan.report.deadline", &[("date", &format_date(deadline))]));
            }
            if let Some(budget) = d.budget_ore {
                line.push_str(&tr.f("plan.report.budget", &[("amount", &format_ore_as_kr(budget))]));
            }
            line
        }));
        sections.push(husly_letters::ReportSection {
            heading: goal.goal.text.title.clone(),
            paragraphs,
            items,
            charts: goal
                .indicators
                .iter()
                .map(|t| chart(tr, t, goal.first_year, goal.last_year))
                .collect(),
        });
    }
    husly_letters::Report {
        language: crate::i18n::letters_language(tr.lang),
        date: today,
        title: tr.f(
            "plan.report.title",
            &[("year", &report.year.to_string()), ("title", &heading.title)],
        ),
        municipality: municipality.to_string(),
        unit: tr.t("plan.report.unit").to_string(),
        meta: vec![
            (
                tr.t("plan.period").to_string(),
                format!("{}–{}", heading.period_from, heading.period_to),
            ),
            // Two lines: the letterhead has room for no more; the date made is in the text.
            (tr.t("plan.adopted").to_string(), adopted),
        ],
        sections,
        footer: vec![tr.t("plan.report.footer").to_string()],
        page_number: tr.t("plan.report.page").to_string(),
    }
}

/// "Name: 12 in 2026 (baseline 40 in 2025, target 20 in 2029) – on track".
fn indicator_line(tr: Tr, trend: &IndicatorTrend, year: i32) -> String {
    let d = &trend.view.indicator.details;
    let show = |v: Figure| written(tr, d.unit, v);
    let value = match trend.view.value {
        Some((v, _)) => tr.f("plan.report.value", &[("value", &show(v)), ("year", &year.to_string())]),
        None => tr.t("plan.value.none").to_string(),
    };
    tr.f(
        "plan.report.indicator",
        &[
            ("name", &d.name),
            ("value", &value),
            ("baseline", &show(d.baseline)),
            ("baseline_year", &d.baseline_year.to_string()),
            ("target", &show(d.target)),
            ("target_year", &d.target_year.to_string()),
            ("status", tr.t(status_key(trend.view.status))),
        ],
    )
}

fn chart(tr: Tr, trend: &IndicatorTrend, first_year: i32, last_year: i32) -> husly_letters::ReportChart {
    let d = &trend.view.indicator.details;
    let points: Vec<(i32, i64)> = trend.points.iter().map(|p| (p.year, p.value.0)).collect();
    let ticks = axis_ticks(points.iter().map(|(_, v)| *v).chain([d.baseline.0, d.target.0]))
        .into_iter()
        .map(|v| (v, written(tr, d.unit, Figure(v))))
        .collect();
    husly_letters::ReportChart {
        title: d.name.clone(),
        description: crate::pages::plan_words::chart_description(tr, trend),
        first_year: first_year.min(d.baseline_year),
        last_year: last_year.max(d.target_year),
        points,
        baseline: (d.baseline_year, d.baseline.0),
        target: (d.target_year, d.target.0),
        ticks,
        legend: [
            tr.t("plan.chart.series").to_string(),
            tr.t("plan.chart.baseline").to_string(),
            tr.t("plan.chart.target").to_string(),
        ],
    }
}

/// The plan's tables as a workbook: the indicators with this year's value, their values year by
/// year, and the measures. Figures are numbers, so the council's staff can compute with them.
pub fn xlsx(report: &PlanReport, tr: Tr) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let number = |v: Figure| v.0 as f64 / 100.0;

    let sheet = workbook.add_worksheet();
    sheet.set_name(tr.t("plan.xlsx.indicators"))?;
    let value_this_year = format!("{} {}", tr.t("plan.value"), report.year);
    header(
        sheet,
        &bold,
        &[
            tr.t("plan.xlsx.goal"),
            tr.t("plan.indicator"),
            tr.t("plan.field.definition"),
            tr.t("plan.field.unit"),
            &value_this_year,
            tr.t("plan.field.baseline"),
            tr.t("plan.field.baseline_year"),
            tr.t("plan.field.target"),
            tr.t("plan.field.target_year"),
            tr.t("plan.status"),
        ],
    )?;
    let mut row = 1u32;
    for goal in &report.goals {
        for t in &goal.indicators {
            let d = &t.view.indicator.details;
            let source_key = match &d.definition {
                Some(key) => format!("indicator.{key}"),
                None => "plan.indicator.manual".to_string(),
            };
            let source = tr.t(&source_key);
            sheet.write_string(row, 0, &goal.goal.text.title)?;
            sheet.write_string(row, 1, &d.name)?;
            sheet.write_string(row, 2, source)?;
            sheet.write_string(row, 3, tr.t(unit_key(d.unit)))?;
            if let Some((value, _)) = t.view.value {
                sheet.write_number(row, 4, number(value))?;
            }
            sheet.write_number(row, 5, number(d.baseline))?;
            sheet.write_number(row, 6, f64::from(d.baseline_year))?;
            sheet.write_number(row, 7, number(d.target))?;
            sheet.write_number(row, 8, f64::from(d.target_year))?;
            sheet.write_string(row, 9, tr.t(status_key(t.view.status)))?;
            row += 1;
        }
    }
    finish(sheet);

    let sheet = workbook.add_worksheet();
    sheet.set_name(tr.t("plan.xlsx.trends"))?;
    header(
        sheet,
        &bold,
        &[
            tr.t("plan.xlsx.goal"),
            tr.t("plan.indicator"),
            tr.t("plan.trend.year"),
            tr.t("plan.value"),
            tr.t("plan.trend.source"),
        ],
    )?;
    let mut row = 1u32;
    for goal in &report.goals {
        for t in &goal.indicators {
            for p in &t.points {
                let source = point_source(tr, p.year, p.source);
                sheet.write_string(row, 0, &goal.goal.text.title)?;
                sheet.write_string(row, 1, &t.view.indicator.details.name)?;
                sheet.write_number(row, 2, f64::from(p.year))?;
                sheet.write_number(row, 3, number(p.value))?;
                sheet.write_string(row, 4, source)?;
                row += 1;
            }
        }
    }
    finish(sheet);

    let sheet = workbook.add_worksheet();
    sheet.set_name(tr.t("plan.measures"))?;
    header(
        sheet,
        &bold,
        &[
            tr.t("plan.xlsx.goal"),
            tr.t("plan.measure"),
            tr.t("plan.field.owner"),
            tr.t("plan.field.deadline"),
            tr.t("plan.field.status"),
            tr.t("plan.field.budget_kr"),
        ],
    )?;
    let mut row = 1u32;
    for goal in &report.goals {
        for m in &goal.goal.measures {
            let d = &m.details;
            sheet.write_string(row, 0, &goal.goal.text.title)?;
            sheet.write_string(row, 1, &d.title)?;
            sheet.write_string(row, 2, &d.owner)?;
            if let Some(deadline) = d.deadline {
                sheet.write_string(row, 3, format_date(deadline))?;
            }
            sheet.write_string(row, 4, tr.t(&format!("plan.measure_status.{}", d.status.code())))?;
            if let Some(budget) = d.budget_ore {
                sheet.write_number(row, 5, budget as f64 / 100.0)?;
            }
            row += 1;
        }
    }
    finish(sheet);
    workbook.save_to_buffer()
}

fn header(sheet: &mut Worksheet, bold: &Format, columns: &[&str]) -> Result<(), XlsxError> {
    for (col, text) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *text, bold)?;
    }
    Ok(())
}

fn finish(sheet: &mut Worksheet) {
    let _ = sheet.set_freeze_panes(1, 0);
    sheet.autofit();
}

fn unit_key(unit: Unit) -> &'static str {
    match unit {
        Unit::Count => "plan.unit.count",
        Unit::Percent => "plan.unit.percent",
        Unit::Days => "plan.unit.days",
    }
}
