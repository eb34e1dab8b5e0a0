//! Form bodies as the providers' stand-ins read them.

use axum::body::Bytes;
use axum::extract::Multipart;
use axum::http::HeaderMap;
use std::collections::HashMap;

/// A multipart form's text fields, and each file part as its file name.
pub async fn multipart_params(headers: &HeaderMap, body: Bytes) -> HashMap<String, String> {
    let req = axum::http::Request::builder()
        .header(
            "content-type",
            headers
                .get("content-type")
                .cloned()
                .unwrap_or(axum::http::HeaderValue::from_static("")),
        )
        .body(axum::body::Body::from(body))
        .unwrap_or_default();
    let mut out = HashMap::new();
    let Ok(mut form) = <Multipart as axum::extract::FromRequest<()>>::from_request(req, &()).await
    else {
        return out;
    };
    while let Ok(Some(field)) = form.next_field().await {
        let name = field.name().unwrap_or("").to_string();
        match field.file_name().map(str::to_string) {
            Some(file) => {
                let _ = field.bytes().await;
                out.insert(name, file);
            }
            None => {
                out.insert(name, field.text().await.unwrap_or_default());
            }
        }
    }
    out
}
