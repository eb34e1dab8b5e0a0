//! Files in a chat, both ways: a visitor's file once a person is in the
//! chat (size and kind checked, stored once whatever the resends, on the
//! case's comment), an agent's reply's files in the widget, and every
//! file downloaded only by the key in its address.

use super::chat::{SITE, line, session, widget};
use super::*;

/// A file sent from the widget at `origin`.
async fn send_file(
    srv: &TestServer,
    key: &str,
    origin: &str,
    token: &str,
    client_id: &str,
    (name, content_type, data): (&str, &str, Vec<u8>),
) -> (u16, Json) {
    let part = reqwest::multipart::Part::bytes(data)
        .file_name(name.to_string())
        .mime_str(content_type)
        .unwrap_or_else(|e| panic!("{e}"));
    let form = reqwest::multipart::Form::new()
        .text("token", token.to_string())
        .text("client_id", client_id.to_string())
        .part("file", part);
    let sent = reqwest::Client::new()
        .post(format!("{}/chat/v1/{key}/files", srv.base))
        .header("origin", origin)
        .multipart(form)
        .send()
        .await;
    // A body over the limit may be refused by closing the connection
    // before the client has written it all (a broken pipe, not the 413):
    // status 0 says so.
    let r = match sent {
        Ok(r) => r,
        Err(e) => return (0, Json::String(format!("{e:?}"))),
    };
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or_default())
}

/// A picture's first bytes and some more.
fn png() -> Vec<u8> {
    let mut d = b"\x89PNG\r\n\x1a\n".to_vec();
    d.extend(std::iter::repeat_n(7u8, 2000));
    d
}

async fn download(srv: &TestServer, url: &str) -> (u16, String, Vec<u8>) {
    let r = reqwest::get(format!("{}{url}", srv.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let status = r.status().as_u16();
    let disposition = r
        .headers()
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    (
        status,
        disposition,
        r.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
    )
}

both!(files_go_both_ways_checked_and_by_key, |srv| {
    let (key, _) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (s, b) = line(&srv, &key, &token, "f1", "hola").await;
    assert_eq!(s, 200, "{b}");
    // Not to the bot: a person must be in the chat.
    let (s, b) = send_file(
        &srv,
        &key,
        SITE,
        &token,
        "file-0",
        ("foto.png", "image/png", png()),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = super::chat::call(&srv, &key, "person", Some(SITE), json!({"token": token})).await;
    assert_eq!(s, 200, "{b}");

    // A picture: a line with the file, stored once whatever the resends.
    let (s, b) = send_file(
        &srv,
        &key,
        SITE,
        &token,
        "file-1",
        ("foto de la caja.png", "image/png", png()),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let sent = b["lines"][0].clone();
    assert_eq!(sent["author"], "visitor");
    assert_eq!(sent["files"][0]["name"], "foto de la caja.png", "{b}");
    let url = sent["files"][0]["url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        url.starts_with("/chat/files/") && url.ends_with("/foto%20de%20la%20caja.png"),
        "{url}"
    );
    let (s, again) = send_file(
        &srv,
        &key,
        SITE,
        &token,
        "file-1",
        ("foto de la caja.png", "image/png", png()),
    )
    .await;
    assert_eq!(s, 200, "{again}");
    assert_eq!(
        again["lines"][0]["id"], sent["id"],
        "a resend is the same line"
    );

    // Downloaded by its key only, always as a download.
    let (s, disposition, data) = download(&srv, &url).await;
    assert_eq!(s, 200);
    assert_eq!(data, png());
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let mut parts: Vec<&str> = url.split('/').collect();
    parts[4] = "a-guessed-key";
    let (s, _, _) = download(&srv, &parts.join("/")).await;
    assert_eq!(s, 404, "a wrong key");

    // On the case: the comment carries the file.
    let ticket = {
        let (_, p) = super::chat::poll(&srv, &key, &token, 0).await;
        p["conversation"]["ticket_id"].as_i64().unwrap_or_default()
    };
    let cs = super::chat::comment_records(&srv, ticket).await;
    let with_file = cs
        .iter()
        .filter(|c| {
            c["attachments"]
                .as_array()
                .is_some_and(|a| a.iter().any(|x| x["file_name"] == "foto de la caja.png"))
        })
        .count();
    assert_eq!(with_file, 1, "{cs:?}");

    // Refused: kinds a browser would run, an empty file, too large, another site.
    for (name, ct) in [
        ("x.html", "text/html"),
        ("x.svg", "image/svg+xml"),
        ("x.js", "text/javascript"),
        ("x.exe", "application/x-msdownload"),
    ] {
        let (s, b) = send_file(
            &srv,
            &key,
            SITE,
            &token,
            &format!("bad-{}", name.len()),
            (name, ct, b"<script>alert(1)</script>".to_vec()),
        )
        .await;
        assert_eq!(s, 422, "{name}: {b}");
    }
    let (s, b) = send_file(
        &srv,
        &key,
        SITE,
        &token,
        "empty",
        ("vacio.png", "image/png", Vec::new()),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    let (s, b) = send_file(
        &srv,
        &key,
        SITE,
        &token,
        "big",
        ("grande.pdf", "application/pdf", vec![1u8; 11 * 1024 * 1024]),
    )
    .await;
    assert!(matches!(s, 0 | 400 | 413 | 422), "{s} {b}");
    let (s, _) = send_file(
        &srv,
        &key,
        "https://evil.example",
        &token,
        "evil",
        ("foto.png", "image/png", png()),
    )
    .await;
    assert_eq!(s, 403);
    let (s, _) = send_file(
        &srv,
        &key,
        SITE,
        "not-a-token",
        "anon",
        ("foto.png", "image/png", png()),
    )
    .await;
    assert_eq!(s, 401);

    // The agent's reply with a file reaches the widget with it.
    let up = srv
        .raw(
            "POST",
            "/api/v2/uploads.json?filename=guia.pdf",
            &srv.admin(),
            Some(b"%PDF-1.4 guia".to_vec()),
            Some("application/pdf"),
        )
        .await;
    let up: Json = up.json().await.unwrap_or_default();
    let upload = up["upload"]["token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Aquí tienes la guía.", "public": true, "uploads": [upload]}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let mut found = Json::Null;
    for _ in 0..50 {
        let (_, p) =
            super::chat::poll(&srv, &key, &token, sent["id"].as_i64().unwrap_or_default()).await;
        if let Some(l) = p["lines"].as_array().and_then(|l| {
            l.iter()
                .find(|l| l["text"] == "Aquí tienes la guía.")
                .cloned()
        }) {
            found = l;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(found["files"][0]["name"], "guia.pdf", "{found}");
    let (s, _, data) = download(&srv, found["files"][0]["url"].as_str().unwrap_or_default()).await;
    assert_eq!(s, 200);
    assert_eq!(data, b"%PDF-1.4 guia");
});
