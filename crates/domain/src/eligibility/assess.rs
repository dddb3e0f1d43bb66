//! The automatic eligibility assessment: every rule, the facts it used and its result, with the
//! caseworker's overrides on top. Pure: the caller passes the date and all facts.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
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

/// A text in each language, as assessments kept with decisions before December 2026 wrote their rule
/// names, facts and explanations (and as the JSON API answers them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "TranslatedText")]
pub struct Text {
    pub nb: String,
    pub nn: String,
    pub en: String,
}

/// A text of the assessment as it is kept with a decision: a catalogue key with its arguments
/// (how every assessment is written now), a value written the same in every language, or the
/// text in each language that older assessments held, which still reads as it was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
#[schemars(rename = "AssessmentWording")]
pub enum Wording {
    /// A catalogue key and its arguments, worded in the reader's language.
    Message(StoredMessage),
    /// A number, an amount, a date, a reference or what the user typed.
    Value(String),
    /// The text in bokmål, nynorsk and English, as older assessments wrote it.
    Written(Text),
}

/// A catalogue key with the values for its `{name}` placeholders, in a form that is kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(rename = "CatalogueMessage")]
pub struct StoredMessage {
    pub key: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, StoredArg>,
}

/// A placeholder's value in a kept message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[schemars(rename = "CatalogueArg")]
pub enum StoredArg {
    /// Written as is in every language: a number, a date, an amount, a reference.
    Text(String),
    /// A decimal number written with a decimal comma; English reads it with a point.
    Decimal(String),
    /// Another catalogue key, worded in the same language.
    Key(String),
    /// Messages, each worded and the list joined with semicolons.
    List(Vec<StoredMessage>),
}

impl StoredMessage {
    pub fn new(key: impl Into<String>) -> StoredMessage {
        StoredMessage {
            key: key.into(),
            args: BTreeMap::new(),
        }
    }

    /// Adds a value written as is.
    pub fn arg(mut self, name: &str, value: impl ToString) -> StoredMessage {
        self.args.insert(name.to_string(), StoredArg::Text(value.to_string()));
        self
    }

    /// Adds a decimal number written with a decimal comma.
    pub fn arg_decimal(mut self, name: &str, value: impl ToString) -> StoredMessage {
        self.args
            .insert(name.to_string(), StoredArg::Decimal(value.to_string()));
        self
    }

    /// Adds a value that is itself a catalogue key.
    pub fn arg_key(mut self, name: &str, key: impl Into<String>) -> StoredMessage {
        self.args.insert(name.to_string(), StoredArg::Key(key.into()));
        self
    }

    /// Adds a list of messages.
    pub fn arg_list(mut self, name: &str, items: Vec<StoredMessage>) -> StoredMessage {
        self.args.insert(name.to_string(), StoredArg::List(items));
        self
    }
}

impl From<StoredMessage> for Wording {
    fn from(message: StoredMessage) -> Wording {
        Wording::Message(message)
    }
}

/// A value written the same in every language: a number, an amount, a date, a reference.
impl From<String> for Wording {
    fn from(value: String) -> Wording {
        Wording::Value(value)
    }
}

impl From<&str> for Wording {
    fn from(value: &str) -> Wording {
        Wording::Value(value.to_string())
    }
}

/// A catalogue key without arguments.
pub(super) fn msg(key: &str) -> StoredMessage {
    StoredMessage::new(key)
}

/// One fact a rule used: its label and its value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fact {
    pub label: Wording,
    pub value: Wording,
}

