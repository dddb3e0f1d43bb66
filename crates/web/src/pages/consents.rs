//! A household's consents to share with partner organisations (`/households/{id}/consents`):
//! what each member agreed to share, with whom, for what and until when; the form to record a
//! new one; and the withdrawal, which ends a consent at once and so is shown once more to be
//! confirmed, with a reason.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::consent::{ConsentCategory, ConsentEvidence, ConsentInput, ConsentState, GivenBy, consent_state};
use husly_domain::validation::format_date;
use husly_store::consents::Consent;
use husly_usecases::UseCaseError;
use husly_usecases::consents::{self, HouseholdConsents};
use serde::Deserialize;

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};

pub fn routes() -> Routes {
    Routes::new()
        .route("/households/{id}/consents", get(view).post(record))
        .route("/households/{id}/consents/{consent}/withdraw", post(withdraw))
}

#[derive(Debug, Default, Deserialize)]
pub struct ViewQuery {
    /// A consent to confirm the withdrawal of.
    withdraw: Option<String>,
}

#[derive(Template)]
#[template(path = "consents.html")]
struct ConsentsPage {
    l: Layout,
    c: HouseholdConsents,
    /// The consent whose withdrawal is to be confirmed.
    confirm: Option<Consent>,
    /// Which form was refused (`record` or `withdraw`), and what was typed in it.
    active: String,
    typed: FormFields,
    errors: FormErrors,
    conflict: bool,
    today: time::Date,
}

impl ConsentsPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    fn typed_or(&self, form: &str, field: &str, default: &str) -> String {
        if self.active == form {
            self.typed.get(field).to_string()
        } else {
            default.to_string()
        }
    }

    fn is_chosen(&self, form: &str, field: &str, code: &str, default: &str) -> bool {
        if self.active == form {
            self.typed.all(field).contains(&code)
        } else {
            code == default
        }
    }

    fn categories(&self) -> Vec<(&'static str, String)> {
        super::choices(ConsentCategory::ALL, ConsentCategory::code, "consent.category")
    }

    fn evidences(&self) -> Vec<(&'static str, String)> {
        super::choices(ConsentEvidence::ALL, ConsentEvidence::code, "consent.evidence")
    }

    fn givers(&self) -> Vec<(&'static str, String)> {
        super::choices(GivenBy::ALL, GivenBy::code, "consent.given_by")
    }

    fn state(&self, c: &Consent) -> ConsentState {
        consent_state(c.valid_from, c.valid_to, c.withdrawal.is_some(), self.today)
    }

    fn state_key(&self, c: &Consent) -> String {
        format!("consent.state.{}", self.state(c).code())
    }

    /// Whether the consent can still be withdrawn: in force, or not started yet.
    fn can_withdraw(&self, c: &Consent) -> bool {
        self.c.can_record && matches!(self.state(c), ConsentState::InForce | ConsentState::Scheduled)
    }

    fn category_names(&self, c: &Consent) -> String {
        super::partner::category_names(&self.l, &c.categories)
    }

    fn giver(&self, c: &Consent) -> String {
        match &c.guardian {
            Some(guardian) => self
                .l
                .t("consent.given_by_guardian")
                .replace("{guardian}", guardian)
                .replace("{person}", &c.person_name),
            None => c.person_name.clone(),
        }
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn timestamp(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }

    fn default_from(&self) -> String {
        format_date(self.today)
    }

    /// The day before the same day next year: the year most consents are given for (from 29
    /// February, the year ends on 27 February).
    fn default_to(&self) -> String {
        let next = self.today.year() + 1;
        let anniversary = self
            .today
            .replace_year(next)
            .or_else(|_| (self.today - time::Duration::days(1)).replace_year(next))
            .unwrap_or(self.today + time::Duration::days(365));
        format_date(anniversary - time::Duration::days(1))
    }
}

async fn page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> Result<ConsentsPage, UseCaseError> {
    let c = consents::household_consents(&user.ctx(state), id).await?;
    Ok(ConsentsPage {
        l: Layout::for_user(user, Section::Search, state.config.demo_mode),
        c,
        confirm: None,
        active: String::new(),
        typed: FormFields::default(),
        errors: FormErrors::default(),
        conflict: false,
        today: state.clock.today(),
    })
}

/// `GET /households/{id}/consents[?withdraw=]`: the consents, the form, and a withdrawal to
/// confirm.
async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<ViewQuery>,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let mut p = page(&state, &user, id).await?;
    if let Some(wanted) = query.withdraw {
        p.confirm =
            p.c.consents
                .iter()
                .find(|c| c.id == wanted && p.can_withdraw(c))
                .cloned();
    }
    render(&p)
}

fn done(id: HouseholdId, key: &str) -> Response {
    crate::flash::redirect(&format!("/households/{id}/consents"), key)
}

/// The page again with the refused form's problems and what was typed.
async fn again(
    state: &AppState,
    form: &StaffForm,
    (id, withdrawing): (HouseholdId, Option<&str>),
    active: &str,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut p = page(state, &form.user, id).await?;
    p.active = active.to_string();
    p.typed = form.fields.clone();
    let code = match error {
        UseCaseError::Invalid(errors) => {
            if let Some(wanted) = withdrawing {
                p.confirm = p.c.consents.iter().find(|c| c.id == wanted).cloned();
            }
            p.errors = FormErrors::of_form(errors, active, p.l.tr.lang);
            StatusCode::UNPROCESSABLE_ENTITY
        }
        UseCaseError::Conflict => {
            p.conflict = true;
            StatusCode::CONFLICT
        }
        other => return Err(other.into()),
    };
    let mut response = render(&p)?;
    *response.status_mut() = code;
    Ok(response)
}

/// `POST /households/{id}/consents`: a consent recorded, else the form with each problem named.
async fn record(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let f = &form.fields;
    let input = ConsentInput {
        person: f.get("person"),
        organisation: f.get("organisation"),
        organisation_known: false,
        purpose: f.get("purpose"),
        categories: f.all("categories"),
        valid_from: f.get("valid_from"),
        valid_to: f.get("valid_to"),
        evidence: f.get("evidence"),
        given_by: f.get("given_by"),
        guardian: f.get("guardian"),
    };
    match consents::record_consent(&form.user.ctx(&state), id, &input).await {
        Ok(_) => Ok(done(id, "flash.consent.recorded")),
        Err(e) => again(&state, &form, (id, None), "record", e).await,
    }
}

/// `POST /households/{id}/consents/{consent}/withdraw`: withdrawn at once, with the reason.
async fn withdraw(
    State(state): State<AppState>,
    Path((id, consent)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    match consents::withdraw_consent(&form.user.ctx(&state), id, &consent, form.fields.get("reason")).await {
        Ok(_) => Ok(done(id, "flash.consent.withdrawn")),
        Err(e) => again(&state, &form, (id, Some(&consent)), "withdraw", e).await,
    }
}
