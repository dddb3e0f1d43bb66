//! Line charts drawn as SVG on the server: no JavaScript, crisp at any width, and readable by a
//! screen reader through the chart's title and description (`role="img"`). The page shows the
//! same figures as a table beside each chart, so the chart never carries information alone.

use std::fmt::Write;

/// One series of yearly values with the plan's baseline and target.
pub struct YearChart<'a> {
    /// Unique on the page: the ids of the title and description derive from it.
    pub id: &'a str,
    pub title: &'a str,
    /// A sentence or two that says what the chart shows, for those who cannot see it.
    pub description: &'a str,
    pub first_year: i32,
    pub last_year: i32,
    /// Values in hundredths, by year; a missing year leaves a gap in the line.
    pub points: &'a [(i32, i64)],
    pub baseline: (i32, i64),
    pub target: (i32, i64),
    /// Labels of the series, the baseline and the target, in the reader's language.
    pub legend: [&'a str; 3],
    /// Writes an axis value (hundredths) as the reader writes it.
    pub format: &'a dyn Fn(i64) -> String,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 280.0;
const LEFT: f64 = 64.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 64.0;

/// Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by shape and line
/// style as well as colour.
const SERIES: &str = "#1e4f8a";
const TARGET: &str = "#8a4600";
const GRID: &str = "#d2d6db";
const INK: &str = "#1f2328";

pub fn year_chart(chart: &YearChart<'_>) -> String {
    let years = (chart.last_year - chart.first_year).max(1) as f64;
    let values = chart
        .points
        .iter()
        .map(|(_, v)| *v)
        .chain([chart.baseline.1, chart.target.1]);
    let ticks = axis_ticks(values);
    let (bottom, top) = (ticks[0], ticks[ticks.len() - 1]);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |year: i32| LEFT + plot_w * f64::from(year - chart.first_year) / years;
    let y = |value: i64| TOP + plot_h * (1.0 - (value - bottom) as f64 / (top - bottom) as f64);

    let mut svg = String::new();
    let id = chart.id;
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(chart.title),
        escape(chart.description)
    );
    // Horizontal grid lines with their values.
    for &value in &ticks {
        let _ = write!(
            svg,
            r#"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="{GRID}"/><text x="{}" y="{:.1}" text-anchor="end" font-size="12" fill="{INK}">{}</text>"#,
            WIDTH - RIGHT,
            LEFT - 8.0,
            y(value) + 4.0,
            escape(&(chart.format)(value)),
            y = y(value)
        );
    }
    // Years along the bottom; every other one when there are many.
    let every = if chart.last_year - chart.first_year > 8 { 2 } else { 1 };
    for year in (chart.first_year..=chart.last_year).step_by(every) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="12" fill="{INK}">{year}</text>"#,
            x(year),
            TOP + plot_h + 18.0
        );
    }
    // The way from baseline to target, dashed.
    let _ = write!(
        svg,
        r#"<line x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>"#,
        x(chart.baseline.0),
        y(chart.baseline.1),
        x(chart.target.0),
        y(chart.target.1)
    );
    // The values: a line through consecutive years, a dot on each.
    for run in chart.points.chunk_by(|a, b| b.0 == a.0 + 1) {
        if run.len() > 1 {
            let path: Vec<String> = run
                .iter()
                .map(|(year, v)| format!("{:.1},{:.1}", x(*year), y(*v)))
                .collect();
            let _ = write!(
                svg,
                r#"<polyline points="{}" fill="none" stroke="{SERIES}" stroke-width="3"/>"#,
                path.join(" ")
            );
        }
    }
    for (year, v) in chart.points {
        let _ = write!(
            svg,
            r#"<circle cx="{:.1}" cy="{:.1}" r="5" fill="{SERIES}"/>"#,
            x(*year),
            y(*v)
        );
    }
    // Baseline: an open circle; target: a diamond.
    let _ = write!(
        svg,
        r#"<circle cx="{:.1}" cy="{:.1}" r="6" fill="white" stroke="{TARGET}" stroke-width="2"/>"#,
        x(chart.baseline.0),
        y(chart.baseline.1)
    );
    let (tx, ty) = (x(chart.target.0), y(chart.target.1));
    let _ = write!(
        svg,
        r#"<path d="M{tx:.1},{:.1} L{:.1},{ty:.1} L{tx:.1},{:.1} L{:.1},{ty:.1} Z" fill="{TARGET}"/>"#,
        ty - 7.0,
        tx + 7.0,
        ty + 7.0,
        tx - 7.0
    );
    // The legend under the axis.
    let legend_y = HEIGHT - 16.0;
    let [series, baseline, target] = chart.legend;
    let _ = write!(
        svg,
        r#"<g font-size="12" fill="{INK}"><line x1="{LEFT}" x2="{}" y1="{legend_y}" y2="{legend_y}" stroke="{SERIES}" stroke-width="3"/><circle cx="{}" cy="{legend_y}" r="5" fill="{SERIES}"/><text x="{}" y="{}">{}</text>"#,
        LEFT + 24.0,
        LEFT + 12.0,
        LEFT + 30.0,
        legend_y + 4.0,
        escape(series)
    );
    let _ = write!(
        svg,
        r#"<circle cx="{}" cy="{legend_y}" r="6" fill="white" stroke="{TARGET}" stroke-width="2"/><text x="{}" y="{}">{}</text>"#,
        LEFT + 200.0,
        LEFT + 212.0,
        legend_y + 4.0,
        escape(baseline)
    );
    let (lx, ly) = (LEFT + 360.0, legend_y);
    let _ = write!(
        svg,
        r#"<path d="M{lx},{} L{},{ly} L{lx},{} L{},{ly} Z" fill="{TARGET}"/><text x="{}" y="{}">{}</text></g></svg>"#,
        ly - 6.0,
        lx + 6.0,
        ly + 6.0,
        lx - 6.0,
        lx + 12.0,
        ly + 4.0,
        escape(target)
    );
    svg
}

