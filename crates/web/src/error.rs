//! Every error the API returns, mapped to Zendesk's status codes and JSON
//! bodies in this one place. Internal errors are logged and answered with a
//! generic message, never the database's text.

use app::AppError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// An error on its way to the client.
#[derive(Debug)]
pub enum ApiError {
    App(AppError),
    /// The request body or a parameter is malformed (400 InvalidValue).
    BadRequest(String),
    /// More than 100 ids in a bulk call (400 TooManyValues).
    TooMany(String),
    /// Too many requests; retry after this many seconds.
    RateLimited(u64),
    /// The body is larger than this endpoint accepts (422, which both
    /// clients treat as an error; 413 would read as success to node).
    TooLarge(usize),
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError::App(e)
    }
}

/// A stored file as a download (the headers are the app's: never inline).
pub fn download(a: &domain::model::Attachment, data: Vec<u8>) -> Response {
    let mut r = (StatusCode::OK, data).into_response();
    for (name, value) in app::uploads::download_headers(a) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            r.headers_mut().insert(name, v);
        }
    }
    r
}

/// Serialises straight to the body (typed records need no `Value` tree).
pub fn json_response<T: serde::Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_else(|_| b"{}".to_vec());
    let mut r = (status, bytes).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::App(AppError::TooManyAttempts(secs)) => {
                return ApiError::RateLimited(secs).into_response();
            }
            ApiError::App(AppError::Unauthorized) => (
                StatusCode::UNAUTHORIZED,
                json!({"error": "Couldn't authenticate you"}),
            ),
            ApiError::App(AppError::Forbidden(why)) => (
                StatusCode::FORBIDDEN,
                json!({"error": "Forbidden", "description": why}),
            ),
            ApiError::App(AppError::NotFound) => (
                StatusCode::NOT_FOUND,
                json!({"error": "RecordNotFound", "description": "Not found"}),
            ),
            ApiError::App(AppError::Invalid(fields)) => {
                let mut details = serde_json::Map::new();
                for f in fields {
                    let entry = details.entry(f.field.clone()).or_insert_with(|| json!([]));
                    if let Some(list) = entry.as_array_mut() {
                        list.push(json!({"description": f.description, "error": f.code}));
                    }
                }
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    json!({"error": "RecordInvalid", "description": "Record validation errors", "details": details}),
                )
            }
            ApiError::App(AppError::BadRequest { code, message }) => (
                StatusCode::BAD_REQUEST,
                json!({"error": code, "description": message}),
            ),
            ApiError::App(AppError::Conflict(why)) => (
                StatusCode::CONFLICT,
                json!({"error": "UpdateConflict", "description": why}),
            ),
            ApiError::App(AppError::SearchWindow(why)) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "invalid", "description": why}),
            ),
            ApiError::App(AppError::Unavailable(why)) => {
                tracing::error!(error = %why, "a helper failed");
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    json!({"error": "Unavailable", "description": "A service this needs is not available; try again later."}),
                )
            }
            ApiError::App(AppError::Store(e)) => {
                tracing::error!(error = %e, "internal error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "InternalError", "description": "Something went wrong on our side; it has been logged."}),
                )
            }
            ApiError::BadRequest(why) => (
                StatusCode::BAD_REQUEST,
                json!({"error": "InvalidValue", "description": why}),
            ),
            ApiError::TooMany(why) => (
                StatusCode::BAD_REQUEST,
                json!({"error": "TooManyValues", "description": why}),
            ),
            ApiError::TooLarge(limit) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": "RecordInvalid", "description": format!("The request body is larger than {limit} bytes"), "details": {"base": [{"error": "TooLarge", "description": "body too large"}]}}),
            ),
            ApiError::RateLimited(secs) => {
                let mut r = json_response(
                    StatusCode::TOO_MANY_REQUESTS,
                    &json!({"error": "TooManyRequests", "description": "Rate limit exceeded; retry later"}),
                );
                if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                return r;
            }
        };
        json_response(status, &body)
    }
}

/// Handler results.
pub type ApiResult = Result<Response, ApiError>;
