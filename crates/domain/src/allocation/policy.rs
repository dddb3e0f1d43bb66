//! The municipality's priority policy for the waiting list, as versioned data.
//!
//! A policy is TOML text the municipality writes (the store keeps each version per municipality;
//! the shipped default is `rules/priority_policy.toml`, modelled on Drammen). The domain parses
//! and checks it ([`PriorityPolicy::parse`]) and refuses a version that does not parse or has no
//! `effective_from` before anything is saved. Every ranking records the version label and the
//! [`PriorityPolicy::fingerprint`], the SHA-256 of the policy's canonical text, so a decision can
//! cite exactly the rules it used.
//!
//! # Format
//!
//! ```toml
//! version = "2027.1"                 # the municipality's own label
//! municipality = "3301"              # kommunenummer
//! effective_from = 2027-01-01        # required; a TOML date or "2027-01-01"
//! cited_as = "Retningslinjer …"      # how a letter names the policy
//! tie_breakers = ["approval_date", "received_date", "draw"]  # earliest date first; before
//!                                    # any [table], or TOML puts it inside that table
//!
//! [[sources]]                        # as in rules/eligibility.toml
//! id = "drammen"
//! title = "…"                        # where it was read, with notes
//! url = "…"                          # optional
//! cited_as = "…"                     # optional: how a letter names it
//!
//! [[criteria]]                       # points are added for every criterion that applies
//! id = "homeless_with_children"      # a-z, 0-9, _ and -, unique
//! points = 200                       # 1..=1000
//! title = { nb = "…", nn = "…", en = "…" }   # the municipality's own wording, a noun phrase
//! when = { all = ["homeless", "has_children"] }
//! source = "drammen"                 # a [[sources]] id
//! unverified = true                  # optional: the value is Husly's choice, see `note`
//! note = "…"                         # optional
//!
//! [waiting_time]                     # points per full month since the approval date, capped
//! points_per_month = 1               # 0..=100
//! max_points = 36                    # 0..=1000
//! source = "…"
//!
//! [bedrooms]                         # need = 1 (applicant and partner) + 1 per other adult
//! children_per_bedroom = 2           #        + ceil(children / children_per_bedroom)
//! extra_allowed = 1                  # allowed: need ..= need + extra_allowed
//! studio_for_single_adult = true     # a single adult may also get 0 bedrooms
//! source = "…"
//!
//! [dwelling_types]                   # every type listed: true, false or a condition
//! ordinary_rental = true
//! youth_dwelling = { main_applicant_age = [18, 25] }
//! emergency = false                  # never allocated through the waiting list
//!
//! [offers]                           # the offer rule (allocation::offer)
//! answer_days = 7                    # 1..=90: days from the offer to the answer date
//! unreasonable_declines_allowed = 1  # 0..=10: before the municipality may act
//! reasonable_decline_reasons = ["health_or_accessibility", "safety"]
//! expiry_counts_as_decline = true    # silence counts as a decline without a ground
//! source = "…"
//! ```
//!
//! # Conditions
//!
//! A condition is a fact name (a string) or a table with exactly one key:
//!
//! | Condition | Holds when |
//! |---|---|
//! | `"homeless"` | current housing is homeless or temporary accommodation |
//! | `"staying_with_others"` | current housing is with family or friends |
//! | `"leaving_institution"` | current housing is an institution (prison, treatment, hospital) |
//! | `"has_children"` | a member other than the main applicant is under 18 |
//! | `"refugee"` | reason refugee background, or KOSTRA category refugee |
//! | `"wheelchair_need"` / `"ground_floor_need"` | the household's stated needs |
//! | `"single_adult"` | one adult, no children |
//! | `"single_parent"` | one adult with children |
//! | `"couple"` | the main applicant lives with a spouse or cohabitant |
//! | `{ reason = "health" }` or `["health", "economy"]` | any of these reasons ticked |
//! | `{ kostra = "mental_health_or_substance_use" }` (or a list) | the caseworker's category |
//! | `{ housing = "with_family_or_friends" }` (or a list) | current housing is one of these |
//! | `{ children_at_least = 3 }` / `{ adults_at_least = 2 }` | counts (under / from 18) |
//! | `{ main_applicant_age = [18, 25] }` | age on the day of ranking, both ends included |
//! | `{ all = [...] }` / `{ any = [...] }` / `{ not = ... }` | combinations |
//!
//! The vocabulary is closed on purpose: a policy can only speak about the coded facts the
//! household gave and the caseworker classified, never about free text or unseen data.

mod parse;
#[cfg(test)]
mod tests;
pub mod version;

use sha2::{Digest, Sha256};
use std::sync::OnceLock;
use time::Date;

use super::dwelling::DwellingType;
use super::offer::DeclineReason;
use super::priority::Situation;
use crate::Lang;
use crate::cases::{CurrentHousing, Reason};
use crate::eligibility::Text;
use crate::kostra::KostraCategory;
use crate::rules::Source;
use crate::validation::FieldError;

