//! The case's assessment as of a day: the municipality's eligibility rules applied to the
//! household and the application, with the caseworker's overrides, and for a startlån the
//! affordability test.

use husly_domain::MunicipalityId;
use husly_domain::eligibility::{Assessment, EligibilityRules, Facts, Member, assess};
use husly_domain::finance::CaseFinance;
use husly_domain::rules::YearMonth;
use husly_domain::startlan::{AffordabilityResult, ReferenceBudget, StartlanRules};

use super::CaseFile;
use crate::{Ctx, UseCaseResult};
use husly_store::cases::Case;
use husly_store::households::Household;
use time::Date;

/// How long an approval on the waiting list lasts in the municipality (months).
pub fn validity_months(number: &str, today: Date) -> u32 {
    EligibilityRules::embedded()
        .allocation_rules(number, YearMonth::of(today))
        .map(|p| p.values.validity_months)
        .unwrap_or(12)
}

pub fn members_of(household: &Household) -> Vec<Member> {
    household
        .members
        .iter()
        .map(|m| Member {
            birth_date: m.person.birth_date,
            relation: m.relation,
        })
        .collect()
}

/// A startlån case's affordability test, from its recorded economy, with the municipality's
/// reference budget in force (see [`reference_budget_for`]).
pub fn affordability_of(case: &Case, reference: Option<&ReferenceBudget>) -> Option<AffordabilityResult> {
    match &case.finance {
        Some(CaseFinance::Startlan(s)) => {
            husly_domain::startlan::assess_with_reference(&s.affordability, StartlanRules::embedded(), reference).ok()
        }
        _ => None,
    }
}

/// For a startlån case: the municipality's reference budget in force in the month its economy is
/// assessed for. Municipal rule data, no personal data: the caller has authorised the case.
pub async fn reference_budget_for(
    ctx: &Ctx,
    municipality: MunicipalityId,
    case: &Case,
) -> UseCaseResult<Option<ReferenceBudget>> {
    match &case.finance {
        Some(CaseFinance::Startlan(s)) => {
            crate::reference_budget::in_force(&ctx.store, municipality, s.affordability.month).await
        }
        _ => Ok(None),
    }
}

/// The assessment as of `today` (or the day received, if later), with the case's overrides.
pub fn assessment_of(file: &CaseFile, today: Date) -> Option<Assessment> {
    let affordability = affordability_of(&file.case, file.reference_budget.as_ref());
    assessment_with(&file.case, &file.household, &file.number, today, affordability.as_ref())
}

/// [`assessment_of`] with the case's affordability already calculated.
pub fn assessment_with(
    case: &Case,
    household: &Household,
    number: &str,
    today: Date,
    affordability: Option<&AffordabilityResult>,
) -> Option<Assessment> {
    let members = members_of(household);
    assess(
        EligibilityRules::embedded(),
        &Facts {
            case_type: case.case_type,
            municipality_number: number,
            date: today.max(case.received_on),
            members: &members,
            form: &case.form,
            finance: case.finance.as_ref(),
            affordability,
        },
        &case.overrides,
    )
    .ok()
}

/// What a proposed decision keeps of the assessment: the rules and, for a startlån, the
/// affordability test as calculated when proposed.
pub fn assessment_snapshot(file: &CaseFile, today: Date) -> serde_json::Value {
    let affordability = affordability_of(&file.case, file.reference_budget.as_ref());
    let mut snapshot = assessment_with(&file.case, &file.household, &file.number, today, affordability.as_ref())
        .map(|a| serde_json::to_value(a).unwrap_or_default())
        .unwrap_or_default();
    if let (Some(result), serde_json::Value::Object(map)) = (affordability, &mut snapshot) {
        map.insert("affordability".into(), serde_json::to_value(result).unwrap_or_default());
    }
    snapshot
}

/// The rules of the case's assessment, which the caseworker may override.
pub fn rule_codes(assessment: Option<&Assessment>) -> Vec<&str> {
    assessment
        .map(|a| a.results.iter().map(|r| r.rule.as_str()).collect())
        .unwrap_or_default()
}
