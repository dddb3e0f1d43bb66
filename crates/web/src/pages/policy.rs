//! `/allocation/policy`: the priority policy's versions (which is in force today, which are
//! scheduled), each version's rules in words, and a new version: the text in force to edit, a
//! simulation on today's waiting list on the same page, and a save only of the text simulated.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::allocation::policy::version::DraftInput;
use husly_domain::allocation::policy::{Access, Condition, PriorityPolicy, TieBreaker, text_in};
use husly_domain::allocation::simulation::{GroupSummary, Shift};
use husly_domain::authz::Action;
use husly_domain::equity::{Shown, suppress};
use husly_domain::validation::{FieldError, format_date};
use husly_usecases::UseCaseError;
use husly_usecases::priority_policy::{self as usecases, PolicySimulation, PolicyVersion, VersionStatus};

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::i18n::Tr;
use crate::layout::{Layout, Section};

/// A condition in words: «har barn under 18 år og er uten bolig …».
pub(crate) fn describe(condition: &Condition, tr: Tr) -> String {
    let list = |keys: Vec<String>| -> String {
        let words: Vec<String> = keys.iter().map(|k| format!("«{}»", tr.t(k))).collect();
        words.join(&format!(" {} ", tr.t("policy.cond.or")))
    };
    let joined = |parts: &[Condition], word: &str| -> String {
        let inner: Vec<String> = parts
            .iter()
            .map(|c| match c {
                Condition::All(_) | Condition::Any(_) => format!("({})", describe(c, tr)),
                _ => describe(c, tr),
            })
            .collect();
        inner.join(&format!(" {} ", tr.t(word)))
    };
    match condition {
        Condition::Fact(fact) => tr.t(&format!("policy.fact.{}", fact.code())).to_string(),
        Condition::Reason(reasons) => tr.f(
            "policy.cond.reason",
            &[(
                "list",
                &list(reasons.iter().map(|r| format!("reason.{}", r.code())).collect()),
            )],
        ),
        Condition::Kostra(categories) => tr.f(
            "policy.cond.kostra",
            &[("list", &list(categories.iter().map(|k| k.key()).collect()))],
        ),
        Condition::Housing(housing) => tr.f(
            "policy.cond.housing",
            &[(
                "list",
                &list(
                    housing
                        .iter()
                        .map(|h| format!("current_housing.{}", h.code()))
                        .collect(),
                ),
            )],
        ),
        Condition::ChildrenAtLeast(n) => tr.f("policy.cond.children_at_least", &[("count", &n.to_string())]),
        Condition::AdultsAtLeast(n) => tr.f("policy.cond.adults_at_least", &[("count", &n.to_string())]),
        Condition::MainApplicantAge { from, to } => tr.f(
            "policy.cond.age",
            &[("from", &from.to_string()), ("to", &to.to_string())],
        ),
        Condition::All(all) => joined(all, "policy.cond.and"),
        Condition::Any(any) => joined(any, "policy.cond.or"),
        Condition::Not(inner) => tr.f("policy.cond.not", &[("condition", &describe(inner, tr))]),
    }
}

fn status_key(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::InForce => "policy.status.in_force",
        VersionStatus::Scheduled => "policy.status.scheduled",
        VersionStatus::Replaced => "policy.status.replaced",
    }
}

/// One row of the versions table.
struct VersionRow {
    id: String,
    version: String,
    standard: bool,
    effective_from: String,
    status: &'static str,
    in_force: bool,
    reason: String,
    saved: String,
}

fn version_row(v: &PolicyVersion) -> VersionRow {
    VersionRow {
        id: v.id().to_string(),
        version: v.policy.version.clone(),
        standard: v.stored.is_none(),
        effective_from: format_date(v.policy.effective_from),
        status: status_key(v.status),
        in_force: v.status == VersionStatus::InForce,
        reason: v.stored.as_ref().map(|s| s.reason.clone()).unwrap_or_default(),
        saved: v
            .stored
            .as_ref()
            .and_then(|s| time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(s.created_at) * 1_000).ok())
            .map(|t| format_date(t.date()))
            .unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "policy_list.html")]
