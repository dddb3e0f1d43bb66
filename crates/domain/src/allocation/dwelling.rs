//! The dwelling register: what a municipally controlled dwelling is, how it is checked, and the
//! states it moves through.
//!
//! Field names follow Husbanken's Kobo dwelling API where that helps a property-management system
//! keep both in sync (domain brief § 5.1): `fdvuBoligId` is our `external_id`, `boligtype` our
//! [`DwellingType`], `disposisjonsform` our [`OwnershipForm`], `antallSoverom` bedrooms,
//! `bruksareal` area, `etasjenummer` floor, `bruksenhetsnummer` unit number,
//! `erTilgjengeligForRullestolbruker` wheelchair accessible, `leiekostnad` monthly rent.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use crate::postal::{PostalRegister, check_postal_address};
use crate::validation::{Errors, FieldError, parse_kr};

coded! {
    /// What kind of dwelling it is; decides who it may be offered to.
    DwellingType {
        OrdinaryRental => "ordinary_rental",
        CareDwelling => "care_dwelling",
        YouthDwelling => "youth_dwelling",
        SharedHousingUnit => "shared_housing_unit",
        Temporary => "temporary",
        Emergency => "emergency",
    }
}

coded! {
    /// How the municipality controls the dwelling (Kobo's *disposisjonsform*).
    OwnershipForm {
        Municipal => "municipal",
        LeasedIn => "leased_in",
        PrivateWithAllocationRight => "private_with_allocation_right",
    }
}

coded! {
    /// Where a dwelling stands today. `Let` follows from a tenancy; the others are set by the
    /// housing manager (or a property-management system) with a date and, when it takes the
    /// dwelling out of use, a reason.
    DwellingStatus {
        Vacant => "vacant",
        Let => "let",
        UnderRepair => "under_repair",
        Reserved => "reserved",
        Decommissioned => "decommissioned",
    }
}

impl DwellingType {
    pub fn key(self) -> String {
        format!("dwelling.type.{}", self.code())
    }

    /// The code, or the Norwegian name a register export is likely to use.
    pub fn from_text(text: &str) -> Option<DwellingType> {
        use DwellingType::*;
        DwellingType::from_code(text).or(match text {
            "ordinær" | "ordinær utleiebolig" | "utleiebolig" => Some(OrdinaryRental),
            "omsorgsbolig" => Some(CareDwelling),
            "ungdomsbolig" => Some(YouthDwelling),
            "bofellesskap" | "bofellesskapsenhet" => Some(SharedHousingUnit),
            "midlertidig" | "midlertidig bolig" | "gjennomgangsbolig" => Some(Temporary),
            "akuttbolig" | "nødbolig" => Some(Emergency),
            _ => None,
        })
    }
}

impl OwnershipForm {
    pub fn key(self) -> String {
        format!("dwelling.ownership.{}", self.code())
    }

    /// The code, or the Norwegian name a register export is likely to use.
    pub fn from_text(text: &str) -> Option<OwnershipForm> {
        use OwnershipForm::*;
        OwnershipForm::from_code(text).or(match text {
            "kommunal" | "kommunalt eid" | "eid" => Some(Municipal),
            "innleid" => Some(LeasedIn),
            "tildelingsrett" | "privat med tildelingsrett" => Some(PrivateWithAllocationRight),
            _ => None,
        })
    }
}

impl DwellingStatus {
    pub fn key(self) -> String {
        format!("dwelling.status.{}", self.code())
    }

    /// Statuses a housing manager may set by hand from this one. `Let` comes only from a
    /// tenancy, and a let dwelling is freed by ending the tenancy, not by overwriting its status.
    pub fn manual_moves(self) -> &'static [DwellingStatus] {
        use DwellingStatus::*;
        match self {
            Vacant => &[UnderRepair, Reserved, Decommissioned],
            UnderRepair => &[Vacant, Reserved, Decommissioned],
            Reserved => &[Vacant, UnderRepair, Decommissioned],
            Decommissioned => &[Vacant, UnderRepair],
            Let => &[],
        }
    }

    /// A move that takes the dwelling out of use asks for confirmation and a reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, DwellingStatus::Decommissioned | DwellingStatus::UnderRepair)
    }

    /// Whether the dwelling can be offered in an allocation round.
    pub fn can_be_offered(self) -> bool {
        self == DwellingStatus::Vacant
    }
}

