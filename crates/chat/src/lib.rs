//! The live chat adapter. It serves the widget (our own ES module and
//! stylesheet), the widget's calls under `/chat/v1/{key}/…` (the page's
//! origin checked against the widget's allowed sites on every one), its
//! WebSocket with a long-poll fallback, and the chat channel's sender. It
//! only translates: who the visitor is, the bot, the hand-over and the
//! case are the core's (`app::chat`).

mod files;
mod sender;
mod socket;
mod visitor;
mod wire;

pub use sender::spawn_sender;

use app::App;
use axum::Router;
use axum::routing::{get, post};

/// The widget's routes.
pub fn routes(app: App) -> Router {
    Router::new()
        .route("/chat/widget.js", get(visitor::script))
        .route("/chat/widget.css", get(visitor::stylesheet))
        .route("/chat/v1/{key}/session", post(visitor::session))
        .route("/chat/v1/{key}/lines", post(visitor::send_line))
        .route("/chat/v1/{key}/poll", post(visitor::poll))
        .route("/chat/v1/{key}/person", post(visitor::ask_for_person))
        .route("/chat/v1/{key}/email", post(visitor::reply_address))
        .route("/chat/v1/{key}/files", post(files::send))
        .route("/chat/files/{line}/{key}/{name}", get(files::download))
        .route("/chat/v1/{key}/typing", post(visitor::typing))
        .route("/chat/v1/{key}/end", post(visitor::end))
        .route("/chat/v1/{key}/survey", post(visitor::survey))
        .route("/chat/v1/{key}/socket", get(socket::upgrade))
        .with_state(app)
}