/// Two values per group drawn as horizontal bars, each group's label above its pair and each
/// value written at the end of its bar. Narrow by design (360 units wide), so at 320 px its text
/// is still close to full size. The second series is hatched as well as coloured.
pub struct PairedBars<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    /// Label, first value, second value; values in tenths.
    pub groups: &'a [(String, i64, i64)],
    pub legend: [&'a str; 2],
    /// Writes a value (tenths) as the reader writes it.
    pub format: &'a dyn Fn(i64) -> String,
}

const BARS_WIDTH: f64 = 360.0;
const BAR: f64 = 14.0;
const BAR_LABEL_ROOM: f64 = 48.0;

pub fn paired_bars(chart: &PairedBars<'_>) -> String {
    let id = chart.id;
    let group_h = 16.0 + 2.0 * BAR + 4.0 + 14.0;
    let legend_h = 48.0;
    let height = 8.0 + group_h * chart.groups.len() as f64 + legend_h;
    let max = chart
        .groups
        .iter()
        .flat_map(|(_, a, b)| [*a, *b])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let left = 4.0;
    let span = BARS_WIDTH - left - BAR_LABEL_ROOM;
    let length = |v: i64| (span * v.max(0) as f64 / max).max(if v > 0 { 1.0 } else { 0.0 });
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart chart--bars" viewBox="0 0 {BARS_WIDTH} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc><defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="{TARGET}"/><line x1="0" y1="0" x2="0" y2="6" stroke="white" stroke-width="2"/></pattern></defs>"#,
        escape(chart.title),
        escape(chart.description)
    );
    let mut y = 8.0;
    for (label, a, b) in chart.groups {
        let _ = write!(
            svg,
            r#"<text x="{left}" y="{:.1}" font-size="13" font-weight="600" fill="{INK}">{}</text>"#,
            y + 12.0,
            escape(label)
        );
        for (i, (value, fill)) in [(*a, SERIES.to_string()), (*b, format!("url(#{id}-hatch)"))]
            .into_iter()
            .enumerate()
        {
            let top = y + 16.0 + i as f64 * (BAR + 4.0);
            let w = length(value);
            let _ = write!(
                svg,
                r#"<rect x="{left}" y="{top:.1}" width="{w:.1}" height="{BAR}" fill="{fill}"/><text x="{:.1}" y="{:.1}" font-size="12" fill="{INK}">{}</text>"#,
                left + w + 4.0,
                top + BAR - 3.0,
                escape(&(chart.format)(value))
            );
        }
        y += group_h;
    }
    // The legend, one series per line so it fits a narrow screen.
    let [first, second] = chart.legend;
    let _ = write!(
        svg,
        r#"<g font-size="12" fill="{INK}"><rect x="{left}" y="{:.1}" width="14" height="14" fill="{SERIES}"/><text x="{:.1}" y="{:.1}">{}</text><rect x="{left}" y="{:.1}" width="14" height="14" fill="url(#{id}-hatch)"/><text x="{:.1}" y="{:.1}">{}</text></g></svg>"#,
        y + 4.0,
        left + 20.0,
        y + 15.0,
        escape(first),
        y + 26.0,
        left + 20.0,
        y + 37.0,
        escape(second)
    );
    svg
}

