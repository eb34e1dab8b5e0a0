//! One way out for every channel: an agent's reply goes back on the
//! channel the customer last wrote from (or the one the agent chose on the
//! reply box), through the outbox, to that channel's sender; the sender
//! loop records what the provider said.

use super::workspace::{Browser, hidden};
use super::*;
use app::ingest::{Inbound, InboundSender, IngestOutcome, ThreadHint, Threaded};
use app::outbox::sender::{self, ChannelSender, OutboundFile, RetryPolicy, SendError};
use domain::model::outbox::Outbound;
use domain::{Channel, IdentityKind, OutboundStatus, TicketId, Timestamp};
use std::sync::{Arc, Mutex};

fn inbound(channel: Channel, account: &str, id: &str, kind: IdentityKind, from: &str) -> Inbound {
    let sender = InboundSender {
        kind,
        value: from.into(),
        display_name: Some("Marta Ruiz".into()),
    };
    Inbound::message(
        channel,
        account,
        Some(id.into()),
        sender,
        format!("mensaje {id}"),
    )
}

/// A provider as a channel sender sees it: takes messages, or refuses
/// them the way it was told to.
struct Provider {
    channel: Channel,
    answer: Result<Option<String>, SendError>,
    taken: Arc<Mutex<Vec<(String, String, usize)>>>,
}

impl ChannelSender for Provider {
    fn channel(&self) -> Channel {
        self.channel
    }

    async fn send(
        &self,
        m: &Outbound,
        files: Vec<OutboundFile>,
    ) -> Result<Option<String>, SendError> {
        if let Ok(mut t) = self.taken.lock() {
            t.push((m.to_address.clone(), m.body_text.clone(), files.len()));
        }
        self.answer.clone()
    }
}

async fn outbox(srv: &TestServer, ticket: TicketId) -> Vec<Outbound> {
    let admin = admin_actor(srv).await;
    srv.app
        .ticket_outbox(admin, ticket)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

async fn comment_count(srv: &TestServer, ticket: TicketId) -> usize {
    let (_, c) = srv
        .get(
            &format!("/api/v2/tickets/{}/comments.json", ticket.0),
            &srv.admin(),
        )
        .await;
    c["comments"].as_array().map_or(0, Vec::len)
}

async fn agent_reply(srv: &TestServer, ticket: TicketId, body: &str) {
    let (s, b) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{}.json", ticket.0),
            &srv.admin(),
            Some(json!({"ticket": {"comment": {"body": body, "public": true}}})),
        )
        .await;
    assert_eq!(s, 200, "{b}");
}

