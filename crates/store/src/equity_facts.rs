//! The facts equity monitoring is computed from (`husly_domain::equity`): the applications for
//! municipal housing (as for KOSTRA), the offers of a dwelling made to them, their households'
//! tenancies with their ends, and the members' birth dates. No names or identity numbers; the counting is the domain's.

use husly_domain::MunicipalityId;
use husly_domain::equity::{EquityFacts, TenancyFact};
use sqlx::Row;

use crate::error::{StoreError, StoreResult};
use crate::{Store, date_text, parse_date_text};

/// The households of the municipality's applications for municipal housing received in the
/// year (`$2` and `$3` bound its first and last day).
const HOUSEHOLDS: &str = "SELECT household_id FROM application_case WHERE municipality_id = $1 \
     AND case_type = 'municipal_housing' AND received_on >= $2 AND received_on <= $3";

fn id<T: std::str::FromStr>(text: String) -> StoreResult<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("unknown id {text:?}")))
}

impl Store {
    /// The facts of the municipality's applications for municipal housing received in `year`,
    /// as known `today`.
    pub async fn equity_facts(
        &self,
        municipality: MunicipalityId,
        year: i32,
        today: time::Date,
    ) -> StoreResult<EquityFacts> {
        let first = time::Date::from_calendar_date(year, time::Month::January, 1)
            .map_err(|_| StoreError::Invalid(format!("year {year}")))?;
        let last = time::Date::from_calendar_date(year, time::Month::December, 31)
            .map_err(|_| StoreError::Invalid(format!("year {year}")))?;
        let mut cases = self.kostra_facts(municipality, last.min(today)).await?.cases;
        cases.retain(|c| c.received_on >= first);
        let m = municipality.to_string();
        let tenancies = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT household_id, from_date, to_date FROM tenancy WHERE municipality_id = $1 \
             AND household_id IN ({HOUSEHOLDS}) ORDER BY household_id, from_date, id"
        )))
        .bind(&m)
        .bind(date_text(first))
        .bind(date_text(last))
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|row| -> StoreResult<TenancyFact> {
            let to: Option<String> = row.try_get("to_date")?;
            Ok(TenancyFact {
                household: id(row.try_get("household_id")?)?,
                from: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
                to: to.as_deref().map(parse_date_text).transpose()?,
            })
        })
        .collect::<StoreResult<_>>()?;
        // An offer withdrawn by the office was never the household's to answer.
        let offers = sqlx::query(
            "SELECT o.case_id, o.sent_on FROM offer o JOIN application_case c ON c.id = o.case_id \
             WHERE o.municipality_id = $1 AND o.state <> 'withdrawn' AND c.municipality_id = $1 \
             AND c.case_type = 'municipal_housing' AND c.received_on >= $2 AND c.received_on <= $3 \
             ORDER BY o.case_id, o.sent_on",
        )
        .bind(&m)
        .bind(date_text(first))
        .bind(date_text(last))
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|row| -> StoreResult<(husly_domain::CaseId, time::Date)> {
            Ok((
                id(row.try_get("case_id")?)?,
                parse_date_text(&row.try_get::<String, _>("sent_on")?)?,
            ))
        })
        .collect::<StoreResult<_>>()?;
        let births = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT m.household_id, p.birth_date FROM household_member m JOIN person p ON p.id = m.person_id \
             WHERE m.municipality_id = $1 AND m.household_id IN ({HOUSEHOLDS}) ORDER BY m.household_id, m.position"
        )))
        .bind(&m)
        .bind(date_text(first))
        .bind(date_text(last))
        .fetch_all(&mut *self.conn().await?)
        .await?
        .iter()
        .map(|row| -> StoreResult<(husly_domain::HouseholdId, time::Date)> {
            Ok((
                id(row.try_get("household_id")?)?,
                parse_date_text(&row.try_get::<String, _>("birth_date")?)?,
            ))
        })
        .collect::<StoreResult<_>>()?;
        Ok(EquityFacts {
            cases,
            offers,
            tenancies,
            births,
        })
    }
}
