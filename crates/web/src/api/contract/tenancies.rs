//! Tenancy contracts: the contract as answered, its periods and history, and the requests that
//! write, end and undo the end of one. Amounts are whole kroner in a request and øre in an
//! answer, as for dwellings.

use super::{DateSchema, MicrosSchema};
use husly_domain::HouseholdId;
use husly_domain::tenancy::{ContractState, ContractTerm, EndReason, Expiry, SecurityKind};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// Where a fixed term stands today.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TermStatus {
    /// The term ran out before today and no end is recorded.
    Lapsed,
    /// The term ends within the horizon asked for (six months on a single contract).
    EndingSoon,
    /// Indefinite, ended, or ending later.
    NotSoon,
}

impl TermStatus {
    fn of(e: Expiry) -> TermStatus {
        match e {
            Expiry::Lapsed => TermStatus::Lapsed,
            Expiry::Soon => TermStatus::EndingSoon,
            Expiry::NotSoon => TermStatus::NotSoon,
        }
    }
}

/// A tenancy contract.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Contract {
    pub id: String,
    /// What the municipality's accounting system knows the contract by (`L-000123`): the
    /// rent ledger's rows name it.
    pub reference: String,
    pub dwelling_id: String,
    /// Empty when `address_protected`: the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub household_id: HouseholdId,
    pub tenant_name: String,
    /// The application case the household was housed from, if any.
    pub case_reference: Option<String>,
    /// The accepted offer the contract was written from, if any.
    pub offer_id: Option<String>,
    #[schemars(with = "DateSchema")]
    pub start: Date,
    pub term: ContractTerm,
    /// The last day of the fixed term; null when indefinite.
    #[schemars(with = "Option<DateSchema>")]
    pub term_end: Option<Date>,
    pub monthly_rent_ore: i64,
    pub security_kind: SecurityKind,
    pub security_ore: i64,
    /// The day the household was told in writing that the dwelling is let under husleieloven § 11-1.
    #[schemars(with = "Option<DateSchema>")]
    pub notice_11_1_on: Option<Date>,
    pub state: ContractState,
    #[schemars(with = "Option<DateSchema>")]
    pub ended_on: Option<Date>,
    pub end_reason: Option<EndReason>,
    #[schemars(with = "Option<DateSchema>")]
    pub notice_on: Option<Date>,
    /// The household's startlån case, when it ended because the household bought its own home
    /// (the move from renting to owning); null otherwise.
    pub move_on_case_id: Option<husly_domain::CaseId>,
    pub term_status: TermStatus,
    pub version: i64,
}

impl Contract {
    pub fn of(c: &husly_store::contracts::Contract, expiry: Expiry) -> Contract {
        Contract {
            id: c.id.clone(),
            reference: c.reference.clone(),
            dwelling_id: c.dwelling_id.clone(),
            address_line: c.address_line.clone(),
            address_protected: c.address_protected,
            household_id: c.household,
            tenant_name: c.tenant_name.clone(),
            case_reference: c.case_reference.clone(),
            offer_id: c.offer_id.clone(),
            start: c.start,
            term: c.term,
            term_end: c.term_end,
            monthly_rent_ore: c.monthly_rent_ore,
            security_kind: c.security_kind,
            security_ore: c.security_ore,
            notice_11_1_on: c.notice_11_1_on,
            state: c.state(),
            ended_on: c.ended_on,
            end_reason: c.end_reason,
            notice_on: c.notice_on,
            move_on_case_id: c.move_on_case,
            term_status: TermStatus::of(expiry),
            version: c.version,
        }
    }
}

/// A page of contracts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ContractList {
    pub contracts: Vec<Contract>,
    /// How many match in all.
    pub total: i64,
    pub offset: i64,
}

impl ContractList {
    pub fn of(c: &husly_usecases::contracts::Contracts) -> ContractList {
        ContractList {
            contracts: c
                .page
                .contracts
                .iter()
                .zip(&c.expiry)
                .map(|(contract, e)| Contract::of(contract, *e))
                .collect(),
            total: c.page.total,
            offset: c.offset,
        }
    }
}

/// A period of a contract: the first is the contract, a renewal adds the next.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Period {
    pub seq: i64,
    #[schemars(with = "DateSchema")]
    pub from: Date,
    #[schemars(with = "Option<DateSchema>")]
    pub to: Option<Date>,
    pub monthly_rent_ore: i64,
    /// The renewal review of this period, once opened (a `tenancy_renewal` case).
    pub review_case_id: Option<husly_domain::CaseId>,
}

/// A change in the contract's history.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ContractEvent {
    /// `created`, `ended`, `end_undone`, `review_opened`, `renewed` or `not_renewed`.
    pub kind: String,
    #[schemars(with = "MicrosSchema")]
    pub occurred_at: i64,
    pub actor_name: Option<String>,
    pub reason: Option<String>,
}

/// A contract with its periods and history.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ContractDetail {
    pub contract: Contract,
    pub periods: Vec<Period>,
    pub events: Vec<ContractEvent>,
    /// The rent ledger's months and the arrears they show.
    pub ledger: super::ledger::TenancyLedger,
    /// Changes of the rent, the latest day first (cancelled ones included).
    pub rent_changes: Vec<RentChange>,
}

