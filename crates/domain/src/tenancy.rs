//! Tenancy contracts for municipal dwellings: what a contract must say before it is written, how
//! it ends, and when it runs out. Pure rules; the store keeps contracts, the use cases apply
//! these.
//!
//! Sources (domain brief § 1.4): husleieloven § 9-3 makes three years the shortest fixed term;
//! § 11-1 lets a dwelling let by the municipality to the disadvantaged have a shorter term, if the
//! tenant was told in writing before signing that the dwelling is such a dwelling, with fewer
//! rights. § 3-5 first paragraph caps a deposit at six months' rent (Husleietvistutvalget,
//! <https://www.htu.no/artikler/hva-er-et-lovlig-depositum>; the law at
//! <https://lovdata.no/lov/1999-03-26-17/§3-5>).

pub mod arrears;
pub mod ledger;
pub mod rent;
#[cfg(test)]
mod tests;

use time::Date;

use crate::stays::add_months;
use crate::validation::{Errors, FieldError, parse_kr};

/// The shortest fixed term without the § 11-1 notice, in months (husleieloven § 9-3).
pub const SHORTEST_ORDINARY_TERM_MONTHS: u8 = 36;
/// The largest deposit, in months of rent (husleieloven § 3-5).
pub const MAX_DEPOSIT_MONTHS: i64 = 6;
/// The highest monthly rent the form takes, in kroner: far above any municipal rent, it catches
/// a figure typed in øre or with a digit too many.
pub const MAX_MONTHLY_RENT_KR: i64 = 200_000;

crate::allocation::coded! {
    /// Whether the contract ends on a set day.
    ContractTerm {
        Fixed => "fixed",
        Indefinite => "indefinite",
    }
}

crate::allocation::coded! {
    /// What secures the rent and the dwelling: nothing, a deposit in the tenant's name, or a
    /// guarantee (from NAV or another guarantor).
    SecurityKind {
        None => "none",
        Deposit => "deposit",
        Guarantee => "guarantee",
    }
}

crate::allocation::coded! {
    /// Why a contract ended.
    EndReason {
        TermExpired => "term_expired",
        TenantNotice => "tenant_notice",
        LandlordNotice => "landlord_notice",
        MovedToOtherMunicipalDwelling => "moved_to_other_municipal_dwelling",
        BoughtOwnHome => "bought_own_home",
        MovedToPrivateRental => "moved_to_private_rental",
        Eviction => "eviction",
        Deceased => "deceased",
        Other => "other",
    }
}

crate::allocation::coded! {
    /// Where a contract stands.
    ContractState {
        Active => "active",
        Ended => "ended",
    }
}

impl ContractTerm {
    pub fn key(self) -> String {
        format!("tenancy.term.{}", self.code())
    }
}

impl SecurityKind {
    pub fn key(self) -> String {
        format!("tenancy.security.{}", self.code())
    }
}

impl EndReason {
    pub fn key(self) -> String {
        format!("tenancy.end_reason.{}", self.code())
    }
}

impl ContractState {
    pub fn key(self) -> String {
        format!("tenancy.state.{}", self.code())
    }
}

/// A contract as typed on the form (dates `dd.mm.åååå` or `åååå-mm-dd`, amounts in kroner).
#[derive(Debug, Clone, Default)]
pub struct ContractInput<'a> {
    pub start: &'a str,
    pub term: &'a str,
    pub term_end: &'a str,
    pub monthly_rent_kr: &'a str,
    pub security_kind: &'a str,
    pub security_kr: &'a str,
    pub notice_11_1_on: &'a str,
}

/// A contract that passed [`check_contract`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContract {
    pub start: Date,
    pub term: ContractTerm,
    /// The last day of the fixed term; `None` for an indefinite contract.
    pub term_end: Option<Date>,
    pub monthly_rent_ore: i64,
    pub security_kind: SecurityKind,
    pub security_ore: i64,
    /// The day the household was told in writing that the dwelling is let under § 11-1.
    pub notice_11_1_on: Option<Date>,
}

pub(super) fn kr_field(errors: &mut Errors, field: &str, text: &str, required: bool) -> Option<i64> {
    if text.trim().is_empty() {
        if required {
            errors.push(FieldError::required(field));
        }
        return None;
    }
    match parse_kr(text) {
        Some(kr) if kr < 0 => {
            errors.push(FieldError::new(field, "negative_amount", "error.negative_amount"));
            None
        }
        Some(kr) if kr > MAX_MONTHLY_RENT_KR * MAX_DEPOSIT_MONTHS => {
            errors.push(FieldError::new(field, "amount_too_large", "error.amount_too_large"));
            None
        }
        Some(kr) => Some(kr),
        None => {
            errors.push(FieldError::new(field, "not_an_amount", "error.not_an_amount"));
            None
        }
    }
}

