//! Line breaking and pagination: the composed letter as positioned runs of text on A4 pages.
//!
//! Ragged right, no hyphenation (easier to read for most people). Headings keep with the next
//! two lines, a paragraph's first line keeps with its second, a report's chart is never split
//! and keeps its title line with it, and the running header, footer and page numbers are drawn
//! on every page once the page count is known.

use crate::ReportChart;
use crate::compose::{Block, Document, Span};
use crate::lang::{MONTHS_EN, MONTHS_NO};
use crate::pdf::chart::{self, Figure, Rgb};
use crate::pdf::font::{Font, Style};
use crate::templates::fill;

pub(crate) const PAGE_WIDTH: f32 = 595.276;
pub(crate) const PAGE_HEIGHT: f32 = 841.89;
const MARGIN_X: f32 = 70.0;
const TEXT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN_X;
const RIGHT: f32 = PAGE_WIDTH - MARGIN_X;
/// Where the body starts on pages after the first, and where it must end.
const BODY_TOP: f32 = PAGE_HEIGHT - 84.0;
const BODY_BOTTOM: f32 = 84.0;
const RECIPIENT_TOP: f32 = PAGE_HEIGHT - 118.0;
const INDENT: f32 = 14.0;

const BODY: TextStyle = TextStyle {
    style: Style::Regular,
    size: 10.5,
    leading: 14.5,
    gray: 0.0,
};
const SMALL: TextStyle = TextStyle {
    style: Style::Regular,
    size: 8.5,
    leading: 12.0,
    gray: 0.3,
};
const H1: TextStyle = TextStyle {
    style: Style::Bold,
    size: 15.0,
    leading: 19.0,
    gray: 0.0,
};
const H2: TextStyle = TextStyle {
    style: Style::Bold,
    size: 12.0,
    leading: 16.0,
    gray: 0.0,
};
const H3: TextStyle = TextStyle {
    style: Style::Bold,
    size: 10.5,
    leading: 14.5,
    gray: 0.0,
};
const HEADER: TextStyle = TextStyle {
    style: Style::Regular,
    size: 9.0,
    leading: 11.0,
    gray: 0.2,
};
const FOOTER: TextStyle = TextStyle {
    style: Style::Regular,
    size: 7.5,
    leading: 9.5,
    gray: 0.3,
};

#[derive(Clone, Copy)]
struct TextStyle {
    style: Style,
    size: f32,
    leading: f32,
    gray: f32,
}

/// The structure a reader (a screen reader, a copy-paste) sees: the PDF's tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    H1,
    H2,
    H3,
    P,
    L,
    LI,
    LBody,
    Figure,
}

pub(crate) struct Elem {
    pub role: Role,
    /// `None`: a child of the document element.
    pub parent: Option<usize>,
    /// A figure's text alternative.
    pub alt: Option<String>,
    /// A figure's box on its page once placed: left, bottom, right, top.
    pub bbox: Option<[f32; 4]>,
}

/// The colour text is drawn in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Ink {
    Gray(f32),
    Rgb(Rgb),
}

/// Text at a position (baseline start), tagged with its structure element or an artifact.
pub(crate) struct Run {
    pub style: Style,
    pub size: f32,
    pub ink: Ink,
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub elem: Option<usize>,
}

pub(crate) struct Page {
    pub runs: Vec<Run>,
    /// Horizontal hairlines: (x from, x to, y).
    pub rules: Vec<(f32, f32, f32)>,
    pub figures: Vec<Figure>,
}

impl Page {
    fn new() -> Page {
        Page {
            runs: Vec::new(),
            rules: Vec::new(),
            figures: Vec::new(),
        }
    }
}

pub(crate) struct Layout {
    pub pages: Vec<Page>,
    pub elems: Vec<Elem>,
}

/// One line of body text before it has a page.
struct Line {
    space_before: f32,
    leading: f32,
    size: f32,
    gray: f32,
    /// (x from the left margin, style, text, structure element).
    pieces: Vec<(f32, Style, String, Option<usize>)>,
    keep_with_next: bool,
    /// A chart filling the line's whole height, and its figure element.
    chart: Option<(usize, ReportChart)>,
}

