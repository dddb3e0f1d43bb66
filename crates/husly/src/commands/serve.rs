//! `husly serve`: the web server, and in demo mode the demo municipality and its logins.

use super::open_store;
use crate::config::Config;
use anyhow::Context;
use husly_domain::authz::Role;
use husly_store::Store;
use husly_store::audit::Actor;
use husly_store::seed::DEMO_MUNICIPALITY;
use husly_usecases::Clock;
use husly_web::{AppState, Services, WebConfig};
use std::io::Write;
use std::process::ExitCode;

/// The demo municipality's grant allocations for the current year, kroner.
const DEMO_GRANT_BUDGET: [(husly_domain::finance::GrantType, i64); 2] = [
    (husly_domain::finance::GrantType::Establishment, 2_500_000),
    (husly_domain::finance::GrantType::Adaptation, 600_000),
];

/// Households the demo municipality gets on its first start.
const DEMO_HOUSEHOLDS: u64 = 250;
const DEMO_SEED: u64 = 2026;
/// Seeded follow-up plans the demo's follow-up worker takes over, so "Mine" has a caseload.
const DEMO_FOLLOW_UP_PLANS: i64 = 12;

pub async fn run(config: &Config, clock_start: Option<time::OffsetDateTime>) -> anyhow::Result<ExitCode> {
    let store = open_store(config).await?;
    let clock = clock_start.map_or_else(Clock::system, Clock::starting_at);
    if let Some(at) = clock_start {
        tracing::warn!(%at, "the clock starts at a chosen instant, not the system's");
    }
    let demo_logins = if config.demo {
        prepare_demo(&store, clock).await?
    } else {
        Vec::new()
    };
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("could not listen on {}", config.addr))?;
    let local = listener.local_addr()?;
    // The first line on standard output is a contract: scripts and tests read the real port here.
    let mut out = std::io::stdout().lock();
    writeln!(out, "husly listening on http://{local}")?;
    if !demo_logins.is_empty() {
        writeln!(out, "Demo logins (shown once; new passwords at every start):")?;
        for (email, password, role) in &demo_logins {
            writeln!(out, "  {role:<19} {email:<36} {password}")?;
        }
    }
    out.flush()?;
    drop(out);
    tracing::info!(addr = %local, backend = ?store.backend(), demo = config.demo, "serving");
    // Audit checkpoints outside the database: now, every ten minutes, and at shutdown; expired
    // drafts go at the same times.
    let key = super::checkpoints::key(config)?;
    super::checkpoints::write(&store, config, &key).await?;
    delete_expired_drafts(&store).await;
    let periodic = {
        let (store, config, key) = (store.clone(), config.clone(), key.clone());
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(super::checkpoints::INTERVAL);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                if let Err(e) = super::checkpoints::write(&store, &config, &key).await {
                    tracing::error!(error = %e, "audit checkpoint not written");
                }
                delete_expired_drafts(&store).await;
            }
        })
    };
    // Daily jobs (the indicators' snapshots), claimed so that one server runs each.
    let scheduler = super::scheduler::spawn(store.clone(), clock);
    let web = WebConfig {
        demo_mode: config.demo,
        secure_cookies: config.secure_cookies,
        behind_proxy: config.behind_proxy,
        max_body_bytes: config.max_body_bytes,
        max_document_bytes: config.max_document_bytes,
        metrics_token: config.metrics_token.clone(),
        apply_drafts_per_hour: config.apply_drafts_per_hour,
        apply_documents_per_draft: config.apply_documents_per_draft,
        apply_bytes_per_draft: config.apply_bytes_per_draft,
        apply_bytes_per_municipality_per_day: config.apply_bytes_per_municipality_per_day,
        checkpoints_file: Some(super::checkpoints::file(config)),
        live_values: config.live_values,
    };
    let state = AppState::from(Services {
        clock,
        ..Services::new(store.clone(), web)
    });
    husly_web::serve(listener, state, shutdown_signal()).await?;
    periodic.abort();
    scheduler.abort();
    super::checkpoints::write(&store, config, &key).await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// Deletes the drafts whose 30 days have run out; a failure is logged and tried again next time.
async fn delete_expired_drafts(store: &Store) {
    let now = i64::try_from(time::OffsetDateTime::now_utc().unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX);
    match store.delete_expired_drafts(now, &Actor::cli("expired drafts")).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(drafts = n, "expired drafts deleted"),
        Err(e) => tracing::error!(error = %e, "expired drafts not deleted"),
    }
}

/// The demo's reference budget says plainly that its figures are not SIFO's.
pub const DEMO_REFERENCE_BUDGET_LABEL: &str = "Eksempeltall for demo – ikke SIFOs tall";

