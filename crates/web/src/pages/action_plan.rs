//! The social housing action plan: the plan in force with each goal's indicators (value this year,
//! target, status) and measures; for those who keep it, one small form page per thing they change
//! (heading, goal, measure, indicator, a value reported by hand), and the plan's history.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use husly_domain::MunicipalityId;
use husly_domain::action_plan::{
    Direction, Figure, GoalInput, IndicatorDetails, IndicatorInput, MeasureDetails, MeasureInput, MeasureStatus,
    PlanInput, Status, Unit,
};
use husly_domain::authz::Action;
use husly_domain::indicators::{Definitions, Population};
use husly_domain::validation::{FieldError, format_date};
use husly_store::action_plans::{Plan, PlanEvent, PlanSummary};
use husly_usecases::action_plan::{self as usecases, PlanView, ValueSource};
use husly_usecases::{Ctx, UseCaseError};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, StaffForm};
use crate::i18n::Tr;
use crate::layout::{Layout, Section};
use crate::pages::plan_words::{status_class, status_key, written};
use crate::pages::render;

#[derive(Template)]
#[template(path = "action_plan.html")]
struct PlanPage {
    l: Layout,
    plan: PlanView,
    can_manage: bool,
}

impl PlanPage {
    fn computed(&self) -> String {
        crate::layout::computed_note(self.l.tr, self.plan.computed_at)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn figure(&self, unit: &Unit, value: &Figure) -> String {
        written(self.l.tr, *unit, *value)
    }

    fn status_key(&self, status: &Option<Status>) -> &'static str {
        status_key(*status)
    }

    fn status_class(&self, status: &Option<Status>) -> &'static str {
        status_class(*status)
    }

    fn source(&self, source: &ValueSource) -> String {
        match source {
            ValueSource::Computed {
                cases,
                numerator,
                counted,
            } => {
                // "beregnet fra 1 sak", "3 av 12 husstander": the noun agrees with the number.
                let noun = match counted {
                    Population::Cases => "",
                    Population::Stays | Population::Kostra | Population::Outreach => "_households",
                    Population::Tenancies | Population::Tenants => "_contracts",
                };
                let what = if numerator.is_some() { "share_of" } else { "computed" };
                let one = if *cases == 1 { "_one" } else { "" };
                let key = format!("plan.value.{what}{noun}{one}");
                let numerator = numerator.unwrap_or_default().to_string();
                self.l
                    .tr
                    .f(&key, &[("numerator", &numerator), ("cases", &cases.to_string())])
            }
            ValueSource::Reported { year } => self.l.tr.f("plan.value.reported", &[("year", &year.to_string())]),
        }
    }

    fn manual_key(&self, definition: &Option<String>) -> String {
        match definition {
            Some(key) => format!("indicator.{key}"),
            None => "plan.indicator.manual".into(),
        }
    }

    fn measure_status_key(&self, status: &MeasureStatus) -> String {
        format!("plan.measure_status.{}", status.code())
    }

    fn ore(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }
}

#[derive(Template)]
#[template(path = "action_plans.html")]
struct PlansPage {
    l: Layout,
    plans: Vec<PlanSummary>,
    can_manage: bool,
}

#[derive(Template)]
#[template(path = "action_plan_history.html")]
struct HistoryPage {
    l: Layout,
    plan_id: String,
    title: String,
    events: Vec<PlanEvent>,
}

