//! Every route × every role: the expected answer follows from the table of roles the README
//! promises ([`promised`]), written out here rather than read from the policy it checks.
//!
//! Anonymous visitors are sent to the login page (pages) or get 401 (API); a role the table
//! allows gets through to the handler; any other role gets 403; a user of another municipality
//! gets 404 for any of this municipality's records. The route list is compared with the router's
//! own, so a new route is walked or the test fails.

use crate::common;

use common::fixture::{DWELLING_EXTERNAL_ID, Fixture, PASSWORD, prepare};
use common::{Database, start};
use husly_domain::authz::{Action, Role};
use reqwest::{Client, Method};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Scope {
    /// A record of the home municipality, named in the path.
    Record,
    /// The caller's working municipality (search, registration, administration lists).
    Working,
    /// Open to everyone, signed in or not (stateless calculators that touch no stored data).
    Public,
}

struct Route {
    method: Method,
    path: String,
    action: Option<Action>,
    scope: Scope,
    api: bool,
    body: Vec<(&'static str, String)>,
    json: Option<serde_json::Value>,
    /// The record the path names does not exist (or is not opened): whoever gets past
    /// authorisation is told it is not found.
    missing: bool,
}

impl Route {
    fn missing(self) -> Route {
        Route { missing: true, ..self }
    }

    /// A self-service form: it carries the visitor's token instead of a session's.
    fn is_visitor_form(&self) -> bool {
        self.method == Method::POST && self.path.starts_with("/apply")
    }

