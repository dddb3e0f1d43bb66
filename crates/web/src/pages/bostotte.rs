//! A household's bostøtte estimate: the caseworker fills in incomes and housing costs, Husly shows
//! the calculation step by step. Nothing is stored; the page can be printed for the household.

use super::{path_id, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, checkbox};
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::bostotte::{
    BostotteRules, Estimate, EstimateRequest, HousingRequest, IncomeRequest, MemberRequest, Outcome,
};
use husly_domain::rules::{Percent, YearMonth};
use husly_domain::validation::{FieldError, format_date};
use husly_store::households::Household;
use husly_store::tenancies::Economy;
use serde::Deserialize;

/// One member row: who they are (from the household) and what the caseworker typed.
pub struct MemberRow {
    pub index: usize,
    pub name: String,
    pub birth_date: String,
    pub typed: MemberFields,
}

/// What the caseworker types for one member; the form's `members[i].…` fields.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberFields {
    /// Whole kroner a year.
    #[serde(default)]
    pub income: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub old_age_pensioner: bool,
    #[serde(default, deserialize_with = "checkbox")]
    pub young_disabled: bool,
    /// Disability benefit or a survivor's pension (the heating supplement before September 2024).
    #[serde(default, deserialize_with = "checkbox")]
    pub disability_or_survivor_pensioner: bool,
}

/// The estimate form as typed. Amounts are whole kroner as typed; the estimate reads them.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BostotteFields {
    /// `YYYY-MM`.
    #[serde(default)]
    pub month: String,
    #[serde(default)]
    pub members: Vec<MemberFields>,
    /// `rent`, `cooperative` or `owned`.
    #[serde(default)]
    pub tenure: String,
    #[serde(default)]
    pub monthly_rent: String,
    #[serde(default)]
    pub monthly_common_costs: String,
    #[serde(default)]
    pub monthly_loan_costs: String,
    #[serde(default)]
    pub annual_municipal_charges: String,
    #[serde(default)]
    pub annual_property_tax: String,
    #[serde(default)]
    pub annual_ground_rent: String,
    #[serde(default, deserialize_with = "checkbox")]
    pub heating_included: bool,
    #[serde(default, deserialize_with = "checkbox")]
    pub adapted_dwelling: bool,
    #[serde(default)]
    pub net_wealth: String,
    #[serde(default)]
    pub dwelling_tax_value: String,
}

#[derive(Template)]
#[template(path = "household_bostotte.html")]
struct BostottePage {
    l: Layout,
    household_id: String,
    address: String,
    rows: Vec<MemberRow>,
    /// The form as typed; its member rows are in `rows`.
    typed: BostotteFields,
    errors: FormErrors,
    estimate: Option<Estimate>,
}

impl BostottePage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn member_field(&self, index: &usize, name: &str) -> String {
        format!("members[{index}].{name}")
    }

    fn any_excluded(&self) -> bool {
        self.estimate
            .as_ref()
            .is_some_and(|e| e.members.iter().any(|m| m.exclusion.is_some()))
    }

    fn tenures(&self) -> [(&'static str, &'static str); 3] {
        [
            ("rent", "bostotte.tenure.rent"),
            ("cooperative", "bostotte.tenure.cooperative"),
            ("owned", "bostotte.tenure.owned"),
        ]
    }

    fn kr(&self, amount: &i64) -> String {
        format_kr(*amount)
    }

    fn pct(&self, p: &Percent) -> String {
        super::startlan_form::pct(*p, self.l.tr.lang)
    }

    fn outcome_key(&self, outcome: &Outcome) -> &'static str {
        match outcome {
            Outcome::Paid => "bostotte.outcome.paid",
            Outcome::BelowMinimum => "bostotte.outcome.below_minimum",
            Outcome::OwnShareExceedsCosts => "bostotte.outcome.own_share_exceeds_costs",
        }
    }

    /// The unverified values grouped by table and period: (table and period, fields, note, source).
    /// Which rates the estimate used, named by their month.
    fn rules_for(&self) -> String {
        let month = self.estimate.as_ref().map(|e| e.month.written()).unwrap_or_default();
        self.l.tr.f("bostotte.rules_for", &[("month", &month)])
    }

    /// The values not confirmed against their source, in words.
    fn unverified(&self) -> Vec<super::rule_values::Unverified> {
        self.estimate.as_ref().map_or_else(Vec::new, |estimate| {
            super::rule_values::unverified(&estimate.unverified, self.l.tr, source_title)
        })
    }

    fn sources_used(&self) -> Vec<(String, Option<String>)> {
        let Some(estimate) = &self.estimate else {
            return Vec::new();
        };
        let mut ids: Vec<&str> = estimate.used.iter().map(|u| u.source.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let rules = BostotteRules::embedded();
        ids.into_iter()
            .filter_map(|id| rules.sources.iter().find(|s| s.id == id))
            .map(|s| (s.title.clone(), s.url.clone()))
            .collect()
    }
}