struct Flow<'f> {
    fonts: &'f [Font; 2],
    lines: Vec<Line>,
    elems: Vec<Elem>,
    /// Space before the next block; headings shrink it so they sit with what follows.
    after_heading: bool,
}

impl Flow<'_> {
    fn elem(&mut self, role: Role, parent: Option<usize>) -> usize {
        self.elems.push(Elem {
            role,
            parent,
            alt: None,
            bbox: None,
        });
        self.elems.len() - 1
    }

    fn space(&mut self, wanted: f32) -> f32 {
        if std::mem::take(&mut self.after_heading) {
            wanted.min(3.0)
        } else {
            wanted
        }
    }

    /// Breaks spans into lines at `indent` and adds them; `marker` is drawn before the first
    /// line (a list bullet), as an artifact.
    fn text(&mut self, spans: &[Span], look: TextStyle, indent: f32, space_before: f32, elem: usize, marker: bool) {
        let strong = if look.style == Style::Bold {
            Style::Bold
        } else {
            Style::Regular
        };
        let styled: Vec<(Style, &str)> = spans
            .iter()
            .map(|span| (if span.strong { Style::Bold } else { strong }, span.text.as_str()))
            .collect();
        let broken = break_lines(self.fonts, &styled, look.size, TEXT_WIDTH - indent);
        let count = broken.len();
        let space_before = self.space(space_before);
        for (index, pieces) in broken.into_iter().enumerate() {
            let mut pieces: Vec<_> = pieces
                .into_iter()
                .map(|(x, style, text)| (indent + x, style, text, Some(elem)))
                .collect();
            if marker && index == 0 {
                pieces.insert(0, (indent - 10.0, Style::Regular, "•".to_owned(), None));
            }
            self.lines.push(Line {
                space_before: if index == 0 { space_before } else { 0.0 },
                leading: look.leading,
                size: look.size,
                gray: look.gray,
                pieces,
                // No single first line at a page's foot, no single last line at a page's head.
                keep_with_next: count > 1 && (index == 0 || index + 2 == count),
                chart: None,
            });
        }
    }

    fn heading(&mut self, text: &str, level: u8) {
        let (look, role, space) = match level {
            1 => (H1, Role::H1, 0.0),
            2 => (H2, Role::H2, 14.0),
            _ => (H3, Role::H3, 9.0),
        };
        let elem = self.elem(role, None);
        self.text(
            &[Span {
                text: text.to_owned(),
                strong: true,
            }],
            look,
            0.0,
            space,
            elem,
            false,
        );
        if let Some(last) = self.lines.last_mut() {
            last.keep_with_next = true;
        }
        self.after_heading = true;
    }

    fn paragraph(&mut self, spans: &[Span], look: TextStyle, indent: f32, space_before: f32) {
        let elem = self.elem(Role::P, None);
        self.text(spans, look, indent, space_before, elem, false);
    }

    fn list(&mut self, items: &[String]) {
        let list = self.elem(Role::L, None);
        for (index, item) in items.iter().enumerate() {
            let li = self.elem(Role::LI, Some(list));
            let body = self.elem(Role::LBody, Some(li));
            let spans = [Span {
                text: item.clone(),
                strong: false,
            }];
            self.text(&spans, BODY, INDENT, if index == 0 { 6.0 } else { 3.0 }, body, true);
        }
    }

    /// A chart's title in bold, kept with the chart, then the chart as one line as high as it is,
    /// so that it is never split and moves whole to the next page when it does not fit.
    fn chart(&mut self, chart: &ReportChart) {
        let title = Span {
            text: chart.title.clone(),
            strong: true,
        };
        let look = TextStyle {
            style: Style::Bold,
            ..BODY
        };
        let first = self.lines.len();
        self.paragraph(&[title], look, 0.0, 12.0);
        for line in &mut self.lines[first..] {
            line.keep_with_next = true;
        }
        let figure = self.elem(Role::Figure, None);
        self.elems[figure].alt = Some(chart.description.clone());
        self.lines.push(Line {
            space_before: 4.0,
            leading: chart::height(self.fonts, chart, TEXT_WIDTH),
            size: 0.0,
            gray: 0.0,
            pieces: Vec::new(),
            keep_with_next: false,
            chart: Some((figure, chart.clone())),
        });
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading { level, text } => self.heading(text, *level),
            Block::Paragraph(spans) => self.paragraph(spans, BODY, 0.0, 6.0),
            Block::Note(text) => self.paragraph(
                &[Span {
                    text: text.clone(),
                    strong: false,
                }],
                SMALL,
                0.0,
                12.0,
            ),
            Block::List(items) => self.list(items),
            Block::Rules(rules) => {
                for (index, rule) in rules.iter().enumerate() {
                    let spans = [Span {
                        text: rule.rule.clone(),
                        strong: true,
                    }];
                    self.paragraph(&spans, BODY, 0.0, if index == 0 { 6.0 } else { 9.0 });
                    if let Some(last) = self.lines.last_mut() {
                        last.keep_with_next = true;
                    }
                    self.paragraph(&rule.facts, BODY, INDENT, 1.0);
                    self.paragraph(&rule.result, BODY, INDENT, 1.0);
                }
            }
            Block::Lines(lines) => {
                let elem = self.elem(Role::P, None);
                for (index, line) in with_separators(lines).into_iter().enumerate() {
                    let spans = [Span {
                        text: line,
                        strong: false,
                    }];
                    self.text(&spans, BODY, 0.0, if index == 0 { 18.0 } else { 0.0 }, elem, false);
                    if index + 1 < lines.len()
                        && let Some(last) = self.lines.last_mut()
                    {
                        last.keep_with_next = true;
                    }
                }
            }
            Block::Chart(chart) => self.chart(chart),
        }
    }
}

