//! The municipality's reference-budget tables (SIFO) for startlån living costs: read every
//! version and the layout, enter a new version.

use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::AppResult;
use crate::forms::ApiJson;
use axum::Json;
use axum::extract::{Query, State};
use husly_domain::authz::Action;
use husly_domain::startlan::{ReferenceBudgetAmounts, ReferenceBudgetLayout};
use husly_store::reference_budget::StoredReferenceBudget;
use husly_usecases::reference_budget::{self as usecases, ReferenceBudgetRequest};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceBudgetParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
}

/// A new version of the municipality's table.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferenceBudgetPut {
    /// Kommunenummer, when the user works in several.
    #[serde(default)]
    pub municipality: Option<String>,
    /// The latest version read (0 when there is none); another save since is a 409.
    pub expected_version: i64,
    /// The first day the figures apply, `yyyy-mm-dd`.
    pub valid_from: String,
    /// What the figures are, e.g. «SIFO 2025».
    pub label: String,
    /// Øre per month for each key of `layout.individual_keys` of the GET answer.
    pub individual_ore: BTreeMap<String, i64>,
    /// Øre per month for each of `layout.household_keys`; never lower for a larger household.
    pub household_ore: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceBudgetBand {
    pub id: String,
    pub from_age: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_age: Option<u32>,
    pub by_sex: bool,
}

/// The layout from `rules/reference_budget.toml`: what to enter.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceBudgetLayoutView {
    pub version: String,
    pub bands: Vec<ReferenceBudgetBand>,
    pub individual_keys: Vec<String>,
    pub household_keys: Vec<String>,
    /// Where the layout and the figures come from.
    pub sources: Vec<String>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceBudgetVersion {
    pub version: i64,
    /// `yyyy-mm-dd`.
    pub valid_from: String,
    pub label: String,
    pub layout_version: String,
    /// When it was entered, microseconds since the epoch.
    pub entered_at: i64,
    pub individual_ore: BTreeMap<String, i64>,
    pub household_ore: BTreeMap<String, i64>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceBudgets {
    pub layout: ReferenceBudgetLayoutView,
    /// Newest first; the calculation uses the newest version valid on the first day of its month.
    pub versions: Vec<ReferenceBudgetVersion>,
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct ReferenceBudgetSaved {
    pub version: i64,
}

fn layout_view() -> ReferenceBudgetLayoutView {
    let layout = ReferenceBudgetLayout::embedded();
    ReferenceBudgetLayoutView {
        version: layout.version.clone(),
        bands: layout
            .bands
            .iter()
            .map(|b| ReferenceBudgetBand {
                id: b.id.clone(),
                from_age: b.from_age,
                to_age: b.to_age,
                by_sex: b.by_sex,
            })
            .collect(),
        individual_keys: layout.individual_keys(),
        household_keys: layout.household_keys(),
        sources: layout
            .sources
            .iter()
            .map(|s| match &s.url {
                Some(url) => format!("{} <{url}>", s.title),
                None => s.title.clone(),
            })
            .collect(),
    }
}

fn version_view(s: &StoredReferenceBudget) -> ReferenceBudgetVersion {
    ReferenceBudgetVersion {
        version: s.budget.version,
        valid_from: s.budget.valid_from.to_string(),
        label: s.budget.label.clone(),
        layout_version: s.layout_version.clone(),
        entered_at: s.entered_at,
        individual_ore: s.budget.amounts.individual_ore.clone(),
        household_ore: s.budget.amounts.household_ore.clone(),
    }
}

/// `GET /reference-budgets`: the layout and every version.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<ReferenceBudgetParams>,
) -> AppResult<Json<ReferenceBudgets>> {
    let municipality = municipality_for(&state, &user, params.municipality.as_deref(), Action::ViewCase)
        .await
        .or(municipality_for(
            &state,
            &user,
            params.municipality.as_deref(),
            Action::ManageReferenceBudget,
        )
        .await)?;
    let versions = usecases::reference_budgets(&user.ctx(&state), municipality).await?;
    Ok(Json(ReferenceBudgets {
        layout: layout_view(),
        versions: versions.iter().map(version_view).collect(),
    }))
}

/// `PUT /reference-budgets`: enters a new version (administrators and leaders).
pub async fn put(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(request): ApiJson<ReferenceBudgetPut>,
) -> AppResult<Json<ReferenceBudgetSaved>> {
    let municipality = municipality_for(
        &state,
        &user,
        request.municipality.as_deref(),
        Action::ManageReferenceBudget,
    )
    .await?;
    let version = usecases::set_reference_budget(
        &user.ctx(&state),
        municipality,
        ReferenceBudgetRequest {
            expected_version: request.expected_version,
            valid_from: &request.valid_from,
            label: &request.label,
            amounts: ReferenceBudgetAmounts {
                individual_ore: request.individual_ore,
                household_ore: request.household_ore,
            },
        },
    )
    .await?;
    Ok(Json(ReferenceBudgetSaved { version }))
}
