//! The payment schedule of one loan: monthly payments, whole øre, 12 a year.
//!
//! Interest for a month is the balance times the nominal yearly rate over twelve, rounded to whole
//! øre with [`div_round`] in [`monthly_interest`], the only place money is rounded. The instalments
//! always sum exactly to the principal: the last payment takes whatever balance is left.
//!
//! - **Annuity**: one level payment after any instalment-free months. It is the whole-øre payment
//!   that leaves the smallest difference in the last payment, found by simulating the schedule
//!   (no floating point): for 1 000 000 kr over 30 years at 6 % it is 5 995.51 kr, as the usual
//!   formula gives. Because a payment can only be changed by whole øre, the last payment may
//!   differ from the others; for a tiny loan the level payment may even repay it a month or two
//!   early, and the schedule ends there.
//! - **Serial**: a level instalment, the principal divided by the number of repayment months
//!   rounded down, plus the interest; the last instalment also takes the remainder.
//!
//! The limits here are arithmetic, not policy: how long a startlån may run is a rule
//! ([`super::rules::Terms`]) checked when an application is validated.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::rules::{Percent, div_round};

/// Longest term the arithmetic accepts.
pub const MAX_TERM_YEARS: u32 = 100;
/// Largest principal the arithmetic accepts: 10 000 000 000 kr.
pub const MAX_PRINCIPAL_ORE: i64 = 1_000_000_000_000;
/// Highest yearly rate the arithmetic accepts: 100 %.
pub const MAX_RATE_BASIS_POINTS: i64 = 10_000;

const MONTHS_PER_YEAR: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LoanKind {
    /// Level payments (*annuitetslån*).
    Annuity,
    /// Level instalments, falling payments (*serielån*).
    Serial,
}

/// What a schedule is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoanTerms {
    pub principal_ore: i64,
    /// Nominal yearly rate.
    pub rate: Percent,
    pub term_years: u32,
    /// Years of interest-only payments at the start; less than the term.
    pub instalment_free_years: u32,
    pub kind: LoanKind,
}

/// One month of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleRow {
    /// 1 for the first payment.
    pub month: u32,
    pub interest_ore: i64,
    pub instalment_ore: i64,
    /// Interest plus instalment.
    pub payment_ore: i64,
    /// What is left after this payment.
    pub balance_ore: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the principal must be between 0 and {MAX_PRINCIPAL_ORE} øre")]
    PrincipalOutOfRange,
    #[error("the rate must be between 0 % and 100 %")]
    RateOutOfRange,
    #[error("the term must be between 1 and {MAX_TERM_YEARS} years")]
    TermOutOfRange,
    #[error("the instalment-free years must be fewer than the term")]
    InstalmentFreeNotLessThanTerm,
}

/// Interest for one month on `balance_ore` at the nominal yearly `rate`: the one rounding.
pub fn monthly_interest(balance_ore: i64, rate: Percent) -> i64 {
    let denominator = i128::from(MONTHS_PER_YEAR) * i128::from(Percent::DENOMINATOR);
    let interest = div_round(i128::from(balance_ore) * i128::from(rate.basis_points()), denominator);
    i64::try_from(interest).expect("interest on a bounded balance fits in i64")
}

/// The rows of a schedule, month by month. Ends when the loan is repaid.
#[derive(Debug, Clone)]
pub struct Schedule {
    terms: LoanTerms,
    level: Level,
    months: u32,
    interest_only_months: u32,
    month: u32,
    balance: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Payment(i64),
    Instalment(i64),
}

impl Schedule {
    pub fn new(terms: LoanTerms) -> Result<Schedule, ScheduleError> {
        if !(0..=MAX_PRINCIPAL_ORE).contains(&terms.principal_ore) {
            return Err(ScheduleError::PrincipalOutOfRange);
        }
        if !(0..=MAX_RATE_BASIS_POINTS).contains(&terms.rate.basis_points()) {
            return Err(ScheduleError::RateOutOfRange);
        }
        if !(1..=MAX_TERM_YEARS).contains(&terms.term_years) {
            return Err(ScheduleError::TermOutOfRange);
        }
        if terms.instalment_free_years >= terms.term_years {
            return Err(ScheduleError::InstalmentFreeNotLessThanTerm);
        }
        let months = terms.term_years * MONTHS_PER_YEAR;
        let interest_only_months = terms.instalment_free_years * MONTHS_PER_YEAR;
        let repayment_months = months - interest_only_months;
        let level = match terms.kind {
            LoanKind::Annuity => Level::Payment(annuity_payment(terms.principal_ore, terms.rate, repayment_months)),
            LoanKind::Serial => Level::Instalment(terms.principal_ore / i64::from(repayment_months)),
        };
        Ok(Schedule {
            terms,
            level,
            months,
            interest_only_months,
            month: 0,
            balance: terms.principal_ore,
        })
    }

