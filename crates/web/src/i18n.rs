//! Interface text in bokmål, nynorsk and English: the one message catalogue.
//!
//! Messages live in `locales/{nb,nn,en}.toml` and, per larger area, `locales/{nb,nn,en}-AREA.toml`,
//! as flat `"key" = "text"` tables embedded in the binary; a key is defined in one file only. Keys
//! are stable identifiers: the domain, the use cases and the store name a text by its key and its
//! arguments ([`Message`]), and only this module words it, so the HTML pages, the JSON API and the
//! command line say the same thing. Tests check that the three languages have the same keys and
//! placeholders, and that every key the code and templates name exists.

use axum::http::HeaderMap;
use husly_domain::Lang;
use husly_domain::message::{Arg, Message};
use husly_domain::validation::FieldError;
use std::collections::HashMap;
use std::sync::LazyLock;

pub const LANG_COOKIE: &str = "husly_lang";

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

pub fn catalog(lang: Lang) -> &'static HashMap<String, String> {
    match lang {
        Lang::Nb => &NB,
        Lang::Nn => &NN,
        Lang::En => &EN,
    }
}

/// A translator for one language, handed to every template.
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
fn fill(template: &str, mut value: impl FnMut(&str) -> Option<String>) -> String {
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

/// The placeholders a text names, for the catalogue tests.
#[cfg(test)]
fn placeholders(text: &str) -> std::collections::BTreeSet<String> {
    let mut names = std::collections::BTreeSet::new();
    fill(text, |name| {
        names.insert(name.to_string());
        Some(String::new())
    });
    names
}

/// A refusal of the case lifecycle in words (`refusal.<code>`, with the state and step named).
pub fn refusal_text(tr: Tr, refusal: husly_domain::cases::Refusal) -> String {
    tr.message(&refusal.message())
}

/// The same refusal as a field error, for a form to show beside `field`.
pub fn refusal_error(field: &str, refusal: husly_domain::cases::Refusal) -> FieldError {
    FieldError::with_message(field, refusal.code(), refusal.message())
}

/// The language for a request: the user's explicit choice (cookie), else the browser's
/// preference (`Accept-Language`, by quality), else bokmål.
pub fn negotiate(headers: &HeaderMap) -> Lang {
    if let Some(lang) = cookie(headers, LANG_COOKIE).and_then(|v| Lang::from_code(&v)) {
        return lang;
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(from_accept_language)
        .unwrap_or_default()
}

fn from_accept_language(header: &str) -> Option<Lang> {
    let mut choices: Vec<(f32, Lang)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next()?.to_ascii_lowercase();
            Lang::from_code(&primary).map(|lang| (q, lang))
        })
        .collect();
    choices.sort_by(|a, b| b.0.total_cmp(&a.0));
    choices.first().map(|(_, lang)| *lang)
}

