//! Interface text in bokmål and English.
//!
//! Messages live in `locales/{nb,en}.toml` and, per larger area, `locales/{nb,en}-AREA.toml`, as
//! flat `"key" = "text"` tables, embedded in the binary. A key is defined in one file only. Keys are stable identifiers (error codes double as keys), so the HTML pages and the
//! JSON API say the same thing. A test checks that both languages have the same keys and that
//! every key the templates use exists.

use axum::http::HeaderMap;
use husly_domain::Lang;
use std::collections::HashMap;
use std::sync::LazyLock;

pub const LANG_COOKIE: &str = "husly_lang";

const NB_SOURCES: [&str; 3] = [
    include_str!("../locales/nb.toml"),
    include_str!("../locales/nb-calculators.toml"),
    include_str!("../locales/nb-finance.toml"),
];
const EN_SOURCES: [&str; 3] = [
    include_str!("../locales/en.toml"),
    include_str!("../locales/en-calculators.toml"),
    include_str!("../locales/en-finance.toml"),
];

static NB: LazyLock<HashMap<String, String>> = LazyLock::new(|| load(&NB_SOURCES));
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
        let mut text = self.t(key).to_string();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }
}

/// A refusal of the case lifecycle in words (`refusal.<code>`, with the state and step named).
pub fn refusal_text(tr: Tr, refusal: husly_domain::cases::Refusal) -> String {
    use husly_domain::cases::Refusal;
    let key = format!("refusal.{}", refusal.code());
    match refusal {
        Refusal::NotNow { state, action } => {
            let state_text = tr.t(&format!("case_state.{}", state.code())).to_string();
            let action_text = tr.t(&format!("step.{action}")).to_string();
            tr.f(&key, &[("state", &state_text), ("action", &action_text)])
        }
        Refusal::NotEditable(state) | Refusal::NotGranted(state) => {
            let state_text = tr.t(&format!("case_state.{}", state.code())).to_string();
            tr.f(&key, &[("state", &state_text)])
        }
        Refusal::StillValid(until) => tr.f(&key, &[("until", &husly_domain::validation::format_date(until))]),
        Refusal::MoreThanOutstanding { outstanding_ore } => tr.f(
            &key,
            &[(
                "outstanding",
                &husly_domain::validation::format_ore_as_kr(outstanding_ore),
            )],
        ),
        _ => tr.t(&key).to_string(),
    }
}

/// The same refusal as a field error, in both languages, for a form to show beside `field`.
pub fn refusal_error(field: &str, refusal: husly_domain::cases::Refusal) -> husly_domain::validation::FieldError {
    husly_domain::validation::FieldError::new(
        field,
        refusal.code(),
        refusal_text(Tr::new(Lang::Nb), refusal),
        refusal_text(Tr::new(Lang::En), refusal),
    )
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

    #[test]
    fn every_file_parses_and_no_key_is_defined_twice() {
        for sources in [NB_SOURCES, EN_SOURCES] {
            let mut seen = std::collections::HashSet::new();
            for source in sources {
                let table: HashMap<String, String> = toml::from_str(source).expect("a locale file parses");
                for key in table.into_keys() {
                    assert!(seen.insert(key.clone()), "`{key}` is defined in two locale files");
                }
            }
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut nb: Vec<_> = NB.keys().collect();
        let mut en: Vec<_> = EN.keys().collect();
        nb.sort();
        en.sort();
        assert!(!nb.is_empty(), "the bokmål catalogue did not parse");
        assert_eq!(nb, en);
    }

    #[test]
    fn every_key_used_in_templates_and_code_exists() {
        let sources = [
            include_str!("../templates/base.html"),
            include_str!("../templates/login.html"),
            include_str!("../templates/search.html"),
            include_str!("../templates/household.html"),
            include_str!("../templates/household_form.html"),
            include_str!("../templates/person.html"),
            include_str!("../templates/error.html"),
            include_str!("../templates/admin_users.html"),
            include_str!("../templates/admin_user.html"),
            include_str!("../templates/admin_user_new.html"),
            include_str!("../templates/admin_audit.html"),
            include_str!("../templates/secret.html"),
            include_str!("../templates/home.html"),
            include_str!("pages/household.rs"),
            include_str!("pages/login.rs"),
            include_str!("pages/admin.rs"),
            include_str!("layout.rs"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            for (start, _) in source.match_indices("t(\"") {
                // Only calls of a function named exactly `t` (not `get(`, `set(`, …).
                let before = source[..start].chars().next_back();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let rest = &source[start + 3..];
                let Some(end) = rest.find('"') else { continue };
                let key = &rest[..end];
                if key.contains('{') || key.is_empty() {
                    continue;
                }
                if !NB.contains_key(key) {
                    missing.push(key.to_string());
                }
            }
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
    fn accept_language_by_quality() {
        assert_eq!(from_accept_language("en-GB,en;q=0.9,nb;q=0.8"), Some(Lang::En));
        assert_eq!(from_accept_language("da, nb;q=0.5, en;q=0.4"), Some(Lang::Nb));
        assert_eq!(from_accept_language("fr"), None);
    }
}
