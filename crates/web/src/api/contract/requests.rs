//! The request bodies of `/api/v1`. Each is read with unknown fields refused; its schema in the
//! OpenAPI document is generated from the struct, and from the domain's own input types inside it
//! (the application form, a household, a case's economy).

use super::{LanguageSchema, OutcomeSchema};
use husly_domain::cases::ApplicationForm;
use husly_domain::cases::application::MAX_LONG_TEXT;
use husly_domain::cases::requests::{MAX_CONDITION_LEN, MAX_CONDITIONS, MAX_REASONS};
use husly_domain::finance::CaseFinance;
use husly_domain::household::HouseholdInput;
use husly_domain::validation::MAX_TEXT_LEN;
use schemars::JsonSchema;
use serde::Deserialize;

codes_schema!(StepSchema, "CaseStep", husly_domain::cases::requests::STEPS.to_vec());
codes_schema!(
    ExpiryReasonSchema,
    "ExpiryReason",
    husly_domain::cases::requests::ExpiryReason::ALL
        .iter()
        .map(|r| r.code())
        .collect()
);

/// A new application, registered by a caseworker for a household.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewApplication {
    #[schemars(with = "husly_domain::cases::CaseType")]
    pub case_type: String,
    /// yyyy-mm-dd (or dd.mm.yyyy); not in the future.
    #[schemars(example = "2026-11-02")]
    pub received_on: String,
    #[serde(default)]
    pub form: ApplicationForm,
}

/// The application's answers as saved.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationUpdate {
    /// The case's version as read; a stale version is refused with 409.
    pub version: i64,
    pub form: ApplicationForm,
}

/// A workflow step.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "CaseActionRequest")]
pub struct ActionRequest {
    /// The case's version as read; a stale version is refused with 409.
    pub version: i64,
    #[schemars(with = "StepSchema")]
    pub action: String,
    /// Required for request_information (what is needed), withdraw, expire, reinstate, and an
    /// appeal after the deadline.
    #[serde(default)]
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub reason: Option<String>,
    /// yyyy-mm-dd, in the future; required for request_information.
    #[serde(default)]
    pub information_due: Option<String>,
    /// The language of the request-for-information letter (default nb).
    #[serde(default)]
    #[schemars(with = "Option<LanguageSchema>")]
    pub language: Option<String>,
    /// Required for expire. `validity_ended` only once the approval's period has run out
    /// (otherwise 400).
    #[serde(default)]
    #[schemars(with = "Option<ExpiryReasonSchema>")]
    pub expiry_reason: Option<String>,
    /// Must be true for expire: the household loses its place on the waiting list.
    #[serde(default)]
    pub confirmed: bool,
    /// Required for register_appeal: the day the appeal was posted, sent or handed in.
    #[serde(default)]
    pub appeal_sent_on: Option<String>,
    /// Required for register_appeal: `post`, `digital` or `in_person`.
    #[serde(default)]
    #[schemars(with = "Option<AppealChannelSchema>")]
    pub appeal_channel: Option<String>,
}

/// The caseworker's judgement of one rule of the assessment.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideRequest {
    pub version: i64,
    /// A rule code of the assessment.
    #[schemars(example = &"other_instruments")]
    pub rule: String,
    /// `met`, `not_met`, or null to remove the override.
    #[serde(default)]
    pub outcome: Option<String>,
    /// The reasons for the judgement; required with an outcome.
    #[serde(default)]
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub reason: Option<String>,
}

/// A proposed decision, for a second person to approve.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionRequest {
    pub version: i64,
    /// `granted`, `partly_granted` (some of what was applied for; the reasons say what is
    /// refused and why) or `refused`.
    #[schemars(with = "OutcomeSchema")]
    pub outcome: String,
    /// Forvaltningsloven § 25: the facts and the main considerations.
    #[schemars(length(min = 1, max = MAX_REASONS))]
    pub reasons: String,
    /// What is granted; required when granting.
    #[serde(default)]
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub granted_text: Option<String>,
    /// Startlån and grant cases: the amount granted in whole kroner; required when granting
    /// one, refused otherwise.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub amount_kr: Option<i64>,
    /// Conditions attached to what is granted (none on a refusal); written in the letter.
    #[serde(default)]
    #[schemars(length(max = MAX_CONDITIONS), inner(length(max = MAX_CONDITION_LEN)))]
    pub conditions: Vec<String>,
    /// Boligsosialloven § 6: what the assessment of the household's need for individually
    /// adapted help found; required to refuse (wholly or in part) an application for a municipal
    /// dwelling, and written in the letter.
    #[serde(default)]
    pub section6: Option<husly_domain::cases::section6::Section6Finding>,
    /// A renewal review, renewed: the new term's last day (`yyyy-mm-dd` or `dd.mm.yyyy`), after
    /// the present term; a term under three years needs the contract's § 11-1 notice.
    #[serde(default)]
    #[schemars(example = "2030-02-28")]
    pub renew_until: Option<String>,
    /// A renewal review, not renewed: what the municipality will do so that the household is not
    /// left without a home; required then, and written in the letter.
    #[serde(default)]
    #[schemars(length(max = husly_domain::cases::renewal::MAX_TRANSITION_PLAN))]
    pub transition_plan: Option<String>,
    /// A renewal review, not renewed: the household is referred to startlån (a move on to
    /// owning a home); the letter says so.
    #[serde(default)]
    pub startlan_referral: bool,
}

