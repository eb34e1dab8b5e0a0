//! "Submit a request" on the help center: a signed-in customer's request,
//! or an anonymous one's — whose ticket exists at once, and who confirms
//! their address through a mailed link before they can see it. Spam is
//! kept out without any outside service: a field only robots fill, a
//! minimum time to fill the form, and limits per address and per network.

use crate::auth::{random_token, token_hash};
use crate::pipeline::{Change, WriteRequest};
use crate::sanitize::escape;
use crate::tickets::{CommentInput, CommentText, RequesterInput, TicketInput};
use crate::{App, AppError, FieldError};
use domain::form::ConditionValue;
use domain::model::TicketField;
use domain::{Actor, Channel, FieldId, FieldType, OutboundKind, TicketFormId, TicketId, Timestamp};
use i18n::{Arg, Lang};
use serde_json::Value as Json;
use store::repo::outbox::{self, Outbound};
use store::repo::{fields, sign_in_links, ticket_forms};

/// A form filled in faster than this was not filled in by a person.
pub const MIN_FILL_SECS: i64 = 3;
/// Requests one address may send in an hour through the form.
const PER_ADDRESS: i64 = 5;
/// Requests one network may send in an hour.
const PER_NETWORK: i64 = 20;

/// A filled-in request form.
#[derive(Debug, Clone, Default)]
pub struct WebRequest {
    /// The form chosen (the default one when none).
    pub form: Option<TicketFormId>,
    /// An anonymous requester's address and name (ignored when signed in).
    pub email: String,
    pub name: String,
    pub subject: String,
    pub description: String,
    /// Custom fields as typed (`"1"` for a ticked checkbox).
    pub fields: Vec<(FieldId, String)>,
    /// Anything in the field only robots see and fill.
    pub honeypot: String,
    /// When the form was shown (its hidden field), to tell robots.
    pub started_at: Option<Timestamp>,
    /// The locale of the page (the confirmation mail's language).
    pub locale: String,
    /// The bot's tokens for the suggestions shown while typing (in this
    /// browser tab): the request that follows them is noted on each (they
    /// were not deflections).
    pub bot_tokens: Vec<String>,
    /// Files attached: (name, the browser's type, bytes).
    pub files: Vec<(String, Option<String>, Vec<u8>)>,
}

/// Files one request may carry.
pub const MAX_FILES: usize = 5;

/// What became of a submitted form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Submitted {
    /// A signed-in customer's new request.
    Created(TicketId),
    /// An anonymous request: the ticket exists; a link to confirm the
    /// address went to it.
    AwaitingConfirmation(TicketId),
    /// Taken for a robot's: nothing was created, the page says thanks.
    Dropped,
    /// This address or network sent too many requests lately.
    TooMany,
}

/// An answer as a condition compares it.
fn as_condition(field: &TicketField, raw: &str) -> Option<ConditionValue> {
    match field.field_type {
        FieldType::Multiselect => None,
        FieldType::Checkbox => Some(ConditionValue::Flag(
            raw == "1" || raw == "true" || raw == "on",
        )),
        _ if raw.is_empty() => None,
        _ => Some(ConditionValue::Text(raw.to_string())),
    }
}

/// An answer as the ticket stores it (the API's JSON value).
fn as_json(field: &TicketField, raw: &str) -> Json {
    match field.field_type {
        // Several choices, sent joined by commas.
        FieldType::Multiselect => Json::Array(
            raw.split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| Json::String(v.to_string()))
                .collect(),
        ),
        FieldType::Checkbox => Json::Bool(raw == "1" || raw == "true" || raw == "on"),
        _ => Json::String(raw.to_string()),
    }
}

