//! Temporary accommodation (*midlertidig botilbud*): the stays NAV finds for those who cannot
//! find somewhere to stay themselves (sosialtjenesteloven § 27), recorded with dates so that the
//! figures KOSTRA skjema 13 asks for are computed, not typed.
//!
//! A stay covers the nights from its first day up to (not including) its last day: a household
//! that moves from one place to another on a day is in one place that night. A stay that ends on
//! the day it began counts as one night. One household cannot be in two places the same night,
//! so stays of a household never overlap (the store checks it with the household locked).
//!
//! The derived flags follow SSB's KOMPIS definitions for skjema 13 (domain brief § 4.2):
//! 14 days or fewer during the year (`KOSandmidlbo14d0000`), households with children under 18
//! and their stays over 3 months (`KOSandbarn3m0000`), and young people 18–25 (reported by
//! Husbanken from KOSTRA; the national strategy's target group).

use crate::validation::{Errors, FieldError};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use time::{Date, Duration};

/// The most nights a stay is "short": 14 days or fewer.
pub const SHORT_DAYS: i64 = 14;
/// A stay "over 3 months" lasts longer than this many calendar months.
pub const LONG_MONTHS: u8 = 3;
/// Young people: the main person aged 18 to 25 when the stay began.
pub const YOUNG_AGES: std::ops::RangeInclusive<i32> = 18..=25;
/// The highest price per night the form takes, in kroner: above any hostel or hotel a
/// municipality pays, it catches a price typed in øre or with a digit too many.
pub const MAX_NIGHTLY_COST_KR: i64 = 10_000;
/// The longest quality remark, in characters: a short note, not a report.
pub const MAX_REMARKS_LEN: usize = 500;

/// Why a stay ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// Moved into a municipal dwelling.
    MunicipalDwelling,
    /// Moved into a dwelling of their own (rented privately or bought).
    OwnDwelling,
    /// Moved to another temporary place (a new stay is recorded).
    OtherTemporary,
    /// Stays with family or friends.
    FamilyOrFriends,
    /// Admitted to an institution, or to prison.
    Institution,
    /// Left without saying where.
    Unknown,
}

impl EndReason {
    pub const ALL: [EndReason; 6] = [
        EndReason::MunicipalDwelling,
        EndReason::OwnDwelling,
        EndReason::OtherTemporary,
        EndReason::FamilyOrFriends,
        EndReason::Institution,
        EndReason::Unknown,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EndReason::MunicipalDwelling => "municipal_dwelling",
            EndReason::OwnDwelling => "own_dwelling",
            EndReason::OtherTemporary => "other_temporary",
            EndReason::FamilyOrFriends => "family_or_friends",
            EndReason::Institution => "institution",
            EndReason::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<EndReason> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }
}

/// A stay to record, as typed (dates `dd.mm.åååå` or `åååå-mm-dd`; `to` and `end_reason` blank
/// while it goes on; the price per night in whole kroner, blank when not known).
#[derive(Debug, Clone, Default)]
pub struct StayInput<'a> {
    pub place: &'a str,
    pub provider: &'a str,
    pub from: &'a str,
    pub to: &'a str,
    pub end_reason: &'a str,
    pub with_children: bool,
    pub nightly_cost_kr: &'a str,
    pub quality_remarks: &'a str,
}

/// A checked stay, ready to be kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStay {
    /// The place (a hostel, a campsite, a flat).
    pub place: String,
    /// Who runs it and is paid (a hostel or hotel operator, a private landlord).
    pub provider: Option<String>,
    pub from: Date,
    /// `None` while the stay goes on.
    pub to: Option<Date>,
    pub end_reason: Option<EndReason>,
    /// Children under 18 stayed there with the household.
    pub with_children: bool,
    /// What the municipality pays per night, in øre.
    pub nightly_cost_ore: Option<i64>,
    /// The caseworker's short note on the place's standard (hygiene, safety, fit for children).
    pub quality_remarks: Option<String>,
}

