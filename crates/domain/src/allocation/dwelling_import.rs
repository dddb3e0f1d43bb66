//! Checking an imported table of dwellings (CSV or spreadsheet, already read into text): which
//! column is which field, then every row through [`validate_dwelling`]. All or nothing: the rows
//! come back only when every one of them is good; otherwise every problem found, each naming its
//! row (as the spreadsheet numbers it: the header is row 1) and its column.
//!
//! Columns are recognised by the field names of [`DwellingInput`] (`address_line`, …), by Kobo's
//! names (`fdvuBoligId`, `antallSoverom`, …) and by the Norwegian headings a housing office writes
//! (`Adresse`, `Soverom`, `Husleie`, …), ignoring letter case, spaces, `_` and `-`. A column we do
//! not know is refused rather than dropped, so no data the user meant to import is lost silently.

use std::collections::HashMap;

use super::dwelling::{DwellingInput, ValidDwelling, validate_dwelling};
use crate::message::shorten;
use crate::postal::PostalRegister;
use crate::validation::{FieldError, control_character, has_forbidden_control};

/// Most errors handed back; the rest are only counted, so a broken 20 000-row file does not
/// make a page of 100 000 lines.
pub const MAX_REPORTED_ERRORS: usize = 200;

/// The fields an import may fill, with the headings each is known by (normalised: lower case,
/// no spaces, `_` or `-`). The first heading after the field name is the one the sample file uses.
const COLUMNS: &[(&str, &[&str])] = &[
    ("external_id", &["externalid", "boligid", "fdvuboligid", "eksternid"]),
    ("address_line", &["addressline", "adresse"]),
    ("postal_code", &["postalcode", "postnummer", "postnr"]),
    ("postal_city", &["postalcity", "poststed"]),
    ("district", &["district", "bydel", "område", "omrade"]),
    ("gnr", &["gnr", "gårdsnummer", "gardsnummer"]),
    ("bnr", &["bnr", "bruksnummer"]),
    ("fnr", &["fnr", "festenummer"]),
    ("snr", &["snr", "seksjonsnummer"]),
    ("unit_number", &["unitnumber", "bruksenhetsnummer"]),
    ("dwelling_type", &["dwellingtype", "boligtype"]),
    ("ownership", &["ownership", "eierform", "disposisjonsform"]),
    ("bedrooms", &["bedrooms", "soverom", "antallsoverom"]),
    ("area_m2", &["aream2", "areal", "bra", "bruksareal"]),
    ("floor", &["floor", "etasje", "etasjenummer"]),
    ("lift", &["lift", "heis"]),
    (
        "wheelchair_accessible",
        &[
            "wheelchairaccessible",
            "rullestoltilgjengelig",
            "ertilgjengeligforrullestolbruker",
        ],
    ),
    ("adapted", &["adapted", "tilpasset"]),
    ("pets_allowed", &["petsallowed", "dyrtillatt"]),
    (
        "monthly_rent_kr",
        &["monthlyrentkr", "husleie", "månedsleie", "leiekostnad"],
    ),
];

/// Columns without which no row could be good.
pub const REQUIRED_FIELDS: [&str; 6] = [
    "address_line",
    "postal_code",
    "dwelling_type",
    "ownership",
    "bedrooms",
    "monthly_rent_kr",
];

/// The heading a Norwegian file uses for a field (as in the sample `docs/examples/boliger.csv`).
pub fn norwegian_heading(field: &str) -> &'static str {
    match field {
        "external_id" => "BoligID",
        "address_line" => "Adresse",
        "postal_code" => "Postnummer",
        "postal_city" => "Poststed",
        "district" => "Bydel",
        "gnr" => "Gnr",
        "bnr" => "Bnr",
        "fnr" => "Fnr",
        "snr" => "Snr",
        "unit_number" => "Bruksenhetsnummer",
        "dwelling_type" => "Boligtype",
        "ownership" => "Eierform",
        "bedrooms" => "Soverom",
        "area_m2" => "Areal",
        "floor" => "Etasje",
        "lift" => "Heis",
        "wheelchair_accessible" => "Rullestoltilgjengelig",
        "adapted" => "Tilpasset",
        "pets_allowed" => "Dyr tillatt",
        "monthly_rent_kr" => "Husleie",
        _ => "",
    }
}

/// The field a column heading names, if any.
pub fn field_for_heading(heading: &str) -> Option<&'static str> {
    DWELLING_COLUMNS.field_for(heading)
}

