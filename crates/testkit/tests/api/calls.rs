//! The CTI API: a phone system reports its calls' events with an admin's
//! token. An answered call is logged on the caller's open case (with who
//! took it and how long it lasted), a repeated event changes nothing, a
//! missed call from an unknown number opens a case for a new customer
//! that routing can give to someone, and a voicemail adds what the caller
//! said. Agents read a call; nobody else reports one. In the browser, the
//! call ringing for an agent shows who is calling (`call_pop_flow.mjs`).

use super::*;

async fn report(srv: &TestServer, auth: &Auth, event: Json) -> (u16, Json) {
    srv.call(
        "POST",
        "/api/v2/calls/events.json",
        auth,
        Some(json!({ "call_event": event })),
    )
    .await
}

/// Marta, with her phone number on her profile and a case open: her id
/// and the case's.
async fn marta_with_a_case(srv: &TestServer) -> (i64, i64) {
    let (s, u) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &srv.admin(),
            Some(json!({"user": {"name": "Marta Ruiz", "email": "marta@example.com", "locale": "es"}})),
        )
        .await;
    assert_eq!(s, 201, "{u}");
    let marta = u["user"]["id"].as_i64().unwrap_or_default();
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/users/{marta}/identities.json"),
            &srv.admin(),
            Some(json!({"identity": {"type": "phone_number", "value": "+34600112233"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let (s, t) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": {"subject": "Mi pedido no llega", "comment": {"body": "Sigo esperando"}, "requester_id": marta}})),
        )
        .await;
    assert_eq!(s, 201, "{t}");
    (marta, t["ticket"]["id"].as_i64().unwrap_or_default())
}

both!(phone_systems_report_calls_onto_the_callers_case, |srv| {
    let (agent_id, agent) = srv
        .user_with_token("Ana Agente", "ana@example.com", "agent")
        .await;
    let (marta, open_case) = marta_with_a_case(&srv).await;

    // Only admins' tokens report calls.
    let ring = json!({"event": "ringing", "provider": "centralita", "call_id": "CA-1",
        "from": "+34 600 11 22 33", "to": "+34910000000", "agent_id": agent_id,
        "at": "2026-12-07T10:00:00Z"});
    let (s, _) = report(&srv, &agent, ring.clone()).await;
    assert_eq!(s, 403);
    let (s, b) = report(&srv, &srv.admin(), ring.clone()).await;
    assert_eq!(s, 200, "{b}");
    let call = b["call"]["id"].as_i64().unwrap_or_default();
    assert_eq!(b["call"]["from"], "+34600112233", "{b}");
    assert_eq!(b["call"]["customer_id"], marta, "recognised by her number");
    assert_eq!(b["repeated"], false);
    let (s, b) = report(&srv, &srv.admin(), ring).await;
    assert_eq!((s, b["repeated"].clone()), (200, json!(true)), "{b}");

    let answered = json!({"event": "answered", "provider": "centralita", "call_id": "CA-1",
        "agent_id": agent_id, "at": "2026-12-07T10:00:08Z"});
    let (s, b) = report(&srv, &srv.admin(), answered).await;
    assert_eq!(s, 200, "{b}");
    let ended = json!({"event": "ended", "provider": "centralita", "call_id": "CA-1",
        "at": "2026-12-07T10:03:20Z"});
    let (s, b) = report(&srv, &srv.admin(), ended.clone()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["call"]["outcome"], "answered", "{b}");
    assert_eq!(b["call"]["duration"], 192, "{b}");
    assert_eq!(b["call"]["ticket_id"], open_case, "her open case continues");
    // The same end reported again logs nothing twice.
    let (_, b) = report(&srv, &srv.admin(), ended).await;
    assert_eq!(b["repeated"], true);
    let logged = comment_bodies(&srv, open_case).await;
    assert_eq!(
        logged
            .iter()
            .filter(|c| c.contains("Llamada de +34600112233, atendida por Ana Agente (3 min 12 s)"))
            .count(),
        1,
        "{logged:?}"
    );
    let (s, b) = srv.get(&format!("/api/v2/calls/{call}.json"), &agent).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["call"]["agent_id"], agent_id);
    assert_eq!(b["call"]["direction"], "inbound");

    // A missed call from a number we do not know: a new customer and a
    // new case on the voice channel, then their voicemail on it.
    let (s, b) = report(
        &srv,
        &srv.admin(),
        json!({"event": "ringing", "provider": "centralita", "call_id": "CA-2",
            "from": "+34611000999", "to": "+34910000000"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["call"]["customer_id"], Json::Null, "an unknown number");
    let (_, b) = report(
        &srv,
        &srv.admin(),
        json!({"event": "ended", "provider": "centralita", "call_id": "CA-2"}),
    )
    .await;
    assert_eq!(b["call"]["outcome"], "missed", "{b}");
    let case = b["call"]["ticket_id"].as_i64().unwrap_or_default();
    assert!(case > 0 && case != open_case, "{b}");
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{case}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["via"]["channel"], "voice", "{t}");
    let (_, b) = report(
        &srv,
        &srv.admin(),
        json!({"event": "voicemail", "provider": "centralita", "call_id": "CA-2",
            "recording_url": "https://pbx.example/rec/CA-2.mp3",
            "transcription": "Hello, I am calling about my refund"}),
    )
    .await;
    assert_eq!(b["call"]["outcome"], "voicemail", "{b}");
    assert_eq!(
        b["call"]["recording_url"],
        "https://pbx.example/rec/CA-2.mp3"
    );
    assert_eq!(b["call"]["ticket_id"], case, "{b}");
    let logged = comment_bodies(&srv, case).await;
    assert!(
        logged[0].contains("Missed call from +34611000999"),
        "{logged:?}"
    );
    assert!(
        logged
            .iter()
            .any(|c| c
                .contains("Voicemail from +34611000999: \"Hello, I am calling about my refund\"")),
        "{logged:?}"
    );
    // On the case's page, the call's entry links to the phone system's
    // recording (not ours to play) and shows what the caller said.
    let mut b = super::workspace::Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{case}")).await;
    assert!(
        page.body
            .contains("href=\"https://pbx.example/rec/CA-2.mp3\" rel=\"noopener noreferrer\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("class=\"call-transcription\""));

    // Bad input is refused in words.
    for (bad, field) in [
        (
            json!({"event": "ringing", "provider": "centralita", "call_id": "CA-3", "from": "nope", "to": "+34910000000"}),
            "from",
        ),
        (
            json!({"event": "exploded", "provider": "centralita", "call_id": "CA-3"}),
            "event",
        ),
        (
            json!({"event": "ended", "provider": "centralita", "call_id": "CA-3", "from": "+34611000999", "to": "+34910000000", "duration": "long"}),
            "duration",
        ),
        (
            json!({"event": "ringing", "call_id": "CA-3", "from": "+34611000999", "to": "+34910000000"}),
            "provider",
        ),
    ] {
        let (s, b) = report(&srv, &srv.admin(), bad).await;
        assert_eq!(s, 422, "{b}");
        assert!(b.to_string().contains(field), "{field}: {b}");
    }
});

both!(the_screen_pop_in_the_browser, |srv| {
    let (_, case) = marta_with_a_case(&srv).await;
    let (_, me) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    let admin = me["user"]["id"].as_i64().unwrap_or_default();
    // A voice line, for "Llamar" on her case.
    let twilio = atiende_testkit::twilio::TwilioStandIn::start("AC9", "voice-token").await;
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/channels/voice/lines.json",
            &srv.admin(),
            Some(
                json!({"line": {"name": "Tienda", "number": "+34910000000", "account_sid": "AC9",
                "auth_token": "voice-token", "api_base": twilio.base}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    browser_flow(
        &srv,
        "call_pop_flow.mjs",
        &[
            ("ADMIN_ID", admin.to_string()),
            ("ADMIN_EMAIL", srv.admin_email.clone()),
            ("ADMIN_TOKEN", srv.admin_token.clone()),
            ("MARTA_CASE", case.to_string()),
        ],
    )
    .await;
    // "Crear cliente" made a profile holding the number.
    let mut rc = srv.app.read().await.unwrap_or_else(|e| panic!("{e}"));
    let profile = store::repo::users::by_identity(
        &mut rc.conn(),
        domain::IdentityKind::Phone,
        "+34611000777",
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(profile.is_some());
    // "Llamar" placed a call that rings the agent first.
    let placed = twilio.with_book(|b| b.calls.clone());
    assert_eq!(placed.len(), 1, "{placed:?}");
    assert_eq!(placed[0].to, format!("client:agent-{admin}"));
});

async fn assignee(srv: &TestServer, ticket: i64) -> Option<i64> {
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{ticket}.json"), &srv.admin())
        .await;
    t["ticket"]["assignee_id"].as_i64()
}

both!(
    a_call_takes_the_agents_call_capacity_until_its_wrap_up,
    |srv| {
        use super::routing::call_ok;
        let settings = |wrap_up: i64| json!({"routing_settings": {"enabled": true, "call_wrap_up_seconds": wrap_up}});
        call_ok(
            &srv,
            "PUT",
            "/api/v2/routing/settings.json",
            &srv.admin(),
            settings(3600),
        )
        .await;
        let (ana, ana_auth) = srv
            .user_with_token("Ana Agente", "ana@example.com", "agent")
            .await;
        let profile = format!("/api/v2/routing/agents/{ana}/profile.json");
        call_ok(
            &srv,
            "PUT",
            &profile,
            &srv.admin(),
            json!({"routing_profile": {"languages": ["es", "en"], "capacity": {"call": 1}}}),
        )
        .await;
        call_ok(
            &srv,
            "PUT",
            &profile,
            &ana_auth,
            json!({"routing_profile": {"presence": "online"}}),
        )
        .await;
        let event = |e: &str, id: &str, from: &str, agent: Option<i64>| {
            json!({"event": e, "provider": "centralita", "call_id": id, "from": from,
            "to": "+34910000000", "agent_id": agent})
        };
        // Ana takes a call.
        for e in ["ringing", "answered"] {
            let (s, b) = report(
                &srv,
                &srv.admin(),
                event(e, "W-1", "+34600000111", Some(ana)),
            )
            .await;
            assert_eq!(s, 200, "{b}");
        }
        // A call nobody took meanwhile: its case waits, Ana is on the phone.
        report(
            &srv,
            &srv.admin(),
            event("ringing", "W-2", "+34600000222", None),
        )
        .await;
        let (_, b) = report(
            &srv,
            &srv.admin(),
            event("ended", "W-2", "+34600000222", None),
        )
        .await;
        let missed = b["call"]["ticket_id"].as_i64().unwrap_or_default();
        assert!(missed > 0, "{b}");
        assert_eq!(assignee(&srv, missed).await, None, "Ana is on a call");
        // Her call ends: its new case is hers, and her wrap-up still holds her.
        let (_, b) = report(
            &srv,
            &srv.admin(),
            event("ended", "W-1", "+34600000111", Some(ana)),
        )
        .await;
        let hers = b["call"]["ticket_id"].as_i64().unwrap_or_default();
        assert_eq!(assignee(&srv, hers).await, Some(ana), "{b}");
        srv.app
            .routing_pass()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(assignee(&srv, missed).await, None, "wrap-up");
        // Wrap-up over: the waiting call is hers.
        call_ok(
            &srv,
            "PUT",
            "/api/v2/routing/settings.json",
            &srv.admin(),
            settings(0),
        )
        .await;
        srv.app
            .routing_pass()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(assignee(&srv, missed).await, Some(ana));
    }
);

/// Runs `tests/clients/zenpy_talk_flow.py` as the admin; what zenpy read.
async fn zenpy_talk(srv: &TestServer, agent: i64) -> Json {
    let (url, email, token) = (
        srv.base.clone(),
        srv.admin_email.clone(),
        srv.admin_token.clone(),
    );
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(repo_root().join("target/pyenv/bin/python"))
            .arg(repo_root().join("tests/clients/zenpy_talk_flow.py"))
            .env("ATIENDE_URL", url)
            .env("ATIENDE_EMAIL", email)
            .env("ATIENDE_TOKEN", token)
            .env("AGENT_ID", agent.to_string())
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| panic!("python: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "zenpy_talk_flow.py: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

both!(talk_api_reads_the_calls_as_zenpy_does, |srv| {
    use super::routing::call_ok;
    let (ana, ana_auth) = srv
        .user_with_token("Ana Agente", "ana@example.com", "agent")
        .await;
    let availability = format!("/api/v2/channels/voice/availabilities/{ana}.json");
    call_ok(
        &srv,
        "PUT",
        &availability,
        &ana_auth,
        json!({"availability": {"agent_state": "online"}}),
    )
    .await;
    let event = |e: &str, id: &str, agent: Option<i64>| {
        json!({"event": e, "provider": "centralita", "call_id": id, "from": "+34600000111",
            "to": "+34910000000", "agent_id": agent})
    };
    // Ana takes one call (2 min 10 s), another rings out: missed.
    for (e, id, agent) in [
        ("ringing", "T-1", Some(ana)),
        ("answered", "T-1", Some(ana)),
        ("ringing", "T-2", None),
        ("ended", "T-2", None),
    ] {
        let (s, b) = report(&srv, &srv.admin(), event(e, id, agent)).await;
        assert_eq!(s, 200, "{b}");
    }
    let (s, b) = report(&srv, &srv.admin(),
        json!({"event": "ended", "provider": "centralita", "call_id": "T-1", "agent_id": ana, "duration": 130})).await;
    assert_eq!(s, 200, "{b}");
    let read = zenpy_talk(&srv, ana).await;
    assert_eq!(read["total_calls"], 2, "{read}");
    assert_eq!(read["agent_calls_accepted"], 1, "{read}");
    assert_eq!(read["agent_total_talk_time"], 130, "{read}");
    assert_eq!(read["agent_status"], "online", "{read}");
    assert_eq!(read["agents_online"], 1, "{read}");
    assert_eq!(read["calls_waiting"], 0, "{read}");
    assert_eq!(read["availability"], "online", "{read}");
    // The export has every call, the voicemail ticket's too.
    assert_eq!(read["exported_calls"], 3, "{read}");
    assert_eq!(
        read["exported_statuses"],
        json!(["completed", "missed", "voicemail"]),
        "{read}"
    );
    // The voicemail ticket holds what the caller said.
    let ticket = read["voicemail_ticket"].as_i64().unwrap_or_default();
    let bodies = comment_bodies(&srv, ticket).await;
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("Quiero cambiar la dirección de envío")),
        "{bodies:?}"
    );
    let (_, overview) = srv
        .get(
            "/api/v2/channels/voice/stats/account_overview.json",
            &srv.admin(),
        )
        .await;
    assert_eq!(
        overview["account_overview"]["total_voicemails"], 1,
        "{overview}"
    );
    assert_eq!(
        overview["account_overview"]["total_calls_missed"], 1,
        "{overview}"
    );
    // Agents set their own availability, not others'; stats are admins'.
    let (_, other) = srv
        .user_with_token("Otro Agente", "otro@example.com", "agent")
        .await;
    let (s, _) = srv
        .call(
            "PUT",
            &availability,
            &other,
            Some(json!({"availability": {"agent_state": "offline"}})),
        )
        .await;
    assert_eq!(s, 403);
    let (s, _) = srv
        .get(
            "/api/v2/channels/voice/stats/account_overview.json",
            &ana_auth,
        )
        .await;
    assert_eq!(s, 403);
    let (s, b) = srv
        .get(
            "/api/v2/channels/voice/stats/current_queue_activity.json",
            &ana_auth,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // Off the phone: offline.
    let (_, b) = srv
        .call(
            "PUT",
            &availability,
            &ana_auth,
            Some(json!({"availability": {"agent_state": "offline"}})),
        )
        .await;
    assert_eq!(b["availability"]["agent_state"], "offline");
});

both!(a_phone_system_opens_a_case_in_the_agents_workspace, |srv| {
    use super::workspace::Browser;
    let (_, ana_auth) = srv
        .user_with_token("Ana Agente", "ana@example.com", "agent")
        .await;
    let (_, me) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    let admin = me["user"]["id"].as_i64().unwrap_or_default();
    let (marta, case) = marta_with_a_case(&srv).await;
    let path = format!("/api/v2/channels/voice/agents/{admin}/tickets/{case}/display.json");
    // Agents do not open others' pages; the phone system (an admin's
    // token) does.
    let (s, _) = srv.call("POST", &path, &ana_auth, None).await;
    assert_eq!(s, 403);
    let (s, b) = srv.call("POST", &path, &srv.admin(), None).await;
    assert_eq!(s, 200, "{b}");
    // The agent's page is told where to go, once.
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let first = b.get("/agent/chats/tabs").await;
    assert!(
        first
            .body
            .contains(&format!("data-open=\"/agent/tickets/{case}\"")),
        "{}",
        first.body
    );
    assert!(
        !b.get("/agent/chats/tabs").await.body.contains("data-open"),
        "taken"
    );
    // A customer: their cases.
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/v2/channels/voice/agents/{admin}/users/{marta}/display.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 200);
    assert!(
        b.get("/agent/chats/tabs")
            .await
            .body
            .contains(&format!("requester%3A{marta}"))
    );
    // Only an agent's page is opened.
    let (s, _) = srv
        .call(
            "POST",
            &format!("/api/v2/channels/voice/agents/{marta}/tickets/{case}/display.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 404);
});
