//! The access log, as a data-protection officer reads it: actions in words, people and cases by
//! name and reference, filtered by person (identity number or name), case, user, action and
//! period; the answer for one person as a PDF for an access request (GDPR art. 15).

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::forms::FormErrors;
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use husly_domain::authz::{Action, Role};
use husly_domain::validation::format_date;
use husly_store::audit::{AuditEntry, AuditFilter};
use husly_store::footprint::RecordName;
use husly_usecases::UseCaseError;
use husly_usecases::access_log::{self, AccessQuery, AccessReport, PersonFound, PersonWanted};

#[derive(Debug, Default, Clone, serde::Deserialize)]
#[serde(default)]
pub struct AuditParams {
    /// A user's e-mail address.
    actor: String,
    action: String,
    /// A record's id (links from elsewhere); the form offers `case` and `person` instead.
    resource: String,
    /// A case reference.
    case: String,
    /// An identity number or a name.
    person: String,
    /// One of the people a name matched.
    person_id: String,
    from: String,
    to: String,
    page: u32,
}

pub const AUDIT_PAGE_SIZE: i64 = 100;

/// Entries a PDF for an access request holds at the most (the newest).
const PDF_ENTRIES: i64 = 500;

/// Every action the access log records, in the order the filter offers them; each has a label
/// `audit.action.<code>`.
pub(crate) const AUDIT_ACTIONS: &[&str] = &[
    "person.search",
    "person.view",
    "household.view",
    "household.timeline",
    "household.create",
    "household.update",
    "user.create",
    "user.grant_role",
    "user.set_roles",
    "user.disable",
    "user.enable",
    "user.reset_password",
    "token.create",
    "token.revoke",
    "municipality.create",
    "seed.households",
    "installation.export",
    "case.queue",
    "case.view",
    "case.timeline",
    "case.change",
    "case.letter",
    "case.letter_preview",
    "case.document",
    "case.documents",
    "case.case_file",
    "document.add",
    "draft.create",
    "draft.save",
    "draft.expired_deleted",
    "grant_budget.set",
    "reference_budget.set",
    "grant_ledger.post",
    "grant_ledger.view",
    "household.benefit",
    "household.incomes",
    "household.note",
    "case.notes",
    "case.tasks",
    "household.notes",
    "household.representative",
    "household.representatives",
    "household.stay",
    "household.stays",
    "household.follow_up",
    "household.follow_up_view",
    "household.outreach_contact",
    "outreach.contact_view",
    "household.consent",
    "household.consents_view",
    "household.protection_view",
    "household.address_protection",
    "household.address_reveal",
    "household.referral",
    "household.referrals_view",
    "household.meeting",
    "household.meetings_view",
    "reminders.view",
    "reminders.mark",
    "reminders.raise",
    "referrals.queue",
    "partner.referral_queue",
    "partner.household_list",
    "partner.household_view",
    "partner.document",
    "partner.organisation_added",
    "partner.membership_set",
    "follow_up.caseload",
    "stays.list",
    "kostra.cases",
    "outreach.bostotte",
    "outreach.list_made",
    "plan.created",
    "plan.changed",
    "plan.goal_added",
    "plan.goal_changed",
    "plan.measure_added",
    "plan.measure_changed",
    "plan.indicator_added",
    "plan.indicator_changed",
    "plan.value_reported",
    "plan.indicator_cases",
    "dwelling.created",
    "dwelling.updated",
    "dwelling.status",
    "dwelling.deleted",
    "dwelling.restored",
    "dwelling.imported",
    "waiting_list.view",
    "allocation.preview",
    "allocation.round_started",
    "allocation.round_drawn",
    "allocation.round_view",
    "allocation.draw_published",
    "allocation.line_overridden",
    "allocation.round_closed",
    "allocation.round_cancelled",
    "offer.made",
    "offer.list",
    "offer.view",
    "offer.accepted",
    "offer.declined",
    "offer.expired",
    "offer.withdrawn",
    "offer.reopened",
    "priority_policy.saved",
    "priority_policy.simulate",
    "tenancy.created",
    "tenancy.ended",
    "tenancy.rent_changed",
    "tenancy.rent_change_cancelled",
    "tenancy.rent_change_applied",
    "tenancy.end_undone",
    "tenancy.review_opened",
    "tenancy.renewed",
    "tenancy.not_renewed",
    "tenancy.list",
    "tenancy.view",
    "tenancy.ledger_imported",
    "tenancy.arrears",
    "auth.lockout",
    "audit.view",
];

