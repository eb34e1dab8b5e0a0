//! The binary as a user runs it: commands, configuration errors, first
//! start, health and a clean exit on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_atiende");

fn run(dir: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env("ATIENDE_DATA", dir)
        .env_remove("ATIENDE_DATABASE_URL")
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn admin_and_token_commands() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (ok, out, _) = run(dir.path(), &["migrate"]);
    assert!(ok && out.contains("schema at version"), "{out}");
    let (ok, out, err) = run(
        dir.path(),
        &[
            "admin",
            "create",
            "--email",
            "Ana@Example.com",
            "--name",
            "Ana",
        ],
    );
    assert!(ok, "{err}");
    assert!(
        out.contains("password: "),
        "a generated password is printed: {out}"
    );
    let (ok, token, _) = run(
        dir.path(),
        &["token", "create", "--email", "ana@example.com"],
    );
    assert!(ok);
    assert_eq!(
        token.trim().len(),
        40,
        "only the token is printed: {token:?}"
    );
    assert!(token.trim().chars().all(|c| c.is_ascii_alphanumeric()));
    let (ok, _, err) = run(
        dir.path(),
        &["token", "create", "--email", "nobody@example.com"],
    );
    assert!(!ok && err.contains("no user"), "{err}");
    let (ok, out, err) = run(dir.path(), &["demo", "--tickets", "50"]);
    assert!(ok && out.contains("50 tickets"), "{out}{err}");
    let (ok, out, _) = run(dir.path(), &["reindex"]);
    assert!(ok && out.contains("reindexed 50 tickets"), "{out}");
}

#[test]
fn unknown_config_keys_are_named() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("atiende.toml"),
        "listen = \"127.0.0.1:0\"\ndatabse_url = \"x\"\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (ok, _, err) = run(dir.path(), &["migrate"]);
    assert!(!ok && err.contains("databse_url"), "{err}");
    let (ok, _, err) = run(dir.path(), &["--listen", "not-an-address", "migrate"]);
    assert!(!ok && err.contains("listen"), "{err}");
}

#[test]
fn serves_then_exits_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("ATIENDE_DATA", dir.path())
        .env_remove("ATIENDE_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
    let mut lines = BufReader::new(stdout).lines();
    let mut printed = Vec::new();
    let url = loop {
        let line = lines
            .next()
            .unwrap_or_else(|| panic!("server exited: {printed:?}"))
            .unwrap_or_default();
        printed.push(line.clone());
        if let Some(rest) = line.strip_prefix("atiende listening on ") {
            break rest
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
        }
    };
    assert!(
        printed.iter().any(|l| l.contains("admin@atiende.local")),
        "first start prints the admin login: {printed:?}"
    );
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("{e}"));
    rt.block_on(async {
        let r = reqwest::get(format!("{url}/healthz"))
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status().as_u16(), 200);
    });
    assert!(started.elapsed() < Duration::from_secs(10));
    let pid = child.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(killed.success());
    let status = child.wait().unwrap_or_else(|e| panic!("{e}"));
    assert!(status.success(), "exit status after SIGTERM: {status:?}");
    // A second start finds the schema and the admin, and prints no new login.
    let (ok, out, _) = run(dir.path(), &["migrate"]);
    assert!(ok && out.contains("0 migration(s) applied"), "{out}");
}
