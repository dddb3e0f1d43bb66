//! A report that is not a letter (an access-log extract for an access request, the action plan's
//! status report), laid out and printed by the same PDF machinery: the municipality's header, a
//! title, reference lines, headed sections of paragraphs, lists and line charts, a footer and page
//! numbers. The caller gives every text in the reader's language, the charts' axis labels
//! included, so this crate never formats a number.

use crate::compose::{Block, Document, Span};
use crate::{Language, LetterError, pdf};
use time::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub language: Language,
    pub date: Date,
    pub title: String,
    pub municipality: String,
    pub unit: String,
    /// Reference lines under the title: (label, value).
    pub meta: Vec<(String, String)>,
    pub sections: Vec<ReportSection>,
    pub footer: Vec<String>,
    /// The page number text with `{page}` and `{pages}`.
    pub page_number: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub items: Vec<String>,
    /// Drawn after the paragraphs and items, each kept whole on one page.
    pub charts: Vec<ReportChart>,
}

/// A line chart of yearly values in a report section, drawn as vectors and tagged as a Figure
/// whose Alt text is `description` (PDF/UA), so a screen reader reads the figures.
///
/// It looks like the web page's SVG chart: the values joined by a line with a dot on each (a
/// missing year breaks the line), the baseline as an open circle and the target as a filled
/// diamond joined by a dashed line, grid lines labelled on the left, the years along the bottom
/// (every other one when there are more than nine) and a legend of the three marks below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportChart {
    pub title: String,
    pub description: String,
    pub first_year: i32,
    pub last_year: i32,
    /// Values in hundredths by year, oldest first.
    pub points: Vec<(i32, i64)>,
    pub baseline: (i32, i64),
    pub target: (i32, i64),
    /// Grid lines: value in hundredths and its label as the reader writes it, lowest first; the
    /// plot spans from the first to the last.
    pub ticks: Vec<(i64, String)>,
    /// Labels of the values, the baseline and the target.
    pub legend: [String; 3],
}

impl ReportChart {
    /// Refuses a chart whose marks would fall outside its plot: every year within
    /// `first_year..=last_year` (at most a hundred years), the values' years rising, at least two
    /// grid lines rising, and every value within them.
    fn validate(&self) -> Result<(), LetterError> {
        let invalid = |field, problem| Err(LetterError::Invalid { field, problem });
        if self.first_year > self.last_year {
            return invalid("chart.first_year", "is after last_year");
        }
        if i64::from(self.last_year) - i64::from(self.first_year) > 100 {
            return invalid("chart.last_year", "is more than a hundred years after first_year");
        }
        if self.ticks.len() < 2 || self.ticks.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
            return invalid("chart.ticks", "needs at least two grid lines, lowest first");
        }
        if self.points.windows(2).any(|pair| pair[0].0 >= pair[1].0) {
            return invalid("chart.points", "must be oldest first, one per year");
        }
        let years = self.first_year..=self.last_year;
        let (low, high) = (self.ticks[0].0, self.ticks[self.ticks.len() - 1].0);
        let marks = self.points.iter().chain([&self.baseline, &self.target]);
        for (year, value) in marks {
            if !years.contains(year) {
                return invalid("chart.points", "has a year outside first_year..=last_year");
            }
            if !(low..=high).contains(value) {
                return invalid("chart.ticks", "do not cover every value");
            }
        }
        Ok(())
    }
}

/// The report as an A4 PDF (tagged, text extractable, deterministic). CPU-bound: call it from a
/// blocking task in async code. A chart whose values its grid lines do not cover, or whose years
/// fall outside its span, is refused with [`LetterError::Invalid`].
pub fn render_report_pdf(report: &Report) -> Result<Vec<u8>, LetterError> {
    let mut body = Vec::new();
    for section in &report.sections {
        body.push(Block::Heading {
            level: 2,
            text: section.heading.clone(),
        });
        body.extend(
            section
                .paragraphs
                .iter()
                .map(|text| Block::Paragraph(vec![Span::plain(text.clone())])),
        );
        if !section.items.is_empty() {
            body.push(Block::List(section.items.clone()));
        }
        for chart in &section.charts {
            chart.validate()?;
            body.push(Block::Chart(chart.clone()));
        }
    }
    let doc = Document {
        title: report.title.clone(),
        municipality: report.municipality.clone(),
        unit: report.unit.clone(),
        meta: report
            .meta
            .iter()
            .map(|(label, value)| (label.clone(), value.clone(), None))
            .collect(),
        recipient: Vec::new(),
        body,
        footer: report.footer.clone(),
        page_number: report.page_number.clone(),
    };
    let meta = pdf::Meta {
        title: &report.title,
        author: format!("{}, {}", report.municipality, report.unit),
        subject: report.title.clone(),
        lang: report.language.code(),
        date: report.date,
    };
    pdf::render(&doc, &meta)
}