struct ListPage {
    l: Layout,
    rows: Vec<VersionRow>,
    in_force: VersionRow,
    has_own: bool,
}

/// `GET /allocation/policy`.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewPriorityPolicy)?.id;
    let versions = usecases::policy_versions(&user.ctx(&state), municipality).await?;
    render(&ListPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        rows: versions.versions.iter().map(version_row).collect(),
        in_force: version_row(versions.in_force()),
        has_own: versions.versions.iter().any(|v| v.stored.is_some()),
    })
}

/// A criterion as read.
struct CriterionView {
    title: String,
    points: u32,
    when: String,
    unverified: bool,
    note: Option<String>,
}

#[derive(Template)]
#[template(path = "policy_view.html")]
struct ViewPage {
    l: Layout,
    row: VersionRow,
    policy: PriorityPolicy,
    criteria: Vec<CriterionView>,
    ties: Vec<&'static str>,
    access: Vec<(String, String)>,
    sources: Vec<(String, Option<String>)>,
}

impl ViewPage {
    fn short_fingerprint(&self) -> String {
        self.policy.fingerprint()[..12].to_string()
    }

    fn waiting_time(&self) -> String {
        let w = &self.policy.waiting_time;
        self.l.tr.f(
            "policy.waiting_time_text",
            &[
                ("per_month", &w.points_per_month.to_string()),
                ("max", &w.max_points.to_string()),
            ],
        )
    }

    fn bedrooms(&self) -> String {
        let b = &self.policy.bedrooms;
        self.l.tr.f(
            "policy.bedrooms_text",
            &[
                ("children", &b.children_per_bedroom.to_string()),
                ("extra", &b.extra_allowed.to_string()),
            ],
        )
    }
}

fn tie_key(t: TieBreaker) -> &'static str {
    match t {
        TieBreaker::ApprovalDate => "policy.tie.approval_date",
        TieBreaker::ReceivedDate => "policy.tie.received_date",
        TieBreaker::Draw => "policy.tie.draw",
    }
}

/// `GET /allocation/policy/{id}` (`standard` for Husly's).
pub async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewPriorityPolicy)?.id;
    let version = usecases::policy_version(&user.ctx(&state), municipality, &id).await?;
    let tr = user.tr;
    let policy = version.policy.clone();
    let criteria = policy
        .criteria
        .iter()
        .map(|c| CriterionView {
            title: text_in(&c.title, tr.lang).to_string(),
            points: c.points,
            when: describe(&c.when, tr),
            unverified: c.provenance.unverified,
            note: c.provenance.note.clone(),
        })
        .collect();
    let access = policy
        .dwelling_types
        .iter()
        .map(|(t, a)| {
            let who = match a {
                Access::Always => tr.t("policy.access.always").to_string(),
                Access::Never => tr.t("policy.access.never").to_string(),
                Access::When(c) => describe(c, tr),
            };
            (tr.t(&t.key()).to_string(), who)
        })
        .collect();
    render(&ViewPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        row: version_row(&version),
        ties: policy.tie_breakers.iter().map(|t| tie_key(*t)).collect(),
        sources: policy
            .sources
            .iter()
            .map(|s| (s.title.clone(), s.url.clone()))
            .collect(),
        criteria,
        access,
        policy,
    })
}

/// One group's line of the simulation, as shown: counts of 1–4 as "<5", and whatever would let
/// a small count be worked out from a total hidden (the equity figures' rule), so no household
/// is singled out by the counts either.
struct GroupRow {
    label: String,
    households: String,
    up: String,
    down: String,
    unchanged: String,
    mean: String,
}

