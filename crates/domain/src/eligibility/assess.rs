//! The automatic eligibility assessment: every rule, the facts it used and its result, with the
//! caseworker's overrides on top. Pure: the caller passes the date and all facts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::rules::{AllocationRules, EligibilityRules};
use crate::bostotte::age_at;
use crate::cases::application::{ApplicationForm, CurrentHousing, Reason};
use crate::cases::workflow::CaseType;
use crate::household::Relation;
use crate::rules::{Period, RuleError, Trace, UsedValue, YearMonth};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleOutcome {
    Met,
    NotMet,
    /// The rule needs the caseworker's judgement (skjønn) or a missing fact.
    Manual,
    NotApplicable,
}

impl RuleOutcome {
    pub fn code(self) -> &'static str {
        match self {
            RuleOutcome::Met => "met",
            RuleOutcome::NotMet => "not_met",
            RuleOutcome::Manual => "manual",
            RuleOutcome::NotApplicable => "not_applicable",
        }
    }

    pub fn from_code(code: &str) -> Option<RuleOutcome> {
        [
            RuleOutcome::Met,
            RuleOutcome::NotMet,
            RuleOutcome::Manual,
            RuleOutcome::NotApplicable,
        ]
        .into_iter()
        .find(|o| o.code() == code)
    }
}

/// A sentence in each language the letters use.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TranslatedText")]
pub struct Text {
    pub nb: String,
    pub nn: String,
    pub en: String,
}

pub(super) fn text(nb: impl Into<String>, nn: impl Into<String>, en: impl Into<String>) -> Text {
    Text {
        nb: nb.into(),
        nn: nn.into(),
        en: en.into(),
    }
}

/// A value written the same in every language: a number, an amount, a date, a reference.
impl From<String> for Text {
    fn from(value: String) -> Text {
        Text {
            nb: value.clone(),
            nn: value.clone(),
            en: value,
        }
    }
}

impl From<&str> for Text {
    fn from(value: &str) -> Text {
        Text::from(value.to_string())
    }
}

/// One fact a rule used: its label and its value, each in bokmål, nynorsk and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub label: Text,
    pub value: Text,
}

/// Reads a fact as written now, or as assessments kept with decisions before 2026-12 wrote it:
/// `["bokmål / English", "value"]`, where a yes/no value was also written `"ja / yes"`.
impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Now { label: Text, value: Text },
            Before(String, String),
        }
        let split = |stored: &str| match stored.split_once(" / ") {
            Some((nb, en)) => text(nb, nb, en),
            None => Text::from(stored),
        };
        Ok(match Stored::deserialize(deserializer)? {
            Stored::Now { label, value } => Fact { label, value },
            Stored::Before(label, value) => Fact {
                label: split(&label),
                value: split(&value),
            },
        })
    }
}

pub(super) fn fact(nb: &str, nn: &str, en: &str, value: impl Into<Text>) -> Fact {
    Fact {
        label: text(nb, nn, en),
        value: value.into(),
    }
}

/// Yes, no, or not given.
pub(super) fn answer_text(value: Option<bool>) -> Text {
    match value {
        Some(true) => text("ja", "ja", "yes"),
        Some(false) => text("nei", "nei", "no"),
        None => not_given(),
    }
}

pub(super) fn not_given() -> Text {
    text("ikke oppgitt", "ikkje oppgitt", "not given")
}

/// A caseworker's decision to set a rule's result, with the reason (recorded as an event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "RuleOverride")]
pub struct Override {
    pub rule: String,
    pub outcome: RuleOutcome,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RuleResult {
    /// Stable code: `age`, `without_suitable_dwelling`, `lawful_residence`, `registered_resident`, `botid`, `income_cap`,
    /// `asset_cap`, `rent_arrears`, `eviction_quarantine`, `other_instruments`, `need`.
    pub rule: String,
    pub name: Text,
    /// The facts used, each with its label and value in the three languages.
    pub facts: Vec<Fact>,
    /// What the automatic check found.
    pub computed: RuleOutcome,
    pub explanation: Text,
    pub overridden: Option<Override>,
}

impl RuleResult {
    /// The result that counts: the caseworker's override if there is one.
    pub fn outcome(&self) -> RuleOutcome {
        self.overridden.as_ref().map_or(self.computed, |o| o.outcome)
    }

