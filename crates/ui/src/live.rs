//! Live updates over one WebSocket per page: ticket events from the event
//! log (from the cursor the page was rendered at, so a page that reconnects
//! catches up and misses nothing) and who else is viewing or replying to
//! the same ticket (collision detection).
//!
//! Messages from the page: `{"watch": 12, "replying": false}`.
//! Messages to the page: `{"type":"event","id":…,"ticket":…,"kind":…,"actor":…}`,
//! `{"type":"presence","ticket":…,"people":[{"id","name","replying"}]}`,
//! `{"type":"chat-typing","ticket":…,"on":…}` and `{"type":"chats"}` (the
//! agent's chat offers or chats changed: refresh the tabs).
//!
//! With several nodes on one PostgreSQL database, replies cross nodes
//! through the event log and presence through PostgreSQL signals (NOTIFY),
//! repeated every 20 s so a node that dies drops out within a minute.

use crate::Ui;
use crate::session::Agent;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::broadcast;

/// What one open page is doing.
#[derive(Debug, Clone)]
struct Seat {
    user: i64,
    name: String,
    ticket: Option<i64>,
    replying: bool,
    /// When this node last heard of the seat (remote seats expire).
    seen: Instant,
}

/// A seat as signalled between nodes.
#[derive(Debug, Serialize, Deserialize)]
struct SeatSignal {
    node: u64,
    seat: u64,
    user: i64,
    name: String,
    ticket: Option<i64>,
    replying: bool,
}

/// How often a node repeats its seats to the others, and how long a remote
/// seat lives without being repeated (a node that died drops out).
const REPEAT: Duration = Duration::from_secs(20);
const REMOTE_TTL: Duration = Duration::from_secs(60);

/// Who is on which ticket, on this node and (through PostgreSQL signals)
/// on the others, and a signal naming a ticket whose company changed.
pub struct Presence {
    node: u64,
    app: app::App,
    seats: Mutex<HashMap<(u64, u64), Seat>>,
    changed: broadcast::Sender<i64>,
    next: AtomicU64,
}

