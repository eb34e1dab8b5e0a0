//! The site's stylesheet and the request form's script, compiled into
//! the binary.

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

const REQUEST_FORM: &str = include_str!("../assets/request-form.js");

/// The request form's script (conditional fields, suggestions).
pub async fn request_form() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        REQUEST_FORM,
    )
}
