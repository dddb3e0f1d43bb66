//! The dwelling register in the API: dwellings with their facts, status and history, and the
//! bodies a housing manager's client or a property-management system sends.
//!
//! A request's facts are JSON numbers and booleans; they are turned into the domain's text form
//! ([`DwellingInput`]) so the API, the form and the import share one validation. Amounts are
//! whole kroner in a request (`monthly_rent_kr`) and øre in an answer (`monthly_rent_ore`), as
//! the startlån calculator has them.

use husly_domain::allocation::dwelling::{DwellingInput, DwellingStatus, DwellingType, OwnershipForm};
use husly_store::dwellings::{self as store, Upserted};
use husly_usecases::dwellings::{DwellingView, Register};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use time::Date;

use super::{DateSchema, MicrosSchema};

/// A dwelling in the register, with its status and the version a change must name.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Dwelling {
    pub id: String,
    /// The property-management system's own id (Kobo `fdvuBoligId`), unique in the municipality.
    pub external_id: Option<String>,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub district: Option<String>,
    /// Matrikkel: gårdsnummer, bruksnummer, festenummer, seksjonsnummer.
    pub gnr: Option<i64>,
    pub bnr: Option<i64>,
    pub fnr: Option<i64>,
    pub snr: Option<i64>,
    /// Bruksenhetsnummer, e.g. `H0101`.
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
    /// Monthly rent in øre.
    pub monthly_rent_ore: i64,
    pub status: DwellingStatus,
    /// The day the status applies from.
    #[schemars(with = "DateSchema")]
    pub status_from: Date,
    /// Send it back with a change; a change at an older version is refused with 409.
    pub version: i64,
    #[schemars(with = "MicrosSchema")]
    pub updated_at: i64,
    /// Removed from the register (soft delete); `restore` or a property-management sync puts it back.
    pub deleted: bool,
}

impl From<&store::Dwelling> for Dwelling {
    fn from(d: &store::Dwelling) -> Dwelling {
        let facts = &d.details;
        Dwelling {
            id: d.id.clone(),
            external_id: facts.external_id.clone(),
            address_line: facts.address_line.clone(),
            postal_code: facts.postal_code.clone(),
            postal_city: facts.postal_city.clone(),
            district: facts.district.clone(),
            gnr: facts.matrikkel.gnr,
            bnr: facts.matrikkel.bnr,
            fnr: facts.matrikkel.fnr,
            snr: facts.matrikkel.snr,
            unit_number: facts.unit_number.clone(),
            dwelling_type: facts.dwelling_type,
            ownership: facts.ownership,
            bedrooms: facts.bedrooms,
            area_m2: facts.area_m2,
            floor: facts.floor,
            lift: facts.lift,
            wheelchair_accessible: facts.wheelchair_accessible,
            adapted: facts.adapted,
            pets_allowed: facts.pets_allowed,
            monthly_rent_ore: facts.monthly_rent_ore,
            status: d.status,
            status_from: d.status_from,
            version: d.version,
            updated_at: d.updated_at,
            deleted: d.deleted,
        }
    }
}

/// How many of the municipality's dwellings (not removed) have a status.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StatusCount {
    pub status: DwellingStatus,
    pub count: i64,
}

/// A page of the register in address order, how many match in all, and the whole register's
/// count per status.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DwellingList {
    pub dwellings: Vec<Dwelling>,
    /// Dwellings matching the filter, on every page.
    pub total: i64,
    pub offset: i64,
    pub limit: i64,
    pub counts: Vec<StatusCount>,
}

impl DwellingList {
    pub fn of(register: &Register, offset: i64, limit: i64) -> DwellingList {
        DwellingList {
            dwellings: register.page.dwellings.iter().map(Dwelling::from).collect(),
            total: register.page.total,
            offset,
            limit,
            counts: register
                .counts
                .iter()
                .map(|&(status, count)| StatusCount { status, count })
                .collect(),
        }
    }
}

/// One change in a dwelling's history.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DwellingEvent {
    /// created, updated, status, deleted, restored or imported.
    #[schemars(extend("enum" = ["created", "updated", "status", "deleted", "restored", "imported"]))]
    pub kind: String,
    #[schemars(with = "MicrosSchema")]
    pub occurred_at: i64,
    /// Who made the change.
    pub by: String,
    /// The status set, for a status change.
    pub status: Option<DwellingStatus>,
    /// The day the status applies from, for a status change.
    #[schemars(with = "Option<DateSchema>")]
    pub from: Option<Date>,
    pub reason: Option<String>,
    /// What the change recorded: a new dwelling's facts; for an update `changed`, each changed
    /// field as `{"before": …, "after": …}`; for a status change the status before it.
    pub details: serde_json::Value,
}

