//! The operations metrics on their own listener: request counts and
//! latencies by route family, queues, the writer, live connections, in
//! Prometheus's text format; nothing of them on the API's listener.

use super::{call, free_port, run, start};
use std::process::Command;

#[test]
fn operations_metrics_on_their_own_listener() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let port = free_port();
    let at = format!("127.0.0.1:{port}");
    let (mut child, url) = start(dir.path(), &["--metrics-listen", &at]);
    let (ok, token, err) = run(
        dir.path(),
        &["token", "create", "--email", "admin@atiende.local"],
    );
    assert!(ok, "{err}");
    let admin = ("admin@atiende.local", token.trim());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let http = reqwest::Client::new();
        for i in 0..3 {
            let (s, b) = call(
                &http,
                reqwest::Method::POST,
                &format!("{url}/api/v2/tickets.json"),
                admin,
                serde_json::json!({"ticket": {"subject": format!("Métrica {i}"), "comment": {"body": "hola"}}}),
            )
            .await;
            assert_eq!(s, 201, "{b}");
        }
        let body = reqwest::get(format!("http://{at}/metrics"))
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .text()
            .await
            .unwrap_or_default();
        assert!(
            body.contains(
                "atiende_http_requests_total{family=\"/api/v2/tickets\",method=\"POST\",status=\"2xx\"} 3"
            ),
            "{body}"
        );
        assert!(
            body.contains("atiende_http_request_duration_seconds_count{family=\"/api/v2/tickets\"} 3"),
            "{body}"
        );
        for name in [
            "atiende_routing_queue 0",
            "atiende_phone_queue 0",
            "atiende_write_queue ",
            "atiende_commits_total ",
            "atiende_live_connections{kind=\"agent\"} 0",
            "atiende_imap_mailboxes{health=\"failing\"} 0",
        ] {
            assert!(body.contains(name), "{name} in {body}");
        }
        let units: u64 = body
            .lines()
            .find_map(|l| l.strip_prefix("atiende_write_units_total "))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        assert!(units >= 3, "{body}");
        // Not on the API's listener.
        let r = reqwest::get(format!("{url}/metrics"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_ne!(r.status().as_u16(), 200);
    });
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let _ = child.wait();
}