/// The rows of one section: `groups` with, when `total` is given, the row that adds them up
/// (suppressed with them, then dropped: the whole list is its own section).
fn group_rows(groups: Vec<(String, &GroupSummary)>, total: Option<&GroupSummary>, tr: Tr) -> Vec<GroupRow> {
    let values = |g: &GroupSummary| {
        [g.moved_up, g.moved_down, g.unchanged, g.households]
            .iter()
            .map(|n| Some(i64::from(*n)))
            .collect::<Vec<_>>()
    };
    let mut table: Vec<Vec<Option<i64>>> = groups.iter().map(|(_, g)| values(g)).collect();
    table.extend(total.map(values));
    let shown = suppress(&table, total.is_some(), true);
    groups
        .into_iter()
        .zip(shown)
        .map(|((label, g), cells)| {
            let text = |i: usize| super::equity::cell(&tr, cells[i]);
            let mean = g.mean_shift();
            let mean = if matches!(cells[3], Shown::Count(n) if n >= 5) {
                let text = format!("{mean:+.1}");
                if tr.lang == husly_domain::Lang::En {
                    text
                } else {
                    text.replace('.', ",")
                }
            } else {
                "–".to_string()
            };
            GroupRow {
                label,
                up: text(0),
                down: text(1),
                unchanged: text(2),
                households: text(3),
                mean,
            }
        })
        .collect()
}

/// The simulation as the page shows it.
struct SimView {
    current: String,
    draft: String,
    households: u32,
    /// (heading key, hint key or empty, rows).
    sections: Vec<(&'static str, &'static str, Vec<GroupRow>)>,
    /// (heading key, households); `None`: the caller may not see cases.
    movers: Option<Vec<(&'static str, Vec<Shift>)>>,
}

fn sim_view(s: &PolicySimulation, tr: Tr) -> SimView {
    let sim = &s.simulation;
    let by_type = sim
        .by_household_type
        .iter()
        .map(|(t, g)| (tr.t(&t.key()).to_string(), g))
        .collect();
    // A household with several reasons counts under each: the rows do not add up to the whole.
    let by_reason = sim
        .by_reason
        .iter()
        .map(|(r, g)| (tr.t(&format!("reason.{}", r.code())).to_string(), g))
        .collect();
    let by_kostra = sim
        .by_kostra
        .iter()
        .map(|(k, g)| {
            let label = match k {
                Some(k) => tr.t(&k.key()).to_string(),
                None => tr.t("policy.sim.unclassified").to_string(),
            };
            (label, g)
        })
        .collect();
    SimView {
        current: format!("{} ({})", s.current.cited_as, s.current.version),
        draft: format!("{} ({})", s.draft.cited_as, s.draft.version),
        households: sim.all.households,
        sections: vec![
            (
                "policy.sim.all",
                "",
                group_rows(vec![(tr.t("policy.sim.all").to_string(), &sim.all)], None, tr),
            ),
            ("policy.sim.by_type", "", group_rows(by_type, Some(&sim.all), tr)),
            (
                "policy.sim.by_reason",
                "policy.sim.by_reason_hint",
                group_rows(by_reason, None, tr),
            ),
            ("policy.sim.by_kostra", "", group_rows(by_kostra, Some(&sim.all), tr)),
        ],
        movers: s.movers.as_ref().map(|m| {
            vec![
                ("policy.sim.movers_up", m.up.clone()),
                ("policy.sim.movers_down", m.down.clone()),
            ]
        }),
    }
}

#[derive(Template)]
#[template(path = "policy_new.html")]
struct NewPage {
    l: Layout,
    errors: FormErrors,
    /// The summary's links: (anchor field, message); a problem in the text links to the text.
    summary: Vec<(String, String)>,
    /// Problems in the text: (where, message).
    text_errors: Vec<(String, String)>,
    text: String,
    version: String,
    effective_from: String,
    reason: String,
    /// The fingerprint of the text simulated, empty before a simulation.
    simulated: String,
    sim: Option<SimView>,
}

impl NewPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn set_errors(&mut self, errors: &[FieldError]) {
        let tr = self.l.tr;
        self.errors = FormErrors::from_fields(errors, tr.lang);
        self.summary.clear();
        self.text_errors.clear();
        for e in errors {
            let message = tr.error(e);
            if let Some(path) = e.field.strip_prefix("policy.") {
                self.summary.push(("policy".into(), format!("{path}: {message}")));
                self.text_errors.push((path.to_string(), message));
            } else {
                if e.field == "policy" {
                    self.text_errors.push((String::new(), message.clone()));
                }
                let field = if e.field == "simulated" {
                    "policy"
                } else {
                    e.field.as_str()
                };
                self.summary.push((field.to_string(), message));
            }
        }
    }
}

