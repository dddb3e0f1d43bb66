//! Protected addresses: a household's address blocks, recording and lifting one, and opening a
//! protected address with a stated purpose.

use super::MicrosSchema;
use husly_domain::protection::{AddressProtection, RevealPurpose};
use husly_domain::{HouseholdId, PersonId};
use husly_store::protection::{PersonProtection, StoredAddress};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where letters go while a member has strengt fortrolig adresse.
#[derive(Debug, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactRoute {
    pub address_line: String,
    /// Four digits, a Norwegian postal code.
    pub postal_code: String,
    /// Filled from the postal code when left out.
    #[serde(default)]
    pub postal_city: String,
}

/// A member's address block.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Block {
    pub person_id: PersonId,
    pub level: AddressProtection,
    /// Present for strengt fortrolig: where letters go.
    pub contact_route: Option<ContactRoute>,
    /// The basis, in the worker's words.
    pub reason: String,
    pub recorded_by: String,
    #[schemars(with = "MicrosSchema")]
    pub recorded_at: i64,
}

impl Block {
    pub fn of(b: &PersonProtection) -> Block {
        Block {
            person_id: b.person,
            level: b.level,
            contact_route: b.contact_route.as_ref().map(|r| ContactRoute {
                address_line: r.address_line.clone(),
                postal_code: r.postal_code.clone(),
                postal_city: r.postal_city.clone(),
            }),
            reason: b.reason.clone(),
            recorded_by: b.recorded_by.clone(),
            recorded_at: b.recorded_at,
        }
    }
}

/// A household's address blocks; `level` is the strictest, which decides that its address is
/// masked everywhere.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ProtectionList {
    pub household_id: HouseholdId,
    pub level: Option<AddressProtection>,
    pub blocks: Vec<Block>,
}

/// A block to record (or change) for a member.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProtectionRequest {
    /// The household member it concerns.
    pub person_id: String,
    pub level: AddressProtection,
    /// The basis (e.g. a notice from the Folkeregister); at most 500 characters. Not the address.
    pub reason: String,
    /// Required for strengt fortrolig; ignored otherwise.
    #[serde(default)]
    pub contact_route: Option<ContactRoute>,
}

/// Why a block is lifted.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LiftRequest {
    /// At most 500 characters.
    pub reason: String,
}

/// Why the caller opens the address; kept in the audit log.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RevealRequest {
    pub purpose: RevealPurpose,
}

/// A protected address, opened for the purpose stated (and audited).
#[derive(Debug, Serialize, JsonSchema)]
pub struct RevealedAddress {
    pub household_id: HouseholdId,
    /// False for strengt fortrolig: no address is stored, and the fields are empty.
    pub stored: bool,
    pub address_line: String,
    pub postal_code: String,
    pub postal_city: String,
    pub purpose: RevealPurpose,
}

impl RevealedAddress {
    pub fn of(household: HouseholdId, a: &StoredAddress, purpose: RevealPurpose) -> RevealedAddress {
        RevealedAddress {
            household_id: household,
            stored: !a.address_line.is_empty(),
            address_line: a.address_line.clone(),
            postal_code: a.postal_code.clone(),
            postal_city: a.postal_city.clone(),
            purpose,
        }
    }
}
