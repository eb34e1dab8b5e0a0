//! The HTTP face of atiende: the Zendesk-compatible REST API under
//! `/api/v2`, health, and the OpenAPI document. Handlers only extract, call a
//! use case and map the result; errors become HTTP in `error.rs` alone.

mod auth;
mod body;
mod ctx;
mod error;
mod input;
mod openapi;
mod routes;
mod wire;

pub use auth::RateLimit;

use app::App;
use axum::Router;
use axum::extract::Request;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

/// Shared state of the API handlers.
#[derive(Clone)]
pub struct Api {
    pub app: App,
    limiter: Arc<auth::Limiter>,
}

/// Builds the whole HTTP service.
pub fn router(app: App, rate: RateLimit) -> Router {
    let api = Api {
        app,
        limiter: Arc::new(auth::Limiter::new(rate)),
    };
    let authed = routes::api_routes().layer(axum::middleware::from_fn_with_state(
        api.clone(),
        auth::authenticate,
    ));
    Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/api/v2/openapi", axum::routing::get(openapi::document))
        .merge(authed)
        .fallback(routes::not_found)
        .with_state(api)
}

/// `X` and `X.json` are the same resource: strip the suffix before routing.
fn strip_json_suffix(mut req: Request) -> Request {
    let uri = req.uri();
    if let Some(path) = uri.path().strip_suffix(".json") {
        let rebuilt = match uri.query() {
            Some(q) => format!("{path}?{q}"),
            None => path.to_string(),
        };
        if let Ok(new) = rebuilt.parse() {
            *req.uri_mut() = new;
        }
    }
    req
}

/// Serves until `shutdown` resolves, then finishes in-flight requests.
pub async fn serve(
    listener: TcpListener,
    app: App,
    rate: RateLimit,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = router(app, rate).map_request(strip_json_suffix);
    axum::serve(
        listener,
        axum::ServiceExt::<Request>::into_make_service(service),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
