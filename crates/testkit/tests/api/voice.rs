//! Phone calls through a Twilio voice line, end to end. Every webhook is
//! signed by the official `twilio` Python library's validator and every
//! TwiML answer is parsed as XML (`tests/clients/twilio_flow.py post`).
//! A known caller is greeted in her language and hears the menu; a
//! message option says its words and ends; an unknown caller chooses a
//! language, queues, and rings the agent routing chooses (her workspace
//! pops the call), who answers: the call is logged on the caller's new
//! case, which is hers. Meanwhile a second caller hears her place and asks
//! to be called back; a third leaves a voicemail, whose recording is
//! fetched through the queue and whose transcription lands on the case; a
//! caller whose wait runs out is offered voicemail; one who hangs up while
//! waiting is logged as abandoned; off hours the caller is told when we
//! are back. The agent calls back from the case through the provider's
//! REST API (the stand-in the official client was run against). Bad
//! signatures are refused with nothing stored, repeated callbacks change
//! nothing, and what cannot be read is answered with an apology and a
//! voicemail.

use super::messaging_kit::{twilio, until};
use super::*;
use atiende_testkit::twilio::TwilioStandIn;
use domain::calls::{Call, CallOutcome};

const SID: &str = "AC00000000000000000000000000000001";
const TOKEN: &str = "twilio-voice-token";
const LINE_NUMBER: &str = "+15005550006";
const MARTA: &str = "+34600112233";

struct Line<'a> {
    srv: &'a TestServer,
    id: i64,
}

impl Line<'_> {
    fn url(&self, hook: &str) -> String {
        format!("{}/channels/voice/{}/{hook}", self.srv.base, self.id)
    }

    /// A webhook as Twilio sends it; the answer (`status`, `verbs`).
    async fn post(&self, hook: &str, params: &[(&str, &str)]) -> Json {
        self.post_signed_for(hook, None, params).await
    }

    async fn post_signed_for(
        &self,
        hook: &str,
        signed_for: Option<&str>,
        params: &[(&str, &str)],
    ) -> Json {
        let map: serde_json::Map<String, Json> = params
            .iter()
            .map(|(k, v)| (k.to_string(), Json::from(*v)))
            .collect();
        let mut args = vec![
            "post".to_string(),
            self.url(hook),
            TOKEN.into(),
            Json::Object(map).to_string(),
        ];
        if let Some(other) = signed_for {
            args.push(other.to_string());
        }
        let out = twilio(args).await;
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    /// A call's webhook with its usual fields.
    async fn hook(&self, hook: &str, sid: &str, from: &str, extra: &[(&str, &str)]) -> Json {
        let mut params = vec![
            ("CallSid", sid),
            ("AccountSid", SID),
            ("From", from),
            ("To", LINE_NUMBER),
            ("Direction", "inbound"),
        ];
        params.extend_from_slice(extra);
        let answer = self.post(hook, &params).await;
        assert_eq!(answer["status"], 200, "{hook}: {answer}");
        answer
    }
}

/// Every `<Say>` of an answer, nested ones too, in order.
fn said(answer: &Json) -> Vec<String> {
    fn walk(v: &Json, out: &mut Vec<String>) {
        for verb in v.as_array().into_iter().flatten() {
            if verb["verb"] == "Say" {
                out.push(verb["text"].as_str().unwrap_or_default().to_string());
            }
            walk(&verb["children"], out);
        }
    }
    let mut out = Vec::new();
    walk(&answer["verbs"], &mut out);
    out
}

/// The top-level verbs' names.
fn verbs(answer: &Json) -> Vec<String> {
    answer["verbs"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| v["verb"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The first verb named `name` at the top level.
fn verb<'a>(answer: &'a Json, name: &str) -> &'a Json {
    answer["verbs"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["verb"] == name))
        .unwrap_or_else(|| panic!("no <{name}> in {answer}"))
}

