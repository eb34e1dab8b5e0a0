//! A visitor's side of a chat: who they are (a browser's token; a site's
//! signed user), their lines — the bot first, then a person through the
//! one way in — and what they have not seen yet.

use super::ChatSignal;
use crate::auth::{random_token, same_secret, token_hash};
use crate::handover::{ExpectedReply, opens_at_text};
use crate::ingest::{Inbound, InboundSender, ThreadHint};
use crate::{App, AppError, FieldError};
use domain::chat::{
    ChatLine, ChatVisitor, ChatWidget, Conversation, ConversationState, LineAuthor, MAX_LINE_CHARS,
    OfferedArticle,
};
use domain::{
    Channel, ChatConversationId, ChatLineId, ChatVisitorId, ChatWidgetId, IdentityKind, Timestamp,
};
use hmac::{Hmac, Mac};
use i18n::{Arg, Lang};
use sha2::Sha256;
use store::repo::chat as repo;
use store::repo::users;

/// Lines a visitor may send per minute before they are refused.
const LINES_PER_MINUTE: u32 = 30;
/// The most lines one read returns (a widget far behind reads again).
const LINES_PER_READ: i64 = 200;
/// The longest name, email or topic the pre-chat form keeps.
const MAX_FIELD: usize = 200;

/// Who a site says its signed-in user is, signed with the widget's secret.
#[derive(Debug, Clone, Default)]
pub struct SignedIdentity {
    /// The site's own id of the user.
    pub external_id: String,
    pub email: String,
    pub name: Option<String>,
    /// Hex HMAC-SHA256 of `external_id:email` with the widget's secret.
    pub signature: String,
}

