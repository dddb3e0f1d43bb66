//! Registering, viewing and editing households.

use super::{path_id, render};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm};
use crate::layout::{Layout, Section};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::household::{HouseholdInput, MemberInput, Relation};
use husly_domain::protection::AddressProtection;
use husly_domain::validation::format_date;
use husly_store::households::{Household, TimelineEvent};
use husly_usecases::UseCaseError;
use husly_usecases::households;

/// Member rows a new form starts with; "add a row" adds more.
const INITIAL_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "household_form.html")]
struct HouseholdForm {
    l: Layout,
    action: String,
    cancel_href: String,
    is_edit: bool,
    version: i64,
    reason: String,
    /// The household as typed; its member rows are the form's rows.
    household: HouseholdInput,
    errors: FormErrors,
    conflict: bool,
    /// The household's address block, if any: the address fields are then shown empty (and
    /// left empty keep it), or, for strengt fortrolig, left out. Display only: the use case
    /// decides from the stored household.
    protection: Option<AddressProtection>,
}

/// What the household form posts besides the household itself.
#[derive(serde::Deserialize)]
struct FormActions {
    #[serde(default)]
    reason: String,
    /// The "add a member row" button.
    #[serde(default)]
    add_row: Option<String>,
}

impl HouseholdForm {
    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(field)
    }

    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn member_field(&self, index: &usize, name: &str) -> String {
        format!("members[{index}].{name}")
    }

    fn relations(&self) -> Vec<(&'static str, &'static str)> {
        Relation::ALL.iter().map(|r| (r.code(), relation_key(*r))).collect()
    }
}

pub fn relation_key(relation: Relation) -> &'static str {
    match relation {
        Relation::MainApplicant => "relation.main_applicant",
        Relation::Spouse => "relation.spouse",
        Relation::Cohabitant => "relation.cohabitant",
        Relation::Child => "relation.child",
        Relation::OtherAdult => "relation.other_adult",
    }
}

/// The household as posted. A member row left entirely blank has no relation either (its select
/// keeps a value the user did not choose), so the domain sees it as blank and leaves it out.
fn posted_household(fields: &FormFields) -> AppResult<(HouseholdInput, FormActions)> {
    let mut household: HouseholdInput = fields.bind()?;
    household.members.truncate(husly_domain::household::MAX_MEMBERS + 1);
    for member in &mut household.members {
        if [&member.national_id, &member.given_name, &member.family_name]
            .iter()
            .all(|t| t.trim().is_empty())
        {
            member.relation.clear();
        }
    }
    Ok((household, fields.bind()?))
}

fn blank_form(user: &CurrentUser, state: &AppState) -> HouseholdForm {
    let mut household = HouseholdInput {
        members: vec![MemberInput::default(); INITIAL_ROWS],
        ..Default::default()
    };
    household.members[0].relation = Relation::MainApplicant.code().to_string();
    HouseholdForm {
        l: Layout::for_user(user, Section::NewHousehold, state.config.demo_mode),
        action: "/households/new".into(),
        cancel_href: "/search".into(),
        is_edit: false,
        version: 0,
        reason: String::new(),
        household,
        errors: FormErrors::default(),
        conflict: false,
        protection: None,
    }
}

/// Re-renders a posted form with its values (and errors, if any).
fn form_from_post(
    user: &CurrentUser,
    state: &AppState,
    (household, actions): (HouseholdInput, FormActions),
    action: String,
    // The version an edit form was rendered from; none for a new household.
    version: Option<i64>,
) -> HouseholdForm {
    let is_edit = version.is_some();
    let cancel_href = if is_edit {
        action.trim_end_matches("/edit").to_string()
    } else {
        "/search".into()
    };
    HouseholdForm {
        cancel_href,
        l: Layout::for_user(
            user,
            if is_edit { Section::None } else { Section::NewHousehold },
            state.config.demo_mode,
        ),
        action,
        is_edit,
        version: version.unwrap_or(0),
        reason: actions.reason,
        household,
        errors: FormErrors::default(),
        conflict: false,
        protection: None,
    }
}

pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> AppResult<Response> {
    user.working_municipality(Action::RegisterHousehold)?;
    render(&blank_form(&user, &state))
}

/// Handles the "add a member row" button: re-render with one more row, no validation.
fn with_added_row(mut page: HouseholdForm) -> AppResult<Response> {
    if page.household.members.len() < husly_domain::household::MAX_MEMBERS {
        page.household.members.push(MemberInput::default());
    }
    render(&page)
}

fn invalid(mut page: HouseholdForm, errors: &[husly_domain::validation::FieldError]) -> AppResult<Response> {
    page.errors = FormErrors::from_fields(errors, page.l.tr.lang);
    let mut response = render(&page)?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}

