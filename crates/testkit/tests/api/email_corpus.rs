//! A corpus of realistic messages (`tests/email/corpus`, written for these
//! tests in the shapes Gmail, Outlook and Apple Mail send) delivered through
//! the listener with STARTTLS by a real client (smtplib): charsets, quoted
//! history folded but kept, forwards, HTML-only mail, malformed MIME,
//! automatic replies, a large attachment and one over the size limit, Cc's
//! joining a reply, and the per-sender hourly limit.

use super::certs;
use super::email::{Smtp, comments, processed, queued_id, send, start_smtp_with};
use super::*;
use std::path::PathBuf;

fn corpus(name: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/email/corpus")
        .join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Delivers a corpus message and waits for it: `(status, ticket, outcome)`.
async fn deliver(srv: &TestServer, smtp: &Smtp, raw: Vec<u8>) -> (String, Option<i64>, String) {
    let out = send(smtp, "sender@example.org", &["support@example.com"], raw).await;
    processed(srv, queued_id(&out)).await
}

async fn ticket(srv: &TestServer, id: i64) -> Json {
    let (s, t) = srv
        .get(&format!("/api/v2/tickets/{id}.json"), &srv.admin())
        .await;
    assert_eq!(s, 200, "{t}");
    t["ticket"].clone()
}

both!(realistic_mail_through_starttls, |srv| {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let pki = certs::make(dir.path());
    let tls = mail::tls::server_config(&pki.cert, &pki.key).unwrap_or_else(|e| panic!("{e}"));
    let mut smtp = start_smtp_with(&srv, Some(tls)).await;
    smtp.ca = Some(pki.ca.clone());

    // STARTTLS is offered, taken, verified against our CA, and not offered again.
    let out = send(
        &smtp,
        "lucia@example.com",
        &["support@example.com"],
        b"From: lucia@example.com\r\nTo: support@example.com\r\nSubject: Mi pedido no ha llegado\r\nMessage-ID: <first-4411@mail.gmail.com>\r\n\r\nHola, el pedido 4411 no ha llegado.\r\n".to_vec(),
    )
    .await;
    assert!(out.contains("EHLO offers STARTTLS True"), "{out}");
    assert!(out.contains("STARTTLS 220 TLSv1.3"), "{out}");
    assert!(
        out.contains("EHLO after TLS offers STARTTLS False"),
        "{out}"
    );
    let (_, first, _) = processed(&srv, queued_id(&out)).await;
    let first = first.unwrap_or_default();

    // Gmail, a reply with the quote: threads, folds the quote, keeps it,
    // and the Cc'd husband joins the conversation.
    let (status, on, why) = deliver(&srv, &smtp, corpus("gmail_reply_quoted.eml")).await;
    assert_eq!(
        (status.as_str(), on, why.as_str()),
        (
            "processed",
            Some(first),
            "threaded by In-Reply-To/References"
        )
    );
    let c = comments(&srv, first).await;
    let reply = &c[1];
    let html = reply["html_body"].as_str().unwrap_or("");
    let (written, folded) = html
        .split_once("<details class=\"quoted\">")
        .unwrap_or((html, ""));
    assert!(written.contains("Sigo esperando el pedido 4411"), "{html}");
    assert!(
        !written.contains("estamos revisando"),
        "the quote is folded: {html}"
    );
    assert!(folded.contains("estamos revisando"), "and kept: {html}");
    assert!(
        reply["body"]
            .as_str()
            .unwrap_or("")
            .contains("estamos revisando tu pedido"),
        "the plain text keeps everything"
    );
    let t = ticket(&srv, first).await;
    let (_, pedro) = srv
        .get(
            "/api/v2/users/search.json?query=pedro@example.net",
            &srv.admin(),
        )
        .await;
    let pedro_id = pedro["users"][0]["id"].as_i64().unwrap_or_default();
    assert!(
        t["collaborator_ids"]
            .as_array()
            .is_some_and(|a| a.iter().any(|v| v.as_i64() == Some(pedro_id))),
        "Cc'd on the reply, so a collaborator: {t}"
    );
    // The agent workspace shows the fold with its label in the agent's language.
    let mut b = super::workspace::Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{first}")).await;
    assert!(
        page.body
            .contains("<details class=\"quoted\"><summary>Quoted text</summary>"),
        "timeline folds the quote"
    );
    assert!(
        page.body.contains("· answers our mail (In-Reply-To)"),
        "the ticket says how the reply threaded"
    );
    assert!(page.body.contains("· opened this ticket"));

    // Outlook in Spanish, Windows-1252: accents, the "De: … Enviado:" block folded.
    let (_, id, why) = deliver(&srv, &smtp, corpus("outlook_es_windows1252.eml")).await;
    assert_eq!(why, "new ticket");
    let id = id.unwrap_or_default();
    let t = ticket(&srv, id).await;
    assert_eq!(t["subject"], "Factura duplicada en diciembre");
    let c = comments(&srv, id).await;
    let body = c[0]["body"].as_str().unwrap_or("");
    assert!(body.starts_with("Buenos días:"), "{body}");
    assert!(
        body.contains("(nº 2026-118). ¿Podrían devolver el importe duplicado? Gracias – Jorge"),
        "{body}"
    );
    let html = c[0]["html_body"].as_str().unwrap_or("");
    let written = html.split("<details").next().unwrap_or("");
    assert!(
        written.contains("Podrían devolver") && !written.contains("mira este cargo"),
        "{html}"
    );
    let (_, jorge) = srv
        .get(
            &format!("/api/v2/users/{}.json", t["requester_id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(jorge["user"]["name"], "Jorge Muñoz");

    // Apple Mail from an iPhone, ISO-8859-1: the signature is folded.
    let (_, id, _) = deliver(&srv, &smtp, corpus("apple_mail_iso8859.eml")).await;
    let id = id.unwrap_or_default();
    assert_eq!(ticket(&srv, id).await["subject"], "No puedo iniciar sesión");
    let c = comments(&srv, id).await;
    let html = c[0]["html_body"].as_str().unwrap_or("");
    assert!(html.contains("contraseña es incorrecta"), "{html}");
    assert!(html.contains("<details class=\"quoted\">"), "{html}");

    // A forward is not folded: what was forwarded is the point.
    let (_, id, _) = deliver(&srv, &smtp, corpus("forwarded_inline.eml")).await;
    let c = comments(&srv, id.unwrap_or_default()).await;
    let html = c[0]["html_body"].as_str().unwrap_or("");
    assert!(!html.contains("<details"), "{html}");
    assert!(html.contains("sale hoy con la agencia"), "{html}");
    // Forwarded as an attachment: the message travels whole, as a file.
    let (_, id, _) = deliver(&srv, &smtp, corpus("forwarded_as_attachment.eml")).await;
    let c = comments(&srv, id.unwrap_or_default()).await;
    let files = c[0]["attachments"].as_array().cloned().unwrap_or_default();
    assert_eq!(files.len(), 1, "{c:?}");
    assert_eq!(files[0]["content_type"], "message/rfc822");

    // HTML only: readable text, sanitised HTML.
    let (_, id, _) = deliver(&srv, &smtp, corpus("html_only.eml")).await;
    let c = comments(&srv, id.unwrap_or_default()).await;
    let html = c[0]["html_body"].as_str().unwrap_or("");
    assert!(
        c[0]["body"]
            .as_str()
            .unwrap_or("")
            .contains("Quiero cambiar la dirección de envío."),
        "{}",
        c[0]["body"]
    );
    for bad in ["<script", "onerror", "javascript:", "<style"] {
        assert!(!html.contains(bad), "{bad} in {html}");
    }

    // Malformed MIME (unclosed boundary, bad base64, unknown charset): a
    // ticket all the same, never a crash.
    let (status, id, _) = deliver(&srv, &smtp, corpus("malformed_mime.eml")).await;
    assert_eq!(status, "processed");
    let c = comments(&srv, id.unwrap_or_default()).await;
    assert!(
        c[0]["body"]
            .as_str()
            .unwrap_or("")
            .contains("El adjunto no se abre"),
        "{}",
        c[0]["body"]
    );

    // Automatic replies in three dialects: stored, no ticket.
    for name in [
        "exchange_out_of_office.eml",
        "vacation_precedence.eml",
        "x_autoreply.eml",
    ] {
        let (status, id, why) = deliver(&srv, &smtp, corpus(name)).await;
        assert_eq!(
            (status.as_str(), id, why.as_str()),
            ("ignored", None, "ignored: automatic reply"),
            "{name}"
        );
    }

    // A 3 MB attachment arrives intact; a message over the listener's
    // 5 MB limit is refused at once (552) and nothing is stored.
    let blob: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &blob);
    let wrapped: String = b64
        .as_bytes()
        .chunks(76)
        .map(|c| format!("{}\r\n", String::from_utf8_lossy(c)))
        .collect();
    let big = format!(
        "From: fotos@example.org\r\nTo: support@example.com\r\nSubject: Fotos del paquete roto\r\nMessage-ID: <big-1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nAdjunto las fotos.\r\n--b\r\nContent-Type: application/zip; name=\"fotos.zip\"\r\nContent-Disposition: attachment; filename=\"fotos.zip\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{wrapped}--b--\r\n"
    );
    let (_, id, _) = deliver(&srv, &smtp, big.into_bytes()).await;
    let c = comments(&srv, id.unwrap_or_default()).await;
    let file = &c[0]["attachments"][0];
    assert_eq!(
        (file["file_name"].as_str(), file["size"].as_i64()),
        (Some("fotos.zip"), Some(3_000_000))
    );
    let got = srv
        .raw(
            "GET",
            file["content_url"].as_str().unwrap_or(""),
            &srv.admin(),
            None,
            None,
        )
        .await
        .bytes()
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    assert!(got == blob, "the attachment arrives byte for byte");
    let huge = format!(
        "From: fotos@example.org\r\nTo: support@example.com\r\nSubject: demasiado\r\n\r\n{}\r\n",
        "x".repeat(76).repeat(70_000).as_str()
    );
    let out = send(
        &smtp,
        "fotos@example.org",
        &["support@example.com"],
        huge.into_bytes(),
    )
    .await;
    assert!(out.contains("DATA 552"), "{out}");
});

both!(one_sender_cannot_flood_the_queue, |srv| {
    let smtp = super::email::start_smtp(&srv).await;
    let limit = app::email::SENDER_LIMIT_PER_HOUR as usize;
    let addr = format!("127.0.0.1:{}", smtp.port);
    let mut client = mail::client::Client::connect(&addr)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut ids = Vec::new();
    for i in 0..=limit {
        let raw = format!(
            "From: bucle@example.org\r\nTo: support@example.com\r\nSubject: Aviso {i}\r\nMessage-ID: <loop-{i}@example.org>\r\n\r\nMensaje {i}\r\n"
        );
        let reply = client
            .send("bucle@example.org", "support@example.com", raw.as_bytes())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        ids.push(queued_id(&format!("DATA {reply}")));
    }
    let mut made = 0;
    for id in &ids[..limit] {
        let (status, _, _) = processed(&srv, *id).await;
        made += usize::from(status == "processed");
    }
    assert_eq!(made, limit);
    let (status, ticket, why) = processed(&srv, ids[limit]).await;
    assert_eq!(
        (status.as_str(), ticket, why.as_str()),
        ("ignored", None, "ignored: sender over the hourly limit")
    );
    // Someone else is not affected.
    let out = send(
        &smtp,
        "otra@example.org",
        &["support@example.com"],
        b"From: otra@example.org\r\nTo: support@example.com\r\nSubject: hola\r\n\r\nhola\r\n"
            .to_vec(),
    )
    .await;
    assert_eq!(processed(&srv, queued_id(&out)).await.0, "processed");
});
