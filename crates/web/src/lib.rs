//! Husly's HTTP face: server-rendered pages for staff, the JSON API under `/api/v1`, and the
//! operational endpoints (`/healthz`, `/readyz`, `/metrics`).
//!
//! Every handler starts by authorising its action with [`auth::CurrentUser::require`] (or the
//! API's equivalent) against the municipality of the resource it touches; the store filters by
//! that municipality again. Errors are rendered in one place ([`error`]), as an HTML page or as
//! JSON depending on the path, in the user's language.

pub mod api;
pub mod auth;
pub mod charts;
pub mod config;
pub mod download;
pub mod draw_words;
pub mod error;
pub mod flash;
pub mod forms;
pub mod i18n;
pub mod import_report;
pub mod layout;
pub mod middleware;
pub mod notify;
pub mod outreach_export;
pub mod pages;
mod paging;
mod parity;
pub mod plan_export;
pub mod quota;
pub mod routing;
pub mod throttle;
pub mod upload;
pub mod visitor;

use axum::Router;
use husly_store::Store;
use std::sync::Arc;

pub use config::WebConfig;

/// Everything a handler needs, shared by all requests through [`AppState`].
pub struct Services {
    pub store: Store,
    pub config: WebConfig,
    pub throttle: throttle::LoginThrottle,
    /// Quotas on the self-service door (drafts per address).
    pub quota: quota::Quota,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    /// The one clock: instants in UTC, dates in Norway.
    pub clock: husly_usecases::Clock,
    /// Where notices to parties go (SMS, e-mail); logged where no gateway is configured.
    pub notifier: Arc<dyn husly_usecases::notify::Notifier>,
    /// This year's indicator values, computed a short while ago (`live_values_secs`).
    pub live_values: Arc<husly_usecases::live_values::LiveValueCache>,
}

impl Services {
    pub fn new(store: Store, config: WebConfig) -> Services {
        let live_values = Arc::new(husly_usecases::live_values::LiveValueCache::new(config.live_values));
        Services {
            store,
            config,
            throttle: throttle::LoginThrottle::default(),
            quota: quota::Quota::default(),
            metrics: middleware::metrics_handle(),
            clock: husly_usecases::Clock::system(),
            notifier: Arc::new(notify::LogNotifier),
            live_values,
        }
    }
}

/// The handle every handler and layer clones: one reference count, however many services.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> AppState {
        AppState::from(Services::new(store, config))
    }
}

impl From<Services> for AppState {
    fn from(services: Services) -> AppState {
        AppState(Arc::new(services))
    }
}

impl std::ops::Deref for AppState {
    type Target = Services;
    fn deref(&self) -> &Services {
        &self.0
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    middleware::wrap(routes().into_router(), state)
}

/// Every route, before the middleware; [`routing::Routes::endpoints`] lists them.
pub fn routes() -> routing::Routes {
    routing::Routes::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(api::openapi::routes())
        .merge(middleware::operational_routes())
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}
