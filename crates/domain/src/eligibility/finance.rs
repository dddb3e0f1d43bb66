//! The conditions of startlån and grant cases, listed like the housing rules so that the case
//! page and the decision letter explain them the same way. Most are the caseworker's judgement
//! (Husbanken's veiledere leave them to skjønn); the affordability test and the § 8-5 conditions
//! come from the calculation, and a tenant's adaptation needs the landlord's consent.

use super::assess::{Builder, RuleOutcome, StoredMessage, Wording, fact, kr, msg};
use crate::finance::MeansTestException;
use crate::finance::{CaseFinance, GrantCase, GrantType, StartlanCase, Tenure};
use crate::startlan::{AffordabilityResult, Condition, ConditionStatus};

/// Vergemålsloven § 2: a person of age (18) may take up a loan in their own name.
pub const AGE_OF_MAJORITY: i32 = 18;

fn ore_kr(ore: i64) -> String {
    kr(ore.div_euclid(100))
}

pub(super) fn adult_rule(b: &mut Builder<'_>, age: Option<i32>) {
    let age = age.unwrap_or(0);
    let met = age >= AGE_OF_MAJORITY;
    b.push(
        "age",
        vec![fact("eligibility.fact.applicant_age", age.to_string())],
        if met { RuleOutcome::Met } else { RuleOutcome::NotMet },
        if met {
            msg("eligibility.rule.age_of_majority.met")
        } else {
            msg("eligibility.rule.age_of_majority.not_met")
        },
    );
}

pub(super) fn missing_economy(b: &mut Builder<'_>) {
    b.push(
        "economy",
        Vec::new(),
        RuleOutcome::Manual,
        msg("eligibility.rule.economy.missing"),
    );
}

pub(super) fn startlan_rules(b: &mut Builder<'_>, case: &StartlanCase, result: Option<&AffordabilityResult>) {
    match case.exception {
        Some(exception) => b.push(
            "means_test",
            vec![fact("eligibility.fact.exception", exception_name(exception))],
            RuleOutcome::Met,
            msg("eligibility.rule.means_test.exception"),
        ),
        None => b.push(
            "means_test",
            Vec::new(),
            RuleOutcome::Manual,
            msg("eligibility.rule.means_test.startlan"),
        ),
    }
    match result {
        None => b.push(
            "affordability",
            Vec::new(),
            RuleOutcome::Manual,
            msg("eligibility.rule.affordability.not_calculated"),
        ),
        Some(r) => {
            let facts = vec![
                fact("eligibility.fact.loan", ore_kr(r.startlan.principal_ore)),
                fact("eligibility.fact.stress_rate", r.stress_rate.with_decimal_comma()),
                fact(
                    "eligibility.fact.monthly_payment",
                    ore_kr(r.startlan.monthly_payment_ore),
                ),
                fact("eligibility.fact.left_each_month", ore_kr(r.disposable_ore)),
            ];
            let left = ore_kr(r.disposable_ore);
            // A decimal comma in Norwegian, a point in English.
            let rate = r.stress_rate.with_decimal_comma();
            let max = ore_kr(r.max_affordable_startlan_ore);
            b.push(
                "affordability",
                facts,
                if r.affordable {
                    RuleOutcome::Met
                } else {
                    RuleOutcome::NotMet
                },
                if r.affordable {
                    msg("eligibility.rule.affordability.met")
                        .arg_decimal("rate", &rate)
                        .arg("left", left)
                } else {
                    msg("eligibility.rule.affordability.not_met")
                        .arg_decimal("rate", &rate)
                        .arg("short", ore_kr(-r.disposable_ore))
                        .arg("max", max)
                },
            );
            if let Some(conditions) = &r.extended_term {
                let unmet: Vec<_> = conditions
                    .iter()
                    .filter(|c| c.status == ConditionStatus::NotMet)
                    .collect();
                // Words, not symbols: the letters' font and screen readers both read them.
                let listed: Vec<StoredMessage> = conditions
                    .iter()
                    .map(|c| {
                        let status = match c.status {
                            ConditionStatus::Met => "eligibility.extended_term.status.met",
                            ConditionStatus::Waived => "eligibility.extended_term.status.waived",
                            ConditionStatus::NotMet => "eligibility.extended_term.status.not_met",
                        };
                        msg("eligibility.extended_term.listed")
                            .arg("letter", c.condition.letter())
                            .arg_key("condition", condition_key(c.condition))
                            .arg_key("status", status)
                    })
                    .collect();
                let years = r.startlan.term_years;
                b.push(
                    "extended_term",
                    vec![fact(
                        "eligibility.fact.extended_term_conditions",
                        msg("eligibility.list").arg_list("items", listed.clone()),
                    )],
                    if unmet.is_empty() {
                        RuleOutcome::Met
                    } else {
                        RuleOutcome::NotMet
                    },
                    if unmet.is_empty() {
                        msg("eligibility.rule.extended_term.met")
                    } else {
                        msg("eligibility.rule.extended_term.not_met")
                    }
                    .arg("years", years)
                    .arg_list("conditions", listed),
                );
            }
        }
    }
    b.push(
        "modest_dwelling",
        Vec::new(),
        RuleOutcome::Manual,
        msg("eligibility.rule.modest_dwelling.manual"),
    );
}

