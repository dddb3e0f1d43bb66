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
use husly_domain::eligibility::{StoredArg, StoredMessage, Text, Wording};
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
            include_str!(concat!("../locales/", $lang, "-eligibility.toml")),
            include_str!(concat!("../locales/", $lang, "-letters.toml")),
            include_str!(concat!("../locales/", $lang, "-plan.toml")),
            include_str!(concat!("../locales/", $lang, "-kostra.toml")),
            include_str!(concat!("../locales/", $lang, "-dwellings.toml")),
            include_str!(concat!("../locales/", $lang, "-allocation.toml")),
            include_str!(concat!("../locales/", $lang, "-import.toml")),
            include_str!(concat!("../locales/", $lang, "-offers.toml")),
            include_str!(concat!("../locales/", $lang, "-policy.toml")),
            include_str!(concat!("../locales/", $lang, "-stock.toml")),
            include_str!(concat!("../locales/", $lang, "-tenancy.toml")),
            include_str!(concat!("../locales/", $lang, "-renewal.toml")),
            include_str!(concat!("../locales/", $lang, "-ledger.toml")),
            include_str!(concat!("../locales/", $lang, "-follow-up.toml")),
            include_str!(concat!("../locales/", $lang, "-partners.toml")),
            include_str!(concat!("../locales/", $lang, "-protection.toml")),
            include_str!(concat!("../locales/", $lang, "-referrals.toml")),
            include_str!(concat!("../locales/", $lang, "-meetings.toml")),
            include_str!(concat!("../locales/", $lang, "-reminders.toml")),
        ]
    };
}

const NB_SOURCES: [&str; 23] = sources!("nb");
const NN_SOURCES: [&str; 23] = sources!("nn");
const EN_SOURCES: [&str; 23] = sources!("en");

/// Every key of one language and its text.
///
/// Hashed with FxHash rather than the standard library's SipHash: every page looks up dozens of
/// keys (a queue page of 50 rows over a thousand), SipHash's resistance to chosen keys guards a
/// table's inserts, and these tables are filled once from the binary's own files.
pub type Catalog = HashMap<String, String, rustc_hash::FxBuildHasher>;

static NB: LazyLock<Catalog> = LazyLock::new(|| load(&NB_SOURCES));
static NN: LazyLock<Catalog> = LazyLock::new(|| load(&NN_SOURCES));
static EN: LazyLock<Catalog> = LazyLock::new(|| load(&EN_SOURCES));

fn load(sources: &[&str]) -> Catalog {
    // The files are part of the binary and checked by tests; a broken file is a build defect.
    sources
        .iter()
        .flat_map(|source| toml::from_str::<HashMap<String, String>>(source).unwrap_or_default())
        .collect()
}

/// Every key and its text in one language.
pub fn catalog(lang: Lang) -> &'static Catalog {
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

    /// A text of an eligibility assessment (a rule's name, a fact, an explanation) in this
    /// language: a catalogue message worded, a value as it is, an older written text in this
    /// language.
    pub fn wording(&self, wording: &Wording) -> String {
        match wording {
            Wording::Message(message) => self.stored(message),
            Wording::Value(value) => value.clone(),
            Wording::Written(text) => match self.lang {
                Lang::Nb => text.nb.clone(),
                Lang::Nn => text.nn.clone(),
                Lang::En => text.en.clone(),
            },
        }
    }

    /// A kept message in this language.
    pub fn stored(&self, message: &StoredMessage) -> String {
        fill(self.t(&message.key), |name| {
            Some(match message.args.get(name)? {
                StoredArg::Text(text) => text.clone(),
                // A decimal comma in Norwegian, a point in English.
                StoredArg::Decimal(number) if self.lang == Lang::En => number.replace(',', "."),
                StoredArg::Decimal(number) => number.clone(),
                StoredArg::Key(key) => self.t(key).to_string(),
                StoredArg::List(items) => items.iter().map(|m| self.stored(m)).collect::<Vec<_>>().join("; "),
            })
        })
    }
}

