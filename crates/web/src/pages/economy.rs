//! A household's economy: registered incomes per member and benefits received (bostøtte). What
//! the bostøtte estimate and the outreach list start from.

use super::{path_id, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::bostotte::IncomeKind;
use husly_domain::economy::RegisteredIncome;
use husly_domain::validation::{FieldError, format_date, parse_date};
use husly_store::households::Household;
use husly_store::tenancies::Economy;
use husly_usecases::{UseCaseError, households};

/// Blank income rows offered per member, besides the registered ones.
const BLANK_ROWS: usize = 2;
/// Income rows accepted per member.
const MAX_ROWS: usize = 12;

pub struct IncomeRow {
    pub member: usize,
    pub row: usize,
    pub kind: String,
    pub amount: String,
}

pub struct MemberBlock {
    pub index: usize,
    pub name: String,
    pub rows: Vec<IncomeRow>,
}

#[derive(Template)]
#[template(path = "household_economy.html")]
struct EconomyPage {
    l: Layout,
    household_id: String,
    address: String,
    members: Vec<MemberBlock>,
    economy: Economy,
    benefit_from: String,
    errors: FormErrors,
}

impl EconomyPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn kinds(&self) -> Vec<(&'static str, String)> {
        IncomeKind::ALL
            .iter()
            .map(|k| (k.code(), self.l.t(&format!("income_kind.{}", k.code())).to_string()))
            .collect()
    }

    fn kr(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn benefit_name(&self, code: &str) -> String {
        self.l.t(&format!("benefit.{code}")).to_string()
    }
}

async fn load(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<(Household, Economy)> {
    let id: HouseholdId = path_id(id)?;
    Ok(households::open_economy(&user.ctx(state), id, Action::EditHousehold, "economy").await?)
}

fn page(user: &CurrentUser, state: &AppState, household: &Household, economy: Economy) -> EconomyPage {
    let members = household
        .members
        .iter()
        .enumerate()
        .map(|(index, m)| {
            let mut rows: Vec<IncomeRow> = economy
                .incomes_of(m.person.id)
                .enumerate()
                .map(|(row, (kind, ore))| IncomeRow {
                    member: index,
                    row,
                    kind: kind.code().to_string(),
                    amount: (ore / 100).to_string(),
                })
                .collect();
            for _ in 0..BLANK_ROWS {
                rows.push(IncomeRow {
                    member: index,
                    row: rows.len(),
                    kind: String::new(),
                    amount: String::new(),
                });
            }
            MemberBlock {
                index,
                name: format!("{} {}", m.person.given_name, m.person.family_name),
                rows,
            }
        })
        .collect();
    EconomyPage {
        l: Layout::for_user(user, Section::None, state.config.demo_mode),
        household_id: household.id.to_string(),
        address: crate::layout::household_address(&user.tr, household),
        members,
        economy,
        benefit_from: String::new(),
        errors: FormErrors::default(),
    }
}

pub async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let (household, economy) = load(&state, &user, &id).await?;
    render(&page(&user, &state, &household, economy))
}

fn invalid(mut page: EconomyPage, errors: &[FieldError]) -> AppResult<Response> {
    page.errors = FormErrors::from_fields(errors, page.l.tr.lang);
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

pub async fn save_incomes(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (household, economy) = load(&state, user, &id).await?;
    let mut page = page(user, &state, &household, economy);
    // The incomes as read, each with the row it came from (where its errors are shown).
    let mut incomes: Vec<RegisteredIncome> = Vec::new();
    let mut rows: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (block, member) in page.members.iter_mut().zip(&household.members) {
        let declared: usize = form
            .get(&format!("members[{}].rows", block.index))
            .parse()
            .unwrap_or(0)
            .min(MAX_ROWS);
        block.rows = (0..declared)
            .map(|row| IncomeRow {
                member: block.index,
                row,
                kind: form
                    .get(&format!("members[{}].incomes[{row}].kind", block.index))
                    .to_string(),
                amount: form
                    .get(&format!("members[{}].incomes[{row}].amount", block.index))
                    .to_string(),
            })
            .collect();
        for row in &block.rows {
            let prefix = format!("members[{}].incomes[{}]", row.member, row.row);
            if row.kind.is_empty() && row.amount.trim().is_empty() {
                continue;
            }
            let kind = IncomeKind::from_code(&row.kind);
            if kind.is_none() {
                errors.push(FieldError::new(
                    format!("{prefix}.kind"),
                    "required",
                    "error.economy.kind_required",
                ));
            }
            let ore = husly_domain::validation::parse_kr(&row.amount).and_then(|kr| kr.checked_mul(100));
            if ore.is_none() {
                errors.push(FieldError::new(
                    format!("{prefix}.amount"),
                    "invalid_amount",
                    "error.economy.amount",
                ));
            }
            if let (Some(kind), Some(annual_ore)) = (kind, ore) {
                incomes.push(RegisteredIncome {
                    person_id: member.person.id,
                    kind,
                    annual_ore,
                });
                rows.push(prefix);
            }
        }
    }
    if !errors.is_empty() {
        return invalid(page, &errors);
    }
    match households::set_incomes(&user.ctx(&state), household.id, &incomes).await {
        Ok(_) => {}
        Err(UseCaseError::Invalid(errors)) => {
            // `incomes[i].kind` is the kind field of the i-th row read; `annual_ore` its amount.
            let on_rows: Vec<FieldError> = errors
                .into_iter()
                .map(|mut e| {
                    let (at, part) = e
                        .field
                        .trim_start_matches("incomes[")
                        .split_once("].")
                        .unwrap_or_default();
                    if let Some(prefix) = at.parse::<usize>().ok().and_then(|i| rows.get(i)) {
                        let part = if part == "annual_ore" { "amount" } else { "kind" };
                        e.field = format!("{prefix}.{part}");
                    }
                    e
                })
                .collect();
            return invalid(page, &on_rows);
        }
        Err(e) => return Err(e.into()),
    }
    Ok(crate::flash::redirect(
        &format!("/households/{}/economy", household.id),
        "flash.economy.saved",
    ))
}

pub async fn register_bostotte(
    State(state): State<AppState>,
    Path(id): Path<String>,
    staff: StaffForm,
) -> AppResult<Response> {
    let (user, form) = (&staff.user, &staff.fields);
    let (household, economy) = load(&state, user, &id).await?;
    let mut page = page(user, &state, &household, economy);
    #[derive(serde::Deserialize)]
    struct BenefitFields {
        #[serde(default)]
        benefit_from: String,
    }
    page.benefit_from = form.bind::<BenefitFields>()?.benefit_from;
    let Some(from) = parse_date(&page.benefit_from) else {
        return invalid(page, &[FieldError::invalid_date("benefit_from")]);
    };
    households::register_bostotte(&user.ctx(&state), household.id, from).await?;
    Ok(crate::flash::redirect(
        &format!("/households/{}/economy", household.id),
        "flash.economy.saved",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::Lang;

    #[test]
    fn every_income_kind_and_benefit_has_a_name_in_both_languages() {
        for lang in [Lang::Nb, Lang::En] {
            let catalog = crate::i18n::catalog(lang);
            for kind in IncomeKind::ALL {
                assert!(
                    catalog.contains_key(&format!("income_kind.{}", kind.code())),
                    "{kind:?} in {lang:?}"
                );
            }
            assert!(catalog.contains_key(&format!("benefit.{}", husly_store::tenancies::BOSTOTTE)));
        }
    }
}
