//! Finding people and their households by name, address, identity number or case reference.
//!
//! Names and addresses are found through a text index (schema 30): `person_search` and
//! `household_search` hold the words of each name and address as `search_words` makes them,
//! indexed by SQLite's FTS5 (with prefix indexes) or PostgreSQL's GIN over a tsvector. Each
//! query word must be the start of some word; every word of the query must match. Whole-word
//! matches rank first, then names in alphabetical order; address matches follow name matches.
//!
//! A search ranks a bounded set: the first [`CANDIDATES`] prefix matches of the index, sorted by
//! the index row's `sort_key`, and when there are more, every match whose words are all whole too
//! (up to as many again), so it costs the same in any size of municipality and an exact name is
//! never cut off; [`Found::too_many`] then says so, and the user types more of the name.
//!
//! A query of two words or more that [`SearchQuery::pair_prefix`] can tell apart takes its
//! prefix matches from the pair tokens (schema 41, `husly_domain::search::pair_tokens`): one
//! narrow range of the index holding only rows with both words, checked against every word. It
//! finds the rows the words' own index finds, at a fraction of the entries read. A person's
//! pair tokens are rows of a B-tree keyed by the token and the sort key and carrying the words
//! (schema 48, [`Pairs::Rows`]), so the candidates are read in order from a few pages instead
//! of one row each from wherever it lies; an address's stay in the text index.
//!
//! The ranking does not read through the request's pinned connection (`Store::pinned`): its
//! text-index statements are long, and giving the connection back between them kept the p99
//! under 64 clients at 155–166 ms against 186–198 ms pinned (docs/benchmarks.md, "A bounded name
//! search"). On SQLite it runs on a direct connection off the runtime's threads; on PostgreSQL on
//! connections of its own that keep one plan per statement (`db::search_pool`).

use crate::Store;
use crate::db::{Backend, Tx};
use crate::error::StoreResult;
use crate::households::{PERSON_COLUMNS, Person};
use crate::municipalities::parse_id;
use husly_domain::search::{pair_tokens, search_words};
use husly_domain::{CaseId, HouseholdId, MunicipalityId, PersonId};
use sqlx::FromRow;
use sqlx::Row;
use std::collections::{HashMap, HashSet};

pub use husly_domain::search::SearchQuery;

/// The schema version that last changed the index's rows; `migrate` fills them right after.
pub(crate) const INDEX_SCHEMA: i64 = 48;

/// How many prefix matches a search ranks at most (and as many whole-word matches).
pub const CANDIDATES: i64 = 1_000;

/// Rows per insert when the index is filled in bulk (five parameters each).
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
    /// More than [`CANDIDATES`] names or addresses start with the query's words: the hits are
    /// the best of the whole-word matches and the first prefix matches, not of all of them.
    pub too_many: bool,
}

/// One of the two indexes: its table, the key column, on SQLite the FTS5 table of its words, and
/// where its pair tokens are found.
#[derive(Debug, Clone, Copy)]
struct Index {
    table: &'static str,
    key: &'static str,
    words_fts: &'static str,
    pairs: Pairs,
}

