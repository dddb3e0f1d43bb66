//! What an access log needs to answer "who has looked at my data?": the records that hold a
//! person's data, and the names of the records an access log lists.

use crate::Store;
use crate::error::StoreResult;
use husly_domain::{MunicipalityId, PersonId};
use sqlx::Row;
use std::collections::HashMap;

/// Records of one kind named at once: bounded so a query's parameter list stays small.
const NAMES_AT_ONCE: usize = 200;

/// What an access log shows for a record instead of its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordName {
    Person {
        given_name: String,
        family_name: String,
    },
    /// Named by its address; empty, with `address_protected`, when it is protected.
    Household {
        address_line: String,
        postal_code: String,
        postal_city: String,
        address_protected: bool,
    },
    Case {
        reference: String,
        case_type: String,
    },
}

impl Store {
    /// The ids of every record that holds the person's data in the municipality: the person,
    /// the households they are a member of, those households' cases, and the self-service
    /// drafts those cases came from. The ids are what audit entries name.
    pub async fn person_records(&self, municipality: MunicipalityId, person: PersonId) -> StoreResult<Vec<String>> {
        // Three set queries, whatever the number of households and cases.
        const HOUSEHOLDS: &str =
            "SELECT household_id FROM household_member WHERE municipality_id = $1 AND person_id = $2";
        let cases =
            format!("SELECT id FROM application_case WHERE municipality_id = $1 AND household_id IN ({HOUSEHOLDS})");
        let drafts =
            format!("SELECT id FROM application_draft WHERE municipality_id = $1 AND submitted_case_id IN ({cases})");
        let mut records = vec![person.to_string()];
        for sql in [
            format!("{HOUSEHOLDS} ORDER BY household_id"),
            format!("{cases} ORDER BY id"),
            drafts,
        ] {
            let ids: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .bind(municipality.to_string())
                .bind(person.to_string())
                .fetch_all(&mut *self.conn().await?)
                .await?;
            records.extend(ids);
        }
        Ok(records)
    }

    /// The names of the records among `ids` that are people, households or cases of the
    /// municipality; other ids (users, drafts, the municipality) are left out.
    pub async fn record_names(
        &self,
        municipality: MunicipalityId,
        ids: &[String],
    ) -> StoreResult<HashMap<String, RecordName>> {
        let mut ids: Vec<&String> = ids.iter().filter(|id| !id.is_empty()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut names = HashMap::new();
        for chunk in ids.chunks(NAMES_AT_ONCE) {
            let list = (0..chunk.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ");
            for (table, columns) in [
                ("person", "id, given_name, family_name"),
                (
                    "household",
                    concat!(
                        "h.id, h.address_line, h.postal_code, h.postal_city, ",
                        crate::protection::protected_sql!("h.municipality_id", "h.id")
                    ),
                ),
                ("application_case", "id, reference, case_type"),
            ] {
                let sql = format!("SELECT {columns} FROM {table} h WHERE h.municipality_id = $1 AND h.id IN ({list})");
                let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
                for id in chunk {
                    query = query.bind(*id);
                }
                for row in query.fetch_all(&mut *self.conn().await?).await? {
                    let name = match table {
                        "person" => RecordName::Person {
                            given_name: row.try_get("given_name")?,
                            family_name: row.try_get("family_name")?,
                        },
                        "household" => {
                            let (mut address_line, mut postal_code, mut postal_city): (String, String, String) = (
                                row.try_get("address_line")?,
                                row.try_get("postal_code")?,
                                row.try_get("postal_city")?,
                            );
                            let address_protected = crate::protection::masked(
                                &row,
                                &mut [&mut address_line, &mut postal_code, &mut postal_city],
                            )?;
                            RecordName::Household {
                                address_line,
                                postal_code,
                                postal_city,
                                address_protected,
                            }
                        }
                        _ => RecordName::Case {
                            reference: row.try_get("reference")?,
                            case_type: row.try_get("case_type")?,
                        },
                    };
                    names.insert(row.try_get("id")?, name);
                }
            }
        }
        Ok(names)
    }

    /// The id of a case by its reference (`2026-000042`) in the municipality.
    pub async fn case_by_reference(
        &self,
        municipality: MunicipalityId,
        reference: &str,
    ) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM application_case WHERE municipality_id = $1 AND reference = $2")
                .bind(municipality.to_string())
                .bind(reference)
                .fetch_optional(&mut *self.conn().await?)
                .await?,
        )
    }
}