/// The columns of one kind of import: each field with the headings it is known by (normalised),
/// the fields without which no row could be good, the heading a Norwegian file uses for a field
/// (named when the column is missing), and the catalogue prefix of a field's name in messages
/// (`import.column.` + the field).
pub(crate) struct ColumnSpec {
    pub columns: &'static [(&'static str, &'static [&'static str])],
    pub required: &'static [&'static str],
    pub heading: fn(&str) -> &'static str,
    pub name_key: &'static str,
}

const DWELLING_COLUMNS: ColumnSpec = ColumnSpec {
    columns: COLUMNS,
    required: &REQUIRED_FIELDS,
    heading: norwegian_heading,
    name_key: "import.column.",
};

impl ColumnSpec {
    /// The field a column heading names (letter case, spaces, `_` and `-` ignored), if any.
    pub fn field_for(&self, heading: &str) -> Option<&'static str> {
        let normal: String = heading
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '\u{feff}'))
            .flat_map(char::to_lowercase)
            .collect();
        self.columns
            .iter()
            .find(|(_, names)| names.contains(&normal.as_str()))
            .map(|(field, _)| *field)
    }
}

fn slot<'a>(input: &'a mut DwellingInput, field: &str) -> Option<&'a mut String> {
    Some(match field {
        "external_id" => &mut input.external_id,
        "address_line" => &mut input.address_line,
        "postal_code" => &mut input.postal_code,
        "postal_city" => &mut input.postal_city,
        "district" => &mut input.district,
        "gnr" => &mut input.gnr,
        "bnr" => &mut input.bnr,
        "fnr" => &mut input.fnr,
        "snr" => &mut input.snr,
        "unit_number" => &mut input.unit_number,
        "dwelling_type" => &mut input.dwelling_type,
        "ownership" => &mut input.ownership,
        "bedrooms" => &mut input.bedrooms,
        "area_m2" => &mut input.area_m2,
        "floor" => &mut input.floor,
        "lift" => &mut input.lift,
        "wheelchair_accessible" => &mut input.wheelchair_accessible,
        "adapted" => &mut input.adapted,
        "pets_allowed" => &mut input.pets_allowed,
        "monthly_rent_kr" => &mut input.monthly_rent_kr,
        _ => return None,
    })
}

/// The spreadsheet letter of a zero-based column: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

/// One problem in the file: where it is, as the user sees the spreadsheet, and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// Spreadsheet row number (the header is row 1); `None` for a problem with the columns.
    pub row: Option<usize>,
    /// The column's heading as written in the file, when the problem is in one column.
    pub column: Option<String>,
    /// The error, its field path `rows[N].field` for a row, `columns[C]` or `columns` for the
    /// header.
    pub error: FieldError,
}

/// Why an import is refused: the first [`MAX_REPORTED_ERRORS`] problems, and how many there were.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportErrors {
    pub errors: Vec<ImportError>,
    pub total: usize,
}

impl ImportErrors {
    pub(crate) fn push(&mut self, error: ImportError) {
        self.total += 1;
        if self.errors.len() < MAX_REPORTED_ERRORS {
            self.errors.push(error);
        }
    }

    /// How many problems were found but not handed back.
    pub fn not_shown(&self) -> usize {
        self.total - self.errors.len()
    }
}

/// Which field each column fills (`None`: an empty column without heading, ignored), or the
/// problems with the header.
fn map_columns(header: &[String], rows: &[(usize, Vec<String>)]) -> Result<Vec<Option<&'static str>>, ImportErrors> {
    map_columns_of(&DWELLING_COLUMNS, header, rows)
}

