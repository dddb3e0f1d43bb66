//! Tenancy contracts: the list (open, expiring within N months, ended), one contract with its
//! periods and history, the contract form for an accepted offer, and ending a contract (shown
//! once more to be confirmed, since it ends the household's right to the home) and undoing an
//! end.

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm, path_id};
use crate::layout::{Layout, Section, format_timestamp};
use crate::routing::{Routes, get, post};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::allocation::offer::OfferState;
use husly_domain::authz::Action;
use husly_domain::tenancy::{ContractInput, ContractTerm, EndInput, EndReason, Expiry, SecurityKind};
use husly_domain::validation::{format_date, format_ore_as_kr};
use husly_store::allocation::Offer;
use husly_store::contracts::{Contract, ContractEvent};
use husly_usecases::UseCaseError;
use husly_usecases::contracts::{self, ContractList, ContractView, Contracts};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .route("/tenancies", get(list))
        .route("/tenancies/{id}", get(view))
        .route("/tenancies/{id}/end", post(end))
        .route("/tenancies/{id}/undo-end", post(undo_end))
        .route("/tenancies/{id}/rent", post(super::rent_changes::change))
        .route(
            "/tenancies/{id}/rent/{change}/cancel",
            post(super::rent_changes::cancel),
        )
        .route("/offers/{id}/contract", get(contract_form).post(create))
}

fn status(mut response: Response, code: StatusCode) -> AppResult<Response> {
    *response.status_mut() = code;
    Ok(response)
}

/// Words the contract templates share.
pub struct ContractWords;

impl ContractWords {
    pub fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    pub fn kr(&self, ore: &i64) -> String {
        format_ore_as_kr(*ore)
    }

    pub fn term(&self, c: &Contract) -> String {
        c.term.key()
    }

    pub fn security(&self, c: &Contract) -> String {
        c.security_kind.key()
    }

    pub fn state(&self, c: &Contract) -> String {
        c.state().key()
    }

    pub fn end_reason(&self, r: &EndReason) -> String {
        r.key()
    }

    pub fn end_reasons(&self) -> Vec<(&'static str, String)> {
        EndReason::ALL.iter().map(|r| (r.code(), r.key())).collect()
    }

    /// The tag for where a term stands: `None` when there is nothing to flag.
    pub fn expiry(&self, e: &Expiry) -> Option<(&'static str, &'static str)> {
        match e {
            Expiry::Lapsed => Some(("tag tag--danger", "tenancy.expiry.lapsed")),
            Expiry::Soon => Some(("tag tag--warning", "tenancy.expiry.soon")),
            Expiry::NotSoon => None,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(default)]
    list: String,
    #[serde(default)]
    months: String,
    #[serde(default)]
    offset: String,
}

#[derive(Template)]
#[template(path = "tenancies.html")]
struct ListPage {
    l: Layout,
    w: ContractWords,
    c: Contracts,
    which: &'static str,
    months: u8,
    rows: Vec<(Contract, Expiry)>,
}

impl ListPage {
    fn next_offset(&self) -> Option<i64> {
        let next = self.c.offset + contracts::PAGE;
        (next < self.c.page.total).then_some(next)
    }

    fn previous_offset(&self) -> Option<i64> {
        (self.c.offset > 0).then(|| (self.c.offset - contracts::PAGE).max(0))
    }

    fn expiring_intro(&self) -> String {
        self.l
            .tr
            .f("tenancy.list.expiring_intro", &[("months", &self.months.to_string())])
    }

    fn count_text(&self) -> String {
        self.l
            .tr
            .f("tenancy.list.count", &[("count", &self.c.page.total.to_string())])
    }
}

/// `GET /tenancies`: open contracts; `?list=expiring&months=N` those whose term ends within N
/// months (and those that ran out without an end); `?list=ended`.
async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<ListParams>,
) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewTenancies)?.id;
    let months = params
        .months
        .trim()
        .parse::<u8>()
        .unwrap_or(contracts::DEFAULT_HORIZON_MONTHS)
        .clamp(1, contracts::MAX_HORIZON_MONTHS);
    let (which, list) = match params.list.as_str() {
        "expiring" => ("expiring", ContractList::Expiring(months)),
        "ended" => ("ended", ContractList::Ended),
        _ => ("open", ContractList::Open),
    };
    let offset = params.offset.trim().parse::<i64>().unwrap_or(0);
    let c = contracts::contracts(&user.ctx(&state), municipality, list, offset).await?;
    let rows = c.page.contracts.iter().cloned().zip(c.expiry.iter().copied()).collect();
    render(&ListPage {
        l: Layout::for_user(&user, Section::Tenancies, state.config.demo_mode),
        w: ContractWords,
        c,
        which,
        months,
        rows,
    })
}

