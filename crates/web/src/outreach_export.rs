//! The outreach list as a spreadsheet: CSV (semicolon-separated, UTF-8 with BOM, as Norwegian
//! Excel opens it) and XLSX. Shared by the web download and `husly outreach bostotte`.

use crate::i18n::Tr;
use husly_domain::Lang;
use husly_domain::bostotte::OutreachList;
use rust_xlsxwriter::{Format, Workbook};

/// The column headings, from the catalogue (`outreach.column.*`).
const COLUMNS: [&str; 6] = ["address", "household", "members", "rent", "income", "estimate"];

fn headers(lang: Lang) -> Vec<String> {
    let tr = Tr::new(lang);
    COLUMNS
        .iter()
        .map(|c| tr.t(&format!("outreach.column.{c}")).to_string())
        .collect()
}

/// One CSV field: quoted when needed, and never read as a formula by a spreadsheet.
pub(crate) fn field(text: &str) -> String {
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if text.contains([';', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// The address column: "Skjermet adresse" for a protected household (it comes masked).
fn address(tr: &Tr, c: &husly_domain::bostotte::Candidate) -> String {
    crate::layout::address_text(tr, c.address_protected, &c.address_line)
}

/// Writes the list as CSV, line by line (the command streams it to standard output).
pub fn write_csv(list: &OutreachList, lang: Lang, out: &mut impl std::io::Write) -> std::io::Result<()> {
    write!(out, "\u{feff}{}\r\n", headers(lang).join(";"))?;
    let tr = Tr::new(lang);
    for c in &list.candidates {
        write!(
            out,
            "{};{};{};{};{};{}\r\n",
            field(&address(&tr, c)),
            c.household_id,
            c.members,
            c.monthly_rent_kr,
            c.income_kr,
            c.monthly_kr
        )?;
    }
    Ok(())
}

pub fn csv(list: &OutreachList, lang: Lang) -> String {
    let mut out = Vec::new();
    write_csv(list, lang, &mut out).expect("writing to memory cannot fail");
    String::from_utf8(out).expect("the CSV is UTF-8")
}

pub fn xlsx(list: &OutreachList, lang: Lang) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    // A sheet name is plain: no «/» or «:», at most 31 characters.
    sheet.set_name(Tr::new(lang).f("outreach.sheet", &[("month", &list.month.to_string())]))?;
    let bold = Format::new().set_bold();
    let kroner = Format::new().set_num_format("# ##0");
    for (col, header) in headers(lang).iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, header, &bold)?;
    }
    for (i, c) in list.candidates.iter().enumerate() {
        let row = i as u32 + 1;
        sheet.write_string(row, 0, address(&Tr::new(lang), c))?;
        sheet.write_string(row, 1, c.household_id.to_string())?;
        sheet.write_number(row, 2, c.members as f64)?;
        sheet.write_number_with_format(row, 3, c.monthly_rent_kr as f64, &kroner)?;
        sheet.write_number_with_format(row, 4, c.income_kr as f64, &kroner)?;
        sheet.write_number_with_format(row, 5, c.monthly_kr as f64, &kroner)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    workbook.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::HouseholdId;
    use husly_domain::bostotte::Candidate;

    fn list() -> OutreachList {
        OutreachList {
            month: "2026-07".parse().unwrap(),
            examined: 3,
            candidates: vec![Candidate {
                household_id: HouseholdId::new(),
                address_line: "=HYPERLINK(\"x\"); Prøvestien 4".into(),
                address_protected: false,
                members: 2,
                monthly_rent_kr: 9_500,
                income_kr: 210_000,
                monthly_kr: 3_120,
            }],
            total_monthly_kr: 3_120,
        }
    }

    #[test]
    fn csv_is_safe_for_spreadsheets() {
        let text = csv(&list(), Lang::Nb);
        assert!(text.starts_with("\u{feff}Adresse;"));
        let row = text.lines().nth(1).unwrap();
        assert!(row.starts_with("\"'=HYPERLINK(\"\"x\"\"); Prøvestien 4\";"), "{row}");
        assert!(row.ends_with(";2;9500;210000;3120"), "{row}");
    }

    #[test]
    fn every_language_has_its_headings() {
        for lang in Lang::ALL {
            for heading in headers(lang) {
                assert!(!heading.starts_with("outreach."), "{lang:?}: {heading}");
            }
        }
        assert!(csv(&list(), Lang::Nn).starts_with("\u{feff}Adresse;Husstand;"));
    }

    #[test]
    fn xlsx_is_a_zip_workbook() {
        let bytes = xlsx(&list(), Lang::En).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
