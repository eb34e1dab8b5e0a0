//! The phone's admin page: today's call figures (answered, abandoned,
//! voicemails, callbacks asked for and made, speed of answer, queue wait,
//! talk and wrap-up time, and each agent's), each voice line with the
//! addresses to give Twilio and its status line, what it does with callers
//! (languages, greeting, menu, queue, off hours, recording), new
//! credentials (never shown), and the form that connects a new line.

use crate::Ui;
use crate::admin_chat::base_url;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, Form};
use crate::view::Chrome;
use app::AppError;
use app::guard::Client;
use app::voice::{AgentActivity, LineInput, start_of_today};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::call_stats::Overview;
use domain::mail::Secret;
use domain::voice::{MenuOption, MenuTarget, Spoken, VoiceLine, VoiceSettings, WhenNobody};
use domain::{GroupId, ScheduleId, Timestamp, VoiceLineId};

/// Menu rows a line's form offers beyond its options.
const SPARE_ROWS: usize = 2;

/// One menu row of the form.
struct MenuRow {
    n: usize,
    digit: u8,
    label_es: String,
    label_en: String,
    /// `queue`, `group:{id}` or `message`.
    target: String,
    skills: String,
    message_es: String,
    message_en: String,
}

struct LineView {
    id: i64,
    name: String,
    number: String,
    incoming_url: String,
    status_url: String,
    last_call: String,
    last_error: String,
    enabled: bool,
    settings: VoiceSettings,
    menu: Vec<MenuRow>,
    /// Its schedule's id, 0 for the default one.
    schedule: i64,
    speaks_es: bool,
    speaks_en: bool,
    hold_music: String,
}

#[derive(Template)]
#[template(path = "admin_phone.html")]
struct PhonePage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    problem: Option<String>,
    overview: Overview,
    agents: Vec<AgentActivity>,
    lines: Vec<LineView>,
    groups: Vec<(String, String)>,
    schedules: Vec<(i64, String)>,
}

fn menu_rows(s: &VoiceSettings) -> Vec<MenuRow> {
    let mut rows: Vec<MenuRow> = s
        .menu
        .iter()
        .enumerate()
        .map(|(n, o)| {
            let (target, skills, message) = match &o.target {
                MenuTarget::Queue { group, skills } => (
                    group.map_or("queue".to_string(), |g| format!("group:{}", g.0)),
                    skills.join(", "),
                    Spoken::default(),
                ),
                MenuTarget::Message { text } => ("message".into(), String::new(), text.clone()),
            };
            MenuRow {
                n,
                digit: o.digit,
                label_es: o.label.es.clone(),
                label_en: o.label.en.clone(),
                target,
                skills,
                message_es: message.es,
                message_en: message.en,
            }
        })
        .collect();
    let used: Vec<u8> = rows.iter().map(|r| r.digit).collect();
    let mut free = (1..=9u8).filter(|d| !used.contains(d));
    for n in rows.len()..rows.len() + SPARE_ROWS {
        let Some(digit) = free.next() else { break };
        rows.push(MenuRow {
            n,
            digit,
            label_es: String::new(),
            label_en: String::new(),
            target: "queue".into(),
            skills: String::new(),
            message_es: String::new(),
            message_en: String::new(),
        });
    }
    rows
}

fn view(base: &str, l: &VoiceLine) -> LineView {
    LineView {
        id: l.id.0,
        name: l.name.clone(),
        number: l.number.clone(),
        incoming_url: format!("{base}{}", app::voice::hook_path(l.id, "incoming")),
        status_url: format!("{base}{}", app::voice::hook_path(l.id, "status")),
        last_call: l.last_call_at.map(|t| t.to_iso()).unwrap_or_default(),
        last_error: l.last_error.clone().unwrap_or_default(),
        enabled: l.enabled,
        settings: l.settings.clone(),
        menu: menu_rows(&l.settings),
        schedule: l.settings.schedule.map_or(0, |s| s.0),
        speaks_es: l.settings.languages.iter().any(|x| x == "es"),
        speaks_en: l.settings.languages.iter().any(|x| x == "en"),
        hold_music: l.settings.hold_music_url.clone().unwrap_or_default(),
    }
}

async fn show(
    ui: &Ui,
    agent: &Agent,
    base: &str,
    status: StatusCode,
    problem: Option<String>,
) -> Result<Response, AppError> {
    let actor = agent.user.actor;
    let today = start_of_today(Timestamp::now());
    let lines = ui.app.voice_lines(actor).await?;
    let schedules = ui
        .app
        .schedules(actor)
        .await?
        .into_iter()
        .map(|(s, _)| (s.id.0, s.name))
        .collect();
    Ok(render(
        status,
        &PhonePage {
            chrome: chrome(ui, agent, None, "", None).await?,
            section: "phone",
            secret: None,
            problem,
            overview: ui.app.call_overview(actor, today).await?,
            agents: ui.app.agents_call_activity(actor, today, &[]).await?,
            lines: lines.iter().map(|l| view(base, l)).collect(),
            groups: crate::ticket::group_choices(ui, agent)
                .await?
                .into_iter()
                .map(|(id, name)| (format!("group:{id}"), name))
                .collect(),
            schedules,
        },
    ))
}

