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

/// `GET /hc/assets/logo`: the logo admins set (404 when none).
pub async fn logo(
    axum::extract::State(site): axum::extract::State<crate::Site>,
) -> axum::response::Response {
    match site.app.site_logo().await {
        Ok(Some((kind, bytes))) => (
            [
                (header::CONTENT_TYPE, kind),
                // The address changes with each new logo.
                (header::CACHE_CONTROL, "public, max-age=86400".to_string()),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) => axum::http::StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "logo failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
