//! The state of the forms of a page part that holds several (the referrals' and the meetings'
//! lists with a form per item and one to add): which form was refused, what was typed in it,
//! and the problems beside their fields or the conflict.

use axum::http::StatusCode;
use husly_usecases::UseCaseError;

use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields};

#[derive(Default)]
pub struct PartForm {
    /// Which form was refused (the add form's name or an item's id).
    pub active: String,
    pub typed: FormFields,
    pub errors: FormErrors,
    pub conflict: bool,
}

impl PartForm {
    pub fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    pub fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    pub fn typed_or(&self, form: &str, field: &str) -> String {
        if self.active == form {
            self.typed.get(field).to_string()
        } else {
            String::new()
        }
    }

    pub fn is_chosen(&self, form: &str, field: &str, code: &str) -> bool {
        self.active == form && self.typed.get(field) == code
    }

    /// Whether `code` is among the values typed for a field that takes several (checkboxes).
    pub fn is_ticked(&self, form: &str, field: &str, code: &str) -> bool {
        self.active == form && self.typed.all(field).contains(&code)
    }

    /// A refused form again: which, what was typed, and the problems (or a conflict).
    pub fn refused(
        &mut self,
        active: &str,
        typed: &FormFields,
        error: UseCaseError,
        lang: husly_domain::Lang,
    ) -> AppResult<StatusCode> {
        self.active = active.to_string();
        self.typed = typed.clone();
        match error {
            UseCaseError::Invalid(errors) => {
                self.errors = FormErrors::of_form(errors, active, lang);
                Ok(StatusCode::UNPROCESSABLE_ENTITY)
            }
            UseCaseError::Conflict => {
                self.conflict = true;
                Ok(StatusCode::CONFLICT)
            }
            other => Err(other.into()),
        }
    }
}
