//! The rent ledger page (`/tenancies/ledger`, under «Leieforhold»): the tenancies whose arrears
//! reach the municipality's threshold, the largest first, with the latest imports; and for the
//! housing manager the import of the accounting system's file, all rows or none, with a report
//! naming each bad row.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::layout::{Layout, Section, format_timestamp};
use crate::paging::{OffsetParam, Window};
use crate::routing::{Routes, get};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::MunicipalityId;
use husly_domain::authz::Action;
use husly_domain::rules::YearMonth;
use husly_domain::tenancy::arrears::{ArrearsThreshold, SignalReason};
use husly_domain::validation::group_thousands;
use husly_usecases::UseCaseError;
use husly_usecases::ledger::{self, ArrearsLine, ArrearsList, LedgerImport};

/// Tenancies listed on one page of the arrears list, the largest arrears first.
pub const LINES_SHOWN: usize = 100;

pub fn routes() -> Routes {
    Routes::new().route("/tenancies/ledger", get(page).post(import))
}

/// Words the ledger's templates share (the tenancy page's ledger section too).
pub struct LedgerWords {
    pub lang: husly_domain::Lang,
}

impl LedgerWords {
    pub fn month(&self, m: &YearMonth) -> String {
        m.written()
    }

    pub fn kr(&self, ore: &i64) -> String {
        super::startlan_form::format_ore_short(*ore, self.lang)
    }

    /// What is left unpaid of a month (negative: paid more than fell due).
    pub fn unpaid(&self, m: &husly_domain::tenancy::arrears::LedgerMonth) -> String {
        self.kr(&(m.due_ore - m.paid_ore))
    }

    /// Why a tenancy is on the list, as a catalogue key and its arguments worded by the caller.
    pub fn reason(&self, tr: &crate::i18n::Tr, reason: &SignalReason) -> String {
        match *reason {
            SignalReason::RentMonths { months, threshold_ore } => tr.f(
                if months.hundredths() == 100 {
                    "ledger.signal.months_of_rent.one"
                } else {
                    "ledger.signal.months_of_rent.other"
                },
                &[("months", &self.months(months)), ("amount", &self.kr(&threshold_ore))],
            ),
            SignalReason::Amount { threshold_ore } => {
                tr.f("ledger.signal.amount", &[("amount", &self.kr(&threshold_ore))])
            }
            SignalReason::MonthsBehind { months } => tr.f(
                if months == 1 {
                    "ledger.signal.months_behind.one"
                } else {
                    "ledger.signal.months_behind.other"
                },
                &[("months", &months.to_string())],
            ),
        }
    }

    fn months(&self, months: husly_domain::tenancy::arrears::RentMonths) -> String {
        let text = months.text();
        if self.lang.decimal_comma() {
            text.replace('.', ",")
        } else {
            text
        }
    }

    /// The thresholds as one sentence: «restansen er minst én måneds husleie, eller …».
    pub fn threshold(&self, tr: &crate::i18n::Tr, t: &ArrearsThreshold) -> String {
        let mut parts = Vec::new();
        if let Some(months) = t.months_of_rent {
            let key = if months.hundredths() == 100 {
                "ledger.threshold.months_of_rent.one"
            } else {
                "ledger.threshold.months_of_rent.other"
            };
            parts.push(tr.f(key, &[("months", &self.months(months))]));
        }
        if let Some(kr) = t.amount_kr {
            parts.push(tr.f("ledger.threshold.amount", &[("amount", &self.kr(&(kr * 100)))]));
        }
        if let Some(months) = t.months_behind {
            let key = if months == 1 {
                "ledger.threshold.months_behind.one"
            } else {
                "ledger.threshold.months_behind.other"
            };
            parts.push(tr.f(key, &[("months", &months.to_string())]));
        }
        tr.f(
            "ledger.threshold.intro",
            &[("criteria", &parts.join(tr.t("ledger.threshold.or")))],
        )
    }
}

