//! Voice lines as admins manage them: a number at the voice provider, its
//! credentials (given once, never shown again, never logged) and what it
//! does with callers (`VoiceSettings`: languages, greeting, menu, queue,
//! off hours). Settings are checked before they are stored, so the call
//! flow only ever reads settings that make sense.

use super::hook_path;
use crate::error::require;
use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::mail::Secret;
use domain::messaging::Credentials;
use domain::policy::Capability;
use domain::user::normalize_identity;
use domain::voice::{MenuTarget, VoiceLine, VoiceSettings};
use domain::{Actor, IdentityKind, Timestamp, VoiceLineId};
use store::repo::{groups, routing, voice as repo};

/// What admins write of a line (`None`: leave as it is).
#[derive(Debug, Clone, Default)]
pub struct LineInput {
    pub name: Option<String>,
    /// Only when creating: the number callers dial (E.164).
    pub number: Option<String>,
    pub account_sid: Option<Secret>,
    pub auth_token: Option<Secret>,
    /// `Some(None)` goes back to the provider's own API.
    pub api_base: Option<Option<String>>,
    pub settings: Option<VoiceSettings>,
    pub enabled: Option<bool>,
}

/// A line just made, with the address the provider is to call.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub line: VoiceLine,
    /// Set as the number's "a call comes in" webhook at the provider.
    pub incoming_path: String,
    /// Set as the number's status callback.
    pub status_path: String,
}

fn invalid(field: &str, why: impl Into<String>) -> AppError {
    AppError::field(FieldError::invalid(field, why))
}

/// Applies what admins wrote to a line and its credentials.
fn apply(l: &mut VoiceLine, creds: &mut Credentials, input: LineInput) -> Result<(), AppError> {
    if let Some(name) = input.name {
        let name = name.trim().to_string();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(invalid("name", "needs 1 to 100 characters"));
        }
        l.name = name;
    }
    if let Some(base) = input.api_base {
        if let Some(b) = &base
            && !(b.starts_with("https://") || b.starts_with("http://"))
        {
            return Err(invalid("api_base", "is an http(s) address"));
        }
        l.api_base = base.map(|b| b.trim_end_matches('/').to_string());
    }
    if let Some(s) = input.settings {
        if let Some(why) = s.problem() {
            return Err(invalid("settings", why));
        }
        l.settings = s;
    }
    if let Some(e) = input.enabled {
        l.enabled = e;
    }
    if let Some(sid) = input.account_sid {
        creds.account_sid = Some(sid);
    }
    if let Some(token) = input.auth_token {
        creds.auth_token = Some(token);
    }
    for field in ["account_sid", "auth_token"] {
        if creds.need(field).is_err() {
            return Err(AppError::field(FieldError::blank(field)));
        }
    }
    Ok(())
}

/// Refuses a menu naming a group or a skill that does not exist.
async fn check_targets(c: &mut store::Conn<'_>, s: &VoiceSettings) -> Result<(), AppError> {
    for o in &s.menu {
        if let MenuTarget::Queue { group, skills } = &o.target {
            if let Some(g) = group
                && groups::get(c, *g).await?.is_none()
            {
                return Err(invalid(
                    "settings",
                    format!("menu: option {} names no group", o.digit),
                ));
            }
            for v in skills {
                if routing::value(c, v).await?.is_none() {
                    return Err(invalid(
                        "settings",
                        format!("menu: {v} is not a routing attribute value"),
                    ));
                }
            }
        }
    }
    Ok(())
}

