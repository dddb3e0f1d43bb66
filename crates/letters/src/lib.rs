//! Lawful letters to applicants — decisions (vedtak), interim answers (foreløpig svar),
//! requests for information and offers of a municipal dwelling (tilbud om kommunal utleiebolig) —
//! in bokmål, nynorsk or English, as HTML and as PDF.
//!
//! The crate is pure: no database, no HTTP, no clock, no file system. Templates and fonts are
//! compiled in; the same input gives byte-identical output, so a stored letter's hash can be
//! reproduced. The web crate maps its case data into [`Letter`].
//!
//! A decision letter always carries what forvaltningsloven asks for: the legal basis, the facts,
//! the rules applied and the main considerations (§§ 24–25), the outcome, the right to appeal
//! with the deadline, where to send the appeal and who decides it (§§ 27–29, 32), the right to
//! see the case documents (§§ 18–19), and a contact person. An offer is not an enkeltvedtak and has
//! no appeal clause; it says what the dwelling is, what it costs, by when and how to answer, and
//! what declining means under the municipality's rules (and that taking the household off the
//! waiting list would be a decision of its own, which can be appealed). The `compose` module
//! decides the wording once for both outputs.
//!
//! The same PDF machinery prints [`Report`]s that are not letters (an access-log extract, the
//! action plan's status report): headed sections of paragraphs, lists and [`ReportChart`]s, line
//! charts drawn as vectors with extractable labels and tagged as figures with their description
//! as Alt text.
//!
//! ```
//! # use husly_letters::*;
//! # fn demo(letter: &Letter) -> Result<(), LetterError> {
//! let templates = Templates::builtin().with_override("3301", "[nb.letter]\nclosing = \"Vennlig hilsen\"")?;
//! let pdf = render_pdf(letter, &templates)?;
//! let html = render_html_fragment(letter, &templates)?;
//! # Ok(()) }
//! ```

mod compose;
mod error;
mod html;
mod input;
mod lang;
mod pdf;
mod report;
mod templates;

pub use error::{LetterError, TemplateError};
pub use html::LETTER_CSS;
pub use input::{
    Appeal, CaseType, ContactPerson, Content, Decision, DeclineGround, DeclineRules, DwellingType, InformationRequest,
    InterimAnswer, Language, Letter, LetterKind, Offer, OfferedDwelling, Outcome, Recipient, Renewal, Representation,
    RepresentativeRole, RuleLine, Section6Finding, Sender,
};
pub use report::{Report, ReportChart, ReportSection, render_report_pdf};
pub use templates::Templates;

/// The letter as a complete HTML document (with `lang`, a `<style>` element and no scripts), for
/// download or printing.
pub fn render_html(letter: &Letter, templates: &Templates) -> Result<String, LetterError> {
    letter.validate()?;
    let doc = compose::compose(letter, templates);
    Ok(html::document(&doc, letter.language.code()))
}

/// The letter as an `<article>` for embedding in a page: no `<html>`, no `<style>`, no inline
/// styles (the app's CSP forbids them); style it with [`LETTER_CSS`].
pub fn render_html_fragment(letter: &Letter, templates: &Templates) -> Result<String, LetterError> {
    letter.validate()?;
    let doc = compose::compose(letter, templates);
    Ok(html::fragment(&doc, letter.language.code()))
}

/// The letter as an A4 PDF with embedded font subsets, extractable text, tags, page numbers and
/// metadata (title, author, language). Deterministic: the same input gives the same bytes.
///
/// CPU-bound (about 2.5 ms for a typical two-page decision in release); call it from a blocking
/// task in async code.
pub fn render_pdf(letter: &Letter, templates: &Templates) -> Result<Vec<u8>, LetterError> {
    letter.validate()?;
    let doc = compose::compose(letter, templates);
    let meta = pdf::Meta {
        title: &doc.title,
        author: format!("{}, {}", doc.municipality, doc.unit),
        subject: doc
            .meta
            .iter()
            .map(|(label, value, _)| format!("{label}: {value}"))
            .collect::<Vec<_>>()
            .join(", "),
        lang: letter.language.code(),
        date: letter.date,
    };
    pdf::render(&doc, &meta)
}
