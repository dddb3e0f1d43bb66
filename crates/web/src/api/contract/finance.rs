//! Startlån and grant cases: the recorded economy, the grant ledger and the yearly budget.

use super::DateSchema;
use super::cases::Case;
use husly_domain::CaseId;
use husly_domain::finance::GrantType;
use husly_domain::startlan::AffordabilityResult;
use husly_store::finance::{BudgetLine, LedgerRow, StartlanYear};
use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

/// The case with its economy recorded, and for a startlån the affordability test.
#[derive(Debug, Serialize, JsonSchema)]
pub struct FinanceSaved {
    pub case: Case,
    pub affordability: Option<AffordabilityResult>,
}

/// One entry of the grant ledger: a commitment, a payment or a release.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LedgerEntry {
    pub id: String,
    pub year: i32,
    pub grant_type: GrantType,
    pub case_id: CaseId,
    pub case_reference: String,
    /// `committed`, `paid` or `released`.
    pub kind: &'static str,
    /// øre
    pub amount_ore: i64,
    #[schemars(with = "DateSchema")]
    pub occurred_on: Date,
    pub note: String,
}

impl From<&LedgerRow> for LedgerEntry {
    fn from(r: &LedgerRow) -> LedgerEntry {
        LedgerEntry {
            id: r.id.clone(),
            year: r.year,
            grant_type: r.grant_type,
            case_id: r.case_id,
            case_reference: r.case_reference.clone(),
            kind: r.kind.code(),
            amount_ore: r.amount_ore,
            occurred_on: r.occurred_on,
            note: r.note.clone(),
        }
    }
}

/// A grant case's entries and what is committed and not yet paid.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseLedger {
    pub entries: Vec<LedgerEntry>,
    /// øre
    pub outstanding_ore: i64,
}

impl From<&husly_usecases::finance::CaseLedger> for CaseLedger {
    fn from(l: &husly_usecases::finance::CaseLedger) -> CaseLedger {
        CaseLedger {
            entries: l.entries.iter().map(LedgerEntry::from).collect(),
            outstanding_ore: l.outstanding_ore,
        }
    }
}

/// Where a grant stands in a year, in øre.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Position {
    pub allocated_ore: i64,
    /// Committed by sent decisions and neither paid nor released.
    pub committed_ore: i64,
    pub paid_ore: i64,
    /// Committed once and later released.
    pub released_ore: i64,
    /// allocated − committed − paid; negative when over-committed.
    pub remaining_ore: i64,
}

/// One grant's line in a year's budget.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GrantLine {
    pub grant_type: GrantType,
    pub position: Position,
    /// The allocation's note (e.g. the budget decision it comes from).
    pub note: String,
    /// Cases with a commitment this year.
    pub cases: i64,
}

impl From<&BudgetLine> for GrantLine {
    fn from(l: &BudgetLine) -> GrantLine {
        let p = &l.position;
        GrantLine {
            grant_type: l.grant_type,
            position: Position {
                allocated_ore: p.allocated_ore,
                committed_ore: p.committed_ore,
                paid_ore: p.paid_ore,
                released_ore: p.released_ore,
                remaining_ore: p.remaining_ore,
            },
            note: l.note.clone(),
            cases: l.cases,
        }
    }
}

/// Startlån granted in the year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StartlanTotals {
    pub loans: i64,
    /// øre
    pub amount_ore: i64,
}

impl From<&StartlanYear> for StartlanTotals {
    fn from(s: &StartlanYear) -> StartlanTotals {
        StartlanTotals {
            loans: s.loans,
            amount_ore: s.amount_ore,
        }
    }
}

/// Per grant the allocation, committed, paid and remaining, and startlån granted the same year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GrantBudget {
    pub year: i32,
    pub grants: Vec<GrantLine>,
    pub startlan: StartlanTotals,
}

impl From<&husly_usecases::finance::GrantBudget> for GrantBudget {
    fn from(b: &husly_usecases::finance::GrantBudget) -> GrantBudget {
        GrantBudget {
            year: b.year,
            grants: b.lines.iter().map(GrantLine::from).collect(),
            startlan: StartlanTotals::from(&b.startlan),
        }
    }
}

/// A grant's allocation as set.
#[derive(Debug, Serialize, JsonSchema)]
pub struct AllocationSaved {
    pub year: i32,
    pub grant: Option<GrantLine>,
}
