//! A report that is not a letter (an access-log extract for an access request, later the action
//! plan's status report), laid out and printed by the same PDF machinery: the municipality's
//! header, a title, reference lines, headed sections of paragraphs and lists, a footer and page
//! numbers. The caller gives every text in the reader's language.

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
    pub charts: Vec<ReportChart>,
}

/// A line chart of yearly values in a report section, drawn as vectors and tagged as a Figure
/// whose Alt text is `description` (PDF/UA), so a screen reader reads the figures.
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

/// The report as an A4 PDF (tagged, text extractable, deterministic). CPU-bound: call it from a
/// blocking task in async code.
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
