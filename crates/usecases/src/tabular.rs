//! Reads an uploaded table, a CSV file or an Excel workbook (.xlsx), into rows of text, for the
//! imports (the dwelling register first). Only reading: which column is which, and whether a
//! cell is good, is the domain's business (`husly_domain::allocation::dwelling_import`).
//!
//! What people upload: CSV as Norwegian Excel saves it (`;` between fields, Windows-1252 or
//! UTF-8 with a byte-order mark), CSV from elsewhere (`,` or tab), and .xlsx workbooks, of which
//! the first sheet is read. Row numbers are the spreadsheet's, so the header is row 1 and an
//! error can say «rad 5» about the row the user sees as 5. Blank rows are skipped.
//!
//! Limits guard the server against huge or hostile files: the size of the upload, the number of
//! rows and columns, and for a workbook how much it unpacks to.

use std::collections::BTreeMap;
use std::io::Cursor;

use calamine::{DataRef, Reader, Xlsx};
use husly_domain::message::Message;

/// Largest upload read, in bytes.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Most data rows (the header not counted) in one import.
pub const MAX_DATA_ROWS: usize = 20_000;
/// Most columns in one import.
pub const MAX_COLUMNS: usize = 60;
/// Most bytes a workbook's parts may unpack to (as its ZIP directory declares them), so a small
/// file cannot expand to gigabytes in memory.
pub const MAX_UNPACKED_BYTES: u64 = 100 * 1024 * 1024;
/// Most text the cells of a workbook may hold together (a shared string can be repeated in many
/// cells, so this is counted cell by cell).
pub const MAX_CELL_TEXT_BYTES: usize = 4 * MAX_FILE_BYTES;

/// What kind of file an upload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

/// An uploaded table: the header (row 1, or the first row that is not blank) and the data rows,
/// each with its row number as the spreadsheet shows it. Every data row has as many cells as the
/// header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Why an upload cannot be read as a table. [`TableError::message`] words it for the user.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TableError {
    #[error("the file is larger than {max_bytes} bytes")]
    TooLarge { max_bytes: usize },
    #[error("the file is neither CSV nor XLSX")]
    UnknownFormat,
    #[error("the file is an old Excel workbook (.xls)")]
    OldExcel,
    #[error("the workbook cannot be read")]
    BadWorkbook,
    #[error("the workbook unpacks to too much data")]
    WorkbookTooLarge,
    #[error("the file has no rows")]
    Empty,
    #[error("more than {max} data rows")]
    TooManyRows { max: usize },
    #[error("more than {max} columns")]
    TooManyColumns { max: usize },
    #[error("row {row} has {cells} cells, the header {columns}")]
    RaggedRow { row: usize, cells: usize, columns: usize },
    #[error("the CSV file cannot be read at row {row}")]
    BadCsv { row: usize },
}

impl TableError {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            TableError::TooLarge { .. } => "file_too_large",
            TableError::UnknownFormat => "unknown_format",
            TableError::OldExcel => "old_excel",
            TableError::BadWorkbook => "bad_workbook",
            TableError::WorkbookTooLarge => "workbook_too_large",
            TableError::Empty => "empty_file",
            TableError::TooManyRows { .. } => "too_many_rows",
            TableError::TooManyColumns { .. } => "too_many_columns",
            TableError::RaggedRow { .. } => "ragged_row",
            TableError::BadCsv { .. } => "bad_csv",
        }
    }

    /// What to tell the user, as a catalogue key (`locales/*-import.toml`) and its arguments.
    pub fn message(&self) -> Message {
        let message = Message::new(format!("error.import.{}", self.code()));
        match *self {
            TableError::TooLarge { max_bytes } => message.arg("max_mb", max_bytes / (1024 * 1024)),
            TableError::TooManyRows { max } | TableError::TooManyColumns { max } => message.arg("max", max),
            TableError::RaggedRow { row, cells, columns } => {
                message.arg("row", row).arg("cells", cells).arg("columns", columns)
            }
            TableError::BadCsv { row } => message.arg("row", row),
            _ => message,
        }
    }
}

const ZIP_SIGNATURE: &[u8] = b"PK\x03\x04";
/// Compound File Binary, the container of the old .xls workbooks.
const OLE_SIGNATURE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// An upload that cannot be read as a table, as the import's error on the field `file`.
pub fn unreadable(error: TableError) -> crate::UseCaseError {
    crate::UseCaseError::Invalid(vec![husly_domain::validation::FieldError::with_message(
        "file",
        error.code(),
        error.message(),
    )])
}

