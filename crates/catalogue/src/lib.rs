//! Interface text in bokmål, nynorsk and English: the one message catalogue.
//!
//! Messages live in `locales/{nb,nn,en}.toml` and, per larger area, `locales/{nb,nn,en}-AREA.toml`,
//! as flat `"key" = "text"` tables embedded in the binary; a key is defined in one file only. Keys
//! are stable identifiers: the domain, the use cases and the store name a text by its key and its
//! arguments ([`Message`]), and only this crate words it, so the HTML pages, the JSON API, the
//! letters and the command line say the same thing. Tests check that the three languages have the
//! same keys and placeholders; the web crate's tests check that every key the code and templates
//! of the workspace name exists.

use husly_domain::Lang;
use husly_domain::message::{Arg, Message};
use husly_domain::validation::FieldError;
use std::collections::HashMap;
use std::sync::LazyLock;

macro_rules! sources {
    ($lang:literal) => {
        [
            include_str!(concat!("../locales/", $lang, ".toml")),
            include_str!(concat!("../locales/", $lang, "-calculators.toml")),
            include_str!(concat!("../locales/", $lang, "-finance.toml")),
            include_str!(concat!("../locales/", $lang, "-errors.toml")),
        ]
    };
}

const NB_SOURCES: [&str; 4] = sources!("nb");
const NN_SOURCES: [&str; 4] = sources!("nn");
const EN_SOURCES: [&str; 4] = sources!("en");

static NB: LazyLock<HashMap<String, String>> = LazyLock::new(|| load(&NB_SOURCES));
static NN: LazyLock<HashMap<String, String>> = LazyLock::new(|| load(&NN_SOURCES));
static EN: LazyLock<HashMap<String, String>> = LazyLock::new(|| load(&EN_SOURCES));

fn load(sources: &[&str]) -> HashMap<String, String> {
    // The files are part of the binary and checked by tests; a broken file is a build defect.
    sources
        .iter()
        .flat_map(|source| toml::from_str::<HashMap<String, String>>(source).unwrap_or_default())
        .collect()
}

/// Every key and its text in one language.
pub fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::Nb => &NB,
        Lang::Nn => &NN,
        Lang::En => &EN,
    }
}

/// The catalogue's files of one language, as embedded (for the tests of this crate and others).
pub fn sources(lang: Lang) -> &'static [&'static str] {
    match lang {
        Lang::Nb => &NB_SOURCES,
        Lang::Nn => &NN_SOURCES,
        Lang::En => &EN_SOURCES,
    }
}

/// A translator for one language, handed to every template and to the letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Tr {
        Tr { lang }
    }

    /// The text for `key`; the key itself when missing, so a gap is visible rather than blank.
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        catalog(self.lang).get(key).map_or(key, String::as_str)
    }

    /// Text with `{name}` placeholders filled in.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        fill(self.t(key), |name| {
            args.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_string())
        })
    }

    /// A message from the domain, the use cases or the store, in this language.
    pub fn message(&self, message: &Message) -> String {
        fill(self.t(&message.key), |name| {
            let (_, arg) = message.args.iter().find(|(n, _)| *n == name)?;
            Some(match arg {
                Arg::Text(text) => text.clone(),
                Arg::Key(key) => self.t(key).to_string(),
                Arg::Keys(keys) => keys.iter().map(|k| self.t(k)).collect::<Vec<_>>().join("; "),
            })
        })
    }

    /// A field error's sentence in this language.
    pub fn error(&self, error: &FieldError) -> String {
        self.message(&error.message)
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

/// Fills `{name}` placeholders in one pass, so a value that itself holds braces (a user's input)
/// is never read as a placeholder. A placeholder without a value stays visible.
pub fn fill(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if is_placeholder(name) => {
                match value(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_placeholder(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// The placeholders a text names.
pub fn placeholders(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    fill(text, |name| {
        names.insert(name.to_string());
        Some(String::new())
    });
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_and_no_key_is_defined_twice() {
        for lang in Lang::ALL {
            let mut seen = std::collections::HashSet::new();
            for source in sources(lang) {
                let table: HashMap<String, String> = toml::from_str(source).expect("a locale file parses");
                for key in table.into_keys() {
                    assert!(seen.insert(key.clone()), "`{key}` is defined twice in {lang:?}");
                }
            }
        }
    }

    #[test]
    fn the_three_languages_have_the_same_keys_and_placeholders() {
        assert!(NB.len() > 1000, "the bokmål catalogue did not parse");
        let mut problems = Vec::new();
        for lang in [Lang::Nn, Lang::En] {
            for (key, text) in catalog(Lang::Nb) {
                match catalog(lang).get(key) {
                    None => problems.push(format!("`{key}` is missing in {lang:?}")),
                    Some(other) if placeholders(other) != placeholders(text) => {
                        problems.push(format!("`{key}` has other placeholders in {lang:?}"))
                    }
                    Some(_) => {}
                }
            }
            for key in catalog(lang).keys().filter(|k| !NB.contains_key(*k)) {
                problems.push(format!("`{key}` is in {lang:?} but not in bokmål"));
            }
        }
        problems.sort();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn identity_number_errors_are_full_sentences_in_every_language() {
        use husly_domain::national_id::{SyntheticKind, SyntheticPolicy, parse};
        let inputs = [
            "",
            "1234x678901",
            "123",
            "1",
            "32131299999",
            "01010112345",
            "\u{200b}0101",
        ];
        let mut errors: Vec<_> = inputs
            .iter()
            .filter_map(|i| parse(i, SyntheticPolicy::Reject).err())
            .collect();
        errors.push(husly_domain::national_id::IdError::SyntheticNotAllowed {
            kind: SyntheticKind::Tenor,
        });
        assert!(errors.len() >= 6);
        for lang in Lang::ALL {
            for error in &errors {
                let text = Tr::new(lang).message(&error.message());
                assert!(text.ends_with('.'), "{lang:?}: {text}");
                assert!(text.chars().next().is_some_and(char::is_uppercase), "{lang:?}: {text}");
                assert!(
                    !text.contains('{') && !text.contains("national_id."),
                    "{lang:?}: {text}"
                );
            }
        }
        let text = Tr::new(Lang::Nb).message(&husly_domain::national_id::IdError::WrongLength { digits: 1 }.message());
        assert!(text.contains("1 siffer."), "{text}");
    }

    #[test]
    fn a_value_with_braces_is_never_read_as_a_placeholder() {
        let message = Message::new("error.unknown_value")
            .arg("value", "{allowed}")
            .arg("allowed", "nb, nn, en");
        assert_eq!(
            Tr::new(Lang::En).message(&message),
            "Unknown value “{allowed}”. Valid values: nb, nn, en."
        );
        assert_eq!(fill("{ not a placeholder } {x}", |_| None), "{ not a placeholder } {x}");
    }
}
