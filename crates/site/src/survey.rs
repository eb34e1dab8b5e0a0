//! A survey's page, reached by the signed link in a survey message: the
//! one-click answer in the link's query (`?csat=good`, `?nps=9`) is
//! recorded as the page opens; the form takes the rest (CES, a comment,
//! the reason for a bad rating) and any change of mind. A tampered link
//! is refused with 400, an expired one with 410, each with a page that
//! says so. A `HEAD` (a mail scanner's check) records nothing.

use crate::Site;
use crate::form::{self, Form};
use crate::locale::SiteLocale;
use crate::pages::{message_page, rendered_page};
use crate::view::Frame;
use crate::words;
use app::AppError;
use app::surveys::LinkProblem;
use app::surveys::answer::{Reply, SurveyView};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::RatingScore;
use domain::survey::{REASON_CODES, SurveyKind};
use i18n::Arg;

/// One choice of a question.
struct Choice {
    value: String,
    label: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "hc_survey.html")]
struct SurveyPage {
    frame: Frame,
    about: Option<String>,
    problem: Option<String>,
    answered: bool,
    thanks: String,
    review: bool,
    review_action: String,
    action: String,
    question: String,
    is_csat: bool,
    main_name: &'static str,
    main_options: Vec<Choice>,
    reasons: Vec<Choice>,
    ces_question: Option<String>,
    ces_options: Vec<Choice>,
    comment: String,
}

/// The scale `range` as choices, the ends labelled.
fn scale(
    range: std::ops::RangeInclusive<i64>,
    now: Option<i64>,
    ends: (&str, &str),
) -> Vec<Choice> {
    let (first, last) = (*range.start(), *range.end());
    range
        .map(|n| Choice {
            value: n.to_string(),
            label: if n == first {
                format!("{n} — {}", ends.0)
            } else if n == last {
                format!("{n} — {}", ends.1)
            } else {
                n.to_string()
            },
            checked: now == Some(n),
        })
        .collect()
}

fn page(l: SiteLocale, token: &str, v: &SurveyView, problem: Option<String>) -> SurveyPage {
    let t = words::of(l.lang());
    let lang = l.lang();
    let is_csat = v.kind == SurveyKind::Csat;
    let main_options = if is_csat {
        [
            (RatingScore::Good, t.survey_good),
            (RatingScore::Bad, t.survey_bad),
        ]
        .into_iter()
        .map(|(s, label)| Choice {
            value: s.as_str().into(),
            label: label.into(),
            checked: v.csat == Some(s),
        })
        .collect()
    } else {
        scale(0..=10, v.nps, (t.survey_nps_low, t.survey_nps_high))
    };
    let base = format!("/hc/{}/survey/{token}", l.code());
    SurveyPage {
        frame: Frame::new(l, t.survey_title.to_string()),
        about: v.ticket.as_ref().map(|(id, subject)| {
            i18n::with(
                lang,
                "survey-about-case",
                &[
                    ("ticket", Arg::Number(id.0)),
                    ("subject", Arg::Text(subject)),
                ],
            )
        }),
        problem,
        answered: v.answered(),
        thanks: v.thanks.clone(),
        review: v.review,
        review_action: format!("{base}/review"),
        action: base,
        question: v.question.clone(),
        is_csat,
        main_name: if is_csat { "csat" } else { "nps" },
        main_options,
        reasons: REASON_CODES
            .iter()
            .map(|&code| Choice {
                value: code.to_string(),
                label: i18n::text(lang, &format!("survey-reason-{code}")),
                checked: v.reason_code == code,
            })
            .collect(),
        ces_question: v.ces_question.clone(),
        ces_options: scale(1..=7, v.ces, (t.survey_ces_low, t.survey_ces_high)),
        comment: v.comment.clone().unwrap_or_default(),
    }
}

/// The page for a refused link.
fn refused(l: SiteLocale, p: LinkProblem) -> Response {
    let t = words::of(l.lang());
    match p {
        LinkProblem::Invalid => message_page(
            l,
            StatusCode::BAD_REQUEST,
            t.survey_invalid_title,
            t.survey_invalid,
        ),
        LinkProblem::Expired => message_page(
            l,
            StatusCode::GONE,
            t.survey_expired_title,
            t.survey_expired,
        ),
    }
}

