//! Staff accounts and API keys in a municipality: what an office's
//! administrator does.
//!
//! An administrator manages the users who hold a role in the municipality; a user without a
//! role there is "not found" to them. New passwords and keys are returned once, to be shown
//! once; only their hashes are stored.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::{Action, Role};
use husly_domain::validation::FieldError;
use husly_domain::{MunicipalityId, UserId};
use husly_store::StoreError;
use husly_store::accounts::{ApiToken, User};
use husly_store::audit::Actor;

/// The longest e-mail address, display name and key name accepted.
pub const MAX_EMAIL: usize = 200;
pub const MAX_DISPLAY_NAME: usize = 200;
pub const MAX_TOKEN_NAME: usize = 100;

fn admin(ctx: &Ctx, municipality: MunicipalityId) -> Actor {
    Actor {
        purpose: "administration".to_string(),
        ..ctx.actor(municipality)
    }
}

/// The users who hold a role in the municipality.
pub async fn users(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<User>> {
    ctx.require(Action::ManageUsers, municipality)?;
    Ok(ctx.store.users(Some(municipality)).await?)
}

/// A new user as the administrator gave it.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub display_name: &'a str,
    pub roles: &'a [Role],
}

/// Creates a user with roles in the municipality; returns the id and the one-time password.
/// Field errors are named `email`, `display_name` and `role`.
pub async fn create_user(ctx: &Ctx, municipality: MunicipalityId, new: NewUser<'_>) -> UseCaseResult<(UserId, String)> {
    ctx.require(Action::ManageUsers, municipality)?;
    let (email, display_name) = (new.email.trim(), new.display_name.trim());
    let mut errors = Vec::new();
    if !email.contains('@') || email.len() > MAX_EMAIL {
        errors.push(FieldError::new("email", "email.invalid", "error.admin.email"));
    }
    if display_name.is_empty() || display_name.chars().count() > MAX_DISPLAY_NAME {
        errors.push(FieldError::required("display_name"));
    }
    if new.roles.is_empty() {
        errors.push(FieldError::new("role", "roles.empty", "error.admin.no_roles"));
    }
    if !errors.is_empty() {
        return Err(UseCaseError::Invalid(errors));
    }
    let password = generated_password();
    let actor = admin(ctx, municipality);
    let id = match ctx.store.create_user(email, display_name, &password, &actor).await {
        Ok(id) => id,
        Err(StoreError::Duplicate(_)) => {
            return Err(UseCaseError::Invalid(vec![FieldError::new(
                "email",
                "email.taken",
                "error.admin.email_taken",
            )]));
        }
        Err(e) => return Err(e.into()),
    };
    ctx.store.set_roles(id, municipality, new.roles, &actor).await?;
    Ok((id, password))
}

/// A user who holds a role in the municipality, with their API keys.
pub async fn managed_user(ctx: &Ctx, municipality: MunicipalityId, id: UserId) -> UseCaseResult<(User, Vec<ApiToken>)> {
    ctx.require(Action::ManageUsers, municipality)?;
    let user = ctx.store.user(id).await?;
    if !user.roles.contains_key(&municipality) {
        return Err(UseCaseError::NotFound);
    }
    let tokens = ctx.store.tokens(&[user.id]).await?;
    Ok((user, tokens))
}

/// An administrator who would lock the office out of its own user administration.
fn keep_own_admin(field: &str) -> UseCaseError {
    UseCaseError::Invalid(vec![FieldError::new(field, "keep_own_admin", "admin.keep_own_admin")])
}

/// Replaces the user's roles in the municipality. An administrator cannot take away their own
/// administrator role.
pub async fn set_roles(ctx: &Ctx, municipality: MunicipalityId, id: UserId, roles: &[Role]) -> UseCaseResult<()> {
    let (user, _) = managed_user(ctx, municipality, id).await?;
    if user.id == ctx.user.id && !roles.contains(&Role::Admin) {
        return Err(keep_own_admin("role"));
    }
    Ok(ctx
        .store
        .set_roles(user.id, municipality, roles, &admin(ctx, municipality))
        .await?)
}

/// Disables (signs out everywhere, stops the API keys) or enables a user. An administrator
/// cannot disable themselves.
pub async fn set_disabled(ctx: &Ctx, municipality: MunicipalityId, id: UserId, disabled: bool) -> UseCaseResult<()> {
    let (user, _) = managed_user(ctx, municipality, id).await?;
    if disabled && user.id == ctx.user.id {
        return Err(keep_own_admin("disabled"));
    }
    Ok(ctx
        .store
        .set_user_disabled(user.id, disabled, Some(municipality), &admin(ctx, municipality))
        .await?)
}

/// Gives the user a new one-time password; returns the user and the password.
pub async fn reset_password(ctx: &Ctx, municipality: MunicipalityId, id: UserId) -> UseCaseResult<(User, String)> {
    let (user, _) = managed_user(ctx, municipality, id).await?;
    let password = generated_password();
    ctx.store
        .set_password(user.id, &password, Some(municipality), &admin(ctx, municipality))
        .await?;
    Ok((user, password))
}

/// Creates an API key for the user, named for the system that will use it; returns the secret,
/// shown once.
pub async fn create_token(ctx: &Ctx, municipality: MunicipalityId, id: UserId, name: &str) -> UseCaseResult<String> {
    let (user, _) = managed_user(ctx, municipality, id).await?;
    ctx.require(Action::ManageTokens, municipality)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_TOKEN_NAME {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "name",
            "required",
            "admin.token_name_required",
        )]));
    }
    let (_, secret) = ctx
        .store
        .create_token(user.id, name, None, &admin(ctx, municipality))
        .await?;
    Ok(secret)
}

/// Revokes one of the user's API keys.
pub async fn revoke_token(ctx: &Ctx, municipality: MunicipalityId, owner: UserId, token: &str) -> UseCaseResult<()> {
    ctx.require(Action::ManageTokens, municipality)?;
    let (_, tokens) = managed_user(ctx, municipality, owner).await?;
    if !tokens.iter().any(|t| t.id == token) {
        return Err(UseCaseError::NotFound);
    }
    Ok(ctx.store.revoke_token(token, &admin(ctx, municipality)).await?)
}

/// A readable one-time password: 24 letters and digits without look-alikes, in groups of four.
fn generated_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 24];
    rand::fill(&mut bytes);
    let chars: Vec<char> = bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_password_is_six_groups_of_four_without_look_alikes() {
        let password = generated_password();
        let groups: Vec<&str> = password.split('-').collect();
        assert_eq!(groups.len(), 6, "{password}");
        assert!(groups.iter().all(|g| g.len() == 4));
        assert!(!password.contains(['0', 'o', '1', 'l', 'i']), "{password}");
        assert_ne!(password, generated_password());
    }
}
