//! The conditions of startlån and grant cases, listed like the housing rules so that the case
//! page and the decision letter explain them the same way. Most are the caseworker's judgement
//! (Husbanken's veiledere leave them to skjønn); the affordability test and the § 8-5 conditions
//! come from the calculation, and a tenant's adaptation needs the landlord's consent.

use super::assess::{Builder, RuleOutcome, Text, fact, kr, text};
use crate::finance::MeansTestException;
use crate::finance::{CaseFinance, GrantCase, GrantType, StartlanCase, Tenure};
use crate::startlan::{AffordabilityResult, ConditionStatus};

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
        text("Myndig søker", "Myndig søkjar", "Applicant of age"),
        vec![fact(
            "Søkerens alder",
            "Alderen til søkjaren",
            "Applicant's age",
            age.to_string(),
        )],
        if met { RuleOutcome::Met } else { RuleOutcome::NotMet },
        if met {
            text(
                "Søkeren er myndig og kan ta opp lån og få tilskudd i eget navn.",
                "Søkjaren er myndig og kan ta opp lån og få tilskot i eige namn.",
                "The applicant is of age and can take up a loan or receive a grant in their own name.",
            )
        } else {
            text(
                "Søkeren er under 18 år og kan ikke ta opp lån i eget navn (vergemålsloven § 2).",
                "Søkjaren er under 18 år og kan ikkje ta opp lån i eige namn (vergemålslova § 2).",
                "The applicant is under 18 and cannot take up a loan in their own name (Guardianship Act § 2).",
            )
        },
    );
}

pub(super) fn missing_economy(b: &mut Builder<'_>) {
    b.push(
        "economy",
        text("Økonomi", "Økonomi", "Economy"),
        Vec::new(),
        RuleOutcome::Manual,
        text(
            "Økonomien i saken er ikke registrert ennå.",
            "Økonomien i saka er ikkje registrert enno.",
            "The case's economy has not been recorded yet.",
        ),
    );
}