impl App {
    /// Connects a line (admins).
    pub async fn create_voice_line(
        &self,
        actor: Actor,
        input: LineInput,
    ) -> Result<NewLine, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let number = input
            .number
            .as_deref()
            .ok_or_else(|| AppError::field(FieldError::blank("number")))?;
        let number = normalize_identity(IdentityKind::Phone, number)
            .ok_or_else(|| invalid("number", "is not a phone number (E.164)"))?;
        let mut line = VoiceLine {
            id: VoiceLineId(0),
            name: String::new(),
            number,
            api_base: None,
            settings: VoiceSettings::default(),
            enabled: true,
            created_at: Timestamp::now(),
            last_call_at: None,
            last_error: None,
        };
        let mut creds = Credentials::default();
        let input = LineInput {
            name: input.name.or_else(|| Some(String::new())),
            ..input
        };
        apply(&mut line, &mut creds, input)?;
        let (l, c) = (line.clone(), creds);
        let id = self
            .write(move |cx| {
                Box::pin(async move {
                    check_targets(cx, &l.settings).await?;
                    let id = repo::insert_line(cx, &l, &c).await?;
                    if let Some(id) = id {
                        let change = AdminChange::new(
                            AdminAction::Create,
                            AdminSource::VoiceLine,
                            id.0,
                            &l.number,
                        );
                        crate::audit_log::record(cx, &actor, change, l.created_at).await?;
                    }
                    Ok(id)
                })
            })
            .await?
            .ok_or_else(|| invalid("number", "is connected already"))?;
        line.id = id;
        Ok(NewLine {
            incoming_path: hook_path(id, "incoming"),
            status_path: hook_path(id, "status"),
            line,
        })
    }

    /// Changes a line (admins); credentials given replace the stored ones.
    pub async fn update_voice_line(
        &self,
        actor: Actor,
        id: VoiceLineId,
        input: LineInput,
    ) -> Result<VoiceLine, AppError> {
        require(&actor, Capability::ManageChannels)?;
        if input.number.is_some() {
            return Err(invalid("number", "cannot change; connect a new line"));
        }
        let (mut line, mut creds) = self
            .voice_line_with_credentials(id)
            .await?
            .ok_or(AppError::NotFound)?;
        let changes_creds = input.account_sid.is_some() || input.auth_token.is_some();
        apply(&mut line, &mut creds, input)?;
        let (l, c) = (line.clone(), creds);
        self.write(move |cx| {
            Box::pin(async move {
                check_targets(cx, &l.settings).await?;
                repo::update_line(cx, &l, changes_creds.then_some(&c)).await?;
                let change =
                    AdminChange::new(AdminAction::Update, AdminSource::VoiceLine, id.0, &l.number);
                crate::audit_log::record(cx, &actor, change, Timestamp::now()).await
            })
        })
        .await?;
        Ok(line)
    }

    /// Disconnects a line; its calls stay on their cases.
    pub async fn delete_voice_line(&self, actor: Actor, id: VoiceLineId) -> Result<(), AppError> {
        require(&actor, Capability::ManageChannels)?;
        self.write(move |c| {
            Box::pin(async move {
                crate::error::found(repo::delete_line(c, id).await?)?;
                let change =
                    AdminChange::new(AdminAction::Destroy, AdminSource::VoiceLine, id.0, "");
                crate::audit_log::record(c, &actor, change, Timestamp::now()).await
            })
        })
        .await
    }

    /// Every line (admins).
    pub async fn voice_lines(&self, actor: Actor) -> Result<Vec<VoiceLine>, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut rc = self.read().await?;
        Ok(repo::lines(&mut rc.conn()).await?)
    }

    /// The numbers callers dial, as Zendesk Talk's phone numbers (staff:
    /// agents read which numbers the desk answers, not how they are set).
    pub async fn phone_numbers(&self, actor: Actor) -> Result<Vec<VoiceLine>, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        Ok(repo::lines(&mut rc.conn()).await?)
    }

    /// One number callers dial, as Talk's phone number (staff).
    pub async fn phone_number(&self, actor: Actor, id: VoiceLineId) -> Result<VoiceLine, AppError> {
        require(&actor, Capability::WorkTheDesk)?;
        let mut rc = self.read().await?;
        repo::line_by_id(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// One line (admins).
    pub async fn voice_line(&self, actor: Actor, id: VoiceLineId) -> Result<VoiceLine, AppError> {
        require(&actor, Capability::ManageChannels)?;
        let mut rc = self.read().await?;
        repo::line_by_id(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    /// A line and its credentials, for its adapter (webhook signatures,
    /// the provider's API).
    pub async fn voice_line_with_credentials(
        &self,
        id: VoiceLineId,
    ) -> Result<Option<(VoiceLine, Credentials)>, AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let Some(line) = repo::line_by_id(c, id).await? else {
            return Ok(None);
        };
        let creds = repo::line_credentials(c, id).await?;
        Ok(Some((line, creds)))
    }
}