impl Presence {
    /// A node's presence; on PostgreSQL it also follows the other nodes'.
    pub fn start(app: app::App) -> Arc<Presence> {
        let mut id = [0u8; 8];
        let _ = getrandom::fill(&mut id);
        let p = Arc::new(Presence {
            node: u64::from_le_bytes(id),
            app,
            seats: Mutex::new(HashMap::new()),
            changed: broadcast::channel(1024).0,
            next: AtomicU64::new(1),
        });
        if let (Some(mut rx), Ok(rt)) =
            (p.app.node_signals(), tokio::runtime::Handle::try_current())
        {
            let weak = Arc::downgrade(&p);
            rt.spawn(async move {
                let mut repeat = tokio::time::interval(REPEAT);
                loop {
                    tokio::select! {
                        m = rx.recv() => match m {
                            Ok(text) => match (weak.upgrade(), serde_json::from_str::<SeatSignal>(&text)) {
                                (Some(p), Ok(s)) => p.remote(s),
                                (None, _) => break,
                                _ => {}
                            },
                            Err(broadcast::error::RecvError::Lagged(_)) => {}
                            Err(broadcast::error::RecvError::Closed) => break,
                        },
                        _ = repeat.tick() => match weak.upgrade() {
                            Some(p) => p.repeat_and_prune(),
                            None => break,
                        },
                    }
                }
            });
        }
        p
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<(u64, u64), Seat>> {
        self.seats.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn join(&self, user: i64, name: String) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        self.lock().insert(
            (self.node, id),
            Seat {
                user,
                name,
                ticket: None,
                replying: false,
                seen: Instant::now(),
            },
        );
        id
    }

    /// Tells the other nodes about one of this node's seats.
    fn publish(&self, seat: u64, s: &Seat) {
        let signal = SeatSignal {
            node: self.node,
            seat,
            user: s.user,
            name: s.name.clone(),
            ticket: s.ticket,
            replying: s.replying,
        };
        if let (Ok(text), Ok(rt)) = (
            serde_json::to_string(&signal),
            tokio::runtime::Handle::try_current(),
        ) {
            if self.app.node_signals().is_none() {
                return;
            }
            let app = self.app.clone();
            rt.spawn(async move {
                if let Err(e) = app.signal_nodes(&text).await {
                    tracing::warn!(error = %e, "presence signal failed");
                }
            });
        }
    }

    /// Moves a page to a ticket (or none); signals the tickets concerned.
    fn set(&self, seat: u64, ticket: Option<i64>, replying: bool) {
        let (before, now) = {
            let mut seats = self.lock();
            let Some(s) = seats.get_mut(&(self.node, seat)) else {
                return;
            };
            let before = s.ticket;
            if before == ticket && s.replying == replying {
                return;
            }
            s.ticket = ticket;
            s.replying = replying && ticket.is_some();
            (before, s.clone())
        };
        self.publish(seat, &now);
        for t in [before, ticket].into_iter().flatten() {
            let _ = self.changed.send(t);
        }
    }

    fn leave(&self, seat: u64) {
        let gone = self.lock().remove(&(self.node, seat));
        if let Some(mut s) = gone {
            let ticket = s.ticket.take();
            self.publish(seat, &s);
            if let Some(t) = ticket {
                let _ = self.changed.send(t);
            }
        }
    }

    /// Another node's seat changed (its own signals come back too: skipped).
    fn remote(&self, s: SeatSignal) {
        if s.node == self.node {
            return;
        }
        let key = (s.node, s.seat);
        let before = {
            let mut seats = self.lock();
            let before = seats.get(&key).and_then(|x| x.ticket);
            if s.ticket.is_some() {
                seats.insert(
                    key,
                    Seat {
                        user: s.user,
                        name: s.name,
                        ticket: s.ticket,
                        replying: s.replying,
                        seen: Instant::now(),
                    },
                );
            } else {
                seats.remove(&key);
            }
            before
        };
        for t in [before, s.ticket].into_iter().flatten() {
            let _ = self.changed.send(t);
        }
    }

    /// Repeats this node's seats and forgets remote ones gone quiet.
    fn repeat_and_prune(&self) {
        let (mine, expired): (Vec<(u64, Seat)>, Vec<i64>) = {
            let mut seats = self.lock();
            let mut expired = Vec::new();
            seats.retain(|(node, _), s| {
                let keep = *node == self.node || s.seen.elapsed() < REMOTE_TTL;
                if !keep && let Some(t) = s.ticket {
                    expired.push(t);
                }
                keep
            });
            let mine = seats
                .iter()
                .filter(|((node, _), s)| *node == self.node && s.ticket.is_some())
                .map(|((_, id), s)| (*id, s.clone()))
                .collect();
            (mine, expired)
        };
        for (id, s) in &mine {
            self.publish(*id, s);
        }
        for t in expired {
            let _ = self.changed.send(t);
        }
    }

    /// The people on a ticket, one entry per person (replying wins over
    /// viewing when they have it open twice).
    fn on_ticket(&self, ticket: i64) -> Vec<serde_json::Value> {
        let mut people: HashMap<i64, (String, bool)> = HashMap::new();
        for ((node, _), s) in self.lock().iter() {
            let live = *node == self.node || s.seen.elapsed() < REMOTE_TTL;
            if live && s.ticket == Some(ticket) {
                let e = people.entry(s.user).or_insert((s.name.clone(), false));
                e.1 |= s.replying;
            }
        }
        let mut out: Vec<_> = people.into_iter().collect();
        out.sort_by_key(|(id, _)| *id);
        out.into_iter()
            .map(|(id, (name, replying))| json!({"id": id, "name": name, "replying": replying}))
            .collect()
    }
}

/// A WebSocket from another site could act with the agent's cookie: only
/// pages served by this host may open one.
fn same_origin(headers: &HeaderMap) -> bool {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match (
        headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()),
        host,
    ) {
        (None, _) => true,
        (Some(origin), Some(host)) => {
            origin
                .strip_prefix("http://")
                .or_else(|| origin.strip_prefix("https://"))
                == Some(host)
        }
        _ => false,
    }
}

/// `GET /agent/live?after=N`.
pub async fn socket(
    State(ui): State<Ui>,
    agent: Agent,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
    ws: WebSocketUpgrade,
) -> Response {
    if !same_origin(&headers) {
        return StatusCode::FORBIDDEN.into_response();
    }
    let after = q.get("after").and_then(|a| a.parse().ok()).unwrap_or(0i64);
    ws.on_upgrade(move |socket| follow(ui, agent, after, socket))
}