/// A text of an eligibility assessment in bokmål, nynorsk and English (the JSON API's form).
pub fn translated(wording: &Wording) -> Text {
    Text {
        nb: Tr::new(Lang::Nb).wording(wording),
        nn: Tr::new(Lang::Nn).wording(wording),
        en: Tr::new(Lang::En).wording(wording),
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
mod allocation_tests;

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

    mod eligibility {
        use super::*;
        use husly_domain::cases::application::{ApplicationForm, CurrentHousing};
        use husly_domain::cases::workflow::CaseType;
        use husly_domain::eligibility::{Assessment, EligibilityRules, Facts, Member, RULES, assess, rule_name_key};
        use husly_domain::household::Relation;
        use time::macros::date;

        fn run(members: &[Member], form: &ApplicationForm) -> Assessment {
            assess(
                EligibilityRules::embedded(),
                &Facts {
                    case_type: CaseType::MunicipalHousing,
                    municipality_number: "3301",
                    date: date!(2026 - 06 - 15),
                    members,
                    form,
                    finance: None,
                    affordability: None,
                },
                &[],
            )
            .unwrap()
        }

        fn member(birth_date: time::Date, relation: Relation) -> Member {
            Member { birth_date, relation }
        }

        /// Every text an assessment names is worded in each language: no key and no placeholder
        /// is left showing.
        #[test]
        fn an_assessment_reads_in_words_in_every_language() {
            let members = [
                member(date!(1980 - 01 - 01), Relation::MainApplicant),
                member(date!(2019 - 01 - 01), Relation::Child),
                member(date!(2012 - 09 - 01), Relation::Child),
                member(date!(2006 - 09 - 01), Relation::Child),
            ];
            let form = ApplicationForm {
                current_housing: Some(CurrentHousing::WithFamilyOrFriends),
                evicted_on: Some(date!(2026 - 01 - 10)),
                ..Default::default()
            };
            let a = run(&members, &form);
            assert!(a.results.len() > 5);
            for lang in Lang::ALL {
                let tr = Tr::new(lang);
                for r in &a.results {
                    let mut texts = vec![tr.wording(&r.name(a.case_type)), tr.wording(&r.explanation)];
                    for fact in &r.facts {
                        texts.push(tr.wording(&fact.label));
                        texts.push(tr.wording(&fact.value));
                    }
                    for text in texts {
                        assert!(
                            !text.contains('{') && !text.contains("eligibility."),
                            "{lang:?}: {text}"
                        );
                    }
                }
            }
            let rule = |code: &str| a.results.iter().find(|r| r.rule == code).unwrap();
            let children = rule("childrens_best_interests");
            assert_eq!(Tr::new(Lang::Nb).wording(&children.name(a.case_type)), "Barnets beste");
            assert_eq!(Tr::new(Lang::Nb).wording(&children.facts[0].value), "7 og 13");
            assert_eq!(Tr::new(Lang::En).wording(&children.facts[0].value), "7 and 13");
            let dwelling = rule("without_suitable_dwelling");
            assert_eq!(
                Tr::new(Lang::Nn).wording(&dwelling.facts[0].value),
                "Bur hos familie eller vener"
            );
            assert_eq!(
                Tr::new(Lang::En).wording(&dwelling.facts[0].value),
                "Lives with family or friends"
            );
            assert_eq!(Tr::new(Lang::Nb).wording(&dwelling.facts[1].value), "ikke oppgitt");
            assert_eq!(
                translated(&dwelling.facts[1].label),
                Text {
                    nb: "Boforholdet slutter".into(),
                    nn: "Buforholdet sluttar".into(),
                    en: "Present housing ends".into(),
                }
            );
            let eviction = rule("eviction_quarantine");
            assert_eq!(
                Tr::new(Lang::Nb).wording(&eviction.explanation),
                "Husstanden ble kastet ut 10.01.2026; vurder betydningen for søknaden."
            );
        }

        #[test]
        fn a_rate_has_a_decimal_comma_in_norwegian_and_a_point_in_english() {
            let message: Wording = StoredMessage::new("eligibility.rule.affordability.not_met")
                .arg_decimal("rate", "7,5 %")
                .arg("short", "1 000 kr")
                .arg("max", "2 000 000 kr")
                .into();
            assert_eq!(
                Tr::new(Lang::Nb).wording(&message),
                "Med renten i stresstesten (7,5 %) mangler husstanden 1 000 kr hver måned. Husstanden kan betjene et startlån på inntil 2 000 000 kr."
            );
            assert_eq!(
                Tr::new(Lang::En).wording(&message),
                "At the stress-test rate (7.5 %) the household is 1 000 kr short each month. It can service a start loan of up to 2 000 000 kr."
            );
            let conditions = StoredMessage::new("eligibility.list").arg_list(
                "items",
                vec![
                    StoredMessage::new("eligibility.extended_term.listed")
                        .arg("letter", 'a')
                        .arg_key("condition", "eligibility.extended_term.condition.lasting_low_income")
                        .arg_key("status", "eligibility.extended_term.status.met"),
                    StoredMessage::new("eligibility.extended_term.listed")
                        .arg("letter", 'b')
                        .arg_key(
                            "condition",
                            "eligibility.extended_term.condition.dwelling_suits_long_term",
                        )
                        .arg_key("status", "eligibility.extended_term.status.waived"),
                ],
            );
            assert_eq!(
                Tr::new(Lang::Nn).stored(&conditions),
                "a) varig låg inntekt er dokumentert (oppfylt); b) bustaden vil dekkje behova til hushaldet i lang tid (unntak gjeld)"
            );
        }

        #[test]
        fn every_rule_has_a_name_in_every_case_type() {
            for case_type in CaseType::ALL {
                for rule in RULES {
                    let key = rule_name_key(rule, case_type);
                    for lang in Lang::ALL {
                        assert!(catalog(lang).contains_key(&key), "{key} in {lang:?}");
                    }
                }
            }
        }

        /// A text kept in each language by an older assessment reads as written.
        #[test]
        fn an_older_written_text_reads_as_written() {
            let written = Wording::Written(Text {
                nb: "Restanse".into(),
                nn: "Restanse".into(),
                en: "Arrears".into(),
            });
            assert_eq!(Tr::new(Lang::Nn).wording(&written), "Restanse");
            assert_eq!(Tr::new(Lang::En).wording(&written), "Arrears");
            assert_eq!(Tr::new(Lang::En).wording(&Wording::Value("3".into())), "3");
        }
    }
}
