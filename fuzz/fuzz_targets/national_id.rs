//! Fuzzes the national identity number parser: it must never panic, whatever the input.
//!
//! Run with `cargo +nightly fuzz run national_id` from `fuzz/`.

#![no_main]

use husly_domain::national_id::{SyntheticPolicy, parse};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    for policy in [SyntheticPolicy::Allow, SyntheticPolicy::Reject] {
        if let Ok(parsed) = parse(&input, policy) {
            // A successful parse always yields 11 ASCII digits.
            assert_eq!(parsed.id.as_str().len(), 11);
            assert!(parsed.id.as_str().bytes().all(|b| b.is_ascii_digit()));
        }
    }
});