/// Lays out the letter: the recipient and title on page 1, the body over as many pages as it
/// needs, then header, footer and "Side n av m" on each page.
pub(crate) fn layout(doc: &Document, fonts: &[Font; 2]) -> Layout {
    let mut flow = Flow {
        fonts,
        lines: Vec::new(),
        elems: Vec::new(),
        after_heading: false,
    };
    let meta = flow.elem(Role::P, None);
    let recipient = flow.elem(Role::P, None);
    flow.heading(&doc.title, 1);
    for block in &doc.body {
        flow.block(block);
    }

    let mut pages = vec![Page::new()];
    let mut y = RECIPIENT_TOP;
    for line in with_separators(&doc.recipient) {
        pages[0].runs.push(run(BODY, MARGIN_X, y, line, Some(recipient)));
        y -= BODY.leading;
    }
    paginate(fonts, &flow.lines, &mut pages, y - 30.0);
    for figure in pages.iter().flat_map(|page| &page.figures) {
        flow.elems[figure.elem].bbox = Some(figure.bbox);
    }

    let count = pages.len();
    for (index, page) in pages.iter_mut().enumerate() {
        // The first page's header carries the reference and date as content; later pages repeat
        // it as an artifact.
        let mut runs = header(fonts, doc, page, if index == 0 { Some(meta) } else { None });
        for figure in &mut page.figures {
            figure.at += runs.len();
        }
        runs.append(&mut page.runs);
        page.runs = runs;
        let number = fill(
            &doc.page_number,
            &[("page", &(index + 1).to_string()), ("pages", &count.to_string())],
        );
        footer(fonts, doc, page, &number);
    }
    Layout {
        pages,
        elems: flow.elems,
    }
}

/// Lines of one element end in a space, except the last, so that they do not run together
/// when read out or copied.
fn with_separators(lines: &[String]) -> Vec<String> {
    let last = lines.len().saturating_sub(1);
    lines
        .iter()
        .enumerate()
        .map(|(index, line)| if index < last { format!("{line} ") } else { line.clone() })
        .collect()
}

fn run(look: TextStyle, x: f32, baseline: f32, text: String, elem: Option<usize>) -> Run {
    Run {
        style: look.style,
        size: look.size,
        ink: Ink::Gray(look.gray),
        x,
        y: baseline,
        text,
        elem,
    }
}

