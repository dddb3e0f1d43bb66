//! The startlån affordability calculator as a form, in parts any page can embed.
//!
//! [`StartlanFields`] holds what the caseworker typed, as typed, so a form with errors shows every
//! value back. [`StartlanFields::parse`] turns it into the domain's [`AffordabilityInput`] and
//! reports every problem at once: values that cannot be read (per field), then the domain's own
//! validation, mapped from its paths to the form's field names. The form's field names are the
//! domain's paths wherever one field holds one value (`loans.startlan.term_years`), so the mapping
//! is short. [`StartlanFields::explain`] prepares an [`AffordabilityResult`] for display.
//!
//! The templates `startlan_fields.html` (the fieldsets, no `<form>`) and `startlan_result.html`
//! (the result) are meant for `{% include %}` into a page whose template struct has the fields
//! `l: Layout`, `startlan: StartlanFields`, `errors: FormErrors` and
//! `affordability: Option<AffordabilityResult>`.

use super::rule_values::Unverified;
use crate::error::AppError;
use crate::forms::{FormErrors, FormFields, checkbox};
use crate::i18n::Tr;
use husly_domain::Lang;
use husly_domain::rules::{Percent, YearMonth};
use husly_domain::startlan::input::MAX_FIXED_COSTS;
use husly_domain::startlan::{
    AffordabilityInput, AffordabilityResult, Assumption, BankLoan, ExtendedTermConditions, Financing, FixedCost,
    FixedCostKind, FloorCategory, HouseholdComposition, LineCode, LivingCostSource, LoanKind, LoanPayment, Loans,
    MemberDetail, ReferenceBudgetCost, ReferenceBudgetLayout, Sex, StartlanLoan, StartlanRules, validate,
};
use husly_domain::validation::{FieldError, format_kr, parse_kr};
use serde::Deserialize;

/// Fixed-cost rows a blank form offers.
pub const FIXED_COST_ROWS: usize = 5;

/// The form's field names. Where a field holds one value of the input, its name is the input's path.
pub mod names {
    pub const MONTH: &str = "month";
    pub const ADULTS: &str = "household.adults";
    pub const COUPLE: &str = "household.couple";
    /// Comma-separated ages.
    pub const CHILDREN_AGES: &str = "household.children_ages";
    /// Comma-separated ages of the adults, for the reference budget (optional).
    pub const ADULT_AGES: &str = "household.adult_ages";
    /// Comma-separated sexes, adults first, then the children (optional): k/f, m, or –.
    pub const SEXES: &str = "household.sexes";
    pub const INCOME: &str = "income_after_tax_kr";
    pub const MAINTENANCE: &str = "maintenance_kr";
    pub const OWN_LIVING_COSTS: &str = "own_living_cost_estimate_kr";
    pub const PRINCIPAL: &str = "loans.startlan.principal_kr";
    pub const TERM: &str = "loans.startlan.term_years";
    pub const INSTALMENT_FREE: &str = "loans.startlan.instalment_free_years";
    pub const KIND: &str = "loans.startlan.kind";
    pub const REASON: &str = "loans.startlan.extended_term_reason";
    /// The group of the § 8-5 conditions (its errors; the fieldset carries this id).
    pub const CONDITIONS: &str = "loans.startlan.extended_term_conditions";
    pub const LASTING_LOW_INCOME: &str = "loans.startlan.extended_term_conditions.lasting_low_income";
    pub const DWELLING_SUITS_LONG_TERM: &str = "loans.startlan.extended_term_conditions.dwelling_suits_long_term";
    pub const RENTING_UNSUITABLE: &str = "loans.startlan.extended_term_conditions.renting_unsuitable";
    pub const SHORTER_TERM_NOT_RESPONSIBLE: &str =
        "loans.startlan.extended_term_conditions.shorter_term_not_responsible";
    /// One select for the two waivers (`at_risk_of_losing_home`, `low_predictable_income`).
    pub const WAIVER: &str = "loans.startlan.extended_term_conditions.waiver";
    pub const BANK_PRINCIPAL: &str = "loans.bank.principal_kr";
    pub const BANK_TERM: &str = "loans.bank.term_years";
    pub const BANK_KIND: &str = "loans.bank.kind";
    pub const BANK_RATE: &str = "loans.bank.rate";
    pub const PRICE: &str = "financing.price_kr";
    pub const PURCHASE_COSTS: &str = "financing.purchase_costs_kr";
    pub const EQUITY: &str = "financing.equity_kr";

    /// `fixed_costs[2].amount_kr` and its siblings `kind` and `label`.
    pub fn fixed_cost(index: usize, part: &str) -> String {
        format!("fixed_costs[{index}].{part}")
    }
}

use names::*;

/// The values of the waiver select.
const WAIVER_LOW_INCOME: &str = "low_predictable_income";
const WAIVER_AT_RISK: &str = "at_risk_of_losing_home";
const WAIVER_BOTH: &str = "at_risk_and_low_predictable_income";

/// One fixed-cost row as typed (`fixed_costs[i].…`). A row with neither description nor amount
/// is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct FixedCostRow {
    #[serde(skip)]
    pub index: usize,
    /// `debt`, `student_loan`, `childcare`, `child_support`, `other`, or "" (not chosen).
    pub kind: String,
    pub label: String,
    #[serde(rename = "amount_kr")]
    pub amount: String,
}

impl FixedCostRow {
    pub fn kind_name(&self) -> String {
        names::fixed_cost(self.index, "kind")
    }

    pub fn label_name(&self) -> String {
        names::fixed_cost(self.index, "label")
    }

    pub fn amount_name(&self) -> String {
        names::fixed_cost(self.index, "amount_kr")
    }

    /// The row's number as people count: 1 for the first.
    pub fn number(&self) -> usize {
        self.index + 1
    }

    fn is_blank(&self) -> bool {
        self.label.trim().is_empty() && self.amount.trim().is_empty()
    }
}

/// A choice in a select: its value, the locale key of its text, and whether it is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// Everything the affordability form holds, as typed. Each field is bound from the form field
/// of the same path ([`names`]; a test posts every name and checks it lands).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct StartlanFields {
    /// `YYYY-MM` (also accepted: `MM.YYYY`).
    pub month: String,
    #[serde(rename = "household.adults")]
    pub adults: String,
    #[serde(rename = "household.couple", deserialize_with = "checkbox")]
    pub couple: bool,
    /// Comma-separated ages in whole years.
    #[serde(rename = "household.children_ages")]
    pub children_ages: String,
    /// Comma-separated ages of the adults (optional; the reference budget's bands).
    #[serde(rename = "household.adult_ages")]
    pub adult_ages: String,
    /// Comma-separated sexes, adults first (optional; the reference budget's bands).
    #[serde(rename = "household.sexes")]
    pub sexes: String,
    /// Kroner per month, as are the next two.
    #[serde(rename = "income_after_tax_kr")]
    pub income_after_tax: String,
    #[serde(rename = "maintenance_kr")]
    pub maintenance: String,
    #[serde(rename = "own_living_cost_estimate_kr")]
    pub own_living_cost_estimate: String,
    /// At least [`FIXED_COST_ROWS`] rows.
    pub fixed_costs: Vec<FixedCostRow>,
    /// Kroner.
    #[serde(rename = "loans.startlan.principal_kr")]
    pub principal: String,
    #[serde(rename = "loans.startlan.term_years")]
    pub term_years: String,
    #[serde(rename = "loans.startlan.instalment_free_years")]
    pub instalment_free_years: String,
    /// `annuity` or `serial`.
    #[serde(rename = "loans.startlan.kind")]
    pub kind: String,
    #[serde(rename = "loans.startlan.extended_term_reason")]
    pub extended_term_reason: String,
    #[serde(
        rename = "loans.startlan.extended_term_conditions.lasting_low_income",
        deserialize_with = "checkbox"
    )]
    pub lasting_low_income: bool,
    #[serde(
        rename = "loans.startlan.extended_term_conditions.dwelling_suits_long_term",
        deserialize_with = "checkbox"
    )]
    pub dwelling_suits_long_term: bool,
    #[serde(
        rename = "loans.startlan.extended_term_conditions.renting_unsuitable",
        deserialize_with = "checkbox"
    )]
    pub renting_unsuitable: bool,
    #[serde(
        rename = "loans.startlan.extended_term_conditions.shorter_term_not_responsible",
        deserialize_with = "checkbox"
    )]
    pub shorter_term_not_responsible: bool,
    /// "", `low_predictable_income`, `at_risk_of_losing_home` or `at_risk_and_low_predictable_income`.
    #[serde(rename = "loans.startlan.extended_term_conditions.waiver")]
    pub waiver: String,
    /// Kroner; the bank loan is left out when its principal, term and rate are all blank.
    #[serde(rename = "loans.bank.principal_kr")]
    pub bank_principal: String,
    #[serde(rename = "loans.bank.term_years")]
    pub bank_term_years: String,
    #[serde(rename = "loans.bank.kind")]
    pub bank_kind: String,
    /// A percentage such as `8,5`; blank tests the bank loan at the startlån's stress rate.
    #[serde(rename = "loans.bank.rate")]
    pub bank_rate: String,
    /// Kroner; the purchase is left out when all three are blank.
    #[serde(rename = "financing.price_kr")]
    pub price: String,
    #[serde(rename = "financing.purchase_costs_kr")]
    pub purchase_costs: String,
    #[serde(rename = "financing.equity_kr")]
    pub equity: String,
}

