//! Who answers a chat: routing's choice is an offer the agent accepts or
//! declines, an offer not accepted in time goes to someone else, an agent
//! passes a chat on with a note, the visitor sees who they talk with and
//! when their lines were read; and a chat nobody can take live continues
//! by email at the address the visitor gives.

use super::chat::{SITE, call, comments, line, poll, session, widget};
use super::routing::call_ok;
use super::*;

/// An agent with Spanish, chat capacity and online on every channel.
async fn online_agent(srv: &TestServer, name: &str, email: &str) -> (i64, Auth) {
    let (id, auth) = srv.user_with_token(name, email, "agent").await;
    call_ok(
        srv,
        "PUT",
        &format!("/api/v2/routing/agents/{id}/profile.json"),
        &srv.admin(),
        json!({"routing_profile": {"languages": ["es", "en"], "capacity": {"chat": 2}}}),
    )
    .await;
    call_ok(
        srv,
        "PUT",
        &format!("/api/v2/routing/agents/{id}/profile.json"),
        &auth,
        json!({"routing_profile": {"presence": "online"}}),
    )
    .await;
    (id, auth)
}

async fn actor_of(srv: &TestServer, email: &str) -> domain::Actor {
    srv.app
        .user_by_email(email)
        .await
        .ok()
        .flatten()
        .map(|u| u.actor())
        .unwrap_or_else(|| panic!("no {email}"))
}

/// The visitor asks for a person: the chat's ticket.
async fn hand_over(srv: &TestServer, key: &str, token: &str, text: &str) -> (i64, Json) {
    let (s, b) = line(srv, key, token, "h1", text).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = call(srv, key, "person", Some(SITE), json!({"token": token})).await;
    assert_eq!(s, 200, "{b}");
    let (_, polled) = poll(srv, key, token, 0).await;
    let ticket = polled["conversation"]["ticket_id"]
        .as_i64()
        .unwrap_or_default();
    assert!(ticket > 0, "{polled}");
    (ticket, polled)
}

/// The ticket's audits, as text.
async fn audits_of(srv: &TestServer, ticket: i64) -> String {
    let (_, audits) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{ticket}/audits.json"),
            &srv.admin(),
            None,
        )
        .await;
    audits.to_string()
}

async fn assignee(srv: &TestServer, ticket: i64) -> Option<i64> {
    let (_, t) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            None,
        )
        .await;
    t["ticket"]["assignee_id"].as_i64()
}

