//! Uploads: files stored before any comment references them, grouped by a
//! token the client passes in `comment.uploads`.

use crate::{App, AppError, FieldError};
use domain::{Actor, AttachmentId, Timestamp};
use sha2::{Digest, Sha256};
use store::model::Attachment;
use store::repo::{attachments, tickets};

/// Content types we refuse to store: they would run in a browser that
/// opened the attachment from our origin.
const REFUSED: &[&str] = &[
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "application/javascript",
    "text/javascript",
];

/// The headers a stored file is served with (pages and API alike): its
/// type, `nosniff`, and always as an attachment, never rendered inline (a
/// customer's HTML or SVG must not run on our origin).
pub fn download_headers(a: &Attachment) -> [(&'static str, String); 3] {
    [
        ("content-type", a.content_type.clone()),
        ("x-content-type-options", "nosniff".into()),
        (
            "content-disposition",
            format!(
                "attachment; filename=\"{}\"",
                a.file_name.replace(['"', '\\', '\r', '\n'], "_")
            ),
        ),
    ]
}

/// A file name as one segment of a download address: everything but
/// unreserved characters percent-encoded (the name is for the reader and
/// their browser; the address's id or key finds the file).
pub fn path_segment(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Keeps only the last path segment of a client-given name and drops
/// control characters.
pub fn clean_file_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let name: String = last.chars().filter(|c| !c.is_control()).take(255).collect();
    if name.trim().is_empty() {
        "file".into()
    } else {
        name.trim().to_string()
    }
}

/// The content type to record: the client's, unless it is missing, JSON
/// (node sends that for every upload) or unsafe, in which case a guess from
/// the extension, else `application/octet-stream`.
fn content_type(name: &str, given: Option<&str>) -> String {
    let given = given
        .map(|g| g.split(';').next().unwrap_or("").trim().to_lowercase())
        .filter(|g| !g.is_empty() && g != "application/json");
    let guess = match name.rsplit('.').next().map(str::to_lowercase).as_deref() {
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("pdf") => "application/pdf",
        Some("txt" | "log") => "text/plain",
        Some("csv") => "text/csv",
        Some("zip") => "application/zip",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    match given {
        Some(g) if !REFUSED.contains(&g.as_str()) && g.contains('/') => g,
        _ => guess.to_string(),
    }
}

/// A file ready to store under `token`: its name cleaned, its type
/// decided, its size checked against the limit.
pub(crate) fn prepared(
    limits: &crate::Limits,
    uploader: domain::UserId,
    file_name: &str,
    given_type: Option<&str>,
    data: &[u8],
    token: String,
    now: Timestamp,
) -> Result<Attachment, AppError> {
    if data.len() > limits.max_upload_bytes {
        return Err(AppError::field(FieldError::invalid(
            "file",
            format!("is larger than {} bytes", limits.max_upload_bytes),
        )));
    }
    let name = clean_file_name(file_name);
    Ok(Attachment {
        id: AttachmentId(0),
        token,
        uploader_id: uploader,
        comment_id: None,
        content_type: content_type(&name, given_type),
        file_name: name,
        size: data.len() as i64,
        sha256: Sha256::digest(data)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        created_at: now,
        expires_at: Timestamp(now.0 + limits.upload_ttl_secs),
    })
}

impl App {
    /// Stores an upload and returns its token (a new one unless the client
    /// adds to an existing token of its own) and the attachment.
    pub async fn upload(
        &self,
        actor: Actor,
        file_name: &str,
        given_type: Option<&str>,
        data: Vec<u8>,
        token: Option<String>,
    ) -> Result<(String, Attachment), AppError> {
        let token = token.unwrap_or_else(|| crate::auth::random_token(25));
        let mut a = prepared(
            &self.limits,
            actor.user,
            file_name,
            given_type,
            &data,
            token,
            Timestamp::now(),
        )?;
        self.write(move |c| {
            Box::pin(async move {
                let existing = attachments::by_token(c, &a.token).await?;
                if existing.iter().any(|e| e.uploader_id != actor.user) {
                    return Err(AppError::field(FieldError::invalid(
                        "token",
                        "belongs to someone else",
                    )));
                }
                a.id = attachments::insert(c, &a, data).await?;
                Ok((a.token.clone(), a))
            })
        })
        .await
    }

    /// Deletes the not-yet-attached files of a token of the caller's.
    pub async fn delete_upload(&self, actor: Actor, token: String) -> Result<(), AppError> {
        self.write(move |c| {
            Box::pin(async move {
                let files = attachments::by_token(c, &token).await?;
                if files.is_empty()
                    || files
                        .iter()
                        .any(|f| !domain::policy::may_discard_upload(&actor, f.uploader_id))
                {
                    return Err(AppError::NotFound);
                }
                attachments::delete_token(c, &token).await?;
                Ok(())
            })
        })
        .await
    }

    /// An attachment and its bytes, if the caller may read its comment:
    /// see the ticket, and be staff for an internal note's files (or be
    /// the one who uploaded it).
    pub async fn attachment(
        &self,
        actor: Actor,
        id: AttachmentId,
    ) -> Result<(Attachment, Vec<u8>), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let a = attachments::get(c, id).await?.ok_or(AppError::NotFound)?;
        // Only the comment's readers: its ticket's, and for an internal
        // note staff (the uploader always).
        let readable = match attachments::ticket_of(c, id).await? {
            Some((ticket, public)) => {
                let sees = match tickets::get(c, domain::TicketId(ticket), false).await? {
                    Some(t) => crate::tickets::can_see(c, &actor, &t).await?,
                    None => false,
                };
                domain::policy::may_read_file(&actor, a.uploader_id == actor.user, public, sees)
            }
            // Not attached yet: its uploader's.
            None => a.uploader_id == actor.user,
        };
        if !readable {
            return Err(AppError::NotFound);
        }
        let data = attachments::data(c, id).await?.unwrap_or_default();
        Ok((a, data))
    }

    /// Tag names with their ticket counts (staff only).
    pub async fn tag_counts(&self, actor: Actor) -> Result<Vec<(String, i64)>, AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(tickets::tag_counts(&mut rc.conn(), 1000).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types_are_made_safe() {
        assert_eq!(clean_file_name("/home/ana/docs/factura.pdf"), "factura.pdf");
        assert_eq!(clean_file_name("C:\\Users\\x\\a.png"), "a.png");
        assert_eq!(
            content_type("a.html", Some("text/html")),
            "application/octet-stream"
        );
        assert_eq!(content_type("a.png", Some("application/json")), "image/png");
        assert_eq!(content_type("a.bin", Some("image/jpeg")), "image/jpeg");
    }
}
