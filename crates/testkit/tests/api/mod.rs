mod account;
mod answer_bot;
mod article_authoring;
mod auth;
mod bad_input;
mod business;
mod calls;
mod certs;
mod chat;
mod chat_api;
mod chat_attendance;
mod chat_files;
mod clients;
mod cluster;
mod data_streams;
mod deleted;
mod email;
mod email_corpus;
mod export;
mod fuzz;
mod goodwill;
mod handover;
mod help_center;
mod help_center_segments;
mod help_center_site;
mod help_center_translations;
mod imap;
mod ingest;
mod messaging_bot;
mod messaging_kit;
mod meta_messaging;
mod notifications;
mod oauth;
mod outbound;
mod paging;
mod people;
mod portal;
mod profile_fields;
mod reports;
mod requests;
mod route_table;
mod routing;
mod rule_definitions;
mod rules;
mod schema_check;
mod search;
mod security;
mod security_mail;
mod site_look;
mod sms;
mod surveys;
mod telegram;
mod tickets;
mod transport;
mod trends;
mod voice;
mod web_forms;
mod whatsapp;
mod workspace;

pub use atiende_testkit::{Auth, TestServer, both};
pub use serde_json::{Value as Json, json};

/// The checkout's root (the browser and client scripts live under `tests/`).
pub fn repo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A 1×1 PNG, for uploads that must be images.
pub const TINY_PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x00, 0x01, 0x00, 0x00,
    0x05, 0x00, 0x01, 0x0d, 0x0a, 0x2d, 0xb4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae,
    0x42, 0x60, 0x82,
];

