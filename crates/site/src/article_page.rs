//! An article's page: the article, its breadcrumbs, translations, votes,
//! files, related articles and readers' comments, with a form to comment
//! for signed-in readers.

use crate::Site;
use crate::locale::SiteLocale;
use crate::pages::{failure, page, place};
use crate::reader::Reader;
use crate::view::{
    Frame, Link, article_link, category_link, date, section_link, summary, title_link,
};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use domain::model::HelpCenterKind;
use serde::Deserialize;

/// A comment as the page shows it.
pub struct CommentView {
    pub id: i64,
    pub author: String,
    pub date: String,
    pub date_iso: String,
    /// Sanitised when it was saved.
    pub body: String,
}

/// The comments part of an article's page.
pub struct CommentBox {
    pub comments: Vec<CommentView>,
    /// Where a signed-in reader's comment posts, and their CSRF token.
    pub form: Option<(String, String)>,
    /// The article takes no comments.
    pub closed: bool,
}

/// An article's comments for this reader (none if they cannot be read).
async fn comment_box(
    site: &Site,
    reader: &Reader,
    a: &domain::model::Article,
    href: &str,
) -> CommentBox {
    let lang = i18n::Lang::from_locale(&a.locale);
    let comments = site
        .app
        .article_comments_shown(a)
        .await
        // The article still shows if its comments cannot be read now.
        .unwrap_or_else(|e| {
            tracing::warn!(error = %e, article = a.id.0, "an article's comments could not be read");
            Vec::new()
        })
        .into_iter()
        .map(|(m, author)| CommentView {
            id: m.id.0,
            author,
            date: date(lang, m.created_at),
            date_iso: m.created_at.to_iso(),
            body: m.body,
        })
        .collect();
    CommentBox {
        comments,
        form: reader
            .session
            .as_ref()
            .filter(|_| !a.comments_disabled)
            .map(|(_, csrf)| (format!("{href}/comments"), csrf.clone())),
        closed: a.comments_disabled,
    }
}

#[derive(Template)]
#[template(path = "hc_article.html")]
struct ArticlePage {
    frame: Frame,
    category: Link,
    section: Link,
    title: String,
    /// Sanitised when it was saved.
    body: String,
    updated: String,
    updated_iso: String,
    related: Vec<Link>,
    /// Files to download.
    files: Vec<Link>,
    /// Where the "was this helpful?" buttons post.
    vote_action: String,
    /// The reader has just answered.
    voted: bool,
    /// "3 of 4 found this helpful", once someone has answered.
    helpful: Option<String>,
    /// For a user segment, not everyone: the reader is told so (and it
    /// takes no visitor votes).
    restricted: bool,
    /// Readers' comments, and where a signed-in reader writes one.
    comments: CommentBox,
}

#[derive(Deserialize)]
pub struct ArticleParams {
    #[serde(default)]
    voted: Option<String>,
}

pub async fn article(
    State(site): State<Site>,
    reader: Reader,
    Path((locale, part)): Path<(String, String)>,
    Query(params): Query<ArticleParams>,
    headers: HeaderMap,
) -> Response {
    let (l, id) = match place(&locale, &part, HelpCenterKind::Article, &headers) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match site
        .app
        .help_center_article(&reader.audience, l.code(), domain::ArticleId(id))
        .await
    {
        Ok(p) => {
            let link = article_link(&p.article);
            let mut frame = Frame::new(l, p.article.title.to_string()).for_reader(&reader);
            frame.description = summary(&app::sanitize::html_to_text(&p.article.body));
            frame.canonical = Some(site.url(&headers, &link.href));
            let paths: Vec<(SiteLocale, String)> = p
                .translations
                .iter()
                .filter_map(|(code, title)| {
                    let other = SiteLocale::exact(code)?;
                    Some((
                        other,
                        crate::view::place_path(HelpCenterKind::Article, code, id, title),
                    ))
                })
                .collect();
            frame.translated(&paths, |path| site.url(&headers, path));
            page(
                &reader,
                &ArticlePage {
                    category: category_link(&p.category),
                    section: section_link(&p.section),
                    title: p.article.title.clone(),
                    body: p.article.body.clone(),
                    updated: date(l.lang(), p.article.edited_at),
                    updated_iso: p.article.edited_at.to_iso(),
                    related: p.related.iter().map(title_link).collect(),
                    files: p
                        .files
                        .iter()
                        .map(|f| Link {
                            href: app::help_center::article_attachment_path(f),
                            text: f.file_name.clone(),
                        })
                        .collect(),
                    vote_action: format!("{}/vote", link.href),
                    voted: params.voted.is_some(),
                    restricted: p.article.user_segment_id.is_some(),
                    comments: comment_box(&site, &reader, &p.article, &link.href).await,
                    helpful: (p.article.vote_count > 0).then(|| {
                        let up = (p.article.vote_count + p.article.vote_sum) / 2;
                        frame.t.helpful_count(up, p.article.vote_count)
                    }),
                    frame,
                },
            )
        }
        Err(e) => failure(l.lang(), &e),
    }
}

/// `POST /hc/{locale}/articles/{slug}/comments` (`body`, `csrf`): a
/// signed-in reader's comment, as plain text; back to it on the page.
pub async fn comment(
    State(site): State<Site>,
    reader: Reader,
    Path((locale, part)): Path<(String, String)>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let (Some(l), Some(id)) = (
        SiteLocale::exact(&locale),
        app::help_center::id_of_slug(&part),
    ) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let Some((actor, csrf)) = reader.session.clone() else {
        return crate::portal::to_sign_in(l, false);
    };
    let f = crate::form::Form::parse(&body);
    if !crate::form::same_origin(&site, &headers)
        || !crate::form::same_secret(&csrf, f.get("csrf").unwrap_or(""))
    {
        return (
            StatusCode::FORBIDDEN,
            crate::words::of(l.lang()).form_expired,
        )
            .into_response();
    }
    let html = app::sanitize::text_to_html(f.get("body").unwrap_or(""));
    match site
        .app
        .comment_on_article(actor, domain::ArticleId(id), Some(l.code()), &html)
        .await
    {
        // Back by the article's id alone: nothing typed goes into the URL.
        Ok(m) => Redirect::to(&format!(
            "/hc/{}/articles/{id}#comment-{}",
            l.code(),
            m.id.0
        ))
        .into_response(),
        Err(e) => failure(l.lang(), &e),
    }
}
