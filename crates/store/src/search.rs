//! Finding people and their households by name, address, identity number or case reference.
//!
//! Names and addresses are found through a text index (schema 30): `person_search` and
//! `household_search` hold the words of each name and address as `search_words` makes them,
//! indexed by SQLite's FTS5 (with prefix indexes) or PostgreSQL's GIN over a tsvector. Each
//! query word must be the start of some word; every word of the query must match. Whole-word
//! matches rank first, then names in alphabetical order; address matches follow name matches.

use crate::Store;
use crate::db::{Backend, Tx};
use crate::error::StoreResult;
use crate::households::{PERSON_COLUMNS, Person};
use crate::municipalities::parse_id;
use husly_domain::search::search_words;
use husly_domain::{CaseId, HouseholdId, MunicipalityId, PersonId};
use sqlx::FromRow;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

pub use husly_domain::search::SearchQuery;

/// The schema version that created the index; `migrate` fills it right after.
pub(crate) const INDEX_SCHEMA: i64 = 30;

/// Rows per insert when the index is filled in bulk (three parameters each).
const BULK_ROWS: usize = 300;

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub person: Person,
    pub households: Vec<HouseholdRef>,
}

#[derive(Debug, Clone)]
pub struct HouseholdRef {
    pub id: HouseholdId,
    /// Empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
}

/// The case a query named by its reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseMatch {
    pub id: CaseId,
    pub reference: String,
    pub household: HouseholdId,
}

/// What a search found: the people, and the case when the query was a case reference.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub case: Option<CaseMatch>,
    pub hits: Vec<SearchHit>,
}

/// The index tables: (table, the key column, the FTS5 table on SQLite).
const PEOPLE: (&str, &str, &str) = ("person_search", "person_id", "person_search_fts");
const HOUSEHOLDS: (&str, &str, &str) = ("household_search", "household_id", "household_search_fts");

impl Store {
    /// People in a municipality matching the query (see the module documentation for the order).
    pub async fn search_people(
        &self,
        municipality: MunicipalityId,
        query: &SearchQuery,
        limit: i64,
    ) -> StoreResult<Found> {
        let limit = limit.clamp(1, 200);
        let m = municipality.to_string();
        let (case, rows) = match query {
            SearchQuery::NationalId(number) => {
                let sql = format!(
                    "SELECT {PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.national_id = $2"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&m)
                    .bind(number)
                    .fetch_all(self.pool())
                    .await?;
                (None, rows)
            }
            SearchQuery::CaseReference(reference) => match self.case_match(&m, reference).await? {
                Some(case) => {
                    let sql = format!(
                        "SELECT {PERSON_COLUMNS} FROM household_member hm JOIN person p ON p.id = hm.person_id \
                         WHERE hm.municipality_id = $1 AND hm.household_id = $2 ORDER BY hm.position, p.id"
                    );
                    let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                        .bind(&m)
                        .bind(case.household.to_string())
                        .fetch_all(self.pool())
                        .await?;
                    (Some(case), rows)
                }
                None => (None, Vec::new()),
            },
            SearchQuery::Words(words) => {
                let mut rows = self.people_by_words(&m, words, PEOPLE, limit).await?;
                let wanted = limit - rows.len() as i64;
                if wanted > 0 {
                    rows.extend(self.people_by_words(&m, words, HOUSEHOLDS, wanted).await?);
                }
                (None, rows)
            }
        };
        let mut seen = HashSet::new();
        let mut people = Vec::with_capacity(rows.len());
        for row in &rows {
            let person = Person::from_row(row)?;
            if seen.insert(person.id) && (people.len() as i64) < limit {
                people.push(person);
            }
        }
        let mut households = self.households_of(municipality, &people).await?;
        let hits = people
            .into_iter()
            .map(|person| {
                let households = households.remove(&person.id).unwrap_or_default();
                SearchHit { person, households }
            })
            .collect();
        Ok(Found { case, hits })
    }

