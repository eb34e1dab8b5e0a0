//! Bot first on the messaging channels, against the providers' stand-ins:
//! on WhatsApp the bot answers a new customer's question with a public
//! article (its address, and reply buttons to say it helped or to ask for
//! a person), a tap on "it helped" closes the talk without a case, a
//! message the provider repeats is answered once, and "no" hands over:
//! the case opens with the question and what the bot offered, the
//! customer is told a person will answer, and from then on their messages
//! go to the case, not the bot (an agent's reply may offer buttons too).
//! On Telegram the buttons are a keyboard,
//! on Messenger quick replies (as atiende's own answer, not a person's),
//! and asking for a person hands over at once.

use super::help_center_site::{article, category, section};
use super::messaging_kit::{meta_deliver, until};
use super::*;
use atiende_testkit::telegram::TelegramStandIn;
use atiende_testkit::whatsapp::WhatsAppStandIn;

pub(super) const TOKEN: &str = "wa-access-token";
pub(super) const APP_SECRET: &str = "wa-app-secret";
pub(super) const NUMBER_ID: &str = "106540352242922";
pub(super) const CUSTOMER: &str = "34600998877";

/// The help center the bot reads: one public article on returns.
async fn returns_article(srv: &TestServer) -> i64 {
    let cat = category(srv, "es", json!({"name": "Pedidos"})).await;
    let sec = section(srv, &cat, json!({"name": "Devoluciones"})).await;
    article(srv, &sec, json!({"title": "Cómo devolver un producto",
        "body": "<p>Tienes 30 días para devolver un artículo sin usar. Entra en Mi cuenta, elige el pedido y pulsa «Devolver artículos». Imprime la etiqueta de devolución y entrega el paquete en correos.</p>"}))
    .await["id"]
        .as_i64()
        .unwrap_or_default()
}

pub(super) async fn connect(srv: &TestServer, body: Json) -> Json {
    let (s, made) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(json!({ "account": body })),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    made["account"].clone()
}

/// A signed Meta delivery.
pub(super) async fn deliver(url: &str, body: &Json) -> u16 {
    meta_deliver(url, APP_SECRET, body).await
}

/// A WhatsApp message from the customer: `message` is its type's part.
pub(super) fn whatsapp_message(id: &str, ts: &str, message: Json) -> Json {
    let mut m = json!({"from": CUSTOMER, "id": id, "timestamp": ts});
    if let (Some(m), Some(extra)) = (m.as_object_mut(), message.as_object()) {
        m.extend(extra.clone());
    }
    json!({"object": "whatsapp_business_account", "entry": [{"id": "102290129340398", "changes": [{"field": "messages", "value": {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550783881", "phone_number_id": NUMBER_ID},
        "contacts": [{"profile": {"name": "Marta Ruiz"}, "wa_id": CUSTOMER}],
        "messages": [m],
    }}]}]})
}

/// What the stand-in took for the customer, oldest first.
pub(super) fn sent_to_customer(p: &WhatsAppStandIn) -> Vec<Json> {
    p.sent()
        .into_iter()
        .map(|(_, m)| m)
        .filter(|m| m["to"] == CUSTOMER)
        .collect()
}

/// The words of a WhatsApp message we sent (text or interactive).
pub(super) fn words(m: &Json) -> String {
    m["text"]["body"]
        .as_str()
        .or(m["interactive"]["body"]["text"].as_str())
        .unwrap_or_default()
        .to_string()
}

async fn tickets_via(srv: &TestServer, channel: &str) -> Vec<Json> {
    let (_, t) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
    t["tickets"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|t| t["via"]["channel"] == channel)
        .cloned()
        .collect()
}