async fn refused(ui: &Ui, agent: &Agent, base: &str, e: AppError) -> Response {
    match e {
        AppError::Invalid(fields) => {
            let problem = crate::chrome::refusal_words(&fields);
            show(
                ui,
                agent,
                base,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(problem),
            )
            .await
            .unwrap_or_else(|e| error_page(agent, &e))
        }
        other => error_page(agent, &other),
    }
}

fn text(form: &Form, key: &str) -> String {
    form.get(key).unwrap_or_default().trim().to_string()
}

fn secret(form: &Form, key: &str) -> Option<Secret> {
    form.get(key)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .map(Secret::new)
}

/// What a line's form says it does with callers; rows without a label
/// are left out.
fn settings_of(form: &Form) -> VoiceSettings {
    let mut languages: Vec<String> = ["es", "en"]
        .iter()
        .filter(|l| form.get(&format!("lang_{l}")).is_some())
        .map(|l| l.to_string())
        .collect();
    if let Some(first) = form.get("default_language")
        && let Some(i) = languages.iter().position(|l| l == first)
    {
        let l = languages.remove(i);
        languages.insert(0, l);
    }
    let mut menu = Vec::new();
    for n in 0..9 + SPARE_ROWS {
        let label = Spoken {
            es: text(form, &format!("menu_{n}_label_es")),
            en: text(form, &format!("menu_{n}_label_en")),
        };
        if label.es.is_empty() && label.en.is_empty() {
            continue;
        }
        let target = match form.get(&format!("menu_{n}_target")).unwrap_or("queue") {
            "message" => MenuTarget::Message {
                text: Spoken {
                    es: text(form, &format!("menu_{n}_message_es")),
                    en: text(form, &format!("menu_{n}_message_en")),
                },
            },
            other => MenuTarget::Queue {
                group: other
                    .strip_prefix("group:")
                    .and_then(|g| g.parse().ok())
                    .map(GroupId),
                skills: text(form, &format!("menu_{n}_skills"))
                    .split(',')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect(),
            },
        };
        menu.push(MenuOption {
            digit: form
                .get(&format!("menu_{n}_digit"))
                .and_then(|d| d.parse().ok())
                .unwrap_or(0),
            label,
            target,
        });
    }
    let number = |key: &str, default: i64| {
        form.get(key)
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(default)
    };
    let defaults = VoiceSettings::default();
    VoiceSettings {
        languages,
        greeting: Spoken {
            es: text(form, "greeting_es"),
            en: text(form, "greeting_en"),
        },
        menu,
        queue_timeout_secs: number("queue_timeout_secs", defaults.queue_timeout_secs),
        ring_secs: number("ring_secs", defaults.ring_secs),
        when_nobody: form
            .get("when_nobody")
            .and_then(|w| w.parse().ok())
            .unwrap_or(WhenNobody::Voicemail),
        offer_callback: form.get("offer_callback").is_some(),
        schedule: form
            .get("schedule")
            .and_then(|s| s.parse().ok())
            .map(ScheduleId),
        record_calls: form.get("record_calls").is_some(),
        hold_music_url: Some(text(form, "hold_music_url")).filter(|u| !u.is_empty()),
    }
}

/// `GET /agent/admin/phone`.
pub async fn page(
    State(ui): State<Ui>,
    agent: Agent,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    show(&ui, &agent, &base, StatusCode::OK, None)
        .await
        .unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/phone`: connects a line.
pub async fn create(
    State(ui): State<Ui>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let input = LineInput {
        name: Some(text(&form, "name")),
        number: Some(text(&form, "number")),
        account_sid: secret(&form, "account_sid"),
        auth_token: secret(&form, "auth_token"),
        api_base: Some(Some(text(&form, "api_base")).filter(|b| !b.is_empty())),
        settings: None,
        enabled: Some(true),
    };
    match ui.app.create_voice_line(agent.user.actor, input).await {
        Ok(_) => Redirect::to("/agent/admin/phone").into_response(),
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

fn line_id(raw: &str) -> Result<VoiceLineId, AppError> {
    raw.parse().map(VoiceLineId).map_err(|_| AppError::NotFound)
}

/// `POST /agent/admin/phone/{id}`: what the line does, and new
/// credentials if given.
pub async fn save(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    headers: HeaderMap,
    client: Option<Extension<Client>>,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let base = base_url(&headers, client.as_deref());
    let input = LineInput {
        name: Some(text(&form, "name")),
        account_sid: secret(&form, "account_sid"),
        auth_token: secret(&form, "auth_token"),
        settings: Some(settings_of(&form)),
        enabled: Some(form.get("enabled").is_some()),
        ..LineInput::default()
    };
    let done = match line_id(&id) {
        Ok(id) => ui
            .app
            .update_voice_line(agent.user.actor, id, input)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to("/agent/admin/phone").into_response(),
        Err(e) => refused(&ui, &agent, &base, e).await,
    }
}

/// `POST /agent/admin/phone/{id}/delete`.
pub async fn delete(
    State(ui): State<Ui>,
    Path(id): Path<String>,
    AgentForm { agent, .. }: AgentForm,
) -> Response {
    let done = match line_id(&id) {
        Ok(id) => ui.app.delete_voice_line(agent.user.actor, id).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Redirect::to("/agent/admin/phone").into_response(),
        Err(e) => error_page(&agent, &e),
    }
}
