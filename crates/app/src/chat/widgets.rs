//! Chat widgets as admins set them: a name, the sites that may use it,
//! what the pre-chat form asks. Its public key goes into the `<script>`
//! tag; its secret (shown once, when made) signs a site's users.

use crate::auth::random_token;
use crate::error::require;
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::chat::{
    ChatWidget, Invitation, MAX_INVITATIONS, MAX_ORIGINS, MAX_TOPICS, parse_origin,
};
use domain::mail::Secret;
use domain::policy::Capability;
use domain::{Actor, ChatWidgetId, Timestamp};
use store::repo::chat as repo;

/// What admins write of a widget (`None`: leave as it is).
#[derive(Debug, Clone, Default)]
pub struct WidgetInput {
    pub name: Option<String>,
    /// One origin per entry (`https://shop.example`, `https://*.shop.example`).
    pub allowed_origins: Option<Vec<String>>,
    pub ask_name: Option<bool>,
    pub ask_email: Option<bool>,
    pub topics: Option<Vec<String>>,
    pub invitations: Option<Vec<Invitation>>,
    pub enabled: Option<bool>,
}

/// A widget just made, with the secret shown this once.
#[derive(Debug, Clone)]
pub struct NewWidget {
    pub widget: ChatWidget,
    pub secret: Secret,
}

/// Applies an input to a widget, checking every value.
fn apply(w: &mut ChatWidget, input: WidgetInput) -> Result<(), AppError> {
    let mut problems = Vec::new();
    if let Some(name) = input.name {
        let name = name.trim().to_string();
        if name.is_empty() {
            problems.push(FieldError::blank("name"));
        } else if name.chars().count() > 100 {
            problems.push(FieldError::invalid("name", "is longer than 100 characters"));
        }
        w.name = name;
    }
    if let Some(origins) = input.allowed_origins {
        let mut parsed = Vec::new();
        for o in origins.iter().map(|o| o.trim()).filter(|o| !o.is_empty()) {
            match parse_origin(o) {
                Some(p) if !parsed.contains(&p) => parsed.push(p),
                Some(_) => {}
                None => problems.push(FieldError::invalid(
                    "allowed_origins",
                    format!(
                        "{o:?} is not an origin (https://shop.example, https://*.shop.example)"
                    ),
                )),
            }
        }
        if parsed.len() > MAX_ORIGINS {
            problems.push(FieldError::invalid(
                "allowed_origins",
                format!("lists more than {MAX_ORIGINS} sites"),
            ));
        }
        w.allowed_origins = parsed;
    }
    if let Some(topics) = input.topics {
        let topics: Vec<String> = topics
            .iter()
            .map(|t| t.trim().chars().take(80).collect::<String>())
            .filter(|t| !t.is_empty())
            .collect();
        if topics.len() > MAX_TOPICS {
            problems.push(FieldError::invalid(
                "topics",
                format!("lists more than {MAX_TOPICS} topics"),
            ));
        }
        w.topics = topics;
    }
    if let Some(invitations) = input.invitations {
        if invitations.len() > MAX_INVITATIONS {
            problems.push(FieldError::invalid(
                "invitations",
                format!("lists more than {MAX_INVITATIONS} invitations"),
            ));
        }
        for (n, i) in invitations.iter().enumerate() {
            if let Some(why) = i.problem() {
                problems.push(FieldError::invalid(
                    "invitations",
                    format!("{}: {why}", n + 1),
                ));
            }
        }
        w.invitations = invitations;
    }
    if let Some(v) = input.ask_name {
        w.ask_name = v;
    }
    if let Some(v) = input.ask_email {
        w.ask_email = v;
    }
    if let Some(v) = input.enabled {
        w.enabled = v;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AppError::Invalid(problems))
    }
}

impl App {
    pub async fn chat_widgets(&self, actor: Actor) -> Result<Vec<ChatWidget>, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut rc = self.read().await?;
        Ok(repo::widgets(&mut rc.conn()).await?)
    }

    pub async fn chat_widget(
        &self,
        actor: Actor,
        id: ChatWidgetId,
    ) -> Result<ChatWidget, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut rc = self.read().await?;
        repo::widget_by_id(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// Makes a widget; its secret is in the answer and never again.
    pub async fn create_chat_widget(
        &self,
        actor: Actor,
        input: WidgetInput,
    ) -> Result<NewWidget, AppError> {
        require(&actor, Capability::ManageChannels)?;
        if input.name.is_none() {
            return Err(AppError::field(FieldError::blank("name")));
        }
        let now = Timestamp::now();
        let mut w = ChatWidget {
            id: ChatWidgetId(0),
            name: String::new(),
            public_key: format!("wk_{}", random_token(24)),
            allowed_origins: Vec::new(),
            ask_name: true,
            ask_email: true,
            topics: Vec::new(),
            invitations: Vec::new(),
            enabled: true,
            created_at: now,
            updated_at: now,
        };
        apply(&mut w, input)?;
        let secret = Secret::new(format!("ws_{}", random_token(40)));
        let stored = secret.clone();
        let w = self
            .write(move |c| {
                Box::pin(async move {
                    w.id = repo::insert_widget(c, &w, stored.expose()).await?;
                    let change = AdminChange::new(
                        AdminAction::Create,
                        AdminSource::ChatWidget,
                        w.id.0,
                        &w.name,
                    );
                    crate::audit_log::record(c, &actor, change, now).await?;
                    Ok(w)
                })
            })
            .await?;
        Ok(NewWidget { widget: w, secret })
    }

    pub async fn update_chat_widget(
        &self,
        actor: Actor,
        id: ChatWidgetId,
        input: WidgetInput,
    ) -> Result<ChatWidget, AppError> {
        require(&actor, Capability::ManageChannels)?;
        self.write(move |c| {
            Box::pin(async move {
                let mut w = repo::widget_by_id(c, id).await?.ok_or(AppError::NotFound)?;
                apply(&mut w, input)?;
                w.updated_at = Timestamp::now();
                repo::update_widget(c, &w).await?;
                let change =
                    AdminChange::new(AdminAction::Update, AdminSource::ChatWidget, id.0, &w.name);
                crate::audit_log::record(c, &actor, change, w.updated_at).await?;
                Ok(w)
            })
        })
        .await
    }

    /// Deletes a widget with its visitors and conversations (the tickets
    /// they reached stay, with their transcripts).
    pub async fn delete_chat_widget(&self, actor: Actor, id: ChatWidgetId) -> Result<(), AppError> {
        require(&actor, Capability::ManageChannels)?;
        self.write(move |c| {
            Box::pin(async move {
                let w = repo::widget_by_id(c, id).await?.ok_or(AppError::NotFound)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::ChatWidget, id.0, &w.name);
                crate::audit_log::record(c, &actor, change, Timestamp::now()).await?;
                match repo::delete_widget(c, id).await? {
                    0 => Err(AppError::NotFound),
                    _ => Ok(()),
                }
            })
        })
        .await
    }
}