fn source_title(id: &str) -> String {
    BostotteRules::embedded()
        .sources
        .iter()
        .find(|s| s.id == id)
        .map_or_else(|| id.to_string(), |s| s.title.clone())
}

pub use husly_domain::validation::format_kr;

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Household, Economy, String)> {
    let id: HouseholdId = path_id(id)?;
    let ctx = user.ctx(state);
    let (household, economy) =
        husly_usecases::households::open_economy(&ctx, id, Action::ViewHousehold, "bostotte_estimate").await?;
    let number = ctx.municipality_number(household.municipality_id)?.to_string();
    Ok((household, economy, number))
}

fn page(user: &CurrentUser, state: &AppState, household: &Household) -> BostottePage {
    let rows = household
        .members
        .iter()
        .enumerate()
        .map(|(index, m)| MemberRow {
            index,
            name: format!("{} {}", m.person.given_name, m.person.family_name),
            birth_date: format_date(m.person.birth_date),
            typed: MemberFields::default(),
        })
        .collect();
    let today = state.clock.today();
    BostottePage {
        l: Layout::for_user(user, Section::None, state.config.demo_mode),
        household_id: household.id.to_string(),
        address: crate::layout::household_address(&user.tr, household),
        rows,
        typed: BostotteFields {
            month: YearMonth::of(today).written(),
            tenure: "rent".into(),
            heating_included: true,
            ..Default::default()
        },
        errors: FormErrors::default(),
        estimate: None,
    }
}

pub async fn form(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (household, economy, _) = load(&state, &user, &id).await?;
    let mut page = page(&user, &state, &household);
    prefill(&mut page, &household, &economy);
    render(&page)
}

/// Starts the form from what is registered: the incomes that count, and the tenancy in force.
fn prefill(page: &mut BostottePage, household: &Household, economy: &Economy) {
    let Ok(month) = page.typed.month.parse::<YearMonth>() else {
        return;
    };
    let Ok(rules) = husly_domain::bostotte::MonthRules::new(BostotteRules::embedded(), month) else {
        return;
    };
    for (row, member) in page.rows.iter_mut().zip(&household.members) {
        let counted: i64 = economy
            .incomes_of(member.person.id)
            .filter(|(kind, _)| rules.counts(*kind))
            .map(|(_, ore)| ore)
            .sum();
        if counted > 0 {
            row.typed.income = (counted / 100).to_string();
        }
        row.typed.old_age_pensioner = economy
            .incomes_of(member.person.id)
            .any(|(kind, _)| kind == husly_domain::bostotte::IncomeKind::Pension)
            && husly_domain::bostotte::age_at(member.person.birth_date, month.first_day())
                >= husly_domain::bostotte::OLD_AGE_PENSION_AGE;
    }
    if let Some(tenancy) = economy.tenancy_on(month.first_day()) {
        page.typed.tenure = "rent".into();
        page.typed.monthly_rent = (tenancy.monthly_rent_ore / 100).to_string();
        page.typed.heating_included = tenancy.heating_included;
        page.typed.adapted_dwelling = tenancy.adapted;
    }
}

pub async fn calculate(State(state): State<AppState>, Path(id): Path<String>, staff: StaffForm) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (household, _, number) = load(&state, user, &id).await?;
    let mut page = page(user, &state, &household);
    let mut typed: BostotteFields = form.bind()?;
    typed.month = typed.month.trim().to_string();
    for (row, member) in page.rows.iter_mut().zip(std::mem::take(&mut typed.members)) {
        row.typed = member;
    }
    page.typed = typed;

    let (request, mut errors) = request_of(&page, &household, &number);
    if errors.is_empty() {
        match request.estimate(BostotteRules::embedded()) {
            Ok(estimate) => page.estimate = Some(estimate),
            Err(fields) => errors = fields.into_iter().map(to_form_field).collect(),
        }
    }
    if errors.is_empty() {
        return render(&page);
    }
    page.errors = FormErrors::from_fields(&errors, page.l.tr.lang);
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

/// Whole kroner as typed (see [`husly_domain::validation::parse_kr`]); empty is none.
fn parse_kr(errors: &mut Vec<FieldError>, field: &str, text: &str) -> Option<i64> {
    if text.trim().is_empty() {
        return None;
    }
    match husly_domain::validation::parse_kr(text) {
        Some(kr) if kr >= 0 => Some(kr),
        _ => {
            errors.push(FieldError::new(field, "invalid_amount", "error.bostotte.amount"));
            None
        }
    }
}

