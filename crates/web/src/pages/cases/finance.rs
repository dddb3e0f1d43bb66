//! The economy of startlån and grant cases on the case page: recording it (the affordability
//! form for a startlån, the grant's purpose and amounts), the grant's ledger and payments.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::authz::Action;
use husly_domain::finance::requests::PaymentRequest;
use husly_domain::finance::{CaseFinance, GrantCase, LoanPurpose, MeansTestException, Position, StartlanCase, Tenure};
use husly_domain::message::Message;
use husly_domain::startlan::StartlanRules;
use husly_domain::validation::{FieldError, parse_kr};
use husly_store::cases::Case;
use husly_store::finance::LedgerRow;

use super::view::{CasePage, case_page, finish, load};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::forms::path_id;
use crate::forms::{FormErrors, FormFields, StaffForm, checkbox};
use crate::pages::render;
use crate::pages::startlan_form::{Choice, StartlanFields};
use husly_domain::CaseId;
use husly_usecases::UseCaseError;
use husly_usecases::finance::GrantPosition;
use serde::Deserialize;

/// A grant's fields as typed (names are the domain's paths, so errors land on them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct GrantFields {
    #[serde(default, rename = "grant.purpose")]
    pub purpose: String,
    #[serde(default, rename = "grant.cost_kr")]
    pub cost_kr: String,
    #[serde(default, rename = "grant.applied_kr")]
    pub applied_kr: String,
    #[serde(default, rename = "grant.tenure")]
    pub tenure: String,
    #[serde(default, rename = "grant.landlord_consent", deserialize_with = "checkbox")]
    pub landlord_consent: bool,
    #[serde(default, rename = "grant.startlan_reference")]
    pub startlan_reference: String,
}

/// What a startlån case's economy form holds besides the affordability fields.
#[derive(Default, Deserialize)]
#[serde(default)]
struct LoanFields {
    loan_purpose: String,
    /// Empty: no exception from the means test.
    means_test_exception: String,
}

/// The payment form (`payment.…`).
#[derive(Deserialize)]
struct PaymentFields {
    #[serde(default, rename = "payment.amount_kr")]
    amount_kr: String,
    #[serde(default, rename = "payment.paid_on")]
    paid_on: String,
    #[serde(default, rename = "payment.note")]
    note: String,
}

/// What the case page shows of a loan or grant case beside the startlån form.
#[derive(Debug, Clone, Default)]
pub struct FinanceSection {
    /// `startlan`, `grant` or empty for other case types.
    pub kind: &'static str,
    pub loan_purpose: String,
    pub exception: String,
    pub grant: GrantFields,
    pub ledger: Vec<LedgerRow>,
    /// This year's budget for the case's grant.
    pub budget: Option<Position>,
    pub budget_year: i32,
    /// Committed to the case and not yet paid or released, øre.
    pub outstanding_ore: i64,
}

impl FinanceSection {
    pub fn loan_purpose_choices(&self) -> Vec<Choice> {
        LoanPurpose::ALL
            .into_iter()
            .map(|p| Choice {
                value: p.code(),
                label: purpose_key(p),
                selected: self.loan_purpose == p.code(),
            })
            .collect()
    }

    pub fn exception_choices(&self) -> Vec<Choice> {
        std::iter::once(Choice {
            value: "",
            label: "finance.exception.none",
            selected: self.exception.is_empty(),
        })
        .chain(MeansTestException::ALL.into_iter().map(|e| Choice {
            value: e.code(),
            label: exception_key(e),
            selected: self.exception == e.code(),
        }))
        .collect()
    }

    pub fn tenure_choices(&self) -> Vec<Choice> {
        [("owner", "finance.tenure.owner"), ("tenant", "finance.tenure.tenant")]
            .into_iter()
            .map(|(value, label)| Choice {
                value,
                label,
                selected: self.grant.tenure == value,
            })
            .collect()
    }
}

fn purpose_key(p: LoanPurpose) -> &'static str {
    match p {
        LoanPurpose::Purchase => "finance.purpose.purchase",
        LoanPurpose::Refinancing => "finance.purpose.refinancing",
        LoanPurpose::NewBuild => "finance.purpose.new_build",
        LoanPurpose::Upgrading => "finance.purpose.upgrading",
    }
}

fn exception_key(e: MeansTestException) -> &'static str {
    match e {
        MeansTestException::ChildrenOrSpecialNeeds => "finance.exception.children_or_special_needs",
        MeansTestException::RefinancingToKeepHome => "finance.exception.refinancing_to_keep_home",
        MeansTestException::MunicipalTenant => "finance.exception.municipal_tenant",
        MeansTestException::Recruitment => "finance.exception.recruitment",
    }
}

