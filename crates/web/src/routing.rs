//! The router, built so that it can also say which routes it has.
//!
//! axum's `Router` cannot list its routes. Husly's routes are declared through [`Routes`], which
//! builds the axum router and, beside it, the list of every method and path pattern; tests walk
//! that list (every route × every role, CSRF, audit), so a route added here is a route tested or
//! a test that fails. Call sites read as axum's: `.route("/cases/{id}", get(page).post(save))`.

use crate::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::MethodRouter;

/// One method on one path pattern, as the router matches it: `POST /cases/{id}/send`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Endpoint {
    pub method: Method,
    /// The pattern, with `{name}` for a path segment: `/cases/{id}/letters/{letter}`.
    pub path: String,
}

impl Endpoint {
    /// Whether a concrete path (query left out) is one this endpoint's pattern matches.
    pub fn matches(&self, method: &Method, path: &str) -> bool {
        let path = path.split('?').next().unwrap_or_default();
        let pattern: Vec<&str> = self.path.split('/').collect();
        let concrete: Vec<&str> = path.split('/').collect();
        self.method == *method
            && pattern.len() == concrete.len()
            && pattern
                .iter()
                .zip(&concrete)
                .all(|(p, c)| p == c || (p.starts_with('{') && p.ends_with('}') && !c.is_empty()))
    }
}

impl std::fmt::Display for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// The handlers of one path, one per method, and which methods they are.
pub struct Handlers {
    router: MethodRouter<AppState>,
    methods: Vec<Method>,
}

macro_rules! method {
    ($name:ident, $method:ident) => {
        /// A path's handler for this method (axum's function of the same name).
        pub fn $name<H: Handler<T, AppState>, T: 'static>(handler: H) -> Handlers {
            Handlers {
                router: axum::routing::$name(handler),
                methods: vec![Method::$method],
            }
        }

        impl Handlers {
            /// A further method on the same path.
            pub fn $name<H: Handler<T, AppState>, T: 'static>(mut self, handler: H) -> Handlers {
                self.router = self.router.$name(handler);
                self.methods.push(Method::$method);
                self
            }
        }
    };
}

method!(get, GET);
method!(post, POST);
method!(put, PUT);
method!(delete, DELETE);

/// Routes being declared: the axum router and the list of what it serves.
#[derive(Default)]
pub struct Routes {
    router: Router<AppState>,
    endpoints: Vec<Endpoint>,
}

impl Routes {
    pub fn new() -> Routes {
        Routes::default()
    }

    pub fn route(mut self, path: &str, handlers: Handlers) -> Routes {
        self.endpoints
            .extend(handlers.methods.into_iter().map(|method| Endpoint {
                method,
                path: path.to_string(),
            }));
        self.router = self.router.route(path, handlers.router);
        self
    }

    pub fn merge(mut self, other: Routes) -> Routes {
        self.endpoints.extend(other.endpoints);
        self.router = self.router.merge(other.router);
        self
    }

    /// `other`'s routes under `prefix` (`/api/v1`).
    pub fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.endpoints.extend(other.endpoints.into_iter().map(|e| Endpoint {
            path: format!("{prefix}{}", e.path),
            ..e
        }));
        self.router = self.router.nest(prefix, other.router);
        self
    }

    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint(method: Method, path: &str) -> Endpoint {
        Endpoint {
            method,
            path: path.into(),
        }
    }

    #[test]
    fn a_pattern_matches_a_concrete_path_segment_by_segment() {
        let letter = endpoint(Method::GET, "/cases/{id}/letters/{letter}");
        assert!(letter.matches(&Method::GET, "/cases/0193/letters/0194"));
        assert!(letter.matches(&Method::GET, "/cases/0193/letters/0194?download=1"));
        assert!(!letter.matches(&Method::POST, "/cases/0193/letters/0194"));
        assert!(!letter.matches(&Method::GET, "/cases/0193/letters"));
        assert!(!letter.matches(&Method::GET, "/cases//letters/0194"));
        assert!(!letter.matches(&Method::GET, "/cases/0193/documents/0194"));
    }

    #[test]
    fn every_method_of_a_path_is_listed_and_nesting_prefixes_the_path() {
        async fn ok() -> &'static str {
            "ok"
        }
        let inner = Routes::new().route("/cases/{id}", get(ok).put(ok));
        let routes = Routes::new().route("/", get(ok).post(ok)).nest("/api/v1", inner);
        assert_eq!(
            routes.endpoints(),
            [
                endpoint(Method::GET, "/"),
                endpoint(Method::POST, "/"),
                endpoint(Method::GET, "/api/v1/cases/{id}"),
                endpoint(Method::PUT, "/api/v1/cases/{id}"),
            ]
        );
    }
}
