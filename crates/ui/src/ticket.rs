//! The ticket page: one timeline of replies, notes and folded changes; the
//! reply box; the properties panel with conflict detection; the customer
//! panel with every identity and earlier conversation.

mod calls;
mod customer_panel;
mod goodwill;
mod reply_window;
mod timeline;
pub use calls::{place as place_call, recording as call_recording};
pub(crate) use customer_panel::cases_of;
use customer_panel::{CustomerView, customer};
pub use goodwill::{kind_name as gesture_kind_name, record as record_gesture};
use timeline::entries;

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::i18n::Text;
use crate::queue::{agent_choices, flash};
use crate::session::{Agent, AgentForm, Form};
use crate::view::{Chrome, Clock, names, priority_choices, status_choices, type_choices};
use app::AppError;
use app::tickets::{CommentInput, TicketInput};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::{Audit, Comment, Ticket};
use domain::{
    AttachmentId, AuditId, Channel, FieldId, FieldType, GroupId, Priority, Status, TicketId,
    TicketType, UserId,
};
use serde_json::Value as Json;
use std::collections::HashMap;

/// Comments and audits shown on one page; longer threads show the newest.
const THREAD_LIMIT: i64 = 500;

/// The ticket's own fields as the page shows them.
pub struct TicketView {
    pub id: i64,
    pub subject: String,
    pub status: &'static str,
    pub status_key: String,
    pub priority_key: String,
    pub type_key: String,
    pub assignee_key: String,
    pub group_key: String,
    pub tags: String,
    /// The newest audit id when the page was drawn (the conflict check).
    pub version: i64,
}

pub struct CommentView {
    pub id: i64,
    pub public: bool,
    /// Sanitised on the way in (ammonia); safe to show as HTML.
    pub html: String,
    pub attachments: Vec<(String, String)>,
    /// For an emailed comment: how it found this ticket.
    pub threading: Option<&'static str>,
}

/// One entry of the timeline: an audit, with its comment if it has one.
pub struct Entry {
    pub author: String,
    pub via: &'static str,
    pub at: String,
    pub at_iso: String,
    pub comment: Option<CommentView>,
    /// A call, for a call's entry.
    pub call: Option<calls::CallEntry>,
    pub summary: String,
    pub changes: Vec<String>,
}

pub struct FieldView {
    pub id: i64,
    pub title: String,
    pub input_type: &'static str,
    pub value: String,
    pub options: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "ticket.html")]
struct TicketPage {
    chrome: Chrome,
    /// A chat is going on for the ticket: the page offers to end it.
    chat_going_on: bool,
    /// Nobody could take it live: it continues by email too.
    chat_by_email: bool,
    tk: TicketView,
    entries: Vec<Entry>,
    conflict: Option<&'static str>,
    statuses: Vec<(String, String)>,
    priorities: Vec<(String, String)>,
    types: Vec<(String, String)>,
    agents: Vec<(String, String)>,
    groups: Vec<(String, String)>,
    fields: Vec<FieldView>,
    customer: CustomerView,
    identity_kinds: Vec<&'static str>,
    macros: Vec<(i64, String)>,
    mails: Vec<crate::view::MailRow>,
    /// Goodwill gestures made on the case, and the kinds the form offers.
    gestures: Vec<goodwill::GestureRow>,
    gesture_kinds: Vec<(&'static str, &'static str)>,
    /// Where a public reply can go, `(channel, label)`, the default first;
    /// empty when the customer cannot be reached.
    routes: Vec<(String, String)>,
    /// The customer's WhatsApp window, where a reply goes on WhatsApp.
    window: Option<crate::ticket::reply_window::WindowView>,
    /// A reply can go on a messaging channel: the box offers buttons.
    buttons_offered: bool,
    /// Approved templates offered in the reply box: (value, label).
    templates: Vec<(String, String)>,
    /// The next SLA target, if a policy applies.
    sla: Option<crate::view::SlaBadge>,
    /// In play mode: the queue being played (the page offers to skip).
    play: Option<String>,
}

#[derive(Template)]
#[template(path = "timeline.html")]
struct TimelineFragment {
    chrome: Chrome,
    entries: Vec<Entry>,
}

fn ticket_id(raw: &str) -> Result<TicketId, AppError> {
    raw.parse().map(TicketId).map_err(|_| AppError::NotFound)
}