/// A stay as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stay {
    pub id: String,
    pub household: crate::HouseholdId,
    /// Empty (and no provider) when the household's address is protected.
    pub place: String,
    /// Who runs the place; `None` when not recorded (stays recorded before schema 25 too).
    pub provider: Option<String>,
    pub address_protected: bool,
    pub from: Date,
    pub to: Option<Date>,
    pub end_reason: Option<EndReason>,
    pub with_children: bool,
    /// The price per night in øre; `None` when not recorded.
    pub nightly_cost_ore: Option<i64>,
    pub quality_remarks: Option<String>,
    /// The main person's birth date, for the 18–25 flag.
    pub main_person_born: Option<Date>,
    /// The main person's name, for the list of households staying today.
    pub main_person_name: Option<String>,
}

/// The nights from `from`, up to `to` exclusive (at least one night): `[from, end)`.
fn span(from: Date, to: Option<Date>) -> (Date, Option<Date>) {
    (from, to.map(|to| to.max(from + Duration::days(1))))
}

/// Whether two stays share a night.
pub fn overlaps(a: (Date, Option<Date>), b: (Date, Option<Date>)) -> bool {
    let (a_from, a_end) = span(a.0, a.1);
    let (b_from, b_end) = span(b.0, b.1);
    a_end.is_none_or(|end| b_from < end) && b_end.is_none_or(|end| a_from < end)
}

/// The first of `kept` (other than `except`) that shares a night with `from..to`.
pub fn first_overlap<'a>(kept: &'a [Stay], except: Option<&str>, from: Date, to: Option<Date>) -> Option<&'a Stay> {
    kept.iter()
        .filter(|s| Some(s.id.as_str()) != except)
        .find(|s| overlaps((s.from, s.to), (from, to)))
}

/// The overlap as a field error naming the stay it meets.
pub fn overlap_error(field: &str, other: &Stay) -> FieldError {
    FieldError::new(field, "stay.overlaps", "error.stay.overlaps")
        .arg("place", other.place.clone())
        .arg("from", crate::validation::format_date(other.from))
        .arg(
            "to",
            other
                .to
                .map(crate::validation::format_date)
                .unwrap_or_else(|| "…".into()),
        )
}

impl Stay {
    /// The nights stayed: up to `to`, or up to `today` while it goes on.
    pub fn nights(&self, today: Date) -> i64 {
        let end = self.to.unwrap_or(today).max(self.from + Duration::days(1));
        (end - self.from).whole_days()
    }

    /// Ended, after 14 nights or fewer.
    pub fn is_short(&self) -> bool {
        self.to.is_some() && self.nights(self.from) <= SHORT_DAYS
    }

    /// More than three calendar months (so far, while it goes on).
    pub fn is_long(&self, today: Date) -> bool {
        let end = self.to.unwrap_or(today);
        end > add_months(self.from, LONG_MONTHS)
    }

    /// The main person was 18 to 25 when the stay began.
    pub fn is_young(&self) -> bool {
        self.main_person_born
            .is_some_and(|born| YOUNG_AGES.contains(&crate::bostotte::age_at(born, self.from)))
    }

    /// What the stay costs: its nights (up to `today` while it goes on) at the price per night;
    /// `None` when no price is recorded.
    pub fn cost_ore(&self, today: Date) -> Option<i64> {
        self.nightly_cost_ore
            .map(|price| self.nights(today).saturating_mul(price.max(0)))
    }

    /// What the stay's nights within `year` cost (an ongoing stay counted up to `today`).
    pub fn cost_in(&self, year: i32, today: Date) -> Option<i64> {
        self.nightly_cost_ore
            .map(|price| self.nights_in(year, today).saturating_mul(price.max(0)))
    }

    /// The nights of the stay within `year`, counting an ongoing stay up to `today`.
    pub fn nights_in(&self, year: i32, today: Date) -> i64 {
        let (start, end) = year_bounds(year);
        let stay_end = self.to.unwrap_or(today).max(self.from + Duration::days(1));
        let (from, to) = (self.from.max(start), stay_end.min(end));
        (to - from).whole_days().max(0)
    }

    fn in_year(&self, year: i32, today: Date) -> bool {
        self.nights_in(year, today) > 0
    }
}

