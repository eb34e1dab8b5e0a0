//! The messaging channels' adapter: WhatsApp (Cloud API), Messenger and
//! Instagram (Meta's Messenger Platform), Telegram (Bot API) and SMS
//! (Twilio). It only translates:
//!
//! - **in** (`webhook.rs`): each provider's webhook, its signature checked
//!   with the account's secret (401 and nothing stored otherwise), the body
//!   stored raw through `App::store_channel_delivery` before the provider
//!   is answered; then (`intake.rs`) read into the core's events by the
//!   channel's reader (`whatsapp.rs`, `meta.rs`, `telegram.rs`,
//!   `twilio.rs`), media fetched from the provider on the way;
//! - **out**: one `ChannelSender` per channel, run by the core's outbox
//!   loop, which retries what the provider calls temporary;
//! - **phone calls** (`voice/`): Twilio Programmable Voice's webhooks
//!   answered in TwiML, calls placed for agents, recordings fetched;
//! - **provider calls** (`providers.rs`): registering a Telegram bot's
//!   webhook, a test message from the admin pages.
//!
//! Each account's API base is configurable (tests point it at the
//! stand-ins in the test kit).

mod http;
mod intake;
mod media;
mod meta;
mod parts;
mod providers;
mod signature;
mod telegram;
mod text;
mod twilio;
mod voice;
mod webhook;
mod whatsapp;

use app::App;
use app::outbox::sender::{ChannelSender, RetryPolicy, send_due};
use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::Duration;

pub use providers::ProviderCalls;
pub use voice::TwilioVoice;

/// The voice provider's API the core places calls and fetches recordings
/// through (`App::voice`).
pub fn voice_calls() -> Arc<TwilioVoice> {
    voice::client()
}

/// The provider calls the core makes through `App::messaging`.
pub fn providers() -> Arc<dyn app::messaging::Providers> {
    Arc::new(ProviderCalls::new(http::Http::new()))
}

/// Runs a channel's sender while the channel has an enabled account:
/// until one is connected its replies wait in the outbox (and go once it
/// is), rather than failing for want of credentials.
fn spawn_sender<S: ChannelSender>(app: App, sender: S, wake: Arc<tokio::sync::Notify>) {
    tokio::spawn(async move {
        let channel = sender.channel();
        loop {
            match app.sending_account(channel, None).await {
                Ok(Some(_)) => {
                    if let Err(e) = send_due(&app, &sender, RetryPolicy::default()).await {
                        tracing::warn!(channel = channel.as_str(), error = %e, "outbox pass failed");
                    }
                }
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(channel = channel.as_str(), error = %e, "reading accounts failed")
                }
            }
            let _ = tokio::time::timeout(Duration::from_secs(1), wake.notified()).await;
        }
    });
}

/// Starts reading stored deliveries, sending every messaging channel's
/// outbox and fetching call recordings (with `voice`, the client the core
/// was given), and returns the webhook routes. `public_url` is the address
/// providers reach us at (Twilio signs it); without one the request's
/// `Host` is used.
pub fn start(app: App, public_url: Option<String>, voice: Arc<TwilioVoice>) -> Router {
    let http = http::Http::new();
    let read_now = intake::spawn(app.clone(), http.clone());
    let wakes: Vec<Arc<tokio::sync::Notify>> = (0..5).map(|_| Arc::default()).collect();
    let public = public_url.map(|u| u.trim_end_matches('/').to_string());
    spawn_sender(
        app.clone(),
        whatsapp::Sender::new(app.clone(), http.clone()),
        wakes[0].clone(),
    );
    spawn_sender(
        app.clone(),
        meta::Sender::new(app.clone(), http.clone(), domain::Channel::Messenger),
        wakes[1].clone(),
    );
    spawn_sender(
        app.clone(),
        meta::Sender::new(app.clone(), http.clone(), domain::Channel::Instagram),
        wakes[2].clone(),
    );
    spawn_sender(
        app.clone(),
        telegram::Sender::new(app.clone(), http.clone()),
        wakes[3].clone(),
    );
    spawn_sender(
        app.clone(),
        twilio::Sender::new(app.clone(), http, public.clone()),
        wakes[4].clone(),
    );
    // Every commit may have queued a reply: wake the senders.
    let mut log = app.event_log_watch();
    tokio::spawn(async move {
        while log.changed().await.is_ok() {
            for w in &wakes {
                w.notify_one();
            }
        }
    });
    let fetch_now: Arc<tokio::sync::Notify> = Arc::default();
    voice::spawn_fetcher(app.clone(), voice, fetch_now.clone());
    let calls = Router::new()
        .route("/channels/voice/{line}/{hook}", post(voice::hook))
        .route(
            "/channels/voice/{line}/outbound/{call}",
            post(voice::outbound),
        )
        .with_state(voice::State {
            app: app.clone(),
            public_url: public.clone(),
            fetch_now,
        });
    let media = Router::new()
        .route("/channels/media/{message}/{n}/{name}", get(media::file))
        .with_state(app.clone());
    Router::new()
        .route(
            "/channels/{channel}/{account}/webhook",
            get(webhook::verify).post(webhook::deliver),
        )
        .with_state(webhook::State {
            app,
            public_url: public,
            read_now,
        })
        .merge(media)
        .merge(calls)
}
