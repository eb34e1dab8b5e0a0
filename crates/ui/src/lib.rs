//! The agent workspace: server-rendered pages (askama) served by the same
//! binary as the API, in Spanish and English, with one small hand-written
//! ES module for partial updates and live events over one WebSocket.
//! Handlers only extract, call a use case and render; rules stay in `app`.

mod admin;
mod admin_bot;
mod admin_channels;
mod admin_chat;
mod admin_email;
mod admin_look;
mod admin_phone;
mod admin_rules;
mod admin_surveys;
mod admin_suspended;
mod articles;
mod assets;
mod chrome;
mod customer;
mod desk_calls;
mod desk_chats;
mod i18n;
mod live;
mod login;
mod oauth;
mod play;
mod queue;
mod reports;
mod session;
mod ticket;
mod view;

use app::App;
use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;

pub use ticket::download;

/// Shared state of the pages.
#[derive(Clone)]
pub struct Ui {
    app: App,
    /// Who is looking at or replying to which ticket (per node).
    presence: Arc<live::Presence>,
}

/// The workspace's routes, to merge into the server's router.
pub fn router(app: App) -> Router {
    let ui = Ui {
        presence: live::Presence::start(app.clone()),
        app,
    };
    Router::new()
        .route(
            "/",
            get(|| async { axum::response::Redirect::to("/agent") }),
        )
        .route("/login", get(login::form).post(login::submit))
        .route("/logout", post(login::logout))
        .route("/agent", get(queue::queue_page))
        .route("/agent/search", get(queue::search_page))
        .route("/agent/bulk", post(queue::bulk))
        .route("/oauth/authorizations/new", get(oauth::ask))
        .route("/oauth/authorizations", post(oauth::decide))
        .route("/agent/play", get(play::start))
        .route("/agent/play/skip", post(play::skip))
        .route("/agent/language", post(login::language))
        .route("/agent/presence", post(login::presence))
        .route("/agent/tickets/{id}", get(ticket::page).post(ticket::save))
        .route("/agent/tickets/{id}/timeline", get(ticket::timeline))
        .route("/agent/tickets/{id}/reply", post(ticket::reply))
        .route("/agent/tickets/{id}/chat/end", post(ticket::end_chat))
        .route(
            "/agent/tickets/{id}/chat/transfer",
            post(desk_chats::transfer),
        )
        .route("/agent/chats/tabs", get(desk_chats::tabs))
        .route(
            "/agent/calls/{id}/customer",
            post(desk_calls::create_customer),
        )
        .route("/agent/calls/{id}/recording", get(ticket::call_recording))
        .route("/agent/tickets/{id}/call", post(ticket::place_call))
        .route("/agent/tickets/{id}/goodwill", post(ticket::record_gesture))
        .route("/agent/chats/{id}/accept", post(desk_chats::accept))
        .route("/agent/chats/{id}/decline", post(desk_chats::decline))
        .route(
            "/agent/tickets/{id}/macros/{macro_id}",
            get(ticket::macro_preview),
        )
        .route("/agent/attachments/{id}", get(ticket::attachment))
        .merge(article_pages(ui.clone()))
        .route(
            "/agent/customers/{id}/identities",
            post(customer::add_identity),
        )
        .route(
            "/agent/customers/{id}/identities/{identity}/delete",
            post(customer::delete_identity),
        )
        .route(
            "/agent/customers/{id}/merge",
            get(customer::preview).post(customer::merge),
        )
        .route("/agent/customers/merges/{id}", get(customer::done))
        .route("/agent/customers/merges/{id}/undo", post(customer::undo))
        .route(
            "/agent/admin",
            get(|| async { axum::response::Redirect::to("/agent/admin/agents") }),
        )
        .merge(admin_pages(ui.clone()))
        .route("/agent/reports", get(reports::page))
        .route("/agent/reports/tickets", get(reports::tickets))
        .route("/agent/reports/export", get(reports::export))
        .route("/agent/reports/weekly", post(reports::weekly))
        .route(
            "/agent/reports/problems",
            get(reports::problems::page).post(reports::problems::settings),
        )
        .route("/agent/live", get(live::socket))
        .route("/assets/agent.js", get(assets::script))
        .route("/assets/agent.css", get(assets::style))
        .with_state(ui)
}

/// Article authoring: every page behind one check (signed in, and one
/// who writes articles), before any form or file is read.
fn article_pages(ui: Ui) -> Router<Ui> {
    Router::new()
        .route(
            "/agent/articles",
            get(articles::list).post(articles::create),
        )
        .route(
            "/agent/articles/{id}",
            get(articles::edit).post(articles::save),
        )
        .route("/agent/articles/{id}/attachments", post(articles::upload))
        .route(
            "/agent/articles/{id}/attachments/{file}/delete",
            post(articles::delete_attachment),
        )
        .route(
            "/agent/articles/{id}/revisions/{revision}/restore",
            post(articles::restore),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            ui,
            session::writers_only,
        ))
}

