//! Chat widgets as the API answers with them.

use domain::chat::ChatWidget as WidgetRecord;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ChatWidget<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    /// Names the widget in the page: public.
    pub key: &'a str,
    /// The sites that may use it.
    pub allowed_origins: &'a [String],
    pub ask_name: bool,
    pub ask_email: bool,
    pub topics: &'a [String],
    /// Messages the widget shows by itself on matching pages.
    #[schema(value_type = Vec<Object>)]
    pub invitations: &'a [domain::chat::Invitation],
    pub enabled: bool,
    /// What to paste into a page for the widget to appear.
    pub snippet: String,
    pub created_at: String,
    pub updated_at: String,
}

pub fn chat_widget<'a>(base: &str, w: &'a WidgetRecord) -> ChatWidget<'a> {
    ChatWidget {
        id: w.id.0,
        url: format!("{base}/api/v2/chat/widgets/{}.json", w.id),
        name: &w.name,
        key: &w.public_key,
        allowed_origins: &w.allowed_origins,
        ask_name: w.ask_name,
        ask_email: w.ask_email,
        topics: &w.topics,
        invitations: &w.invitations,
        enabled: w.enabled,
        snippet: format!(
            "<script type=\"module\" src=\"{base}/chat/widget.js\" data-key=\"{}\"></script>",
            w.public_key
        ),
        created_at: w.created_at.to_iso(),
        updated_at: w.updated_at.to_iso(),
    }
}

/// A chat conversation as integrations read it.
#[derive(Serialize, ToSchema)]
pub struct ChatConversation {
    pub id: i64,
    pub url: String,
    pub widget_id: i64,
    /// `bot`, `waiting` (handed to people) or `ended`.
    pub state: &'static str,
    pub locale: String,
    /// The case it is on, once handed to people.
    pub ticket_id: Option<i64>,
    /// What the pre-chat form was given: a claim, not verified.
    pub visitor_name: Option<String>,
    pub visitor_email: Option<String>,
    pub topic: Option<String>,
    /// The agent talking with the visitor.
    pub agent_id: Option<i64>,
    /// The agent it is offered to, waiting for their answer.
    pub offered_to: Option<i64>,
    /// Nobody could take it live: replies also go by email.
    pub by_email: bool,
    /// The last visitor line an agent has seen.
    pub seen_line_id: Option<i64>,
    pub started_at: String,
    pub updated_at: String,
    pub ended_at: Option<String>,
}

pub fn chat_conversation(base: &str, c: &domain::chat::Conversation) -> ChatConversation {
    let a = &c.attendance;
    ChatConversation {
        id: c.id.0,
        url: format!("{base}/api/v2/chat/conversations/{}.json", c.id.0),
        widget_id: c.widget.0,
        state: c.state.as_str(),
        locale: c.locale.clone(),
        ticket_id: c.ticket.map(|t| t.0),
        visitor_name: c.name.clone(),
        visitor_email: c.email.clone(),
        topic: c.topic.clone(),
        agent_id: a.agent.map(|u| u.0),
        offered_to: a.offered_to.map(|u| u.0),
        by_email: a.by_email,
        seen_line_id: a.seen_line.map(|l| l.0),
        started_at: c.started_at.to_iso(),
        updated_at: c.updated_at.to_iso(),
        ended_at: c.ended_at.map(|t| t.to_iso()),
    }
}

/// One line of a chat as integrations read it.
#[derive(Serialize, ToSchema)]
pub struct ChatLine {
    pub id: i64,
    pub conversation_id: i64,
    /// `visitor`, `bot`, `agent` or `system`.
    pub author: &'static str,
    pub agent_id: Option<i64>,
    pub text: String,
    /// Articles the bot offered.
    #[schema(value_type = Vec<Object>)]
    pub articles: Vec<domain::chat::OfferedArticle>,
    /// Files sent with it: `{name, content_type, size, url}`.
    #[schema(value_type = Vec<Object>)]
    pub files: Vec<serde_json::Value>,
    pub created_at: String,
}

pub fn chat_line(base: &str, l: &domain::chat::ChatLine) -> ChatLine {
    ChatLine {
        id: l.id.0,
        conversation_id: l.conversation.0,
        author: l.author.as_str(),
        agent_id: l.agent.map(|u| u.0),
        text: l.body.clone(),
        articles: l.articles.clone(),
        files: l
            .files
            .iter()
            .map(|f| {
                serde_json::json!({
                    "name": f.name,
                    "content_type": f.content_type,
                    "size": f.size,
                    "url": format!("{base}/api/v2/attachments/{}.json", f.attachment),
                })
            })
            .collect(),
        created_at: l.created_at.to_iso(),
    }
}
