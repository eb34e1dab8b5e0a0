//! One log line per API request — method, path (never the query, where a
//! client might put a token), status, time taken and the user — so an
//! operator can see what an integration calls and what it gets back.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use domain::Actor;
use std::time::Instant;

pub async fn log(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !path.starts_with("/api/") {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let started = Instant::now();
    let resp = next.run(req).await;
    let user = resp.extensions().get::<Actor>().map(|a| a.user.0);
    tracing::info!(
        target: "atiende::api",
        %method,
        path,
        status = resp.status().as_u16(),
        ms = started.elapsed().as_millis() as u64,
        user,
        "api request"
    );
    resp
}
