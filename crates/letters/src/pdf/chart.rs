//! A report's line chart as marks and labels at their place on the page, drawn like the web
//! page's SVG chart (`husly-web`'s `charts.rs`): the same marks, colours and order, scaled to the
//! text width (about 0.71 of the SVG's size).
//!
//! The labels are text in the embedded font, so that they can be extracted and copied; the whole
//! chart is one Figure in the structure tree, read out as its description.

use crate::ReportChart;
use crate::pdf::font::{Font, Style};
use crate::pdf::layout::{Ink, Run};

pub(crate) type Rgb = [f32; 3];

/// Colours of the SVG chart, with at least 3:1 contrast against white (WCAG 1.4.11).
pub(crate) const SERIES: Rgb = rgb(0x1e, 0x4f, 0x8a);
pub(crate) const TARGET: Rgb = rgb(0x8a, 0x46, 0x00);
pub(crate) const GRID: Rgb = rgb(0xd2, 0xd6, 0xdb);
pub(crate) const INK: Rgb = rgb(0x1f, 0x23, 0x28);
const WHITE: Rgb = [1.0, 1.0, 1.0];

const fn rgb(r: u8, g: u8, b: u8) -> Rgb {
    [r as f32 / 255.0, g as f32 / 255.0, b as f32 / 255.0]
}

/// 55 mm.
const PLOT_HEIGHT: f32 = 55.0 * 72.0 / 25.4;
/// Room above the top grid line for its label.
const TOP_PAD: f32 = 6.0;
/// The years under the plot.
const YEARS_BAND: f32 = 20.0;
const LEGEND_ROW: f32 = 14.0;
const BOTTOM_PAD: f32 = 4.0;
const LABEL_SIZE: f32 = 8.5;
/// Room right of the last year for its label and the target's diamond.
const RIGHT_PAD: f32 = 14.0;
const SERIES_WIDTH: f32 = 2.0;
const DOT: f32 = 3.5;
const BASELINE_RADIUS: f32 = 4.2;
const TARGET_WIDTH: f32 = 1.4;
const DIAMOND: f32 = 5.0;
const DASH: [f32; 2] = [4.5, 3.0];
const GRID_WIDTH: f32 = 0.7;
/// A legend entry: mark, gap, label, and the gap to the next entry.
const LEGEND_MARK: f32 = 17.0;
const LEGEND_GAP: f32 = 4.0;
const LEGEND_SPACING: f32 = 16.0;

/// A vector mark in page coordinates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// An open path through the points.
    Line {
        points: Vec<(f32, f32)>,
        colour: Rgb,
        width: f32,
        dash: Option<[f32; 2]>,
    },
    Circle {
        x: f32,
        y: f32,
        r: f32,
        fill: Rgb,
        /// Colour and width of the outline, if any.
        stroke: Option<(Rgb, f32)>,
    },
    /// A square on its corner, `r` from the centre to each corner.
    Diamond { x: f32, y: f32, r: f32, fill: Rgb },
}

/// A chart placed on a page: its marks, then its labels, all content of one structure element.
pub(crate) struct Figure {
    pub elem: usize,
    /// The index in the page's runs it is drawn before (set when it is placed on a page).
    pub at: usize,
    /// Left, bottom, right, top.
    pub bbox: [f32; 4],
    pub shapes: Vec<Shape>,
    pub runs: Vec<Run>,
}

/// The chart's height on the page, legend included.
pub(crate) fn height(fonts: &[Font; 2], chart: &ReportChart, width: f32) -> f32 {
    let rows = legend(fonts, chart, plot_left(fonts, chart, 0.0), width).1;
    TOP_PAD + PLOT_HEIGHT + YEARS_BAND + LEGEND_ROW * rows as f32 + BOTTOM_PAD
}

