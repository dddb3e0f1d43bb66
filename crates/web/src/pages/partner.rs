//! The partner's door (`/partner`): the households that have consented to the partner's
//! organisation, and one household as its consents show it — exactly the consented categories,
//! with the form to log a contact or visit when follow-up is among them.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use husly_domain::HouseholdId;
use husly_domain::authz::Action;
use husly_domain::consent::ConsentCategory;
use husly_domain::follow_up::{EntryInput, EntryKind, Outcome, PlanState};
use husly_domain::referral::Party;
use husly_domain::validation::format_date;
use husly_usecases::UseCaseError;
use husly_usecases::meetings;
use husly_usecases::referrals::{self, ReferralQueue};

use super::meetings::MeetingPart;
use super::referrals::ReferralPart;
use husly_usecases::consents::{self, ConsentingHousehold, ConsentingPage, PartnerView};

use super::render;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppResult;
use crate::forms::{FormErrors, FormFields, StaffForm, path_id};
use crate::layout::{Layout, Section};
use crate::routing::{Routes, get, post};
use serde::Deserialize;

pub fn routes() -> Routes {
    Routes::new()
        .route("/partner", get(list))
        .route("/partner/households/{id}", get(view))
        .route("/partner/households/{id}/log", post(log))
        .route("/partner/households/{id}/referrals", post(send_referral))
        .route(
            "/partner/households/{id}/referrals/{referral}/answer",
            post(answer_referral),
        )
        .route("/partner/households/{id}/meetings", post(record_meeting))
        .route(
            "/partner/households/{id}/meetings/actions/{action}",
            post(change_action),
        )
        .route("/partner/households/{id}/documents/{document}", get(document))
}

/// The categories of a consent in words, as the unit's, the partner's and the person's pages
/// list them.
pub(super) fn category_names(l: &Layout, categories: &[ConsentCategory]) -> String {
    categories
        .iter()
        .map(|c| l.t(&format!("consent.category.{}", c.code())).to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Template)]
#[template(path = "partner_list.html")]
struct ListPage {
    l: Layout,
    page: ConsentingPage,
    /// The open referrals to and from the organisation, by due day.
    q: ReferralQueue,
    rp: ReferralPart,
    /// For the open actions' links and days: seen from an organisation.
    mp: MeetingPart,
}

