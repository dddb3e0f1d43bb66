//! The case file (saksmappe) as one ZIP: a summary of the case with the assessment, decisions
//! and timeline, every letter as sent, and every document. What an upheld appeal is forwarded to
//! the appeal body with, and what the applicant gets when they ask to see their case documents.

use std::io::Write;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use husly_domain::validation::format_date;
use husly_store::cases::{Case, Decision};
use husly_store::households::{Household, TimelineEvent};
use zip::write::SimpleFileOptions;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::path_id;

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
    /// The household's address, masked when protected (as every export).
    fn address(&self) -> String {
        crate::layout::household_address(&crate::i18n::Tr::new(husly_domain::Lang::Nb), self.household)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn ore(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }

    /// A rule's result in words (the summary is written in bokmål, as the archive keeps it).
    fn outcome(&self, r: &husly_domain::eligibility::RuleResult) -> &'static str {
        crate::i18n::Tr::new(husly_domain::Lang::Nb).t(match r.outcome().code() {
            "met" => "rule_outcome.met",
            "not_met" => "rule_outcome.not_met",
            "manual" => "rule_outcome.manual",
            _ => "rule_outcome.not_applicable",
        })
    }

    /// A text of the assessment in bokmål (the summary is written in bokmål).
    fn nb(&self, text: &husly_domain::eligibility::Wording) -> String {
        crate::i18n::Tr::new(husly_domain::Lang::Nb).wording(text)
    }

    fn rule_name(
        &self,
        a: &husly_domain::eligibility::Assessment,
        r: &husly_domain::eligibility::RuleResult,
    ) -> String {
        self.nb(&r.name(a.case_type))
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
    let ctx = user.ctx(&state);
    let contents = husly_usecases::cases::case_file(&ctx, path_id(&id)?).await?;
    let case = &contents.file.case;
    let summary = Summary {
        case,
        household: &contents.file.household,
        assessment: contents.assessment.clone(),
        decisions: &contents.decisions,
        timeline: &contents.timeline,
        generated: format_date(ctx.today),
    }
    .render()?;
    let mut files: Vec<(String, Vec<u8>)> = vec![("sammendrag.html".into(), summary.into_bytes())];
    for (i, (meta, pdf)) in contents.letters.iter().enumerate() {
        let name = format!("{}-{}.pdf", meta.kind, meta.language);
        files.push((entry("brev", i, &name), pdf.clone()));
    }
    for (i, (meta, bytes)) in contents.documents.iter().enumerate() {
        files.push((entry("dokumenter", i, &meta.filename), bytes.clone()));
    }
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
