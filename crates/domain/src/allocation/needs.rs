//! What a household needs of a dwelling, and whether a given dwelling fits.
//!
//! The hard constraints the matching step must respect — bedrooms within the municipality's
//! range, wheelchair need only to accessible dwellings, ground floor or lift, pets, avoided
//! districts, the dwelling type's eligibility and the dwelling being vacant — are checked by
//! [`compatible`], which names every reason a dwelling does not fit. A fitting dwelling gets a
//! small [`Fit::bonus`] (exact bedroom count, preferred district) that the matching step adds
//! *under* the priority points:
//!
//! `weight = total_points × FIT_SCALE + fit bonus`, with the bonus always below `FIT_SCALE`,
//! so a household with more points always weighs more than one with fewer, whatever the fit;
//! the fit only orders households with equal points.

#[cfg(test)]
mod tests;

use time::Date;

use super::dwelling::{DwellingStatus, DwellingType, ValidDwelling};
use super::policy::PriorityPolicy;
use super::priority::{Priority, Situation, WaitingHousehold};
use crate::message::Message;

/// The factor priority points are multiplied by in a matching weight.
pub const FIT_SCALE: i64 = 1_000;
/// Bonus when the dwelling has exactly the bedrooms the household needs.
pub const EXACT_BEDROOMS_BONUS: i64 = 600;
/// Bonus when the dwelling is in one of the household's preferred districts.
pub const PREFERRED_DISTRICT_BONUS: i64 = 300;
// The bonuses together must stay below the scale, or fit could outweigh a point.
const _: () = assert!(EXACT_BEDROOMS_BONUS + PREFERRED_DISTRICT_BONUS < FIT_SCALE);

/// The bedrooms a household needs and may be offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BedroomRange {
    /// The rule's count: 1 for the applicant (and partner), 1 per other adult, the children
    /// `children_per_bedroom` to a room.
    pub need: u32,
    /// Fewest allowed (0 when a single adult may take a studio).
    pub min: u32,
    pub max: u32,
}

impl BedroomRange {
    pub fn contains(&self, bedrooms: i64) -> bool {
        (i64::from(self.min)..=i64::from(self.max)).contains(&bedrooms)
    }

    pub fn overlaps(&self, other: &BedroomRange) -> bool {
        self.min <= other.max && other.min <= self.max
    }
}

/// The household's bedroom range under the policy's rule.
pub fn bedroom_range(policy: &PriorityPolicy, s: &Situation) -> BedroomRange {
    let rule = &policy.bedrooms;
    let need = 1 + s.other_adults + s.children.div_ceil(rule.children_per_bedroom.max(1));
    let single = s.adults <= 1 && s.children == 0;
    BedroomRange {
        need,
        min: if rule.studio_for_single_adult && single {
            0
        } else {
            need
        },
        max: need + rule.extra_allowed,
    }
}

/// The facts of a dwelling the fit is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DwellingFacts {
    pub dwelling_type: DwellingType,
    pub status: DwellingStatus,
    pub bedrooms: i64,
    pub floor: Option<i64>,
    pub lift: bool,
    pub wheelchair_accessible: bool,
    pub pets_allowed: bool,
    pub district: Option<String>,
}

impl DwellingFacts {
    pub fn of(dwelling: &ValidDwelling, status: DwellingStatus) -> DwellingFacts {
        DwellingFacts {
            dwelling_type: dwelling.dwelling_type,
            status,
            bedrooms: dwelling.bedrooms,
            floor: dwelling.floor,
            lift: dwelling.lift,
            wheelchair_accessible: dwelling.wheelchair_accessible,
            pets_allowed: dwelling.pets_allowed,
            district: dwelling.district.clone(),
        }
    }

    /// Step-free enough for a household that needs the ground floor or a lift: a lift, or the
    /// entrance floor (floor 1 in Norwegian numbering; some registers write 0). An unknown floor
    /// without a lift is not assumed to fit.
    fn reachable_without_stairs(&self) -> bool {
        self.lift || matches!(self.floor, Some(0 | 1))
    }