impl HistoryPage {
    fn when(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn kind_key(&self, kind: &str) -> String {
        format!("plan.event.{}", kind.trim_start_matches("plan."))
    }

    /// What changed, in words: the old and new value of each field that changed.
    fn changes(&self, event: &PlanEvent) -> Vec<String> {
        let (Some(before), Some(after)) = (
            event.details.get("before").and_then(|v| v.as_object()),
            event.details.get("after").and_then(|v| v.as_object()),
        ) else {
            return match (event.details.get("before"), event.details.get("after")) {
                (Some(before), Some(after)) if event.kind == "plan.value_reported" => vec![self.l.tr.f(
                    "plan.history.value",
                    &[
                        ("year", &event.details["year"].to_string()),
                        ("before", &hundredths(before)),
                        ("after", &hundredths(after)),
                    ],
                )],
                _ => Vec::new(),
            };
        };
        after
            .iter()
            .filter(|(field, value)| before.get(*field) != Some(value))
            .map(|(field, value)| {
                let show = |v: &serde_json::Value| self.value_in_words(field, v);
                self.l.tr.f(
                    "plan.history.changed",
                    &[
                        ("field", self.l.tr.t(&format!("plan.field.{field}"))),
                        ("before", &before.get(field).map(show).unwrap_or_default()),
                        ("after", &show(value)),
                    ],
                )
            })
            .collect()
    }
}

impl HistoryPage {
    /// A field's value as kept in an event, in words: figures, dates, kroner and labels, never a
    /// code.
    fn value_in_words(&self, field: &str, value: &serde_json::Value) -> String {
        let tr = self.l.tr;
        if value.is_null() {
            return "–".into();
        }
        let text = value.as_str().unwrap_or_default();
        match field {
            "baseline" | "target" => hundredths(value),
            "budget_ore" => value
                .as_i64()
                .map(husly_domain::validation::format_ore_as_kr)
                .unwrap_or_default(),
            "adopted_on" | "deadline" => husly_domain::validation::parse_date(text)
                .map(format_date)
                .unwrap_or_else(|| text.to_string()),
            "status" => tr.t(&format!("plan.measure_status.{text}")).to_string(),
            "direction" => tr.t(&format!("plan.direction.{text}")).to_string(),
            "definition" => tr.t(&format!("indicator.{text}")).to_string(),
            _ => value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string()),
        }
    }
}

fn hundredths(value: &serde_json::Value) -> String {
    value
        .as_i64()
        .map(|v| Figure(v).written())
        .unwrap_or_else(|| "–".into())
}

fn municipality(user: &CurrentUser) -> AppResult<MunicipalityId> {
    Ok(user.working_municipality(Action::ViewActionPlan)?.id)
}

fn can_manage(user: &CurrentUser, municipality: MunicipalityId) -> bool {
    user.require(Action::ManageActionPlan, municipality).is_ok()
}

/// `GET /plan`: the plan in force this year, or the list of plans when none covers it.
pub async fn start(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let m = municipality(&user)?;
    let ctx = user.ctx(&state);
    match usecases::plans(&ctx, m)
        .await?
        .into_iter()
        .find(|p| (p.heading.period_from..=p.heading.period_to).contains(&ctx.today.year()))
    {
        Some(plan) => Ok(Redirect::to(&format!("/plans/{}", plan.id)).into_response()),
        None => Ok(Redirect::to("/plans").into_response()),
    }
}

/// `GET /plans`
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    let m = municipality(&user)?;
    let plans = usecases::plans(&user.ctx(&state), m).await?;
    render(&PlansPage {
        l: Layout::for_user(&user, Section::ActionPlan, state.config.demo_mode),
        plans,
        can_manage: can_manage(&user, m),
    })
}

/// `GET /plans/{id}`
pub async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let plan = usecases::plan(&user.ctx(&state), &id).await?;
    render(&PlanPage {
        l: Layout::for_user(&user, Section::ActionPlan, state.config.demo_mode),
        can_manage: can_manage(&user, plan.municipality),
        plan,
    })
}

/// `GET /plans/{id}/history`
pub async fn history(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let ctx = user.ctx(&state);
    let title = usecases::plan(&ctx, &id).await?.summary.heading.title;
    let events = usecases::history(&ctx, &id).await?;
    render(&HistoryPage {
        l: Layout::for_user(&user, Section::ActionPlan, state.config.demo_mode),
        plan_id: id,
        title,
        events,
    })
}

// --- Form pages -----------------------------------------------------------------------------------

/// One field of a form page.
pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<String>,
    pub value: String,
    pub kind: FieldKind,
}

pub enum FieldKind {
    Text,
    Number,
    LongText,
    /// Options as (value, label).
    Select(Vec<(String, String)>),
}

