//! The municipality's yearly grant budget as a ledger.
//!
//! Since 2020 the grants for establishment and adaptation are financed through the
//! municipality's own budget (rammetilskudd), so the housing office keeps its own account:
//! an allocation per grant and year, and a ledger of what happens to it. Sending a granted
//! decision **commits** its amount; a payment moves money from committed to **paid**; closing or
//! withdrawing a case, or a new decision replacing the old one, **releases** what was committed
//! and not paid. Every entry belongs to the budget year in which the grant was committed.
//!
//! Remaining = allocated − outstanding commitments − paid. It may go below zero: the budget is
//! the municipality's priority, not a legal limit on the applicant's rights, so over-commitment
//! is shown and warned about rather than forbidden.

use serde::{Deserialize, Serialize};

/// The municipal housing grants (forskrift om tilskudd til etablering og tilpasning av bolig).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GrantType {
    /// Tilskudd til etablering i egen bolig.
    Establishment,
    /// Tilskudd til tilpasning av bolig.
    Adaptation,
}

impl GrantType {
    pub const ALL: [GrantType; 2] = [GrantType::Establishment, GrantType::Adaptation];

    pub fn code(self) -> &'static str {
        match self {
            GrantType::Establishment => "establishment",
            GrantType::Adaptation => "adaptation",
        }
    }

    pub fn from_code(code: &str) -> Option<GrantType> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Committed,
    Paid,
    Released,
}

impl EntryKind {
    pub const ALL: [EntryKind; 3] = [EntryKind::Committed, EntryKind::Paid, EntryKind::Released];

    pub fn code(self) -> &'static str {
        match self {
            EntryKind::Committed => "committed",
            EntryKind::Paid => "paid",
            EntryKind::Released => "released",
        }
    }

    pub fn from_code(code: &str) -> Option<EntryKind> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// One ledger entry, in øre (always positive; the kind says which way it goes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub kind: EntryKind,
    pub amount_ore: i64,
}

/// Where a grant's budget stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Position {
    pub allocated_ore: i64,
    /// Committed by sent decisions and neither paid nor released.
    pub committed_ore: i64,
    pub paid_ore: i64,
    /// Committed once and later released (for the record; not part of remaining).
    pub released_ore: i64,
    /// allocated − committed − paid; negative when over-committed.
    pub remaining_ore: i64,
}

impl Position {
    pub fn over_committed(&self) -> bool {
        self.remaining_ore < 0
    }
}

/// Sums a ledger against an allocation.
pub fn position(allocated_ore: i64, entries: impl IntoIterator<Item = Entry>) -> Position {
    let (mut committed, mut paid, mut released) = (0i64, 0i64, 0i64);
    for entry in entries {
        match entry.kind {
            EntryKind::Committed => committed += entry.amount_ore,
            EntryKind::Paid => paid += entry.amount_ore,
            EntryKind::Released => released += entry.amount_ore,
        }
    }
    let outstanding = committed - paid - released;
    Position {
        allocated_ore,
        committed_ore: outstanding,
        paid_ore: paid,
        released_ore: released,
        remaining_ore: allocated_ore - outstanding - paid,
    }
}

/// What one case has committed and not yet paid or released.
pub fn outstanding(entries: impl IntoIterator<Item = Entry>) -> i64 {
    position(0, entries).committed_ore
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PaymentError {
    #[error("the amount must be more than 0")]
    NotPositive,
    #[error("the payment ({amount_ore} øre) is more than what is granted and not yet paid ({outstanding_ore} øre)")]
    MoreThanOutstanding { amount_ore: i64, outstanding_ore: i64 },
}

/// A payment may not exceed what the case has committed and not yet paid.
pub fn check_payment(outstanding_ore: i64, amount_ore: i64) -> Result<(), PaymentError> {
    if amount_ore <= 0 {
        Err(PaymentError::NotPositive)
    } else if amount_ore > outstanding_ore {
        Err(PaymentError::MoreThanOutstanding {
            amount_ore,
            outstanding_ore,
        })
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn e(kind: EntryKind, amount_ore: i64) -> Entry {
        Entry { kind, amount_ore }
    }

    #[test]
    fn a_year_in_the_ledger() {
        use EntryKind::*;
        // 1 000 000 kr allocated; three grants of 200 000, 150 000 and 100 000 kr; the first paid
        // in two parts, the third released when the case was withdrawn.
        let entries = [
            e(Committed, 20_000_000),
            e(Committed, 15_000_000),
            e(Committed, 10_000_000),
            e(Paid, 12_000_000),
            e(Paid, 8_000_000),
            e(Released, 10_000_000),
        ];
        let p = position(100_000_000, entries);
        assert_eq!(p.committed_ore, 15_000_000);
        assert_eq!(p.paid_ore, 20_000_000);
        assert_eq!(p.released_ore, 10_000_000);
        assert_eq!(p.remaining_ore, 65_000_000);
        assert!(!p.over_committed());
        assert!(position(10_000_000, entries).over_committed());
    }

    #[test]
    fn payments_are_checked_against_what_is_outstanding() {
        assert_eq!(check_payment(100, 100), Ok(()));
        assert_eq!(
            check_payment(100, 101),
            Err(PaymentError::MoreThanOutstanding {
                amount_ore: 101,
                outstanding_ore: 100
            })
        );
        assert_eq!(check_payment(100, 0), Err(PaymentError::NotPositive));
    }

    #[test]
    fn codes_round_trip() {
        for g in GrantType::ALL {
            assert_eq!(GrantType::from_code(g.code()), Some(g));
        }
        for k in EntryKind::ALL {
            assert_eq!(EntryKind::from_code(k.code()), Some(k));
        }
    }

    /// A case's life in the ledger: commit, some checked payments, maybe a release of the rest.
    fn case_entries() -> impl Strategy<Value = Vec<Entry>> {
        (
            1i64..10_000_000,
            prop::collection::vec(1i64..5_000_000, 0..5),
            any::<bool>(),
        )
            .prop_map(|(granted, payments, release)| {
                let mut entries = vec![e(EntryKind::Committed, granted)];
                for p in payments {
                    if check_payment(outstanding(entries.clone()), p).is_ok() {
                        entries.push(e(EntryKind::Paid, p));
                    }
                }
                let rest = outstanding(entries.clone());
                if release && rest > 0 {
                    entries.push(e(EntryKind::Released, rest));
                }
                entries
            })
    }

    proptest! {
        /// Whatever happens to checked cases: allocated = remaining + committed + paid, nothing
        /// is outstanding below zero, and paid never exceeds what was committed.
        #[test]
        fn the_budget_always_balances(allocated in 0i64..1_000_000_000, cases in prop::collection::vec(case_entries(), 0..20)) {
            let all: Vec<Entry> = cases.iter().flatten().copied().collect();
            let p = position(allocated, all.iter().copied());
            prop_assert_eq!(p.remaining_ore + p.committed_ore + p.paid_ore, allocated);
            prop_assert!(p.committed_ore >= 0);
            for case in &cases {
                let c = position(0, case.iter().copied());
                prop_assert!(c.committed_ore >= 0);
                let committed: i64 = case.iter().filter(|x| x.kind == EntryKind::Committed).map(|x| x.amount_ore).sum();
                prop_assert!(c.paid_ore <= committed);
            }
        }
    }
}
