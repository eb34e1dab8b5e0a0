//! The load generator's smoke run: a small chat load against the debug
//! server (a few hundred widget connections, a few replies a second), to
//! keep the benchmark runnable; its figures are not checked here (they go
//! to BENCHMARKS.md from release builds), only that every connection opened
//! and every reply reached its visitor.

use std::process::Command;

/// The `atiende` binary built next to this test.
fn server_binary() -> std::path::PathBuf {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    // target/<profile>/deps/smoke-… → target/<profile>/atiende
    exe.parent()
        .and_then(|deps| deps.parent())
        .map(|dir| dir.join("atiende"))
        .unwrap_or_else(|| panic!("no target folder above {}", exe.display()))
}

#[test]
fn the_chat_load_runs_and_every_reply_arrives() {
    let server = server_binary();
    assert!(
        server.exists(),
        "{} is built with the workspace",
        server.display()
    );
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("{e}"));
    let out = Command::new(env!("CARGO_BIN_EXE_atiende-loadgen"))
        .args([
            "--spawn",
            &server.to_string_lossy(),
            "--port",
            &port.to_string(),
            "--tickets",
            "0",
            "--queries",
            "0",
            "--pages",
            "0",
            "--chat-visitors",
            "300",
            "--chat-active",
            "20",
            "--chat-rate",
            "50",
            "--chat-seconds",
            "2",
            "--max-seconds",
            "120",
        ])
        .output()
        .unwrap_or_else(|e| panic!("loadgen: {e}"));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_else(|| panic!("no {name:?} line in:\n{text}"))
            .to_string()
    };
    assert!(
        line("chat sockets").contains(" 300 open     0 refused"),
        "{text}"
    );
    let replies = line("agent replies (API)");
    let delivered = line("reply → visitor socket");
    assert!(replies.contains(" 100 ok     0 err"), "{text}");
    assert!(
        delivered.contains(" 100 ok"),
        "every reply reached its visitor:\n{text}"
    );
}
