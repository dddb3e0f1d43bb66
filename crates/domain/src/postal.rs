//! Posten's postal-code register: which postal codes exist, their postal place, municipality and
//! use. Shipped as data (`rules/postal_codes.tsv`, Posten's own file converted to UTF-8, and
//! `rules/postal_codes.toml`, its source and date) and used to check that a postal code and
//! place belong together and to fill in the place when only the code is typed.
//!
//! The register changes a few times a year; maintainers replace the file with Posten's current
//! one (`scripts/update-postal-codes`), and the date shown to users says which edition is in use.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::validation::{Errors, FieldError};

const EMBEDDED_TSV: &str = include_str!("../../../rules/postal_codes.tsv");
const EMBEDDED_META: &str = include_str!("../../../rules/postal_codes.toml");

/// What a postal code is used for (Posten's "kategori").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostalUse {
    /// B: both street addresses and post-office boxes.
    StreetAndBox,
    /// F: several uses, shared.
    Several,
    /// G: street addresses only.
    Street,
    /// P: post-office boxes only.
    Box,
    /// S: service codes, not used in postal addresses.
    Service,
}

impl PostalUse {
    fn from_code(code: &str) -> Option<PostalUse> {
        Some(match code {
            "B" => PostalUse::StreetAndBox,
            "F" => PostalUse::Several,
            "G" => PostalUse::Street,
            "P" => PostalUse::Box,
            "S" => PostalUse::Service,
            _ => return None,
        })
    }
}

/// One postal code in the register.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostalPlace {
    pub code: String,
    /// As Posten writes it: capitals ("KRISTIANSAND S").
    pub place: String,
    pub municipality_number: String,
    pub municipality: String,
    pub used_for: PostalUse,
}

impl PostalPlace {
    /// The place as it is written in running text and forms: "Kristiansand S", "Årdal i Ryfylke".
    pub fn place_name(&self) -> String {
        title_case(&self.place)
    }
}

/// Where the register comes from and which edition it is.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterEdition {
    /// The day the edition was taken from Posten.
    pub as_of: time::Date,
    pub source: String,
    pub url: String,
}

/// The register: postal codes in increasing order.
#[derive(Debug, Clone)]
pub struct PostalRegister {
    pub edition: RegisterEdition,
    places: Vec<PostalPlace>,
}

/// A line of a register file that is not as Posten writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterError {
    /// 1-based.
    pub line: usize,
    pub problem: &'static str,
}

impl std::fmt::Display for RegisterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "postal-code register, line {}: {}", self.line, self.problem)
    }
}

impl std::error::Error for RegisterError {}

static EMBEDDED: LazyLock<PostalRegister> = LazyLock::new(|| {
    let edition: RegisterEdition = toml::from_str(EMBEDDED_META).expect("rules/postal_codes.toml is valid");
    let places = parse_register(EMBEDDED_TSV).expect("rules/postal_codes.tsv is valid");
    PostalRegister { edition, places }
});

impl PostalRegister {
    /// The register shipped with this build.
    pub fn embedded() -> &'static PostalRegister {
        &EMBEDDED
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Every postal code, in increasing order.
    pub fn places(&self) -> impl Iterator<Item = &PostalPlace> {
        self.places.iter()
    }

    /// The postal code `code`, if it exists.
    pub fn lookup(&self, code: &str) -> Option<&PostalPlace> {
        self.places
            .binary_search_by(|place| place.code.as_str().cmp(code))
            .ok()
            .map(|index| &self.places[index])
    }
}

/// Parses Posten's register, one postal code per line:
/// `postnummer TAB poststed TAB kommunenummer TAB kommunenavn TAB kategori`, codes in increasing
/// order. Empty lines (a trailing newline, a CR of a Windows file) are allowed.
pub fn parse_register(text: &str) -> Result<Vec<PostalPlace>, RegisterError> {
    let mut places: Vec<PostalPlace> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        let error = |problem| RegisterError {
            line: index + 1,
            problem,
        };
        let fields: Vec<&str> = line.split('\t').collect();
        let [code, place, municipality_number, municipality, used_for] = fields[..] else {
            return Err(error("expected five tab-separated fields"));
        };
        if !is_four_digits(code) {
            return Err(error("the postal code is not four digits"));
        }
        if !is_four_digits(municipality_number) {
            return Err(error("the municipality number is not four digits"));
        }
        if place.trim().is_empty() || municipality.trim().is_empty() {
            return Err(error("the postal place or the municipality is empty"));
        }
        let used_for = PostalUse::from_code(used_for).ok_or_else(|| error("the category is not B, F, G, P or S"))?;
        if places.last().is_some_and(|last| last.code.as_str() >= code) {
            return Err(error("postal codes are not in increasing order"));
        }
        places.push(PostalPlace {
            code: code.to_string(),
            place: place.trim().to_string(),
            municipality_number: municipality_number.to_string(),
            municipality: municipality.trim().to_string(),
            used_for,
        });
    }
    Ok(places)
}

fn is_four_digits(text: &str) -> bool {
    text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit())
}

