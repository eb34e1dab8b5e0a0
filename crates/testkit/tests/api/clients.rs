//! The real client libraries (zenpy, node-zendesk) drive a realistic flow
//! against a spawned server. The test command installs them; run without
//! them, these tests fail and say how to install them.

use super::*;
use std::path::PathBuf;
use std::process::Command;

async fn run_client(
    srv: &TestServer,
    program: &str,
    args: &[&str],
    cwd: PathBuf,
    extra_env: &[(&str, String)],
) {
    let out = Command::new(program)
        .args(args)
        .current_dir(&cwd)
        .env("ATIENDE_URL", &srv.base)
        .env("ATIENDE_EMAIL", &srv.admin_email)
        .env("ATIENDE_TOKEN", &srv.admin_token)
        .envs(extra_env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program} ({e}); run scripts/test.sh, which installs the client libraries"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "{program} {args:?} failed on {:?}:\n{stdout}\n{stderr}",
        srv.backend
    );
}

fn python() -> String {
    std::env::var("ATIENDE_TEST_PYTHON").unwrap_or_else(|_| {
        repo_root()
            .join("target/pyenv/bin/python")
            .to_string_lossy()
            .into_owned()
    })
}

/// Runs a client program on a blocking thread (it blocks on its own
/// process while the server answers it on this runtime).
async fn drive(srv: TestServer, program: String, script: &'static str, dir: &'static str) {
    drive_with(srv, program, script, dir, Vec::new()).await;
}

