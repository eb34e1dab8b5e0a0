//! The real client libraries (zenpy, node-zendesk) drive a realistic flow
//! against a spawned server. The test command installs them; run without
//! them, these tests fail and say how to install them.

use super::*;
use std::path::PathBuf;
use std::process::Command;

async fn run_client(srv: &TestServer, program: &str, args: &[&str], cwd: PathBuf) {
    let out = Command::new(program)
        .args(args)
        .current_dir(&cwd)
        .env("ATIENDE_URL", &srv.base)
        .env("ATIENDE_EMAIL", &srv.admin_email)
        .env("ATIENDE_TOKEN", &srv.admin_token)
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

both!(zenpy_drives_the_api, |srv| {
    let srv = std::sync::Arc::new(srv);
    let s = srv.clone();
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Handle::current();
        rt.block_on(run_client(
            &s,
            &python(),
            &["zenpy_flow.py"],
            repo_root().join("tests/clients"),
        ))
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
});

both!(node_zendesk_drives_the_api, |srv| {
    let srv = std::sync::Arc::new(srv);
    let s = srv.clone();
    tokio::task::spawn_blocking(move || {
        let rt = tokio::runtime::Handle::current();
        rt.block_on(run_client(
            &s,
            "node",
            &["flow.mjs"],
            repo_root().join("tests/clients/node"),
        ))
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
});
