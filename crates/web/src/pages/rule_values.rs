//! Rule values the caseworker is warned about, in words: which table (its name from the
//! catalogue, `rule_table.<table>`), from which month, and the source's title. The field names
//! and the maintainers' notes stay in the rule files and `docs/`.

use crate::i18n::Tr;
use husly_domain::rules::UsedValue;

/// One warning: a rule table's values in force from a month that are not confirmed against
/// their primary source.
#[derive(Debug, Clone)]
pub struct Unverified {
    pub what: String,
    pub source: String,
}

/// The unverified values grouped by table and month, each group once; `source_title` names a
/// source id by its title.
pub fn unverified(values: &[UsedValue], tr: Tr, source_title: impl Fn(&str) -> String) -> Vec<Unverified> {
    let mut seen: Vec<(&str, String)> = Vec::new();
    let mut out = Vec::new();
    for value in values {
        let month = value.period_from.written();
        if seen.iter().any(|(table, from)| *table == value.table && *from == month) {
            continue;
        }
        seen.push((&value.table, month.clone()));
        out.push(Unverified {
            what: tr.f(
                "rule_table.from",
                &[("table", &table_name(&value.table, tr)), ("month", &month)],
            ),
            source: source_title(&value.source),
        });
    }
    out
}

/// A rule table's name in words.
pub fn table_name(table: &str, tr: Tr) -> String {
    tr.t(&format!("rule_table.{table}")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::Lang;

    /// Every table of every embedded rule file has a name in each language.
    #[test]
    fn every_rule_table_has_a_name() {
        let files = [
            include_str!("../../../../rules/bostotte.toml"),
            include_str!("../../../../rules/startlan.toml"),
            include_str!("../../../../rules/living_costs.toml"),
            include_str!("../../../../rules/eligibility.toml"),
        ];
        for file in files {
            let table: toml::Table = toml::from_str(file).expect("a rule file parses");
            // The eligibility file's municipalities are traced as their allocation rules.
            let names = table.keys().filter(|k| table[*k].is_array() && *k != "sources");
            for name in names.map(|k| {
                if k == "municipalities" {
                    "allocation_rules"
                } else {
                    k.as_str()
                }
            }) {
                for lang in Lang::ALL {
                    let text = table_name(name, Tr::new(lang));
                    assert!(!text.starts_with("rule_table."), "{name} has no name in {lang:?}");
                }
            }
        }
    }
}
