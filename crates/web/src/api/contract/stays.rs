//! Stays in temporary accommodation (sosialtjenesteloven § 27) and the year's KOSTRA figures.
//! The price per night is whole kroner in a request (`nightly_cost_kr`) and øre in an answer
//! (`nightly_cost_ore`, `cost_ore`), as for contracts.

use super::DateSchema;
use husly_domain::HouseholdId;
use husly_domain::stays::EndReason;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

/// A stay with the flags KOSTRA skjema 13 counts.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Stay {
    pub id: String,
    pub household_id: HouseholdId,
    /// Empty (and no provider) when `address_protected`: where a protected household stays is
    /// where it lives.
    pub place: String,
    pub address_protected: bool,
    /// Who runs the place; null when not recorded.
    pub provider: Option<String>,
    #[schemars(with = "DateSchema")]
    pub from: Date,
    /// The last day; null while the stay goes on.
    #[schemars(with = "Option<DateSchema>")]
    pub to: Option<Date>,
    pub end_reason: Option<EndReason>,
    /// Children under 18 stayed there with the household.
    pub with_children: bool,
    /// What the municipality pays per night, in øre; null when not recorded.
    pub nightly_cost_ore: Option<i64>,
    /// What the stay has cost, in øre: its nights (up to today while it goes on) at the price;
    /// null without a price.
    pub cost_ore: Option<i64>,
    /// A short note on the place's standard.
    pub quality_remarks: Option<String>,
    /// Nights so far (up to today while it goes on).
    pub nights: i64,
    /// Ended after 14 nights or fewer.
    pub short: bool,
    /// More than 3 months (so far, while it goes on).
    pub over_3_months: bool,
    /// The main person was 18–25 when it began.
    pub aged_18_to_25: bool,
}

impl Stay {
    pub fn of(s: &husly_domain::stays::Stay, today: Date) -> Stay {
        Stay {
            id: s.id.clone(),
            household_id: s.household,
            place: s.place.clone(),
            address_protected: s.address_protected,
            provider: s.provider.clone(),
            from: s.from,
            to: s.to,
            end_reason: s.end_reason,
            with_children: s.with_children,
            nightly_cost_ore: s.nightly_cost_ore,
            cost_ore: s.cost_ore(today),
            quality_remarks: s.quality_remarks.clone(),
            nights: s.nights(today),
            short: s.is_short(),
            over_3_months: s.is_long(today),
            aged_18_to_25: s.is_young(),
        }
    }
}

/// Stays, the newest first (a household's) or the oldest first (ongoing in a municipality).
#[derive(Debug, Serialize, JsonSchema)]
pub struct StayList {
    pub stays: Vec<Stay>,
}

impl StayList {
    pub fn of(stays: &[husly_domain::stays::Stay], today: Date) -> StayList {
        StayList {
            stays: stays.iter().map(|s| Stay::of(s, today)).collect(),
        }
    }
}

/// A stay to record.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStay {
    #[schemars(length(min = 1, max = 200))]
    pub place: String,
    /// Who runs the place (a hostel or hotel operator, a private landlord).
    #[serde(default)]
    #[schemars(length(max = 200))]
    pub provider: Option<String>,
    /// yyyy-mm-dd (or dd.mm.yyyy); today or earlier.
    #[schemars(example = "2026-11-02")]
    pub from: String,
    /// The last day, for a stay that has ended; left out while it goes on.
    #[serde(default)]
    pub to: Option<String>,
    /// Why it ended; required with `to`.
    #[serde(default)]
    pub end_reason: Option<EndReason>,
    #[serde(default)]
    pub with_children: bool,
    /// What the municipality pays per night, in whole kroner (1–10000); answers give it in øre
    /// as `nightly_cost_ore`. Left out when not known.
    #[serde(default)]
    #[schemars(range(min = 1, max = 10000))]
    pub nightly_cost_kr: Option<i64>,
    /// A short note on the place's standard.
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub quality_remarks: Option<String>,
}

/// The end of an ongoing stay.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EndStay {
    /// The last day, yyyy-mm-dd (or dd.mm.yyyy); not before the first.
    #[schemars(example = "2026-11-30")]
    pub to: String,
    pub end_reason: EndReason,
}

/// The municipality, and the year of the figures (this year when left out).
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub struct FiguresParams {
    /// Kommunenummer (four digits). May be left out when the user has a role in one municipality only.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub municipality: Option<String>,
    #[schemars(range(min = 2000, max = 2100))]
    pub year: Option<i32>,
}
