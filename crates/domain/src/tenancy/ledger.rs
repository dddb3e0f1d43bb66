//! The rent ledger as the municipality's accounting system exports it: one row per tenancy and
//! month with what fell due and what was paid. This module reads such a table (already read into
//! text by the use cases' `tabular`): which column is which, then every row. All or nothing, like
//! the dwelling import: the rows come back only when every one of them is good; otherwise every
//! problem found, each naming its row (as the spreadsheet numbers it: the header is row 1), its
//! column and, for a tenancy Husly does not know, the reference as written.
//!
//! A row names its tenancy by the contract's reference (`L-000123`, shown on the contract; the
//! accounting system keeps it as the contract or customer number). Letter case and spaces do not
//! matter, and the number alone (`123`, `000123`, `L123`) is read as `L-000123`, since a
//! spreadsheet may drop the prefix or the leading zeros.
//!
//! Columns (letter case, spaces, `_` and `-` ignored): the reference (`Leieforhold`,
//! `Kontraktsnummer`), the month (`Periode`, `Måned`), the amount due (`Forfalt`, `Skyldig`,
//! `Fakturert`) and the amount paid (`Innbetalt`, `Betalt`), each also by its English field name.
//! A tenant's name or address column, which exports often carry, is read past and not kept. Any
//! other column is refused, so nothing the user meant to import is lost silently.

use std::collections::{HashMap, HashSet};

use time::Date;

use crate::allocation::dwelling_import::{ColumnSpec, ImportError, ImportErrors, map_columns_of};
use crate::message::shorten;
use crate::rules::YearMonth;
use crate::validation::{FieldError, control_character, format_date, has_forbidden_control};

/// The largest amount one month's row may hold, in kroner: far above any municipal rent with its
/// costs, it catches a figure in øre or with a digit too many.
pub const MAX_MONTH_AMOUNT_KR: i64 = 1_000_000;

/// The fields of a ledger row and the headings each is known by (normalised: lower case, no
/// spaces, `_` or `-`). `tenant` and `address` are read past: exports carry them for people to
/// read, and the reference already names the tenancy.
const COLUMNS: &[(&str, &[&str])] = &[
    (
        "reference",
        &[
            "reference",
            "tenancyreference",
            "leieforhold",
            "leigeforhold",
            "leieforholdnr",
            "leieforholdsnummer",
            "kontraktsnummer",
            "kontraktnummer",
            "kontraktnr",
            "kontrakt",
        ],
    ),
    (
        "period",
        &["period", "month", "periode", "måned", "maned", "månad", "manad", "mnd"],
    ),
    (
        "due_kr",
        &[
            "duekr",
            "due",
            "amountdue",
            "forfalt",
            "skyldig",
            "fakturert",
            "leiekrav",
        ],
    ),
    ("paid_kr", &["paidkr", "paid", "amountpaid", "innbetalt", "betalt"]),
    ("tenant", &["tenant", "leietaker", "leigetakar", "navn", "namn", "name"]),
    ("address", &["address", "adresse"]),
];

/// Columns without which no row could be good.
pub const REQUIRED_FIELDS: [&str; 4] = ["reference", "period", "due_kr", "paid_kr"];

/// The heading the sample file (`docs/examples/husleiereskontro.csv`) uses for a field.
pub fn norwegian_heading(field: &str) -> &'static str {
    match field {
        "reference" => "Leieforhold",
        "period" => "Periode",
        "due_kr" => "Forfalt",
        "paid_kr" => "Innbetalt",
        "tenant" => "Leietaker",
        "address" => "Adresse",
        _ => "",
    }
}

const LEDGER_COLUMNS: ColumnSpec = ColumnSpec {
    columns: COLUMNS,
    required: &REQUIRED_FIELDS,
    heading: norwegian_heading,
    name_key: "ledger.column.",
};

/// The field a column heading names, if any.
pub fn field_for_heading(heading: &str) -> Option<&'static str> {
    LEDGER_COLUMNS.field_for(heading)
}

/// A contract's reference as Husly writes it: `L-` and the number with at least six digits.
pub fn reference(number: u64) -> String {
    format!("L-{number:06}")
}

