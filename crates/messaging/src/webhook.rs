//! Every provider's webhook: `/channels/{channel}/{account}/webhook`.
//! A delivery is answered only after its signature is checked (401 and
//! nothing stored otherwise) and its raw body is committed; a repeated
//! delivery is answered 200 and stored once. What the body says is read
//! afterwards (`intake.rs`), so a body that cannot be read is still kept
//! and answered 200 — the provider would otherwise retry it forever.
//! Meta's verification handshake is the `GET`.

use crate::signature;
use app::App;
use app::messaging::Stored;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path, Query};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::messaging::{ChannelAccount, Credentials, channel_of_slug};
use domain::{Channel, ChannelAccountId, ChannelDeliveryId};
use std::collections::HashMap;
use tokio::sync::mpsc::UnboundedSender;

#[derive(Clone)]
pub struct State {
    pub app: App,
    pub public_url: Option<String>,
    /// Deliveries this node stored, to read at once.
    pub read_now: UnboundedSender<ChannelDeliveryId>,
}

fn refuse(status: StatusCode, why: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        serde_json::json!({ "error": why }).to_string(),
    )
        .into_response()
}

/// The account a webhook address names, with its credentials, if it is
/// connected and enabled on that channel.
async fn account(
    app: &App,
    slug: &str,
    id: &str,
) -> Result<(ChannelAccount, Credentials), Response> {
    let not_found = || refuse(StatusCode::NOT_FOUND, "no such channel account");
    let channel = channel_of_slug(slug).ok_or_else(not_found)?;
    let id: ChannelAccountId = id.parse().map_err(|_| not_found())?;
    match app.channel_account_with_credentials(id).await {
        Ok(Some((a, c))) if a.channel == channel && a.enabled => Ok((a, c)),
        Ok(_) => Err(not_found()),
        Err(e) => {
            tracing::warn!(error = %e, "reading a channel account failed");
            Err(refuse(StatusCode::SERVICE_UNAVAILABLE, "try again later"))
        }
    }
}

/// Meta's verification handshake: `hub.mode=subscribe`, our verify token,
/// and the challenge echoed back.
pub async fn verify(
    axum::extract::State(s): axum::extract::State<State>,
    Path((slug, id)): Path<(String, String)>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let (a, creds) = match account(&s.app, &slug, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if !matches!(
        a.channel,
        Channel::WhatsApp | Channel::Messenger | Channel::Instagram
    ) {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            "this channel has no handshake",
        );
    }
    let token_ok = match (creds.need("verify_token"), q.get("hub.verify_token")) {
        (Ok(ours), Some(theirs)) => signature::token_ok(ours, Some(theirs)),
        _ => false,
    };
    match (
        q.get("hub.mode").map(String::as_str),
        q.get("hub.challenge"),
    ) {
        (Some("subscribe"), Some(challenge)) if token_ok => {
            (StatusCode::OK, challenge.clone()).into_response()
        }
        _ => refuse(StatusCode::FORBIDDEN, "verification failed"),
    }
}

/// The full address Twilio requested (what it signs).
pub(crate) fn requested_url(
    public_url: Option<&str>,
    headers: &HeaderMap,
    uri: &axum::http::Uri,
) -> String {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    match public_url {
        Some(base) => format!("{base}{path}"),
        None => {
            let host = headers
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            format!("http://{host}{path}")
        }
    }
}

/// Whether the delivery is signed by the account's provider.
fn signed(
    a: &ChannelAccount,
    creds: &Credentials,
    headers: &HeaderMap,
    url: impl FnOnce() -> String,
    body: &[u8],
) -> bool {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match a.channel {
        Channel::WhatsApp | Channel::Messenger | Channel::Instagram => creds
            .need("app_secret")
            .is_ok_and(|s| signature::meta_ok(s, body, h("x-hub-signature-256"))),
        Channel::Telegram => creds
            .need("webhook_secret")
            .is_ok_and(|s| signature::token_ok(s, h("x-telegram-bot-api-secret-token"))),
        Channel::Sms => {
            let params: Vec<(String, String)> = form_urlencoded::parse(body)
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
            creds
                .need("auth_token")
                .is_ok_and(|t| signature::twilio_ok(t, &url(), &params, h("x-twilio-signature")))
        }
        _ => false,
    }
}

/// A delivery: checked, stored, then answered.
pub async fn deliver(
    axum::extract::State(s): axum::extract::State<State>,
    Path((slug, id)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (a, creds) = match account(&s.app, &slug, &id).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let url = || requested_url(s.public_url.as_deref(), &headers, &uri);
    if !signed(&a, &creds, &headers, url, &body) {
        tracing::warn!(
            account = a.id.0,
            channel = a.channel.as_str(),
            "a webhook delivery with a bad or missing signature was refused"
        );
        return refuse(StatusCode::UNAUTHORIZED, "invalid signature");
    }
    match s.app.store_channel_delivery(a.id, body.to_vec()).await {
        Ok(Stored::New(id)) => {
            let _ = s.read_now.send(id);
        }
        Ok(Stored::Repeated) => {}
        Err(e) => {
            // Not stored: the provider must try again.
            tracing::warn!(error = %e, "storing a webhook delivery failed");
            return refuse(StatusCode::SERVICE_UNAVAILABLE, "try again later");
        }
    }
    if a.channel == Channel::Sms {
        // TwiML that says nothing more to the customer.
        return (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/xml")],
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
        )
            .into_response();
    }
    (StatusCode::OK, "EVENT_RECEIVED").into_response()
}
