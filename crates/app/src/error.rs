//! The errors of the use cases. The web crate maps each to one HTTP status
//! and Zendesk-shaped body, in one place.

use store::StoreError;

/// One invalid field, as Zendesk reports it under `details`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    /// `BlankValue`, `InvalidValue`, `DuplicateValue`, …
    pub code: &'static str,
    pub description: String,
}

impl FieldError {
    pub fn blank(field: &str) -> Self {
        FieldError {
            field: field.into(),
            code: "BlankValue",
            description: format!("{field}: cannot be blank"),
        }
    }
    pub fn invalid(field: &str, why: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code: "InvalidValue",
            description: format!("{field}: {}", why.into()),
        }
    }
    pub fn duplicate(field: &str, value: &str) -> Self {
        FieldError {
            field: field.into(),
            code: "DuplicateValue",
            description: format!("{field}: {value} is already being used by another record"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// No or wrong credentials.
    #[error("could not authenticate you")]
    Unauthorized,
    /// Authenticated, but not allowed.
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    /// Validation failed on one or more fields (422 RecordInvalid).
    #[error("record invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Malformed request or parameter (400).
    #[error("{code}: {message}")]
    BadRequest { code: &'static str, message: String },
    /// A safe update lost a race with a newer change (409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// A search page beyond the results we page through (422 `invalid`,
    /// which zenpy reads as the end of its iteration).
    #[error("search window exceeded: {0}")]
    SearchWindow(String),
    /// Too many failed credential checks: try again after this many seconds.
    #[error("too many attempts; retry after {0} s")]
    TooManyAttempts(u64),
    /// A helper process or service we rely on failed (the translator).
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error(transparent)]
    Store(StoreError),
}

/// Like [`require`], but answers "not found": for reads whose very
/// existence is not the caller's to learn.
pub(crate) fn require_hidden(
    actor: &domain::Actor,
    what: domain::policy::Capability,
) -> Result<(), AppError> {
    require(actor, what).map_err(|_| AppError::NotFound)
}

/// Refuses whoever does not hold the capability (see `domain::policy`).
pub(crate) fn require(
    actor: &domain::Actor,
    what: domain::policy::Capability,
) -> Result<(), AppError> {
    what.allowed(actor)
        .then_some(())
        .ok_or_else(|| AppError::Forbidden(what.refusal().into()))
}

impl AppError {
    /// A single-field validation error.
    pub fn field(e: FieldError) -> Self {
        AppError::Invalid(vec![e])
    }
    pub fn bad(message: impl Into<String>) -> Self {
        AppError::BadRequest {
            code: "InvalidValue",
            message: message.into(),
        }
    }
    pub fn forbidden(why: &str) -> Self {
        AppError::Forbidden(why.into())
    }
}

/// `Ok` if a write touched a row, `NotFound` if it touched none (deletes).
pub fn found(rows: u64) -> Result<(), AppError> {
    if rows == 0 {
        Err(AppError::NotFound)
    } else {
        Ok(())
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Duplicate(msg) => AppError::field(FieldError {
                field: "base".into(),
                code: "DuplicateValue",
                description: msg,
            }),
            other => AppError::Store(other),
        }
    }
}