/// A refused import as field errors named `rows[N].field`, `columns[C]` or `columns`: the
/// reported problems, and a last one on `file` telling how many more there were.
pub fn refused(report: husly_domain::allocation::dwelling_import::ImportErrors) -> crate::UseCaseError {
    let more = report.not_shown();
    let mut errors: Vec<_> = report.errors.into_iter().map(|e| e.error).collect();
    if more > 0 {
        errors.push(
            husly_domain::validation::FieldError::new("file", "more_errors", "import.more_errors").arg("count", more),
        );
    }
    crate::UseCaseError::Invalid(errors)
}

/// Which format an upload is in: by its content first (a workbook is a ZIP archive), then by the
/// file name's extension. A file with no extension is tried as CSV.
pub fn detect_format(file_name: &str, bytes: &[u8]) -> Result<Format, TableError> {
    if bytes.starts_with(ZIP_SIGNATURE) {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(OLE_SIGNATURE) {
        return Err(TableError::OldExcel);
    }
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" | "txt" | "tsv" | "" => Ok(Format::Csv),
        // Named as a workbook but not a ZIP archive: damaged, or something else renamed.
        "xlsx" | "xlsm" => Err(TableError::BadWorkbook),
        "xls" => Err(TableError::OldExcel),
        _ => Err(TableError::UnknownFormat),
    }
}

/// Reads an upload as a table, in the format [`detect_format`] finds.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, TableError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(TableError::TooLarge {
            max_bytes: MAX_FILE_BYTES,
        });
    }
    match detect_format(file_name, bytes)? {
        Format::Csv => read_csv(bytes),
        Format::Xlsx => read_xlsx(bytes),
    }
}

/// The text of a CSV file: UTF-8 (a byte-order mark dropped), UTF-16 with its byte-order mark
/// (Excel's «Unicode text»), or else Windows-1252, which Norwegian Excel writes by default and
/// in which every byte is some character.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return String::from_utf8_lossy(rest).into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE.decode_without_bom_handling(rest).0.into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE.decode_without_bom_handling(rest).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => encoding_rs::WINDOWS_1252
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// The field separator of a CSV text: an Excel `sep=` line if there is one (then also the number
/// of lines it takes), else whichever of `;`, tab and `,` occurs most outside quotes in the first
/// line that is not blank (`;` on a tie, as Norwegian Excel writes it).
fn detect_delimiter(text: &str) -> (u8, bool) {
    let first = text.lines().find(|line| !line.trim().is_empty()).unwrap_or("");
    if let Some(sep) = first.trim_end_matches(' ').strip_prefix("sep=")
        && let [byte] = sep.as_bytes()
    {
        return (*byte, true);
    }
    let mut counts = [(b';', 0usize), (b'\t', 0), (b',', 0)];
    let mut quoted = false;
    for byte in first.bytes() {
        if byte == b'"' {
            quoted = !quoted;
        } else if !quoted && let Some(count) = counts.iter_mut().find(|(d, _)| *d == byte) {
            count.1 += 1;
        }
    }
    // `max_by_key` keeps the last of equals; reversed, the first listed wins a tie.
    let best = counts
        .iter()
        .rev()
        .max_by_key(|(_, count)| *count)
        .map_or(b';', |(d, _)| *d);
    (best, false)
}