    /// A form that sends a file (multipart): documents, and the applicant's message with one.
    fn is_upload(&self) -> bool {
        self.path.ends_with("/documents")
            || self.path.ends_with("/messages")
            || self.path.contains("/import")
            || self.path.contains("/tenancies/ledger")
    }
}

fn routes(f: &Fixture) -> Vec<Route> {
    let page =
        |method: Method, path: String, action: Option<Action>, scope: Scope, body: Vec<(&'static str, String)>| Route {
            method,
            path,
            action,
            scope,
            api: false,
            body,
            json: None,
            missing: false,
        };
    let api =
        |method: Method, path: String, action: Option<Action>, scope: Scope, json: Option<serde_json::Value>| Route {
            method,
            path,
            action,
            scope,
            api: true,
            body: Vec::new(),
            json,
            missing: false,
        };
    let (h, p, u, t) = (f.household, f.person, f.target_user, f.target_token.clone());
    let (c, letter, document) = (f.case, f.letter.clone(), f.document.clone());
    let (plan, goal, measure, indicator) = (&f.plan, &f.goal, &f.measure, &f.indicator);
    let computed = &f.computed_indicator;
    let dwelling = &f.dwelling;
    let round = &f.round;
    let offer = &f.offer;
    let tenancy = &f.tenancy;
    let dwelling_record = serde_json::json!({
        "address_line": "Tollbugata 9", "postal_code": "3015", "dwelling_type": "temporary",
        "ownership": "leased_in", "bedrooms": 1, "monthly_rent_kr": 7200
    });
    // A task's due date: ahead of today in any time zone, and not too far.
    let soon = (common::today() + time::Duration::days(30)).to_string();
    use Action::*;
    use Scope::*;
    vec![
        page(
            Method::GET,
            "/search?q=ingrid".into(),
            Some(SearchPeople),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/households/new".into(),
            Some(RegisterHousehold),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/households/new".into(),
            Some(RegisterHousehold),
            Working,
            vec![("rows", "1".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/households/{h}/edit"),
            Some(EditHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/edit"),
            Some(EditHousehold),
            Record,
            vec![("version", "1".into())],
        ),
        page(Method::GET, format!("/people/{p}"), Some(ViewPerson), Record, vec![]),
        page(Method::GET, "/admin/users".into(), Some(ManageUsers), Working, vec![]),
        page(Method::GET, "/admin/jobs".into(), Some(ManageUsers), Working, vec![]),
        page(
            Method::GET,
            "/admin/users/new".into(),
            Some(ManageUsers),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/admin/users/new".into(),
            Some(ManageUsers),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            format!("/admin/users/{u}"),
            Some(ManageUsers),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/roles"),
            Some(ManageUsers),
            Record,
            vec![("role", "partner".into())],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/status"),
            Some(ManageUsers),
            Record,
            vec![("disabled", "false".into())],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/password"),
            Some(ManageUsers),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/admin/users/{u}/tokens"),
            Some(ManageTokens),
            Record,
            vec![("name", "matrix".into())],
        ),
        page(
            Method::POST,
            format!("/admin/tokens/{t}/revoke"),
            Some(ManageTokens),
            Record,
            vec![("user", u.to_string())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/bostotte"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/bostotte"),
            Some(ViewHousehold),
            Record,
            vec![("month", "2026-06".into()), ("monthly_rent", "9000".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/economy"),
            Some(EditHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/economy"),
            Some(EditHousehold),
            Record,
            vec![
                ("members[0].rows", "1".into()),
                ("members[0].incomes[0].kind", "wages".into()),
                ("members[0].incomes[0].amount", "250000".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/households/{h}/benefits"),
            Some(EditHousehold),
            Record,
            vec![("benefit_from", "01.06.2026".into())],
        ),
        page(Method::GET, "/apply".into(), None, Public, vec![]),
        page(
            Method::POST,
            "/apply".into(),
            None,
            Public,
            vec![
                ("municipality", "3301".into()),
                ("case_type", "municipal_housing".into()),
            ],
        ),
        // A draft that this browser has not opened with its code: not found, for everyone.
        page(
            Method::POST,
            format!("/apply/{MISSING}"),
            None,
            Public,
            vec![("submit", "save".into())],
        )
        .missing(),
        page(Method::GET, format!("/apply/{MISSING}/receipt"), None, Public, vec![]).missing(),
        page(
            Method::POST,
            format!("/apply/{MISSING}/documents"),
            None,
            Public,
            vec![],
        )
        .missing(),
        page(Method::POST, format!("/apply/{MISSING}/messages"), None, Public, vec![]).missing(),
        page(
            Method::POST,
            format!("/apply/{MISSING}/offers/{MISSING}"),
            None,
            Public,
            vec![("answer", "accept".into())],
        )
        .missing(),
        page(
            Method::GET,
            format!("/apply/{MISSING}/letters/{MISSING}"),
            None,
            Public,
            vec![],
        )
        .missing(),
        page(Method::GET, format!("/apply/{MISSING}/privacy"), None, Public, vec![]).missing(),
        page(Method::GET, format!("/apply/{MISSING}/privacy.pdf"), None, Public, vec![]).missing(),
        page(
            Method::POST,
            format!("/apply/{MISSING}/consents/{MISSING}/withdraw"),
            None,
            Public,
            vec![("confirmed", "yes".into())],
        )
        .missing(),
        page(
            Method::POST,
            "/municipality".into(),
            None,
            Record,
            vec![("municipality", f.home.to_string())],
        ),
        page(
            Method::GET,
            "/apply/01900000-0000-7000-8000-000000000000".into(),
            None,
            Public,
            vec![],
        ),
        page(
            Method::POST,
            "/apply/01900000-0000-7000-8000-000000000000/code".into(),
            None,
            Public,
            vec![("code", "WRONGCODE9".into())],
        ),
        page(
            Method::GET,
            "/cases?filter=open".into(),
            Some(ViewCase),
            Working,
            vec![],
        ),
        page(Method::GET, "/cases/workload".into(), Some(ViewCase), Working, vec![]),
        page(Method::GET, "/plan".into(), Some(ViewActionPlan), Working, vec![]),
        page(Method::GET, "/plans".into(), Some(ViewActionPlan), Working, vec![]),
        page(
            Method::GET,
            "/plans/new".into(),
            Some(ManageActionPlan),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/plans/new".into(),
            Some(ManageActionPlan),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}"),
            Some(ViewActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/history"),
            Some(ViewActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/report.pdf"),
            Some(ViewActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/report.xlsx"),
            Some(ViewActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/goals/{goal}"),
            Some(ViewActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/indicators/{computed}/cases?year=2026"),
            Some(ViewActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![("version", "99".into()), ("title", "x".into())],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/goals/new"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/goals/new"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/goals/{goal}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/goals/{goal}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/goals/{goal}/measures/new"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/goals/{goal}/measures/new"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/goals/{goal}/indicators/new"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/goals/{goal}/indicators/new"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/measures/{measure}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/measures/{measure}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/indicators/{indicator}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/indicators/{indicator}/edit"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/plans/{plan}/indicators/{indicator}/report"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/plans/{plan}/indicators/{indicator}/report"),
            Some(ManageActionPlan),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            "/calculators/startlan".into(),
            Some(ViewCase),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/calculators/startlan".into(),
            Some(ViewCase),
            Working,
            vec![("month", "2026-06".into()), ("income_after_tax_kr", "40000".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/applications/new"),
            Some(HandleCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/applications/new"),
            Some(HandleCase),
            Record,
            vec![
                ("case_type", "municipal_housing".into()),
                ("received_on", "01.11.2026".into()),
            ],
        ),
        page(Method::GET, format!("/cases/{c}"), Some(ViewCase), Record, vec![]),
        page(
            Method::GET,
            format!("/cases/{c}/letters/{letter}.pdf"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/cases/{c}/letters/{letter}.html"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/preview"),
            Some(HandleCase),
            Record,
            vec![
                ("outcome", "refused".into()),
                ("reasons", "Inntekten er over grensen.".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/application"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/action"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into()), ("action", "start_assessment".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/override"),
            Some(HandleCase),
            Record,
            vec![
                ("version", "2".into()),
                ("rule", "age".into()),
                ("outcome", "none".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/assign"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into()), ("to", "me".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/propose"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/review"),
            Some(ApproveDecision),
            Record,
            vec![("version", "2".into()), ("decision", "approve".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/send"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/notes"),
            Some(HandleCase),
            Record,
            vec![("text", "Ringte søker.".into()), ("visibility", "everyone".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/kostra"),
            Some(HandleCase),
            Record,
            vec![("category", "other".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/tasks"),
            Some(HandleCase),
            Record,
            vec![("title", "Ring søker".into()), ("due_on", soon.clone())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/tasks/{MISSING}/done"),
            Some(HandleCase),
            Record,
            vec![],
        )
        .missing(),
        page(
            Method::POST,
            format!("/cases/{c}/tasks/{MISSING}/reopen"),
            Some(HandleCase),
            Record,
            vec![],
        )
        .missing(),
        page(
            Method::POST,
            format!("/households/{h}/notes"),
            Some(WriteHouseholdNote),
            Record,
            vec![("text", "Ringte søker.".into()), ("visibility", "case_handling".into())],
        ),
        page(
            Method::POST,
            format!("/households/{h}/representatives"),
            Some(EditHousehold),
            Record,
            vec![
                ("kind", "fullmektig".into()),
                ("name", "Tone Tillit".into()),
                ("address_line", "Postboks 12".into()),
                ("postal_code", "3001".into()),
                ("postal_city", "Drammen".into()),
                ("authority_from", "01.01.2026".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/households/{h}/representatives/{MISSING}/end"),
            Some(EditHousehold),
            Record,
            vec![("reason", "Fullmakten er trukket tilbake".into())],
        )
        .missing(),
        page(
            Method::POST,
            format!("/households/{h}/stays"),
            Some(RecordTemporaryStay),
            Record,
            vec![("place", "Hospitset".into()), ("from", "01.01.2026".into())],
        ),
        page(
            Method::POST,
            format!("/households/{h}/stays/{MISSING}/end"),
            Some(RecordTemporaryStay),
            Record,
            vec![("to", "02.01.2026".into()), ("end_reason", "unknown".into())],
        )
        .missing(),
        page(Method::GET, "/stays".into(), Some(ViewStayFigures), Working, vec![]),
        page(Method::GET, format!("/households/{h}/follow-up"), Some(ViewFollowUp), Record, vec![]),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/log"),
            Some(LogFollowUp),
            Record,
            vec![
                ("kind", "phone_call".into()),
                ("occurred_on", common::today().to_string()),
                ("note", "Ringte om husleien".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/plan"),
            Some(KeepFollowUpPlan),
            Record,
            vec![
                ("goals", "Beholde boligen".into()),
                ("responsible", f.follow_up_worker.to_string()),
                ("review_on", soon.clone()),
            ],
        ),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/plan/{MISSING}"),
            Some(KeepFollowUpPlan),
            Record,
            vec![
                ("version", "1".into()),
                ("goals", "Beholde boligen".into()),
                ("responsible", f.follow_up_worker.to_string()),
                ("review_on", soon.clone()),
            ],
        )
        .missing(),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/plan/{MISSING}/close"),
            Some(KeepFollowUpPlan),
            Record,
            vec![
                ("version", "1".into()),
                ("reason", "goals_reached".into()),
                ("confirmed", "yes".into()),
            ],
        )
        .missing(),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/plan/{MISSING}/reopen"),
            Some(KeepFollowUpPlan),
            Record,
            vec![("version", "1".into()), ("reason", "Flyttet tilbake".into())],
        )
        .missing(),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/plan/{MISSING}/measures"),
            Some(KeepFollowUpPlan),
            Record,
            vec![
                ("version", "1".into()),
                ("text", "Søke bostøtte".into()),
                ("owner", "Husstanden".into()),
            ],
        )
        .missing(),
        page(
            Method::POST,
            format!("/households/{h}/follow-up/plan/{MISSING}/measures/{MISSING}"),
            Some(KeepFollowUpPlan),
            Record,
            vec![("version", "1".into()), ("status", "done".into())],
        )
        .missing(),
        page(Method::GET, "/follow-up".into(), Some(ViewFollowUp), Working, vec![]),
        page(
            Method::GET,
            "/stays/ongoing".into(),
            Some(ViewTemporaryStays),
            Working,
            vec![],
        ),
        page(Method::GET, "/dwellings".into(), Some(ViewDwellings), Working, vec![]),
        page(
            Method::GET,
            "/dwellings/new".into(),
            Some(ManageDwellings),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/dwellings/new".into(),
            Some(ManageDwellings),
            Working,
            vec![("address_line", "Vandringsveien 1".into()), ("bedrooms", "to".into())],
        ),
        page(
            Method::GET,
            "/dwellings/import".into(),
            Some(ManageDwellings),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/dwellings/import".into(),
            Some(ManageDwellings),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            format!("/dwellings/{dwelling}"),
            Some(ViewDwellings),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/dwellings/{dwelling}/edit"),
            Some(ManageDwellings),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/dwellings/{dwelling}/edit"),
            Some(ManageDwellings),
            Record,
            vec![("version", "99".into()), ("bedrooms", "to".into())],
        ),
        page(
            Method::POST,
            format!("/dwellings/{dwelling}/status"),
            Some(ManageDwellings),
            Record,
            vec![("version", "99".into()), ("status", "reserved".into())],
        ),
        page(
            Method::POST,
            format!("/dwellings/{dwelling}/delete"),
            Some(ManageDwellings),
            Record,
            vec![("version", "99".into()), ("reason", "Registrert ved en feil".into())],
        ),
        page(
            Method::POST,
            format!("/dwellings/{dwelling}/restore"),
            Some(ManageDwellings),
            Record,
            vec![("version", "99".into())],
        ),
        page(Method::GET, "/waiting-list".into(), Some(ViewCase), Working, vec![]),
        page(Method::GET, "/allocation".into(), Some(ViewCase), Working, vec![]),
        page(
            Method::GET,
            "/allocation/stock".into(),
            Some(ViewDwellings),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/allocation/policy".into(),
            Some(ViewPriorityPolicy),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/allocation/policy/standard".into(),
            Some(ViewPriorityPolicy),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/allocation/policy/new".into(),
            Some(ManagePriorityPolicy),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/allocation/policy/new".into(),
            Some(ManagePriorityPolicy),
            Working,
            vec![("action", "simulate".into()), ("policy", "".into())],
        ),
        page(
            Method::GET,
            "/allocation/rounds".into(),
            Some(Allocate),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/allocation/rounds".into(),
            Some(Allocate),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            format!("/allocation/rounds/{round}"),
            Some(Allocate),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/allocation/rounds/{round}/draw"),
            Some(Allocate),
            Record,
            vec![("version", "99".into())],
        ),
        page(
            Method::POST,
            format!("/allocation/rounds/{round}/end"),
            Some(Allocate),
            Record,
            vec![
                ("version", "99".into()),
                ("how", "close".into()),
                ("reason", "Møtet er ferdig".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/allocation/rounds/{round}/offers"),
            Some(Allocate),
            Record,
            vec![("dwelling", f.offered_dwelling.clone())],
        ),
        page(
            Method::GET,
            format!("/allocation/rounds/{round}/lines/{}", f.offered_dwelling),
            Some(Allocate),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/allocation/rounds/{round}/lines/{dwelling}"),
            Some(Allocate),
            Record,
            vec![
                ("version", "99".into()),
                ("case", "".into()),
                ("reason", "Ingen skal ha den".into()),
            ],
        ),
        page(Method::GET, "/offers".into(), Some(Allocate), Working, vec![]),
        page(Method::GET, format!("/offers/{offer}"), Some(Allocate), Record, vec![]),
        page(
            Method::POST,
            format!("/offers/{offer}/answer"),
            Some(Allocate),
            Record,
            vec![("version", "99".into()), ("answer", "accept".into())],
        ),
        page(
            Method::POST,
            format!("/offers/{offer}/withdraw"),
            Some(Allocate),
            Record,
            vec![
                ("version", "99".into()),
                ("reason", "Feil bolig".into()),
                ("confirmed", "yes".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/offers/{offer}/reopen"),
            Some(Allocate),
            Record,
            vec![("version", "99".into()), ("reason", "Feil registrert".into())],
        ),
        page(Method::GET, "/tenancies".into(), Some(ViewTenancies), Working, vec![]),
        page(
            Method::GET,
            "/tenancies/ledger".into(),
            Some(ViewTenancies),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/tenancies/ledger".into(),
            Some(ManageTenancies),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/tenancies?list=expiring&months=6".into(),
            Some(ViewTenancies),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            format!("/tenancies/{tenancy}"),
            Some(ViewTenancies),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/tenancies/{tenancy}/end"),
            Some(ManageTenancies),
            Record,
            vec![
                ("version", "99".into()),
                ("ended_on", "01.01.2020".into()),
                ("reason", "tenant_notice".into()),
                ("confirmed", "yes".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/tenancies/{tenancy}/undo-end"),
            Some(ManageTenancies),
            Record,
            vec![("version", "99".into()), ("note", "Feil registrert".into())],
        ),
        page(
            Method::POST,
            format!("/tenancies/{tenancy}/rent"),
            Some(ManageTenancies),
            Record,
            vec![
                ("version", "99".into()),
                ("effective_from", "01.01.2027".into()),
                ("monthly_rent_kr", "9 000".into()),
                ("basis", "agreement".into()),
                ("note", "Avtalt".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/tenancies/{tenancy}/rent/{MISSING}/cancel"),
            Some(ManageTenancies),
            Record,
            vec![("version", "99".into()), ("reason", "Feil registrert".into())],
        ),
        page(
            Method::GET,
            format!("/offers/{offer}/contract"),
            Some(ManageTenancies),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/offers/{offer}/contract"),
            Some(ManageTenancies),
            Record,
            vec![("version", "99".into()), ("start", "01.01.2027".into())],
        ),
        page(
            Method::GET,
            "/kostra?year=2025".into(),
            Some(ViewKostraFigures),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/kostra.csv?year=2025".into(),
            Some(ViewKostraFigures),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/equity?year=2025".into(),
            Some(ViewEquityFigures),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/equity.csv?year=2025".into(),
            Some(ViewEquityFigures),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/flags/{MISSING}"),
            Some(HandleCase),
            Record,
            vec![("decision", "dismiss".into()), ("reason", "Ikke samme person".into())],
        )
        .missing(),
        page(
            Method::POST,
            format!("/cases/{c}/documents"),
            Some(HandleCase),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/cases/{c}/documents/{document}"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/cases/{c}/case-file.zip"),
            Some(ViewCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/interim"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::GET,
            "/outreach?month=2026-07".into(),
            Some(RunOutreach),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/outreach.csv?month=2026-07".into(),
            Some(RunOutreach),
            Working,
            vec![],
        ),
        page(
            Method::GET,
            "/outreach.xlsx?month=2026-07".into(),
            Some(RunOutreach),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/outreach/make".into(),
            Some(RunOutreach),
            Working,
            vec![("month", "2026-07".into())],
        ),
        page(
            Method::GET,
            format!("/outreach/households/{h}/contact?month=2026-12"),
            Some(RecordOutreachContact),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/outreach/households/{h}/contact"),
            Some(RecordOutreachContact),
            Record,
            vec![
                ("month", "12.2026".into()),
                ("contacted_on", common::today().to_string()),
                ("channel", "phone".into()),
                ("outcome", "will_apply".into()),
            ],
        ),
        page(
            Method::POST,
            format!("/outreach/households/{h}/contact/remove"),
            Some(RecordOutreachContact),
            Record,
            vec![("contact", MISSING.into())],
        )
        .missing(),
        page(
            Method::GET,
            format!("/households/{h}/consents"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/consents"),
            Some(RecordConsent),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/consents/{MISSING}/withdraw"),
            Some(RecordConsent),
            Record,
            vec![("reason", "Trakk samtykket i telefonen".into())],
        )
        .missing(),
        page(
            Method::GET,
            format!("/households/{h}/protection"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/protection"),
            Some(ProtectAddress),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/protection/reveal"),
            Some(RevealProtectedAddress),
            Record,
            vec![("purpose", "check_register".into())],
        ),
        page(
            Method::POST,
            format!("/households/{h}/protection/{MISSING}/lift"),
            Some(LiftAddressProtection),
            Record,
            vec![("reason", "Sperren er opphevet i Folkeregisteret".into())],
        )
        .missing(),
        page(Method::GET, "/partner".into(), Some(ViewConsentedHouseholds), Working, vec![]),
        page(
            Method::GET,
            format!("/partner/households/{h}"),
            Some(ViewAsPartner),
            Record,
            vec![],
        ),
        page(
            Method::GET,
            format!("/partner/households/{h}/documents/{document}"),
            Some(ReadDocumentAsPartner),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/partner/households/{h}/log"),
            Some(ViewAsPartner),
            Record,
            vec![("kind", "phone_call".into()), ("occurred_on", "not a day".into())],
        ),
        page(
            Method::GET,
            format!("/households/{h}/referrals"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/referrals"),
            Some(SendReferral),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/referrals/{MISSING}/answer"),
            Some(AnswerReferral),
            Record,
            vec![("step", "accept".into())],
        )
        .missing(),
        page(Method::GET, "/referrals".into(), Some(SendReferral), Working, vec![]),
        page(Method::GET, "/reminders".into(), Some(ViewReminders), Working, vec![]),
        page(
            Method::POST,
            format!("/reminders/{MISSING}"),
            Some(MarkReminder),
            Working,
            vec![("state", "done".into()), ("version", "1".into())],
        )
        .missing(),
        page(
            Method::POST,
            format!("/partner/households/{h}/referrals"),
            Some(ViewAsPartner),
            Record,
            vec![("to", "unit".into())],
        ),
        page(
            Method::POST,
            format!("/partner/households/{h}/referrals/{MISSING}/answer"),
            Some(ViewAsPartner),
            Record,
            vec![("step", "accept".into())],
        )
        .missing(),
        page(
            Method::GET,
            format!("/households/{h}/meetings"),
            Some(ViewHousehold),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/meetings"),
            Some(RecordMeeting),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/households/{h}/meetings/actions/{MISSING}"),
            Some(UpdateMeetingAction),
            Record,
            vec![("state", "done".into())],
        )
        .missing(),
        page(
            Method::POST,
            format!("/partner/households/{h}/meetings"),
            Some(ViewAsPartner),
            Record,
            vec![("kind", "collaboration".into())],
        ),
        page(
            Method::POST,
            format!("/partner/households/{h}/meetings/actions/{MISSING}"),
            Some(ViewAsPartner),
            Record,
            vec![("state", "done".into())],
        )
        .missing(),
        page(Method::GET, "/admin/partners".into(), Some(ManagePartners), Working, vec![]),
        page(Method::POST, "/admin/partners".into(), Some(ManagePartners), Working, vec![]),
        page(
            Method::POST,
            "/admin/partners/members".into(),
            Some(ManagePartners),
            Working,
            vec![],
        ),
        page(Method::GET, "/admin/audit".into(), Some(ReadAudit), Working, vec![]),
        page(
            Method::GET,
            format!("/admin/audit/access-request.pdf?person_id={p}"),
            Some(ReadAudit),
            Record,
            vec![],
        ),
        api(Method::GET, "/api/v1/me".into(), None, Working, None),
        api(
            Method::GET,
            "/api/v1/people?municipality=3301&q=ingrid".into(),
            Some(SearchPeople),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/allocation/stock?municipality=3301".into(),
            Some(ViewDwellings),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/allocation/policies?municipality=3301".into(),
            Some(ViewPriorityPolicy),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/allocation/policies/standard?municipality=3301".into(),
            Some(ViewPriorityPolicy),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/allocation/policies/{MISSING}?municipality=3301"),
            Some(ViewPriorityPolicy),
            Record,
            None,
        )
        .missing(),
        api(
            Method::POST,
            "/api/v1/allocation/policies/simulate".into(),
            Some(ManagePriorityPolicy),
            Record,
            Some(serde_json::json!({ "municipality": "3301", "text": "", "version": "", "effective_from": "" })),
        ),
        api(
            Method::POST,
            "/api/v1/allocation/policies".into(),
            Some(ManagePriorityPolicy),
            Record,
            Some(serde_json::json!({
                "municipality": "3301", "text": "", "version": "", "effective_from": "",
                "reason": "", "simulated_fingerprint": ""
            })),
        ),
        api(
            Method::POST,
            "/api/v1/draws/verify".into(),
            None,
            Public,
            Some(serde_json::json!({})),
        ),
        api(
            Method::GET,
            format!("/api/v1/people/{p}"),
            Some(ViewPerson),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/households?municipality=3301".into(),
            Some(RegisterHousehold),
            Record,
            Some(serde_json::json!({})),
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/households/{h}"),
            Some(EditHousehold),
            Record,
            Some(serde_json::json!({"version": 1, "household": {}})),
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/timeline"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/economy"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/households/{h}/economy/incomes"),
            Some(EditHousehold),
            Record,
            Some(serde_json::json!({"incomes": []})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/economy/bostotte"),
            Some(EditHousehold),
            Record,
            Some(serde_json::json!({"from_date": "2026-06-01"})),
        ),
        api(
            Method::GET,
            "/api/v1/audit?municipality=3301".into(),
            Some(ReadAudit),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/outreach/bostotte?municipality=3301&month=2026-07".into(),
            Some(RunOutreach),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/outreach/bostotte/make?municipality=3301&month=2026-07".into(),
            Some(RunOutreach),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/calculators/bostotte".into(),
            None,
            Public,
            Some(serde_json::json!({})),
        ),
        api(
            Method::POST,
            "/api/v1/calculators/startlan".into(),
            None,
            Public,
            Some(serde_json::json!({})),
        ),
        api(
            Method::GET,
            "/api/v1/cases?municipality=3301&filter=open".into(),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/cases/workload?municipality=3301".into(),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/applications"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"case_type": "municipal_housing", "received_on": "2026-11-02", "form": {}})),
        ),
        api(Method::GET, format!("/api/v1/cases/{c}"), Some(ViewCase), Record, None),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/timeline"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/notes"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/notes"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"text": "Ringte søker.", "visibility": "everyone"})),
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/tasks"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/tasks"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"title": "Ring søker", "due_on": soon})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/cases/{c}/tasks/{MISSING}"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"done": true})),
        )
        .missing(),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/notes"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/notes"),
            Some(WriteHouseholdNote),
            Record,
            Some(serde_json::json!({"text": "Ringte søker.", "visibility": "case_handling"})),
        ),
        api(
            Method::GET,
            "/api/v1/action-plans".into(),
            Some(ViewActionPlan),
            Working,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/action-plans".into(),
            Some(ManageActionPlan),
            Working,
            Some(serde_json::json!({"title": "Handlingsplan", "period_from": "2026", "period_to": "2029"})),
        ),
        api(
            Method::GET,
            format!("/api/v1/action-plans/{plan}"),
            Some(ViewActionPlan),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/action-plans/{plan}"),
            Some(ManageActionPlan),
            Record,
            Some(
                serde_json::json!({"version": 99, "plan": {"title": "x", "period_from": "2026", "period_to": "2029"}}),
            ),
        ),
        api(
            Method::GET,
            format!("/api/v1/action-plans/{plan}/history"),
            Some(ViewActionPlan),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/action-plans/{plan}/goals/{goal}"),
            Some(ViewActionPlan),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/action-plans/{plan}/indicators/{computed}/cases"),
            Some(ViewActionPlan),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/action-plans/{plan}/goals"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"title": "Flere skal eie egen bolig"})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/action-plans/{plan}/goals/{goal}"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"title": "Ingen skal være bostedsløse"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/action-plans/{plan}/goals/{goal}/measures"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"title": "Boligskole", "owner": "Flyktningtjenesten"})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/action-plans/{plan}/measures/{measure}"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"title": "Bo-team for unge", "owner": "Boligkontoret", "status": "in_progress"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/action-plans/{plan}/goals/{goal}/indicators"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"name": ""})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/action-plans/{plan}/indicators/{indicator}"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"indicator": {"name": ""}})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/action-plans/{plan}/indicators/{indicator}/value"),
            Some(ManageActionPlan),
            Record,
            Some(serde_json::json!({"year": 2025, "value": "38"})),
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/representatives"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/representatives"),
            Some(EditHousehold),
            Record,
            Some(serde_json::json!({
                "kind": "verge", "name": "Vera Verge", "address_line": "Postboks 3", "postal_code": "3001",
                "postal_city": "Drammen", "authority_from": "2026-01-01"
            })),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/representatives/{MISSING}/end"),
            Some(EditHousehold),
            Record,
            Some(serde_json::json!({"reason": "Fullmakten er trukket tilbake"})),
        )
        .missing(),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/stays"),
            Some(ViewTemporaryStays),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/stays"),
            Some(RecordTemporaryStay),
            Record,
            Some(
                serde_json::json!({"place": "Campingen", "from": "2025-06-01", "to": "2025-06-03", "end_reason": "unknown"}),
            ),
        ),
        api(
            Method::PUT,
            format!("/api/v1/households/{h}/stays/{MISSING}/end"),
            Some(RecordTemporaryStay),
            Record,
            Some(serde_json::json!({"to": "2026-01-02", "end_reason": "unknown"})),
        )
        .missing(),
        api(
            Method::GET,
            "/api/v1/dwellings?municipality=3301&status=vacant".into(),
            Some(ViewDwellings),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/dwellings?municipality=3301".into(),
            Some(ManageDwellings),
            Record,
            Some(serde_json::json!({ "dwelling": dwelling_record.clone() })),
        ),
        api(
            Method::GET,
            format!("/api/v1/dwellings/{dwelling}"),
            Some(ViewDwellings),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/dwellings/{dwelling}"),
            Some(ManageDwellings),
            Record,
            Some(serde_json::json!({ "version": 99, "dwelling": dwelling_record.clone() })),
        ),
        api(
            Method::POST,
            format!("/api/v1/dwellings/{dwelling}/status"),
            Some(ManageDwellings),
            Record,
            Some(serde_json::json!({ "version": 99, "status": "reserved" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/dwellings/{dwelling}/delete"),
            Some(ManageDwellings),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Registrert ved en feil" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/dwellings/{dwelling}/restore"),
            Some(ManageDwellings),
            Record,
            Some(serde_json::json!({ "version": 99 })),
        ),
        api(
            Method::POST,
            "/api/v1/dwellings/import?municipality=3301".into(),
            Some(ManageDwellings),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/waiting-list?municipality=3301".into(),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/allocation/proposal?municipality=3301".into(),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/allocation/rounds?municipality=3301".into(),
            Some(Allocate),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/allocation/rounds?municipality=3301".into(),
            Some(Allocate),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/allocation/rounds/{round}"),
            Some(Allocate),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/allocation/rounds/{round}/draw"),
            Some(Allocate),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/allocation/rounds/{round}/draw"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "version": 99 })),
        ),
        api(
            Method::POST,
            format!("/api/v1/allocation/rounds/{round}/lines/{dwelling}"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Ingen skal ha den" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/allocation/rounds/{round}/end"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Møtet er ferdig" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/allocation/rounds/{round}/offers"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "dwelling_id": f.offered_dwelling })),
        ),
        api(
            Method::GET,
            "/api/v1/offers?municipality=3301".into(),
            Some(Allocate),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/offers/{offer}"),
            Some(Allocate),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/offers/{offer}/answer"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "version": 99, "answer": "accept" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/offers/{offer}/withdraw"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Feil bolig" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/offers/{offer}/reopen"),
            Some(Allocate),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Feil registrert" })),
        ),
        api(
            Method::GET,
            "/api/v1/tenancies?municipality=3301&list=expiring".into(),
            Some(ViewTenancies),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/tenancies/{tenancy}"),
            Some(ViewTenancies),
            Record,
            None,
        ),
        api(
            Method::POST,
            "/api/v1/tenancies/ledger?municipality=3301".into(),
            Some(ManageTenancies),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/tenancies/arrears?municipality=3301".into(),
            Some(ViewTenancies),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/tenancies/{tenancy}/end"),
            Some(ManageTenancies),
            Record,
            Some(serde_json::json!({ "version": 99, "ended_on": "2020-01-01", "reason": "tenant_notice" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/tenancies/{tenancy}/undo-end"),
            Some(ManageTenancies),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Feil registrert" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/tenancies/{tenancy}/rent-changes"),
            Some(ManageTenancies),
            Record,
            Some(serde_json::json!({ "version": 99, "effective_from": "2027-01-01", "monthly_rent_kr": "9000", "basis": "agreement", "note": "Avtalt" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/tenancies/{tenancy}/rent-changes/{MISSING}/cancel"),
            Some(ManageTenancies),
            Record,
            Some(serde_json::json!({ "version": 99, "reason": "Feil registrert" })),
        ),
        api(
            Method::POST,
            format!("/api/v1/offers/{offer}/contract"),
            Some(ManageTenancies),
            Record,
            Some(serde_json::json!({
                "version": 99, "start": "2027-01-01", "term": "indefinite", "monthly_rent_kr": 8100,
                "security_kind": "none"
            })),
        ),
        api(
            Method::GET,
            format!("/api/v1/dwellings/by-external-id/{DWELLING_EXTERNAL_ID}?municipality=3301"),
            Some(ViewDwellings),
            Record,
            None,
        ),
        // The housing manager's sync creates the dwelling, and the DELETE after it removes it.
        api(
            Method::PUT,
            "/api/v1/dwellings/by-external-id/PMS-WALK?municipality=3301".into(),
            Some(ManageDwellings),
            Record,
            Some(dwelling_record.clone()),
        ),
        api(
            Method::DELETE,
            "/api/v1/dwellings/by-external-id/PMS-WALK?municipality=3301".into(),
            Some(ManageDwellings),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/follow-up"),
            Some(ViewFollowUp),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/outreach-contacts?month=2026-12"),
            Some(RecordOutreachContact),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/outreach-contacts"),
            Some(RecordOutreachContact),
            Record,
            Some(serde_json::json!({"contacted_on": common::today().to_string(), "channel": "letter", "outcome": "not_reached"})),
        ),
        api(
            Method::DELETE,
            format!("/api/v1/households/{h}/outreach-contacts/{MISSING}"),
            Some(RecordOutreachContact),
            Record,
            None,
        )
        .missing(),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/consents"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/consents"),
            Some(RecordConsent),
            Record,
            Some(serde_json::json!({
                "person_id": MISSING, "organisation_id": MISSING, "purpose": "", "categories": [],
                "valid_from": "", "valid_to": "", "evidence": "meeting", "given_by": "person"
            })),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/consents/{MISSING}/withdraw"),
            Some(RecordConsent),
            Record,
            Some(serde_json::json!({"reason": "Trakk samtykket i telefonen"})),
        )
        .missing(),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/protection"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/protection"),
            Some(ProtectAddress),
            Record,
            Some(serde_json::json!({"person_id": MISSING, "level": "fortrolig", "reason": ""})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/protection/reveal"),
            Some(RevealProtectedAddress),
            Record,
            Some(serde_json::json!({"purpose": "check_register"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/protection/{MISSING}/lift"),
            Some(LiftAddressProtection),
            Record,
            Some(serde_json::json!({"reason": "Sperren er opphevet i Folkeregisteret"})),
        )
        .missing(),
        api(
            Method::GET,
            "/api/v1/partner/households".into(),
            Some(ViewConsentedHouseholds),
            Working,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/partner/households/{h}"),
            Some(ViewAsPartner),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/partner/households/{h}/documents/{document}"),
            Some(ReadDocumentAsPartner),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/partner/households/{h}/follow-up/entries"),
            Some(ViewAsPartner),
            Record,
            Some(serde_json::json!({"kind": "phone_call", "occurred_on": "not a day"})),
        ),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/referrals"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/referrals"),
            Some(SendReferral),
            Record,
            Some(serde_json::json!({"to": "", "purpose": "", "request": "", "due_on": ""})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/referrals/{MISSING}/answer"),
            Some(AnswerReferral),
            Record,
            Some(serde_json::json!({"step": "accept"})),
        )
        .missing(),
        api(Method::GET, "/api/v1/referrals".into(), Some(SendReferral), Working, None),
        api(Method::GET, "/api/v1/reminders".into(), Some(ViewReminders), Working, None),
        api(
            Method::POST,
            format!("/api/v1/reminders/{MISSING}"),
            Some(MarkReminder),
            Working,
            Some(serde_json::json!({ "state": "done", "version": 1 })),
        )
        .missing(),
        api(
            Method::GET,
            "/api/v1/partner/referrals".into(),
            Some(ViewConsentedHouseholds),
            Working,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/partner/households/{h}/referrals"),
            Some(ViewAsPartner),
            Record,
            Some(serde_json::json!({"to": "unit", "purpose": "", "request": "", "due_on": ""})),
        ),
        api(
            Method::POST,
            format!("/api/v1/partner/households/{h}/referrals/{MISSING}/answer"),
            Some(ViewAsPartner),
            Record,
            Some(serde_json::json!({"step": "accept"})),
        )
        .missing(),
        api(
            Method::GET,
            format!("/api/v1/households/{h}/meetings"),
            Some(ViewHousehold),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/meetings"),
            Some(RecordMeeting),
            Record,
            Some(serde_json::json!({"kind": "collaboration", "held_on": "", "summary": ""})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/meetings/actions/{MISSING}"),
            Some(UpdateMeetingAction),
            Record,
            Some(serde_json::json!({"state": "done"})),
        )
        .missing(),
        api(
            Method::POST,
            format!("/api/v1/partner/households/{h}/meetings"),
            Some(ViewAsPartner),
            Record,
            Some(serde_json::json!({"kind": "collaboration", "held_on": "", "summary": ""})),
        ),
        api(
            Method::POST,
            format!("/api/v1/partner/households/{h}/meetings/actions/{MISSING}"),
            Some(ViewAsPartner),
            Record,
            Some(serde_json::json!({"state": "done"})),
        )
        .missing(),
        api(Method::GET, "/api/v1/partners".into(), Some(ManagePartners), Working, None),
        api(
            Method::POST,
            "/api/v1/partners".into(),
            Some(ManagePartners),
            Working,
            Some(serde_json::json!({"name": "", "kind": "nav"})),
        ),
        api(
            Method::PUT,
            "/api/v1/partners/memberships".into(),
            Some(ManagePartners),
            Working,
            Some(serde_json::json!({"user_id": "nobody"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/follow-up/entries"),
            Some(LogFollowUp),
            Record,
            Some(serde_json::json!({"kind": "home_visit", "outcome": "missed", "occurred_on": common::today().to_string()})),
        ),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/follow-up/plans"),
            Some(KeepFollowUpPlan),
            Record,
            Some(serde_json::json!({"goals": "Beholde boligen", "responsible": f.follow_up_worker, "review_on": soon})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/households/{h}/follow-up/plans/{MISSING}"),
            Some(KeepFollowUpPlan),
            Record,
            Some(serde_json::json!({"version": 1, "goals": "Beholde boligen", "responsible": f.follow_up_worker, "review_on": soon})),
        )
        .missing(),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/follow-up/plans/{MISSING}/close"),
            Some(KeepFollowUpPlan),
            Record,
            Some(serde_json::json!({"version": 1, "reason": "moved_away"})),
        )
        .missing(),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/follow-up/plans/{MISSING}/reopen"),
            Some(KeepFollowUpPlan),
            Record,
            Some(serde_json::json!({"version": 1, "reason": "Flyttet tilbake"})),
        )
        .missing(),
        api(
            Method::POST,
            format!("/api/v1/households/{h}/follow-up/plans/{MISSING}/measures"),
            Some(KeepFollowUpPlan),
            Record,
            Some(serde_json::json!({"version": 1, "text": "Søke bostøtte", "owner": "Husstanden"})),
        )
        .missing(),
        api(
            Method::PUT,
            format!("/api/v1/households/{h}/follow-up/plans/{MISSING}/measures/{MISSING}"),
            Some(KeepFollowUpPlan),
            Record,
            Some(serde_json::json!({"version": 1, "status": "dropped"})),
        )
        .missing(),
        api(
            Method::GET,
            "/api/v1/follow-up/caseload?municipality=3301&scope=all".into(),
            Some(ViewFollowUp),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/stays?municipality=3301".into(),
            Some(ViewTemporaryStays),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/stays/figures?municipality=3301&year=2026".into(),
            Some(ViewStayFigures),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/kostra/2025?municipality=3301".into(),
            Some(ViewKostraFigures),
            Record,
            None,
        ),
        api(
            Method::GET,
            "/api/v1/equity/2025?municipality=3301".into(),
            Some(ViewEquityFigures),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/letters/{letter}"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::PUT,
            format!("/api/v1/cases/{c}/kostra-category"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"category": "other"})),
        ),
        api(
            Method::PUT,
            format!("/api/v1/cases/{c}/application"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "form": {}})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/actions"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "action": "start_assessment"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/overrides"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "rule": "age", "outcome": null})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/decisions"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "outcome": "refused", "reasons": "Matrix."})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/review"),
            Some(ApproveDecision),
            Record,
            Some(serde_json::json!({"version": 2, "approve": true})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/send"),
            Some(HandleCase),
            Record,
            Some(
                serde_json::json!({"version": 2, "language": "nb", "delivery": "digital", "delivered_on": "2026-12-01"}),
            ),
        ),
        page(
            Method::POST,
            format!("/cases/{c}/finance"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into())],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/establishment-grant"),
            Some(HandleCase),
            Record,
            vec![],
        ),
        page(
            Method::POST,
            format!("/cases/{c}/payments"),
            Some(HandleCase),
            Record,
            vec![("version", "2".into()), ("payment.amount_kr", "100".into())],
        ),
        page(
            Method::GET,
            "/grants/budget?year=2026".into(),
            Some(ViewGrantBudget),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/grants/budget".into(),
            Some(ManageGrantBudget),
            Working,
            vec![
                ("year", "2026".into()),
                ("grant", "adaptation".into()),
                ("allocated_kr", "100000".into()),
            ],
        ),
        api(
            Method::PUT,
            format!("/api/v1/cases/{c}/finance"),
            Some(HandleCase),
            Record,
            Some(
                serde_json::json!({"version": 2, "finance": {"kind": "grant", "grant": "adaptation", "purpose": "Rampe", "cost_kr": 10, "applied_kr": 5, "tenure": "owner"}}),
            ),
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/ledger"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/payments"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "amount_kr": 100, "paid_on": "2026-12-01"})),
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/documents"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/documents"),
            Some(HandleCase),
            Record,
            None,
        ),
        api(
            Method::GET,
            format!("/api/v1/cases/{c}/documents/{document}"),
            Some(ViewCase),
            Record,
            None,
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/assignment"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "take": true})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/decision-preview"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"outcome": "refused", "reasons": "Inntekten er over grensen."})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/interim-answer"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "expected_by": "2030-01-01", "reason": "Venter"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/flags/{MISSING}"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"resolution": "dismiss", "reason": "Ikke samme person"})),
        )
        .missing(),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/appeals"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "appeal_sent_on": "2026-01-05", "appeal_channel": "post"})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/appeals/forward"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2})),
        ),
        api(
            Method::POST,
            format!("/api/v1/cases/{c}/appeals/outcome"),
            Some(HandleCase),
            Record,
            Some(serde_json::json!({"version": 2, "outcome": "upheld"})),
        ),
        api(
            Method::GET,
            "/api/v1/grants/budget?year=2026".into(),
            Some(ViewGrantBudget),
            Working,
            None,
        ),
        api(
            Method::PUT,
            "/api/v1/grants/budget/2026/establishment".into(),
            Some(ManageGrantBudget),
            Working,
            Some(serde_json::json!({"allocated_kr": 100000})),
        ),
        page(
            Method::GET,
            "/admin/reference-budget".into(),
            Some(ManageReferenceBudget),
            Working,
            vec![],
        ),
        page(
            Method::POST,
            "/admin/reference-budget".into(),
            Some(ManageReferenceBudget),
            Working,
            vec![("valid_from", "01.01.2026".into())],
        ),
        api(
            Method::GET,
            "/api/v1/reference-budgets".into(),
            Some(ManageReferenceBudget),
            Working,
            None,
        ),
        api(
            Method::PUT,
            "/api/v1/reference-budgets".into(),
            Some(ManageReferenceBudget),
            Working,
            Some(serde_json::json!({
                "expected_version": 0,
                "valid_from": "",
                "label": "",
                "individual_ore": {},
                "household_ore": {}
            })),
        ),
        // Last: it ends the session the walk uses.
        page(Method::POST, "/logout".into(), None, Working, vec![]),
    ]
}

/// A document upload's form: a small PDF, with the CSRF token when given.
fn upload_form(csrf: Option<&str>) -> reqwest::multipart::Form {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4 x".to_vec()).file_name("a.pdf"),
    );
    match csrf {
        Some(token) => form.text("csrf", token.to_string()),
        None => form,
    }
}

/// Which roles may take each action: the README's table of roles ("Roles"), stated
/// independently of `husly_domain::authz::roles_allowed`, which the walk holds to it.
fn promised(action: Action) -> &'static [Role] {
    use Role::*;
    match action {
        // Search people, view households and people: everyone who works with households.
        Action::SearchPeople | Action::ViewPerson | Action::ViewHousehold => {
            &[Caseworker, Approver, FollowUpWorker, HousingManager]
        }
        // Only the caseworker registers and edits; the approver checks what others recorded.
        Action::RegisterHousehold | Action::EditHousehold => &[Caseworker],
        // Users, API keys and the access log: the administrator alone, who sees no household.
        Action::ManageUsers | Action::ManageTokens | Action::ReadAudit => &[Admin],
        Action::RunOutreach => &[Caseworker, Approver, HousingManager, Leader],
        Action::RecordOutreachContact => &[Caseworker, HousingManager],
        Action::ViewCase => &[Caseworker, Approver, FollowUpWorker, HousingManager],
        Action::HandleCase => &[Caseworker],
        Action::ApproveDecision => &[Approver],
        Action::ViewGrantBudget => &[Caseworker, Approver, HousingManager, Leader],
        Action::ManageGrantBudget => &[Approver, Leader],
        // Journal notes on a household: the caseworker, and the follow-up worker who visits.
        Action::WriteHouseholdNote => &[Caseworker, FollowUpWorker],
        // The action plan holds no personal data: the whole unit follows it; leaders (and the
        // administrator who sets the installation up) keep it.
        Action::ViewActionPlan => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader, Admin],
        Action::ManageActionPlan => &[Leader, Admin],
        // Temporary accommodation: everyone who works with households sees the stays; those who
        // find places and follow households up record them; leaders see the figures only.
        Action::ViewTemporaryStays => &[Caseworker, Approver, FollowUpWorker, HousingManager],
        Action::RecordTemporaryStay => &[Caseworker, FollowUpWorker, HousingManager],
        Action::ViewStayFigures => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        // The municipality's reference budget (SIFO figures): the administrator and the leaders.
        Action::ManageReferenceBudget => &[Admin, Leader],
        // KOSTRA skjema 13: the leader who reports it and those who clear its warnings; the
        // cases behind a warning only to those who may see cases (the walk reads as the first).
        Action::ViewKostraFigures => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        // Equity: suppressed aggregates for the leader and the unit, no household named.
        Action::ViewEquityFigures => &[Leader, Caseworker, Approver, FollowUpWorker, HousingManager],
        // The dwelling register holds no personal data: the housing unit and its leaders read
        // it; the housing manager (and a property-management system with their key) keeps it.
        Action::ViewDwellings => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        Action::ManageDwellings => &[HousingManager],
        // The priority policy is rule data: the unit reads it; the leader changes it (after a
        // simulation), naming the households that move only if they may also see cases.
        Action::ViewPriorityPolicy => &[Caseworker, Approver, FollowUpWorker, HousingManager, Leader],
        Action::ManagePriorityPolicy => &[Leader],
        // Allocation rounds and offers: the caseworkers of the allocation meeting and the
        // housing manager who lets the dwellings.
        Action::Allocate => &[Caseworker, HousingManager],
        // Tenancy contracts: everyone who works with households reads them; the housing
        // manager, who lets the dwellings, writes and ends them.
        Action::ViewTenancies => &[Caseworker, Approver, FollowUpWorker, HousingManager],
        Action::ManageTenancies => &[HousingManager],
        // Follow-up in the home: everyone who works with households sees it; the follow-up
        // worker and the caseworker keep the plan; the housing manager logs what reaches the
        // landlord (a complaint, a visit to the dwelling).
        Action::ViewFollowUp => &[Caseworker, Approver, FollowUpWorker, HousingManager],
        Action::KeepFollowUpPlan => &[Caseworker, FollowUpWorker],
        Action::LogFollowUp => &[Caseworker, FollowUpWorker, HousingManager],
        // Partner organisations and their users: the administrator, as with users.
        Action::ManagePartners => &[Admin],
        // A consent is recorded by those who meet the household: in a meeting, on a visit.
        Action::RecordConsent => &[Caseworker, FollowUpWorker],
        // The partner's door: its list, and a household on a consent in force (the fixture's
        // partner holds one covering every category; `a_partner_sees_a_household_only_on_a_consent_in_force`
        // walks it without one).
        Action::ViewConsentedHouseholds | Action::ViewAsPartner | Action::ReadDocumentAsPartner => &[Partner],
        // Protected addresses: the caseworker records a block; lifting one and opening the
        // address take the specific permission (held beside a role that sees the household).
        Action::ProtectAddress => &[Caseworker, ProtectedAddresses],
        Action::LiftAddressProtection | Action::RevealProtectedAddress => &[ProtectedAddresses],
        // Referrals: those who meet the household; a partner on a consent (its own routes).
        Action::SendReferral | Action::AnswerReferral => &[Caseworker, FollowUpWorker],
        // Collaboration meetings: the same workers; a partner on a consent (its own routes).
        Action::RecordMeeting | Action::UpdateMeetingAction => &[Caseworker, FollowUpWorker],
        // Reminders: those the nightly job reminds, each of their own.
        Action::ViewReminders | Action::MarkReminder => &[Caseworker, FollowUpWorker, HousingManager],
    }
}

/// The roles the fixture's user for `role` holds: the permission for protected addresses is
/// held beside the caseworker's role (as in the demo), every other role alone.
fn held(role: Role) -> Vec<Role> {
    match role {
        Role::ProtectedAddresses => vec![Role::ProtectedAddresses, Role::Caseworker],
        role => vec![role],
    }
}

/// Who asks: a role in the home municipality, a stranger from another municipality, or nobody.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Role(Role),
    Stranger,
    Anonymous,
}

#[derive(Debug, PartialEq)]
enum Outcome {
    Allowed,
    Forbidden,
    NotFound,
    LoginRequired,
}

/// An id no record has (a duplicate flag, a draft): a role allowed to use the route gets past
/// authorisation and is told the record does not exist (404); any other role is stopped before.
const MISSING: &str = "01900000-0000-7000-8000-000000000000";

fn expected(route: &Route, who: Who) -> Outcome {
    let outcome = expected_access(route, who);
    if outcome == Outcome::Allowed && route.missing {
        return Outcome::NotFound;
    }
    outcome
}

fn expected_access(route: &Route, who: Who) -> Outcome {
    if route.scope == Scope::Public {
        return Outcome::Allowed;
    }
    match who {
        Who::Anonymous => Outcome::LoginRequired,
        Who::Stranger => match route.scope {
            Scope::Record => Outcome::NotFound,
            // The stranger works in their own municipality, where they hold every role.
            Scope::Working | Scope::Public => Outcome::Allowed,
        },
        Who::Role(role) => match route.action {
            None => Outcome::Allowed,
            Some(action) if held(role).iter().any(|r| promised(action).contains(r)) => Outcome::Allowed,
            Some(_) => Outcome::Forbidden,
        },
    }
}

fn classify(route: &Route, status: u16, location: Option<&str>, signed_out: bool) -> Outcome {
    match status {
        401 => Outcome::LoginRequired,
        // Sent to sign in, unless this was signing out (which ends the session it had).
        303 if !route.api && location == Some("/login") && !signed_out => Outcome::LoginRequired,
        403 => Outcome::Forbidden,
        404 => Outcome::NotFound,
        s if s < 500 && s != 405 => Outcome::Allowed,
        s => panic!("{} {} answered {s}", route.method, route.path),
    }
}

async fn ask(server: &common::Server, http: &Client, route: &Route, token: Option<&str>, csrf: &str) -> Outcome {
    let mut request = http.request(route.method.clone(), server.url(&route.path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let csrf = if route.is_visitor_form() {
        common::csrf_of(server, http, "/apply").await
    } else {
        csrf.to_string()
    };
    if let Some(json) = &route.json {
        request = request.json(json);
    } else if route.method == Method::POST && route.is_upload() {
        request = request.multipart(upload_form(Some(&csrf)));
    } else if route.method == Method::POST {
        let mut form = route.body.clone();
        form.push(("csrf", csrf));
        request = request.form(&form);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let signed_out = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .any(|c| c.to_str().unwrap_or_default().starts_with("husly_session=;"));
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|v| v.to_str().unwrap_or_default().starts_with("text/html"));
    if html && route.method == Method::GET {
        // Every page a role may see has a plain-text title, and no text shown as its raw key.
        let body = response.text().await.expect("body");
        common::title_of(&body);
        let raw = common::raw_keys(&body);
        assert!(
            raw.is_empty(),
            "{} {} shows raw catalogue keys: {raw:?}",
            route.method,
            route.path
        );
    }
    classify(route, status, location.as_deref(), signed_out)
}

#[tokio::test]
async fn every_route_for_every_role() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let table = routes(&fixture);
        let mut who: Vec<Who> = Role::ALL.into_iter().map(Who::Role).collect();
        who.push(Who::Stranger);
        who.push(Who::Anonymous);
        let mut failures = Vec::new();
        for principal in who {
            let (http, csrf, token) = match principal {
                Who::Anonymous => (common::client(), String::new(), None),
                Who::Stranger => {
                    let http = common::login(&server, &fixture.stranger.0, PASSWORD).await;
                    let csrf = common::csrf_of(&server, &http, "/admin/users").await;
                    (http, csrf, Some(fixture.stranger.1.clone()))
                }
                Who::Role(role) => {
                    let (email, token) = &fixture.users[&role];
                    let http = common::login(&server, email, PASSWORD).await;
                    // Every signed-in page carries the CSRF token in its logout form; the start
                    // page is open to every role.
                    let csrf = match common::csrf_of_any(&server, &http, "/").await {
                        Some(csrf) => csrf,
                        // The start page sends partners to their households.
                        None if role == Role::Partner => common::csrf_of(&server, &http, "/partner").await,
                        None => match common::csrf_of_any(&server, &http, "/plans").await {
                            Some(csrf) => csrf,
                            None => common::csrf_of(&server, &http, "/search").await,
                        },
                    };
                    (http, csrf, Some(token.clone()))
                }
            };
            for route in &table {
                let token = if route.api { token.as_deref() } else { None };
                let got = ask(&server, &http, route, token, &csrf).await;
                let want = expected(route, principal);
                if got != want {
                    failures.push(format!(
                        "{principal:?} {} {}: expected {want:?}, got {got:?}",
                        route.method, route.path
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
    }
}

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_api_routes() {
    let db = Database::sqlite();
    let fixture = prepare(&db.url).await;
    let server = start(&db, &[]);
    let doc: serde_json::Value = reqwest::get(server.url("/api/openapi.json"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let mut documented: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    let template =
        |path: &str| -> String {
            let path = path.split('?').next().unwrap_or(path);
            path.replace(&fixture.household.to_string(), "{id}")
            .replace(&fixture.person.to_string(), "{id}")
            .replace(&fixture.case.to_string(), "{id}")
            .replace(&fixture.letter, "{letter_id}")
            .replace(&fixture.document, "{document_id}")
            .replace(&fixture.plan, "{plan_id}")
            .replace(&fixture.goal, "{goal_id}")
            .replace(&fixture.measure, "{measure_id}")
            .replace(&fixture.indicator, "{indicator_id}")
            .replace(&fixture.computed_indicator, "{indicator_id}")
            .replace("/tasks/01900000-0000-7000-8000-000000000000", "/tasks/{task_id}")
            .replace(
                "/representatives/01900000-0000-7000-8000-000000000000",
                "/representatives/{representative_id}",
            )
            .replace("/stays/01900000-0000-7000-8000-000000000000", "/stays/{stay_id}")
            .replace(
                "/consents/01900000-0000-7000-8000-000000000000",
                "/consents/{consent_id}",
            )
            .replace(
                "/outreach-contacts/01900000-0000-7000-8000-000000000000",
                "/outreach-contacts/{contact_id}",
            )
            .replace("/rent/01900000-0000-7000-8000-000000000000", "/rent/{change}")
            .replace("/rent-changes/01900000-0000-7000-8000-000000000000", "/rent-changes/{change_id}")
            .replace(
                "/follow-up/plan/01900000-0000-7000-8000-000000000000/measures/01900000-0000-7000-8000-000000000000",
                "/follow-up/plan/{plan}/measures/{measure}",
            )
            .replace("/follow-up/plan/01900000-0000-7000-8000-000000000000", "/follow-up/plan/{plan}")
            .replace(
                "/follow-up/plans/01900000-0000-7000-8000-000000000000/measures/01900000-0000-7000-8000-000000000000",
                "/follow-up/plans/{plan_id}/measures/{measure_id}",
            )
            .replace("/follow-up/plans/01900000-0000-7000-8000-000000000000", "/follow-up/plans/{plan_id}")
            .replace("/policies/01900000-0000-7000-8000-000000000000", "/policies/{id}")
            .replace("/policies/standard", "/policies/{id}")
            .replace(
                "/protection/01900000-0000-7000-8000-000000000000",
                "/protection/{person_id}",
            )
            .replace(
                "/referrals/01900000-0000-7000-8000-000000000000",
                "/referrals/{referral_id}",
            )
            .replace(
                "/meetings/actions/01900000-0000-7000-8000-000000000000",
                "/meetings/actions/{action_id}",
            )
            .replace(
                "/reminders/01900000-0000-7000-8000-000000000000",
                "/reminders/{reminder_id}",
            )
            .replace("01900000-0000-7000-8000-000000000000", "{flag_id}")
            .replace("/grants/budget/2026/establishment", "/grants/budget/{year}/{grant}")
            .replace("/kostra/2025", "/kostra/{year}")
            .replace("/equity/2025", "/equity/{year}")
            .replace(&format!("/lines/{}", fixture.dwelling), "/lines/{dwelling}")
            .replace(&format!("/lines/{}", fixture.offered_dwelling), "/lines/{dwelling}")
            .replace(&fixture.dwelling, "{id}")
            .replace(&fixture.round, "{id}")
            .replace(&fixture.offer, "{id}")
            .replace(&fixture.tenancy, "{id}")
            .replace(
                &format!("/by-external-id/{DWELLING_EXTERNAL_ID}"),
                "/by-external-id/{external_id}",
            )
            .replace("/by-external-id/PMS-WALK", "/by-external-id/{external_id}")
        };
    let mut routed: Vec<String> = routes(&fixture)
        .iter()
        .filter(|r| r.api)
        .map(|r| format!("{} {}", r.method, template(&r.path)))
        .collect();
    documented.sort();
    routed.sort();
    routed.dedup();
    assert_eq!(documented, routed, "the OpenAPI document and the API routes differ");
    // Unknown API paths are JSON 404s.
    let response = reqwest::get(server.url("/api/v1/nothing-here")).await.unwrap();
    assert_eq!(response.status(), 404);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
}

/// One signed-in client per role, made when first needed.
struct Sessions<'a> {
    server: &'a common::Server,
    fixture: &'a Fixture,
    clients: std::collections::HashMap<Role, Client>,
}

impl Sessions<'_> {
    async fn of(&mut self, role: Role) -> Client {
        if let Some(client) = self.clients.get(&role) {
            return client.clone();
        }
        let (email, _) = &self.fixture.users[&role];
        let client = common::login(self.server, email, PASSWORD).await;
        self.clients.insert(role, client.clone());
        client
    }
}

/// A role that may use the route (the route's first allowed role; any role for routes without
/// an action).
fn allowed_role(route: &Route) -> Role {
    route.action.map_or(Role::Caseworker, |action| promised(action)[0])
}

/// Every row of every table (the export), to compare before and after.
async fn database(store: &husly_store::Store) -> Vec<u8> {
    let mut archive = Vec::new();
    store.export(&mut archive).await.expect("export");
    archive
}

async fn audit_entries(store: &husly_store::Store) -> u64 {
    store.verify_audit().await.expect("audit").entries
}

/// Every state-changing form, posted without its CSRF token and with a wrong one, by a user who
/// may otherwise use it (a signed-in user, or for self-service a visitor holding a token of their
/// own): 403, and nothing read, recorded or changed — the whole database, as an export, is the same
/// before and after.
#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_before_anything_is_read() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        common::scheduler_settled(&store).await;
        let home = store.municipality_by_number("3301").await.unwrap().unwrap().id;
        let case_before = store.case(home, fixture.case).await.unwrap();
        let household_before = store.household(home, fixture.household).await.unwrap();
        let mut sessions = Sessions {
            server: &server,
            fixture: &fixture,
            clients: Default::default(),
        };
        let mut failures = Vec::new();
        let mut posted = 0;
        let table = routes(&fixture);
        let forms = table
            .iter()
            .filter(|r| !r.api && r.method == Method::POST && (r.scope != Scope::Public || r.is_visitor_form()));
        for route in forms {
            let http = if route.is_visitor_form() {
                let visitor = common::client();
                common::csrf_of(&server, &visitor, "/apply").await;
                visitor
            } else {
                sessions.of(allowed_role(route)).await
            };
            for token in [None, Some("forged-token-0000000000000000")] {
                let before = audit_entries(&store).await;
                let snapshot = database(&store).await;
                let mut request = http.post(server.url(&route.path));
                request = if route.is_upload() {
                    request.multipart(upload_form(token))
                } else {
                    let mut form = route.body.clone();
                    if let Some(token) = token {
                        form.push(("csrf", token.to_string()));
                    }
                    request.form(&form)
                };
                let status = request.send().await.expect("post").status().as_u16();
                let after = audit_entries(&store).await;
                posted += 1;
                if status != 403 || after != before || database(&store).await != snapshot {
                    failures.push(format!(
                        "POST {} with token {token:?}: {status}, {} new audit entries, database changed: {}",
                        route.path,
                        after - before,
                        database(&store).await != snapshot
                    ));
                }
            }
        }
        assert!(posted >= 50, "only {posted} forms were posted");
        for visitor_form in ["/apply", "/apply/{id}", "/apply/{id}/code", "/apply/{id}/documents"] {
            let posted = table.iter().any(|r| {
                r.is_visitor_form()
                    && husly_web::routing::Endpoint {
                        method: Method::POST,
                        path: visitor_form.into(),
                    }
                    .matches(&r.method, &r.path)
            });
            assert!(posted, "the self-service form {visitor_form} is in the matrix");
        }
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
        assert_eq!(store.case(home, fixture.case).await.unwrap(), case_before);
        assert_eq!(
            store.household(home, fixture.household).await.unwrap().version,
            household_before.version
        );
    }
}

/// Like [`NOT_PERSONAL`], for one path exactly (the records below it are personal).
const NOT_PERSONAL_EXACT: &[(&str, &str)] = &[
    (
        "/stays",
        "KOSTRA figures and costs without names; /stays/ongoing below names households",
    ),
    (
        "/allocation/rounds",
        "round numbers, states and counts; the rounds themselves name households",
    ),
    (
        "/api/v1/allocation/rounds",
        "round numbers, states and counts; the rounds themselves name households",
    ),
];

/// Reads that show nothing personal, and why they write no audit entry.
const NOT_PERSONAL: &[(&str, &str)] = &[
    ("/households/new", "an empty registration form"),
    (
        "/cases/workload",
        "staff names and case counts, no one the municipality serves",
    ),
    (
        "/api/v1/cases/workload",
        "staff names and case counts, no one the municipality serves",
    ),
    (
        "/admin/users",
        "staff accounts, not personal data of the people the municipality serves",
    ),
    ("/admin/users/new", "an empty form"),
    (
        "/admin/partners",
        "partner organisations and their staff accounts, no one the municipality serves",
    ),
    (
        "/api/v1/partners",
        "partner organisations and their staff accounts, no one the municipality serves",
    ),
    (
        "/admin/jobs",
        "the server's daily jobs: days, times and outcomes, no one the municipality serves",
    ),
    ("/admin/users/", "a staff account"),
    ("/apply", "the applicant's own draft, opened with its code"),
    ("/calculators/startlan", "a calculator with no stored data"),
    ("/api/v1/me", "the caller's own account"),
    ("/api/v1/grants/budget", "figures without names"),
    (
        "/plan",
        "the action plan: goals, measures and counts over cases, no one the municipality serves",
    ),
    ("/api/v1/action-plans", "as /plan"),
    ("/api/v1/stays/figures", "KOSTRA figures without names"),
    (
        "/kostra.csv",
        "KOSTRA figures and warning counts, without the cases behind them",
    ),
    (
        "/equity",
        "aggregates by group with small numbers suppressed, no household named",
    ),
    (
        "/api/v1/equity",
        "aggregates by group with small numbers suppressed, no household named",
    ),
    ("/admin/reference-budget", "municipal rule data, no person"),
    (
        "/allocation/policy",
        "the priority policy's versions: municipal rule data, no person",
    ),
    (
        "/api/v1/allocation/policies",
        "the priority policy's versions: municipal rule data, no person",
    ),
    ("/api/v1/reference-budgets", "municipal rule data, no person"),
    (
        "/api/v1/dwellings",
        "the dwelling register: dwellings, their facts and status, no one the municipality serves",
    ),
    (
        "/dwellings",
        "the dwelling register: dwellings, their facts and status, no one the municipality serves",
    ),
    (
        "/allocation/stock",
        "stock versus demand: counts by bedroom need, no household or dwelling named",
    ),
    (
        "/api/v1/allocation/stock",
        "stock versus demand: counts by bedroom need, no household or dwelling named",
    ),
];

/// What each read records: the route's pattern (as the router has it), the action, and the kind
/// of record named (a search or a list names the municipality).
const READS: &[(&str, &str, &str)] = &[
    ("/search", "person.search", "person"),
    ("/households/{id}", "household.view", "household"),
    ("/households/{id}/edit", "household.view", "household"),
    ("/households/{id}/bostotte", "household.view", "household"),
    ("/households/{id}/economy", "household.view", "household"),
    ("/households/{id}/applications/new", "household.view", "household"),
    ("/people/{id}", "person.view", "person"),
    ("/cases", "case.queue", "municipality"),
    ("/cases/{id}", "case.view", "case"),
    ("/cases/{id}/letters/{letter}", "case.letter", "case"),
    ("/cases/{id}/documents/{document}", "case.document", "case"),
    ("/cases/{id}/case-file.zip", "case.case_file", "case"),
    ("/outreach", "outreach.bostotte", "municipality"),
    ("/outreach.csv", "outreach.bostotte", "municipality"),
    ("/outreach.xlsx", "outreach.bostotte", "municipality"),
    ("/grants/budget", "grant_ledger.view", "municipality"),
    ("/api/v1/people", "person.search", "person"),
    ("/api/v1/people/{id}", "person.view", "person"),
    ("/api/v1/households/{id}", "household.view", "household"),
    ("/api/v1/households/{id}/timeline", "household.timeline", "household"),
    ("/api/v1/households/{id}/economy", "household.view", "household"),
    ("/api/v1/outreach/bostotte", "outreach.bostotte", "municipality"),
    ("/api/v1/cases", "case.queue", "municipality"),
    ("/api/v1/cases/{id}", "case.view", "case"),
    ("/api/v1/cases/{id}/timeline", "case.timeline", "case"),
    ("/api/v1/cases/{id}/notes", "case.notes", "case"),
    ("/api/v1/cases/{id}/tasks", "case.tasks", "case"),
    ("/api/v1/households/{id}/notes", "household.notes", "household"),
    (
        "/api/v1/households/{id}/representatives",
        "household.representatives",
        "household",
    ),
    ("/api/v1/households/{id}/stays", "household.stays", "household"),
    ("/api/v1/stays", "stays.list", "municipality"),
    ("/households/{id}/follow-up", "household.follow_up_view", "household"),
    (
        "/outreach/households/{id}/contact",
        "outreach.contact_view",
        "household",
    ),
    (
        "/api/v1/households/{id}/outreach-contacts",
        "outreach.contact_view",
        "household",
    ),
    (
        "/api/v1/households/{id}/follow-up",
        "household.follow_up_view",
        "household",
    ),
    ("/follow-up", "follow_up.caseload", "municipality"),
    ("/households/{id}/consents", "household.consents_view", "household"),
    (
        "/api/v1/households/{id}/consents",
        "household.consents_view",
        "household",
    ),
    ("/households/{id}/protection", "household.protection_view", "household"),
    ("/households/{id}/referrals", "household.referrals_view", "household"),
    ("/households/{id}/meetings", "household.meetings_view", "household"),
    (
        "/api/v1/households/{id}/meetings",
        "household.meetings_view",
        "household",
    ),
    (
        "/api/v1/households/{id}/referrals",
        "household.referrals_view",
        "household",
    ),
    ("/referrals", "referrals.queue", "municipality"),
    ("/reminders", "reminders.view", "municipality"),
    ("/api/v1/reminders", "reminders.view", "municipality"),
    ("/api/v1/referrals", "referrals.queue", "municipality"),
    (
        "/api/v1/partner/referrals",
        "partner.referral_queue",
        "partner_organisation",
    ),
    (
        "/api/v1/households/{id}/protection",
        "household.protection_view",
        "household",
    ),
    ("/partner", "partner.household_list", "partner_organisation"),
    (
        "/api/v1/partner/households",
        "partner.household_list",
        "partner_organisation",
    ),
    ("/partner/households/{id}", "partner.household_view", "household"),
    (
        "/partner/households/{id}/documents/{document}",
        "partner.document",
        "household",
    ),
    (
        "/api/v1/partner/households/{id}/documents/{document_id}",
        "partner.document",
        "household",
    ),
    ("/api/v1/partner/households/{id}", "partner.household_view", "household"),
    ("/api/v1/follow-up/caseload", "follow_up.caseload", "municipality"),
    ("/stays/ongoing", "stays.list", "municipality"),
    ("/kostra", "kostra.cases", "municipality"),
    ("/api/v1/kostra/{year}", "kostra.cases", "municipality"),
    ("/api/v1/cases/{id}/letters/{letter_id}", "case.letter", "case"),
    ("/api/v1/cases/{id}/ledger", "grant_ledger.view", "case"),
    ("/api/v1/cases/{id}/documents", "case.documents", "case"),
    ("/api/v1/cases/{id}/documents/{document_id}", "case.document", "case"),
    ("/admin/audit", "audit.view", "municipality"),
    ("/api/v1/audit", "audit.view", "municipality"),
    ("/admin/audit/access-request.pdf", "audit.view", "person"),
    ("/waiting-list", "waiting_list.view", "municipality"),
    ("/allocation", "allocation.preview", "municipality"),
    ("/api/v1/waiting-list", "waiting_list.view", "municipality"),
    ("/api/v1/allocation/proposal", "allocation.preview", "municipality"),
    ("/allocation/rounds/{id}", "allocation.round_view", "allocation_round"),
    (
        "/allocation/rounds/{id}/lines/{dwelling}",
        "allocation.round_view",
        "allocation_round",
    ),
    (
        "/api/v1/allocation/rounds/{id}",
        "allocation.round_view",
        "allocation_round",
    ),
    (
        "/api/v1/allocation/rounds/{id}/draw",
        "allocation.draw_published",
        "allocation_round",
    ),
    ("/offers", "offer.list", "municipality"),
    ("/offers/{id}", "offer.view", "offer"),
    ("/api/v1/offers", "offer.list", "municipality"),
    ("/api/v1/offers/{id}", "offer.view", "offer"),
    ("/tenancies", "tenancy.list", "municipality"),
    // Before `/tenancies/{id}`, which would match them too.
    ("/tenancies/ledger", "tenancy.arrears", "municipality"),
    ("/api/v1/tenancies/arrears", "tenancy.arrears", "municipality"),
    ("/tenancies/{id}", "tenancy.view", "tenancy"),
    ("/offers/{id}/contract", "offer.view", "offer"),
    ("/api/v1/tenancies", "tenancy.list", "municipality"),
    ("/api/v1/tenancies/{id}", "tenancy.view", "tenancy"),
];

/// What is wrong with the audit entry a read wrote, if anything: it names the role that read, a
/// read action ([`READS`]), and the record the path names; it holds no identity number, name or search term
/// in clear (those are keyed hashes).
fn wrong_entry(f: &Fixture, route: &Route, role: Role, entry: &husly_store::audit::AuditEntry) -> Option<String> {
    if !entry.actor_role.split(',').any(|r| r.trim() == role.code()) {
        return Some(format!("the entry names the role {:?}", entry.actor_role));
    }
    let Some((_, action, kind)) = READS.iter().find(|(pattern, _, _)| {
        husly_web::routing::Endpoint {
            method: Method::GET,
            path: (*pattern).into(),
        }
        .matches(&Method::GET, &route.path)
    }) else {
        return Some("the read is missing from READS".into());
    };
    if entry.action != *action || entry.resource_kind != *kind {
        return Some(format!("expected {action} of a {kind}"));
    }
    let named = [
        f.household.to_string(),
        f.person.to_string(),
        f.case.to_string(),
        f.letter.clone(),
        f.document.clone(),
    ];
    let in_path: Vec<&String> = named.iter().filter(|id| route.path.contains(id.as_str())).collect();
    if !in_path.is_empty() && !in_path.contains(&&entry.resource_id) {
        return Some("the entry does not name the record read".into());
    }
    let (given, family) = &f.main_applicant_name;
    let text = format!("{} {} {}", entry.resource_id, entry.purpose, entry.details).to_lowercase();
    for secret in [f.main_applicant_id.as_str(), given, family, "ingrid"] {
        if text.contains(&secret.to_lowercase()) {
            return Some(format!("the entry holds {secret:?} in clear"));
        }
    }
    None
}

/// Every read of personal data, by a user who may make it: exactly one new audit entry, naming
/// who read what, with search terms and identity numbers only as keyed hashes.
#[tokio::test]
async fn every_read_of_personal_data_writes_exactly_one_audit_entry() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let server = start(&db, &[]);
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        // The nightly jobs' entries land before the walk; the outreach list of the month the
        // walk reads is made first (making it is an entry of its own, tested in outreach.rs).
        common::scheduler_settled(&store).await;
        let home = store.municipality_by_number("3301").await.unwrap().unwrap();
        let july = "2026-07".parse().unwrap();
        let read_from = husly_store::now_micros();
        let list = store.bostotte_outreach(&home, july).await.unwrap();
        let actor = husly_store::audit::Actor::cli("test");
        let change = husly_store::households::Change {
            actor: &actor,
            user: None,
            reason: None,
        };
        store
            .keep_outreach_list(home.id, &list, read_from, &change)
            .await
            .unwrap();
        let mut sessions = Sessions {
            server: &server,
            fixture: &fixture,
            clients: Default::default(),
        };
        let mut failures = Vec::new();
        let mut read = 0;
        let table = routes(&fixture);
        let reads = table.iter().filter(|r| {
            let bare = r.path.split('?').next().unwrap_or_default();
            r.method == Method::GET
                && !NOT_PERSONAL.iter().any(|(prefix, _)| r.path.starts_with(prefix))
                && !NOT_PERSONAL_EXACT.iter().any(|(path, _)| bare == *path)
        });
        for route in reads {
            let role = allowed_role(route);
            let before = audit_entries(&store).await;
            let mut request = if route.api {
                common::client()
                    .get(server.url(&route.path))
                    .bearer_auth(&fixture.users[&role].1)
            } else {
                sessions.of(role).await.get(server.url(&route.path))
            };
            request = request.header("accept-language", "nb");
            let status = request.send().await.expect("get").status().as_u16();
            let after = audit_entries(&store).await;
            read += 1;
            if status != 200 || after != before + 1 {
                failures.push(format!(
                    "GET {} as {role:?}: {status}, {} new audit entries",
                    route.path,
                    after - before
                ));
                continue;
            }
            let filter = husly_store::audit::AuditFilter {
                limit: 1,
                ..Default::default()
            };
            let entry = store
                .audit_entries(fixture.home, &filter)
                .await
                .expect("audit")
                .remove(0);
            if let Some(problem) = wrong_entry(&fixture, route, role, &entry) {
                failures.push(format!("GET {} as {role:?}: {problem}: {entry:?}", route.path));
            }
        }
        assert!(read >= 25, "only {read} reads were made");
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
    }
}

/// Routes the walk does not ask every role, and why; each is tested where named.
const NOT_WALKED: &[(&str, &str)] = &[
    ("GET /healthz", "operational, open to all; http.rs checks it"),
    ("GET /readyz", "operational, open to all; http.rs checks it"),
    (
        "GET /metrics",
        "operational, open to all, no personal data; http.rs checks it",
    ),
    (
        "GET /audit/checkpoints",
        "operational, for the operator's collector: chain heads and their MACs, no personal data; http.rs checks it",
    ),
    ("GET /static/husly.css", "a static file"),
    ("GET /static/favicon.svg", "a static file"),
    ("GET /favicon.ico", "a static file"),
    (
        "GET /api/openapi.json",
        "the API's description; openapi.rs validates it",
    ),
    ("GET /login", "the sign-in form; every test signs in through it"),
    (
        "POST /login",
        "signing in; http.rs tests wrong passwords, throttling and its CSRF token",
    ),
    (
        "POST /language",
        "a display preference in a cookie, no stored data; http.rs switches it",
    ),
    (
        "GET /",
        "the start page; the walk reads every role's CSRF token from it",
    ),
];

/// The walk and the router agree: every route the router serves is walked (or listed above with
/// the reason), and every route walked is one the router serves.
#[tokio::test]
async fn the_walk_covers_every_route_the_router_serves() {
    let db = Database::sqlite();
    let fixture = prepare(&db.url).await;
    let walked = routes(&fixture);
    let router = husly_web::routes();
    let mut missing = Vec::new();
    for endpoint in router.endpoints() {
        let exempt = NOT_WALKED.iter().any(|(route, _)| *route == endpoint.to_string());
        let is_walked = walked.iter().any(|r| endpoint.matches(&r.method, &r.path));
        if exempt == is_walked {
            missing.push(format!(
                "{endpoint}: {}",
                if exempt {
                    "walked and exempted"
                } else {
                    "neither walked nor exempted"
                }
            ));
        }
    }
    for route in &walked {
        if !router.endpoints().iter().any(|e| e.matches(&route.method, &route.path)) {
            missing.push(format!(
                "{} {}: walked, but the router has no such route",
                route.method, route.path
            ));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

/// What the fixture household's address block must keep off every page: its own address and
/// the flats it rents (its home) and is offered (its next home).
const PROTECTED_ADDRESSES: [&str; 3] = ["Modellveien 12", "Tollbugata 11", "Tollbugata 9"];

/// The dwelling register's own pages and the allocation rounds, which show dwellings as the
/// municipality's property (docs/architecture.md, "Protected addresses").
const DWELLING_PAGES: [&str; 4] = ["/dwellings", "/api/v1/dwellings", "/allocation", "/api/v1/allocation"];

/// The text of a PDF answer, page by page; a stored file that is no PDF we can read (the
/// fixture's letter is a few bytes of text) is searched as it is.
fn pdf_text(bytes: &[u8]) -> String {
    match lopdf::Document::load_mem(bytes) {
        Ok(document) => {
            let pages: Vec<u32> = document.get_pages().keys().copied().collect();
            document.extract_text(&pages).expect("its text")
        }
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

/// The text of an XLSX answer: every XML part of the workbook (the cells' strings among them).
fn xlsx_text(bytes: &[u8]) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an XLSX");
    let mut text = String::new();
    for i in 0..archive.len() {
        let mut part = archive.by_index(i).expect("a part");
        if part.name().is_ok_and(|name| name.ends_with(".xml")) {
            std::io::Read::read_to_string(&mut part, &mut text).expect("XML text");
        }
    }
    text
}

/// A member of the fixture household gets a fortrolig address block; then every page, API
/// answer and export of the walk that a role may read (HTML, JSON, CSV, plain text, and the
/// text of PDF and XLSX answers) shows none of the household's addresses, and the household's
/// own pages say "Skjermet adresse". The one unmasked read, the audited opening of the address,
/// is its own route.
#[tokio::test]
async fn a_protected_address_is_masked_on_every_page_and_export() {
    for db in Database::all().await {
        let fixture = prepare(&db.url).await;
        let store = husly_store::Store::connect(&db.url, &husly_store::StoreOptions::default())
            .await
            .expect("store");
        let actor = husly_store::audit::Actor::cli("test");
        let fields = husly_domain::protection::ProtectionFields {
            person: fixture.person,
            level: husly_domain::protection::AddressProtection::Fortrolig,
            reason: "Melding fra Folkeregisteret".into(),
            contact_route: None,
        };
        let change = husly_store::households::Change {
            actor: &actor,
            user: Some(fixture.follow_up_worker),
            reason: None,
        };
        store
            .protect_person(fixture.home, fixture.household, &fields, false, &change)
            .await
            .expect("protect");
        let server = start(&db, &[]);
        let mut sessions = Sessions {
            server: &server,
            fixture: &fixture,
            clients: Default::default(),
        };
        let (mut read, mut masked, mut binary, mut failures) = (0, 0, 0, Vec::new());
        let table = routes(&fixture);
        let walked = table
            .iter()
            .filter(|r| r.method == Method::GET && !r.missing && !DWELLING_PAGES.iter().any(|p| r.path.starts_with(p)));
        for route in walked {
            let role = allowed_role(route);
            let request = if route.api {
                common::client()
                    .get(server.url(&route.path))
                    .bearer_auth(&fixture.users[&role].1)
            } else {
                sessions.of(role).await.get(server.url(&route.path))
            };
            let response = request.header("accept-language", "nb").send().await.expect("get");
            let kind = response
                .headers()
                .get("content-type")
                .map(|v| v.to_str().unwrap_or_default().to_string())
                .unwrap_or_default();
            if response.status() != 200 {
                continue;
            }
            let body = if kind.starts_with("text/") || kind.contains("json") {
                response.text().await.expect("body")
            } else if kind.contains("spreadsheetml") || kind == "application/pdf" {
                let bytes = response.bytes().await.expect("body");
                binary += 1;
                if kind == "application/pdf" {
                    pdf_text(&bytes)
                } else {
                    xlsx_text(&bytes)
                }
            } else {
                continue;
            };
            read += 1;
            masked += usize::from(body.contains("Skjermet adresse"));
            for address in PROTECTED_ADDRESSES {
                if body.contains(address) {
                    failures.push(format!("GET {} as {role:?} shows {address:?}", route.path));
                }
            }
        }
        assert!(failures.is_empty(), "on {}:\n{}", db.url, failures.join("\n"));
        assert!(read > 100, "only {read} answers read");
        assert!(masked >= 10, "only {masked} pages say the address is protected");
        // The outreach list (XLSX) and the access report (PDF) among them, both masked.
        assert!(binary >= 8, "only {binary} PDF and XLSX answers read");
        // The register still names the flats: it is the municipality's list of property.
        let register = sessions.of(Role::HousingManager).await;
        let page = register
            .get(server.url("/dwellings"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Tollbugata 11"));
    }
}
