//! The store's error type. Callers match on the variants that mean something to a user
//! (not found, conflict, duplicate); everything else is an internal error.

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// Optimistic versioning: somebody else changed the record since it was read.
    #[error("the record was changed by someone else (expected version {expected})")]
    Conflict { expected: i64 },
    #[error("already exists: {0}")]
    Duplicate(String),
    #[error("invalid input: {0}")]
    Invalid(String),
    /// The case's lifecycle refused the command (the state or the decision does not allow it).
    #[error("refused: {0}")]
    Refused(husly_domain::cases::Refusal),
    #[error("data in the database is not as expected: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A row decoder (`sqlx::FromRow`) reports a value that is not as expected as the store's own
/// error, carried through sqlx's decode error and unwrapped again below.
impl From<StoreError> for sqlx::Error {
    fn from(error: StoreError) -> sqlx::Error {
        match error {
            StoreError::Database(inner) => inner,
            other => sqlx::Error::Decode(Box::new(other)),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> StoreError {
        match error {
            sqlx::Error::Decode(inner) => match inner.downcast::<StoreError>() {
                Ok(store) => *store,
                Err(inner) => StoreError::Database(sqlx::Error::Decode(inner)),
            },
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// True when no database connection came free in time: the installation is overloaded.
    pub fn is_overloaded(&self) -> bool {
        matches!(self, StoreError::Database(sqlx::Error::PoolTimedOut))
    }
}