const EMBEDDED: &str = include_str!("../../../../rules/priority_policy.toml");

/// Most points one criterion may give.
pub const MAX_CRITERION_POINTS: u32 = 1_000;
/// Most criteria in one policy.
pub const MAX_CRITERIA: usize = 50;
/// Most points per month of waiting, and the highest cap on waiting points.
pub const MAX_POINTS_PER_MONTH: u32 = 100;
pub const MAX_WAITING_POINTS: u32 = 1_000;
/// Longest policy text accepted, in bytes (the shipped one is under 10 000).
pub const MAX_POLICY_BYTES: usize = 100_000;
/// Deepest nesting of `all`/`any`/`not` (a policy is read by people; deeper is a mistake).
pub const MAX_CONDITION_DEPTH: usize = 6;

/// A named fact about the household's coded situation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fact {
    Homeless,
    StayingWithOthers,
    LeavingInstitution,
    HasChildren,
    Refugee,
    WheelchairNeed,
    GroundFloorNeed,
    SingleAdult,
    SingleParent,
    Couple,
}

impl Fact {
    pub const ALL: [Fact; 10] = [
        Fact::Homeless,
        Fact::StayingWithOthers,
        Fact::LeavingInstitution,
        Fact::HasChildren,
        Fact::Refugee,
        Fact::WheelchairNeed,
        Fact::GroundFloorNeed,
        Fact::SingleAdult,
        Fact::SingleParent,
        Fact::Couple,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Fact::Homeless => "homeless",
            Fact::StayingWithOthers => "staying_with_others",
            Fact::LeavingInstitution => "leaving_institution",
            Fact::HasChildren => "has_children",
            Fact::Refugee => "refugee",
            Fact::WheelchairNeed => "wheelchair_need",
            Fact::GroundFloorNeed => "ground_floor_need",
            Fact::SingleAdult => "single_adult",
            Fact::SingleParent => "single_parent",
            Fact::Couple => "couple",
        }
    }

    pub fn from_code(code: &str) -> Option<Fact> {
        Fact::ALL.into_iter().find(|f| f.code() == code)
    }

    fn holds(self, s: &Situation) -> bool {
        match self {
            Fact::Homeless => matches!(
                s.current_housing,
                Some(CurrentHousing::Homeless | CurrentHousing::TemporaryAccommodation)
            ),
            Fact::StayingWithOthers => s.current_housing == Some(CurrentHousing::WithFamilyOrFriends),
            Fact::LeavingInstitution => s.current_housing == Some(CurrentHousing::Institution),
            Fact::HasChildren => s.children > 0,
            Fact::Refugee => {
                s.reasons.contains(&Reason::RefugeeBackground) || s.kostra == Some(KostraCategory::Refugee)
            }
            Fact::WheelchairNeed => s.wheelchair_need,
            Fact::GroundFloorNeed => s.ground_floor_need,
            Fact::SingleAdult => s.adults == 1 && s.children == 0,
            Fact::SingleParent => s.adults == 1 && s.children > 0,
            Fact::Couple => s.partner,
        }
    }
}

/// A condition over the household's coded situation (see the module's table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    Fact(Fact),
    Reason(Vec<Reason>),
    Kostra(Vec<KostraCategory>),
    Housing(Vec<CurrentHousing>),
    ChildrenAtLeast(u32),
    AdultsAtLeast(u32),
    /// Both ends included.
    MainApplicantAge {
        from: u32,
        to: u32,
    },
    All(Vec<Condition>),
    Any(Vec<Condition>),
    Not(Box<Condition>),
}

impl Condition {
    pub fn holds(&self, s: &Situation) -> bool {
        match self {
            Condition::Fact(fact) => fact.holds(s),
            Condition::Reason(reasons) => reasons.iter().any(|r| s.reasons.contains(r)),
            Condition::Kostra(categories) => s.kostra.is_some_and(|k| categories.contains(&k)),
            Condition::Housing(housing) => s.current_housing.is_some_and(|h| housing.contains(&h)),
            Condition::ChildrenAtLeast(n) => s.children >= *n,
            Condition::AdultsAtLeast(n) => s.adults >= *n,
            Condition::MainApplicantAge { from, to } => {
                s.main_applicant_age.is_some_and(|age| (*from..=*to).contains(&age))
            }
            Condition::All(all) => all.iter().all(|c| c.holds(s)),
            Condition::Any(any) => any.iter().any(|c| c.holds(s)),
            Condition::Not(c) => !c.holds(s),
        }
    }
}

/// Where a value of the policy comes from, and whether the municipality's own text says it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// A [`Source`] id of the policy.
    pub source: String,
    /// The value is not the municipality's published figure (e.g. Husly chose the points).
    pub unverified: bool,
    pub note: Option<String>,
}

/// One weighted criterion: its points are added when its condition holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub id: String,
    pub points: u32,
    /// The municipality's own name of the group, in each language, as a noun phrase.
    pub title: Text,
    pub when: Condition,
    pub provenance: Provenance,
}