    /// A consideration the caseworker weighs rather than a condition met or failed: the
    /// children's best interests. Its judgement reads "assessed", and it never decides the
    /// overall result or a refusal.
    pub fn is_weighed(&self) -> bool {
        self.rule == CHILDRENS_BEST_INTERESTS
    }
}

impl Assessment {
    /// Whether a consideration to be weighed still lacks the caseworker's written assessment; no
    /// decision is proposed until it has one.
    pub fn awaits_weighing(&self) -> bool {
        self.results.iter().any(|r| r.is_weighed() && r.overridden.is_none())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    pub case_type: CaseType,
    #[schemars(with = "crate::schema::DateSchema")]
    pub date: Date,
    pub municipality_rules: String,
    pub rule_version: String,
    pub results: Vec<RuleResult>,
    pub overall: RuleOutcome,
    /// Bedrooms the household needs by the municipality's rule.
    pub bedrooms: u32,
    pub used: Vec<UsedValue>,
    pub unverified: Vec<UsedValue>,
}

/// One household member as the assessment sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Member {
    pub birth_date: Date,
    pub relation: Relation,
}

pub struct Facts<'a> {
    pub case_type: CaseType,
    pub municipality_number: &'a str,
    /// The day the assessment is made for (received date or today).
    pub date: Date,
    /// The household, main applicant first.
    pub members: &'a [Member],
    pub form: &'a ApplicationForm,
    /// A startlån or grant case's economy, when recorded.
    pub finance: Option<&'a crate::finance::CaseFinance>,
    /// For a startlån: the affordability test of that economy.
    pub affordability: Option<&'a crate::startlan::AffordabilityResult>,
}

/// Bedrooms: one for the applicant (and partner), one per other adult, and the children
/// `children_per_bedroom` to a room.
pub fn bedrooms_needed(members: &[Member], date: Date, children_per_bedroom: u32) -> u32 {
    let mut other_adults = 0u32;
    let mut children = 0u32;
    for member in members.iter().skip(1) {
        match member.relation {
            Relation::Spouse | Relation::Cohabitant => {}
            _ if age_at(member.birth_date, date) < 18 => children += 1,
            _ => other_adults += 1,
        }
    }
    1 + other_adults + children.div_ceil(children_per_bedroom.max(1))
}

pub(super) fn kr(amount: i64) -> String {
    crate::validation::format_kr(amount)
}

fn date_text(date: Date) -> String {
    crate::validation::format_date(date)
}

/// The rule of every assessment of a household with children: what is best for the children,
/// assessed and given weight (Grunnloven § 104 second paragraph; barnekonvensjonen art. 3 no. 1).
/// It needs the caseworker's written assessment before a decision is proposed, and a letter
/// always shows it.
pub const CHILDRENS_BEST_INTERESTS: &str = "childrens_best_interests";

pub(super) struct Builder<'a> {
    results: Vec<RuleResult>,
    overrides: &'a [Override],
}

impl Builder<'_> {
    pub(super) fn push(&mut self, rule: &str, name: Text, facts: Vec<Fact>, computed: RuleOutcome, explanation: Text) {
        let overridden = self.overrides.iter().rev().find(|o| o.rule == rule).cloned();
        self.results.push(RuleResult {
            rule: rule.to_string(),
            name,
            facts,
            computed,
            explanation,
            overridden,
        });
    }
}

