//! `/admin/reference-budget`: the municipality's figures from SIFO's reference budget for
//! startlån living costs, one field per age band (and sex) and household size, in whole kroner per
//! month; every save is a new version, listed below the form. For administrators and leaders.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::startlan::{ReferenceBudgetAmounts, ReferenceBudgetLayout};
use husly_domain::validation::{FieldError, format_date, format_ore_as_kr, parse_kr};
use husly_store::reference_budget::StoredReferenceBudget;
use husly_usecases::UseCaseError;
use husly_usecases::reference_budget::{self as usecases, ReferenceBudgetRequest};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use crate::pages::render;

/// The readable name of an amount key: `31–50 år, kvinne`, `4–5 år`. `adult` picks «kvinne/mann»
/// or «jente/gutt»; `None`: by the band's ages.
pub(crate) fn key_label(layout: &ReferenceBudgetLayout, key: &str, adult: Option<bool>, tr: Tr) -> String {
    let (band_id, sex) = match key.rsplit_once('_') {
        Some((band, "female")) => (band, Some("female")),
        Some((band, "male")) => (band, Some("male")),
        _ => (key, None),
    };
    let Some(band) = layout.bands.iter().find(|b| b.id == band_id) else {
        return key.to_string();
    };
    let adult = adult.unwrap_or(band.from_age >= 18);
    let from = band.from_age.to_string();
    let ages = match band.to_age {
        Some(to) if to == band.from_age => tr.f("startlan.band.year", &[("from", &from)]),
        Some(to) => tr.f("startlan.band.years", &[("from", &from), ("to", &to.to_string())]),
        None => tr.f("startlan.band.open", &[("from", &from)]),
    };
    match sex {
        Some(sex) => {
            let key = match (sex, adult) {
                ("female", true) => "startlan.sex.female",
                ("female", false) => "startlan.sex.female_child",
                (_, true) => "startlan.sex.male",
                (_, false) => "startlan.sex.male_child",
            };
            format!("{ages}, {}", tr.t(key))
        }
        None => ages,
    }
}

/// One amount field.
struct AmountField {
    name: String,
    label: String,
    value: String,
}

struct VersionRow {
    version: i64,
    valid_from: String,
    label: String,
    total_single_adult: String,
}

#[derive(Template)]
#[template(path = "reference_budget.html")]
struct ReferenceBudgetPage {
    l: Layout,
    errors: FormErrors,
    expected_version: i64,
    valid_from: String,
    label: String,
    individual: Vec<AmountField>,
    household: Vec<AmountField>,
    versions: Vec<VersionRow>,
    sources: Vec<(String, Option<String>)>,
}

impl ReferenceBudgetPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }
}

fn kr(ore: i64) -> String {
    format_ore_as_kr(ore)
}

async fn page(state: &AppState, user: &CurrentUser) -> AppResult<ReferenceBudgetPage> {
    let municipality = user.working_municipality(Action::ManageReferenceBudget)?.id;
    let versions = usecases::reference_budgets(&user.ctx(state), municipality).await?;
    let latest = versions.first();
    let layout = ReferenceBudgetLayout::embedded();
    let typed = |part: &BTreeMap<String, i64>, key: &str| part.get(key).map(|o| (o / 100).to_string());
    let fields = |keys: Vec<String>, individual: bool| -> Vec<AmountField> {
        keys.into_iter()
            .map(|key| {
                let (name, value, label) = if individual {
                    (
                        format!("individual_ore.{key}"),
                        latest.and_then(|s| typed(&s.budget.amounts.individual_ore, &key)),
                        key_label(layout, &key, None, user.tr),
                    )
                } else {
                    (
                        format!("household_ore.{key}"),
                        latest.and_then(|s| typed(&s.budget.amounts.household_ore, &key)),
                        user.tr.f(
                            "reference_budget.household_size",
                            &[("size", key.trim_start_matches("size_"))],
                        ),
                    )
                };
                AmountField {
                    name,
                    label,
                    value: value.unwrap_or_default(),
                }
            })
            .collect()
    };
    Ok(ReferenceBudgetPage {
        l: Layout::for_user(user, Section::ReferenceBudget, state.config.demo_mode),
        errors: FormErrors::default(),
        expected_version: latest.map_or(0, |s| s.budget.version),
        valid_from: String::new(),
        label: latest.map(|s| s.budget.label.clone()).unwrap_or_default(),
        individual: fields(layout.individual_keys(), true),
        household: fields(layout.household_keys(), false),
        versions: versions.iter().map(version_row).collect(),
        sources: layout
            .sources
            .iter()
            .map(|s| (s.title.clone(), s.url.clone()))
            .collect(),
    })
}

