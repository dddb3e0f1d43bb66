//! Fuzzes the dwelling import: any bytes, read as CSV or as an XLSX workbook, must give a table
//! or a clear error, never a panic; a table read keeps its promises (rows as wide as the header,
//! row numbers rising, within the limits); and the row checks answer for any table, accepting no
//! dwelling with a control character in it. Run with
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run -O dwelling_import` from the `fuzz` directory.
#![no_main]

use husly_domain::allocation::dwelling_import::{MAX_REPORTED_ERRORS, check_dwelling_rows};
use husly_domain::postal::PostalRegister;
use husly_domain::validation::has_forbidden_control;
use husly_usecases::tabular::{MAX_COLUMNS, MAX_DATA_ROWS, read_table};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the name the upload claims, so both readers see every input.
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("boliger.xlsx", rest),
        Some((_, rest)) => ("boliger.csv", rest),
        None => ("boliger.csv", data),
    };
    let Ok(table) = read_table(name, bytes) else { return };
    assert!(!table.header.is_empty() && table.header.len() <= MAX_COLUMNS);
    assert!(table.rows.len() <= MAX_DATA_ROWS);
    let mut last = 0;
    for (number, row) in &table.rows {
        assert_eq!(row.len(), table.header.len());
        assert!(*number > last);
        last = *number;
    }
    match check_dwelling_rows(&table.header, &table.rows, PostalRegister::embedded()) {
        Ok(dwellings) => {
            assert_eq!(dwellings.len(), table.rows.len());
            for (_, d) in dwellings {
                assert!(!has_forbidden_control(&d.address_line));
                assert!(!d.district.as_deref().is_some_and(has_forbidden_control));
            }
        }
        Err(errors) => assert!(errors.errors.len() <= MAX_REPORTED_ERRORS && errors.total >= errors.errors.len()),
    }
});