/// A number from a form or query, if it is one.
fn number(raw: &str) -> Option<i64> {
    raw.trim().parse().ok()
}

/// The answer in a link's query or a posted form.
fn reply_of(f: &Form) -> Result<Reply, AppError> {
    let bad =
        |field: &str, why: &str| AppError::Invalid(vec![app::FieldError::invalid(field, why)]);
    let csat = match f.text("csat").as_str() {
        "" => None,
        raw => Some(
            raw.parse()
                .map_err(|_| bad("csat", "must be good or bad"))?,
        ),
    };
    let whole = |key: &str| -> Result<Option<i64>, AppError> {
        match f.text(key).as_str() {
            "" => Ok(None),
            raw => number(raw)
                .map(Some)
                .ok_or_else(|| bad(key, "must be a number")),
        }
    };
    Ok(Reply {
        csat,
        ces: whole("ces")?,
        nps: whole("nps")?,
        comment: Some(f.text("comment")).filter(|c| !c.is_empty()),
        reason_code: whole("reason_code")?,
    })
}

/// Records `reply` (nothing for a bare visit) and renders the survey.
async fn answer(
    site: &Site,
    l: SiteLocale,
    token: &str,
    reply: Result<Reply, AppError>,
) -> Response {
    let outcome = match reply {
        Ok(r) => site.app.answer_survey(token, r).await,
        Err(e) => Err(e),
    };
    match outcome {
        Ok(Ok(v)) => rendered_page(StatusCode::OK, "no-store", &page(l, token, &v, None)),
        Ok(Err(p)) => refused(l, p),
        Err(AppError::Invalid(errors)) => {
            // Said on the page, over the survey as it stands.
            let problem = errors
                .iter()
                .map(|e| e.description.clone())
                .collect::<Vec<_>>()
                .join("; ");
            let words = i18n::with(
                l.lang(),
                "survey-problem",
                &[("problem", Arg::Text(&problem))],
            );
            match site.app.survey_page(token).await {
                Ok(Ok(v)) => rendered_page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "no-store",
                    &page(l, token, &v, Some(words)),
                ),
                Ok(Err(p)) => refused(l, p),
                Err(e) => crate::pages::failure(l.lang(), &e),
            }
        }
        Err(e) => crate::pages::failure(l.lang(), &e),
    }
}

/// `GET /hc/{locale}/survey/{token}`: the one-click answer of the link,
/// recorded, and the page.
pub async fn open(
    State(site): State<Site>,
    Path((locale, token)): Path<(String, String)>,
    method: Method,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::near(&locale) else {
        return crate::pages::not_found_in(&headers);
    };
    if method == Method::HEAD {
        return StatusCode::OK.into_response();
    }
    let f = Form::parse(query.unwrap_or_default().as_bytes());
    answer(&site, l, &token, reply_of(&f)).await
}

/// `POST /hc/{locale}/survey/{token}`: the form's answers (only from this
/// site's pages).
pub async fn post(
    State(site): State<Site>,
    Path((locale, token)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(l) = SiteLocale::near(&locale) else {
        return crate::pages::not_found_in(&headers);
    };
    if !form::same_origin(&site, &headers) {
        let t = words::of(l.lang());
        return message_page(
            l,
            StatusCode::FORBIDDEN,
            t.survey_invalid_title,
            t.form_expired,
        );
    }
    answer(&site, l, &token, reply_of(&Form::parse(&body))).await
}

/// `GET /hc/{locale}/survey/{token}/review`: to the review site admins
/// set (the click recorded), or back to the survey.
pub async fn review(
    State(site): State<Site>,
    Path((locale, token)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::near(&locale) else {
        return crate::pages::not_found_in(&headers);
    };
    match site.app.follow_survey_review(&token).await {
        Ok(Ok(Some(link))) => Redirect::to(&link).into_response(),
        Ok(Ok(None)) => Redirect::to(&format!("/hc/{}/survey/{token}", l.code())).into_response(),
        Ok(Err(p)) => refused(l, p),
        Err(e) => crate::pages::failure(l.lang(), &e),
    }
}