/// Checks a postal address's code and place against the register and returns them as they are
/// to be stored: the code, and the place as the register names it (filled in when left blank).
/// Errors go on the fields `postal_code` and `postal_city`.
pub fn check_postal_address(
    register: &PostalRegister,
    code: &str,
    place: &str,
    errors: &mut Errors,
) -> (Option<String>, Option<String>) {
    let code = code.trim();
    let typed_place = errors.optional_text("postal_city", place);
    if code.is_empty() {
        errors.push(FieldError::required("postal_code"));
        return (None, typed_place);
    }
    if !is_four_digits(code) {
        errors.push(FieldError::new(
            "postal_code",
            "postal_code.invalid",
            "error.household.postal_code",
        ));
        return (None, typed_place);
    }
    let Some(known) = register.lookup(code) else {
        errors.push(
            FieldError::new("postal_code", "postal_code.unknown", "error.postal_code.unknown")
                .arg("code", code)
                .arg("as_of", crate::validation::format_date(register.edition.as_of)),
        );
        return (None, typed_place);
    };
    if known.used_for == PostalUse::Service {
        errors
            .push(FieldError::new("postal_code", "postal_code.service", "error.postal_code.service").arg("code", code));
        return (None, typed_place);
    }
    let place = match typed_place {
        Some(typed) if !same_place(&typed, &known.place) => {
            errors.push(
                FieldError::new("postal_city", "postal_city.mismatch", "error.postal_city.mismatch")
                    .arg("code", code)
                    .arg("place", known.place_name()),
            );
            None
        }
        _ => Some(known.place_name()),
    };
    (Some(code.to_string()), place)
}

/// Whether a typed place is the register's: letter case and spacing aside.
fn same_place(typed: &str, register: &str) -> bool {
    let normal = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_uppercase();
    normal(typed) == normal(register)
}

/// "ÅRDAL I RYFYLKE" → "Årdal i Ryfylke", "SØR-HIDLE" → "Sør-Hidle", "KRISTIANSAND S" →
/// "Kristiansand S": each word and each part after a hyphen capitalised, the small words of
/// place names in lower case.
fn title_case(upper: &str) -> String {
    const SMALL: [&str; 5] = ["i", "og", "på", "ved", "under"];
    upper
        .split(' ')
        .enumerate()
        .map(|(index, word)| {
            let lower = word.to_lowercase();
            if index > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            lower.split('-').map(capitalise).collect::<Vec<_>>().join("-")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(code: &str, place: &str) -> Result<(String, String), Vec<(String, &'static str)>> {
        let mut errors = Errors::default();
        let (code, place) = check_postal_address(PostalRegister::embedded(), code, place, &mut errors);
        if errors.is_empty() {
            Ok((code.unwrap(), place.unwrap()))
        } else {
            Err(errors.0.into_iter().map(|e| (e.field, e.code)).collect())
        }
    }

    #[test]
    fn the_shipped_register_is_whole_and_dated() {
        let register = PostalRegister::embedded();
        assert!(register.len() > 4_000, "{} postal codes", register.len());
        assert!(register.edition.as_of.year() >= 2024);
        let oslo = register.lookup("0150").expect("0150 exists");
        assert_eq!(oslo.place_name(), "Oslo");
        assert_eq!(oslo.municipality_number, "0301");
        let drammen = register.lookup("3015").expect("3015 exists");
        assert_eq!(drammen.place_name(), "Drammen");
        assert_eq!(drammen.municipality, "DRAMMEN");
    }

    #[test]
    fn the_place_is_filled_in_from_the_code_and_a_wrong_pair_is_named() {
        assert_eq!(check("3015", ""), Ok(("3015".into(), "Drammen".into())));
        assert_eq!(check(" 3015 ", "drammen "), Ok(("3015".into(), "Drammen".into())));
        assert_eq!(
            check("3015", "Oslo"),
            Err(vec![("postal_city".into(), "postal_city.mismatch")])
        );
        assert_eq!(
            check("0000", ""),
            Err(vec![("postal_code".into(), "postal_code.unknown")])
        );
        assert_eq!(
            check("30a5", "Drammen"),
            Err(vec![("postal_code".into(), "postal_code.invalid")])
        );
        assert_eq!(check("", "Drammen"), Err(vec![("postal_code".into(), "required")]));
    }

    #[test]
    fn place_names_read_as_they_are_written() {
        assert_eq!(title_case("ÅRDAL I RYFYLKE"), "Årdal i Ryfylke");
        assert_eq!(title_case("SØR-HIDLE"), "Sør-Hidle");
        assert_eq!(title_case("KRISTIANSAND S"), "Kristiansand S");
        assert_eq!(title_case("OSLO"), "Oslo");
    }

    #[test]
    fn a_damaged_register_is_refused_with_the_line() {
        let good = "0001\tOSLO\t0301\tOSLO\tP\r\n0010\tOSLO\t0301\tOSLO\tF\n";
        assert_eq!(parse_register(good).unwrap().len(), 2);
        for (text, line) in [
            ("0001\tOSLO\t0301\tOSLO\n", 1),
            ("0001\tOSLO\t0301\tOSLO\tP\n001\tOSLO\t0301\tOSLO\tP\n", 2),
            ("0010\tOSLO\t0301\tOSLO\tP\n0001\tOSLO\t0301\tOSLO\tP\n", 2),
            ("0001\tOSLO\t0301\tOSLO\tX\n", 1),
            ("0001\t \t0301\tOSLO\tP\n", 1),
        ] {
            assert_eq!(parse_register(text).unwrap_err().line, line, "{text:?}");
        }
    }
}