impl StartlanFields {
    /// An empty form for `month`: one adult, annuity loans, blank rows for fixed costs.
    pub fn blank(month: YearMonth) -> Self {
        StartlanFields {
            month: month.written(),
            adults: "1".into(),
            fixed_costs: blank_rows(0, FIXED_COST_ROWS),
            kind: "annuity".into(),
            bank_kind: "annuity".into(),
            ..Default::default()
        }
    }

    /// The fields of a posted form: every value as typed, at least [`FIXED_COST_ROWS`] rows of
    /// fixed costs and at most [`MAX_FIXED_COSTS`].
    pub fn from_form(form: &FormFields) -> Result<Self, AppError> {
        let mut fields: StartlanFields = form.bind()?;
        fields.month = fields.month.trim().to_string();
        fields.fixed_costs.truncate(MAX_FIXED_COSTS);
        if fields.fixed_costs.len() < FIXED_COST_ROWS {
            fields.fixed_costs.resize_with(FIXED_COST_ROWS, FixedCostRow::default);
        }
        for (index, row) in fields.fixed_costs.iter_mut().enumerate() {
            row.index = index;
        }
        Ok(fields)
    }

    /// The form filled in from a stored input, for example the one a case recorded. Amounts are
    /// written with spaces between thousands.
    pub fn from_input(input: &AffordabilityInput) -> Self {
        let mut fixed_costs: Vec<FixedCostRow> = input
            .fixed_costs
            .iter()
            .enumerate()
            .map(|(index, cost)| FixedCostRow {
                index,
                kind: fixed_cost_kind_code(cost.kind).to_string(),
                label: cost.label.clone().unwrap_or_default(),
                amount: typed_kr(cost.amount_kr),
            })
            .collect();
        let rows = fixed_costs.len();
        let wanted = if rows >= FIXED_COST_ROWS {
            (rows + 1).min(MAX_FIXED_COSTS.max(rows))
        } else {
            FIXED_COST_ROWS
        };
        fixed_costs.extend(blank_rows(rows, wanted));
        let loan = &input.loans.startlan;
        let conditions = loan.extended_term_conditions.unwrap_or_default();
        let waiver = match (conditions.at_risk_of_losing_home, conditions.low_predictable_income) {
            (true, true) => WAIVER_BOTH,
            (true, false) => WAIVER_AT_RISK,
            (false, true) => WAIVER_LOW_INCOME,
            (false, false) => "",
        };
        let bank = input.loans.bank.as_ref();
        let financing = input.financing.as_ref();
        StartlanFields {
            month: input.month.written(),
            adults: input.household.adults.to_string(),
            couple: input.household.couple,
            children_ages: input
                .household
                .children_ages
                .iter()
                .map(u32::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            adult_ages: input
                .household
                .members
                .iter()
                .take(input.household.adults as usize)
                .map(|m| m.age.map(|a| a.to_string()).unwrap_or_else(|| "-".into()))
                .collect::<Vec<_>>()
                .join(", ")
                .trim_end_matches([',', ' ', '-'])
                .to_string(),
            sexes: typed_sexes(&input.household.members),
            income_after_tax: typed_kr(input.income_after_tax_kr),
            maintenance: typed_kr(input.maintenance_kr),
            own_living_cost_estimate: input.own_living_cost_estimate_kr.map(typed_kr).unwrap_or_default(),
            fixed_costs,
            principal: typed_kr(loan.principal_kr),
            term_years: loan.term_years.to_string(),
            instalment_free_years: loan.instalment_free_years.to_string(),
            kind: loan_kind_code(loan.kind).to_string(),
            extended_term_reason: loan.extended_term_reason.clone().unwrap_or_default(),
            lasting_low_income: conditions.lasting_low_income,
            dwelling_suits_long_term: conditions.dwelling_suits_long_term,
            renting_unsuitable: conditions.renting_unsuitable,
            shorter_term_not_responsible: conditions.shorter_term_not_responsible,
            waiver: waiver.to_string(),
            bank_principal: bank.map(|b| typed_kr(b.principal_kr)).unwrap_or_default(),
            bank_term_years: bank.map(|b| b.term_years.to_string()).unwrap_or_default(),
            bank_kind: loan_kind_code(bank.map_or(LoanKind::Annuity, |b| b.kind)).to_string(),
            bank_rate: bank
                .and_then(|b| b.rate)
                .map(|r| pct(r, Lang::Nb).trim_end_matches(" %").to_string())
                .unwrap_or_default(),
            price: financing.map(|f| typed_kr(f.price_kr)).unwrap_or_default(),
            purchase_costs: financing.map(|f| typed_kr(f.purchase_costs_kr)).unwrap_or_default(),
            equity: financing.map(|f| typed_kr(f.equity_kr)).unwrap_or_default(),
        }
    }

    /// The input, or every problem with the form at once in the user's language: values that
    /// cannot be read first, then the domain's validation against `rules`.
    pub fn parse(&self, rules: &StartlanRules, lang: Lang) -> Result<AffordabilityInput, FormErrors> {
        self.check(rules).map_err(|errors| localize(&errors, lang))
    }

    /// [`Self::parse`], then the assessment itself.
    pub fn assess(
        &self,
        rules: &StartlanRules,
        lang: Lang,
    ) -> Result<(AffordabilityInput, AffordabilityResult), FormErrors> {
        self.assess_with(rules, lang, None)
    }

    /// [`Self::assess`] with the municipality's reference budget in force, if any.
    pub fn assess_with(
        &self,
        rules: &StartlanRules,
        lang: Lang,
        reference: Option<&husly_domain::startlan::ReferenceBudget>,
    ) -> Result<(AffordabilityInput, AffordabilityResult), FormErrors> {
        let input = self.parse(rules, lang)?;
        match husly_domain::startlan::assess_with_reference(&input, rules, reference) {
            Ok(result) => Ok((input, result)),
            Err(errors) => Err(self.domain_errors(errors, lang)),
        }
    }

    /// Like [`Self::parse`], with the errors as [`FieldError`]s named by the form's fields.
    pub fn check(&self, rules: &StartlanRules) -> Result<AffordabilityInput, Vec<FieldError>> {
        let mut p = Parser::default();

        let month = p.month(MONTH, &self.month);
        let adults = p.whole(ADULTS, &self.adults, true);
        if adults.is_none() {
            // Whether a couple fits depends on the adults.
            p.taint(COUPLE);
        }
        let children_ages = p.ages(CHILDREN_AGES, &self.children_ages);
        let adult_ages = p.optional_ages(ADULT_AGES, &self.adult_ages);
        let sexes = p.sexes(SEXES, &self.sexes);
        let income = p.kr(INCOME, &self.income_after_tax, true);
        let maintenance = p.kr(MAINTENANCE, &self.maintenance, false);
        let own = p.kr(OWN_LIVING_COSTS, &self.own_living_cost_estimate, false);

        let mut fixed_costs = Vec::new();
        for row in self.fixed_costs.iter().filter(|r| !r.is_blank()) {
            let kind = p.fixed_cost_kind(&row.kind_name(), &row.kind);
            let amount_kr = p.kr(&row.amount_name(), &row.amount, true);
            let label = row.label.trim();
            fixed_costs.push(FixedCost {
                kind: kind.unwrap_or(FixedCostKind::Other),
                label: (!label.is_empty()).then(|| label.to_string()),
                amount_kr: amount_kr.unwrap_or(0),
            });
        }

        let principal = p.kr(PRINCIPAL, &self.principal, true);
        let term_years = p.whole(TERM, &self.term_years, true);
        let instalment_free_years = p.whole(INSTALMENT_FREE, &self.instalment_free_years, false);
        let kind = p.loan_kind(KIND, &self.kind);
        let reason = self.extended_term_reason.trim();
        let extended_term_conditions = p.conditions(self);

        let bank = if [&self.bank_principal, &self.bank_term_years, &self.bank_rate]
            .iter()
            .any(|t| !t.trim().is_empty())
        {
            let principal = p.kr(BANK_PRINCIPAL, &self.bank_principal, true);
            let term_years = p.whole(BANK_TERM, &self.bank_term_years, true);
            let kind = p.loan_kind(BANK_KIND, &self.bank_kind);
            let rate = p.rate(BANK_RATE, &self.bank_rate);
            Some(BankLoan {
                principal_kr: principal.unwrap_or(0),
                term_years: term_years.unwrap_or(1),
                kind: kind.unwrap_or(LoanKind::Annuity),
                rate,
            })
        } else {
            None
        };

        let financing = if [&self.price, &self.purchase_costs, &self.equity]
            .iter()
            .any(|t| !t.trim().is_empty())
        {
            Some(Financing {
                price_kr: p.kr(PRICE, &self.price, true).unwrap_or(0),
                purchase_costs_kr: p.kr(PURCHASE_COSTS, &self.purchase_costs, false).unwrap_or(0),
                equity_kr: p.kr(EQUITY, &self.equity, false).unwrap_or(0),
            })
        } else {
            None
        };

        let input = AffordabilityInput {
            // An unreadable month is already an error; the rest is checked against this month's rules.
            month: month.unwrap_or_else(|| husly_usecases::Clock::system().this_month()),
            household: HouseholdComposition {
                adults: adults.unwrap_or(1),
                couple: self.couple,
                members: members(
                    adults.unwrap_or(1) as usize,
                    &adult_ages.unwrap_or_default(),
                    &sexes.unwrap_or_default(),
                ),
                children_ages: children_ages.unwrap_or_default(),
            },
            income_after_tax_kr: income.unwrap_or(0),
            fixed_costs,
            maintenance_kr: maintenance.unwrap_or(0),
            own_living_cost_estimate_kr: own,
            loans: Loans {
                startlan: StartlanLoan {
                    principal_kr: principal.unwrap_or(0),
                    term_years: term_years.unwrap_or(1),
                    instalment_free_years: instalment_free_years.unwrap_or(0),
                    kind: kind.unwrap_or(LoanKind::Annuity),
                    extended_term_reason: (!reason.is_empty()).then(|| reason.to_string()),
                    extended_term_conditions,
                },
                bank,
            },
            financing,
        };

        let Parser { mut errors, tainted } = p;
        if let Err(domain) = validate(&input, rules) {
            errors.extend(
                domain
                    .into_iter()
                    .map(|e| self.to_form_field(e))
                    .filter(|e| !tainted.contains(&e.field)),
            );
        }
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }

    /// Errors the domain reported for the input this form gave (from validation or the
    /// assessment), named by the form's fields, in the user's language.
    pub fn domain_errors(&self, errors: Vec<FieldError>, lang: Lang) -> FormErrors {
        let errors: Vec<FieldError> = errors.into_iter().map(|e| self.to_form_field(e)).collect();
        localize(&errors, lang)
    }

    /// Renames an error on an input path to the form field the caseworker typed into.
    fn to_form_field(&self, mut error: FieldError) -> FieldError {
        let field = error.field.as_str();
        let mapped = if field == "household" {
            Some(ADULTS.to_string())
        } else if field.starts_with("household.children_ages") {
            Some(CHILDREN_AGES.to_string())
        } else if field == "household.members" {
            Some(SEXES.to_string())
        } else if field.starts_with("household.members[") {
            Some(ADULT_AGES.to_string())
        } else if field == "fixed_costs" {
            Some(names::fixed_cost(0, "amount_kr"))
        } else if let Some(rest) = field.strip_prefix("fixed_costs[") {
            // The input holds only the rows that were filled in.
            rest.split_once("].").and_then(|(i, part)| {
                let i: usize = i.parse().ok()?;
                let row = self.fixed_costs.iter().filter(|r| !r.is_blank()).nth(i)?;
                Some(names::fixed_cost(row.index, part))
            })
        } else if field == "loans.startlan" {
            Some(PRINCIPAL.to_string())
        } else if field == "loans.bank" {
            Some(BANK_PRINCIPAL.to_string())
        } else if field.starts_with("loans.startlan.extended_term_conditions.") {
            Some(CONDITIONS.to_string())
        } else {
            None
        };
        if let Some(mapped) = mapped {
            error.field = mapped;
        }
        error
    }

    /// The HTML id of a field: `loans.startlan.term_years` → `f-loans-startlan-term_years`.
    pub fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    pub fn loan_kind_choices(&self, current: &str) -> Vec<Choice> {
        [("annuity", "startlan.kind.annuity"), ("serial", "startlan.kind.serial")]
            .into_iter()
            .map(|(value, label)| Choice {
                value,
                label,
                selected: current == value,
            })
            .collect()
    }

    /// The kinds of fixed cost, after a "choose" option with the value "".
    pub fn fixed_cost_kind_choices(&self, current: &str) -> Vec<Choice> {
        [
            ("", "form.choose"),
            ("debt", "startlan.fixed_cost.kind.debt"),
            ("student_loan", "startlan.fixed_cost.kind.student_loan"),
            ("childcare", "startlan.fixed_cost.kind.childcare"),
            ("child_support", "startlan.fixed_cost.kind.child_support"),
            ("other", "startlan.fixed_cost.kind.other"),
        ]
        .into_iter()
        .map(|(value, label)| Choice {
            value,
            label,
            selected: current == value,
        })
        .collect()
    }

    pub fn waiver_choices(&self) -> Vec<Choice> {
        [
            ("", "startlan.waiver.none"),
            (WAIVER_LOW_INCOME, "startlan.waiver.low_predictable_income"),
            (WAIVER_AT_RISK, "startlan.waiver.at_risk_of_losing_home"),
            (WAIVER_BOTH, "startlan.waiver.both"),
        ]
        .into_iter()
        .map(|(value, label)| Choice {
            value,
            label,
            selected: self.waiver == value,
        })
        .collect()
    }

    /// Whether the § 8-5 part of the form should start open: a long term, or anything filled in.
    pub fn extended_term_open(&self) -> bool {
        self.term_years.trim().parse::<u32>().is_ok_and(|years| years > 30)
            || !self.extended_term_reason.trim().is_empty()
            || self.lasting_low_income
            || self.dwelling_suits_long_term
            || self.renting_unsuitable
            || self.shorter_term_not_responsible
            || !self.waiver.is_empty()
    }

    /// A result prepared for display: every line with its explanation, amounts formatted.
    pub fn explain(&self, result: &AffordabilityResult, tr: &Tr) -> Explanation {
        Explanation::new(result, *tr)
    }
}

fn blank_rows(from: usize, to: usize) -> Vec<FixedCostRow> {
    (from..to)
        .map(|index| FixedCostRow {
            index,
            ..Default::default()
        })
        .collect()
}

fn loan_kind_code(kind: LoanKind) -> &'static str {
    match kind {
        LoanKind::Annuity => "annuity",
        LoanKind::Serial => "serial",
    }
}

