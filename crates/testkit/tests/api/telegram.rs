//! Telegram end to end, against the Bot API stand-in in the test kit: a
//! bot connected through the API (its token checked with `getMe`, our
//! webhook registered with `setWebhook` and a secret token we made),
//! updates with the secret taken in (a bare `/start` is not a question; a
//! photo comes through `getFile`), the agent's reply through
//! `sendMessage`, a customer's answer to it threading back, a reply with a
//! file resumed after Telegram asked us to wait (the words not sent
//! twice), a blocked bot
//! failing the reply in Telegram's words, and updates without the secret
//! refused.

use super::messaging_kit::{outbox_on, until};
use super::*;
use atiende_testkit::telegram::TelegramStandIn;
use domain::{Channel, OutboundStatus};

const BOT_TOKEN: &str = "4711:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";

async fn update(url: &str, secret: Option<&str>, body: Json) -> u16 {
    let mut req = reqwest::Client::new().post(url).json(&body);
    if let Some(s) = secret {
        req = req.header("x-telegram-bot-api-secret-token", s);
    }
    req.send()
        .await
        .unwrap_or_else(|e| panic!("update: {e}"))
        .status()
        .as_u16()
}

/// An update as Telegram sends it.
fn message(update_id: i64, message_id: i64, extra: Json) -> Json {
    let mut m = json!({
        "message_id": message_id,
        "from": {"id": 99001, "is_bot": false, "first_name": "Lucía", "last_name": "Gómez", "language_code": "es"},
        "chat": {"id": 99001, "first_name": "Lucía", "type": "private"},
        "date": 1_749_416_383,
    });
    if let (Some(m), Some(extra)) = (m.as_object_mut(), extra.as_object()) {
        m.extend(extra.clone());
    }
    json!({"update_id": update_id, "message": m})
}

