//! Staff accounts: users, their roles per municipality, passwords and API tokens.
//!
//! Passwords are hashed with Argon2id (the crate's defaults follow OWASP's recommendation) on a
//! blocking thread, because a hash takes tens of milliseconds of CPU and would stall the async
//! executor. API tokens and session cookies are random 32-byte secrets; only their SHA-256 is
//! stored, so a copy of the database does not let anyone log in.

use crate::Store;
use crate::audit::{self, Actor, Event};
use crate::error::{StoreError, StoreResult};
use crate::municipalities::{Municipality, parse_id};
use argon2::{Argon2, PasswordHasher, PasswordVerifier};
use husly_domain::authz::{Principal, Role};
use husly_domain::{MunicipalityId, UserId};
use sha2::{Digest, Sha256};
use sqlx::Row;
use std::collections::BTreeMap;

/// Shortest password accepted (NSM's guidance favours long passphrases over complexity rules).
pub const MIN_PASSWORD_LEN: usize = 12;
pub const MAX_PASSWORD_LEN: usize = 256;

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
    pub roles: BTreeMap<MunicipalityId, Vec<Role>>,
    /// The municipalities where the user holds a role, by kommunenummer.
    pub municipalities: Vec<Municipality>,
}

#[derive(Debug, Clone)]
pub struct ApiToken {
    pub id: String,
    pub user_id: UserId,
    pub name: String,
    pub created_at: i64,
    pub expires_at: Option<i64>,
    pub revoked: bool,
}

/// A fresh random secret, hex-encoded, with a prefix that makes leaked tokens easy to find.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// SHA-256 of a secret, hex-encoded. A plain hash suffices: the secret has 256 bits of entropy.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

pub fn check_password_rules(password: &str) -> StoreResult<()> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(StoreError::Invalid(format!(
            "the password must have at least {MIN_PASSWORD_LEN} characters"
        )));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(StoreError::Invalid(format!(
            "the password must have at most {MAX_PASSWORD_LEN} characters"
        )));
    }
    Ok(())
}

pub async fn hash_password(password: String) -> StoreResult<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| StoreError::Other(anyhow::anyhow!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| StoreError::Other(e.into()))?
}

/// Verifies a password. Always does the full Argon2 work, also for unknown users (with a dummy
/// hash), so response time does not reveal whether an account exists.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$7x2bT+Jg6pg3A3H1s0mOfEXfPPm7aPz4DS9QV0Qh7zY";
    let known = hash.is_some();
    let hash = hash.unwrap_or_else(|| DUMMY.to_string());
    let ok = tokio::task::spawn_blocking(move || {
        Argon2::default()
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok()
    })
    .await
    .unwrap_or(false);
    ok && known
}

fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