/// The signature a site puts on its user's identity (see
/// [`SignedIdentity`]).
pub fn identity_signature(secret: &str, external_id: &str, email: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(external_id.as_bytes());
    mac.update(b":");
    mac.update(email.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A widget opening: its key, the page's origin, the token it kept (if
/// any) and the site's signed user (if any).
#[derive(Debug, Clone, Default)]
pub struct OpenChat {
    pub key: String,
    pub origin: String,
    /// The caller's network (new visitors are limited per network).
    pub network: String,
    pub token: Option<String>,
    pub identity: Option<SignedIdentity>,
}

/// A visitor as the widget knows them.
#[derive(Debug, Clone)]
pub struct ChatSession {
    pub widget: ChatWidget,
    pub visitor: ChatVisitor,
    /// Their latest conversation (an ended one too, for its lines).
    pub conversation: Option<Conversation>,
    /// A new browser's token, for the widget to keep; `None` when the one
    /// it sent still holds.
    pub new_token: Option<String>,
}

/// A line the visitor sends, with the pre-chat form's answers on the
/// first one.
#[derive(Debug, Clone, Default)]
pub struct SentLine {
    /// The widget's id of the line: a resend carries the same.
    pub client_id: String,
    pub text: String,
    pub locale: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub topic: Option<String>,
}

/// The language a conversation is held in.
fn lang_of(c: &Conversation) -> Lang {
    Lang::from_locale(&c.locale)
}

fn short(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().chars().take(MAX_FIELD).collect::<String>())
        .filter(|v| !v.is_empty())
}

fn valid_client_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub(super) fn new_line(
    conversation: ChatConversationId,
    author: LineAuthor,
    body: String,
) -> ChatLine {
    ChatLine {
        id: ChatLineId(0),
        conversation,
        author,
        agent: None,
        client_id: None,
        body,
        articles: Vec::new(),
        created_at: Timestamp::now(),
    }
}

impl App {
    /// The widget a key names, if a page at `origin` may use it.
    async fn admitted_widget(&self, key: &str, origin: &str) -> Result<ChatWidget, AppError> {
        let mut rc = self.read().await?;
        let widget = repo::widget_by_key(&mut rc.conn(), key)
            .await?
            .filter(|w| w.enabled)
            .ok_or(AppError::NotFound)?;
        if !widget.admits(origin) {
            return Err(AppError::Forbidden(
                "this chat widget is not allowed on this site".into(),
            ));
        }
        Ok(widget)
    }

    /// The widget and the visitor a request names (key, origin, token).
    pub async fn chat_visitor(
        &self,
        key: &str,
        origin: &str,
        token: &str,
    ) -> Result<(ChatWidget, ChatVisitor), AppError> {
        let widget = self.admitted_widget(key, origin).await?;
        let mut rc = self.read().await?;
        let visitor = repo::visitor_by_token(&mut rc.conn(), widget.id, &token_hash(token))
            .await?
            .ok_or(AppError::Unauthorized)?;
        Ok((widget, visitor))
    }

    /// Opens the widget for a browser: the visitor its token names, or a
    /// new one; with a site's signed user, that customer (a signature that
    /// does not match is refused, never trusted in part).
    pub async fn open_chat(&self, open: OpenChat) -> Result<ChatSession, AppError> {
        let widget = self.admitted_widget(&open.key, &open.origin).await?;
        let verified = match &open.identity {
            Some(id) => Some(self.verified_customer(&widget, id).await?),
            None => None,
        };
        let known = match open.token.as_deref().filter(|t| !t.is_empty()) {
            Some(t) => {
                let mut rc = self.read().await?;
                repo::visitor_by_token(&mut rc.conn(), widget.id, &token_hash(t)).await?
            }
            None => None,
        };
        // A browser stays its visitor unless the site now signs someone in
        // on it who is not that visitor's customer: a browser that already
        // chatted as someone else (anonymous with a profile of its own, or
        // signed as another) starts afresh, so no chat moves between people.
        // A signed visitor whose site no longer signs them (they signed out;
        // a shared computer) starts afresh too: their chats stay theirs.
        let kept = known.filter(|v| match verified {
            Some(user) => v.user.is_none_or(|u| u == user),
            None => !v.verified,
        });
        let (visitor, new_token) = match kept {
            Some(v) => (v, None),
            None => {
                if !self
                    .chat
                    .allow_new_visitor(&open.network, self.limits.new_chat_visitors_per_minute)
                {
                    return Err(AppError::TooManyAttempts(60));
                }
                let token = random_token(40);
                let v = ChatVisitor {
                    id: ChatVisitorId(0),
                    widget: widget.id,
                    visitor_key: format!("v_{}", random_token(20)),
                    user: None,
                    verified: false,
                };
                let hash = token_hash(&token);
                let v = self
                    .write(move |c| {
                        Box::pin(async move {
                            let mut v = v;
                            v.id = repo::insert_visitor(c, &v, &hash, Timestamp::now()).await?;
                            Ok(v)
                        })
                    })
                    .await?;
                (v, Some(token))
            }
        };
        let visitor = match verified {
            Some(user) if visitor.user != Some(user) || !visitor.verified => {
                self.bind_visitor(visitor, user).await?
            }
            _ => visitor,
        };
        let conversation = {
            let mut rc = self.read().await?;
            repo::latest_conversation_of(&mut rc.conn(), visitor.id).await?
        };
        Ok(ChatSession {
            widget,
            visitor,
            conversation,
            new_token,
        })
    }

    /// The customer a site's signature vouches for (found or made by the
    /// email it signed).
    async fn verified_customer(
        &self,
        widget: &ChatWidget,
        id: &SignedIdentity,
    ) -> Result<domain::UserId, AppError> {
        let secret = {
            let mut rc = self.read().await?;
            repo::widget_secret(&mut rc.conn(), widget.id).await?
        };
        let expected = identity_signature(&secret, &id.external_id, &id.email);
        if id.external_id.is_empty()
            || id.email.is_empty()
            || !same_secret(&expected, &id.signature.to_ascii_lowercase())
        {
            return Err(AppError::Forbidden(
                "the identity's signature does not match".into(),
            ));
        }
        let (email, name) = (id.email.clone(), short(id.name.clone()));
        let now = Timestamp::now();
        let user = self
            .write(move |c| {
                Box::pin(async move {
                    crate::users::find_or_create_by_email(c, &email, name.as_deref(), None, now)
                        .await
                })
            })
            .await?;
        Ok(user.id)
    }

    /// Makes a browser a customer's: their chat identity goes on their
    /// profile, so the chat lands in their history.
    async fn bind_visitor(
        &self,
        visitor: ChatVisitor,
        user: domain::UserId,
    ) -> Result<ChatVisitor, AppError> {
        self.write(move |c| {
            Box::pin(async move {
                let mut v = visitor;
                repo::bind_visitor(c, v.id, user).await?;
                if users::by_identity(c, IdentityKind::ChatVisitor, &v.visitor_key)
                    .await?
                    .is_none()
                {
                    users::add_identity(
                        c,
                        user,
                        IdentityKind::ChatVisitor,
                        &v.visitor_key,
                        true,
                        Timestamp::now(),
                    )
                    .await?;
                }
                v.user = Some(user);
                v.verified = true;
                Ok(v)
            })
        })
        .await
    }

    /// Stores a visitor's line (once, whatever the resends), then lets the
    /// bot answer it or passes it to the person on the case. Returns the
    /// conversation as it now stands and the lines written for it, the
    /// visitor's first.
    pub async fn send_chat_line(
        &self,
        widget: &ChatWidget,
        visitor: &ChatVisitor,
        line: SentLine,
    ) -> Result<(Conversation, Vec<ChatLine>), AppError> {
        let text = line.text.trim().to_string();
        if text.is_empty() {
            return Err(AppError::field(FieldError::blank("text")));
        }
        if text.chars().count() > MAX_LINE_CHARS {
            return Err(AppError::field(FieldError::invalid(
                "text",
                format!("is longer than {MAX_LINE_CHARS} characters"),
            )));
        }
        if !valid_client_id(&line.client_id) {
            return Err(AppError::field(FieldError::invalid(
                "client_id",
                "must be 1 to 64 letters, digits, - or _",
            )));
        }
        if !self.chat.allow_line(visitor.id, LINES_PER_MINUTE) {
            return Err(AppError::TooManyAttempts(60));
        }
        let now = Timestamp::now();
        let fresh = Conversation {
            id: ChatConversationId(0),
            visitor: visitor.id,
            widget: widget.id,
            state: ConversationState::Bot,
            locale: crate::help_center::normalize_locale(Some(&line.locale)),
            name: short(line.name.clone()),
            email: short(line.email.clone()),
            topic: short(line.topic.clone()).filter(|t| widget.topics.iter().any(|w| w == t)),
            ticket: None,
            started_at: now,
            updated_at: now,
            ended_at: None,
        };
        let (client_id, body) = (line.client_id.clone(), text.clone());
        let visitor_id = visitor.id;
        let (conversation, stored, new) = self
            .write(move |c| {
                Box::pin(async move {
                    let conversation = match repo::open_conversation_of(c, visitor_id).await? {
                        Some(open) => open,
                        None => {
                            let mut f = fresh;
                            f.id = repo::insert_conversation(c, &f).await?;
                            f
                        }
                    };
                    if let Some(l) = repo::line_by_client_id(c, conversation.id, &client_id).await?
                    {
                        return Ok((conversation, l, false));
                    }
                    let mut l = new_line(conversation.id, LineAuthor::Visitor, body);
                    l.client_id = Some(client_id);
                    l.id = repo::insert_line(c, &l, None).await?;
                    Ok((conversation, l, true))
                })
            })
            .await?;
        if new {
            self.chat_signal(conversation.id, ChatSignal::Line).await;
        }
        let mut out = vec![stored.clone()];
        let id = conversation.id;
        match conversation.state {
            // A resend of a line the bot has answered is not asked again.
            ConversationState::Bot if new => {
                out.extend(self.bot_turn(visitor, conversation, &text).await?);
            }
            ConversationState::Bot => {}
            // Passed on to the case every time: a resend after a failure
            // lands once (the way in knows the line's id).
            ConversationState::Waiting => {
                self.line_to_case(widget, visitor, &conversation, &stored)
                    .await?;
            }
            ConversationState::Ended => {}
        }
        let mut rc = self.read().await?;
        let now = repo::conversation(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((now, out))
    }

    /// The bot answers a line: articles, or a person.
    async fn bot_turn(
        &self,
        visitor: &ChatVisitor,
        conversation: Conversation,
        text: &str,
    ) -> Result<Vec<ChatLine>, AppError> {
        let answer = self
            .answer_bot(visitor.user, text, Some(&conversation.locale), 3)
            .await?;
        let lang = lang_of(&conversation);
        // A greeting or thanks: the bot asks what they need rather than
        // calling a person over.
        if answer.reason == answer::Reason::NothingToAnswer {
            let l = new_line(
                conversation.id,
                LineAuthor::Bot,
                i18n::text(lang, "chat-bot-how-can-i-help"),
            );
            return Ok(vec![self.add_chat_line(l, None).await?]);
        }
        if answer.handover {
            return self
                .hand_chat_over(conversation.widget, visitor, conversation.id)
                .await;
        }
        let mut l = new_line(
            conversation.id,
            LineAuthor::Bot,
            i18n::text(lang, "chat-bot-suggests"),
        );
        l.articles = answer
            .articles
            .iter()
            .map(|a| OfferedArticle {
                id: a.article_id.0,
                title: a.title.clone(),
                url: format!("/hc/{}/articles/{}", a.locale, a.article_id.0),
            })
            .collect();
        Ok(vec![self.add_chat_line(l, None).await?])
    }

    /// Stores a line by the bot, atiende or an agent and tells the
    /// conversation's followers.
    pub(super) async fn add_chat_line(
        &self,
        line: ChatLine,
        outbound: Option<domain::OutboundId>,
    ) -> Result<ChatLine, AppError> {
        let line = self
            .write(move |c| {
                Box::pin(async move {
                    let mut l = line;
                    l.id = repo::insert_line(c, &l, outbound).await?;
                    Ok(l)
                })
            })
            .await?;
        self.chat_signal(line.conversation, ChatSignal::Line).await;
        Ok(line)
    }

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
    async fn hand_chat_over(
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
        let (visitor_id, bound) = (visitor.id, visitor.user);
        let mut conv = conversation.clone();
        conv.state = ConversationState::Waiting;
        conv.ticket = Some(ticket);
        conv.updated_at = now;
        self.write(move |c| {
            Box::pin(async move {
                repo::update_conversation(c, &conv).await?;
                if let (None, Some(p)) = (bound, profile) {
                    repo::bind_profile(c, visitor_id, p).await?;
                }
                Ok(())
            })
        })
        .await?;
        let said = match self.expected_reply(now).await? {
            ExpectedReply::OpensAt(at, zone) => {
                opens_at_text(lang, "chat-handover-opens", at, &zone)
                    .unwrap_or_else(|| i18n::text(lang, "chat-handover-soon"))
            }
            ExpectedReply::Soon => i18n::text(lang, "chat-handover-soon"),
        };
        let line = new_line(conversation.id, LineAuthor::System, said);
        Ok(vec![self.add_chat_line(line, None).await?])
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

    /// A line written after the hand-over, onto the case.
    async fn line_to_case(
        &self,
        widget: &ChatWidget,
        visitor: &ChatVisitor,
        conversation: &Conversation,
        line: &ChatLine,
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
        if let Some(t) = conversation.ticket {
            inbound.thread.push(ThreadHint::Ticket(t));
        }
        self.ingest(inbound).await?;
        Ok(())
    }

    /// The visitor's latest conversation and its lines after `after`.
    pub async fn chat_lines(
        &self,
        visitor: &ChatVisitor,
        after: ChatLineId,
    ) -> Result<(Option<Conversation>, Vec<ChatLine>), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let Some(conversation) = repo::latest_conversation_of(c, visitor.id).await? else {
            return Ok((None, Vec::new()));
        };
        let lines = repo::lines_after(c, conversation.id, after, LINES_PER_READ).await?;
        Ok((Some(conversation), lines))
    }

    /// The names of the agents who wrote some lines, for the widget.
    pub async fn chat_agent_names(
        &self,
        lines: &[ChatLine],
    ) -> Result<Vec<(domain::UserId, String)>, AppError> {
        let mut ids: Vec<i64> = lines.iter().filter_map(|l| l.agent.map(|a| a.0)).collect();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut rc = self.read().await?;
        Ok(users::get_many(&mut rc.conn(), &ids)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect())
    }

    /// The visitor ends the chat; its case stays as it is.
    pub async fn end_chat(&self, visitor: &ChatVisitor) -> Result<(), AppError> {
        let conversation = {
            let mut rc = self.read().await?;
            repo::open_conversation_of(&mut rc.conn(), visitor.id).await?
        };
        match conversation {
            Some(conv) => self.finish_chat(conv, "chat-ended").await,
            None => Ok(()),
        }
    }

    /// An agent ends the chat going on for a ticket they may see (nothing
    /// to do where none is); the case stays as it is.
    pub async fn end_chat_on_ticket(
        &self,
        actor: domain::Actor,
        ticket: domain::TicketId,
    ) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::WorkTheDesk)?;
        self.ticket(actor, ticket).await?;
        let conversation = {
            let mut rc = self.read().await?;
            repo::open_conversation_on(&mut rc.conn(), ticket).await?
        };
        match conversation {
            Some(conv) => self.finish_chat(conv, "chat-ended-by-agent").await,
            None => Ok(()),
        }
    }

    /// Ends a conversation: its state, a line saying so (`said`, a message
    /// key), and the transcript mailed where one is due.
    async fn finish_chat(&self, mut conv: Conversation, said: &str) -> Result<(), AppError> {
        let now = Timestamp::now();
        conv.state = ConversationState::Ended;
        conv.ended_at = Some(now);
        conv.updated_at = now;
        let lang = lang_of(&conv);
        let id = conv.id;
        let ended = conv.clone();
        self.write(move |c| {
            Box::pin(async move { Ok(repo::update_conversation(c, &conv).await?) })
        })
        .await?;
        self.add_chat_line(
            new_line(id, LineAuthor::System, i18n::text(lang, said)),
            None,
        )
        .await?;
        // The chat is over either way; a transcript that could not be
        // queued is said in the log.
        if let Err(e) = self.mail_chat_transcript(&ended).await {
            tracing::warn!(error = %e, "the chat's transcript could not be queued");
        }
        Ok(())
    }

    /// The visitor started or stopped typing.
    pub async fn chat_visitor_typing(
        &self,
        visitor: &ChatVisitor,
        on: bool,
    ) -> Result<(), AppError> {
        let conversation = {
            let mut rc = self.read().await?;
            repo::open_conversation_of(&mut rc.conn(), visitor.id).await?
        };
        if let Some(c) = conversation {
            self.chat_signal(c.id, ChatSignal::Typing { agent: false, on })
                .await;
        }
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

    #[test]
    fn identity_signatures_are_hmac_sha256_of_id_and_email() {
        // Computed independently, as a site's server would:
        // python3 hmac.new(b"secret", b"u-1:ana@example.com", sha256).
        let s = identity_signature("secret", "u-1", "ana@example.com");
        assert_eq!(
            s,
            "8a0a0601ac2407439f51d5135dc50558330ea1b4df158ad2037aed2c52f47b93"
        );
        assert_ne!(s, identity_signature("secret", "u-1", "otra@example.com"));
        assert_ne!(s, identity_signature("other", "u-1", "ana@example.com"));
    }
}
