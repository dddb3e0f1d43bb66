//! Errors, mapped to HTTP in exactly one place.
//!
//! A handler returns [`AppError`]; its response carries an [`ErrorInfo`] extension and no body.
//! The `render_errors` middleware then writes the body in the request's language, as an HTML
//! page for browsers or as JSON under `/api/`. Internal errors are logged with the request id
//! only — never with the data that caused them — and shown as a generic message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use husly_domain::cases::Refusal;
use husly_domain::message::Message;
use husly_domain::validation::FieldError;
use husly_store::StoreError;
use husly_usecases::UseCaseError;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    Forbidden,
    /// Not signed in (pages redirect to the login page instead).
    Unauthenticated,
    /// The form's CSRF token was missing or wrong.
    Csrf,
    /// The request cannot be handled; the message says why, worded by the catalogue.
    BadRequest(Message),
    /// Validation failed on these fields (API; pages re-render their form instead).
    Validation(Vec<FieldError>),
    Conflict,
    /// The case's lifecycle refused the command; worded from the catalogue (`refusal.<code>`).
    Refused(Refusal),
    PayloadTooLarge,
    /// Too many requests; the client may try again after this long (`Retry-After`).
    TooManyRequests(std::time::Duration),
    /// Overloaded: no database connection came free in time. Better a quick "try again" than
    /// a request that hangs.
    Unavailable,
    Internal(anyhow::Error),
}

/// What the error renderer needs to know, attached to the response.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    /// Stable code, also the translation key `error.<code>`.
    pub code: &'static str,
    /// What the error adds to its general text, worded in the request's language.
    pub detail: Option<Message>,
    pub fields: Vec<FieldError>,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::BadRequest(_) | AppError::Refused(_) => StatusCode::BAD_REQUEST,
            AppError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Csrf => "csrf",
            AppError::BadRequest(_) | AppError::Refused(_) => "bad_request",
            AppError::Validation(_) => "validation",
            AppError::Conflict => "conflict",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::Unavailable => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(e) = &self {
            // The chain of causes may quote data; log only the outermost message, which names
            // what failed (the contexts given in code), cut short.
            tracing::error!(error_kind = %e.to_string().chars().take(80).collect::<String>(), "internal error");
        }
        let info = ErrorInfo {
            code: self.code(),
            detail: match &self {
                AppError::BadRequest(d) => Some(d.clone()),
                AppError::Refused(r) => Some(r.message()),
                _ => None,
            },
            fields: match self {
                AppError::Validation(ref f) => f.clone(),
                _ => Vec::new(),
            },
        };
        let mut response = self.status().into_response();
        if matches!(self, AppError::Unavailable) {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("2"),
            );
        }
        if let AppError::TooManyRequests(wait) = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(crate::quota::retry_after_seconds(wait)),
            );
        }
        response.extensions_mut().insert(info);
        response
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        if e.is_overloaded() {
            return AppError::Unavailable;
        }
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict { .. } => AppError::Conflict,
            // The store's own words are for operators (English, in the log); people get the catalogue's.
            StoreError::Invalid(_) | StoreError::Duplicate(_) => AppError::BadRequest(Message::new("error.not_saved")),
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<UseCaseError> for AppError {
    fn from(e: UseCaseError) -> Self {
        match e {
            UseCaseError::NotFound => AppError::NotFound,
            UseCaseError::Forbidden => AppError::Forbidden,
            UseCaseError::Invalid(fields) => AppError::Validation(fields),
            UseCaseError::Refused(refusal) => AppError::Refused(refusal),
            UseCaseError::Conflict => AppError::Conflict,
            UseCaseError::Quota(wait) => AppError::TooManyRequests(wait),
            UseCaseError::Letter(detail) => AppError::BadRequest(Message::new("error.letter").arg("problem", detail)),
            UseCaseError::Store(e) => e.into(),
            UseCaseError::Internal(e) => AppError::Internal(anyhow::anyhow!(e)),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("template: {e}"))
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// Every error code; each has `error.<code>.title` and `error.<code>.text` in the catalogues.
pub const ERROR_CODES: &[&str] = &[
    "not_found",
    "forbidden",
    "unauthenticated",
    "csrf",
    "bad_request",
    "validation",
    "conflict",
    "payload_too_large",
    "too_many_requests",
    "unavailable",
    "internal",
];
