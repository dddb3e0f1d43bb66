//! Files handed to the browser or an API client: letters as PDF, uploaded documents, and the
//! files Husly makes for download (reports, spreadsheets).

use axum::http::header;
use axum::response::{IntoResponse, Response};
use husly_store::documents::Document;

/// A PDF shown in the browser (`inline`), named `filename`, with its hash as ETag when given.
pub fn pdf_inline(filename: &str, bytes: Vec<u8>, sha256: Option<&str>) -> Response {
    let mut response = (
        [
            (header::CONTENT_TYPE, "application/pdf".to_string()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response();
    if let Some(etag) = sha256.and_then(|sha| header::HeaderValue::from_str(&format!("\"{sha}\"")).ok()) {
        response.headers_mut().insert(header::ETAG, etag);
    }
    response
}

/// An uploaded document as a download, under a file name safe in a header.
pub fn attachment(document: &Document, bytes: Vec<u8>) -> Response {
    let ascii: String = document
        .filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        [
            (header::CONTENT_TYPE, document.mime.clone()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{ascii}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// A file Husly made (a report, a spreadsheet) as a download named `filename` (plain ASCII, made
/// by the caller); not kept in caches, as its figures change with the data.
pub fn file(filename: &str, content_type: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}
