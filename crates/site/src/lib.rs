//! The customer-facing pages, served by the same binary as the API: the
//! public help center (`/hc/{locale}/…`) in Spanish and English, with
//! Zendesk's help-center addresses (`/hc/es/articles/42-como-cambiar`), a
//! sitemap, canonical and alternate links. Handlers only read through
//! `app` and render; what is public is decided there.

mod article_files;
mod article_page;
mod assets;
mod form;
mod handover;
mod locale;
mod my_requests;
mod pages;
mod portal;
mod reader;
mod request_form;
mod sitemap;
mod survey;
mod view;
mod votes;
mod words;

use app::App;
use axum::Router;
use axum::routing::{get, post};

/// Shared state of the site's pages.
#[derive(Clone)]
pub struct Site {
    app: App,
    /// Where people reach us (`https://ayuda.example.com`); canonical links
    /// and the sitemap need whole addresses. Without it, the request's host.
    public_url: Option<String>,
    /// Suggestions asked per network in the current minute (each is a
    /// question to the bot, recorded).
    suggestions: std::sync::Arc<request_form::SuggestionLimit>,
}

/// The site's routes, to merge into the server's router.
pub fn router(app: App, public_url: Option<String>) -> Router {
    Router::new()
        .route("/hc", get(pages::root))
        .route("/hc/", get(pages::root))
        .route("/hc/sitemap.xml", get(sitemap::sitemap))
        .route("/hc/assets/site.css", get(assets::style))
        .route(
            "/hc/article_attachments/{id}/{name}",
            get(article_files::download),
        )
        .route("/hc/{locale}", get(pages::home))
        .route("/hc/{locale}/", get(pages::home))
        .route("/hc/{locale}/categories/{slug}", get(pages::category))
        .route("/hc/{locale}/sections/{slug}", get(pages::section))
        .route("/hc/{locale}/articles/{slug}", get(article_page::article))
        .route(
            "/hc/{locale}/articles/{slug}/comments",
            post(article_page::comment),
        )
        .route("/hc/{locale}/articles/{slug}/vote", post(votes::vote))
        .route("/hc/{locale}/search", get(pages::search))
        .route(
            "/hc/{locale}/survey/{token}",
            get(survey::open).post(survey::post),
        )
        .route("/hc/{locale}/survey/{token}/review", get(survey::review))
        .route("/hc/{locale}/handover", post(handover::hand_over))
        .route(
            "/hc/{locale}/signin",
            get(portal::sign_in).post(portal::password),
        )
        .route("/hc/{locale}/signin/link", post(portal::send_link))
        .route(
            "/hc/{locale}/signin/link/{token}",
            get(portal::link).post(portal::use_link),
        )
        .route("/hc/{locale}/signout", post(portal::sign_out))
        .route("/hc/assets/request-form.js", get(assets::request_form))
        .route("/hc/assets/logo", get(assets::logo))
        .route("/hc/{locale}/requests", get(my_requests::list))
        .route(
            "/hc/{locale}/requests/new",
            get(request_form::new).post(request_form::submit),
        )
        .route("/hc/{locale}/requests/suggest", get(request_form::suggest))
        .route(
            "/hc/{locale}/requests/{id}/attachments/{file}",
            get(my_requests::attachment),
        )
        .route("/hc/{locale}/requests/deflect", get(request_form::deflect))
        .route(
            "/hc/{locale}/requests/{id}",
            get(my_requests::show).post(my_requests::reply),
        )
        .with_state(Site {
            app,
            public_url: public_url.map(|u| u.trim_end_matches('/').to_string()),
            suggestions: Default::default(),
        })
}