/// Assesses an application against the municipality's rules in force on `facts.date`.
pub fn assess(rules: &EligibilityRules, facts: &Facts<'_>, overrides: &[Override]) -> Result<Assessment, RuleError> {
    let month = YearMonth::of(facts.date);
    let municipality = rules.municipality(facts.municipality_number);
    let period = rules.allocation_rules(facts.municipality_number, month)?;
    let g = rules.grunnbelop(month)?;
    let mut trace = Trace::default();
    let mut b = Builder {
        results: Vec::new(),
        overrides,
    };
    let form = facts.form;
    let r = &period.values;
    let applicant_age = facts.members.first().map(|m| age_at(m.birth_date, facts.date));
    let has_children = facts
        .members
        .iter()
        .skip(1)
        .any(|m| age_at(m.birth_date, facts.date) < 18);

    match facts.case_type {
        CaseType::MunicipalHousing => {
            age_rule(&mut b, &mut trace, period, applicant_age, has_children);
            if r.without_suitable_dwelling {
                dwelling_rule(&mut b, &mut trace, period, facts);
            }
            if r.lawful_residence {
                trace.record("allocation_rules", period, "lawful_residence");
                lawful_residence_rule(&mut b, form.lawful_residence);
            }
            if r.registered_resident {
                trace.record("allocation_rules", period, "registered_resident");
                registered_rule(&mut b, form.registered_in_municipality_since, &municipality.name);
            }
            if r.botid_years > 0 {
                botid_rule(&mut b, &mut trace, period, facts);
            }
            if !r.income_cap_g.is_empty() {
                income_rule(&mut b, &mut trace, period, g, facts);
            }
            if let Some(cap) = r.asset_cap_g {
                trace.record("allocation_rules", period, "asset_cap_g");
                trace.record("grunnbelop", g, "amount");
                let wealth = form.net_wealth_ore() / 100;
                let limit = cap.of(g.values.amount);
                let outcome = if wealth <= limit {
                    RuleOutcome::Met
                } else {
                    RuleOutcome::NotMet
                };
                b.push(
                    "asset_cap",
                    text("Formue", "Formue", "Assets"),
                    vec![
                        fact("Nettoformue", "Nettoformue", "Net wealth", kr(wealth)),
                        fact(
                            "Grense",
                            "Grense",
                            "Limit",
                            format!("{} = {}", cap.with_decimal_comma(), kr(limit)),
                        ),
                    ],
                    outcome,
                    match outcome {
                        RuleOutcome::Met => text(
                            "Husstandens formue er innenfor grensen.",
                            "Formuen til hushaldet er innanfor grensa.",
                            "The household's assets are within the limit.",
                        ),
                        _ => text(
                            "Husstandens formue er over grensen.",
                            "Formuen til hushaldet er over grensa.",
                            "The household's assets exceed the limit.",
                        ),
                    },
                );
            }
            arrears_rule(&mut b, &mut trace, period, form.rent_arrears);
            eviction_rule(&mut b, &mut trace, period, form.evicted_on, facts.date);
            let income = form.income_ore(|k| k.is_taxable()) / 100;
            b.push(
                "other_instruments",
                text("Andre virkemidler", "Andre verkemiddel", "Other instruments"),
                vec![fact("Inntekt per år", "Inntekt per år", "Income per year", kr(income))],
                RuleOutcome::Manual,
                text(
                    "Vurder om husstanden kan skaffe seg bolig selv med bostøtte, startlån, tilskudd eller hjelp til å leie privat.",
                    "Vurder om hushaldet kan skaffe seg bustad sjølv med bustøtte, startlån, tilskot eller hjelp til å leige privat.",
                    "Consider whether the household can find housing itself with housing allowance, a start loan, a grant or help to rent privately.",
                ),
            );
        }
        CaseType::Section6Assistance => {
            // Boligsosialloven § 2: everyone staying in Norway except persons without lawful stay.
            lawful_residence_rule(&mut b, form.lawful_residence);
            b.push(
                "need",
                text("Behov for bistand", "Behov for bistand", "Need for assistance"),
                Vec::new(),
                RuleOutcome::Manual,
                text(
                    "Vurder om søkeren er vanskeligstilt på boligmarkedet (boligsosialloven § 4) og hvilken bistand som trengs for å skaffe eller beholde en egnet bolig (§ 6).",
                    "Vurder om søkjaren er vanskelegstilt på bustadmarknaden (bustadsosiallova § 4) og kva bistand som trengst for å skaffe eller halde på ein eigna bustad (§ 6).",
                    "Assess whether the applicant is disadvantaged in the housing market (social housing act § 4) and what assistance is needed to obtain or keep a suitable dwelling (§ 6).",
                ),
            );
        }
        CaseType::Startlan | CaseType::EstablishmentGrant | CaseType::AdaptationGrant => {
            super::finance::finance_rules(&mut b, applicant_age, facts.finance, facts.affordability);
        }
    }

    if has_children {
        childrens_best_interests(&mut b, facts.members, facts.date);
    }

    trace.record("allocation_rules", period, "children_per_bedroom");
    let bedrooms = bedrooms_needed(facts.members, facts.date, r.children_per_bedroom);
    let results = b.results;
    // The children's best interests weigh in the decision but are no condition the household
    // meets or fails: only their being unassessed holds the overall result open.
    let condition = |r: &&RuleResult| !r.is_weighed();
    let overall = if results
        .iter()
        .filter(condition)
        .any(|r| r.outcome() == RuleOutcome::NotMet)
    {
        RuleOutcome::NotMet
    } else if results.iter().any(|r| r.outcome() == RuleOutcome::Manual) {
        RuleOutcome::Manual
    } else {
        RuleOutcome::Met
    };
    let unverified = trace.unverified();
    Ok(Assessment {
        case_type: facts.case_type,
        date: facts.date,
        municipality_rules: municipality.name.clone(),
        rule_version: format!(
            "eligibility {}; {} {}; G {}",
            rules.version, municipality.number, period.meta.from, g.meta.from
        ),
        results,
        overall,
        bedrooms,
        used: trace.into_used(),
        unverified,
    })
}

