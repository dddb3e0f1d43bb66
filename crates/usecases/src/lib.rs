//! What Husly's users do, one function per thing a user does. Each use case authorises the
//! caller for the action in the record's municipality, loads what it needs, asks the domain's
//! lifecycle for the change, renders any letter off the async threads, and has the store save
//! the change with its event and audit entry in one transaction. Reads of personal data are
//! audited here too.
//!
//! The web crate's pages and its JSON API both call these functions; they only parse input and
//! present the result. Nothing here knows HTTP or HTML, and the store behind it holds no rule.

pub mod access_log;
pub mod accounts;
pub mod action_plan;
pub mod applicant_position;
pub mod approval_expiry;
pub mod cases;
pub mod clock;
pub mod consents;
pub mod contracts;
mod ctx;
pub mod daily_jobs;
pub mod dwellings;
pub mod equity;
mod error;
pub mod finance;
pub mod follow_up;
pub mod households;
pub mod indicator_values;
pub mod kostra;
pub mod kostra_form;
pub mod ledger;
pub mod live_values;
pub mod meetings;
pub mod notes;
pub mod notify;
pub mod offers;
pub mod outreach;
pub mod partners;
pub mod plan_dashboard;
pub mod priority_policy;
pub mod privacy;
pub mod protection;
pub mod ranked_list;
pub mod reference_budget;
pub mod referrals;
pub mod reminders;
pub mod renewals;
pub mod rent_changes;
pub mod representatives;
pub mod rounds;
pub mod self_service;
pub mod sessions;
pub mod stays;
pub mod stock;
pub mod tabular;
pub mod tasks;
pub mod waiting_list;

pub use clock::Clock;
pub use ctx::{Channel, Ctx, PartnerGrant};
pub use error::{UseCaseError, UseCaseResult};

/// Runs `read`, a read of a page's list, only when the list holds rows (the store said so; see
/// `husly_store::page_lists`); otherwise the list is empty without a statement.
pub(crate) async fn read_if_any<T, E>(
    holds_rows: bool,
    read: impl std::future::Future<Output = Result<Vec<T>, E>>,
) -> Result<Vec<T>, E> {
    if holds_rows { read.await } else { Ok(Vec::new()) }
}
