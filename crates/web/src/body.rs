//! Reading request bodies: JSON with a size limit and a clear error, and raw
//! bytes for uploads (whatever the content type says, chunked or not).

use crate::error::ApiError;
use axum::body::Body;
use axum::extract::{FromRequest, Request};
use serde_json::{Map, Value as Json};

/// Largest JSON body accepted.
pub const JSON_LIMIT: usize = 8 * 1024 * 1024;

/// A JSON object body. An empty body reads as `{}` (clients send none on
/// some PUTs); anything that is not an object is a 400.
pub struct JsonBody(pub Map<String, Json>);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let bytes = read_limited(req.into_body(), JSON_LIMIT).await?;
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(JsonBody(Map::new()));
        }
        let text = std::str::from_utf8(&bytes)
            .map_err(|_| ApiError::BadRequest("the body is not valid UTF-8".into()))?;
        match serde_json::from_str::<Json>(text) {
            Ok(Json::Object(m)) => Ok(JsonBody(m)),
            Ok(_) => Err(ApiError::BadRequest(
                "the body must be a JSON object".into(),
            )),
            Err(e) => Err(ApiError::BadRequest(format!(
                "the body is not valid JSON: {e}"
            ))),
        }
    }
}

/// Reads a body up to `limit` bytes; more is a 422 naming the limit.
pub async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    match axum::body::to_bytes(body, limit).await {
        Ok(b) => Ok(b.to_vec()),
        Err(e) => {
            let msg = e.to_string();
            if msg.contains("length limit") {
                Err(ApiError::TooLarge(limit))
            } else {
                Err(ApiError::BadRequest(format!(
                    "could not read the body: {msg}"
                )))
            }
        }
    }
}

impl JsonBody {
    /// The object under `key` (`{"ticket": {…}}`), which must be present.
    pub fn record(&self, key: &str) -> Result<&Map<String, Json>, ApiError> {
        match self.0.get(key) {
            Some(Json::Object(m)) => Ok(m),
            Some(_) => Err(ApiError::BadRequest(format!("{key} must be a JSON object"))),
            None => Err(ApiError::BadRequest(format!(
                "the body must have a {key:?} object"
            ))),
        }
    }
}