async fn call_of(srv: &TestServer, sid: &str) -> Call {
    let mut rc = srv.app.read().await.unwrap_or_else(|e| panic!("{e}"));
    store::repo::calls::by_provider_id(&mut rc.conn(), "twilio", sid)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no call {sid}"))
}

async fn stored(srv: &TestServer, sid: &str) -> bool {
    let mut rc = srv.app.read().await.unwrap_or_else(|e| panic!("{e}"));
    store::repo::calls::by_provider_id(&mut rc.conn(), "twilio", sid)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .is_some()
}

/// A schedule open only from two to three hours from now (closed now).
async fn closed_schedule(srv: &TestServer) -> i64 {
    let now = jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC);
    let minute = i64::from(now.weekday().to_sunday_zero_offset()) * 1440
        + i64::from(now.hour()) * 60
        + i64::from(now.minute());
    let start = (minute + 120) % 10080;
    let start = start.min(10080 - 60);
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/business_hours/schedules.json",
            &srv.admin(),
            Some(
                json!({"schedule": {"name": "Casi nunca", "time_zone": "UTC",
                "intervals": [{"start_time": start, "end_time": start + 60}]}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["schedule"]["id"].as_i64().unwrap_or_default()
}

both!(calls_through_a_twilio_line, |srv| {
    let api = TwilioStandIn::start(SID, TOKEN).await;
    // The official client places a call on the stand-in: its contract is
    // the library's.
    let placed = twilio(vec![
        "call".into(),
        api.base.clone(),
        SID.into(),
        TOKEN.into(),
        LINE_NUMBER.into(),
        "client:agent-1".into(),
        "https://example.com/answer".into(),
    ])
    .await;
    assert!(placed.contains("\"sid\": \"CA"), "{placed}");

    // Ana takes calls, in Spanish and English, one at a time.
    super::routing::call_ok(
        &srv,
        "PUT",
        "/api/v2/routing/settings.json",
        &srv.admin(),
        json!({"routing_settings": {"enabled": true, "call_wrap_up_seconds": 3600}}),
    )
    .await;
    let (ana, ana_auth) = srv
        .user_with_token("Ana Agente", "ana@example.com", "agent")
        .await;
    let profile = format!("/api/v2/routing/agents/{ana}/profile.json");
    super::routing::call_ok(
        &srv,
        "PUT",
        &profile,
        &srv.admin(),
        json!({"routing_profile": {"languages": ["es", "en"], "capacity": {"call": 1}}}),
    )
    .await;
    super::routing::call_ok(
        &srv,
        "PUT",
        &profile,
        &ana_auth,
        json!({"routing_profile": {"presence": "online"}}),
    )
    .await;
    // Marta is known by her number and speaks Spanish.
    let (s, u) = srv
        .call("POST", "/api/v2/users.json", &srv.admin(),
            Some(json!({"user": {"name": "Marta Ruiz", "email": "marta@example.com", "locale": "es"}})))
        .await;
    assert_eq!(s, 201, "{u}");
    let marta = u["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/users/{marta}/identities.json"),
            &srv.admin(),
            Some(json!({"identity": {"type": "phone_number", "value": MARTA}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");

    // The line: a menu of orders (the queue) and opening hours (words).
    let (s, b) = srv
        .call("POST", "/api/v2/channels/voice/lines.json", &srv.admin(), Some(json!({"line": {
            "name": "Tienda Sol", "number": LINE_NUMBER, "account_sid": SID, "auth_token": TOKEN,
            "api_base": api.base,
            "settings": {"languages": ["es", "en"], "queue_timeout_secs": 60,
                "menu": [
                    {"digit": 1, "label": {"es": "pedidos", "en": "orders"}, "target": {"kind": "queue"}},
                    {"digit": 2, "label": {"es": "horarios", "en": "opening hours"},
                     "target": {"kind": "message", "text": {"es": "Abrimos de nueve a seis.", "en": "We open nine to six."}}}
                ]}}})))
        .await;
    assert_eq!(s, 201, "{b}");
    assert!(
        b["line"].get("auth_token").is_none() && !b.to_string().contains(TOKEN),
        "{b}"
    );
    let line = Line {
        srv: &srv,
        id: b["line"]["id"].as_i64().unwrap_or_default(),
    };
    assert!(
        b["line"]["incoming_url"]
            .as_str()
            .unwrap_or_default()
            .ends_with(&format!("/channels/voice/{}/incoming", line.id))
    );
    // Settings that make no sense are refused.
    let (s, _) = srv
        .call("PUT", &format!("/api/v2/channels/voice/lines/{}.json", line.id), &srv.admin(),
            Some(json!({"line": {"settings": {"menu": [{"digit": 0, "label": {"es": "x"}, "target": {"kind": "queue"}}]}}})))
        .await;
    assert_eq!(s, 422);

    // A bad signature is refused and nothing is stored.
    let forged = line
        .post_signed_for(
            "incoming",
            Some("https://elsewhere.example/incoming"),
            &[
                ("CallSid", "CA-forged"),
                ("From", MARTA),
                ("To", LINE_NUMBER),
            ],
        )
        .await;
    assert_eq!(forged["status"], 401, "{forged}");
    assert!(!stored(&srv, "CA-forged").await);
    // A line we do not have: an apology, never silence.
    let r = reqwest::Client::new()
        .post(format!("{}/channels/voice/999/incoming", srv.base))
        .form(&[("CallSid", "CA-x")])
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 200);
    let body = r.text().await.unwrap_or_default();
    assert!(
        body.contains("Lo sentimos") && body.contains("<Hangup/>"),
        "{body}"
    );

    // Marta: greeted in Spanish, the menu; "2" says the hours and ends.
    let a = line.hook("incoming", "CA-marta-1", MARTA, &[]).await;
    let words = said(&a);
    assert_eq!(words[0], "Gracias por llamar a Tienda Sol.", "{a}");
    assert!(
        words.contains(&"Para pedidos, pulse 1.".to_string()),
        "{words:?}"
    );
    let gather = verb(&a, "Gather");
    assert_eq!(gather["attrs"]["numDigits"], "1");
    assert_eq!(gather["attrs"]["action"], line.url("menu"));
    assert_eq!(
        verb(&a, "Gather")["children"][0]["attrs"]["language"],
        "es-ES"
    );
    let a = line
        .hook("menu", "CA-marta-1", MARTA, &[("Digits", "2")])
        .await;
    assert_eq!(said(&a), vec!["Abrimos de nueve a seis.", "Adiós."]);
    assert_eq!(verbs(&a).last().map(String::as_str), Some("Hangup"));
    line.hook(
        "status",
        "CA-marta-1",
        MARTA,
        &[("CallStatus", "completed"), ("CallDuration", "9")],
    )
    .await;
    assert_eq!(
        call_of(&srv, "CA-marta-1").await.ticket,
        None,
        "asking the hours is no case"
    );

    // An unknown caller chooses English, then orders: Ana's phone rings.
    let caller = "+34611000001";
    let a = line.hook("incoming", "CA-2", caller, &[]).await;
    assert_eq!(
        said(&a),
        vec!["Para español, pulse 1.", "For English, press 2."],
        "{a}"
    );
    assert_eq!(
        verb(&a, "Redirect")["text"],
        line.url("language"),
        "no key: the default language"
    );
    let a = line
        .hook("language", "CA-2", caller, &[("Digits", "2")])
        .await;
    assert_eq!(said(&a)[0], "Thank you for calling Tienda Sol.");
    let a = line.hook("menu", "CA-2", caller, &[("Digits", "1")]).await;
    assert_eq!(
        said(&a),
        vec!["Connecting you with a member of our team."],
        "{a}"
    );
    let dial = verb(&a, "Dial");
    assert_eq!(dial["attrs"]["action"], line.url("dialed"));
    assert_eq!(dial["attrs"]["timeout"], "20");
    let client = &dial["children"][0];
    assert_eq!(client["verb"], "Client");
    assert_eq!(client["text"], format!("agent-{ana}"));
    assert_eq!(client["attrs"]["statusCallback"], line.url("agent"));
    // The screen-pop: the call rings for Ana.
    let ringing = srv
        .app
        .ringing_calls(agent_actor(&srv, ana).await)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ringing.len(), 1);
    assert_eq!(ringing[0].call.from, caller);
    // She answers (Twilio reports the agent's leg with its parent call).
    let a = line
        .post(
            "agent",
            &[
                ("CallSid", "CA-2-leg"),
                ("ParentCallSid", "CA-2"),
                ("From", caller),
                ("To", &format!("client:agent-{ana}")),
                ("CallStatus", "in-progress"),
            ],
        )
        .await;
    assert_eq!(a["status"], 200, "{a}");
    assert!(call_of(&srv, "CA-2").await.answered_at.is_some());

    // Meanwhile Marta calls again: Ana is busy, Marta is next and asks to
    // be called back.
    let a = line.hook("incoming", "CA-3", MARTA, &[]).await;
    assert_eq!(said(&a)[0], "Gracias por llamar a Tienda Sol.");
    let a = line.hook("menu", "CA-3", MARTA, &[("Digits", "1")]).await;
    let words = said(&a);
    assert_eq!(words[0], "Es la siguiente llamada en ser atendida.", "{a}");
    assert!(words.iter().any(|w| w.contains("pulse 2")), "{words:?}");
    assert_eq!(
        verb(&a, "Gather")["attrs"]["action"],
        line.url("queue-keys")
    );
    assert_eq!(verb(&a, "Redirect")["text"], line.url("wait"));
    let a = line.hook("wait", "CA-3", MARTA, &[]).await;
    assert_eq!(
        said(&a)[0],
        "Es la siguiente llamada en ser atendida.",
        "still busy"
    );
    // She has waited half a minute when she asks.
    srv.app
        .db
        .write(|c| {
            Box::pin(async move {
                c.exec(store::q(
                    "UPDATE calls SET queued_at = queued_at - 30 WHERE provider_call_id = 'CA-3'",
                ))
                .await?;
                Ok::<_, app::AppError>(())
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let a = line
        .hook("queue-keys", "CA-3", MARTA, &[("Digits", "2")])
        .await;
    assert_eq!(
        said(&a),
        vec!["Le llamaremos al 3 4 6 0 0 1 1 2 2 3 3 lo antes posible. Adiós."]
    );
    let callback = call_of(&srv, "CA-3").await;
    assert_eq!(callback.outcome, Some(CallOutcome::Callback));
    let callback_case = callback.ticket.map_or(0, |t| t.0);
    // Ana is on a call: the callback waits in routing's queue from when
    // Marta started waiting on the phone, her place kept.
    let route = {
        let mut rc = srv.app.read().await.unwrap_or_else(|e| panic!("{e}"));
        store::repo::routing::route(&mut rc.conn(), domain::TicketId(callback_case))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|| panic!("no route"))
    };
    assert_eq!(
        Some(route.queued_at),
        callback.line.as_ref().and_then(|l| l.queued_at)
    );
    assert!(
        comment_bodies(&srv, callback_case)
            .await
            .iter()
            .any(|b| b.contains("pidió que le devolvamos la llamada"))
    );

    // Ana's call ends: logged on the caller's new case, which is hers.
    let a = line
        .hook(
            "dialed",
            "CA-2",
            caller,
            &[("DialCallStatus", "completed"), ("DialCallDuration", "95")],
        )
        .await;
    assert_eq!(verbs(&a), vec!["Hangup"]);
    for _ in 0..2 {
        // Twilio may repeat a callback: it changes nothing.
        line.hook(
            "status",
            "CA-2",
            caller,
            &[("CallStatus", "completed"), ("CallDuration", "130")],
        )
        .await;
    }
    let answered = call_of(&srv, "CA-2").await;
    assert_eq!(answered.outcome, Some(CallOutcome::Answered));
    assert_eq!(answered.duration_secs, Some(95), "the talk, not the wait");
    let case = answered.ticket.map_or(0, |t| t.0);
    let bodies = comment_bodies(&srv, case).await;
    assert_eq!(
        bodies,
        vec![format!(
            "Call from {caller}, answered by Ana Agente (1 min 35 s)."
        )]
    );
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{case}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["assignee_id"], ana);
    assert_eq!(t["ticket"]["via"]["channel"], "voice");

    // A third caller (Ana wraps up) leaves a voicemail from the queue.
    let third = "+34622000003";
    api.with_book(|b| b.recordings.insert("RE1".into(), b"ID3-mp3-bytes".to_vec()));
    line.hook("incoming", "CA-4", third, &[]).await;
    line.hook("language", "CA-4", third, &[("Digits", "1")])
        .await;
    let a = line.hook("menu", "CA-4", third, &[("Digits", "1")]).await;
    assert_eq!(said(&a)[0], "Es la siguiente llamada en ser atendida.");
    let a = line
        .hook("queue-keys", "CA-4", third, &[("Digits", "1")])
        .await;
    let record = verb(&a, "Record");
    assert_eq!(record["attrs"]["action"], line.url("recorded"));
    assert_eq!(record["attrs"]["transcribe"], "true");
    assert_eq!(
        record["attrs"]["transcribeCallback"],
        line.url("transcription")
    );
    let recording_url = api.recording_url("RE1");
    let a = line
        .hook(
            "recorded",
            "CA-4",
            third,
            &[
                ("RecordingUrl", &recording_url),
                ("RecordingDuration", "12"),
            ],
        )
        .await;
    assert_eq!(said(&a), vec!["Gracias, hemos recibido su mensaje. Adiós."]);
    line.hook(
        "status",
        "CA-4",
        third,
        &[("CallStatus", "completed"), ("CallDuration", "40")],
    )
    .await;
    line.hook(
        "transcription",
        "CA-4",
        third,
        &[
            ("TranscriptionStatus", "completed"),
            ("TranscriptionText", "Llamo por la factura de noviembre"),
            ("RecordingUrl", &recording_url),
        ],
    )
    .await;
    let voicemail = call_of(&srv, "CA-4").await;
    assert_eq!(voicemail.outcome, Some(CallOutcome::Voicemail));
    let vm_case = voicemail.ticket.map_or(0, |t| t.0);
    assert_eq!(
        comment_bodies(&srv, vm_case).await,
        vec![
            format!("Mensaje de voz de {third}."),
            format!(
                "Transcripción del mensaje de voz de {third}: «Llamo por la factura de noviembre»"
            ),
        ]
    );
    // Its recording is fetched with the line's credentials; staff who may
    // see the case play it, the caller's case's strangers do not.
    let path = format!("/api/v2/calls/{}/recording", voicemail.id.0);
    until("the recording is fetched", || async {
        srv.call("GET", &path, &ana_auth, None).await.0 == 200
    })
    .await;
    let r = srv.raw("GET", &path, &ana_auth, None, None).await;
    assert_eq!(r.headers()["content-type"], "audio/mpeg");
    assert_eq!(
        r.bytes().await.unwrap_or_default().as_ref(),
        b"ID3-mp3-bytes"
    );
    let (_, stranger) = srv
        .user_with_token("Otro Cliente", "otro@example.com", "end-user")
        .await;
    assert!(matches!(
        srv.call("GET", &path, &stranger, None).await.0,
        403 | 404
    ));
    let (_, shown) = srv
        .get(&format!("/api/v2/calls/{}.json", voicemail.id.0), &ana_auth)
        .await;
    assert_eq!(
        shown["call"]["recording_url"],
        format!("{}{path}", srv.base)
    );
    assert_eq!(shown["call"]["line_id"], line.id);

    // A recording Twilio does not have yet stays queued for another try.
    line.hook("incoming", "CA-5", "+34633000005", &[]).await;
    line.hook("language", "CA-5", "+34633000005", &[("Digits", "1")])
        .await;
    line.hook("menu", "CA-5", "+34633000005", &[("Digits", "1")])
        .await;
    // Its wait runs out: nobody is available, a voicemail is offered.
    srv.app
        .db
        .write(|c| {
            Box::pin(async move {
                c.exec(store::q(
                    "UPDATE calls SET queued_at = queued_at - 600 WHERE provider_call_id = 'CA-5'",
                ))
                .await?;
                Ok::<_, app::AppError>(())
            })
        })
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let a = line.hook("wait", "CA-5", "+34633000005", &[]).await;
    let words = said(&a);
    assert!(
        words.contains(&"Ahora no hay nadie disponible.".to_string()),
        "{words:?}"
    );
    verb(&a, "Record");
    line.hook(
        "recorded",
        "CA-5",
        "+34633000005",
        &[
            ("RecordingUrl", &api.recording_url("RE-not-yet")),
            ("RecordingDuration", "3"),
        ],
    )
    .await;
    until("a fetch is tried", || async {
        api.with_book(|b| b.recording_fetches.iter().any(|r| r == "RE-not-yet"))
    })
    .await;
    let later = call_of(&srv, "CA-5").await;
    let state = {
        let mut rc = srv.app.read().await.unwrap_or_else(|e| panic!("{e}"));
        store::repo::voice::recording_state(&mut rc.conn(), later.id)
            .await
            .unwrap_or_else(|e| panic!("{e}"))
    };
    assert_eq!(
        state.map(|s| s.0),
        Some("queued".to_string()),
        "tried again later, never lost"
    );

    // A caller who hangs up while waiting: abandoned, logged for a call back.
    line.hook("incoming", "CA-6", "+34644000006", &[]).await;
    line.hook("language", "CA-6", "+34644000006", &[("Digits", "1")])
        .await;
    line.hook("menu", "CA-6", "+34644000006", &[("Digits", "1")])
        .await;
    line.hook(
        "status",
        "CA-6",
        "+34644000006",
        &[("CallStatus", "completed"), ("CallDuration", "25")],
    )
    .await;
    let abandoned = call_of(&srv, "CA-6").await;
    assert_eq!(abandoned.outcome, Some(CallOutcome::Abandoned));
    let bodies = comment_bodies(&srv, abandoned.ticket.map_or(0, |t| t.0)).await;
    assert_eq!(
        bodies,
        vec!["Llamada de +34644000006: colgó mientras esperaba en la cola.".to_string()]
    );
    // A log that failed halfway (a crash after the call's end was kept)
    // is completed by the sweep, once.
    srv.app
        .db
        .write(|c| Box::pin(async move {
            c.exec(store::q("UPDATE calls SET ticket_id = NULL, ended_at = ended_at - 60 WHERE provider_call_id = 'CA-6'")).await?;
            Ok::<_, app::AppError>(())
        }))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        srv.app
            .log_unlogged_calls()
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            >= 1
    );
    let relogged = call_of(&srv, "CA-6").await;
    assert_eq!(relogged.ticket, abandoned.ticket);
    assert_eq!(
        comment_bodies(&srv, relogged.ticket.map_or(0, |t| t.0))
            .await
            .len(),
        1,
        "once"
    );

    // Webhooks that cannot be read: an apology and a voicemail.
    let a = line.post("incoming", &[("To", LINE_NUMBER)]).await;
    assert_eq!(a["status"], 200);
    assert_eq!(said(&a)[0], "Lo sentimos, ha habido un problema.");
    verb(&a, "Record");
    let a = line.hook("no-such-step", "CA-7", MARTA, &[]).await;
    verb(&a, "Record");
    // The message left after the apology is not lost.
    api.with_book(|b| b.recordings.insert("RE7".into(), b"ID3-sorry".to_vec()));
    line.hook(
        "recorded",
        "CA-7",
        MARTA,
        &[
            ("RecordingUrl", &api.recording_url("RE7")),
            ("RecordingDuration", "5"),
        ],
    )
    .await;
    let sorry = call_of(&srv, "CA-7").await;
    assert_eq!(sorry.outcome, Some(CallOutcome::Voicemail));
    assert!(sorry.ticket.is_some(), "logged on her case");

    // Off hours the caller is told when we are back, and called back.
    let closed = closed_schedule(&srv).await;
    let (s, b) = srv
        .call("PUT", &format!("/api/v2/channels/voice/lines/{}.json", line.id), &srv.admin(),
            Some(json!({"line": {"settings": {"languages": ["es", "en"], "schedule": closed, "when_nobody": "callback"}}})))
        .await;
    assert_eq!(s, 200, "{b}");
    let a = line.hook("incoming", "CA-8", MARTA, &[]).await;
    let words = said(&a);
    assert!(
        words[1].starts_with("Ahora estamos cerrados. Volvemos el "),
        "{words:?}"
    );
    assert!(words[2].starts_with("Le llamaremos al"), "{words:?}");
    let asked_again = call_of(&srv, "CA-8").await;
    assert_eq!(asked_again.outcome, Some(CallOutcome::Callback));
    assert_eq!(
        asked_again.ticket.map(|t| t.0),
        Some(callback_case),
        "her open case continues"
    );

    // Ana calls Marta back from the case: the provider rings Ana, then
    // connects Marta; the call is Ana's note on the case, a callback made.
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/tickets/{callback_case}/calls.json"),
            &ana_auth,
            None,
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let outbound = b["call"]["id"].as_i64().unwrap_or_default();
    let placed = api
        .with_book(|b| b.calls.last().cloned())
        .unwrap_or_else(|| panic!("no call placed"));
    assert_eq!(placed.to, format!("client:agent-{ana}"));
    assert_eq!(placed.from, LINE_NUMBER);
    assert_eq!(placed.url, line.url(&format!("outbound/{outbound}")));
    assert_eq!(b["call"]["call_id"], placed.sid);
    let a = line
        .post(
            &format!("outbound/{outbound}"),
            &[
                ("CallSid", &placed.sid),
                ("From", LINE_NUMBER),
                ("To", &format!("client:agent-{ana}")),
                ("Direction", "outbound-api"),
            ],
        )
        .await;
    let dial = verb(&a, "Dial");
    assert_eq!(dial["attrs"]["callerId"], LINE_NUMBER);
    assert_eq!(dial["children"][0]["text"], MARTA);
    line.hook(
        "dialed",
        &placed.sid,
        LINE_NUMBER,
        &[("DialCallStatus", "completed"), ("DialCallDuration", "60")],
    )
    .await;
    line.hook(
        "status",
        &placed.sid,
        LINE_NUMBER,
        &[("CallStatus", "completed"), ("CallDuration", "70")],
    )
    .await;
    let back = call_of(&srv, &placed.sid).await;
    assert_eq!(back.outcome, Some(CallOutcome::Answered));
    assert_eq!(
        back.callback_of,
        Some(asked_again.id),
        "the latest request is answered"
    );
    let (_, c) = srv
        .get(
            &format!("/api/v2/tickets/{callback_case}/comments.json"),
            &srv.admin(),
        )
        .await;
    let note = c["comments"]
        .as_array()
        .and_then(|l| l.last())
        .cloned()
        .unwrap_or_default();
    assert_eq!(note["public"], false);
    assert_eq!(note["author_id"], ana);
    assert_eq!(
        note["body"],
        format!("Outbound call by Ana Agente to {MARTA}, answered (1 min 00 s).")
    );
    // A customer cannot place calls; a case whose customer has no phone
    // number cannot be called.
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/v2/tickets/{callback_case}/calls.json"),
            &stranger,
            None,
        )
        .await;
    assert!(matches!(s, 403 | 404), "{s}");
    let (s, t) = srv
        .call("POST", "/api/v2/tickets.json", &srv.admin(),
            Some(json!({"ticket": {"subject": "Por correo", "comment": {"body": "Hola"}, "requester": {"email": "sinnumero@example.com"}}})))
        .await;
    assert_eq!(s, 201, "{t}");
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/tickets/{}/calls.json", t["ticket"]["id"]),
            &ana_auth,
            None,
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("no phone number"), "{b}");
});

/// Ana as the core's actor.
async fn agent_actor(srv: &TestServer, id: i64) -> domain::Actor {
    let mut rc = srv.app.read().await.unwrap_or_else(|e| panic!("{e}"));
    store::repo::users::get(&mut rc.conn(), domain::UserId(id))
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("no user {id}"))
        .actor()
}

/// Text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    text.split(start)
        .nth(1)
        .and_then(|s| s.split(end).next())
        .unwrap_or("")
}