fn childrens_best_interests(b: &mut Builder<'_>, members: &[Member], date: Date) {
    let ages: Vec<String> = members
        .iter()
        .skip(1)
        .map(|m| age_at(m.birth_date, date))
        .filter(|age| *age < 18)
        .map(|age| age.to_string())
        .collect();
    let listed = |and: &str| match ages.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} {and} {last}", rest.join(", ")),
        None => String::new(),
    };
    b.push(
        CHILDRENS_BEST_INTERESTS,
        text("Barnets beste", "Barnets beste", "The child's best interests"),
        vec![fact(
            "Barn i husstanden, alder",
            "Born i hushaldet, alder",
            "Children in the household, age",
            text(listed("og"), listed("og"), listed("and")),
        )],
        RuleOutcome::Manual,
        text(
            "Vurder hva som er best for barna, og hvilken vekt det skal ha i saken (Grunnloven § 104, barnekonvensjonen artikkel 3).",
            "Vurder kva som er best for borna, og kva vekt det skal ha i saka (Grunnlova § 104, barnekonvensjonen artikkel 3).",
            "Assess what is best for the children and the weight it carries in the case (the Constitution § 104, the Convention on the Rights of the Child article 3).",
        ),
    );
}

fn age_rule(
    b: &mut Builder<'_>,
    trace: &mut Trace,
    period: &Period<AllocationRules>,
    age: Option<i32>,
    has_children: bool,
) {
    trace.record("allocation_rules", period, "min_age");
    let min = period.values.min_age;
    let age = age.unwrap_or(0);
    let outcome = if age >= min {
        RuleOutcome::Met
    } else if has_children {
        RuleOutcome::Manual
    } else {
        RuleOutcome::NotMet
    };
    b.push(
        "age",
        text("Alder", "Alder", "Age"),
        vec![
            fact(
                "Søkerens alder",
                "Alderen til søkjaren",
                "Applicant's age",
                age.to_string(),
            ),
            fact("Nedre grense", "Nedre grense", "Minimum", min.to_string()),
        ],
        outcome,
        match outcome {
            RuleOutcome::Met => text(
                format!("Søkeren er {age} år og oppfyller alderskravet på {min} år."),
                format!("Søkjaren er {age} år og oppfyller alderskravet på {min} år."),
                format!("The applicant is {age} and meets the age requirement of {min}."),
            ),
            RuleOutcome::Manual => text(
                format!("Søkeren er under {min} år, men har omsorg for barn; vurder unntak."),
                format!("Søkjaren er under {min} år, men har omsorg for born; vurder unntak."),
                format!("The applicant is under {min} but cares for children; consider an exception."),
            ),
            _ => text(
                format!("Søkeren er {age} år og oppfyller ikke alderskravet på {min} år."),
                format!("Søkjaren er {age} år og oppfyller ikkje alderskravet på {min} år."),
                format!("The applicant is {age} and does not meet the age requirement of {min}."),
            ),
        },
    );
}

