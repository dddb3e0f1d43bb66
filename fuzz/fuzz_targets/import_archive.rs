//! Fuzzes the import archive reader: any bytes must give `Ok` or a clear `Err`, never a panic;
//! and an archive it accepts holds no control character in any text (NUL above all, which
//! PostgreSQL cannot store). Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run -O import_archive` from
//! the `fuzz` directory.
#![no_main]

use husly_domain::validation::has_forbidden_control;
use libfuzzer_sys::fuzz_target;

fn assert_clean(value: &serde_json::Value) {
    match value {
        serde_json::Value::String(text) => assert!(!has_forbidden_control(text), "accepted {text:?}"),
        serde_json::Value::Array(items) => items.iter().for_each(assert_clean),
        serde_json::Value::Object(map) => map.values().for_each(assert_clean),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    if husly_store::export::check_archive(data).is_ok() {
        for line in String::from_utf8_lossy(data).lines().skip(1) {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(line) {
                assert_clean(&value);
            }
        }
    }
});