/// Runs a browser flow (`tests/ui/{script}`, headless Chromium through
/// playwright-core) against the server, with extra environment; fails the
/// test with the script's output unless it passes.
pub async fn browser_flow(srv: &TestServer, script: &'static str, env: &[(&str, String)]) {
    let base = srv.base.clone();
    let backend = format!("{:?}", srv.backend).to_lowercase();
    let env: Vec<(String, String)> = env
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("node")
            .arg(script)
            .current_dir(repo_root().join("tests/ui"))
            .env("ATIENDE_URL", base)
            .env("ATIENDE_BACKEND", backend)
            .env("ATIENDE_ARTIFACTS", repo_root().join("target/ui-artifacts"))
            .envs(env)
            .output()
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"))
    .unwrap_or_else(|e| {
        panic!("cannot run node ({e}); run scripts/test.sh, which installs chromium and playwright-core")
    });
    assert!(
        out.status.success(),
        "{script} failed on {:?}:\n{}\n{}",
        srv.backend,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A paging link (`next`, `links.next`) as a path and query on our server.
pub fn local(base: &str, next: &str) -> String {
    next.strip_prefix(base).unwrap_or(next).to_string()
}

/// A request form named `name`, made by the admin; its id.
pub async fn new_ticket_form(srv: &TestServer, name: &str) -> i64 {
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/ticket_forms.json",
            &srv.admin(),
            Some(json!({"ticket_form": {"name": name}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    b["ticket_form"]["id"].as_i64().unwrap_or_default()
}

/// An article for everyone, in Spanish, in a new category and section
/// (all made by the admin); its id.
pub async fn new_article(srv: &TestServer, title: &str, body_html: &str) -> i64 {
    let admin = srv.admin();
    let (s, c) = srv
        .call(
            "POST",
            "/api/v2/help_center/categories.json",
            &admin,
            Some(json!({"category": {"name": format!("Categoría de {title}")}})),
        )
        .await;
    assert_eq!(s, 201, "{c}");
    let (s, sec) = srv
        .call(
            "POST",
            &format!(
                "/api/v2/help_center/categories/{}/sections.json",
                c["category"]["id"]
            ),
            &admin,
            Some(json!({"section": {"name": format!("Sección de {title}")}})),
        )
        .await;
    assert_eq!(s, 201, "{sec}");
    let (s, a) = srv
        .call(
            "POST",
            &format!(
                "/api/v2/help_center/sections/{}/articles.json",
                sec["section"]["id"]
            ),
            &admin,
            Some(json!({"article": {"title": title, "body": body_html, "locale": "es"}})),
        )
        .await;
    assert_eq!(s, 201, "{a}");
    a["article"]["id"].as_i64().unwrap_or_default()
}

/// Creates a ticket as the admin and returns its JSON.
pub async fn new_ticket(srv: &TestServer, body: Json) -> Json {
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/tickets.json",
            &srv.admin(),
            Some(json!({"ticket": body})),
        )
        .await;
    assert_eq!(s, 201, "create ticket: {b}");
    b["ticket"].clone()
}

/// A new ticket from `customer` on `channel` at `created`, as history
/// written straight through the store (reports and trends tests set the
/// rest with struct update syntax).
pub fn ticket_at(
    customer: domain::UserId,
    channel: domain::Channel,
    created: i64,
) -> store::model::Ticket {
    store::model::Ticket {
        id: domain::TicketId(0),
        subject: String::new(),
        description: String::new(),
        status: domain::Status::New,
        priority: None,
        ticket_type: None,
        requester_id: customer,
        submitter_id: customer,
        assignee_id: None,
        group_id: None,
        organization_id: None,
        problem_id: None,
        ticket_form_id: None,
        external_id: None,
        via: channel,
        tags: vec![],
        has_attachments: false,
        due_at: None,
        created_at: domain::Timestamp(created),
        updated_at: domain::Timestamp(created),
        solved_at: None,
        deleted_at: None,
        recipient: None,
        custom_fields: vec![],
        collaborator_ids: vec![],
        follower_ids: vec![],
    }
}

/// The signed-in admin as the use cases see them.
/// Uploads a file as the admin (`POST /api/v2/uploads`); its token, for a
/// comment's `uploads`.
pub async fn upload_token(srv: &TestServer, name: &str, content_type: &str, data: &[u8]) -> String {
    let r = srv
        .raw(
            "POST",
            &format!("/api/v2/uploads.json?filename={name}"),
            &srv.admin(),
            Some(data.to_vec()),
            Some(content_type),
        )
        .await;
    let upload: Json =
        serde_json::from_str(&r.text().await.unwrap_or_default()).unwrap_or(Json::Null);
    let token = upload["upload"]["token"].as_str().unwrap_or("").to_string();
    assert!(!token.is_empty(), "upload {name}: {upload}");
    token
}

/// The bodies of a ticket's comments, oldest first (as the admin reads
/// them).
pub async fn comment_bodies(srv: &TestServer, ticket: i64) -> Vec<String> {
    let (_, c) = srv
        .get(
            &format!("/api/v2/tickets/{ticket}/comments.json"),
            &srv.admin(),
        )
        .await;
    c["comments"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["body"].as_str().unwrap_or_default().to_string())
        .collect()
}

pub async fn admin_actor(srv: &TestServer) -> domain::Actor {
    srv.app
        .user_by_email("admin@example.com")
        .await
        .ok()
        .flatten()
        .map(|u| u.actor())
        .unwrap_or_else(|| panic!("no admin"))
}

/// A server on `backend` whose mail goes out as support@example.com
/// ("Soporte"), the way every mail test configures it.
pub async fn start_with_support_mail(backend: atiende_testkit::Backend) -> TestServer {
    let settings = app::outbox::MailSettings {
        from_address: "support@example.com".into(),
        from_name: "Soporte".into(),
    };
    TestServer::start_with_mail(backend, Some(settings)).await
}

/// The built-in "Agents and admins" user segment: an article for it is
/// internal, the agents' training library.
pub(super) async fn staff_segment(srv: &TestServer) -> i64 {
    let (s, b) = srv
        .call(
            "GET",
            "/api/v2/help_center/user_segments.json",
            &srv.admin(),
            None,
        )
        .await;
    assert_eq!(s, 200, "{b}");
    b["user_segments"]
        .as_array()
        .and_then(|all| {
            all.iter()
                .find(|x| x["built_in"] == true && x["user_type"] == "staff")
        })
        .and_then(|x| x["id"].as_i64())
        .unwrap_or_else(|| panic!("no built-in staff segment: {b}"))
}
