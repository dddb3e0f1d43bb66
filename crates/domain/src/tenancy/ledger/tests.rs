use super::*;
use crate::message::Arg;
use proptest::prelude::*;
use time::macros::date;

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn header() -> Vec<String> {
    strings(&["Leieforhold", "Leietaker", "Periode", "Forfalt", "Innbetalt"])
}

fn known() -> HashMap<String, KnownTenancy> {
    [("t-1", 1, date!(2025 - 08 - 15)), ("t-2", 42, date!(2026 - 01 - 01))]
        .into_iter()
        .map(|(id, n, start)| {
            (
                reference(n),
                KnownTenancy {
                    id: id.into(),
                    reference: reference(n),
                    start,
                },
            )
        })
        .collect()
}

fn march() -> YearMonth {
    YearMonth::new(2026, 3).unwrap()
}

fn check(rows: &[(usize, Vec<String>)]) -> Result<Vec<LedgerRow>, ImportErrors> {
    check_ledger_rows(&header(), rows, &known(), march())
}

fn codes(errors: &ImportErrors) -> Vec<(Option<usize>, String, &'static str)> {
    errors
        .errors
        .iter()
        .map(|e| (e.row, e.error.field.clone(), e.error.code))
        .collect()
}

#[test]
fn amounts_are_read_as_accounting_exports_and_norwegians_write_them() {
    for (text, ore) in [
        ("8100", 810_000),
        ("8 100", 810_000),
        ("8\u{a0}100,50", 810_050),
        ("8\u{202f}100,5", 810_050),
        ("8100.50", 810_050),
        ("8.100,50", 810_050),
        ("8,100.50", 810_050),
        ("1.234.567,89", 123_456_789),
        ("1,234,567", 123_456_700),
        ("8.100", 810_000),
        ("1.23", 123),
        ("kr 8 100,-", 810_000),
        ("8 100 kr", 810_000),
        ("NOK 8100", 810_000),
        ("-", 0),
        ("–", 0),
        ("0", 0),
        ("0,00", 0),
        ("-250", -25_000),
        ("−250,75", -25_075),
        ("(250)", -25_000),
    ] {
        assert_eq!(parse_ore(text), Some(ore), "{text}");
    }
    for bad in [
        "",
        "kr",
        "8,100",
        "8.10.0",
        "12,345,67",
        "8100,",
        "8100.",
        ",50",
        "8 100,505",
        "åtte",
        "8e3",
        "1 2 3,4,5",
        "99999999999999999999",
    ] {
        assert_eq!(parse_ore(bad), None, "{bad}");
    }
}

#[test]
fn months_are_read_in_the_forms_exports_use() {
    let march = Some(march());
    for text in [
        "2026-03",
        "03.2026",
        "3.2026",
        "202603",
        "2026-03-01",
        "15.03.2026",
        "mars 2026",
        "Mars 2026",
        "mar. 2026",
        "mar 2026",
        "March 2026",
        "mars-2026",
        " 2026-03 ",
    ] {
        assert_eq!(parse_period(text), march, "{text}");
    }
    assert_eq!(parse_period("mai 2026"), YearMonth::new(2026, 5));
    assert_eq!(parse_period("des. 2025"), YearMonth::new(2025, 12));
    assert_eq!(parse_period("okt 2025"), YearMonth::new(2025, 10));
    for bad in [
        "",
        "2026",
        "13.2026",
        "202613",
        "ma 2026",
        "mars 26",
        "mars",
        "2026-3",
        "marsj 2026",
        "1.2.3",
    ] {
        assert_eq!(parse_period(bad), None, "{bad}");
    }
}

#[test]
fn references_are_read_with_or_without_their_prefix_and_zeros() {
    for text in [
        "L-000123",
        "l-000123",
        "L000123",
        "L-123",
        "123",
        "000123",
        " L - 000 123 ",
    ] {
        assert_eq!(normalise_reference(text), "L-000123", "{text}");
    }
    assert_eq!(normalise_reference("L-1234567"), "L-1234567");
    assert_eq!(normalise_reference("kontrakt 9"), "KONTRAKT9");
    assert_eq!(reference(7), "L-000007");
}

#[test]
fn good_rows_name_their_tenancy_month_and_amounts() {
    let rows = vec![
        (
            2,
            strings(&["L-000001", "Kari Nordmann", "2026-02", "8 100,00", "8 100,00"]),
        ),
        (3, strings(&["1", "", "03.2026", "8 100", ""])),
        (5, strings(&["L-000042", "Per", "mars 2026", "9 400,50", "-"])),
    ];
    let good = check(&rows).unwrap();
    assert_eq!(
        good,
        vec![
            LedgerRow {
                row: 2,
                tenancy_id: "t-1".into(),
                period: YearMonth::new(2026, 2).unwrap(),
                due_ore: 810_000,
                paid_ore: 810_000,
            },
            LedgerRow {
                row: 3,
                tenancy_id: "t-1".into(),
                period: march(),
                due_ore: 810_000,
                paid_ore: 0,
            },
            LedgerRow {
                row: 5,
                tenancy_id: "t-2".into(),
                period: march(),
                due_ore: 940_050,
                paid_ore: 0,
            },
        ]
    );
    let summary = LedgerSummary::of(&good);
    assert_eq!((summary.rows, summary.months, summary.tenancies), (3, 2, 2));
    assert_eq!(summary.first_month, YearMonth::new(2026, 2));
    assert_eq!(summary.last_month, Some(march()));
}