#[derive(Template)]
#[template(path = "tenancies_ledger.html")]
struct LedgerPage {
    l: Layout,
    w: LedgerWords,
    list: ArrearsList,
    /// The lines of the list this page shows.
    window: Window,
    /// The import just made, for its confirmation.
    done: Option<LedgerImport>,
    /// A refused file's problems: each place in the file and what is wrong there.
    problems: Vec<(String, String)>,
}

impl LedgerPage {
    /// This page's lines of the list.
    fn shown(&self) -> &[ArrearsLine] {
        &self.list.lines[self.window.range()]
    }

    fn when(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }

    fn count_text(&self) -> String {
        self.l.tr.f(
            "ledger.list.count",
            &[
                ("listed", &group_thousands(self.list.lines.len() as u64)),
                ("in_arrears", &group_thousands(self.list.in_arrears as u64)),
                ("total", &self.w.kr(&self.list.total_ore)),
            ],
        )
    }

    fn threshold_text(&self) -> String {
        self.list
            .threshold
            .as_ref()
            .map(|t| self.w.threshold(&self.l.tr, &t.period.values))
            .unwrap_or_default()
    }

    fn source(&self) -> Option<String> {
        let t = self.list.threshold.as_ref()?;
        let source = t.source.as_ref()?;
        Some(self.l.tr.f(
            "ledger.threshold.source",
            &[("source", source.citation()), ("from", &t.period.meta.from.written())],
        ))
    }

    /// The rule file's note when a threshold is not confirmed by its source.
    fn unverified_note(&self) -> Option<&str> {
        let t = self.list.threshold.as_ref()?;
        let meta = &t.period.meta;
        (!meta.verified || !meta.unverified.is_empty())
            .then_some(meta.note.as_deref())
            .flatten()
    }

    fn reasons(&self, reasons: &[SignalReason]) -> String {
        reasons
            .iter()
            .map(|r| self.w.reason(&self.l.tr, r))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn who(&self, name: &Option<String>, via: &str) -> String {
        match (name, via) {
            (Some(name), _) => name.clone(),
            (None, "cli") => self.l.t("ledger.imports.cli").to_string(),
            _ => "—".into(),
        }
    }

    fn span(&self, first: &YearMonth, last: &YearMonth) -> String {
        if first == last {
            first.written()
        } else {
            format!("{}–{}", first.written(), last.written())
        }
    }
}

async fn ledger_page(
    state: &AppState,
    user: &CurrentUser,
    municipality: MunicipalityId,
    offset: usize,
) -> AppResult<LedgerPage> {
    let list = ledger::arrears_list(&user.ctx(state), municipality).await?;
    let window = Window::at(offset, list.lines.len(), LINES_SHOWN);
    let l = Layout::for_user(user, Section::Tenancies, state.config.demo_mode);
    Ok(LedgerPage {
        w: LedgerWords { lang: l.tr.lang },
        l,
        list,
        window,
        done: None,
        problems: Vec::new(),
    })
}

/// `GET /tenancies/ledger[?offset=N]`: a page of the list; an offset that is no number is the
/// first page, one past the end the last.
async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(asked): Query<OffsetParam>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewTenancies)?.id;
    render(&ledger_page(&state, &user, municipality, asked.offset()).await?)
}

/// `POST /tenancies/ledger`: a CSV or XLSX file from the accounting system; all rows or none.
async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    request: axum::extract::Request,
) -> AppResult<Response> {
    // Who may import is settled before the body is read.
    let municipality = user.working_municipality(Action::ManageTenancies)?.id;
    let upload = crate::upload::read_request(request).await?;
    user.check_csrf(&upload.csrf)?;
    match ledger::import_ledger(&user.ctx(&state), municipality, &upload.filename, &upload.bytes).await {
        Ok(done) => {
            let mut page = ledger_page(&state, &user, municipality, 0).await?;
            page.done = Some(done);
            render(&page)
        }
        Err(UseCaseError::Invalid(errors)) => {
            let mut page = ledger_page(&state, &user, municipality, 0).await?;
            page.problems = crate::import_report::problems(&errors, "ledger.field.", &page.l.tr);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(e) => Err(e.into()),
    }
}
