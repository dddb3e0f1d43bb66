//! Reading an uploaded document (PDF, JPEG, PNG) from a multipart body, for the pages and the
//! API alike. The type is read from the content; a document is only ever served through the case
//! (or draft) it belongs to, after the same authorisation as the case itself.

use axum::extract::Multipart;
use husly_domain::documents::{check_upload, clean_name};
use husly_domain::message::Message;
use husly_domain::validation::FieldError;

use crate::error::{AppError, AppResult};

/// What a document upload form posts.
pub struct Upload {
    pub csrf: String,
    pub filename: String,
    pub bytes: Vec<u8>,
    /// A message sent with the file (the applicant's status page), if the form has one.
    pub text: String,
}

/// Reads the multipart form from the request, after the handler has authorised the caller (so a
/// malformed upload by someone without access still answers 403/404, not 400).
pub async fn read_request(request: axum::extract::Request) -> AppResult<Upload> {
    use axum::extract::FromRequest;
    let multipart = Multipart::from_request(request, &())
        .await
        .map_err(|_| AppError::BadRequest(Message::new("error.upload.not_a_form")))?;
    read(multipart).await
}

/// Reads the multipart form: the CSRF token, one file and, where the form has it, a message.
pub async fn read(mut multipart: Multipart) -> AppResult<Upload> {
    let mut upload = Upload {
        csrf: String::new(),
        filename: String::new(),
        bytes: Vec::new(),
        text: String::new(),
    };
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest(Message::new("error.upload.unreadable")))?
    {
        match field.name().unwrap_or_default() {
            "csrf" => {
                upload.csrf = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest(Message::new("error.upload.unreadable")))?
            }
            "text" => {
                upload.text = field
                    .text()
                    .await
                    .map_err(|_| AppError::BadRequest(Message::new("error.upload.unreadable")))?
            }
            "file" => {
                upload.filename = field.file_name().unwrap_or_default().to_string();
                upload.bytes = field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest(Message::new("error.upload.unreadable")))?
                    .to_vec();
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// Checks the file; gives its type and a clean name, or the error to show next to the field.
pub fn check(upload: &Upload, max_bytes: usize) -> Result<(husly_domain::documents::DocumentType, String), FieldError> {
    let kind = check_upload("file", &upload.bytes, max_bytes)?;
    Ok((kind, clean_name(&upload.filename, kind)))
}
