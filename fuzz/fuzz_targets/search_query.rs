//! Fuzzes the search box: whatever is typed, reading it never panics, and what it yields is
//! safe to hand to both text indexes (the words are plain letters and digits, the numbers digits).
//!
//! Run with `cargo +nightly fuzz run search_query` from `fuzz/`.

#![no_main]

use husly_domain::search::{MAX_WORDS, SearchQuery, search_words};
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
        }
    }
    for word in search_words(&[&input]) {
        assert!(!word.is_empty() && word.chars().all(char::is_alphanumeric));
    }
});
