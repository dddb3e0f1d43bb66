//! The web side of the message catalogue: which language a request reads, and the cookie that
//! keeps the user's choice. The catalogue itself (the locale files, lookup and the filling of
//! `{name}` placeholders) is the `husly-catalogue` crate; [`Tr`] and [`catalog`] are re-exported
//! here so pages, templates and the API word texts as before.

use axum::http::HeaderMap;
use husly_domain::Lang;
use husly_domain::validation::FieldError;

pub use husly_catalogue::{Tr, catalog};

pub const LANG_COOKIE: &str = "husly_lang";

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

/// The letters crate's language for a reader's language.
pub fn letters_language(lang: Lang) -> husly_letters::Language {
    match lang {
        Lang::Nb => husly_letters::Language::Nb,
        Lang::Nn => husly_letters::Language::Nn,
        Lang::En => husly_letters::Language::En,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static NB: LazyLock<&'static husly_catalogue::Catalog> = LazyLock::new(|| catalog(Lang::Nb));

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

    /// Keys named in code: `t("…")` and `f("…", …)` calls (the key on the call's line or the next),
    /// and string literals of the prefixes the domain and the store use for messages.
    fn keys_named_in(source: &str) -> Vec<String> {
        const PREFIXES: [&str; 8] = [
            "error.",
            "refusal.",
            "national_id.",
            "synthetic_source.",
            "tenure.",
            "id_kind.",
            "startlan.condition.",
            "eligibility.",
        ];
        let mut keys = Vec::new();
        for (start, _) in source.match_indices('"') {
            let rest = &source[start + 1..];
            let Some(end) = rest.find('"') else { continue };
            let literal = &rest[..end];
            // rustfmt puts a long call's first argument on the next line: `tr.f(\n    "key", …)`.
            let before = source[..start].trim_end();
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
    fn a_key_on_the_line_after_its_call_is_found() {
        let source = "facts.push(tr.f(\n    \"letter.fact.received\",\n    &[(\"date\", &date)],\n));";
        assert_eq!(keys_named_in(source), ["letter.fact.received"]);
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
        for case_type in husly_domain::cases::CaseType::ALL {
            for rule in husly_domain::eligibility::RULES {
                let key = husly_domain::eligibility::rule_name_key(rule, case_type);
                if !NB.contains_key(&key) {
                    missing.push(key);
                }
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
        assert_eq!(from_accept_language("nn-NO, nb;q=0.8"), Some(Lang::Nn));
    }
}