impl ListPage {
    fn categories(&self, h: &ConsentingHousehold) -> String {
        category_names(&self.l, &h.categories)
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn next_offset(&self) -> Option<u64> {
        let next = self.page.offset + consents::PARTNER_PAGE;
        (next < self.page.total).then_some(next)
    }

    fn previous_offset(&self) -> Option<u64> {
        (self.page.offset > 0).then(|| self.page.offset.saturating_sub(consents::PARTNER_PAGE))
    }

    fn count_text(&self) -> String {
        let shown = self.page.lines.len() as u64;
        if self.page.total <= shown {
            return self
                .l
                .tr
                .f("follow_up.caseload.count", &[("count", &self.page.total.to_string())]);
        }
        self.l.tr.f(
            "follow_up.caseload.showing",
            &[
                ("first", &(self.page.offset + 1).to_string()),
                ("last", &(self.page.offset + shown).to_string()),
                ("count", &self.page.total.to_string()),
            ],
        )
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    offset: String,
}

/// `GET /partner[?offset=]`: the households with a consent to the caller's organisation in
/// force today, a page of them.
async fn list(State(state): State<AppState>, user: CurrentUser, Query(query): Query<ListQuery>) -> AppResult<Response> {
    let municipality = user.working_municipality(Action::ViewConsentedHouseholds)?.id;
    let offset = query.offset.trim().parse::<u64>().unwrap_or(0);
    let page = consents::consenting_households(&user.ctx(&state), municipality, offset).await?;
    render(&ListPage {
        l: Layout::for_user(&user, Section::Partner, state.config.demo_mode),
        q: page.referrals.clone(),
        page,
        rp: ReferralPart::new(String::new(), Party::Unit, state.clock.today()),
        mp: MeetingPart::new(String::new(), Party::Organisation(String::new()), state.clock.today()),
    })
}

#[derive(Template)]
#[template(path = "partner_household.html")]
struct HouseholdPage {
    l: Layout,
    v: PartnerView,
    rp: ReferralPart,
    mp: MeetingPart,
    typed: Option<FormFields>,
    errors: FormErrors,
    today: time::Date,
}

impl HouseholdPage {
    fn anchor(&self, field: &str) -> String {
        FormErrors::anchor(field)
    }

    fn err(&self, field: &str) -> Option<&str> {
        self.errors.get(&format!("log-{field}"))
    }

    fn typed_or(&self, field: &str, default: &str) -> String {
        match &self.typed {
            Some(typed) => typed.get(field).to_string(),
            None => default.to_string(),
        }
    }

    fn is_chosen(&self, field: &str, code: &str, default: &str) -> bool {
        self.typed_or(field, default) == code
    }

    /// The member who gave the first consent relied on: whom the partner knows the household by.
    fn title(&self) -> &str {
        self.v.grant.consents.first().map_or("", |c| c.person_name.as_str())
    }

    fn categories(&self, categories: &[ConsentCategory]) -> String {
        category_names(&self.l, categories)
    }

    fn can_log(&self) -> bool {
        self.v.grant.allows(ConsentCategory::FollowUp)
    }

    fn kinds(&self) -> Vec<(&'static str, String)> {
        EntryKind::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    fn outcomes(&self) -> Vec<(&'static str, String)> {
        Outcome::ALL.iter().map(|k| (k.code(), k.key())).collect()
    }

    fn active_plan(&self) -> Option<&husly_domain::follow_up::Plan> {
        self.v
            .follow_up
            .as_ref()
            .and_then(|(plans, _)| plans.iter().find(|p| p.state == PlanState::Active))
    }

    fn date(&self, d: &time::Date) -> String {
        format_date(*d)
    }

    fn today(&self) -> String {
        format_date(self.today)
    }

    fn kr(&self, ore: &i64) -> String {
        husly_domain::validation::format_ore_as_kr(*ore)
    }

    fn relation(&self, relation: &husly_domain::household::Relation) -> &str {
        self.l.t(super::household::relation_key(*relation))
    }

    fn income_kind(&self, kind: &husly_domain::bostotte::IncomeKind) -> String {
        self.l.t(&format!("income_kind.{}", kind.code())).to_string()
    }

    fn benefit(&self, code: &str) -> String {
        self.l.t(&format!("benefit.{code}")).to_string()
    }

    fn timestamp(&self, micros: &i64) -> String {
        crate::layout::format_timestamp(*micros)
    }

    fn opt_date(&self, d: &Option<time::Date>) -> String {
        d.map(format_date).unwrap_or_default()
    }
}

/// `GET /partner/households/{id}/documents/{document}`: a document of the household's
/// applications, on a documents consent in force.
async fn document(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, document)): Path<(String, String)>,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let (meta, bytes) = consents::partner_document(&user.ctx(&state), id, &document).await?;
    Ok(crate::download::attachment(&meta, bytes))
}

async fn page(state: &AppState, user: &CurrentUser, id: HouseholdId) -> Result<HouseholdPage, UseCaseError> {
    let l = Layout::for_user(user, Section::Partner, state.config.demo_mode);
    let mut v = consents::partner_view(&user.ctx(state), id).await?;
    let me = Party::Organisation(v.grant.organisation.clone());
    let mut rp = ReferralPart::new(
        format!("/partner/households/{id}/referrals"),
        me.clone(),
        state.clock.today(),
    );
    rp.referrals = std::mem::take(&mut v.referrals);
    rp.receivers = v
        .receivers
        .iter()
        .map(|(code, name)| {
            (
                code.clone(),
                name.clone().unwrap_or_else(|| l.t("referral.unit").to_string()),
            )
        })
        .collect();
    rp.can_send = true;
    let mut mp = MeetingPart::new(format!("/partner/households/{id}/meetings"), me, state.clock.today());
    mp.meetings = std::mem::take(&mut v.meetings);
    // The other organisations the household has consented to may take part beside the
    // caller's own, which always does.
    mp.organisations = rp
        .receivers
        .iter()
        .filter(|(code, _)| code != husly_domain::referral::UNIT)
        .cloned()
        .collect();
    let own = (v.grant.organisation.clone(), v.grant.organisation_name.clone());
    mp.set_owners(&l, Some(own));
    mp.can_record = v.grant.allows(ConsentCategory::FollowUp);
    Ok(HouseholdPage {
        l,
        v,
        rp,
        mp,
        typed: None,
        errors: FormErrors::default(),
        today: state.clock.today(),
    })
}

/// `GET /partner/households/{id}`: the household as its consents to the caller's organisation
/// show it; not found without one in force.
async fn view(State(state): State<AppState>, user: CurrentUser, Path(id): Path<String>) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    render(&page(&state, &user, id).await?)
}