impl Store {
    pub async fn create_user(
        &self,
        email: &str,
        display_name: &str,
        password: &str,
        actor: &Actor,
    ) -> StoreResult<UserId> {
        let email = normalise_email(email);
        if !email.contains('@') || email.len() > 200 {
            return Err(StoreError::Invalid(format!("not an e-mail address: {email:?}")));
        }
        check_password_rules(password)?;
        let hash = hash_password(password.to_string()).await?;
        let id = UserId::new();
        let now = crate::now_micros();
        let mut tx = self.write().await?;
        let inserted = sqlx::query(
            "INSERT INTO app_user (id, email, display_name, password_hash, disabled, created_at, password_changed_at) \
             VALUES ($1, $2, $3, $4, 0, $5, $5) ON CONFLICT (email) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(&email)
        .bind(display_name.trim())
        .bind(&hash)
        .bind(now)
        .execute(tx.conn())
        .await?;
        if inserted.rows_affected() == 0 {
            return Err(StoreError::Duplicate(format!(
                "a user with e-mail {email} already exists"
            )));
        }
        audit::append(&mut tx, actor, user_event(None, "user.create", id)).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn grant_role(
        &self,
        user: UserId,
        municipality: MunicipalityId,
        role: Role,
        actor: &Actor,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query(
            "INSERT INTO role_assignment (municipality_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (municipality_id, user_id, role) DO NOTHING",
        )
        .bind(municipality.to_string())
        .bind(user.to_string())
        .bind(role.code())
        .bind(crate::now_micros())
        .execute(tx.conn())
        .await?;
        let mut event = user_event(Some(municipality), "user.grant_role", user);
        event.details = serde_json::json!({ "role": role.code() });
        audit::append(&mut tx, actor, event).await?;
        self.commit_user_change(tx).await
    }

    /// Replaces a user's roles in one municipality.
    pub async fn set_roles(
        &self,
        user: UserId,
        municipality: MunicipalityId,
        roles: &[Role],
        actor: &Actor,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM role_assignment WHERE municipality_id = $1 AND user_id = $2")
            .bind(municipality.to_string())
            .bind(user.to_string())
            .execute(tx.conn())
            .await?;
        for role in roles {
            sqlx::query(
                "INSERT INTO role_assignment (municipality_id, user_id, role, granted_at) VALUES ($1, $2, $3, $4)",
            )
            .bind(municipality.to_string())
            .bind(user.to_string())
            .bind(role.code())
            .bind(crate::now_micros())
            .execute(tx.conn())
            .await?;
        }
        let mut event = user_event(Some(municipality), "user.set_roles", user);
        event.details = serde_json::json!({ "roles": roles.iter().map(|r| r.code()).collect::<Vec<_>>() });
        audit::append(&mut tx, actor, event).await?;
        self.commit_user_change(tx).await
    }

    pub async fn set_user_disabled(
        &self,
        user: UserId,
        disabled: bool,
        municipality: Option<MunicipalityId>,
        actor: &Actor,
    ) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let changed = sqlx::query("UPDATE app_user SET disabled = $1 WHERE id = $2")
            .bind(crate::flag(disabled))
            .bind(user.to_string())
            .execute(tx.conn())
            .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        if disabled {
            // A disabled user is logged out everywhere: at once on this server, within the session
            // cache's lifetime on the others.
            sqlx::query("DELETE FROM user_session WHERE user_id = $1")
                .bind(user.to_string())
                .execute(tx.conn())
                .await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        audit::append(&mut tx, actor, user_event(municipality, action, user)).await?;
        self.commit_user_change(tx).await
    }

    pub async fn set_password(
        &self,
        user: UserId,
        password: &str,
        municipality: Option<MunicipalityId>,
        actor: &Actor,
    ) -> StoreResult<()> {
        check_password_rules(password)?;
        let hash = hash_password(password.to_string()).await?;
        let mut tx = self.write().await?;
        let changed = sqlx::query("UPDATE app_user SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
            .bind(&hash)
            .bind(crate::now_micros())
            .bind(user.to_string())
            .execute(tx.conn())
            .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query("DELETE FROM user_session WHERE user_id = $1")
            .bind(user.to_string())
            .execute(tx.conn())
            .await?;
        audit::append(&mut tx, actor, user_event(municipality, "user.reset_password", user)).await?;
        self.commit_user_change(tx).await
    }

    /// Commits a change to a user's roles, password or active flag. The sessions this server
    /// remembers are forgotten, so it reads the user afresh at once; other servers do when their
    /// entries run out (`session_cache`).
    async fn commit_user_change(&self, tx: crate::Tx) -> StoreResult<()> {
        tx.commit().await?;
        self.shared.sessions.forget_all();
        Ok(())
    }

    /// Checks an e-mail and password. `None` for a wrong password, an unknown or a disabled user
    /// alike: the caller must not be able to tell them apart.
    pub async fn authenticate(&self, email: &str, password: &str) -> StoreResult<Option<UserId>> {
        let row = sqlx::query("SELECT id, password_hash, disabled FROM app_user WHERE email = $1")
            .bind(normalise_email(email))
            .fetch_optional(&mut *self.conn().await?)
            .await?;
        let (id, hash, disabled) = match &row {
            Some(row) => (
                Some(row.try_get::<String, _>("id")?),
                Some(row.try_get::<String, _>("password_hash")?),
                crate::flag_of(row, "disabled")?,
            ),
            None => (None, None, false),
        };
        let ok = verify_password(password.to_string(), hash).await;
        match id {
            Some(id) if ok && !disabled => Ok(Some(parse_id(&id)?)),
            _ => Ok(None),
        }
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<User> {
        let row = sqlx::query("SELECT id FROM app_user WHERE email = $1")
            .bind(normalise_email(email))
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .ok_or(StoreError::NotFound)?;
        self.user(parse_id(&row.try_get::<String, _>("id")?)?).await
    }

    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM app_user u {ROLES_JOIN} WHERE u.id = $1 {ROLES_ORDER}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        user_from_rows(id, &rows)?.ok_or(StoreError::NotFound)
    }

    /// The principal for an active user; `None` when the user is disabled or gone.
    pub async fn principal(&self, id: UserId) -> StoreResult<Option<Principal>> {
        match self.user(id).await {
            Ok(user) if !user.disabled => Ok(Some(Principal {
                user_id: user.id,
                roles: user.roles,
            })),
            Ok(_) | Err(StoreError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The active users holding `role` in the municipality, as (id, display name) by name: the
    /// choices of a form shown on every case page, so remembered for as long as a session is
    /// (`session_cache`), and forgotten with the sessions when a user's roles or active flag
    /// change.
    pub async fn active_holders(&self, municipality: MunicipalityId, role: Role) -> StoreResult<Vec<(UserId, String)>> {
        let read = match self.shared.sessions.holders(municipality, role) {
            Ok(kept) => return Ok(kept),
            Err(read) => read,
        };
        let users = self.read_active_holders(municipality, role).await?;
        self.shared.sessions.put_holders(municipality, role, read, &users);
        Ok(users)
    }

    async fn read_active_holders(
        &self,
        municipality: MunicipalityId,
        role: Role,
    ) -> StoreResult<Vec<(UserId, String)>> {
        let rows = sqlx::query(
            "SELECT u.id, u.display_name FROM app_user u JOIN role_assignment r ON r.user_id = u.id \
             WHERE r.municipality_id = $1 AND r.role = $2 AND u.disabled = 0 ORDER BY u.display_name, u.id",
        )
        .bind(municipality.to_string())
        .bind(role.code())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    parse_id(&row.try_get::<String, _>("id")?)?,
                    row.try_get("display_name")?,
                ))
            })
            .collect()
    }

    /// All users, or those holding a role in one municipality, ordered by e-mail.
    pub async fn users(&self, municipality: Option<MunicipalityId>) -> StoreResult<Vec<User>> {
        let rows = match municipality {
            Some(m) => {
                sqlx::query(
                    "SELECT DISTINCT u.id, u.email FROM app_user u JOIN role_assignment r ON r.user_id = u.id \
                     WHERE r.municipality_id = $1 ORDER BY u.email",
                )
                .bind(m.to_string())
                .fetch_all(&mut *self.conn().await?)
                .await?
            }
            None => {
                sqlx::query("SELECT id, email FROM app_user ORDER BY email")
                    .fetch_all(&mut *self.conn().await?)
                    .await?
            }
        };
        let mut users = Vec::with_capacity(rows.len());
        for row in rows {
            users.push(self.user(parse_id(&row.try_get::<String, _>("id")?)?).await?);
        }
        Ok(users)
    }

    /// Creates an API token and returns its secret, which is shown once and never stored.
    pub async fn create_token(
        &self,
        user: UserId,
        name: &str,
        expires_at: Option<i64>,
        actor: &Actor,
    ) -> StoreResult<(ApiToken, String)> {
        let secret = new_secret("husly_");
        let token = ApiToken {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: user,
            name: name.trim().to_string(),
            created_at: crate::now_micros(),
            expires_at,
            revoked: false,
        };
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO api_token (id, user_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(&token.id)
            .bind(user.to_string())
            .bind(&token.name)
            .bind(secret_hash(&secret))
            .bind(token.created_at)
            .bind(token.expires_at)
            .execute(tx.conn())
            .await?;
        let mut event = user_event(None, "token.create", user);
        event.details = serde_json::json!({ "token_id": token.id });
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await?;
        Ok((token, secret))
    }

    pub async fn revoke_token(&self, token_id: &str, actor: &Actor) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let row =
            sqlx::query("UPDATE api_token SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL RETURNING user_id")
                .bind(crate::now_micros())
                .bind(token_id)
                .fetch_optional(tx.conn())
                .await?
                .ok_or(StoreError::NotFound)?;
        let user: UserId = parse_id(&row.try_get::<String, _>("user_id")?)?;
        let mut event = user_event(None, "token.revoke", user);
        event.details = serde_json::json!({ "token_id": token_id });
        audit::append(&mut tx, actor, event).await?;
        tx.commit().await
    }

    pub async fn tokens(&self, users: &[UserId]) -> StoreResult<Vec<ApiToken>> {
        let mut tokens = Vec::new();
        for user in users {
            let rows = sqlx::query(
                "SELECT id, user_id, name, created_at, expires_at, revoked_at FROM api_token WHERE user_id = $1 ORDER BY created_at DESC",
            )
            .bind(user.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
            for row in rows {
                tokens.push(ApiToken {
                    id: row.try_get("id")?,
                    user_id: *user,
                    name: row.try_get("name")?,
                    created_at: row.try_get("created_at")?,
                    expires_at: row.try_get("expires_at")?,
                    revoked: row.try_get::<Option<i64>, _>("revoked_at")?.is_some(),
                });
            }
        }
        Ok(tokens)
    }

    /// The active user behind a bearer token, when the token is known, not revoked and not expired.
    pub async fn user_for_token(&self, secret: &str) -> StoreResult<Option<User>> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM api_token t JOIN app_user u ON u.id = t.user_id {ROLES_JOIN} \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2) \
             AND u.disabled = 0 {ROLES_ORDER}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(secret_hash(secret))
            .bind(crate::now_micros())
            .fetch_all(&mut *self.conn().await?)
            .await?;
        let Some(first) = rows.first() else { return Ok(None) };
        let id = parse_id(&first.try_get::<String, _>("user_id")?)?;
        user_from_rows(id, &rows)
    }
}

/// A user with their roles comes from one query: the user's columns plus one row per role
/// (`USER_COLUMNS`, `ROLES_JOIN`, `ROLES_ORDER`), read back by [`user_from_rows`].
pub(crate) const USER_COLUMNS: &str =
    "u.id AS user_id, u.email, u.display_name, u.disabled, r.role, m.id, m.number, m.name, m.is_demo";
pub(crate) const ROLES_JOIN: &str = "LEFT JOIN role_assignment r ON r.user_id = u.id \
     LEFT JOIN municipality m ON m.id = r.municipality_id";
pub(crate) const ROLES_ORDER: &str = "ORDER BY m.number, r.role";

/// The user of rows shaped by `USER_COLUMNS`; `None` for no rows.
pub(crate) fn user_from_rows(id: UserId, rows: &[sqlx::any::AnyRow]) -> StoreResult<Option<User>> {
    let Some(first) = rows.first() else { return Ok(None) };
    let mut roles: BTreeMap<MunicipalityId, Vec<Role>> = BTreeMap::new();
    let mut municipalities: Vec<Municipality> = Vec::new();
    for row in rows {
        let Some(code) = row.try_get::<Option<String>, _>("role")? else {
            continue;
        };
        let role = Role::from_code(&code).ok_or_else(|| StoreError::Corrupt(format!("unknown role {code:?}")))?;
        let municipality = <Municipality as sqlx::FromRow<_>>::from_row(row)?;
        roles.entry(municipality.id).or_default().push(role);
        if municipalities.last().is_none_or(|m| m.id != municipality.id) {
            municipalities.push(municipality);
        }
    }
    Ok(Some(User {
        id,
        email: first.try_get("email")?,
        display_name: first.try_get("display_name")?,
        disabled: crate::flag_of(first, "disabled")?,
        roles,
        municipalities,
    }))
}

fn user_event(municipality: Option<MunicipalityId>, action: &'static str, user: UserId) -> Event<'static> {
    Event {
        municipality,
        action,
        resource_kind: "user",
        resource_id: user.to_string(),
        details: serde_json::json!({}),
    }
}