/// `GET /allocation/policy/new`: the text in force to start from.
pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ManagePriorityPolicy)?.id;
    let versions = usecases::policy_versions(&user.ctx(&state), municipality).await?;
    let in_force = versions.in_force();
    let text = match in_force.stored {
        Some(ref s) => s.text.clone(),
        None => PriorityPolicy::embedded_text().to_string(),
    };
    render(&NewPage {
        l: Layout::for_user(&user, Section::WaitingList, state.config.demo_mode),
        errors: FormErrors::default(),
        summary: Vec::new(),
        text_errors: Vec::new(),
        text,
        version: String::new(),
        effective_from: String::new(),
        reason: String::new(),
        simulated: String::new(),
        sim: None,
    })
}

/// `POST /allocation/policy/new`: `action=simulate` shows the simulation on the same page;
/// `action=save` saves the text simulated as a new version.
pub async fn submit(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let user = &form.user;
    let municipality = user.working_municipality(Action::ManagePriorityPolicy)?.id;
    let ctx = user.ctx(&state);
    let f = &form.fields;
    let input = DraftInput {
        text: f.get("policy"),
        version: f.get("version"),
        effective_from: f.get("effective_from"),
    };
    let mut page = NewPage {
        l: Layout::for_user(user, Section::WaitingList, state.config.demo_mode),
        errors: FormErrors::default(),
        summary: Vec::new(),
        text_errors: Vec::new(),
        text: f.get("policy").to_string(),
        version: f.get("version").trim().to_string(),
        effective_from: f.get("effective_from").trim().to_string(),
        reason: f.get("reason").trim().to_string(),
        simulated: String::new(),
        sim: None,
    };
    let result = if f.get("action") == "save" {
        match usecases::save_policy_version(&ctx, municipality, input, f.get("reason"), f.get("simulated")).await {
            Ok(_) => return Ok(crate::flash::redirect("/allocation/policy", "flash.policy.saved")),
            Err(e) => Err(e),
        }
    } else {
        usecases::simulate_policy(&ctx, municipality, input).await.map(|s| {
            page.simulated = s.draft.fingerprint();
            page.sim = Some(sim_view(&s, user.tr));
        })
    };
    match result {
        Ok(()) => render(&page),
        Err(UseCaseError::Invalid(errors)) => {
            page.set_errors(&errors);
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(up: u32, down: u32, unchanged: u32) -> GroupSummary {
        GroupSummary {
            households: up + down + unchanged,
            moved_up: up,
            moved_down: down,
            unchanged,
            shift_sum: i64::from(up) * 3 - i64::from(down) * 2,
        }
    }

    #[test]
    fn a_small_group_is_not_shown_in_counts_a_reader_could_work_back() {
        let tr = Tr::new(husly_domain::Lang::Nb);
        let families = group(2, 10, 30);
        let singles = group(12, 9, 40);
        let all = group(14, 19, 70);
        let rows = group_rows(
            vec![("Barnefamilier".into(), &families), ("Enslige".into(), &singles)],
            Some(&all),
            tr,
        );
        assert_eq!(rows[0].up, "<5");
        // The row's other counts and the column below would give the 2 back: one of each is hidden.
        let hidden = |r: &GroupRow| {
            [&r.down, &r.unchanged, &r.households]
                .iter()
                .filter(|c| c.as_str() == "skjult")
                .count()
        };
        assert!(
            hidden(&rows[0]) >= 1,
            "{:?}",
            [&rows[0].down, &rows[0].unchanged, &rows[0].households]
        );
        assert_eq!(rows[1].up, "skjult", "the column's other part");
        // A group of fewer than five shows no mean shift either.
        let tiny = group_rows(vec![("Andre".into(), &group(1, 1, 1))], None, tr);
        assert_eq!((tiny[0].households.as_str(), tiny[0].mean.as_str()), ("<5", "–"));
        let shown = group_rows(vec![("Alle".into(), &all)], None, tr);
        assert_eq!((shown[0].up.as_str(), shown[0].households.as_str()), ("14", "103"));
    }
}