/// A dwelling with its history, the newest change first.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DwellingDetail {
    pub dwelling: Dwelling,
    pub history: Vec<DwellingEvent>,
}

impl From<&DwellingView> for DwellingDetail {
    fn from(view: &DwellingView) -> DwellingDetail {
        DwellingDetail {
            dwelling: Dwelling::from(&view.dwelling),
            history: view
                .events
                .iter()
                .map(|e| DwellingEvent {
                    kind: e.kind.clone(),
                    occurred_at: e.occurred_at,
                    by: e.actor_name.clone(),
                    status: e.status,
                    from: e.from_date,
                    reason: e.reason.clone(),
                    details: e.details.clone(),
                })
                .collect(),
        }
    }
}

/// What a property-management system's sync did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SyncOutcome {
    /// A new dwelling (answered with 201).
    Created,
    /// Its facts changed.
    Updated,
    /// Already as sent: nothing was written and no history entry was added.
    Unchanged,
    /// It had been removed; it is back in the register with the facts sent.
    Restored,
}

impl From<Upserted> for SyncOutcome {
    fn from(outcome: Upserted) -> SyncOutcome {
        match outcome {
            Upserted::Created => SyncOutcome::Created,
            Upserted::Updated => SyncOutcome::Updated,
            Upserted::Unchanged => SyncOutcome::Unchanged,
            Upserted::Restored => SyncOutcome::Restored,
        }
    }
}

/// The answer to a sync: what it did and the dwelling as it now stands.
#[derive(Debug, Serialize, JsonSchema)]
pub struct SyncedDwelling {
    pub outcome: SyncOutcome,
    pub dwelling: Dwelling,
}

/// A dwelling's facts as a machine sends them. Checked as the register form is (the same rules,
/// every problem at once, each naming its field).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DwellingRecord {
    /// The property-management system's own id; unique in the municipality. In
    /// `PUT /dwellings/by-external-id/{external_id}` the path gives it (a different one here is refused).
    #[serde(default)]
    #[schemars(length(max = 100))]
    pub external_id: Option<String>,
    #[schemars(length(min = 1, max = 200))]
    pub address_line: String,
    /// Four digits, checked against Posten's register.
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub postal_code: String,
    /// Filled in from the postal code when left out.
    #[serde(default)]
    pub postal_city: Option<String>,
    /// District or area, as the municipality names them.
    #[serde(default)]
    pub district: Option<String>,
    /// Gårdsnummer (1–99999).
    #[serde(default)]
    pub gnr: Option<i64>,
    /// Bruksnummer (1–99999).
    #[serde(default)]
    pub bnr: Option<i64>,
    /// Festenummer (0–9999).
    #[serde(default)]
    pub fnr: Option<i64>,
    /// Seksjonsnummer (0–9999).
    #[serde(default)]
    pub snr: Option<i64>,
    /// Bruksenhetsnummer: H, U, K or L and four digits, e.g. `H0101`.
    #[serde(default)]
    pub unit_number: Option<String>,
    #[schemars(with = "DwellingType")]
    pub dwelling_type: String,
    #[schemars(with = "OwnershipForm")]
    pub ownership: String,
    /// 0–10.
    pub bedrooms: i64,
    /// Usable area (bruksareal) in whole square metres, 1–1000.
    #[serde(default)]
    pub area_m2: Option<i64>,
    /// Floor number, -5 to 60.
    #[serde(default)]
    pub floor: Option<i64>,
    #[serde(default)]
    pub lift: bool,
    #[serde(default)]
    pub wheelchair_accessible: bool,
    #[serde(default)]
    pub adapted: bool,
    #[serde(default)]
    pub pets_allowed: bool,
    /// Monthly rent in whole kroner (0–100000); answers give it in øre as `monthly_rent_ore`.
    pub monthly_rent_kr: i64,
}

