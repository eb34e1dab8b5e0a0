//! Twilio's Voice REST API as the core needs it: placing a call
//! (`POST /2010-04-01/Accounts/{sid}/Calls.json`) and fetching a recording
//! (its `RecordingUrl` as MP3), both with the line's credentials.

use crate::http::{Http, call};
use app::voice::{BoxFuture, RecordingFetch, VoiceCalls};
use domain::messaging::Credentials;
use domain::voice::{AgentPhone, VoiceLine};

const API: &str = "https://api.twilio.com";

/// The largest recording kept (a three-hour call in MP3 is about 90 MB;
/// voicemails are minutes).
const MAX_RECORDING: usize = 100 * 1024 * 1024;

pub struct TwilioVoice {
    http: Http,
}

impl TwilioVoice {
    pub fn new(http: Http) -> TwilioVoice {
        TwilioVoice { http }
    }
}

fn credentials(creds: &Credentials) -> Result<(&str, &str), String> {
    let sid = creds.need("account_sid").map_err(|e| e.to_string())?;
    let token = creds.need("auth_token").map_err(|e| e.to_string())?;
    Ok((sid, token))
}

impl VoiceCalls for TwilioVoice {
    fn place_call<'a>(
        &'a self,
        line: &'a VoiceLine,
        creds: &'a Credentials,
        to: &'a AgentPhone,
        answer_url: &'a str,
        status_url: &'a str,
    ) -> BoxFuture<'a, Result<String, String>> {
        Box::pin(async move {
            let (sid, token) = credentials(creds)?;
            let to = match to {
                AgentPhone::Number(n) => n.clone(),
                AgentPhone::Client(c) => format!("client:{c}"),
            };
            let form = [
                ("To", to.as_str()),
                ("From", line.number.as_str()),
                ("Url", answer_url),
                ("Method", "POST"),
                ("StatusCallback", status_url),
                ("StatusCallbackMethod", "POST"),
            ];
            let base = line.api_base.as_deref().unwrap_or(API);
            let a = call(
                self.http
                    .client
                    .post(format!("{base}/2010-04-01/Accounts/{sid}/Calls.json"))
                    .basic_auth(sid, Some(token))
                    .form(&form),
            )
            .await
            .map_err(app::outbox::sender::SendError::into_words)?;
            match (a.status, a.json["sid"].as_str()) {
                (200 | 201, Some(id)) => Ok(id.to_string()),
                (s, _) => Err(format!(
                    "Twilio error {}: {}",
                    a.json["code"].as_i64().unwrap_or(i64::from(s)),
                    a.json["message"].as_str().unwrap_or("refused")
                )),
            }
        })
    }

    fn fetch_recording<'a>(
        &'a self,
        creds: &'a Credentials,
        url: &'a str,
    ) -> BoxFuture<'a, Result<(String, Vec<u8>), RecordingFetch>> {
        Box::pin(async move {
            let (sid, token) = credentials(creds).map_err(RecordingFetch::Permanent)?;
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(RecordingFetch::Permanent("not an http(s) address".into()));
            }
            let url = if url.ends_with(".mp3") || url.ends_with(".wav") {
                url.to_string()
            } else {
                format!("{url}.mp3")
            };
            let resp = self
                .http
                .client
                .get(&url)
                .basic_auth(sid, Some(token))
                .send()
                .await
                .map_err(|e| {
                    RecordingFetch::Temporary(format!(
                        "Twilio could not be reached: {}",
                        e.without_url()
                    ))
                })?;
            let status = resp.status().as_u16();
            match status {
                200 => {}
                // Not ready yet (Twilio makes it available shortly after
                // the call), rate limits, Twilio's own trouble.
                404 | 429 | 500..=599 => {
                    return Err(RecordingFetch::Temporary(format!(
                        "Twilio answered HTTP {status}"
                    )));
                }
                _ => {
                    return Err(RecordingFetch::Permanent(format!(
                        "Twilio answered HTTP {status}"
                    )));
                }
            }
            let content_type = resp
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("audio/mpeg")
                .to_string();
            let bytes = resp.bytes().await.map_err(|e| {
                RecordingFetch::Temporary(format!("the recording was cut: {}", e.without_url()))
            })?;
            if bytes.len() > MAX_RECORDING {
                return Err(RecordingFetch::Permanent(format!(
                    "larger than {MAX_RECORDING} bytes"
                )));
            }
            Ok((content_type, bytes.to_vec()))
        })
    }
}
