//! The letter as an A4 PDF: DejaVu Sans embedded as subsets, tagged, text extractable; a
//! report's charts drawn as vectors and tagged as figures.

mod chart;
mod font;
mod layout;
mod write;

use time::Date;

use crate::LetterError;
use crate::compose::Document;

/// Document metadata beyond the letter's text.
pub(crate) struct Meta<'a> {
    pub title: &'a str,
    pub author: String,
    pub subject: String,
    pub lang: &'a str,
    pub date: Date,
}

pub(crate) fn render(doc: &Document, meta: &Meta) -> Result<Vec<u8>, LetterError> {
    let fonts = font::fonts()?;
    let layout = layout::layout(doc, fonts);
    write::write(&layout, fonts, meta)
}