    async fn case_match(&self, municipality: &str, reference: &str) -> StoreResult<Option<CaseMatch>> {
        let row = sqlx::query(
            "SELECT id, reference, household_id FROM application_case WHERE municipality_id = $1 AND reference = $2",
        )
        .bind(municipality)
        .bind(reference)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(CaseMatch {
                id: parse_id(&row.try_get::<String, _>("id")?)?,
                reference: row.try_get("reference")?,
                household: parse_id(&row.try_get::<String, _>("household_id")?)?,
            })
        })
        .transpose()
    }

    /// People whose name (`PEOPLE`) or household address (`HOUSEHOLDS`) has a word starting
    /// with each of `words`; whole-word matches first.
    async fn people_by_words(
        &self,
        municipality: &str,
        words: &[String],
        (table, _, fts): (&str, &str, &str),
        limit: i64,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        // $1 municipality, $2 the index query, $3 the limit, then one LIKE pattern per word.
        let (from, matched, index_query) = match self.backend() {
            Backend::Sqlite => (
                format!("{fts} f JOIN {table} s ON s.id = f.rowid"),
                format!("{fts} MATCH $2"),
                words.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
            ),
            Backend::Postgres => (
                format!("{table} s"),
                "s.lexemes @@ CAST($2 AS tsquery)".to_string(),
                words.iter().map(|w| format!("'{w}':*")).collect::<Vec<_>>().join(" & "),
            ),
        };
        let whole_words: Vec<String> = (0..words.len())
            .map(|i| format!("CASE WHEN ' ' || s.words || ' ' LIKE ${} THEN 1 ELSE 0 END", 4 + i))
            .collect();
        let score = whole_words.join(" + ");
        let sql = if table == PEOPLE.0 {
            format!(
                "SELECT {PERSON_COLUMNS} FROM {from} JOIN person p ON p.id = s.person_id \
                 WHERE {matched} AND s.municipality_id = $1 \
                 ORDER BY ({score}) DESC, p.family_name, p.given_name, p.id LIMIT $3"
            )
        } else {
            // The households first, ordered and limited (no more households than people are
            // wanted), then their members: the members of every matching address are never read.
            format!(
                "SELECT {PERSON_COLUMNS} FROM ( \
                 SELECT s.household_id, s.municipality_id, ({score}) AS score, h.address_line \
                 FROM {from} JOIN household h ON h.id = s.household_id \
                 WHERE {matched} AND s.municipality_id = $1 \
                 ORDER BY score DESC, h.address_line, s.household_id LIMIT $3) page \
                 JOIN household_member hm ON hm.municipality_id = page.municipality_id AND hm.household_id = page.household_id \
                 JOIN person p ON p.id = hm.person_id \
                 ORDER BY page.score DESC, page.address_line, page.household_id, hm.position, p.id"
            )
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(index_query)
            .bind(limit);
        for word in words {
            query = query.bind(format!("% {word} %"));
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// The households of all hits in one query.
    async fn households_of(
        &self,
        municipality: MunicipalityId,
        people: &[Person],
    ) -> StoreResult<HashMap<PersonId, Vec<HouseholdRef>>> {
        let mut by_person: HashMap<PersonId, Vec<HouseholdRef>> = HashMap::new();
        if people.is_empty() {
            return Ok(by_person);
        }
        let placeholders: Vec<String> = (0..people.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT m.person_id, h.id, h.address_line, {} FROM household_member m JOIN household h ON h.id = m.household_id \
             WHERE m.municipality_id = $1 AND m.person_id IN ({}) ORDER BY h.from_date DESC, h.id",
            crate::protection::PROTECTED,
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        for person in people {
            query = query.bind(person.id.to_string());
        }
        for row in query.fetch_all(self.pool()).await? {
            let person: PersonId = parse_id(&row.try_get::<String, _>("person_id")?)?;
            let mut address_line: String = row.try_get("address_line")?;
            let address_protected = crate::protection::masked(&row, &mut [&mut address_line])?;
            by_person.entry(person).or_default().push(HouseholdRef {
                id: parse_id(&row.try_get::<String, _>("id")?)?,
                address_line,
                address_protected,
            });
        }
        Ok(by_person)
    }
}

/// The words a person is found by, written with the name.
pub(crate) async fn index_person(
    tx: &mut Tx,
    municipality: MunicipalityId,
    person: PersonId,
    given_name: &str,
    family_name: &str,
) -> StoreResult<()> {
    let words = search_words(&[given_name, family_name]).join(" ");
    upsert_words(tx, PEOPLE, (municipality.to_string(), person.to_string(), words)).await
}

/// The words a household is found by, written with the address (after its members): none while
/// a member has an address block, so a protected household is not found by its address.
pub(crate) async fn index_household(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    (address_line, postal_code, postal_city): (&str, &str, &str),
) -> StoreResult<()> {
    let words = if crate::protection::household_is_protected(tx, municipality, household).await? {
        String::new()
    } else {
        household_words(address_line, postal_code, postal_city)
    };
    upsert_words(tx, HOUSEHOLDS, (municipality.to_string(), household.to_string(), words)).await
}

pub(crate) fn household_words(address_line: &str, postal_code: &str, postal_city: &str) -> String {
    search_words(&[address_line, postal_code, postal_city]).join(" ")
}

async fn upsert_words(
    tx: &mut Tx,
    (table, key, _): (&str, &str, &str),
    (municipality, id, words): (String, String, String),
) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO {table} ({key}, municipality_id, words) VALUES ($1, $2, $3) \
         ON CONFLICT ({key}) DO UPDATE SET words = excluded.words"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .bind(municipality)
        .bind(words)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// Rows for the index in bulk: (municipality, person or household id, words).
pub(crate) type WordRow = (String, String, String);

pub(crate) async fn insert_person_words(tx: &mut Tx, rows: &[WordRow]) -> StoreResult<()> {
    insert_words(tx, PEOPLE, rows).await
}

pub(crate) async fn insert_household_words(tx: &mut Tx, rows: &[WordRow]) -> StoreResult<()> {
    insert_words(tx, HOUSEHOLDS, rows).await
}

async fn insert_words(tx: &mut Tx, (table, key, _): (&str, &str, &str), rows: &[WordRow]) -> StoreResult<()> {
    for chunk in rows.chunks(BULK_ROWS) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("(${}, ${}, ${})", 3 * i + 1, 3 * i + 2, 3 * i + 3))
            .collect();
        let sql = format!(
            "INSERT INTO {table} (municipality_id, {key}, words) VALUES {}",
            values.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (municipality, id, words) in chunk {
            query = query.bind(municipality.clone()).bind(id.clone()).bind(words.clone());
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Fills the index from every name and address in the database (after the migration that
/// created it, and after an import).
pub(crate) async fn rebuild_search_index(tx: &mut Tx) -> StoreResult<()> {
    sqlx::query("DELETE FROM person_search").execute(tx.conn()).await?;
    sqlx::query("DELETE FROM household_search").execute(tx.conn()).await?;
    let people: Vec<WordRow> = sqlx::query("SELECT id, municipality_id, given_name, family_name FROM person")
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| {
            let (given, family): (String, String) = (row.try_get("given_name")?, row.try_get("family_name")?);
            Ok((
                row.try_get("municipality_id")?,
                row.try_get("id")?,
                search_words(&[&given, &family]).join(" "),
            ))
        })
        .collect::<StoreResult<_>>()?;
    insert_person_words(tx, &people).await?;
    let households: Vec<WordRow> =
        sqlx::query("SELECT id, municipality_id, address_line, postal_code, postal_city FROM household")
            .fetch_all(tx.conn())
            .await?
            .iter()
            .map(|row| {
                let (line, code, city): (String, String, String) = (
                    row.try_get("address_line")?,
                    row.try_get("postal_code")?,
                    row.try_get("postal_city")?,
                );
                Ok((
                    row.try_get("municipality_id")?,
                    row.try_get("id")?,
                    household_words(&line, &code, &city),
                ))
            })
            .collect::<StoreResult<_>>()?;
    insert_household_words(tx, &households).await
}
