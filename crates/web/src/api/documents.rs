//! A case's documents in the JSON API: list, upload (multipart, the file in the part `file`) and
//! download, through the same use cases and checks as the case page.

use super::contract::{Document, DocumentList};
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::path_id;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use husly_domain::CaseId;
use husly_domain::authz::Action;
use husly_usecases::cases as usecases;

/// `GET /cases/{id}/documents`
pub(super) async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
) -> AppResult<Json<DocumentList>> {
    let documents = usecases::documents(&user.ctx(&state), path_id(&id)?).await?;
    Ok(Json(DocumentList::from(documents.as_slice())))
}

/// `POST /cases/{id}/documents`: a PDF, JPEG or PNG, recognised by its content.
pub(super) async fn upload(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    request: axum::extract::Request,
) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let ctx = user.ctx(&state);
    // Who may attach is settled before the body is read.
    ctx.case_owner(id, Action::HandleCase).await?;
    let upload = crate::upload::read_request(request).await?;
    let (kind, filename) = crate::upload::check(&upload, state.config.max_document_bytes)
        .map_err(|error| AppError::Validation(vec![error]))?;
    let document = usecases::add_document(&ctx, id, &filename, kind, &upload.bytes).await?;
    Ok((
        StatusCode::CREATED,
        [(
            header::LOCATION,
            format!("/api/v1/cases/{id}/documents/{}", document.id),
        )],
        Json(Document::from(&document)),
    )
        .into_response())
}

/// `GET /cases/{id}/documents/{document_id}`: the file as uploaded.
pub(super) async fn download(
    State(state): State<AppState>,
    user: ApiUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    let (_, meta, bytes) = usecases::document(&user.ctx(&state), path_id(&id)?, &document).await?;
    Ok(crate::download::attachment(&meta, bytes))
}
