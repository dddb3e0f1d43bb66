//! What stock versus demand and the waiting-time estimate read: the lettings (tenancies that
//! began, the record of vacancies filled) with the facts of the dwelling let, and the register's
//! dwellings counted by bedrooms, wheelchair access and status. No household is named.

use husly_domain::MunicipalityId;
use husly_domain::allocation::dwelling::{DwellingStatus, DwellingType};
use husly_domain::allocation::stock::{DwellingCount, Letting};
use sqlx::Row;
use time::Date;

use crate::error::{StoreError, StoreResult};
use crate::{Store, date_text, flag_of, parse_date_text};

impl Store {
    /// Every tenancy of the municipality that began on or after `since` (and not after today's
    /// data: future starts are included as registered), with its dwelling's bedrooms, wheelchair
    /// access and type, oldest first. Dwellings removed from the register are left out: they
    /// will not be let again.
    pub async fn lettings_since(&self, municipality: MunicipalityId, since: Date) -> StoreResult<Vec<Letting>> {
        let rows = sqlx::query(
            "SELECT t.from_date, d.bedrooms, d.wheelchair_accessible, d.dwelling_type FROM tenancy t \
             JOIN dwelling d ON d.id = t.dwelling_id \
             WHERE t.municipality_id = $1 AND t.from_date >= $2 AND d.deleted_at IS NULL \
             ORDER BY t.from_date, t.id",
        )
        .bind(municipality.to_string())
        .bind(date_text(since))
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("dwelling_type")?;
                Ok(Letting {
                    on: parse_date_text(&row.try_get::<String, _>("from_date")?)?,
                    bedrooms: row.try_get("bedrooms")?,
                    wheelchair_accessible: flag_of(row, "wheelchair_accessible")?,
                    dwelling_type: DwellingType::from_code(&code)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown dwelling type `{code}`")))?,
                })
            })
            .collect()
    }

    /// The register's dwellings (not removed) counted by bedrooms, wheelchair access and status.
    pub async fn dwelling_counts(&self, municipality: MunicipalityId) -> StoreResult<Vec<DwellingCount>> {
        let rows = sqlx::query(
            "SELECT bedrooms, wheelchair_accessible, status, COUNT(*) AS n FROM dwelling \
             WHERE municipality_id = $1 AND deleted_at IS NULL \
             GROUP BY bedrooms, wheelchair_accessible, status ORDER BY bedrooms, wheelchair_accessible, status",
        )
        .bind(municipality.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                let code: String = row.try_get("status")?;
                Ok(DwellingCount {
                    bedrooms: row.try_get("bedrooms")?,
                    wheelchair_accessible: flag_of(row, "wheelchair_accessible")?,
                    status: DwellingStatus::from_code(&code)
                        .ok_or_else(|| StoreError::Corrupt(format!("unknown dwelling status `{code}`")))?,
                    count: u32::try_from(row.try_get::<i64, _>("n")?).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }
}