/// A reference as written in a file, in the form Husly keeps it: upper case without spaces, and
/// a bare number (`123`, `000123`, `L123`, `L-123`) as [`reference`] writes it.
pub fn normalise_reference(text: &str) -> String {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let digits = compact
        .strip_prefix('L')
        .map(|rest| rest.strip_prefix('-').unwrap_or(rest))
        .unwrap_or(&compact);
    if !digits.is_empty() && digits.len() <= 12 && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse().map(reference).unwrap_or(compact)
    } else {
        compact
    }
}

/// What the check needs to know of a tenancy the municipality has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KnownTenancy {
    pub id: String,
    pub reference: String,
    /// The contract's first day: a month before it cannot be the contract's.
    pub start: Date,
}

/// One good row: the tenancy, the month, and what fell due and was paid in it (øre).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerRow {
    /// The row as the spreadsheet numbers it.
    pub row: usize,
    pub tenancy_id: String,
    pub period: YearMonth,
    pub due_ore: i64,
    pub paid_ore: i64,
}

const MONTH_NAMES: [(&str, u8); 20] = [
    ("januar", 1),
    ("january", 1),
    ("februar", 2),
    ("february", 2),
    ("mars", 3),
    ("march", 3),
    ("april", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("juli", 7),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("oktober", 10),
    ("october", 10),
    ("november", 11),
    ("desember", 12),
    ("december", 12),
];

/// The month a name or its abbreviation (three letters or more, a full stop allowed) names, in
/// bokmål, nynorsk or English.
fn month_of_name(name: &str) -> Option<u8> {
    let name = name.trim_end_matches('.').to_lowercase();
    if name.chars().count() < 3 {
        return None;
    }
    MONTH_NAMES
        .iter()
        .find(|(full, _)| full.starts_with(name.as_str()))
        .map(|(_, month)| *month)
}

/// A month as an accounting export or a person writes it: `2026-03`, `03.2026` (or `3.2026`),
/// `202603` (an accounting period), `mars 2026` (`mar. 2026`, `March 2026`), or a date in the
/// month (`2026-03-01`, `01.03.2026`).
pub fn parse_period(text: &str) -> Option<YearMonth> {
    let text = text.trim();
    if let Ok(month) = text.parse::<YearMonth>() {
        return Some(month);
    }
    if text.len() == 6 && text.bytes().all(|b| b.is_ascii_digit()) {
        return YearMonth::new(text[..4].parse().ok()?, text[4..].parse().ok()?);
    }
    if let Some(date) = crate::validation::parse_date(text) {
        return YearMonth::new(date.year(), u8::from(date.month()));
    }
    let (name, year) = text.rsplit_once([' ', '-', '.'])?;
    let name = name.trim().trim_end_matches(['-', '.']);
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    YearMonth::new(year.parse().ok()?, month_of_name(name)?)
}

/// Digits with thousands groups: the first group of one to three digits, every other of three.
fn grouped(text: &str, separator: char) -> Option<String> {
    let mut groups = text.split(separator);
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let valid = !first.is_empty() && (rest.is_empty() || (first.len() <= 3 && rest.iter().all(|g| g.len() == 3)));
    let digits = format!("{first}{}", rest.concat());
    (valid && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

/// An amount in kroner as accounting exports and Norwegians write it, in øre: `1 234,50`,
/// `1234.50`, `1.234,50`, `1,234.50`, `kr 1 234,-`, `-250`, `(250)` (negative), and `-` or `–`
/// for nothing. `None` when it is not an amount (`1,234` alone is refused: a decimal comma
/// with three decimals, or English thousands?).
pub fn parse_ore(text: &str) -> Option<i64> {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect::<String>()
        .to_lowercase();
    let mut s = compact.as_str();
    for prefix in ["kr.", "kr", "nok"] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
            break;
        }
    }
    for suffix in ["kr.", "kr", "nok", ",-", ".-"] {
        if let Some(rest) = s.strip_suffix(suffix) {
            s = rest;
        }
    }
    if matches!(s, "-" | "−" | "–") {
        return Some(0);
    }
    let (negative, s) = if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        (true, inner)
    } else if let Some(rest) = s.strip_prefix(['-', '−', '–']) {
        (true, rest)
    } else {
        (false, s)
    };
    let (whole, decimals) = match (s.rfind(','), s.rfind('.')) {
        (Some(comma), Some(dot)) => {
            let (decimal, group) = if comma > dot { (comma, '.') } else { (dot, ',') };
            (grouped(&s[..decimal], group)?, &s[decimal + 1..])
        }
        (Some(at), None) | (None, Some(at)) => {
            let separator = if s[at..].starts_with(',') { ',' } else { '.' };
            let after = &s[at + 1..];
            if s.matches(separator).count() > 1 || (after.len() == 3 && separator == '.') {
                (grouped(s, separator)?, "")
            } else {
                (grouped(&s[..at], '\u{0}')?, after)
            }
        }
        (None, None) => (grouped(s, '\u{0}')?, ""),
    };
    if decimals.len() > 2
        || !decimals.bytes().all(|b| b.is_ascii_digit())
        || (decimals.is_empty() && s.ends_with([',', '.']))
    {
        return None;
    }
    let kr: i64 = whole.parse().ok()?;
    let ore: i64 = match decimals.len() {
        0 => 0,
        1 => decimals.parse::<i64>().ok()? * 10,
        _ => decimals.parse().ok()?,
    };
    let amount = kr.checked_mul(100)?.checked_add(ore)?;
    Some(if negative { -amount } else { amount })
}