/// Most bedrooms a dwelling in the register may have.
pub const MAX_BEDROOMS: i64 = 10;
/// Largest area in square metres (a large care home unit is far below this).
pub const MAX_AREA_M2: i64 = 1_000;
/// Highest monthly rent in kroner that is believable for a municipal dwelling.
pub const MAX_MONTHLY_RENT_KR: i64 = 100_000;
pub const FLOOR_RANGE: std::ops::RangeInclusive<i64> = -5..=60;

/// A dwelling as typed in the register form, a CSV row or an API call: text, checked by
/// [`validate_dwelling`]. Yes/no fields take `ja`/`nei`, `yes`/`no`, `true`/`false` or `1`/`0`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DwellingInput {
    /// The property-management system's own id (Kobo `fdvuBoligId`); unique in the municipality.
    pub external_id: String,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    /// District or area, as the municipality names them (matched against the household's wishes).
    pub district: String,
    /// Matrikkel: gårdsnummer, bruksnummer, festenummer, seksjonsnummer.
    pub gnr: String,
    pub bnr: String,
    pub fnr: String,
    pub snr: String,
    /// Bruksenhetsnummer, e.g. `H0101`.
    pub unit_number: String,
    pub dwelling_type: String,
    pub ownership: String,
    pub bedrooms: String,
    pub area_m2: String,
    pub floor: String,
    pub lift: String,
    pub wheelchair_accessible: String,
    pub adapted: String,
    pub pets_allowed: String,
    /// Whole kroner per month.
    pub monthly_rent_kr: String,
}

/// Matrikkel identifiers of the property the dwelling is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Matrikkel {
    pub gnr: Option<i64>,
    pub bnr: Option<i64>,
    pub fnr: Option<i64>,
    pub snr: Option<i64>,
}

/// A dwelling that passed [`validate_dwelling`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidDwelling {
    pub external_id: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub district: Option<String>,
    pub matrikkel: Matrikkel,
    pub unit_number: Option<String>,
    pub dwelling_type: DwellingType,
    pub ownership: OwnershipForm,
    pub bedrooms: i64,
    pub area_m2: Option<i64>,
    pub floor: Option<i64>,
    pub lift: bool,
    pub wheelchair_accessible: bool,
    pub adapted: bool,
    pub pets_allowed: bool,
    pub monthly_rent_ore: i64,
}

impl ValidDwelling {
    /// Back to the text form, as the edit form shows it.
    pub fn to_input(&self) -> DwellingInput {
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let yes_no = |b: bool| if b { "ja" } else { "nei" }.to_string();
        DwellingInput {
            external_id: self.external_id.clone().unwrap_or_default(),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            postal_city: self.postal_city.clone(),
            district: self.district.clone().unwrap_or_default(),
            gnr: number(self.matrikkel.gnr),
            bnr: number(self.matrikkel.bnr),
            fnr: number(self.matrikkel.fnr),
            snr: number(self.matrikkel.snr),
            unit_number: self.unit_number.clone().unwrap_or_default(),
            dwelling_type: self.dwelling_type.code().to_string(),
            ownership: self.ownership.code().to_string(),
            bedrooms: self.bedrooms.to_string(),
            area_m2: number(self.area_m2),
            floor: number(self.floor),
            lift: yes_no(self.lift),
            wheelchair_accessible: yes_no(self.wheelchair_accessible),
            adapted: yes_no(self.adapted),
            pets_allowed: yes_no(self.pets_allowed),
            monthly_rent_kr: (self.monthly_rent_ore / 100).to_string(),
        }
    }
}

