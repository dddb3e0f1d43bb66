//! Husly's storage layer.
//!
//! One SQL dialect serves both backends: statements use `$1`-style placeholders (which both
//! PostgreSQL and SQLite understand) and only portable value types (text, BIGINT, BOOLEAN), and
//! run through sqlx's `Any` driver. Where the backends must differ (row locks, transaction
//! start, collation) the difference is confined to [`db`] and the two migration trees.
//!
//! Every function that touches municipality-owned rows takes the municipality as an argument
//! and filters by it, so no query can forget the tenant.

pub mod accounts;
pub mod action_plans;
pub mod allocation;
pub mod applicant_messages;
pub mod audit;
pub mod cases;
pub mod checkpoint;
pub mod consents;
pub mod contracts;
pub mod db;
pub mod derived;
mod direct;
pub mod documents;
pub mod drafts;
pub mod dwellings;
pub mod equity_facts;
pub mod error;
pub mod export;
pub mod finance;
pub mod follow_up;
pub mod footprint;
mod group_commit;
pub mod households;
pub mod jobs;
pub mod kostra_facts;
pub mod lettings;
pub mod meetings;
pub mod migrate;
pub mod municipalities;
pub mod notes;
pub mod outreach_contacts;
pub mod outreach_lists;
pub mod page_lists;
pub mod partners;
pub mod priority_policy;
pub mod protection;
pub mod reference_budget;
pub mod referrals;
pub mod reminders;
pub mod renewals;
pub mod rent_changes;
pub mod rent_ledger;
pub mod representatives;
pub mod search;
pub mod seed;
mod session_cache;
pub mod sessions;
pub mod snapshots;
pub mod stays;
pub mod tasks;
pub mod tenancies;
pub mod tenant_facts;
pub mod testing;
pub mod waiting_list;
mod wal_copier;

pub use db::{Backend, Store, StoreOptions, Tx};
pub use error::{StoreError, StoreResult};

/// Microseconds since the Unix epoch, UTC: the one timestamp representation in the database.
pub fn now_micros() -> i64 {
    micros_of(time::OffsetDateTime::now_utc())
}

pub fn micros_of(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

pub fn time_of(micros: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
}

/// A domain value read from a row: `sqlx::FromRow` is implemented for `Decoded<T>` where the
/// store decodes a type the domain owns.
pub(crate) struct Decoded<T>(pub T);

impl<T> Decoded<T> {
    pub(crate) fn into_inner(self) -> T {
        self.0
    }
}

/// Flags are stored as BIGINT 0/1 on both backends (sqlx's `Any` driver cannot read SQLite booleans).
pub(crate) fn flag(value: bool) -> i64 {
    i64::from(value)
}

pub(crate) fn flag_of(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<bool> {
    use sqlx::Row;
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Dates are stored as ISO text so that they sort and compare the same on both backends.
pub fn date_text(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

pub fn parse_date_text(text: &str) -> StoreResult<time::Date> {
    husly_domain::validation::parse_date(text)
        .ok_or_else(|| StoreError::Corrupt(format!("bad date in database: {text:?}")))
}

/// `($1, $2, …), ($n+1, …)`: the placeholders of a multi-row `VALUES` of `rows` rows of
/// `columns` values each.
pub(crate) fn values_placeholders(rows: usize, columns: usize) -> String {
    let row = |r: usize| {
        let values: Vec<String> = (1..=columns).map(|c| format!("${}", r * columns + c)).collect();
        format!("({})", values.join(", "))
    };
    (0..rows).map(row).collect::<Vec<_>>().join(", ")
}

/// A value of the store's own (an id, a date, a code of the domain's lists; never a user's text)
/// as a quoted SQL literal, for a statement SQLite should plan for that value once and keep,
/// rather than compile again at each execution with the value bound (see `db::SAMPLED_INDEXES`).
pub(crate) fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

/// `LIMIT n` with the store's own row count written in. SQLite (3.51) compiles a statement whose
/// LIMIT is a bound value again at every execution, whatever the table: it plans for the limit.
/// Written in, a statement is compiled once per limit (a handful of page sizes) and kept in the
/// connection's statement cache; an OFFSET, which changes with every page, stays bound.
pub(crate) fn limit(rows: i64) -> String {
    format!("LIMIT {rows}")
}

/// A date column that may be empty.
pub(crate) fn opt_date(row: &sqlx::any::AnyRow, column: &str) -> StoreResult<Option<time::Date>> {
    use sqlx::Row;
    row.try_get::<Option<String>, _>(column)?
        .map(|d| parse_date_text(&d))
        .transpose()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_multi_row_values_list_numbers_its_placeholders_row_by_row() {
        assert_eq!(super::values_placeholders(2, 3), "($1, $2, $3), ($4, $5, $6)");
        assert_eq!(super::values_placeholders(1, 1), "($1)");
        assert_eq!(super::values_placeholders(0, 4), "");
    }
}
