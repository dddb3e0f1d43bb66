//! The indicators' daily snapshots: each built-in definition's value for a year as it stood on
//! the day it was taken. Aggregates only, no personal data. Writing a day's snapshot again
//! replaces it, so the job that takes them may run twice without harm.

use husly_domain::MunicipalityId;
use husly_domain::action_plan::Figure;
use sqlx::Row;
use time::Date;

use crate::error::StoreResult;
use crate::{Store, date_text, parse_date_text};

/// One definition's value for a year, taken on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub definition: String,
    pub year: i32,
    pub taken_on: Date,
    /// None when there was nothing to compute it from.
    pub value: Option<Figure>,
    /// The cases (or households) counted: a share's denominator.
    pub counted: i64,
    pub numerator: Option<i64>,
}

impl Store {
    /// Saves the values taken on one day for a municipality, in one transaction, replacing those
    /// taken earlier the same day.
    pub async fn save_snapshots(&self, municipality: MunicipalityId, snapshots: &[Snapshot]) -> StoreResult<()> {
        let mut tx = self.write().await?;
        for s in snapshots {
            sqlx::query(
                "INSERT INTO indicator_snapshot (municipality_id, definition, year, taken_on, value, counted, numerator) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (municipality_id, definition, year, taken_on) DO UPDATE SET \
                 value = excluded.value, counted = excluded.counted, numerator = excluded.numerator",
            )
            .bind(municipality.to_string())
            .bind(&s.definition)
            .bind(i64::from(s.year))
            .bind(date_text(s.taken_on))
            .bind(s.value.map(|f| f.0))
            .bind(s.counted)
            .bind(s.numerator)
            .execute(tx.conn())
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The years of which the municipality has any snapshot.
    pub async fn snapshot_years(&self, municipality: MunicipalityId) -> StoreResult<Vec<i32>> {
        let rows = sqlx::query("SELECT DISTINCT year FROM indicator_snapshot WHERE municipality_id = $1 ORDER BY year")
            .bind(municipality.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|row| Ok(i32::try_from(row.try_get::<i64, _>("year")?).unwrap_or(i32::MAX)))
            .collect()
    }

    /// The first year the municipality has data the indicators count: its first application or
    /// its first stay in temporary accommodation. Before it, an indicator has no value (not zero).
    pub async fn first_data_year(&self, municipality: MunicipalityId) -> StoreResult<Option<i32>> {
        let mut first: Option<i32> = None;
        for sql in [
            "SELECT MIN(received_on) FROM application_case WHERE municipality_id = $1",
            "SELECT MIN(from_date) FROM temporary_stay WHERE municipality_id = $1",
        ] {
            let day: Option<String> = sqlx::query_scalar(sql)
                .bind(municipality.to_string())
                .fetch_one(&mut *self.conn().await?)
                .await?;
            if let Some(year) = day.as_deref().map(parse_date_text).transpose()?.map(|d| d.year()) {
                first = Some(first.map_or(year, |f| f.min(year)));
            }
        }
        Ok(first)
    }

    /// For each of `definitions` and each year from `from` to `to`, the value as it stood at the
    /// end of that year: the last snapshot taken on or before 31 December, or, for a year that
    /// ended before snapshots were taken, the first one taken afterwards (computed from the data
    /// as it then was). Ordered by definition and year; a year without a snapshot is absent.
    pub async fn year_end_snapshots(
        &self,
        municipality: MunicipalityId,
        definitions: &[&str],
        from: i32,
        to: i32,
    ) -> StoreResult<Vec<Snapshot>> {
        if definitions.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..definitions.len()).map(|i| format!("${}", i + 4)).collect();
        // Each subquery is a range seek on the primary key (municipality, definition, year, day).
        let sql = format!(
            "SELECT s.definition, s.year, s.taken_on, s.value, s.counted, s.numerator FROM indicator_snapshot s \
             WHERE s.municipality_id = $1 AND s.year BETWEEN $2 AND $3 AND s.definition IN ({}) \
             AND s.taken_on = COALESCE( \
               (SELECT MAX(t.taken_on) FROM indicator_snapshot t WHERE t.municipality_id = s.municipality_id \
                AND t.definition = s.definition AND t.year = s.year AND t.taken_on <= CAST(s.year AS TEXT) || '-12-31'), \
               (SELECT MIN(t.taken_on) FROM indicator_snapshot t WHERE t.municipality_id = s.municipality_id \
                AND t.definition = s.definition AND t.year = s.year)) \
             ORDER BY s.definition, s.year",
            placeholders.join(", ")
        );
        let mut query = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(municipality.to_string())
            .bind(i64::from(from))
            .bind(i64::from(to));
        for definition in definitions {
            query = query.bind(*definition);
        }
        let rows = query.fetch_all(&mut *self.conn().await?).await?;
        rows.iter().map(snapshot).collect()
    }

    /// Every snapshot of one definition and year, oldest first: how the year's value developed.
    pub async fn snapshots_of_year(
        &self,
        municipality: MunicipalityId,
        definition: &str,
        year: i32,
    ) -> StoreResult<Vec<Snapshot>> {
        let rows = sqlx::query(
            "SELECT definition, year, taken_on, value, counted, numerator FROM indicator_snapshot \
             WHERE municipality_id = $1 AND definition = $2 AND year = $3 ORDER BY taken_on",
        )
        .bind(municipality.to_string())
        .bind(definition)
        .bind(i64::from(year))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter().map(snapshot).collect()
    }
}

fn snapshot(row: &sqlx::any::AnyRow) -> StoreResult<Snapshot> {
    Ok(Snapshot {
        definition: row.try_get("definition")?,
        year: i32::try_from(row.try_get::<i64, _>("year")?).unwrap_or(i32::MAX),
        taken_on: parse_date_text(&row.try_get::<String, _>("taken_on")?)?,
        value: row.try_get::<Option<i64>, _>("value")?.map(Figure),
        counted: row.try_get("counted")?,
        numerator: row.try_get("numerator")?,
    })
}
