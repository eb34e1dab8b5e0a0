//! The one way in every channel takes (`App::ingest`), driven as a channel
//! adapter would: dedupe, identity, threading across channels and the
//! threading window, and simultaneous first messages from one sender.

use super::*;
use app::ingest::{Inbound, InboundFile, InboundSender, IngestOutcome, ThreadHint, Threaded};
use domain::{Channel, IdentityKind, Timestamp};

fn message(channel: Channel, id: &str, kind: IdentityKind, from: &str, text: &str) -> Inbound {
    let sender = InboundSender {
        kind,
        value: from.into(),
        display_name: Some("Marta Ruiz".into()),
    };
    Inbound::message(channel, "cuenta-1", Some(id.into()), sender, text)
}

async fn comments(srv: &TestServer, ticket: i64) -> Vec<Json> {
    let (_, b) = srv
        .get(
            &format!("/api/v2/tickets/{ticket}/comments.json"),
            &srv.admin(),
        )
        .await;
    b["comments"].as_array().cloned().unwrap_or_default()
}

both!(every_channel_comes_in_one_way, |srv| {
    // A first WhatsApp message: a new profile holding the number (in one
    // form), a new ticket via WhatsApp.
    let mut first = message(
        Channel::WhatsApp,
        "wamid.1",
        IdentityKind::Phone,
        "+34 611 22-33-44",
        "Hola, mi pedido no llega",
    );
    first.files.push(InboundFile {
        file_name: "foto.jpg".into(),
        content_type: "image/jpeg".into(),
        data: vec![0xFF, 0xD8, 0xFF, 0xE0],
    });
    let out = srv
        .app
        .ingest(first.clone())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let IngestOutcome::Landed(landed, Threaded::New) = out else {
        panic!("{out:?}")
    };
    let ticket = landed.ticket.0;
    let (_, t) = srv
        .get(&format!("/api/v2/tickets/{ticket}.json"), &srv.admin())
        .await;
    assert_eq!(t["ticket"]["via"]["channel"], "whatsapp", "{t}");
    assert_eq!(t["ticket"]["subject"], "Hola, mi pedido no llega");
    let requester = t["ticket"]["requester_id"].as_i64().unwrap_or_default();
    let (_, ids) = srv
        .get(
            &format!("/api/v2/users/{requester}/identities.json"),
            &srv.admin(),
        )
        .await;
    // A WhatsApp id is the customer's phone number.
    assert_eq!(ids["identities"][0]["type"], "phone_number", "{ids}");
    assert_eq!(ids["identities"][0]["value"], "+34611223344", "{ids}");
    let c = comments(&srv, ticket).await;
    assert_eq!(c.len(), 1);
    assert_eq!(
        c[0]["attachments"].as_array().map(Vec::len),
        Some(1),
        "{c:?}"
    );

    // The provider delivers it again: nothing new.
    let again = srv
        .app
        .ingest(first)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again, IngestOutcome::Duplicate(landed));
    assert_eq!(comments(&srv, ticket).await.len(), 1);

    // A second message continues the open case.
    let out = srv
        .app
        .ingest(message(
            Channel::WhatsApp,
            "wamid.2",
            IdentityKind::Phone,
            "+34611223344",
            "¿Alguna novedad?",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, Threaded::OpenCase) if l.ticket.0 == ticket),
        "{out:?}"
    );

    // The same customer on Telegram (an identity an agent added to her
    // profile): the same conversation continues, whatever the channel.
    let (s, b) = srv
        .call(
            "POST",
            &format!("/api/v2/users/{requester}/identities.json"),
            &srv.admin(),
            Some(json!({"identity": {"type": "telegram", "value": "777001"}})),
        )
        .await;
    assert_eq!(s, 201, "{b}");
    let out = srv
        .app
        .ingest(message(
            Channel::Telegram,
            "tg-10",
            IdentityKind::Telegram,
            "777001",
            "Os escribo por aquí también",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, Threaded::OpenCase) if l.ticket.0 == ticket),
        "{out:?}"
    );
    let c = comments(&srv, ticket).await;
    assert_eq!(c.len(), 3);
    assert_eq!(c[2]["via"]["channel"], "telegram", "{:?}", c[2]);
    assert_eq!(c[2]["author_id"], requester);

    // Outside the threading window (8 days later) a message opens a new case.
    let later = Timestamp(Timestamp::now().0 + 8 * 86_400);
    let out = srv
        .app
        .ingest_at(
            message(
                Channel::WhatsApp,
                "wamid.3",
                IdentityKind::Phone,
                "+34611223344",
                "Otra cosa",
            ),
            later,
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let IngestOutcome::Landed(newer, Threaded::New) = out else {
        panic!("{out:?}")
    };
    assert_ne!(newer.ticket.0, ticket);

    // A reply to an earlier message threads onto that message's ticket,
    // even when another case of hers is newer.
    let mut reply = message(
        Channel::WhatsApp,
        "wamid.4",
        IdentityKind::Phone,
        "+34611223344",
        "Sobre el pedido",
    );
    reply.thread.push(ThreadHint::RepliesTo("wamid.1".into()));
    let out = srv
        .app
        .ingest(reply)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, Threaded::Hint(0)) if l.ticket.0 == ticket),
        "{out:?}"
    );

    // A hint naming someone else's ticket is not followed.
    let other = new_ticket(
        &srv,
        json!({"subject": "Ajeno", "comment": {"body": "de otra persona"}}),
    )
    .await;
    let mut nosy = message(
        Channel::Telegram,
        "tg-11",
        IdentityKind::Telegram,
        "777001",
        "hola",
    );
    nosy.thread.push(ThreadHint::Ticket(domain::TicketId(
        other["id"].as_i64().unwrap_or_default(),
    )));
    let out = srv.app.ingest(nosy).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, _) if l.ticket.0 != other["id"].as_i64().unwrap_or_default()),
        "{out:?}"
    );

    // Once solved, her case is not continued: a new one opens.
    let (_, me) = srv.get("/api/v2/users/me.json", &srv.admin()).await;
    let admin_id = me["user"]["id"].clone();
    for id in [ticket, newer.ticket.0] {
        let (s, b) = srv
            .call(
                "PUT",
                &format!("/api/v2/tickets/{id}.json"),
                &srv.admin(),
                Some(json!({"ticket": {"status": "solved", "assignee_id": admin_id}})),
            )
            .await;
        assert_eq!(s, 200, "{b}");
    }
    let out = srv
        .app
        .ingest(message(
            Channel::WhatsApp,
            "wamid.5",
            IdentityKind::Phone,
            "+34611223344",
            "Gracias, otra duda",
        ))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        matches!(out, IngestOutcome::Landed(l, Threaded::New) if l.ticket.0 != ticket && l.ticket != newer.ticket),
        "{out:?}"
    );

    // A sender that is not a phone number is refused with a clear error.
    let bad = srv
        .app
        .ingest(message(
            Channel::WhatsApp,
            "wamid.6",
            IdentityKind::Phone,
            "not a number",
            "x",
        ))
        .await;
    assert!(matches!(bad, Err(app::AppError::Invalid(_))), "{bad:?}");
});

