//! `/kostra`: the year's KOSTRA skjema 13 figures beside the year before, with the data-quality
//! warnings to clear before submission (the cases behind them linked for those who may see
//! cases), a year chooser and `/kostra.csv` with both years.

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
use husly_domain::kostra_form::{Compared, Unit, Warning};
use husly_domain::validation::{FieldError, format_date, group_thousands};
use husly_usecases::UseCaseError;
use husly_usecases::kostra_form::{self, KostraFigures};
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    #[serde(default)]
    pub(super) year: Option<String>,
}

/// The year as typed: blank for the default year, else a whole number (refused on `year`).
pub(super) fn parse_year(query: &YearQuery) -> Result<Option<i32>, UseCaseError> {
    match query.year.as_deref().map(str::trim).filter(|y| !y.is_empty()) {
        None => Ok(None),
        Some(text) => text.parse().map(Some).map_err(|_| {
            UseCaseError::Invalid(vec![FieldError::new(
                "year",
                "out_of_range",
                "error.kostra.year_out_of_range",
            )])
        }),
    }
}

/// The section a figure is shown under (`kostra.section.<key>`).
pub fn section_of(key: &str) -> &'static str {
    match key {
        k if k.starts_with("new_applications") => "applications",
        k if k.starts_with("new_tenants") => "new_tenants",
        k if k.starts_with("waiting_list") => "waiting_list",
        k if k.starts_with("stay_") => "stays",
        _ => "dwellings",
    }
}

/// A value as read: counts grouped in thousands, percentages with a decimal comma.
pub fn written(unit: Unit, value: Option<i64>) -> String {
    match (unit, value) {
        (_, None) => "–".into(),
        (Unit::Count, Some(n)) => {
            let sign = if n < 0 { "−" } else { "" };
            format!("{sign}{}", group_thousands(n.unsigned_abs()))
        }
        (Unit::Percent, Some(h)) => {
            let sign = if h < 0 { "−" } else { "" };
            format!("{sign}{} %", Figure(h.abs()).written())
        }
    }
}

/// One group of rows with its heading.
pub struct Group {
    pub key: &'static str,
    pub rows: Vec<Compared>,
}

#[derive(Template)]
#[template(path = "kostra_form.html")]
struct KostraPage {
    l: Layout,
    year: String,
    errors: FormErrors,
    figures: Option<KostraFigures>,
    groups: Vec<Group>,
    /// Figures counted to today: the year is not over.
    per_today: bool,
}

impl KostraPage {
    fn value(&self, unit: &Unit, value: &Option<i64>) -> String {
        written(*unit, *value)
    }

    fn change(&self, row: &Compared) -> String {
        match (row.change, row.row.unit) {
            (None, _) => "–".into(),
            (Some(c), Unit::Count) => format!("{}{}", if c > 0 { "+" } else { "" }, written(Unit::Count, Some(c))),
            (Some(c), Unit::Percent) => format!(
                "{}{} {}",
                if c > 0 { "+" } else { "" },
                written(Unit::Percent, Some(c)).trim_end_matches(" %"),
                self.l.t("kostra.points")
            ),
        }
    }

    fn name(&self, key: &str) -> String {
        self.l.t(&format!("kostra.figure.{key}")).to_string()
    }

    fn heading(&self, key: &str) -> String {
        self.l.t(&format!("kostra.section.{key}")).to_string()
    }

    fn warning(&self, w: &Warning) -> String {
        self.l
            .tr
            .f(&format!("kostra.warning.{}", w.key), &[("count", &w.count.to_string())])
    }

    fn fix(&self, w: &Warning) -> String {
        self.l.t(&format!("kostra.warning.{}.fix", w.key)).to_string()
    }

    fn any_warnings(&self) -> bool {
        self.figures
            .as_ref()
            .is_some_and(|f| f.this.warnings.iter().any(|w| w.count > 0))
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }
}

