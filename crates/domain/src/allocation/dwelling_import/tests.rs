use super::*;
use crate::allocation::dwelling::{DwellingType, OwnershipForm};
use proptest::prelude::*;

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn norwegian_header() -> Vec<String> {
    strings(&[
        "BoligID",
        "Adresse",
        "Postnummer",
        "Bydel",
        "Boligtype",
        "Eierform",
        "Soverom",
        "Areal",
        "Heis",
        "Dyr tillatt",
        "Husleie",
    ])
}

fn good_row(id: &str, address: &str) -> Vec<String> {
    strings(&[
        id,
        address,
        "3044",
        "Bragernes",
        "ordinær",
        "kommunal",
        "2",
        "61",
        "ja",
        "nei",
        "9 850",
    ])
}

fn check(header: &[String], rows: &[(usize, Vec<String>)]) -> Result<Vec<(usize, ValidDwelling)>, ImportErrors> {
    check_dwelling_rows(header, rows, PostalRegister::embedded())
}

fn paths(errors: &ImportErrors) -> Vec<(Option<usize>, String, &'static str)> {
    errors
        .errors
        .iter()
        .map(|e| (e.row, e.error.field.clone(), e.error.code))
        .collect()
}

#[test]
fn norwegian_headings_fill_the_fields_and_rows_keep_their_spreadsheet_numbers() {
    let rows = vec![
        (2, good_row("D-1", "Tollbugata 12")),
        (4, good_row("D-2", "Strømsgata 3")),
    ];
    let dwellings = check(&norwegian_header(), &rows).unwrap();
    assert_eq!(dwellings.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 4]);
    let (_, first) = &dwellings[0];
    assert_eq!(first.external_id.as_deref(), Some("D-1"));
    assert_eq!(first.postal_city, "Drammen");
    assert_eq!(first.district.as_deref(), Some("Bragernes"));
    assert_eq!(first.dwelling_type, DwellingType::OrdinaryRental);
    assert_eq!(first.ownership, OwnershipForm::Municipal);
    assert_eq!((first.bedrooms, first.area_m2, first.lift), (2, Some(61), true));
    assert_eq!(first.monthly_rent_ore, 985_000);
    assert_eq!(dwellings[1].1.address_line, "Strømsgata 3");
}

#[test]
fn kobo_names_and_field_names_are_read_whatever_their_case_and_spacing() {
    let header = strings(&[
        "fdvuBoligId",
        "adresse",
        "postal_code",
        "boligtype",
        "disposisjonsform",
        "antallSoverom",
        "bruksareal",
        "etasjenummer",
        "erTilgjengeligForRullestolbruker",
        "leiekostnad",
        "bruksenhetsnummer",
    ]);
    let row = strings(&[
        "F-9",
        "Tollbugata 12",
        "3044",
        "omsorgsbolig",
        "innleid",
        "1",
        "40",
        "3",
        "ja",
        "7200",
        "H0301",
    ]);
    let dwellings = check(&header, &[(2, row)]).unwrap();
    let d = &dwellings[0].1;
    assert_eq!(d.external_id.as_deref(), Some("F-9"));
    assert_eq!(d.dwelling_type, DwellingType::CareDwelling);
    assert_eq!(d.ownership, OwnershipForm::LeasedIn);
    assert_eq!((d.bedrooms, d.area_m2, d.floor), (1, Some(40), Some(3)));
    assert!(d.wheelchair_accessible);
    assert_eq!(d.unit_number.as_deref(), Some("H0301"));
    assert_eq!(d.monthly_rent_ore, 720_000);

    for (heading, field) in [
        ("  DYR  TILLATT ", "pets_allowed"),
        ("Måneds-leie", "monthly_rent_kr"),
        ("Address Line", "address_line"),
        ("BRA", "area_m2"),
        ("Område", "district"),
        ("wheelchair_accessible", "wheelchair_accessible"),
    ] {
        assert_eq!(field_for_heading(heading), Some(field), "{heading}");
    }
    assert_eq!(field_for_heading("Heiss"), None);
}