#[derive(Template)]
#[template(path = "action_plan_form.html")]
struct FormPage {
    l: Layout,
    title: String,
    intro: Option<String>,
    /// A link beside the form (href, text).
    link: Option<(String, String)>,
    action: String,
    back: String,
    fields: Vec<Field>,
    /// Hidden fields (a version read).
    hidden: Vec<(&'static str, String)>,
    submit: String,
    errors: FormErrors,
}

impl FormPage {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn is_selected(&self, field: &Field, option: &str) -> bool {
        field.value == option
    }
}

struct Form {
    title: String,
    intro: Option<String>,
    link: Option<(String, String)>,
    action: String,
    back: String,
    fields: Vec<Field>,
    hidden: Vec<(&'static str, String)>,
    submit: &'static str,
}

fn form_page(state: &AppState, user: &CurrentUser, form: Form, errors: &[FieldError]) -> AppResult<Response> {
    let page = FormPage {
        l: Layout::for_user(user, Section::ActionPlan, state.config.demo_mode),
        title: form.title,
        intro: form.intro,
        link: form.link,
        action: form.action,
        back: form.back,
        fields: form.fields,
        hidden: form.hidden,
        submit: user.tr.t(form.submit).to_string(),
        errors: FormErrors::from_fields(errors, user.tr.lang),
    };
    let mut response = render(&page)?;
    if !errors.is_empty() {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(response)
}

fn field(tr: Tr, name: &'static str, value: &str, kind: FieldKind) -> Field {
    let hint_key = format!("plan.field.{name}.hint");
    let hint = tr.t(&hint_key);
    Field {
        name,
        label: tr.t(&format!("plan.field.{name}")).to_string(),
        hint: (hint != hint_key).then(|| hint.to_string()),
        value: value.to_string(),
        kind,
    }
}

fn plan_fields(tr: Tr, input: &PlanInput) -> Vec<Field> {
    vec![
        field(tr, "title", &input.title, FieldKind::Text),
        field(tr, "period_from", &input.period_from, FieldKind::Number),
        field(tr, "period_to", &input.period_to, FieldKind::Number),
        field(tr, "adopted_on", &input.adopted_on, FieldKind::Text),
        field(tr, "council_ref", &input.council_ref, FieldKind::Text),
    ]
}

fn goal_fields(tr: Tr, input: &GoalInput) -> Vec<Field> {
    vec![
        field(tr, "title", &input.title, FieldKind::Text),
        field(tr, "description", &input.description, FieldKind::LongText),
    ]
}

fn measure_fields(tr: Tr, input: &MeasureInput) -> Vec<Field> {
    let statuses = MeasureStatus::ALL
        .iter()
        .map(|s| {
            (
                s.code().to_string(),
                tr.t(&format!("plan.measure_status.{}", s.code())).to_string(),
            )
        })
        .collect();
    vec![
        field(tr, "title", &input.title, FieldKind::Text),
        field(tr, "owner", &input.owner, FieldKind::Text),
        field(tr, "deadline", &input.deadline, FieldKind::Text),
        field(tr, "status", &input.status, FieldKind::Select(statuses)),
        field(tr, "budget_kr", &input.budget_kr, FieldKind::Number),
    ]
}

fn indicator_fields(tr: Tr, input: &IndicatorInput) -> Vec<Field> {
    let mut definitions = vec![(String::new(), tr.t("plan.indicator.manual").to_string())];
    definitions.extend(
        Definitions::embedded()
            .all
            .iter()
            .map(|d| (d.key.clone(), tr.t(&format!("indicator.{}", d.key)).to_string())),
    );
    let units = Unit::ALL
        .iter()
        .map(|u| {
            (
                u.code().to_string(),
                tr.t(&format!("plan.unit.{}", u.code())).to_string(),
            )
        })
        .collect();
    let mut directions = vec![(String::new(), tr.t("plan.direction.default").to_string())];
    directions.extend(Direction::ALL.iter().map(|d| {
        (
            d.code().to_string(),
            tr.t(&format!("plan.direction.{}", d.code())).to_string(),
        )
    }));
    vec![
        field(tr, "name", &input.name, FieldKind::Text),
        field(tr, "definition", &input.definition, FieldKind::Select(definitions)),
        field(tr, "unit", &input.unit, FieldKind::Select(units)),
        field(tr, "direction", &input.direction, FieldKind::Select(directions)),
        field(tr, "baseline", &input.baseline, FieldKind::Text),
        field(tr, "baseline_year", &input.baseline_year, FieldKind::Number),
        field(tr, "target", &input.target, FieldKind::Text),
        field(tr, "target_year", &input.target_year, FieldKind::Number),
    ]
}

fn typed_plan(plan: &PlanSummary) -> PlanInput {
    PlanInput {
        title: plan.heading.title.clone(),
        period_from: plan.heading.period_from.to_string(),
        period_to: plan.heading.period_to.to_string(),
        adopted_on: plan.heading.adopted_on.map(format_date).unwrap_or_default(),
        council_ref: plan.heading.council_ref.clone().unwrap_or_default(),
    }
}

fn typed_measure(measure: &MeasureDetails) -> MeasureInput {
    MeasureInput {
        title: measure.title.clone(),
        owner: measure.owner.clone(),
        deadline: measure.deadline.map(format_date).unwrap_or_default(),
        status: measure.status.code().into(),
        budget_kr: measure.budget_ore.map(|o| (o / 100).to_string()).unwrap_or_default(),
    }
}

fn typed_indicator(indicator: &IndicatorDetails) -> IndicatorInput {
    IndicatorInput {
        name: indicator.name.clone(),
        definition: indicator.definition.clone().unwrap_or_default(),
        unit: indicator.unit.code().into(),
        direction: indicator.direction.code().into(),
        baseline: indicator.baseline.written().replace('\u{a0}', ""),
        baseline_year: indicator.baseline_year.to_string(),
        target: indicator.target.written().replace('\u{a0}', ""),
        target_year: indicator.target_year.to_string(),
    }
}

/// Where a posted form leads: to `to` (built from what the use case returned) with the
/// confirmation `flash`; a refusal shows `form` again with its errors (422); any other error is
/// answered as itself.
fn saved<T>(
    state: &AppState,
    user: &CurrentUser,
    result: Result<T, UseCaseError>,
    to: impl FnOnce(&T) -> String,
    flash: &'static str,
    form: Form,
) -> AppResult<Response> {
    match result {
        Ok(value) => Ok(crate::flash::redirect(&to(&value), flash)),
        Err(e) => form_page(state, user, form, &invalid(e)?),
    }
}

fn invalid(error: UseCaseError) -> AppResult<Vec<FieldError>> {
    match error {
        UseCaseError::Invalid(errors) => Ok(errors),
        other => Err(other.into()),
    }
}

async fn plan_of(ctx: &Ctx, id: &str) -> AppResult<Plan> {
    Ok(usecases::plan_to_edit(ctx, id).await?)
}

fn manager(user: &CurrentUser) -> AppResult<MunicipalityId> {
    Ok(user.working_municipality(Action::ManageActionPlan)?.id)
}

// Plan heading.

fn plan_form(tr: Tr, input: &PlanInput, existing: Option<&PlanSummary>) -> Form {
    Form {
        title: tr
            .t(if existing.is_some() {
                "plan.edit_heading"
            } else {
                "plan.new"
            })
            .to_string(),
        intro: Some(tr.t("plan.heading_intro").to_string()),
        link: None,
        action: existing.map_or("/plans/new".into(), |p| format!("/plans/{}/edit", p.id)),
        back: existing.map_or("/plans".into(), |p| format!("/plans/{}", p.id)),
        fields: plan_fields(tr, input),
        hidden: existing
            .map(|p| vec![("version", p.version.to_string())])
            .unwrap_or_default(),
        submit: "plan.save",
    }
}

/// `GET /plans/new`
pub async fn new_plan(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    manager(&user)?;
    let year = state.clock.this_year();
    let input = PlanInput {
        period_from: year.to_string(),
        period_to: (year + 3).to_string(),
        ..Default::default()
    };
    form_page(&state, &user, plan_form(user.tr, &input, None), &[])
}

/// `POST /plans/new`
pub async fn create_plan(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let user = &form.user;
    let m = manager(user)?;
    let input: PlanInput = form.bind()?;
    let result = usecases::create_plan(&user.ctx(&state), m, &input).await;
    let form = plan_form(user.tr, &input, None);
    saved(
        &state,
        user,
        result,
        |id| format!("/plans/{id}"),
        "flash.plan.created",
        form,
    )
}

/// `GET /plans/{id}/edit`
pub async fn edit_plan(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let plan = plan_of(&user.ctx(&state), &id).await?;
    let input = typed_plan(&plan.summary);
    form_page(&state, &user, plan_form(user.tr, &input, Some(&plan.summary)), &[])
}

/// `POST /plans/{id}/edit`
pub async fn update_plan(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let version = form.version()?;
    let input: PlanInput = form.bind()?;
    let ctx = user.ctx(&state);
    match usecases::update_plan(&ctx, &id, version, &input).await {
        Ok(()) => Ok(crate::flash::redirect(&format!("/plans/{id}"), "flash.plan.saved")),
        Err(e) => {
            let errors = invalid(e)?;
            let plan = plan_of(&ctx, &id).await?;
            form_page(&state, user, plan_form(user.tr, &input, Some(&plan.summary)), &errors)
        }
    }
}

// Goals.

fn goal_form(tr: Tr, plan: &str, goal: Option<&str>, input: &GoalInput) -> Form {
    Form {
        title: tr
            .t(if goal.is_some() {
                "plan.edit_goal"
            } else {
                "plan.add_goal"
            })
            .to_string(),
        intro: None,
        link: None,
        action: match goal {
            Some(g) => format!("/plans/{plan}/goals/{g}/edit"),
            None => format!("/plans/{plan}/goals/new"),
        },
        back: format!("/plans/{plan}"),
        fields: goal_fields(tr, input),
        hidden: Vec::new(),
        submit: "plan.save",
    }
}

/// `GET /plans/{id}/goals/new`
pub async fn new_goal(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    plan_of(&user.ctx(&state), &id).await?;
    form_page(&state, &user, goal_form(user.tr, &id, None, &GoalInput::default()), &[])
}

/// `POST /plans/{id}/goals/new`
pub async fn create_goal(
    State(state): State<AppState>,
    Path(id): Path<String>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let input: GoalInput = form.bind()?;
    let result = usecases::add_goal(&user.ctx(&state), &id, &input).await;
    let form = goal_form(user.tr, &id, None, &input);
    saved(
        &state,
        user,
        result,
        |goal| format!("/plans/{id}#goal-{goal}"),
        "flash.plan.goal_added",
        form,
    )
}

/// `GET /plans/{id}/goals/{goal}/edit`
pub async fn edit_goal(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
) -> AppResult<Response> {
    let plan = plan_of(&user.ctx(&state), &id).await?;
    let found = plan
        .goals
        .iter()
        .find(|g| g.id == goal)
        .ok_or(crate::error::AppError::NotFound)?;
    let input = GoalInput {
        title: found.text.title.clone(),
        description: found.text.description.clone().unwrap_or_default(),
    };
    form_page(&state, &user, goal_form(user.tr, &id, Some(&goal), &input), &[])
}

/// `POST /plans/{id}/goals/{goal}/edit`
pub async fn update_goal(
    State(state): State<AppState>,
    Path((id, goal)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let input: GoalInput = form.bind()?;
    let result = usecases::update_goal(&user.ctx(&state), &id, &goal, &input).await;
    let form = goal_form(user.tr, &id, Some(&goal), &input);
    saved(
        &state,
        user,
        result,
        |_| format!("/plans/{id}#goal-{goal}"),
        "flash.plan.saved",
        form,
    )
}

// Measures.

fn measure_form(tr: Tr, plan: &str, target: FormTarget<'_>, input: &MeasureInput) -> Form {
    Form {
        title: tr
            .t(match target {
                FormTarget::New(_) => "plan.add_measure",
                FormTarget::Existing(_) => "plan.edit_measure",
            })
            .to_string(),
        intro: None,
        link: None,
        action: match target {
            FormTarget::New(goal) => format!("/plans/{plan}/goals/{goal}/measures/new"),
            FormTarget::Existing(measure) => format!("/plans/{plan}/measures/{measure}/edit"),
        },
        back: format!("/plans/{plan}"),
        fields: measure_fields(tr, input),
        hidden: Vec::new(),
        submit: "plan.save",
    }
}

/// What a measure or indicator form adds to (the goal's id) or changes (the item's id).
#[derive(Clone, Copy)]
enum FormTarget<'a> {
    New(&'a str),
    Existing(&'a str),
}

/// `GET /plans/{id}/goals/{goal}/measures/new`
pub async fn new_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
) -> AppResult<Response> {
    let plan = plan_of(&user.ctx(&state), &id).await?;
    if !plan.goals.iter().any(|g| g.id == goal) {
        return Err(crate::error::AppError::NotFound);
    }
    let input = MeasureInput {
        status: MeasureStatus::Planned.code().into(),
        ..Default::default()
    };
    form_page(
        &state,
        &user,
        measure_form(user.tr, &id, FormTarget::New(&goal), &input),
        &[],
    )
}

/// `POST /plans/{id}/goals/{goal}/measures/new`
pub async fn create_measure(
    State(state): State<AppState>,
    Path((id, goal)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let input: MeasureInput = form.bind()?;
    let result = usecases::add_measure(&user.ctx(&state), &id, &goal, &input).await;
    let form = measure_form(user.tr, &id, FormTarget::New(&goal), &input);
    saved(
        &state,
        user,
        result,
        |_| format!("/plans/{id}#goal-{goal}"),
        "flash.plan.measure_added",
        form,
    )
}

/// `GET /plans/{id}/measures/{measure}/edit`
pub async fn edit_measure(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, measure)): Path<(String, String)>,
) -> AppResult<Response> {
    let plan = plan_of(&user.ctx(&state), &id).await?;
    let found = plan
        .goals
        .iter()
        .flat_map(|g| &g.measures)
        .find(|x| x.id == measure)
        .ok_or(crate::error::AppError::NotFound)?;
    let input = typed_measure(&found.details);
    form_page(
        &state,
        &user,
        measure_form(user.tr, &id, FormTarget::Existing(&measure), &input),
        &[],
    )
}

/// `POST /plans/{id}/measures/{measure}/edit`
pub async fn update_measure(
    State(state): State<AppState>,
    Path((id, measure)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let input: MeasureInput = form.bind()?;
    let result = usecases::update_measure(&user.ctx(&state), &id, &measure, &input).await;
    let form = measure_form(user.tr, &id, FormTarget::Existing(&measure), &input);
    saved(
        &state,
        user,
        result,
        |_| format!("/plans/{id}"),
        "flash.plan.saved",
        form,
    )
}

// Indicators.

fn indicator_form(tr: Tr, plan: &str, target: FormTarget<'_>, input: &IndicatorInput, reason: &str) -> Form {
    let mut fields = indicator_fields(tr, input);
    if let FormTarget::Existing(_) = target {
        fields.push(field(tr, "reason", reason, FieldKind::Text));
    }
    Form {
        title: tr
            .t(match target {
                FormTarget::New(_) => "plan.add_indicator",
                FormTarget::Existing(_) => "plan.edit_indicator",
            })
            .to_string(),
        intro: Some(tr.t("plan.indicator_intro").to_string()),
        link: None,
        action: match target {
            FormTarget::New(goal) => format!("/plans/{plan}/goals/{goal}/indicators/new"),
            FormTarget::Existing(indicator) => format!("/plans/{plan}/indicators/{indicator}/edit"),
        },
        back: format!("/plans/{plan}"),
        fields,
        hidden: Vec::new(),
        submit: "plan.save",
    }
}

/// `GET /plans/{id}/goals/{goal}/indicators/new`
pub async fn new_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, goal)): Path<(String, String)>,
) -> AppResult<Response> {
    let plan = plan_of(&user.ctx(&state), &id).await?;
    if !plan.goals.iter().any(|g| g.id == goal) {
        return Err(crate::error::AppError::NotFound);
    }
    let input = IndicatorInput {
        baseline_year: (plan.summary.heading.period_from - 1).to_string(),
        target_year: plan.summary.heading.period_to.to_string(),
        ..Default::default()
    };
    form_page(
        &state,
        &user,
        indicator_form(user.tr, &id, FormTarget::New(&goal), &input, ""),
        &[],
    )
}

/// `POST /plans/{id}/goals/{goal}/indicators/new`
pub async fn create_indicator(
    State(state): State<AppState>,
    Path((id, goal)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let input: IndicatorInput = form.bind()?;
    let result = usecases::add_indicator(&user.ctx(&state), &id, &goal, &input).await;
    let form = indicator_form(user.tr, &id, FormTarget::New(&goal), &input, "");
    saved(
        &state,
        user,
        result,
        |_| format!("/plans/{id}#goal-{goal}"),
        "flash.plan.indicator_added",
        form,
    )
}

/// `GET /plans/{id}/indicators/{indicator}/edit`
pub async fn edit_indicator(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, indicator)): Path<(String, String)>,
) -> AppResult<Response> {
    let plan = plan_of(&user.ctx(&state), &id).await?;
    let found = plan
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .find(|x| x.id == indicator)
        .ok_or(crate::error::AppError::NotFound)?;
    let input = typed_indicator(&found.details);
    let mut page = indicator_form(user.tr, &id, FormTarget::Existing(&indicator), &input, "");
    if found.details.definition.is_none() {
        page.link = Some((
            format!("/plans/{id}/indicators/{indicator}/report"),
            user.tr.t("plan.report_link").to_string(),
        ));
    }
    form_page(&state, &user, page, &[])
}