/// [`map_columns`] for any kind of import: header problems (a column without a name that holds
/// values, an unknown heading, a field given twice, a required field missing), all of them.
pub(crate) fn map_columns_of(
    spec: &ColumnSpec,
    header: &[String],
    rows: &[(usize, Vec<String>)],
) -> Result<Vec<Option<&'static str>>, ImportErrors> {
    let mut errors = ImportErrors::default();
    let mut fields = Vec::with_capacity(header.len());
    let mut seen: HashMap<&'static str, usize> = HashMap::new();
    for (index, heading) in header.iter().enumerate() {
        let letter = column_letter(index);
        let path = format!("columns[{letter}]");
        if heading.trim().is_empty() {
            let used = rows
                .iter()
                .any(|(_, cells)| cells.get(index).is_some_and(|c| !c.trim().is_empty()));
            if used {
                errors.push(ImportError {
                    row: None,
                    column: None,
                    error: FieldError::new(path, "column_without_name", "error.import.column_without_name")
                        .arg("column", &letter),
                });
            }
            fields.push(None);
            continue;
        }
        let Some(field) = spec.field_for(heading) else {
            errors.push(ImportError {
                row: None,
                column: Some(heading.clone()),
                error: FieldError::new(path, "unknown_column", "error.import.unknown_column")
                    .arg("column", &letter)
                    .arg("name", shorten(heading.trim())),
            });
            fields.push(None);
            continue;
        };
        if let Some(&first) = seen.get(field) {
            errors.push(ImportError {
                row: None,
                column: Some(heading.clone()),
                error: FieldError::new(path, "duplicate_column", "error.import.duplicate_column")
                    .arg("first", column_letter(first))
                    .arg("column", &letter)
                    .arg_key("name", format!("{}{field}", spec.name_key)),
            });
            fields.push(None);
            continue;
        }
        seen.insert(field, index);
        fields.push(Some(field));
    }
    for field in spec.required {
        if !seen.contains_key(field) {
            errors.push(ImportError {
                row: None,
                column: None,
                error: FieldError::new("columns", "missing_column", "error.import.missing_column")
                    .arg_key("name", format!("{}{field}", spec.name_key))
                    .arg("heading", (spec.heading)(field)),
            });
        }
    }
    if errors.total == 0 { Ok(fields) } else { Err(errors) }
}

/// Checks an imported table: the header (row 1) and the data rows, each with its spreadsheet
/// row number. `Ok` with every row's dwelling only when the columns and every row are good; else
/// every problem (header problems alone, since rows cannot be read without knowing the columns;
/// otherwise every row checked, not stopping at the first). An `external_id` that appears twice
/// in the file is an error on the later row naming the earlier.
pub fn check_dwelling_rows(
    header: &[String],
    rows: &[(usize, Vec<String>)],
    postal: &PostalRegister,
) -> Result<Vec<(usize, ValidDwelling)>, ImportErrors> {
    let fields = map_columns(header, rows)?;
    let heading_of = |field: &str| -> Option<String> {
        fields
            .iter()
            .position(|f| *f == Some(field))
            .map(|index| header[index].trim().to_string())
    };
    let mut errors = ImportErrors::default();
    let mut dwellings = Vec::with_capacity(rows.len());
    let mut first_row_of_id: HashMap<String, usize> = HashMap::new();
    for (number, cells) in rows {
        let prefix = format!("rows[{number}].");
        let mut input = DwellingInput::default();
        // A control character (NUL above all, which PostgreSQL cannot store) is never data a
        // person meant; the form's decoder refuses it, so the import does too.
        let mut control = Vec::new();
        for (field, cell) in fields.iter().zip(cells) {
            let Some(field) = *field else { continue };
            if has_forbidden_control(cell) {
                control.push(control_character(format!("{prefix}{field}")));
            } else if let Some(target) = slot(&mut input, field) {
                target.clone_from(cell);
            }
        }
        let id = input.external_id.trim();
        let duplicate = if id.is_empty() {
            None
        } else if let Some(&first) = first_row_of_id.get(id) {
            Some(
                FieldError::new(
                    format!("{prefix}external_id"),
                    "duplicate_in_file",
                    "error.import.duplicate_external_id",
                )
                .arg("value", shorten(id))
                .arg("first_row", first),
            )
        } else {
            first_row_of_id.insert(id.to_string(), *number);
            None
        };
        let result = validate_dwelling(&input, postal, &prefix);
        let row_errors = match (result, duplicate) {
            (Ok(dwelling), None) if control.is_empty() => {
                dwellings.push((*number, dwelling));
                continue;
            }
            (Ok(_), duplicate) => control.into_iter().chain(duplicate).collect::<Vec<_>>(),
            (Err(found), duplicate) => {
                // The control character is the problem to fix; «required» on the same field is noise.
                let found: Vec<_> = found
                    .into_iter()
                    .filter(|e| !control.iter().any(|c| c.field == e.field))
                    .collect();
                control.into_iter().chain(found).chain(duplicate).collect()
            }
        };
        for error in row_errors {
            let column = error.field.strip_prefix(&prefix).and_then(heading_of);
            errors.push(ImportError {
                row: Some(*number),
                column,
                error,
            });
        }
    }
    if errors.total == 0 { Ok(dwellings) } else { Err(errors) }
}

#[cfg(test)]
mod tests;
