//! "Talk to a person" after the answer bot: a signed-in customer's
//! question goes to the team with what the bot offered (onto their open
//! request where they have one), and the page says when a person will
//! answer. An anonymous visitor is taken to the request form with their
//! question filled in (it confirms their address first).

use crate::Site;
use crate::form::{self, Form};
use crate::locale::SiteLocale;
use crate::pages::{encode, failure, not_found_in, rendered_page};
use crate::reader::Reader;
use crate::view::Frame;
use crate::words::{self, Words};
use app::answer_bot::BotAnswer;
use app::handover::{ExpectedReply, HandOver};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// The bot's box on the search page.
pub struct BotBox {
    /// The best article and its snippet, where the bot answered.
    pub answer: Option<(String, String, String)>,
    /// What the bot says when it hands over (why), or the offer of a
    /// person under an answer.
    pub note: &'static str,
    pub token: String,
    /// Signed in: the hand-over form posts here with this token.
    pub csrf: Option<String>,
    pub action: String,
    /// Anonymous: the request form, with the question filled in.
    pub request_href: String,
}

/// The box for one answer of the bot to `query`.
pub fn bot_box(l: SiteLocale, reader: &Reader, t: &Words, query: &str, a: &BotAnswer) -> BotBox {
    let note = match a.reason {
        app::answer_bot::Reason::Answered => t.bot_person_intro,
        app::answer_bot::Reason::AskedForPerson | app::answer_bot::Reason::HandoverTopic => {
            t.bot_asked_for_person
        }
        _ => t.bot_no_answer,
    };
    BotBox {
        answer: a.articles.first().map(|x| {
            (
                crate::view::place_path(
                    domain::model::HelpCenterKind::Article,
                    &x.locale,
                    x.article_id.0,
                    &x.title,
                ),
                x.title.clone(),
                x.snippet.clone(),
            )
        }),
        note,
        token: a.token.clone(),
        csrf: reader.session.as_ref().map(|(_, c)| c.clone()),
        action: format!("/hc/{}/handover", l.code()),
        request_href: format!(
            "/hc/{}/requests/new?subject={}&description={}",
            l.code(),
            encode(&query.chars().take(150).collect::<String>()),
            encode(query)
        ),
    }
}

#[derive(Template)]
#[template(path = "hc_handover.html")]
struct HandedOverPage {
    frame: Frame,
    done: String,
    when: String,
    request: String,
}

/// `POST /hc/{locale}/handover` (signed in): `token`, `details`.
pub async fn hand_over(
    State(site): State<Site>,
    Path(locale): Path<String>,
    reader: Reader,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let Some((actor, csrf)) = reader.session.clone() else {
        return crate::portal::to_sign_in(l, false);
    };
    let f = Form::parse(&body);
    let t = words::of(l.lang());
    if !form::same_origin(&site, &headers) || !form::same_secret(&csrf, f.get("csrf").unwrap_or(""))
    {
        return (StatusCode::FORBIDDEN, t.form_expired).into_response();
    }
    let request = HandOver {
        tokens: f.get("token").map(str::to_string).into_iter().collect(),
        details: f.get("details").unwrap_or("").to_string(),
        locale: l.code().to_string(),
    };
    match site.app.hand_over_to_person(actor, request).await {
        Ok(h) => {
            let when = match &h.reply {
                ExpectedReply::Soon => t.handover_soon.to_string(),
                ExpectedReply::OpensAt(at, zone) => t.opens_at(*at, zone),
            };
            let p = HandedOverPage {
                frame: Frame::new(l, t.handover_title.to_string()).for_reader(&reader),
                done: t.handed_over(h.ticket.0, h.continued),
                when,
                request: format!("/hc/{}/requests/{}", l.code(), h.ticket.0),
            };
            rendered_page(StatusCode::OK, "private, no-store", &p)
        }
        Err(e) => failure(l.lang(), &e),
    }
}
