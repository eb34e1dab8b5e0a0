//! A reply's files at an address a provider fetches them from (Twilio
//! takes an MMS's media as `MediaUrl`s): `/channels/media/{our id of the
//! message}/{n}/{name}`. Our id holds a random part and is told only to
//! the provider; an unknown id, a file past the message's week, or a
//! message that is not a messaging reply is 404.

use app::App;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// The address of a message's `n`th file under `public_url`.
pub fn address(public_url: &str, message_id: &str, n: usize, name: &str) -> String {
    format!(
        "{public_url}/channels/media/{}/{n}/{}",
        app::uploads::path_segment(message_id),
        app::uploads::path_segment(name)
    )
}

/// `GET /channels/media/{message}/{n}/{name}`.
pub async fn file(
    State(app): State<App>,
    Path((message, n, _name)): Path<(String, usize, String)>,
) -> Response {
    match app.messaging_media(&message, n).await {
        Ok(Some(f)) => (
            [
                (header::CONTENT_TYPE, f.content_type),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"{}\"",
                        app::uploads::path_segment(&f.name)
                    ),
                ),
            ],
            f.data,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "reading a reply's file failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}
