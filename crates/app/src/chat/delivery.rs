//! Replies to a chat, delivered: the chat channel's outgoing messages (an
//! agent's reply, atiende's acknowledgement) become lines of the visitor's
//! conversation on that case, told at once to whoever follows it. A line
//! is the core's own record, so the core delivers them — a batch in one
//! write — rather than an adapter's sender one at a time. And the
//! transcript, mailed when a chat that reached a person ends.

use super::ChatSignal;
use super::lines::new_line;
use crate::App;
use domain::ChatConversationId;
use domain::chat::{Conversation, ConversationState, LineAuthor};
use domain::model::outbox::Outbound;
use domain::{Channel, ChatLineId, OutboundKind, Timestamp};
use i18n::{Arg, Lang};
use store::model::Attachment;
use store::repo::chat as repo;
use store::repo::comments;
use store::repo::outbox;
use store::{Conn, StoreError};

/// How many due chat messages one pass delivers.
const DELIVERY_BATCH: i64 = 200;

/// What one due message becomes.
enum Delivery {
    /// A new line of this conversation.
    Line(ChatConversationId, ChatLineId),
    /// A line delivered it before.
    Before,
    /// It cannot be delivered, and why.
    Undeliverable(String),
}

/// Delivers one due message inside the pass's write.
async fn deliver_one(
    c: &mut Conn<'_>,
    m: &Outbound,
    files: &[Attachment],
) -> Result<Delivery, StoreError> {
    let Some(visitor) = repo::visitor_by_key(c, &m.to_address).await? else {
        return Ok(Delivery::Undeliverable(format!(
            "no chat visitor {:?}",
            m.to_address
        )));
    };
    let on_ticket = match m.ticket_id {
        Some(t) => repo::conversation_on_ticket(c, visitor.id, t).await?,
        None => None,
    };
    let conversation = match on_ticket {
        Some(conv) => conv,
        None => match repo::latest_conversation_of(c, visitor.id).await? {
            Some(conv) => conv,
            None => return Ok(Delivery::Undeliverable("the visitor has no chat".into())),
        },
    };
    let agent = match (m.kind, m.comment_id) {
        (OutboundKind::Reply, Some(id)) => comments::get_many(c, &[id.0])
            .await?
            .pop()
            .map(|cm| cm.author_id),
        _ => None,
    };
    let author = if m.kind == OutboundKind::Reply {
        LineAuthor::Agent
    } else {
        LineAuthor::System
    };
    // An agent answering a chat takes it (accepting an offer by answering).
    if let Some(a) = agent
        && conversation.state == ConversationState::Waiting
        && conversation.attendance.agent != Some(a)
    {
        let mut taken = conversation.clone();
        taken.attendance.accept(a);
        if repo::set_attendance(c, taken.id, &taken.attendance, m.created_at).await? {
            super::events::queue(c, super::events::ChatEvent::Accepted, &taken, m.created_at)
                .await?;
        }
    }
    let mut line = new_line(conversation.id, author, m.body_text.trim().to_string());
    line.agent = agent;
    line.files = files
        .iter()
        .filter(|a| a.comment_id.is_some() && a.comment_id == m.comment_id)
        .map(super::files::line_file)
        .collect();
    Ok(match repo::insert_line_once(c, &line, m.id).await? {
        Some(id) => Delivery::Line(conversation.id, id),
        None => Delivery::Before,
    })
}

