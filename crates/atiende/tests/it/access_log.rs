//! Every API request leaves one log line an operator can read — method,
//! path, status, time, user — and never the credentials or the query.

use super::{call, run, start_with_log};
use std::process::{Command, Stdio};

#[test]
fn api_requests_are_logged_without_secrets() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let log_path = dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap_or_else(|e| panic!("{e}"));
    let (mut child, url) = start_with_log(dir.path(), &["--log", "info"], Stdio::from(log));
    let (ok, token, err) = run(
        dir.path(),
        &["token", "create", "--email", "admin@atiende.local"],
    );
    assert!(ok, "{err}");
    let token = token.trim().to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let http = reqwest::Client::new();
        let admin = ("admin@atiende.local", token.as_str());
        let (s, b) = call(
            &http,
            reqwest::Method::GET,
            &format!("{url}/api/v2/tickets.json?external_id=secreto-en-la-consulta"),
            admin,
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(s, 200, "{b}");
        // Something atiende does not serve: Zendesk's JSON error, logged.
        let (s, b) = call(
            &http,
            reqwest::Method::GET,
            &format!("{url}/api/v2/no_such_resource.json"),
            admin,
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(s, 404);
        assert!(b["error"].is_string(), "a JSON error: {b}");
        // A wrong token: refused and logged with no user.
        let (s, _) = call(
            &http,
            reqwest::Method::GET,
            &format!("{url}/api/v2/users/me.json"),
            ("admin@atiende.local", "not-the-token"),
            serde_json::Value::Null,
        )
        .await;
        assert_eq!(s, 401);
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
    let log = std::fs::read_to_string(&log_path).unwrap_or_default();
    let lines: Vec<&str> = log.lines().filter(|l| l.contains("api request")).collect();
    let line_of = |path: &str| {
        lines
            .iter()
            .find(|l| {
                l.contains(&format!("path=\"{path}\"")) || l.contains(&format!("path={path}"))
            })
            .copied()
            .unwrap_or_else(|| panic!("no line for {path} in {log}"))
    };
    let tickets = line_of("/api/v2/tickets");
    assert!(
        tickets.contains("method=GET")
            && tickets.contains("status=200")
            && tickets.contains("user="),
        "{tickets}"
    );
    assert!(
        line_of("/api/v2/no_such_resource").contains("status=404"),
        "{log}"
    );
    let refused = line_of("/api/v2/users/me");
    assert!(
        refused.contains("status=401") && !refused.contains("user="),
        "{refused}"
    );
    for secret in [token.as_str(), "not-the-token", "secreto-en-la-consulta"] {
        assert!(!log.contains(secret), "{secret} in the log: {log}");
    }
}
