//! The KOSTRA main reason on the case page (`case_kostra.html`): the category the applicant's
//! ticks suggest, the caseworker's classification (who, when) and the form to classify.

use crate::AppState;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use crate::pages::render;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::CaseId;
use husly_domain::authz::Action;
use husly_domain::kostra::KostraCategory;
use husly_usecases::UseCaseError;
use husly_usecases::kostra::{KostraView, classify_kostra};
use serde::Deserialize;

/// The KOSTRA section of the case page.
#[derive(Debug, Clone)]
pub struct KostraSection {
    pub case_id: String,
    pub view: KostraView,
    pub can_classify: bool,
    /// When classified, as the case page shows times.
    pub classified_at: Option<String>,
    pub errors: FormErrors,
}

impl KostraSection {
    pub fn new(case_id: CaseId, view: KostraView, can_classify: bool) -> KostraSection {
        let classified_at = view
            .classification
            .as_ref()
            .map(|c| crate::layout::format_timestamp(c.classified_at));
        KostraSection {
            case_id: case_id.to_string(),
            view,
            can_classify,
            classified_at,
            errors: FormErrors::default(),
        }
    }

    pub fn categories(&self) -> &'static [KostraCategory] {
        &KostraCategory::ALL
    }

    /// The category the form starts with: the classification, else the suggestion.
    pub fn checked(&self, category: &KostraCategory) -> bool {
        let current = self
            .view
            .classification
            .as_ref()
            .map(|c| c.category)
            .or(self.view.suggested);
        current == Some(*category)
    }

    pub fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

#[derive(Debug, Deserialize)]
struct ClassifyForm {
    #[serde(default)]
    category: String,
}

/// `POST /cases/{id}/kostra`: the caseworker saves the main reason.
pub async fn classify(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    let f: ClassifyForm = form.bind()?;
    let ctx = form.user.ctx(&state);
    match classify_kostra(&ctx, id, &f.category).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/cases/{id}#kostra"),
            "flash.kostra.saved",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let file = husly_usecases::cases::open_case(&ctx, id, Action::ViewCase).await?;
            let mut page = super::view::case_page(&state, &form.user, file).await?;
            let errors: Vec<_> = errors
                .into_iter()
                .map(|mut e| {
                    e.field = format!("kostra.{}", e.field);
                    e
                })
                .collect();
            page.kostra.errors = FormErrors::from_fields(&errors, form.user.tr.lang);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
