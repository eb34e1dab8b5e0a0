//! SMS end to end through Twilio, with the official `twilio` Python
//! library on the other side: its request validator signs the webhooks we
//! receive, and its REST client is run against the test kit's stand-in
//! first, so the stand-in we send to answers as Twilio's own client
//! expects. A text (with Unicode) becomes a case on the sender's phone
//! identity — the one WhatsApp uses too —, the agent's long reply goes as
//! parts of at most 1,600 characters, status callbacks mark it delivered
//! or failed, an MMS picture is fetched with the account's credentials, a
//! reply's file goes as MMS media Twilio fetches from us,
//! a number that sent STOP fails the reply in Twilio's words, and a
//! webhook signed for another address is refused.

use super::messaging_kit::{outbox_on, twilio, until};
use super::*;
use atiende_testkit::twilio::TwilioStandIn;
use domain::messaging::Receipt;
use domain::{Channel, OutboundStatus};

pub(super) const SID: &str = "AC0123456789abcdef0123456789abcdef";
pub(super) const TOKEN: &str = "twilio-auth-token-1";
pub(super) const OUR_NUMBER: &str = "+15005550006";

/// Posts a webhook as Twilio does: a form, signed by the official
/// validator for `signed_for` (the hook's address unless a test forges).
pub(super) async fn webhook(
    hook: &str,
    signed_for: &str,
    params: &[(&str, &str)],
) -> (u16, String) {
    let map: serde_json::Map<String, Json> = params
        .iter()
        .map(|(k, v)| (k.to_string(), Json::from(*v)))
        .collect();
    let signature = twilio(vec![
        "sign".into(),
        signed_for.into(),
        TOKEN.into(),
        Json::Object(map).to_string(),
    ])
    .await;
    let r = reqwest::Client::new()
        .post(hook)
        .header("x-twilio-signature", signature)
        .form(params)
        .send()
        .await
        .unwrap_or_else(|e| panic!("webhook: {e}"));
    let status = r.status().as_u16();
    (status, r.text().await.unwrap_or_default())
}