both!(simultaneous_first_messages_make_one_profile, |srv| {
    let srv = std::sync::Arc::new(srv);
    for round in 0..3 {
        let mut tasks = Vec::new();
        for i in 0..16 {
            let srv = srv.clone();
            tasks.push(tokio::spawn(async move {
                let m = message(
                    Channel::Telegram,
                    &format!("r{round}-{i}"),
                    IdentityKind::Telegram,
                    &format!("9000{round}"),
                    "primera vez",
                );
                srv.app.ingest(m).await
            }));
        }
        let mut requesters = Vec::new();
        for t in tasks {
            let out = t
                .await
                .unwrap_or_else(|e| panic!("{e}"))
                .unwrap_or_else(|e| panic!("{e}"));
            let (_, b) = srv
                .get(
                    &format!("/api/v2/tickets/{}.json", out.ticket().0),
                    &srv.admin(),
                )
                .await;
            requesters.push(b["ticket"]["requester_id"].as_i64());
        }
        requesters.sort();
        requesters.dedup();
        assert_eq!(requesters.len(), 1, "one profile: {requesters:?}");
    }
    // The same message delivered 8 times at once lands once.
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let srv = srv.clone();
        tasks.push(tokio::spawn(async move {
            srv.app
                .ingest(message(
                    Channel::WhatsApp,
                    "same",
                    IdentityKind::Phone,
                    "+34600000001",
                    "una vez",
                ))
                .await
        }));
    }
    let mut landed = 0;
    let mut tickets = Vec::new();
    for t in tasks {
        match t
            .await
            .unwrap_or_else(|e| panic!("{e}"))
            .unwrap_or_else(|e| panic!("{e}"))
        {
            IngestOutcome::Landed(l, _) => {
                landed += 1;
                tickets.push(l.ticket)
            }
            IngestOutcome::Duplicate(l) => tickets.push(l.ticket),
        }
    }
    tickets.dedup();
    assert_eq!((landed, tickets.len()), (1, 1), "{tickets:?}");
    assert_eq!(comments(&srv, tickets[0].0).await.len(), 1);
});
