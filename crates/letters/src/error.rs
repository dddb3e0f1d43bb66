use crate::Language;

/// Why a letter could not be rendered. [`LetterError::code`] is stable for the web crate to
/// translate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LetterError {
    /// The input lacks something a lawful letter needs, or contradicts itself.
    #[error("invalid letter: {field} {problem}")]
    Invalid { field: &'static str, problem: &'static str },
    /// The PDF font cannot show a character of the letter's text.
    #[error("the letter font has no glyph for {character:?} (U+{:04X})", u32::from(*character))]
    MissingGlyph { character: char },
    /// A template text is broken. The built-in texts are checked by tests, overrides when they
    /// are added, so this means a bug.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// The embedded font could not be read or subset (a bug: the fonts are compiled in).
    #[error("font error: {0}")]
    Font(String),
}

impl LetterError {
    pub fn code(&self) -> &'static str {
        match self {
            LetterError::Invalid { .. } => "letter_invalid",
            LetterError::MissingGlyph { .. } => "letter_missing_glyph",
            LetterError::Template(_) => "letter_template",
            LetterError::Font(_) => "letter_font",
        }
    }
}

/// A template file or override that does not match the texts the letters use.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("letter template {}{key}: {problem}", language.map(|l| format!("{}:", l.code())).unwrap_or_default())]
pub struct TemplateError {
    pub language: Option<Language>,
    /// The text's key, e.g. `decision.appeal_right`, or the file part that is wrong.
    pub key: String,
    pub problem: String,
}

impl TemplateError {
    pub(crate) fn new(language: Option<Language>, key: impl Into<String>, problem: impl Into<String>) -> Self {
        TemplateError {
            language,
            key: key.into(),
            problem: problem.into(),
        }
    }
}
