//! Fuzzes the allocation's outside inputs: a priority policy's text as a leader types it (through
//! the header the form writes into it), a published draw as anyone posts it to
//! `POST /api/v1/draws/verify`, and an offer's answer as an applicant sends it. Each must give a
//! result or a clear error, never a panic; a policy that parses has a stable fingerprint and
//! parses again from its own text. Run with `RUSTC_BOOTSTRAP=1 cargo fuzz run -O
//! allocation_inputs` from the `fuzz` directory.
#![no_main]

use husly_domain::allocation::draw::{PublishedDraw, verify};
use husly_domain::allocation::policy::PriorityPolicy;
use husly_domain::allocation::policy::version::with_header;
use husly_usecases::offers::parse_answer;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((which, rest)) = data.split_first() else { return };
    let text = String::from_utf8_lossy(rest);
    match which % 3 {
        0 => {
            let framed = with_header(&text, "fuzz-1", "3301", time::macros::date!(2027 - 01 - 01));
            for candidate in [text.as_ref(), framed.as_str()] {
                if let Ok(policy) = PriorityPolicy::parse(candidate) {
                    assert_eq!(policy.fingerprint().len(), 64);
                    let again = PriorityPolicy::parse(candidate).expect("the same text parses again");
                    assert_eq!(again.fingerprint(), policy.fingerprint());
                }
            }
        }
        1 => {
            if let Ok(published) = serde_json::from_slice::<PublishedDraw>(rest) {
                let _ = verify(&published);
            }
        }
        _ => {
            let mut parts = text.splitn(3, '\n');
            let (answer, reason, note) = (
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
                parts.next().unwrap_or_default(),
            );
            if let Err(errors) = parse_answer(answer, reason, note) {
                assert!(!errors.is_empty());
            }
        }
    }
});
