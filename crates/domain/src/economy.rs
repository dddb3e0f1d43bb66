//! A household's registered economy: the incomes a caseworker has verified for each member, what
//! the bostøtte estimate and the outreach list start from.

use crate::PersonId;
use crate::bostotte::{IncomeKind, MAX_AMOUNT_KR};
use crate::validation::FieldError;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One income of a member, per year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisteredIncome {
    pub person_id: PersonId,
    pub kind: IncomeKind,
    /// Whole øre per year.
    pub annual_ore: i64,
}

/// Checks a household's incomes before they replace the registered ones: each belongs to a
/// member of the household, is within 0 and [`MAX_AMOUNT_KR`] kroner, and each member has a
/// kind of income once (the amounts of one kind are added up before they are registered).
/// Errors are named `incomes[i].person_id`, `incomes[i].annual_ore` and `incomes[i].kind`.
pub fn check_incomes(members: &[PersonId], incomes: &[RegisteredIncome]) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    for (i, income) in incomes.iter().enumerate() {
        if !members.contains(&income.person_id) {
            errors.push(FieldError::new(
                format!("incomes[{i}].person_id"),
                "not_a_member",
                "error.economy.not_a_member",
            ));
        }
        if !(0..=MAX_AMOUNT_KR * 100).contains(&income.annual_ore) {
            errors.push(FieldError::new(
                format!("incomes[{i}].annual_ore"),
                "invalid_amount",
                "error.economy.amount",
            ));
        }
        if incomes[..i]
            .iter()
            .any(|earlier| earlier.person_id == income.person_id && earlier.kind == income.kind)
        {
            errors.push(FieldError::new(
                format!("incomes[{i}].kind"),
                "duplicate",
                "error.economy.kind_duplicate",
            ));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(n: u128) -> PersonId {
        PersonId(uuid::Uuid::from_u128(n))
    }

    fn income(p: u128, kind: IncomeKind, kr: i64) -> RegisteredIncome {
        RegisteredIncome {
            person_id: person(p),
            kind,
            annual_ore: kr * 100,
        }
    }

    #[test]
    fn incomes_of_members_within_the_limits_pass() {
        let members = [person(1), person(2)];
        let incomes = [
            income(1, IncomeKind::Wages, 420_000),
            income(1, IncomeKind::Pension, 0),
            income(2, IncomeKind::Wages, MAX_AMOUNT_KR),
        ];
        assert_eq!(check_incomes(&members, &incomes), Ok(()));
        assert_eq!(check_incomes(&members, &[]), Ok(()));
    }

    #[test]
    fn each_problem_is_named_by_its_row_and_field() {
        let members = [person(1)];
        let cases = [
            (
                vec![income(2, IncomeKind::Wages, 1)],
                vec![("incomes[0].person_id", "not_a_member")],
            ),
            (
                vec![income(1, IncomeKind::Wages, -1)],
                vec![("incomes[0].annual_ore", "invalid_amount")],
            ),
            (
                vec![income(1, IncomeKind::Wages, MAX_AMOUNT_KR + 1)],
                vec![("incomes[0].annual_ore", "invalid_amount")],
            ),
            (
                vec![income(1, IncomeKind::Wages, 1), income(1, IncomeKind::Wages, 2)],
                vec![("incomes[1].kind", "duplicate")],
            ),
        ];
        for (incomes, expected) in cases {
            let expected: Vec<(String, &str)> = expected.into_iter().map(|(f, c)| (f.to_string(), c)).collect();
            assert_eq!(
                crate::validation::error_codes(check_incomes(&members, &incomes)),
                expected,
                "{incomes:?}"
            );
        }
    }
}