fn lawful_residence_rule(b: &mut Builder<'_>, lawful: Option<bool>) {
    let outcome = match lawful {
        Some(true) => RuleOutcome::Met,
        Some(false) => RuleOutcome::NotMet,
        None => RuleOutcome::Manual,
    };
    let answer = answer_text(lawful);
    b.push(
        "lawful_residence",
        text("Lovlig opphold", "Lovleg opphald", "Lawful residence"),
        vec![fact(
            "Lovlig opphold i Norge",
            "Lovleg opphald i Noreg",
            "Lawful residence in Norway",
            answer,
        )],
        outcome,
        match outcome {
            RuleOutcome::Met => text(
                "Søkeren har lovlig opphold i Norge.",
                "Søkjaren har lovleg opphald i Noreg.",
                "The applicant is lawfully resident in Norway.",
            ),
            RuleOutcome::NotMet => text(
                "Søkeren har ikke lovlig opphold i Norge.",
                "Søkjaren har ikkje lovleg opphald i Noreg.",
                "The applicant is not lawfully resident in Norway.",
            ),
            _ => text(
                "Det er ikke opplyst om søkeren har lovlig opphold; undersøk.",
                "Det er ikkje opplyst om søkjaren har lovleg opphald; undersøk.",
                "It is not stated whether the applicant is lawfully resident; find out.",
            ),
        },
    );
}

fn registered_rule(b: &mut Builder<'_>, since: Option<Date>, municipality: &str) {
    let outcome = if since.is_some() {
        RuleOutcome::Met
    } else {
        RuleOutcome::Manual
    };
    b.push(
        "registered_resident",
        text("Folkeregistrert i kommunen", "Folkeregistrert i kommunen", "Registered in the municipality"),
        vec![fact("Folkeregistrert fra", "Folkeregistrert frå", "Registered since", since.map_or_else(not_given, |d| date_text(d).into()))],
        outcome,
        match outcome {
            RuleOutcome::Met => text(
                format!("Søkeren er folkeregistrert i {municipality}."),
                format!("Søkjaren er folkeregistrert i {municipality}."),
                format!("The applicant is registered as resident in {municipality}."),
            ),
            _ => text(
                format!("Det er ikke oppgitt at søkeren er folkeregistrert i {municipality}; undersøk eller vurder unntak."),
                format!("Det er ikkje oppgitt at søkjaren er folkeregistrert i {municipality}; undersøk eller vurder unntak."),
                format!("It is not stated that the applicant is registered in {municipality}; check or consider an exception."),
            ),
        },
    );
}

