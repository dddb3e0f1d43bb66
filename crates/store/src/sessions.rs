//! Server-side sessions. The cookie holds a random secret; the table holds its hash, the user,
//! the CSRF token for forms and the municipality the user is working in.

use crate::Store;
use crate::accounts::{new_secret, secret_hash};
use crate::error::StoreResult;
use crate::municipalities::parse_id;
use husly_domain::{MunicipalityId, UserId};
use sqlx::Row;

/// How long a session lives: one working day.
pub const SESSION_LIFETIME_MICROS: i64 = 10 * 3600 * 1_000_000;

#[derive(Debug, Clone)]
pub struct Session {
    pub user_id: UserId,
    pub csrf_token: String,
    pub municipality: Option<MunicipalityId>,
    pub expires_at: i64,
}

impl Store {
    /// Starts a session and returns the cookie secret.
    pub async fn create_session(&self, user: UserId, municipality: Option<MunicipalityId>) -> StoreResult<String> {
        let secret = new_secret("");
        let now = crate::now_micros();
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO user_session (token_hash, user_id, csrf_token, municipality_id, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(secret_hash(&secret))
        .bind(user.to_string())
        .bind(new_secret(""))
        .bind(municipality.map(|m| m.to_string()))
        .bind(now)
        .bind(now + SESSION_LIFETIME_MICROS)
        .execute(tx.conn())
        .await?;
        // Housekeeping in the same write: expired sessions are of no use to anyone.
        sqlx::query("DELETE FROM user_session WHERE expires_at < $1")
            .bind(now)
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        Ok(secret)
    }

    pub async fn session(&self, secret: &str) -> StoreResult<Option<Session>> {
        let row = sqlx::query(
            "SELECT user_id, csrf_token, municipality_id, expires_at FROM user_session WHERE token_hash = $1 AND expires_at > $2",
        )
        .bind(secret_hash(secret))
        .bind(crate::now_micros())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(Session {
            user_id: parse_id(&row.try_get::<String, _>("user_id")?)?,
            csrf_token: row.try_get("csrf_token")?,
            municipality: row
                .try_get::<Option<String>, _>("municipality_id")?
                .map(|m| parse_id(&m))
                .transpose()?,
            expires_at: row.try_get("expires_at")?,
        }))
    }

    pub async fn set_session_municipality(&self, secret: &str, municipality: MunicipalityId) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE user_session SET municipality_id = $1 WHERE token_hash = $2")
            .bind(municipality.to_string())
            .bind(secret_hash(secret))
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }

    pub async fn delete_session(&self, secret: &str) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
            .bind(secret_hash(secret))
            .execute(tx.conn())
            .await?;
        tx.commit().await
    }
}
