//! Phone calls through Twilio Programmable Voice. It only translates:
//!
//! - **in** (`/channels/voice/{line}/{hook}`): every webhook's
//!   `X-Twilio-Signature` is checked with the line's auth token (401 and
//!   nothing stored otherwise); its form fields are read into the core's
//!   `CallHook`, and the `VoiceStep` the core answers is said in TwiML
//!   (`twiml.rs`). A request that cannot be read, or a core that cannot
//!   answer, is answered with an apology and a voicemail, never an error
//!   the caller would hear as silence; an unknown line gets an apology.
//! - **out** (`rest.rs`): placing an agent's call (`Calls.json`) and
//!   fetching recordings, which a loop here does from the core's queue.

mod rest;
mod twiml;

use crate::http::Http;
use crate::signature;
use app::App;
use app::voice::{CallHook, KeysAt, VoiceHook};
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use domain::voice::{LegEnd, VoiceStep};
use domain::{CallId, VoiceLineId};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

pub use rest::TwilioVoice;

#[derive(Clone)]
pub struct State {
    pub app: App,
    pub public_url: Option<String>,
    /// Woken when a recording may be ready to fetch.
    pub fetch_now: Arc<Notify>,
}

fn twiml(body: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/xml")], body).into_response()
}

/// Fetches queued recordings: at once when a webhook says one is ready,
/// else every few seconds (retries come due); and completes the logs of
/// calls that ended on no case.
pub fn spawn_fetcher(app: App, voice: Arc<TwilioVoice>, wake: Arc<Notify>) {
    tokio::spawn(async move {
        loop {
            if let Err(e) = app.fetch_due_recordings(voice.as_ref()).await {
                tracing::warn!(error = %e, "fetching call recordings failed");
            }
            if let Err(e) = app.log_unlogged_calls().await {
                tracing::warn!(error = %e, "logging ended calls failed");
            }
            let _ = tokio::time::timeout(Duration::from_secs(5), wake.notified()).await;
        }
    });
}

/// The Twilio voice client the core places calls with.
pub fn client() -> Arc<TwilioVoice> {
    Arc::new(TwilioVoice::new(Http::new()))
}

/// A line's webhook: `/channels/voice/{line}/{hook}`.
pub async fn hook(
    axum::extract::State(s): axum::extract::State<State>,
    Path((line, hook)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    answer(&s, &line, Hooked::Named(&hook), &uri, &headers, &body).await
}

/// The agent picked up the call we placed for them:
/// `/channels/voice/{line}/outbound/{call}`.
pub async fn outbound(
    axum::extract::State(s): axum::extract::State<State>,
    Path((line, call)): Path<(String, String)>,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Ok(call) = call.parse::<i64>() else {
        return twiml(twiml::apology());
    };
    answer(
        &s,
        &line,
        Hooked::Outbound(CallId(call)),
        &uri,
        &headers,
        &body,
    )
    .await
}

enum Hooked<'a> {
    Named(&'a str),
    Outbound(CallId),
}

async fn answer(
    s: &State,
    line: &str,
    hooked: Hooked<'_>,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Response {
    let Some((line, creds)) = (match line.parse::<i64>() {
        Ok(id) => s
            .app
            .voice_line_with_credentials(VoiceLineId(id))
            .await
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "reading a voice line failed");
                None
            }),
        Err(_) => None,
    })
    .filter(|(l, _)| l.enabled) else {
        return twiml(twiml::apology());
    };
    let params: Vec<(String, String)> = form_urlencoded::parse(body).into_owned().collect();
    let url = crate::webhook::requested_url(s.public_url.as_deref(), headers, uri);
    let sig = headers
        .get("x-twilio-signature")
        .and_then(|v| v.to_str().ok());
    let signed = creds
        .need("auth_token")
        .is_ok_and(|t| signature::twilio_ok(t, &url, &params, sig));
    if !signed {
        tracing::warn!(
            line = line.id.0,
            "a voice webhook with a bad or missing signature was refused"
        );
        return (StatusCode::UNAUTHORIZED, "invalid signature").into_response();
    }
    let hooks = twiml::Hooks {
        base: format!("{}/channels/voice/{}", base_of(&url, uri), line.id.0),
    };
    let f: HashMap<String, String> = params.into_iter().collect();
    if let Hooked::Outbound(id) = hooked
        && let Some(sid) = f.get("CallSid")
        && let Err(e) = s.app.settle_outbound_sid(id, sid).await
    {
        tracing::warn!(error = %e, "an outbound call's id could not be kept");
    }
    let step = match read(&hooked, &f) {
        Read::Hook(h) => {
            let wakes = matches!(
                h.hook,
                VoiceHook::Recorded { .. } | VoiceHook::RecordingReady { .. }
            );
            let step = s.app.voice_hook(&line, h).await;
            if wakes {
                s.fetch_now.notify_one();
            }
            step
        }
        Read::Nothing => VoiceStep::Nothing,
        Read::Malformed(listening) => {
            tracing::warn!(line = line.id.0, "a voice webhook that cannot be read");
            if listening {
                s.app.voice_sorry(&line)
            } else {
                VoiceStep::Nothing
            }
        }
    };
    twiml(twiml::render(&step, &hooks))
}

