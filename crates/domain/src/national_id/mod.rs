//! Norwegian national identity numbers: fødselsnummer and D-nummer.
//!
//! # Sources
//!
//! - Skatteetaten, *folkeregisteret-api-dokumentasjon*, `src/om-tjenestene/nyttfnr2032.md`
//!   ("Nytt fødselsnummer fra 2032"): check-digit weights and the 2032 rule, and the statement
//!   that gender and century can no longer be read from new numbers.
//! - Skatteetaten's reference validator `foedselsEllerDNummerValidator.js` in the same
//!   repository (`docs/dokumenter/foedselsEllerDNummerValidator/`): the remainder form of the
//!   check, D-number and synthetic (month + 80) offsets, and the leap-year handling.
//! - Direktoratet for e-helse (now part of Helsedirektoratet), *Identifikatorer for
//!   personer*: D-, H- and FH-numbers.
//!
//! # Structure
//!
//! `DDMMYY` + individnummer (3 digits) + check digits k1 and k2.
//!
//! - **Check digits (mod 11).** k1 weights `3 7 6 1 8 9 4 5 2` over digits 1–9, k2 weights
//!   `5 4 3 2 7 6 5 4 3 2` over digits 1–10. In validation form, `(Σ w·d + k) mod 11` must be 0.
//!   Numbers issued from 1 January 2032 may have a k1 remainder of 0, 1, 2 or 3; systems must
//!   accept both rules from now on. k2 is unchanged. The published formula
//!   `k1 = {11,12,13,14} − (Σ mod 11)` is read modulo 11 (11 means 0, as in the classic rule),
//!   which is what the reference validator does.
//! - **D-nummer:** day + 40 (first digit 4–7).
//! - **Synthetic test numbers:** month + 80 (Skatteetaten's Test-Norge / Tenor) and month + 40
//!   (Nav's Dolly, the same pattern as health-sector H-numbers). Accepted only with
//!   [`SyntheticPolicy::Allow`].
//! - **FH-numbers** (first digit 8 or 9) are not fødselsnummer and are refused.
//! - **Dates:** after removing the offsets, DDMMYY must be a real date. Where the century is
//!   known (see below) the real year decides 29 February (29.02.1900 is refused); otherwise
//!   the year 20YY is used, as in the reference validator. That accepts 29 February exactly
//!   when some century has it (YY divisible by 4).
//!
//! # What we read from a number
//!
//! Gender is never exposed: 2032-rule numbers are gender-neutral, and we have no use for it.
//! The birth date ([`ParsedId::birth_date`]) is only given where the number states it
//! reliably: a classic-rule fødselsnummer (synthetic or not) whose individnummer falls in a
//! century series. D-numbers (unreliable century since August 2021) and 2032-rule numbers
//! (the individnummer no longer gives the century) give only [`ParsedId::day_month`].
//!
//! Century series (the standard algorithm, in this order): individnummer 000–499 → 1900s;
//! 500–749 with YY ≥ 54 → 1800s; 500–999 with YY ≤ 39 → 2000s; 900–999 with YY ≥ 40 →
//! 1900s; anything else → no birth date.

mod check;
mod error;
mod generate;
mod parse;
#[cfg(test)]
mod proptests;

use serde::{Deserialize, Serialize};
use std::fmt;

pub use error::IdError;
pub use generate::{synthetic_tenor, synthetic_tenor_next};
pub use parse::parse;

/// A syntactically valid identity number: exactly 11 ASCII digits, without separators.
///
/// Only [`parse`], the generators and [`NationalId::from_trusted_digits`] create one.
/// `Debug` is redacted so that a stray `{:?}` in a log line does not leak the number;
/// use `Display` or [`NationalId::as_str`] where the digits are really needed.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct NationalId(String);

impl NationalId {
    /// Wraps digits read back from our own database, which were validated when stored.
    /// Checks only the shape (11 ASCII digits), not check digits or policy, so that a
    /// change of rules never makes stored rows unreadable.
    pub fn from_trusted_digits(digits: &str) -> Option<Self> {
        let shape_ok = digits.len() == 11 && digits.bytes().all(|b| b.is_ascii_digit());
        shape_ok.then(|| Self(digits.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    fn from_digits(digits: &[u8; 11]) -> Self {
        Self(digits.iter().map(|&d| char::from(b'0' + d % 10)).collect())
    }
}

impl fmt::Display for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for NationalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NationalId(<redacted>)")
    }
}

impl AsRef<str> for NationalId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Which kind of number it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    Fodselsnummer,
    DNummer,
}

impl IdKind {
    /// The stable code, also the catalogue key `id_kind.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            IdKind::Fodselsnummer => "fodselsnummer",
            IdKind::DNummer => "d_nummer",
        }
    }
}

/// The source of a synthetic (test) number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SyntheticKind {
    /// Month + 80: Skatteetaten's Test-Norge, searchable in Tenor.
    Tenor,
    /// Month + 40: Nav's Dolly (the pattern health-sector H-numbers also use).
    Nav,
}

impl SyntheticKind {
    /// The stable code, also the catalogue key `synthetic_source.<code>`.
    pub fn code(&self) -> &'static str {
        match self {
            SyntheticKind::Tenor => "tenor",
            SyntheticKind::Nav => "nav",
        }
    }
}

/// The day from which new numbers may be issued whose digits do not tell the century.
pub const NUMBERS_WITHOUT_CENTURY_FROM: time::Date = time::macros::date!(2032 - 01 - 01);

/// Which check-digit rule the first check digit satisfied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckDigitRule {
    /// k1 remainder 0: every number issued before 2032.
    Classic,
    /// k1 remainder 1, 2 or 3: only possible for numbers issued from 1 January 2032.
    From2032,
}

/// Whether synthetic test numbers are accepted. Only demo and test installations allow them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SyntheticPolicy {
    Allow,
    #[default]
    Reject,
}

/// The result of a successful [`parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedId {
    pub id: NationalId,
    pub kind: IdKind,
    pub synthetic: Option<SyntheticKind>,
    pub rule: CheckDigitRule,
    day: u8,
    month: u8,
    birth_date: Option<time::Date>,
}

impl ParsedId {
    /// The birth date, only where the number states it reliably (see the module docs):
    /// classic-rule fødselsnummer, including synthetic ones, with a known century.
    pub fn birth_date(&self) -> Option<time::Date> {
        self.birth_date
    }

    /// The birth date as far as the number can tell it on `today`. Numbers issued from 1 January
    /// 2032 no longer encode the century, also when their first check digit has the classic
    /// remainder 0 (Skatteetaten, "Nytt fødselsnummer fra 2032"), and nothing in a number says
    /// when it was issued: from that day, only the birth date registered with the person counts.
    pub fn birth_date_on(&self, today: time::Date) -> Option<time::Date> {
        self.birth_date.filter(|_| today < NUMBERS_WITHOUT_CENTURY_FROM)
    }

    /// `(day, month)` with the D-number and synthetic offsets removed. Always a valid
    /// calendar day and month, so callers can cross-check a birth date typed by the user.
    pub fn day_month(&self) -> (u8, u8) {
        (self.day, self.month)
    }
}
