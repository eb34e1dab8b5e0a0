//! The phone phases. TwiML: calls to a voice line, each webhook signed as
//! Twilio signs it (HMAC-SHA1 of the address and the sorted fields), timed
//! from the request to the TwiML answer — the incoming call (greeting and
//! menu), the menu choice (into the queue: nobody is online, so the
//! caller's place), and the hang-up (the call logged on a new case).
//! Screen-pop: a call reported ringing for the signed-in agent, timed
//! until the agent's live socket has told the page and the strip it then
//! fetches shows the caller's number.

use crate::{Target, call, phase};
use base64::Engine;
use futures_util::StreamExt;
use hmac::Mac;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const ACCOUNT_SID: &str = "ACbench0000000000000000000000000001";
const AUTH_TOKEN: &str = "bench-voice-token";
const LINE_NUMBER: &str = "+15005550100";

/// Twilio's `X-Twilio-Signature` of a POST to `url` with `fields`.
fn signature(url: &str, fields: &[(&str, String)]) -> String {
    let mut sorted: Vec<&(&str, String)> = fields.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let mut data = url.to_string();
    for (k, v) in sorted {
        data.push_str(k);
        data.push_str(v);
    }
    let mut mac = hmac::Hmac::<sha1::Sha1>::new_from_slice(AUTH_TOKEN.as_bytes())
        .unwrap_or_else(|_| crate::panic_exit("hmac key"));
    mac.update(data.as_bytes());
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// One signed webhook; Ok when Twilio would have TwiML to say.
async fn hook(
    t: &Target,
    url: &str,
    fields: Vec<(&str, String)>,
) -> Result<serde_json::Value, String> {
    let sig = signature(url, &fields);
    let r = t
        .http
        .post(url)
        .header("x-twilio-signature", sig)
        .form(&fields)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let ok = r.status().as_u16() == 200;
    let body = r.text().await.map_err(|e| e.to_string())?;
    if ok && body.contains("<Response>") {
        Ok(serde_json::Value::Null)
    } else {
        Err(format!("voice webhook: {body}"))
    }
}

fn fields(i: usize, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("CallSid", format!("CAbench{i:08}")),
        ("AccountSid", ACCOUNT_SID.to_string()),
        ("From", format!("+3461{:07}", i)),
        ("To", LINE_NUMBER.to_string()),
        ("Direction", "inbound".to_string()),
    ];
    f.extend(extra.iter().map(|(k, v)| (*k, v.to_string())));
    f
}

/// Runs the TwiML phases over `calls` calls, then `pops` screen-pops.
pub async fn run(t: &Arc<Target>, calls: usize, pops: usize, clients: usize, agent: (&str, &str)) {
    let made = call(
        t,
        reqwest::Method::POST,
        "/api/v2/channels/voice/lines.json",
        Some(serde_json::json!({"line": {"name": "Bench", "number": LINE_NUMBER,
            "account_sid": ACCOUNT_SID, "auth_token": AUTH_TOKEN,
            "settings": {"languages": ["es"], "menu": [
                {"digit": 1, "label": {"es": "pedidos"}, "target": {"kind": "queue"}},
                {"digit": 2, "label": {"es": "horarios"}, "target": {"kind": "message", "text": {"es": "De nueve a seis."}}}
            ]}}})),
    )
    .await
    .unwrap_or_else(|e| crate::panic_exit(&e));
    let incoming: Arc<str> = made["line"]["incoming_url"]
        .as_str()
        .unwrap_or_default()
        .into();
    let base: Arc<str> = incoming.trim_end_matches("/incoming").into();
    let url = |b: &Arc<str>, h: &str| format!("{b}/{h}");

    let b = base.clone();
    phase(t, "twiml incoming", calls, clients, move |t, i| {
        let u = url(&b, "incoming");
        async move { hook(&t, &u, fields(i, &[])).await }
    })
    .await;
    let b = base.clone();
    phase(t, "twiml menu → queue", calls, clients, move |t, i| {
        let u = url(&b, "menu");
        async move { hook(&t, &u, fields(i, &[("Digits", "1")])).await }
    })
    .await;
    let b = base.clone();
    phase(t, "twiml hang-up (logged)", calls, clients, move |t, i| {
        let u = url(&b, "status");
        async move {
            hook(
                &t,
                &u,
                fields(i, &[("CallStatus", "completed"), ("CallDuration", "30")]),
            )
            .await
        }
    })
    .await;
    if pops > 0 {
        screen_pops(t, pops, agent).await;
    }
}

/// Rings the signed-in agent `n` times, one after another.
async fn screen_pops(t: &Arc<Target>, n: usize, (email, password): (&str, &str)) {
    let cookie = crate::pages::sign_in(&t.base, email, password)
        .await
        .unwrap_or_else(|e| crate::panic_exit(&e));
    let me = call(t, reqwest::Method::GET, "/api/v2/users/me.json", None)
        .await
        .unwrap_or_else(|e| crate::panic_exit(&e));
    let agent = me["user"]["id"].as_i64().unwrap_or_default();
    let ws_url = format!("{}/agent/live", t.base.replacen("http", "ws", 1));
    let mut req = ws_url
        .into_client_request()
        .unwrap_or_else(|e| crate::panic_exit(&e.to_string()));
    if let (Ok(c), Ok(o)) = (cookie.parse(), t.base.parse()) {
        req.headers_mut().insert("cookie", c);
        req.headers_mut().insert("origin", o);
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .unwrap_or_else(|e| crate::panic_exit(&format!("live socket: {e}")));
    let mut lat = Vec::new();
    let mut errors = 0;
    let started = Instant::now();
    for i in 0..n {
        let number = format!("+3462{i:07}");
        let event = |e: &str| {
            serde_json::json!({"call_event": {"event": e, "provider": "bench-pbx",
                "call_id": format!("pop-{i}"), "from": number, "to": "+34910000000", "agent_id": agent}})
        };
        let s = Instant::now();
        if call(
            t,
            reqwest::Method::POST,
            "/api/v2/calls/events.json",
            Some(event("ringing")),
        )
        .await
        .is_err()
        {
            errors += 1;
            continue;
        }
        // The page is told, then fetches the strip.
        let told = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(Ok(m)) = ws.next().await {
                if let Message::Text(text) = m
                    && text.as_str().contains("\"chats\"")
                {
                    return true;
                }
            }
            false
        })
        .await
        .unwrap_or(false);
        let strip = t
            .http
            .get(format!("{}/agent/chats/tabs", t.base))
            .header("cookie", &cookie)
            .send()
            .await
            .ok();
        let shown = match strip {
            Some(r) => r.text().await.unwrap_or_default().contains(&number),
            None => false,
        };
        if told && shown {
            lat.push(s.elapsed());
        } else {
            errors += 1;
        }
        let _ = call(
            t,
            reqwest::Method::POST,
            "/api/v2/calls/events.json",
            Some(event("answered")),
        )
        .await;
        // The answer's own signal, so the next ring is timed alone.
        let _ = tokio::time::timeout(Duration::from_millis(500), ws.next()).await;
    }
    crate::report("screen-pop", lat, started.elapsed(), errors);
}