/// The admin pages: every one behind one check (signed in, and an admin),
/// before any form is read; the use cases check again.
fn admin_pages(ui: Ui) -> Router<Ui> {
    Router::new()
        .route(
            "/agent/admin/agents",
            get(admin::agents).post(admin::invite),
        )
        .route("/agent/admin/agents/{id}", post(admin::update_agent))
        .route(
            "/agent/admin/groups",
            get(admin::groups).post(admin::create_group),
        )
        .route("/agent/admin/groups/{id}/delete", post(admin::delete_group))
        .route(
            "/agent/admin/fields",
            get(admin::fields).post(admin::create_field),
        )
        .route("/agent/admin/fields/{id}/delete", post(admin::delete_field))
        .route(
            "/agent/admin/views",
            get(admin::views).post(admin::create_view),
        )
        .route("/agent/admin/views/{id}/delete", post(admin::delete_view))
        .route(
            "/agent/admin/tokens",
            get(admin::tokens).post(admin::create_token),
        )
        .route("/agent/admin/tokens/{id}/delete", post(admin::revoke_token))
        .route("/agent/admin/email", get(admin_email::page))
        .route("/agent/admin/email/{id}/retry", post(admin_email::retry))
        .route(
            "/agent/admin/email/mailboxes",
            post(admin_email::create_mailbox),
        )
        .route(
            "/agent/admin/email/mailboxes/{id}",
            post(admin_email::update_mailbox),
        )
        .route(
            "/agent/admin/email/mailboxes/{id}/delete",
            post(admin_email::delete_mailbox),
        )
        .route(
            "/agent/admin/email/templates",
            post(admin_email::save_templates),
        )
        .route("/agent/admin/bot", get(admin_bot::page))
        .route(
            "/agent/admin/chat",
            get(admin_chat::page).post(admin_chat::create),
        )
        .route("/agent/admin/chat/{id}", post(admin_chat::save))
        .route(
            "/agent/admin/channels",
            get(admin_channels::page).post(admin_channels::create),
        )
        .route("/agent/admin/channels/{id}", post(admin_channels::save))
        .route(
            "/agent/admin/channels/{id}/test",
            post(admin_channels::test),
        )
        .route(
            "/agent/admin/channels/{id}/delete",
            post(admin_channels::delete),
        )
        .route(
            "/agent/admin/channels/templates",
            post(admin_channels::add_template),
        )
        .route(
            "/agent/admin/channels/templates/{id}/delete",
            post(admin_channels::delete_template),
        )
        .route(
            "/agent/admin/phone",
            get(admin_phone::page).post(admin_phone::create),
        )
        .route("/agent/admin/phone/{id}", post(admin_phone::save))
        .route("/agent/admin/phone/{id}/delete", post(admin_phone::delete))
        .route("/agent/admin/chat/{id}/delete", post(admin_chat::delete))
        .route("/agent/admin/bot/topics", post(admin_bot::save_topics))
        .route(
            "/agent/admin/look",
            get(admin_look::page).post(admin_look::save),
        )
        .route(
            "/agent/admin/surveys",
            get(admin_surveys::page).post(admin_surveys::save),
        )
        .route("/agent/admin/suspended", get(admin_suspended::page))
        .route(
            "/agent/admin/suspended/{id}/recover",
            post(admin_suspended::recover),
        )
        .route(
            "/agent/admin/suspended/{id}/delete",
            post(admin_suspended::delete),
        )
        .route("/agent/admin/rules", get(admin_rules::rules))
        .route("/agent/admin/rules/{kind}", post(admin_rules::create_rule))
        .route(
            "/agent/admin/rules/{kind}/{id}",
            post(admin_rules::update_rule),
        )
        .route(
            "/agent/admin/rules/{kind}/{id}/delete",
            post(admin_rules::delete_rule),
        )
        .route("/agent/admin/sla", get(admin_rules::sla))
        .route(
            "/agent/admin/sla/schedules",
            post(admin_rules::create_schedule),
        )
        .route(
            "/agent/admin/sla/schedules/{id}",
            post(admin_rules::update_schedule),
        )
        .route(
            "/agent/admin/sla/schedules/{id}/delete",
            post(admin_rules::delete_schedule),
        )
        .route(
            "/agent/admin/sla/policies",
            post(admin_rules::create_policy),
        )
        .route(
            "/agent/admin/sla/policies/{id}",
            post(admin_rules::update_policy),
        )
        .route(
            "/agent/admin/sla/policies/{id}/delete",
            post(admin_rules::delete_policy),
        )
        .route("/agent/admin/routing", get(admin_rules::routing))
        .route(
            "/agent/admin/routing/settings",
            post(admin_rules::save_routing),
        )
        .route(
            "/agent/admin/routing/attributes",
            post(admin_rules::create_attribute),
        )
        .route(
            "/agent/admin/routing/attributes/{id}/delete",
            post(admin_rules::delete_attribute),
        )
        .route(
            "/agent/admin/routing/agents/{id}",
            post(admin_rules::save_agent_routing),
        )
        .route(
            "/agent/admin/webhooks",
            get(admin_rules::webhooks).post(admin_rules::create_webhook),
        )
        .route(
            "/agent/admin/webhooks/{id}/delete",
            post(admin_rules::delete_webhook),
        )
        .route(
            "/agent/admin/webhooks/{id}/test",
            post(admin_rules::test_webhook),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            ui,
            session::admins_only,
        ))
}