#[test]
fn a_bad_row_names_its_row_and_field_and_nothing_is_returned() {
    let mut bad = good_row("D-2", "Strømsgata 3");
    bad[6] = "to".into(); // Soverom
    let rows = vec![
        (2, good_row("D-1", "Tollbugata 12")),
        (3, bad),
        (4, good_row("D-3", "Bybrua 1")),
    ];
    let errors = check(&norwegian_header(), &rows).unwrap_err();
    assert_eq!(
        paths(&errors),
        [(Some(3), "rows[3].bedrooms".to_string(), "not_a_whole_number")]
    );
    assert_eq!(errors.errors[0].column.as_deref(), Some("Soverom"));
    assert_eq!(errors.total, 1);
}

#[test]
fn an_unknown_dwelling_type_is_refused() {
    let mut row = good_row("D-1", "Tollbugata 12");
    row[4] = "hytte".into();
    let errors = check(&norwegian_header(), &[(2, row)]).unwrap_err();
    assert_eq!(
        paths(&errors),
        [(Some(2), "rows[2].dwelling_type".to_string(), "unknown_value")]
    );
    assert_eq!(errors.errors[0].column.as_deref(), Some("Boligtype"));
}

#[test]
fn every_row_is_checked_not_only_the_first_bad_one() {
    let mut rows = Vec::new();
    for number in 2..12 {
        let mut row = good_row(&format!("D-{number}"), "Tollbugata 12");
        if number % 2 == 0 {
            row[2] = "9999".into();
        }
        rows.push((number, row));
    }
    let errors = check(&norwegian_header(), &rows).unwrap_err();
    let rows_with_errors: Vec<_> = errors.errors.iter().filter_map(|e| e.row).collect();
    assert_eq!(rows_with_errors, [2, 4, 6, 8, 10]);
    assert!(errors.errors.iter().all(|e| e.error.field.ends_with(".postal_code")));
}

#[test]
fn a_missing_required_column_is_named() {
    let header = strings(&["Adresse", "Postnummer", "Boligtype", "Eierform", "Husleie"]);
    let row = strings(&["Tollbugata 12", "3044", "ordinær", "kommunal", "9000"]);
    let errors = check(&header, &[(2, row)]).unwrap_err();
    assert_eq!(paths(&errors), [(None, "columns".to_string(), "missing_column")]);
    let message = &errors.errors[0].error.message;
    assert!(
        message
            .args
            .iter()
            .any(|(name, arg)| *name == "heading" && *arg == crate::message::Arg::Text("Soverom".into()))
    );
}

#[test]
fn an_unknown_column_is_refused_rather_than_dropped() {
    let mut header = norwegian_header();
    header.push("Balkong".into());
    let mut row = good_row("D-1", "Tollbugata 12");
    row.push("ja".into());
    let errors = check(&header, &[(2, row)]).unwrap_err();
    assert_eq!(paths(&errors), [(None, "columns[L]".to_string(), "unknown_column")]);
    assert_eq!(errors.errors[0].column.as_deref(), Some("Balkong"));
}

#[test]
fn two_columns_for_one_field_are_refused() {
    let mut header = norwegian_header();
    header.push("BRA".into());
    let mut row = good_row("D-1", "Tollbugata 12");
    row.push("61".into());
    let errors = check(&header, &[(2, row)]).unwrap_err();
    assert_eq!(paths(&errors), [(None, "columns[L]".to_string(), "duplicate_column")]);
}

#[test]
fn an_unnamed_column_is_ignored_when_empty_and_refused_when_it_holds_values() {
    let mut header = norwegian_header();
    header.push(String::new());
    let mut row = good_row("D-1", "Tollbugata 12");
    row.push(String::new());
    assert!(check(&header, &[(2, row.clone())]).is_ok());
    row[11] = "x".into();
    let errors = check(&header, &[(2, row)]).unwrap_err();
    assert_eq!(
        paths(&errors),
        [(None, "columns[L]".to_string(), "column_without_name")]
    );
}