/// A version with, for comparison, what one adult (31–50, the higher sex) living alone costs.
fn version_row(s: &StoredReferenceBudget) -> VersionRow {
    let a = &s.budget.amounts;
    let adult = ["age_31_50_female", "age_31_50_male"]
        .iter()
        .filter_map(|k| a.individual_ore.get(*k))
        .max()
        .copied()
        .unwrap_or(0);
    let single = adult + a.household_ore.get("size_1").copied().unwrap_or(0);
    VersionRow {
        version: s.budget.version,
        valid_from: format_date(s.budget.valid_from),
        label: s.budget.label.clone(),
        total_single_adult: kr(single),
    }
}

/// `GET /admin/reference-budget`
pub async fn view(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    render(&page(&state, &user).await?)
}

/// `POST /admin/reference-budget`: saves a new version.
pub async fn save(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let user = &form.user;
    let municipality = user.working_municipality(Action::ManageReferenceBudget)?.id;
    let layout = ReferenceBudgetLayout::embedded();
    let mut errors: Vec<FieldError> = Vec::new();
    let mut read = |part: &str, keys: Vec<String>| -> BTreeMap<String, i64> {
        let mut amounts = BTreeMap::new();
        for key in keys {
            let name = format!("{part}.{key}");
            let text = form.fields.get(&name).trim();
            if text.is_empty() {
                errors.push(FieldError::required(name));
            } else if let Some(kr) = parse_kr(text).filter(|kr| kr.abs() <= 1_000_000) {
                amounts.insert(key, kr * 100);
            } else {
                errors.push(FieldError::new(name, "invalid_amount", "error.reference_budget.amount"));
            }
        }
        amounts
    };
    let individual_ore = read("individual_ore", layout.individual_keys());
    let household_ore = read("household_ore", layout.household_keys());
    let request = ReferenceBudgetRequest {
        expected_version: form.fields.get("expected_version").trim().parse().unwrap_or(0),
        valid_from: form.fields.get("valid_from"),
        label: form.fields.get("label"),
        amounts: ReferenceBudgetAmounts {
            individual_ore,
            household_ore,
        },
    };
    if errors.is_empty() {
        match usecases::set_reference_budget(&user.ctx(&state), municipality, request.clone()).await {
            Ok(_) => {
                return Ok(crate::flash::redirect(
                    "/admin/reference-budget",
                    "flash.reference_budget.saved",
                ));
            }
            Err(UseCaseError::Invalid(found)) => errors = found,
            Err(other) => return Err(other.into()),
        }
    } else if let Err(found) = usecases::check_request(&request) {
        // Report the other fields' problems too, without repeating an amount already named.
        let named: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        errors.extend(found.into_iter().filter(|f| !named.contains(&f.field)));
    }
    let mut page = page(&state, user).await?;
    page.errors = FormErrors::from_fields(&errors, user.tr.lang);
    page.valid_from = form.fields.get("valid_from").trim().to_string();
    page.label = form.fields.get("label").trim().to_string();
    for field in page.individual.iter_mut().chain(page.household.iter_mut()) {
        field.value = form.fields.get(&field.name).trim().to_string();
    }
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