both!(the_bot_answers_first_on_whatsapp_and_hands_over, |srv| {
    let returns = returns_article(&srv).await;
    let provider = WhatsAppStandIn::start(TOKEN).await;
    let account = connect(
        &srv,
        json!({"channel": "whatsapp", "name": "Tienda", "external_id": NUMBER_ID, "bot_first": true,
            "credentials": {"access_token": TOKEN, "app_secret": APP_SECRET}, "api_base": provider.base}),
    )
    .await;
    assert_eq!(account["bot_first"], true, "{account}");
    let hook = account["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // A question the help center answers: the article, its address, and
    // two reply buttons; no case.
    let question = whatsapp_message(
        "wamid.Q1",
        "1749416383",
        json!({"type": "text", "text": {"body": "quiero devolver un producto sin usar"}}),
    );
    assert_eq!(deliver(&hook, &question).await, 200);
    until("the bot's answer", || async {
        !sent_to_customer(&provider).is_empty()
    })
    .await;
    let offer = sent_to_customer(&provider)[0].clone();
    assert_eq!(offer["type"], "interactive", "{offer}");
    let body = words(&offer);
    assert!(body.contains("Cómo devolver un producto"), "{body}");
    assert!(
        body.contains(&format!("{}/hc/es/articles/{returns}", srv.base)),
        "{body}"
    );
    let buttons: Vec<String> = offer["interactive"]["action"]["buttons"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|b| b["reply"]["title"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(buttons, ["Sí, me sirvió", "Hablar con persona"], "{offer}");
    assert!(tickets_via(&srv, "whatsapp").await.is_empty());

    // The provider repeats the message (same id, another delivery): the
    // bot does not answer it twice.
    let repeated = whatsapp_message(
        "wamid.Q1",
        "1749416390",
        json!({"type": "text", "text": {"body": "quiero devolver un producto sin usar"}}),
    );
    assert_eq!(deliver(&hook, &repeated).await, 200);

    // A tap on "it helped": the bot is glad; still no case.
    let helped = whatsapp_message(
        "wamid.Q2",
        "1749416400",
        json!({"type": "interactive", "context": {"from": "15550783881", "id": "wamid.TEST1"},
            "interactive": {"type": "button_reply", "button_reply": {"id": "x:0", "title": "Sí, me sirvió"}}}),
    );
    assert_eq!(deliver(&hook, &helped).await, 200);
    until("the bot's thanks", || async {
        sent_to_customer(&provider).len() >= 2
    })
    .await;
    let sent = sent_to_customer(&provider);
    assert_eq!(
        sent.len(),
        2,
        "the repeated question was answered once: {sent:?}"
    );
    assert!(words(&sent[1]).contains("Me alegro"), "{:?}", sent[1]);
    assert_eq!(sent[1]["type"], "text");
    assert!(tickets_via(&srv, "whatsapp").await.is_empty());
    // The bot's report counts the answer the customer said helped.
    let admin = admin_actor(&srv).await;
    let report = srv
        .app
        .answer_bot_report(admin)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.resolved, 1, "{report:?}");
    assert_eq!(report.recent[0].resolved.map(|a| a.0), Some(returns));

    // Another question, then "no": a person takes it.
    let again = whatsapp_message(
        "wamid.Q3",
        "1749416500",
        json!({"type": "text", "text": {"body": "¿Puedo devolver un producto sin usar comprado hace una semana?"}}),
    );
    assert_eq!(deliver(&hook, &again).await, 200);
    until("the second offer", || async {
        sent_to_customer(&provider).len() >= 3
    })
    .await;
    let no = whatsapp_message(
        "wamid.Q4",
        "1749416600",
        json!({"type": "text", "text": {"body": "No, no me sirve"}}),
    );
    assert_eq!(deliver(&hook, &no).await, 200);
    until("the case", || async {
        tickets_via(&srv, "whatsapp").await.len() == 1
    })
    .await;
    let ticket = tickets_via(&srv, "whatsapp").await[0].clone();
    let id = ticket["id"].as_i64().unwrap_or_default();
    assert_eq!(
        ticket["subject"], "¿Puedo devolver un producto sin usar comprado hace una semana?",
        "the case opens with what they came for: {ticket}"
    );
    let first = &comment_bodies(&srv, id).await[0];
    assert!(
        first.contains("Conversación con el asistente virtual")
            && first.contains("Cliente: ¿Puedo devolver un producto sin usar")
            && first.contains("sugirió «Cómo devolver un producto»"),
        "{first}"
    );
    let (_, who) = srv
        .get(
            &format!("/api/v2/users/{}/identities.json", ticket["requester_id"]),
            &srv.admin(),
        )
        .await;
    assert!(
        who["identities"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|i| i["type"] == "phone_number" && i["value"] == format!("+{CUSTOMER}")),
        "{who}"
    );
    until("told a person will answer", || async {
        sent_to_customer(&provider)
            .iter()
            .any(|m| words(m).contains("Te paso con una persona"))
    })
    .await;

    // From now on their messages are the case's; the agent answers there.
    let more = whatsapp_message(
        "wamid.Q5",
        "1749416700",
        json!({"type": "text", "text": {"body": "Es el pedido 4411, gracias"}}),
    );
    assert_eq!(deliver(&hook, &more).await, 200);
    until("the message on the case", || async {
        comment_bodies(&srv, id)
            .await
            .iter()
            .any(|c| c.contains("pedido 4411"))
    })
    .await;
    let before = sent_to_customer(&provider).len();
    // The agent's reply may offer buttons: three at most, 20 characters.
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &srv.admin(),
            Some(
                json!({"ticket": {"comment": {"body": "¿Te la envío?", "public": true,
                "buttons": ["Sí", "No", "Más tarde", "Nunca"]}}}),
            ),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("at most 3"), "{b}");
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{id}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Hola Marta, ya tienes la etiqueta. ¿Algo más?", "public": true,
                "buttons": ["Nada más, gracias", "Tengo otra duda"]}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the agent's reply", || async {
        sent_to_customer(&provider).len() > before
    })
    .await;
    let sent = sent_to_customer(&provider);
    assert!(
        sent[before..]
            .iter()
            .all(|m| !words(m).contains("asistente virtual") && !words(m).contains("Esto puede")),
        "the bot stays out of a case a person has: {sent:?}"
    );
    assert!(words(&sent[before]).contains("ya tienes la etiqueta"));
    assert_eq!(sent[before]["type"], "interactive", "{:?}", sent[before]);
    assert_eq!(
        sent[before]["interactive"]["action"]["buttons"][1]["reply"]["title"],
        "Tengo otra duda"
    );
    assert_eq!(tickets_via(&srv, "whatsapp").await.len(), 1);
});