/// Where an index keeps its pair tokens.
#[derive(Debug, Clone, Copy)]
enum Pairs {
    /// In the text index, beside the words (on SQLite the FTS5 table named).
    Text(&'static str),
    /// As rows of a B-tree keyed by the token and the sort key, carrying the words (schema 48).
    Rows(&'static str),
}

/// A person's pair tokens as rows (schema 48).
const PERSON_PAIRS: &str = "person_search_pair";

const PEOPLE: Index = Index {
    table: "person_search",
    key: "person_id",
    words_fts: "person_search_fts",
    pairs: Pairs::Rows(PERSON_PAIRS),
};
const HOUSEHOLDS: Index = Index {
    table: "household_search",
    key: "household_id",
    words_fts: "household_search_fts",
    pairs: Pairs::Text("household_pairs_fts"),
};

/// The first text after every text that starts with `prefix`, in byte order: the end of the
/// range of a key that holds them. No search word holds U+10FFFF (a noncharacter).
fn prefix_end(prefix: &str) -> String {
    format!("{prefix}{}", char::MAX)
}

/// A statement's text parameters, numbered after the two every ranking binds first.
#[derive(Default)]
struct TextParams(Vec<String>);

impl TextParams {
    const FIRST: usize = 3;

    /// Adds a value and gives its placeholder.
    fn add(&mut self, value: String) -> String {
        self.0.push(value);
        format!("${}", Self::FIRST + self.0.len() - 1)
    }
}

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
        let (case, rows, too_many) = match query {
            SearchQuery::NationalId(number) => {
                let sql = format!(
                    "SELECT {PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.national_id = $2"
                );
                let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(&m)
                    .bind(number)
                    .fetch_all(&mut self.key_read().await?)
                    .await?;
                (None, rows, false)
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
                        .fetch_all(&mut self.key_read().await?)
                        .await?;
                    (Some(case), rows, false)
                }
                None => (None, Vec::new(), false),
            },
            SearchQuery::Words(words) => {
                let (mut rows, mut too_many) = self.people_by_words(&m, words, PEOPLE, limit).await?;
                let wanted = limit - rows.len() as i64;
                if wanted > 0 {
                    let (more, more_too_many) = self.people_by_words(&m, words, HOUSEHOLDS, wanted).await?;
                    rows.extend(more);
                    too_many |= more_too_many;
                }
                (None, rows, too_many)
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
        Ok(Found { case, hits, too_many })
    }

    async fn case_match(&self, municipality: &str, reference: &str) -> StoreResult<Option<CaseMatch>> {
        let row = sqlx::query(
            "SELECT id, reference, household_id FROM application_case WHERE municipality_id = $1 AND reference = $2",
        )
        .bind(municipality)
        .bind(reference)
        .fetch_optional(&mut self.key_read().await?)
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
    /// with each of `words`, ranked among the bounded candidates (module documentation); and
    /// whether more matched than the candidates hold.
    async fn people_by_words(
        &self,
        municipality: &str,
        words: &[String],
        index: Index,
        limit: i64,
    ) -> StoreResult<(Vec<sqlx::any::AnyRow>, bool)> {
        let rows = self.ranked(municipality, words, index, limit, Pass::First).await?;
        let counted = prefix_matches(&rows)?;
        if counted <= CANDIDATES {
            // Only a person's pair rows can give a person twice.
            if !matches!(index.pairs, Pairs::Rows(_)) || !repeats_a_person(&rows)? {
                return Ok((rows, false));
            }
            // A person holding two of the range's pair tokens took two places of the page.
            return Ok((
                self.ranked(municipality, words, index, limit, Pass::Exact).await?,
                false,
            ));
        }
        // Too many to rank them all: again, with the whole-word matches the first ones missed.
        // Only then, as finding them costs as much again. Counted once each, the candidates may
        // prove to be within the bound after all.
        let rows = self
            .ranked(municipality, words, index, limit, Pass::WithWholeWords)
            .await?;
        let too_many = prefix_matches(&rows)? > CANDIDATES;
        Ok((rows, too_many))
    }

    /// One ranking: the first prefix matches of the index, and in [`Pass::WithWholeWords`] every
    /// match whose words are all whole too; each row with the number of prefix matches (to one
    /// past the bound) as `prefix_matches`.
    async fn ranked(
        &self,
        municipality: &str,
        words: &[String],
        index: Index,
        limit: i64,
        pass: Pass,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        let Index { table, key, .. } = index;
        // $1 the municipality, $2 the limit, then the texts in the order `params` numbers them.
        // The index gives its matches in its own order, so the first prefix matches are cheap
        // to take, and the ranking reads only the index rows.
        let mut params = TextParams::default();
        let pair = SearchQuery::pair_prefix(words);
        let sqlite = self.backend() == Backend::Sqlite;
        let from_text = |fts: &str| {
            if sqlite {
                format!("{fts} f JOIN {table} s ON s.id = f.rowid")
            } else {
                format!("{table} s")
            }
        };
        // The FTS5 table on SQLite, the tsvector column on PostgreSQL.
        let matches = |fts: &str, column: &str, param: &str| {
            if sqlite {
                format!("{fts} MATCH {param}")
            } else {
                format!("s.{column} @@ CAST({param} AS tsquery)")
            }
        };
        let query = |terms: Vec<String>| terms.join(if sqlite { " " } else { " & " });
        let term = |word: &str, prefix: bool| match (sqlite, prefix) {
            (true, true) => format!("\"{word}\"*"),
            (true, false) => format!("\"{word}\""),
            (false, true) => format!("'{word}':*"),
            (false, false) => format!("'{word}'"),
        };
        let whole: Vec<String> = words
            .iter()
            .map(|w| format!("' ' || s.words || ' ' LIKE {}", params.add(format!("% {w} %"))))
            .collect();
        let score = whole
            .iter()
            .map(|like| format!("CASE WHEN {like} THEN 1 ELSE 0 END"))
            .collect::<Vec<_>>()
            .join(" + ");
        let columns = format!("s.{key} AS id, s.sort_key, s.words");
        let whole_by_words = |params: &mut TextParams| {
            let whole_query = params.add(query(words.iter().map(|w| term(w, false)).collect()));
            format!(
                "SELECT {columns} FROM {} WHERE {} AND s.municipality_id = $1",
                from_text(index.words_fts),
                matches(index.words_fts, "lexemes", &whole_query)
            )
        };
        // Where the prefix matches come from, and, when the whole-word matches do not come from
        // the words' index, where those do.
        let (prefix, whole_by_pair) = match (&pair, index.pairs) {
            // The pair tokens find the candidates; each word, as a word's start, decides. As
            // rows: one range of the key, in which a person may hold two tokens.
            (Some(pair), pairs) => {
                let starts: Vec<String> = words
                    .iter()
                    .map(|w| format!("' ' || s.words LIKE {}", params.add(format!("% {w}%"))))
                    .collect();
                let starts = starts.join(" AND ");
                match pairs {
                    Pairs::Rows(rows) => {
                        let first = params.add(pair.clone());
                        let end = params.add(prefix_end(pair));
                        let distinct = if pass == Pass::First { "" } else { "DISTINCT " };
                        (
                            format!(
                                "SELECT {distinct}{columns} FROM {rows} s WHERE s.municipality_id = $1 \
                                 AND s.pair >= {first} AND s.pair < {end} AND {starts}"
                            ),
                            // A whole-word match holds the pair prefix as a token of its own.
                            Some(format!(
                                "SELECT DISTINCT {columns} FROM {rows} s WHERE s.municipality_id = $1 \
                                 AND s.pair = {first} AND {}",
                                whole.join(" AND ")
                            )),
                        )
                    }
                    Pairs::Text(fts) => {
                        let prefix_query = params.add(term(pair, true));
                        (
                            format!(
                                "SELECT {columns} FROM {} WHERE {} AND {starts} AND s.municipality_id = $1",
                                from_text(fts),
                                matches(fts, "pair_lexemes", &prefix_query)
                            ),
                            None,
                        )
                    }
                }
            }
            (None, _) => {
                let prefix_query = params.add(query(words.iter().map(|w| term(w, true)).collect()));
                (
                    format!(
                        "SELECT {columns} FROM {} WHERE {} AND s.municipality_id = $1",
                        from_text(index.words_fts),
                        matches(index.words_fts, "lexemes", &prefix_query)
                    ),
                    None,
                )
            }
        };
        let (whole, union) = if pass == Pass::WithWholeWords {
            let whole_matches = whole_by_pair.unwrap_or_else(|| whole_by_words(&mut params));
            (
                format!("whole AS ({whole_matches} AND s.{key} NOT IN (SELECT id FROM prefix) LIMIT {CANDIDATES}), "),
                " UNION ALL SELECT * FROM whole",
            )
        } else {
            (String::new(), "")
        };
        let candidates = format!(
            "WITH prefix AS MATERIALIZED ({prefix} LIMIT {over}), \
             {whole} \
             page AS ( \
             SELECT s.id, s.sort_key, ({score}) AS score FROM (SELECT * FROM prefix{union}) s \
             ORDER BY score DESC, s.sort_key, s.id LIMIT $2) ",
            over = CANDIDATES + 1,
        );
        let sql = if table == PEOPLE.table {
            format!(
                "{candidates} SELECT {PERSON_COLUMNS}, (SELECT COUNT(*) FROM prefix) AS prefix_matches \
                 FROM page JOIN person p ON p.id = page.id \
                 ORDER BY page.score DESC, page.sort_key, page.id"
            )
        } else {
            // No more households than people are wanted; the members of the other matching
            // addresses are never read.
            format!(
                "{candidates} SELECT {PERSON_COLUMNS}, (SELECT COUNT(*) FROM prefix) AS prefix_matches \
                 FROM page JOIN household_member hm ON hm.municipality_id = $1 AND hm.household_id = page.id \
                 JOIN person p ON p.id = hm.person_id \
                 ORDER BY page.score DESC, page.sort_key, page.id, hm.position, p.id"
            )
        };
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(limit);
        for text in params.0 {
            query = query.bind(text);
        }
        // Up to a thousand candidates are read: off the runtime's threads.
        Ok(query.fetch_all(&mut self.list_read().await?).await?)
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
        // What lists show of a household is one row of `household_display` (schema 49), where the
        // household's own row and the protection probe were pages of three more tables.
        let sql = format!(
            "SELECT m.person_id, d.household_id AS id, d.address_line, d.address_protected \
             FROM household_member m JOIN household_display d \
             ON d.household_id = m.household_id AND d.municipality_id = m.municipality_id \
             WHERE m.municipality_id = $1 AND m.person_id IN ({}) ORDER BY d.from_date DESC, d.household_id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        for person in people {
            query = query.bind(person.id.to_string());
        }
        for row in query.fetch_all(&mut self.key_read().await?).await? {
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

/// A ranking's pass over its candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The prefix matches as the index gives them. A person holds a row per pair token, and in
    /// the rare name with two words that start alike ("Nordby Nordli") two of them lie in one
    /// query's range: read twice, counted twice. Left so, as counting each person once took a
    /// quarter of the ranking's time at 1 000 000 households; [`Pass::Exact`] follows when it
    /// matters (docs/benchmarks.md, "… each candidate counted once only when it matters").
    First,
    /// Each person once.
    Exact,
    /// Each person once, and every match whose words are all whole added.
    WithWholeWords,
}

/// The number of prefix matches a ranking counted (to one past the bound).
fn prefix_matches(rows: &[sqlx::any::AnyRow]) -> StoreResult<i64> {
    Ok(match rows.first() {
        Some(row) => row.try_get::<i64, _>("prefix_matches")?,
        None => 0,
    })
}

/// Whether a person comes twice in a ranking's rows (always next to each other: a person's
/// rows rank alike).
fn repeats_a_person(rows: &[sqlx::any::AnyRow]) -> StoreResult<bool> {
    let mut previous: Option<String> = None;
    for row in rows {
        let id: String = row.try_get("id")?;
        if previous.as_ref() == Some(&id) {
            return Ok(true);
        }
        previous = Some(id);
    }
    Ok(false)
}

/// A row of the index.
pub(crate) struct IndexRow {
    municipality: String,
    /// The person's or the household's id.
    id: String,
    words: String,
    pairs: String,
    sort_key: String,
}

impl IndexRow {
    fn new(municipality: String, id: String, words: &[String], sort_key: String) -> IndexRow {
        IndexRow {
            municipality,
            id,
            words: words.join(" "),
            pairs: pair_tokens(words).join(" "),
            sort_key,
        }
    }
}

/// A person's index row: the name's words, sorted by family name and then given name.
pub(crate) fn person_row(municipality: String, person: String, given_name: &str, family_name: &str) -> IndexRow {
    let words = search_words(&[given_name, family_name]);
    IndexRow::new(municipality, person, &words, format!("{family_name} {given_name}"))
}

/// A household's index row: the address's words, sorted by the address line.
pub(crate) fn household_row(
    municipality: String,
    household: String,
    (address_line, postal_code, postal_city): (&str, &str, &str),
) -> IndexRow {
    let words = search_words(&[address_line, postal_code, postal_city]);
    IndexRow::new(municipality, household, &words, address_line.to_string())
}

/// The words a person is found by, written with the name.
pub(crate) async fn index_person(
    tx: &mut Tx,
    municipality: MunicipalityId,
    person: PersonId,
    given_name: &str,
    family_name: &str,
) -> StoreResult<()> {
    let row = person_row(municipality.to_string(), person.to_string(), given_name, family_name);
    upsert_row(tx, PEOPLE, row).await
}

/// The words a household is found by, written with the address (after its members): none while
/// a member has an address block, so a protected household is not found by its address.
pub(crate) async fn index_household(
    tx: &mut Tx,
    municipality: MunicipalityId,
    household: HouseholdId,
    address: (&str, &str, &str),
) -> StoreResult<()> {
    let protected = crate::protection::household_is_protected(tx, municipality, household).await?;
    let address = if protected { ("", "", "") } else { address };
    let row = household_row(municipality.to_string(), household.to_string(), address);
    upsert_row(tx, HOUSEHOLDS, row).await
}

async fn upsert_row(tx: &mut Tx, index: Index, row: IndexRow) -> StoreResult<()> {
    let Index { table, key, .. } = index;
    // A change to a household registers every member again, mostly under the same name: then
    // the pair rows stay as they are.
    let mut pairs_kept = false;
    if let Pairs::Rows(rows) = index.pairs {
        // The rows of the name before (its pairs and sort key say which), by their key.
        let sql = format!("SELECT pairs, sort_key FROM {table} WHERE {key} = $1");
        let before = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&row.id)
            .fetch_optional(tx.conn())
            .await?;
        if let Some(before) = before {
            let (pairs, sort_key): (String, String) = (before.try_get("pairs")?, before.try_get("sort_key")?);
            pairs_kept = pairs == row.pairs && sort_key == row.sort_key;
            if !pairs_kept {
                let sql = format!(
                    "DELETE FROM {rows} WHERE municipality_id = $1 AND pair = $2 AND sort_key = $3 AND {key} = $4"
                );
                for pair in pairs.split_whitespace() {
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                        .bind(&row.municipality)
                        .bind(pair)
                        .bind(&sort_key)
                        .bind(&row.id)
                        .execute(tx.conn())
                        .await?;
                }
            }
        }
    }
    let sql = format!(
        "INSERT INTO {table} ({key}, municipality_id, words, pairs, sort_key) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT ({key}) DO UPDATE SET words = excluded.words, pairs = excluded.pairs, sort_key = excluded.sort_key"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(&row.id)
        .bind(&row.municipality)
        .bind(&row.words)
        .bind(&row.pairs)
        .bind(&row.sort_key)
        .execute(tx.conn())
        .await?;
    if pairs_kept {
        return Ok(());
    }
    insert_pair_rows(tx, index, std::slice::from_ref(&row)).await
}

pub(crate) async fn insert_person_rows(tx: &mut Tx, rows: &[IndexRow]) -> StoreResult<()> {
    insert_rows(tx, PEOPLE, rows).await
}

pub(crate) async fn insert_household_rows(tx: &mut Tx, rows: &[IndexRow]) -> StoreResult<()> {
    insert_rows(tx, HOUSEHOLDS, rows).await
}

async fn insert_rows(tx: &mut Tx, index: Index, rows: &[IndexRow]) -> StoreResult<()> {
    let Index { table, key, .. } = index;
    for chunk in rows.chunks(BULK_ROWS) {
        let sql = format!(
            "INSERT INTO {table} (municipality_id, {key}, words, pairs, sort_key) VALUES {}",
            crate::values_placeholders(chunk.len(), 5)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for row in chunk {
            query = query
                .bind(row.municipality.clone())
                .bind(row.id.clone())
                .bind(row.words.clone())
                .bind(row.pairs.clone())
                .bind(row.sort_key.clone());
        }
        query.execute(tx.conn()).await?;
    }
    insert_pair_rows(tx, index, rows).await
}

/// The rows of the rows' pair tokens, where the index keeps them as rows (schema 48).
async fn insert_pair_rows(tx: &mut Tx, index: Index, rows: &[IndexRow]) -> StoreResult<()> {
    let Pairs::Rows(table) = index.pairs else {
        return Ok(());
    };
    let key = index.key;
    let pairs: Vec<(&IndexRow, &str)> = rows
        .iter()
        .flat_map(|row| row.pairs.split_whitespace().map(move |pair| (row, pair)))
        .collect();
    for chunk in pairs.chunks(BULK_ROWS) {
        let sql = format!(
            "INSERT INTO {table} (municipality_id, pair, sort_key, {key}, words) VALUES {}",
            crate::values_placeholders(chunk.len(), 5)
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (row, pair) in chunk {
            query = query
                .bind(row.municipality.clone())
                .bind(pair.to_string())
                .bind(row.sort_key.clone())
                .bind(row.id.clone())
                .bind(row.words.clone());
        }
        query.execute(tx.conn()).await?;
    }
    Ok(())
}

/// Fills the index from every name and address in the database (after the migration that
/// last changed its rows, and after an import); a protected household's address stays out.
///
/// Its reads are not kept prepared: it runs inside a migration (schema 41), and a later migration
/// may change what they return (schema 47 changed the id columns' collation), after which
/// PostgreSQL refuses to run a statement prepared before ("cached plan must not change result
/// type"). sqlx's `Any` driver cannot empty a connection's cache of statements.
pub(crate) async fn rebuild_search_index(tx: &mut Tx) -> StoreResult<()> {
    for table in [PERSON_PAIRS, PEOPLE.table, HOUSEHOLDS.table] {
        let sql = format!("DELETE FROM {table}");
        sqlx::query(sqlx::AssertSqlSafe(sql)).execute(tx.conn()).await?;
    }
    let people: Vec<IndexRow> = sqlx::query("SELECT id, municipality_id, given_name, family_name FROM person")
        .persistent(false)
        .fetch_all(tx.conn())
        .await?
        .iter()
        .map(|row| {
            let (given, family): (String, String) = (row.try_get("given_name")?, row.try_get("family_name")?);
            Ok(person_row(
                row.try_get("municipality_id")?,
                row.try_get("id")?,
                &given,
                &family,
            ))
        })
        .collect::<StoreResult<_>>()?;
    insert_person_rows(tx, &people).await?;
    let households: Vec<IndexRow> =
        sqlx::query("SELECT id, municipality_id, address_line, postal_code, postal_city FROM household")
            .persistent(false)
            .fetch_all(tx.conn())
            .await?
            .iter()
            .map(|row| {
                let (line, code, city): (String, String, String) = (
                    row.try_get("address_line")?,
                    row.try_get("postal_code")?,
                    row.try_get("postal_city")?,
                );
                let (municipality, id) = (row.try_get("municipality_id")?, row.try_get("id")?);
                Ok(household_row(municipality, id, (&line, &code, &city)))
            })
            .collect::<StoreResult<_>>()?;
    insert_household_rows(tx, &households).await?;
    crate::protection::unindex_protected(tx).await?;
    if tx.backend() == Backend::Sqlite {
        // Every row was deleted and written again: merge the text index's segments and drop
        // the deleted entries, which a query would otherwise read past (searches were 10 %
        // slower after a rebuild at 100 000 households).
        let text_pairs = [PEOPLE.pairs, HOUSEHOLDS.pairs]
            .into_iter()
            .filter_map(|pairs| match pairs {
                Pairs::Text(fts) => Some(fts),
                Pairs::Rows(_) => None,
            });
        for fts in [PEOPLE.words_fts, HOUSEHOLDS.words_fts].into_iter().chain(text_pairs) {
            let sql = format!("INSERT INTO {fts} ({fts}) VALUES ('optimize')");
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(tx.conn()).await?;
        }
    }
    Ok(())
}

/// After `migrate` rebuilt the index on PostgreSQL: every old row is a dead tuple, which the
/// GIN index still points at, and the statistics describe the old rows. Until autovacuum came
/// by, a search at 1 000 000 households took 52 ms instead of 25 (docs/benchmarks.md). VACUUM
/// cannot run in the migration's transaction, so it runs here, on the index's three tables only.
pub(crate) async fn vacuum_after_rebuild(store: &Store) -> StoreResult<()> {
    if store.backend() == Backend::Postgres {
        for table in [PERSON_PAIRS, PEOPLE.table, HOUSEHOLDS.table] {
            let sql = format!("VACUUM (ANALYZE) {table}");
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql)).execute(store.pool()).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::db::Backend;
    use crate::testing::TestDb;

    /// On PostgreSQL the ranking runs where plans are kept (`db::search_pool`), and every other
    /// statement where PostgreSQL chooses as usual.
    #[tokio::test]
    async fn the_ranking_keeps_its_plans_on_postgresql_only() {
        for db in TestDb::all().await.expect("test databases") {
            if db.backend() != Backend::Postgres {
                continue;
            }
            let mode = |sql| sqlx::query_scalar::<_, String>(sql);
            let ranking = mode("SHOW plan_cache_mode")
                .fetch_one(&mut db.store.list_read().await.expect("ranking"))
                .await
                .expect("ranking's mode");
            let others = mode("SHOW plan_cache_mode")
                .fetch_one(&mut db.store.key_read().await.expect("key read"))
                .await
                .expect("others' mode");
            assert_eq!((ranking.as_str(), others.as_str()), ("force_generic_plan", "auto"));
        }
    }
}
