//! Typed identifiers. Every id is a UUIDv7 so that ids sort by creation time and index well.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A fresh UUIDv7 id. The clock read happens in the `uuid` crate; ids are the one
            /// place the domain accepts that, because ids carry no rule.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        // Written as the UUID it is, in place: an id needs no component of its own.
        $crate::inline_schema!($name, "Id", { "type": "string", "format": "uuid" });

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(
    /// A municipality (the tenant every personal record belongs to).
    MunicipalityId
);
typed_id!(
    /// A person known to one municipality's housing office.
    PersonId
);
typed_id!(
    /// A household: members living together, with an address and a period.
    HouseholdId
);
typed_id!(
    /// A staff user (or an API client acting for one).
    UserId
);
typed_id!(
    /// An event on a household's or case's timeline.
    EventId
);
typed_id!(
    /// A case: an application for municipal housing or for § 6 assistance.
    CaseId
);
typed_id!(
    /// A proposed (and perhaps approved and sent) decision in a case.
    DecisionId
);