/// A decision letter to preview: the proposal being written (with `outcome`) or, without an
/// outcome, the decision waiting for approval or sending.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    /// The letter's language (default nb).
    #[serde(default)]
    #[schemars(with = "Option<LanguageSchema>")]
    pub language: Option<String>,
    /// The proposal's outcome; left out to preview the pending decision.
    #[serde(default)]
    #[schemars(with = "Option<OutcomeSchema>")]
    pub outcome: Option<String>,
    #[serde(default)]
    #[schemars(length(max = MAX_REASONS))]
    pub reasons: Option<String>,
    #[serde(default)]
    pub granted_text: Option<String>,
    /// The loan or grant amount, whole kroner.
    #[serde(default)]
    pub amount_kr: Option<i64>,
    #[serde(default)]
    pub conditions: Vec<String>,
    /// The § 6 finding of a refused housing application, as in the proposal.
    #[serde(default)]
    pub section6: Option<husly_domain::cases::section6::Section6Finding>,
    /// A renewal review, renewed: the new term's last day (`yyyy-mm-dd` or `dd.mm.yyyy`), after
    /// the present term; a term under three years needs the contract's § 11-1 notice.
    #[serde(default)]
    #[schemars(example = "2030-02-28")]
    pub renew_until: Option<String>,
    /// A renewal review, not renewed: what the municipality will do so that the household is not
    /// left without a home; required then, and written in the letter.
    #[serde(default)]
    #[schemars(length(max = husly_domain::cases::renewal::MAX_TRANSITION_PLAN))]
    pub transition_plan: Option<String>,
    /// A renewal review, not renewed: the household is referred to startlån (a move on to
    /// owning a home); the letter says so.
    #[serde(default)]
    pub startlan_referral: bool,
}

/// The approver's answer to a proposal.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewRequest {
    pub version: i64,
    /// true approves; false sends the proposal back.
    pub approve: bool,
    /// What needs to change; required when sending back.
    #[serde(default)]
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub reason: Option<String>,
}

/// Sending the approved decision.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SendRequest {
    pub version: i64,
    /// The letter's language: bokmål, nynorsk or English.
    #[schemars(with = "LanguageSchema")]
    pub language: String,
    /// How the letter goes: `digital` (made available today) or `paper` (posted).
    #[schemars(with = "DeliverySchema")]
    pub delivery: String,
    /// yyyy-mm-dd, today or later: when the letter reaches the recipient; the appeal deadline
    /// runs from it. Left out: today for `digital`, the municipality's number of working days
    /// later for `paper`.
    #[serde(default)]
    pub delivered_on: Option<String>,
}

codes_schema!(
    DeliverySchema,
    "Delivery",
    husly_domain::cases::requests::DeliveryChannel::ALL
        .iter()
        .map(|c| c.code())
        .collect()
);

/// An appeal received against the sent decision. Whether it is in time is judged by the day it
/// was posted, sent or handed in (forvaltningsloven § 30), not the day it is registered.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealRegistration {
    /// The case version the client read.
    pub version: i64,
    /// The day the appeal was posted (the postmark), sent digitally or handed in; yyyy-mm-dd
    /// (or dd.mm.yyyy), not in the future.
    #[schemars(example = "2026-11-20")]
    pub appeal_sent_on: String,
    /// How it came: `post`, `digital` or `in_person`.
    #[schemars(with = "AppealChannelSchema")]
    pub appeal_channel: String,
    /// Why a late appeal is heard anyway (forvaltningsloven § 31); required when it is late.
    #[serde(default)]
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub reason: Option<String>,
}

codes_schema!(
    AppealChannelSchema,
    "AppealChannel",
    husly_domain::cases::requests::AppealChannel::ALL
        .iter()
        .map(|c| c.code())
        .collect()
);

/// An appeal forwarded to the appeal body.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AppealStep {
    /// The case version the client read.
    pub version: i64,
    /// A note for the case's history.
    #[serde(default)]
    pub reason: Option<String>,
}

codes_schema!(
    AppealOutcomeSchema,
    "AppealOutcome",
    vec!["upheld", "reversed", "returned"]
);