pub(super) fn startlan_rules(b: &mut Builder<'_>, case: &StartlanCase, result: Option<&AffordabilityResult>) {
    match case.exception {
        Some(exception) => b.push(
            "means_test",
            text("Behovsprøving", "Behovsprøving", "Means test"),
            vec![fact("Unntak", "Unntak", "Exception", exception_name(exception))],
            RuleOutcome::Met,
            text(
                "Husstanden faller inn under et unntak i forskriften § 5-4; langvarige finansieringsproblemer og sparemuligheter trenger ikke vurderes.",
                "Hushaldet fell inn under eit unntak i forskrifta § 5-4; langvarige finansieringsproblem og sparemoglegheiter treng ikkje vurderast.",
                "The household falls under an exception in § 5-4 of the regulation; long-term financing problems and saving possibilities need not be assessed.",
            ),
        ),
        None => b.push(
            "means_test",
            text("Behovsprøving", "Behovsprøving", "Means test"),
            Vec::new(),
            RuleOutcome::Manual,
            text(
                "Vurder om husstanden har langvarige problemer med å finansiere egen bolig, og om den har utnyttet sine sparemuligheter (forskriften § 5-4).",
                "Vurder om hushaldet har langvarige problem med å finansiere eigen bustad, og om det har nytta sparemoglegheitene sine (forskrifta § 5-4).",
                "Assess whether the household has long-term problems financing its own home and has used its saving possibilities (§ 5-4 of the regulation).",
            ),
        ),
    }
    match result {
        None => b.push(
            "affordability",
            text("Betjeningsevne", "Beteningsevne", "Ability to service the loan"),
            Vec::new(),
            RuleOutcome::Manual,
            text(
                "Betjeningsevnen er ikke beregnet.",
                "Betjeningsevna er ikkje rekna ut.",
                "The ability to service the loan has not been calculated.",
            ),
        ),
        Some(r) => {
            let facts = vec![
                fact("Lån", "Lån", "Loan", ore_kr(r.startlan.principal_ore)),
                fact(
                    "Rente i stresstest",
                    "Rente i stresstest",
                    "Stress-test rate",
                    r.stress_rate.with_decimal_comma(),
                ),
                fact(
                    "Terminbeløp per måned",
                    "Terminbeløp per månad",
                    "Monthly payment",
                    ore_kr(r.startlan.monthly_payment_ore),
                ),
                fact(
                    "Til disposisjon per måned",
                    "Til disposisjon per månad",
                    "Left each month",
                    ore_kr(r.disposable_ore),
                ),
            ];
            let left = ore_kr(r.disposable_ore);
            // A decimal comma in Norwegian, a point in English.
            let (rate, rate_en) = (r.stress_rate.with_decimal_comma(), r.stress_rate.to_string());
            let max = ore_kr(r.max_affordable_startlan_ore);
            b.push(
                "affordability",
                text("Betjeningsevne", "Beteningsevne", "Ability to service the loan"),
                facts,
                if r.affordable {
                    RuleOutcome::Met
                } else {
                    RuleOutcome::NotMet
                },
                if r.affordable {
                    text(
                        format!(
                            "Med renten i stresstesten ({rate}) har husstanden {left} igjen hver måned etter levekostnader, faste utgifter og lån."
                        ),
                        format!(
                            "Med renta i stresstesten ({rate}) har hushaldet {left} att kvar månad etter levekostnadar, faste utgifter og lån."
                        ),
                        format!(
                            "At the stress-test rate ({rate_en}) the household has {left} left each month after living costs, fixed costs and loans."
                        ),
                    )
                } else {
                    text(
                        format!(
                            "Med renten i stresstesten ({rate}) mangler husstanden {} hver måned. Husstanden kan betjene et startlån på inntil {max}.",
                            ore_kr(-r.disposable_ore)
                        ),
                        format!(
                            "Med renta i stresstesten ({rate}) manglar hushaldet {} kvar månad. Hushaldet kan betene eit startlån på inntil {max}.",
                            ore_kr(-r.disposable_ore)
                        ),
                        format!(
                            "At the stress-test rate ({rate_en}) the household is {} short each month. It can service a start loan of up to {max}.",
                            ore_kr(-r.disposable_ore)
                        ),
                    )
                },
            );
            if let Some(conditions) = &r.extended_term {
                let unmet: Vec<_> = conditions
                    .iter()
                    .filter(|c| c.status == ConditionStatus::NotMet)
                    .collect();
                // Words, not symbols: the letters' font and screen readers both read them.
                let listed = |f: fn(crate::startlan::Condition) -> &'static str, words: [&str; 3]| {
                    conditions
                        .iter()
                        .map(|c| {
                            let status = match c.status {
                                ConditionStatus::Met => words[0],
                                ConditionStatus::Waived => words[1],
                                ConditionStatus::NotMet => words[2],
                            };
                            format!("{}) {} ({status})", c.condition.letter(), f(c.condition))
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                const NB: [&str; 3] = ["oppfylt", "unntak gjelder", "ikke oppfylt"];
                const NN: [&str; 3] = ["oppfylt", "unntak gjeld", "ikkje oppfylt"];
                const EN: [&str; 3] = ["met", "waived", "not met"];
                let years = r.startlan.term_years;
                b.push(
                    "extended_term",
                    text(
                        "Nedbetalingstid over 30 år",
                        "Nedbetalingstid over 30 år",
                        "Term over 30 years",
                    ),
                    vec![fact("Vilkår i § 8-5", "Vilkår i § 8-5", "Conditions of § 8-5", text(
                            listed(crate::startlan::Condition::text_nb, NB),
                            listed(crate::startlan::Condition::text_nn, NN),
                            listed(crate::startlan::Condition::text_en, EN),
                        ))],
                    if unmet.is_empty() {
                        RuleOutcome::Met
                    } else {
                        RuleOutcome::NotMet
                    },
                    if unmet.is_empty() {
                        text(
                            format!(
                                "Vilkårene for {years} års nedbetalingstid er oppfylt eller gjelder ikke for husstanden: {}.",
                                listed(crate::startlan::Condition::text_nb, NB)
                            ),
                            format!(
                                "Vilkåra for {years} års nedbetalingstid er oppfylte eller gjeld ikkje for hushaldet: {}.",
                                listed(crate::startlan::Condition::text_nn, NN)
                            ),
                            format!(
                                "The conditions for a {years}-year term are met or do not apply to the household: {}.",
                                listed(crate::startlan::Condition::text_en, EN)
                            ),
                        )
                    } else {
                        text(
                            format!(
                                "Vilkårene for {years} års nedbetalingstid er ikke oppfylt: {}.",
                                listed(crate::startlan::Condition::text_nb, NB)
                            ),
                            format!(
                                "Vilkåra for {years} års nedbetalingstid er ikkje oppfylte: {}.",
                                listed(crate::startlan::Condition::text_nn, NN)
                            ),
                            format!(
                                "The conditions for a {years}-year term are not met: {}.",
                                listed(crate::startlan::Condition::text_en, EN)
                            ),
                        )
                    },
                );
            }
        }
    }
    b.push(
        "modest_dwelling",
        text("Nøktern bolig", "Nøktern bustad", "Modest dwelling"),
        Vec::new(),
        RuleOutcome::Manual,
        text(
            "Vurder om boligen er nøktern og rimelig sammenlignet med boliger i kommunen, og egnet for husstanden.",
            "Vurder om bustaden er nøktern og rimeleg samanlikna med bustader i kommunen, og eigna for hushaldet.",
            "Assess whether the dwelling is modest, reasonably priced for the municipality and suitable for the household.",
        ),
    );
}

pub(super) fn grant_rules(b: &mut Builder<'_>, grant: &GrantCase) {
    let applied = kr(grant.applied_kr);
    let cost = kr(grant.cost_kr);
    let facts = vec![
        fact("Formål", "Føremål", "Purpose", grant.purpose.clone()),
        fact("Kostnad", "Kostnad", "Cost", cost),
        fact("Omsøkt beløp", "Omsøkt beløp", "Applied for", applied),
    ];
    match grant.grant {
        GrantType::Establishment => {
            b.push(
                "means_test",
                text("Behovsprøving", "Behovsprøving", "Means test"),
                facts,
                RuleOutcome::Manual,
                text(
                    "Tilskudd til etablering er streng behovsprøvd: vurder om husstanden ikke kan skaffe seg egnet bolig med startlån alene, og om lengre nedbetalingstid på startlånet er fullt utnyttet.",
                    "Tilskot til etablering er strengt behovsprøvd: vurder om hushaldet ikkje kan skaffe seg eigna bustad med startlån åleine, og om lengre nedbetalingstid på startlånet er fullt utnytta.",
                    "The establishment grant is strictly means-tested: assess whether the household cannot obtain a suitable home with a start loan alone, and whether a longer startlån term is fully used.",
                ),
            );
            if let Some(reference) = &grant.startlan_reference {
                b.push(
                    "startlan_combined",
                    text(
                        "Sammen med startlån",
                        "Saman med startlån",
                        "Combined with a start loan",
                    ),
                    vec![fact(
                        "Startlånsak",
                        "Startlånssak",
                        "Start loan case",
                        reference.clone(),
                    )],
                    RuleOutcome::Met,
                    text(
                        format!("Tilskuddet kommer i tillegg til startlånet i sak {reference}."),
                        format!("Tilskotet kjem i tillegg til startlånet i sak {reference}."),
                        format!("The grant tops up the start loan in case {reference}."),
                    ),
                );
            }
        }
        GrantType::Adaptation => {
            b.push(
                "appropriateness",
                text("Formålstjenlig tilpasning", "Føremålstenleg tilpassing", "Appropriate adaptation"),
                facts,
                RuleOutcome::Manual,
                text(
                    "Vurder om tilpasningen gjør boligen egnet for en person med funksjonsnedsettelse eller en eldre, og om den er formålstjenlig.",
                    "Vurder om tilpassinga gjer bustaden eigna for ein person med funksjonsnedsetjing eller ein eldre, og om ho er føremålstenleg.",
                    "Assess whether the adaptation makes the dwelling suitable for a person with a disability or an older person, and whether it is appropriate.",
                ),
            );
            if grant.tenure == Tenure::Tenant {
                b.push(
                    "landlord_consent",
                    text("Samtykke fra utleier", "Samtykke frå utleigar", "Landlord's consent"),
                    Vec::new(),
                    if grant.landlord_consent {
                        RuleOutcome::Met
                    } else {
                        RuleOutcome::NotMet
                    },
                    if grant.landlord_consent {
                        text(
                            "Utleieren har samtykket til tilpasningen.",
                            "Utleigaren har samtykt til tilpassinga.",
                            "The landlord has consented to the adaptation.",
                        )
                    } else {
                        text(
                            "En leietaker må ha utleierens samtykke til tilpasningen.",
                            "Ein leigetakar må ha samtykket til utleigaren for tilpassinga.",
                            "A tenant needs the landlord's consent to the adaptation.",
                        )
                    },
                );
            }
            b.push(
                "means_test",
                text("Behovsprøving", "Behovsprøving", "Means test"),
                Vec::new(),
                RuleOutcome::Manual,
                text(
                    "Vurder husstandens økonomi: kan den dekke tilpasningen selv, helt eller delvis?",
                    "Vurder økonomien til hushaldet: kan det dekkje tilpassinga sjølv, heilt eller delvis?",
                    "Assess the household's economy: can it cover the adaptation itself, wholly or partly?",
                ),
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
fn exception_name(exception: MeansTestException) -> Text {
    match exception {
        MeansTestException::ChildrenOrSpecialNeeds => text(
            "barnefamilie eller særlige sosiale eller helsemessige utfordringer",
            "barnefamilie eller særlege sosiale eller helsemessige utfordringar",
            "family with children, or special social or health challenges",
        ),
        MeansTestException::RefinancingToKeepHome => text(
            "refinansiering for å beholde boligen",
            "refinansiering for å halde på bustaden",
            "refinancing to keep the home",
        ),
        MeansTestException::MunicipalTenant => text(
            "leier kommunal bolig",
            "leiger kommunal bustad",
            "rents a municipal dwelling",
        ),
        MeansTestException::Recruitment => text(
            "rekruttering av arbeidskraft i distriktskommuner",
            "rekruttering av arbeidskraft i distriktskommunar",
            "recruiting labour in rural municipalities",
        ),
    }
}
