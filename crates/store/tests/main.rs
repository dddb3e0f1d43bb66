//! The store's tests on both backends (SQLite always, PostgreSQL when `HUSLY_TEST_POSTGRES_URL` is
//! set), as one test binary: each module is one area. One binary links the store once instead of
//! once per file, which saves CI minutes and disk. Run one area with
//! `cargo test -p husly-store --test store meetings::`.

mod action_plans;
mod allocation;
mod consents;
mod contract;
mod contracts;
mod dwellings;
mod follow_up;
mod household_display;
mod kostra;
mod kostra_facts;
mod lettings;
mod meetings;
mod outreach_contacts;
mod outreach_lists;
mod page_lists;
mod priority_policy;
mod protection;
mod queue_generation;
mod reference_budget;
mod referrals;
mod reminders;
mod renewals;
mod rent_ledger;
mod snapshots;
mod stays;
mod waiting_list_generation;
