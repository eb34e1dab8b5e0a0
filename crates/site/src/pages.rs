//! The help center's pages: front page, category, section, article and
//! search. Each reads one use case and renders; anything not public is
//! "not found", exactly like a page that does not exist.

use crate::Site;
use crate::locale::SiteLocale;
use crate::reader::Reader;
use crate::view::{
    Frame, Link, article_link, category_link, section_link, segment, summary, title_link,
};
use crate::words;
use app::AppError;
use app::help_center::id_of_slug;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::model::HelpCenterKind;
use i18n::Lang;
use serde::Deserialize;

/// Search results per page.
const PER_PAGE: i64 = 10;

/// `/hc`: the front page in the browser's language.
pub async fn root(headers: HeaderMap) -> Response {
    Redirect::to(&format!(
        "/hc/{}",
        SiteLocale::of(browser_lang(&headers)).code()
    ))
    .into_response()
}

#[derive(Template)]
#[template(path = "hc_home.html")]
struct HomePage {
    frame: Frame,
    categories: Vec<CategoryBlock>,
    promoted: Vec<Link>,
}

/// A category and its sections' links (front and category pages).
struct CategoryBlock {
    link: Link,
    description: String,
    sections: Vec<SectionBlock>,
}

/// A section and its articles' links.
struct SectionBlock {
    link: Link,
    description: String,
    /// How many public articles it holds (more than listed, on a category page).
    count: i64,
    articles: Vec<Link>,
    /// "See all 42 articles", when not all are listed.
    more: Option<String>,
}

pub async fn home(
    State(site): State<Site>,
    reader: Reader,
    Path(locale): Path<String>,
    headers: HeaderMap,
) -> Response {
    let l = match SiteLocale::exact(&locale) {
        Some(l) => l,
        None => return elsewhere(&locale, "", &headers),
    };
    match site.app.help_center_home(&reader.audience, l.code()).await {
        Ok(home) => {
            let mut frame = Frame::new(l, String::new()).for_reader(&reader);
            frame.description = frame.t.search_placeholder.to_string();
            frame.canonical = Some(site.url(&headers, &frame.home()));
            frame.alternates = SiteLocale::all()
                .map(|x| (x.code(), site.url(&headers, &crate::view::home_path(x))))
                .collect();
            page(
                &reader,
                &HomePage {
                    categories: home
                        .categories
                        .iter()
                        .map(|c| category_block(c, words::of(l.lang())))
                        .collect(),
                    promoted: home.promoted.iter().map(title_link).collect(),
                    frame,
                },
            )
        }
        Err(e) => failure(l.lang(), &e),
    }
}

#[derive(Template)]
#[template(path = "hc_category.html")]
struct CategoryPage {
    frame: Frame,
    category: CategoryBlock,
}

pub async fn category(
    State(site): State<Site>,
    reader: Reader,
    Path((locale, part)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (l, id) = match place(&locale, &part, HelpCenterKind::Category, &headers) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match site
        .app
        .help_center_category(&reader.audience, l.code(), domain::CategoryId(id))
        .await
    {
        Ok(p) => {
            let block = category_block(&p, words::of(l.lang()));
            let mut frame = Frame::new(l, block.link.text.to_string()).for_reader(&reader);
            frame.description = summary(&p.category.description);
            frame.canonical = Some(site.url(&headers, &block.link.href));
            page(
                &reader,
                &CategoryPage {
                    frame,
                    category: block,
                },
            )
        }
        Err(e) => failure(l.lang(), &e),
    }
}

#[derive(Template)]
#[template(path = "hc_section.html")]
struct SectionPage {
    frame: Frame,
    category: Link,
    section: SectionBlock,
}

pub async fn section(
    State(site): State<Site>,
    reader: Reader,
    Path((locale, part)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let (l, id) = match place(&locale, &part, HelpCenterKind::Section, &headers) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    match site
        .app
        .help_center_section(&reader.audience, l.code(), domain::SectionId(id))
        .await
    {
        Ok(p) => {
            let block = section_block(&p.section, words::of(l.lang()));
            let mut frame = Frame::new(l, block.link.text.to_string()).for_reader(&reader);
            frame.description = summary(&p.section.section.description);
            frame.canonical = Some(site.url(&headers, &block.link.href));
            page(
                &reader,
                &SectionPage {
                    frame,
                    category: category_link(&p.category),
                    section: block,
                },
            )
        }
        Err(e) => failure(l.lang(), &e),
    }
}

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default)]
    query: String,
    #[serde(default)]
    page: Option<String>,
}