fn fixed_cost_kind_code(kind: FixedCostKind) -> &'static str {
    match kind {
        FixedCostKind::Debt => "debt",
        FixedCostKind::StudentLoan => "student_loan",
        FixedCostKind::Childcare => "childcare",
        FixedCostKind::ChildSupport => "child_support",
        FixedCostKind::Other => "other",
    }
}

/// Kroner as a person would type them: `1 250 000`.
fn typed_kr(kr: i64) -> String {
    format_kr(kr).trim_end_matches("\u{a0}kr").replace('\u{a0}', " ")
}

/// Collects the errors of values that cannot be read, and the fields they make unreliable: the
/// domain's errors on those fields are not shown (they would be about placeholder values).
#[derive(Default)]
struct Parser {
    errors: Vec<FieldError>,
    tainted: Vec<String>,
}

impl Parser {
    fn fail(&mut self, error: FieldError) {
        self.taint(&error.field);
        self.errors.push(error);
    }

    fn taint(&mut self, field: &str) {
        self.tainted.push(field.to_string());
    }

    /// Reads one typed value: empty fails only when `required`; unreadable text fails with the
    /// field's own message, naming the form the value should take.
    fn read<T>(
        &mut self,
        field: &str,
        text: &str,
        required: bool,
        parse: impl Fn(&str) -> Option<T>,
        (code, key): (&'static str, &'static str),
    ) -> Option<T> {
        if text.trim().is_empty() {
            if required {
                self.fail(FieldError::required(field));
            }
            return None;
        }
        let parsed = parse(text);
        if parsed.is_none() {
            self.fail(FieldError::new(field, code, key));
        }
        parsed
    }

    fn month(&mut self, field: &str, text: &str) -> Option<YearMonth> {
        let message = ("invalid_month", "error.startlan.invalid_month");
        self.read(field, text, true, parse_month, message)
    }

    fn kr(&mut self, field: &str, text: &str, required: bool) -> Option<i64> {
        let message = ("invalid_amount", "error.startlan.invalid_amount");
        self.read(field, text, required, parse_kr, message)
    }

    fn whole(&mut self, field: &str, text: &str, required: bool) -> Option<u32> {
        let message = ("invalid_number", "error.startlan.invalid_number");
        self.read(field, text, required, parse_whole, message)
    }

