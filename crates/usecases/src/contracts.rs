//! Tenancy contracts: write one from an accepted offer, read them, see which run out, end one
//! and undo an end. Pages and the API both call these. The rules are in
//! `husly_domain::tenancy`; the store keeps each change with its event and audit entry.

use husly_domain::MunicipalityId;
use husly_domain::allocation::offer::OfferState;
use husly_domain::authz::Action;
use husly_domain::cases::CaseAction;
use husly_domain::cases::CaseType;
use husly_domain::cases::requests::Step;
use husly_domain::stays::add_months;
use husly_domain::tenancy::{
    ContractInput, ContractState, EndInput, Expiry, check_contract, check_end, check_move_on_case, expiry,
};
use husly_domain::validation::FieldError;
use husly_store::StoreError;
use husly_store::contracts::{
    CONTRACT_FOR_OFFER, Contract, ContractEvent, ContractFilter, ContractPage, OPEN_CONTRACT_FOR_DWELLING, Period,
};
use serde_json::json;

use crate::cases::assessment::validity_months;
use crate::{Ctx, UseCaseError, UseCaseResult};

/// Contracts per page of a list.
pub const PAGE: i64 = 100;
/// The expiring list's horizon when none is asked for, in months: the lead time a renewal
/// review needs (the household must know where it stands well before the term ends).
pub const DEFAULT_HORIZON_MONTHS: u8 = 6;
/// The longest horizon a list takes.
pub const MAX_HORIZON_MONTHS: u8 = 36;

/// Which contracts a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractList {
    Open,
    /// Fixed terms ending within this many months, and those that ran out without an end.
    Expiring(u8),
    Ended,
}

/// A page of contracts, each with where its term stands today.
#[derive(Debug, Clone)]
pub struct Contracts {
    pub list: ContractList,
    pub page: ContractPage,
    pub expiry: Vec<Expiry>,
    pub offset: i64,
}

/// One contract with its periods and history.
#[derive(Debug, Clone)]
pub struct ContractView {
    pub contract: Contract,
    pub periods: Vec<Period>,
    pub events: Vec<ContractEvent>,
    pub expiry: Expiry,
    /// The caller may end the contract or undo its end.
    pub may_manage: bool,
    /// Its rent ledger months and arrears.
    pub ledger: crate::ledger::TenancyLedger,
    /// The rent changes, the latest day first (cancelled ones included).
    pub rent_changes: Vec<husly_store::rent_changes::RentChange>,
    /// The household's startlån cases (id and reference, newest first), for the end form's
    /// move-on choice: read only for a running contract the caller may end.
    pub startlan_cases: Vec<(husly_domain::CaseId, String)>,
}

/// A store refusal on the contract's unique indexes, on the form.
fn taken(error: StoreError) -> UseCaseError {
    match error {
        StoreError::Duplicate(index) if index == OPEN_CONTRACT_FOR_DWELLING => {
            UseCaseError::Invalid(vec![FieldError::new(
                "",
                "tenancy.dwelling_let",
                "error.tenancy.dwelling_let",
            )])
        }
        StoreError::Duplicate(index) if index == CONTRACT_FOR_OFFER => UseCaseError::Invalid(vec![FieldError::new(
            "",
            "tenancy.offer_has_contract",
            "error.tenancy.offer_has_contract",
        )]),
        other => other.into(),
    }
}

/// The municipality's contracts as listed; names households, so the read is audited.
pub async fn contracts(
    ctx: &Ctx,
    municipality: MunicipalityId,
    list: ContractList,
    offset: i64,
) -> UseCaseResult<Contracts> {
    ctx.require(Action::ViewTenancies, municipality)?;
    let filter = match list {
        ContractList::Open => ContractFilter::Open,
        ContractList::Expiring(months) => ContractFilter::EndingBy(add_months(ctx.today, months)),
        ContractList::Ended => ContractFilter::Ended,
    };
    let offset = offset.max(0);
    let page = ctx.store.contracts(municipality, filter, offset, PAGE).await?;
    let horizon = match list {
        ContractList::Expiring(months) => months,
        _ => DEFAULT_HORIZON_MONTHS,
    };
    let expiry = page
        .contracts
        .iter()
        .map(|c| match c.state() {
            ContractState::Active => expiry(c.term_end, ctx.today, horizon),
            ContractState::Ended => Expiry::NotSoon,
        })
        .collect();
    ctx.audit_read(
        municipality,
        "tenancy.list",
        ("municipality", municipality.to_string()),
        json!({ "contracts": page.contracts.len(), "offset": offset }),
    )
    .await?;
    Ok(Contracts {
        list,
        page,
        expiry,
        offset,
    })
}

/// One contract; the read is audited.
pub async fn contract(ctx: &Ctx, id: &str) -> UseCaseResult<ContractView> {
    let municipality = ctx
        .store
        .contract_municipality(id)
        .await?
        .ok_or(UseCaseError::NotFound)?;
    ctx.require(Action::ViewTenancies, municipality)?;
    let contract = ctx.store.contract(municipality, id).await?;
    let periods = ctx.store.contract_periods(municipality, id).await?;
    let events = ctx.store.contract_events(municipality, id).await?;
    let rent_changes = ctx.store.rent_changes(municipality, id).await?;
    let ledger = crate::ledger::tenancy_ledger(ctx, municipality, id, contract.monthly_rent_ore).await?;
    ctx.audit_read(municipality, "tenancy.view", ("tenancy", id.to_string()), json!({}))
        .await?;
    let expiry = match contract.state() {
        ContractState::Active => expiry(contract.term_end, ctx.today, DEFAULT_HORIZON_MONTHS),
        ContractState::Ended => Expiry::NotSoon,
    };
    let may_manage = ctx.require(Action::ManageTenancies, municipality).is_ok();
    let startlan_cases = if may_manage && contract.state() == ContractState::Active {
        ctx.store
            .cases_of_household(municipality, contract.household)
            .await?
            .into_iter()
            .filter(|c| c.case_type == CaseType::Startlan)
            .map(|c| (c.id, c.reference))
            .collect()
    } else {
        Vec::new()
    };
    Ok(ContractView {
        rent_changes,
        may_manage,
        startlan_cases,
        contract,
        periods,
        events,
        expiry,
        ledger,
    })
}

