//! The laid-out pages as PDF objects: embedded font subsets with ToUnicode maps, compressed
//! content streams, the structure tree (tags) and the document metadata. A report's chart is
//! drawn as vector paths (circles as four Bézier arcs) with its labels as text, all marked
//! content of one `Figure` element whose `/Alt` is the chart's description.
//!
//! Output depends on the input alone: objects are numbered in a fixed order, maps are ordered,
//! the subset tag is derived from the glyphs used, and the only date is the letter's date.

use std::collections::BTreeMap;

use pdf_writer::types::{
    CidFontType, FontFlags, LineCapStyle, LineJoinStyle, Placement, StructRole, SystemInfo, TabOrder, UnicodeCmap,
};
use pdf_writer::writers::StructTreeRoot;
use pdf_writer::{Content, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use subsetter::GlyphRemapper;

use crate::LetterError;
use crate::pdf::Meta;
use crate::pdf::chart::{Figure, Shape};
use crate::pdf::font::{Font, Style};
use crate::pdf::layout::{Ink, Layout, PAGE_HEIGHT, PAGE_WIDTH, Page, Role, Run};

const FONT_NAMES: [&[u8]; 2] = [b"F1", b"F2"];

/// The glyphs a document uses from one face, renumbered for the subset.
struct Glyphs {
    remapper: GlyphRemapper,
    /// New glyph id → the character it shows, for the ToUnicode map.
    chars: BTreeMap<u16, char>,
}

/// Hands out object numbers in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

pub(crate) fn write(layout: &Layout, fonts: &[Font; 2], meta: &Meta) -> Result<Vec<u8>, LetterError> {
    let mut glyphs = [Style::Regular, Style::Bold].map(|_| Glyphs {
        remapper: GlyphRemapper::new(),
        chars: BTreeMap::new(),
    });
    let mut refs = Refs(0);
    let catalog = refs.next();
    let page_tree = refs.next();
    let info = refs.next();
    let struct_root = refs.next();
    let document_elem = refs.next();
    let page_refs: Vec<(Ref, Ref)> = layout.pages.iter().map(|_| (refs.next(), refs.next())).collect();
    let elem_refs: Vec<Ref> = layout.elems.iter().map(|_| refs.next()).collect();
    let font_refs: [FontRefs; 2] = [FontRefs::new(&mut refs), FontRefs::new(&mut refs)];

    let mut pdf = Pdf::new();
    // Marked content of each element: (page index, MCID).
    let mut marked: Vec<Vec<(usize, i32)>> = vec![Vec::new(); layout.elems.len()];
    let mut parent_tree: Vec<Vec<Ref>> = Vec::with_capacity(layout.pages.len());
    for (index, page) in layout.pages.iter().enumerate() {
        let mut content = Content::new();
        let mut mcids = Vec::new();
        for item in page_items(page) {
            let group = match item {
                Item::Runs(group) => group,
                Item::Figure(figure) => {
                    let mcid = i32::try_from(mcids.len()).map_err(|_| LetterError::Font("too many texts".into()))?;
                    content
                        .begin_marked_content_with_properties(Name(role_name(Role::Figure)))
                        .properties()
                        .identify(mcid);
                    marked[figure.elem].push((index, mcid));
                    mcids.push(elem_refs[figure.elem]);
                    draw_figure(&mut content, figure, fonts, &mut glyphs)?;
                    content.end_marked_content();
                    continue;
                }
            };
            match group[0].elem {
                Some(elem) => {
                    let mcid = i32::try_from(mcids.len()).map_err(|_| LetterError::Font("too many texts".into()))?;
                    let tag = role_name(layout.elems[elem].role);
                    content
                        .begin_marked_content_with_properties(Name(tag))
                        .properties()
                        .identify(mcid);
                    marked[elem].push((index, mcid));
                    mcids.push(elem_refs[elem]);
                }
                None => {
                    content.begin_marked_content(Name(b"Artifact"));
                }
            }
            for run in group {
                show(
                    &mut content,
                    run,
                    &fonts[run.style.index()],
                    &mut glyphs[run.style.index()],
                )?;
            }
            content.end_marked_content();
        }
        content.begin_marked_content(Name(b"Artifact"));
        content.set_stroke_gray(0.6).set_line_width(0.5);
        for &(from, to, y) in &page.rules {
            content.move_to(from, y).line_to(to, y).stroke();
        }
        content.end_marked_content();
        parent_tree.push(mcids);

        let (page_ref, content_ref) = page_refs[index];
        let compressed = compress(&content.finish());
        pdf.stream(content_ref, &compressed).filter(Filter::FlateDecode);
        let mut page_writer = pdf.page(page_ref);
        page_writer
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .parent(page_tree)
            .contents(content_ref)
            .struct_parents(i32::try_from(index).unwrap_or(i32::MAX))
            .tab_order(TabOrder::StructureOrder);
        let mut resources = page_writer.resources();
        let mut font_dict = resources.fonts();
        for (name, font) in FONT_NAMES.iter().zip(&font_refs) {
            font_dict.pair(Name(name), font.type0);
        }
    }

    write_fonts(&mut pdf, &font_refs, fonts, &glyphs)?;

    pdf.pages(page_tree)
        .kids(page_refs.iter().map(|(page, _)| *page))
        .count(i32::try_from(page_refs.len()).unwrap_or(i32::MAX));
    write_structure(
        &mut pdf,
        &mut refs,
        layout,
        &marked,
        &parent_tree,
        struct_root,
        document_elem,
        &elem_refs,
        &page_refs,
    );

    let mut catalog_writer = pdf.catalog(catalog);
    catalog_writer.pages(page_tree).lang(TextStr(meta.lang));
    catalog_writer.pair(Name(b"StructTreeRoot"), struct_root);
    catalog_writer.mark_info().marked(true);
    catalog_writer.viewer_preferences().display_doc_title(true);
    catalog_writer.finish();

    let date = Date::new(u16::try_from(meta.date.year()).unwrap_or(0))
        .month(u8::from(meta.date.month()))
        .day(meta.date.day());
    pdf.document_info(info)
        .title(TextStr(meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .creator(TextStr("Husly"))
        .producer(TextStr("husly-letters"))
        .creation_date(date);
    Ok(pdf.finish())
}

/// The objects of one embedded face.
#[derive(Clone, Copy)]
struct FontRefs {
    type0: Ref,
    cid: Ref,
    descriptor: Ref,
    file: Ref,
    cmap: Ref,
}

impl FontRefs {
    fn new(refs: &mut Refs) -> FontRefs {
        FontRefs {
            type0: refs.next(),
            cid: refs.next(),
            descriptor: refs.next(),
            file: refs.next(),
            cmap: refs.next(),
        }
    }
}

fn show(content: &mut Content, run: &Run, font: &Font, glyphs: &mut Glyphs) -> Result<(), LetterError> {
    let mut encoded = Vec::with_capacity(run.text.len() * 2);
    for c in run.text.chars() {
        let glyph = font.glyph(c).ok_or(LetterError::MissingGlyph { character: c })?;
        let new = glyphs.remapper.remap(glyph.0);
        glyphs.chars.entry(new).or_insert(c);
        encoded.extend_from_slice(&new.to_be_bytes());
    }
    content.begin_text();
    match run.ink {
        Ink::Gray(gray) => content.set_fill_gray(gray),
        Ink::Rgb([r, g, b]) => content.set_fill_rgb(r, g, b),
    };
    content
        .set_font(Name(FONT_NAMES[run.style.index()]), run.size)
        .set_text_matrix([1.0, 0.0, 0.0, 1.0, run.x, run.y])
        .show(Str(&encoded))
        .end_text();
    Ok(())
}

/// What a page's content stream holds, in reading order.
enum Item<'a> {
    /// Runs of one structure element (or artifacts).
    Runs(&'a [Run]),
    Figure(&'a Figure),
}

/// The page's runs grouped by element, each chart between the runs it stands between, so that
/// even a reader that ignores the tags (a plain copy of the page) meets its labels in order.
fn page_items(page: &Page) -> Vec<Item<'_>> {
    let mut items = Vec::new();
    let mut figures = page.figures.iter().peekable();
    let mut start = 0;
    for group in page.runs.chunk_by(|a, b| a.elem == b.elem) {
        while let Some(figure) = figures.next_if(|figure| figure.at <= start) {
            items.push(Item::Figure(figure));
        }
        items.push(Item::Runs(group));
        start += group.len();
    }
    items.extend(figures.map(Item::Figure));
    items
}

/// A chart's marks in the order of the SVG (later marks on top), then its labels. The graphics
/// state is saved and restored around the marks so that dashes and colours do not leak.
fn draw_figure(
    content: &mut Content,
    figure: &Figure,
    fonts: &[Font; 2],
    glyphs: &mut [Glyphs; 2],
) -> Result<(), LetterError> {
    content.save_state();
    content
        .set_line_cap(LineCapStyle::RoundCap)
        .set_line_join(LineJoinStyle::RoundJoin);
    for shape in &figure.shapes {
        match shape {
            Shape::Line {
                points,
                colour: [r, g, b],
                width,
                dash,
            } => {
                let Some((&(x0, y0), rest)) = points.split_first() else {
                    continue;
                };
                content.set_stroke_rgb(*r, *g, *b).set_line_width(*width);
                match dash {
                    Some(pattern) => content.set_dash_pattern(*pattern, 0.0),
                    None => content.set_dash_pattern([], 0.0),
                };
                content.move_to(x0, y0);
                for &(x, y) in rest {
                    content.line_to(x, y);
                }
                content.stroke();
            }
            Shape::Circle { x, y, r, fill, stroke } => {
                content.set_fill_rgb(fill[0], fill[1], fill[2]);
                circle(content, *x, *y, *r);
                match stroke {
                    Some(([sr, sg, sb], width)) => {
                        content
                            .set_stroke_rgb(*sr, *sg, *sb)
                            .set_line_width(*width)
                            .set_dash_pattern([], 0.0)
                            .fill_nonzero_and_stroke();
                    }
                    None => {
                        content.fill_nonzero();
                    }
                }
            }
            Shape::Diamond { x, y, r, fill } => {
                content
                    .set_fill_rgb(fill[0], fill[1], fill[2])
                    .move_to(*x, y + r)
                    .line_to(x + r, *y)
                    .line_to(*x, y - r)
                    .line_to(x - r, *y)
                    .close_path()
                    .fill_nonzero();
            }
        }
    }
    content.restore_state();
    for run in &figure.runs {
        show(content, run, &fonts[run.style.index()], &mut glyphs[run.style.index()])?;
    }
    Ok(())
}

/// A closed circle path of four cubic Bézier arcs (the usual 0.5523 control distance).
fn circle(content: &mut Content, x: f32, y: f32, r: f32) {
    let k = 0.552_284_8 * r;
    content
        .move_to(x + r, y)
        .cubic_to(x + r, y + k, x + k, y + r, x, y + r)
        .cubic_to(x - k, y + r, x - r, y + k, x - r, y)
        .cubic_to(x - r, y - k, x - k, y - r, x, y - r)
        .cubic_to(x + k, y - r, x + r, y - k, x + r, y)
        .close_path();
}

/// Each face as a Type0 font over a CIDFontType2 subset (CID = new glyph id), with widths and a
/// ToUnicode map so that text copies and searches as written.
fn write_fonts(
    pdf: &mut Pdf,
    font_refs: &[FontRefs; 2],
    fonts: &[Font; 2],
    glyphs: &[Glyphs; 2],
) -> Result<(), LetterError> {
    for ((font, used), ids) in fonts.iter().zip(glyphs).zip(font_refs) {
        let FontRefs {
            type0,
            cid,
            descriptor,
            file,
            cmap,
        } = *ids;
        let subset = subsetter::subset(font.data, 0, &used.remapper)
            .map_err(|err| LetterError::Font(format!("{}: {err}", font.name)))?;
        let base_name = format!("{}+{}", subset_tag(&used.remapper), font.name);

        pdf.type0_font(type0)
            .base_font(Name(base_name.as_bytes()))
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let widths: Vec<f32> = used
            .remapper
            .remapped_gids()
            .map(|old| font.advance(ttf_parser::GlyphId(old)).round())
            .collect();
        let mut cid_font = pdf.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(Name(base_name.as_bytes()))
            .system_info(SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"Identity"),
                supplement: 0,
            })
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font.widths().consecutive(0, widths);
        cid_font.finish();

        let face = &font.face;
        let scale = |value: i16| f32::from(value) * font.to_pdf;
        let bbox = face.global_bounding_box();
        pdf.font_descriptor(descriptor)
            .name(Name(base_name.as_bytes()))
            .flags(FontFlags::SYMBOLIC)
            .bbox(Rect::new(
                scale(bbox.x_min),
                scale(bbox.y_min),
                scale(bbox.x_max),
                scale(bbox.y_max),
            ))
            .italic_angle(face.italic_angle())
            .ascent(scale(face.ascender()))
            .descent(scale(face.descender()))
            .cap_height(scale(face.capital_height().unwrap_or(face.ascender())))
            // The usual estimate from the weight; PDF readers use it only for substitution.
            .stem_v(10.0 + 0.244 * (f32::from(font.weight) - 50.0))
            .font_file2(file);

        let compressed = compress(&subset);
        pdf.stream(file, &compressed).filter(Filter::FlateDecode);

        let mut unicode = UnicodeCmap::new(
            Name(b"Custom"),
            SystemInfo {
                registry: Str(b"Adobe"),
                ordering: Str(b"UCS"),
                supplement: 0,
            },
        );
        for (&glyph, &c) in &used.chars {
            unicode.pair(glyph, c);
        }
        let compressed = compress(&unicode.finish());
        pdf.cmap(cmap, &compressed).filter(Filter::FlateDecode);
    }
    Ok(())
}

#[expect(clippy::too_many_arguments, reason = "one call site; the references belong together")]
fn write_structure(
    pdf: &mut Pdf,
    refs: &mut Refs,
    layout: &Layout,
    marked: &[Vec<(usize, i32)>],
    parent_tree: &[Vec<Ref>],
    struct_root: Ref,
    document_elem: Ref,
    elem_refs: &[Ref],
    page_refs: &[(Ref, Ref)],
) {
    let array_refs: Vec<Ref> = parent_tree.iter().map(|_| refs.next()).collect();
    let mut root = pdf.indirect(struct_root).start::<StructTreeRoot>();
    root.child(document_elem);
    let mut tree = root.parent_tree();
    let mut nums = tree.nums();
    for (index, array) in array_refs.iter().enumerate() {
        nums.insert(i32::try_from(index).unwrap_or(i32::MAX), *array);
    }
    nums.finish();
    tree.finish();
    root.parent_tree_next_key(i32::try_from(array_refs.len()).unwrap_or(i32::MAX));
    root.finish();
    for (array, mcids) in array_refs.iter().zip(parent_tree) {
        pdf.indirect(*array).array().items(mcids.iter().copied());
    }

    let top_level = elem_refs
        .iter()
        .zip(&layout.elems)
        .filter(|(_, elem)| elem.parent.is_none())
        .map(|(r, _)| *r);
    pdf.struct_element(document_elem)
        .kind(StructRole::Document)
        .parent(struct_root)
        .children()
        .items_struct(top_level);

    for (index, (elem, &id)) in layout.elems.iter().zip(elem_refs).enumerate() {
        let parent = elem.parent.map_or(document_elem, |parent| elem_refs[parent]);
        let mut writer = pdf.struct_element(id);
        writer.kind(struct_role(elem.role)).parent(parent);
        if let Some(alt) = &elem.alt {
            writer.alt(TextStr(alt));
        }
        // PDF 1.7 (14.8.5.4.3) wants an illustration's box when it sits on one page.
        if let Some([left, bottom, right, top]) = elem.bbox {
            writer
                .attributes()
                .push()
                .layout()
                .placement(Placement::Block)
                .bbox(Rect::new(left, bottom, right, top));
        }
        let mut children = writer.children();
        for (child, child_elem) in elem_refs.iter().zip(&layout.elems) {
            if child_elem.parent == Some(index) {
                children.struct_element(*child);
            }
        }
        for &(page, mcid) in &marked[index] {
            children
                .marked_content_ref()
                .marked_content_id(mcid)
                .page(page_refs[page].0);
        }
    }
}

trait StructChildrenExt {
    fn items_struct(&mut self, refs: impl Iterator<Item = Ref>);
}

impl StructChildrenExt for pdf_writer::writers::StructChildren<'_> {
    fn items_struct(&mut self, refs: impl Iterator<Item = Ref>) {
        for id in refs {
            self.struct_element(id);
        }
    }
}

