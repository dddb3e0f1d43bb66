//! What a user asks of a grant's money, checked the same way from a page's form or the API: a
//! payment of a granted grant, and a grant's yearly allocation.

use super::{GrantType, MAX_GRANT_KR};
use crate::validation::{FieldError, MAX_TEXT_LEN, parse_date, parse_kr};
use time::Date;

/// Years a budget may be kept for.
pub const BUDGET_YEARS: std::ops::RangeInclusive<i32> = 2020..=2100;

/// A payment as typed: the amount in kroner, the day paid, a note (e.g. the invoice).
pub struct PaymentRequest<'a> {
    pub amount_kr: &'a str,
    pub paid_on: &'a str,
    pub note: &'a str,
}

/// A payment that passed [`check_payment_request`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    pub amount_ore: i64,
    pub paid_on: Date,
    pub note: String,
}

fn unreadable_amount(field: &str) -> FieldError {
    FieldError::new(field, "not_a_number", "error.finance.not_a_number")
}

/// The payment, or every problem with it (fields `amount_kr`, `paid_on`, `note`).
pub fn check_payment_request(request: &PaymentRequest<'_>) -> Result<Payment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let amount_ore = match parse_kr(request.amount_kr) {
        Some(kr) if kr > 0 && kr <= MAX_GRANT_KR => Some(kr * 100),
        Some(_) => {
            errors.push(FieldError::new(
                "amount_kr",
                "amount_out_of_range",
                "error.finance.amount_out_of_range",
            ));
            None
        }
        None => {
            errors.push(unreadable_amount("amount_kr"));
            None
        }
    };
    let paid_on = parse_date(request.paid_on);
    if paid_on.is_none() {
        errors.push(FieldError::invalid_date("paid_on"));
    }
    let note = request.note.trim();
    if note.chars().count() > MAX_TEXT_LEN {
        errors.push(FieldError::too_long("note", MAX_TEXT_LEN));
    }
    match (amount_ore, paid_on) {
        (Some(amount_ore), Some(paid_on)) if errors.is_empty() => Ok(Payment {
            amount_ore,
            paid_on,
            note: note.to_string(),
        }),
        _ => Err(errors),
    }
}

/// A grant's allocation for a year, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub grant: GrantType,
    pub year: i32,
    pub allocated_ore: i64,
    pub note: String,
}

/// The allocation form: the grant, the year, the amount in whole kroner, a note.
pub fn check_allocation(
    grant: &str,
    year: &str,
    allocated_kr: &str,
    note: &str,
) -> Result<Allocation, Vec<FieldError>> {
    let mut errors = Vec::new();
    let grant_type = GrantType::from_code(grant.trim());
    if grant_type.is_none() {
        let allowed: Vec<&str> = GrantType::ALL.iter().map(|g| g.code()).collect();
        errors.push(FieldError::unknown_value("grant", grant.trim(), &allowed));
    }
    let year = year.trim().parse::<i32>().ok().filter(|y| BUDGET_YEARS.contains(y));
    if year.is_none() {
        errors.push(
            FieldError::new("year", "invalid_year", "error.finance.invalid_year")
                .arg("first", BUDGET_YEARS.start())
                .arg("last", BUDGET_YEARS.end()),
        );
    }
    // A municipality's yearly frame may be many grants' worth: up to 100 × the largest grant.
    let amount = parse_kr(allocated_kr).filter(|kr| (0..=MAX_GRANT_KR * 100).contains(kr));
    if amount.is_none() {
        errors.push(FieldError::new(
            "allocated_kr",
            "not_a_number",
            "error.finance.allocation_not_a_number",
        ));
    }
    let note = note.trim();
    if note.chars().count() > MAX_TEXT_LEN {
        errors.push(FieldError::too_long("note", MAX_TEXT_LEN));
    }
    match (grant_type, year, amount) {
        (Some(grant), Some(year), Some(kr)) if errors.is_empty() => Ok(Allocation {
            grant,
            year,
            allocated_ore: kr * 100,
            note: note.to_string(),
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payment_needs_a_positive_amount_and_a_date() {
        let payment = check_payment_request(&PaymentRequest {
            amount_kr: "12 500",
            paid_on: "15.04.2026",
            note: " faktura ",
        })
        .unwrap();
        assert_eq!(
            (payment.amount_ore, payment.paid_on, payment.note.as_str()),
            (1_250_000, time::macros::date!(2026 - 04 - 15), "faktura")
        );
        let errors = check_payment_request(&PaymentRequest {
            amount_kr: "0",
            paid_on: "i går",
            note: "",
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [("amount_kr", "amount_out_of_range"), ("paid_on", "invalid_date")]
        );
        let errors = check_payment_request(&PaymentRequest {
            amount_kr: "mange",
            paid_on: "01.01.2026",
            note: "",
        })
        .unwrap_err();
        assert_eq!(errors[0].code, "not_a_number");
    }

    #[test]
    fn an_allocation_names_its_grant_year_and_amount() {
        assert_eq!(
            check_allocation("adaptation", "2026", "2 500 000", " Bystyret 12.12. "),
            Ok(Allocation {
                grant: GrantType::Adaptation,
                year: 2026,
                allocated_ore: 250_000_000,
                note: "Bystyret 12.12.".into()
            })
        );
        let errors = check_allocation("house", "1999", "mye", "").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["grant", "year", "allocated_kr"]);
        assert!(check_allocation("adaptation", "2026", "-5", "").is_err());
        assert_eq!(
            check_allocation("adaptation", "2026", "5", &"x".repeat(MAX_TEXT_LEN + 1)).unwrap_err()[0].field,
            "note"
        );
    }
}