/// Reads CSV bytes (see [`decode_text`] and the delimiter rules above).
pub fn read_csv(bytes: &[u8]) -> Result<Table, TableError> {
    let text = decode_text(bytes);
    // A NUL never occurs in a text file; this is a binary file named .csv.
    if text.contains('\0') {
        return Err(TableError::UnknownFormat);
    }
    // One line ending: Excel on Windows writes CRLF, old Mac Excel a lone CR, and the rows are
    // counted by LF below.
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let (delimiter, sep_line) = detect_delimiter(&text);
    let mut body = text.as_str();
    if sep_line {
        let start = body.find(|c: char| !c.is_whitespace()).unwrap_or(0);
        body = body[start..].split_once('\n').map_or("", |(_, rest)| rest);
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(body.as_bytes());
    let mut builder = Builder::default();
    // A spreadsheet numbers records, not lines: a blank line is a row (the reader skips it), and
    // a quoted cell with a line break stays in one row. So a record's row is one more than the
    // line breaks before it, less those inside earlier records' cells.
    let (mut counted_to, mut breaks_before, mut breaks_in_cells) = (0usize, 0usize, 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(_) => {
                return Err(TableError::BadCsv {
                    row: (breaks_before + 1).saturating_sub(breaks_in_cells).max(1),
                });
            }
        }
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .max(counted_to);
        start += body.as_bytes()[start.min(body.len())..]
            .iter()
            .take_while(|b| **b == b'\n')
            .count();
        let start = start.min(body.len());
        breaks_before += body.as_bytes()[counted_to..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start;
        // Every line break inside an earlier record's cells lies before this record's start.
        let row = breaks_before + 1 - breaks_in_cells;
        breaks_in_cells += record.iter().map(|cell| cell.matches('\n').count()).sum::<usize>();
        builder.push(row, record.iter().map(str::to_string).collect())?;
    }
    builder.finish()
}

/// Reads the first sheet of an .xlsx workbook. Whole numbers come out as `12`, not `12.0`; dates
/// as `yyyy-mm-dd`; true/false as `true`/`false`; formulas as their saved result.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, TableError> {
    check_unpacked_size(bytes)?;
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(|_| TableError::BadWorkbook)?;
    let first = workbook
        .sheet_names()
        .into_iter()
        .next()
        .ok_or(TableError::BadWorkbook)?;
    let mut cells = workbook
        .worksheet_cells_reader(&first)
        .map_err(|_| TableError::BadWorkbook)?;
    // Sparse until the end: a workbook may name any cell up to XFD1048576, and only the cells
    // that hold something are kept.
    let mut sheet: BTreeMap<u32, Vec<(u32, String)>> = BTreeMap::new();
    let mut text_bytes = 0usize;
    while let Some(cell) = cells.next_cell().map_err(|_| TableError::BadWorkbook)? {
        let text = cell_text(cell.get_value());
        if text.trim().is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        if column as usize >= MAX_COLUMNS {
            return Err(TableError::TooManyColumns { max: MAX_COLUMNS });
        }
        text_bytes += text.len();
        if text_bytes > MAX_CELL_TEXT_BYTES {
            return Err(TableError::WorkbookTooLarge);
        }
        sheet.entry(row).or_default().push((column, text));
        // The header and one row more than allowed are enough to refuse.
        if sheet.len() > MAX_DATA_ROWS + 1 {
            return Err(TableError::TooManyRows { max: MAX_DATA_ROWS });
        }
    }
    let mut builder = Builder::default();
    for (row, row_cells) in sheet {
        let width = row_cells.iter().map(|(c, _)| *c as usize + 1).max().unwrap_or(0);
        let mut values = vec![String::new(); width];
        for (column, text) in row_cells {
            values[column as usize] = text;
        }
        builder.push(row as usize + 1, values)?;
    }
    builder.finish()
}

/// Refuses a workbook whose parts claim to unpack to more than [`MAX_UNPACKED_BYTES`].
fn check_unpacked_size(bytes: &[u8]) -> Result<(), TableError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| TableError::BadWorkbook)?;
    let mut total = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(|_| TableError::BadWorkbook)?;
        total = total.saturating_add(entry.size());
        if total > MAX_UNPACKED_BYTES {
            return Err(TableError::WorkbookTooLarge);
        }
    }
    Ok(())
}

fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Empty => String::new(),
        DataRef::String(text) | DataRef::DateTimeIso(text) | DataRef::DurationIso(text) => text.clone(),
        DataRef::SharedString(text) => (*text).to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => number_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
            if (hour, minute, second) == (0, 0, 0) {
                format!("{year:04}-{month:02}-{day:02}")
            } else {
                format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
            }
        }
        DataRef::DateTime(dt) => number_text(dt.as_f64()),
        DataRef::Error(error) => error.to_string(),
    }
}

/// A number as a person would type it: `12`, not `12.0`.
fn number_text(f: f64) -> String {
    // Beyond 2^53 not every whole number is a float; those keep the float's own form.
    if f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// Gathers rows in order: the first row that is not blank is the header, blank rows are skipped,
/// trailing empty cells dropped (Excel writes `;;;` after short rows), and the limits enforced.
#[derive(Default)]
struct Builder {
    header: Option<Vec<String>>,
    rows: Vec<(usize, Vec<String>)>,
}

impl Builder {
    fn push(&mut self, number: usize, mut cells: Vec<String>) -> Result<(), TableError> {
        while cells.last().is_some_and(|cell| cell.trim().is_empty()) {
            cells.pop();
        }
        if cells.is_empty() {
            return Ok(());
        }
        if cells.len() > MAX_COLUMNS {
            return Err(TableError::TooManyColumns { max: MAX_COLUMNS });
        }
        let Some(header) = &self.header else {
            self.header = Some(cells);
            return Ok(());
        };
        if cells.len() > header.len() {
            return Err(TableError::RaggedRow {
                row: number,
                cells: cells.len(),
                columns: header.len(),
            });
        }
        if self.rows.len() == MAX_DATA_ROWS {
            return Err(TableError::TooManyRows { max: MAX_DATA_ROWS });
        }
        cells.resize(header.len(), String::new());
        self.rows.push((number, cells));
        Ok(())
    }

    fn finish(self) -> Result<Table, TableError> {
        let header = self.header.ok_or(TableError::Empty)?;
        Ok(Table {
            header,
            rows: self.rows,
        })
    }
}

#[cfg(test)]
mod tests;
