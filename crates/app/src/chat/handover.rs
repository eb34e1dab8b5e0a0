//! A chat handed to people: what was said so far goes onto the customer's
//! case through the one way in, later lines follow it there, and the
//! visitor is told when a person will answer.

use super::events::{ChatEvent, queue as queue_event};
use super::lines::{lang_of, new_line};
use crate::handover::{ExpectedReply, opens_at_text};
use crate::ingest::{Inbound, InboundSender, ThreadHint};
use crate::{App, AppError, FieldError};
use domain::chat::{
    ChatLine, ChatVisitor, ChatWidget, Conversation, ConversationState, LineAuthor,
};
use domain::routing::WorkChannel;
use domain::{Channel, ChatConversationId, ChatLineId, ChatWidgetId, IdentityKind, Timestamp};
use i18n::{Arg, Lang};
use store::repo::chat as repo;
use store::repo::users;

/// What the visitor is told when their chat continues by email: when a
/// person will answer (`when`, where the team is closed), and where.
fn by_email_text(lang: Lang, when: Option<String>, email: Option<&str>) -> String {
    let when = when.unwrap_or_else(|| i18n::text(lang, "chat-nobody-free"));
    match email {
        Some(e) => i18n::with(
            lang,
            "chat-by-email",
            &[("when", Arg::Text(&when)), ("email", Arg::Text(e))],
        ),
        None => i18n::with(lang, "chat-by-email-ask", &[("when", Arg::Text(&when))]),
    }
}

impl App {
    /// "Talk to a person" in the widget.
    pub async fn chat_ask_for_person(
        &self,
        visitor: &ChatVisitor,
    ) -> Result<Vec<ChatLine>, AppError> {
        let conversation = {
            let mut rc = self.read().await?;
            repo::open_conversation_of(&mut rc.conn(), visitor.id).await?
        };
        match conversation {
            Some(c) if c.state == ConversationState::Bot => {
                self.hand_chat_over(c.widget, visitor, c.id).await
            }
            Some(_) => Ok(Vec::new()),
            None => Err(AppError::field(FieldError::invalid(
                "conversation",
                "write what you need first",
            ))),
        }
    }

    /// Hands a chat to people: what was said so far goes onto the
    /// customer's case through the one way in (continuing their open case,
    /// as any chat line does), routing takes it from there, and the
    /// visitor is told when a person will answer.
    pub(super) async fn hand_chat_over(
        &self,
        widget: ChatWidgetId,
        visitor: &ChatVisitor,
        conversation: ChatConversationId,
    ) -> Result<Vec<ChatLine>, AppError> {
        let (widget, conversation, lines) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let w = repo::widget_by_id(c, widget)
                .await?
                .ok_or(AppError::NotFound)?;
            let conv = repo::conversation(c, conversation)
                .await?
                .ok_or(AppError::NotFound)?;
            let lines = repo::lines_after(c, conv.id, ChatLineId(0), 500).await?;
            (w, conv, lines)
        };
        if conversation.state != ConversationState::Bot {
            return Ok(Vec::new());
        }
        let lang = lang_of(&conversation);
        let mut inbound = Inbound::message(
            Channel::Chat,
            widget.public_key.clone(),
            Some(format!("chat:{}:handover", conversation.id.0)),
            self.chat_sender(visitor, &conversation),
            transcript(lang, &conversation, &lines),
        );
        inbound.sent_at = conversation.started_at;
        // The topic picked in the pre-chat form, as a tag triggers route on.
        inbound
            .tags
            .extend(conversation.topic.as_deref().map(topic_tag));
        let outcome = self.ingest(inbound).await?;
        let ticket = outcome.ticket();
        let profile = {
            let mut rc = self.read().await?;
            users::by_identity(
                &mut rc.conn(),
                IdentityKind::ChatVisitor,
                &visitor.visitor_key,
            )
            .await?
            .map(|u| u.id)
        };
        let now = Timestamp::now();
        let expected = self.expected_reply(now).await?;
        let (visitor_id, bound) = (visitor.id, visitor.user);
        let mut conv = conversation.clone();
        conv.state = ConversationState::Waiting;
        conv.ticket = Some(ticket);
        conv.updated_at = now;
        let off_hours = matches!(expected, ExpectedReply::OpensAt(..));
        let by_email = self
            .write(move |c| {
                Box::pin(async move {
                    // Nobody can take it live (closed, or nobody with chat
                    // capacity online and routing found no one): it
                    // continues by email.
                    let assigned = store::repo::tickets::get(c, ticket, false)
                        .await?
                        .is_some_and(|t| t.assignee_id.is_some());
                    conv.attendance.by_email = !assigned
                        && (off_hours
                            || !crate::routing::anyone_online(c, WorkChannel::Chat).await?);
                    repo::update_conversation(c, &conv).await?;
                    queue_event(c, ChatEvent::HandedOver, &conv, now).await?;
                    if let (None, Some(p)) = (bound, profile) {
                        repo::bind_profile(c, visitor_id, p).await?;
                    }
                    Ok(conv.attendance.by_email)
                })
            })
            .await?;
        self.offer_chat_on(ticket).await?;
        let when = match expected {
            ExpectedReply::OpensAt(at, zone) => opens_at_text(lang, "chat-opens-at", at, &zone),
            ExpectedReply::Soon => None,
        };
        let said = match (by_email, when) {
            (false, _) => i18n::text(lang, "chat-handover-soon"),
            (true, when) => by_email_text(lang, when, conversation.email.as_deref()),
        };
        let line = new_line(conversation.id, LineAuthor::System, said);
        Ok(vec![self.add_chat_line(line).await?])
    }

    /// The address a visitor gives for a chat that continues by email
    /// (typed into the widget: replies go there; it is not an identity
    /// and joins no one's profile).
    pub async fn chat_reply_address(
        &self,
        visitor: &ChatVisitor,
        email: &str,
    ) -> Result<Vec<ChatLine>, AppError> {
        let email = domain::user::normalize_email(email).ok_or_else(|| {
            AppError::field(FieldError::invalid("email", "is not an email address"))
        })?;
        let conv = {
            let mut rc = self.read().await?;
            repo::open_conversation_of(&mut rc.conn(), visitor.id).await?
        };
        let Some(conv) = conv.filter(|c| c.attendance.by_email) else {
            return Err(AppError::field(FieldError::invalid(
                "email",
                "this chat is not waiting for an address",
            )));
        };
        let (id, lang) = (conv.id, lang_of(&conv));
        let given = email.clone();
        self.write(move |c| Box::pin(async move { Ok(repo::set_email(c, id, &given).await?) }))
            .await?;
        let said = i18n::with(lang, "chat-by-email-noted", &[("email", Arg::Text(&email))]);
        Ok(vec![
            self.add_chat_line(new_line(id, LineAuthor::System, said))
                .await?,
        ])
    }

    /// Who a chat line is from, for the way in: the browser's chat identity
    /// (on the signed customer's profile where the site signed them).
    fn chat_sender(&self, visitor: &ChatVisitor, conversation: &Conversation) -> InboundSender {
        InboundSender {
            kind: IdentityKind::ChatVisitor,
            value: visitor.visitor_key.clone(),
            display_name: conversation.name.clone(),
        }
    }

    /// A line written after the hand-over, onto the case (with the files
    /// the visitor stored for it, by their upload tokens).
    pub(super) async fn line_to_case(
        &self,
        widget: &ChatWidget,
        visitor: &ChatVisitor,
        conversation: &Conversation,
        line: &ChatLine,
        uploads: Vec<String>,
    ) -> Result<(), AppError> {
        let mut inbound = Inbound::message(
            Channel::Chat,
            widget.public_key.clone(),
            Some(format!(
                "chat:{}:{}",
                conversation.id.0,
                line.client_id.as_deref().unwrap_or_default()
            )),
            self.chat_sender(visitor, conversation),
            line.body.clone(),
        );
        inbound.sent_at = line.created_at;
        inbound.uploads = uploads;
        if let Some(t) = conversation.ticket {
            inbound.thread.push(ThreadHint::Ticket(t));
        }
        self.ingest(inbound).await?;
        Ok(())
    }
}