both!(sms_end_to_end, |srv| {
    let twilio_api = TwilioStandIn::start(SID, TOKEN).await;
    // The official client against the stand-in: the contract is Twilio's.
    let said = twilio(vec![
        "send".into(),
        twilio_api.base.clone(),
        SID.into(),
        TOKEN.into(),
        OUR_NUMBER.into(),
        "+34699000000".into(),
        "Prueba ñ 👋".into(),
    ])
    .await;
    let said: Json = serde_json::from_str(&said).unwrap_or_else(|e| panic!("{e}: {said}"));
    assert_eq!(said["status"], "queued", "{said}");
    assert_eq!(said["num_segments"], "1", "{said}");
    assert!(
        said["sid"]
            .as_str()
            .is_some_and(|s| s.starts_with("SM") && s.len() == 34)
    );

    let (s, made) = srv
        .call(
            "POST",
            "/api/v2/channels/accounts.json",
            &srv.admin(),
            Some(json!({"account": {"channel": "sms", "name": "SMS", "external_id": "+1 500 555 0006",
                "credentials": {"account_sid": SID, "auth_token": TOKEN}, "api_base": twilio_api.base}})),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    assert_eq!(made["account"]["external_id"], OUR_NUMBER);
    let hook = made["account"]["webhook_url"]
        .as_str()
        .unwrap_or_default()
        .to_string();

    // A text from a new number.
    let text = [
        ("MessageSid", "SM11111111111111111111111111111111"),
        ("AccountSid", SID),
        ("From", "+34600112233"),
        ("To", OUR_NUMBER),
        ("Body", "Hola 👋 ¿llegó mi devolución?"),
        ("NumMedia", "0"),
        ("SmsStatus", "received"),
    ];
    // Signed for another address: refused.
    let (s, _) = webhook(&hook, "https://elsewhere.example/sms", &text).await;
    assert_eq!(s, 401);
    let (s, body) = webhook(&hook, &hook, &text).await;
    assert_eq!(s, 200);
    assert!(body.contains("<Response>"), "{body}");
    let tickets = || async {
        let (_, t) = srv.get("/api/v2/tickets.json", &srv.admin()).await;
        t["tickets"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|t| t["via"]["channel"] == "sms")
            .cloned()
            .collect::<Vec<_>>()
    };
    until("the SMS case", || async { tickets().await.len() == 1 }).await;
    let t = tickets().await[0].clone();
    let ticket = t["id"].as_i64().unwrap_or_default();
    assert_eq!(t["subject"], "Hola 👋 ¿llegó mi devolución?");
    let (_, ids) = srv
        .get(
            &format!("/api/v2/users/{}/identities.json", t["requester_id"]),
            &srv.admin(),
        )
        .await;
    assert_eq!(ids["identities"][0]["type"], "phone_number", "{ids}");
    assert_eq!(ids["identities"][0]["value"], "+34600112233", "{ids}");

    // An MMS picture, fetched with the account's credentials.
    twilio_api.with_book(|b| {
        b.media.insert(
            "ME1".into(),
            ("image/jpeg".into(), vec![0xff, 0xd8, 1, 2, 3]),
        );
    });
    let media_url = twilio_api.media_url("SM22222222222222222222222222222222", "ME1");
    let mms = [
        ("MessageSid", "SM22222222222222222222222222222222"),
        ("AccountSid", SID),
        ("From", "+34600112233"),
        ("To", OUR_NUMBER),
        ("Body", ""),
        ("NumMedia", "1"),
        ("MediaUrl0", media_url.as_str()),
        ("MediaContentType0", "image/jpeg"),
    ];
    let (s, _) = webhook(&hook, &hook, &mms).await;
    assert_eq!(s, 200);
    let comments = || async {
        let (_, c) = srv
            .get(
                &format!("/api/v2/tickets/{ticket}/comments.json"),
                &srv.admin(),
            )
            .await;
        c["comments"].as_array().cloned().unwrap_or_default()
    };
    until("the picture", || async { comments().await.len() == 2 }).await;
    assert_eq!(comments().await[1]["attachments"][0]["size"], 5);

    // A long reply with Unicode: parts of at most 1,600 characters.
    let long = "Gracias por escribirnos — ñandú ✓. ".repeat(60);
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": long, "public": true}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the reply's parts", || async {
        twilio_api.with_book(|b| b.sent.len()) == 3
    })
    .await;
    let sent = twilio_api.with_book(|b| b.sent[1..].to_vec());
    assert!(
        sent.iter()
            .all(|m| m.to == "+34600112233" && m.from == OUR_NUMBER)
    );
    assert!(sent.iter().all(|m| m.body.chars().count() <= 1600));
    assert_eq!(
        sent.iter()
            .map(|m| m.body.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        long.trim()
    );
    let ours = || outbox_on(&srv, ticket, Channel::Sms);
    until("the reply sent", || async {
        ours()
            .await
            .first()
            .is_some_and(|m| m.status == OutboundStatus::Sent)
    })
    .await;
    let first_sid = sent[0].sid.clone();
    assert_eq!(
        ours().await[0].external_id.as_deref(),
        Some(first_sid.as_str())
    );

    // Twilio's status callback: delivered.
    let status = [
        ("MessageSid", first_sid.as_str()),
        ("AccountSid", SID),
        ("From", OUR_NUMBER),
        ("To", "+34600112233"),
        ("MessageStatus", "delivered"),
        ("SmsStatus", "delivered"),
    ];
    let (s, _) = webhook(&hook, &hook, &status).await;
    assert_eq!(s, 200);
    until("the reply delivered", || async {
        ours().await[0].receipt == Some(Receipt::Delivered)
    })
    .await;
    // Its status callback was our webhook.
    assert_eq!(
        sent[0].status_callback.as_deref(),
        Some(hook.as_str()),
        "{:?}",
        sent[0].status_callback
    );

    // A reply with a file goes as MMS: Twilio fetches it from our address.
    let token = upload_token(
        &srv,
        "etiqueta.pdf",
        "application/pdf",
        b"%PDF-1.4 etiqueta",
    )
    .await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "Tu etiqueta", "public": true, "uploads": [token]}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    until("the MMS", || async {
        twilio_api.with_book(|b| b.sent.len()) == 4
    })
    .await;
    let mms = twilio_api.with_book(|b| b.sent[3].clone());
    assert_eq!(mms.body, "Tu etiqueta");
    assert_eq!(
        mms.media,
        vec![("application/pdf".to_string(), b"%PDF-1.4 etiqueta".to_vec())]
    );
    // The address is only for the message it belongs to.
    let r = reqwest::get(format!(
        "{}/channels/media/atiende-1-sms-guessed/0/etiqueta.pdf",
        srv.base
    ))
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(r.status().as_u16(), 404);

    // She sent STOP to the number: the next reply fails in Twilio's words.
    twilio_api.with_book(|b| b.unsubscribed.insert("+34600112233".into()));
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
                && m.last_error.as_deref().is_some_and(|e| e.contains("21610"))
        })
    })
    .await;

    // She texts STOP: recorded, and the reply box refuses the next reply.
    let stop = [
        ("MessageSid", "SM33333333333333333333333333333333"),
        ("AccountSid", SID),
        ("From", "+34600112233"),
        ("To", OUR_NUMBER),
        ("Body", "STOP"),
        ("NumMedia", "0"),
    ];
    let (s, _) = webhook(&hook, &hook, &stop).await;
    assert_eq!(s, 200);
    let admin = admin_actor(&srv).await;
    let customer = domain::UserId(t["requester_id"].as_i64().unwrap_or_default());
    until("the opt-out", || async {
        srv.app
            .consents(admin, customer)
            .await
            .unwrap_or_default()
            .iter()
            .any(|c| c.channel == Channel::Sms && !c.opted_in && c.source == "STOP")
    })
    .await;
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": "¿Seguro?", "public": true}}})),
        )
        .await;
    assert_eq!(s, 422, "{b}");
    assert!(b.to_string().contains("opted out of sms"), "{b}");
    // START opts her back in.
    let start = [
        ("MessageSid", "SM44444444444444444444444444444444"),
        ("AccountSid", SID),
        ("From", "+34600112233"),
        ("To", OUR_NUMBER),
        ("Body", "start"),
        ("NumMedia", "0"),
    ];
    let (s, _) = webhook(&hook, &hook, &start).await;
    assert_eq!(s, 200);
    until("the opt-in", || async {
        srv.app
            .consents(admin, customer)
            .await
            .unwrap_or_default()
            .iter()
            .any(|c| c.channel == Channel::Sms && c.opted_in)
    })
    .await;
});
