//! The rent ledger: an import's result, a tenancy's ledger months and arrears, and the list of
//! tenancies whose arrears reach the municipality's threshold. Amounts are øre.

use super::{DateSchema, MicrosSchema};
use husly_domain::HouseholdId;
use husly_domain::rules::YearMonth;
use husly_domain::tenancy::arrears::{self, SignalReason};
use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

/// A threshold the arrears reach.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Signal {
    /// `months_of_rent`, `amount` or `months_behind`.
    #[schemars(extend("enum" = ["months_of_rent", "amount", "months_behind"]))]
    pub reason: String,
    /// The threshold in øre (`months_of_rent`: that many months of the current rent; `amount`).
    pub threshold_ore: Option<i64>,
    /// `months_of_rent`: the number of months' rent, as the rule file writes it ("1", "1.5").
    pub rent_months: Option<String>,
    /// `months_behind`: the number of months with rent unpaid.
    pub months_behind: Option<u32>,
}

impl Signal {
    fn of(reason: &SignalReason) -> Signal {
        let (threshold_ore, rent_months, months_behind) = match *reason {
            SignalReason::RentMonths { months, threshold_ore } => (Some(threshold_ore), Some(months.text()), None),
            SignalReason::Amount { threshold_ore } => (Some(threshold_ore), None, None),
            SignalReason::MonthsBehind { months } => (None, None, Some(months)),
        };
        Signal {
            reason: reason.code().into(),
            threshold_ore,
            rent_months,
            months_behind,
        }
    }
}

/// A tenancy's arrears: payments settle the oldest rent first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Arrears {
    /// Due less paid over every month on the ledger (negative: paid in advance).
    pub balance_ore: i64,
    /// The balance when positive, else 0.
    pub arrears_ore: i64,
    /// Months whose rent is still unpaid.
    pub unpaid_months: u32,
    /// The oldest of them.
    pub oldest_unpaid: Option<YearMonth>,
    /// The thresholds of the municipality the arrears reach this month; empty: no signal.
    pub signals: Vec<Signal>,
}

impl Arrears {
    pub fn of(a: &arrears::Arrears, signals: &[SignalReason]) -> Arrears {
        Arrears {
            balance_ore: a.balance_ore,
            arrears_ore: a.arrears_ore,
            unpaid_months: a.unpaid_months,
            oldest_unpaid: a.oldest_unpaid,
            signals: signals.iter().map(Signal::of).collect(),
        }
    }
}

/// One month of the ledger.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LedgerMonth {
    pub month: YearMonth,
    pub due_ore: i64,
    pub paid_ore: i64,
}

/// A tenancy's ledger: its months, the newest first, and its arrears.
#[derive(Debug, Serialize, JsonSchema)]
pub struct TenancyLedger {
    pub months: Vec<LedgerMonth>,
    pub arrears: Arrears,
}

impl TenancyLedger {
    pub fn of(l: &husly_usecases::ledger::TenancyLedger) -> TenancyLedger {
        TenancyLedger {
            months: l
                .months
                .iter()
                .map(|m| LedgerMonth {
                    month: m.period,
                    due_ore: m.due_ore,
                    paid_ore: m.paid_ore,
                })
                .collect(),
            arrears: Arrears::of(&l.arrears, &l.signal),
        }
    }
}

/// A tenancy whose arrears reach the threshold.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ArrearsLine {
    pub tenancy_id: String,
    /// The reference the accounting system knows the contract by.
    pub reference: String,
    pub household_id: HouseholdId,
    pub tenant_name: String,
    /// Empty when `address_protected`: the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub monthly_rent_ore: i64,
    /// The move-out day, when the contract has ended.
    #[schemars(with = "Option<DateSchema>")]
    pub ended_on: Option<Date>,
    pub arrears: Arrears,
}

/// The thresholds in force this month.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Threshold {
    /// The first month of the rule period in force.
    pub from: YearMonth,
    /// Arrears of at least this many months of the contract's current rent ("1", "1.5").
    pub months_of_rent: Option<String>,
    /// Arrears of at least this many kroner.
    pub amount_kr: Option<i64>,
    /// Rent unpaid in at least this many months.
    pub months_behind: Option<u32>,
    /// The source the rule period cites.
    pub source: Option<String>,
    /// Whether every threshold is confirmed by its source (false: Husly's proposal, to be set by
    /// the municipality).
    pub verified: bool,
}

