//! `GET /hc/article_attachments/{id}/{name}`: a file attached to an
//! article, for whoever may read the article (writers also for drafts).
//! Images are shown inline (they appear in article bodies); every other
//! type is a download, and nothing is sniffed into something that runs.

use crate::Site;
use crate::pages::not_found_in;
use crate::reader::Reader;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn download(
    State(site): State<Site>,
    Path((raw, _name)): Path<(String, String)>,
    reader: Reader,
    headers: HeaderMap,
) -> Response {
    let Ok(id) = raw.parse::<i64>() else {
        return not_found_in(&headers);
    };
    let writer = reader.session.as_ref().map(|(actor, _)| actor);
    let Ok((file, data)) = site
        .app
        .article_attachment(&reader.audience, writer, domain::ArticleAttachmentId(id))
        .await
    else {
        return not_found_in(&headers);
    };
    let disposition = if app::help_center::is_image(&file.content_type) {
        "inline"
    } else {
        "attachment"
    };
    let name = file.file_name.replace(['"', '\\', '\r', '\n'], "_");
    let mut r = (StatusCode::OK, data).into_response();
    let h = r.headers_mut();
    for (k, v) in [
        (header::CONTENT_TYPE, file.content_type.clone()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        (
            header::CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"{name}\""),
        ),
        // Restricted articles' files must not sit in shared caches.
        (header::CACHE_CONTROL, "private, max-age=300".into()),
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox".into(),
        ),
    ] {
        if let Ok(v) = HeaderValue::from_str(&v) {
            h.insert(k, v);
        }
    }
    r
}
