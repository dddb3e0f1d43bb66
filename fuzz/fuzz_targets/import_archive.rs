//! Fuzzes the import archive reader: any bytes must give `Ok` or a clear `Err`, never a panic.
//! Run with `cargo +nightly fuzz run import_archive` from the `fuzz` directory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = husly_store::export::check_archive(data);
});
