//! The rent ledger: importing the file the municipality's accounting system exports (tenancy
//! reference, month, amount due, amount paid), and the arrears it shows, per tenancy and as the
//! list of tenancies whose arrears reach the municipality's threshold. Pages, the API and the
//! command line call these. The rules are `husly_domain::tenancy::{ledger, arrears}`; the store
//! keeps the months.
//!
//! Importing is the housing manager's (`ManageTenancies`); reading the arrears is for those who
//! read contracts (`ViewTenancies`). The command line imports as the installation's operator,
//! like its other writes: through [`import_ledger_as`], audited as `cli`.

use std::collections::HashMap;

use husly_domain::authz::Action;
use husly_domain::rules::{Period, Source, YearMonth};
use husly_domain::tenancy::arrears::{
    Arrears, ArrearsThreshold, LedgerMonth, SignalReason, arrears, embedded_rules, signal,
};
use husly_domain::tenancy::ledger::{KnownTenancy, LedgerSummary, check_ledger_rows};
use husly_domain::validation::FieldError;
use husly_domain::{HouseholdId, MunicipalityId};
use husly_store::Store;
use husly_store::follow_up::Households;
use husly_store::households::Change;
use husly_store::rent_ledger::{LedgerImportRecord, LedgerImported, NewLedgerImport, TenancyInArrears};
use serde_json::json;
use time::Date;

use crate::{Channel, Ctx, UseCaseError, UseCaseResult, tabular};

/// How many of the latest imports a list shows.
pub const IMPORTS_SHOWN: i64 = 5;

/// A finished import: what the file held and what it changed.
#[derive(Debug, Clone)]
pub struct LedgerImport {
    pub summary: LedgerSummary,
    pub imported: LedgerImported,
}

/// The thresholds in force for a municipality this month, with their source; `None` when the
/// rule file has none for the month (no signal is raised then).
#[derive(Debug, Clone)]
pub struct Threshold {
    pub period: Period<ArrearsThreshold>,
    pub source: Option<Source>,
}

/// A tenancy's ledger: its months (the newest first), its arrears and the thresholds they reach.
#[derive(Debug, Clone, Default)]
pub struct TenancyLedger {
    pub months: Vec<LedgerMonth>,
    pub arrears: Arrears,
    pub signal: Vec<SignalReason>,
}

/// One tenancy on the arrears list.
#[derive(Debug, Clone)]
pub struct ArrearsLine {
    pub tenancy: TenancyInArrears,
    pub arrears: Arrears,
    /// The thresholds reached; never empty on the list.
    pub signal: Vec<SignalReason>,
}

/// The tenancies whose arrears reach the threshold, the largest first.
#[derive(Debug, Clone)]
pub struct ArrearsList {
    pub lines: Vec<ArrearsLine>,
    /// Tenancies with any arrears, the listed ones included.
    pub in_arrears: usize,
    /// The listed arrears together (øre).
    pub total_ore: i64,
    pub threshold: Option<Threshold>,
    /// The latest imports, the newest first.
    pub imports: Vec<LedgerImportRecord>,
}

fn threshold_for(number: &str, today: Date) -> Option<Threshold> {
    let rules = embedded_rules();
    let period = rules.in_force("rent_arrears", number, YearMonth::of(today)).ok()?;
    Some(Threshold {
        period: period.clone(),
        source: rules.source(&period.meta.source).cloned(),
    })
}

/// The file name as kept with the import: without folders or control characters, 120 characters
/// at most.
fn kept_name(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base.chars().filter(|c| !c.is_control()).take(120).collect();
    let clean = clean.trim();
    if clean.is_empty() { "—".into() } else { clean.into() }
}

/// Imports a ledger file (CSV or XLSX) as the caller: every row is checked first, and only when
/// all are good is anything saved, in one transaction. A refused file comes back as field errors
/// named `rows[N].field` (N the row as the spreadsheet shows it), `columns[C]` or `file`.
pub async fn import_ledger(
    ctx: &Ctx,
    municipality: MunicipalityId,
    file_name: &str,
    bytes: &[u8],
) -> UseCaseResult<LedgerImport> {
    ctx.require(Action::ManageTenancies, municipality)?;
    let actor = ctx.actor(municipality);
    let via = match ctx.channel {
        Channel::Page => "page",
        Channel::Api => "api",
    };
    import_ledger_as(
        &ctx.store,
        municipality,
        ctx.today,
        file_name,
        bytes,
        via,
        &ctx.change(&actor),
    )
    .await
}

