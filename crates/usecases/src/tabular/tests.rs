use super::*;
use husly_domain::allocation::dwelling::{DwellingType, OwnershipForm};
use husly_domain::allocation::dwelling_import::check_dwelling_rows;
use husly_domain::postal::PostalRegister;
use proptest::prelude::*;

fn cells(row: &[&str]) -> Vec<String> {
    row.iter().map(|c| c.to_string()).collect()
}

/// Windows-1252 as Norwegian Excel saves «CSV (semikolondelt)», with a UTF-8 BOM in front
/// replaced: here the bytes are 1252 only, æ = 0xE6, ø = 0xF8, å = 0xE5, Ø = 0xD8.
fn windows_1252_csv() -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(b"Adresse;Postnummer;Bydel;Boligtype;Eierform;Soverom;Husleie;;\r\n");
    bytes.extend_from_slice(b"Str\xF8msgata 3;3044;Bragernes;ordin\xE6r;kommunal;2;9 850;;\r\n");
    bytes.extend_from_slice(b";;;;;;;;\r\n");
    bytes.extend_from_slice(b"\xD8vre T\xE5rnvei 1;3015;\xC5skollen;omsorgsbolig;innleid;1;7200;;\r\n");
    bytes
}

#[test]
fn a_norwegian_semicolon_csv_in_windows_1252_is_read_with_its_row_numbers() {
    let table = read_table("boliger.csv", &windows_1252_csv()).unwrap();
    assert_eq!(
        table.header,
        cells(&[
            "Adresse",
            "Postnummer",
            "Bydel",
            "Boligtype",
            "Eierform",
            "Soverom",
            "Husleie"
        ])
    );
    assert_eq!(table.rows.len(), 2, "the blank row 3 is skipped");
    assert_eq!(table.rows[0].0, 2);
    assert_eq!(table.rows[0].1[0], "Strømsgata 3");
    assert_eq!(table.rows[0].1[3], "ordinær");
    assert_eq!(table.rows[1].0, 4);
    assert_eq!(table.rows[1].1[0], "Øvre Tårnvei 1");
    assert_eq!(table.rows[1].1[2], "Åskollen");

    let dwellings = check_dwelling_rows(&table.header, &table.rows, PostalRegister::embedded()).unwrap();
    assert_eq!(dwellings[1].1.dwelling_type, DwellingType::CareDwelling);
    assert_eq!(dwellings[1].1.ownership, OwnershipForm::LeasedIn);
}

#[test]
fn utf8_with_a_byte_order_mark_is_read_and_the_mark_dropped() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("Adresse;Bydel\nStrømsgata 3;Åssiden\n".as_bytes());
    let table = read_table("boliger.csv", &bytes).unwrap();
    assert_eq!(table.header, cells(&["Adresse", "Bydel"]));
    assert_eq!(table.rows, [(2, cells(&["Strømsgata 3", "Åssiden"]))]);
}

#[test]
fn a_comma_csv_with_quotes_is_read() {
    let text = "address_line,postal_code,district\n\"Tollbugata 12, oppgang B\",3044,Bragernes\n";
    let table = read_table("dwellings.csv", text.as_bytes()).unwrap();
    assert_eq!(table.header, cells(&["address_line", "postal_code", "district"]));
    assert_eq!(
        table.rows,
        [(2, cells(&["Tollbugata 12, oppgang B", "3044", "Bragernes"]))]
    );
}

#[test]
fn a_tab_separated_file_is_read() {
    let table = read_table("boliger.txt", b"Adresse\tSoverom\nBybrua 1\t3\n").unwrap();
    assert_eq!(table.rows, [(2, cells(&["Bybrua 1", "3"]))]);
}

#[test]
fn an_excel_sep_line_sets_the_delimiter_and_is_not_a_row() {
    let table = read_table("boliger.csv", b"sep=,\nAdresse,Bydel\nBybrua 1;2,Gulskogen\n").unwrap();
    assert_eq!(table.header, cells(&["Adresse", "Bydel"]));
    assert_eq!(table.rows, [(2, cells(&["Bybrua 1;2", "Gulskogen"]))]);
}

