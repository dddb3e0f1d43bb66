//! The priority policy's versions, a draft simulated on today's waiting list, a new version
//! saved, and a published draw verified: the same use cases as the pages and `husly verify-draw`.

use super::municipality_for;
use crate::AppState;
use crate::auth::ApiUser;
use crate::error::{AppError, AppResult};
use crate::forms::ApiJson;
use crate::i18n::Tr;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use husly_domain::Lang;
use husly_domain::allocation::draw::{DrawMismatch, PublishedDraw, Seed, verify};
use husly_domain::allocation::policy::text_in;
use husly_domain::allocation::policy::version::DraftInput;
use husly_domain::allocation::simulation::{GroupSummary, Shift};
use husly_domain::authz::Action;
use husly_domain::validation::FieldError;
use husly_usecases::UseCaseError;
use husly_usecases::priority_policy::{self as usecases, PolicySimulation, PolicyVersion};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
}

/// One criterion of a version.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyCriterion {
    pub id: String,
    pub points: u32,
    /// The municipality's name of the group, in the caller's language.
    pub title: String,
    /// The points are Husly's proposal, not the municipality's published figure.
    pub unverified: bool,
}

/// A version of the priority policy.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyVersionView {
    /// The version's id (UUIDv7), or `standard` for Husly's standard.
    pub id: String,
    /// `municipality` (the municipality's own version) or `standard` (Husly's, modelled on
    /// Drammen, which applies while the municipality has no own version in force).
    pub origin: String,
    /// The municipality's label.
    pub version: String,
    /// `yyyy-mm-dd`.
    pub effective_from: String,
    /// `in_force` (today), `scheduled` or `replaced`.
    pub status: String,
    pub cited_as: String,
    /// Hex SHA-256 of the canonical text; every ranking cites it.
    pub fingerprint: String,
    /// Why the version was made (not for the standard).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When it was saved, microseconds since the epoch (not for the standard).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_at: Option<i64>,
    pub criteria: Vec<PolicyCriterion>,
    pub waiting_points_per_month: u32,
    pub waiting_max_points: u32,
    /// In order: `approval_date`, `received_date`, `draw`.
    pub tie_breakers: Vec<String>,
    /// The policy's TOML text (one version; not in the list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

fn version_view(v: &PolicyVersion, lang: Lang, with_text: bool) -> PolicyVersionView {
    let p = &v.policy;
    PolicyVersionView {
        id: v.id().to_string(),
        origin: if v.stored.is_some() { "municipality" } else { "standard" }.into(),
        version: p.version.clone(),
        effective_from: p.effective_from.to_string(),
        status: v.status.code().into(),
        cited_as: p.cited_as.clone(),
        fingerprint: p.fingerprint(),
        reason: v.stored.as_ref().map(|s| s.reason.clone()),
        created_at: v.stored.as_ref().map(|s| s.created_at),
        criteria: p
            .criteria
            .iter()
            .map(|c| PolicyCriterion {
                id: c.id.clone(),
                points: c.points,
                title: text_in(&c.title, lang).to_string(),
                unverified: c.provenance.unverified,
            })
            .collect(),
        waiting_points_per_month: p.waiting_time.points_per_month,
        waiting_max_points: p.waiting_time.max_points,
        tie_breakers: p.tie_breakers.iter().map(|t| t.code().to_string()).collect(),
        text: with_text.then(|| p.canonical_text().to_string()),
    }
}

#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyList {
    /// The id of the version in force today.
    pub in_force: String,
    /// The municipality's versions, the latest effective date first, then Husly's standard.
    pub versions: Vec<PolicyVersionView>,
}

/// `GET /allocation/policies`.
pub async fn list(
    State(state): State<AppState>,
    user: ApiUser,
    Query(params): Query<PolicyParams>,
) -> AppResult<Json<PolicyList>> {
    let municipality = municipality_for(
        &state,
        &user,
        params.municipality.as_deref(),
        Action::ViewPriorityPolicy,
    )
    .await?;
    let ctx = user.ctx(&state);
    let versions = usecases::policy_versions(&ctx, municipality).await?;
    Ok(Json(PolicyList {
        in_force: versions.in_force().id().to_string(),
        versions: versions
            .versions
            .iter()
            .map(|v| version_view(v, ctx.lang, false))
            .collect(),
    }))
}

/// `GET /allocation/policies/{id}` (`standard` for Husly's standard).
pub async fn view(
    State(state): State<AppState>,
    user: ApiUser,
    Path(id): Path<String>,
    Query(params): Query<PolicyParams>,
) -> AppResult<Json<PolicyVersionView>> {
    let municipality = municipality_for(
        &state,
        &user,
        params.municipality.as_deref(),
        Action::ViewPriorityPolicy,
    )
    .await?;
    let ctx = user.ctx(&state);
    let version = usecases::policy_version(&ctx, municipality, &id).await?;
    Ok(Json(version_view(&version, ctx.lang, true)))
}