async fn tickets_of_lucia(srv: &TestServer) -> Vec<i64> {
    let (_, t) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
    t["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["via"]["channel"] == "telegram")
        .filter_map(|t| t["id"].as_i64())
        .collect()
}

both!(telegram_end_to_end, |srv| {
    let bot = TelegramStandIn::start(BOT_TOKEN).await;
    let (s, made) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(
                json!({"account": {"channel": "telegram", "name": "Bot de la tienda",
                "credentials": {"bot_token": BOT_TOKEN}, "api_base": bot.base}}),
            ),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["account"]["external_id"], "4711");
    let secret = made["account"]["webhook_secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let hook = made["account"]["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    // We told Telegram where to deliver, with the secret.
    assert_eq!(
        bot.with_book(|b| b.webhook.clone()),
        Some((hook.clone(), secret.clone()))
    );
    // A wrong token is refused when connecting, in Telegram's words.
    let (s, b) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(json!({"account": {"channel": "telegram", "name": "Otro",
                "credentials": {"bot_token": "4712:wrong"}, "api_base": bot.base}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("Unauthorized"), "{b}");

    // Without the secret, or with another: 401.
    let hello = message(1, 10, json!({"text": "Hola, ¿abrís el domingo?"}));
    assert_eq!(update(&hook, None, hello.clone()).await, 401);
    assert_eq!(update(&hook, Some("nope"), hello.clone()).await, 401);
    // A bare /start is not a question.
    assert_eq!(
        update(
            &hook,
            Some(&secret),
            message(2, 9, json!({"text": "/start"}))
        )
        .await,
        200
    );
    assert_eq!(update(&hook, Some(&secret), hello.clone()).await, 200);
    until("Lucía's case", || async {
        tickets_of_lucia(&srv).await.len() == 1
    })
    .await;
    let ticket = tickets_of_lucia(&srv).await[0];
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{ticket}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["via"]["channel"], "telegram", "{t}");
    assert_eq!(t["ticket"]["subject"], "Hola, ¿abrís el domingo?");
    let (_, u) = srv
        .get(
            &format!("/api/v2/users/{}.json", t["ticket"]["requester_id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(u["user"]["name"], "Lucía Gómez", "{u}");

    // A photo, through getFile.
    bot.with_book(|b| {
        b.files.insert(
            "AgACAgQ".into(),
            ("photos/file_7.jpg".into(), vec![0xff, 0xd8, 9, 9]),
        );
    });
    let photo = message(
        3,
        11,
        json!({"caption": "Así está la puerta", "photo": [
        {"file_id": "small", "file_unique_id": "s1", "width": 90, "height": 90},
        {"file_id": "AgACAgQ", "file_unique_id": "AQADx", "width": 800, "height": 800, "file_size": 4}]}),
    );
    assert_eq!(update(&hook, Some(&secret), photo).await, 200);
    let comments = || async {
        let (_, c) = srv
            .get(
                &format!("/api/v2/tickets/{ticket}/comments.json"),
                &srv.admin(),
            )
            .await;
        c["comments"].as_array().cloned().unwrap_or_default()
    };
    until("the photo on the case", || async {
        comments().await.len() == 2
    })
    .await;
    let c = comments().await;
    assert_eq!(c[1]["body"], "Así está la puerta");
    assert_eq!(
        c[1]["attachments"][0]["file_name"], "photo-AQADx.jpg",
        "{c:?}"
    );

    // The agent's reply goes through sendMessage to her chat; Telegram
    // asks us to wait a second first, and we do (no attempt counted).
    bot.with_book(|b| b.flood = 1);
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Sí, de 10 a 14.", "public": true}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the reply at Telegram", || async {
        !bot.with_book(|b| b.sent.is_empty())
    })
    .await;
    assert_eq!(
        bot.with_book(|b| b.sent[0].clone()),
        (
            "sendMessage".into(),
            "99001".into(),
            "Sí, de 10 a 14.".into()
        )
    );
    let ours = || outbox_on(&srv, ticket, Channel::Telegram);
    until("the reply sent", || async {
        ours()
            .await
            .first()
            .is_some_and(|m| m.status == OutboundStatus::Sent)
    })
    .await;
    assert_eq!(ours().await[0].external_id.as_deref(), Some("99001:1"));
    assert_eq!(
        ours().await[0].attempts,
        1,
        "the rate limit was not an attempt"
    );
    assert_eq!(
        bot.with_book(|b| b.flood),
        0,
        "Telegram was asked and said wait"
    );

    let (_, me) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    let admin_id = me["user"]["id"].as_i64().unwrap_or_default();
    // Her answer quoting our reply threads to the case even after it is
    // solved.
    let (s, _) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"status": "solved", "assignee_id": admin_id}})),
        )
        .await;
    assert_eq!(s, 200);
    let answer = message(
        4,
        12,
        json!({"text": "¡Gracias!", "reply_to_message": {"message_id": 1, "chat": {"id": 99001, "type": "private"}, "date": 1}}),
    );
    assert_eq!(update(&hook, Some(&secret), answer).await, 200);
    until("the thanks on the case", || async {
        comments().await.len() == 4
    })
    .await;
    assert_eq!(tickets_of_lucia(&srv).await.len(), 1);

    // A reply with a file: Telegram takes the words, then asks us to wait
    // before the file. The retry sends only the file, not the words again.
    let token = upload_token(&srv, "factura.pdf", "application/pdf", b"%PDF-1.4 factura").await;
    bot.with_book(|b| {
        b.flood_after = 1;
        b.flood = 1;
    });
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Te mando la factura.", "public": true, "uploads": [token]}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the file at Telegram", || async {
        bot.with_book(|b| b.sent.iter().any(|(m, _, _)| m == "sendDocument"))
    })
    .await;
    let sent = bot.with_book(|b| b.sent.clone());
    let times = |method: &str, what: &str| {
        sent.iter()
            .filter(|(m, _, t)| m == method && t == what)
            .count()
    };
    assert_eq!(times("sendMessage", "Te mando la factura."), 1, "{sent:?}");
    assert_eq!(times("sendDocument", "factura.pdf"), 1, "{sent:?}");
    until("the reply with the file sent", || async {
        ours()
            .await
            .iter()
            .any(|m| m.body_text == "Te mando la factura." && m.status == OutboundStatus::Sent)
    })
    .await;

    // She blocked the bot: the next reply fails in Telegram's words.
    bot.with_book(|b| b.blocked.insert("99001".into()));
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "¿Algo más?", "public": true}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the reply failed", || async {
        ours().await.iter().any(|m| {
            m.status == OutboundStatus::Failed
                && m.last_error
                    .as_deref()
                    .is_some_and(|e| e.contains("blocked by the user"))
        })
    })
    .await;

    // She gives her email (another customer's profile holds it) and her
    // phone: the agent is offered to merge, and to add the phone.
    let (s, u) = srv
        .call(
            "POST",
            "/api/v2/users.json",
            &srv.admin(),
            Some(json!({"user": {"name": "Lucía G.", "email": "lucia@example.com"}})),
        )
        .await;
    assert_eq!(s, 201, "{u}");
    let holder = u["user"]["id"].as_i64().unwrap_or_default();
    let says = message(
        5,
        13,
        json!({"text": "Mi correo es Lucia@Example.com y mi móvil +34 655 44 33 22"}),
    );
    assert_eq!(update(&hook, Some(&secret), says).await, 200);
    // Seven: hers, her photo, our answer, her thanks, the invoice, our
    // failed question, and this.
    until("her message", || async {
        comments().await.last().is_some_and(|c| {
            c["body"]
                .as_str()
                .is_some_and(|b| b.starts_with("Mi correo"))
        })
    })
    .await;
    assert_eq!(comments().await.len(), 7);
    use super::workspace::{Browser, hidden};
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{ticket}")).await;
    let panel = page
        .body
        .split("class=\"suggestions\"")
        .nth(1)
        .unwrap_or("");
    assert!(panel.contains(&format!("merge?into={holder}")), "{panel}");
    assert!(panel.contains("value=\"+34655443322\""), "{panel}");
    let customer = t["ticket"]["requester_id"].as_i64().unwrap_or_default();
    let added = b
        .post(
            &format!("/agent/customers/{customer}/identities"),
            &[
                ("csrf", &hidden(&page.body, "csrf")),
                ("back", &format!("/agent/tickets/{ticket}")),
                ("kind", "phone_number"),
                ("value", "+34655443322"),
            ],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.body);
    let page = b.get(&format!("/agent/tickets/{ticket}")).await;
    let panel = page
        .body
        .split("class=\"suggestions\"")
        .nth(1)
        .unwrap_or("");
    assert!(
        !panel.contains("value=\"+34655443322\""),
        "added, no longer suggested"
    );
});
