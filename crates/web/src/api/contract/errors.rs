//! The error answer every operation may give.

use schemars::JsonSchema;
use serde::Serialize;

codes_schema!(ErrorCodeSchema, "ErrorCode", crate::error::ERROR_CODES.to_vec());

/// An error with a stable code; a validation error names each field.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(rename = "Error")]
pub struct ErrorAnswer {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ErrorDetail {
    #[schemars(with = "ErrorCodeSchema")]
    pub code: &'static str,
    /// What went wrong, in the caller's language.
    pub message: String,
    /// The fields a validation error is about; empty otherwise.
    pub fields: Vec<FieldProblem>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct FieldProblem {
    /// The field's path in the request, e.g. `members[1].national_id`.
    #[schemars(example = "members[1].national_id")]
    pub field: String,
    /// A stable code, e.g. `required` or `out_of_range`.
    pub code: String,
    /// The problem in the caller's language.
    pub message: String,
}