/// Reads yes/no as people and systems write it. `None` when it is neither.
pub fn parse_yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "nei" | "no" | "false" | "0" | "n" => Some(false),
        "ja" | "yes" | "true" | "1" | "j" | "y" | "on" => Some(true),
        _ => None,
    }
}

/// Whether text is a bruksenhetsnummer: H, U, K or L and four digits (H0101: first floor, flat 1).
pub fn is_unit_number(text: &str) -> bool {
    let mut chars = text.chars();
    matches!(chars.next(), Some('H' | 'U' | 'K' | 'L'))
        && chars.clone().count() == 4
        && chars.all(|c| c.is_ascii_digit())
}

fn code_field<T: Copy>(
    errors: &mut Errors,
    field: &str,
    text: &str,
    from_code: fn(&str) -> Option<T>,
    codes: Vec<&'static str>,
) -> Option<T> {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::required(field));
        return None;
    }
    let found = from_code(&text.to_lowercase());
    if found.is_none() {
        errors.push(FieldError::unknown_value(field, text, &codes));
    }
    found
}

fn whole_number(errors: &mut Errors, field: &str, text: &str, range: std::ops::RangeInclusive<i64>) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.parse::<i64>() {
        Ok(n) if range.contains(&n) => Some(n),
        Ok(_) => {
            errors.push(
                FieldError::new(field, "out_of_range", "error.out_of_range")
                    .arg("min", range.start())
                    .arg("max", range.end()),
            );
            None
        }
        Err(_) => {
            errors.push(FieldError::new(field, "not_a_whole_number", "error.not_a_whole_number"));
            None
        }
    }
}

fn yes_no(errors: &mut Errors, field: &str, text: &str) -> bool {
    parse_yes_no(text).unwrap_or_else(|| {
        errors.push(FieldError::new(field, "not_yes_or_no", "error.not_yes_or_no"));
        false
    })
}

