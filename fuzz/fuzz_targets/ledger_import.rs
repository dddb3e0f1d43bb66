//! Fuzzes the rent ledger import: any bytes, read as CSV or as an XLSX workbook, then the ledger
//! row checks against a few known tenancies, must give the rows or the errors, never a panic.
//! Every row accepted names a known tenancy and a month that has begun and is not before the
//! contract, with amounts of 0 or more within the limit, and no tenancy and month twice; the
//! amount, month and reference readers answer for any cell. Run with
//! `RUSTC_BOOTSTRAP=1 cargo fuzz run -O ledger_import` from the `fuzz` directory.
#![no_main]

use std::collections::{HashMap, HashSet};

use husly_domain::allocation::dwelling_import::MAX_REPORTED_ERRORS;
use husly_domain::rules::YearMonth;
use husly_domain::tenancy::ledger::{
    KnownTenancy, MAX_MONTH_AMOUNT_KR, check_ledger_rows, normalise_reference, parse_ore, parse_period, reference,
};
use husly_usecases::tabular::read_table;
use libfuzzer_sys::fuzz_target;
use time::macros::date;

fuzz_target!(|data: &[u8]| {
    // The first byte picks the name the upload claims, so both readers see every input.
    let (name, bytes) = match data.split_first() {
        Some((b, rest)) if b % 2 == 0 => ("reskontro.xlsx", rest),
        Some((_, rest)) => ("reskontro.csv", rest),
        None => ("reskontro.csv", data),
    };
    // The cell readers alone, on the text as it is.
    let text = String::from_utf8_lossy(bytes);
    let _ = parse_ore(&text);
    let _ = parse_period(&text);
    let _ = normalise_reference(&text);

    let Ok(table) = read_table(name, bytes) else { return };
    let known: HashMap<String, KnownTenancy> = [
        (1, date!(2024 - 01 - 15)),
        (2, date!(2026 - 02 - 01)),
        (123, date!(2020 - 06 - 01)),
    ]
    .into_iter()
    .map(|(n, start)| {
        (
            reference(n),
            KnownTenancy {
                id: format!("t-{n}"),
                reference: reference(n),
                start,
            },
        )
    })
    .collect();
    let this_month = YearMonth::new(2026, 3).expect("a month");
    match check_ledger_rows(&table.header, &table.rows, &known, this_month) {
        Ok(rows) => {
            assert_eq!(rows.len(), table.rows.len());
            let mut seen = HashSet::new();
            for row in rows {
                let tenancy = known
                    .values()
                    .find(|k| k.id == row.tenancy_id)
                    .expect("a known tenancy");
                assert!(row.period <= this_month && row.period >= YearMonth::of(tenancy.start));
                assert!((0..=MAX_MONTH_AMOUNT_KR * 100).contains(&row.due_ore));
                assert!((0..=MAX_MONTH_AMOUNT_KR * 100).contains(&row.paid_ore));
                assert!(seen.insert((row.tenancy_id, row.period)), "a tenancy and month twice");
            }
        }
        Err(errors) => assert!(errors.errors.len() <= MAX_REPORTED_ERRORS && errors.total >= errors.errors.len()),
    }
});
