//! A visitor's lines: stored once whatever the resends, answered by the
//! bot or passed to the person on the case; what they have not seen yet,
//! typing, and the end of a chat.

use super::ChatSignal;
use super::events::{ChatEvent, queue as queue_event};
use super::visitor::short;
use crate::{App, AppError, FieldError};
use domain::chat::{
    ChatLine, ChatVisitor, ChatWidget, Conversation, ConversationState, LineAuthor, MAX_LINE_CHARS,
    OfferedArticle,
};
use domain::{ChatConversationId, ChatLineId, Timestamp};
use i18n::Lang;
use store::repo::chat as repo;
use store::repo::users;

/// Lines a visitor may send per minute before they are refused.
pub(super) const LINES_PER_MINUTE: u32 = 30;
/// The most lines one read returns (a widget far behind reads again).
const LINES_PER_READ: i64 = 200;

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
pub(super) fn lang_of(c: &Conversation) -> Lang {
    Lang::from_locale(&c.locale)
}

pub(super) fn valid_client_id(id: &str) -> bool {
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
        files: Vec::new(),
        created_at: Timestamp::now(),
    }
}

impl App {
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
            attendance: Default::default(),
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
                            queue_event(c, ChatEvent::Started, &f, f.started_at).await?;
                            f
                        }
                    };
                    if let Some(l) = repo::line_by_client_id(c, conversation.id, &client_id).await?
                    {
                        return Ok((conversation, l, false));
                    }
                    let mut l = new_line(conversation.id, LineAuthor::Visitor, body);
                    l.client_id = Some(client_id);
                    l.id = repo::insert_line(c, &l).await?;
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
                self.line_to_case(widget, visitor, &conversation, &stored, Vec::new())
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
            return Ok(vec![self.add_chat_line(l).await?]);
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
        Ok(vec![self.add_chat_line(l).await?])
    }

    /// Stores a line by the visitor, the bot or atiende and tells the
    /// conversation's followers.
    pub(super) async fn add_chat_line(&self, line: ChatLine) -> Result<ChatLine, AppError> {
        let line = self
            .write(move |c| {
                Box::pin(async move {
                    let mut l = line;
                    l.id = repo::insert_line(c, &l).await?;
                    Ok(l)
                })
            })
            .await?;
        self.chat_signal(line.conversation, ChatSignal::Line).await;
        Ok(line)
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

    /// The names of the agents who wrote some lines (and of the one
    /// talking with the visitor), for the widget.
    pub async fn chat_agent_names(
        &self,
        lines: &[ChatLine],
        talking: Option<&Conversation>,
    ) -> Result<Vec<(domain::UserId, String)>, AppError> {
        let mut ids: Vec<i64> = lines
            .iter()
            .filter_map(|l| l.agent.map(|a| a.0))
            .chain(talking.and_then(|c| c.attendance.agent.map(|a| a.0)))
            .collect();
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
    async fn finish_chat(&self, conv: Conversation, said: &str) -> Result<(), AppError> {
        let now = Timestamp::now();
        let lang = lang_of(&conv);
        let id = conv.id;
        // Only its end is written, and only once: whoever answers it as it
        // stands now is what the event names.
        let ended = self
            .write(move |c| {
                Box::pin(async move {
                    if !repo::end_conversation(c, id, now).await? {
                        return Ok(None);
                    }
                    let ended = repo::conversation(c, id).await?;
                    if let Some(e) = &ended {
                        queue_event(c, ChatEvent::Ended, e, now).await?;
                    }
                    Ok(ended)
                })
            })
            .await?;
        let Some(ended) = ended else {
            return Ok(());
        };
        self.add_chat_line(new_line(id, LineAuthor::System, i18n::text(lang, said)))
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