/// The end and undo forms as typed.
#[derive(Debug, Clone, Default, Deserialize)]
struct EndForm {
    #[serde(default)]
    ended_on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    notice_on: String,
    #[serde(default)]
    note: String,
    /// The household's startlån case, with `bought_own_home` (empty: none).
    #[serde(default)]
    move_on_case_id: String,
    #[serde(default)]
    confirmed: Option<String>,
}

#[derive(Template)]
#[template(path = "tenancy.html")]
pub(super) struct ContractPage {
    pub(super) l: Layout,
    w: ContractWords,
    lw: super::ledger::LedgerWords,
    pub(super) v: ContractView,
    form: EndForm,
    /// Which form the errors or the confirmation belong to: `end`, `undo`, `rent` or `cancel`.
    pub(super) active: &'static str,
    pub(super) errors: FormErrors,
    confirm: bool,
    pub(super) conflict: bool,
    /// What was typed in the rent form (or a cancel form), when it was refused.
    pub(super) rent_typed: crate::forms::FormFields,
    /// The rent change a refused cancel form was about.
    pub(super) cancel_for: String,
}

impl ContractPage {
    fn c(&self) -> &Contract {
        &self.v.contract
    }

    fn err(&self, form: &str, field: &str) -> Option<&str> {
        self.errors.get(&format!("{form}-{field}"))
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn when(&self, micros: &i64) -> String {
        format_timestamp(*micros)
    }

    fn event_key(&self, e: &ContractEvent) -> String {
        format!("tenancy.event.{}", e.kind)
    }

    fn chosen_reason(&self, code: &str) -> bool {
        self.form.reason == code
    }

    fn chosen_case(&self, case: &husly_domain::CaseId) -> bool {
        self.form.move_on_case_id == case.to_string()
    }

    /// The reference of the startlån case chosen on the end form, for the confirmation.
    fn chosen_case_reference(&self) -> Option<&str> {
        self.v
            .startlan_cases
            .iter()
            .find(|(case, _)| self.form.move_on_case_id == case.to_string())
            .map(|(_, reference)| reference.as_str())
    }

    fn confirm_reason(&self) -> String {
        EndReason::from_code(&self.form.reason)
            .map(|r| r.key())
            .unwrap_or_default()
    }

    fn ended(&self) -> bool {
        self.v.contract.ended_on.is_some()
    }

    /// What was typed in the rent form's field, when it was refused.
    fn rent_value(&self, field: &str) -> &str {
        if self.active == "rent" {
            self.rent_typed.get(field)
        } else {
            ""
        }
    }

    fn rent_bases(&self) -> Vec<(&'static str, String)> {
        husly_domain::tenancy::rent::RentBasis::ALL
            .iter()
            .map(|b| (b.code(), b.key()))
            .collect()
    }

    fn rent_basis_chosen(&self, code: &str) -> bool {
        self.rent_value("basis") == code
    }

    fn rent_status_key(&self, r: &husly_store::rent_changes::RentChange) -> &'static str {
        match (r.cancelled, r.applied) {
            (true, _) => "tenancy.rent.status.cancelled",
            (false, true) => "tenancy.rent.status.in_effect",
            (false, false) => "tenancy.rent.status.coming",
        }
    }

    /// The cancel form's reason field: the refused one has the id the error summary links to.
    fn cancel_field_id(&self, change: &str) -> String {
        if self.active == "cancel" && self.cancel_for == change {
            FormErrors::anchor("cancel-reason")
        } else {
            format!("f-cancel-reason-{change}")
        }
    }