both!(a_line_set_up_on_the_admin_page, |srv| {
    use super::workspace::{Browser, hidden};
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get("/agent/admin/phone").await;
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("No line is connected."),
        "the admin reads English"
    );
    let csrf = hidden(&page.body, "csrf");
    let made = b
        .post(
            "/agent/admin/phone",
            &[
                ("csrf", &csrf),
                ("name", "Tienda Sol"),
                ("number", "+34 910 00 00 01"),
                ("account_sid", SID),
                ("auth_token", TOKEN),
            ],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.body);
    let page = b.get("/agent/admin/phone").await;
    assert!(
        !page.body.contains(TOKEN) && !page.body.contains(SID),
        "credentials never shown"
    );
    let id = between(&page.body, "action=\"/agent/admin/phone/", "\"").to_string();
    assert!(
        page.body
            .contains(&format!("/channels/voice/{id}/incoming")),
        "the address to give Twilio"
    );
    // A menu in both languages, English first, callbacks when nobody answers.
    let saved = b
        .post(
            &format!("/agent/admin/phone/{id}"),
            &[
                ("csrf", &csrf),
                ("name", "Tienda Sol"),
                ("lang_es", "1"),
                ("lang_en", "1"),
                ("default_language", "en"),
                ("greeting_es", "Hola, soy Sol."),
                ("menu_0_digit", "1"),
                ("menu_0_label_es", "pedidos"),
                ("menu_0_label_en", "orders"),
                ("menu_0_target", "queue"),
                ("menu_1_digit", "2"),
                ("menu_1_label_es", "horario"),
                ("menu_1_target", "message"),
                ("menu_1_message_es", "De nueve a seis."),
                ("queue_timeout_secs", "120"),
                ("ring_secs", "15"),
                ("when_nobody", "callback"),
                ("offer_callback", "1"),
                ("enabled", "1"),
                ("hold_music_url", "https://cdn.example/espera.mp3"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let (_, line) = srv
        .get(
            &format!("/api/v2/channels/voice/lines/{id}.json"),
            &srv.admin(),
        )
        .await;
    let s = &line["line"]["settings"];
    assert_eq!(s["languages"], json!(["en", "es"]), "{line}");
    assert_eq!(s["greeting"]["es"], "Hola, soy Sol.");
    assert_eq!(s["menu"][1]["target"]["kind"], "message");
    assert_eq!(s["queue_timeout_secs"], 120);
    assert_eq!(s["when_nobody"], "callback");
    assert_eq!(s["hold_music_url"], "https://cdn.example/espera.mp3");
    assert_eq!(line["line"]["number"], "+34910000001");
    // A key used twice is refused in words, on the page.
    let refused = b
        .post(
            &format!("/agent/admin/phone/{id}"),
            &[
                ("csrf", &csrf),
                ("name", "Tienda Sol"),
                ("lang_es", "1"),
                ("menu_0_digit", "3"),
                ("menu_0_label_es", "a"),
                ("menu_1_digit", "3"),
                ("menu_1_label_es", "b"),
                ("enabled", "1"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("own key"), "{}", refused.body);
    // Today's figures.
    let page = b.get("/agent/admin/phone").await;
    assert!(page.body.contains("Average speed of answer"));
});
