//! Changing the rent during a contract (husleieloven chapter 4). The rent stands as agreed
//! unless it is changed in one of the ways the law allows, each with its own timing:
//!
//! - *Index adjustment* (§ 4-2): to follow the consumer price index, at the earliest one year
//!   after the rent was last set, with at least one month's written notice.
//! - *Market adjustment* (§ 4-3): to the going rent (*gjengs leie*), when the rent has stood for
//!   at least two years and six months, with at least six months' written notice.
//! - *Agreement* (§ 4-1): the parties agree a new rent; the note says what was agreed.
//! - *Correction*: a rent registered wrong is put right; the note says what was wrong.
//!
//! The law at <https://lovdata.no/lov/1999-03-26-17/KAPITTEL_4>. Not checked here: that an index
//! adjustment is no larger than the index's change (Husly holds no CPI series), and the
//! municipality's own rules for cost rent in municipal dwellings.

use time::Date;

use super::{MAX_MONTHLY_RENT_KR, coded_field, date_field, kr_field};
use crate::allocation::coded;
use crate::stays::add_months;
use crate::validation::{Errors, FieldError, has_forbidden_control};

/// Months between the rent last being set and an index adjustment (§ 4-2).
pub const INDEX_AFTER_MONTHS: u8 = 12;
/// Months of written notice for an index adjustment (§ 4-2).
pub const INDEX_NOTICE_MONTHS: u8 = 1;
/// Months the rent must have stood before a market adjustment (§ 4-3).
pub const MARKET_AFTER_MONTHS: u8 = 30;
/// Months of written notice for a market adjustment (§ 4-3).
pub const MARKET_NOTICE_MONTHS: u8 = 6;
/// How far ahead a change may be recorded.
pub const MAX_AHEAD_MONTHS: u8 = 12;

coded! {
    /// Why the rent changes.
    RentBasis {
        IndexAdjustment => "index_adjustment",
        MarketAdjustment => "market_adjustment",
        Agreement => "agreement",
        Correction => "correction",
    }
}

impl RentBasis {
    pub fn key(self) -> String {
        format!("tenancy.rent_basis.{}", self.code())
    }
}

/// A rent change as typed (dates `dd.mm.åååå` or `åååå-mm-dd`, the rent in kroner).
#[derive(Debug, Clone, Default)]
pub struct RentChangeInput<'a> {
    pub effective_from: &'a str,
    pub monthly_rent_kr: &'a str,
    pub basis: &'a str,
    pub notice_on: &'a str,
    pub note: &'a str,
}

/// A change that passed [`check_rent_change`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRentChange {
    pub effective_from: Date,
    pub monthly_rent_ore: i64,
    pub basis: RentBasis,
    pub notice_on: Option<Date>,
    pub note: Option<String>,
}

/// What the rules need of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RentContext {
    pub start: Date,
    /// The last day of the fixed term (none when indefinite).
    pub term_end: Option<Date>,
    /// The contract has ended.
    pub ended: bool,
    /// The rent as it will stand after every change already recorded.
    pub latest_rent_ore: i64,
    /// The day the rent was last set: the latest recorded change's day, else the contract's start.
    pub last_set_on: Date,
}