/// A draft version to simulate.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyDraft {
    /// Kommunenummer, when the user works in several.
    #[serde(default)]
    pub municipality: Option<String>,
    /// The policy's TOML text (see `rules/priority_policy.toml`); its `version`, `municipality`
    /// and `effective_from` are set from this request.
    pub text: String,
    /// The version's label, unique within the municipality.
    pub version: String,
    /// The first day it applies, `yyyy-mm-dd`, today at the earliest.
    pub effective_from: String,
}

/// A draft to save as a new version: the draft as simulated, with the simulation's fingerprint.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicySave {
    #[serde(default)]
    pub municipality: Option<String>,
    pub text: String,
    pub version: String,
    pub effective_from: String,
    /// Why the policy is changed.
    pub reason: String,
    /// The `fingerprint` of the simulation of this very draft.
    pub simulated_fingerprint: String,
}

/// How one group of households fares under the draft.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyGroup {
    /// The group's code: a household type, a reason, a KOSTRA category (`unclassified` when not
    /// classified), or `all`.
    pub group: String,
    pub households: u32,
    pub moved_up: u32,
    pub moved_down: u32,
    pub unchanged: u32,
    /// Places gained minus places lost, summed over the group.
    pub shift_sum: i64,
}

fn group(code: &str, g: &GroupSummary) -> PolicyGroup {
    PolicyGroup {
        group: code.to_string(),
        households: g.households,
        moved_up: g.moved_up,
        moved_down: g.moved_down,
        unchanged: g.unchanged,
        shift_sum: g.shift_sum,
    }
}

/// A household that moves, by case reference.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyMover {
    pub case_reference: String,
    pub old_position: u32,
    pub new_position: u32,
    pub old_points: u32,
    pub new_points: u32,
}

fn mover(s: &Shift) -> PolicyMover {
    PolicyMover {
        case_reference: s.entry_id.clone(),
        old_position: s.old_position,
        new_position: s.new_position,
        old_points: s.old_points,
        new_points: s.new_points,
    }
}

/// The households that move most each way (to those who may also see cases).
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicyMovers {
    pub up: Vec<PolicyMover>,
    pub down: Vec<PolicyMover>,
}

/// Today's waiting list under the policy in force and under the draft; nothing is changed.
#[derive(Debug, Serialize, JsonSchema)]
pub struct PolicySimulationView {
    /// The version in force: its label and fingerprint.
    pub current_version: String,
    pub current_fingerprint: String,
    pub draft_version: String,
    /// The draft's fingerprint: give it as `simulated_fingerprint` to save this draft.
    pub fingerprint: String,
    pub all: PolicyGroup,
    pub by_household_type: Vec<PolicyGroup>,
    /// A household with several reasons counts under each.
    pub by_reason: Vec<PolicyGroup>,
    pub by_kostra: Vec<PolicyGroup>,
    /// Only for a caller who may also see cases (the read is then in the access log).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub movers: Option<PolicyMovers>,
}

fn simulation_view(s: &PolicySimulation) -> PolicySimulationView {
    let sim = &s.simulation;
    PolicySimulationView {
        current_version: s.current.version.clone(),
        current_fingerprint: s.current.fingerprint(),
        draft_version: s.draft.version.clone(),
        fingerprint: s.draft.fingerprint(),
        all: group("all", &sim.all),
        by_household_type: sim.by_household_type.iter().map(|(t, g)| group(t.code(), g)).collect(),
        by_reason: sim.by_reason.iter().map(|(r, g)| group(r.code(), g)).collect(),
        by_kostra: sim
            .by_kostra
            .iter()
            .map(|(k, g)| group(k.map_or("unclassified", |k| k.code()), g))
            .collect(),
        movers: s.movers.as_ref().map(|m| PolicyMovers {
            up: m.up.iter().map(mover).collect(),
            down: m.down.iter().map(mover).collect(),
        }),
    }
}

/// The use case's field names as the request names them: the text is `text` (a problem in it
/// `text.criteria[2].points`), the simulation's fingerprint `simulated_fingerprint`.
fn request_fields(error: UseCaseError) -> UseCaseError {
    match error {
        UseCaseError::Invalid(mut errors) => {
            for e in &mut errors {
                if e.field == "policy" {
                    e.field = "text".into();
                } else if let Some(path) = e.field.strip_prefix("policy.") {
                    e.field = format!("text.{path}");
                } else if e.field == "simulated" {
                    e.field = "simulated_fingerprint".into();
                }
            }
            UseCaseError::Invalid(errors)
        }
        other => other,
    }
}

