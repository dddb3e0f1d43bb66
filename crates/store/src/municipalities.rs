//! Municipalities: the tenants. Each has its kommunenummer (from SSB's classification) and name.

use crate::Store;
use crate::audit::{self, Actor, Event};
use crate::error::{StoreError, StoreResult};
use husly_domain::MunicipalityId;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Municipality {
    pub id: MunicipalityId,
    pub number: String,
    pub name: String,
    pub is_demo: bool,
}

impl sqlx::FromRow<'_, sqlx::any::AnyRow> for Municipality {
    fn from_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Municipality> {
        Ok(Municipality {
            id: parse_id(&row.try_get::<String, _>("id")?)?,
            number: row.try_get("number")?,
            name: row.try_get("name")?,
            is_demo: crate::flag_of(row, "is_demo")?,
        })
    }
}

pub(crate) fn parse_id<T: std::str::FromStr>(text: &str) -> StoreResult<T> {
    text.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad id in database: {text:?}")))
}

impl Store {
    /// Creates a municipality, or returns the existing one with the same number.
    pub async fn ensure_municipality(
        &self,
        number: &str,
        name: &str,
        is_demo: bool,
        actor: &Actor,
    ) -> StoreResult<Municipality> {
        if number.len() != 4 || !number.chars().all(|c| c.is_ascii_digit()) {
            return Err(StoreError::Invalid(format!(
                "kommunenummer must be four digits, got {number:?}"
            )));
        }
        if let Some(existing) = self.municipality_by_number(number).await? {
            return Ok(existing);
        }
        let municipality = Municipality {
            id: MunicipalityId::new(),
            number: number.to_string(),
            name: name.to_string(),
            is_demo,
        };
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO municipality (id, number, name, is_demo, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(municipality.id.to_string())
            .bind(&municipality.number)
            .bind(&municipality.name)
            .bind(crate::flag(is_demo))
            .bind(crate::now_micros())
            .execute(tx.conn())
            .await?;
        audit::append(
            &mut tx,
            actor,
            Event {
                municipality: Some(municipality.id),
                action: "municipality.create",
                resource_kind: "municipality",
                resource_id: municipality.id.to_string(),
                details: serde_json::json!({ "number": number }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(municipality)
    }

    pub async fn municipality_by_number(&self, number: &str) -> StoreResult<Option<Municipality>> {
        let row = sqlx::query_as("SELECT id, number, name, is_demo FROM municipality WHERE number = $1")
            .bind(number)
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        Ok(row)
    }

    pub async fn municipalities(&self) -> StoreResult<Vec<Municipality>> {
        let rows = sqlx::query_as("SELECT id, number, name, is_demo FROM municipality ORDER BY number")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        Ok(rows)
    }
}
