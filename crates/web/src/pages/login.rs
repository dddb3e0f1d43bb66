//! Signing in and out, and the header's language and municipality switches.

use super::render;
use crate::AppState;
use crate::auth::{CurrentUser, SESSION_COOKIE};
use crate::config::SecureCookies;
use crate::error::AppResult;
use crate::forms::{FormFields, StaffForm, path_id};
use crate::i18n::{self, LANG_COOKIE, Tr};
use crate::layout::Layout;
use crate::visitor::{VisitorForm, VisitorToken};
use askama::Template;
use axum::extract::{ConnectInfo, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::Lang;
use husly_usecases::sessions;
use std::net::SocketAddr;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    l: Layout,
    csrf: String,
    email: String,
    error: Option<String>,
}

/// Whether cookies get the `Secure` flag for this request.
pub(crate) fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    match state.config.secure_cookies {
        SecureCookies::Always => true,
        SecureCookies::Never => false,
        SecureCookies::Auto => {
            state.config.behind_proxy
                && headers
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.eq_ignore_ascii_case("https"))
        }
    }
}

pub(crate) fn cookie(name: &str, value: &str, max_age: Option<i64>, secure: bool) -> HeaderValue {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        text.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn login_page(state: &AppState, tr: Tr, csrf: String, email: String, error: Option<String>) -> AppResult<Response> {
    let page = LoginPage {
        l: Layout::anonymous(tr, state.config.demo_mode),
        csrf,
        email,
        error,
    };
    render(&page)
}

pub async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: Option<CurrentUser>,
    csrf: VisitorToken,
) -> AppResult<Response> {
    if user.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let tr = Tr::new(i18n::negotiate(&headers));
    let page = login_page(&state, tr, csrf.token.clone(), String::new(), None)?;
    Ok((csrf, page).into_response())
}

pub(crate) fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> String {
    if state.config.behind_proxy
        && let Some(forwarded) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first.trim().to_string();
    }
    peer.ip().to_string()
}

pub async fn submit(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    axum::Extension(request_id): axum::Extension<crate::middleware::RequestId>,
    headers: HeaderMap,
    VisitorForm {
        fields: form,
        token: expected,
    }: VisitorForm,
) -> AppResult<Response> {
    let tr = Tr::new(i18n::negotiate(&headers));
    let email = form.get("email").trim().to_string();
    let address = client_address(&state, &headers, peer);
    if let Err(wait) = state.throttle.check(&email, &address) {
        let message = tr.t("login.throttled").to_string();
        let mut response = login_page(&state, tr, expected, email, Some(message))?;
        *response.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
        let seconds = crate::quota::retry_after_seconds(wait);
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        return Ok(response);
    }
    let Some(secret) = sessions::log_in(&state.store, &email, form.get("password")).await? else {
        if let Some(lockout) = state.throttle.record_failure(&email, &address) {
            sessions::record_lockout(&state.store, &request_id.0, &email, &address, lockout.code()).await?;
            tracing::warn!(scope = lockout.code(), "login locked");
        }
        tracing::info!("login failed");
        let message = tr.t("login.wrong").to_string();
        let mut response = login_page(&state, tr, expected, email, Some(message))?;
        *response.status_mut() = axum::http::StatusCode::UNAUTHORIZED;
        return Ok(response);
    };
    state.throttle.record_success(&email, &address);
    tracing::info!("login succeeded");
    let mut response = (VisitorToken::cleared(&state, &headers), Redirect::to("/")).into_response();
    let secure = secure(&state, &headers);
    let h = response.headers_mut();
    h.append(header::SET_COOKIE, cookie(SESSION_COOKIE, &secret, None, secure));
    Ok(response)
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap, staff: StaffForm) -> AppResult<Response> {
    let user = &staff.user;
    sessions::log_out(&state.store, &user.session_secret).await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie(SESSION_COOKIE, "", Some(0), secure(&state, &headers)),
    );
    Ok(response)
}

/// Switches the interface language. No CSRF token: it changes only a display preference.
pub async fn language(State(state): State<AppState>, headers: HeaderMap, form: FormFields) -> Response {
    let lang = Lang::from_code(form.get("lang")).unwrap_or_default();
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(same_site_path)
        .unwrap_or_else(|| "/".to_string());
    let mut response = Redirect::to(&back).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie(
            LANG_COOKIE,
            lang.code(),
            Some(365 * 24 * 3600),
            secure(&state, &headers),
        ),
    );
    response
}

/// The path part of a referring URL, so a redirect can never leave the site.
fn same_site_path(referer: &str) -> Option<String> {
    let after_scheme = referer.split_once("://").map_or(referer, |(_, rest)| rest);
    let path = after_scheme.find('/').map(|i| &after_scheme[i..])?;
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

pub async fn switch_municipality(State(state): State<AppState>, staff: StaffForm) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let wanted = path_id(form.get("municipality"))?;
    sessions::choose_municipality(&user.ctx(&state), &user.session_secret, wanted).await?;
    Ok(Redirect::to("/").into_response())
}

#[cfg(test)]
mod tests {
    use super::same_site_path;

    #[test]
    fn redirects_stay_on_site() {
        assert_eq!(same_site_path("http://x:8080/search?q=a"), Some("/search?q=a".into()));
        assert_eq!(same_site_path("http://x//evil.example"), None);
        assert_eq!(same_site_path("garbage"), None);
    }
}
