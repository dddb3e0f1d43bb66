//! Cross-cutting layers: request ids, logging without personal data, security headers, body
//! limits, metrics, and the rendering of error responses.

use crate::AppState;
use crate::api::contract::{ErrorAnswer, ErrorDetail, FieldProblem};
use crate::error::{AppError, ErrorInfo};
use crate::i18n::{self, Tr};
use crate::layout::ErrorPage;
use crate::routing::get;
use askama::Template;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{Html, IntoResponse, Response};
use axum::{Json, Router};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use std::sync::OnceLock;
use std::time::Instant;
use tracing::Instrument;

/// The request id: generated per request, in every log line of its span, in the audit entries it
/// causes, and returned as `X-Request-Id` so a user can quote it to support.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// Wraps the application in its layers (outermost last).
pub fn wrap(app: Router<AppState>, state: AppState) -> Router {
    let largest = state
        .config
        .max_body_bytes
        .max(state.config.max_document_bytes + UPLOAD_OVERHEAD)
        .max(TABLE_UPLOAD_BYTES);
    app.layer(from_fn(crate::flash::clear_when_shown))
        .layer(from_fn(crate::forms::refuse_control_in_query))
        .layer(from_fn_with_state(state.clone(), limit_body))
        .layer(axum::extract::DefaultBodyLimit::max(largest))
        .layer(from_fn_with_state(state.clone(), render_errors))
        .layer(from_fn(security_headers))
        .layer(from_fn(observe))
        .with_state(state)
}

/// Room for the multipart framing and the form's other fields around an uploaded document.
const UPLOAD_OVERHEAD: usize = 64 * 1024;

/// The largest body of a table upload (the dwelling register, the rent ledger): the file the
/// import reads at the most, and the form around it.
const TABLE_UPLOAD_BYTES: usize = husly_usecases::tabular::MAX_FILE_BYTES + UPLOAD_OVERHEAD;

/// Whether a path takes a table to import.
fn is_table_upload(path: &str) -> bool {
    path.ends_with("/dwellings/import") || path.ends_with("/tenancies/ledger")
}

/// Request bodies are small (64 KiB by default) except on the document upload routes, which take
/// one document of up to the configured size, and the imports, which take a table of up to
/// [`husly_usecases::tabular::MAX_FILE_BYTES`]. Larger bodies get 413 before they are read.
async fn limit_body(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let limit = if path.ends_with("/documents") {
        state.config.max_document_bytes + UPLOAD_OVERHEAD
    } else if is_table_upload(path) && request.method() == axum::http::Method::POST {
        TABLE_UPLOAD_BYTES
    } else {
        state.config.max_body_bytes
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|len| len > limit) {
        return AppError::PayloadTooLarge.into_response();
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Err(_) => AppError::PayloadTooLarge.into_response(),
    }
}

/// Request id, one log line per request (method, route template, status, duration — never the
/// URI, whose query string may hold a name or an identity number), and metrics.
async fn observe(mut request: Request, next: Next) -> Response {
    let id = uuid::Uuid::now_v7().to_string();
    request.extensions_mut().insert(RequestId(id.clone()));
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = request.method().clone();
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);
    let started = Instant::now();
    let mut response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    span.in_scope(|| tracing::info!(status, duration_ms = elapsed.as_secs_f64() * 1000.0, "request"));
    let labels = [
        ("method", method.to_string()),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!("husly_http_requests_total", &labels).increment(1);
    metrics::histogram!("husly_http_request_duration_seconds", &labels).record(elapsed.as_secs_f64());
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

async fn security_headers(request: Request, next: Next) -> Response {
    let is_static = request.uri().path().starts_with("/static/");
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    );
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    if !is_static && !headers.contains_key(header::CACHE_CONTROL) {
        // Pages hold personal data: never keep them in a shared or back-button cache.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// Gives error responses their body: an HTML page in the user's language, or JSON for the API.
async fn render_errors(State(_state): State<AppState>, request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let tr = Tr::new(i18n::negotiate(request.headers()));
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let response = next.run(request).await;
    let status = response.status();
    let info = match response.extensions().get::<ErrorInfo>() {
        Some(info) => info.clone(),
        None if status == StatusCode::PAYLOAD_TOO_LARGE => plain_info("payload_too_large"),
        None if status == StatusCode::NOT_FOUND && response_is_empty(&response) => plain_info("not_found"),
        None if status == StatusCode::METHOD_NOT_ALLOWED => plain_info("bad_request"),
        None if status.is_client_error() && !has_content_type(&response) => plain_info("bad_request"),
        // An extractor's own rejection (a query string that does not parse, say) answers in
        // plain text; the API answers every error in its JSON envelope, naming the field.
        None if is_api && status.is_client_error() => {
            let (parts, body) = response.into_parts();
            let text = axum::body::to_bytes(body, 4096)
                .await
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default();
            let info = rejection_info(&text);
            let mut out = api_error_body(tr, &info);
            *out.status_mut() = if info.fields.is_empty() {
                parts.status
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            return out;
        }
        None => return response,
    };
    let (parts, _) = response.into_parts();
    let mut out = if is_api {
        api_error_body(tr, &info)
    } else {
        html_error_body(tr, &info, &request_id)
    };
    *out.status_mut() = parts.status;
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().insert(name.clone(), value.clone());
        }
    }
    out
}

/// What an extractor's plain-text rejection says, as the API's error: a query parameter that does
/// not parse is named (`Failed to deserialize query string: limit: invalid digit …`).
fn rejection_info(text: &str) -> ErrorInfo {
    let text = text.trim();
    if let Some((field, message)) = text
        .strip_prefix("Failed to deserialize query string: ")
        .and_then(|rest| rest.split_once(": "))
    {
        return ErrorInfo {
            code: "validation",
            detail: None,
            fields: vec![
                husly_domain::validation::FieldError::new(field, "invalid_query_value", "error.invalid_json_value")
                    .arg("problem", message),
            ],
        };
    }
    ErrorInfo {
        code: "bad_request",
        detail: Some(
            husly_domain::message::Message::new("error.technical_detail")
                .arg("problem", text.chars().take(200).collect::<String>()),
        ),
        fields: Vec::new(),
    }
}

fn plain_info(code: &'static str) -> ErrorInfo {
    ErrorInfo {
        code,
        detail: None,
        fields: Vec::new(),
    }
}

fn response_is_empty(response: &Response) -> bool {
    use axum::body::HttpBody;
    response.body().size_hint().exact() == Some(0)
}

fn has_content_type(response: &Response) -> bool {
    response.headers().contains_key(header::CONTENT_TYPE)
}

/// What the error adds to its general text: the detail given, or the refusal in words.
fn detail_of(tr: Tr, info: &ErrorInfo) -> Option<String> {
    info.detail.as_ref().map(|d| tr.message(d))
}

fn api_error_body(tr: Tr, info: &ErrorInfo) -> Response {
    let fields = info
        .fields
        .iter()
        .map(|f| FieldProblem {
            field: f.field.clone(),
            code: f.code.to_string(),
            message: tr.error(f),
        })
        .collect();
    let mut message = tr.t(&format!("error.{}.text", info.code)).to_string();
    if let Some(detail) = detail_of(tr, info) {
        message = format!("{message} {detail}");
    }
    Json(ErrorAnswer {
        error: ErrorDetail {
            code: info.code,
            message,
            fields,
        },
    })
    .into_response()
}

fn html_error_body(tr: Tr, info: &ErrorInfo, request_id: &str) -> Response {
    let page = ErrorPage {
        l: crate::layout::Layout::anonymous(tr, false),
        title: tr.t(&format!("error.{}.title", info.code)).to_string(),
        text: tr.t(&format!("error.{}.text", info.code)).to_string(),
        detail: detail_of(tr, info),
        fields: info.fields.iter().map(|f| (f.field.clone(), tr.error(f))).collect(),
        request_id: request_id.to_string(),
    };
    match page.render() {
        Ok(html) => Html(html).into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "error").into_response(),
    }
}

