//! The outreach list: tenant households in municipal dwellings that likely qualify for bostøtte
//! but have none registered, with the estimated monthly amount.
//!
//! The store streams one [`TenancyFacts`] at a time; [`Outreach`] keeps only the households with
//! an estimate above zero (a few words each), so memory follows the number of candidates, not
//! the number of tenancies.

use schemars::JsonSchema;
use serde::Serialize;
use time::Date;

use super::estimate::age_at;
use super::input::IncomeKind;
use super::month_rules::{MonthRules, QuickHousehold, QuickMember};
use crate::HouseholdId;

/// Age from which a member with a pension income is treated as an old-age pensioner
/// (folketrygdloven § 19-2: alderspensjon can be taken from 62, and is universal from 67).
pub const OLD_AGE_PENSION_AGE: i32 = 67;

/// What the store knows about one active tenancy.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TenancyFacts {
    pub household_id: Option<HouseholdId>,
    /// Empty when the household's address is protected.
    pub address_line: String,
    pub address_protected: bool,
    pub monthly_rent_ore: i64,
    pub heating_included: bool,
    pub adapted_dwelling: bool,
    /// In household order; the first is the main applicant.
    pub members: Vec<MemberFacts>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberFacts {
    pub birth_date: Date,
    /// Registered yearly incomes, øre.
    pub incomes: Vec<(IncomeKind, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[schemars(rename = "OutreachCandidate")]
pub struct Candidate {
    pub household_id: HouseholdId,
    /// Empty when the household's address is protected.
    pub address_line: String,
    /// The household's address is protected (fortrolig or strengt fortrolig adresse).
    #[serde(default)]
    pub address_protected: bool,
    pub members: usize,
    pub monthly_rent_kr: i64,
    /// Counted income before weighting, kr per year.
    pub income_kr: i64,
    pub monthly_kr: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct OutreachList {
    pub month: crate::rules::YearMonth,
    /// Tenancies looked at (active, without bostøtte).
    pub examined: u64,
    /// Households with an estimate above zero, the largest amount first.
    pub candidates: Vec<Candidate>,
    pub total_monthly_kr: i64,
}

pub struct Outreach<'r> {
    rules: MonthRules<'r>,
    municipality_group: u8,
    examined: u64,
    candidates: Vec<Candidate>,
    members: Vec<QuickMember>,
}

impl<'r> Outreach<'r> {
    pub fn new(rules: MonthRules<'r>, municipality_number: &str) -> Self {
        let municipality_group = rules.municipality_group(municipality_number);
        Self {
            rules,
            municipality_group,
            examined: 0,
            candidates: Vec::new(),
            members: Vec::new(),
        }
    }

    /// Estimates one tenancy and keeps it if it likely qualifies.
    pub fn consider(&mut self, tenancy: &TenancyFacts) {
        self.examined += 1;
        let reference = self.rules.month().first_day();
        self.members.clear();
        let mut income_ore = 0;
        for (i, member) in tenancy.members.iter().enumerate() {
            let counted: i64 = member
                .incomes
                .iter()
                .filter(|(kind, _)| self.rules.counts(*kind))
                .map(|(_, ore)| ore)
                .sum();
            let age = age_at(member.birth_date, reference);
            if self.rules.counts_by_age(i, age) {
                income_ore += counted;
            }
            self.members.push(QuickMember {
                birth_date: member.birth_date,
                income_ore: counted,
                old_age_pensioner: age >= OLD_AGE_PENSION_AGE
                    && member.incomes.iter().any(|(kind, _)| *kind == IncomeKind::Pension),
            });
        }
        let monthly_kr = self.rules.quick_monthly(&QuickHousehold {
            members: &self.members,
            municipality_group: self.municipality_group,
            annual_rent_ore: tenancy.monthly_rent_ore.saturating_mul(12),
            heating_included: tenancy.heating_included,
            adapted_dwelling: tenancy.adapted_dwelling,
        });
        if let (true, Some(household_id)) = (monthly_kr > 0, tenancy.household_id) {
            self.candidates.push(Candidate {
                household_id,
                address_line: tenancy.address_line.clone(),
                address_protected: tenancy.address_protected,
                members: tenancy.members.len(),
                monthly_rent_kr: tenancy.monthly_rent_ore / 100,
                income_kr: income_ore / 100,
                monthly_kr,
            });
        }
    }

    pub fn finish(mut self) -> OutreachList {
        self.candidates.sort_by(|a, b| {
            b.monthly_kr
                .cmp(&a.monthly_kr)
                .then_with(|| a.address_line.cmp(&b.address_line))
        });
        OutreachList {
            month: self.rules.month(),
            examined: self.examined,
            total_monthly_kr: self.candidates.iter().map(|c| c.monthly_kr).sum(),
            candidates: self.candidates,
        }
    }
}

/// The month an outreach list is run for, as typed (`mm.yyyy` or `yyyy-mm`); empty is the month of `today`.
/// A month before the first rule table is refused: there is nothing to estimate with.
pub fn check_outreach_month(
    text: Option<&str>,
    today: Date,
) -> Result<crate::rules::YearMonth, crate::validation::FieldError> {
    use crate::rules::YearMonth;
    use crate::validation::FieldError;
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(YearMonth::of(today));
    };
    let first = super::BostotteRules::embedded().first_month();
    match text.parse::<YearMonth>() {
        Ok(month) if month >= first => Ok(month),
        Ok(_) => Err(FieldError::new("month", "no_rules", "error.bostotte.rules_from").arg("first", first)),
        Err(_) => Err(FieldError::new(
            "month",
            "invalid_month",
            "error.outreach.invalid_month",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outreach_month_is_typed_as_yyyy_mm_and_has_rules() {
        let today = time::macros::date!(2026 - 12 - 02);
        assert_eq!(check_outreach_month(None, today).unwrap().to_string(), "2026-12");
        assert_eq!(
            check_outreach_month(Some(" 2026-07 "), today).unwrap().to_string(),
            "2026-07"
        );
        assert_eq!(
            check_outreach_month(Some("2001-01"), today).unwrap_err().code,
            "no_rules"
        );
        assert_eq!(
            check_outreach_month(Some("juli"), today).unwrap_err().code,
            "invalid_month"
        );
    }
    use crate::bostotte::BostotteRules;
    use time::macros::date;

    fn tenancy(rent_kr: i64, income_kr: i64, birth: Date, kind: IncomeKind) -> TenancyFacts {
        TenancyFacts {
            household_id: Some(HouseholdId::new()),
            address_line: format!("Testveien {rent_kr}"),
            address_protected: false,
            monthly_rent_ore: rent_kr * 100,
            heating_included: true,
            adapted_dwelling: false,
            members: vec![MemberFacts {
                birth_date: birth,
                incomes: vec![(kind, income_kr * 100)],
            }],
        }
    }

    #[test]
    fn keeps_likely_recipients_largest_first() {
        let rules = MonthRules::new(BostotteRules::embedded(), "2026-07".parse().unwrap()).unwrap();
        let mut outreach = Outreach::new(rules, "3301");
        outreach.consider(&tenancy(9_000, 180_000, date!(1980 - 01 - 01), IncomeKind::Wages));
        outreach.consider(&tenancy(12_000, 180_000, date!(1980 - 01 - 01), IncomeKind::Wages));
        outreach.consider(&tenancy(12_000, 900_000, date!(1980 - 01 - 01), IncomeKind::Wages));
        outreach.consider(&tenancy(
            12_000,
            180_000,
            date!(1980 - 01 - 01),
            IncomeKind::Sosialhjelp,
        ));
        let list = outreach.finish();
        assert_eq!(list.examined, 4);
        let amounts: Vec<i64> = list.candidates.iter().map(|c| c.monthly_kr).collect();
        assert_eq!(amounts.len(), 3, "the high income does not qualify");
        assert!(amounts.windows(2).all(|w| w[0] >= w[1]), "{amounts:?}");
        assert_eq!(
            list.candidates[0].income_kr, 0,
            "social assistance does not count as income"
        );
        assert_eq!(list.total_monthly_kr, amounts.iter().sum::<i64>());
    }

    #[test]
    fn a_pension_from_67_counts_as_an_old_age_pension() {
        let rules = MonthRules::new(BostotteRules::embedded(), "2026-07".parse().unwrap()).unwrap();
        let mut outreach = Outreach::new(rules, "3301");
        outreach.consider(&tenancy(10_000, 260_000, date!(1950 - 05 - 01), IncomeKind::Pension));
        outreach.consider(&tenancy(10_000, 260_000, date!(1990 - 05 - 01), IncomeKind::Pension));
        let list = outreach.finish();
        assert_eq!(list.candidates.len(), 2);
        assert!(
            list.candidates[0].monthly_kr > list.candidates[1].monthly_kr,
            "the single old-age pensioner's thresholds are higher"
        );
    }
}
