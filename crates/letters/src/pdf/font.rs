//! The two compiled-in faces and their metrics.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId};

use crate::LetterError;

const REGULAR: &[u8] = include_bytes!("../../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../fonts/DejaVuSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Style {
    Regular,
    Bold,
}

impl Style {
    pub fn index(self) -> usize {
        match self {
            Style::Regular => 0,
            Style::Bold => 1,
        }
    }
}

pub(crate) struct Font {
    pub data: &'static [u8],
    pub face: Face<'static>,
    /// The PostScript name, without the subset tag.
    pub name: &'static str,
    pub weight: u16,
    /// Font units to thousandths of an em, PDF's glyph space.
    pub to_pdf: f32,
}

impl Font {
    fn parse(data: &'static [u8], name: &'static str, weight: u16) -> Result<Font, String> {
        let face = Face::parse(data, 0).map_err(|err| format!("{name}: {err}"))?;
        let to_pdf = 1000.0 / f32::from(face.units_per_em());
        Ok(Font {
            data,
            face,
            name,
            weight,
            to_pdf,
        })
    }

    pub fn glyph(&self, c: char) -> Option<GlyphId> {
        self.face.glyph_index(c)
    }

    /// Advance of a glyph in thousandths of an em.
    pub fn advance(&self, glyph: GlyphId) -> f32 {
        f32::from(self.face.glyph_hor_advance(glyph).unwrap_or(0)) * self.to_pdf
    }

    /// Width of `text` at `size` points. A character the font lacks measures as `.notdef`; the
    /// writer refuses it later with a clear error.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| self.advance(self.glyph(c).unwrap_or(GlyphId(0))))
            .sum();
        units * size / 1000.0
    }
}

/// Both faces, parsed once per process.
pub(crate) fn fonts() -> Result<&'static [Font; 2], LetterError> {
    static FONTS: OnceLock<Result<[Font; 2], String>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            Ok([
                Font::parse(REGULAR, "DejaVuSans", 400)?,
                Font::parse(BOLD, "DejaVuSans-Bold", 700)?,
            ])
        })
        .as_ref()
        .map_err(|err| LetterError::Font(err.clone()))
}