fn botid_rule(b: &mut Builder<'_>, trace: &mut Trace, period: &Period<AllocationRules>, facts: &Facts<'_>) {
    trace.record("allocation_rules", period, "botid_years");
    let required = period.values.botid_years;
    let since = facts.form.registered_in_municipality_since;
    let years = since.map(|s| age_at(s, facts.date));
    let refugee = facts.form.reasons.contains(&Reason::RefugeeBackground);
    let outcome = match years {
        Some(y) if y >= required => RuleOutcome::Met,
        Some(_) if refugee => RuleOutcome::Manual,
        Some(_) => RuleOutcome::NotMet,
        None => RuleOutcome::Manual,
    };
    b.push(
        "botid",
        text("Botid", "Butid", "Residence time"),
        vec![
            fact("År i kommunen", "År i kommunen", "Years in the municipality", years.map_or_else(not_given, |y| y.to_string().into())),
            fact("Krav", "Krav", "Required", required.to_string()),
        ],
        outcome,
        match outcome {
            RuleOutcome::Met => text(
                format!("Søkeren har bodd i kommunen i minst {required} år."),
                format!("Søkjaren har budd i kommunen i minst {required} år."),
                format!("The applicant has lived in the municipality for at least {required} years."),
            ),
            RuleOutcome::NotMet => text(
                format!("Søkeren har bodd i kommunen i kortere tid enn {required} år."),
                format!("Søkjaren har budd i kommunen kortare enn {required} år."),
                format!("The applicant has lived in the municipality for less than {required} years."),
            ),
            _ => text(
                "Botidskravet er ikke oppfylt eller ikke kjent; vurder unntak (for eksempel bosatte flyktninger).",
                "Butidskravet er ikkje oppfylt eller ikkje kjent; vurder unntak (til dømes busette flyktningar).",
                "The residence-time requirement is not met or not known; consider an exception (for example settled refugees).",
            ),
        },
    );
}

fn income_rule(
    b: &mut Builder<'_>,
    trace: &mut Trace,
    period: &Period<AllocationRules>,
    g: &Period<super::rules::Grunnbelop>,
    facts: &Facts<'_>,
) {
    let r = &period.values;
    trace.record("allocation_rules", period, "income_cap_g");
    trace.record("grunnbelop", g, "amount");
    if r.income_min_age > 0 {
        trace.record("allocation_rules", period, "income_min_age");
    }
    let size = facts.members.len().clamp(1, 5);
    let cap = r.income_cap_g[(size - 1).min(r.income_cap_g.len() - 1)];
    let limit = cap.of(g.values.amount);
    let income: i64 = facts
        .form
        .economy
        .iter()
        .zip(facts.members)
        .enumerate()
        .filter(|(i, (_, m))| *i == 0 || age_at(m.birth_date, facts.date) >= r.income_min_age)
        .flat_map(|(_, (e, _))| &e.incomes)
        .filter(|(kind, _)| kind.is_taxable())
        .map(|(_, kr)| kr)
        .sum();
    let outcome = if income <= limit {
        RuleOutcome::Met
    } else {
        RuleOutcome::NotMet
    };
    b.push(
        "income_cap",
        text("Inntekt", "Inntekt", "Income"),
        vec![
            fact("Inntekt per år", "Inntekt per år", "Income per year", kr(income)),
            fact(
                "Grense for husstanden",
                "Grense for hushaldet",
                "Limit for the household",
                format!("{} = {}", cap.with_decimal_comma(), kr(limit)),
            ),
        ],
        outcome,
        match outcome {
            RuleOutcome::Met => text(
                "Husstandens inntekt er innenfor grensen.",
                "Inntekta til hushaldet er innanfor grensa.",
                "The household's income is within the limit.",
            ),
            _ => text(
                "Husstandens inntekt er over grensen.",
                "Inntekta til hushaldet er over grensa.",
                "The household's income exceeds the limit.",
            ),
        },
    );
}