/// The contract written from an offer, if any (the offer page links to it).
pub async fn contract_of_offer(ctx: &Ctx, municipality: MunicipalityId, offer: &str) -> UseCaseResult<Option<String>> {
    ctx.require(Action::ViewTenancies, municipality)?;
    Ok(ctx.store.contract_of_offer(municipality, offer).await?)
}

/// Writes the contract for an accepted offer (read at `version`): the dwelling is let from the
/// start and the household's application is closed, so it leaves the waiting list. Returns the
/// contract's id.
pub async fn create_contract(
    ctx: &Ctx,
    municipality: MunicipalityId,
    offer: &str,
    version: i64,
    input: &ContractInput<'_>,
) -> UseCaseResult<String> {
    ctx.require(Action::ManageTenancies, municipality)?;
    let current = ctx.store.offer(municipality, offer).await?;
    if current.version != version {
        return Err(UseCaseError::Conflict);
    }
    if current.state != OfferState::Accepted {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "",
            "tenancy.offer_not_accepted",
            "error.tenancy.offer_not_accepted",
        )]));
    }
    let new = check_contract(input).map_err(UseCaseError::Invalid)?;
    let number = ctx.municipality_number(municipality)?.to_string();
    let validity = validity_months(&number, ctx.today);
    // The case's event names the contract (in its details); no typed reason is needed.
    let step = Step {
        action: CaseAction::Close,
        reason: None,
        information_due: None,
        expiry: None,
        appeal: None,
    };
    let actor = ctx.actor(municipality);
    let who = ctx.change(&actor);
    ctx.store
        .create_contract(municipality, offer, version, &new, &who, |case| {
            // An accepted offer's case is on the waiting list and is closed with the contract.
            // One that has moved on meanwhile (an appeal registered, say) is left as it is: the
            // household has its home either way, the caseworker sees the case as it stands, and
            // the contract's event records `case_closed: false`.
            case.take_step(&step, ctx.today, validity).ok()
        })
        .await
        .map_err(taken)
}

/// The contract the caller may change (`ManageTenancies`), still at `version` and in `state`;
/// otherwise `refusal` (code and catalogue key) on the form.
pub(crate) async fn to_change(
    ctx: &Ctx,
    id: &str,
    version: i64,
    state: ContractState,
    refusal: (&'static str, &'static str),
) -> UseCaseResult<(MunicipalityId, Contract)> {
    let municipality = ctx
        .store
        .contract_municipality(id)
        .await?
        .ok_or(UseCaseError::NotFound)?;
    ctx.require(Action::ManageTenancies, municipality)?;
    let current = ctx.store.contract(municipality, id).await?;
    if current.version != version {
        return Err(UseCaseError::Conflict);
    }
    if current.state() != state {
        return Err(UseCaseError::Invalid(vec![FieldError::new("", refusal.0, refusal.1)]));
    }
    Ok((municipality, current))
}

/// Ends a contract (read at `version`): the move-out day, the reason, the day notice was given,
/// and when the household bought its own home, its startlån case (one of the same household in
/// the same municipality; anything else is refused on `move_on_case_id`). The dwelling is vacant
/// from the day after.
pub async fn end_contract(ctx: &Ctx, id: &str, version: i64, input: &EndInput<'_>) -> UseCaseResult<()> {
    let (municipality, current) = to_change(
        ctx,
        id,
        version,
        ContractState::Active,
        ("tenancy.already_ended", "error.tenancy.already_ended"),
    )
    .await?;
    let end = check_end(input, current.start).map_err(UseCaseError::Invalid)?;
    if let Some(case) = end.move_on_case {
        let found = match ctx.store.case(municipality, case).await {
            Ok(c) => Some((c.household_id, c.case_type)),
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        check_move_on_case(found, current.household).map_err(|e| UseCaseError::Invalid(vec![e]))?;
    }
    let actor = ctx.actor(municipality);
    let who = ctx.change(&actor);
    Ok(ctx.store.end_contract(municipality, id, version, &end, &who).await?)
}

/// Undoes the end of a contract (read at `version`), with a reason: it runs again, unless the
/// dwelling has been let to someone else since.
pub async fn undo_contract_end(ctx: &Ctx, id: &str, version: i64, reason: &str) -> UseCaseResult<()> {
    let (municipality, _) = to_change(
        ctx,
        id,
        version,
        ContractState::Ended,
        ("tenancy.not_ended", "error.tenancy.not_ended"),
    )
    .await?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(UseCaseError::Invalid(vec![FieldError::required("reason")]));
    }
    let actor = ctx.actor(municipality);
    let mut who = ctx.change(&actor);
    who.reason = Some(reason);
    ctx.store
        .undo_contract_end(municipality, id, version, &who)
        .await
        .map_err(taken)
}