impl App {
    /// Takes in a request form. Field errors come back as
    /// `AppError::Invalid`, for the page to show beside the form.
    pub async fn submit_web_request(
        &self,
        actor: Option<Actor>,
        req: WebRequest,
        client: crate::guard::Client,
        link_prefix: &str,
    ) -> Result<Submitted, AppError> {
        let now = Timestamp::now();
        if !req.honeypot.trim().is_empty() {
            tracing::info!("request form: the robots' field was filled; dropped");
            return Ok(Submitted::Dropped);
        }
        let mut errors = Vec::new();
        match req.started_at {
            Some(t) if now.0 - t.0 >= MIN_FILL_SECS && t.0 <= now.0 => {}
            _ => errors.push(FieldError::invalid(
                "started_at",
                "the form was sent too quickly; check it and send it again",
            )),
        }
        let subject = req.subject.trim().chars().take(255).collect::<String>();
        let description = req.description.trim().to_string();
        if subject.is_empty() {
            errors.push(FieldError::blank("subject"));
        }
        if description.is_empty() {
            errors.push(FieldError::blank("description"));
        }
        let email = match &actor {
            Some(_) => None,
            None => match domain::user::normalize_email(&req.email) {
                Some(e) => Some(e),
                None => {
                    errors.push(FieldError::invalid("email", "not an email address"));
                    None
                }
            },
        };
        let all_fields = self.fields_for_display().await?;
        let forms = self.ticket_forms(false).await?;
        let form = match req.form {
            Some(id) => Some(forms.iter().find(|f| f.id == id).cloned().ok_or_else(|| {
                AppError::field(FieldError::invalid("ticket_form_id", "no such form"))
            })?),
            None => forms.iter().find(|f| f.default).or(forms.first()).cloned(),
        };
        // The fields the form shows for these answers, checked.
        let mut custom = Vec::new();
        if let Some(form) = &form {
            let raw = |id: FieldId| {
                req.fields
                    .iter()
                    .find(|(f, _)| *f == id)
                    .map_or("", |(_, v)| v.as_str())
            };
            let answer = |id: FieldId| {
                all_fields
                    .iter()
                    .find(|f| f.id == id)
                    .and_then(|f| as_condition(f, raw(id).trim()))
            };
            for id in &form.ticket_field_ids {
                let Some(field) = all_fields.iter().find(|f| f.id == *id) else {
                    continue;
                };
                if !field.active || !field.editable_in_portal || !form.shows(*id, &answer) {
                    continue;
                }
                let value = raw(*id).trim();
                let required = field.required_in_portal || form.condition_requires(*id, &answer);
                let empty =
                    value.is_empty() || (field.field_type == FieldType::Checkbox && value == "0");
                if empty {
                    if required {
                        errors.push(FieldError::blank(&format!("custom_field_{id}")));
                    }
                    continue;
                }
                match crate::fields::check_value(field, &as_json(field, value)) {
                    Ok(_) => custom.push((*id, as_json(field, value))),
                    Err(e) => errors.push(e),
                }
            }
        }
        if req.files.len() > MAX_FILES {
            errors.push(FieldError::invalid(
                "attachments",
                format!("at most {MAX_FILES} files"),
            ));
        }
        // Checked now (size, name, type), stored with the ticket below.
        let upload_token = random_token(25);
        let mut files = Vec::new();
        for (name, kind, data) in &req.files {
            match crate::uploads::prepared(
                &self.limits,
                domain::UserId(0),
                name,
                kind.as_deref(),
                data,
                upload_token.clone(),
                now,
            ) {
                Ok(a) => files.push(a),
                Err(AppError::Invalid(e)) => errors.extend(e),
                Err(e) => return Err(e),
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let form_id = form.as_ref().map(|f| f.id);
        let file_data: Vec<Vec<u8>> = req.files.iter().map(|(_, _, d)| d.clone()).collect();
        let net = client.network();
        let hooks = self.hooks().await?;
        let comment = CommentInput {
            body: Some(description.chars().take(65_536).collect()),
            public: Some(true),
            uploads: if files.is_empty() {
                Vec::new()
            } else {
                vec![upload_token.clone()]
            },
            ..Default::default()
        };
        let text = CommentText::of(&comment)?;
        let lang = Lang::from_locale(&req.locale);
        let name = req.name.trim().chars().take(255).collect::<String>();
        let link_prefix = link_prefix.to_string();
        let from = self.mailboxes.sender_for(None).map_or_else(
            || {
                self.mail
                    .as_ref()
                    .map(|m| (m.from_address.clone(), m.from_name.clone()))
            },
            |m| Some((m.address, m.name)),
        );
        self.write(move |c| {
            Box::pin(async move {
                let hour_ago = Timestamp(now.0 - 3600);
                let counted = email.clone().unwrap_or_else(|| format!("user:{}", actor.map_or(0, |a| a.user.0)));
                let (by_address, by_network) =
                    ticket_forms::submissions_since(c, &counted, &net, hour_ago).await?;
                if by_address >= PER_ADDRESS || by_network >= PER_NETWORK {
                    return Ok(Submitted::TooMany);
                }
                // The request is written by its requester: the signed-in
                // customer, or the one this address belongs to (made now
                // if new).
                let writer = match (&actor, &email) {
                    (Some(a), _) => *a,
                    (None, Some(e)) => {
                        let shown = (!name.is_empty()).then_some(name.as_str());
                        crate::users::find_or_create_by_email(c, e, shown, Some(&req.locale), now)
                            .await?
                            .actor()
                    }
                    (None, None) => return Err(AppError::field(FieldError::blank("email"))),
                };
                let requester = writer.user;
                // The files, as the requester's, for the first comment.
                for (mut a, data) in files.into_iter().zip(file_data) {
                    a.uploader_id = requester;
                    store::repo::attachments::insert(c, &a, data).await?;
                }
                let input = TicketInput {
                    subject: Some(subject.clone()),
                    requester: Some(RequesterInput::Id(requester)),
                    custom_fields: custom,
                    ticket_form_id: form_id.map(Some),
                    ..Default::default()
                };
                let change = Change::Create {
                    input,
                    comment,
                    text,
                };
                let written = crate::pipeline::write(c, &hooks, WriteRequest::new(writer, Channel::Web, change), now)
                    .await?
                    .ok_or(AppError::NotFound)?;
                let ticket = written.ticket.id;
                ticket_forms::record_submission(c, &counted, &net, Some(ticket), now).await?;
                for t in req.bot_tokens.iter().take(10) {
                    store::repo::answer_bot::followed_by(c, &token_hash(t), ticket, now).await?;
                }
                let (Some(address), None) = (&email, &actor) else {
                    return Ok(Submitted::Created(ticket));
                };
                // Anonymous: the ticket exists; its requester confirms the
                // address with a link that signs them in (durable with it).
                if let Some((from_address, from_name)) = from {
                    let token = random_token(40);
                    let expires = Timestamp(now.0 + 7 * 86_400);
                    sign_in_links::insert(c, &token_hash(&token), requester, address, &net, now, expires).await?;
                    let link = format!("{link_prefix}{token}");
                    let id = ticket.0;
                    let args = [("link", Arg::Text(&link)), ("id", Arg::Number(id))];
                    let text = i18n::with(lang, "portal-confirm-text", &args);
                    let html = format!(
                        "<p>{}</p><p><a href=\"{}\">{}</a></p>",
                        escape(&i18n::with(lang, "portal-confirm-greeting", &args)),
                        escape(&link),
                        escape(&i18n::text(lang, "portal-confirm-action")),
                    );
                    let domain = from_address
                        .split_once('@')
                        .map_or("atiende.local", |(_, d)| d)
                        .to_string();
                    outbox::enqueue(
                        c,
                        &Outbound {
                            from_address: Some(from_address),
                            from_name: Some(from_name),
                            subject: i18n::with(lang, "portal-confirm-subject", &args),
                            ..Outbound::queued(
                                ticket,
                                OutboundKind::SignIn,
                                Channel::Email,
                                address.clone(),
                                format!("atiende-{id}-confirm-{}@{domain}", random_token(12).to_lowercase()),
                                (text, html),
                                now,
                            )
                        },
                    )
                    .await?;
                } else {
                    tracing::warn!("a request came in from the web form, but no mail relay is configured to confirm the address");
                }
                Ok(Submitted::AwaitingConfirmation(ticket))
            })
        })
        .await
    }

    /// The fields a request form shows customers, in its order (none when
    /// there is no form: then the page asks only for a subject and a
    /// description).
    pub async fn request_form_fields(
        &self,
        form: Option<&domain::form::TicketForm>,
    ) -> Result<Vec<TicketField>, AppError> {
        let all = {
            let mut rc = self.read().await?;
            fields::all(&mut rc.conn()).await?
        };
        let shown = |f: &TicketField| f.active && f.editable_in_portal && f.visible_in_portal;
        Ok(match form {
            Some(form) => form
                .ticket_field_ids
                .iter()
                .filter_map(|id| all.iter().find(|f| f.id == *id && shown(f)).cloned())
                .collect(),
            None => Vec::new(),
        })
    }
}
