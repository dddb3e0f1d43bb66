//! What a search box query means, and the words a name or an address is found by.
//!
//! Both backends index the same words, made here: lowercase, split at anything that is not a
//! letter or a digit. A query word matches a word that starts with it. Norwegian letters are
//! letters of their own (`ø` does not match `o`), as in the alphabet.

/// Words beyond this are ignored; four words find anyone.
pub const MAX_WORDS: usize = 4;

/// The longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// The words `parts` are found by: lowercase, split at every character that is not a letter or
/// a digit (space, hyphen, apostrophe, full stop, comma), sorted, without repeats.
pub fn search_words(parts: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = parts.iter().flat_map(|part| split_words(part)).collect();
    words.sort();
    words.dedup();
    words
}

fn split_words(text: &str) -> Vec<String> {
    // Lowercased first: a few capitals lowercase to more than one character.
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchQuery {
    /// Eleven digits (spaces, hyphens and full stops removed): an exact identity number.
    NationalId(String),
    /// A case reference, `2026-000123` (the number may be typed without its leading zeros).
    CaseReference(String),
    /// Lowercase words, each the start of a word of a name or of an address, in the order typed.
    Words(Vec<String>),
}

impl SearchQuery {
    /// `None` for a blank or overlong query, or one with no letter or digit in it.
    pub fn parse(text: &str) -> Option<SearchQuery> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > MAX_QUERY_CHARS {
            return None;
        }
        let only_digits_and_separators = text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.'));
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if only_digits_and_separators && digits.len() == 11 {
            return Some(SearchQuery::NationalId(digits));
        }
        if let Some(reference) = case_reference(text) {
            return Some(SearchQuery::CaseReference(reference));
        }
        let mut words: Vec<String> = Vec::new();
        for word in split_words(text) {
            if !words.contains(&word) && words.len() < MAX_WORDS {
                words.push(word);
            }
        }
        (!words.is_empty()).then_some(SearchQuery::Words(words))
    }
}

/// `2026-123` or `2026-000123` → `2026-000123`, the form every case reference is stored in.
fn case_reference(text: &str) -> Option<String> {
    let (year, number) = text.split_once('-')?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if year.len() != 4 || !all_digits(year) || !all_digits(number) || number.len() > 6 {
        return None;
    }
    let number: u32 = number.parse().ok()?;
    (number > 0).then(|| format!("{year}-{number:06}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn words(list: &[&str]) -> Option<SearchQuery> {
        Some(SearchQuery::Words(list.iter().map(|w| w.to_string()).collect()))
    }

    #[test]
    fn reads_what_was_typed() {
        let cases: &[(&str, Option<SearchQuery>)] = &[
            ("  ", None),
            ("010190 123-45", Some(SearchQuery::NationalId("01019012345".into()))),
            ("01.01.90.12345", Some(SearchQuery::NationalId("01019012345".into()))),
            // Ten digits are not an identity number; they are searched as a word.
            ("0101901234", words(&["0101901234"])),
            ("2026-000123", Some(SearchQuery::CaseReference("2026-000123".into()))),
            ("2026-123", Some(SearchQuery::CaseReference("2026-000123".into()))),
            ("2026-0", words(&["2026", "0"])),
            ("2026-12345678", words(&["2026", "12345678"])),
            ("Storgata 12B", words(&["storgata", "12b"])),
            ("Kari-Anne  ØSTBY", words(&["kari", "anne", "østby"])),
            ("o'neill, siobhán", words(&["o", "neill", "siobhán"])),
            ("ola ola", words(&["ola"])),
            ("a b c d e f", words(&["a", "b", "c", "d"])),
            ("--- ...", None),
        ];
        for (typed, expected) in cases {
            assert_eq!(&SearchQuery::parse(typed), expected, "{typed:?}");
        }
        assert_eq!(SearchQuery::parse(&"a".repeat(MAX_QUERY_CHARS + 1)), None);
    }

    #[test]
    fn names_and_addresses_split_into_words() {
        assert_eq!(
            search_words(&["Kari-Anne", "Østby Ås"]),
            ["anne", "kari", "ås", "østby"]
        );
        assert_eq!(
            search_words(&["Storgata 12 B", "3015", "Drammen"]),
            ["12", "3015", "b", "drammen", "storgata"]
        );
        assert!(search_words(&["", " - "]).is_empty());
    }

    proptest! {
        /// A word made by `search_words` is a plain run of letters and digits, so both backends'
        /// indexes (FTS5, tsvector) take it as one word, as it is.
        #[test]
        fn words_are_lowercase_letters_and_digits(text in "\\PC{0,40}") {
            for word in search_words(&[&text]) {
                prop_assert!(!word.is_empty());
                prop_assert!(word.chars().all(char::is_alphanumeric));
                prop_assert_eq!(word.to_lowercase(), word.clone());
            }
        }

        /// Every word of a query made from a name's words is itself such a word: a name is
        /// found by its own words typed back.
        #[test]
        fn a_name_is_found_by_its_own_words(given in "[A-Za-zæøåÆØÅ' -]{1,20}", family in "[A-Za-zæøåÆØÅ -]{1,20}") {
            let indexed = search_words(&[&given, &family]);
            if let Some(SearchQuery::Words(query)) = SearchQuery::parse(&format!("{given} {family}")) {
                for word in query {
                    prop_assert!(indexed.iter().any(|w| w.starts_with(&word)), "{word}");
                }
            }
        }
    }
}