/// Reads a fact as written now, as assessments kept before December 2026 wrote it (`{label, value}`
/// each `{nb, nn, en}`), or in the older pair form: `["bokmål / English", "value"]`, where a yes/no
/// value was also written `"ja / yes"`.
impl<'de> Deserialize<'de> for Fact {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Stored {
            Now { label: Wording, value: Wording },
            Before(String, String),
        }
        let split = |stored: &str| match stored.split_once(" / ") {
            Some((nb, en)) => Wording::Written(Text {
                nb: nb.to_string(),
                nn: nb.to_string(),
                en: en.to_string(),
            }),
            None => Wording::Value(stored.to_string()),
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

/// A fact: its label's catalogue key and its value.
pub(super) fn fact(label: &str, value: impl Into<Wording>) -> Fact {
    Fact {
        label: msg(label).into(),
        value: value.into(),
    }
}

/// Yes, no, or not given.
pub(super) fn answer_text(value: Option<bool>) -> Wording {
    match value {
        Some(true) => msg("eligibility.answer.yes").into(),
        Some(false) => msg("eligibility.answer.no").into(),
        None => not_given(),
    }
}

pub(super) fn not_given() -> Wording {
    msg("eligibility.answer.not_given").into()
}

/// Every rule's stable code, for the catalogue tests (each has a name `eligibility.rule.<code>.name`).
pub const RULES: [&str; 20] = [
    "age",
    "without_suitable_dwelling",
    "lawful_residence",
    "registered_resident",
    "botid",
    "income_cap",
    "asset_cap",
    "rent_arrears",
    "eviction_quarantine",
    "other_instruments",
    "need",
    CHILDRENS_BEST_INTERESTS,
    "economy",
    "means_test",
    "affordability",
    "extended_term",
    "modest_dwelling",
    "startlan_combined",
    "appropriateness",
    "landlord_consent",
];

/// The catalogue key of a rule's name: `eligibility.rule.<code>.name`. The startlån and grant
/// cases' `age` rule asks whether the applicant is of age, and is named so
/// (`eligibility.rule.age_of_majority.name`).
pub fn rule_name_key(rule: &str, case_type: CaseType) -> String {
    let finance = matches!(
        case_type,
        CaseType::Startlan | CaseType::EstablishmentGrant | CaseType::AdaptationGrant
    );
    match rule {
        "age" if finance => "eligibility.rule.age_of_majority.name".to_string(),
        _ => format!("eligibility.rule.{rule}.name"),
    }
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
    /// The name as older assessments wrote it; a rule assessed now is named by its code
    /// ([`RuleResult::name`]).
    #[serde(rename = "name", default, skip_serializing_if = "Option::is_none")]
    pub written_name: Option<Wording>,
    /// The facts used, each with its label and value.
    pub facts: Vec<Fact>,
    /// What the automatic check found.
    pub computed: RuleOutcome,
    pub explanation: Wording,
    pub overridden: Option<Override>,
}

impl RuleResult {
    /// The rule's name: as an older assessment wrote it, else its catalogue key by its code.
    pub fn name(&self, case_type: CaseType) -> Wording {
        self.written_name
            .clone()
            .unwrap_or_else(|| msg(&rule_name_key(&self.rule, case_type)).into())
    }

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
    pub(super) fn push(
        &mut self,
        rule: &str,
        facts: Vec<Fact>,
        computed: RuleOutcome,
        explanation: impl Into<Wording>,
    ) {
        let overridden = self.overrides.iter().rev().find(|o| o.rule == rule).cloned();
        self.results.push(RuleResult {
            rule: rule.to_string(),
            written_name: None,
            facts,
            computed,
            explanation: explanation.into(),
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
        // A renewal review reassesses a sitting tenant against the same allocation rules; whether
        // the household is without a suitable dwelling is not asked, as it loses the one it has
        // when the term ends without renewal.
        CaseType::MunicipalHousing | CaseType::TenancyRenewal => {
            age_rule(&mut b, &mut trace, period, applicant_age, has_children);
            if r.without_suitable_dwelling && facts.case_type == CaseType::MunicipalHousing {
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
                    vec![
                        fact("eligibility.fact.net_wealth", kr(wealth)),
                        fact(
                            "eligibility.fact.limit",
                            format!("{} = {}", cap.with_decimal_comma(), kr(limit)),
                        ),
                    ],
                    outcome,
                    match outcome {
                        RuleOutcome::Met => msg("eligibility.rule.asset_cap.met"),
                        _ => msg("eligibility.rule.asset_cap.not_met"),
                    },
                );
            }
            arrears_rule(&mut b, &mut trace, period, form.rent_arrears);
            eviction_rule(&mut b, &mut trace, period, form.evicted_on, facts.date);
            let income = form.income_ore(|k| k.is_taxable()) / 100;
            b.push(
                "other_instruments",
                vec![fact("eligibility.fact.income_per_year", kr(income))],
                RuleOutcome::Manual,
                msg("eligibility.rule.other_instruments.manual"),
            );
        }
        CaseType::Section6Assistance => {
            // Boligsosialloven § 2: everyone staying in Norway except persons without lawful stay.
            lawful_residence_rule(&mut b, form.lawful_residence);
            b.push(
                "need",
                Vec::new(),
                RuleOutcome::Manual,
                msg("eligibility.rule.need.manual"),
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
    let listed: Wording = match ages.split_last() {
        Some((last, [])) => last.clone().into(),
        Some((last, rest)) => msg("eligibility.list.and")
            .arg("rest", rest.join(", "))
            .arg("last", last)
            .into(),
        None => String::new().into(),
    };
    b.push(
        CHILDRENS_BEST_INTERESTS,
        vec![fact("eligibility.fact.children_ages", listed)],
        RuleOutcome::Manual,
        msg("eligibility.rule.childrens_best_interests.manual"),
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
        vec![
            fact("eligibility.fact.applicant_age", age.to_string()),
            fact("eligibility.fact.minimum_age", min.to_string()),
        ],
        outcome,
        match outcome {
            RuleOutcome::Met => msg("eligibility.rule.age.met").arg("age", age).arg("min", min),
            RuleOutcome::Manual => msg("eligibility.rule.age.manual").arg("min", min),
            _ => msg("eligibility.rule.age.not_met").arg("age", age).arg("min", min),
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
        vec![fact("eligibility.fact.lawful_residence", answer)],
        outcome,
        match outcome {
            RuleOutcome::Met => msg("eligibility.rule.lawful_residence.met"),
            RuleOutcome::NotMet => msg("eligibility.rule.lawful_residence.not_met"),
            _ => msg("eligibility.rule.lawful_residence.manual"),
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
        vec![fact(
            "eligibility.fact.registered_since",
            since.map_or_else(not_given, |d| date_text(d).into()),
        )],
        outcome,
        match outcome {
            RuleOutcome::Met => msg("eligibility.rule.registered_resident.met").arg("municipality", municipality),
            _ => msg("eligibility.rule.registered_resident.manual").arg("municipality", municipality),
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
        vec![
            fact(
                "eligibility.fact.years_in_municipality",
                years.map_or_else(not_given, |y| y.to_string().into()),
            ),
            fact("eligibility.fact.required_years", required.to_string()),
        ],
        outcome,
        match outcome {
            RuleOutcome::Met => msg("eligibility.rule.botid.met").arg("required", required),
            RuleOutcome::NotMet => msg("eligibility.rule.botid.not_met").arg("required", required),
            _ => msg("eligibility.rule.botid.manual"),
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
        vec![
            fact("eligibility.fact.income_per_year", kr(income)),
            fact(
                "eligibility.fact.household_limit",
                format!("{} = {}", cap.with_decimal_comma(), kr(limit)),
            ),
        ],
        outcome,
        match outcome {
            RuleOutcome::Met => msg("eligibility.rule.income_cap.met"),
            _ => msg("eligibility.rule.income_cap.not_met"),
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
        vec![fact("eligibility.fact.arrears", answer_text(arrears))],
        outcome,
        match outcome {
            RuleOutcome::Met => msg("eligibility.rule.rent_arrears.met"),
            RuleOutcome::NotMet => msg("eligibility.rule.rent_arrears.not_met"),
            _ => msg("eligibility.rule.rent_arrears.manual"),
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
                    msg("eligibility.rule.eviction_quarantine.not_met")
                        .arg("evicted", date_text(evicted))
                        .arg("ends", date_text(ends)),
                )
            } else {
                (RuleOutcome::Met, msg("eligibility.rule.eviction_quarantine.met"))
            }
        }
        None => (
            RuleOutcome::Manual,
            msg("eligibility.rule.eviction_quarantine.manual").arg("evicted", date_text(evicted)),
        ),
    };
    b.push(
        "eviction_quarantine",
        vec![fact("eligibility.fact.evicted", date_text(evicted))],
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
            "eligibility.fact.present_housing",
            form.current_housing.map_or_else(not_given, housing_name),
        ),
        fact(
            "eligibility.fact.present_housing_ends",
            form.current_housing_ends
                .map_or_else(not_given, |d| date_text(d).into()),
        ),
    ];
    let explanation = match (form.current_housing, ends_soon) {
        (Some(CurrentHousing::Homeless | CurrentHousing::TemporaryAccommodation), _) => {
            msg("eligibility.rule.without_suitable_dwelling.no_dwelling")
        }
        (Some(_), Some(ends)) => msg("eligibility.rule.without_suitable_dwelling.losing")
            .arg("ends", date_text(ends))
            .arg("months", months),
        (Some(_), None) => msg("eligibility.rule.without_suitable_dwelling.assess"),
        (None, _) => msg("eligibility.rule.without_suitable_dwelling.unknown"),
    };
    b.push("without_suitable_dwelling", used, outcome, explanation);
}

/// Where the household lives now, in words.
fn housing_name(housing: CurrentHousing) -> Wording {
    let key = match housing {
        CurrentHousing::PrivateRental => "eligibility.housing.private_rental",
        CurrentHousing::MunicipalRental => "eligibility.housing.municipal_rental",
        CurrentHousing::OwnHome => "eligibility.housing.own_home",
        CurrentHousing::WithFamilyOrFriends => "eligibility.housing.with_family_or_friends",
        CurrentHousing::Institution => "eligibility.housing.institution",
        CurrentHousing::TemporaryAccommodation => "eligibility.housing.temporary_accommodation",
        CurrentHousing::Homeless => "eligibility.housing.homeless",
        CurrentHousing::Other => "eligibility.housing.other",
    };
    msg(key).into()
}