#[test]
fn a_repeated_external_id_names_both_rows() {
    let rows = vec![
        (2, good_row("D-1", "Tollbugata 12")),
        (3, good_row("D-2", "Bybrua 1")),
        (7, good_row(" D-1 ", "Strømsgata 3")),
    ];
    let errors = check(&norwegian_header(), &rows).unwrap_err();
    assert_eq!(
        paths(&errors),
        [(Some(7), "rows[7].external_id".to_string(), "duplicate_in_file")]
    );
    let args = &errors.errors[0].error.message.args;
    assert!(args.contains(&("first_row", crate::message::Arg::Text("2".into()))));
}

#[test]
fn a_control_character_in_a_cell_is_refused_naming_the_field() {
    let mut row = good_row("D-1", "Tollbugata 12");
    row[3] = "Brage\0rnes".into();
    let errors = check(&norwegian_header(), &[(2, row)]).unwrap_err();
    assert_eq!(
        paths(&errors),
        [(Some(2), "rows[2].district".to_string(), "control_character")]
    );
    assert_eq!(errors.errors[0].column.as_deref(), Some("Bydel"));
}

#[test]
fn errors_are_capped_but_counted() {
    let rows: Vec<_> = (2..502)
        .map(|n| (n, strings(&["", "", "", "", "", "", "", "", "", "", ""])))
        .collect();
    let errors = check(&norwegian_header(), &rows).unwrap_err();
    assert_eq!(errors.errors.len(), MAX_REPORTED_ERRORS);
    // Each empty row lacks address, postal code, type, ownership, bedrooms and rent.
    assert_eq!(errors.total, 500 * 6);
    assert_eq!(errors.not_shown(), 500 * 6 - MAX_REPORTED_ERRORS);
}

#[test]
fn column_letters_follow_the_spreadsheet() {
    assert_eq!(column_letter(0), "A");
    assert_eq!(column_letter(25), "Z");
    assert_eq!(column_letter(26), "AA");
    assert_eq!(column_letter(27), "AB");
    assert_eq!(column_letter(701), "ZZ");
    assert_eq!(column_letter(702), "AAA");
}

#[test]
fn every_field_has_a_norwegian_heading_that_maps_back_to_it() {
    for (field, _) in COLUMNS {
        assert_eq!(field_for_heading(norwegian_heading(field)), Some(*field));
        assert_eq!(field_for_heading(field), Some(*field));
        assert!(slot(&mut DwellingInput::default(), field).is_some());
    }
}

proptest! {
    /// Whatever the cells hold, the check answers without panicking, and every row-level error
    /// names a row of the input under its own path.
    #[test]
    fn any_cells_are_checked_without_panic(
        cells in prop::collection::vec(prop::collection::vec("(.|[0-9 ]|ja|ordinær|kommunal|3044){0,4}", 0..14), 0..6),
    ) {
        let rows: Vec<_> = cells.into_iter().enumerate().map(|(i, row)| (i + 2, row)).collect();
        match check(&norwegian_header(), &rows) {
            Ok(dwellings) => {
                prop_assert_eq!(dwellings.len(), rows.len());
                for (_, d) in &dwellings {
                    prop_assert!(!crate::validation::has_forbidden_control(&d.address_line));
                }
            }
            Err(errors) => {
                prop_assert!(errors.total >= errors.errors.len());
                for error in &errors.errors {
                    let row = error.row.expect("the header is good, so every error is a row's");
                    prop_assert!(rows.iter().any(|(n, _)| *n == row));
                    let prefix = format!("rows[{row}].");
                    prop_assert!(error.error.field.starts_with(&prefix));
                }
            }
        }
    }
}