/// One amount cell: `Ok(None)` when blank, else øre or the error on the field.
fn amount(field: &str, text: &str) -> Result<Option<i64>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    match parse_ore(text) {
        None => {
            Err(FieldError::new(field, "not_an_amount", "error.ledger.not_an_amount")
                .arg("value", shorten(text.trim())))
        }
        Some(ore) if ore < 0 => Err(FieldError::new(field, "negative_amount", "error.negative_amount")),
        Some(ore) if ore > MAX_MONTH_AMOUNT_KR * 100 => {
            Err(FieldError::new(field, "amount_too_large", "error.amount_too_large"))
        }
        Some(ore) => Ok(Some(ore)),
    }
}

/// The cells of one row by field.
#[derive(Default)]
struct Cells<'a> {
    reference: &'a str,
    period: &'a str,
    due: &'a str,
    paid: &'a str,
}

/// Checks one row's cells; the row, or its errors.
fn check_row(
    number: usize,
    cells: &Cells<'_>,
    known: &HashMap<String, KnownTenancy>,
    this_month: YearMonth,
) -> Result<(LedgerRow, String), Vec<FieldError>> {
    let prefix = format!("rows[{number}].");
    let field = |name: &str| format!("{prefix}{name}");
    let mut errors = Vec::new();
    let written = cells.reference.trim();
    let tenancy = if written.is_empty() {
        errors.push(FieldError::required(field("reference")));
        None
    } else {
        let found = known.get(&normalise_reference(written));
        if found.is_none() {
            errors.push(
                FieldError::new(field("reference"), "unknown_tenancy", "error.ledger.unknown_tenancy")
                    .arg("value", shorten(written)),
            );
        }
        found
    };
    let period = if cells.period.trim().is_empty() {
        errors.push(FieldError::required(field("period")));
        None
    } else {
        match parse_period(cells.period) {
            None => {
                errors.push(
                    FieldError::new(field("period"), "not_a_month", "error.ledger.not_a_month")
                        .arg("value", shorten(cells.period.trim())),
                );
                None
            }
            Some(month) if month > this_month => {
                errors.push(
                    FieldError::new(field("period"), "future_month", "error.ledger.future_month")
                        .arg("month", month.written()),
                );
                None
            }
            Some(month) => Some(month),
        }
    };
    if let (Some(tenancy), Some(month)) = (tenancy, period)
        && month < YearMonth::of(tenancy.start)
    {
        errors.push(
            FieldError::new(field("period"), "before_start", "error.ledger.before_start")
                .arg("month", month.written())
                .arg("reference", &tenancy.reference)
                .arg("start", format_date(tenancy.start)),
        );
    }
    let due = match amount(&field("due_kr"), cells.due) {
        Ok(Some(ore)) => Some(ore),
        Ok(None) => {
            errors.push(FieldError::required(field("due_kr")));
            None
        }
        Err(e) => {
            errors.push(e);
            None
        }
    };
    // A blank «paid» is a month nothing was paid in.
    let paid = amount(&field("paid_kr"), cells.paid)
        .map_err(|e| errors.push(e))
        .ok()
        .map(|p| p.unwrap_or(0));
    match (tenancy, period, due, paid) {
        (Some(tenancy), Some(period), Some(due_ore), Some(paid_ore)) if errors.is_empty() => Ok((
            LedgerRow {
                row: number,
                tenancy_id: tenancy.id.clone(),
                period,
                due_ore,
                paid_ore,
            },
            tenancy.reference.clone(),
        )),
        _ => Err(errors),
    }
}