pub(super) fn grant_rules(b: &mut Builder<'_>, grant: &GrantCase) {
    let applied = kr(grant.applied_kr);
    let cost = kr(grant.cost_kr);
    let facts = vec![
        fact("eligibility.fact.purpose", grant.purpose.clone()),
        fact("eligibility.fact.cost", cost),
        fact("eligibility.fact.applied_for", applied),
    ];
    match grant.grant {
        GrantType::Establishment => {
            b.push(
                "means_test",
                facts,
                RuleOutcome::Manual,
                msg("eligibility.rule.means_test.establishment"),
            );
            if let Some(reference) = &grant.startlan_reference {
                b.push(
                    "startlan_combined",
                    vec![fact("eligibility.fact.startlan_case", reference.clone())],
                    RuleOutcome::Met,
                    msg("eligibility.rule.startlan_combined.met").arg("reference", reference),
                );
            }
        }
        GrantType::Adaptation => {
            b.push(
                "appropriateness",
                facts,
                RuleOutcome::Manual,
                msg("eligibility.rule.appropriateness.manual"),
            );
            if grant.tenure == Tenure::Tenant {
                b.push(
                    "landlord_consent",
                    Vec::new(),
                    if grant.landlord_consent {
                        RuleOutcome::Met
                    } else {
                        RuleOutcome::NotMet
                    },
                    if grant.landlord_consent {
                        msg("eligibility.rule.landlord_consent.met")
                    } else {
                        msg("eligibility.rule.landlord_consent.not_met")
                    },
                );
            }
            b.push(
                "means_test",
                Vec::new(),
                RuleOutcome::Manual,
                msg("eligibility.rule.means_test.adaptation"),
            );
        }
    }
}

/// The finance rules for a case of a finance type.
pub(super) fn finance_rules(
    b: &mut Builder<'_>,
    age: Option<i32>,
    finance: Option<&CaseFinance>,
    affordability: Option<&AffordabilityResult>,
) {
    adult_rule(b, age);
    match finance {
        None => missing_economy(b),
        Some(CaseFinance::Startlan(case)) => startlan_rules(b, case, affordability),
        Some(CaseFinance::Grant(grant)) => grant_rules(b, grant),
    }
}

/// An exception from the means test in words (forskrift om lån fra Husbanken § 5-4).
fn exception_name(exception: MeansTestException) -> Wording {
    let key = match exception {
        MeansTestException::ChildrenOrSpecialNeeds => "eligibility.exception.children_or_special_needs",
        MeansTestException::RefinancingToKeepHome => "eligibility.exception.refinancing_to_keep_home",
        MeansTestException::MunicipalTenant => "eligibility.exception.municipal_tenant",
        MeansTestException::Recruitment => "eligibility.exception.recruitment",
    };
    msg(key).into()
}

/// A condition of forskrift om lån fra Husbanken § 8-5 in words.
fn condition_key(condition: Condition) -> &'static str {
    match condition {
        Condition::LastingLowIncome => "eligibility.extended_term.condition.lasting_low_income",
        Condition::DwellingSuitsLongTerm => "eligibility.extended_term.condition.dwelling_suits_long_term",
        Condition::RentingUnsuitable => "eligibility.extended_term.condition.renting_unsuitable",
        Condition::ShorterTermNotResponsible => "eligibility.extended_term.condition.shorter_term_not_responsible",
    }
}