/// The value of a cookie in the request headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn languages() -> [(Lang, [&'static str; 4]); 3] {
        [(Lang::Nb, NB_SOURCES), (Lang::Nn, NN_SOURCES), (Lang::En, EN_SOURCES)]
    }

    #[test]
    fn every_file_parses_and_no_key_is_defined_twice() {
        for (lang, sources) in languages() {
            let mut seen = std::collections::HashSet::new();
            for source in sources {
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

    /// Every source file and template of the workspace, read at test time.
    fn workspace_sources() -> Vec<(std::path::PathBuf, String)> {
        fn walk(dir: &std::path::Path, out: &mut Vec<(std::path::PathBuf, String)>) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| e == "rs" || e == "html") {
                    out.push((path.clone(), std::fs::read_to_string(&path).unwrap_or_default()));
                }
            }
        }
        let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut out = Vec::new();
        for krate in ["domain", "usecases", "store", "web", "husly", "letters"] {
            walk(&crates.join(krate).join("src"), &mut out);
        }
        walk(&crates.join("web").join("templates"), &mut out);
        assert!(out.len() > 100, "the workspace sources were not found");
        out
    }

    /// Keys named in code: `t("…")` and `f("…", …)` calls, and string literals of the prefixes
    /// the domain and the store use for messages.
    fn keys_named_in(source: &str) -> Vec<String> {
        const PREFIXES: [&str; 7] = [
            "error.",
            "refusal.",
            "national_id.",
            "synthetic_source.",
            "tenure.",
            "id_kind.",
            "startlan.condition.",
        ];
        let mut keys = Vec::new();
        for (start, _) in source.match_indices('"') {
            let rest = &source[start + 1..];
            let Some(end) = rest.find('"') else { continue };
            let literal = &rest[..end];
            let before = &source[..start];
            let called = ["t(", "f("].iter().any(|call| {
                before.ends_with(call)
                    && !before[..before.len() - call.len()]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_')
            });
            let prefixed = PREFIXES.iter().any(|p| literal.starts_with(p));
            let key_like = literal.len() > 2
                && ![".html", ".rs", ".toml", ".css"].iter().any(|e| literal.ends_with(e))
                && literal.contains('.')
                && !literal.ends_with('.')
                && literal
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'.');
            if (called || prefixed) && key_like {
                keys.push(literal.to_string());
            }
        }
        keys
    }

    #[test]
    fn every_key_named_in_code_and_templates_exists() {
        let mut missing = Vec::new();
        for (path, source) in workspace_sources() {
            for key in keys_named_in(&source) {
                if !NB.contains_key(&key) {
                    missing.push(format!("{key} ({})", path.display()));
                }
            }
        }
        for action in crate::pages::access_log::AUDIT_ACTIONS {
            missing.extend(Some(format!("audit.action.{action}")).filter(|k| !NB.contains_key(k)));
        }
        for code in ["fodselsnummer", "d_nummer"] {
            missing.extend(Some(format!("id_kind.{code}")).filter(|k| !NB.contains_key(k)));
        }
        for kind in [
            husly_domain::national_id::SyntheticKind::Tenor,
            husly_domain::national_id::SyntheticKind::Nav,
        ] {
            missing.extend(Some(format!("synthetic_source.{}", kind.code())).filter(|k| !NB.contains_key(k)));
        }
        for tenure in ["rent", "cooperative", "owned"] {
            missing.extend(Some(format!("tenure.{tenure}")).filter(|k| !NB.contains_key(k)));
        }
        for state in husly_domain::cases::CaseState::ALL {
            missing.extend(Some(format!("case_state.{}", state.code())).filter(|k| !NB.contains_key(k)));
        }
        for step in husly_domain::cases::requests::STEPS {
            let key = format!("flash.step.{step}");
            if !NB.contains_key(&key) {
                missing.push(key);
            }
        }
        for action in husly_domain::cases::CaseAction::all() {
            let key = format!("step.{}", action.code());
            if !NB.contains_key(&key) {
                missing.push(key);
            }
        }
        for code in husly_domain::cases::Refusal::CODES {
            let key = format!("refusal.{code}");
            if !NB.contains_key(&key) {
                missing.push(key);
            }
        }
        for code in crate::error::ERROR_CODES {
            for part in ["title", "text"] {
                let key = format!("error.{code}.{part}");
                if !NB.contains_key(&key) {
                    missing.push(key);
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "keys missing from locales/nb.toml: {missing:?}");
    }

    #[test]
    fn a_refusal_names_the_state_in_words() {
        use husly_domain::cases::{CaseState, Refusal};
        let text = refusal_text(
            Tr::new(Lang::Nb),
            Refusal::NotNow {
                state: CaseState::Refused,
                action: "renew",
            },
        );
        assert_eq!(
            text,
            "Det er ikke mulig å fornye godkjenningen når saken har status «Avslått»."
        );
        let text = refusal_text(
            Tr::new(Lang::En),
            Refusal::MoreThanOutstanding {
                outstanding_ore: 1_250_000,
            },
        );
        assert!(
            text.contains("12\u{a0}500\u{a0}kr") || text.contains("12 500"),
            "{text}"
        );
        assert!(!text.contains('{'), "{text}");
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

    #[test]
    fn accept_language_by_quality() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9,nb;q=0.8"), Some(Lang::En));
        assert_eq!(from_accept_language("da, nb;q=0.5, en;q=0.4"), Some(Lang::Nb));
        assert_eq!(from_accept_language("fr"), None);
        assert_eq!(from_accept_language("nn-NO, nb;q=0.8"), Some(Lang::Nn));
    }
}
