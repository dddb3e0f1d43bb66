//! The application's integration tests, as one test binary: each module is one area and starts
//! real `husly` servers (see `common`). One binary links the application once; as one binary per
//! file it was linked 33 times, which cost CI minutes and about 10 GB of disk. Run one area with
//! `cargo test -p husly --test integration meetings::`.

mod common;

mod action_plan;
mod allocation_rounds;
mod api_cases;
mod applicant_offers;
mod apply;
mod approval_expiry;
mod browser;
mod calculators;
mod cases;
mod cli;
mod clock;
mod consents;
mod dwellings;
mod dwellings_api;
mod finance;
mod follow_up;
mod http;
mod kostra;
mod ledger;
mod meetings;
mod openapi;
mod outreach;
mod policy;
mod protection;
mod reference_budget;
mod reminders;
mod renewals;
mod rent_changes;
mod routes;
mod search;
mod servers;
mod stays;
mod stock;
mod tenancies;
mod verify_draw;