    pub fn terms(&self) -> &LoanTerms {
        &self.terms
    }
}

impl Iterator for Schedule {
    type Item = ScheduleRow;

    fn next(&mut self) -> Option<ScheduleRow> {
        if self.balance == 0 || self.month == self.months {
            return None;
        }
        self.month += 1;
        let interest = monthly_interest(self.balance, self.terms.rate);
        let instalment = if self.month <= self.interest_only_months {
            0
        } else if self.month == self.months {
            self.balance
        } else {
            match self.level {
                Level::Payment(payment) => (payment - interest).clamp(0, self.balance),
                Level::Instalment(instalment) => instalment.min(self.balance),
            }
        };
        self.balance -= instalment;
        Some(ScheduleRow {
            month: self.month,
            interest_ore: interest,
            instalment_ore: instalment,
            payment_ore: interest + instalment,
            balance_ore: self.balance,
        })
    }
}

/// The whole-øre annuity payment for `principal` over `months` at `rate`.
///
/// The smallest payment that repays the loan in time (simulated month by month in whole øre) is
/// searched from the textbook formula's value, which is never more than a few øre off; it or the
/// payment one øre lower, whichever leaves the smaller difference in the last payment, is the
/// level payment. The float only picks where to start: the answer is the integer simulation's.
fn annuity_payment(principal: i64, rate: Percent, months: u32) -> i64 {
    if principal == 0 {
        return 0;
    }
    let repays = |payment| last_payment(principal, rate, months, payment).is_some_and(|last| last <= payment);
    let mut high = textbook_annuity(principal, rate, months).clamp(1, principal + monthly_interest(principal, rate));
    while !repays(high) {
        high += 1;
    }
    while high > 1 && repays(high - 1) {
        high -= 1;
    }
    let lower = high - 1;
    let first_interest = monthly_interest(principal, rate);
    match (
        last_payment(principal, rate, months, high),
        last_payment(principal, rate, months, lower),
    ) {
        (Some(at_high), Some(at_lower)) if lower > first_interest && (at_lower - lower) < (high - at_high) => lower,
        _ => high,
    }
}

/// P·r / (1 − (1 + r)^−n), rounded up: where the search for the exact payment starts.
fn textbook_annuity(principal: i64, rate: Percent, months: u32) -> i64 {
    let r = rate.basis_points() as f64 / Percent::DENOMINATOR as f64 / f64::from(MONTHS_PER_YEAR);
    let p = principal as f64;
    let n = f64::from(months);
    let payment = if r == 0.0 {
        p / n
    } else {
        p * r / (1.0 - (1.0 + r).powf(-n))
    };
    payment.ceil() as i64
}

/// The first payment with an instalment (after any instalment-free years): the level payment of
/// an annuity, the largest payment of a serial loan. Cheaper than [`summarize`].
pub fn first_full_payment(terms: LoanTerms) -> Result<i64, ScheduleError> {
    let interest_only = (terms.instalment_free_years * MONTHS_PER_YEAR) as usize;
    Ok(Schedule::new(terms)?
        .nth(interest_only)
        .map_or(0, |row| row.payment_ore))
}

/// The last payment when `payment` is paid every month and the final month pays what is left, or
/// `None` if the payment does not even cover the interest (the loan would never shrink).
fn last_payment(principal: i64, rate: Percent, months: u32, payment: i64) -> Option<i64> {
    let mut balance = principal;
    for month in 1..=months {
        let interest = monthly_interest(balance, rate);
        if month == months || payment - interest >= balance {
            return Some(interest + balance);
        }
        if payment <= interest {
            return None;
        }
        balance -= payment - interest;
    }
    unreachable!("the loop returns in its last month")
}

