//! The letter as HTML: a whole document for download or print, or a fragment for a page.
//!
//! Everything from the input is escaped. The fragment has no `style` attributes and no `<style>`
//! element, so it can sit in a page under a strict content security policy; [`LETTER_CSS`] is
//! the same styling for the page's own style sheet.

use std::fmt::Write;

use crate::compose::{Block, Document, Span};

/// Styles for the letter's classes (`letter`, `letter-header` …); print-friendly. The whole
/// document embeds it, a page that shows the fragment serves it from its style sheet.
pub const LETTER_CSS: &str = include_str!("letter.css");

pub(crate) fn document(doc: &Document, lang: &str) -> String {
    let mut out = String::with_capacity(8 * 1024);
    out.push_str("<!DOCTYPE html>\n");
    let _ = writeln!(out, "<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        out,
        "<title>{} – {}</title>",
        escape(&doc.title),
        escape(&doc.municipality)
    );
    let _ = writeln!(out, "<style>\n{LETTER_CSS}</style>\n</head>\n<body>");
    fragment_into(&mut out, doc, lang);
    out.push_str("</body>\n</html>\n");
    out
}

pub(crate) fn fragment(doc: &Document, lang: &str) -> String {
    let mut out = String::with_capacity(8 * 1024);
    fragment_into(&mut out, doc, lang);
    out
}

fn fragment_into(out: &mut String, doc: &Document, lang: &str) {
    let _ = writeln!(out, "<article class=\"letter\" lang=\"{lang}\">");
    out.push_str("<header class=\"letter-header\">\n");
    let _ = writeln!(
        out,
        "<p class=\"letter-sender\"><strong>{}</strong><br>{}</p>",
        escape(&doc.municipality),
        escape(&doc.unit)
    );
    out.push_str("<dl class=\"letter-meta\">\n");
    for (label, value, date) in &doc.meta {
        let value = match date {
            Some(date) => format!("<time datetime=\"{date}\">{}</time>", escape(value)),
            None => escape(value),
        };
        let _ = writeln!(out, "<div><dt>{}</dt><dd>{value}</dd></div>", escape(label));
    }
    out.push_str("</dl>\n</header>\n");
    let _ = writeln!(out, "<p class=\"letter-recipient\">{}</p>", lines(&doc.recipient));
    let _ = writeln!(out, "<h1>{}</h1>", escape(&doc.title));
    for block in &doc.body {
        block_into(out, block);
    }
    let _ = writeln!(
        out,
        "<footer class=\"letter-footer\">\n<address>{}</address>\n</footer>",
        lines(&doc.footer)
    );
    out.push_str("</article>\n");
}

fn block_into(out: &mut String, block: &Block) {
    match block {
        Block::Heading { level, text } => {
            let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
        }
        Block::Paragraph(spans) => {
            let _ = writeln!(out, "<p>{}</p>", spans_html(spans));
        }
        Block::Note(text) => {
            let _ = writeln!(out, "<p class=\"letter-note\">{}</p>", escape(text));
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", escape(item));
            }
            out.push_str("</ul>\n");
        }
        Block::Rules(rules) => {
            out.push_str("<ul class=\"letter-rules\">\n");
            for rule in rules {
                let _ = writeln!(
                    out,
                    "<li><p><strong>{}</strong></p><p>{}</p><p>{}</p></li>",
                    escape(&rule.rule),
                    spans_html(&rule.facts),
                    spans_html(&rule.result)
                );
            }
            out.push_str("</ul>\n");
        }
        Block::Lines(text) => {
            let _ = writeln!(out, "<p class=\"letter-signature\">{}</p>", lines(text));
        }
        // Reports are printed as PDF only; should one reach HTML, its chart reads as its title
        // and description.
        Block::Chart(chart) => {
            let _ = writeln!(
                out,
                "<figure><figcaption>{}</figcaption><p>{}</p></figure>",
                escape(&chart.title),
                escape(&chart.description)
            );
        }
    }
}

fn spans_html(spans: &[Span]) -> String {
    spans
        .iter()
        .map(|span| {
            if span.strong {
                format!("<strong>{}</strong>", escape(&span.text))
            } else {
                escape(&span.text)
            }
        })
        .collect()
}

fn lines(lines: &[String]) -> String {
    lines.iter().map(|line| escape(line)).collect::<Vec<_>>().join("<br>")
}

/// Escapes text for element content and quoted attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_covers_markup_and_quotes() {
        assert_eq!(
            escape(r#"<a href="x">Ø & 'y'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Ø &amp; &#39;y&#39;&lt;/a&gt;"
        );
    }
}