impl DwellingRecord {
    /// The record as the domain reads a form: numbers as text, booleans as `ja`/`nei`.
    pub fn to_input(&self) -> DwellingInput {
        let text = |t: &Option<String>| t.clone().unwrap_or_default();
        let number = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let yes_no = |b: bool| if b { "ja" } else { "nei" }.to_string();
        DwellingInput {
            external_id: text(&self.external_id),
            address_line: self.address_line.clone(),
            postal_code: self.postal_code.clone(),
            postal_city: text(&self.postal_city),
            district: text(&self.district),
            gnr: number(self.gnr),
            bnr: number(self.bnr),
            fnr: number(self.fnr),
            snr: number(self.snr),
            unit_number: text(&self.unit_number),
            dwelling_type: self.dwelling_type.clone(),
            ownership: self.ownership.clone(),
            bedrooms: self.bedrooms.to_string(),
            area_m2: number(self.area_m2),
            floor: number(self.floor),
            lift: yes_no(self.lift),
            wheelchair_accessible: yes_no(self.wheelchair_accessible),
            adapted: yes_no(self.adapted),
            pets_allowed: yes_no(self.pets_allowed),
            monthly_rent_kr: self.monthly_rent_kr.to_string(),
        }
    }
}

/// A dwelling to register, with its first status.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewDwelling {
    pub dwelling: DwellingRecord,
    /// vacant (the default), under_repair or reserved; `let` comes only from a tenancy.
    #[serde(default)]
    #[schemars(extend("enum" = ["vacant", "under_repair", "reserved"]))]
    pub status: Option<String>,
    /// yyyy-mm-dd; today when left out.
    #[serde(default)]
    #[schemars(example = "2026-12-01")]
    pub status_from: Option<String>,
}

/// New facts for a dwelling, at the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DwellingChange {
    /// The version the client read; 409 if the dwelling changed since.
    pub version: i64,
    pub dwelling: DwellingRecord,
}

/// A status change, at the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    pub version: i64,
    #[schemars(with = "DwellingStatus")]
    pub status: String,
    /// yyyy-mm-dd, not before the current status began; today when left out.
    #[serde(default)]
    #[schemars(example = "2026-12-01")]
    pub from: Option<String>,
    /// Why; required for under_repair and decommissioned.
    #[serde(default)]
    #[schemars(length(max = 1000))]
    pub reason: Option<String>,
}

/// Removing a dwelling from the register, at the version read, with the reason.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteRequest {
    pub version: i64,
    #[schemars(length(min = 1, max = 1000))]
    pub reason: String,
}

/// Putting a removed dwelling back, at the version read.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RestoreRequest {
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use husly_domain::allocation::dwelling::validate_dwelling;
    use husly_domain::postal::PostalRegister;

    fn record() -> DwellingRecord {
        serde_json::from_value(serde_json::json!({
            "external_id": "PMS-1", "address_line": "Bragernes torg 1", "postal_code": "3015",
            "dwelling_type": "ordinary_rental", "ownership": "municipal", "bedrooms": 2,
            "area_m2": 54, "floor": 3, "lift": true, "monthly_rent_kr": 9500
        }))
        .expect("a record")
    }

    #[test]
    fn a_record_is_checked_by_the_domain_and_means_what_it_says() {
        let valid = validate_dwelling(&record().to_input(), PostalRegister::embedded(), "").expect("valid");
        assert_eq!(valid.bedrooms, 2);
        assert_eq!(valid.monthly_rent_ore, 950_000);
        assert!(valid.lift);
        assert!(!valid.pets_allowed);
        assert_eq!(valid.floor, Some(3));
        assert_eq!(valid.external_id.as_deref(), Some("PMS-1"));
        // The domain's own text form of it reads the same numbers back.
        let again = valid.to_input();
        assert_eq!((again.bedrooms.as_str(), again.monthly_rent_kr.as_str()), ("2", "9500"));
        assert_eq!((again.area_m2.as_str(), again.floor.as_str()), ("54", "3"));
    }

    #[test]
    fn a_negative_rent_or_an_unknown_type_is_refused_on_its_field() {
        let mut bad = record();
        bad.monthly_rent_kr = -1;
        bad.dwelling_type = "castle".into();
        bad.bedrooms = 11;
        let errors = validate_dwelling(&bad.to_input(), PostalRegister::embedded(), "").expect_err("refused");
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields.len(), 3, "{fields:?}");
        for field in ["monthly_rent_kr", "dwelling_type", "bedrooms"] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }

    #[test]
    fn unknown_fields_and_text_numbers_are_refused() {
        let mut json = serde_json::json!({
            "address_line": "x", "postal_code": "3015", "dwelling_type": "temporary",
            "ownership": "municipal", "bedrooms": 1, "monthly_rent_kr": 1
        });
        assert!(serde_json::from_value::<DwellingRecord>(json.clone()).is_ok());
        json["bedrooms"] = "two".into();
        assert!(serde_json::from_value::<DwellingRecord>(json.clone()).is_err());
        json["bedrooms"] = 2.into();
        json["rooms"] = 3.into();
        assert!(serde_json::from_value::<DwellingRecord>(json).is_err());
    }
}