impl App {
    /// Delivers the chat channel's due messages (an agent's reply, an
    /// acknowledgement) in one write: each becomes a line of its visitor's
    /// conversation — once, whatever the nodes do, as a line remembers its
    /// message — and is marked sent; one that names no visitor is marked
    /// failed with why. The conversations' followers are then told.
    /// Returns how many were due.
    pub async fn deliver_due_chat(&self) -> Result<usize, crate::AppError> {
        let now = Timestamp::now();
        let due = {
            let mut rc = self.read().await?;
            outbox::due(&mut rc.conn(), Channel::Chat, now, DELIVERY_BATCH).await?
        };
        let n = due.len();
        if n == 0 {
            return Ok(0);
        }
        let mut touched = self
            .write(move |c| {
                Box::pin(async move {
                    let mut touched = Vec::new();
                    // The replies' files, in one read for the batch.
                    let comments: Vec<i64> = due.iter().filter_map(|m| m.comment_id.map(|id| id.0)).collect();
                    let files = store::repo::attachments::for_comments(c, &comments).await?;
                    for m in &due {
                        match deliver_one(c, m, &files).await? {
                            Delivery::Line(conversation, line) => {
                                let id = format!("chat-line-{}", line.0);
                                outbox::mark_sent(c, m.id, now, Some(&id)).await?;
                                touched.push(conversation);
                            }
                            Delivery::Before => outbox::mark_sent(c, m.id, now, None).await?,
                            Delivery::Undeliverable(why) => {
                                tracing::warn!(id = m.id.0, error = %why, "chat message not delivered");
                                outbox::mark_attempt(c, m.id, &why, None).await?;
                            }
                        }
                    }
                    Ok(touched)
                })
            })
            .await?;
        touched.sort_unstable();
        touched.dedup();
        for conversation in touched {
            self.chat_signal(conversation, ChatSignal::Line).await;
        }
        Ok(n)
    }
}

impl App {
    /// Mails the chat's lines to the address the visitor gave, when a chat
    /// that reached a person ends (a chat with the bot alone is not mailed:
    /// an address typed into a widget is not anyone's to fill with mail).
    /// It goes as the case's mail does — its reply address and `[#N]` —
    /// so an answer to it continues the case.
    pub(super) async fn mail_chat_transcript(
        &self,
        conv: &Conversation,
    ) -> Result<(), crate::AppError> {
        let email = conv
            .email
            .as_deref()
            .and_then(domain::user::normalize_email);
        let (Some(email), Some(ticket)) = (email, conv.ticket) else {
            return Ok(());
        };
        let lines = {
            let mut rc = self.read().await?;
            repo::lines_after(&mut rc.conn(), conv.id, ChatLineId(0), 500).await?
        };
        let names = self.chat_agent_names(&lines, None).await?;
        let lang = Lang::from_locale(&conv.locale);
        let intro = i18n::with(
            lang,
            "chat-transcript-mail-intro",
            &[("ticket", Arg::Number(ticket.0))],
        );
        let mut text = format!("{intro}\n");
        for l in &lines {
            let who = match l.author {
                LineAuthor::Visitor => i18n::text(lang, "chat-ui-you"),
                LineAuthor::Bot => i18n::text(lang, "chat-ui-bot"),
                LineAuthor::Agent => l
                    .agent
                    .and_then(|a| names.iter().find(|(id, _)| *id == a))
                    .map_or_else(|| i18n::text(lang, "chat-ui-team"), |(_, n)| n.clone()),
                LineAuthor::System => String::new(),
            };
            if who.is_empty() {
                text.push_str(&format!("\n— {}", l.body));
            } else {
                text.push_str(&format!("\n{who}: {}", l.body));
            }
        }
        let subject = i18n::with(
            lang,
            "chat-transcript-mail-subject",
            &[("ticket", Arg::Number(ticket.0))],
        );
        let hooks = self.hooks().await?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let Some(t) = store::repo::tickets::get(c, ticket, false).await? else {
                    return Ok(());
                };
                // Without outgoing mail there is nothing to send it by.
                let Some(sender) = hooks.sender(&t) else {
                    return Ok(());
                };
                crate::outbox::notification(
                    c,
                    &sender,
                    &t,
                    email,
                    subject,
                    text,
                    OutboundKind::Notification,
                    now,
                )
                .await
            })
        })
        .await
    }
}