/// Checks a rent change against the contract: every problem at once, each named by its field.
pub fn check_rent_change(
    input: &RentChangeInput<'_>,
    contract: &RentContext,
    today: Date,
) -> Result<NewRentChange, Vec<FieldError>> {
    let mut errors = Errors::default();
    let effective = date_field(&mut errors, "effective_from", input.effective_from, true);
    let rent_kr = kr_field(&mut errors, "monthly_rent_kr", input.monthly_rent_kr, true);
    let basis = coded_field(
        &mut errors,
        "basis",
        input.basis,
        RentBasis::from_code,
        &RentBasis::codes(),
    );
    let notice = date_field(&mut errors, "notice_on", input.notice_on, false);
    let note = {
        let text = input.note.trim();
        if text.chars().count() > 500 {
            errors.push(FieldError::too_long("note", 500));
            None
        } else if has_forbidden_control(text) {
            errors.push(crate::validation::control_character("note"));
            None
        } else {
            (!text.is_empty()).then(|| text.to_string())
        }
    };
    let rent_ore = rent_kr.map(|kr| kr * 100);
    match rent_kr {
        Some(0) => errors.push(FieldError::new(
            "monthly_rent_kr",
            "rent_zero",
            "error.tenancy.rent_zero",
        )),
        Some(kr) if kr > MAX_MONTHLY_RENT_KR => errors.push(FieldError::new(
            "monthly_rent_kr",
            "amount_too_large",
            "error.amount_too_large",
        )),
        _ if rent_ore == Some(contract.latest_rent_ore) => errors.push(FieldError::new(
            "monthly_rent_kr",
            "rent.unchanged",
            "error.rent.unchanged",
        )),
        _ => {}
    }
    if contract.ended {
        errors.push(FieldError::new(
            "effective_from",
            "rent.contract_ended",
            "error.rent.contract_ended",
        ));
    } else if let Some(day) = effective {
        if day <= contract.last_set_on {
            errors.push(
                FieldError::new("effective_from", "rent.not_after_last", "error.rent.not_after_last")
                    .arg("date", crate::validation::format_date(contract.last_set_on)),
            );
        } else if contract.term_end.is_some_and(|end| day > end) {
            errors.push(FieldError::new(
                "effective_from",
                "rent.after_term",
                "error.rent.after_term",
            ));
        } else if day > add_months(today, MAX_AHEAD_MONTHS) {
            errors.push(FieldError::new(
                "effective_from",
                "rent.too_far_ahead",
                "error.rent.too_far_ahead",
            ));
        }
    }
    if let Some(n) = notice
        && n > today
    {
        errors.push(FieldError::new(
            "notice_on",
            "rent.notice_in_future",
            "error.rent.notice_in_future",
        ));
    }
    let timing = match basis {
        Some(RentBasis::IndexAdjustment) => Some((INDEX_AFTER_MONTHS, INDEX_NOTICE_MONTHS)),
        Some(RentBasis::MarketAdjustment) => Some((MARKET_AFTER_MONTHS, MARKET_NOTICE_MONTHS)),
        _ => None,
    };
    if let (Some((after, notice_months)), Some(day)) = (timing, effective) {
        if input.notice_on.trim().is_empty() {
            errors.push(FieldError::new(
                "notice_on",
                "rent.notice_required",
                "error.rent.notice_required",
            ));
        } else if let Some(n) = notice
            && day < add_months(n, notice_months)
        {
            errors.push(
                FieldError::new("effective_from", "rent.notice_too_short", "error.rent.notice_too_short")
                    .arg("months", notice_months)
                    .arg("date", crate::validation::format_date(add_months(n, notice_months))),
            );
        }
        let earliest = add_months(contract.last_set_on, after);
        if day < earliest && day > contract.last_set_on {
            errors.push(
                FieldError::new("effective_from", "rent.too_soon", "error.rent.too_soon")
                    .arg("months", after)
                    .arg("date", crate::validation::format_date(earliest)),
            );
        }
    }
    if matches!(basis, Some(RentBasis::Agreement | RentBasis::Correction))
        && note.is_none()
        && input.note.trim().is_empty()
    {
        errors.push(FieldError::new(
            "note",
            "rent.note_required",
            "error.rent.note_required",
        ));
    }
    match (effective, rent_ore, basis, errors.is_empty()) {
        (Some(effective_from), Some(monthly_rent_ore), Some(basis), true) => Ok(NewRentChange {
            effective_from,
            monthly_rent_ore,
            basis,
            notice_on: notice,
            note,
        }),
        _ => Err(errors.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 12 - 04);

    fn contract() -> RentContext {
        RentContext {
            start: date!(2024 - 03 - 01),
            term_end: Some(date!(2027 - 02 - 28)),
            ended: false,
            latest_rent_ore: 810_000,
            last_set_on: date!(2024 - 03 - 01),
        }
    }

    fn codes(input: &RentChangeInput<'_>, c: &RentContext) -> Vec<(String, &'static str)> {
        match check_rent_change(input, c, TODAY) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    #[test]
    fn rent_changes_by_table() {
        let index = RentChangeInput {
            effective_from: "01.01.2027",
            monthly_rent_kr: "8 400",
            basis: "index_adjustment",
            notice_on: "01.12.2026",
            note: "",
        };
        let ok = check_rent_change(&index, &contract(), TODAY).unwrap();
        assert_eq!((ok.monthly_rent_ore, ok.basis), (840_000, RentBasis::IndexAdjustment));
        // (what, input, contract, the errors expected as (field, code))
        type Case<'a> = (&'a str, RentChangeInput<'a>, RentContext, Vec<(&'a str, &'a str)>);
        let cases: Vec<Case> = vec![
            (
                "one month's notice: given 02.12, the first of January is a day short",
                RentChangeInput {
                    notice_on: "02.12.2026",
                    ..index.clone()
                },
                contract(),
                vec![("effective_from", "rent.notice_too_short")],
            ),
            (
                "an index adjustment a year after the last: 01.03.2026 set, 28.02.2027 is too soon",
                RentChangeInput {
                    effective_from: "28.02.2027",
                    ..index.clone()
                },
                RentContext {
                    last_set_on: date!(2026 - 03 - 01),
                    ..contract()
                },
                vec![("effective_from", "rent.too_soon")],
            ),
            (
                "the index adjustment needs its notice",
                RentChangeInput {
                    notice_on: "",
                    ..index.clone()
                },
                contract(),
                vec![("notice_on", "rent.notice_required")],
            ),
            (
                "market rent after 2½ years with six months' notice: 01.06.2026 to 01.12.2026 is enough",
                RentChangeInput {
                    effective_from: "01.12.2026",
                    basis: "market_adjustment",
                    notice_on: "01.06.2026",
                    ..index.clone()
                },
                contract(),
                vec![],
            ),
            (
                "market rent before 2½ years",
                RentChangeInput {
                    effective_from: "01.12.2026",
                    basis: "market_adjustment",
                    notice_on: "01.06.2026",
                    ..index.clone()
                },
                RentContext {
                    last_set_on: date!(2024 - 06 - 02),
                    ..contract()
                },
                vec![("effective_from", "rent.too_soon")],
            ),
            (
                "an agreement needs its note, not a notice",
                RentChangeInput {
                    basis: "agreement",
                    notice_on: "",
                    ..index.clone()
                },
                contract(),
                vec![("note", "rent.note_required")],
            ),
            (
                "not after the fixed term",
                RentChangeInput {
                    effective_from: "01.03.2027",
                    basis: "correction",
                    note: "Feil tast",
                    ..index.clone()
                },
                contract(),
                vec![("effective_from", "rent.after_term")],
            ),
            (
                "not on or before the day the rent was last set",
                RentChangeInput {
                    effective_from: "01.03.2024",
                    basis: "correction",
                    note: "Feil tast",
                    ..index.clone()
                },
                contract(),
                vec![("effective_from", "rent.not_after_last")],
            ),
            (
                "the same rent is no change; a notice cannot be in the future",
                RentChangeInput {
                    monthly_rent_kr: "8 100",
                    notice_on: "05.12.2026",
                    ..index.clone()
                },
                contract(),
                vec![
                    ("monthly_rent_kr", "rent.unchanged"),
                    ("notice_on", "rent.notice_in_future"),
                    ("effective_from", "rent.notice_too_short"),
                ],
            ),
            (
                "an ended contract",
                index.clone(),
                RentContext {
                    ended: true,
                    ..contract()
                },
                vec![("effective_from", "rent.contract_ended")],
            ),
            (
                "everything missing",
                RentChangeInput::default(),
                contract(),
                vec![
                    ("effective_from", "required"),
                    ("monthly_rent_kr", "required"),
                    ("basis", "required"),
                ],
            ),
            (
                "leap year: set 29.02.2024, the index adjustment is allowed from 28.02.2025",
                RentChangeInput {
                    effective_from: "28.02.2025",
                    notice_on: "28.01.2025",
                    ..index.clone()
                },
                RentContext {
                    start: date!(2024 - 02 - 29),
                    last_set_on: date!(2024 - 02 - 29),
                    term_end: None,
                    ..contract()
                },
                vec![],
            ),
        ];
        for (what, input, c, expected) in cases {
            let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
            assert_eq!(codes(&input, &c), expected, "{what}");
        }
    }
}
