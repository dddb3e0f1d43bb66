//! Husbanken's instruments on a case and the municipality's grant budget: recording a loan's or
//! grant's economy, paying out a granted grant, topping a startlån up with an establishment
//! grant, a case's ledger, and the yearly budget with its allocations.

use crate::cases::assessment::affordability_of;
use crate::{Ctx, UseCaseError, UseCaseResult};
use husly_domain::authz::Action;
use husly_domain::finance::requests::{self, PaymentRequest};
use husly_domain::finance::{CaseFinance, Entry, GrantType, Position, outstanding};
use husly_domain::startlan::StartlanRules;
use husly_domain::validation::FieldError;
use husly_domain::{CaseId, MunicipalityId};
use husly_store::cases::Case;
use husly_store::finance::{BudgetLine, LedgerRow, StartlanYear};
use serde_json::json;

/// Records a startlån's or grant's economy (while the case is prepared or assessed). Field errors
/// are named by their path in the economy (`grant.applied_kr`, `startlan.affordability.…`).
pub async fn record_economy(ctx: &Ctx, id: CaseId, version: i64, economy: &CaseFinance) -> UseCaseResult<Case> {
    let municipality = ctx.case_owner(id, Action::HandleCase).await?;
    let case = ctx.store.case(municipality, id).await?;
    if !economy.fits(case.case_type) {
        return Err(UseCaseError::Invalid(vec![
            FieldError::new("kind", "wrong_kind", "error.finance.wrong_kind")
                .arg_key("case_type", format!("case_type.{}", case.case_type.code())),
        ]));
    }
    economy.validate(StartlanRules::embedded())?;
    ctx.change_case(municipality, id, version, None, |case, _| case.record_economy(economy))
        .await
}

/// A grant case's ledger: its entries and what is committed and not yet paid.
pub struct CaseLedger {
    pub entries: Vec<LedgerRow>,
    pub outstanding_ore: i64,
}

fn outstanding_of(entries: &[LedgerRow]) -> i64 {
    outstanding(entries.iter().map(|e| Entry {
        kind: e.kind,
        amount_ore: e.amount_ore,
    }))
}

/// Reads a grant case's ledger.
pub async fn ledger(ctx: &Ctx, id: CaseId) -> UseCaseResult<CaseLedger> {
    let municipality = ctx.case_owner(id, Action::ViewCase).await?;
    let entries = ctx.store.case_ledger(municipality, id).await?;
    ctx.audit_read(municipality, "grant_ledger.view", ("case", id.to_string()), json!({}))
        .await?;
    Ok(CaseLedger {
        outstanding_ore: outstanding_of(&entries),
        entries,
    })
}

/// Where a grant case stands: its ledger, and the grant's budget line for this year.
pub struct GrantPosition {
    pub ledger: CaseLedger,
    pub budget_year: i32,
    /// The grant's budget this year: its allocation against the ledger's totals.
    pub budget: Position,
}

/// [`GrantPosition`] of a case the caller has already opened (the read is recorded with it).
pub(crate) async fn grant_position(
    ctx: &Ctx,
    municipality: MunicipalityId,
    id: CaseId,
    grant: GrantType,
) -> UseCaseResult<GrantPosition> {
    let entries = ctx.store.case_ledger(municipality, id).await?;
    let budget_year = ctx.today.year();
    let budget = ctx.store.grant_year_position(municipality, budget_year, grant).await?;
    Ok(GrantPosition {
        ledger: CaseLedger {
            outstanding_ore: outstanding_of(&entries),
            entries,
        },
        budget_year,
        budget,
    })
}

/// Registers a payment of a granted grant; never more than is committed and not yet paid.
/// Field errors are named `amount_kr`, `paid_on` and `note`.
pub async fn register_payment(ctx: &Ctx, id: CaseId, version: i64, request: PaymentRequest<'_>) -> UseCaseResult<Case> {
    let municipality = ctx.case_owner(id, Action::HandleCase).await?;
    let payment = requests::check_payment_request(&request)?;
    // Every ledger entry comes with a new case version, so the version check below also
    // guarantees this figure is still true when the payment is written.
    let outstanding_ore = outstanding_of(&ctx.store.case_ledger(municipality, id).await?);
    ctx.change_case(municipality, id, version, None, |case, _| {
        case.register_payment(outstanding_ore, payment.amount_ore, payment.paid_on, &payment.note)
    })
    .await
}