/// Checks a ledger table: the header (row 1) and the data rows, each with its spreadsheet row
/// number, against the municipality's tenancies (`known`, by [`normalise_reference`]d reference)
/// and the current month. `Ok` with every row only when the columns and every row are good;
/// else every problem (header problems alone). Each row must name a known tenancy, a month that
/// has begun and is not before the contract's, an amount due (0 or more) and an amount paid (0
/// or more; blank is 0); a tenancy and month given twice is an error on the later row naming the
/// earlier.
pub fn check_ledger_rows(
    header: &[String],
    rows: &[(usize, Vec<String>)],
    known: &HashMap<String, KnownTenancy>,
    this_month: YearMonth,
) -> Result<Vec<LedgerRow>, ImportErrors> {
    let fields = map_columns_of(&LEDGER_COLUMNS, header, rows)?;
    let heading_of = |field: &str| -> Option<String> {
        fields
            .iter()
            .position(|f| *f == Some(field))
            .map(|index| header[index].trim().to_string())
    };
    let mut errors = ImportErrors::default();
    let mut good = Vec::with_capacity(rows.len());
    let mut first_row: HashMap<(String, YearMonth), usize> = HashMap::new();
    for (number, row) in rows {
        let prefix = format!("rows[{number}].");
        let mut cells = Cells::default();
        let mut control = Vec::new();
        for (field, cell) in fields.iter().zip(row) {
            let Some(field) = *field else { continue };
            if has_forbidden_control(cell) {
                control.push(control_character(format!("{prefix}{field}")));
                continue;
            }
            match field {
                "reference" => cells.reference = cell,
                "period" => cells.period = cell,
                "due_kr" => cells.due = cell,
                "paid_kr" => cells.paid = cell,
                _ => {}
            }
        }
        let row_errors: Vec<FieldError> = match check_row(*number, &cells, known, this_month) {
            Ok((line, reference)) if control.is_empty() => {
                match first_row.get(&(line.tenancy_id.clone(), line.period)) {
                    Some(&first) => vec![
                        FieldError::new(
                            format!("{prefix}period"),
                            "duplicate_month",
                            "error.ledger.duplicate_month",
                        )
                        .arg("reference", reference)
                        .arg("month", line.period.written())
                        .arg("first_row", first),
                    ],
                    None => {
                        first_row.insert((line.tenancy_id.clone(), line.period), *number);
                        good.push(line);
                        continue;
                    }
                }
            }
            Ok(_) => control,
            // The control character is the problem to fix; «required» on the same field is noise.
            Err(found) => {
                let found = found
                    .into_iter()
                    .filter(|e| !control.iter().any(|c| c.field == e.field));
                control.iter().cloned().chain(found).collect()
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
    if errors.total == 0 { Ok(good) } else { Err(errors) }
}

/// What an import holds, for its confirmation: rows, distinct months and distinct tenancies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerSummary {
    pub rows: usize,
    pub months: usize,
    pub tenancies: usize,
    pub first_month: Option<YearMonth>,
    pub last_month: Option<YearMonth>,
}

impl LedgerSummary {
    pub fn of(rows: &[LedgerRow]) -> LedgerSummary {
        let months: HashSet<YearMonth> = rows.iter().map(|r| r.period).collect();
        let tenancies: HashSet<&str> = rows.iter().map(|r| r.tenancy_id.as_str()).collect();
        LedgerSummary {
            rows: rows.len(),
            months: months.len(),
            tenancies: tenancies.len(),
            first_month: months.iter().min().copied(),
            last_month: months.iter().max().copied(),
        }
    }
}

#[cfg(test)]
mod tests;