/// `POST /plans/{id}/indicators/{indicator}/edit`
pub async fn update_indicator(
    State(state): State<AppState>,
    Path((id, indicator)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let typed: IndicatorInput = form.bind()?;
    let reason = form.fields.get("reason");
    let result = usecases::update_indicator(&user.ctx(&state), &id, &indicator, &typed, reason).await;
    let form = indicator_form(user.tr, &id, FormTarget::Existing(&indicator), &typed, reason);
    saved(
        &state,
        user,
        result,
        |_| format!("/plans/{id}"),
        "flash.plan.saved",
        form,
    )
}

#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct ReportFields {
    year: String,
    value: String,
}

fn report_form(tr: Tr, plan: &str, indicator: &str, name: &str, typed: &ReportFields) -> Form {
    Form {
        title: tr.f("plan.report_title", &[("name", name)]),
        intro: Some(tr.t("plan.report_intro").to_string()),
        link: None,
        action: format!("/plans/{plan}/indicators/{indicator}/report"),
        back: format!("/plans/{plan}"),
        fields: vec![
            field(tr, "year", &typed.year, FieldKind::Number),
            field(tr, "value", &typed.value, FieldKind::Text),
        ],
        hidden: Vec::new(),
        submit: "plan.report_save",
    }
}

async fn indicator_name(ctx: &Ctx, plan: &str, indicator: &str) -> AppResult<String> {
    plan_of(ctx, plan)
        .await?
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .find(|x| x.id == indicator)
        .map(|x| x.details.name.clone())
        .ok_or(crate::error::AppError::NotFound)
}

/// `GET /plans/{id}/indicators/{indicator}/report`
pub async fn report(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, indicator)): Path<(String, String)>,
) -> AppResult<Response> {
    let name = indicator_name(&user.ctx(&state), &id, &indicator).await?;
    let typed = ReportFields {
        year: (state.clock.this_year() - 1).to_string(),
        value: String::new(),
    };
    form_page(&state, &user, report_form(user.tr, &id, &indicator, &name, &typed), &[])
}

/// `POST /plans/{id}/indicators/{indicator}/report`
pub async fn save_report(
    State(state): State<AppState>,
    Path((id, indicator)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let user = &form.user;
    let typed: ReportFields = form.bind()?;
    let ctx = user.ctx(&state);
    match usecases::report_value(&ctx, &id, &indicator, &typed.year, &typed.value).await {
        Ok(()) => Ok(crate::flash::redirect(
            &format!("/plans/{id}"),
            "flash.plan.value_reported",
        )),
        Err(e) => {
            let errors = invalid(e)?;
            let name = indicator_name(&ctx, &id, &indicator).await?;
            form_page(
                &state,
                user,
                report_form(user.tr, &id, &indicator, &name, &typed),
                &errors,
            )
        }
    }
}
