//! CSRF protection for visitors without a session: the login form and the self-service pages.
//!
//! A signed-in user's token lives in their session ([`crate::forms::StaffForm`]). A visitor has
//! no session, so the token is a double-submit cookie: the page that shows a form sets a random
//! token in an HttpOnly cookie and in the form; a post is accepted only when the two agree. Another
//! site can make a browser post but can neither read nor set this site's cookie.

use crate::AppState;
use crate::auth::constant_time_eq;
use crate::error::AppError;
use crate::forms::FormFields;
use crate::i18n;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponseParts, ResponseParts};
use std::convert::Infallible;

pub const VISITOR_CSRF_COOKIE: &str = "husly_csrf";

/// The visitor's token for the forms of the page being shown: the one their cookie holds, or a
/// new one that the response sets (return it with the page: `(token, page)`).
pub struct VisitorToken {
    pub token: String,
    set_cookie: Option<HeaderValue>,
}

impl VisitorToken {
    /// The token to set afresh, replacing any other (after signing in, so that a token seen
    /// before is not the one used after).
    pub fn cleared(state: &AppState, headers: &HeaderMap) -> VisitorToken {
        let secure = crate::pages::login::secure(state, headers);
        VisitorToken {
            token: String::new(),
            set_cookie: Some(crate::pages::login::cookie(VISITOR_CSRF_COOKIE, "", Some(0), secure)),
        }
    }
}

fn held(headers: &HeaderMap) -> Option<String> {
    i18n::cookie(headers, VISITOR_CSRF_COOKIE).filter(|token| token.len() == 64)
}

impl FromRequestParts<AppState> for VisitorToken {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(token) = held(&parts.headers) {
            return Ok(VisitorToken {
                token,
                set_cookie: None,
            });
        }
        let token = husly_store::accounts::new_secret("");
        let secure = crate::pages::login::secure(state, &parts.headers);
        Ok(VisitorToken {
            set_cookie: Some(crate::pages::login::cookie(VISITOR_CSRF_COOKIE, &token, None, secure)),
            token,
        })
    }
}

impl IntoResponseParts for VisitorToken {
    type Error = Infallible;

    fn into_response_parts(self, mut res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        if let Some(cookie) = self.set_cookie {
            res.headers_mut().append(SET_COOKIE, cookie);
        }
        Ok(res)
    }
}

/// Whether `submitted` is the token the visitor's cookie holds; 403 otherwise.
pub fn check(headers: &HeaderMap, submitted: &str) -> Result<String, AppError> {
    match held(headers) {
        Some(expected) if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) => Ok(expected),
        _ => Err(AppError::Csrf),
    }
}

/// A visitor's form, accepted only with the token their cookie holds: checked here, before the
/// handler reads or records anything.
pub struct VisitorForm {
    pub fields: FormFields,
    /// The token, for the form shown again (with errors).
    pub token: String,
}

impl FromRequest<AppState> for VisitorForm {
    type Rejection = AppError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let headers = request.headers().clone();
        let fields = FormFields::from_request(request, state).await?;
        let token = check(&headers, fields.get("csrf"))?;
        Ok(VisitorForm { fields, token })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            "cookie",
            HeaderValue::from_str(&format!("{VISITOR_CSRF_COOKIE}={value}")).unwrap(),
        );
        headers
    }

    #[test]
    fn a_post_passes_only_with_the_token_its_cookie_holds() {
        let token = "a".repeat(64);
        assert_eq!(check(&with_cookie(&token), &token).unwrap(), token);
        assert!(check(&with_cookie(&token), &"b".repeat(64)).is_err());
        assert!(check(&with_cookie(&token), "").is_err());
        assert!(check(&HeaderMap::new(), &token).is_err(), "no cookie, no post");
        assert!(check(&with_cookie(""), "").is_err(), "an empty cookie is no token");
    }
}
