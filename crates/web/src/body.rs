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

/// How much of an oversize body is read and thrown away so the client,
/// still sending, receives our error instead of a reset connection.
const DRAIN_CAP: usize = 256 * 1024 * 1024;

/// Reads a body up to `limit` bytes; more is a 422 naming the limit.
pub async fn read_limited(body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    use futures_util::StreamExt;
    let mut stream = body.into_data_stream();
    let mut out = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("could not read the body: {e}")))?;
        seen += chunk.len();
        if seen <= limit {
            out.extend_from_slice(&chunk);
        } else if seen > DRAIN_CAP {
            break;
        }
    }
    if seen > limit {
        Err(ApiError::TooLarge(limit))
    } else {
        Ok(out)
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

/// A multipart form's one file and its text fields, as Zendesk's upload
/// endpoints take them (`file`, and fields such as `inline`).
#[derive(Default)]
pub struct MultipartForm {
    /// (file name, bytes) of the first non-empty file part.
    pub file: Option<(String, Vec<u8>)>,
    pub fields: Vec<(String, String)>,
}

impl MultipartForm {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Reads a multipart body of at most `limit` bytes. A body that is not
    /// multipart, or is malformed, reads as an empty form, so the use case
    /// still checks who is asking before it says the file is missing.
    pub async fn read(req: Request, limit: usize) -> Result<Self, ApiError> {
        let (parts, body) = req.into_parts();
        let bytes = read_limited(body, limit).await?;
        let req = Request::from_parts(parts, Body::from(bytes));
        let Ok(mut multipart) = axum::extract::Multipart::from_request(req, &()).await else {
            return Ok(Self::default());
        };
        let mut form = Self::default();
        while let Ok(Some(part)) = multipart.next_field().await {
            let name = part.name().unwrap_or_default().to_string();
            match part.file_name().map(str::to_string) {
                Some(file_name) => {
                    let Ok(data) = part.bytes().await else { break };
                    if form.file.is_none() && !data.is_empty() {
                        form.file = Some((file_name, data.to_vec()));
                    }
                }
                None => match part.text().await {
                    Ok(text) => form.fields.push((name, text)),
                    Err(_) => break,
                },
            }
        }
        Ok(form)
    }
}
