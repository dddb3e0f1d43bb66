//! The bostøtte outreach list of a month as last made (schema 40): kept whole, replaced whole, and
//! read a page or all of it. The list is the domain's (`husly_domain::bostotte::Outreach`); this
//! module only keeps it. Only the figures are kept: the address and whether it is protected are
//! read from the household when the list is read, and a household with bostøtte registered for
//! the month since the list was made is left out then (the same condition the list is made with).

use husly_domain::bostotte::{Candidate, OutreachList};
use husly_domain::rules::YearMonth;
use husly_domain::{HouseholdId, MunicipalityId};
use serde_json::json;
use sqlx::Row;

use crate::audit::{self, Event};
use crate::error::StoreResult;
use crate::households::Change;
use crate::municipalities::parse_id;
use crate::tenancies::BOSTOTTE;
use crate::{Store, date_text};

/// Entries per multi-row `INSERT` (8 values each: well under both backends' bound-value limits).
const ENTRY_BATCH: usize = 200;

/// The entries of municipality `$1` and month `$2` in order, `$5` of them, with the household's
/// address as it is now; without those whose household has bostøtte (`$4`) registered for the
/// month's first day (`$3`).
const ENTRIES: &str = concat!(
    "SELECT e.household_id, e.members, e.monthly_rent_kr, e.income_kr, e.monthly_kr, h.address_line, ",
    crate::protection::protected_sql!("e.municipality_id", "e.household_id"),
    " FROM outreach_list_entry e JOIN household h ON h.municipality_id = e.municipality_id AND h.id = e.household_id \
     WHERE e.municipality_id = $1 AND e.month = $2 AND NOT EXISTS (SELECT 1 FROM household_benefit b \
         WHERE b.municipality_id = e.municipality_id AND b.household_id = e.household_id \
         AND b.benefit = $4 AND b.from_date <= $3 AND (b.to_date IS NULL OR b.to_date >= $3)) \
     ORDER BY e.position LIMIT $5"
);

/// The entries left out since the list was made, counted with their estimates: those of
/// households with bostøtte (`$4`) for the month's first day (`$3`) registered from `$5`, the
/// time the list's reading began (bostøtte registered before was read and kept them off the
/// list). Found from the benefits registered since, not by probing every entry.
const LEFT_OUT_SINCE: &str = "SELECT COUNT(*) AS households, CAST(COALESCE(SUM(e.monthly_kr), 0) AS BIGINT) AS total_kr \
     FROM (SELECT DISTINCT b.household_id FROM household_benefit b \
           WHERE b.municipality_id = $1 AND b.benefit = $4 AND b.created_at >= $5 \
           AND b.from_date <= $3 AND (b.to_date IS NULL OR b.to_date >= $3)) since \
     JOIN outreach_list_entry e ON e.municipality_id = $1 AND e.month = $2 AND e.household_id = since.household_id";

/// A month's outreach list as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptOutreachList {
    /// The month, the tenancies looked at when it was made, the households still on it (the
    /// first `limit` of them, in the order it was made in) and their estimates together.
    pub list: OutreachList,
    /// Households still on the list (`list.candidates` may hold only the first of them).
    pub households: u64,
    /// When it was made (its reading of the tenancies began), microseconds UTC.
    pub made_at: i64,
    /// Who asked for it; `None` when the nightly job made it.
    pub made_by: Option<String>,
}