async fn follow(ui: Ui, agent: Agent, mut cursor: i64, socket: WebSocket) {
    let actor = agent.user.actor;
    let seat = ui.presence.join(actor.user.0, agent.user.name.clone());
    let mut watch = ui.app.event_log_watch();
    let mut changed = ui.presence.changed.subscribe();
    let (mut tx, mut rx) = socket.split();
    let mut my_ticket: Option<i64> = None;
    // The chat going on for the watched ticket: the customer's typing is
    // shown, the agent's replying is told to them.
    let mut chat: Option<(
        domain::ChatConversationId,
        broadcast::Receiver<app::chat::ChatSignal>,
    )> = None;
    let mut told_typing = false;
    // The agent's chat offers and chats changed: the page refreshes its tabs.
    let mut desk = ui.app.follow_desk(actor.user);
    let mut ping = tokio::time::interval(std::time::Duration::from_secs(25));
    // Catch up first: whatever happened since the page was rendered.
    let mut wake = true;
    loop {
        if wake {
            wake = false;
            loop {
                let events = match ui.app.ticket_events_after(actor, cursor).await {
                    Ok(e) => e,
                    Err(e) => {
                        tracing::warn!(error = %e, "live events could not be read");
                        break;
                    }
                };
                let n = events.len();
                for e in events {
                    cursor = e.id.0;
                    let msg = json!({"type": "event", "id": e.id.0, "ticket": e.ticket.0, "kind": e.kind, "actor": e.actor.map(|a| a.0)});
                    if tx
                        .send(Message::Text(msg.to_string().into()))
                        .await
                        .is_err()
                    {
                        ui.presence.leave(seat);
                        return;
                    }
                }
                if n < 500 {
                    break;
                }
            }
        }
        tokio::select! {
            r = watch.changed() => {
                if r.is_err() { break; }
                wake = true;
            }
            m = rx.next() => {
                match m {
                    Some(Ok(Message::Text(text))) => {
                        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
                            // Only a ticket this agent may see: presence on
                            // others' tickets is not theirs to read or join.
                            my_ticket = match v.get("watch").and_then(serde_json::Value::as_i64) {
                                Some(t) if ui.app.ticket(actor, domain::TicketId(t)).await.is_ok() => Some(t),
                                _ => None,
                            };
                            let replying = v.get("replying").and_then(serde_json::Value::as_bool).unwrap_or(false);
                            ui.presence.set(seat, my_ticket, replying);
                            let conversation = match my_ticket {
                                Some(t) => ui.app.chat_on_ticket(actor, domain::TicketId(t)).await.ok().flatten().map(|c| c.id),
                                None => None,
                            };
                            if chat.as_ref().map(|(c, _)| *c) != conversation {
                                if let (Some((c, _)), true) = (&chat, told_typing) {
                                    ui.app.chat_signal(*c, app::chat::ChatSignal::Typing { agent: true, on: false }).await;
                                }
                                told_typing = false;
                                chat = conversation.map(|c| (c, ui.app.follow_chat(c)));
                                if let Some(c) = conversation {
                                    let _ = ui.app.chat_seen(c).await;
                                }
                            }
                            if let Some((c, _)) = &chat && replying != told_typing {
                                ui.app.chat_signal(*c, app::chat::ChatSignal::Typing { agent: true, on: replying }).await;
                                told_typing = replying;
                            }
                            if let Some(t) = my_ticket {
                                let msg = json!({"type": "presence", "ticket": t, "people": ui.presence.on_ticket(t)});
                                if tx.send(Message::Text(msg.to_string().into())).await.is_err() { break; }
                            }
                        }
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                }
            }
            t = changed.recv() => {
                let t = match t {
                    Ok(t) => Some(t),
                    // Fell behind: refresh whatever this page watches.
                    Err(broadcast::error::RecvError::Lagged(_)) => my_ticket,
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                if let Some(t) = t.filter(|t| Some(*t) == my_ticket) {
                    let msg = json!({"type": "presence", "ticket": t, "people": ui.presence.on_ticket(t)});
                    if tx.send(Message::Text(msg.to_string().into())).await.is_err() { break; }
                }
            }
            s = async {
                match chat.as_mut() {
                    Some((_, room)) => room.recv().await,
                    None => std::future::pending().await,
                }
            } => {
                match s {
                    Ok(app::chat::ChatSignal::Typing { agent: false, on }) => {
                        let msg = json!({"type": "chat-typing", "ticket": my_ticket, "on": on});
                        if tx.send(Message::Text(msg.to_string().into())).await.is_err() { break; }
                    }
                    // The page shows the chat: what the visitor wrote is seen.
                    Ok(app::chat::ChatSignal::Line) => {
                        if let Some((c, _)) = &chat {
                            let _ = ui.app.chat_seen(*c).await;
                        }
                    }
                    Err(broadcast::error::RecvError::Closed) => chat = None,
                    _ => {}
                }
            }
            d = desk.recv() => match d {
                Ok(()) | Err(broadcast::error::RecvError::Lagged(_)) => {
                    let msg = json!({"type": "chats"});
                    if tx.send(Message::Text(msg.to_string().into())).await.is_err() { break; }
                }
                Err(broadcast::error::RecvError::Closed) => desk = ui.app.follow_desk(actor.user),
            },
            _ = ping.tick() => {
                if tx.send(Message::Ping(Vec::new().into())).await.is_err() { break; }
            }
        }
    }
    if let (Some((c, _)), true) = (&chat, told_typing) {
        ui.app
            .chat_signal(
                *c,
                app::chat::ChatSignal::Typing {
                    agent: true,
                    on: false,
                },
            )
            .await;
    }
    ui.presence.leave(seat);
}