/// The process-wide Prometheus recorder (installed once, also when tests start many servers).
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (e.g. by an embedding program); then our
            // handle still renders, just without the request metrics.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// `/healthz`, `/readyz`, `/metrics` and the embedded static files.
pub fn operational_routes() -> crate::routing::Routes {
    crate::routing::Routes::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_page))
        .route("/audit/checkpoints", get(checkpoints_page))
        .route("/static/husly.css", get(stylesheet))
        .route("/favicon.ico", get(favicon))
        .route("/static/favicon.svg", get(favicon))
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.store.ping().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// The figures say how busy the office is and which routes fail: not for everyone. With a
/// configured token the caller must present it; without one only this machine may ask.
async fn metrics_page(State(state): State<AppState>, request: Request) -> Response {
    if !operator(&state, &request) {
        return AppError::NotFound.into_response();
    }
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// The audit checkpoints the server has written, one JSON line each, for a second party to
/// collect and keep where the database's writer cannot reach (`?after=` an `at` value: only the
/// newer ones). Asked for as `/metrics` is.
async fn checkpoints_page(State(state): State<AppState>, request: Request) -> Response {
    if !operator(&state, &request) {
        return AppError::NotFound.into_response();
    }
    let after: i64 = request
        .uri()
        .query()
        .and_then(|q| q.split('&').find_map(|pair| pair.strip_prefix("after=")))
        .and_then(|v| v.parse().ok())
        .unwrap_or(i64::MIN);
    let text = match &state.config.checkpoints_file {
        Some(file) => tokio::fs::read_to_string(file).await.unwrap_or_default(),
        None => String::new(),
    };
    let newer: String = text
        .lines()
        .filter(|line| {
            serde_json::from_str::<serde_json::Value>(line)
                .ok()
                .and_then(|c| c["at"].as_i64())
                .is_some_and(|at| at > after)
        })
        .flat_map(|line| [line, "\n"])
        .collect();
    ([(header::CONTENT_TYPE, "application/x-ndjson")], newer).into_response()
}

/// Whether the caller may read the operator's endpoints: with a configured token the caller
/// must present it; without one only this machine may ask.
fn operator(state: &AppState, request: &Request) -> bool {
    match &state.config.metrics_token {
        Some(token) => request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| crate::auth::constant_time_eq(given.trim().as_bytes(), token.as_bytes())),
        None => {
            !state.config.behind_proxy
                && request
                    .extensions()
                    .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                    .is_some_and(|peer| peer.0.ip().is_loopback())
        }
    }
}

async fn stylesheet() -> Response {
    const CSS: &str = include_str!("../static/husly.css");
    // The letters' own rules follow the app's, so a letter shown in a page looks as printed.
    static ALL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let css = ALL.get_or_init(|| format!("{CSS}\n/* Letters (husly-letters) */\n{}", husly_letters::LETTER_CSS));
    let mut response = Response::new(Body::from(css.as_str()));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

/// A small house in the accent colour; also answers browsers' automatic `/favicon.ico` request.
async fn favicon() -> Response {
    const SVG: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\">\
        <path fill=\"#0163BA\" d=\"M16 3 2 15h4v14h8v-9h4v9h8V15h4z\"/></svg>";
    let mut response = Response::new(Body::from(SVG));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400"));
    response
}
