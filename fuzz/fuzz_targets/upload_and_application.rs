//! Fuzzes what applicants send: uploaded files (type by content, cleaned names) and application
//! forms as JSON (parsing and checking never panic).
//!
//! Run with `cargo +nightly fuzz run upload_and_application` from `fuzz/`.

#![no_main]

use husly_domain::cases::ApplicationForm;
use husly_domain::documents::{check_upload, clean_name, detect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(kind) = detect(data) {
        let name = clean_name(&String::from_utf8_lossy(data), kind);
        assert!(!name.contains('/') && !name.contains('\\'));
    }
    let _ = check_upload("file", data, 1024);
    if let Ok(form) = serde_json::from_slice::<ApplicationForm>(data) {
        let today = time::macros::date!(2026 - 11 - 26);
        let _ = form.check(6, today);
        let _ = form.missing_for_submission(6);
    }
});