/// Checks a dwelling and reports every problem at once, each error under `prefix` + the field
/// name (`""` for a form, `"rows[4]."` for an import row). The postal code is checked against
/// Posten's register, and a blank place is filled in from it.
pub fn validate_dwelling(
    input: &DwellingInput,
    postal: &PostalRegister,
    prefix: &str,
) -> Result<ValidDwelling, Vec<FieldError>> {
    let mut errors = Errors::default();
    let field = |name: &str| format!("{prefix}{name}");
    let external_id = errors.optional_text(&field("external_id"), &input.external_id);
    let address_line = errors.required_text(&field("address_line"), &input.address_line);
    let mut postal_errors = Errors::default();
    let (postal_code, postal_city) =
        check_postal_address(postal, &input.postal_code, &input.postal_city, &mut postal_errors);
    for mut error in postal_errors.0 {
        error.field = field(&error.field);
        errors.push(error);
    }
    let district = errors.optional_text(&field("district"), &input.district);
    let matrikkel = Matrikkel {
        gnr: whole_number(&mut errors, &field("gnr"), &input.gnr, 1..=99_999),
        bnr: whole_number(&mut errors, &field("bnr"), &input.bnr, 1..=99_999),
        fnr: whole_number(&mut errors, &field("fnr"), &input.fnr, 0..=9_999),
        snr: whole_number(&mut errors, &field("snr"), &input.snr, 0..=9_999),
    };
    let unit_number = input.unit_number.trim().to_uppercase();
    let unit_number = if unit_number.is_empty() {
        None
    } else if is_unit_number(&unit_number) {
        Some(unit_number)
    } else {
        errors.push(FieldError::new(
            field("unit_number"),
            "unit_number",
            "error.unit_number",
        ));
        None
    };
    let dwelling_type = code_field(
        &mut errors,
        &field("dwelling_type"),
        &input.dwelling_type,
        DwellingType::from_text,
        DwellingType::codes(),
    );
    let ownership = code_field(
        &mut errors,
        &field("ownership"),
        &input.ownership,
        OwnershipForm::from_text,
        OwnershipForm::codes(),
    );
    let bedrooms = if input.bedrooms.trim().is_empty() {
        errors.push(FieldError::required(field("bedrooms")));
        None
    } else {
        whole_number(&mut errors, &field("bedrooms"), &input.bedrooms, 0..=MAX_BEDROOMS)
    };
    let area_m2 = whole_number(&mut errors, &field("area_m2"), &input.area_m2, 1..=MAX_AREA_M2);
    let floor = whole_number(&mut errors, &field("floor"), &input.floor, FLOOR_RANGE);
    let lift = yes_no(&mut errors, &field("lift"), &input.lift);
    let wheelchair_accessible = yes_no(
        &mut errors,
        &field("wheelchair_accessible"),
        &input.wheelchair_accessible,
    );
    let adapted = yes_no(&mut errors, &field("adapted"), &input.adapted);
    let pets_allowed = yes_no(&mut errors, &field("pets_allowed"), &input.pets_allowed);
    let rent_field = field("monthly_rent_kr");
    let monthly_rent_kr = if input.monthly_rent_kr.trim().is_empty() {
        errors.push(FieldError::required(&rent_field));
        None
    } else {
        match parse_kr(&input.monthly_rent_kr) {
            Some(kr) if (0..=MAX_MONTHLY_RENT_KR).contains(&kr) => Some(kr),
            Some(_) => {
                errors.push(
                    FieldError::new(&rent_field, "out_of_range", "error.out_of_range")
                        .arg("min", 0)
                        .arg("max", MAX_MONTHLY_RENT_KR),
                );
                None
            }
            None => {
                errors.push(FieldError::new(&rent_field, "not_an_amount", "error.not_an_amount"));
                None
            }
        }
    };
    match (
        address_line,
        postal_code,
        postal_city,
        dwelling_type,
        ownership,
        bedrooms,
        monthly_rent_kr,
    ) {
        (
            Some(address_line),
            Some(postal_code),
            Some(postal_city),
            Some(dwelling_type),
            Some(ownership),
            Some(bedrooms),
            Some(rent),
        ) if errors.is_empty() => Ok(ValidDwelling {
            external_id,
            address_line,
            postal_code,
            postal_city,
            district,
            matrikkel,
            unit_number,
            dwelling_type,
            ownership,
            bedrooms,
            area_m2,
            floor,
            lift,
            wheelchair_accessible,
            adapted,
            pets_allowed,
            monthly_rent_ore: rent * 100,
        }),
        _ => Err(errors.0),
    }
}

/// A status change as asked for: the new status, from which day, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub status: DwellingStatus,
    pub from: Date,
    pub reason: Option<String>,
}

/// Why a status change is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusRefusal {
    /// The move is not one a housing manager can make from the current status.
    NotAllowed { from: DwellingStatus, to: DwellingStatus },
    /// Taking the dwelling out of use needs a reason.
    ReasonRequired,
    /// A status cannot start before the current one did.
    BeforeCurrent,
}

impl StatusRefusal {
    pub fn field_error(self) -> FieldError {
        match self {
            StatusRefusal::NotAllowed { from, to } => {
                FieldError::new("status", "status_not_allowed", "error.dwelling_status_not_allowed")
                    .arg_key("from", from.key())
                    .arg_key("to", to.key())
            }
            StatusRefusal::ReasonRequired => FieldError::required("reason"),
            StatusRefusal::BeforeCurrent => {
                FieldError::new("from", "before_current_status", "error.dwelling_status_before_current")
            }
        }
    }
}

/// Checks a manual status change against the dwelling's current status and its start.
pub fn check_status_change(
    current: DwellingStatus,
    current_from: Date,
    change: &StatusChange,
) -> Result<(), StatusRefusal> {
    if !current.manual_moves().contains(&change.status) {
        return Err(StatusRefusal::NotAllowed {
            from: current,
            to: change.status,
        });
    }
    if change.status.needs_reason() && change.reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
        return Err(StatusRefusal::ReasonRequired);
    }
    if change.from < current_from {
        return Err(StatusRefusal::BeforeCurrent);
    }
    Ok(())
}

#[cfg(test)]
mod tests;