/// The grid lines (hundredths) of an axis that shows every one of `values` and zero: round steps
/// from a multiple at or below the lowest to one at or above the highest. The page's SVG and the
/// PDF report draw the same axis.
pub fn axis_ticks(values: impl IntoIterator<Item = i64>) -> Vec<i64> {
    let (low, high) = values
        .into_iter()
        .fold((0i64, 0i64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let step = nice_step((high - low).max(100));
    let top = ((high + step - 1).div_euclid(step) * step).max(step);
    let bottom = low.div_euclid(step) * step;
    (0..).map(|i| bottom + i * step).take_while(|v| *v <= top).collect()
}

/// A step between grid lines (hundredths) of 1, 2 or 5 times a power of ten, giving four to
/// eight lines over `span`.
fn nice_step(span: i64) -> i64 {
    let mut step = 100i64;
    loop {
        for factor in [1, 2, 5] {
            let candidate = step * factor;
            if span / candidate <= 6 {
                return candidate;
            }
        }
        step *= 10;
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_bars_are_an_image_with_every_value_written() {
        let groups = vec![
            ("1 soverom".to_string(), 120, 35),
            ("5 <eller> flere".to_string(), 0, 7),
        ];
        let svg = paired_bars(&PairedBars {
            id: "s1",
            title: "Behov",
            description: "Tall",
            groups: &groups,
            legend: ["Venter", "Leid ut"],
            format: &|v| format!("{},{}", v / 10, v % 10),
        });
        assert!(svg.contains(r#"role="img" aria-labelledby="s1-title s1-desc""#));
        for value in ["12,0", "3,5", "0,0", "0,7"] {
            assert!(svg.contains(&format!(">{value}</text>")), "{value}: {svg}");
        }
        assert!(svg.contains("5 &lt;eller&gt; flere"));
        // The longest bar spans the room left after the value labels; a zero has no bar.
        assert!(svg.contains(r#"width="308.0""#), "{svg}");
        assert!(svg.contains(r#"width="0.0""#));
        assert!(svg.ends_with("</svg>"));
    }

    fn chart(points: &[(i32, i64)]) -> String {
        year_chart(&YearChart {
            id: "c1",
            title: "Søknader <om> bolig",
            description: "Verdiene 2022–2025",
            first_year: 2022,
            last_year: 2027,
            points,
            baseline: (2022, 4_000),
            target: (2027, 2_000),
            legend: ["Verdi", "Utgangspunkt", "Mål"],
            format: &|v| (v / 100).to_string(),
        })
    }

    #[test]
    fn a_chart_is_an_image_with_a_title_and_description() {
        let svg = chart(&[(2022, 4_000), (2023, 3_500)]);
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains(r#"role="img" aria-labelledby="c1-title c1-desc""#));
        assert!(svg.contains("<title id=\"c1-title\">Søknader &lt;om&gt; bolig</title>"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn a_gap_in_the_years_breaks_the_line() {
        let svg = chart(&[(2022, 4_000), (2023, 3_500), (2025, 3_000), (2026, 2_800)]);
        assert_eq!(svg.matches("<polyline").count(), 2);
        // One dot per value, plus the legend's.
        assert_eq!(svg.matches(&format!("fill=\"{SERIES}\"/>")).count(), 5);
        assert_eq!(chart(&[(2024, 3_000)]).matches("<polyline").count(), 0);
    }

    #[test]
    fn the_axis_covers_every_value_with_round_steps() {
        assert_eq!(
            axis_ticks([4_000, 12_345]),
            vec![0, 2_000, 4_000, 6_000, 8_000, 10_000, 12_000, 14_000]
        );
        assert_eq!(axis_ticks([0]), vec![0, 100]);
        assert_eq!(
            axis_ticks([5_050, 2_500]),
            vec![0, 1_000, 2_000, 3_000, 4_000, 5_000, 6_000]
        );
        assert_eq!(nice_step(100), 100);
        assert_eq!(nice_step(4_000), 1_000);
        assert_eq!(nice_step(1_000_000), 200_000);
        let svg = chart(&[(2022, 4_000), (2023, 12_345)]);
        // The highest grid line is at or above the highest value: 140 with steps of 20.
        assert!(svg.contains(">140</text>"), "{svg}");
        assert!(!svg.contains(">160</text>"));
    }
}