fn arrears_rule(b: &mut Builder<'_>, trace: &mut Trace, period: &Period<AllocationRules>, arrears: Option<bool>) {
    let excludes = period.values.no_rent_arrears;
    if excludes {
        trace.record("allocation_rules", period, "no_rent_arrears");
    }
    let outcome = match (arrears, excludes) {
        (Some(false), _) => RuleOutcome::Met,
        (Some(true), true) => RuleOutcome::NotMet,
        (Some(true), false) | (None, _) => RuleOutcome::Manual,
    };
    b.push(
        "rent_arrears",
        text("Husleierestanse", "Husleigerestanse", "Rent arrears"),
        vec![fact("Restanse", "Restanse", "Arrears", answer_text(arrears))],
        outcome,
        match outcome {
            RuleOutcome::Met => text(
                "Husstanden har ikke husleierestanse.",
                "Hushaldet har ikkje husleigerestanse.",
                "The household has no rent arrears.",
            ),
            RuleOutcome::NotMet => text(
                "Husstanden har husleierestanse, som utelukker tildeling etter kommunens regler.",
                "Hushaldet har husleigerestanse, som utelukkar tildeling etter reglane til kommunen.",
                "The household has rent arrears, which exclude allocation under the municipality's rules.",
            ),
            _ => text(
                "Vurder restansen og om en nedbetalingsavtale eller hjelp fra Nav er aktuelt.",
                "Vurder restansen og om ein nedbetalingsavtale eller hjelp frå Nav er aktuelt.",
                "Consider the arrears and whether a repayment plan or help from Nav is relevant.",
            ),
        },
    );
}

fn eviction_rule(
    b: &mut Builder<'_>,
    trace: &mut Trace,
    period: &Period<AllocationRules>,
    evicted: Option<Date>,
    today: Date,
) {
    let Some(evicted) = evicted else { return };
    let (outcome, explanation) = match period.values.eviction_quarantine_months {
        Some(months) => {
            trace.record("allocation_rules", period, "eviction_quarantine_months");
            let ends = crate::cases::deadlines::add_months(evicted, months);
            if today < ends {
                (
                    RuleOutcome::NotMet,
                    text(
                        format!(
                            "Husstanden ble kastet ut {}; karantenen varer til {}.",
                            date_text(evicted),
                            date_text(ends)
                        ),
                        format!(
                            "Husstanden vart kasta ut {}; karantenen varer til {}.",
                            date_text(evicted),
                            date_text(ends)
                        ),
                        format!(
                            "The household was evicted on {}; the quarantine lasts until {}.",
                            date_text(evicted),
                            date_text(ends)
                        ),
                    ),
                )
            } else {
                (
                    RuleOutcome::Met,
                    text(
                        "Karantenen etter utkastelsen er over.",
                        "Karantenen etter utkastinga er over.",
                        "The quarantine after the eviction is over.",
                    ),
                )
            }
        }
        None => (
            RuleOutcome::Manual,
            text(
                format!(
                    "Husstanden ble kastet ut {}; vurder betydningen for søknaden.",
                    date_text(evicted)
                ),
                format!(
                    "Husstanden vart kasta ut {}; vurder kva det har å seie for søknaden.",
                    date_text(evicted)
                ),
                format!(
                    "The household was evicted on {}; consider what it means for the application.",
                    date_text(evicted)
                ),
            ),
        ),
    };
    b.push(
        "eviction_quarantine",
        text("Utkastelse", "Utkasting", "Eviction"),
        vec![fact("Kastet ut", "Kasta ut", "Evicted", date_text(evicted))],
        outcome,
        explanation,
    );
}