/// The day `months` calendar months after `day` (the month's last day when it is shorter).
pub fn add_months(day: Date, months: u8) -> Date {
    let total = day.month() as i32 - 1 + i32::from(months);
    let year = day.year() + total / 12;
    let month = time::Month::try_from((total % 12 + 1) as u8).unwrap_or(time::Month::December);
    let last = time::util::days_in_month(month, year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

/// `[1 January, 1 January next year)`.
fn year_bounds(year: i32) -> (Date, Date) {
    let first = |y| Date::from_calendar_date(y, time::Month::January, 1).unwrap_or(Date::MIN);
    (first(year), first(year + 1))
}

/// Checks a stay to record; every problem at once, each named by its field. The stay cannot
/// begin after `today`; an end needs its reason and cannot be before the start; a price per
/// night, when given, is whole kroner above 0 and at most [`MAX_NIGHTLY_COST_KR`].
pub fn check_stay(input: &StayInput<'_>, today: Date) -> Result<NewStay, Vec<FieldError>> {
    let mut errors = Errors::default();
    let place = errors.required_text("place", input.place);
    let provider = errors.optional_text("provider", input.provider);
    let from = if input.from.trim().is_empty() {
        errors.push(FieldError::required("from"));
        None
    } else {
        errors.optional_date("from", input.from)
    };
    if from.is_some_and(|f| f > today) {
        errors.push(FieldError::new("from", "from.future", "error.stay.from_future"));
    }
    let (to, end_reason) = check_end_fields(
        &mut errors,
        from,
        input.to,
        input.end_reason,
        !input.to.trim().is_empty(),
    );
    let nightly_cost_ore = check_nightly_cost(&mut errors, input.nightly_cost_kr);
    let remarks = input.quality_remarks.trim();
    let quality_remarks = if remarks.chars().count() > MAX_REMARKS_LEN {
        errors.push(FieldError::too_long("quality_remarks", MAX_REMARKS_LEN));
        None
    } else {
        (!remarks.is_empty()).then(|| remarks.to_string())
    };
    errors.into_result(()).map(|()| NewStay {
        place: place.unwrap_or_default(),
        provider,
        from: from.unwrap_or(today),
        to,
        end_reason,
        with_children: input.with_children,
        nightly_cost_ore,
        quality_remarks,
    })
}

/// The price per night typed in whole kroner, in øre: blank is "not known"; otherwise above 0
/// and at most [`MAX_NIGHTLY_COST_KR`] (a larger figure is most likely øre typed as kroner).
fn check_nightly_cost(errors: &mut Errors, text: &str) -> Option<i64> {
    const FIELD: &str = "nightly_cost_kr";
    if text.trim().is_empty() {
        return None;
    }
    match crate::validation::parse_kr(text) {
        None => {
            errors.push(FieldError::new(FIELD, "not_an_amount", "error.not_an_amount"));
            None
        }
        Some(kr) if kr <= 0 => {
            errors.push(FieldError::new(
                FIELD,
                "stay.nightly_cost_not_positive",
                "error.stay.nightly_cost_not_positive",
            ));
            None
        }
        Some(kr) if kr > MAX_NIGHTLY_COST_KR => {
            errors.push(
                FieldError::new(FIELD, "stay.nightly_cost_too_high", "error.stay.nightly_cost_too_high")
                    .arg("max", crate::validation::format_kr(MAX_NIGHTLY_COST_KR)),
            );
            None
        }
        Some(kr) => Some(kr * 100),
    }
}

/// Checks the end of an ongoing stay: the last day (required, not before the first) and why.
pub fn check_end(stay: &Stay, to: &str, end_reason: &str) -> Result<(Date, EndReason), Vec<FieldError>> {
    let mut errors = Errors::default();
    if stay.to.is_some() {
        errors.push(FieldError::new("to", "stay.already_ended", "error.stay.already_ended"));
    }
    if to.trim().is_empty() {
        errors.push(FieldError::required("to"));
    }
    let (to, reason) = check_end_fields(&mut errors, Some(stay.from), to, end_reason, true);
    match (errors.into_result(()), to, reason) {
        (Ok(()), Some(to), Some(reason)) => Ok((to, reason)),
        (Err(errors), _, _) => Err(errors),
        _ => Err(vec![FieldError::required("to")]),
    }
}

/// The last day and the reason, when `ending`: the reason required, the day not before `from`.
fn check_end_fields(
    errors: &mut Errors,
    from: Option<Date>,
    to: &str,
    end_reason: &str,
    ending: bool,
) -> (Option<Date>, Option<EndReason>) {
    let day = errors.optional_date("to", to);
    if let (Some(from), Some(day)) = (from, day)
        && day < from
    {
        errors.push(FieldError::new("to", "to.before_from", "error.stay.to_before_from"));
    }
    let code = end_reason.trim();
    let reason = match EndReason::from_code(code) {
        Some(reason) => Some(reason),
        None if code.is_empty() => {
            if ending {
                errors.push(FieldError::required("end_reason"));
            }
            None
        }
        None => {
            let allowed = EndReason::ALL.map(EndReason::code);
            errors.push(FieldError::unknown_value("end_reason", code, &allowed));
            None
        }
    };
    if !ending && reason.is_some() {
        errors.push(FieldError::new(
            "to",
            "to.required_with_reason",
            "error.stay.to_required_with_reason",
        ));
    }
    (day, reason)
}

/// The year's figures for KOSTRA skjema 13: households (each counted once) and stays.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct StayFigures {
    pub year: i32,
    /// Households that stayed in temporary accommodation during the year.
    pub households: i64,
    pub stays: i64,
    /// Households with 14 nights or fewer in all during the year (`KOSandmidlbo14d0000`).
    pub households_14_days_or_fewer: i64,
    /// Stays that ended after 14 nights or fewer.
    pub stays_14_days_or_fewer: i64,
    /// Households with a stay of more than 3 months.
    pub households_over_3_months: i64,
    pub stays_over_3_months: i64,
    /// Households with children under 18 in a stay (`KOSandbarn3m0000`'s denominator).
    pub households_with_children: i64,
    pub stays_with_children: i64,
    /// Households with children in a stay of more than 3 months (its numerator).
    pub households_with_children_over_3_months: i64,
    /// Households whose main person was 18–25 when a stay began.
    pub households_aged_18_to_25: i64,
    pub stays_aged_18_to_25: i64,
    /// Stays going on `today`.
    pub ongoing: i64,
    /// What the year's nights cost the municipality, in øre (ongoing stays up to `today`), over
    /// the stays with a price per night recorded.
    pub cost_ore: i64,
    /// The year's stays without a price per night: the cost leaves them out.
    pub stays_without_cost: i64,
}

/// The figures of `year` over the municipality's stays, with ongoing stays counted up to `today`.
pub fn figures(year: i32, today: Date, stays: &[Stay]) -> StayFigures {
    let mut f = StayFigures {
        year,
        ..Default::default()
    };
    #[derive(Default)]
    struct Household {
        nights: i64,
        long: bool,
        children: bool,
        children_long: bool,
        young: bool,
    }
    let mut households: BTreeMap<crate::HouseholdId, Household> = BTreeMap::new();
    for stay in stays.iter().filter(|s| s.in_year(year, today)) {
        let (long, short, young) = (stay.is_long(today), stay.is_short(), stay.is_young());
        f.stays += 1;
        f.stays_14_days_or_fewer += i64::from(short);
        f.stays_over_3_months += i64::from(long);
        f.stays_with_children += i64::from(stay.with_children);
        f.stays_aged_18_to_25 += i64::from(young);
        f.ongoing += i64::from(stay.to.is_none());
        match stay.cost_in(year, today) {
            Some(cost) => f.cost_ore = f.cost_ore.saturating_add(cost),
            None => f.stays_without_cost += 1,
        }
        let h = households.entry(stay.household).or_default();
        h.nights += stay.nights_in(year, today);
        h.long |= long;
        h.children |= stay.with_children;
        h.children_long |= stay.with_children && long;
        h.young |= young;
    }
    for h in households.values() {
        f.households += 1;
        f.households_14_days_or_fewer += i64::from(h.nights <= SHORT_DAYS);
        f.households_over_3_months += i64::from(h.long);
        f.households_with_children += i64::from(h.children);
        f.households_with_children_over_3_months += i64::from(h.children_long);
        f.households_aged_18_to_25 += i64::from(h.young);
    }
    f
}

#[cfg(test)]
mod tests;