fn paginate(fonts: &[Font; 2], lines: &[Line], pages: &mut Vec<Page>, first_top: f32) {
    let mut top = first_top;
    let mut fresh = true;
    for (index, line) in lines.iter().enumerate() {
        let space = if fresh { 0.0 } else { line.space_before };
        // The line and the lines it must keep with (never more than a page).
        let mut needed = space + line.leading;
        let mut next = index;
        while lines[next].keep_with_next && next + 1 < lines.len() && needed < BODY_TOP - BODY_BOTTOM {
            next += 1;
            needed += lines[next].space_before + lines[next].leading;
        }
        if top - needed < BODY_BOTTOM && !fresh {
            pages.push(Page::new());
            top = BODY_TOP;
        } else {
            top -= space;
        }
        let baseline = top - (line.leading - line.size) / 2.0 - 0.8 * line.size;
        let page = pages.last_mut().expect("a page exists");
        for (x, style, text, elem) in &line.pieces {
            let look = TextStyle {
                style: *style,
                size: line.size,
                leading: line.leading,
                gray: line.gray,
            };
            page.runs.push(run(look, MARGIN_X + x, baseline, text.clone(), *elem));
        }
        if let Some((elem, chart)) = &line.chart {
            let mut figure = chart::figure(fonts, chart, *elem, MARGIN_X, top, TEXT_WIDTH);
            figure.at = page.runs.len();
            page.figures.push(figure);
        }
        top -= line.leading;
        fresh = false;
    }
}

/// The running header, first in reading order: sender left, reference and date right.
fn header(fonts: &[Font; 2], doc: &Document, page: &mut Page, meta: Option<usize>) -> Vec<Run> {
    let top = PAGE_HEIGHT - 42.0;
    let bold = TextStyle {
        style: Style::Bold,
        ..HEADER
    };
    let mut runs = vec![
        run(bold, MARGIN_X, top, format!("{} ", doc.municipality), meta),
        run(HEADER, MARGIN_X, top - HEADER.leading, format!("{} ", doc.unit), meta),
    ];
    let mut y = top;
    let meta_lines: Vec<String> = doc
        .meta
        .iter()
        .map(|(label, value, _)| format!("{label}: {value}"))
        .collect();
    for text in with_separators(&meta_lines) {
        let x = RIGHT - fonts[Style::Regular.index()].width(text.trim_end(), HEADER.size);
        runs.push(run(HEADER, x, y, text, meta));
        y -= HEADER.leading;
    }
    page.rules.push((MARGIN_X, RIGHT, PAGE_HEIGHT - 62.0));
    runs
}

fn footer(fonts: &[Font; 2], doc: &Document, page: &mut Page, number: &str) {
    let top = 56.0;
    page.rules.push((MARGIN_X, RIGHT, top + 10.0));
    let number_size = 8.0;
    let number_width = fonts[Style::Regular.index()].width(number, number_size);
    let look = TextStyle {
        size: number_size,
        gray: 0.0,
        ..FOOTER
    };
    page.runs
        .push(run(look, RIGHT - number_width, top, number.to_owned(), None));
    let width = TEXT_WIDTH - number_width - 18.0;
    let mut y = top;
    for line in &doc.footer {
        for pieces in break_lines(fonts, &[(Style::Regular, line)], FOOTER.size, width) {
            for (x, _, text) in pieces {
                page.runs.push(run(FOOTER, MARGIN_X + x, y, text, None));
            }
            y -= FOOTER.leading;
        }
    }
}

/// A word and the space after it. Words that must not be split from the next ("§ 6", "§ 11 a")
/// are joined with their space inside the word.
struct Word {
    parts: Vec<(Style, String)>,
    width: f32,
    space_after: Option<(Style, f32)>,
}

impl Word {
    fn text(&self) -> String {
        self.parts.iter().map(|(_, text)| text.as_str()).collect()
    }
}

fn words(fonts: &[Font; 2], spans: &[(Style, &str)], size: f32) -> Vec<Word> {
    join_glued(words_unglued(fonts, spans, size))
}