fn request_of(page: &BostottePage, household: &Household, number: &str) -> (EstimateRequest, Vec<FieldError>) {
    let mut errors = Vec::new();
    let members = page
        .rows
        .iter()
        .zip(&household.members)
        .map(|(row, member)| {
            let field = format!("members[{}].income", row.index);
            let income = parse_kr(&mut errors, &field, &row.typed.income);
            MemberRequest {
                birth_date: member.person.birth_date.to_string(),
                old_age_pensioner: row.typed.old_age_pensioner,
                young_disabled: row.typed.young_disabled,
                disability_or_survivor_pensioner: row.typed.disability_or_survivor_pensioner,
                incomes: income
                    .map(|annual_kr| IncomeRequest {
                        kind: "other_taxable".into(),
                        annual_kr,
                    })
                    .into_iter()
                    .collect(),
            }
        })
        .collect();
    let typed = &page.typed;
    let mut monthly = |field: &str, text: &str| parse_kr(&mut errors, field, text).map(|kr| kr.saturating_mul(12));
    let rent = monthly("monthly_rent", &typed.monthly_rent);
    let common = monthly("monthly_common_costs", &typed.monthly_common_costs);
    let loan = monthly("monthly_loan_costs", &typed.monthly_loan_costs);
    let charges = parse_kr(&mut errors, "annual_municipal_charges", &typed.annual_municipal_charges);
    let tax = parse_kr(&mut errors, "annual_property_tax", &typed.annual_property_tax);
    let ground = parse_kr(&mut errors, "annual_ground_rent", &typed.annual_ground_rent);
    let net_wealth_kr = parse_kr(&mut errors, "net_wealth", &typed.net_wealth);
    let dwelling_tax_value_kr = parse_kr(&mut errors, "dwelling_tax_value", &typed.dwelling_tax_value);
    // Only the items of the chosen tenure are sent; the form groups them by tenure.
    let housing = match typed.tenure.as_str() {
        "cooperative" => HousingRequest {
            tenure: "cooperative".into(),
            annual_common_costs_kr: common,
            annual_loan_costs_kr: loan,
            ..Default::default()
        },
        "owned" => HousingRequest {
            tenure: "owned".into(),
            annual_loan_costs_kr: loan,
            annual_municipal_charges_kr: charges,
            annual_property_tax_kr: tax,
            annual_ground_rent_kr: ground,
            ..Default::default()
        },
        "rent" => HousingRequest {
            tenure: "rent".into(),
            annual_rent_kr: Some(rent.unwrap_or(0)),
            ..Default::default()
        },
        // Anything else is refused by the same validation the API uses, named at the field.
        other => HousingRequest {
            tenure: other.to_string(),
            ..Default::default()
        },
    };
    let any_income = page.rows.iter().any(|r| !r.typed.income.trim().is_empty());
    let request = EstimateRequest {
        month: typed.month.clone(),
        kommunenummer: number.to_string(),
        members,
        annual_income_kr: (!any_income).then_some(0),
        housing: Some(HousingRequest {
            heating_included: typed.heating_included,
            ..housing
        }),
        net_wealth_kr,
        dwelling_tax_value_kr,
        adapted_dwelling: typed.adapted_dwelling,
        ..Default::default()
    };
    (request, errors)
}

/// Maps an error on the request's field to the form field the caseworker typed into.
fn to_form_field(mut error: FieldError) -> FieldError {
    let field = error.field.as_str();
    let mapped = if let Some(rest) = field.strip_prefix("members[") {
        rest.split_once(']').map(|(i, _)| format!("members[{i}].income"))
    } else {
        match field {
            "housing.annual_rent_kr" => Some("monthly_rent".into()),
            "housing.annual_common_costs_kr" => Some("monthly_common_costs".into()),
            "housing.annual_loan_costs_kr" => Some("monthly_loan_costs".into()),
            "housing.annual_municipal_charges_kr" => Some("annual_municipal_charges".into()),
            "housing.annual_property_tax_kr" => Some("annual_property_tax".into()),
            "housing.annual_ground_rent_kr" => Some("annual_ground_rent".into()),
            "housing.tenure" => Some("tenure".into()),
            "net_wealth_kr" => Some("net_wealth".into()),
            "dwelling_tax_value_kr" => Some("dwelling_tax_value".into()),
            _ => None,
        }
    };
    if let Some(mapped) = mapped {
        error.field = mapped;
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kroner_are_written_the_norwegian_way() {
        assert_eq!(format_kr(1729), "1\u{a0}729\u{a0}kr");
        assert_eq!(format_kr(237_240), "237\u{a0}240\u{a0}kr");
        assert_eq!(format_kr(63), "63\u{a0}kr");
        assert_eq!(format_kr(-1_000_000), "−1\u{a0}000\u{a0}000\u{a0}kr");
    }

    #[test]
    fn amounts_accept_spaces_and_refuse_the_rest() {
        let mut errors = Vec::new();
        assert_eq!(parse_kr(&mut errors, "x", " 12 500 "), Some(12_500));
        assert_eq!(parse_kr(&mut errors, "x", ""), None);
        assert!(errors.is_empty());
        assert_eq!(parse_kr(&mut errors, "x", "12,5"), None);
        assert_eq!(parse_kr(&mut errors, "y", "-3"), None);
        assert_eq!(errors.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["x", "y"]);
    }
}