/// The import itself, for a caller the installation authorises otherwise: the command line,
/// run by its operator (`via` = `cli`, the audit entry's actor `cli`). [`import_ledger`] for
/// users.
pub async fn import_ledger_as(
    store: &Store,
    municipality: MunicipalityId,
    today: Date,
    file_name: &str,
    bytes: &[u8],
    via: &str,
    change: &Change<'_>,
) -> UseCaseResult<LedgerImport> {
    let table = tabular::read_table(file_name, bytes).map_err(tabular::unreadable)?;
    let known: HashMap<String, KnownTenancy> = store
        .ledger_tenancies(municipality)
        .await?
        .into_iter()
        .map(|k| (k.reference.clone(), k))
        .collect();
    let rows = check_ledger_rows(&table.header, &table.rows, &known, YearMonth::of(today)).map_err(tabular::refused)?;
    if rows.is_empty() {
        return Err(UseCaseError::Invalid(vec![FieldError::new(
            "file",
            "no_rows",
            "error.ledger.no_rows",
        )]));
    }
    let summary = LedgerSummary::of(&rows);
    let name = kept_name(file_name);
    let batch = NewLedgerImport {
        file_name: &name,
        via,
        summary,
    };
    let imported = store.import_ledger(municipality, &batch, &rows, change).await?;
    Ok(LedgerImport { summary, imported })
}

/// The tenancies whose arrears reach the municipality's threshold this month, the largest
/// arrears first, with the latest imports. Names households, so the read is audited.
pub async fn arrears_list(ctx: &Ctx, municipality: MunicipalityId) -> UseCaseResult<ArrearsList> {
    ctx.require(Action::ViewTenancies, municipality)?;
    let threshold = threshold_for(ctx.municipality_number(municipality)?, ctx.today);
    let in_arrears = ctx.store.tenancies_in_arrears(municipality).await?;
    let count = in_arrears.len();
    let mut lines: Vec<ArrearsLine> = in_arrears
        .into_iter()
        .filter_map(|tenancy| {
            let owed = arrears(&tenancy.months);
            let reasons = threshold
                .as_ref()
                .map(|t| signal(&owed, tenancy.monthly_rent_ore, &t.period.values))
                .unwrap_or_default();
            (!reasons.is_empty()).then_some(ArrearsLine {
                tenancy,
                arrears: owed,
                signal: reasons,
            })
        })
        .collect();
    lines.sort_by(|a, b| {
        b.arrears
            .arrears_ore
            .cmp(&a.arrears.arrears_ore)
            .then_with(|| a.tenancy.reference.cmp(&b.tenancy.reference))
    });
    let imports = ctx.store.ledger_imports(municipality, IMPORTS_SHOWN).await?;
    ctx.audit_read(
        municipality,
        "tenancy.arrears",
        ("municipality", municipality.to_string()),
        json!({ "tenancies": lines.len() }),
    )
    .await?;
    Ok(ArrearsList {
        total_ore: lines.iter().map(|l| l.arrears.arrears_ore).sum(),
        lines,
        in_arrears: count,
        threshold,
        imports,
    })
}

/// These households whose open contract's arrears reach the threshold this month: arrears (øre)
/// and months unpaid, for the follow-up caseload (whose read is the audited one).
pub(crate) async fn households_over_threshold(
    ctx: &Ctx,
    municipality: MunicipalityId,
    households: Households,
) -> UseCaseResult<HashMap<HouseholdId, (i64, u32)>> {
    let number = ctx.municipality_number(municipality)?;
    over_threshold(&ctx.store, (municipality, number), households, ctx.today).await
}

/// As [`households_over_threshold`], for work done as the system (the indicators' snapshot):
/// the municipality by id and kommunenummer, whose thresholds apply on `today`.
pub(crate) async fn over_threshold(
    store: &Store,
    (municipality, number): (MunicipalityId, &str),
    households: Households,
    today: Date,
) -> UseCaseResult<HashMap<HouseholdId, (i64, u32)>> {
    let Some(threshold) = threshold_for(number, today) else {
        return Ok(HashMap::new());
    };
    let mut over = HashMap::new();
    for ledger in store.open_ledgers_in_arrears(municipality, households).await? {
        let owed = arrears(&ledger.months);
        if !signal(&owed, ledger.monthly_rent_ore, &threshold.period.values).is_empty() {
            let entry = over.entry(ledger.household).or_insert((0, 0));
            entry.0 += owed.arrears_ore;
            entry.1 = entry.1.max(owed.unpaid_months);
        }
    }
    Ok(over)
}

/// A tenancy's ledger months, arrears and signal; read with the contract, whose read is the
/// audited one (`contracts::contract`).
pub(crate) async fn tenancy_ledger(
    ctx: &Ctx,
    municipality: MunicipalityId,
    tenancy: &str,
    monthly_rent_ore: i64,
) -> UseCaseResult<TenancyLedger> {
    let mut months = ctx.store.ledger_months(municipality, tenancy).await?;
    let owed = arrears(&months);
    let reasons = threshold_for(ctx.municipality_number(municipality)?, ctx.today)
        .map(|t| signal(&owed, monthly_rent_ore, &t.period.values))
        .unwrap_or_default();
    months.reverse();
    Ok(TenancyLedger {
        months,
        arrears: owed,
        signal: reasons,
    })
}
