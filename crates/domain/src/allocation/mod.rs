//! Dwellings, the waiting list and allocation: the dwelling register's types and lifecycle, the
//! municipality's priority policy as versioned data, each waiting household's explainable
//! priority, the optimal assignment of vacancies to households, verifiable draws for ties, stock
//! versus demand and each household's estimated wait.
//!
//! Pure: the store loads the facts, these functions decide, the use cases save the result.
pub mod draw;
pub mod dwelling;
pub mod dwelling_import;
pub mod explain;
#[cfg(test)]
mod fixtures;
pub mod matching;
pub mod needs;
pub mod policy;
pub mod priority;
pub mod proposal;
pub mod simulation;
pub mod stock;
pub mod wait_estimate;