    fn cancel_err(&self, change: &str) -> Option<&str> {
        (self.active == "cancel" && self.cancel_for == change)
            .then(|| self.errors.get("cancel-reason"))
            .flatten()
    }

    /// The ledger's balance in words: arrears, nothing owed, or paid in advance.
    fn balance_text(&self) -> String {
        let balance = self.v.ledger.arrears.balance_ore;
        match balance {
            0 => self.l.t("ledger.balance.zero").to_string(),
            b if b > 0 => self.l.tr.f("ledger.balance.owed", &[("amount", &self.lw.kr(&b))]),
            b => self.l.tr.f("ledger.balance.credit", &[("amount", &self.lw.kr(&-b))]),
        }
    }

    fn signal_text(&self) -> String {
        self.v
            .ledger
            .signal
            .iter()
            .map(|r| self.lw.reason(&self.l.tr, r))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn default_ended_on(&self) -> String {
        if self.form.ended_on.is_empty() {
            self.v.contract.term_end.map(format_date).unwrap_or_default()
        } else {
            self.form.ended_on.clone()
        }
    }
}

pub(super) async fn contract_page(state: &AppState, user: &CurrentUser, id: &str) -> AppResult<ContractPage> {
    let v = contracts::contract(&user.ctx(state), id).await?;
    let l = Layout::for_user(user, Section::Tenancies, state.config.demo_mode);
    Ok(ContractPage {
        lw: super::ledger::LedgerWords { lang: l.tr.lang },
        l,
        w: ContractWords,
        v,
        form: EndForm::default(),
        active: "",
        errors: FormErrors::default(),
        confirm: false,
        conflict: false,
        rent_typed: crate::forms::FormFields::default(),
        cancel_for: String::new(),
    })
}

/// `GET /tenancies/{id}`.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    render(&contract_page(&state, &user, &id).await?)
}

/// The page again after a refused form: the errors on their form, what was typed kept.
async fn again(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    active: &'static str,
    form: EndForm,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut page = contract_page(state, user, id).await?;
    page.active = active;
    page.form = form;
    match error {
        UseCaseError::Invalid(errors) => {
            page.errors = FormErrors::of_form(errors, active, page.l.tr.lang);
            status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
        }
        UseCaseError::Conflict => {
            page.conflict = true;
            status(render(&page)?, StatusCode::CONFLICT)
        }
        other => Err(other.into()),
    }
}

/// `POST /tenancies/{id}/end`: checked, then shown once more to be confirmed, then ended.
async fn end(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: EndForm = form.bind()?;
    let version = form.version()?;
    let input = EndInput {
        ended_on: &f.ended_on,
        reason: &f.reason,
        notice_on: &f.notice_on,
        note: &f.note,
        move_on_case_id: &f.move_on_case_id,
    };
    if f.confirmed.is_none() {
        let page = contract_page(&state, &form.user, &id).await?;
        if let Err(errors) = husly_domain::tenancy::check_end(&input, page.v.contract.start) {
            return again(&state, &form.user, &id, "end", f, UseCaseError::Invalid(errors)).await;
        }
        let mut page = page;
        page.active = "end";
        page.form = f;
        page.confirm = true;
        return render(&page);
    }
    let ctx = form.user.ctx(&state);
    match contracts::end_contract(&ctx, &id, version, &input).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/tenancies/{id}"),
            "flash.tenancy.ended",
        )),
        Err(e) => again(&state, &form.user, &id, "end", f, e).await,
    }
}

/// `POST /tenancies/{id}/undo-end`: the contract runs again, with a reason.
async fn undo_end(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: EndForm = form.bind()?;
    let version = form.version()?;
    let ctx = form.user.ctx(&state);
    match contracts::undo_contract_end(&ctx, &id, version, &f.note).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/tenancies/{id}"),
            "flash.tenancy.end_undone",
        )),
        Err(e) => again(&state, &form.user, &id, "undo", f, e).await,
    }
}