/// The chart with its top left corner at (`left`, `top`), `width` wide. The chart has been
/// validated: at least two rising ticks covering every value, every year within the span.
pub(crate) fn figure(fonts: &[Font; 2], chart: &ReportChart, elem: usize, left: f32, top: f32, width: f32) -> Figure {
    let font = &fonts[Style::Regular.index()];
    let plot_left = plot_left(fonts, chart, left);
    let plot_right = left + width - RIGHT_PAD;
    let plot_top = top - TOP_PAD;
    let plot_bottom = plot_top - PLOT_HEIGHT;
    let first = f64::from(chart.first_year);
    let span = (f64::from(chart.last_year) - first).max(1.0);
    let x = |year: i32| plot_left + (plot_right - plot_left) * ((f64::from(year) - first) / span) as f32;
    // f64 so that no subtraction of hundredths can overflow.
    let low = chart.ticks.first().map_or(0.0, |tick| tick.0 as f64);
    let high = chart.ticks.last().map_or(1.0, |tick| tick.0 as f64).max(low + 1.0);
    let y = |value: i64| plot_bottom + PLOT_HEIGHT * ((value as f64 - low) / (high - low)) as f32;
    let label = |x: f32, y: f32, text: &str| Run {
        style: Style::Regular,
        size: LABEL_SIZE,
        ink: Ink::Rgb(INK),
        x,
        y,
        // The space keeps labels apart when the text is extracted.
        text: format!("{text} "),
        elem: Some(elem),
    };
    let mut shapes = Vec::new();
    let mut runs = Vec::new();

    // Horizontal grid lines with their values, right-aligned left of the plot.
    for (value, text) in &chart.ticks {
        let at = y(*value);
        shapes.push(Shape::Line {
            points: vec![(plot_left, at), (plot_right, at)],
            colour: GRID,
            width: GRID_WIDTH,
            dash: None,
        });
        let text_x = plot_left - 8.0 - font.width(text, LABEL_SIZE);
        runs.push(label(text_x, at - 0.35 * LABEL_SIZE, text));
    }
    // Years along the bottom; every other one when there are many.
    let every = if i64::from(chart.last_year) - i64::from(chart.first_year) > 8 {
        2
    } else {
        1
    };
    for year in (chart.first_year..=chart.last_year).step_by(every) {
        let text = year.to_string();
        let text_x = x(year) - font.width(&text, LABEL_SIZE) / 2.0;
        runs.push(label(text_x, plot_bottom - 14.0, &text));
    }
    // The way from baseline to target, dashed.
    let (baseline, target) = (chart.baseline, chart.target);
    shapes.push(Shape::Line {
        points: vec![(x(baseline.0), y(baseline.1)), (x(target.0), y(target.1))],
        colour: TARGET,
        width: TARGET_WIDTH,
        dash: Some(DASH),
    });
    // The values: a line through consecutive years, a dot on each.
    for piece in chart.points.chunk_by(|a, b| b.0 == a.0 + 1) {
        if piece.len() > 1 {
            shapes.push(Shape::Line {
                points: piece.iter().map(|&(year, value)| (x(year), y(value))).collect(),
                colour: SERIES,
                width: SERIES_WIDTH,
                dash: None,
            });
        }
    }
    for &(year, value) in &chart.points {
        shapes.push(dot(x(year), y(value)));
    }
    shapes.push(open_circle(x(baseline.0), y(baseline.1)));
    shapes.push(diamond(x(target.0), y(target.1)));

    // The legend under the years, wrapped into rows when its labels are long.
    let (entries, _) = legend(fonts, chart, plot_left, left + width);
    for (index, (entry_x, row)) in entries.into_iter().enumerate() {
        let centre = plot_bottom - YEARS_BAND - LEGEND_ROW * (row as f32 + 0.5);
        let mark_centre = entry_x + LEGEND_MARK / 2.0;
        match index {
            0 => {
                shapes.push(Shape::Line {
                    points: vec![(entry_x, centre), (entry_x + LEGEND_MARK, centre)],
                    colour: SERIES,
                    width: SERIES_WIDTH,
                    dash: None,
                });
                shapes.push(dot(mark_centre, centre));
            }
            1 => shapes.push(open_circle(mark_centre, centre)),
            _ => shapes.push(diamond(mark_centre, centre)),
        }
        let text_x = entry_x + LEGEND_MARK + LEGEND_GAP;
        runs.push(label(text_x, centre - 0.35 * LABEL_SIZE, &chart.legend[index]));
    }

    let bottom = top - height(fonts, chart, width);
    Figure {
        elem,
        at: 0,
        bbox: [left, bottom, left + width, top],
        shapes,
        runs,
    }
}

fn dot(x: f32, y: f32) -> Shape {
    Shape::Circle {
        x,
        y,
        r: DOT,
        fill: SERIES,
        stroke: None,
    }
}

fn open_circle(x: f32, y: f32) -> Shape {
    Shape::Circle {
        x,
        y,
        r: BASELINE_RADIUS,
        fill: WHITE,
        stroke: Some((TARGET, TARGET_WIDTH)),
    }
}

fn diamond(x: f32, y: f32) -> Shape {
    Shape::Diamond {
        x,
        y,
        r: DIAMOND,
        fill: TARGET,
    }
}

/// Left of the plot: room for the widest grid label and a gap.
fn plot_left(fonts: &[Font; 2], chart: &ReportChart, left: f32) -> f32 {
    let font = &fonts[Style::Regular.index()];
    let widest = chart
        .ticks
        .iter()
        .map(|(_, text)| font.width(text, LABEL_SIZE))
        .fold(0.0, f32::max);
    left + widest + 12.0
}

/// Each legend entry's left edge and row, starting under the plot's left edge and wrapping
/// before `right`; and the number of rows.
fn legend(fonts: &[Font; 2], chart: &ReportChart, start: f32, right: f32) -> (Vec<(f32, usize)>, usize) {
    let font = &fonts[Style::Regular.index()];
    let mut entries = Vec::with_capacity(3);
    let (mut x, mut row) = (start, 0);
    for text in &chart.legend {
        let width = LEGEND_MARK + LEGEND_GAP + font.width(text, LABEL_SIZE);
        if x > start && x + width > right {
            x = start;
            row += 1;
        }
        entries.push((x, row));
        x += width + LEGEND_SPACING;
    }
    (entries, row + 1)
}
