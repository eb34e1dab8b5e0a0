mod answer_bot;
mod auth;
mod bad_input;
mod business;
mod certs;
mod clients;
mod cluster;
mod email;
mod email_corpus;
mod export;
mod fuzz;
mod help_center;
mod help_center_segments;
mod help_center_site;
mod help_center_translations;
mod imap;
mod ingest;
mod notifications;
mod outbound;
mod people;
mod portal;
mod requests;
mod route_table;
mod routing;
mod rules;
mod schema_check;
mod search;
mod security;
mod security_mail;
mod site_look;
mod tickets;
mod transport;
mod web_forms;
mod workspace;

pub use atiende_testkit::{Auth, TestServer, both};
pub use serde_json::{Value as Json, json};

/// The checkout's root (the browser and client scripts live under `tests/`).
pub fn repo_root() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
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

/// The signed-in admin as the use cases see them.
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