/// The startlån form's fields for a case: what is recorded, or a blank form for this month
/// with the household's composition filled in.
pub fn startlan_fields(
    case: &Case,
    household: &husly_store::households::Household,
    today: time::Date,
) -> StartlanFields {
    if let Some(CaseFinance::Startlan(s)) = &case.finance {
        return StartlanFields::from_input(&s.affordability);
    }
    let date = today;
    let mut fields = StartlanFields::blank(husly_domain::rules::YearMonth::of(date));
    let ages: Vec<i32> = household
        .members
        .iter()
        .map(|m| husly_domain::bostotte::age_at(m.person.birth_date, date))
        .collect();
    let adults = ages.iter().filter(|a| **a >= 18).count().max(1);
    fields.adults = adults.to_string();
    fields.children_ages = ages
        .iter()
        .filter(|a| **a < 18)
        .map(|a| a.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    fields.couple = household.members.iter().any(|m| {
        matches!(
            m.relation,
            husly_domain::household::Relation::Spouse | husly_domain::household::Relation::Cohabitant
        )
    });
    fields
}

/// The finance section as recorded for the case.
pub fn section(case: &Case, grant: Option<GrantPosition>, this_year: i32) -> FinanceSection {
    let mut section = FinanceSection {
        budget_year: this_year,
        ..Default::default()
    };
    match &case.finance {
        Some(CaseFinance::Startlan(s)) => {
            section.loan_purpose = s.purpose.code().into();
            section.exception = s.exception.map(|e| e.code().to_string()).unwrap_or_default();
        }
        Some(CaseFinance::Grant(g)) => {
            section.grant = GrantFields {
                purpose: g.purpose.clone(),
                cost_kr: g.cost_kr.to_string(),
                applied_kr: g.applied_kr.to_string(),
                tenure: match g.tenure {
                    Tenure::Owner => "owner".into(),
                    Tenure::Tenant => "tenant".into(),
                },
                landlord_consent: g.landlord_consent,
                startlan_reference: g.startlan_reference.clone().unwrap_or_default(),
            };
        }
        None => {
            section.loan_purpose = LoanPurpose::Purchase.code().into();
            section.grant.tenure = "owner".into();
        }
    }
    if case.case_type == husly_domain::cases::CaseType::Startlan {
        section.kind = "startlan";
    } else if let Some(grant) = grant {
        section.kind = "grant";
        section.ledger = grant.ledger.entries;
        section.outstanding_ore = grant.ledger.outstanding_ore;
        section.budget_year = grant.budget_year;
        section.budget = Some(grant.budget);
    }
    section
}

fn grant_from_form(typed: GrantFields, case: &Case) -> (GrantFields, Result<CaseFinance, Vec<FieldError>>) {
    let trim = |text: String| text.trim().to_string();
    let typed = GrantFields {
        purpose: trim(typed.purpose),
        cost_kr: trim(typed.cost_kr),
        applied_kr: trim(typed.applied_kr),
        tenure: trim(typed.tenure),
        startlan_reference: trim(typed.startlan_reference),
        ..typed
    };
    let mut errors = Vec::new();
    let mut amount = |field: &str, text: &str| match parse_kr(text) {
        Some(kr) => kr,
        None => {
            errors.push(unreadable_amount(field));
            0
        }
    };
    let cost_kr = amount("grant.cost_kr", &typed.cost_kr);
    let applied_kr = amount("grant.applied_kr", &typed.applied_kr);
    let tenure = match typed.tenure.as_str() {
        "owner" => Tenure::Owner,
        "tenant" => Tenure::Tenant,
        other => {
            errors.push(FieldError::unknown_value("grant.tenure", other, &["owner", "tenant"]));
            Tenure::Owner
        }
    };
    let Some(grant) = case.case_type.grant() else {
        return (typed, Err(vec![FieldError::required("grant")]));
    };
    let finance = CaseFinance::Grant(GrantCase {
        grant,
        purpose: typed.purpose.clone(),
        cost_kr,
        applied_kr,
        tenure,
        landlord_consent: typed.landlord_consent,
        startlan_reference: (!typed.startlan_reference.is_empty()).then(|| typed.startlan_reference.clone()),
    });
    if let Err(more) = finance.validate(StartlanRules::embedded()) {
        // An unreadable amount is reported once, not again as "negative".
        let unreadable: Vec<String> = errors.iter().map(|e| e.field.clone()).collect();
        errors.extend(more.into_iter().filter(|e| !unreadable.contains(&e.field)));
    }
    let result = if errors.is_empty() { Ok(finance) } else { Err(errors) };
    (typed, result)
}

fn startlan_from_form(
    typed: StartlanFields,
    loan: LoanFields,
) -> (StartlanFields, String, String, Result<CaseFinance, Vec<FieldError>>) {
    let purpose_code = loan.loan_purpose.trim().to_string();
    let exception_code = loan.means_test_exception.trim().to_string();
    let mut errors = Vec::new();
    let purpose = LoanPurpose::from_code(&purpose_code);
    if purpose.is_none() {
        let allowed: Vec<&str> = LoanPurpose::ALL.iter().map(|p| p.code()).collect();
        errors.push(FieldError::unknown_value("loan_purpose", &purpose_code, &allowed));
    }
    let exception = if exception_code.is_empty() {
        None
    } else {
        let found = MeansTestException::from_code(&exception_code);
        if found.is_none() {
            let allowed: Vec<&str> = MeansTestException::ALL.iter().map(|e| e.code()).collect();
            errors.push(FieldError::unknown_value(
                "means_test_exception",
                &exception_code,
                &allowed,
            ));
        }
        found
    };
    let input = typed.check(StartlanRules::embedded());
    let result = match (input, purpose) {
        (Ok(affordability), Some(purpose)) if errors.is_empty() => Ok(CaseFinance::Startlan(StartlanCase {
            purpose,
            exception,
            affordability,
        })),
        (input, _) => {
            errors.extend(input.err().unwrap_or_default());
            Err(errors)
        }
    };
    (typed, purpose_code, exception_code, result)
}

/// The error for an amount that cannot be read as whole kroner.
pub fn unreadable_amount(field: &str) -> FieldError {
    FieldError::new(field, "not_a_number", "error.finance.not_a_number")
}

/// `POST /cases/{id}/finance`: records the economy of a startlån or grant case.
pub async fn save(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let (user, fields) = (&form.user, &form.fields);
    let file = load(&state, user, &id, Action::HandleCase).await?;
    let id = file.case.id;
    let mut page = case_page(&state, user, file).await?;
    let result = match typed_economy(fields, &mut page)? {
        Ok(finance) => husly_usecases::finance::record_economy(&user.ctx(&state), id, form.version()?, &finance)
            .await
            .map(|_| ()),
        Err(errors) => Err(UseCaseError::Invalid(errors)),
    };
    let errors = match result {
        Ok(()) => {
            return Ok(crate::flash::redirect(
                &format!("/cases/{id}#economy-heading"),
                "flash.case.economy_saved",
            ));
        }
        Err(UseCaseError::Conflict) => {
            page.conflict = true;
            Vec::new()
        }
        Err(UseCaseError::Invalid(errors)) => {
            page.affordability = None;
            errors
        }
        Err(UseCaseError::Refused(refusal)) => vec![crate::i18n::refusal_error("finance", refusal)],
        Err(other) => return Err(other.into()),
    };
    page.errors = FormErrors::from_fields(&errors, user.tr.lang);
    let mut response = render(&page)?;
    *response.status_mut() = if page.conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(response)
}

/// The economy as the form typed it, kept on the page to show again, and read into the domain's
/// economy (or the fields' errors).
fn typed_economy(fields: &FormFields, page: &mut CasePage) -> AppResult<Result<CaseFinance, Vec<FieldError>>> {
    if page.case.case_type == husly_domain::cases::CaseType::Startlan {
        let (typed, purpose, exception, result) =
            startlan_from_form(StartlanFields::from_form(fields)?, fields.bind()?);
        page.startlan = typed;
        page.finance.loan_purpose = purpose;
        page.finance.exception = exception;
        Ok(result)
    } else if page.case.case_type.grant().is_some() {
        let (typed, result) = grant_from_form(fields.bind()?, &page.case);
        page.finance.grant = typed;
        Ok(result)
    } else {
        Err(AppError::BadRequest(Message::new("error.finance.no_economy")))
    }
}

/// `POST /cases/{id}/payments`: registers a payment of a granted grant.
pub async fn pay(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let user = &form.user;
    let id: CaseId = path_id(&id)?;
    let typed: PaymentFields = form.bind()?;
    let payment = PaymentRequest {
        amount_kr: &typed.amount_kr,
        paid_on: &typed.paid_on,
        note: &typed.note,
    };
    let result = husly_usecases::finance::register_payment(&user.ctx(&state), id, form.version()?, payment)
        .await
        .map_err(|e| e.nested("payment.", &[]));
    finish(
        &state,
        user,
        id,
        result,
        "flash.case.payment_registered",
        "payment.amount_kr",
        None,
    )
    .await
}

/// `POST /cases/{id}/establishment-grant`: registers an establishment-grant application for the
/// startlån's household, covering what the serviceable loan leaves uncovered.
pub async fn combine(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: CaseId = path_id(&id)?;
    match husly_usecases::finance::open_establishment_grant(&form.user.ctx(&state), id).await {
        Ok(grant) => Ok(crate::flash::redirect(
            &format!("/cases/{}", grant.id),
            "flash.case.grant_opened",
        )),
        Err(e) => finish(&state, &form.user, id, Err::<(), _>(e), "", "finance", None).await,
    }
}