#[test]
fn a_tab_given_on_a_sep_line_is_the_delimiter() {
    let table = read_table("boliger.csv", b"sep=\t\nAdresse\tBydel\nBybrua 1;2\tGulskogen\n").unwrap();
    assert_eq!(table.rows, [(2, cells(&["Bybrua 1;2", "Gulskogen"]))]);
}

#[test]
fn a_cell_with_a_line_break_is_one_spreadsheet_row() {
    let text = "Adresse;Bydel\n\"Bybrua 1\nleil. 2\";Gulskogen\nTollbugata 12;Bragernes\n";
    let table = read_table("boliger.csv", text.as_bytes()).unwrap();
    assert_eq!(table.rows.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 3]);
    assert_eq!(table.rows[0].1[0], "Bybrua 1\nleil. 2");
}

#[test]
fn a_blank_line_is_a_row_and_old_mac_line_endings_are_read() {
    for text in [
        "Adresse\n\nBybrua 1\n",
        "Adresse\r\rBybrua 1\r",
        "Adresse\r\n\r\nBybrua 1",
    ] {
        let table = read_table("boliger.csv", text.as_bytes()).unwrap();
        assert_eq!(table.rows, [(3, cells(&["Bybrua 1"]))], "{text:?}");
    }
}

#[test]
fn a_row_with_more_cells_than_the_header_is_refused_naming_the_row() {
    let text = "Adresse;Bydel\nBybrua 1;Gulskogen\nTollbugata 12;Bragernes;ekstra\n";
    assert_eq!(
        read_table("boliger.csv", text.as_bytes()),
        Err(TableError::RaggedRow {
            row: 3,
            cells: 3,
            columns: 2
        })
    );
}

#[test]
fn a_short_row_is_filled_out_with_empty_cells() {
    let table = read_table("boliger.csv", b"Adresse;Bydel;Soverom\nBybrua 1\n").unwrap();
    assert_eq!(table.rows, [(2, cells(&["Bybrua 1", "", ""]))]);
}

#[test]
fn too_many_rows_columns_or_bytes_are_refused() {
    let mut text = String::from("Adresse\n");
    for n in 0..=MAX_DATA_ROWS {
        text.push_str(&format!("Gate {n}\n"));
    }
    assert_eq!(
        read_table("boliger.csv", text.as_bytes()),
        Err(TableError::TooManyRows { max: MAX_DATA_ROWS })
    );
    let exactly: String = text.lines().take(MAX_DATA_ROWS + 1).map(|l| format!("{l}\n")).collect();
    assert_eq!(
        read_table("boliger.csv", exactly.as_bytes()).unwrap().rows.len(),
        MAX_DATA_ROWS
    );

    let wide = (0..=MAX_COLUMNS).map(|n| format!("k{n}")).collect::<Vec<_>>().join(";");
    assert_eq!(
        read_table("boliger.csv", wide.as_bytes()),
        Err(TableError::TooManyColumns { max: MAX_COLUMNS })
    );

    let big = vec![b'a'; MAX_FILE_BYTES + 1];
    assert_eq!(
        read_table("boliger.csv", &big),
        Err(TableError::TooLarge {
            max_bytes: MAX_FILE_BYTES
        })
    );
}

#[test]
fn the_format_is_found_by_content_then_by_name() {
    assert_eq!(detect_format("x.csv", b"PK\x03\x04rest"), Ok(Format::Xlsx));
    assert_eq!(detect_format("boliger", b"a;b"), Ok(Format::Csv));
    assert_eq!(detect_format("boliger.TSV", b"a\tb"), Ok(Format::Csv));
    assert_eq!(detect_format("boliger.xlsx", b"a;b"), Err(TableError::BadWorkbook));
    assert_eq!(detect_format("boliger.xls", b"a;b"), Err(TableError::OldExcel));
    assert_eq!(detect_format("x.csv", OLE_SIGNATURE), Err(TableError::OldExcel));
    assert_eq!(detect_format("bilde.png", b"a;b"), Err(TableError::UnknownFormat));
    assert_eq!(read_table("boliger.csv", b"a;b\0c"), Err(TableError::UnknownFormat));
    assert_eq!(read_table("boliger.csv", b"\n;;\n \n"), Err(TableError::Empty));
    assert_eq!(
        read_table("boliger.xlsx", b"PK\x03\x04 not a zip"),
        Err(TableError::BadWorkbook)
    );
}