fn groups(figures: &KostraFigures) -> Vec<Group> {
    let mut out: Vec<Group> = Vec::new();
    for row in &figures.rows {
        let key = section_of(row.row.key);
        match out.last_mut() {
            Some(group) if group.key == key => group.rows.push(*row),
            _ => out.push(Group { key, rows: vec![*row] }),
        }
    }
    out
}

/// `GET /kostra?year=`: the figures (the year before until July, see
/// `kostra_form::default_year`), or the chooser with the error when the year cannot be shown.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewKostraFigures)?.id;
    let ctx = user.ctx(&state);
    let result = match parse_year(&query) {
        Ok(year) => kostra_form::kostra_figures(&ctx, municipality, year, true).await,
        Err(e) => Err(e),
    };
    let (figures, errors) = match result {
        Ok(figures) => (Some(figures), Vec::new()),
        Err(UseCaseError::Invalid(errors)) => (None, errors),
        Err(other) => return Err(other.into()),
    };
    let per_today = figures.as_ref().is_some_and(|f| f.this.as_of == ctx.today);
    let mut response = render(&KostraPage {
        l: Layout::for_user(&user, Section::Kostra, state.config.demo_mode),
        year: figures
            .as_ref()
            .map_or_else(|| query.year.clone().unwrap_or_default(), |f| f.this.year.to_string()),
        errors: FormErrors::from_fields(&errors, user.tr.lang),
        groups: figures.as_ref().map(groups).unwrap_or_default(),
        figures,
        per_today,
    })?;
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// The figures as CSV (semicolon-separated, UTF-8 with BOM, as Norwegian Excel opens it): one
/// line per figure with its variable code, the year, the year before and the change.
pub fn csv(figures: &KostraFigures, tr: &Tr) -> String {
    let field = crate::outreach_export::field;
    let number = |unit: Unit, value: Option<i64>| -> String {
        match (unit, value) {
            (_, None) => String::new(),
            (Unit::Count, Some(n)) => n.to_string(),
            (Unit::Percent, Some(h)) => {
                let sign = if h < 0 { "-" } else { "" };
                let text = format!("{sign}{}", Figure(h.abs()).decimal());
                if tr.lang == husly_domain::Lang::En {
                    text
                } else {
                    text.replace('.', ",")
                }
            }
        }
    };
    let mut out = format!(
        "\u{feff}{};{};{};{};{};{}\r\n",
        field(tr.t("kostra.csv.section")),
        field(tr.t("kostra.csv.figure")),
        field(tr.t("kostra.csv.code")),
        figures.this.year,
        figures.previous.year,
        field(tr.t("kostra.csv.change")),
    );
    for row in &figures.rows {
        let r = row.row;
        out.push_str(&format!(
            "{};{};{};{};{};{}\r\n",
            field(tr.t(&format!("kostra.section.{}", section_of(r.key)))),
            field(&format!(
                "{}{}",
                tr.t(&format!("kostra.figure.{}", r.key)),
                if r.unit == Unit::Percent { " (%)" } else { "" }
            )),
            field(r.code.unwrap_or_default()),
            number(r.unit, r.value),
            number(r.unit, row.previous),
            number(r.unit, row.change),
        ));
    }
    out
}

/// `GET /kostra.csv?year=`: both years' figures, counts only (not a read of personal data).
pub async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<YearQuery>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewKostraFigures)?;
    let (id, number) = (municipality.id, municipality.number.clone());
    let ctx = user.ctx(&state);
    let figures = match parse_year(&query) {
        Ok(year) => kostra_form::kostra_figures(&ctx, id, year, false).await,
        Err(e) => Err(e),
    }
    .map_err(|e| match e {
        UseCaseError::Invalid(errors) => AppError::Validation(errors),
        other => other.into(),
    })?;
    let filename = format!("kostra-13-{number}-{}.csv", figures.this.year);
    Ok(crate::download::file(
        &filename,
        "text/csv; charset=utf-8",
        csv(&figures, &user.tr),
    ))
}
