//! What can go wrong in a use case, in terms a caller can present: not found, not allowed,
//! the input's field errors, the lifecycle's refusal, a conflicting edit, or a fault.

use husly_domain::cases::Refusal;
use husly_domain::validation::FieldError;
use husly_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    /// No such record, or one in a municipality where the caller holds no role.
    #[error("not found")]
    NotFound,
    /// The caller holds a role in the municipality, but not one that allows this.
    #[error("forbidden")]
    Forbidden,
    /// The input has problems, each named by its field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The case's lifecycle does not allow this now.
    #[error("refused: {0}")]
    Refused(Refusal),
    /// Somebody else changed the record since the caller read it.
    #[error("conflict")]
    Conflict,
    /// A letter could not be written from what the case holds (e.g. a character the letter's
    /// font cannot print).
    #[error("the letter cannot be written: {0}")]
    Letter(String),
    #[error(transparent)]
    Store(StoreError),
    /// A quota is used up; the caller may try again after this long.
    #[error("quota used up")]
    Quota(std::time::Duration),
    /// A fault that is nobody's input: a task that stopped, a bug.
    #[error("internal: {0}")]
    Internal(String),
}

pub type UseCaseResult<T> = Result<T, UseCaseError>;

impl UseCaseError {
    /// The same error with its field errors named under `prefix` (`form.`, `payment.`), for a
    /// caller whose input nests the fields; the fields in `keep` stay as they are.
    pub fn nested(self, prefix: &str, keep: &[&str]) -> Self {
        match self {
            UseCaseError::Invalid(mut errors) => {
                for error in errors.iter_mut().filter(|e| !keep.contains(&e.field.as_str())) {
                    error.field = format!("{prefix}{}", error.field);
                }
                UseCaseError::Invalid(errors)
            }
            other => other,
        }
    }

    /// The same error with the field errors of `from` named `to`: for a page with several forms
    /// where the same field name would otherwise show its error in the wrong form.
    pub fn renamed(self, from: &str, to: &str) -> Self {
        match self {
            UseCaseError::Invalid(mut errors) => {
                for error in errors.iter_mut().filter(|e| e.field == from) {
                    error.field = to.to_string();
                }
                UseCaseError::Invalid(errors)
            }
            other => other,
        }
    }
}

impl From<StoreError> for UseCaseError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => UseCaseError::NotFound,
            StoreError::Conflict { .. } => UseCaseError::Conflict,
            StoreError::Refused(refusal) => UseCaseError::Refused(refusal),
            other => UseCaseError::Store(other),
        }
    }
}

impl From<Vec<FieldError>> for UseCaseError {
    fn from(errors: Vec<FieldError>) -> Self {
        UseCaseError::Invalid(errors)
    }
}
