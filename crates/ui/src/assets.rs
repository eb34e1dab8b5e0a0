//! The workspace's own script and style, compiled into the binary (two
//! files: `include_str!` is all the embedding they need).

use axum::http::header;
use axum::response::IntoResponse;

const SCRIPT: &str = include_str!("../assets/agent.js");
const STYLE: &str = include_str!("../assets/agent.css");

/// Revalidated on each load: the binary may have been upgraded.
const CACHE: &str = "no-cache";

pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        SCRIPT,
    )
}

pub async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        STYLE,
    )
}