fn words_unglued(fonts: &[Font; 2], spans: &[(Style, &str)], size: f32) -> Vec<Word> {
    let mut words: Vec<Word> = Vec::new();
    let mut current = Word {
        parts: Vec::new(),
        width: 0.0,
        space_after: None,
    };
    for &(style, text) in spans {
        let font = &fonts[style.index()];
        for c in text.chars() {
            if c == ' ' {
                if !current.parts.is_empty() {
                    current.space_after = Some((style, font.width(" ", size)));
                    words.push(std::mem::replace(
                        &mut current,
                        Word {
                            parts: Vec::new(),
                            width: 0.0,
                            space_after: None,
                        },
                    ));
                }
                continue;
            }
            let mut buffer = [0; 4];
            current.width += font.width(c.encode_utf8(&mut buffer), size);
            match current.parts.last_mut() {
                Some((last, part)) if *last == style => part.push(c),
                _ => current.parts.push((style, c.to_string())),
            }
        }
    }
    if !current.parts.is_empty() {
        words.push(current);
    }
    words
}

fn join_glued(words: Vec<Word>) -> Vec<Word> {
    let mut joined: Vec<Word> = Vec::with_capacity(words.len());
    for word in words {
        match joined.last_mut() {
            Some(previous) if glued(previous.text().rsplit(' ').next().unwrap_or_default(), &word.text()) => {
                let (style, space) = previous.space_after.unwrap_or((Style::Regular, 0.0));
                previous.parts.push((style, " ".to_owned()));
                previous.width += space + word.width;
                previous.parts.extend(word.parts);
                previous.space_after = word.space_after;
            }
            _ => joined.push(word),
        }
    }
    joined
}

/// Norwegian typography keeps "§ 6", "§ 11 a" and "4. februar 2026" on one line.
fn glued(previous: &str, next: &str) -> bool {
    let bare = |word: &str| word.trim_end_matches(['.', ',', ';', ':', ')']).to_owned();
    let is_month = |word: &str| {
        let word = bare(word).to_lowercase();
        MONTHS_NO.contains(&word.as_str()) || MONTHS_EN.iter().any(|month| month.to_lowercase() == word)
    };
    let number = |word: &str| !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
    let mut chars = next.chars();
    let letter_suffix = chars.next().is_some_and(|c| c.is_ascii_lowercase()) && bare(chars.as_str()).is_empty();
    previous.ends_with('§')
        || (previous.ends_with(|c: char| c.is_ascii_digit()) && letter_suffix)
        || (number(previous.trim_end_matches('.')) && is_month(next))
        || (is_month(previous) && number(&bare(next)) && bare(next).len() == 4)
}

/// Greedy line breaking; returns per line the pieces (x, style, text). A word wider than the line
/// (a long e-mail address) is cut between characters.
fn break_lines(fonts: &[Font; 2], spans: &[(Style, &str)], size: f32, width: f32) -> Vec<Vec<(f32, Style, String)>> {
    let mut lines = Vec::new();
    let mut line: Vec<(f32, Style, String)> = Vec::new();
    let mut x = 0.0;
    let mut space: Option<(Style, f32)> = None;
    for word in split_long(fonts, words(fonts, spans, size), size, width) {
        let gap = space.map_or(0.0, |(_, width)| width);
        if !line.is_empty() && x + gap + word.width > width + 0.01 {
            // The space broken at stays, invisible past the line's end, so that extracted and
            // tagged text (what a screen reader reads) keeps its word boundaries.
            if let Some((style, _)) = space {
                push_piece(&mut line, x, style, " ");
            }
            lines.push(std::mem::take(&mut line));
            x = 0.0;
        } else if let Some((style, gap)) = space.filter(|_| !line.is_empty()) {
            push_piece(&mut line, x, style, " ");
            x += gap;
        }
        for (style, text) in &word.parts {
            push_piece(&mut line, x, *style, text);
            x += fonts[style.index()].width(text, size);
        }
        space = word.space_after;
    }
    if !line.is_empty() {
        if let Some((style, _)) = space {
            push_piece(&mut line, x, style, " ");
        }
        lines.push(line);
    }
    lines
}

fn push_piece(line: &mut Vec<(f32, Style, String)>, x: f32, style: Style, text: &str) {
    match line.last_mut() {
        Some((_, last, piece)) if *last == style => piece.push_str(text),
        _ => line.push((x, style, text.to_owned())),
    }
}

