//! `/equity`: how the year's applications for municipal housing fare at each stage, by
//! household type and by KOSTRA main reason, with small numbers suppressed; `/equity.csv` the
//! same tables as a spreadsheet. Aggregates only: no household is named.

use super::kostra_form::{YearQuery, parse_year};
use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::action_plan::Figure;
use husly_domain::authz::Action;
use husly_domain::equity::{Equity, EquityRow, MIN_DENOMINATOR, Shown, Stage};
use husly_domain::validation::{format_date, group_thousands};
use husly_usecases::UseCaseError;
use husly_usecases::equity;

/// A cell as read: a count, "<5", hidden or not yet known.
pub fn cell(tr: &Tr, shown: Shown) -> String {
    match shown {
        Shown::Count(n) => group_thousands(n.unsigned_abs()),
        Shown::Small => "<5".into(),
        Shown::Hidden => tr.t("equity.hidden").into(),
        Shown::NotYetKnown => tr.t("equity.not_yet_known").into(),
    }
}

fn rate(rate: Option<Figure>) -> String {
    rate.map(|r| format!("{} %", r.written())).unwrap_or_default()
}

#[derive(Template)]
#[template(path = "equity.html")]
struct EquityPage {
    l: Layout,
    year: String,
    errors: FormErrors,
    equity: Option<Equity>,
    stages: Vec<&'static str>,
    min_denominator: i64,
}

impl EquityPage {
    fn cell(&self, row: &EquityRow, i: &usize) -> String {
        cell(&self.l.tr, row.cells[*i])
    }

    fn rate(&self, row: &EquityRow, i: &usize) -> String {
        rate(row.rates[*i])
    }

    fn group(&self, group: &str) -> String {
        self.l.t(&format!("equity.group.{group}")).to_string()
    }

    fn stage(&self, stage: &str) -> String {
        self.l.t(&format!("equity.stage.{stage}")).to_string()
    }

    fn by(&self, by: &str) -> String {
        self.l.t(&format!("equity.by.{by}")).to_string()
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn rule(&self) -> String {
        self.l
            .tr
            .f("equity.rule.small", &[("min", &self.min_denominator.to_string())])
    }
}

fn stages() -> Vec<&'static str> {
    Stage::ALL.iter().map(|s| s.code()).collect()
}

/// `GET /equity?year=`: the tables (the KOSTRA default year), or the chooser with the error.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewEquityFigures)?.id;
    let ctx = user.ctx(&state);
    let result = match parse_year(&query) {
        Ok(year) => equity::equity_figures(&ctx, municipality, year).await,
        Err(e) => Err(e),
    };
    let (equity, errors) = match result {
        Ok(e) => (Some(e), Vec::new()),
        Err(UseCaseError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(other.into()),
    };
    let mut response = render(&EquityPage {
        l: Layout::for_user(&user, Section::Equity, state.config.demo_mode),
        year: equity
            .as_ref()
            .map_or_else(|| query.year.clone().unwrap_or_default(), |e| e.year.to_string()),
        errors: FormErrors::from_fields(&errors, user.tr.lang),
        equity,
        stages: stages(),
        min_denominator: MIN_DENOMINATOR,
    })?;
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The tables as CSV (semicolon-separated, UTF-8 with BOM): one line per group with each
/// stage's count and rate as the page shows them.
pub fn csv(equity: &Equity, tr: &Tr) -> String {
    let field = crate::outreach_export::field;
    let mut head = vec![field(tr.t("equity.csv.table")), field(tr.t("equity.csv.group"))];
    for s in Stage::ALL {
        let key = format!("equity.stage.{}", s.code());
        let name = tr.t(&key);
        head.push(field(name));
        if s != Stage::Applied {
            head.push(field(&format!("{name} (%)")));
        }
    }
    let mut out = format!("\u{feff}{}\r\n", head.join(";"));
    for table in &equity.tables {
        for row in &table.rows {
            let mut line = vec![
                field(tr.t(&format!("equity.by.{}", table.by))),
                field(tr.t(&format!("equity.group.{}", row.group))),
            ];
            for (i, shown) in row.cells.iter().enumerate() {
                line.push(field(&cell(tr, *shown)));
                if i > 0 {
                    let r = row.rates[i].map(|r| {
                        let text = r.decimal();
                        if tr.lang == husly_domain::Lang::En {
                            text
                        } else {
                            text.replace('.', ",")
                        }
                    });
                    line.push(r.unwrap_or_default());
                }
            }
            out.push_str(&line.join(";"));
            out.push_str("\r\n");
        }
    }
    out
}

/// `GET /equity.csv?year=`.
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewEquityFigures)?;
    let (id, number) = (municipality.id, municipality.number.clone());
    let ctx = user.ctx(&state);
    let equity = match parse_year(&query) {
        Ok(year) => equity::equity_figures(&ctx, id, year).await,
        Err(e) => Err(e),
    }
    .map_err(|e| match e {
        UseCaseError::Invalid(errors) => AppError::Validation(errors),
        other => other.into(),
    })?;
    let filename = format!("likeverd-{number}-{}.csv", equity.year);
    Ok(crate::download::file(
        &filename,
        "text/csv; charset=utf-8",
        csv(&equity, &user.tr),
    ))
}