/// Opens an establishment-grant application for a startlån case's household, for what the
/// serviceable loan leaves uncovered. Returns the new case.
pub async fn open_establishment_grant(ctx: &Ctx, startlan: CaseId) -> UseCaseResult<Case> {
    let municipality = ctx.case_owner(startlan, Action::HandleCase).await?;
    let loan = ctx.store.case(municipality, startlan).await?;
    let reference = crate::cases::assessment::reference_budget_for(ctx, municipality, &loan).await?;
    let Some(grant) =
        affordability_of(&loan, reference.as_ref()).and_then(|result| loan.establishment_grant_needed(&result))
    else {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "finance",
            "no_grant_needed",
            "error.finance.no_grant_needed",
        )]));
    };
    let actor = ctx.actor(municipality);
    let (id, _) = ctx
        .store
        .register_combined_grant(municipality, startlan, &grant, ctx.today, &ctx.change(&actor))
        .await?;
    Ok(ctx.store.case(municipality, id).await?)
}

/// The year's grant budget in a municipality: per grant the allocation, committed, paid and
/// remaining, startlån granted the same year, and for those who may see cases the year's
/// ledger (which names cases; its newest `ledger_rows` entries, a recorded read).
pub struct GrantBudget {
    pub year: i32,
    pub lines: Vec<BudgetLine>,
    pub startlan: StartlanYear,
    pub ledger: Option<Vec<LedgerRow>>,
}

pub async fn grant_budget(
    ctx: &Ctx,
    municipality: MunicipalityId,
    year: i32,
    ledger_rows: i64,
) -> UseCaseResult<GrantBudget> {
    ctx.require(Action::ViewGrantBudget, municipality)?;
    if !requests::BUDGET_YEARS.contains(&year) {
        return Err(UseCaseError::Invalid(vec![
            FieldError::new("year", "invalid_year", "error.finance.invalid_year")
                .arg("first", requests::BUDGET_YEARS.start())
                .arg("last", requests::BUDGET_YEARS.end()),
        ]));
    }
    let lines = ctx.store.grant_budget(municipality, year).await?;
    let startlan = ctx.store.startlan_year(municipality, year).await?;
    let ledger = if ledger_rows > 0 && ctx.require(Action::ViewCase, municipality).is_ok() {
        let ledger = ctx.store.year_ledger(municipality, year, ledger_rows).await?;
        ctx.audit_read(
            municipality,
            "grant_ledger.view",
            ("municipality", municipality.to_string()),
            json!({ "year": year, "rows": ledger.len() }),
        )
        .await?;
        Some(ledger)
    } else {
        None
    };
    Ok(GrantBudget {
        year,
        lines,
        startlan,
        ledger,
    })
}

/// Sets a grant's allocation for a year; returns the grant's budget line as it now stands.
pub async fn set_allocation(
    ctx: &Ctx,
    municipality: MunicipalityId,
    grant: &str,
    year: &str,
    allocated_kr: &str,
    note: &str,
) -> UseCaseResult<(i32, GrantType, Option<BudgetLine>)> {
    ctx.require(Action::ManageGrantBudget, municipality)?;
    let allocation = requests::check_allocation(grant, year, allocated_kr, note)?;
    let actor = husly_store::audit::Actor {
        purpose: "grant_budget".into(),
        ..ctx.actor(municipality)
    };
    ctx.store
        .set_grant_allocation(
            municipality,
            allocation.year,
            allocation.grant,
            allocation.allocated_ore,
            &allocation.note,
            &ctx.change(&actor),
        )
        .await?;
    let line = ctx
        .store
        .grant_budget(municipality, allocation.year)
        .await?
        .into_iter()
        .find(|l| l.grant_type == allocation.grant);
    Ok((allocation.year, allocation.grant, line))
}
