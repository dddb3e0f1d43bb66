//! Fuzzes the search box: whatever is typed, reading it never panics, and what it yields is
//! safe to hand to both text indexes (the words are plain letters and digits, the numbers digits,
//! a pair token or prefix two such runs joined by one `_`).
//!
//! Run with `cargo +nightly fuzz run search_query` from `fuzz/`.

#![no_main]

use husly_domain::search::{MAX_WORDS, PAIR_JOIN, SearchQuery, pair_tokens, search_words};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    match SearchQuery::parse(&input) {
        None => {}
        Some(SearchQuery::NationalId(id)) => assert!(id.len() == 11 && id.bytes().all(|b| b.is_ascii_digit())),
        Some(SearchQuery::CaseReference(reference)) => {
            let (year, number) = reference.split_once('-').expect("year-number");
            assert!(year.len() == 4 && number.len() == 6);
            assert!(reference.bytes().all(|b| b.is_ascii_digit() || b == b'-'));
        }
        Some(SearchQuery::Words(words)) => {
            assert!(!words.is_empty() && words.len() <= MAX_WORDS);
            assert!(words.iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)));
            if let Some(prefix) = SearchQuery::pair_prefix(&words) {
                assert!(is_pair(&prefix), "{prefix:?}");
            }
        }
    }
    let words = search_words(&[&input]);
    for word in &words {
        assert!(!word.is_empty() && word.chars().all(char::is_alphanumeric));
    }
    assert!(pair_tokens(&words).iter().all(|token| is_pair(token)));
});

/// Two runs of letters and digits joined by one `PAIR_JOIN`.
fn is_pair(token: &str) -> bool {
    token.split_once(PAIR_JOIN).is_some_and(|(head, whole)| {
        [head, whole]
            .iter()
            .all(|part| !part.is_empty() && part.chars().all(char::is_alphanumeric))
    })
}