/// Every line the visitor has, as `author: text`.
async fn said(srv: &TestServer, key: &str, token: &str) -> Vec<String> {
    let (_, b) = poll(srv, key, token, 0).await;
    b["lines"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|x| {
                    format!(
                        "{}: {}",
                        x["author"].as_str().unwrap_or(""),
                        x["text"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

both!(an_offer_is_declined_accepted_passed_on_and_lapses, |srv| {
    call_ok(
        &srv,
        "PUT",
        "/api/v2/routing/settings.json",
        &srv.admin(),
        json!({"routing_settings": {"enabled": true, "chat_offer_seconds": 30}}),
    )
    .await;
    let (ana, _) = online_agent(&srv, "Ana Agente", "ana.agente@example.com").await;
    let (bea, _) = online_agent(&srv, "Bea Agente", "bea.agente@example.com").await;
    let names = [
        (ana, "ana.agente@example.com"),
        (bea, "bea.agente@example.com"),
    ];
    let (key, _) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (ticket, polled) = hand_over(&srv, &key, &token, "necesito ayuda con un pedido").await;
    assert_eq!(polled["conversation"]["by_email"], false, "{polled}");
    assert!(
        said(&srv, &key, &token)
            .await
            .iter()
            .any(|l| l.contains("Te paso con una persona"))
    );

    // Routing chose one of them: it is an offer in their tabs, not the other's.
    let first = assignee(&srv, ticket)
        .await
        .unwrap_or_else(|| panic!("routed"));
    let (first_email, other) = if first == ana {
        (names[0].1, bea)
    } else {
        (names[1].1, ana)
    };
    let other_email = if other == ana { names[0].1 } else { names[1].1 };
    let first_actor = actor_of(&srv, first_email).await;
    let other_actor = actor_of(&srv, other_email).await;
    let desk = srv.app.desk_chats(first_actor).await.unwrap_or_default();
    assert_eq!(desk.len(), 1, "{desk:?}");
    let left = desk[0].offer_seconds_left.unwrap_or_default();
    assert!((1..=30).contains(&left), "{desk:?}");
    assert!(
        srv.app
            .desk_chats(other_actor)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let conversation = desk[0].conversation.id;
    // Someone else cannot accept it for them.
    assert!(
        srv.app
            .accept_chat(other_actor, conversation)
            .await
            .is_err()
    );

    // Declined: the other agent is offered it.
    srv.app
        .decline_chat(first_actor, conversation)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assignee(&srv, ticket).await, Some(other));
    let desk = srv.app.desk_chats(other_actor).await.unwrap_or_default();
    assert!(
        desk.first().is_some_and(|d| d.offer_seconds_left.is_some()),
        "{desk:?}"
    );
    assert!(
        srv.app
            .desk_chats(first_actor)
            .await
            .unwrap_or_default()
            .is_empty()
    );
    let audits = audits_of(&srv, ticket).await;
    assert!(
        audits.contains("re-routing: the agent declined the chat"),
        "{audits}"
    );

    // Accepted: the visitor is told who joined, and sees them.
    let t = srv
        .app
        .accept_chat(other_actor, conversation)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(t.0, ticket);
    let (_, b) = poll(&srv, &key, &token, 0).await;
    let other_name = if other == ana {
        "Ana Agente"
    } else {
        "Bea Agente"
    };
    assert_eq!(b["conversation"]["agent"]["name"], other_name, "{b}");
    assert!(
        said(&srv, &key, &token)
            .await
            .iter()
            .any(|l| l == &format!("system: {other_name} se ha unido al chat."))
    );
    let desk = srv.app.desk_chats(other_actor).await.unwrap_or_default();
    assert!(
        desk.first().is_some_and(|d| d.offer_seconds_left.is_none()),
        "now theirs: {desk:?}"
    );

    // Read marks: the visitor's lines are seen once an agent's page shows the chat.
    let (s, b) = line(&srv, &key, &token, "h2", "¿sigues ahí?").await;
    assert_eq!(s, 200, "{b}");
    let mine = b["lines"][0]["id"].as_i64().unwrap_or_default();
    assert!(
        srv.app.desk_chats(other_actor).await.unwrap_or_default()[0].unseen,
        "a line not seen yet"
    );
    srv.app
        .chat_seen(conversation)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (_, b) = poll(&srv, &key, &token, 0).await;
    assert_eq!(b["conversation"]["seen_line"].as_i64(), Some(mine), "{b}");
    assert!(!srv.app.desk_chats(other_actor).await.unwrap_or_default()[0].unseen);

    // Passed on with a note: an internal note for the colleague, an offer
    // to them, and the visitor told.
    srv.app
        .transfer_chat(
            other_actor,
            domain::TicketId(ticket),
            app::chat::TransferTo::Agent(domain::UserId(first)),
            "Quiere cambiar la talla".into(),
        )
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assignee(&srv, ticket).await, Some(first));
    assert!(
        comments(&srv, ticket)
            .await
            .iter()
            .any(|c| c == "Quiere cambiar la talla")
    );
    let cs = super::chat::comment_records(&srv, ticket).await;
    let note = cs
        .iter()
        .find(|c| c["body"] == "Quiere cambiar la talla")
        .cloned()
        .unwrap_or_default();
    assert_eq!(note["public"], false, "the note is internal: {note}");
    assert!(
        said(&srv, &key, &token)
            .await
            .iter()
            .any(|l| l.contains("Te paso con un compañero"))
    );
    let desk = srv.app.desk_chats(first_actor).await.unwrap_or_default();
    assert!(
        desk.first().is_some_and(|d| d.offer_seconds_left.is_some()),
        "{desk:?}"
    );
    let (_, b) = poll(&srv, &key, &token, 0).await;
    assert!(
        b["conversation"]["agent"].is_null(),
        "nobody has it until accepted: {b}"
    );

    // Not accepted in time: it goes back to the one who passed it on.
    let later = domain::Timestamp(domain::Timestamp::now().0 + 31);
    assert_eq!(
        srv.app.lapse_chat_offers(later).await.unwrap_or_default(),
        1
    );
    assert_eq!(assignee(&srv, ticket).await, Some(other));
    let audits = audits_of(&srv, ticket).await;
    assert!(
        audits.contains("the agent did not accept the chat in time"),
        "{audits}"
    );
    // A transfer to nowhere is refused in words.
    let r = srv
        .app
        .transfer_chat(
            other_actor,
            domain::TicketId(ticket),
            app::chat::TransferTo::Group(domain::GroupId(999_999)),
            String::new(),
        )
        .await;
    assert!(matches!(r, Err(app::AppError::Invalid(_))), "{r:?}");
});

both!(a_chat_nobody_can_take_continues_by_email, |first| {
    let backend = first.backend;
    drop(first);
    // Mail goes out through a real SMTP relay: the test sink.
    let super::email::Relayed {
        srv,
        sink,
        maildir: _maildir,
        ..
    } = super::email::with_relay(backend).await;
    // Nobody is online for chat.
    let (key, _) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (ticket, polled) = hand_over(&srv, &key, &token, "mi pedido no ha llegado").await;
    assert_eq!(polled["conversation"]["by_email"], true, "{polled}");
    assert_eq!(polled["conversation"]["needs_email"], true, "{polled}");
    assert!(
        said(&srv, &key, &token)
            .await
            .iter()
            .any(|l| l.contains("Déjanos tu email")),
        "{:?}",
        said(&srv, &key, &token).await
    );

    // The address is checked; it is where replies go, not an identity.
    for bad in ["", "no es un email", "<script>@x"] {
        let (s, b) = call(
            &srv,
            &key,
            "email",
            Some(SITE),
            json!({"token": token, "email": bad}),
        )
        .await;
        assert_eq!(s, 422, "{bad}: {b}");
    }
    let (s, b) = call(
        &srv,
        &key,
        "email",
        Some(SITE),
        json!({"token": token, "email": "Luis.Chat@Example.com"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert!(
        b["lines"][0]["text"]
            .as_str()
            .unwrap_or_default()
            .contains("luis.chat@example.com"),
        "{b}"
    );
    let (_, polled) = poll(&srv, &key, &token, 0).await;
    assert_eq!(polled["conversation"]["needs_email"], false, "{polled}");
    let (_, t) = srv
        .call(
            "GET",
            &format!("/api/v2/tickets/{ticket}.json"),
            &srv.admin(),
            None,
        )
        .await;
    let requester = t["ticket"]["requester_id"].as_i64().unwrap_or_default();
    let (_, ids) = srv
        .call(
            "GET",
            &format!("/api/v2/users/{requester}/identities.json"),
            &srv.admin(),
            None,
        )
        .await;
    assert!(
        !ids.to_string().contains("luis.chat@example.com"),
        "a typed address joins no profile: {ids}"
    );

    // The agent's reply goes by email to it, and waits in the chat too.
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/tickets/{ticket}.json"),
        &srv.admin(),
        json!({"ticket": {"comment": {"body": "Lo hemos reenviado hoy.", "public": true}}}),
    )
    .await;
    let admin = admin_actor(&srv).await;
    let outbox = srv
        .app
        .ticket_outbox(admin, domain::TicketId(ticket))
        .await
        .unwrap_or_default();
    let mail = outbox
        .iter()
        .find(|m| m.to_address == "luis.chat@example.com" && m.channel == domain::Channel::Email)
        .unwrap_or_else(|| panic!("no mail: {outbox:?}"));
    assert!(
        mail.body_text.contains("Lo hemos reenviado hoy."),
        "{mail:?}"
    );
    assert!(
        mail.subject.contains(&format!("#{ticket}")) || mail.reply_to.is_some(),
        "it threads back: {mail:?}"
    );
    assert!(
        outbox.iter().any(|m| m.channel == domain::Channel::Chat),
        "{outbox:?}"
    );
    // The reply reached the customer's inbox, threaded to their case; and
    // when the chat ends, its transcript too.
    srv.app
        .end_chat_on_ticket(admin, domain::TicketId(ticket))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let mut got = Vec::new();
    for _ in 0..200 {
        got = sink
            .received()
            .await
            .into_iter()
            .filter(|m| {
                m["to"]
                    .as_str()
                    .unwrap_or_default()
                    .contains("luis.chat@example.com")
            })
            .collect();
        if got.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        got.iter().any(|m| m["text"]
            .as_str()
            .unwrap_or_default()
            .contains("Lo hemos reenviado hoy.")
            && m["subject"]
                .as_str()
                .unwrap_or_default()
                .contains(&format!("#{ticket}"))
            || m["reply_to"]
                .as_str()
                .unwrap_or_default()
                .contains(&ticket.to_string())),
        "the reply at the relay: {got:?}"
    );
    assert!(
        got.iter().any(|m| m["subject"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("#{ticket}"))
            && m["text"]
                .as_str()
                .unwrap_or_default()
                .contains("mi pedido no ha llegado")),
        "the transcript at the relay: {got:?}"
    );
});

both!(chat_capacity_counts_live_chats, |srv| {
    call_ok(
        &srv,
        "PUT",
        "/api/v2/routing/settings.json",
        &srv.admin(),
        json!({"routing_settings": {"enabled": true}}),
    )
    .await;
    let (ana, _) = online_agent(&srv, "Ana Agente", "ana.agente@example.com").await;
    call_ok(
        &srv,
        "PUT",
        &format!("/api/v2/routing/agents/{ana}/profile.json"),
        &srv.admin(),
        json!({"routing_profile": {"capacity": {"chat": 1}}}),
    )
    .await;
    let ana_actor = actor_of(&srv, "ana.agente@example.com").await;
    let (key, _) = widget(&srv).await;
    let (first, _) = session(&srv, &key, None).await;
    let (one, _) = hand_over(&srv, &key, &first, "necesito ayuda con un pedido").await;
    assert_eq!(assignee(&srv, one).await, Some(ana));
    // Ana is at her one chat: the next waits for her (it does not go by
    // email: someone is online).
    let (second, _) = session(&srv, &key, None).await;
    let (two, polled) = hand_over(&srv, &key, &second, "otra consulta sobre un envío").await;
    assert_eq!(assignee(&srv, two).await, None);
    assert_eq!(polled["conversation"]["by_email"], false, "{polled}");
    // Her first chat ends (its case stays open): the second is hers now.
    srv.app
        .end_chat_on_ticket(ana_actor, domain::TicketId(one))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    srv.app
        .routing_pass()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(assignee(&srv, two).await, Some(ana));
    let desk = srv.app.desk_chats(ana_actor).await.unwrap_or_default();
    assert_eq!(desk.len(), 1, "{desk:?}");
    assert_eq!(desk[0].ticket.0, two);
});

both!(off_hours_the_widget_says_when_a_person_will_answer, |srv| {
    super::handover::closed_now(&srv).await;
    let (key, _) = widget(&srv).await;
    let (token, _) = session(&srv, &key, None).await;
    let (_, polled) = hand_over(&srv, &key, &token, "¿a qué hora abrís?").await;
    assert_eq!(polled["conversation"]["by_email"], true, "{polled}");
    let lines = said(&srv, &key, &token).await;
    let told = lines
        .iter()
        .find(|l| l.contains("Déjanos tu email"))
        .unwrap_or_else(|| panic!("{lines:?}"));
    assert!(
        told.contains("a partir del") && told.contains("(Europe/Madrid)"),
        "{told}"
    );
});
