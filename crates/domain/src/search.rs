//! What a search box query means, and the words a name or an address is found by.
//!
//! Both backends index the same words, made here: lowercase, split at anything that is not a
//! letter or a digit. A query word matches a word that starts with it. Norwegian letters are
//! letters of their own (`ø` does not match `o`), as in the alphabet.

/// Words beyond this are ignored; four words find anyone.
pub const MAX_WORDS: usize = 4;

/// The longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 200;

/// How many characters of its first word a pair token keeps (see [`pair_tokens`]).
pub const PAIR_PREFIX_CHARS: usize = 3;

/// What joins a pair token's two parts: not a letter or a digit, so never part of a word.
pub const PAIR_JOIN: char = '_';

/// The words `parts` are found by: lowercase, split at every character that is not a letter or
/// a digit (space, hyphen, apostrophe, full stop, comma), sorted, without repeats.
pub fn search_words(parts: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = parts.iter().flat_map(|part| split_words(part)).collect();
    words.sort();
    words.dedup();
    words
}

/// The pair tokens of a row's words (as [`search_words`] made them): for every two different
/// words, the first [`PAIR_PREFIX_CHARS`] characters of one, [`PAIR_JOIN`], and the other whole.
/// A query of two words is found through them at once, in an index entry as narrow as both
/// words together, instead of by intersecting everyone with a word starting with the one and
/// everyone with a word starting with the other (thousands each for a common given name); see
/// [`SearchQuery::pair_prefix`].
pub fn pair_tokens(words: &[String]) -> Vec<String> {
    let mut tokens = Vec::with_capacity(words.len() * words.len().saturating_sub(1));
    for (i, first) in words.iter().enumerate() {
        let head: String = first.chars().take(PAIR_PREFIX_CHARS).collect();
        for (j, second) in words.iter().enumerate() {
            if i != j {
                tokens.push(format!("{head}{PAIR_JOIN}{second}"));
            }
        }
    }
    tokens.sort();
    tokens.dedup();
    tokens
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

    /// The start of the pair tokens ([`pair_tokens`]) that every row matching `words` has: the
    /// longest word kept whole, after the first [`PAIR_PREFIX_CHARS`] characters of the longest
    /// other word that has as many. A row whose pair tokens start with it is only a candidate
    /// (the shortened word may go on differently); the words themselves decide.
    ///
    /// `None` when the words cannot be told apart as two different words of a row: fewer than
    /// two, or one the start of another (both may be the start of one and the same word), or no
    /// word of the length the shortened one needs.
    pub fn pair_prefix(words: &[String]) -> Option<String> {
        // Longest first; of two as long, the one typed later (a family name, more often).
        let mut by_length: Vec<&String> = words.iter().rev().collect();
        by_length.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        let related = words.iter().enumerate().any(|(i, a)| {
            words
                .iter()
                .skip(i + 1)
                .any(|b| a.starts_with(b.as_str()) || b.starts_with(a.as_str()))
        });
        if words.len() < 2 || related {
            return None;
        }
        let long_enough = |w: &str| w.chars().count() >= PAIR_PREFIX_CHARS;
        // The longest word whole, the next that can be shortened in front of it; failing that,
        // the longest shortened in front of the next.
        let (head, whole) = match by_length[1..].iter().find(|w| long_enough(w)) {
            Some(head) => (*head, by_length[0]),
            None if long_enough(by_length[0]) => (by_length[0], by_length[1]),
            None => return None,
        };
        let head: String = head.chars().take(PAIR_PREFIX_CHARS).collect();
        Some(format!("{head}{PAIR_JOIN}{whole}"))
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

    fn owned(list: &[&str]) -> Vec<String> {
        list.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn a_row_has_a_pair_token_for_every_two_of_its_words() {
        assert_eq!(pair_tokens(&owned(&["blomberg", "kari"])), ["blo_kari", "kar_blomberg"]);
        assert_eq!(
            pair_tokens(&owned(&["12", "storgata", "ål"])),
            ["12_storgata", "12_ål", "sto_12", "sto_ål", "ål_12", "ål_storgata"]
        );
        // Characters, not bytes: ø and å are letters of one character each.
        assert_eq!(pair_tokens(&owned(&["øyvind", "ås"])), ["ås_øyvind", "øyv_ås"]);
        assert!(pair_tokens(&owned(&["kari"])).is_empty());
    }

    #[test]
    fn a_query_of_two_unrelated_words_has_a_pair_prefix() {
        let cases: &[(&[&str], Option<&str>)] = &[
            // The longest word whole, the other shortened in front of it; of two as long, the
            // one typed last whole.
            (&["kari", "blom"], Some("kar_blom")),
            (&["blom", "kari"], Some("blo_kari")),
            (&["ola", "fjellheim"], Some("ola_fjellheim")),
            (&["fjellheim", "ola"], Some("ola_fjellheim")),
            // A short word cannot be shortened: the long one is, in front of the short one.
            (&["jo", "hansen"], Some("han_jo")),
            (&["per", "h"], Some("per_h")),
            // Three words: the two longest that can be told apart.
            (&["kari", "anne", "østby"], Some("ann_østby")),
            // One word, two short ones, or one word the start of the other: no pair.
            (&["kari"], None),
            (&["jo", "ås"], None),
            (&["kari", "karianne"], None),
            (&["anne", "an"], None),
        ];
        for (query, expected) in cases {
            assert_eq!(
                SearchQuery::pair_prefix(&owned(query)).as_deref(),
                *expected,
                "{query:?}"
            );
        }
    }

    proptest! {
        /// Whatever row a query's words match, one of its pair tokens starts with the query's
        /// pair prefix: the pair index never loses a row the words would find.
        #[test]
        fn the_pair_prefix_finds_every_row_the_words_match(
            name in "[a-zæøå]{1,8}( [a-zæøå0-9]{1,8}){1,3}",
            picks in proptest::collection::vec((0usize..4, 1usize..9), 2..4),
        ) {
            let row = search_words(&[&name]);
            let query: Vec<String> = picks
                .iter()
                .map(|(word, len)| row[word % row.len()].chars().take(*len).collect::<String>())
                .fold(Vec::new(), |mut query, word| {
                    if !query.contains(&word) {
                        query.push(word);
                    }
                    query
                });
            if let Some(prefix) = SearchQuery::pair_prefix(&query) {
                let tokens = pair_tokens(&row);
                prop_assert!(
                    tokens.iter().any(|t| t.starts_with(&prefix)),
                    "{query:?} matches {row:?}, but no pair token of {tokens:?} starts with {prefix:?}"
                );
            }
        }

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