fn workbook(write: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    write(book.add_worksheet());
    // A second sheet that must not be read.
    book.add_worksheet().write_string(0, 0, "Ikke dette arket").unwrap();
    book.save_to_buffer().unwrap()
}

#[test]
fn the_first_sheet_of_a_workbook_is_read_with_numbers_dates_and_booleans_as_typed() {
    let bytes = workbook(|sheet| {
        let header = [
            "Adresse",
            "Postnummer",
            "Boligtype",
            "Eierform",
            "Soverom",
            "Husleie",
            "Heis",
            "Areal",
        ];
        for (column, heading) in header.iter().enumerate() {
            sheet.write_string(0, column as u16, *heading).unwrap();
        }
        sheet.write_string(1, 0, "Tårnveien 4").unwrap();
        sheet.write_number(1, 1, 3019).unwrap();
        sheet.write_string(1, 2, "Ungdomsbolig").unwrap();
        sheet.write_string(1, 3, "kommunal").unwrap();
        sheet.write_number(1, 4, 1.0).unwrap();
        sheet.write_number(1, 5, 6_450).unwrap();
        sheet.write_boolean(1, 6, true).unwrap();
        sheet.write_number(1, 7, 38.5).unwrap();
        // Row 3 left blank; row 4 holds only a date.
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 15).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
        sheet.write_datetime_with_format(3, 0, &date, &format).unwrap();
    });
    assert!(bytes.starts_with(b"PK\x03\x04"));
    let table = read_table("boliger.xlsx", &bytes).unwrap();
    assert_eq!(table.header[4], "Soverom");
    assert_eq!(
        table.rows[0],
        (
            2,
            cells(&[
                "Tårnveien 4",
                "3019",
                "Ungdomsbolig",
                "kommunal",
                "1",
                "6450",
                "true",
                "38.5"
            ])
        )
    );
    assert_eq!(table.rows[1].0, 4);
    assert_eq!(table.rows[1].1[0], "2026-01-15");
    assert_eq!(table.rows.len(), 2);
}

#[test]
fn a_workbook_row_wider_than_its_header_is_refused_naming_the_row() {
    let bytes = workbook(|sheet| {
        sheet.write_string(0, 0, "Adresse").unwrap();
        sheet.write_string(1, 0, "Tårnveien 4").unwrap();
        sheet.write_string(4, 2, "løs celle").unwrap();
    });
    assert_eq!(
        read_table("boliger.xlsx", &bytes),
        Err(TableError::RaggedRow {
            row: 5,
            cells: 3,
            columns: 1
        })
    );
}

#[test]
fn a_workbook_past_the_limits_is_refused_without_reading_it_all() {
    let far = workbook(|sheet| {
        sheet.write_string(0, 0, "Adresse").unwrap();
        sheet.write_string(0, MAX_COLUMNS as u16, "for langt ut").unwrap();
    });
    assert_eq!(
        read_table("boliger.xlsx", &far),
        Err(TableError::TooManyColumns { max: MAX_COLUMNS })
    );
    // Far-apart cells are not a problem in themselves: only rows that hold something count.
    let sparse = workbook(|sheet| {
        sheet.write_string(0, 0, "Adresse").unwrap();
        sheet.write_string(1_000_000, 0, "Langt nede 1").unwrap();
    });
    assert_eq!(
        read_table("boliger.xlsx", &sparse).unwrap().rows,
        [(1_000_001, cells(&["Langt nede 1"]))]
    );
}