/// The contract form as typed.
#[derive(Debug, Clone, Deserialize)]
struct ContractForm {
    #[serde(default)]
    start: String,
    #[serde(default)]
    term: String,
    #[serde(default)]
    term_end: String,
    #[serde(default)]
    monthly_rent_kr: String,
    #[serde(default)]
    security_kind: String,
    #[serde(default)]
    security_kr: String,
    #[serde(default)]
    notice_11_1_on: String,
}

#[derive(Template)]
#[template(path = "contract_form.html")]
struct ContractFormPage {
    l: Layout,
    offer: Offer,
    /// The contract already written from this offer, if any.
    existing: Option<String>,
    form: ContractForm,
    errors: FormErrors,
    conflict: bool,
}

impl ContractFormPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn accepted(&self) -> bool {
        self.offer.state == OfferState::Accepted
    }

    fn terms(&self) -> Vec<(&'static str, String)> {
        ContractTerm::ALL.iter().map(|t| (t.code(), t.key())).collect()
    }

    fn securities(&self) -> Vec<(&'static str, String)> {
        SecurityKind::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }
}

/// The form's first values: the dwelling's rent, a fixed term of three years from the day after
/// the answer (what municipal contracts most often are), a deposit of three months' rent.
async fn form_page(state: &AppState, user: &CurrentUser, offer: &str) -> AppResult<ContractFormPage> {
    let municipality = user.working_municipality(Action::ManageTenancies)?.id;
    let ctx = user.ctx(state);
    let view = husly_usecases::offers::offer(&ctx, municipality, offer).await?;
    let existing = contracts::contract_of_offer(&ctx, municipality, offer).await?;
    let rent_ore = husly_usecases::dwellings::dwelling(&ctx, &view.offer.dwelling_id)
        .await
        .map(|d| d.dwelling.details.monthly_rent_ore)
        .unwrap_or(0);
    let start = view.offer.answered_on.unwrap_or(ctx.today).max(ctx.today);
    let form = ContractForm {
        start: format_date(start),
        term: ContractTerm::Fixed.code().into(),
        term_end: format_date(husly_domain::tenancy::ordinary_term_end(start)),
        monthly_rent_kr: (rent_ore / 100).to_string(),
        security_kind: SecurityKind::Deposit.code().into(),
        security_kr: (rent_ore / 100 * 3).to_string(),
        notice_11_1_on: String::new(),
    };
    Ok(ContractFormPage {
        l: Layout::for_user(user, Section::Tenancies, state.config.demo_mode),
        offer: view.offer,
        existing,
        form,
        errors: FormErrors::default(),
        conflict: false,
    })
}

/// `GET /offers/{id}/contract`: the contract form for an accepted offer.
async fn contract_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    render(&form_page(&state, &user, &id).await?)
}

/// `POST /offers/{id}/contract`: writes the contract; the dwelling is let and the household
/// leaves the waiting list.
async fn create(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id = path_id::<uuid::Uuid>(&id)?.to_string();
    let f: ContractForm = form.bind()?;
    let version = form.version()?;
    let municipality = form.user.working_municipality(Action::ManageTenancies)?.id;
    let input = ContractInput {
        start: &f.start,
        term: &f.term,
        term_end: &f.term_end,
        monthly_rent_kr: &f.monthly_rent_kr,
        security_kind: &f.security_kind,
        security_kr: &f.security_kr,
        notice_11_1_on: &f.notice_11_1_on,
    };
    let ctx = form.user.ctx(&state);
    match contracts::create_contract(&ctx, municipality, &id, version, &input).await {
        Ok(contract) => Ok(crate::flash::redirect(
            &format!("/tenancies/{contract}"),
            "flash.tenancy.created",
        )),
        Err(error) => {
            let mut page = form_page(&state, &form.user, &id).await?;
            page.form = f;
            match error {
                UseCaseError::Invalid(errors) => {
                    page.errors = FormErrors::from_fields(&errors, page.l.tr.lang);
                    status(render(&page)?, StatusCode::UNPROCESSABLE_ENTITY)
                }
                UseCaseError::Conflict => {
                    page.conflict = true;
                    status(render(&page)?, StatusCode::CONFLICT)
                }
                other => Err(other.into()),
            }
        }
    }
}