pub(crate) fn coded_field<T: Copy>(
    errors: &mut Errors,
    field: &str,
    text: &str,
    from: fn(&str) -> Option<T>,
    all: &[&str],
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    let found = from(text);
    if found.is_none() {
        errors.push(FieldError::unknown_value(field, text, all));
    }
    found
}

pub(super) fn date_field(errors: &mut Errors, field: &str, text: &str, required: bool) -> Option<Date> {
    if required && text.trim().is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    errors.optional_date(field, text)
}

/// Checks a contract before it is written; every problem at once, each named by its field.
pub fn check_contract(input: &ContractInput<'_>) -> Result<NewContract, Vec<FieldError>> {
    let mut errors = Errors::default();
    let start = date_field(&mut errors, "start", input.start, true);
    let term = coded_field(
        &mut errors,
        "term",
        input.term,
        ContractTerm::from_code,
        &ContractTerm::codes(),
    );
    let term_end = date_field(
        &mut errors,
        "term_end",
        input.term_end,
        term == Some(ContractTerm::Fixed),
    );
    let rent_kr = kr_field(&mut errors, "monthly_rent_kr", input.monthly_rent_kr, true);
    let security_kind = coded_field(
        &mut errors,
        "security_kind",
        input.security_kind,
        SecurityKind::from_code,
        &SecurityKind::codes(),
    );
    let security_kr = kr_field(&mut errors, "security_kr", input.security_kr, false);
    let notice = date_field(&mut errors, "notice_11_1_on", input.notice_11_1_on, false);

    if let Some(kr) = rent_kr {
        if kr == 0 {
            errors.push(FieldError::new(
                "monthly_rent_kr",
                "rent_zero",
                "error.tenancy.rent_zero",
            ));
        } else if kr > MAX_MONTHLY_RENT_KR {
            errors.push(FieldError::new(
                "monthly_rent_kr",
                "amount_too_large",
                "error.amount_too_large",
            ));
        }
    }
    match (term, term_end, start) {
        (Some(ContractTerm::Indefinite), Some(_), _) => errors.push(FieldError::new(
            "term_end",
            "tenancy.end_with_indefinite",
            "error.tenancy.end_with_indefinite",
        )),
        (Some(ContractTerm::Fixed), Some(end), Some(start)) if end <= start => errors.push(
            FieldError::new("term_end", "tenancy.end_before_start", "error.tenancy.end_before_start")
                .arg("start", crate::validation::format_date(start)),
        ),
        // Shorter than three years: lawful only with the written § 11-1 notice.
        (Some(ContractTerm::Fixed), Some(end), Some(start))
            if end < ordinary_term_end(start) && input.notice_11_1_on.trim().is_empty() =>
        {
            errors.push(FieldError::new(
                "notice_11_1_on",
                "tenancy.notice_required",
                "error.tenancy.notice_required",
            ))
        }
        _ => {}
    }
    // The notice is given before the contract is signed, so no later than its first day.
    if let (Some(on), Some(start)) = (notice, start)
        && on > start
    {
        errors.push(
            FieldError::new(
                "notice_11_1_on",
                "tenancy.notice_after_start",
                "error.tenancy.notice_after_start",
            )
            .arg("start", crate::validation::format_date(start)),
        );
    }
    match security_kind {
        Some(SecurityKind::None) if security_kr.is_some_and(|kr| kr > 0) => errors.push(FieldError::new(
            "security_kr",
            "tenancy.security_without_kind",
            "error.tenancy.security_without_kind",
        )),
        Some(kind @ (SecurityKind::Deposit | SecurityKind::Guarantee)) => match security_kr {
            Some(0) => errors.push(FieldError::new(
                "security_kr",
                "tenancy.security_amount_required",
                "error.tenancy.security_amount_required",
            )),
            None if input.security_kr.trim().is_empty() => errors.push(FieldError::new(
                "security_kr",
                "tenancy.security_amount_required",
                "error.tenancy.security_amount_required",
            )),
            Some(kr)
                if kind == SecurityKind::Deposit
                    && rent_kr.is_some_and(|rent| rent > 0 && kr > rent * MAX_DEPOSIT_MONTHS) =>
            {
                let max = rent_kr.unwrap_or(0) * MAX_DEPOSIT_MONTHS;
                errors.push(
                    FieldError::new(
                        "security_kr",
                        "tenancy.deposit_too_large",
                        "error.tenancy.deposit_too_large",
                    )
                    .arg("max", crate::validation::format_kr(max)),
                );
            }
            _ => {}
        },
        _ => {}
    }
    let checked = match (start, term, rent_kr, security_kind) {
        (Some(start), Some(term), Some(rent), Some(security_kind)) => Some(NewContract {
            start,
            term,
            term_end: if term == ContractTerm::Fixed { term_end } else { None },
            monthly_rent_ore: rent * 100,
            security_kind,
            security_ore: if security_kind == SecurityKind::None {
                0
            } else {
                security_kr.unwrap_or(0) * 100
            },
            notice_11_1_on: notice,
        }),
        _ => None,
    };
    match checked {
        Some(contract) => errors.into_result(contract),
        None => Err(if errors.is_empty() {
            vec![FieldError::required("start")]
        } else {
            errors.0
        }),
    }
}