impl Store {
    /// Keeps `list` as the municipality's list of its month, replacing the one kept before, in
    /// one transaction with its audit entry. `read_from` is when its reading of the tenancies
    /// began (microseconds UTC); `change.user` is who asked for it (none: the nightly job).
    pub async fn keep_outreach_list(
        &self,
        municipality: MunicipalityId,
        list: &OutreachList,
        read_from: i64,
        change: &Change<'_>,
    ) -> StoreResult<()> {
        let m = municipality.to_string();
        let month = date_text(list.month.first_day());
        let mut tx = self.write().await?;
        for table in ["outreach_list_entry", "outreach_list"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE municipality_id = $1 AND month = $2"
            )))
            .bind(&m)
            .bind(&month)
            .execute(tx.conn())
            .await?;
        }
        sqlx::query(
            "INSERT INTO outreach_list (municipality_id, month, made_at, made_by, examined, households, \
             total_monthly_kr) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&m)
        .bind(&month)
        .bind(read_from)
        .bind(change.user.map(|u| u.to_string()))
        .bind(i64::try_from(list.examined).unwrap_or(i64::MAX))
        .bind(i64::try_from(list.candidates.len()).unwrap_or(i64::MAX))
        .bind(list.total_monthly_kr)
        .execute(tx.conn())
        .await?;
        for (batch, chunk) in list.candidates.chunks(ENTRY_BATCH).enumerate() {
            let sql = format!(
                "INSERT INTO outreach_list_entry (municipality_id, month, position, household_id, members, \
                 monthly_rent_kr, income_kr, monthly_kr) VALUES {}",
                crate::values_placeholders(chunk.len(), 8)
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (i, candidate) in chunk.iter().enumerate() {
                let position = batch * ENTRY_BATCH + i + 1;
                query = query
                    .bind(&m)
                    .bind(&month)
                    .bind(i64::try_from(position).unwrap_or(i64::MAX))
                    .bind(candidate.household_id.to_string())
                    .bind(i64::try_from(candidate.members).unwrap_or(i64::MAX))
                    .bind(candidate.monthly_rent_kr)
                    .bind(candidate.income_kr)
                    .bind(candidate.monthly_kr);
            }
            query.execute(tx.conn()).await?;
        }
        audit::append(
            &mut tx,
            change.actor,
            Event {
                municipality: Some(municipality),
                action: "outreach.list_made",
                resource_kind: "outreach_list",
                resource_id: list.month.to_string(),
                details: json!({
                    "month": list.month.to_string(),
                    "examined": list.examined,
                    "households": list.candidates.len(),
                }),
            },
        )
        .await?;
        tx.commit().await
    }

    /// The municipality's kept list of `month` (`None` if none was made), with at most `limit`
    /// of its households (all when `None`).
    pub async fn kept_outreach_list(
        &self,
        municipality: MunicipalityId,
        month: YearMonth,
        limit: Option<usize>,
    ) -> StoreResult<Option<KeptOutreachList>> {
        let m = municipality.to_string();
        let month_text = date_text(month.first_day());
        let Some(head) = sqlx::query(
            "SELECT l.made_at, l.examined, l.households, l.total_monthly_kr, u.display_name FROM outreach_list l \
             LEFT JOIN app_user u ON u.id = l.made_by WHERE l.municipality_id = $1 AND l.month = $2",
        )
        .bind(&m)
        .bind(&month_text)
        .fetch_optional(&mut *self.conn().await?)
        .await?
        else {
            return Ok(None);
        };
        let made_at: i64 = head.try_get("made_at")?;
        let left_out = sqlx::query(LEFT_OUT_SINCE)
            .bind(&m)
            .bind(&month_text)
            .bind(&month_text)
            .bind(BOSTOTTE)
            .bind(made_at)
            .fetch_one(&mut *self.conn().await?)
            .await?;
        let limit = limit.map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX));
        let rows = sqlx::query(ENTRIES)
            .bind(&m)
            .bind(&month_text)
            .bind(&month_text)
            .bind(BOSTOTTE)
            .bind(limit)
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let candidates = rows.iter().map(candidate).collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(KeptOutreachList {
            list: OutreachList {
                month,
                examined: u64::try_from(head.try_get::<i64, _>("examined")?).unwrap_or_default(),
                candidates,
                total_monthly_kr: head.try_get::<i64, _>("total_monthly_kr")?
                    - left_out.try_get::<i64, _>("total_kr")?,
            },
            households: u64::try_from(
                head.try_get::<i64, _>("households")? - left_out.try_get::<i64, _>("households")?,
            )
            .unwrap_or_default(),
            made_at,
            made_by: head.try_get("display_name")?,
        }))
    }

    /// Forgets the municipality's kept lists of months before `month` (their contacts stay).
    pub async fn forget_outreach_lists_before(
        &self,
        municipality: MunicipalityId,
        month: YearMonth,
    ) -> StoreResult<u64> {
        let m = municipality.to_string();
        let month = date_text(month.first_day());
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM outreach_list_entry WHERE municipality_id = $1 AND month < $2")
            .bind(&m)
            .bind(&month)
            .execute(tx.conn())
            .await?;
        let lists = sqlx::query("DELETE FROM outreach_list WHERE municipality_id = $1 AND month < $2")
            .bind(&m)
            .bind(&month)
            .execute(tx.conn())
            .await?
            .rows_affected();
        tx.commit().await?;
        Ok(lists)
    }
}

fn candidate(row: &sqlx::any::AnyRow) -> StoreResult<Candidate> {
    let mut address_line: String = row.try_get("address_line")?;
    let address_protected = crate::protection::masked(row, &mut [&mut address_line])?;
    Ok(Candidate {
        household_id: HouseholdId(parse_id(&row.try_get::<String, _>("household_id")?)?),
        address_line,
        address_protected,
        members: usize::try_from(row.try_get::<i64, _>("members")?).unwrap_or_default(),
        monthly_rent_kr: row.try_get("monthly_rent_kr")?,
        income_kr: row.try_get("income_kr")?,
        monthly_kr: row.try_get("monthly_kr")?,
    })
}

#[cfg(test)]
mod tests {
    /// The page reads the first entries of a large list by the list's key and the household's,
    /// and the households left out since from the benefits registered since, on both backends.
    #[tokio::test]
    async fn the_kept_list_is_read_by_index() {
        let id = "01a24634-7263-70a7-b260-e66266e3f277";
        let sql = super::ENTRIES.replace("LIMIT $5", "LIMIT 500");
        crate::testing::assert_reads_by_index(&sql, &[id, "2026-12-01", "2026-12-01", super::BOSTOTTE]).await;
        // The time written in, as the limit above: the plan helper binds text only.
        let sql = super::LEFT_OUT_SINCE.replace("$5", "0");
        crate::testing::assert_reads_by_index(&sql, &[id, "2026-12-01", "2026-12-01", super::BOSTOTTE]).await;
    }
}