/// Makes every word fit the line: a glued group is first taken apart at its spaces, then a word
/// still too wide is cut between characters.
fn split_long(fonts: &[Font; 2], words: Vec<Word>, size: f32, width: f32) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        if word.width <= width {
            out.push(word);
        } else if word.parts.iter().any(|(_, text)| text.contains(' ')) {
            let spans: Vec<(Style, &str)> = word.parts.iter().map(|(style, text)| (*style, text.as_str())).collect();
            let mut pieces = Vec::new();
            for mut piece in words_unglued(fonts, &spans, size) {
                piece.space_after = piece.space_after.or(word.space_after);
                pieces.push(piece);
            }
            if let Some(last) = pieces.last_mut() {
                last.space_after = word.space_after;
            }
            out.extend(split_chars(fonts, pieces, size, width));
        } else {
            out.extend(split_chars(fonts, vec![word], size, width));
        }
    }
    out
}

fn split_chars(fonts: &[Font; 2], words: Vec<Word>, size: f32, width: f32) -> Vec<Word> {
    let mut out = Vec::with_capacity(words.len());
    for word in words {
        if word.width <= width {
            out.push(word);
            continue;
        }
        let mut piece = Word {
            parts: Vec::new(),
            width: 0.0,
            space_after: None,
        };
        for (style, text) in word.parts {
            let font = &fonts[style.index()];
            for c in text.chars() {
                let mut buffer = [0; 4];
                let advance = font.width(c.encode_utf8(&mut buffer), size);
                if piece.width + advance > width && !piece.parts.is_empty() {
                    out.push(std::mem::replace(
                        &mut piece,
                        Word {
                            parts: Vec::new(),
                            width: 0.0,
                            space_after: None,
                        },
                    ));
                }
                piece.width += advance;
                match piece.parts.last_mut() {
                    Some((last, part)) if *last == style => part.push(c),
                    _ => piece.parts.push((style, c.to_string())),
                }
            }
        }
        piece.space_after = word.space_after;
        out.push(piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::font::fonts;

    fn texts(lines: &[Vec<(f32, Style, String)>]) -> Vec<String> {
        lines
            .iter()
            .map(|line| line.iter().map(|(_, _, text)| text.as_str()).collect())
            .collect()
    }

    #[test]
    fn lines_fit_and_keep_paragraph_sections_together() {
        let fonts = fonts().unwrap();
        let text = "Klagefristen er tre uker (forvaltningsloven §§ 28 og 29, og § 11 a) fra 4. februar 2026.";
        let narrow = fonts[0].width("Klagefristen er tre uker (forvaltningsloven §§", 10.5);
        let lines = break_lines(fonts, &[(Style::Regular, text)], 10.5, narrow);
        assert!(lines.len() > 1);
        for line in texts(&lines) {
            let line = line.trim_end();
            assert!(fonts[0].width(line, 10.5) <= narrow + 0.01, "{line}");
            assert!(!line.ends_with('§'), "a § must stay with its number: {line:?}");
            assert!(!line.ends_with("11"), "§ 11 a stays together: {line:?}");
            assert!(
                !line.ends_with("4.") && !line.ends_with("februar"),
                "a date stays together: {line:?}"
            );
        }
        // Broken lines keep their space at the end, so the text reads whole.
        assert_eq!(texts(&lines).concat(), text);
    }

    #[test]
    fn dates_are_not_broken() {
        let fonts = fonts().unwrap();
        for (text, fits, second) in [
            (
                "Svar innen 4. februar 2026.",
                "Svar innen 4. februar",
                "4. februar 2026.",
            ),
            ("Answer by 4 February 2026.", "Answer by 4 February", "4 February 2026."),
        ] {
            let width = fonts[0].width(fits, 10.5) + 1.0;
            let lines = break_lines(fonts, &[(Style::Regular, text)], 10.5, width);
            assert_eq!(texts(&lines)[1], second, "{text}");
        }
        // A glued group wider than the line breaks at its spaces, not inside a word.
        let lines = break_lines(
            fonts,
            &[(Style::Regular, "4. februar 2026")],
            10.5,
            fonts[0].width("februar", 10.5) + 1.0,
        );
        assert_eq!(texts(&lines), ["4. ", "februar ", "2026"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut() {
        let fonts = fonts().unwrap();
        let address = "veldig.lang.adresse.for.kommunens.boligkontor@eksempel.kommune.no";
        let lines = break_lines(fonts, &[(Style::Regular, address)], 10.5, 100.0);
        assert!(lines.len() > 2);
        assert_eq!(texts(&lines).concat(), address);
    }

    #[test]
    fn bold_and_regular_pieces_share_a_line() {
        let fonts = fonts().unwrap();
        let lines = break_lines(
            fonts,
            &[(Style::Bold, "Resultat:"), (Style::Regular, " Vilkåret er oppfylt.")],
            10.5,
            400.0,
        );
        assert_eq!(lines.len(), 1);
        let styles: Vec<Style> = lines[0].iter().map(|(_, style, _)| *style).collect();
        assert_eq!(styles, [Style::Bold, Style::Regular]);
        assert_eq!(texts(&lines), ["Resultat: Vilkåret er oppfylt."]);
    }

    fn chart(points: &[(i32, i64)]) -> ReportChart {
        ReportChart {
            title: "Ventetid".into(),
            description: "Ventetiden har gått ned fra 40 til 28 uker.".into(),
            first_year: 2020,
            last_year: 2027,
            points: points.to_vec(),
            baseline: (2020, 4_000),
            target: (2027, 2_000),
            ticks: (0..=4).map(|i| (i * 1_000, (i * 10).to_string())).collect(),
            legend: ["Verdi".into(), "Utgangspunkt".into(), "Mål".into()],
        }
    }

    fn report(body: Vec<Block>) -> Document {
        Document {
            title: "Statusrapport".into(),
            municipality: "Drammen kommune".into(),
            unit: "Boligtjenesten".into(),
            meta: Vec::new(),
            recipient: Vec::new(),
            body,
            footer: Vec::new(),
            page_number: "Side {page} av {pages}".into(),
        }
    }

    /// The plot's value lines (the legend's sample line is the last series line).
    fn series_pieces(figure: &Figure) -> Vec<Vec<(f32, f32)>> {
        let mut lines: Vec<Vec<(f32, f32)>> = figure
            .shapes
            .iter()
            .filter_map(|shape| match shape {
                chart::Shape::Line { points, colour, .. } if *colour == chart::SERIES => Some(points.clone()),
                _ => None,
            })
            .collect();
        lines.pop().expect("the legend's line");
        lines
    }

    #[test]
    fn a_gap_in_the_years_breaks_the_line_into_two_pieces() {
        let fonts = fonts().unwrap();
        let points = [
            (2020, 4_000),
            (2021, 3_600),
            (2022, 3_300),
            (2024, 3_000),
            (2025, 2_800),
        ];
        let layout = layout(&report(vec![Block::Chart(chart(&points))]), fonts);
        let figure = &layout.pages[0].figures[0];
        let pieces = series_pieces(figure);
        assert_eq!(pieces.iter().map(Vec::len).collect::<Vec<_>>(), [3, 2]);
        assert!(pieces[0][2].0 < pieces[1][0].0, "the second piece starts after the gap");
        // A dot on every value, the baseline's open circle, the target's diamond, the legend's.
        let circles = figure
            .shapes
            .iter()
            .filter(|shape| matches!(shape, chart::Shape::Circle { .. }))
            .count();
        assert_eq!(circles, points.len() + 1 + 2);
        let dashed = figure
            .shapes
            .iter()
            .filter(
                |shape| matches!(shape, chart::Shape::Line { dash: Some(_), colour, .. } if *colour == chart::TARGET),
            )
            .count();
        assert_eq!(dashed, 1, "baseline to target");

        // Every mark and label lies within the figure's box, which the structure tree gets.
        let [left, bottom, right, top] = figure.bbox;
        assert_eq!(layout.elems[figure.elem].bbox, Some(figure.bbox));
        assert_eq!(layout.elems[figure.elem].role, Role::Figure);
        for shape in &figure.shapes {
            let (points, r) = match shape {
                chart::Shape::Line { points, .. } => (points.clone(), 0.0),
                chart::Shape::Circle { x, y, r, .. } | chart::Shape::Diamond { x, y, r, .. } => (vec![(*x, *y)], *r),
            };
            for (x, y) in points {
                assert!(
                    x - r >= left && x + r <= right && y - r >= bottom && y + r <= top,
                    "{shape:?}"
                );
            }
        }
        for run in &figure.runs {
            assert!(
                run.x >= left && run.x <= right && run.y > bottom && run.y < top,
                "{}",
                run.text
            );
        }

        // One value alone has no line, only its dot.
        let layout = layout_one(fonts, &[(2024, 3_000)]);
        assert!(series_pieces(&layout.pages[0].figures[0]).is_empty());
    }

    fn layout_one(fonts: &[Font; 2], points: &[(i32, i64)]) -> Layout {
        layout(&report(vec![Block::Chart(chart(points))]), fonts)
    }

    #[test]
    fn years_are_labelled_every_other_one_when_there_are_many() {
        let fonts = fonts().unwrap();
        let labels = |first: i32| {
            let mut chart = chart(&[(2020, 3_000)]);
            chart.first_year = first;
            let layout = layout(&report(vec![Block::Chart(chart)]), fonts);
            layout.pages[0].figures[0]
                .runs
                .iter()
                .filter_map(|run| run.text.trim().parse::<i32>().ok().filter(|year| *year > 1000))
                .collect::<Vec<_>>()
        };
        assert_eq!(labels(2019), (2019..=2027).collect::<Vec<_>>());
        assert_eq!(labels(2018), (2018..=2027).step_by(2).collect::<Vec<_>>());
    }

    #[test]
    fn a_chart_that_does_not_fit_moves_whole_to_the_next_page_with_its_title() {
        let fonts = fonts().unwrap();
        let points = [(2020, 4_000), (2021, 3_600)];
        // The fewest one-line paragraphs after which the chart no longer fits on the first page.
        let (count, layout) = (1..60)
            .map(|count| {
                let mut body: Vec<Block> = (0..count)
                    .map(|i| Block::Paragraph(vec![Span::plain(format!("Avsnitt {i}"))]))
                    .collect();
                body.push(Block::Chart(chart(&points)));
                (count, layout(&report(body), fonts))
            })
            .find(|(_, layout)| layout.pages.len() > 1)
            .expect("enough paragraphs fill a page");
        assert!(count > 1, "one paragraph and a chart fit on a page");
        assert_eq!(layout.pages.len(), 2);
        let (first, second) = (&layout.pages[0], &layout.pages[1]);
        assert!(first.figures.is_empty());
        assert_eq!(second.figures.len(), 1);
        let last_paragraph = format!("Avsnitt {}", count - 1);
        let lowest = first
            .runs
            .iter()
            .find(|run| run.text == last_paragraph)
            .expect("every paragraph on the first page");
        let figure = &second.figures[0];
        let chart_height = figure.bbox[3] - figure.bbox[1];
        // Room for the chart alone perhaps, not for the chart with its title.
        let room = lowest.y - BODY_BOTTOM;
        assert!(
            room > 40.0 && room < chart_height + 40.0,
            "moved for its height, room was {room}"
        );
        // The title moved with it and sits right above it.
        let title = second
            .runs
            .iter()
            .find(|run| run.text == "Ventetid")
            .expect("title on page 2");
        assert_eq!(title.style, Style::Bold);
        assert!(title.y > figure.bbox[3] && title.y < BODY_TOP);
        assert!(!first.runs.iter().any(|run| run.text == "Ventetid"));
    }

    #[test]
    fn a_long_legend_wraps_and_makes_the_chart_taller() {
        let fonts = fonts().unwrap();
        let short = chart(&[(2020, 3_000)]);
        let mut long = short.clone();
        long.legend = [
            "Andel husstander som har fått vedtak innen fire uker".into(),
            "Utgangspunkt da handlingsplanen ble vedtatt".into(),
            "Mål for handlingsplanens siste år".into(),
        ];
        assert!(chart::height(fonts, &long, TEXT_WIDTH) > chart::height(fonts, &short, TEXT_WIDTH));
        let layout = layout(&report(vec![Block::Chart(long)]), fonts);
        let figure = &layout.pages[0].figures[0];
        for run in &figure.runs {
            let width = fonts[0].width(run.text.trim_end(), run.size);
            assert!(
                run.x + width <= figure.bbox[2] + 0.01,
                "{} runs past the chart",
                run.text
            );
        }
    }
}