/// A ledger import as kept.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LedgerImportRecord {
    pub id: String,
    pub file_name: String,
    pub rows: i64,
    pub months: i64,
    pub tenancies: i64,
    pub first_month: YearMonth,
    pub last_month: YearMonth,
    pub created: i64,
    pub updated: i64,
    pub unchanged: i64,
    /// `page`, `api` or `cli`.
    pub via: String,
    /// Who imported it (null from the command line).
    pub imported_by: Option<String>,
    #[schemars(with = "MicrosSchema")]
    pub imported_at: i64,
}

/// The tenancies whose arrears reach the municipality's threshold, the largest first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ArrearsList {
    pub tenancies: Vec<ArrearsLine>,
    /// Tenancies with any arrears, the listed ones included.
    pub in_arrears: u64,
    /// The listed arrears together.
    pub total_ore: i64,
    /// Null when the municipality has no threshold in force (then none is listed).
    pub threshold: Option<Threshold>,
    /// The latest imports, the newest first.
    pub imports: Vec<LedgerImportRecord>,
}

impl ArrearsList {
    pub fn of(list: &husly_usecases::ledger::ArrearsList) -> ArrearsList {
        ArrearsList {
            tenancies: list
                .lines
                .iter()
                .map(|line| ArrearsLine {
                    tenancy_id: line.tenancy.tenancy_id.clone(),
                    reference: line.tenancy.reference.clone(),
                    household_id: line.tenancy.household,
                    tenant_name: line.tenancy.tenant_name.clone(),
                    address_line: line.tenancy.address_line.clone(),
                    address_protected: line.tenancy.address_protected,
                    monthly_rent_ore: line.tenancy.monthly_rent_ore,
                    ended_on: line.tenancy.ended_on,
                    arrears: Arrears::of(&line.arrears, &line.signal),
                })
                .collect(),
            in_arrears: u64::try_from(list.in_arrears).unwrap_or(u64::MAX),
            total_ore: list.total_ore,
            threshold: list.threshold.as_ref().map(|t| Threshold {
                from: t.period.meta.from,
                months_of_rent: t.period.values.months_of_rent.map(|m| m.text()),
                amount_kr: t.period.values.amount_kr,
                months_behind: t.period.values.months_behind,
                source: t.source.as_ref().map(|s| s.citation().to_string()),
                verified: t.period.meta.verified && t.period.meta.unverified.is_empty(),
            }),
            imports: list
                .imports
                .iter()
                .map(|i| LedgerImportRecord {
                    id: i.id.clone(),
                    file_name: i.file_name.clone(),
                    rows: i.rows,
                    months: i.months,
                    tenancies: i.tenancies,
                    first_month: i.first_month,
                    last_month: i.last_month,
                    created: i.created,
                    updated: i.updated,
                    unchanged: i.unchanged,
                    via: i.via.clone(),
                    imported_by: i.imported_by.clone(),
                    imported_at: i.imported_at,
                })
                .collect(),
        }
    }
}

/// What an import held and changed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct LedgerImportResult {
    /// The import's id.
    pub id: String,
    pub rows: u64,
    pub months: u64,
    pub tenancies: u64,
    pub first_month: Option<YearMonth>,
    pub last_month: Option<YearMonth>,
    /// Months new to the ledger.
    pub created: u64,
    /// Months whose figures the file changed.
    pub updated: u64,
    /// Months already as in the file.
    pub unchanged: u64,
}

impl LedgerImportResult {
    pub fn of(done: &husly_usecases::ledger::LedgerImport) -> LedgerImportResult {
        let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
        LedgerImportResult {
            id: done.imported.id.clone(),
            rows: count(done.summary.rows),
            months: count(done.summary.months),
            tenancies: count(done.summary.tenancies),
            first_month: done.summary.first_month,
            last_month: done.summary.last_month,
            created: done.imported.created,
            updated: done.imported.updated,
            unchanged: done.imported.unchanged,
        }
    }
}