pub async fn create(State(state): State<AppState>, form: StaffForm) -> AppResult<Response> {
    let (user, fields) = (&form.user, &form.fields);
    let municipality = user.working_municipality(Action::RegisterHousehold)?.id;
    let posted = posted_household(fields)?;
    let add_row = posted.1.add_row.is_some();
    let page = form_from_post(user, &state, posted, "/households/new".into(), None);
    if add_row {
        return with_added_row(page);
    }
    let synthetic = state.config.synthetic_policy();
    match households::register_household(&user.ctx(&state), municipality, &page.household, synthetic).await {
        Ok(household) => Ok(crate::flash::redirect(
            &format!("/households/{}", household.id),
            "flash.household.registered",
        )),
        Err(UseCaseError::Invalid(errors)) => invalid(page, &errors),
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "household.html")]
pub(crate) struct HouseholdPage {
    l: Layout,
    household: Household,
    timeline: Vec<TimelineEvent>,
    can_edit: bool,
    can_apply: bool,
    cases: Vec<husly_store::cases::Case>,
    pub(crate) notes: super::notes::NotesSection,
    pub(crate) representatives: super::representatives::RepresentativesSection,
    pub(crate) stays: super::stays::StaysSection,
}

impl HouseholdPage {
    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn relation(&self, r: &Relation) -> &'static str {
        self.l.tr.t(relation_key(*r))
    }

    fn event_title(&self, kind: &str) -> String {
        let key = format!("event.{kind}");
        let text = self.l.tr.t(&key);
        if text == key {
            kind.to_string()
        } else {
            text.to_string()
        }
    }

    fn time(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn case_state_key(&self, state: &husly_domain::cases::CaseState) -> String {
        format!("case_state.{}", state.code())
    }

    fn case_type_key(&self, case_type: &husly_domain::cases::CaseType) -> String {
        format!("case_type.{}", case_type.code())
    }

    fn spaced_id(&self, id: &str) -> String {
        super::search::format_national_id(id)
    }
}

pub async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    render(&household_page(&state, &user, path_id(&id)?).await?)
}

/// The household page: the household with its timeline, cases and journal notes.
pub(crate) async fn household_page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> AppResult<HouseholdPage> {
    let overview = households::household_overview(&user.ctx(state), id).await?;
    let municipality = overview.household.municipality_id;
    let can_edit = user.require(Action::EditHousehold, municipality).is_ok();
    Ok(HouseholdPage {
        l: Layout::for_user(user, Section::None, state.config.demo_mode),
        can_edit,
        can_apply: user.require(Action::HandleCase, municipality).is_ok(),
        notes: super::notes::NotesSection::new(
            format!("/households/{id}/notes"),
            overview.notes,
            user.require(Action::WriteHouseholdNote, municipality).is_ok(),
            user,
            municipality,
        ),
        representatives: super::representatives::RepresentativesSection::new(id, overview.representatives, can_edit),
        stays: super::stays::StaysSection::new(
            id,
            overview.stays,
            user.require(Action::RecordTemporaryStay, municipality).is_ok(),
            state.clock.today(),
        ),
        household: overview.household,
        timeline: overview.timeline,
        cases: overview.cases.unwrap_or_default(),
    })
}

/// The household as its edit form shows it, with one blank row to add a member.
fn typed(household: &Household) -> HouseholdInput {
    let mut members: Vec<MemberInput> = household
        .members
        .iter()
        .map(|m| MemberInput {
            national_id: m.person.national_id.to_string(),
            given_name: m.person.given_name.clone(),
            family_name: m.person.family_name.clone(),
            birth_date: format_date(m.person.birth_date),
            relation: m.relation.code().to_string(),
            phone: m.person.phone.clone().unwrap_or_default(),
            email: m.person.email.clone().unwrap_or_default(),
            preferred_language: m.person.preferred_language.code().to_string(),
        })
        .collect();
    members.push(MemberInput::default());
    HouseholdInput {
        address_line: household.address_line.clone(),
        postal_code: household.postal_code.clone(),
        postal_city: household.postal_city.clone(),
        from_date: format_date(household.from_date),
        to_date: household.to_date.map(format_date).unwrap_or_default(),
        members,
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let ctx = user.ctx(&state);
    let household =
        households::open_household(&ctx, id, Action::EditHousehold, serde_json::json!({ "for": "edit" })).await?;
    render(&HouseholdForm {
        l: Layout::for_user(&user, Section::None, state.config.demo_mode),
        action: format!("/households/{id}/edit"),
        cancel_href: format!("/households/{id}"),
        is_edit: true,
        version: household.version,
        reason: String::new(),
        household: typed(&household),
        errors: FormErrors::default(),
        conflict: false,
        protection: household.protection,
    })
}

pub async fn update(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let (user, fields) = (&form.user, &form.fields);
    let id: HouseholdId = path_id(&id)?;
    let ctx = user.ctx(&state);
    ctx.household_owner(id, Action::EditHousehold).await?;
    let version = form.version()?;
    let posted = posted_household(fields)?;
    let add_row = posted.1.add_row.is_some();
    let mut page = form_from_post(user, &state, posted, format!("/households/{id}/edit"), Some(version));
    page.protection = AddressProtection::from_code(fields.get("protection"));
    if add_row {
        return with_added_row(page);
    }
    let synthetic = state.config.synthetic_policy();
    let result = households::update_household(&ctx, id, version, &page.household, &page.reason, synthetic).await;
    match result {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/households/{id}"),
            "flash.household.saved",
        )),
        Err(UseCaseError::Invalid(errors)) => invalid(page, &errors),
        Err(UseCaseError::Conflict) => {
            // Keep what the user typed and tell them someone else saved first.
            page.conflict = true;
            let mut response = render(&page)?;
            *response.status_mut() = StatusCode::CONFLICT;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}
