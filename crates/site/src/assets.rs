//! The site's stylesheet, compiled into the binary.

use axum::http::header;
use axum::response::IntoResponse;

const STYLE: &str = include_str!("../assets/site.css");

pub async fn style() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            // Revalidated on each load: the binary may have been upgraded.
            (header::CACHE_CONTROL, "no-cache"),
        ],
        STYLE,
    )
}
