//! Signing in and out, and choosing the municipality to work in. Who may try how often is the
//! web's throttle (it keys on the client's address); what a lockout leaves in the access log is
//! here.

use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::MunicipalityId;
use husly_store::Store;
use husly_store::audit::{Actor, Event};
use serde_json::json;

/// Signs a staff member in; the new session's secret, or `None` when the e-mail address and
/// password do not belong to an active account.
pub async fn log_in(store: &Store, email: &str, password: &str) -> UseCaseResult<Option<String>> {
    let Some(user) = store.authenticate(email, password).await? else {
        return Ok(None);
    };
    Ok(Some(store.create_session(user, None).await?))
}

/// Records a login lockout for the administrators: which count closed (`scope`), for which
/// account and address, both as keyed hashes, never in clear (an address is personal data too).
pub async fn record_lockout(
    store: &Store,
    request_id: &str,
    email: &str,
    address: &str,
    scope: &str,
) -> UseCaseResult<()> {
    let account = store.keyed_hash(&email.trim().to_lowercase()).await?;
    let from = store.keyed_hash(address).await?;
    let actor = Actor {
        actor: "system".into(),
        role: "login".into(),
        request_id: request_id.to_string(),
        purpose: "login throttle".into(),
    };
    let event = Event {
        municipality: None,
        action: "auth.lockout",
        resource_kind: "account",
        resource_id: account,
        details: json!({ "scope": scope, "address": from }),
    };
    store.audit(&actor, event).await?;
    Ok(())
}

/// Ends the session with this secret.
pub async fn log_out(store: &Store, session_secret: &str) -> UseCaseResult<()> {
    Ok(store.delete_session(session_secret).await?)
}

/// Makes `municipality`, where the caller holds a role, the one their session works in.
pub async fn choose_municipality(ctx: &Ctx, session_secret: &str, municipality: MunicipalityId) -> UseCaseResult<()> {
    if !ctx.user.municipalities.iter().any(|m| m.id == municipality) {
        return Err(UseCaseError::NotFound);
    }
    Ok(ctx.store.set_session_municipality(session_secret, municipality).await?)
}