    fn ages(&mut self, field: &str, text: &str) -> Option<Vec<u32>> {
        let parsed = parse_ages(text);
        if parsed.is_none() {
            self.fail(FieldError::new(field, "invalid_ages", "error.startlan.children_ages"));
        }
        parsed
    }

    /// Ages where a `-` or `?` stands for one not given.
    fn optional_ages(&mut self, field: &str, text: &str) -> Option<Vec<Option<u32>>> {
        let parsed: Option<Vec<Option<u32>>> = text
            .split([',', ';'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| match part {
                "-" | "–" | "?" => Some(None),
                _ => parse_ages(part).and_then(|a| (a.len() == 1).then(|| Some(a[0]))),
            })
            .collect();
        if parsed.is_none() {
            self.fail(FieldError::new(field, "invalid_ages", "error.startlan.adult_ages"));
        }
        parsed
    }

    /// `k`/`f`/`j` (female), `m`/`g` (male), `-`/`?` (not stated), comma-separated.
    fn sexes(&mut self, field: &str, text: &str) -> Option<Vec<Sex>> {
        let parsed: Option<Vec<Sex>> = text
            .split([',', ';'])
            .map(|part| part.trim().to_lowercase())
            .filter(|part| !part.is_empty())
            .map(|part| match part.as_str() {
                "k" | "f" | "j" | "w" => Some(Sex::Female),
                "m" | "g" | "b" => Some(Sex::Male),
                "-" | "–" | "?" => Some(Sex::NotStated),
                _ => None,
            })
            .collect();
        if parsed.is_none() {
            self.fail(FieldError::new(field, "invalid_sexes", "error.startlan.sexes"));
        }
        parsed
    }

    fn rate(&mut self, field: &str, text: &str) -> Option<Percent> {
        if text.trim().is_empty() {
            return None;
        }
        let parsed = Percent::parse(text);
        if parsed.is_none() {
            self.fail(FieldError::new(field, "invalid_rate", "error.startlan.rate"));
        }
        parsed
    }

    fn loan_kind(&mut self, field: &str, text: &str) -> Option<LoanKind> {
        match text.trim() {
            "annuity" => Some(LoanKind::Annuity),
            "serial" => Some(LoanKind::Serial),
            "" => {
                self.fail(FieldError::required(field));
                None
            }
            other => {
                self.fail(FieldError::unknown_value(field, other, &["annuity", "serial"]));
                None
            }
        }
    }

    fn fixed_cost_kind(&mut self, field: &str, text: &str) -> Option<FixedCostKind> {
        let codes = ["debt", "student_loan", "childcare", "child_support", "other"];
        match text.trim() {
            "debt" => Some(FixedCostKind::Debt),
            "student_loan" => Some(FixedCostKind::StudentLoan),
            "childcare" => Some(FixedCostKind::Childcare),
            "child_support" => Some(FixedCostKind::ChildSupport),
            "other" => Some(FixedCostKind::Other),
            "" => {
                self.fail(FieldError::new(field, "required", "error.startlan.cost_kind_required"));
                None
            }
            other => {
                self.fail(FieldError::unknown_value(field, other, &codes));
                None
            }
        }
    }

    /// The § 8-5 conditions, when anything about them was filled in.
    fn conditions(&mut self, f: &StartlanFields) -> Option<ExtendedTermConditions> {
        let (at_risk_of_losing_home, low_predictable_income) = match f.waiver.trim() {
            "" => (false, false),
            WAIVER_LOW_INCOME => (false, true),
            WAIVER_AT_RISK => (true, false),
            WAIVER_BOTH => (true, true),
            other => {
                self.fail(FieldError::unknown_value(
                    WAIVER,
                    other,
                    &[WAIVER_LOW_INCOME, WAIVER_AT_RISK, WAIVER_BOTH],
                ));
                (false, false)
            }
        };
        let conditions = ExtendedTermConditions {
            lasting_low_income: f.lasting_low_income,
            dwelling_suits_long_term: f.dwelling_suits_long_term,
            renting_unsuitable: f.renting_unsuitable,
            shorter_term_not_responsible: f.shorter_term_not_responsible,
            at_risk_of_losing_home,
            low_predictable_income,
        };
        (conditions != ExtendedTermConditions::default()).then_some(conditions)
    }
}

/// `2026-11` or `11.2026`.
fn parse_month(text: &str) -> Option<YearMonth> {
    let text = text.trim();
    if let Ok(month) = text.parse() {
        return Some(month);
    }
    let (month, year) = text.split_once(['.', '/'])?;
    format!("{}-{:0>2}", year.trim(), month.trim()).parse().ok()
}

/// A whole number, optionally followed by "år" or "years".
fn parse_whole(text: &str) -> Option<u32> {
    let text = text.trim().to_lowercase();
    let text = text
        .strip_suffix("år")
        .or_else(|| text.strip_suffix("years"))
        .unwrap_or(&text)
        .trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// Ages separated by commas, semicolons, spaces or "og"/"and"; each optionally followed by "år".
/// The members' details for the reference budget: the adults' ages and everyone's sex, adults
/// first. Empty when nothing was given.
fn members(adults: usize, adult_ages: &[Option<u32>], sexes: &[Sex]) -> Vec<MemberDetail> {
    let given = adult_ages.len().min(adults).max(sexes.len());
    (0..given)
        .map(|i| MemberDetail {
            age: if i < adults {
                adult_ages.get(i).copied().flatten()
            } else {
                None
            },
            sex: sexes.get(i).copied().unwrap_or_default(),
        })
        .collect()
}

/// `k, m, -, j` as typed back into the form.
fn typed_sexes(members: &[MemberDetail]) -> String {
    let typed: Vec<&str> = members
        .iter()
        .map(|m| match m.sex {
            Sex::Female => "k",
            Sex::Male => "m",
            Sex::NotStated => "-",
        })
        .collect();
    typed.join(", ").trim_end_matches([',', ' ', '-']).to_string()
}

fn parse_ages(text: &str) -> Option<Vec<u32>> {
    let lower = text.to_lowercase();
    lower
        .split([',', ';'])
        .flat_map(|part| part.split(|c: char| c.is_whitespace()))
        .filter(|word| !word.is_empty() && !["og", "and", "år", "years"].contains(word))
        .map(parse_whole)
        .collect()
}

/// Errors named by the form's fields, each message led by the field's label so that the summary
/// at the top of the page says which field it is about.
fn localize(errors: &[FieldError], lang: Lang) -> FormErrors {
    let tr = Tr::new(lang);
    FormErrors {
        items: errors
            .iter()
            .map(|e| {
                let label = field_label(&e.field, tr);
                let message = if label.is_empty() {
                    tr.error(e)
                } else {
                    format!("{label}: {}", tr.error(e))
                };
                (e.field.clone(), message)
            })
            .collect(),
    }
}

/// The label of a form field as the error summary names it.
fn field_label(field: &str, tr: Tr) -> String {
    if let Some(rest) = field.strip_prefix("fixed_costs[") {
        let Some((index, part)) = rest.split_once("].") else {
            return tr.t("startlan.fixed_costs").to_string();
        };
        let number = index.parse::<usize>().map_or(0, |i| i + 1);
        let part = match part {
            "kind" => "startlan.fixed_cost.kind",
            "label" => "startlan.fixed_cost.label",
            _ => "startlan.fixed_cost.amount",
        };
        return format!(
            "{} {number}, {}",
            tr.t("startlan.fixed_cost.row"),
            lowercase_first(tr.t(part))
        );
    }
    let key = match field {
        MONTH => "startlan.month",
        ADULTS => "startlan.adults",
        COUPLE => "startlan.couple",
        CHILDREN_AGES => "startlan.children_ages",
        ADULT_AGES => "startlan.adult_ages",
        SEXES => "startlan.sexes",
        INCOME => "startlan.income_after_tax",
        MAINTENANCE => "startlan.maintenance",
        OWN_LIVING_COSTS => "startlan.own_living_costs",
        PRINCIPAL => "startlan.principal",
        TERM => "startlan.term_years",
        INSTALMENT_FREE => "startlan.instalment_free_years",
        KIND => "startlan.kind",
        REASON => "startlan.extended_term_reason",
        CONDITIONS => "startlan.extended_term",
        WAIVER => "startlan.waiver",
        BANK_PRINCIPAL => "startlan.bank_principal",
        BANK_TERM => "startlan.bank_term_years",
        BANK_KIND => "startlan.bank_kind",
        BANK_RATE => "startlan.bank_rate",
        PRICE => "startlan.price",
        PURCHASE_COSTS => "startlan.purchase_costs",
        EQUITY => "startlan.equity",
        _ => return String::new(),
    };
    tr.t(key).to_string()
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_lowercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `7 %`, `4,5 %` in bokmål and `4.5 %` in English.
pub(crate) fn pct(p: Percent, lang: Lang) -> String {
    if lang.decimal_comma() {
        p.with_decimal_comma()
    } else {
        p.to_string()
    }
}

/// Øre as kroner with two decimals: `16 632,56 kr` (English `16 632.56 kr`), `−1 250,00 kr`.
pub fn format_ore(ore: i64, lang: Lang) -> String {
    let abs = ore.unsigned_abs();
    let kr = format_kr(i64::try_from(abs / 100).unwrap_or(i64::MAX));
    let whole = kr.trim_end_matches("\u{a0}kr");
    let sign = if ore < 0 { "−" } else { "" };
    let separator = if lang.decimal_comma() { ',' } else { '.' };
    format!("{sign}{whole}{separator}{:02}\u{a0}kr", abs % 100)
}

/// Øre as whole kroner when there are no øre (`1 250 000 kr`), else as [`format_ore`].
pub fn format_ore_short(ore: i64, lang: Lang) -> String {
    if ore % 100 == 0 {
        format_kr(ore / 100)
    } else {
        format_ore(ore, lang)
    }
}

/// An assessment ready for display, every text in the user's language.
#[derive(Debug, Clone)]
pub struct Explanation {
    pub heading: String,
    pub affordable: bool,
    /// A sentence saying whether the household can service the loans, and by how much.
    pub verdict: String,
    pub disposable: String,
    /// The stress-test rate and how it is made up.
    pub stress: String,
    pub lines: Vec<ExplainedLine>,
    pub max_startlan: String,
    pub grant: Option<GrantExplained>,
    /// Column headings of the schedule summary (the first is the row heading's).
    pub schedule_headers: Vec<String>,
    pub schedule_rows: Vec<ExplainedRow>,
    /// A sentence introducing the rules used.
    pub rules_intro: String,
    pub rules: Vec<RuleUsed>,
    pub unverified: Vec<Unverified>,
}

#[derive(Debug, Clone)]
pub struct ExplainedLine {
    pub label: String,
    pub details: Vec<String>,
    /// Signed: income positive, deductions negative.
    pub amount: String,
}

#[derive(Debug, Clone)]
pub struct ExplainedRow {
    pub label: String,
    pub values: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct GrantExplained {
    pub financing_need: String,
    pub serviceable_startlan: String,
    pub grant_needed: String,
    /// Whether a grant is needed beyond the largest serviceable startlån.
    pub needed: bool,
    pub summary: String,
}

/// A rule table's period the assessment used, and its source.
#[derive(Debug, Clone)]
pub struct RuleUsed {
    pub what: String,
    pub source: String,
    pub url: Option<String>,
}

impl Explanation {
    fn new(r: &AffordabilityResult, tr: Tr) -> Explanation {
        let lang = tr.lang;
        let money = |ore: i64| format_ore(ore, lang);
        let short = |ore: i64| format_ore_short(ore, lang);
        let month = r.month.to_string();
        let stress = tr.f(
            "startlan.line.stress",
            &[
                ("rate", &pct(r.stress_rate, lang)),
                ("policy", &pct(r.policy_rate, lang)),
                ("margin", pct(r.stress_margin, lang).trim_end_matches(" %")),
            ],
        );

        let mut lines = Vec::new();
        for line in &r.lines {
            let (label, details) = match line.code {
                LineCode::IncomeAfterTax => (
                    tr.t("startlan.line.income").to_string(),
                    vec![tr.t("startlan.line.income_how").to_string()],
                ),
                LineCode::LivingCosts => (tr.t("startlan.line.living_costs").to_string(), living_costs(r, tr)),
                LineCode::FixedCost => (
                    tr.t(line.kind.map_or("startlan.fixed_cost.kind.other", fixed_cost_kind_key))
                        .to_string(),
                    line.label.iter().cloned().collect(),
                ),
                LineCode::Maintenance => (
                    tr.t("startlan.line.maintenance").to_string(),
                    vec![tr.t("startlan.line.maintenance_how").to_string()],
                ),
                LineCode::StartlanPayment => {
                    let mut details = vec![loan_terms(&r.startlan, tr), stress.clone()];
                    if r.startlan.instalment_free_years > 0 {
                        details.push(tr.f(
                            "startlan.line.instalment_free",
                            &[("years", &r.startlan.instalment_free_years.to_string())],
                        ));
                    }
                    (tr.t("startlan.line.startlan").to_string(), details)
                }
                LineCode::BankLoanPayment => {
                    let mut details = Vec::new();
                    if let Some(bank) = &r.bank_loan {
                        details.push(loan_terms(bank, tr));
                        let key = if bank.rate == r.stress_rate {
                            "startlan.line.bank_rate_stress"
                        } else {
                            "startlan.line.bank_rate_own"
                        };
                        details.push(tr.f(key, &[("rate", &pct(bank.rate, lang))]));
                    }
                    (tr.t("startlan.line.bank").to_string(), details)
                }
            };
            lines.push(ExplainedLine {
                label,
                details,
                amount: money(line.amount_ore),
            });
        }

        let verdict = if r.affordable {
            tr.f("startlan.result.verdict_yes", &[("amount", &money(r.disposable_ore))])
        } else {
            tr.f("startlan.result.verdict_no", &[("amount", &money(-r.disposable_ore))])
        };

        let grant = r.grant.map(|g| {
            let needed = g.grant_needed_ore > 0;
            GrantExplained {
                financing_need: short(g.financing_need_ore),
                serviceable_startlan: short(g.serviceable_startlan_ore),
                grant_needed: short(g.grant_needed_ore),
                needed,
                summary: if needed {
                    tr.f("startlan.grant.needed", &[("amount", &short(g.grant_needed_ore))])
                } else {
                    tr.t("startlan.grant.not_needed").to_string()
                },
            }
        });

        let mut loans = vec![&r.startlan];
        let mut schedule_headers = vec![
            tr.t("startlan.schedule.figure").to_string(),
            tr.t("startlan.schedule.startlan").to_string(),
        ];
        if let Some(bank) = &r.bank_loan {
            loans.push(bank);
            schedule_headers.push(tr.t("startlan.schedule.bank").to_string());
        }
        let row = |key: &str, value: &dyn Fn(&LoanPayment) -> String| ExplainedRow {
            label: tr.t(key).to_string(),
            values: loans.iter().map(|l| value(l)).collect(),
        };
        let mut schedule_rows = vec![
            row("startlan.schedule.payments", &|l| l.schedule.months.to_string()),
            row("startlan.schedule.first", &|l| money(l.schedule.first_payment_ore)),
        ];
        if loans.iter().any(|l| l.instalment_free_years > 0) {
            schedule_rows.push(row("startlan.schedule.first_full", &|l| {
                money(l.schedule.first_full_payment_ore)
            }));
        }
        schedule_rows.extend([
            row("startlan.schedule.highest", &|l| money(l.schedule.highest_payment_ore)),
            row("startlan.schedule.interest", &|l| money(l.schedule.total_interest_ore)),
            row("startlan.schedule.total", &|l| money(l.schedule.total_paid_ore)),
        ]);

        Explanation {
            heading: tr.f("startlan.result.heading", &[("month", &month)]),
            affordable: r.affordable,
            verdict,
            disposable: money(r.disposable_ore),
            stress,
            lines,
            max_startlan: short(r.max_affordable_startlan_ore),
            grant,
            schedule_headers,
            schedule_rows,
            rules_intro: tr.f("startlan.rules_intro", &[("month", &month)]),
            rules: rules_used(r, tr),
            unverified: unverified(r, tr),
        }
    }
}

fn fixed_cost_kind_key(kind: FixedCostKind) -> &'static str {
    match kind {
        FixedCostKind::Debt => "startlan.fixed_cost.kind.debt",
        FixedCostKind::StudentLoan => "startlan.fixed_cost.kind.student_loan",
        FixedCostKind::Childcare => "startlan.fixed_cost.kind.childcare",
        FixedCostKind::ChildSupport => "startlan.fixed_cost.kind.child_support",
        FixedCostKind::Other => "startlan.fixed_cost.kind.other",
    }
}

fn floor_category_key(category: FloorCategory) -> &'static str {
    match category {
        FloorCategory::Single => "startlan.floor.single",
        FloorCategory::Couple => "startlan.floor.couple",
        FloorCategory::SharedHousingAdult => "startlan.floor.shared_housing_adult",
        FloorCategory::Child0To5 => "startlan.floor.child_0_5",
        FloorCategory::Child6To10 => "startlan.floor.child_6_10",
        FloorCategory::Child11To17 => "startlan.floor.child_11_17",
    }
}

/// The floor and its parts, the household's own estimate, and which of them was used.
fn living_costs(r: &AffordabilityResult, tr: Tr) -> Vec<String> {
    let lang = tr.lang;
    let costs = &r.living_costs;
    let parts: Vec<String> = costs
        .floor
        .lines
        .iter()
        .map(|l| {
            format!(
                "{} {} × {}",
                tr.t(floor_category_key(l.category)),
                l.count,
                format_ore_short(l.rate_ore, lang)
            )
        })
        .collect();
    let mut details = vec![tr.f(
        "startlan.line.floor",
        &[
            ("parts", &parts.join(", ")),
            ("total", &format_ore_short(costs.floor.total_ore, lang)),
        ],
    )];
    if let Some(own) = costs.own_estimate_ore {
        details.push(tr.f(
            "startlan.line.own_estimate",
            &[("amount", &format_ore_short(own, lang))],
        ));
    }
    if let Some(reference) = &costs.reference_budget {
        details.push(reference_budget_line(reference, tr));
    }
    details.push(
        tr.t(
            match (costs.source, costs.own_estimate_ore, costs.reference_budget.is_some()) {
                (LivingCostSource::OwnEstimate, _, _) => "startlan.line.used_own",
                (LivingCostSource::ReferenceBudget, _, _) => "startlan.line.used_reference",
                (LivingCostSource::SocialAssistanceFloor, Some(_), _) => "startlan.line.used_floor",
                (LivingCostSource::SocialAssistanceFloor, None, true) => "startlan.line.used_floor_over_reference",
                (LivingCostSource::SocialAssistanceFloor, None, false) => "startlan.line.used_floor_no_estimate",
            },
        )
        .to_string(),
    );
    details
}

/// `Referansebudsjett (SIFO 2025, versjon 2, fra 01.01.2026): 31–50 år, kvinne 6 500 kr; …`.
fn reference_budget_line(r: &ReferenceBudgetCost, tr: Tr) -> String {
    let lang = tr.lang;
    let layout = ReferenceBudgetLayout::embedded();
    let assumptions = |list: &[Assumption]| -> String {
        list.iter()
            .map(|a| {
                format!(
                    " ({})",
                    tr.t(match a {
                        Assumption::AgeNotStated => "startlan.assumption.age_not_stated",
                        Assumption::SexNotStated => "startlan.assumption.sex_not_stated",
                        Assumption::LargerThanTable => "startlan.assumption.larger_than_table",
                    })
                )
            })
            .collect()
    };
    let mut parts: Vec<String> = r
        .members
        .iter()
        .map(|m| {
            format!(
                "{} {}{}",
                super::reference_budget::key_label(layout, &m.key, Some(m.adult), tr),
                format_ore_short(m.amount_ore, lang),
                assumptions(&m.assumptions)
            )
        })
        .collect();
    parts.push(format!(
        "{} {}{}",
        tr.f(
            "startlan.reference.household",
            &[("size", r.household_key.trim_start_matches("size_"))]
        ),
        format_ore_short(r.household_ore, lang),
        assumptions(&r.household_assumptions)
    ));
    tr.f(
        "startlan.line.reference_budget",
        &[
            ("label", &r.label),
            ("version", &r.version.to_string()),
            ("from", &husly_domain::validation::format_date(r.valid_from)),
            ("parts", &parts.join("; ")),
            ("total", &format_ore_short(r.total_ore, lang)),
        ],
    )
}

/// `2 500 000 kr over 30 år, annuitetslån`.
fn loan_terms(loan: &LoanPayment, tr: Tr) -> String {
    tr.f(
        "startlan.line.loan_terms",
        &[
            ("principal", &format_ore_short(loan.principal_ore, tr.lang)),
            ("years", &loan.term_years.to_string()),
            (
                "kind",
                tr.t(match loan.kind {
                    LoanKind::Annuity => "startlan.kind_short.annuity",
                    LoanKind::Serial => "startlan.kind_short.serial",
                }),
            ),
        ],
    )
}

/// (title, url) of a source in either rule file.
fn source(id: &str) -> (String, Option<String>) {
    let rules = StartlanRules::embedded();
    rules
        .startlan
        .sources
        .iter()
        .chain(&rules.living_costs.sources)
        .find(|s| s.id == id)
        .map_or_else(|| (id.to_string(), None), |s| (s.title.clone(), s.url.clone()))
}

/// Each table period used once, in the order the assessment used them.
fn rules_used(r: &AffordabilityResult, tr: Tr) -> Vec<RuleUsed> {
    let mut seen: Vec<(String, YearMonth, String)> = Vec::new();
    let mut rules = Vec::new();
    for used in &r.used_rules {
        let key = (used.table.clone(), used.period_from, used.source.clone());
        if seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let (title, url) = source(&used.source);
        rules.push(RuleUsed {
            what: tr.f(
                "rule_table.from",
                &[
                    ("table", &super::rule_values::table_name(&used.table, tr)),
                    ("month", &used.period_from.written()),
                ],
            ),
            source: title,
            url,
        });
    }
    if let Some(reference) = &r.living_costs.reference_budget {
        let layout = ReferenceBudgetLayout::embedded();
        let cited = layout.sources.iter().find(|s| s.id == layout.source);
        rules.push(RuleUsed {
            what: tr.f(
                "startlan.rules.reference_budget",
                &[
                    ("label", &reference.label),
                    ("version", &reference.version.to_string()),
                    ("from", &husly_domain::validation::format_date(reference.valid_from)),
                ],
            ),
            source: cited.map_or_else(|| layout.source.clone(), |s| s.title.clone()),
            url: cited.and_then(|s| s.url.clone()),
        });
    }
    rules
}

/// The unverified values, in words: each table and month once, with its source.
fn unverified(r: &AffordabilityResult, tr: Tr) -> Vec<Unverified> {
    super::rule_values::unverified(&r.unverified, tr, |id| source(id).0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Layout;
    use askama::Template;

    fn rules() -> &'static StartlanRules {
        StartlanRules::embedded()
    }

    /// A couple with two children (4 and 9) buying with a 30-year startlån, as in the
    /// calculator contract test.
    #[test]
    fn ages_and_sexes_for_the_reference_budget_are_read_and_typed_back() {
        let mut f = example();
        f.adult_ages = "35, -".into();
        f.sexes = "k, -, M".into();
        let input = f.parse(rules(), Lang::Nb).expect("valid");
        assert_eq!(
            input.household.members,
            [
                MemberDetail {
                    age: Some(35),
                    sex: Sex::Female
                },
                MemberDetail::default(),
                MemberDetail {
                    age: None,
                    sex: Sex::Male
                },
            ]
        );
        let back = StartlanFields::from_input(&input);
        assert_eq!((back.adult_ages.as_str(), back.sexes.as_str()), ("35", "k, -, m"));
        f.sexes = "kvinne".into();
        f.adult_ages = "12".into();
        let errors = f.parse(rules(), Lang::Nb).unwrap_err();
        assert!(errors.has(SEXES) && errors.has(ADULT_AGES), "{errors:?}");
    }

    fn example() -> StartlanFields {
        let mut f = StartlanFields::blank("2024-10".parse().unwrap());
        f.adults = "2".into();
        f.couple = true;
        f.children_ages = "4, 9".into();
        f.income_after_tax = "52 000".into();
        f.maintenance = "3500".into();
        f.fixed_costs[0] = FixedCostRow {
            index: 0,
            kind: "childcare".into(),
            label: "Barnehage og SFO".into(),
            amount: "3 000 kr".into(),
        };
        f.fixed_costs[2] = FixedCostRow {
            index: 2,
            kind: "student_loan".into(),
            label: String::new(),
            amount: "1\u{a0}200".into(),
        };
        f.principal = "2 500 000".into();
        f.term_years = "30".into();
        f.price = "2.500.000".into();
        f.purchase_costs = "65 000".into();
        f.equity = "65 000".into();
        f
    }

    fn fields_and_codes(f: &StartlanFields) -> Vec<(String, &'static str)> {
        match f.check(rules()) {
            Ok(_) => Vec::new(),
            Err(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        }
    }

    fn pair(field: &str, code: &'static str) -> (String, &'static str) {
        (field.to_string(), code)
    }

    #[test]
    fn months_numbers_and_ages() {
        assert_eq!(parse_month("2026-11"), "2026-11".parse().ok());
        assert_eq!(parse_month("11.2026"), "2026-11".parse().ok());
        assert_eq!(parse_month("3/2026"), "2026-03".parse().ok());
        assert_eq!(parse_month("2026-13"), None);
        assert_eq!(parse_whole(" 30 år"), Some(30));
        assert_eq!(parse_whole("30 years"), Some(30));
        assert_eq!(parse_whole("3,5"), None);
        assert_eq!(parse_whole("-1"), None);
        assert_eq!(parse_ages(""), Some(vec![]));
        assert_eq!(parse_ages("4, 9"), Some(vec![4, 9]));
        assert_eq!(parse_ages("4 og 9 år; 12"), Some(vec![4, 9, 12]));
        assert_eq!(parse_ages("4, ni"), None);
    }

    #[test]
    fn a_valid_form_gives_the_input() {
        let input = example().check(rules()).expect("valid");
        assert_eq!(input.month.to_string(), "2024-10");
        assert_eq!(
            input.household,
            HouseholdComposition {
                adults: 2,
                couple: true,
                children_ages: vec![4, 9],
                ..Default::default()
            }
        );
        assert_eq!(input.income_after_tax_kr, 52_000);
        assert_eq!(input.maintenance_kr, 3_500);
        assert_eq!(input.own_living_cost_estimate_kr, None);
        assert_eq!(
            input.fixed_costs,
            vec![
                FixedCost {
                    kind: FixedCostKind::Childcare,
                    label: Some("Barnehage og SFO".into()),
                    amount_kr: 3000
                },
                FixedCost {
                    kind: FixedCostKind::StudentLoan,
                    label: None,
                    amount_kr: 1200
                },
            ]
        );
        assert_eq!(input.loans.startlan.principal_kr, 2_500_000);
        assert_eq!(input.loans.startlan.kind, LoanKind::Annuity);
        assert_eq!(input.loans.startlan.extended_term_conditions, None);
        assert_eq!(input.loans.bank, None);
        assert_eq!(
            input.financing,
            Some(Financing {
                price_kr: 2_500_000,
                purchase_costs_kr: 65_000,
                equity_kr: 65_000
            })
        );
        // The same numbers as the API's contract test: 6 767,44 kr left.
        let (_, result) = example().assess(rules(), Lang::Nb).expect("assessed");
        assert_eq!(result.disposable_ore, 676_744);
    }

    #[test]
    fn the_form_round_trips_through_an_input() {
        let mut f = example();
        f.bank_principal = "500 000".into();
        f.bank_term_years = "25".into();
        f.bank_kind = "serial".into();
        f.bank_rate = "8,5".into();
        f.own_living_cost_estimate = "25 000".into();
        f.term_years = "40".into();
        f.extended_term_reason = "Varig lav inntekt".into();
        f.lasting_low_income = true;
        f.shorter_term_not_responsible = true;
        f.waiver = WAIVER_AT_RISK.into();
        let input = f.check(rules()).expect("valid");
        let conditions = input.loans.startlan.extended_term_conditions.expect("conditions");
        assert!(conditions.at_risk_of_losing_home && !conditions.low_predictable_income);
        assert_eq!(input.loans.bank.as_ref().and_then(|b| b.rate), Percent::parse("8.5"));
        let again = StartlanFields::from_input(&input);
        assert_eq!(again.income_after_tax, "52 000");
        assert_eq!(again.bank_rate, "8,5");
        assert_eq!(again.fixed_costs.len(), FIXED_COST_ROWS);
        assert_eq!(again.check(rules()).expect("still valid"), input);
    }

    #[test]
    fn unreadable_values_are_named_per_field_then_the_domain_speaks() {
        let mut f = example();
        f.month = "november".into();
        f.adults = "to".into();
        f.income_after_tax = "52 000,50".into();
        f.fixed_costs[2].amount = "mye".into();
        f.fixed_costs[4].label = "Bil".into();
        f.term_years = "45".into();
        f.maintenance = "-10".into();
        f.bank_rate = "8.5.1".into();
        assert_eq!(
            fields_and_codes(&f),
            [
                pair(MONTH, "invalid_month"),
                pair(ADULTS, "invalid_number"),
                pair(INCOME, "invalid_amount"),
                pair("fixed_costs[2].amount_kr", "invalid_amount"),
                pair("fixed_costs[4].kind", "required"),
                pair("fixed_costs[4].amount_kr", "required"),
                pair(BANK_PRINCIPAL, "required"),
                pair(BANK_TERM, "required"),
                pair(BANK_RATE, "invalid_rate"),
                // Then validation, on the fields that could be read.
                pair(MAINTENANCE, "negative_amount"),
                pair(REASON, "extended_term_reason_required"),
                pair(CONDITIONS, "extended_term_conditions_required"),
            ]
        );
    }

    #[test]
    fn domain_paths_become_form_fields() {
        let mut f = example();
        // Rows 0 and 2 are filled in: the input's fixed_costs[1] is the form's row 2.
        f.fixed_costs[2].amount = "-5".into();
        f.children_ages = "4, 19".into();
        f.adults = "1".into();
        f.instalment_free_years = "9".into();
        assert_eq!(
            fields_and_codes(&f),
            [
                pair(COUPLE, "couple_needs_two_adults"),
                pair(CHILDREN_AGES, "child_age_out_of_range"),
                pair("fixed_costs[2].amount_kr", "negative_amount"),
                pair(INSTALMENT_FREE, "instalment_free_too_long"),
            ]
        );
        let errors = f.parse(rules(), Lang::En).unwrap_err();
        assert_eq!(
            errors.get("fixed_costs[2].amount_kr"),
            Some("Cost 3, amount per month (kr): The amount cannot be negative.")
        );
        let errors = f.parse(rules(), Lang::Nb).unwrap_err();
        assert_eq!(
            errors.get(COUPLE),
            Some("To av de voksne er gift eller samboere: Et par krever minst to voksne i husstanden.")
        );
        assert_eq!(f.to_form_field(FieldError::required("loans.startlan")).field, PRINCIPAL);
        assert_eq!(f.to_form_field(FieldError::required("household")).field, ADULTS);
    }

    #[test]
    fn the_conditions_of_a_long_term() {
        let mut f = example();
        f.term_years = "40".into();
        f.extended_term_reason = "Varig lav inntekt".into();
        f.lasting_low_income = true;
        f.dwelling_suits_long_term = true;
        f.renting_unsuitable = true;
        assert_eq!(
            fields_and_codes(&f),
            [pair(CONDITIONS, "extended_term_conditions_not_met")]
        );
        let errors = f.parse(rules(), Lang::Nb).unwrap_err();
        assert!(
            errors
                .get(CONDITIONS)
                .is_some_and(|m| m.contains("d) kortere nedbetalingstid")),
            "{errors:?}"
        );
        f.shorter_term_not_responsible = true;
        assert_eq!(fields_and_codes(&f), []);
        f.waiver = "sometimes".into();
        assert_eq!(fields_and_codes(&f), [pair(WAIVER, "unknown_value")]);
    }

    #[test]
    fn ore_are_formatted_with_decimals() {
        assert_eq!(format_ore(1_663_256, Lang::Nb), "16\u{a0}632,56\u{a0}kr");
        assert_eq!(format_ore(1_663_256, Lang::En), "16\u{a0}632.56\u{a0}kr");
        assert_eq!(format_ore(-50, Lang::Nb), "−0,50\u{a0}kr");
        assert_eq!(format_ore_short(250_000_000, Lang::Nb), "2\u{a0}500\u{a0}000\u{a0}kr");
        assert_eq!(format_ore_short(-5, Lang::Nb), "−0,05\u{a0}kr");
        assert_eq!(typed_kr(1_250_000), "1 250 000");
    }

    /// A page embedding both partials, as the case page does.
    #[derive(Template)]
    #[template(
        source = "<form>{% include \"startlan_fields.html\" %}</form>{% include \"startlan_result.html\" %}",
        ext = "html"
    )]
    struct Embedding {
        l: Layout,
        startlan: StartlanFields,
        errors: FormErrors,
        affordability: Option<AffordabilityResult>,
    }

    fn render(startlan: StartlanFields, errors: FormErrors, lang: Lang) -> String {
        let affordability = if errors.is_empty() {
            startlan.assess(rules(), lang).ok().map(|(_, r)| r)
        } else {
            None
        };
        Embedding {
            l: Layout::anonymous(Tr::new(lang), false),
            startlan,
            errors,
            affordability,
        }
        .render()
        .expect("render")
    }

    fn unescape(text: &str) -> String {
        text.replace("&#34;", "\"")
            .replace("&#39;", "'")
            .replace("&#60;", "<")
            .replace("&#62;", ">")
            .replace("&#38;", "&")
    }

    fn attr(tag: &str, name: &str) -> Option<String> {
        let marker = format!(" {name}=\"");
        let start = tag.find(&marker)? + marker.len();
        Some(unescape(&tag[start..start + tag[start..].find('"')?]))
    }

    /// What a browser would post for the form in `html`.
    fn posted(html: &str) -> FormFields {
        let mut fields = Vec::new();
        for (start, _) in html.match_indices("<input ") {
            let tag = &html[start..start + html[start..].find('>').unwrap()];
            let name = attr(tag, "name").expect("an input has a name");
            let value = attr(tag, "value").unwrap_or_default();
            if attr(tag, "type").as_deref() != Some("checkbox") || tag.contains(" checked") {
                fields.push((name, value));
            }
        }
        for (start, _) in html.match_indices("<select ") {
            let end = start + html[start..].find("</select>").unwrap();
            let select = &html[start..end];
            let name = attr(select, "name").expect("a select has a name");
            let value = select
                .match_indices("<option ")
                .map(|(i, _)| &select[i..i + select[i..].find('>').unwrap()])
                .find(|option| option.contains(" selected"))
                .and_then(|option| attr(option, "value"))
                .unwrap_or_default();
            fields.push((name, value));
        }
        for (start, _) in html.match_indices("<textarea ") {
            let open_end = start + html[start..].find('>').unwrap();
            let name = attr(&html[start..open_end], "name").expect("a textarea has a name");
            let close = open_end + html[open_end..].find("</textarea>").unwrap();
            fields.push((name, unescape(&html[open_end + 1..close])));
        }
        FormFields(fields)
    }

    #[test]
    fn the_partials_post_back_what_they_show() {
        let mut f = example();
        f.bank_principal = "500 000".into();
        f.bank_term_years = "25".into();
        f.bank_rate = "8,5".into();
        f.term_years = "40".into();
        f.extended_term_reason = "Varig lav inntekt \"og\" <mer>".into();
        f.lasting_low_income = true;
        f.waiver = WAIVER_BOTH.into();
        let html = render(f.clone(), FormErrors::default(), Lang::Nb);
        assert_eq!(StartlanFields::from_form(&posted(&html)).unwrap(), f);
    }

    #[test]
    fn every_name_errors_use_is_a_field_the_form_binds() {
        let all = [
            MONTH,
            ADULTS,
            COUPLE,
            CHILDREN_AGES,
            ADULT_AGES,
            SEXES,
            INCOME,
            MAINTENANCE,
            OWN_LIVING_COSTS,
            PRINCIPAL,
            TERM,
            INSTALMENT_FREE,
            KIND,
            REASON,
            LASTING_LOW_INCOME,
            DWELLING_SUITS_LONG_TERM,
            RENTING_UNSUITABLE,
            SHORTER_TERM_NOT_RESPONSIBLE,
            WAIVER,
            BANK_PRINCIPAL,
            BANK_TERM,
            BANK_KIND,
            BANK_RATE,
            PRICE,
            PURCHASE_COSTS,
            EQUITY,
        ];
        let blank = StartlanFields::from_form(&FormFields::default()).unwrap();
        for name in all {
            let form = FormFields(vec![(name.to_string(), "7".to_string())]);
            assert_ne!(
                StartlanFields::from_form(&form).unwrap(),
                blank,
                "{name} is bound to no field"
            );
        }
        let row = FormFields(vec![(names::fixed_cost(6, "amount_kr"), "7".into())]);
        let bound = StartlanFields::from_form(&row).unwrap();
        assert_eq!(
            (bound.fixed_costs.len(), bound.fixed_costs[6].amount.as_str()),
            (7, "7")
        );
    }

    #[test]
    fn ids_are_unique_and_every_reference_resolves() {
        let mut f = example();
        f.bank_principal = "500 000".into();
        f.bank_term_years = "25".into();
        let valid = render(f.clone(), FormErrors::default(), Lang::Nb);
        f.month = "x".into();
        f.principal = "mye".into();
        f.term_years = "45".into();
        f.fixed_costs[3].label = "Bil".into();
        let errors = f.parse(rules(), Lang::Nb).unwrap_err();
        assert!(errors.items.len() >= 5, "{errors:?}");
        let invalid = render(f, errors.clone(), Lang::Nb);
        for html in [&valid, &invalid] {
            let ids: Vec<&str> = html
                .match_indices(" id=\"")
                .map(|(i, m)| {
                    let rest = &html[i + m.len()..];
                    &rest[..rest.find('"').unwrap()]
                })
                .collect();
            let mut unique = ids.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), ids.len(), "duplicate ids in {ids:?}");
            for reference in ["for", "aria-describedby", "aria-labelledby"] {
                let marker = format!(" {reference}=\"");
                for (i, _) in html.match_indices(&marker) {
                    let rest = &html[i + marker.len()..];
                    for id in rest[..rest.find('"').unwrap()].split_whitespace() {
                        assert!(ids.contains(&id), "{reference}={id:?} points nowhere");
                    }
                }
            }
        }
        // Every error is shown next to a field that has the error's anchor as its id.
        for (field, message) in &errors.items {
            let id = FormErrors::anchor(field);
            assert!(invalid.contains(&format!(" id=\"{id}\"")), "no element #{id}");
            assert!(
                invalid.contains(&format!(" id=\"{id}-error\">{}", askama_escape(message))),
                "no message for {field}"
            );
        }
        assert!(valid.contains("id=\"startlan-result-heading\""));
        assert!(!invalid.contains("id=\"startlan-result-heading\""));
    }

    fn askama_escape(text: &str) -> String {
        text.replace('&', "&#38;")
            .replace('<', "&#60;")
            .replace('>', "&#62;")
            .replace('"', "&#34;")
            .replace('\'', "&#39;")
    }

    #[test]
    fn the_result_explains_every_line() {
        let mut f = example();
        f.own_living_cost_estimate = "18 000".into();
        f.bank_principal = "100 000".into();
        f.bank_term_years = "10".into();
        f.instalment_free_years = "2".into();
        let (_, result) = f.assess(rules(), Lang::Nb).expect("assessed");
        let v = f.explain(&result, &Tr::new(Lang::Nb));
        assert_eq!(v.heading, "Betjeningsevne for 2024-10");
        let labels: Vec<&str> = v.lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "Inntekt etter skatt",
                "Levekostnader",
                "Barnehage, SFO eller AKS",
                "Studielån",
                "Drift og vedlikehold",
                "Terminbeløp startlån",
                "Terminbeløp banklån",
            ]
        );
        assert_eq!(v.lines[0].amount, "52\u{a0}000,00\u{a0}kr");
        let living = v.lines[1].details.join(" | ");
        assert!(living.contains("par 1 × 13\u{a0}100\u{a0}kr"), "{living}");
        assert!(living.contains("20\u{a0}900\u{a0}kr"), "{living}");
        assert!(living.contains("18\u{a0}000\u{a0}kr"), "{living}");
        assert!(living.contains("Brukt: satsene"), "{living}");
        assert_eq!(v.lines[2].details, ["Barnehage og SFO"]);
        let startlan = v.lines[5].details.join(" | ");
        assert!(
            startlan.contains("Renten i stresstesten: 7 % (styringsrenten 4,5 % + påslag på 2,5 prosentpoeng)"),
            "{startlan}"
        );
        assert!(startlan.contains("2 avdragsfrie år"), "{startlan}");
        assert!(v.lines[6].details.join(" ").contains("renten i stresstesten"));
        assert_eq!(v.schedule_headers.len(), 3);
        assert!(v.schedule_rows.iter().any(|r| r.label == "Første fulle terminbeløp"));
        assert!(v.grant.is_some());
        assert!(!v.rules.is_empty() && v.rules.iter().all(|r| !r.source.is_empty()));
        assert!(v.rules.iter().any(|r| r.what.starts_with("Styringsrenten")));
        assert!(!v.unverified.is_empty(), "the stress-test margin is not verified");

        let html = render(f, FormErrors::default(), Lang::En);
        assert!(html.contains("Start loan payment"), "{html}");
        assert!(html.contains("alert--warning"), "the unverified values are shown");
    }

    #[test]
    fn a_loan_out_of_reach_needs_a_grant() {
        let mut f = example();
        f.income_after_tax = "20 000".into();
        let (_, result) = f.assess(rules(), Lang::Nb).expect("assessed");
        let v = f.explain(&result, &Tr::new(Lang::Nb));
        assert!(!v.affordable);
        assert!(v.verdict.contains("mangler 25\u{a0}232,56\u{a0}kr"), "{}", v.verdict);
        let grant = v.grant.expect("grant");
        assert!(grant.needed);
        assert_eq!(grant.grant_needed, "2\u{a0}500\u{a0}000\u{a0}kr");
    }

    /// Every key this module and its templates use is in both calculator catalogues.
    #[test]
    fn every_key_is_in_the_calculator_catalogues() {
        let nb: std::collections::HashMap<String, String> =
            toml::from_str(include_str!("../../../catalogue/locales/nb-calculators.toml")).unwrap();
        let en: std::collections::HashMap<String, String> =
            toml::from_str(include_str!("../../../catalogue/locales/en-calculators.toml")).unwrap();
        let sources = [
            include_str!("startlan_form.rs"),
            include_str!("startlan_calculator.rs"),
            include_str!("../../templates/startlan_fields.html"),
            include_str!("../../templates/startlan_result.html"),
            include_str!("../../templates/startlan_calculator.html"),
        ];
        let mut missing = Vec::new();
        for source in sources {
            for (start, _) in source.match_indices("\"startlan.") {
                let rest = &source[start + 1..];
                let key = &rest[..rest.find('"').unwrap()];
                if key.ends_with('.') || key.contains(' ') {
                    continue;
                }
                for (lang, catalogue) in [("nb", &nb), ("en", &en)] {
                    if !catalogue.contains_key(key) {
                        missing.push(format!("{lang}: {key}"));
                    }
                }
            }
        }
        missing.sort();
        missing.dedup();
        assert!(missing.is_empty(), "missing keys: {missing:?}");
    }
}
