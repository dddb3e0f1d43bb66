//! Dwellings, the waiting list and allocation: the dwelling register's types and lifecycle, the
//! municipality's priority policy as versioned data, each waiting household's explainable
//! priority, the optimal assignment of vacancies to households, verifiable draws for ties, stock
//! versus demand and each household's estimated wait.
//!
//! Pure: the store loads the facts, these functions decide, the use cases save the result.

/// A closed set of codes: the enum, its stored code, and the lookup back.
macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, schemars::JsonSchema,
        )]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.code() == code)
            }

            pub fn codes() -> Vec<&'static str> {
                $name::ALL.iter().map(|v| v.code()).collect()
            }
        }
    };
}
pub(crate) use coded;

pub mod draw;
pub mod dwelling;
pub mod dwelling_import;
pub mod explain;
#[cfg(test)]
mod fixtures;
pub mod matching;
pub mod needs;
pub mod offer;
pub mod policy;
pub mod priority;
pub mod proposal;
pub mod round;
pub mod simulation;
pub mod stock;
pub mod wait_estimate;