/// The figures of a schedule a caseworker needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "StartlanSchedule")]
pub struct ScheduleSummary {
    /// Number of payments (fewer than the term only when a tiny annuity repays early).
    pub months: u32,
    pub first_payment_ore: i64,
    /// The first payment with an instalment, after any instalment-free years: the level payment
    /// of an annuity and the largest payment of a serial loan.
    pub first_full_payment_ore: i64,
    pub highest_payment_ore: i64,
    pub total_interest_ore: i64,
    pub total_paid_ore: i64,
}

pub fn summarize(terms: LoanTerms) -> Result<ScheduleSummary, ScheduleError> {
    let schedule = Schedule::new(terms)?;
    let interest_only_months = schedule.interest_only_months;
    let mut summary = ScheduleSummary {
        months: 0,
        first_payment_ore: 0,
        first_full_payment_ore: 0,
        highest_payment_ore: 0,
        total_interest_ore: 0,
        total_paid_ore: 0,
    };
    for row in schedule {
        if row.month == 1 {
            summary.first_payment_ore = row.payment_ore;
        }
        if row.month == interest_only_months + 1 {
            summary.first_full_payment_ore = row.payment_ore;
        }
        summary.months = row.month;
        summary.highest_payment_ore = summary.highest_payment_ore.max(row.payment_ore);
        summary.total_interest_ore += row.interest_ore;
        summary.total_paid_ore += row.payment_ore;
    }
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pct(text: &str) -> Percent {
        Percent::parse(text).unwrap()
    }

    fn terms(principal_kr: i64, rate: &str, term_years: u32, free: u32, kind: LoanKind) -> LoanTerms {
        LoanTerms {
            principal_ore: principal_kr * 100,
            rate: pct(rate),
            term_years,
            instalment_free_years: free,
            kind,
        }
    }

    // Expected level payments are the textbook formula P·r / (1 − (1 + r)^−n), r = rate / 12,
    // evaluated exactly with rational numbers (Python's fractions) and rounded to øre:
    //   1 000 000 kr, 6 %, 360 months:    599 550.525… øre → 5 995.51 kr
    //   2 000 000 kr, 4.5 %, 300 months: 1 111 664.956… øre → 11 116.65 kr
    //     500 000 kr, 5.25 %, 240 months:  336 922.083… øre → 3 369.22 kr

    #[test]
    fn annuity_matches_the_textbook_formula() {
        let s = summarize(terms(1_000_000, "6 %", 30, 0, LoanKind::Annuity)).unwrap();
        assert_eq!(s.first_payment_ore, 599_551);
        assert_eq!(s.first_full_payment_ore, 599_551);
        assert_eq!(s.months, 360);
        // 5 995.51 kr is 0.475 øre above the exact annuity; compounded over 360 months that is
        // about 4.50 kr too much, which the last payment gives back: 5 991.01 kr. (Checked with an
        // independent simulation; paying 5 995.50 kr would leave 6 000.78 kr, 5.28 kr off.)
        let rows: Vec<_> = Schedule::new(terms(1_000_000, "6 %", 30, 0, LoanKind::Annuity))
            .unwrap()
            .collect();
        assert_eq!(rows[359].payment_ore, 599_101);
        assert_eq!(s.total_interest_ore, 359 * 599_551 + 599_101 - 100_000_000);
        assert_eq!(s.total_paid_ore - s.total_interest_ore, 100_000_000);

        let s = summarize(terms(500_000, "5.25 %", 20, 0, LoanKind::Annuity)).unwrap();
        assert_eq!(s.first_full_payment_ore, 336_922);
    }

    #[test]
    fn annuity_with_instalment_free_years() {
        // 2 000 000 kr at 4.5 %: 60 months of interest only (7 500 kr), then 25 years of annuity.
        let rows: Vec<_> = Schedule::new(terms(2_000_000, "4.5 %", 30, 5, LoanKind::Annuity))
            .unwrap()
            .collect();
        assert_eq!(rows.len(), 360);
        for row in &rows[..60] {
            assert_eq!(
                (row.interest_ore, row.instalment_ore, row.balance_ore),
                (750_000, 0, 200_000_000)
            );
        }
        assert_eq!(rows[60].payment_ore, 1_111_665);
        // First repayment month: interest 7 500 kr, instalment 3 616.65 kr.
        assert_eq!((rows[60].interest_ore, rows[60].instalment_ore), (750_000, 361_665));
        let s = summarize(terms(2_000_000, "4.5 %", 30, 5, LoanKind::Annuity)).unwrap();
        assert_eq!((s.first_payment_ore, s.first_full_payment_ore), (750_000, 1_111_665));
    }

    #[test]
    fn serial_loan() {
        // 1 200 000 kr over 20 years at 5 %: instalment 5 000 kr; first interest 5 000 kr.
        let rows: Vec<_> = Schedule::new(terms(1_200_000, "5 %", 20, 0, LoanKind::Serial))
            .unwrap()
            .collect();
        assert_eq!(rows.len(), 240);
        assert_eq!(
            (rows[0].interest_ore, rows[0].instalment_ore, rows[0].payment_ore),
            (500_000, 500_000, 1_000_000)
        );
        // Month 2: balance 1 195 000 kr, interest 4 979.17 kr (4 979.1666…).
        assert_eq!(rows[1].interest_ore, 497_917);
        // Last month: 5 000 kr left, interest 20.83 kr.
        assert_eq!((rows[239].interest_ore, rows[239].instalment_ore), (2_083, 500_000));
        let s = summarize(terms(1_200_000, "5 %", 20, 0, LoanKind::Serial)).unwrap();
        assert_eq!(s.highest_payment_ore, 1_000_000);
        // Interest on the average balance: 5 % · (1 200 000 + 5 000) / 2 · 20 years ≈ 602 500 kr.
        assert!(
            (s.total_interest_ore - 60_250_000).abs() < 200,
            "{}",
            s.total_interest_ore
        );
    }

    #[test]
    fn serial_remainder_goes_to_the_last_instalment() {
        // 100 000.01 kr over 1 year: 12 instalments of 8 333.33 kr, the last 8 333.38 kr.
        let t = LoanTerms {
            principal_ore: 10_000_001,
            ..terms(0, "3 %", 1, 0, LoanKind::Serial)
        };
        let rows: Vec<_> = Schedule::new(t).unwrap().collect();
        assert!(rows[..11].iter().all(|r| r.instalment_ore == 833_333));
        assert_eq!(rows[11].instalment_ore, 833_338);
    }

    #[test]
    fn zero_rate_and_zero_principal() {
        let s = summarize(terms(360_000, "0 %", 30, 0, LoanKind::Annuity)).unwrap();
        assert_eq!((s.first_payment_ore, s.total_interest_ore, s.months), (100_000, 0, 360));
        let s = summarize(terms(0, "5 %", 30, 2, LoanKind::Serial)).unwrap();
        assert_eq!((s.months, s.highest_payment_ore), (0, 0));
    }

    #[test]
    fn refuses_what_it_cannot_compute() {
        let ok = terms(100_000, "5 %", 10, 0, LoanKind::Annuity);
        let err = |t| Schedule::new(t).unwrap_err();
        assert_eq!(
            err(LoanTerms {
                principal_ore: -1,
                ..ok
            }),
            ScheduleError::PrincipalOutOfRange
        );
        assert_eq!(err(LoanTerms { term_years: 0, ..ok }), ScheduleError::TermOutOfRange);
        assert_eq!(
            err(LoanTerms {
                instalment_free_years: 10,
                ..ok
            }),
            ScheduleError::InstalmentFreeNotLessThanTerm
        );
        assert_eq!(
            err(LoanTerms {
                rate: Percent::from_basis_points(-1),
                ..ok
            }),
            ScheduleError::RateOutOfRange
        );
    }

    fn any_terms() -> impl Strategy<Value = LoanTerms> {
        (
            1u32..=50,
            0u32..=8,
            0i64..=1_000_000_000,
            0i64..=1_500,
            prop_oneof![Just(LoanKind::Annuity), Just(LoanKind::Serial)],
        )
            .prop_filter(
                "instalment-free years must be fewer than the term",
                |(term, free, ..)| free < term,
            )
            .prop_map(
                |(term_years, instalment_free_years, principal_ore, bp, kind)| LoanTerms {
                    principal_ore,
                    rate: Percent::from_basis_points(bp),
                    term_years,
                    instalment_free_years,
                    kind,
                },
            )
    }

    /// The smallest repaying payment by plain bisection: the reference for the fast search.
    fn smallest_repaying_payment_by_bisection(principal: i64, rate: Percent, months: u32) -> i64 {
        let repays = |payment| last_payment(principal, rate, months, payment).is_some_and(|last| last <= payment);
        let (mut low, mut high) = (0, principal + monthly_interest(principal, rate));
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if repays(mid) { high = mid } else { low = mid }
        }
        high
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn the_annuity_search_finds_what_bisection_finds(
            principal in 1i64..=1_000_000_000,
            bp in 0i64..=1_500,
            months in 1u32..=600,
        ) {
            let rate = Percent::from_basis_points(bp);
            let fast = annuity_payment(principal, rate, months);
            let reference = smallest_repaying_payment_by_bisection(principal, rate, months);
            prop_assert!(fast == reference || fast == reference - 1, "{fast} vs {reference}");
        }

        #[test]
        fn instalments_sum_to_the_principal_and_balances_stay_positive(t in any_terms()) {
            let rows: Vec<_> = Schedule::new(t).unwrap().collect();
            prop_assert_eq!(rows.iter().map(|r| r.instalment_ore).sum::<i64>(), t.principal_ore);
            prop_assert!(rows.len() as u32 <= t.term_years * 12);
            let mut balance = t.principal_ore;
            for row in &rows {
                prop_assert!(row.instalment_ore >= 0 && row.interest_ore >= 0);
                prop_assert_eq!(row.payment_ore, row.interest_ore + row.instalment_ore);
                balance -= row.instalment_ore;
                prop_assert_eq!(row.balance_ore, balance);
                prop_assert!(row.balance_ore >= 0);
            }
            if t.principal_ore > 0 {
                prop_assert_eq!(rows.last().unwrap().balance_ore, 0);
            }
        }

        #[test]
        fn instalment_free_months_pay_interest_only(t in any_terms()) {
            let free_months = (t.instalment_free_years * 12) as usize;
            for row in Schedule::new(t).unwrap().take(free_months) {
                prop_assert_eq!(row.instalment_ore, 0);
                prop_assert_eq!(row.balance_ore, t.principal_ore);
            }
        }

        #[test]
        fn annuity_payments_are_level_after_the_instalment_free_years_except_the_last(
            t in any_terms().prop_map(|t| LoanTerms { kind: LoanKind::Annuity, ..t })
        ) {
            let free_months = (t.instalment_free_years * 12) as usize;
            let rows: Vec<_> = Schedule::new(t).unwrap().collect();
            if rows.len() > free_months + 1 {
                let repaying = &rows[free_months..rows.len() - 1];
                prop_assert!(repaying.iter().all(|r| r.payment_ore == repaying[0].payment_ore));
            }
        }

        #[test]
        fn serial_instalments_are_level_except_the_last(
            t in any_terms().prop_map(|t| LoanTerms { kind: LoanKind::Serial, ..t })
        ) {
            let free_months = (t.instalment_free_years * 12) as usize;
            let rows: Vec<_> = Schedule::new(t).unwrap().collect();
            if t.principal_ore > 0 {
                prop_assert_eq!(rows.len() as u32, t.term_years * 12);
                let repaying = &rows[free_months..rows.len() - 1];
                prop_assert!(repaying.iter().all(|r| r.instalment_ore == repaying[0].instalment_ore));
                let last = rows.last().unwrap().instalment_ore;
                prop_assert!(repaying.is_empty() || last >= repaying[0].instalment_ore);
            }
        }

        #[test]
        fn a_larger_loan_never_costs_less_a_month(t in any_terms(), extra in 1i64..=100_000_000) {
            let larger = LoanTerms { principal_ore: t.principal_ore + extra, ..t };
            let (a, b) = (summarize(t).unwrap(), summarize(larger).unwrap());
            prop_assert!(b.first_full_payment_ore >= a.first_full_payment_ore);
        }
    }
}
