//! The query parameters of `/api/v1`, read by the handlers and described in the document from
//! these same types (`openapi::query_parameters`).

use schemars::JsonSchema;
use serde::Deserialize;

/// The municipality a call works in.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct MunicipalityParam {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
}

/// A year of figures.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct YearParam {
    /// The year (this year when left out).
    #[schemars(range(min = 2000, max = 2100))]
    pub year: Option<i32>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// A full 11-digit identity number, or the start of name words; a search without it is
    /// refused (400).
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub q: String,
    /// At most this many people (default 50).
    #[schemars(range(min = 1, max = 200))]
    pub limit: Option<i64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct AuditParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// Only entries by this user (id).
    pub actor: Option<String>,
    /// Only entries of this action, e.g. `case.view`.
    pub action: Option<String>,
    /// Only entries about this record (id).
    pub resource: Option<String>,
    /// Only entries about this person, their households and their cases: an identity number
    /// (11 digits) or a person's id. Answers 404 when no person in the municipality has it.
    pub person: Option<String>,
    /// Only entries about the case with this reference, e.g. `2026-000042`.
    pub case: Option<String>,
    /// At most this many entries (default 100).
    #[schemars(range(min = 1, max = 500))]
    pub limit: Option<i64>,
    /// Entries to skip, newest first (default 0).
    #[schemars(range(min = 0))]
    pub offset: Option<i64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct OutreachParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// yyyy-mm; the current month when left out.
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}$"))]
    pub month: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct QueueParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// mine: assigned to the caller; unassigned; due_soon: a deadline within a week; overdue: a
    /// deadline passed; to_approve: proposed decisions waiting for approval; open (the default):
    /// every open case.
    #[schemars(extend("enum" = ["mine", "unassigned", "due_soon", "overdue", "to_approve", "open"]))]
    pub filter: Option<String>,
    /// Only cases of this type (all types when left out).
    #[schemars(with = "Option<husly_domain::cases::CaseType>")]
    pub case_type: Option<String>,
    /// deadline (the default): the earliest deadline first; oldest / newest: by the day the
    /// application was received; reference: by case reference.
    #[schemars(extend("enum" = ["deadline", "oldest", "newest", "reference"]))]
    pub sort: Option<String>,
    /// At most this many cases (default 50).
    #[schemars(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// Cases to skip (default 0). Not with `after` or `before`.
    #[schemars(range(min = 0))]
    pub offset: Option<i64>,
    /// The page after this place: a previous answer's `next`. Unlike an offset, a place neither
    /// skips nor repeats a case when others leave or join the queue between two calls, and a
    /// page from it costs the same however deep in the queue. Valid for the same `sort` only.
    pub after: Option<String>,
    /// The page before this place: a previous answer's `previous` (from there to the start, the
    /// first page).
    pub before: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct BudgetParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// The budget year; this year when left out.
    #[schemars(range(min = 2020, max = 2100))]
    pub year: Option<i32>,
}

/// The dwelling register's filters and page.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DwellingParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// Only dwellings with this status.
    #[schemars(with = "Option<husly_domain::allocation::dwelling::DwellingStatus>")]
    pub status: Option<String>,
    /// Only dwellings of this type.
    #[serde(rename = "type")]
    #[schemars(with = "Option<husly_domain::allocation::dwelling::DwellingType>")]
    pub dwelling_type: Option<String>,
    /// Only dwellings with exactly this many bedrooms.
    #[schemars(range(min = 0, max = 10))]
    pub bedrooms: Option<i64>,
    /// Only wheelchair-accessible dwellings (when true).
    pub wheelchair_accessible: Option<bool>,
    /// The start of the address (case-insensitive), or an external id or unit number exactly.
    #[schemars(length(max = 200))]
    pub q: Option<String>,
    /// The removed (soft-deleted) dwellings instead of the register.
    pub deleted: Option<bool>,
    /// At most this many dwellings (default 50).
    #[schemars(range(min = 1, max = 200))]
    pub limit: Option<i64>,
    /// Dwellings to skip, in address order (default 0).
    #[schemars(range(min = 0))]
    pub offset: Option<i64>,
}

/// Which municipality's waiting list, and from which place.
#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitingListParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    /// How many households to skip (pages of 100).
    #[schemars(range(min = 0, max = 1000000))]
    pub offset: Option<usize>,
}

/// Which offers a list shows.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct OfferListParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    #[serde(default)]
    pub municipality: Option<String>,
    /// `true` lists every offer; only the open ones otherwise.
    #[serde(default)]
    pub all: bool,
}
