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
    pub address_line: String,
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