#[derive(Template)]
#[template(path = "hc_search.html")]
struct SearchPage {
    frame: Frame,
    heading: String,
    /// How many were found, what to do when none were, or what to type.
    outcome: String,
    hits: Vec<Hit>,
    previous: Option<String>,
    next: Option<String>,
    /// The answer bot's suggestion and the way to a person.
    bot: Option<crate::handover::BotBox>,
}

struct Hit {
    link: Link,
    /// Escaped text with the matches in `<em>`.
    snippet: String,
}

pub async fn search(
    State(site): State<Site>,
    reader: Reader,
    Path(locale): Path<String>,
    Query(params): Query<SearchParams>,
    client: Option<axum::Extension<app::guard::Client>>,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return elsewhere(&locale, "/search", &headers);
    };
    let query: String = params.query.trim().chars().take(200).collect();
    let page_no = params
        .page
        .as_deref()
        .and_then(|p| p.parse::<i64>().ok())
        .unwrap_or(1)
        .clamp(1, 100);
    let t = words::of(l.lang());
    let (hits, total) = if query.is_empty() {
        (Vec::new(), 0)
    } else {
        match site
            .app
            .help_center_search(
                &reader.audience,
                &query,
                l.code(),
                (page_no - 1) * PER_PAGE,
                PER_PAGE,
            )
            .await
        {
            Ok(found) => found,
            Err(e) => return failure(l.lang(), &e),
        }
    };
    let at = |n: i64| {
        format!(
            "{}?query={}&page={n}",
            crate::view::search_path(l),
            encode(&query)
        )
    };
    // The bot on the first page of a search (each question is recorded,
    // so as many a minute per network as the request form's suggestions).
    let network = client
        .map(|axum::Extension(c)| c)
        .unwrap_or_default()
        .network();
    let bot = if query.is_empty() || page_no > 1 || !site.suggestions.take(network) {
        None
    } else {
        let user = reader.session.as_ref().map(|(a, _)| a.user);
        match site.app.answer_bot(user, &query, Some(l.code()), 1).await {
            Ok(a) => Some(crate::handover::bot_box(l, &reader, t, &query, &a)),
            Err(e) => {
                tracing::warn!(error = %e, "the answer bot failed on a search");
                None
            }
        }
    };
    let mut frame = Frame::new(l, t.search.to_string()).for_reader(&reader);
    frame.query = query.clone();
    // With the bot's box the page is this visitor's own (its token).
    let cache = if reader.signed_in() || bot.is_some() {
        "private, no-store"
    } else {
        PUBLIC_CACHE
    };
    rendered_page(
        StatusCode::OK,
        cache,
        &SearchPage {
            bot,
            heading: if query.is_empty() {
                t.search.to_string()
            } else {
                t.results(&query)
            },
            outcome: if query.is_empty() {
                t.empty_query.to_string()
            } else if total == 0 {
                t.no_results(&query)
            } else {
                t.result_count(total)
            },
            hits: hits
                .iter()
                .map(|h| Hit {
                    link: article_link(&h.article),
                    snippet: h.snippet.clone(),
                })
                .collect(),
            previous: (page_no > 1).then(|| at(page_no - 1)),
            next: (page_no * PER_PAGE < total).then(|| at(page_no + 1)),
            frame,
        },
    )
}

fn category_block(p: &app::help_center::CategoryPage, t: &words::Words) -> CategoryBlock {
    CategoryBlock {
        link: category_link(&p.category),
        description: p.category.description.clone(),
        sections: p.sections.iter().map(|s| section_block(s, t)).collect(),
    }
}

fn section_block(s: &app::help_center::SectionWithArticles, t: &words::Words) -> SectionBlock {
    let listed = i64::try_from(s.articles.len()).unwrap_or(i64::MAX);
    SectionBlock {
        link: section_link(&s.section),
        description: s.section.description.clone(),
        count: s.count,
        articles: s.articles.iter().map(title_link).collect(),
        more: (listed > 0 && s.count > listed).then(|| t.more(s.count)),
    }
}

/// The locale and id a page's address names (`/hc/es/articles/42-como`),
/// or the answer for one that names none of ours: a redirect to our
/// locale of that language (carrying only the parsed id, never what the
/// client wrote), else "not found".
pub(crate) fn place(
    locale: &str,
    part: &str,
    kind: HelpCenterKind,
    headers: &HeaderMap,
) -> Result<(SiteLocale, i64), Response> {
    let id = id_of_slug(part);
    let Some(l) = SiteLocale::exact(locale) else {
        let rest = id.map_or_else(String::new, |id| format!("/{}/{id}", segment(kind)));
        return Err(elsewhere(locale, &rest, headers));
    };
    id.map(|id| (l, id)).ok_or_else(|| not_found(l.lang()))
}

