//! Fuzzes the work queue's places (`after=` and `before=` in the queue's links and the API):
//! whatever a link holds, reading it never panics, and a place read back is one the store writes
//! the same way again (its key a date for the date orders, its id a UUID).
//!
//! Run with `cargo +nightly fuzz run queue_place` from `fuzz/`.

#![no_main]

use husly_store::cases::{QueueCursor, QueueSort};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    for code in QueueSort::CODES {
        let sort = QueueSort::from_code(code).expect("a listed order");
        if let Some(place) = QueueCursor::parse(&input, sort) {
            let text = place.text();
            assert_eq!(QueueCursor::parse(&text, sort).as_ref(), Some(&place), "{text:?}");
            assert!(!text.chars().any(char::is_control), "{text:?}");
        }
    }
});