/// What the appeal body decided.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeRequest {
    pub version: i64,
    /// `upheld`, `reversed` or `returned` (sent back to be decided again).
    #[schemars(with = "AppealOutcomeSchema")]
    pub outcome: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Taking a case, or letting it go.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    pub version: i64,
    /// `true` takes the case for the caller; `false` releases it. Leave out with `assign_to`.
    #[serde(default)]
    pub take: Option<bool>,
    /// Gives the case to this caseworker of the municipality instead.
    #[serde(default)]
    pub assign_to: Option<husly_domain::UserId>,
}

/// The interim answer (forvaltningsloven § 11 a).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InterimRequest {
    pub version: i64,
    /// yyyy-mm-dd (or dd.mm.yyyy), in the future: when the party may expect an answer.
    pub expected_by: String,
    /// Why the case is not decided yet.
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub reason: String,
    /// The letter's language (default nb).
    #[serde(default)]
    #[schemars(with = "Option<LanguageSchema>")]
    pub language: Option<String>,
}

codes_schema!(FlagResolutionSchema, "FlagResolution", vec!["link", "dismiss"]);

/// A possible duplicate linked or dismissed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagRequest {
    /// `link` (the same household, handled together) or `dismiss` (not a duplicate).
    #[schemars(with = "FlagResolutionSchema")]
    pub resolution: String,
    #[schemars(length(max = MAX_LONG_TEXT))]
    pub reason: String,
}

/// A household changed.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdUpdate {
    /// The version the client read; the update fails with 409 if someone saved in between.
    pub version: i64,
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub reason: Option<String>,
    pub household: HouseholdInput,
}

/// A startlån or grant case's economy.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinanceRequest {
    pub version: i64,
    pub finance: CaseFinance,
}

/// A payment of a granted grant.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRequest {
    pub version: i64,
    #[schemars(range(min = 1))]
    pub amount_kr: i64,
    /// dd.mm.yyyy or yyyy-mm-dd.
    pub paid_on: String,
    #[serde(default)]
    #[schemars(length(max = MAX_TEXT_LEN))]
    pub note: String,
}

/// A grant's allocation for a year.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    #[schemars(range(min = 0))]
    pub allocated_kr: i64,
    #[serde(default)]
    #[schemars(length(max = MAX_TEXT_LEN))]
    pub note: String,
    /// Kommunenummer, when the user works in several.
    #[serde(default)]
    pub municipality: Option<String>,
}

/// The incomes verified for a household's members; they replace those registered.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IncomesUpdate {
    pub incomes: Vec<husly_domain::economy::RegisteredIncome>,
}

/// Bostøtte granted to the household from a date.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BostotteRegistration {
    /// yyyy-mm-dd (or dd.mm.yyyy).
    #[schemars(example = "2026-06-01")]
    pub from_date: String,
}

/// A journal note to keep on a case or a household; it cannot be changed afterwards.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    #[schemars(length(max = husly_domain::notes::MAX_NOTE))]
    pub text: String,
    pub visibility: husly_domain::notes::NoteVisibility,
}

/// A task to give on a case.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTask {
    #[schemars(length(max = husly_domain::tasks::MAX_TITLE))]
    pub title: String,
    /// yyyy-mm-dd (or dd.mm.yyyy); today or later.
    #[schemars(example = "2026-12-15")]
    pub due_on: String,
    /// A caseworker of the municipality; the caller when left out.
    #[serde(default)]
    pub assigned_to: Option<husly_domain::UserId>,
}

/// The caseworker's KOSTRA main-reason classification of a case.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct KostraClassification {
    /// `refugee`, `adapted_dwelling`, `mental_health_or_substance_use` or `other`.
    pub category: String,
}

/// A task marked done, or open again.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TaskDone {
    pub done: bool,
}

/// The end of a representative: letters go to the party again from that day.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndRepresentative {
    /// The day it ends, `yyyy-mm-dd` or `dd.mm.yyyy`; today or earlier; empty or absent: today.
    #[serde(default)]
    pub ended_on: String,
    /// Why letters no longer go there.
    #[schemars(length(max = husly_domain::representative::MAX_END_REASON))]
    pub reason: String,
}

/// A change of an action plan's heading, at the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanChange {
    pub version: i64,
    pub plan: husly_domain::action_plan::PlanInput,
}

/// A change of an indicator; a changed baseline or target needs the reason.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorChange {
    pub indicator: husly_domain::action_plan::IndicatorInput,
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub reason: String,
}

/// A value reported by hand for an indicator not computed from the cases.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorValue {
    /// The year the value is for: not after this year.
    pub year: i32,
    /// A number, not negative, at most two decimals: `38`, `12.5`.
    pub value: String,
}