/// An address with a locale we do not have: the same page in the locale
/// of that language if we have one (`/hc/en/…` → `/hc/en-us/…`), else
/// "not found" in the browser's language.
fn elsewhere(locale: &str, rest: &str, headers: &HeaderMap) -> Response {
    match SiteLocale::near(locale) {
        Some(l) => Redirect::permanent(&format!("/hc/{}{rest}", l.code())).into_response(),
        None => not_found(browser_lang(headers)),
    }
}

/// "Not found" in the browser's language (an address with a locale we do
/// not have).
pub(crate) fn not_found_in(headers: &HeaderMap) -> Response {
    not_found(browser_lang(headers))
}

fn browser_lang(headers: &HeaderMap) -> Lang {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Es, Lang::from_accept_language)
}

/// Query-string encoding (a search, a form's fields filled in).
pub(crate) fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[derive(Template)]
#[template(path = "hc_error.html")]
struct ErrorPage {
    frame: Frame,
    heading: &'static str,
    message: &'static str,
}

fn not_found(lang: Lang) -> Response {
    let l = SiteLocale::of(lang);
    let t = words::of(lang);
    let frame = Frame::new(l, t.not_found_title.to_string());
    let body = ErrorPage {
        frame,
        heading: t.not_found_title,
        message: t.not_found,
    };
    rendered_page(StatusCode::NOT_FOUND, PUBLIC_CACHE, &body)
}

/// A use case's refusal as a page: "not found" for anything missing or
/// not public, a logged error page for anything else.
/// A page that only says something (a refused link), with its status.
pub(crate) fn message_page(
    l: SiteLocale,
    status: StatusCode,
    heading: &'static str,
    message: &'static str,
) -> Response {
    let body = ErrorPage {
        frame: Frame::new(l, heading.to_string()),
        heading,
        message,
    };
    rendered_page(status, "no-store", &body)
}

pub(crate) fn failure(lang: Lang, e: &AppError) -> Response {
    match e {
        AppError::NotFound | AppError::Forbidden(_) | AppError::Unauthorized => not_found(lang),
        // What was sent cannot be taken as it is: said in words, not a 500.
        AppError::Invalid(_) | AppError::BadRequest { .. } => {
            let l = SiteLocale::of(lang);
            let t = words::of(lang);
            let body = ErrorPage {
                frame: Frame::new(l, t.invalid_title.to_string()),
                heading: t.invalid_title,
                message: t.invalid,
            };
            rendered_page(StatusCode::UNPROCESSABLE_ENTITY, "no-store", &body)
        }
        other => {
            tracing::error!(error = %other, "help center page failed");
            let l = SiteLocale::of(lang);
            let t = words::of(lang);
            let body = ErrorPage {
                frame: Frame::new(l, t.error_title.to_string()),
                heading: t.error_title,
                message: t.error,
            };
            rendered_page(StatusCode::INTERNAL_SERVER_ERROR, "no-store", &body)
        }
    }
}

/// A page for its reader: the same for every visitor (a shared cache may
/// keep it a minute), or one signed-in reader's own (kept by none).
pub(crate) fn page(reader: &Reader, p: &impl Template) -> Response {
    let cache = if reader.signed_in() {
        "private, no-store"
    } else {
        PUBLIC_CACHE
    };
    rendered_page(StatusCode::OK, cache, p)
}

/// Public pages change when someone edits them: short, so edits show soon.
const PUBLIC_CACHE: &str = "public, max-age=60";

pub(crate) fn rendered_page(
    status: StatusCode,
    cache: &'static str,
    p: &impl Template,
) -> Response {
    match p.render() {
        Ok(html) => (status, [(header::CACHE_CONTROL, cache)], Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "help center template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

impl Site {
    /// A whole address for a path: the configured public address, else
    /// the request's host (checked to be a host name, never echoed raw).
    pub(crate) fn url(&self, headers: &HeaderMap, path: &str) -> String {
        if let Some(base) = &self.public_url {
            return format!("{base}{path}");
        }
        let host = headers
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .filter(|h| {
                !h.is_empty()
                    && h.len() <= 255
                    && h.chars()
                        .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
            })
            .unwrap_or("localhost");
        format!("http://{host}{path}")
    }
}