pub(crate) async fn group_choices(
    ui: &Ui,
    agent: &Agent,
) -> Result<Vec<(String, String)>, AppError> {
    let (groups, _) = ui
        .app
        .list_groups(
            agent.user.actor,
            None,
            app::Paging::Offset {
                page: 1,
                per_page: 200,
            },
        )
        .await?;
    Ok(groups
        .into_iter()
        .map(|g| (g.id.0.to_string(), g.name))
        .collect())
}

fn field_views(fields: &[domain::model::TicketField], tk: &Ticket) -> Vec<FieldView> {
    fields
        .iter()
        .filter(|f| f.active)
        .map(|f| FieldView {
            id: f.id.0,
            title: f.title.clone(),
            input_type: match f.field_type {
                FieldType::Checkbox => "checkbox",
                FieldType::Integer | FieldType::Decimal => "number",
                FieldType::Date => "date",
                _ => "text",
            },
            value: tk
                .custom_fields
                .iter()
                .find(|(id, _)| *id == f.id)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
            options: f
                .options
                .iter()
                .map(|o| (o.value.clone(), o.name.clone()))
                .collect(),
        })
        .collect()
}

async fn render_page(
    ui: &Ui,
    agent: &Agent,
    id: TicketId,
    flash_msg: Option<String>,
    conflict: bool,
    play: Option<String>,
) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    let t = agent.t();
    // Where the page's live socket starts: read before the ticket, so a
    // change committed while the page is built is sent to it, not lost
    // between the timeline read and the cursor.
    let cursor = ui.app.event_cursor().await?;
    let tk = ui.app.ticket(actor, id).await?;
    let chat = ui.app.chat_on_ticket(actor, id).await?;
    let chat_going_on = chat.is_some();
    let chat_by_email = chat.is_some_and(|c| c.attendance.by_email);
    let groups = group_choices(ui, agent).await?;
    let group_names: HashMap<i64, String> = groups
        .iter()
        .filter_map(|(id, n)| Some((id.parse().ok()?, n.clone())))
        .collect();
    let entries = entries(ui, agent, id, &group_names).await?;
    let fields = ui.app.fields_for_display().await?;
    let sla = ui
        .app
        .ticket_sla(actor, id)
        .await?
        .and_then(|s| crate::view::sla_badge(t, &s, domain::Timestamp::now()));
    let routes = ui.app.reply_routes(actor, id).await?;
    let messaging = |ch| domain::messaging::MESSAGING_CHANNELS.contains(&ch);
    let buttons_offered = routes.iter().any(|r| messaging(r.channel));
    let connected = if buttons_offered {
        ui.app.connected_messaging_channels().await?
    } else {
        Vec::new()
    };
    let page = TicketPage {
        sla,
        tk: TicketView {
            id: tk.id.0,
            subject: tk.subject.clone(),
            status: t.status(tk.status),
            status_key: tk.status.as_str().into(),
            priority_key: tk.priority.map_or("", |p| p.as_str()).into(),
            type_key: tk.ticket_type.map_or("", |p| p.as_str()).into(),
            assignee_key: tk.assignee_id.map_or(String::new(), |a| a.0.to_string()),
            group_key: tk.group_id.map_or(String::new(), |g| g.0.to_string()),
            tags: tk.tags.join(" "),
            version: ui.app.ticket_version(actor, id).await?.0,
        },
        entries,
        conflict: conflict.then_some(t.conflict),
        statuses: {
            let mut s = status_choices(t);
            if tk.status == Status::New {
                s.insert(0, ("new".into(), t.status(Status::New).into()));
            }
            s
        },
        priorities: priority_choices(t),
        types: type_choices(t),
        agents: agent_choices(ui, agent).await?,
        groups,
        fields: field_views(&fields, &tk),
        customer: customer(ui, agent, &tk).await?,
        identity_kinds: domain::IdentityKind::ALL
            .iter()
            .map(|k| k.as_str())
            .collect(),
        macros: ui
            .app
            .list_macros(
                actor,
                true,
                app::Paging::Offset {
                    page: 1,
                    per_page: 200,
                },
            )
            .await?
            .0
            .into_iter()
            .map(|m| (m.id.0, m.title))
            .collect(),
        routes: routes
            .into_iter()
            .map(|r| {
                let mut label = format!("{} · {}", t.channel(r.channel), r.to);
                // No account of the channel connected: the reply waits.
                if messaging(r.channel) && !connected.contains(&r.channel) {
                    label = format!("{label} ({})", t.reply_route_waits);
                }
                (r.channel.as_str().to_string(), label)
            })
            .collect(),
        window: reply_window::window(ui, actor, id).await?,
        buttons_offered,
        templates: reply_window::templates(ui, actor).await?,
        mails: ui
            .app
            .ticket_outbox(actor, id)
            .await?
            .into_iter()
            .map(|m| crate::view::mail_row(m, agent.t()))
            .collect(),
        gestures: goodwill::rows(ui, agent, id).await?,
        gesture_kinds: goodwill::kinds(t),
        chat_going_on,
        chat_by_email,
        play: play.filter(|k| app::queues::Queue::from_key(k).is_some()),
        chrome: Chrome {
            cursor,
            ..chrome(ui, agent, None, "", flash_msg).await?
        },
    };
    let status = if conflict {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

/// `GET /agent/tickets/{id}`.
pub async fn page(
    State(ui): State<Ui>,
    agent: Agent,
    Path(raw): Path<String>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let out = match ticket_id(&raw) {
        Ok(id) => {
            render_page(
                &ui,
                &agent,
                id,
                flash(&q, &agent),
                false,
                q.get("play").cloned(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    out.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `GET /agent/tickets/{id}/timeline`: the timeline alone, for live refresh.
pub async fn timeline(State(ui): State<Ui>, agent: Agent, Path(raw): Path<String>) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        let groups: HashMap<i64, String> = group_choices(&ui, &agent)
            .await?
            .into_iter()
            .filter_map(|(id, n)| Some((id.parse().ok()?, n)))
            .collect();
        let entries = entries(&ui, &agent, id, &groups).await?;
        let chrome = Chrome {
            t: agent.t(),
            lang: agent.lang.code(),
            user_id: agent.user.actor.user.0,
            user_name: agent.user.name.clone(),
            csrf: agent.user.csrf.clone(),
            cursor: 0,
            queues: vec![],
            query: String::new(),
            flash: None,
            is_admin: agent.user.actor.is_admin(),
            reads_reports: domain::policy::Capability::ReadReports.allowed(&agent.user.actor),
            presence: "",
            chat_tabs: String::new(),
            has_chats: false,
            spikes: Vec::new(),
        };
        Ok::<_, AppError>(render(
            StatusCode::OK,
            &TimelineFragment { chrome, entries },
        ))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/tickets/{id}/reply`: a public reply or internal note, and
/// the status to submit as.
pub async fn reply(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        let actor = agent.user.actor;
        let public = form.get("public") != Some("0");
        let typed = form
            .get("body")
            .filter(|b| !b.trim().is_empty())
            .map(|b| CommentInput {
                body: Some(b.to_string()),
                public: Some(public),
                ..Default::default()
            });
        // A macro's changes go in the same audit; what the agent typed (the
        // macro's text, edited, when the page's script filled it in) wins
        // over the macro's own comment.
        let mut input = match form.get("macro").and_then(|m| m.parse().ok()) {
            Some(m) => ui.app.apply_macro(actor, m, Some(id)).await?.into_input(),
            None => TicketInput::default(),
        };
        if typed.is_some() {
            input.comment = typed;
        }
        reply_window::apply_template(&ui, actor, &form, public, &mut input).await?;
        let Some(comment) = input.comment.as_mut() else {
            return Err(AppError::field(app::FieldError::blank("body")));
        };
        if let Some(via) = form.get("reply_via").filter(|v| !v.is_empty()) {
            comment.reply_via = Some(
                via.parse()
                    .map_err(|e: domain::UnknownWord| AppError::bad(e.to_string()))?,
            );
        }
        comment.buttons = reply_window::buttons(&form);
        if let Some(s) = form.get("status").filter(|s| !s.is_empty()) {
            let s: Status = s
                .parse()
                .map_err(|e: domain::UnknownWord| AppError::bad(e.to_string()))?;
            let current = ui.app.ticket(actor, id).await?.status;
            if s != current {
                input.status = Some(s);
            }
        }
        let public = input.comment.as_ref().and_then(|c| c.public) != Some(false);
        ui.app
            .update_ticket(agent.user.actor, id, input, Channel::Web)
            .await?;
        let done = if public { "reply" } else { "note" };
        Ok::<_, AppError>(
            Redirect::to(&format!("/agent/tickets/{}?done={done}", id.0)).into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/tickets/{id}/chat/end`: the agent ends the chat going on
/// for the ticket (the visitor is told; the case stays as it is).
pub async fn end_chat(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        ui.app.end_chat_on_ticket(agent.user.actor, id).await?;
        Ok::<_, AppError>(Redirect::to(&format!("/agent/tickets/{}", id.0)).into_response())
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/tickets/{id}`: the properties panel. Saved only if nobody
/// changed the ticket since the page was drawn; otherwise the page comes
/// back with the current values and says so (409).
pub async fn save(
    State(ui): State<Ui>,
    Path(raw): Path<String>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        let input = props_input(&form)?;
        match ui
            .app
            .update_ticket(agent.user.actor, id, input, Channel::Web)
            .await
        {
            Ok(_) => {
                Ok(Redirect::to(&format!("/agent/tickets/{}?done=saved", id.0)).into_response())
            }
            Err(AppError::Conflict(_)) => render_page(&ui, &agent, id, None, true, None).await,
            Err(e) => Err(e),
        }
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// The properties form as a ticket change.
fn props_input(form: &Form) -> Result<TicketInput, AppError> {
    let bad = |e: domain::UnknownWord| AppError::bad(e.to_string());
    let opt_id = |k: &str| -> Option<i64> { form.get(k).and_then(|v| v.parse().ok()) };
    let mut input = TicketInput {
        expected_audit: form
            .get("version")
            .and_then(|v| v.parse().ok())
            .map(AuditId),
        assignee_id: Some(opt_id("assignee_id").map(UserId)),
        group_id: Some(opt_id("group_id").map(GroupId)),
        tags: Some(
            form.get("tags")
                .unwrap_or("")
                .split([' ', ','])
                .filter(|t| !t.is_empty())
                .map(str::to_string)
                .collect(),
        ),
        ..Default::default()
    };
    if let Some(s) = form.get("status").filter(|s| !s.is_empty()) {
        input.status = Some(s.parse().map_err(bad)?);
    }
    input.priority = Some(match form.get("priority").filter(|s| !s.is_empty()) {
        Some(p) => Some(p.parse().map_err(bad)?),
        None => None,
    });
    input.ticket_type = Some(match form.get("type").filter(|s| !s.is_empty()) {
        Some(p) => Some(p.parse().map_err(bad)?),
        None => None,
    });
    // A checkbox sends a hidden "false" then, if ticked, "true": the last
    // value of a field wins.
    let mut custom: Vec<(FieldId, Json)> = Vec::new();
    for (k, v) in &form.0 {
        if let Some(id) = k
            .strip_prefix("custom_field_")
            .and_then(|i| i.parse::<i64>().ok())
        {
            custom.retain(|(f, _)| f.0 != id);
            custom.push((FieldId(id), Json::String(v.clone())));
        }
    }
    input.custom_fields = custom;
    Ok(input)
}

/// `GET /agent/tickets/{id}/macros/{macro}`: what a macro would write and
/// set, for the reply box to show before sending (nothing is saved).
pub async fn macro_preview(
    State(ui): State<Ui>,
    agent: Agent,
    Path((raw, mid)): Path<(String, String)>,
) -> Response {
    let inner = async {
        let id = ticket_id(&raw)?;
        let mid: domain::MacroId = mid.parse().map_err(|_| AppError::NotFound)?;
        let effect = ui.app.apply_macro(agent.user.actor, mid, Some(id)).await?;
        let (body, public) = effect
            .comment
            .as_ref()
            .map_or((String::new(), true), |(b, _, p)| (b.clone(), *p));
        Ok::<_, AppError>(
            axum::Json(serde_json::json!({
                "body": body,
                "public": public,
                "status": effect.status.map(|s| s.as_str()),
            }))
            .into_response(),
        )
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `GET /agent/attachments/{id}`: a file of a comment, as a download.
pub async fn attachment(State(ui): State<Ui>, agent: Agent, Path(raw): Path<String>) -> Response {
    let id = match raw.parse() {
        Ok(id) => AttachmentId(id),
        Err(_) => return error_page(&agent, &AppError::NotFound),
    };
    match ui.app.attachment(agent.user.actor, id).await {
        Ok((a, data)) => download(&a, data),
        Err(e) => error_page(&agent, &e),
    }
}

/// A stored file as a download, never rendered inline by a browser (a
/// customer's HTML or SVG must not run on our origin). The API serves
/// files the same way.
pub fn download(a: &domain::model::Attachment, data: Vec<u8>) -> Response {
    let mut r = (StatusCode::OK, data).into_response();
    let h = r.headers_mut();
    for (name, value) in app::uploads::download_headers(a) {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    r
}