/// Our public base as Twilio reached it (the signed address without its
/// path).
fn base_of(url: &str, uri: &axum::http::Uri) -> String {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    url.strip_suffix(path).unwrap_or(url).to_string()
}

/// What a webhook's fields say.
enum Read {
    Hook(CallHook),
    /// A report that changes nothing (a call still ringing).
    Nothing,
    /// Not what Twilio sends; whether the caller hears the answer.
    Malformed(bool),
}

fn secs(f: &HashMap<String, String>, key: &str) -> Option<i64> {
    f.get(key).and_then(|v| v.trim().parse().ok())
}

/// Reads a webhook's form fields into the core's terms.
fn read(hooked: &Hooked<'_>, f: &HashMap<String, String>) -> Read {
    let name = match hooked {
        Hooked::Named(n) => *n,
        Hooked::Outbound(_) => "outbound",
    };
    let listening = matches!(
        name,
        "incoming" | "language" | "menu" | "queue-keys" | "wait" | "dialed" | "outbound"
    );
    // Twilio's report of the agent's leg names the caller's call as its
    // parent.
    let sid = if name == "agent" {
        f.get("ParentCallSid")
    } else {
        f.get("CallSid")
    };
    let (Some(sid), Some(from)) = (sid, f.get("From")) else {
        return Read::Malformed(listening);
    };
    let to = f.get("To").cloned().unwrap_or_default();
    let digits = f.get("Digits").cloned();
    let hook = match name {
        "incoming" => VoiceHook::Incoming {
            from: from.clone(),
            to: to.clone(),
        },
        "language" => VoiceHook::Keys {
            at: KeysAt::Language,
            digits,
        },
        "menu" => VoiceHook::Keys {
            at: KeysAt::Menu,
            digits,
        },
        "queue-keys" => VoiceHook::Keys {
            at: KeysAt::Queue,
            digits,
        },
        "wait" => VoiceHook::Wait,
        "agent" => match f.get("CallStatus").map(String::as_str) {
            Some("in-progress" | "answered") => VoiceHook::AgentAnswered,
            _ => return Read::Nothing,
        },
        "dialed" => VoiceHook::Dialed {
            end: match f.get("DialCallStatus").map(String::as_str) {
                Some("completed" | "answered") => LegEnd::Answered,
                Some("busy") => LegEnd::Busy,
                Some("failed") => LegEnd::Failed,
                Some("no-answer" | "canceled") | None => LegEnd::NoAnswer,
                Some(_) => return Read::Malformed(listening),
            },
            duration_secs: secs(f, "DialCallDuration"),
        },
        "status" => match f.get("CallStatus").map(String::as_str) {
            Some("completed" | "busy" | "no-answer" | "failed" | "canceled") => VoiceHook::Ended {
                duration_secs: secs(f, "CallDuration"),
            },
            // Not over yet.
            Some("queued" | "initiated" | "ringing" | "in-progress") => return Read::Nothing,
            _ => return Read::Malformed(false),
        },
        "recorded" => VoiceHook::Recorded {
            url: f.get("RecordingUrl").cloned(),
            duration_secs: secs(f, "RecordingDuration"),
        },
        "recording" => match (
            f.get("RecordingStatus").map(String::as_str),
            f.get("RecordingUrl"),
        ) {
            (Some("completed"), Some(url)) => VoiceHook::RecordingReady {
                url: url.clone(),
                duration_secs: secs(f, "RecordingDuration"),
            },
            _ => return Read::Nothing,
        },
        "transcription" => VoiceHook::Transcribed {
            text: (f.get("TranscriptionStatus").map(String::as_str) == Some("completed"))
                .then(|| f.get("TranscriptionText").cloned())
                .flatten(),
        },
        "outbound" => VoiceHook::OutboundAnswered,
        // Not one of ours: the caller still hears something useful.
        _ => return Read::Malformed(true),
    };
    Read::Hook(CallHook {
        call_sid: sid.clone(),
        from: from.clone(),
        to,
        hook,
    })
}
