//! The case file (saksmappe) as one ZIP: a summary of the case with the assessment, decisions
//! and timeline, every letter as sent, and every document. What an upheld appeal is forwarded to
//! the appeal body with, and what the applicant gets when they ask to see their case documents.

use std::io::Write;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use husly_domain::authz::Action;
use husly_domain::validation::format_date;
use husly_store::cases::{Case, Decision};
use husly_store::households::{Household, TimelineEvent};
use zip::write::SimpleFileOptions;

use super::view::load;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use husly_usecases::cases::CaseFile;
use husly_usecases::cases::assessment::assessment_of;

#[derive(Template)]
#[template(path = "case_file_summary.html")]
struct Summary<'a> {
    case: &'a Case,
    household: &'a Household,
    assessment: Option<husly_domain::eligibility::Assessment>,
    decisions: &'a [Decision],
    timeline: &'a [TimelineEvent],
    generated: String,
}

impl Summary<'_> {
    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn ore(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }
}

fn zip_error(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("case file: {e}"))
}

/// A file name inside the archive: the stored names are already cleaned; this keeps them unique.
fn entry(folder: &str, index: usize, name: &str) -> String {
    format!("{folder}/{:02}-{name}", index + 1)
}

pub async fn download(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let CaseFile {
        municipality,
        number,
        case,
        household,
    } = load(&state, &user, &id, Action::ViewCase).await?;
    let decisions = state.store.decisions(municipality, case.id).await?;
    let letters = state.store.letters(municipality, case.id).await?;
    let documents = state
        .store
        .documents(municipality, husly_store::documents::Owner::Case(case.id))
        .await?;
    let timeline = state.store.case_timeline(municipality, case.id).await?;
    let summary = Summary {
        case: &case,
        household: &household,
        assessment: assessment_of(&case, &household, &number, time::OffsetDateTime::now_utc().date()),
        decisions: &decisions,
        timeline: &timeline,
        generated: format_date(time::OffsetDateTime::now_utc().date()),
    }
    .render()?;
    let mut files: Vec<(String, Vec<u8>)> = vec![("sammendrag.html".into(), summary.into_bytes())];
    for (i, letter) in letters.iter().enumerate() {
        let (meta, _, pdf) = state.store.letter(municipality, case.id, &letter.id).await?;
        files.push((entry("brev", i, &format!("{}-{}.pdf", meta.kind, meta.language)), pdf));
    }
    for (i, document) in documents.iter().enumerate() {
        let (meta, bytes) = state
            .store
            .document(municipality, husly_store::documents::Owner::Case(case.id), &document.id)
            .await?;
        files.push((entry("dokumenter", i, &meta.filename), bytes));
    }
    user.audit_read(
        &state.store,
        municipality,
        "case.case_file",
        ("case", case.id.to_string()),
        serde_json::json!({ "letters": letters.len(), "documents": documents.len() }),
    )
    .await?;
    let reference = case.reference.clone();
    let bytes = tokio::task::spawn_blocking(move || -> Result<Vec<u8>, AppError> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in files {
            zip.start_file(name, options).map_err(zip_error)?;
            zip.write_all(&content).map_err(zip_error)?;
        }
        Ok(zip.finish().map_err(zip_error)?.into_inner())
    })
    .await
    .map_err(zip_error)??;
    Ok((
        [
            (header::CONTENT_TYPE, "application/zip".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"saksmappe-{reference}.zip\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
