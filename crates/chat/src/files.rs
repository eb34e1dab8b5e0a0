//! Files in the widget: a visitor's file sent as a multipart form (a
//! CORS-simple request, so no preflight), and any chat file downloaded by
//! the key in its address.

use crate::wire::{self, origin, refusal};
use app::chat::SentFile;
use app::{App, AppError};
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::ChatLineId;
use serde_json::json;

/// The largest form a file call may send: the file and its fields.
const MAX_FORM: usize = domain::chat::MAX_CHAT_FILE_BYTES + 64 * 1024;

/// The form's fields and its one file.
#[derive(Default)]
struct FileForm {
    token: String,
    client_id: String,
    file: Option<(String, Option<String>, Vec<u8>)>,
}

async fn read_form(req: Request) -> Result<FileForm, AppError> {
    let too_large = || AppError::BadRequest {
        code: "InvalidBody",
        message: format!(
            "the file is larger than {} MB",
            domain::chat::MAX_CHAT_FILE_BYTES / (1024 * 1024)
        ),
    };
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM)
        .await
        .map_err(|_| too_large())?;
    let req = Request::from_parts(parts, Body::from(bytes));
    let mut form = FileForm::default();
    let Ok(mut multipart) = Multipart::from_request(req, &()).await else {
        return Ok(form);
    };
    while let Ok(Some(part)) = multipart.next_field().await {
        let name = part.name().unwrap_or_default().to_string();
        match part.file_name().map(str::to_string) {
            Some(file_name) => {
                let content_type = part.content_type().map(str::to_string);
                let Ok(data) = part.bytes().await else { break };
                if form.file.is_none() {
                    form.file = Some((file_name, content_type, data.to_vec()));
                }
            }
            None => {
                let Ok(value) = part.text().await else { break };
                match name.as_str() {
                    "token" => form.token = value,
                    "client_id" => form.client_id = value,
                    _ => {}
                }
            }
        }
    }
    Ok(form)
}

/// `POST /chat/v1/{key}/files` (multipart: `token`, `client_id`, `file`):
/// the file's line, stored and on the case before this answers.
pub async fn send(State(app): State<App>, Path(key): Path<String>, req: Request) -> Response {
    let origin = origin(req.headers());
    let form = match read_form(req).await {
        Ok(f) => f,
        Err(e) => return refusal(&origin, &e),
    };
    let (widget, visitor) = match app.chat_visitor(&key, &origin, &form.token).await {
        Ok(x) => x,
        Err(e) => return refusal(&origin, &e),
    };
    let Some((file_name, content_type, data)) = form.file else {
        return refusal(&origin, &AppError::field(app::FieldError::blank("file")));
    };
    let sent = SentFile {
        client_id: form.client_id,
        file_name,
        content_type,
        data,
    };
    match app.send_chat_file(&widget, &visitor, sent).await {
        Ok(line) => wire::reply(
            &origin,
            StatusCode::OK,
            json!({"lines": [wire::line(&line, &[])]}),
        ),
        Err(e) => refusal(&origin, &e),
    }
}

/// `GET /chat/files/{line}/{key}/{name}`: a chat file, always as a
/// download (never rendered on our origin).
pub async fn download(
    State(app): State<App>,
    Path((line, key, _name)): Path<(i64, String, String)>,
) -> Response {
    match app.chat_file(ChatLineId(line), &key).await {
        Ok((a, data)) => {
            let mut r = data.into_response();
            for (name, value) in app::uploads::download_headers(&a) {
                if let Ok(v) = HeaderValue::from_str(&value) {
                    r.headers_mut().insert(name, v);
                }
            }
            r.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            r
        }
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}