fn role_name(role: Role) -> &'static [u8] {
    match role {
        Role::H1 => b"H1",
        Role::H2 => b"H2",
        Role::H3 => b"H3",
        Role::P => b"P",
        Role::L => b"L",
        Role::LI => b"LI",
        Role::LBody => b"LBody",
        Role::Figure => b"Figure",
    }
}

fn struct_role(role: Role) -> StructRole {
    match role {
        Role::H1 => StructRole::H1,
        Role::H2 => StructRole::H2,
        Role::H3 => StructRole::H3,
        Role::P => StructRole::P,
        Role::L => StructRole::L,
        Role::LI => StructRole::LI,
        Role::LBody => StructRole::LBody,
        Role::Figure => StructRole::Figure,
    }
}

/// A six-letter tag from the glyph set, as PDF wants for subset fonts ("ABCDEF+Name"): the same
/// glyphs give the same tag, so output stays reproducible.
fn subset_tag(remapper: &GlyphRemapper) -> String {
    // FNV-1a over the original glyph ids in subset order.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for glyph in remapper.remapped_gids() {
        for byte in glyph.to_be_bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    (0..6)
        .map(|_| {
            let letter = char::from(b'A' + u8::try_from(hash % 26).unwrap_or(0));
            hash /= 26;
            letter
        })
        .collect()
}

fn compress(data: &[u8]) -> Vec<u8> {
    miniz_oxide::deflate::compress_to_vec_zlib(data, 6)
}