#[test]
fn an_xlsx_import_goes_through_the_dwelling_checks_end_to_end() {
    let bytes = workbook(|sheet| {
        let header = [
            "fdvuBoligId",
            "adresse",
            "Postnummer",
            "boligtype",
            "Eierform",
            "antallSoverom",
            "Månedsleie",
        ];
        for (column, heading) in header.iter().enumerate() {
            sheet.write_string(0, column as u16, *heading).unwrap();
        }
        sheet.write_string(1, 0, "F-1").unwrap();
        sheet.write_string(1, 1, "Tårnveien 4").unwrap();
        sheet.write_number(1, 2, 3019).unwrap();
        sheet.write_string(1, 3, "hytte").unwrap();
        sheet.write_string(1, 4, "kommunal").unwrap();
        sheet.write_number(1, 5, 2).unwrap();
        sheet.write_number(1, 6, 8000).unwrap();
    });
    let table = read_table("boliger.xlsx", &bytes).unwrap();
    let errors = check_dwelling_rows(&table.header, &table.rows, PostalRegister::embedded()).unwrap_err();
    assert_eq!(errors.errors.len(), 1);
    assert_eq!(errors.errors[0].error.field, "rows[2].dwelling_type");
    assert_eq!(errors.errors[0].column.as_deref(), Some("boligtype"));
}

#[test]
fn every_error_has_a_code_and_a_message_key_in_the_catalogue() {
    let all = [
        TableError::TooLarge {
            max_bytes: MAX_FILE_BYTES,
        },
        TableError::UnknownFormat,
        TableError::OldExcel,
        TableError::BadWorkbook,
        TableError::WorkbookTooLarge,
        TableError::Empty,
        TableError::TooManyRows { max: 1 },
        TableError::TooManyColumns { max: 1 },
        TableError::RaggedRow {
            row: 3,
            cells: 2,
            columns: 1,
        },
        TableError::BadCsv { row: 2 },
    ];
    for error in all {
        let message = error.message();
        for lang in [husly_domain::Lang::Nb, husly_domain::Lang::Nn, husly_domain::Lang::En] {
            let text = husly_catalogue::catalog(lang).get(message.key.as_ref());
            let text = text.unwrap_or_else(|| panic!("{} missing in {lang:?}", message.key));
            for (name, _) in &message.args {
                assert!(
                    text.contains(&format!("{{{name}}}")),
                    "{} lacks {{{name}}}",
                    message.key
                );
            }
        }
    }
    assert_eq!(
        TableError::TooLarge {
            max_bytes: MAX_FILE_BYTES
        }
        .message()
        .args[0]
            .1,
        husly_domain::message::Arg::Text("5".into())
    );
}

proptest! {
    /// Arbitrary bytes, named as either kind of file, never panic; a table read has a header and
    /// rows as wide as it, numbered upwards from 2.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600), xlsx in any::<bool>()) {
        let name = if xlsx { "f.xlsx" } else { "f.csv" };
        if let Ok(table) = read_table(name, &bytes) {
            prop_assert!(!table.header.is_empty());
            let mut last = 1;
            for (number, row) in &table.rows {
                prop_assert_eq!(row.len(), table.header.len());
                prop_assert!(*number > last);
                last = *number;
            }
            let _ = check_dwelling_rows(&table.header, &table.rows, PostalRegister::embedded());
        }
    }

    /// Text made of the characters that matter to CSV, behind a ZIP signature or not.
    #[test]
    fn csv_like_text_never_panics(text in "[a-zæøå;,\t\"\r\n =]{0,200}", zip in any::<bool>()) {
        let mut bytes = if zip { b"PK\x03\x04".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(text.as_bytes());
        let _ = read_table("f.csv", &bytes);
    }
}

#[test]
fn the_sample_file_for_users_imports_cleanly() {
    let bytes = include_bytes!("../../../../docs/examples/boliger.csv");
    let table = read_table("boliger.csv", bytes).unwrap();
    let dwellings = check_dwelling_rows(&table.header, &table.rows, PostalRegister::embedded()).unwrap();
    assert_eq!(dwellings.len(), 6);
    assert!(dwellings.iter().all(|(_, d)| d.postal_city == "Drammen"));
    assert_eq!(dwellings[0].1.address_line, "Prøvegata 12");
}
