//! The municipality's yearly grant budget: per grant the allocation, what sent decisions have
//! committed, what is paid and what remains, with startlån granted the same year beside it. An
//! aggregate: leaders see the figures; the year's ledger, which names cases, only those who may
//! see cases.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::authz::Action;
use husly_domain::finance::GrantType;
use husly_domain::validation::{FieldError, parse_kr};
use husly_store::finance::{BudgetLine, LedgerRow, StartlanYear};
use husly_store::households::Change;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::{FormErrors, FormFields};
use crate::layout::{Layout, Section};
use crate::pages::render;

/// Entries shown on the page; the rest are in the export of each case.
const LEDGER_ROWS: i64 = 200;
/// Years a budget may be kept for.
const YEARS: std::ops::RangeInclusive<i32> = 2020..=2100;

#[derive(Debug, Default, Deserialize)]
pub struct BudgetQuery {
    year: Option<i32>,
}

#[derive(Template)]
#[template(path = "grant_budget.html")]
struct BudgetPage {
    l: Layout,
    year: i32,
    lines: Vec<BudgetLine>,
    startlan: StartlanYear,
    ledger: Vec<LedgerRow>,
    can_see_cases: bool,
    can_manage: bool,
    errors: FormErrors,
    /// What was typed into the allocation form, kept on an error.
    grant: String,
    allocated: String,
    note: String,
}

impl BudgetPage {
    fn ore(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }

    fn grant_key(&self, grant: &GrantType) -> String {
        format!("budget.grant.{}", grant.code())
    }

    fn entry_key(&self, kind: &husly_domain::finance::EntryKind) -> String {
        format!("finance.entry.{}", kind.code())
    }

    fn date(&self, d: &time::Date) -> String {
        husly_domain::validation::format_date(*d)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn grants(&self) -> Vec<(&'static str, String, bool)> {
        GrantType::ALL
            .into_iter()
            .map(|g| (g.code(), format!("budget.grant.{}", g.code()), self.grant == g.code()))
            .collect()
    }

    fn totals(&self) -> husly_domain::finance::Position {
        let mut total = husly_domain::finance::Position::default();
        for line in &self.lines {
            total.allocated_ore += line.position.allocated_ore;
            total.committed_ore += line.position.committed_ore;
            total.paid_ore += line.position.paid_ore;
            total.released_ore += line.position.released_ore;
            total.remaining_ore += line.position.remaining_ore;
        }
        total
    }
}

fn this_year() -> i32 {
    time::OffsetDateTime::now_utc().year()
}

async fn page(state: &AppState, user: &CurrentUser, year: i32) -> AppResult<BudgetPage> {
    let municipality = user.working_municipality(Action::ViewGrantBudget)?.id;
    let can_see_cases = user.require(Action::ViewCase, municipality).is_ok();
    let lines = state.store.grant_budget(municipality, year).await?;
    let startlan = state.store.startlan_year(municipality, year).await?;
    let ledger = if can_see_cases {
        let ledger = state.store.year_ledger(municipality, year, LEDGER_ROWS).await?;
        user.audit_read(
            &state.store,
            municipality,
            "grant_ledger.view",
            ("municipality", municipality.to_string()),
            serde_json::json!({ "year": year, "rows": ledger.len() }),
        )
        .await?;
        ledger
    } else {
        Vec::new()
    };
    Ok(BudgetPage {
        l: Layout::for_user(user, Section::GrantBudget, state.config.demo_mode),
        year,
        lines,
        startlan,
        ledger,
        can_see_cases,
        can_manage: user.require(Action::ManageGrantBudget, municipality).is_ok(),
        errors: FormErrors::default(),
        grant: GrantType::Establishment.code().into(),
        allocated: String::new(),
        note: String::new(),
    })
}

fn year_of(year: Option<i32>) -> AppResult<i32> {
    let year = year.unwrap_or_else(this_year);
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(AppError::BadRequest(format!(
            "year must be between {} and {}",
            YEARS.start(),
            YEARS.end()
        )))
    }
}

/// `GET /grants/budget?year=2026`
pub async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BudgetQuery>,
) -> AppResult<Response> {
    let year = year_of(query.year)?;
    render(&page(&state, &user, year).await?)
}

/// The allocation form, checked: the grant, the year, the amount in whole kroner.
pub fn check_allocation(grant: &str, year: &str, allocated: &str) -> Result<(GrantType, i32, i64), Vec<FieldError>> {
    let mut errors = Vec::new();
    let grant_type = GrantType::from_code(grant.trim());
    if grant_type.is_none() {
        let allowed: Vec<&str> = GrantType::ALL.iter().map(|g| g.code()).collect();
        errors.push(FieldError::unknown_value("grant", grant.trim(), &allowed));
    }
    let year = year.trim().parse::<i32>().ok().filter(|y| YEARS.contains(y));
    if year.is_none() {
        errors.push(FieldError::new(
            "year",
            "invalid_year",
            format!("Velg et år mellom {} og {}.", YEARS.start(), YEARS.end()),
            format!("Choose a year between {} and {}.", YEARS.start(), YEARS.end()),
        ));
    }
    let amount = parse_kr(allocated).filter(|kr| (0..=husly_domain::finance::MAX_GRANT_KR * 100).contains(kr));
    if amount.is_none() {
        errors.push(FieldError::new(
            "allocated_kr",
            "not_a_number",
            "Skriv rammen i hele kroner, for eksempel 2 500 000.",
            "Write the allocation in whole kroner, for example 2 500 000.",
        ));
    }
    match (grant_type, year, amount) {
        (Some(g), Some(y), Some(kr)) => Ok((g, y, kr * 100)),
        _ => Err(errors),
    }
}

/// `POST /grants/budget`: sets a grant's allocation for a year.
pub async fn set(State(state): State<AppState>, user: CurrentUser, fields: FormFields) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ManageGrantBudget)?.id;
    user.check_csrf(fields.get("csrf"))?;
    let note = fields.get("note").trim();
    let checked =
        check_allocation(fields.get("grant"), fields.get("year"), fields.get("allocated_kr")).and_then(|ok| {
            if note.chars().count() > husly_domain::validation::MAX_TEXT_LEN {
                Err(vec![FieldError::too_long(
                    "note",
                    husly_domain::validation::MAX_TEXT_LEN,
                )])
            } else {
                Ok(ok)
            }
        });
    let (grant, year, allocated_ore) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let year = fields.get("year").trim().parse().ok().filter(|y| YEARS.contains(y));
            let mut page = page(&state, &user, year.unwrap_or_else(this_year)).await?;
            page.errors = FormErrors::from_fields(&errors, user.tr.lang);
            page.grant = fields.get("grant").trim().to_string();
            page.allocated = fields.get("allocated_kr").trim().to_string();
            page.note = note.to_string();
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            return Ok(response);
        }
    };
    let actor = user.actor(Some(municipality), "grant_budget");
    state
        .store
        .set_grant_allocation(
            municipality,
            year,
            grant,
            allocated_ore,
            note,
            &Change {
                actor: &actor,
                user: Some(user.user.id),
                reason: None,
            },
        )
        .await?;
    Ok(Redirect::to(&format!("/grants/budget?year={year}")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allocation_names_its_grant_year_and_amount() {
        assert_eq!(
            check_allocation("adaptation", "2026", "2 500 000"),
            Ok((GrantType::Adaptation, 2026, 250_000_000))
        );
        let errors = check_allocation("house", "1999", "mye").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["grant", "year", "allocated_kr"]);
        assert!(check_allocation("adaptation", "2026", "-5").is_err());
    }
}