    /// What [`compatible`] and the fit can tell apart of these facts.
    pub fn fit_class(&self) -> FitClass<'_> {
        FitClass {
            dwelling_type: self.dwelling_type,
            status: self.status,
            bedrooms: self.bedrooms,
            step_free: self.reachable_without_stairs(),
            wheelchair_accessible: self.wheelchair_accessible,
            pets_allowed: self.pets_allowed,
            district: self.district.as_deref(),
        }
    }
}

/// Dwellings of one fit class fit every household alike, with the same reasons and the same
/// fit; only the floor is reduced, to whether it is reachable without stairs (a mismatch still
/// names the floor of the dwelling it is about).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct FitClass<'a> {
    dwelling_type: DwellingType,
    status: DwellingStatus,
    bedrooms: i64,
    step_free: bool,
    wheelchair_accessible: bool,
    pets_allowed: bool,
    district: Option<&'a str>,
}

/// A coded reason a dwelling does not fit a household.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Mismatch {
    NotVacant { status: DwellingStatus },
    TypeNotForHousehold { dwelling_type: DwellingType },
    TooFewBedrooms { bedrooms: i64, min: u32 },
    TooManyBedrooms { bedrooms: i64, max: u32 },
    NotWheelchairAccessible,
    NeedsGroundFloorOrLift { floor: Option<i64> },
    NoPetsAllowed,
    AvoidedDistrict { district: String },
}

impl Mismatch {
    /// How many kinds of mismatch there are: [`Mismatch::ordinal`] is below it.
    pub const KINDS: usize = 8;

    /// The kind's place in declaration order, to count reasons in an array.
    pub fn ordinal(&self) -> usize {
        match self {
            Mismatch::NotVacant { .. } => 0,
            Mismatch::TypeNotForHousehold { .. } => 1,
            Mismatch::TooFewBedrooms { .. } => 2,
            Mismatch::TooManyBedrooms { .. } => 3,
            Mismatch::NotWheelchairAccessible => 4,
            Mismatch::NeedsGroundFloorOrLift { .. } => 5,
            Mismatch::NoPetsAllowed => 6,
            Mismatch::AvoidedDistrict { .. } => 7,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            Mismatch::NotVacant { .. } => "not_vacant",
            Mismatch::TypeNotForHousehold { .. } => "type_not_for_household",
            Mismatch::TooFewBedrooms { .. } => "too_few_bedrooms",
            Mismatch::TooManyBedrooms { .. } => "too_many_bedrooms",
            Mismatch::NotWheelchairAccessible => "not_wheelchair_accessible",
            Mismatch::NeedsGroundFloorOrLift { .. } => "needs_ground_floor_or_lift",
            Mismatch::NoPetsAllowed => "no_pets_allowed",
            Mismatch::AvoidedDistrict { .. } => "avoided_district",
        }
    }

    /// The reason in words, for the caseworker's matching page.
    pub fn message(&self) -> Message {
        let m = Message::new(format!("allocation.mismatch.{}", self.code()));
        match self {
            Mismatch::NotVacant { status } => m.arg_key("status", status.key()),
            Mismatch::TypeNotForHousehold { dwelling_type } => m.arg_key("type", dwelling_type.key()),
            Mismatch::TooFewBedrooms { bedrooms, min } => m.arg("bedrooms", bedrooms).arg("min", min),
            Mismatch::TooManyBedrooms { bedrooms, max } => m.arg("bedrooms", bedrooms).arg("max", max),
            Mismatch::NeedsGroundFloorOrLift { floor: Some(floor) } => m.arg("floor", floor),
            Mismatch::NeedsGroundFloorOrLift { floor: None } => {
                Message::new("allocation.mismatch.needs_ground_floor_or_lift_unknown_floor")
            }
            Mismatch::AvoidedDistrict { district } => m.arg("district", crate::message::shorten(district)),
            Mismatch::NotWheelchairAccessible | Mismatch::NoPetsAllowed => m,
        }
    }
}

