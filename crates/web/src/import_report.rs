//! The report of a refused import, worded for people: each problem's place in the file (`Rad 5,
//! kolonne «Soverom»`, `Kolonne C`, `Filen`) and what is wrong there. The dwelling and rent
//! ledger import pages use it, and the command line (`husly import-ledger`) prints the same.

use crate::i18n::Tr;
use husly_domain::validation::FieldError;

/// Where in the file an error is: `rows[5].bedrooms` → "Rad 5, kolonne «Soverom»" (the column
/// named by the catalogue key `labels` + the field), `columns[C]` → "Kolonne C", else "Filen".
pub fn place(field: &str, labels: &str, tr: &Tr) -> String {
    let index = |rest: &str| rest.split(']').next().unwrap_or_default().to_string();
    if let Some(rest) = field.strip_prefix("rows[") {
        let row = index(rest);
        let name = rest.split("].").nth(1).unwrap_or_default();
        let key = format!("{labels}{name}");
        let label = tr.t(&key).to_string();
        if name.is_empty() || label == key {
            tr.f("import.row", &[("row", &row)])
        } else {
            tr.f("import.row_column", &[("row", &row), ("column", &label)])
        }
    } else if let Some(rest) = field.strip_prefix("columns[") {
        tr.f("import.column", &[("column", &index(rest))])
    } else {
        tr.t("import.the_file").to_string()
    }
}

/// Each problem as its place and its message.
pub fn problems(errors: &[FieldError], labels: &str, tr: &Tr) -> Vec<(String, String)> {
    errors
        .iter()
        .map(|e| (place(&e.field, labels, tr), tr.error(e)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::Lang;

    #[test]
    fn places_name_the_row_and_column_as_the_spreadsheet_shows_them() {
        let tr = Tr::new(Lang::Nb);
        assert_eq!(
            place("rows[5].bedrooms", "dwelling.field.", &tr),
            "Rad 5, kolonne «Soverom»"
        );
        assert_eq!(place("rows[5].nothing", "dwelling.field.", &tr), "Rad 5");
        assert_eq!(place("columns[C]", "dwelling.field.", &tr), "Kolonne C");
        assert_eq!(place("file", "dwelling.field.", &tr), tr.t("import.the_file"));
    }
}
