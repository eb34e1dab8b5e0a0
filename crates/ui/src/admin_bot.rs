//! The answer bot's admin page: which signals it uses, the month's
//! figures, the questions no article answers (the knowledge gaps), and the
//! latest questions with what the bot did and what the customer said.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::i18n::Text;
use crate::session::Agent;
use crate::view::{Chrome, Clock};
use app::AppError;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

struct Question {
    at: String,
    at_iso: String,
    text: String,
    locale: String,
    outcome: String,
    feedback: String,
}

struct GapRow {
    example: String,
    /// The example, encoded for the new article's title.
    example_query: String,
    times: usize,
    last: String,
}

#[derive(Template)]
#[template(path = "admin_bot.html")]
struct BotPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    translation: bool,
    /// The hand-over topics, one per line.
    topics: String,
    meaning: bool,
    texts: usize,
    encoded: usize,
    /// (label, figure) for the last 30 days.
    figures: Vec<(&'static str, i64)>,
    gaps: Vec<GapRow>,
    recent: Vec<Question>,
}

fn outcome(t: &Text, a: &app::answer_bot::BotReportQuestion) -> String {
    if !a.handover {
        return format!(
            "{} ({} {})",
            t.bot_answered,
            a.articles.len(),
            t.bot_articles
        );
    }
    let why = match a.reason.as_str() {
        "asked_for_person" => t.bot_reason_asked_for_person,
        "handover_topic" => t.bot_reason_topic,
        "nothing_to_answer" => t.bot_reason_nothing_to_answer,
        _ => t.bot_reason_no_good_match,
    };
    format!("{}: {why}", t.bot_handed_over)
}

fn feedback(t: &Text, a: &app::answer_bot::BotReportQuestion) -> String {
    let mut parts = Vec::new();
    if a.resolved.is_some() {
        parts.push(t.bot_helped.to_string());
    }
    if a.rejected.is_some() {
        parts.push(t.bot_did_not_help.to_string());
    }
    if let Some(o) = a.opened {
        parts.push(format!("{} #{o}", t.bot_opened));
    }
    if let Some(r) = a.ticket {
        parts.push(format!("{} #{r}", t.bot_request));
    }
    parts.join(" · ")
}

/// `GET /agent/admin/bot`.
pub async fn page(State(ui): State<Ui>, agent: Agent) -> Response {
    let inner = async {
        let r = ui.app.answer_bot_report(agent.user.actor).await?;
        let t = agent.t();
        let clock = Clock::new(&agent.user.time_zone);
        let recent = r
            .recent
            .iter()
            .map(|a| {
                let (at, at_iso) = clock.show(a.at);
                Question {
                    at,
                    at_iso,
                    text: a.enquiry.clone(),
                    locale: a.locale.clone(),
                    outcome: outcome(t, a),
                    feedback: feedback(t, a),
                }
            })
            .collect();
        let gaps = r
            .gaps
            .iter()
            .map(|g| GapRow {
                example: g.example.clone(),
                example_query: crate::view::enc(&g.example),
                times: g.times,
                last: clock.show(g.last).0,
            })
            .collect();
        Ok::<_, AppError>(render(
            StatusCode::OK,
            &BotPage {
                chrome: chrome(&ui, &agent, None, "", None).await?,
                section: "bot",
                secret: None,
                translation: r.translation,
                topics: r.topics.clone(),
                meaning: r.meaning,
                texts: r.texts,
                encoded: r.encoded,
                figures: vec![
                    (t.bot_answered, r.answered),
                    (t.bot_handed_over, r.handed_over),
                    (t.bot_helped, r.resolved),
                    (t.bot_did_not_help, r.rejected),
                    (t.bot_deflected, r.deflected),
                ],
                gaps,
                recent,
            },
        ))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// `POST /agent/admin/bot/topics`: the topics the bot always hands over.
pub async fn save_topics(
    State(ui): State<Ui>,
    crate::session::AgentForm { agent, form }: crate::session::AgentForm,
) -> Response {
    match ui
        .app
        .set_handover_topics(agent.user.actor, form.get("topics").unwrap_or(""))
        .await
    {
        Ok(()) => axum::response::IntoResponse::into_response(axum::response::Redirect::to(
            "/agent/admin/bot",
        )),
        Err(e) => error_page(&agent, &e),
    }
}