both!(the_bot_offers_buttons_on_telegram_and_messenger, |srv| {
    returns_article(&srv).await;
    let en = category(&srv, "en-us", json!({"name": "Orders"})).await;
    let en_sec = section(&srv, &en, json!({"name": "Returns"})).await;
    article(&srv, &en_sec, json!({"title": "How to return a product",
        "body": "<p>You have 30 days to return an unused item. Go to My account, choose the order and press Return items. Print the return label and take the parcel to the post office.</p>"}))
    .await;
    // Telegram: the buttons are a keyboard; tapping "Talk to a person"
    // hands over at once.
    let token = "4711:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw";
    let bot = TelegramStandIn::start(token).await;
    let made = connect(
        &srv,
        json!({"channel": "telegram", "name": "Bot", "bot_first": true,
            "credentials": {"bot_token": token}, "api_base": bot.base}),
    )
    .await;
    let hook = made["webhook_url"].as_str().unwrap_or_default().to_string();
    let secret = made["webhook_secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let update = |id: i64, text: &str| {
        json!({"update_id": id, "message": {"message_id": id, "date": 1_749_416_383,
            "from": {"id": 99002, "is_bot": false, "first_name": "Ana", "language_code": "es"},
            "chat": {"id": 99002, "type": "private"}, "text": text}})
    };
    let post = |body: Json| {
        let (hook, secret) = (hook.clone(), secret.clone());
        async move {
            reqwest::Client::new()
                .post(&hook)
                .header("x-telegram-bot-api-secret-token", secret)
                .json(&body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .status()
                .as_u16()
        }
    };
    assert_eq!(
        post(update(1, "quiero devolver un producto sin usar")).await,
        200
    );
    until("the keyboard", || async {
        !bot.with_book(|b| b.keyboards.clone()).is_empty()
    })
    .await;
    assert_eq!(
        bot.with_book(|b| b.keyboards.clone())[0],
        (
            "99002".to_string(),
            vec![
                "Sí, me sirvió".to_string(),
                "Hablar con persona".to_string()
            ]
        )
    );
    assert!(tickets_via(&srv, "telegram").await.is_empty());
    assert_eq!(post(update(2, "Hablar con persona")).await, 200);
    until("the Telegram case", || async {
        tickets_via(&srv, "telegram").await.len() == 1
    })
    .await;
    let t = tickets_via(&srv, "telegram").await[0].clone();
    assert_eq!(t["subject"], "quiero devolver un producto sin usar", "{t}");
    until("told on Telegram", || async {
        bot.with_book(|b| {
            b.sent
                .iter()
                .any(|(_, chat, text)| chat == "99002" && text.contains("Te paso con una persona"))
        })
    })
    .await;

    // Messenger: quick replies, sent as atiende's answer inside the
    // window (not with the human-agent tag); a greeting gets a question.
    let graph = WhatsAppStandIn::start("page-token").await;
    let page = connect(
        &srv,
        json!({"channel": "messenger", "name": "Página", "external_id": "1029384756", "bot_first": true,
            "credentials": {"access_token": "page-token", "app_secret": APP_SECRET}, "api_base": graph.base}),
    )
    .await;
    let page_hook = page["webhook_url"].as_str().unwrap_or_default().to_string();
    let message = |mid: &str, text: &str| {
        json!({"object": "page", "entry": [{"id": "1029384756", "time": 1_749_416_383_000i64, "messaging": [
            {"sender": {"id": "24000009"}, "recipient": {"id": "1029384756"}, "timestamp": 1_749_416_383_000i64,
             "message": {"mid": mid, "text": text}}]}]})
    };
    assert_eq!(deliver(&page_hook, &message("m_1", "Hello!")).await, 200);
    assert_eq!(
        deliver(
            &page_hook,
            &message("m_2", "I want to return an unused product")
        )
        .await,
        200
    );
    until("two answers on Messenger", || async {
        graph.sent().len() >= 2
    })
    .await;
    let sent: Vec<Json> = graph.sent().into_iter().map(|(_, m)| m).collect();
    assert!(
        sent[0]["message"]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("How can I help"),
        "{:?}",
        sent[0]
    );
    assert_eq!(sent[1]["messaging_type"], "RESPONSE", "{:?}", sent[1]);
    assert!(sent[1].get("tag").is_none(), "{:?}", sent[1]);
    let quick: Vec<&str> = sent[1]["message"]["quick_replies"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|q| q["title"].as_str())
        .collect();
    assert_eq!(
        quick,
        ["Yes, that helped", "Talk to a person"],
        "{:?}",
        sent[1]
    );
    assert!(tickets_via(&srv, "facebook").await.is_empty());
});
