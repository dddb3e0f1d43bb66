//! `GET /allocation/stock`: stock versus demand — the waiting households by bedroom need and
//! wheelchair need against the dwellings and the last three years' lettings, as a table and a
//! chart that tell the same figures. Counts only; no one is named.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::charts::{PairedBars, paired_bars};
use crate::error::AppResult;
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use husly_domain::Lang;
use husly_domain::allocation::stock::{Group, StockAndDemand, StockRow};
use husly_domain::authz::Action;
use husly_usecases::stock;

/// A value in tenths as the reader writes it: "3,5" (or "3.5" in English); whole numbers bare.
pub fn tenths(lang: Lang, value: i64) -> String {
    let (whole, tenth) = (value / 10, (value % 10).abs());
    if tenth == 0 {
        return whole.to_string();
    }
    let mark = if lang == Lang::En { '.' } else { ',' };
    format!("{whole}{mark}{tenth}")
}

#[derive(Template)]
#[template(path = "stock.html")]
struct StockPage {
    l: Layout,
    table: StockAndDemand,
    chart: String,
}

impl StockPage {
    fn label(&self, row: &StockRow) -> String {
        row.group.key()
    }

    fn let_in(&self, year: &i32) -> String {
        self.l.tr.f("stock.col.let_in", &[("year", &year.to_string())])
    }

    fn per_year(&self, row: &StockRow) -> String {
        tenths(self.l.tr.lang, i64::from(row.lettings_per_year_tenths()))
    }

    fn years(&self, row: &StockRow) -> String {
        match row.years_to_serve_tenths {
            Some(t) => self
                .l
                .tr
                .f("stock.years_value", &[("years", &tenths(self.l.tr.lang, i64::from(t)))]),
            None => self.l.tr.t("stock.years_none").to_string(),
        }
    }

    fn total_row(&self, row: &StockRow) -> bool {
        row.group == Group::AllBedrooms
    }
}

/// The chart: waiting households against average lettings per year, per bedroom row.
fn chart(tr: Tr, table: &StockAndDemand) -> String {
    let rows: Vec<&StockRow> = table
        .rows
        .iter()
        .filter(|r| matches!(r.group, Group::Bedrooms(_) | Group::FivePlus))
        .collect();
    let groups: Vec<(String, i64, i64)> = rows
        .iter()
        .map(|r| {
            (
                tr.t(&r.group.key()).to_string(),
                i64::from(r.waiting) * 10,
                i64::from(r.lettings_per_year_tenths()),
            )
        })
        .collect();
    let description = rows
        .iter()
        .map(|r| {
            tr.f(
                "stock.chart.row",
                &[
                    ("group", tr.t(&r.group.key())),
                    ("waiting", &r.waiting.to_string()),
                    ("per_year", &tenths(tr.lang, i64::from(r.lettings_per_year_tenths()))),
                ],
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    let lettings = tr.f(
        "stock.chart.lettings",
        &[
            ("from", &table.years[0].to_string()),
            ("to", &table.years[table.years.len() - 1].to_string()),
        ],
    );
    paired_bars(&PairedBars {
        id: "stock-chart",
        title: tr.t("stock.chart.title"),
        description: &description,
        groups: &groups,
        legend: [tr.t("stock.chart.waiting"), &lettings],
        format: &|v| tenths(tr.lang, v),
    })
}

/// `GET /allocation/stock`.
pub async fn page(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewDwellings)?.id;
    let table = stock::stock_and_demand(&user.ctx(&state), municipality).await?;
    let l = Layout::for_user(&user, Section::WaitingList, state.config.demo_mode);
    let chart = chart(l.tr, &table);
    render(&StockPage { l, table, chart })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenths_are_written_with_the_readers_decimal_mark() {
        assert_eq!(tenths(Lang::Nb, 35), "3,5");
        assert_eq!(tenths(Lang::En, 35), "3.5");
        assert_eq!(tenths(Lang::Nn, 120), "12");
        assert_eq!(tenths(Lang::Nb, 0), "0");
    }
}
