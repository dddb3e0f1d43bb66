//! Finding people and their households by name or by identity number.
//!
//! Names are searched through `person_name_token`: every lowercased word of a person's name,
//! indexed by municipality. Each query word must be the start of some word of the name, and a
//! range scan (`token >= 'ola' AND token < 'ola\u{10FFFF}'`) serves it from the index on both
//! backends (PostgreSQL's column uses the "C" collation so the range means "starts with").

use crate::Store;
use crate::error::StoreResult;
use crate::households::{PERSON_COLUMNS, Person};
use crate::municipalities::parse_id;
use husly_domain::{HouseholdId, MunicipalityId, PersonId};
use sqlx::FromRow;
use sqlx::Row;
use std::collections::HashMap;

/// Words beyond this are ignored; four words find anyone.
const MAX_WORDS: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchQuery {
    /// Eleven digits (separators removed): an exact identity number.
    NationalId(String),
    /// Lowercased name words, each a prefix.
    Name(Vec<String>),
}

impl SearchQuery {
    /// `None` for a blank query or one with digits that cannot be an identity number.
    pub fn parse(text: &str) -> Option<SearchQuery> {
        let text = text.trim();
        if text.is_empty() || text.chars().count() > 200 {
            return None;
        }
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            let only_digits_and_separators = text.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.'));
            return (only_digits_and_separators && digits.len() == 11).then_some(SearchQuery::NationalId(digits));
        }
        let words: Vec<String> = text
            .split(|c: char| c.is_whitespace() || c == '-' || c == ',')
            .filter(|w| !w.is_empty())
            .take(MAX_WORDS)
            .map(str::to_lowercase)
            .collect();
        (!words.is_empty()).then_some(SearchQuery::Name(words))
    }
}

#[derive(Debug, Clone)]
pub struct SearchHit {
    pub person: Person,
    pub households: Vec<HouseholdRef>,
}

#[derive(Debug, Clone)]
pub struct HouseholdRef {
    pub id: HouseholdId,
    pub address_line: String,
}

impl Store {
    /// People in a municipality matching the query, by family name then given name.
    pub async fn search_people(
        &self,
        municipality: MunicipalityId,
        query: &SearchQuery,
        limit: i64,
    ) -> StoreResult<Vec<SearchHit>> {
        let limit = limit.clamp(1, 200);
        let rows = match query {
            SearchQuery::NationalId(number) => {
                let sql = format!(
                    "SELECT {PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.national_id = $2"
                );
                sqlx::query(sqlx::AssertSqlSafe(sql))
                    .bind(municipality.to_string())
                    .bind(number)
                    .fetch_all(self.pool())
                    .await?
            }
            SearchQuery::Name(words) => self.search_by_name(municipality, words, limit).await?,
        };
        let people = rows.iter().map(Person::from_row).collect::<Result<Vec<_>, _>>()?;
        let mut households = self.households_of(municipality, &people).await?;
        Ok(people
            .into_iter()
            .map(|person| {
                let households = households.remove(&person.id).unwrap_or_default();
                SearchHit { person, households }
            })
            .collect())
    }

    async fn search_by_name(
        &self,
        municipality: MunicipalityId,
        words: &[String],
        limit: i64,
    ) -> StoreResult<Vec<sqlx::any::AnyRow>> {
        // The longest word is usually the most selective: let it drive the index scan.
        let mut words = words.to_vec();
        words.sort_by_key(|w| std::cmp::Reverse(w.chars().count()));
        // First the set of matching ids (index-only: the token index and, per further word, the
        // (municipality, person, token) index), then the people themselves, sorted, limited.
        let mut sql = format!(
            "SELECT {PERSON_COLUMNS} FROM person p WHERE p.municipality_id = $1 AND p.id IN ( \
             SELECT t.person_id FROM person_name_token t \
             WHERE t.municipality_id = $1 AND t.token >= $2 AND t.token < $3"
        );
        for i in 1..words.len() {
            let (lo, hi) = (2 + 2 * i, 3 + 2 * i);
            sql.push_str(&format!(
                " AND EXISTS (SELECT 1 FROM person_name_token t{i} WHERE t{i}.municipality_id = $1 \
                 AND t{i}.person_id = t.person_id AND t{i}.token >= ${lo} AND t{i}.token < ${hi})"
            ));
        }
        let limit_param = 2 + 2 * words.len();
        sql.push_str(&format!(
            ") ORDER BY p.family_name, p.given_name, p.id LIMIT ${limit_param}"
        ));
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        for word in &words {
            query = query.bind(word.clone()).bind(format!("{word}\u{10FFFF}"));
        }
        Ok(query.bind(limit).fetch_all(self.pool()).await?)
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
            "SELECT m.person_id, h.id, h.address_line FROM household_member m JOIN household h ON h.id = m.household_id \
             WHERE m.municipality_id = $1 AND m.person_id IN ({}) ORDER BY h.from_date DESC, h.id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(municipality.to_string());
        for person in people {
            query = query.bind(person.id.to_string());
        }
        for row in query.fetch_all(self.pool()).await? {
            let person: PersonId = parse_id(&row.try_get::<String, _>("person_id")?)?;
            by_person.entry(person).or_default().push(HouseholdRef {
                id: parse_id(&row.try_get::<String, _>("id")?)?,
                address_line: row.try_get("address_line")?,
            });
        }
        Ok(by_person)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_queries() {
        assert_eq!(SearchQuery::parse("  "), None);
        assert_eq!(
            SearchQuery::parse("010190 123-45"),
            Some(SearchQuery::NationalId("01019012345".into()))
        );
        assert_eq!(SearchQuery::parse("0101901234"), None);
        assert_eq!(SearchQuery::parse("Ola 12"), None);
        assert_eq!(
            SearchQuery::parse("Kari-Anne  ØSTBY"),
            Some(SearchQuery::Name(vec!["kari".into(), "anne".into(), "østby".into()]))
        );
    }
}
