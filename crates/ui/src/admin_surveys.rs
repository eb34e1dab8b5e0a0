//! Surveys, set by admins: CSAT after a solved case (when, for which
//! cases, CES beside it), NPS rounds (how often, how seldom per customer,
//! to whom), what a low score starts, where a happy customer may leave a
//! review, and the questions in each language. The use case checks every
//! value; this page only reads the form and says what was refused.

use crate::Ui;
use crate::chrome::{chrome, error_page, render};
use crate::session::{Agent, AgentForm, Form};
use crate::view::Chrome;
use app::{AppError, Paging};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use domain::survey::{FollowUpAction, SurveySettings, SurveyTexts};
use domain::{Role, UserId, UserSegmentId};

const ALL: Paging = Paging::Offset {
    page: 1,
    per_page: 1000,
};

/// An option of a select: (value, label, chosen).
type Choice = (String, String, bool);

/// The words admins may set for one language, as the form shows them.
struct TextsRow {
    locale: &'static str,
    name: &'static str,
    texts: SurveyTexts,
    review: String,
}

#[derive(Template)]
#[template(path = "admin_surveys.html")]
struct SurveysPage {
    chrome: Chrome,
    section: &'static str,
    secret: Option<String>,
    s: SurveySettings,
    skip_tags: String,
    actions: Vec<Choice>,
    leads: Vec<Choice>,
    segments: Vec<Choice>,
    languages: Vec<TextsRow>,
    problems: Vec<String>,
}

/// The page for `s`, with the agents a task may go to and the segments
/// NPS may ask.
async fn page_of(
    ui: &Ui,
    agent: &Agent,
    s: SurveySettings,
    problems: Vec<String>,
) -> Result<SurveysPage, AppError> {
    let actor = agent.user.actor;
    let chrome = chrome(ui, agent, None, "", None).await?;
    let t = chrome.t;
    let (staff, _) = ui
        .app
        .list_users(actor, &[Role::Agent, Role::Admin], None, None, ALL)
        .await?;
    let segments = ui.app.user_segments(actor).await?;
    let chosen_lead = s.low_score.lead;
    let chosen_segment = s.nps.segment;
    let action_word = |a: FollowUpAction| match a {
        FollowUpAction::Nothing => t.survey_follow_nothing,
        FollowUpAction::Reopen => t.survey_follow_reopen,
        FollowUpAction::Task => t.survey_follow_task,
    };
    let languages = [("es", "Español"), ("en", "English")]
        .into_iter()
        .map(|(locale, name)| TextsRow {
            locale,
            name,
            texts: s.texts.get(locale).cloned().unwrap_or_default(),
            review: s.review_links.get(locale).cloned().unwrap_or_default(),
        })
        .collect();
    Ok(SurveysPage {
        section: "surveys",
        secret: None,
        skip_tags: s.csat.skip_tags.join(" "),
        actions: FollowUpAction::ALL
            .iter()
            .map(|&a| {
                let word = action_word(a).to_string();
                (a.as_str().to_string(), word, a == s.low_score.action)
            })
            .collect(),
        leads: std::iter::once((
            String::new(),
            t.survey_group_queue.to_string(),
            chosen_lead.is_none(),
        ))
        .chain(staff.iter().filter(|u| u.active).map(|u| {
            (
                u.id.0.to_string(),
                u.name.clone(),
                chosen_lead == Some(u.id),
            )
        }))
        .collect(),
        segments: std::iter::once((
            String::new(),
            t.survey_every_customer.to_string(),
            chosen_segment.is_none(),
        ))
        .chain(segments.iter().map(|g| {
            (
                g.id.0.to_string(),
                g.name.clone(),
                chosen_segment == Some(g.id),
            )
        }))
        .collect(),
        languages,
        problems,
        s,
        chrome,
    })
}

/// `GET /agent/admin/surveys` (admins: the admin pages' layer checks).
pub async fn page(State(ui): State<Ui>, agent: Agent) -> Response {
    let inner = async {
        let s = ui.app.survey_settings(agent.user.actor).await?;
        Ok::<_, AppError>(render(
            StatusCode::OK,
            &page_of(&ui, &agent, s, Vec::new()).await?,
        ))
    };
    inner.await.unwrap_or_else(|e| error_page(&agent, &e))
}

/// A whole number from the form; `fallback` when it is not one (the use
/// case then keeps ranges).
fn number(form: &Form, key: &str, fallback: i64) -> i64 {
    form.get(key)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(fallback)
}

/// The settings the form describes.
fn read_form(form: &Form, current: &SurveySettings) -> SurveySettings {
    let on = |key: &str| form.get(key) == Some("1");
    let text = |key: &str| form.get(key).unwrap_or("").trim().to_string();
    let mut s = current.clone();
    s.csat.enabled = on("csat_enabled");
    s.csat.delay_minutes = number(form, "csat_delay_hours", 24) * 60;
    s.csat.skip_tags = text("skip_tags")
        .split_whitespace()
        .map(str::to_string)
        .collect();
    s.csat.require_agent_reply = on("require_agent_reply");
    s.csat.ask_ces = on("ask_ces");
    s.nps.enabled = on("nps_enabled");
    s.nps.every_days = number(form, "nps_every_days", 30);
    s.nps.quiet_days = number(form, "nps_quiet_days", 90);
    s.nps.segment = form
        .get("nps_segment")
        .and_then(|v| v.parse().ok())
        .map(UserSegmentId);
    s.low_score.action = form
        .get("low_score")
        .and_then(|v| v.parse().ok())
        .unwrap_or(FollowUpAction::Reopen);
    s.low_score.lead = form.get("lead").and_then(|v| v.parse().ok()).map(UserId);
    s.link_days = number(form, "link_days", 28);
    s.review_links.clear();
    s.texts.clear();
    for locale in ["es", "en"] {
        let review = text(&format!("review_{locale}"));
        if !review.is_empty() {
            s.review_links.insert(locale.into(), review);
        }
        let texts = SurveyTexts {
            csat_question: text(&format!("csat_question_{locale}")),
            ces_question: text(&format!("ces_question_{locale}")),
            nps_question: text(&format!("nps_question_{locale}")),
            thanks: text(&format!("thanks_{locale}")),
        };
        if texts != SurveyTexts::default() {
            s.texts.insert(locale.into(), texts);
        }
    }
    s
}

/// `POST /agent/admin/surveys`.
pub async fn save(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let actor = agent.user.actor;
    let current = match ui.app.survey_settings(actor).await {
        Ok(s) => s,
        Err(e) => return error_page(&agent, &e),
    };
    let wanted = read_form(&form, &current);
    match ui.app.set_survey_settings(actor, wanted.clone()).await {
        Ok(_) => Redirect::to("/agent/admin/surveys").into_response(),
        Err(AppError::Invalid(errors)) => {
            let problems = errors.iter().map(|e| e.description.clone()).collect();
            match page_of(&ui, &agent, wanted, problems).await {
                Ok(p) => render(StatusCode::UNPROCESSABLE_ENTITY, &p),
                Err(e) => error_page(&agent, &e),
            }
        }
        Err(e) => error_page(&agent, &e),
    }
}
