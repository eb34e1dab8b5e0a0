//! WhatsApp's customer-service window and its templates. For 24 hours
//! after a customer's last message a business may write to them freely;
//! afterwards only an approved template (admins keep the library) may go.
//! The rule is checked where a reply is queued, so every way of replying
//! (API, pages, macros) meets it, and the agent sees on the reply box how
//! long the window has left.

use crate::error::require;
use crate::{App, AppError, FieldError};
use domain::messaging::{
    HUMAN_AGENT_WINDOW_SECS, MessageTemplate, SERVICE_WINDOW_SECS, TemplateCategory,
    template_name_ok, window_closes, window_open,
};
use domain::model::outbox::{ReplyRoute, TemplateUse};
use domain::policy::Capability;
use domain::{Actor, Channel, MessageTemplateId, TicketId, Timestamp};
use store::Conn;
use store::repo::messaging as repo;

/// The window of the channel a reply on a ticket takes by default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyWindow {
    pub channel: Channel,
    /// When it closes (closed already if in the past); `None` when the
    /// customer never wrote on the channel.
    pub closes_at: Option<Timestamp>,
    pub open: bool,
}

/// What admins write of a template.
#[derive(Debug, Clone, Default)]
pub struct TemplateInput {
    pub name: String,
    pub language: String,
    pub category: Option<TemplateCategory>,
    pub body: String,
}

/// Checks a reply about to be queued against its channel's window: a
/// free-form reply only while the window is open; a template whenever
/// (it must be in the library, with exactly its parameters). Returns the
/// template to send.
pub(crate) async fn check(
    c: &mut Conn<'_>,
    route: &ReplyRoute,
    template: Option<TemplateUse>,
    now: Timestamp,
) -> Result<Option<TemplateUse>, AppError> {
    if matches!(route.channel, Channel::Messenger | Channel::Instagram) {
        // A person may answer with Meta's human-agent tag for seven days.
        let last = repo::last_inbound_from(c, route.channel, &route.to).await?;
        if !window_open(last, HUMAN_AGENT_WINDOW_SECS, now) {
            return Err(AppError::field(FieldError::invalid(
                "reply_via",
                "the customer last wrote more than 7 days ago: Meta lets no reply through now",
            )));
        }
    }
    if route.channel != Channel::WhatsApp {
        if template.is_some() {
            return Err(AppError::field(FieldError::invalid(
                "template",
                "templates are sent on WhatsApp only",
            )));
        }
        return Ok(None);
    }
    if let Some(t) = template {
        let known = repo::templates(c)
            .await?
            .into_iter()
            .find(|k| k.name == t.name && k.language == t.language);
        return match known {
            Some(k) if k.parameter_count() == t.params.len() => Ok(Some(t)),
            Some(k) => Err(AppError::field(FieldError::invalid(
                "template",
                format!("{} takes {} parameter(s)", k.name, k.parameter_count()),
            ))),
            None => Err(AppError::field(FieldError::invalid(
                "template",
                format!("{} ({}) is not an approved template", t.name, t.language),
            ))),
        };
    }
    let last = repo::last_inbound_from(c, Channel::WhatsApp, &route.to).await?;
    if window_open(last, SERVICE_WINDOW_SECS, now) {
        Ok(None)
    } else {
        Err(AppError::field(FieldError::invalid(
            "template",
            "the customer's WhatsApp window is closed (more than 24 hours since they last wrote): only an approved template can go now",
        )))
    }
}

impl App {
    /// The WhatsApp window of a ticket's default reply route, if the reply
    /// goes on WhatsApp (staff).
    pub async fn reply_window(
        &self,
        actor: Actor,
        id: TicketId,
    ) -> Result<Option<ReplyWindow>, AppError> {
        let routes = self.reply_routes(actor, id).await?;
        let Some(route) = routes.into_iter().find(|r| r.channel == Channel::WhatsApp) else {
            return Ok(None);
        };
        let mut rc = self.read().await?;
        let last = repo::last_inbound_from(&mut rc.conn(), Channel::WhatsApp, &route.to).await?;
        Ok(Some(ReplyWindow {
            channel: Channel::WhatsApp,
            closes_at: window_closes(last, SERVICE_WINDOW_SECS),
            open: window_open(last, SERVICE_WINDOW_SECS, Timestamp::now()),
        }))
    }

    /// The template library (staff read it for the reply box).
    pub async fn message_templates(&self, actor: Actor) -> Result<Vec<MessageTemplate>, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::templates(&mut rc.conn()).await?)
    }

    /// Adds an approved template (admins).
    pub async fn create_message_template(
        &self,
        actor: Actor,
        input: TemplateInput,
    ) -> Result<MessageTemplate, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut problems = Vec::new();
        let name = input.name.trim().to_string();
        if !template_name_ok(&name) {
            problems.push(FieldError::invalid(
                "name",
                "is lower-case letters, digits and _ (as Meta names templates)",
            ));
        }
        let language = input.language.trim().to_string();
        if language.is_empty()
            || language.len() > 10
            || !language
                .bytes()
                .all(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            problems.push(FieldError::invalid(
                "language",
                "is not a language code (es, en_US)",
            ));
        }
        let body = input.body.trim().to_string();
        if body.is_empty() || body.chars().count() > 1024 {
            problems.push(FieldError::invalid(
                "body",
                "is empty or longer than 1024 characters",
            ));
        }
        let Some(category) = input.category else {
            problems.push(FieldError::blank("category"));
            return Err(AppError::Invalid(problems));
        };
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let mut t = MessageTemplate {
            id: MessageTemplateId(0),
            name,
            language,
            category,
            body,
            created_at: Timestamp::now(),
        };
        let row = t.clone();
        t.id = self
            .write(move |c| Box::pin(async move { Ok(repo::insert_template(c, &row).await?) }))
            .await?
            .ok_or_else(|| {
                AppError::field(FieldError::invalid(
                    "name",
                    "a template of this name and language exists",
                ))
            })?;
        Ok(t)
    }

    pub async fn delete_message_template(
        &self,
        actor: Actor,
        id: MessageTemplateId,
    ) -> Result<(), AppError> {
        require(&actor, Capability::ManageChannels)?;
        self.write(move |c| {
            Box::pin(async move { crate::error::found(repo::delete_template(c, id).await?) })
        })
        .await
    }
}