/// A change of the rent (husleieloven chapter 4).
#[derive(Debug, Serialize, JsonSchema)]
pub struct RentChange {
    pub id: String,
    #[schemars(with = "DateSchema")]
    pub effective_from: Date,
    pub monthly_rent_ore: i64,
    pub previous_rent_ore: i64,
    pub basis: husly_domain::tenancy::rent::RentBasis,
    #[schemars(with = "Option<DateSchema>")]
    pub notice_on: Option<Date>,
    pub note: Option<String>,
    /// `in_effect`, `coming` or `cancelled`.
    pub status: String,
    pub cancel_reason: Option<String>,
}

/// A new rent from a day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RentChangeRequest {
    /// The contract's version as read.
    pub version: i64,
    /// yyyy-mm-dd (or dd.mm.yyyy): after the day the rent was last set, within the term.
    #[schemars(example = "2027-01-01")]
    pub effective_from: String,
    /// Kroner, as the page takes it (`8 400`, `8400`).
    pub monthly_rent_kr: String,
    pub basis: husly_domain::tenancy::rent::RentBasis,
    /// The day of the written notice: required for `index_adjustment` (a month before) and
    /// `market_adjustment` (six months before).
    #[serde(default)]
    pub notice_on: Option<String>,
    /// Required for `agreement` and `correction`.
    #[serde(default)]
    pub note: Option<String>,
}

/// Cancelling a change not yet in effect.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRentChangeRequest {
    pub version: i64,
    #[schemars(length(min = 1, max = 500))]
    pub reason: String,
}

impl ContractDetail {
    pub fn of(v: &husly_usecases::contracts::ContractView) -> ContractDetail {
        ContractDetail {
            contract: Contract::of(&v.contract, v.expiry),
            periods: v
                .periods
                .iter()
                .map(|p| Period {
                    seq: p.seq,
                    from: p.from,
                    to: p.to,
                    monthly_rent_ore: p.monthly_rent_ore,
                    review_case_id: p.review.as_ref().map(|(case, _)| *case),
                })
                .collect(),
            events: v
                .events
                .iter()
                .map(|e| ContractEvent {
                    kind: e.kind.clone(),
                    occurred_at: e.occurred_at,
                    actor_name: e.actor_name.clone(),
                    reason: e.reason.clone(),
                })
                .collect(),
            ledger: super::ledger::TenancyLedger::of(&v.ledger),
            rent_changes: v
                .rent_changes
                .iter()
                .map(|r| RentChange {
                    id: r.id.clone(),
                    effective_from: r.effective_from,
                    monthly_rent_ore: r.monthly_rent_ore,
                    previous_rent_ore: r.previous_rent_ore,
                    basis: r.basis,
                    notice_on: r.notice_on,
                    note: r.note.clone(),
                    status: match (r.cancelled, r.applied) {
                        (true, _) => "cancelled",
                        (false, true) => "in_effect",
                        (false, false) => "coming",
                    }
                    .to_string(),
                    cancel_reason: r.cancel_reason.clone(),
                })
                .collect(),
        }
    }
}

/// Writing the contract for an accepted offer.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractRequest {
    /// The offer's version as read.
    pub version: i64,
    /// yyyy-mm-dd
    pub start: String,
    pub term: ContractTerm,
    /// The last day of a fixed term (yyyy-mm-dd); left out for an indefinite contract.
    #[serde(default)]
    pub term_end: Option<String>,
    /// Whole kroner.
    pub monthly_rent_kr: i64,
    pub security_kind: SecurityKind,
    /// Whole kroner; left out without a security. A deposit is at most six months' rent.
    #[serde(default)]
    pub security_kr: Option<i64>,
    /// yyyy-mm-dd: the written notice under husleieloven § 11-1, required for a fixed term
    /// shorter than three years, on or before the start.
    #[serde(default)]
    pub notice_11_1_on: Option<String>,
}

/// Ending a contract.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndRequest {
    pub version: i64,
    /// The move-out day (yyyy-mm-dd); the dwelling is vacant from the day after.
    pub ended_on: String,
    pub reason: EndReason,
    /// The day notice was given (yyyy-mm-dd), if it was.
    #[serde(default)]
    pub notice_on: Option<String>,
    /// Required for `other`.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub note: Option<String>,
    /// With `bought_own_home` only: the household's startlån case (an `application_case` of type
    /// `startlan`, same household and municipality) the home was bought with.
    #[serde(default)]
    #[schemars(with = "Option<uuid::Uuid>")]
    pub move_on_case_id: Option<String>,
}

/// Undoing the end of a contract.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct UndoEndRequest {
    pub version: i64,
    #[schemars(length(min = 1, max = 500))]
    pub reason: String,
}

/// Which contracts a list shows.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct ContractListParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    #[serde(default)]
    pub municipality: Option<String>,
    /// `open` (the default), `expiring` (fixed terms ending within `months`, and those that ran
    /// out without an end) or `ended`.
    #[serde(default)]
    pub list: Option<String>,
    /// The expiring list's horizon in months, 1–36; 6 when left out.
    #[serde(default)]
    #[schemars(range(min = 1, max = 36))]
    pub months: Option<u8>,
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub offset: Option<i64>,
}
