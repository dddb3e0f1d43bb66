//! Fuzzes the JSON requests the public calculators accept (bostøtte and startlån) and the economy
//! of a startlån or grant case (`PUT /api/v1/cases/{id}/finance`): any bytes either fail to parse,
//! fail validation with named fields, or give a result; nothing panics.
//!
//! Run with `cargo +nightly fuzz run calculator_requests` from `fuzz/`.

#![no_main]

use husly_domain::bostotte::{BostotteRules, EstimateRequest};
use husly_domain::finance::CaseFinance;
use husly_domain::startlan::{AffordabilityInput, StartlanRules, assess};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(request) = serde_json::from_slice::<EstimateRequest>(data) {
        match request.estimate(BostotteRules::embedded()) {
            Ok(estimate) => assert!(estimate.monthly_kr >= 0),
            Err(errors) => assert!(errors.iter().all(|e| !e.field.is_empty())),
        }
    }
    if let Ok(input) = serde_json::from_slice::<AffordabilityInput>(data) {
        let _ = assess(&input, StartlanRules::embedded());
    }
    if let Ok(finance) = serde_json::from_slice::<CaseFinance>(data) {
        match finance.validate(StartlanRules::embedded()) {
            Ok(()) => assert!(finance.applied_ore() >= 0),
            Err(errors) => assert!(errors.iter().all(|e| !e.field.is_empty())),
        }
    }
});