/// `POST /partner/households/{id}/log`: a contact or visit logged on the follow-up consent.
async fn log(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let input = EntryInput {
        kind: form.fields.get("kind"),
        outcome: form.fields.get("outcome"),
        occurred_on: form.fields.get("occurred_on"),
        note: form.fields.get("note"),
    };
    match consents::partner_log_entry(&form.user.ctx(&state), id, &input).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/partner/households/{id}"),
            "flash.follow_up.logged",
        )),
        Err(UseCaseError::Invalid(errors)) => {
            let mut p = page(&state, &form.user, id).await?;
            p.errors = FormErrors::of_form(errors, "log", p.l.tr.lang);
            p.typed = Some(form.fields.clone());
            let mut response = render(&p)?;
            *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Err(other) => Err(other.into()),
    }
}

/// Which part of the page a refused form belongs to.
enum Part {
    Referrals,
    Meetings,
}

/// The page again with a refused form of one of its parts: what was typed and why.
async fn refused(
    state: &AppState,
    form: &StaffForm,
    (id, part): (HouseholdId, Part),
    active: &str,
    error: UseCaseError,
) -> AppResult<Response> {
    let mut p = page(state, &form.user, id).await?;
    let lang = p.l.tr.lang;
    let code = match part {
        Part::Referrals => p.rp.f.refused(active, &form.fields, error, lang)?,
        Part::Meetings => p.mp.f.refused(active, &form.fields, error, lang)?,
    };
    let mut response = render(&p)?;
    *response.status_mut() = code;
    Ok(response)
}

/// `POST /partner/households/{id}/meetings`: a meeting the caller's organisation took part in.
async fn record_meeting(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let input = super::meetings::typed_meeting(&form.fields);
    match meetings::partner_record_meeting(&form.user.ctx(&state), id, &input).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/partner/households/{id}"),
            "flash.meeting.recorded",
        )),
        Err(e) => refused(&state, &form, (id, Part::Meetings), "record", e).await,
    }
}

/// `POST /partner/households/{id}/meetings/actions/{action}`: one of the organisation's actions
/// done or open again.
async fn change_action(
    State(state): State<AppState>,
    Path((id, action)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let to = super::meetings::typed_change(&form.fields);
    match meetings::partner_change_action(&form.user.ctx(&state), id, &action, to).await {
        Ok(a) => Ok(crate::flash::redirect(
            &format!("/partner/households/{id}"),
            super::meetings::action_flash(&a),
        )),
        Err(e) => refused(&state, &form, (id, Part::Meetings), &action, e).await,
    }
}

/// `POST /partner/households/{id}/referrals`: a referral sent from the caller's organisation.
async fn send_referral(State(state): State<AppState>, Path(id): Path<String>, form: StaffForm) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let input = super::referrals::typed_referral(&form.fields);
    match referrals::partner_send_referral(&form.user.ctx(&state), id, &input).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/partner/households/{id}"),
            "flash.referral.sent",
        )),
        Err(e) => refused(&state, &form, (id, Part::Referrals), "send", e).await,
    }
}

/// `POST /partner/households/{id}/referrals/{referral}/answer`: the organisation's answer.
async fn answer_referral(
    State(state): State<AppState>,
    Path((id, referral)): Path<(String, String)>,
    form: StaffForm,
) -> AppResult<Response> {
    let id: HouseholdId = path_id(&id)?;
    let step = (form.fields.get("step"), form.fields.get("text"));
    match referrals::partner_answer_referral(&form.user.ctx(&state), id, &referral, step).await {
        Ok(_) => Ok(crate::flash::redirect(
            &format!("/partner/households/{id}"),
            "flash.referral.answered",
        )),
        Err(e) => refused(&state, &form, (id, Part::Referrals), &referral, e).await,
    }
}
