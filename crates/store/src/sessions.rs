//! Server-side sessions. The cookie holds a random secret; the table holds its hash, the user,
//! the CSRF token for forms and the municipality the user is working in.

use crate::Store;
use crate::accounts::{ROLES_JOIN, ROLES_ORDER, USER_COLUMNS, User, new_secret, secret_hash, user_from_rows};
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
        Ok(self.session_user(secret).await?.map(|(session, _)| session))
    }

    /// A live session with its active user and their roles, in one query. `None` when the session is unknown, expired or the user disabled.
    pub async fn session_user(&self, secret: &str) -> StoreResult<Option<(Session, User)>> {
        let token_hash = secret_hash(secret);
        let now = crate::now_micros();
        let read = match self.shared.sessions.get(&token_hash, now) {
            Ok(found) => return Ok(Some(found)),
            Err(read) => read,
        };
        let sql = format!(
            "SELECT s.csrf_token, s.municipality_id AS session_municipality, s.expires_at, {USER_COLUMNS} \
             FROM user_session s JOIN app_user u ON u.id = s.user_id {ROLES_JOIN} \
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = 0 {ROLES_ORDER}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(&token_hash)
            .bind(now)
            .fetch_all(&mut self.key_read().await?)
            .await?;
        let Some(row) = rows.first() else { return Ok(None) };
        let session = Session {
            user_id: parse_id(&row.try_get::<String, _>("user_id")?)?,
            csrf_token: row.try_get("csrf_token")?,
            municipality: row
                .try_get::<Option<String>, _>("session_municipality")?
                .map(|m| parse_id(&m))
                .transpose()?,
            expires_at: row.try_get("expires_at")?,
        };
        let user = user_from_rows(session.user_id, &rows)?.ok_or(crate::StoreError::NotFound)?;
        self.shared.sessions.put(token_hash, read, &session, &user);
        Ok(Some((session, user)))
    }

    pub async fn set_session_municipality(&self, secret: &str, municipality: MunicipalityId) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("UPDATE user_session SET municipality_id = $1 WHERE token_hash = $2")
            .bind(municipality.to_string())
            .bind(secret_hash(secret))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        self.shared.sessions.forget(&secret_hash(secret));
        Ok(())
    }

    pub async fn delete_session(&self, secret: &str) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM user_session WHERE token_hash = $1")
            .bind(secret_hash(secret))
            .execute(tx.conn())
            .await?;
        tx.commit().await?;
        self.shared.sessions.forget(&secret_hash(secret));
        Ok(())
    }
}