/// Creates "Demo kommune" with synthetic households, an action plan and a reference budget
/// (first start only) and one user per role, each with a fresh random password.
async fn prepare_demo(store: &Store, clock: Clock) -> anyhow::Result<Vec<(String, String, &'static str)>> {
    let actor = Actor::cli("demo setup");
    let (number, name) = DEMO_MUNICIPALITY;
    let municipality = store.ensure_municipality(number, name, true, &actor).await?;
    if store.count_households(municipality.id).await? == 0 {
        store
            .seed_households(&municipality, DEMO_HOUSEHOLDS, DEMO_SEED, &actor)
            .await?;
        // This year's grant budget, so the budget page has something to show.
        let year = clock.this_year();
        let change = husly_store::households::Change {
            actor: &actor,
            user: None,
            reason: Some("demo setup"),
        };
        for (grant, kr) in DEMO_GRANT_BUDGET {
            store
                .set_grant_allocation(municipality.id, year, grant, kr * 100, "Demo: årets ramme", &change)
                .await?;
        }
        // A reference budget so the startlån calculator shows one in use: invented round figures,
        // labelled as such (Husly ships no SIFO figures it could not verify).
        let layout = husly_domain::startlan::ReferenceBudgetLayout::embedded();
        let amounts = husly_domain::startlan::reference_budget::demo_amounts(layout);
        let from = time::Date::from_calendar_date(year, time::Month::January, 1)?;
        store
            .add_reference_budget(
                municipality.id,
                0,
                from,
                DEMO_REFERENCE_BUDGET_LABEL,
                &layout.version,
                &amounts,
                &change,
            )
            .await?;
    }
    let mut logins = Vec::new();
    // Role::ALL begins with the administrator, who then links the partner to its organisation.
    let mut admin = None;
    for role in Role::ALL {
        let email = format!("{}@demo.husly.no", role.code().replace('_', "-"));
        let password = husly_store::accounts::new_secret("")[..20].to_string();
        let user = match store.user_by_email(&email).await {
            Ok(user) => {
                store.set_password(user.id, &password, None, &actor).await?;
                user.id
            }
            Err(husly_store::StoreError::NotFound) => {
                let display = format!("Demo {}", norwegian_role(role));
                store.create_user(&email, &display, &password, &actor).await?
            }
            Err(e) => return Err(e.into()),
        };
        store.grant_role(user, municipality.id, role, &actor).await?;
        if role == Role::ProtectedAddresses {
            // The permission is held beside a unit role: this user is a caseworker who may
            // also open protected addresses.
            store
                .grant_role(user, municipality.id, Role::Caseworker, &actor)
                .await?;
        }
        if role == Role::Admin {
            admin = Some(user);
        }
        if role == Role::Leader {
            // The leader keeps the demo's action plan (first start only).
            let change = husly_store::households::Change {
                actor: &actor,
                user: Some(user),
                reason: Some("demo setup"),
            };
            store
                .seed_action_plan(municipality.id, clock.this_year(), &change)
                .await?;
        }
        if role == Role::FollowUpWorker && store.follow_up_plans_of(municipality.id, user).await? == 0 {
            // A caseload of the seeded plans for the demo's follow-up worker (first start only).
            let change = husly_store::households::Change {
                actor: &actor,
                user: Some(user),
                reason: Some("demo setup"),
            };
            store
                .hand_over_follow_up_plans(municipality.id, user, DEMO_FOLLOW_UP_PLANS, &change)
                .await?;
        }
        if role == Role::Partner && store.partner_organisation_of(user, municipality.id).await?.is_none() {
            // The demo's partner works for the seeded Bo-team, so its list has the households
            // that consented to it (and the access log shows what it read, on which consent).
            let bo_team = store
                .partner_organisations(municipality.id)
                .await?
                .into_iter()
                .find(|o| o.kind == husly_domain::follow_up::PartnerKind::VoluntaryTeam);
            if let Some(team) = bo_team {
                store
                    .set_partner_membership(municipality.id, user, Some(&team.id), (&actor, admin.unwrap_or(user)))
                    .await?;
            }
        }
        if role == Role::Caseworker {
            // Rounds held and offers made, first start only.
            super::demo_allocation::seed(store, municipality.id, user, clock.today()).await?;
        }
        logins.push((email, password, role.code()));
    }
    Ok(logins)
}

/// The role's name as the demo users are called in the (bokmål) interface.
fn norwegian_role(role: Role) -> &'static str {
    match role {
        Role::Admin => "administrator",
        Role::Caseworker => "saksbehandler",
        Role::Approver => "attestant",
        Role::FollowUpWorker => "bo-oppfølger",
        Role::HousingManager => "boligforvalter",
        Role::Leader => "leder",
        Role::Partner => "samarbeidspartner",
        Role::ProtectedAddresses => "saksbehandler (skjerming)",
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