/// Drammen's core criterion, and most municipalities': the household is, or is about to be,
/// without a suitable dwelling. Without a dwelling of its own (homeless, in temporary
/// accommodation), or losing the one it has within the rule's months, it is met; otherwise
/// whether the present dwelling suits the household is the caseworker's judgement.
fn dwelling_rule(b: &mut Builder<'_>, trace: &mut Trace, period: &Period<AllocationRules>, facts: &Facts<'_>) {
    trace.record("allocation_rules", period, "losing_dwelling_within_months");
    let months = period.values.losing_dwelling_within_months;
    let form = facts.form;
    let horizon = crate::cases::deadlines::add_months(facts.date, months);
    let ends_soon = form.current_housing_ends.filter(|ends| *ends <= horizon);
    let outcome = match (form.current_housing, ends_soon) {
        (Some(CurrentHousing::Homeless | CurrentHousing::TemporaryAccommodation), _) => RuleOutcome::Met,
        (Some(_), Some(_)) => RuleOutcome::Met,
        _ => RuleOutcome::Manual,
    };
    let used = vec![
        fact(
            "Bosituasjon nå",
            "Busituasjon no",
            "Present housing",
            form.current_housing.map_or_else(not_given, housing_name),
        ),
        fact(
            "Boforholdet slutter",
            "Buforholdet sluttar",
            "Present housing ends",
            form.current_housing_ends
                .map_or_else(not_given, |d| date_text(d).into()),
        ),
    ];
    let explanation = match (form.current_housing, ends_soon) {
        (Some(CurrentHousing::Homeless | CurrentHousing::TemporaryAccommodation), _) => text(
            "Husstanden har ikke egen bolig.",
            "Hushaldet har ikkje eigen bustad.",
            "The household has no dwelling of its own.",
        ),
        (Some(_), Some(ends)) => text(
            format!(
                "Husstanden mister boligen {} (innen {months} måneder).",
                date_text(ends)
            ),
            format!(
                "Hushaldet mistar bustaden {} (innan {months} månader).",
                date_text(ends)
            ),
            format!(
                "The household loses its dwelling on {} (within {months} months).",
                date_text(ends)
            ),
        ),
        (Some(_), None) => text(
            "Vurder om boligen husstanden har i dag, er egnet: størrelse, standard, tilgjengelighet og om den er trygg og stabil.",
            "Vurder om bustaden hushaldet har i dag, er eigna: storleik, standard, tilgjenge og om han er trygg og stabil.",
            "Assess whether the household's present dwelling suits it: size, standard, accessibility and whether it is safe and stable.",
        ),
        (None, _) => text(
            "Det er ikke oppgitt hvor husstanden bor nå; undersøk.",
            "Det er ikkje oppgitt kvar hushaldet bur no; undersøk.",
            "It is not stated where the household lives now; find out.",
        ),
    };
    b.push(
        "without_suitable_dwelling",
        text("Uten egnet bolig", "Utan eigna bustad", "Without a suitable dwelling"),
        used,
        outcome,
        explanation,
    );
}

/// Where the household lives now, in words.
fn housing_name(housing: CurrentHousing) -> Text {
    match housing {
        CurrentHousing::PrivateRental => text("Leier privat", "Leiger privat", "Rents privately"),
        CurrentHousing::MunicipalRental => text(
            "Leier kommunal bolig",
            "Leiger kommunal bustad",
            "Rents a municipal dwelling",
        ),
        CurrentHousing::OwnHome => text("Eier egen bolig", "Eig eigen bustad", "Owns a home"),
        CurrentHousing::WithFamilyOrFriends => text(
            "Bor hos familie eller venner",
            "Bur hos familie eller vener",
            "Lives with family or friends",
        ),
        CurrentHousing::Institution => text("Bor på institusjon", "Bur på institusjon", "Lives in an institution"),
        CurrentHousing::TemporaryAccommodation => {
            text("Midlertidig botilbud", "Mellombels butilbod", "Temporary accommodation")
        }
        CurrentHousing::Homeless => text("Uten bolig", "Utan bustad", "Without a dwelling"),
        CurrentHousing::Other => text("Annet", "Anna", "Other"),
    }
}