#[test]
fn every_bad_row_is_reported_naming_its_row_column_and_the_reference() {
    let rows = vec![
        (2, strings(&["L-000001", "", "2026-02", "8 100", "8 100"])),
        // Unknown reference: named in the message.
        (3, strings(&["L-009999", "", "2026-02", "8 100", "0"])),
        // The same tenancy and month again.
        (4, strings(&["1", "", "02.2026", "8 100", "0"])),
        // Negative due, a paid amount that is not one.
        (5, strings(&["L-000042", "", "2026-03", "-8 100", "åtte"])),
        // A month that has not begun; a month before the contract.
        (6, strings(&["L-000042", "", "2026-04", "8 100", "0"])),
        (7, strings(&["L-000042", "", "2025-12", "8 100", "0"])),
        // Blanks where something is required; a month that is not one.
        (8, strings(&["", "", "", "", ""])),
        (9, strings(&["L-000001", "", "Q1 2026", "8 100", "0"])),
    ];
    let errors = check(&rows).unwrap_err();
    assert_eq!(
        codes(&errors),
        vec![
            (Some(3), "rows[3].reference".into(), "unknown_tenancy"),
            (Some(4), "rows[4].period".into(), "duplicate_month"),
            (Some(5), "rows[5].due_kr".into(), "negative_amount"),
            (Some(5), "rows[5].paid_kr".into(), "not_an_amount"),
            (Some(6), "rows[6].period".into(), "future_month"),
            (Some(7), "rows[7].period".into(), "before_start"),
            (Some(8), "rows[8].reference".into(), "required"),
            (Some(8), "rows[8].period".into(), "required"),
            (Some(8), "rows[8].due_kr".into(), "required"),
            (Some(9), "rows[9].period".into(), "not_a_month"),
        ]
    );
    let unknown = &errors.errors[0];
    assert_eq!(unknown.column.as_deref(), Some("Leieforhold"));
    assert!(
        unknown
            .error
            .message
            .args
            .iter()
            .any(|(name, value)| *name == "value" && *value == Arg::Text("L-009999".into())),
        "{:?}",
        unknown.error.message
    );
    let duplicate = &errors.errors[1];
    assert!(
        duplicate
            .error
            .message
            .args
            .iter()
            .any(|(name, value)| *name == "first_row" && *value == Arg::Text("2".into())),
        "{:?}",
        duplicate.error.message
    );
    assert_eq!(errors.total, 10);
}

#[test]
fn header_problems_come_alone() {
    let header = strings(&["Leieforhold", "Periode", "Forfalt", "Saldo"]);
    let rows = vec![(2, strings(&["L-000001", "2026-02", "8 100", "0"]))];
    let errors = check_ledger_rows(&header, &rows, &known(), march()).unwrap_err();
    assert_eq!(
        codes(&errors),
        vec![
            (None, "columns[D]".into(), "unknown_column"),
            (None, "columns".into(), "missing_column"),
        ]
    );
    assert_eq!(field_for_heading("Kontraktsnummer"), Some("reference"));
    assert_eq!(field_for_heading("Måned"), Some("period"));
    assert_eq!(field_for_heading("skyldig"), Some("due_kr"));
    assert_eq!(field_for_heading("Betalt"), Some("paid_kr"));
    assert_eq!(field_for_heading("paid_kr"), Some("paid_kr"));
}

#[test]
fn a_control_character_is_the_error_not_a_missing_value() {
    let rows = vec![(2, strings(&["L-000001\u{0}", "", "2026-02", "8 100", "0"]))];
    let errors = check(&rows).unwrap_err();
    assert_eq!(
        codes(&errors),
        vec![(Some(2), "rows[2].reference".into(), "control_character")]
    );
}

#[test]
fn only_the_first_errors_are_kept_and_all_are_counted() {
    let rows: Vec<(usize, Vec<String>)> = (2..=402)
        .map(|n| (n, strings(&["L-777777", "", "2026-02", "1", "0"])))
        .collect();
    let errors = check(&rows).unwrap_err();
    assert_eq!(
        errors.errors.len(),
        crate::allocation::dwelling_import::MAX_REPORTED_ERRORS
    );
    assert_eq!(errors.total, 401);
    assert_eq!(errors.not_shown(), 201);
}

proptest! {
    /// Whole kroner and øre written in any of the usual ways read back exactly.
    #[test]
    fn written_amounts_read_back(kr in 0i64..10_000_000, ore in 0i64..100, style in 0usize..4) {
        let grouped = |separator: &str| {
            let digits = kr.to_string();
            let mut out = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push_str(separator);
                }
                out.push(c);
            }
            out
        };
        let text = match style {
            0 => format!("{},{ore:02}", grouped("\u{a0}")),
            1 => format!("{kr}.{ore:02}"),
            2 => format!("{},{ore:02}", grouped(".")),
            _ => format!("{}.{ore:02}", grouped(",")),
        };
        prop_assert_eq!(parse_ore(&text), Some(kr * 100 + ore), "{}", text);
    }

    /// Any text either reads as an amount or is refused; nothing panics.
    #[test]
    fn any_text_reads_or_is_refused(text in "\\PC{0,24}") {
        let _ = parse_ore(&text);
        let _ = parse_period(&text);
        let _ = normalise_reference(&text);
    }
}
