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
