//! The municipality's reference-budget tables (SIFO's *referansebudsjett*) for startlån living
//! costs: listed, entered as a new version, and the one in force picked for a calculation.
//! The tables are municipal rule data, not personal data; saving is audited
//! (`reference_budget.set`).

use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_domain::rules::YearMonth;
use husly_domain::startlan::{ReferenceBudget, ReferenceBudgetAmounts, ReferenceBudgetLayout};
use husly_domain::validation::{Errors, FieldError, parse_date};
use husly_store::reference_budget::StoredReferenceBudget;

use crate::{Ctx, UseCaseError, UseCaseResult};

/// Longest label accepted.
pub const MAX_LABEL_LEN: usize = 200;

/// What a person enters: the amounts in øre per month, keyed as the layout's keys.
#[derive(Debug, Clone)]
pub struct ReferenceBudgetRequest<'a> {
    /// The latest version the person saw (0 when there was none).
    pub expected_version: i64,
    /// `dd.mm.yyyy` or `yyyy-mm-dd`.
    pub valid_from: &'a str,
    pub label: &'a str,
    pub amounts: ReferenceBudgetAmounts,
}

/// Every version, newest first (for those who enter them; a calculation shows the version it used).
pub async fn reference_budgets(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<Vec<StoredReferenceBudget>> {
    ctx.require(Action::ManageReferenceBudget, municipality)?;
    Ok(ctx.store.reference_budgets(municipality).await?)
}

/// Checks a request: every field named on error (`valid_from`, `label`,
/// `individual_ore.age_20_30_female`, `household_ore.size_3`).
pub fn check_request(request: &ReferenceBudgetRequest<'_>) -> Result<(time::Date, String), Vec<FieldError>> {
    let mut e = Errors::default();
    let valid_from = if request.valid_from.trim().is_empty() {
        e.push(FieldError::required("valid_from"));
        None
    } else {
        let date = parse_date(request.valid_from.trim());
        if date.is_none() {
            e.push(FieldError::invalid_date("valid_from"));
        }
        date
    };
    let label = e.required_text("label", request.label);
    if label.as_ref().is_some_and(|l| l.chars().count() > MAX_LABEL_LEN) {
        e.push(FieldError::too_long("label", MAX_LABEL_LEN));
    }
    if let Err(errors) = request.amounts.validate(ReferenceBudgetLayout::embedded()) {
        for error in errors {
            e.push(error);
        }
    }
    match (valid_from, label) {
        (Some(date), Some(label)) if e.is_empty() => Ok((date, label)),
        _ => Err(e.0),
    }
}

/// Saves a new version; returns it. A save by someone else since `expected_version` is a
/// conflict.
pub async fn set_reference_budget(
    ctx: &Ctx,
    municipality: MunicipalityId,
    request: ReferenceBudgetRequest<'_>,
) -> UseCaseResult<i64> {
    ctx.require(Action::ManageReferenceBudget, municipality)?;
    let (valid_from, label) = check_request(&request).map_err(UseCaseError::Invalid)?;
    let actor = husly_store::audit::Actor {
        purpose: "reference_budget".into(),
        ..ctx.actor(municipality)
    };
    let layout = ReferenceBudgetLayout::embedded();
    Ok(ctx
        .store
        .add_reference_budget(
            municipality,
            request.expected_version,
            valid_from,
            &label,
            &layout.version,
            &request.amounts,
            &ctx.change(&actor),
        )
        .await?)
}

/// The table in force on the first day of `month`, for a calculation. No authorisation: the
/// figures are municipal rule data, and the caller has authorised the calculation.
pub async fn in_force(
    store: &husly_store::Store,
    municipality: MunicipalityId,
    month: YearMonth,
) -> UseCaseResult<Option<ReferenceBudget>> {
    Ok(store
        .reference_budget_on(municipality, month.first_day())
        .await?
        .map(|s| s.budget))
}