/// An end as typed: the move-out day, the reason, the day notice was given (optional), a note
/// (required for `other`), and for `bought_own_home` the household's startlån case (optional).
#[derive(Debug, Clone, Default)]
pub struct EndInput<'a> {
    pub ended_on: &'a str,
    pub reason: &'a str,
    pub notice_on: &'a str,
    pub note: &'a str,
    pub move_on_case_id: &'a str,
}

/// An end that passed [`check_end`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractEnd {
    pub ended_on: Date,
    pub reason: EndReason,
    pub notice_on: Option<Date>,
    pub note: Option<String>,
    /// The startlån case the household bought its home with (the move from renting to owning);
    /// the caller checks it with [`check_move_on_case`].
    pub move_on_case: Option<crate::CaseId>,
}

/// The case named as the move-on case, as found in the contract's municipality: its household
/// and type (`None` when there is no such case there). It must be a startlån case of the
/// contract's household.
pub fn check_move_on_case(
    found: Option<(crate::HouseholdId, crate::cases::CaseType)>,
    household: crate::HouseholdId,
) -> Result<(), FieldError> {
    match found {
        Some((of, crate::cases::CaseType::Startlan)) if of == household => Ok(()),
        _ => Err(FieldError::new(
            "move_on_case_id",
            "tenancy.move_on_case_not_startlan",
            "error.tenancy.move_on_case_not_startlan",
        )),
    }
}

/// Checks an end of the contract that began on `start`.
pub fn check_end(input: &EndInput<'_>, start: Date) -> Result<ContractEnd, Vec<FieldError>> {
    let mut errors = Errors::default();
    let ended_on = date_field(&mut errors, "ended_on", input.ended_on, true);
    let reason = coded_field(
        &mut errors,
        "reason",
        input.reason,
        EndReason::from_code,
        &EndReason::codes(),
    );
    let notice_on = date_field(&mut errors, "notice_on", input.notice_on, false);
    let note = errors.optional_text("note", input.note);
    let move_on_case = match input.move_on_case_id.trim() {
        "" => None,
        text => match text.parse::<crate::CaseId>() {
            Ok(case) => Some(case),
            Err(_) => {
                errors.push(FieldError::new(
                    "move_on_case_id",
                    "tenancy.move_on_case_not_startlan",
                    "error.tenancy.move_on_case_not_startlan",
                ));
                None
            }
        },
    };
    if move_on_case.is_some() && reason.is_some_and(|r| r != EndReason::BoughtOwnHome) {
        errors.push(FieldError::new(
            "move_on_case_id",
            "tenancy.move_on_case_reason",
            "error.tenancy.move_on_case_reason",
        ));
    }
    if let Some(day) = ended_on
        && day < start
    {
        errors.push(
            FieldError::new(
                "ended_on",
                "tenancy.ended_before_start",
                "error.tenancy.ended_before_start",
            )
            .arg("start", crate::validation::format_date(start)),
        );
    }
    if let (Some(notice), Some(day)) = (notice_on, ended_on)
        && notice > day
    {
        errors.push(FieldError::new(
            "notice_on",
            "tenancy.notice_after_end",
            "error.tenancy.notice_after_end",
        ));
    }
    if reason == Some(EndReason::Other) && note.is_none() {
        errors.push(FieldError::new(
            "note",
            "tenancy.note_required",
            "error.tenancy.note_required",
        ));
    }
    match (ended_on, reason) {
        (Some(ended_on), Some(reason)) => errors.into_result(ContractEnd {
            ended_on,
            reason,
            notice_on,
            note,
            move_on_case,
        }),
        _ => Err(errors.0),
    }
}

/// The last day of a term of the shortest ordinary length (three years) from `start`: the day
/// before the third anniversary, counted from the day before the start so that a month's last day
/// stays one (from 29 February 2028, the term's last day is 28 February 2031).
pub fn ordinary_term_end(start: Date) -> Date {
    add_months(start.previous_day().unwrap_or(start), SHORTEST_ORDINARY_TERM_MONTHS)
}

/// Where a fixed-term contract stands against `today` and a horizon of `months`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// The term ran out before today and no end has been recorded.
    Lapsed,
    /// The term ends within the horizon.
    Soon,
    /// Indefinite, or the term ends after the horizon.
    NotSoon,
}

/// Whether an open contract with this term end runs out within `months` of `today`.
pub fn expiry(term_end: Option<Date>, today: Date, months: u8) -> Expiry {
    match term_end {
        Some(end) if end < today => Expiry::Lapsed,
        Some(end) if end <= add_months(today, months) => Expiry::Soon,
        _ => Expiry::NotSoon,
    }
}