both!(replies_go_back_on_the_customers_channel, |first| {
    let backend = first.backend;
    drop(first);
    let srv = start_with_support_mail(backend).await;
    // Marta writes to the Telegram bot: a new ticket via Telegram.
    let out = srv
        .app
        .ingest(inbound(
            Channel::Telegram,
            "bot-1",
            "chat-9:1",
            IdentityKind::Telegram,
            "987654321",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ticket = out.ticket();
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{}.json", ticket.0), &srv.admin())
        .await;
    let marta = t["ticket"]["requester_id"].as_i64().unwrap_or_default();
    // She also has an email address and a phone number (WhatsApp, SMS) on
    // her profile.
    for (kind, value) in [
        ("email", "marta@example.com"),
        ("phone_number", "+34611223344"),
    ] {
        let (s, b) = srv
            .call(
                "POST",
                &format!("/api/v2/users/{marta}/identities.json"),
                &srv.admin(),
                Some(json!({"identity": {"type": kind, "value": value}})),
            )
            .await;
        assert_eq!(s, 201, "{b}");
    }

    // An agent's reply goes back to the bot chat she wrote from, not by email.
    agent_reply(&srv, ticket, "Hola Marta, lo miramos.").await;
    let sent = outbox(&srv, ticket).await;
    let replies: Vec<_> = sent
        .iter()
        .filter(|m| m.kind == domain::OutboundKind::Reply)
        .collect();
    assert_eq!(replies.len(), 1, "{sent:?}");
    assert_eq!(
        (
            replies[0].channel,
            replies[0].account.as_deref(),
            replies[0].to_address.as_str(),
            replies[0].body_text.as_str()
        ),
        (
            Channel::Telegram,
            Some("bot-1"),
            "987654321",
            "Hola Marta, lo miramos."
        )
    );

    // The reply box says where a reply goes and offers her other channels.
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get(&format!("/agent/tickets/{}", ticket.0)).await;
    let select = page
        .body
        .split("id=\"reply-via\"")
        .nth(1)
        .and_then(|s| s.split("</select>").next())
        .unwrap_or_else(|| panic!("no reply-via select: {}", page.body));
    let options: Vec<&str> = select
        .split("<option value=\"")
        .skip(1)
        .filter_map(|o| o.split('"').next())
        .collect();
    assert_eq!(
        options,
        ["telegram", "email", "whatsapp", "sms"],
        "{select}"
    );
    assert!(select.contains("Telegram · 987654321"), "{select}");
    // No Telegram account is connected here: the box says the reply waits.
    assert!(
        select.contains("Telegram · 987654321 (")
            && (select.contains("espera") || select.contains("waits")),
        "{select}"
    );
    // The agent chooses email for this one.
    let csrf = hidden(&page.body, "csrf");
    let p = b
        .post(
            &format!("/agent/tickets/{}/reply", ticket.0),
            &[
                ("csrf", &csrf),
                ("body", "Le mando el detalle por correo."),
                ("public", "1"),
                ("reply_via", "email"),
            ],
        )
        .await;
    assert_eq!(p.status, 303, "{}", p.body);
    // A channel she cannot be reached on, or no channel at all, is refused
    // with a readable page and nothing is written or queued.
    let before = (
        comment_count(&srv, ticket).await,
        outbox(&srv, ticket).await.len(),
    );
    for (via, status) in [("instagram_dm", 422), ("fax", 400)] {
        let p = b
            .post(
                &format!("/agent/tickets/{}/reply", ticket.0),
                &[
                    ("csrf", &csrf),
                    ("body", "¿Por dónde va esto?"),
                    ("public", "1"),
                    ("reply_via", via),
                ],
            )
            .await;
        assert_eq!(p.status, status, "{via}: {}", p.body);
        assert!(
            p.body.contains("reply_via") || p.body.contains(via),
            "{}",
            p.body
        );
    }
    let after = (
        comment_count(&srv, ticket).await,
        outbox(&srv, ticket).await.len(),
    );
    assert_eq!(before, after);
    let mail = outbox(&srv, ticket).await;
    let newest = &mail[0];
    assert_eq!(
        (newest.channel, newest.to_address.as_str()),
        (Channel::Email, "marta@example.com"),
        "{mail:?}"
    );
    assert!(
        newest
            .body_text
            .starts_with("Le mando el detalle por correo.")
    );

    // The Telegram sender takes its message and says the provider's id.
    let taken = Arc::new(Mutex::new(Vec::new()));
    let telegram = Provider {
        channel: Channel::Telegram,
        answer: Ok(Some("tg-msg-77".into())),
        taken: taken.clone(),
    };
    let n = sender::send_due(&srv.app, &telegram, RetryPolicy::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n, 1, "only the Telegram message is the Telegram sender's");
    assert_eq!(
        taken.lock().map(|t| t.clone()).unwrap_or_default(),
        [(
            "987654321".to_string(),
            "Hola Marta, lo miramos.".to_string(),
            0
        )]
    );
    let tg = outbox(&srv, ticket)
        .await
        .into_iter()
        .find(|m| m.channel == Channel::Telegram)
        .unwrap_or_else(|| panic!("telegram row"));
    assert_eq!(
        (tg.status, tg.external_id.as_deref()),
        (OutboundStatus::Sent, Some("tg-msg-77"))
    );
    // Sent is sent: a second pass has nothing for it.
    let again = sender::send_due(&srv.app, &telegram, RetryPolicy::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, 0);

    // She answers on WhatsApp: the same open case continues, and the next
    // reply goes there, from the number she wrote to.
    let out = srv
        .app
        .ingest(inbound(
            Channel::WhatsApp,
            "waba-1",
            "wamid.5",
            IdentityKind::Phone,
            "+34 611 22 33 44",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, Threaded::OpenCase) if l.ticket == ticket),
        "{out:?}"
    );
    agent_reply(&srv, ticket, "Ya está en camino.").await;
    let wa = outbox(&srv, ticket).await;
    assert_eq!(
        (
            wa[0].channel,
            wa[0].account.as_deref(),
            wa[0].to_address.as_str()
        ),
        (Channel::WhatsApp, Some("waba-1"), "+34611223344"),
        "{wa:?}"
    );
    // A provider that refuses for now: retried later, its words kept (a
    // refusal for good is the mail relay's 5xx test in email.rs).
    let whatsapp = Provider {
        channel: Channel::WhatsApp,
        answer: Err(SendError::Temporary("429 rate limited".into())),
        taken: Arc::new(Mutex::new(Vec::new())),
    };
    sender::send_due(&srv.app, &whatsapp, RetryPolicy::default())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let row = outbox(&srv, ticket).await.remove(0);
    assert_eq!(
        (row.status, row.attempts, row.last_error.as_deref()),
        (OutboundStatus::Queued, 1, Some("429 rate limited"))
    );
    assert!(row.next_attempt_at.0 > Timestamp::now().0, "{row:?}");

    // Her answer quoting our Telegram message threads to that ticket even
    // once it is solved (the open case would not).
    let (_, me) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    let (s, body) = srv
        .call(
            "PUT",
            &format!("/api/v2/tickets/{}.json", ticket.0),
            &srv.admin(),
            Some(json!({"ticket": {"status": "solved", "assignee_id": me["user"]["id"]}})),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let mut answer = inbound(
        Channel::Telegram,
        "bot-1",
        "chat-9:2",
        IdentityKind::Telegram,
        "987654321",
    );
    answer
        .thread
        .push(ThreadHint::RepliesTo("tg-msg-77".into()));
    let out = srv
        .app
        .ingest(answer)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, Threaded::Hint(0)) if l.ticket == ticket),
        "{out:?}"
    );
});

both!(
    a_customer_without_a_reachable_channel_is_told_on_the_reply_box,
    |srv| {
        // No mail relay: an emailed customer cannot be written to, and the
        // reply box says so instead of pretending.
        let t = new_ticket(
            &srv,
            json!({"subject": "Sin canal", "comment": {"body": "hola"}}),
        )
        .await;
        let id = t["id"].as_i64().unwrap_or_default();
        let mut b = Browser::new(&srv.base);
        b.sign_in("admin@example.com", "admin-password-1").await;
        let page = b.get(&format!("/agent/tickets/{id}")).await;
        assert!(!page.body.contains("id=\"reply-via\""), "{}", page.body);
        assert!(page.body.contains("cannot be reached on any channel"));
        agent_reply(&srv, TicketId(id), "Respuesta").await;
        assert!(outbox(&srv, TicketId(id)).await.is_empty());
    }
);