/// The tag a chat's topic puts on its case: `chat_topic_` and the topic's
/// words, lower case, joined by `_` ("Pagos y facturas" →
/// `chat_topic_pagos_y_facturas`).
pub fn topic_tag(topic: &str) -> String {
    let words: Vec<String> = topic
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!("chat_topic_{}", words.join("_"))
}

/// The chat so far, as the person taking it over reads it.
fn transcript(lang: Lang, c: &Conversation, lines: &[ChatLine]) -> String {
    // The first line names the case (a new ticket takes it as subject).
    let opening: String = lines
        .iter()
        .find(|l| l.author == LineAuthor::Visitor)
        .map(|l| {
            l.body
                .lines()
                .next()
                .unwrap_or_default()
                .chars()
                .take(80)
                .collect()
        })
        .unwrap_or_default();
    let mut out = i18n::with(
        lang,
        "chat-transcript-subject",
        &[("text", Arg::Text(&opening))],
    );
    out.push_str("\n\n");
    let asked = lines
        .iter()
        .rev()
        .find(|l| l.author == LineAuthor::Visitor)
        .is_some_and(|l| answer::asks_for_person(&l.body));
    if asked {
        out.push_str(&i18n::text(lang, "chat-transcript-asked-person"));
        out.push_str("\n\n");
    }
    out.push_str(&i18n::text(lang, "chat-transcript"));
    if let Some(t) = &c.topic {
        out.push('\n');
        out.push_str(&i18n::with(
            lang,
            "chat-transcript-topic",
            &[("topic", Arg::Text(t))],
        ));
    }
    let given: Vec<&str> = [c.name.as_deref(), c.email.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !given.is_empty() {
        out.push('\n');
        out.push_str(&i18n::with(
            lang,
            "chat-transcript-given",
            &[("details", Arg::Text(&given.join(", ")))],
        ));
    }
    for l in lines {
        let text = match l.author {
            LineAuthor::Visitor => i18n::with(
                lang,
                "chat-transcript-visitor",
                &[("text", Arg::Text(&l.body))],
            ),
            LineAuthor::Bot | LineAuthor::System => {
                let mut said = l.body.clone();
                for a in &l.articles {
                    said.push_str(&format!(" «{}»", a.title));
                }
                i18n::with(lang, "chat-transcript-bot", &[("text", Arg::Text(&said))])
            }
            LineAuthor::Agent => continue,
        };
        out.push('\n');
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_is_one_tag() {
        assert_eq!(topic_tag("Pedidos"), "chat_topic_pedidos");
        assert_eq!(
            topic_tag("Pagos y  facturas!"),
            "chat_topic_pagos_y_facturas"
        );
        assert_eq!(topic_tag("Envíos"), "chat_topic_envíos");
    }
}