/// Points for time on the waiting list, counted from the approval (decision) date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaitingTime {
    pub points_per_month: u32,
    pub max_points: u32,
    pub provenance: Provenance,
}

/// How households with equal points are ordered, in the policy's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TieBreaker {
    /// Earliest approval (decision) date first.
    ApprovalDate,
    /// Earliest received date first.
    ReceivedDate,
    /// The position in a verifiable draw, supplied from outside.
    Draw,
}

impl TieBreaker {
    pub const ALL: [TieBreaker; 3] = [TieBreaker::ApprovalDate, TieBreaker::ReceivedDate, TieBreaker::Draw];

    pub fn code(self) -> &'static str {
        match self {
            TieBreaker::ApprovalDate => "approval_date",
            TieBreaker::ReceivedDate => "received_date",
            TieBreaker::Draw => "draw",
        }
    }

    pub fn from_code(code: &str) -> Option<TieBreaker> {
        TieBreaker::ALL.into_iter().find(|t| t.code() == code)
    }
}

/// The municipality's bedroom rule as data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BedroomRule {
    pub children_per_bedroom: u32,
    pub extra_allowed: u32,
    pub studio_for_single_adult: bool,
    pub provenance: Provenance,
}

/// The municipality's rule for offers: how long a household has to answer, which decline
/// reasons count as reasonable, and how many declines without one it may make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRules {
    /// Days from the offer to the answer date.
    pub answer_days: u32,
    /// Declines without a reasonable ground allowed before the municipality may take the
    /// household off the waiting list.
    pub unreasonable_declines_allowed: u32,
    pub reasonable_decline_reasons: Vec<DeclineReason>,
    /// Whether letting the answer date pass counts as a decline without a reasonable ground.
    pub expiry_counts_as_decline: bool,
    pub provenance: Provenance,
}

/// Who may get a dwelling type through the waiting list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    Always,
    /// Not allocated through the waiting list (emergency and temporary dwellings).
    Never,
    When(Condition),
}

/// A checked priority policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorityPolicy {
    pub version: String,
    pub municipality: String,
    pub effective_from: Date,
    pub cited_as: String,
    pub sources: Vec<Source>,
    pub criteria: Vec<Criterion>,
    pub waiting_time: WaitingTime,
    pub tie_breakers: Vec<TieBreaker>,
    pub bedrooms: BedroomRule,
    /// Every dwelling type, in [`DwellingType::ALL`] order.
    pub dwelling_types: Vec<(DwellingType, Access)>,
    pub offers: OfferRules,
    canonical: String,
}

impl PriorityPolicy {
    /// Parses and checks a policy version. Every problem is reported, each with the path of the
    /// field in the TOML text (`criteria[2].points`) or, for text that is not TOML, its line.
    pub fn parse(text: &str) -> Result<PriorityPolicy, Vec<FieldError>> {
        parse::parse(text)
    }

    /// The shipped default, modelled on Drammen's published priority order.
    pub fn embedded() -> &'static PriorityPolicy {
        static POLICY: OnceLock<PriorityPolicy> = OnceLock::new();
        POLICY.get_or_init(|| PriorityPolicy::parse(EMBEDDED).expect("rules/priority_policy.toml is valid"))
    }

    /// The shipped default's text, as a starting point for a municipality's own version.
    pub fn embedded_text() -> &'static str {
        EMBEDDED
    }

    /// The text the fingerprint is taken of: line endings as `\n`, no trailing spaces on a
    /// line, one final newline. Editors that differ only in these give the same policy.
    pub fn canonical_text(&self) -> &str {
        &self.canonical
    }

    /// Hex SHA-256 of the canonical text: which policy a ranking used, exactly.
    pub fn fingerprint(&self) -> String {
        hex::encode(Sha256::digest(self.canonical.as_bytes()))
    }

    /// Who may get this dwelling type.
    pub fn access(&self, dwelling_type: DwellingType) -> &Access {
        self.dwelling_types
            .iter()
            .find(|(t, _)| *t == dwelling_type)
            .map(|(_, a)| a)
            .expect("every dwelling type is checked to be listed")
    }

    /// Whether a household in this situation may get this dwelling type.
    pub fn may_get(&self, dwelling_type: DwellingType, situation: &Situation) -> bool {
        match self.access(dwelling_type) {
            Access::Always => true,
            Access::Never => false,
            Access::When(condition) => condition.holds(situation),
        }
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }
}

/// The version in force on `day`: the latest `effective_from` on or before it.
pub fn in_force(versions: &[PriorityPolicy], day: Date) -> Option<&PriorityPolicy> {
    versions
        .iter()
        .filter(|p| p.effective_from <= day)
        .max_by_key(|p| p.effective_from)
}

/// A policy text in one language.
pub fn text_in(text: &Text, lang: Lang) -> &str {
    match lang {
        Lang::Nb => &text.nb,
        Lang::Nn => &text.nn,
        Lang::En => &text.en,
    }
}

fn canonical(text: &str) -> String {
    let mut out: String = text
        .replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string();
    out.push('\n');
    out
}
