//! "My requests" in the customer portal: the signed-in customer's requests
//! (open, solved, those they are copied on), one request's public
//! conversation, and the reply form (reply, copy others in, mark solved).
//! The rules — whose requests, what they may change — are `app::requests`.

use crate::Site;
use crate::form;
use crate::locale::SiteLocale;
use crate::pages::{failure, not_found_in, rendered_page};
use crate::reader::Reader;
use crate::view::{Frame, date};
use crate::words::{self, Words};
use app::AppError;
use app::requests::{RequestList, RequestUpdate};
use app::tickets::CommentInput;
use askama::Template;
use axum::extract::Request;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Actor, Channel, Status, TicketId};
use serde::Deserialize;

/// Requests per page of the list.
const PER_PAGE: i64 = 50;

#[derive(Deserialize)]
pub struct ListParams {
    #[serde(default)]
    list: Option<String>,
}

#[derive(Template)]
#[template(path = "hc_requests.html")]
struct ListPage {
    frame: Frame,
    /// (label, address, current) for open, solved, copied on.
    tabs: Vec<(&'static str, String, bool)>,
    rows: Vec<Row>,
}

struct Row {
    href: String,
    subject: String,
    id: i64,
    status: &'static str,
    updated: String,
}

/// The signed-in reader, or the answer that sends them to sign in.
#[allow(clippy::result_large_err)]
fn signed_in(reader: &Reader, l: SiteLocale) -> Result<(Actor, String), Response> {
    reader
        .session
        .clone()
        .ok_or_else(|| crate::portal::to_sign_in(l, true))
}

/// `GET /hc/{locale}/requests`.
pub async fn list(
    State(site): State<Site>,
    Path(locale): Path<String>,
    Query(params): Query<ListParams>,
    reader: Reader,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let (actor, _) = match signed_in(&reader, l) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let t = words::of(l.lang());
    let which = match params.list.as_deref() {
        Some("solved") => RequestList::Solved,
        Some("ccd") => RequestList::Ccd,
        _ => RequestList::Open,
    };
    let paging = app::Paging::Offset {
        page: 1,
        per_page: PER_PAGE,
    };
    let (items, _) = match site.app.requests(actor, which, paging).await {
        Ok(found) => found,
        Err(e) => return failure(l.lang(), &e),
    };
    let base = format!("/hc/{}/requests", l.code());
    let tabs = [
        (t.open, RequestList::Open, "open"),
        (t.solved, RequestList::Solved, "solved"),
        (t.ccd, RequestList::Ccd, "ccd"),
    ]
    .into_iter()
    .map(|(label, w, key)| (label, format!("{base}?list={key}"), w == which))
    .collect();
    let mut rows: Vec<Row> = items
        .iter()
        .map(|x| Row {
            href: format!("{base}/{}", x.id),
            subject: x.subject.clone(),
            id: x.id.0,
            status: t.status(x.status),
            updated: date(l.lang(), x.updated_at),
        })
        .collect();
    rows.sort_by(|a, b| b.id.cmp(&a.id));
    let p = ListPage {
        frame: Frame::new(l, t.my_requests.to_string()).for_reader(&reader),
        tabs,
        rows,
    };
    rendered_page(StatusCode::OK, "private, no-store", &p)
}

#[derive(Template)]
#[template(path = "hc_request.html")]
struct RequestPage {
    frame: Frame,
    heading: String,
    subject: String,
    status: &'static str,
    created: String,
    comments: Vec<CommentView>,
    /// Where the reply form posts; `None` once the request is closed.
    action: Option<String>,
    can_solve: bool,
    note: Option<&'static str>,
    notice: Option<&'static str>,
    problem: Option<String>,
    /// What the reader typed, kept when the reply was refused.
    body: String,
    ccs: String,
    csrf: String,
    /// How it went, once the request is solved: its survey's two links.
    survey: Option<SurveyLinks>,
}

/// A request's survey on its page.
struct SurveyLinks {
    question: String,
    good: String,
    bad: String,
    /// The answer given so far, in words.
    answered: Option<&'static str>,
}

struct CommentView {
    author: String,
    mine: bool,
    when: String,
    when_iso: String,
    /// Escaped text as paragraphs.
    html: String,
    /// Its files: (name, address).
    files: Vec<(String, String)>,
}

#[derive(Deserialize)]
pub struct RequestParams {
    #[serde(default)]
    sent: Option<String>,
}

/// `GET /hc/{locale}/requests/{id}`.
pub async fn show(
    State(site): State<Site>,
    Path((locale, id)): Path<(String, String)>,
    Query(params): Query<RequestParams>,
    reader: Reader,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let notice = params.sent.is_some().then_some(words::of(l.lang()).sent);
    render(
        &site,
        l,
        &reader,
        &id,
        Draft::default(),
        notice,
        StatusCode::OK,
    )
    .await
}

/// What a refused reply had, to show it again.
#[derive(Default)]
struct Draft {
    body: String,
    ccs: String,
    problem: Option<String>,
}

async fn render(
    site: &Site,
    l: SiteLocale,
    reader: &Reader,
    raw_id: &str,
    draft: Draft,
    notice: Option<&'static str>,
    status: StatusCode,
) -> Response {
    let (actor, csrf) = match signed_in(reader, l) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Some(id) = app::help_center::id_of_slug(raw_id).map(TicketId) else {
        return failure(l.lang(), &AppError::NotFound);
    };
    let p = match site.app.request_page(actor, id).await {
        Ok(p) => p,
        Err(e) => return failure(l.lang(), &e),
    };
    let t: &Words = words::of(l.lang());
    let name_of = |u: domain::UserId| {
        p.authors
            .iter()
            .find(|(id, _)| *id == u)
            .map_or_else(String::new, |(_, n)| n.clone())
    };
    let x = &p.ticket;
    let closed = x.status == Status::Closed;
    // Asked once the request is solved; a survey that cannot be shown
    // leaves the page as it is.
    let asked = if x.status.is_done() {
        site.app.request_survey(actor, id).await
    } else {
        Ok(None)
    };
    let survey = match asked {
        Ok(s) => s.map(|s| SurveyLinks {
            question: s.question,
            good: format!("{}?csat=good", s.address),
            bad: format!("{}?csat=bad", s.address),
            answered: s.answered.map(|a| match a {
                domain::model::RatingScore::Good => t.survey_good,
                _ => t.survey_bad,
            }),
        }),
        Err(e) => {
            tracing::warn!(error = %e, "the request's survey could not be read");
            None
        }
    };
    let page = RequestPage {
        frame: Frame::new(l, x.subject.to_string()).for_reader(reader),
        heading: t.request_title(x.id.0),
        subject: x.subject.clone(),
        status: t.status(x.status),
        created: date(l.lang(), x.created_at),
        comments: p
            .comments
            .iter()
            .map(|c| CommentView {
                author: name_of(c.author_id),
                mine: c.author_id == actor.user,
                when: date(l.lang(), c.created_at),
                when_iso: c.created_at.to_iso(),
                html: app::sanitize::text_to_html(&c.body),
                files: c
                    .attachments
                    .iter()
                    .map(|a| {
                        let href =
                            format!("/hc/{}/requests/{}/attachments/{}", l.code(), x.id, a.id);
                        (a.file_name.clone(), href)
                    })
                    .collect(),
            })
            .collect(),
        action: (!closed).then(|| format!("/hc/{}/requests/{}", l.code(), x.id)),
        can_solve: x.requester_id == actor.user && x.assignee_id.is_some() && !x.status.is_done(),
        note: match x.status {
            Status::Solved => Some(t.solved_note),
            Status::Closed => Some(t.closed_note),
            _ => None,
        },
        notice,
        problem: draft.problem,
        body: draft.body,
        ccs: draft.ccs,
        csrf,
        survey,
    };
    rendered_page(status, "private, no-store", &page)
}

/// `POST /hc/{locale}/requests/{id}`: the reply form.
pub async fn reply(
    State(site): State<Site>,
    Path((locale, raw_id)): Path<(String, String)>,
    reader: Reader,
    req: Request,
) -> Response {
    let headers = req.headers().clone();
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let Some((actor, csrf)) = reader.session.clone() else {
        return crate::portal::to_sign_in(l, false);
    };
    let t = words::of(l.lang());
    let (f, files) = match form::read_with_files(req).await {
        Ok(read) => read,
        Err(e) => {
            tracing::info!(error = %e, "a reply form could not be read");
            return (StatusCode::BAD_REQUEST, t.form_expired).into_response();
        }
    };
    let draft = |problem: String| Draft {
        body: f.get("body").unwrap_or("").to_string(),
        ccs: f.text("ccs"),
        problem: Some(problem),
    };
    // The page again with what was typed and what is wrong with it.
    let refuse = |problem: String| {
        render(
            &site,
            l,
            &reader,
            &raw_id,
            draft(problem),
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    if !form::same_origin(&site, &headers) || !form::same_secret(&csrf, f.get("csrf").unwrap_or(""))
    {
        let d = draft(t.form_expired.to_string());
        return render(&site, l, &reader, &raw_id, d, None, StatusCode::FORBIDDEN).await;
    }
    let Some(id) = app::help_center::id_of_slug(&raw_id).map(TicketId) else {
        return failure(l.lang(), &AppError::NotFound);
    };
    let mut ccs = Vec::new();
    for cc in f
        .text("ccs")
        .split([',', ';', ' '])
        .filter(|s| !s.is_empty())
    {
        match domain::user::normalize_email(cc) {
            Some(e) => ccs.push(e),
            None => {
                return refuse(t.cc_invalid(cc)).await;
            }
        }
    }
    if files.len() > form::MAX_FILES {
        let why = format!("{} > {}", files.len(), form::MAX_FILES);
        return refuse(t.field_invalid(t.attachments, &why)).await;
    }
    let mut uploads = Vec::new();
    for (name, kind, data) in files {
        match site
            .app
            .upload(actor, &name, kind.as_deref(), data, None)
            .await
        {
            Ok((token, _)) => uploads.push(token),
            Err(AppError::Invalid(errors)) => {
                let why = errors
                    .iter()
                    .map(|e| e.description.clone())
                    .collect::<Vec<_>>()
                    .join(" ");
                return refuse(t.field_invalid(&name, &why)).await;
            }
            Err(e) => return failure(l.lang(), &e),
        }
    }
    let text = f.get("body").unwrap_or("").trim().to_string();
    let update = RequestUpdate {
        comment: (!text.is_empty() || !uploads.is_empty()).then(|| CommentInput {
            body: Some(if text.is_empty() {
                "📎".to_string()
            } else {
                text.chars().take(65_536).collect()
            }),
            uploads,
            ..Default::default()
        }),
        solved: f.get("solved") == Some("1"),
        add_ccs: ccs,
    };
    match site
        .app
        .update_request(actor, id, update, Channel::Web)
        .await
    {
        Ok(_) => Redirect::to(&format!("/hc/{}/requests/{}?sent=1", l.code(), id)).into_response(),
        Err(AppError::Invalid(errors)) => {
            let says_blank = errors.iter().any(|e| e.field == "comment");
            let message = if says_blank {
                t.reply_empty.to_string()
            } else {
                errors
                    .iter()
                    .map(|e| e.description.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            render(
                &site,
                l,
                &reader,
                &raw_id,
                draft(message),
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => failure(l.lang(), &e),
    }
}

/// `GET /hc/{locale}/requests/{id}/attachments/{file}`: a file of the
/// request's public conversation, as a download (never shown inline: a
/// customer's HTML must not run on our origin).
pub async fn attachment(
    State(site): State<Site>,
    Path((locale, _request, raw)): Path<(String, String, String)>,
    reader: Reader,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let (actor, _) = match signed_in(&reader, l) {
        Ok(s) => s,
        Err(r) => return r,
    };
    let Ok(id) = raw.parse::<i64>() else {
        return failure(l.lang(), &AppError::NotFound);
    };
    match site.app.attachment(actor, domain::AttachmentId(id)).await {
        Ok((a, data)) => {
            let mut r = (StatusCode::OK, data).into_response();
            for (name, value) in app::uploads::download_headers(&a) {
                if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
                    r.headers_mut().insert(name, v);
                }
            }
            r
        }
        Err(e) => failure(l.lang(), &e),
    }
}