/// How well a fitting dwelling suits the household.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fit {
    pub exact_bedrooms: bool,
    pub preferred_district: bool,
}

impl Fit {
    /// Always below [`FIT_SCALE`].
    pub fn bonus(&self) -> i64 {
        i64::from(self.exact_bedrooms) * EXACT_BEDROOMS_BONUS
            + i64::from(self.preferred_district) * PREFERRED_DISTRICT_BONUS
    }
}

/// The matching weight of offering a dwelling to a household: priority first, fit second.
pub fn weight(priority: &Priority, fit: &Fit) -> i64 {
    i64::from(priority.total) * FIT_SCALE + fit.bonus()
}

fn same_district(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// Whether the dwelling fits the household on `today`: the fit, or every reason it does not.
pub fn compatible(
    policy: &PriorityPolicy,
    household: &WaitingHousehold,
    dwelling: &DwellingFacts,
    today: Date,
) -> Result<Fit, Vec<Mismatch>> {
    Needs::of(policy, household, today).check(dwelling)
}

/// A household's needs on one day under a policy, worked out once to be checked against many
/// dwellings.
pub struct Needs<'a> {
    policy: &'a PriorityPolicy,
    household: &'a WaitingHousehold,
    situation: Situation,
    range: BedroomRange,
}

impl<'a> Needs<'a> {
    pub fn of(policy: &'a PriorityPolicy, household: &'a WaitingHousehold, today: Date) -> Needs<'a> {
        let situation = household.situation(today);
        let range = bedroom_range(policy, &situation);
        Needs {
            policy,
            household,
            situation,
            range,
        }
    }

    /// Whether the dwelling fits: the fit, or every reason it does not.
    pub fn check(&self, dwelling: &DwellingFacts) -> Result<Fit, Vec<Mismatch>> {
        let (policy, household, s, range) = (self.policy, self.household, &self.situation, &self.range);
        let mut mismatches = Vec::new();
        if !dwelling.status.can_be_offered() {
            mismatches.push(Mismatch::NotVacant {
                status: dwelling.status,
            });
        }
        if !policy.may_get(dwelling.dwelling_type, s) {
            mismatches.push(Mismatch::TypeNotForHousehold {
                dwelling_type: dwelling.dwelling_type,
            });
        }
        if dwelling.bedrooms < i64::from(range.min) {
            mismatches.push(Mismatch::TooFewBedrooms {
                bedrooms: dwelling.bedrooms,
                min: range.min,
            });
        }
        if dwelling.bedrooms > i64::from(range.max) {
            mismatches.push(Mismatch::TooManyBedrooms {
                bedrooms: dwelling.bedrooms,
                max: range.max,
            });
        }
        if household.wheelchair_need && !dwelling.wheelchair_accessible {
            mismatches.push(Mismatch::NotWheelchairAccessible);
        }
        if household.ground_floor_or_lift && !dwelling.reachable_without_stairs() {
            mismatches.push(Mismatch::NeedsGroundFloorOrLift { floor: dwelling.floor });
        }
        if household.pets && !dwelling.pets_allowed {
            mismatches.push(Mismatch::NoPetsAllowed);
        }
        if let Some(district) = &dwelling.district
            && household.areas_to_avoid.iter().any(|a| same_district(a, district))
        {
            mismatches.push(Mismatch::AvoidedDistrict {
                district: district.clone(),
            });
        }
        if !mismatches.is_empty() {
            return Err(mismatches);
        }
        Ok(Fit {
            exact_bedrooms: dwelling.bedrooms == i64::from(range.need),
            preferred_district: dwelling
                .district
                .as_deref()
                .is_some_and(|d| household.preferred_areas.iter().any(|p| same_district(p, d))),
        })
    }
}
