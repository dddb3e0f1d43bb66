//! Who is asking: the signed-in staff member (session cookie) or the API client (bearer token),
//! and the one place handlers ask whether they may act.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::i18n::{self, Tr};
use crate::middleware::RequestId;
use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::MunicipalityId;
use husly_domain::authz::{Action, Decision, Principal, authorize};
use husly_store::accounts::User;
use husly_store::municipalities::Municipality;

pub const SESSION_COOKIE: &str = "husly_session";

/// The authenticated principal behind a request, whichever way they authenticated.
#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub user: User,
    pub request_id: String,
    pub tr: Tr,
}

impl Caller {
    /// The single authorisation check. Call it before acting; the answer for a municipality the
    /// caller has no role in is "not found", never "forbidden".
    pub fn require(&self, action: Action, municipality: MunicipalityId) -> AppResult<()> {
        match authorize(&self.principal, action, municipality) {
            Decision::Allow => Ok(()),
            Decision::Forbidden => Err(AppError::Forbidden),
            Decision::NotFound => Err(AppError::NotFound),
        }
    }

    /// The caller as a use case sees them, for a request through `channel`.
    pub fn ctx(&self, state: &AppState, channel: husly_usecases::Channel) -> husly_usecases::Ctx {
        husly_usecases::Ctx {
            store: state.store.pinned(),
            principal: self.principal.clone(),
            user: self.user.clone(),
            request_id: self.request_id.clone(),
            lang: self.tr.lang,
            today: state.clock.today(),
            channel,
            notifier: state.notifier.clone(),
            live_values: state.live_values.clone(),
        }
    }
}

/// A staff member signed in through the web UI. Pages that need one redirect to the login page
/// when there is none.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub caller: Caller,
    pub session_secret: String,
    pub csrf_token: String,
    /// The municipality the user is working in (chosen in the header when they have several).
    pub municipality: Option<Municipality>,
    /// Every municipality where the user holds a role.
    pub municipalities: Vec<Municipality>,
    /// The confirmation of the action that led here (a `flash.…` key), shown once.
    pub flash: Option<String>,
}

impl std::ops::Deref for CurrentUser {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl CurrentUser {
    /// The signed-in user as a use case's caller.
    pub fn ctx(&self, state: &AppState) -> husly_usecases::Ctx {
        self.caller.ctx(state, husly_usecases::Channel::Page)
    }

    /// Checks the CSRF token a form sent back.
    pub fn check_csrf(&self, token: &str) -> AppResult<()> {
        if constant_time_eq(token.as_bytes(), self.csrf_token.as_bytes()) {
            Ok(())
        } else {
            Err(AppError::Csrf)
        }
    }

    /// The working municipality, if the user may perform `action` there.
    pub fn working_municipality(&self, action: Action) -> AppResult<&Municipality> {
        let municipality = self.municipality.as_ref().ok_or(AppError::Forbidden)?;
        self.require(action, municipality.id)?;
        Ok(municipality)
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Rejection for pages: send the browser to the login page.
pub struct LoginRedirect;

impl IntoResponse for LoginRedirect {
    fn into_response(self) -> Response {
        Redirect::to("/login").into_response()
    }
}

fn request_id(parts: &Parts) -> String {
    parts
        .extensions
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

fn caller_of(user: User, parts: &Parts) -> Caller {
    Caller {
        principal: Principal {
            user_id: user.id,
            roles: user.roles.clone(),
        },
        user,
        request_id: request_id(parts),
        tr: Tr::new(i18n::negotiate(&parts.headers)),
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let Some(secret) = i18n::cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(LoginRedirect.into_response());
        };
        let found = state
            .store
            .session_user(&secret)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        let Some((session, user)) = found else {
            return Err(LoginRedirect.into_response());
        };
        let municipalities = user.municipalities.clone();
        let municipality = session
            .municipality
            .and_then(|id| municipalities.iter().find(|m| m.id == id))
            .or_else(|| municipalities.first())
            .cloned();
        Ok(CurrentUser {
            caller: caller_of(user, parts),
            session_secret: secret,
            csrf_token: session.csrf_token,
            municipality,
            municipalities,
            flash: crate::flash::key_of(&parts.headers),
        })
    }
}

/// An API client authenticated with `Authorization: Bearer <token>`.
#[derive(Debug, Clone)]
pub struct ApiUser(pub Caller);

impl ApiUser {
    /// The API client as a use case's caller.
    pub fn ctx(&self, state: &AppState) -> husly_usecases::Ctx {
        self.0.ctx(state, husly_usecases::Channel::Api)
    }
}

impl std::ops::Deref for ApiUser {
    type Target = Caller;
    fn deref(&self) -> &Caller {
        &self.0
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(str::trim)
}

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let user = state
            .store
            .user_for_token(token)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        Ok(ApiUser(caller_of(user, parts)))
    }
}

impl axum::extract::OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        Ok(
            <CurrentUser as FromRequestParts<AppState>>::from_request_parts(parts, state)
                .await
                .ok(),
        )
    }
}
