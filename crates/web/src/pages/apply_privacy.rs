//! The person's own view in self-service (`/apply/{id}/privacy`), opened with the application's
//! link and code: the consents the household has given to partner organisations, each withdrawn
//! by the person at once (shown once more to be confirmed), and who has looked at their data,
//! when and why, from the access log — also as a PDF (GDPR art. 15).

use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::consent::{ConsentState, consent_state};
use husly_domain::validation::format_date;
use husly_store::audit::AuditEntry;
use husly_store::consents::Consent;
use husly_usecases::UseCaseError;
use husly_usecases::privacy::Privacy;
use serde::Deserialize;

use super::access_log::{Words, access_pdf};
use super::apply::{applicant, open, tr};
use super::render;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::layout::Layout;
use crate::middleware::RequestId;
use crate::visitor::{VisitorForm, VisitorToken};

#[derive(Template)]
#[template(path = "apply_privacy.html")]
struct PrivacyPage {
    l: Layout,
    id: String,
    p: Privacy,
    /// The consent whose withdrawal is to be confirmed.
    confirm: Option<Consent>,
    withdrawn: bool,
    errors: FormErrors,
    reason: String,
    today: time::Date,
}

impl PrivacyPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn words(&self) -> Words<'_> {
        Words {
            l: &self.l,
            report: &self.p.report,
            for_the_person: true,
        }
    }

    fn time(&self, micros: &i64) -> String {
        self.words().time(*micros)
    }

    fn who(&self, entry: &AuditEntry) -> String {
        self.words().who(&entry.actor)
    }

    fn roles(&self, entry: &AuditEntry) -> String {
        self.words().roles(&entry.actor_role)
    }

    fn what(&self, entry: &AuditEntry) -> String {
        format!(
            "{} – {}",
            self.words().label("audit.action", &entry.action),
            self.words().record(entry)
        )
    }

    fn why(&self, entry: &AuditEntry) -> String {
        self.words().label("audit.purpose", &entry.purpose)
    }

    fn state(&self, c: &Consent) -> ConsentState {
        consent_state(c.valid_from, c.valid_to, c.withdrawal.is_some(), self.today)
    }

    fn state_key(&self, c: &Consent) -> String {
        format!("consent.state.{}", self.state(c).code())
    }

    fn can_withdraw(&self, c: &Consent) -> bool {
        matches!(self.state(c), ConsentState::InForce | ConsentState::Scheduled)
    }

    fn categories(&self, c: &Consent) -> String {
        super::partner::category_names(&self.l, &c.categories)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PrivacyQuery {
    withdrawn: Option<String>,
}

async fn page(
    state: &AppState,
    headers: &HeaderMap,
    request: &RequestId,
    id: &str,
    token: &str,
) -> AppResult<PrivacyPage> {
    let applicant = applicant(state, &request.0);
    let Some((draft, _)) = open(&applicant, headers, id).await? else {
        return Err(AppError::NotFound);
    };
    Ok(PrivacyPage {
        l: Layout::visitor(tr(headers), state.config.demo_mode, token),
        id: id.to_string(),
        p: applicant.privacy(&draft).await?,
        confirm: None,
        withdrawn: false,
        errors: FormErrors::default(),
        reason: String::new(),
        today: state.clock.today(),
    })
}

/// `GET /apply/{id}/privacy`: the household's consents and the person's access log.
pub async fn view(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    csrf: VisitorToken,
    Path(id): Path<String>,
    Query(query): Query<PrivacyQuery>,
) -> AppResult<Response> {
    let mut p = page(&state, &headers, &request, &id, &csrf.token).await?;
    p.withdrawn = query.withdrawn.is_some();
    Ok((csrf, render(&p)?).into_response())
}

/// `POST /apply/{id}/consents/{consent}/withdraw`: first shown once more to be confirmed, then
/// withdrawn at once.
pub async fn withdraw(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    Path((id, consent)): Path<(String, String)>,
    VisitorForm { fields, token }: VisitorForm,
) -> AppResult<Response> {
    let applicant = applicant(&state, &request.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let reason = fields.get("reason");
    if fields.get("confirmed").is_empty() {
        let mut p = page(&state, &headers, &request, &id, &token).await?;
        p.confirm =
            p.p.consents
                .iter()
                .find(|c| c.id == consent && p.can_withdraw(c))
                .cloned();
        if p.confirm.is_none() {
            return Err(AppError::NotFound);
        }
        p.reason = reason.to_string();
        return render(&p);
    }
    match applicant.withdraw_consent(&draft, &consent, reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/apply/{id}/privacy?withdrawn=1")).into_response()),
        Err(UseCaseError::Invalid(errors)) => {
            let mut p = page(&state, &headers, &request, &id, &token).await?;
            p.confirm = p.p.consents.iter().find(|c| c.id == consent).cloned();
            p.errors = FormErrors::from_fields(&errors, p.l.tr.lang);
            p.reason = reason.to_string();
            let mut response = render(&p)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /apply/{id}/privacy.pdf`: the person's access log as a PDF.
pub async fn pdf(
    State(state): State<AppState>,
    headers: HeaderMap,
    Extension(request): Extension<RequestId>,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let applicant = applicant(&state, &request.0);
    let Some((draft, _)) = open(&applicant, &headers, &id).await? else {
        return Err(AppError::NotFound);
    };
    let privacy = applicant.privacy(&draft).await?;
    let municipality = applicant.municipality_name(&draft).await?;
    let l = Layout::visitor(tr(&headers), state.config.demo_mode, "");
    let words = Words {
        l: &l,
        report: &privacy.report,
        for_the_person: true,
    };
    access_pdf(&words, &privacy.person, municipality, state.clock.today()).await
}
