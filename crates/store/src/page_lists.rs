//! Which of the lists on the household page and the case page hold anything, asked in one
//! statement, so that a page reads only the lists that do.
//!
//! The household page lists the household's cases, journal notes, representatives and stays; the
//! case page its notes, tasks, messages from the applicant, decisions, letters, duplicate flags
//! and documents. Most of these lists are empty for most households and cases. On PostgreSQL
//! every statement is a round trip and an executor start in the database (about 50 µs of CPU
//! with the client's share on this machine), the largest part of a view's cost
//! (`docs/benchmarks.md`, "Empty lists skipped"). The household's question rides on the statement
//! that reads the household; the subqueries do not refer to its rows, so both databases evaluate
//! each once, not once per member.
//!
//! Each condition is the one its list's own statement filters by (or wider, which costs a read
//! but never hides a row); contract tests check the answers against the lists.

use husly_domain::{CaseId, HouseholdId, MunicipalityId};
use sqlx::any::AnyRow;

use crate::Store;
use crate::error::StoreResult;
use crate::households::{Household, household_from_rows, household_sql};

/// Which of the household page's lists hold anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HouseholdLists {
    pub cases: bool,
    pub notes: bool,
    pub representatives: bool,
    pub stays: bool,
}

/// Which of the case page's lists hold anything.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CaseLists {
    pub notes: bool,
    pub tasks: bool,
    pub applicant_messages: bool,
    pub decisions: bool,
    pub letters: bool,
    pub flags: bool,
    pub documents: bool,
}

/// `(table aliased c, column naming the owner, further condition)` for each list, in the order of
/// the lists' fields; the owner's id is `$1`.
const HOUSEHOLD_LISTS: [(&str, &str, &str); 4] = [
    ("application_case c", "household_id", ""),
    ("journal_note c", "household_id", " AND c.case_id IS NULL"),
    ("representative c", "household_id", ""),
    ("temporary_stay c", "household_id", ""),
];
const CASE_LISTS: [(&str, &str, &str); 7] = [
    ("journal_note c", "case_id", ""),
    ("case_task c", "case_id", ""),
    ("applicant_message c", "case_id", ""),
    ("case_decision c", "case_id", ""),
    ("case_letter c", "case_id", ""),
    ("case_flag c", "case_id", ""),
    ("case_document c", "case_id", ""),
];

/// One column `has_<i>` per list: 1 when the list holds a row, else 0. `m` is the municipality
/// written in (not bound): the case table's indexes keep SQLite's value samples
/// (`db::SAMPLED_INDEXES`).
fn probes(m: &str, lists: &[(&str, &str, &str)]) -> String {
    lists
        .iter()
        .enumerate()
        .map(|(i, (table, owner, extra))| {
            format!(
                ", CASE WHEN EXISTS (SELECT 1 FROM {table} WHERE c.municipality_id = {m} AND c.{owner} = $1{extra}) \
                 THEN 1 ELSE 0 END AS has_{i}"
            )
        })
        .collect()
}

fn answers<const N: usize>(row: &AnyRow) -> StoreResult<[bool; N]> {
    let mut found = [false; N];
    for (i, slot) in found.iter_mut().enumerate() {
        *slot = crate::flag_of(row, &format!("has_{i}"))?;
    }
    Ok(found)
}

fn household_with_lists_sql(municipality: MunicipalityId) -> String {
    let m = crate::literal(&municipality.to_string());
    household_sql(&m, &probes(&m, &HOUSEHOLD_LISTS))
}

fn case_lists_sql(municipality: MunicipalityId) -> String {
    // The first column only gives the others a list to follow.
    let m = crate::literal(&municipality.to_string());
    format!("SELECT 1 AS one{}", probes(&m, &CASE_LISTS))
}

impl Store {
    /// The household with its members, and which of its page's lists hold anything. Not audited
    /// here, as [`Store::household`].
    pub async fn household_with_lists(
        &self,
        municipality: MunicipalityId,
        id: HouseholdId,
    ) -> StoreResult<(Household, HouseholdLists)> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(household_with_lists_sql(municipality)))
            .bind(id.to_string())
            .fetch_all(&mut self.key_read().await?)
            .await?;
        let household = household_from_rows(municipality, id, &rows)?;
        let [cases, notes, representatives, stays] = answers(&rows[0])?;
        let lists = HouseholdLists {
            cases,
            notes,
            representatives,
            stays,
        };
        Ok((household, lists))
    }

    /// Which of the case page's lists hold anything. Not audited here: the page's reader records
    /// the case's view.
    pub async fn case_lists(&self, municipality: MunicipalityId, id: CaseId) -> StoreResult<CaseLists> {
        let row = sqlx::query(sqlx::AssertSqlSafe(case_lists_sql(municipality)))
            .bind(id.to_string())
            .fetch_one(&mut self.key_read().await?)
            .await?;
        let [notes, tasks, applicant_messages, decisions, letters, flags, documents] = answers(&row)?;
        Ok(CaseLists {
            notes,
            tasks,
            applicant_messages,
            decisions,
            letters,
            flags,
            documents,
        })
    }
}

#[cfg(test)]
mod tests {
    const ID: &str = "01a24634-7263-70a7-b260-e66266e3f277";

    fn municipality() -> husly_domain::MunicipalityId {
        husly_domain::MunicipalityId(ID.parse().expect("uuid"))
    }

    #[tokio::test]
    async fn the_household_and_its_lists_are_looked_up_by_index() {
        crate::testing::assert_reads_by_index(&super::household_with_lists_sql(municipality()), &[ID]).await;
    }

    #[tokio::test]
    async fn the_case_pages_lists_are_looked_up_by_index() {
        crate::testing::assert_reads_by_index(&super::case_lists_sql(municipality()), &[ID]).await;
    }
}