#[derive(Template)]
#[template(path = "admin_audit.html")]
struct AuditPage {
    l: Layout,
    params: AuditParams,
    report: AccessReport,
    errors: FormErrors,
    previous: Option<String>,
    next: Option<String>,
    pdf: Option<String>,
}

/// Words for one entry, shared by the page and the PDF, and by the person's own view of the log
/// in self-service (`for_the_person`: staff by name, without their e-mail addresses).
pub(crate) struct Words<'a> {
    pub l: &'a Layout,
    pub report: &'a AccessReport,
    pub for_the_person: bool,
}

impl Words<'_> {
    pub fn time(&self, micros: i64) -> String {
        crate::layout::format_timestamp(micros)
    }

    /// The user's name and address, or the actor as recorded (the applicant, the system).
    pub fn who(&self, actor: &str) -> String {
        let tr = self.l.tr;
        match self.report.users.iter().find(|u| u.id.to_string() == actor) {
            Some(u) if self.for_the_person => u.display_name.clone(),
            Some(u) => format!("{} ({})", u.display_name, u.email),
            None if actor.starts_with("applicant:") => tr.t("audit.actor.applicant").to_string(),
            None if actor == "system" || actor == "cli" => tr.t(&format!("audit.actor.{actor}")).to_string(),
            // Someone without a role here now (an operator, a former employee).
            None => tr.t("audit.actor.other").to_string(),
        }
    }

    /// A translated label for a stable code, or the code itself when there is none.
    pub fn label(&self, prefix: &str, code: &str) -> String {
        // A partner's purpose names the consents it acted on (`consent:<id>,<id>`); opening a
        // protected address names why (`protected_address:<purpose>`).
        let code = match code.split_once(':') {
            Some(("consent", _)) if prefix == "audit.purpose" => "consent".to_string(),
            Some(("protected_address", why)) if prefix == "audit.purpose" => format!("protected_address.{why}"),
            _ => code.to_string(),
        };
        let key = format!("{prefix}.{code}");
        match self.l.tr.t(&key) {
            text if text == key => code.to_string(),
            text => text.to_string(),
        }
    }

    pub fn roles(&self, codes: &str) -> String {
        codes
            .split(',')
            .filter(|c| !c.is_empty())
            .map(|c| {
                // A user's role, or the capacity of work done by the server or the command line.
                Role::from_code(c).map_or_else(
                    || self.label("audit.role", c),
                    |r| self.l.tr.t(super::admin::role_key(r)).to_string(),
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// What the entry is about, by name or reference; a record without a name by its kind.
    pub fn record(&self, entry: &AuditEntry) -> String {
        let tr = self.l.tr;
        match self.report.names.get(&entry.resource_id) {
            Some(RecordName::Person {
                given_name,
                family_name,
            }) => tr.f(
                "audit.record.person",
                &[("name", &format!("{given_name} {family_name}"))],
            ),
            Some(RecordName::Household {
                address_protected: true,
                ..
            }) => tr.f("audit.record.household", &[("address", tr.t("protection.masked"))]),
            Some(RecordName::Household {
                address_line,
                postal_code,
                postal_city,
                ..
            }) => tr.f(
                "audit.record.household",
                &[("address", &format!("{address_line}, {postal_code} {postal_city}"))],
            ),
            Some(RecordName::Case { reference, case_type }) => tr.f(
                "audit.record.case",
                &[
                    ("reference", reference),
                    ("type", tr.t(&format!("case_type.{case_type}"))),
                ],
            ),
            None => self.label("audit.kind", &entry.resource_kind),
        }
    }
}

impl AuditPage {
    fn words(&self) -> Words<'_> {
        Words {
            l: &self.l,
            report: &self.report,
            for_the_person: false,
        }
    }

    fn time(&self, micros: &i64) -> String {
        self.words().time(*micros)
    }

    fn who(&self, actor: &str) -> String {
        self.words().who(actor)
    }

    fn label(&self, prefix: &str, code: &str) -> String {
        self.words().label(prefix, code)
    }

    fn roles(&self, codes: &str) -> String {
        self.words().roles(codes)
    }

    fn record(&self, entry: &AuditEntry) -> String {
        self.words().record(entry)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    /// The actions the filter offers, with their labels.
    fn actions(&self) -> Vec<(&'static str, String)> {
        AUDIT_ACTIONS
            .iter()
            .map(|code| (*code, self.label("audit.action", code)))
            .collect()
    }

    /// The person the log is shown for, in words.
    fn person_line(&self) -> Option<String> {
        match &self.report.person {
            PersonFound::One(p) => Some(self.l.tr.f(
                "audit.person_shown",
                &[
                    ("name", &format!("{} {}", p.given_name, p.family_name)),
                    ("born", &format_date(p.birth_date)),
                ],
            )),
            _ => None,
        }
    }

    fn candidates(&self) -> Vec<(String, String)> {
        match &self.report.person {
            PersonFound::Several(people) => people
                .iter()
                .map(|p| {
                    let mut params = self.params.clone();
                    params.person_id = p.id.to_string();
                    params.page = 0;
                    (
                        format!("{} {} ({})", p.given_name, p.family_name, format_date(p.birth_date)),
                        link("/admin/audit", &params),
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    fn nobody(&self) -> bool {
        matches!(self.report.person, PersonFound::Nobody)
    }

    /// The random tail of a request id: enough to find it in the server's logs.
    fn short(&self, id: &str) -> String {
        id.rsplit('-').next().unwrap_or(id).to_string()
    }
}

/// Turns the filter form into a query; dates are whole days in Norwegian time.
fn query_of(params: &AuditParams, errors: &mut husly_domain::validation::Errors, limit: i64) -> AccessQuery {
    let day_start = |date: time::Date| husly_store::micros_of(husly_domain::oslo::start_of_day(date));
    let from = errors.optional_date("from", &params.from).map(day_start);
    let to = errors
        .optional_date("to", &params.to)
        .map(|d| day_start(d.next_day().unwrap_or(d)));
    let nonempty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    let person = match (params.person_id.parse(), params.person.trim()) {
        (Ok(id), _) => PersonWanted::Chosen(id),
        (Err(_), "") => PersonWanted::Anyone,
        (Err(_), typed) => PersonWanted::Typed(typed.to_string()),
    };
    AccessQuery {
        filter: AuditFilter {
            actor: nonempty(&params.actor),
            action: nonempty(&params.action),
            resource_id: nonempty(&params.resource),
            from_micros: from,
            to_micros: to,
            limit,
            offset: i64::from(params.page) * AUDIT_PAGE_SIZE,
            ..Default::default()
        },
        person,
        case_reference: params.case.clone(),
    }
}

fn link(path: &str, params: &AuditParams) -> String {
    let q = |s: &str| percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string();
    format!(
        "{path}?actor={}&action={}&resource={}&case={}&person={}&person_id={}&from={}&to={}&page={}",
        q(&params.actor),
        q(&params.action),
        q(&params.resource),
        q(&params.case),
        q(&params.person),
        q(&params.person_id),
        q(&params.from),
        q(&params.to),
        params.page
    )
}

/// The report, or the field errors of the filter (then nothing is read).
async fn read(
    state: &AppState,
    user: &CurrentUser,
    params: &AuditParams,
    limit: i64,
) -> AppResult<Result<AccessReport, Vec<husly_domain::validation::FieldError>>> {
    let municipality = user.working_municipality(Action::ReadAudit)?.id;
    let mut errors = husly_domain::validation::Errors::default();
    let query = query_of(params, &mut errors, limit);
    if !errors.is_empty() {
        return Ok(Err(errors.0));
    }
    match access_log::access_report(&user.ctx(state), municipality, query).await {
        Ok(report) => Ok(Ok(report)),
        Err(UseCaseError::Invalid(errors)) => Ok(Err(errors)),
        Err(other) => Err(other.into()),
    }
}

/// `GET /admin/audit`
pub async fn audit(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AuditParams>,
) -> AppResult<Response> {
    let (report, errors) = match read(&state, &user, &params, AUDIT_PAGE_SIZE + 1).await? {
        Ok(report) => (report, Vec::new()),
        Err(errors) => (AccessReport::default(), errors),
    };
    let mut report = report;
    let has_more = report.entries.len() as i64 > AUDIT_PAGE_SIZE;
    report.entries.truncate(AUDIT_PAGE_SIZE as usize);
    let at = |page: u32| {
        let mut p = params.clone();
        p.page = page;
        link("/admin/audit", &p)
    };
    let previous = (params.page > 0).then(|| at(params.page - 1));
    let next = has_more.then(|| at(params.page + 1));
    let pdf = matches!(report.person, PersonFound::One(_)).then(|| {
        let mut p = params.clone();
        if let PersonFound::One(person) = &report.person {
            p.person_id = person.id.to_string();
        }
        p.page = 0;
        link("/admin/audit/access-request.pdf", &p)
    });
    let invalid = !errors.is_empty();
    let mut response = render(&AuditPage {
        l: Layout::for_user(&user, Section::Audit, state.config.demo_mode),
        errors: FormErrors::from_fields(&errors, user.tr.lang),
        params,
        report,
        previous,
        next,
        pdf,
    })?;
    if invalid {
        *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

/// `GET /admin/audit/access-request.pdf`: who has read or changed one person's data, for an
/// access request (GDPR art. 15): the newest entries first, with the same filter as the page.
pub async fn access_request_pdf(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(params): Query<AuditParams>,
) -> AppResult<Response> {
    let report = match read(&state, &user, &params, PDF_ENTRIES).await? {
        Ok(report) => report,
        Err(errors) => return Err(AppError::Validation(errors)),
    };
    let PersonFound::One(person) = &report.person else {
        return Err(AppError::NotFound);
    };
    let l = Layout::for_user(&user, Section::Audit, state.config.demo_mode);
    let municipality = user.working_municipality(Action::ReadAudit)?.name.clone();
    let words = Words {
        l: &l,
        report: &report,
        for_the_person: false,
    };
    access_pdf(&words, person, municipality, state.clock.today()).await
}

/// The access log of a person as a PDF (GDPR art. 15): for the data-protection officer, and for
/// the person in self-service.
pub(crate) async fn access_pdf(
    words: &Words<'_>,
    person: &husly_store::households::Person,
    municipality: String,
    today: time::Date,
) -> AppResult<Response> {
    let report = words.report;
    let tr = words.l.tr;
    let name = format!("{} {}", person.given_name, person.family_name);
    let items: Vec<String> = report
        .entries
        .iter()
        .map(|e| {
            format!(
                "{} · {} · {} · {} · {} · {}",
                words.time(e.occurred_at),
                words.who(&e.actor),
                words.roles(&e.actor_role),
                words.label("audit.action", &e.action),
                words.record(e),
                words.label("audit.purpose", &e.purpose),
            )
        })
        .collect();
    let report_doc = husly_letters::Report {
        language: crate::i18n::letters_language(tr.lang),
        date: today,
        title: tr.f("audit.pdf.title", &[("name", &name)]),
        municipality,
        unit: tr.t("audit.pdf.unit").to_string(),
        meta: vec![
            (
                tr.t("audit.pdf.person").to_string(),
                format!("{name}, {}", format_date(person.birth_date)),
            ),
            (tr.t("audit.pdf.made").to_string(), format_date(today)),
        ],
        sections: vec![
            husly_letters::ReportSection {
                heading: tr.t("audit.pdf.about_heading").to_string(),
                paragraphs: vec![tr.t("audit.pdf.about").to_string()],
                items: Vec::new(),
                charts: Vec::new(),
            },
            husly_letters::ReportSection {
                heading: tr.f("audit.pdf.entries_heading", &[("count", &items.len().to_string())]),
                paragraphs: if items.is_empty() {
                    vec![tr.t("audit.none").to_string()]
                } else {
                    Vec::new()
                },
                items,
                charts: Vec::new(),
            },
        ],
        footer: vec![tr.t("audit.pdf.footer").to_string()],
        page_number: tr.t("audit.pdf.page").to_string(),
    };
    let pdf = tokio::task::spawn_blocking(move || husly_letters::render_report_pdf(&report_doc))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(crate::download::file("innsyn-tilgangslogg.pdf", "application/pdf", pdf))
}