/// [`drive`] with more environment for the program.
async fn drive_with(
    srv: TestServer,
    program: String,
    script: &'static str,
    dir: &'static str,
    extra_env: Vec<(&'static str, String)>,
) {
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Handle::current();
        rt.block_on(run_client(
            &srv,
            &program,
            &[script],
            repo_root().join(dir),
            &extra_env,
        ))
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}

both!(zenpy_drives_the_api, |srv| {
    drive(srv, python(), "zenpy_flow.py", "tests/clients").await;
});

both!(node_zendesk_drives_the_api, |srv| {
    drive(srv, "node".into(), "flow.mjs", "tests/clients/node").await;
});

/// The Python with Airbyte's Zendesk Support connector (its own virtual
/// environment: the connector pins its own versions of common packages).
fn airbyte_python() -> String {
    std::env::var("ATIENDE_TEST_AIRBYTE_PYTHON").unwrap_or_else(|_| {
        repo_root()
            .join("target/airbyte/bin/python")
            .to_string_lossy()
            .into_owned()
    })
}

/// Something in every stream Airbyte's connector reads, made the ways a
/// desk makes them: people and organizations, tickets answered, solved,
/// rated, skipped and assigned by a colleague, set-up changed by an admin,
/// a help center with comments and votes.
async fn seed_every_stream(srv: &TestServer) {
    let admin = srv.admin();
    let post = |path: &'static str, body: Json| {
        let admin = admin.clone();
        async move {
            let (s, b) = srv.call("POST", path, &admin, Some(body)).await;
            assert!(s < 300, "{path}: {s} {b}");
            b
        }
    };
    let org = post(
        "/api/v2/organizations.json",
        json!({"organization": {"name": "Acme"}}),
    )
    .await;
    let org_id = org["organization"]["id"].as_i64().unwrap_or_default();
    let (ana_id, ana) = srv
        .user_with_token("Ana", "ana@acme.test", "end-user")
        .await;
    srv.call(
        "PUT",
        &format!("/api/v2/users/{ana_id}.json"),
        &admin,
        Some(json!({"user": {"organization_id": org_id}})),
    )
    .await;
    let (eva_id, eva) = srv.user_with_token("Eva", "eva@desk.test", "agent").await;
    let g = post("/api/v2/groups.json", json!({"group": {"name": "Soporte"}})).await;
    post(
        "/api/v2/group_memberships.json",
        json!({"group_membership": {"user_id": eva_id, "group_id": g["group"]["id"]}}),
    )
    .await;
    post(
        "/api/v2/user_fields.json",
        json!({"user_field": {"key": "dni", "type": "text", "title": "DNI"}}),
    )
    .await;
    post(
        "/api/v2/organization_fields.json",
        json!({"organization_field": {"key": "plan", "type": "text", "title": "Plan"}}),
    )
    .await;
    post(
        "/api/v2/ticket_forms.json",
        json!({"ticket_form": {"name": "Devoluciones", "end_user_visible": true}}),
    )
    .await;
    post(
        "/api/v2/routing/attributes.json",
        json!({"attribute": {"name": "Idioma"}}),
    )
    .await;
    post(
        "/api/v2/macros.json",
        json!({"macro": {"title": "Cerrar", "actions": [{"field": "status", "value": "solved"}]}}),
    )
    .await;
    post(
        "/api/v2/business_hours/schedules.json",
        json!({"schedule": {"name": "Oficina", "time_zone": "Europe/Madrid"}}),
    )
    .await;
    post("/api/v2/slas/policies.json", json!({"sla_policy": {"title": "Urgentes",
        "filter": {"all": [{"field": "priority", "operator": "is", "value": "urgent"}], "any": []},
        "policy_metrics": [{"priority": "urgent", "metric": "first_reply_time", "target": 60, "business_hours": false}]}})).await;
    // A request answered, solved and rated by its customer.
    let (s, r) = srv
        .call(
            "POST",
            "/api/v2/requests.json",
            &ana,
            Some(json!({"request": {"subject": "Factura", "comment": {"body": "No me llega"}}})),
        )
        .await;
    assert_eq!(s, 201, "{r}");
    let asked = r["request"]["id"].as_i64().unwrap_or_default();
    srv.call("PUT", &format!("/api/v2/tickets/{asked}.json"), &admin,
             Some(json!({"ticket": {"status": "solved", "tags": ["factura"], "comment": {"body": "Reenviada", "public": true}}}))).await;
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/tickets/{asked}/satisfaction_rating.json"),
            &ana,
            Some(json!({"satisfaction_rating": {"score": "good", "comment": "Gracias"}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    // Another, assigned to the admin by a colleague and skipped.
    let t = new_ticket(
        srv,
        json!({"subject": "Pedido", "priority": "normal", "comment": {"body": "¿Dónde está?"}}),
    )
    .await;
    let other = t["id"].as_i64().unwrap_or_default();
    srv.call(
        "PUT",
        &format!("/api/v2/tickets/{other}.json"),
        &eva,
        Some(json!({"ticket": {"assignee_id": 1, "priority": "high"}})),
    )
    .await;
    post(
        "/api/v2/skips.json",
        json!({"skip": {"ticket_id": other, "reason": "Otro día"}}),
    )
    .await;
    // The help center, with a reader's comment and votes.
    let article = new_article(
        srv,
        "Cambiar la contraseña",
        "<p>Perfil, luego Seguridad.</p>",
    )
    .await;
    let (s, m) = srv
        .call(
            "POST",
            &format!("/api/v2/help_center/articles/{article}/comments.json"),
            &ana,
            Some(json!({"comment": {"body": "<p>¿Y en el móvil?</p>"}})),
        )
        .await;
    assert_eq!(s, 201, "{m}");
    srv.call(
        "POST",
        &format!("/api/v2/help_center/articles/{article}/up.json"),
        &ana,
        None,
    )
    .await;
    srv.call(
        "POST",
        &format!(
            "/api/v2/help_center/articles/{article}/comments/{}/up.json",
            m["comment"]["id"]
        ),
        &admin,
        None,
    )
    .await;
}

both!(airbyte_syncs_every_stream_then_only_what_changed, |srv| {
    seed_every_stream(&srv).await;
    drive(srv, airbyte_python(), "airbyte_sync.py", "tests/clients").await;
});

/// The Python with Stitch's Zendesk tap (its own virtual environment: the
/// tap pins an older zenpy and its own versions of common packages).
fn singer_python() -> String {
    std::env::var("ATIENDE_TEST_SINGER_PYTHON").unwrap_or_else(|_| {
        repo_root()
            .join("target/singer/bin/python")
            .to_string_lossy()
            .into_owned()
    })
}

both!(
    stitch_tap_syncs_every_stream_then_only_what_changed,
    |srv| {
        seed_every_stream(&srv).await;
        // What the tap reads besides: a phone line.
        let twilio = atiende_testkit::twilio::TwilioStandIn::start("AC9", "voice-token").await;
        let (s, b) = srv
            .call(
                "POST",
                "/api/v2/channels/voice/lines.json",
                &srv.admin(),
                Some(json!({"line": {"name": "Tienda", "number": "+34910000000",
                "account_sid": "AC9", "auth_token": "voice-token", "api_base": twilio.base}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
        // The tap signs in with an OAuth token, as Stitch connects: an
        // application registered by the admin, its token by its own
        // credentials.
        let (s, c) = srv
            .call(
                "POST",
                "/api/v2/oauth/clients.json",
                &srv.admin(),
                Some(json!({"client": {"name": "Stitch", "identifier": "stitch",
                    "redirect_uri": ["https://app.stitchdata.com/oauth"]}})),
            )
            .await;
        assert_eq!(s, 201, "{c}");
        let secret = c["client"]["secret"].as_str().unwrap_or_default();
        let r = reqwest::Client::new()
            .post(format!("{}/oauth/tokens", srv.base))
            .json(
                &json!({"grant_type": "client_credentials", "client_id": "stitch",
                "client_secret": secret, "scope": "read"}),
            )
            .send()
            .await
            .unwrap_or_else(|e| panic!("grant: {e}"));
        let granted: Json = r.json().await.unwrap_or_default();
        let oauth = granted["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{granted}"))
            .to_string();
        drive_with(
            srv,
            singer_python(),
            "singer_sync.py",
            "tests/clients",
            vec![("ATIENDE_OAUTH_TOKEN", oauth)],
        )
        .await;
    }
);
