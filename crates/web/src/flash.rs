//! The confirmation after an action ("Søknaden er lagret."): a form that succeeds redirects to
//! the page the user lands on with a short-lived cookie naming a catalogue key; that page shows the
//! text in a status region screen readers announce, and the cookie is cleared once shown. No
//! JavaScript, and nothing personal in the cookie: only the key.

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};

pub const FLASH_COOKIE: &str = "husly_flash";

/// Redirects to `to` with the confirmation `key` (a `flash.…` catalogue key) for the next page.
pub fn redirect(to: &str, key: &str) -> Response {
    let mut response = Redirect::to(to).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&format!(
        "{FLASH_COOKIE}={key}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60"
    )) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The confirmation a request carries, if it names a `flash.…` key of the catalogue.
pub fn key_of(headers: &axum::http::HeaderMap) -> Option<String> {
    let key = crate::i18n::cookie(headers, FLASH_COOKIE)?;
    let known = key.starts_with("flash.")
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_')
        && crate::i18n::catalog(husly_domain::Lang::Nb).contains_key(&key);
    known.then_some(key)
}

/// Clears the confirmation once a page has been shown with it, so it is shown once.
pub async fn clear_when_shown(request: Request, next: Next) -> Response {
    let had_flash = crate::i18n::cookie(request.headers(), FLASH_COOKIE).is_some();
    let mut response = next.run(request).await;
    if had_flash && response.status().is_success() {
        response.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_static("husly_flash=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
        );
    }
    response
}
