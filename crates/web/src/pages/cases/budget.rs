//! The municipality's yearly grant budget: per grant the allocation, what sent decisions have
//! committed, what is paid and what remains, with startlån granted the same year beside it. An
//! aggregate: leaders see the figures; the year's ledger, which names cases, only those who may
//! see cases.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::finance::GrantType;
use husly_domain::finance::requests::BUDGET_YEARS;
use husly_domain::message::Message;
use husly_store::finance::{BudgetLine, LedgerRow, StartlanYear};
use husly_usecases::UseCaseError;
use husly_usecases::finance as usecases;
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::{FormErrors, StaffForm};
use crate::layout::{Layout, Section};
use crate::pages::render;

/// Entries shown on the page; the rest are in the export of each case.
const LEDGER_ROWS: i64 = 200;

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
    /// The year before, when the budget keeps it (no link to a year the page would refuse).
    fn prev_year(&self) -> Option<i32> {
        Some(self.year - 1).filter(|y| BUDGET_YEARS.contains(y))
    }

    fn next_year(&self) -> Option<i32> {
        Some(self.year + 1).filter(|y| BUDGET_YEARS.contains(y))
    }

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

async fn page(state: &AppState, user: &CurrentUser, year: i32) -> AppResult<BudgetPage> {
    let municipality = user.working_municipality(Action::ViewGrantBudget)?.id;
    let budget = usecases::grant_budget(&user.ctx(state), municipality, year, LEDGER_ROWS)
        .await
        .map_err(|e| match e {
            UseCaseError::Invalid(_) => AppError::BadRequest(
                Message::new("error.finance.invalid_year")
                    .arg("first", BUDGET_YEARS.start())
                    .arg("last", BUDGET_YEARS.end()),
            ),
            other => other.into(),
        })?;
    Ok(BudgetPage {
        l: Layout::for_user(user, Section::GrantBudget, state.config.demo_mode),
        year: budget.year,
        lines: budget.lines,
        startlan: budget.startlan,
        can_see_cases: budget.ledger.is_some(),
        ledger: budget.ledger.unwrap_or_default(),
        can_manage: user.require(Action::ManageGrantBudget, municipality).is_ok(),
        errors: FormErrors::default(),
        grant: GrantType::Establishment.code().into(),
        allocated: String::new(),
        note: String::new(),
    })
}

/// `GET /grants/budget?year=2026`
pub async fn view(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BudgetQuery>,
) -> AppResult<Response> {
    let year = query.year.unwrap_or_else(|| state.clock.this_year());
    render(&page(&state, &user, year).await?)
}

/// The allocation form as typed; the use case reads and checks each value.
#[derive(Default, serde::Deserialize)]
#[serde(default)]
struct AllocationFields {
    grant: String,
    year: String,
    allocated_kr: String,
    note: String,
}

/// `POST /grants/budget`: sets a grant's allocation for a year.
pub async fn set(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let user = &form.user;
    let municipality = user.working_municipality(Action::ManageGrantBudget)?.id;
    let typed: AllocationFields = form.bind()?;
    let (grant, year, allocated, note) = (&typed.grant, &typed.year, &typed.allocated_kr, &typed.note);
    let errors = match usecases::set_allocation(&user.ctx(&state), municipality, grant, year, allocated, note).await {
        Ok((year, _, _)) => {
            return Ok(crate::flash::redirect(
                &format!("/grants/budget?year={year}"),
                "flash.budget.saved",
            ));
        }
        Err(UseCaseError::Invalid(errors)) => errors,
        Err(other) => return Err(other.into()),
    };
    let year = year.trim().parse().ok().filter(|y| BUDGET_YEARS.contains(y));
    let mut page = page(&state, user, year.unwrap_or_else(|| state.clock.this_year())).await?;
    page.errors = FormErrors::from_fields(&errors, user.tr.lang);
    page.grant = grant.trim().to_string();
    page.allocated = allocated.trim().to_string();
    page.note = note.trim().to_string();
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
