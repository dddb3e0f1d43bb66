//! Fuzzes form bodies as browsers post them: decoding (invalid UTF-8, control characters) and
//! binding to typed structs with rows, repeated fields, numbers and choices never panic, and a
//! refused field is named.
//!
//! Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run -O form_bodies` from `fuzz/`.

#![no_main]

use husly_web::forms::FormFields;
use libfuzzer_sys::fuzz_target;
use serde::Deserialize;

#[derive(Deserialize)]
#[allow(dead_code)]
struct Row {
    #[serde(default)]
    national_id: String,
    #[serde(default)]
    age: Option<u32>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Choice {
    Approve,
    SendBack,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct Form {
    version: i64,
    #[serde(default)]
    decision: Option<Choice>,
    #[serde(default)]
    members: Vec<Row>,
    #[serde(default)]
    role: Vec<String>,
    #[serde(default, rename = "loans.bank.term_years")]
    term: String,
}

fuzz_target!(|data: &[u8]| {
    if let Ok(fields) = FormFields::parse(data) {
        let _ = fields.bind::<Form>();
        let _ = fields.bind::<husly_domain::household::HouseholdInput>();
    }
});
