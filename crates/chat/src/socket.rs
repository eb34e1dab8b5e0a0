//! The widget's WebSocket: new lines and the agent's typing pushed as they
//! happen. The page's origin is checked at the upgrade and the visitor's
//! token comes in the first message (never in the URL, which logs keep);
//! `{"type": "ready"}` answers a good one, `{"type": "error"}` a bad one.
//! A socket reads what is new from the database after a signal, so a
//! reconnecting widget catches up from the cursor it sends.

use crate::wire::{self, origin};
use app::App;
use app::chat::ChatSignal;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use domain::chat::ChatVisitor;
use domain::{ChatConversationId, ChatLineId};
use futures_util::{SinkExt, StreamExt};
use serde_json::{Value as Json, json};
use std::time::Duration;
use tokio::sync::broadcast;

/// A socket's read buffer.
const READ_BUFFER: usize = 4 * 1024;
/// How long a new socket has to say who it is.
const HELLO_WAIT: Duration = Duration::from_secs(10);
/// A ping (and a read, whatever the signals said) this often.
const HEARTBEAT: Duration = Duration::from_secs(25);

/// `GET /chat/v1/{key}/socket`.
pub async fn upgrade(
    State(app): State<App>,
    Path(key): Path<String>,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    let origin = origin(&headers);
    // A widget sends little: small buffers keep an idle connection cheap
    // (tungstenite's read buffer is 128 KiB unless told).
    ws.max_message_size(wire::MAX_BODY)
        .read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .on_upgrade(move |socket| follow(app, key, origin, socket))
}

async fn follow(app: App, key: String, origin: String, socket: WebSocket) {
    let (mut tx, mut rx) = socket.split();
    // {"token": "…", "after": N}
    let hello = match tokio::time::timeout(HELLO_WAIT, rx.next()).await {
        Ok(Some(Ok(Message::Text(t)))) => serde_json::from_str::<Json>(&t).unwrap_or_default(),
        _ => return,
    };
    let token = hello
        .get("token")
        .and_then(Json::as_str)
        .unwrap_or_default();
    let visitor = match app.chat_visitor(&key, &origin, token).await {
        Ok((_, v)) => v,
        Err(e) => {
            let msg = json!({"type": "error", "error": e.to_string()});
            let _ = tx.send(Message::Text(msg.to_string().into())).await;
            let _ = tx.send(Message::Close(None)).await;
            return;
        }
    };
    // The widget counts the socket as working only from here: a network
    // that lets the upgrade through but not the traffic sends it to
    // long-polling.
    let ready = json!({"type": "ready"}).to_string();
    if tx.send(Message::Text(ready.into())).await.is_err() {
        return;
    }
    let mut cursor = ChatLineId(hello.get("after").and_then(Json::as_i64).unwrap_or(0));
    let mut room: Option<Room> = None;
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    let mut read = true;
    // An agent saw the visitor's lines: the conversation goes out even
    // without new lines (its read mark moved).
    let mut seen = false;
    loop {
        if read || seen {
            read = false;
            match push_new(&app, &visitor, &mut cursor, &mut room, &mut tx, seen).await {
                Ok(()) => {}
                Err(()) => return,
            }
            seen = false;
        }
        let signal = async {
            match room.as_mut() {
                Some((_, r)) => r.recv().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            s = signal => match s {
                Ok(ChatSignal::Line) | Err(broadcast::error::RecvError::Lagged(_)) => read = true,
                Ok(ChatSignal::Seen) => seen = true,
                Ok(ChatSignal::Typing { agent: true, on }) => {
                    let msg = json!({"type": "typing", "agent": on});
                    if tx.send(Message::Text(msg.to_string().into())).await.is_err() { return; }
                }
                Ok(ChatSignal::Typing { .. }) => {}
                Err(broadcast::error::RecvError::Closed) => room = None,
            },
            m = rx.next() => match m {
                Some(Ok(Message::Text(t))) => {
                    let v = serde_json::from_str::<Json>(&t).unwrap_or_default();
                    match v.get("type").and_then(Json::as_str) {
                        // The widget started a conversation: follow it.
                        Some("follow") => read = true,
                        Some("typing") => {
                            let on = v.get("on").and_then(Json::as_bool).unwrap_or(false);
                            let _ = app.chat_visitor_typing(&visitor, on).await;
                        }
                        _ => {}
                    }
                }
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => return,
                Some(Ok(_)) => {}
            },
            _ = heartbeat.tick() => {
                if tx.send(Message::Ping(Vec::new().into())).await.is_err() { return; }
                read = true;
            }
        }
    }
}

/// The conversation a socket follows, and its signals.
type Room = (ChatConversationId, broadcast::Receiver<ChatSignal>);

/// Sends the lines after the cursor (and the conversation, `always`, even
/// without new lines) and follows the visitor's latest
/// conversation (a new one after the last ended).
async fn push_new(
    app: &App,
    visitor: &ChatVisitor,
    cursor: &mut ChatLineId,
    room: &mut Option<Room>,
    tx: &mut futures_util::stream::SplitSink<WebSocket, Message>,
    mut always: bool,
) -> Result<(), ()> {
    loop {
        let (conversation, lines) = match app.chat_lines(visitor, *cursor).await {
            Ok(x) => x,
            Err(e) => {
                tracing::warn!(error = %e, "chat lines could not be read");
                return Ok(());
            }
        };
        if let Some(c) = &conversation
            && room.as_ref().map(|(id, _)| *id) != Some(c.id)
        {
            *room = Some((c.id, app.follow_chat(c.id)));
        }
        if lines.is_empty() && !always {
            return Ok(());
        }
        always = false;
        let names = app
            .chat_agent_names(&lines, conversation.as_ref())
            .await
            .unwrap_or_default();
        let n = lines.len();
        if let Some(l) = lines.last() {
            *cursor = l.id;
        }
        let msg = json!({
            "type": "lines",
            "conversation": wire::conversation(conversation.as_ref(), &names),
            "lines": lines.iter().map(|l| wire::line(l, &names)).collect::<Vec<_>>(),
        });
        if tx
            .send(Message::Text(msg.to_string().into()))
            .await
            .is_err()
        {
            return Err(());
        }
        if n < 200 {
            return Ok(());
        }
    }
}
