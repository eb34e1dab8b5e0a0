//! The help center's and the customer side's records: categories and
//! sections, articles and their translations, user segments, request
//! forms, the bot's questions and feedback, and end-users' requests.

use super::{Fields, comment};
use crate::error::ApiError;
use app::FieldError;
use app::tickets::CommentInput;
use domain::*;
use serde_json::{Map, Value as Json};

/// `{"category": {…}}` or `{"section": {…}}`.
pub fn grouping(m: &Map<String, Json>) -> Result<app::help_center::GroupingInput, ApiError> {
    let mut f = Fields::new(m);
    let input = app::help_center::GroupingInput {
        name: f.string("name"),
        description: f.string("description"),
        locale: f.string("locale"),
        position: f.text("position").flatten().and_then(|p| p.parse().ok()),
        category_id: f.id("category_id").flatten(),
        parent_section_id: f.id("parent_section_id"),
    };
    f.finish(input)
}

/// `{"article": {…}}`.
pub fn article(m: &Map<String, Json>) -> Result<app::help_center::ArticleInput, ApiError> {
    let mut f = Fields::new(m);
    let input = app::help_center::ArticleInput {
        title: f.string("title").or_else(|| f.string("name")),
        body: f.string("body"),
        locale: f.string("locale"),
        draft: f.boolean("draft"),
        promoted: f.boolean("promoted"),
        position: f.text("position").flatten().and_then(|p| p.parse().ok()),
        label_names: f.strings("label_names"),
        permission_group_id: f.id("permission_group_id").flatten(),
        user_segment_id: f.id("user_segment_id"),
        section_id: f.id("section_id").flatten(),
        comments_disabled: f.boolean("comments_disabled"),
    };
    f.finish(input)
}

/// `{"ticket_form": {…}}`.
pub fn ticket_form(m: &Map<String, Json>) -> Result<app::ticket_forms::TicketFormInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = app::ticket_forms::TicketFormInput {
        name: f.string("name"),
        display_name: f.string("display_name"),
        display_names: None,
        position: f.id("position").flatten(),
        active: f.boolean("active"),
        end_user_visible: f.boolean("end_user_visible"),
        default: f.boolean("default"),
        ticket_field_ids: f
            .ids("ticket_field_ids")
            .map(|v| v.into_iter().map(FieldId).collect()),
        end_user_conditions: None,
    };
    let _ = (
        f.get("in_all_brands"),
        f.get("restricted_brand_ids"),
        f.get("agent_conditions"),
    );
    input.display_names = f.locale_texts("display_name_translations", "an object of locale → name");
    match f.get("end_user_conditions").cloned() {
        None | Some(Json::Null) => {}
        Some(v) => match serde_json::from_value::<Vec<domain::form::FormCondition>>(v) {
            Ok(c) => input.end_user_conditions = Some(c),
            Err(e) => f.errors.push(FieldError::invalid(
                "end_user_conditions",
                format!("[{{parent_field_id, value, child_fields: [{{id, is_required}}]}}]: {e}"),
            )),
        },
    }
    f.finish(input)
}

/// A question for the answer bot (`POST /api/v2/answer_bot/answers/articles`,
/// fields at the top level as Zendesk has them).
pub struct BotQuestion {
    pub enquiry: String,
    pub locale: Option<String>,
}

pub fn bot_question(m: &Map<String, Json>) -> Result<BotQuestion, ApiError> {
    let mut f = Fields::new(m);
    let q = BotQuestion {
        enquiry: f.string("enquiry").unwrap_or_default(),
        locale: f.string("locale"),
    };
    // Zendesk's optional context, read so it is not refused as unknown.
    let _ = (f.strings("labels"), f.text("reference"), f.text("user_id"));
    f.finish(q)
}

/// The customer's word on an answer (`answer_bot/resolution`, `rejection`).
pub struct BotFeedback {
    pub article_id: i64,
    pub token: String,
}

pub fn bot_feedback(m: &Map<String, Json>) -> Result<BotFeedback, ApiError> {
    let mut f = Fields::new(m);
    let article_id = f.id::<ArticleId>("article_id").flatten();
    let token = f.string("interaction_access_token");
    let _ = (f.text("reason_id"), f.text("deflection_id"));
    let (Some(article_id), Some(token)) = (article_id, token) else {
        f.errors
            .push(FieldError::blank("article_id and interaction_access_token"));
        return f.finish(BotFeedback {
            article_id: 0,
            token: String::new(),
        });
    };
    f.finish(BotFeedback {
        article_id: article_id.0,
        token,
    })
}

/// What a `{"request": {…}}` carries (create and update alike).
pub struct RequestInput {
    pub subject: Option<String>,
    pub comment: Option<CommentInput>,
    pub solved: bool,
    /// People to copy in, by email: `email_ccs` (`[{"user_email": …}]`)
    /// and `collaborators` (addresses, or `{"email": …}`).
    pub ccs: Vec<String>,
}

/// `{"request": {…}}`.
pub fn request(m: &Map<String, Json>) -> Result<RequestInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = RequestInput {
        subject: f.string("subject"),
        comment: None,
        solved: f.boolean("solved").unwrap_or(false),
        ccs: Vec::new(),
    };
    if let Some(o) = f.object("comment") {
        input.comment = Some(comment(&mut f, o));
    } else if let Some(d) = f.string("description") {
        input.comment = Some(CommentInput {
            body: Some(d),
            ..Default::default()
        });
    }
    for key in ["email_ccs", "collaborators"] {
        let Some(list) = f.get(key) else { continue };
        let items = match list {
            Json::Array(items) => items.as_slice(),
            Json::Null => &[],
            _ => {
                f.errors
                    .push(FieldError::invalid(key, "a list of email addresses"));
                continue;
            }
        };
        for item in items {
            let email = match item {
                Json::String(e) => Some(e.as_str()),
                Json::Object(o) => o
                    .get("user_email")
                    .or_else(|| o.get("email"))
                    .and_then(Json::as_str),
                _ => None,
            };
            match email {
                Some(e) => input.ccs.push(e.to_string()),
                None => f.errors.push(FieldError::invalid(
                    key,
                    "each entry is an email address (or {\"user_email\": …})",
                )),
            }
        }
    }
    f.finish(input)
}

/// `{"user_segment": {…}}`.
pub fn user_segment(m: &Map<String, Json>) -> Result<app::help_center::SegmentInput, ApiError> {
    let mut f = Fields::new(m);
    let input = app::help_center::SegmentInput {
        name: f.string("name"),
        user_type: f.word("user_type").flatten(),
        organization_ids: f
            .ids("organization_ids")
            .map(|v| v.into_iter().map(domain::OrgId).collect()),
        group_ids: f
            .ids("group_ids")
            .map(|v| v.into_iter().map(domain::GroupId).collect()),
        tags: f.strings("tags"),
        or_tags: f.strings("or_tags"),
    };
    f.finish(input)
}

/// `{"translation": {…}}`.
pub fn translation(m: &Map<String, Json>) -> Result<app::help_center::TranslationInput, ApiError> {
    let mut f = Fields::new(m);
    let input = app::help_center::TranslationInput {
        locale: f.string("locale"),
        title: f.string("title"),
        body: f.string("body"),
        draft: f.boolean("draft"),
        outdated: f.boolean("outdated"),
    };
    f.finish(input)
}