/// `POST /allocation/policies/simulate`.
pub async fn simulate(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(draft): ApiJson<PolicyDraft>,
) -> AppResult<Json<PolicySimulationView>> {
    let municipality = municipality_for(
        &state,
        &user,
        draft.municipality.as_deref(),
        Action::ManagePriorityPolicy,
    )
    .await?;
    let input = DraftInput {
        text: &draft.text,
        version: &draft.version,
        effective_from: &draft.effective_from,
    };
    let simulation = usecases::simulate_policy(&user.ctx(&state), municipality, input)
        .await
        .map_err(request_fields)?;
    Ok(Json(simulation_view(&simulation)))
}

/// `POST /allocation/policies`.
pub async fn save(
    State(state): State<AppState>,
    user: ApiUser,
    ApiJson(request): ApiJson<PolicySave>,
) -> AppResult<Response> {
    let municipality = municipality_for(
        &state,
        &user,
        request.municipality.as_deref(),
        Action::ManagePriorityPolicy,
    )
    .await?;
    let ctx = user.ctx(&state);
    let input = DraftInput {
        text: &request.text,
        version: &request.version,
        effective_from: &request.effective_from,
    };
    let stored = usecases::save_policy_version(
        &ctx,
        municipality,
        input,
        &request.reason,
        &request.simulated_fingerprint,
    )
    .await
    .map_err(request_fields)?;
    let version = usecases::policy_version(&ctx, municipality, &stored.id).await?;
    Ok((
        StatusCode::CREATED,
        [(
            axum::http::header::LOCATION,
            format!("/api/v1/allocation/policies/{}", stored.id),
        )],
        Json(version_view(&version, ctx.lang, true)),
    )
        .into_response())
}

/// A published draw, as a round publishes it (docs/verify-draw.md).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DrawToVerify {
    /// `hex(SHA-256(seed))`, published before the draw.
    pub commitment: String,
    /// 64 hex digits, revealed after the draw.
    #[schemars(regex(pattern = r"^[0-9a-fA-F]{64}$"))]
    pub seed: String,
    /// `hex(SHA-256(entries joined by "\n"))`.
    pub input_hash: String,
    /// The frozen entry ids, sorted.
    pub entries: Vec<String>,
    /// The drawn order.
    pub order: Vec<String>,
}

/// The first difference found, checked in the order commitment, input hash, entries, order.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DrawDifference {
    /// `commitment`, `input_hash`, `entries`, `order_length` or `order`.
    pub kind: String,
    /// Where in `entries` or `order` (from 0), for those kinds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
}

/// Whether the published draw re-runs to the same result.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DrawVerification {
    pub ok: bool,
    /// The same sentence `husly verify-draw` prints, in the caller's language.
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mismatch: Option<DrawDifference>,
}

fn difference(m: &DrawMismatch) -> DrawDifference {
    let (kind, position) = match m {
        DrawMismatch::Commitment { .. } => ("commitment", None),
        DrawMismatch::InputHash { .. } => ("input_hash", None),
        DrawMismatch::Entries { position, .. } => ("entries", Some(*position)),
        DrawMismatch::OrderLength { .. } => ("order_length", None),
        DrawMismatch::Order { position, .. } => ("order", Some(*position)),
    };
    DrawDifference {
        kind: kind.into(),
        position,
    }
}

/// `POST /draws/verify`: open to anyone with the published data, like the command; nothing is
/// read or stored. A mismatch is a 200 with `ok: false` (the verification ran); a body that is
/// not a published draw is a 422.
pub async fn verify_draw(
    headers: axum::http::HeaderMap,
    ApiJson(draw): ApiJson<DrawToVerify>,
) -> AppResult<Json<DrawVerification>> {
    let seed = Seed::from_hex(&draw.seed)
        .map_err(|_| AppError::Validation(vec![FieldError::new("seed", "draw_seed", "error.draw.seed")]))?;
    let published = PublishedDraw {
        commitment: draw.commitment,
        seed,
        input_hash: draw.input_hash,
        entries: draw.entries,
        order: draw.order,
    };
    let tr = Tr::new(crate::i18n::negotiate(&headers));
    Ok(Json(match verify(&published) {
        Ok(()) => DrawVerification {
            ok: true,
            message: tr.f("verify_draw.ok", &[("count", &published.entries.len().to_string())]),
            mismatch: None,
        },
        Err(m) => DrawVerification {
            ok: false,
            message: crate::draw_words::mismatch_text(tr, &published, &m),
            mismatch: Some(difference(&m)),
        },
    }))
}
