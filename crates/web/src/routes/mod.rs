//! The API's routes, grouped by resource. Every handler here is thin.

mod account;
mod activities;
mod answer_bot;
mod article_comments;
mod article_files;
mod audit_logs;
mod business;
mod calls;
mod channels;
mod chat;
mod chat_conversations;
mod counts;
mod definitions;
mod deleted;
mod export;
mod goodwill;
mod help_center;
mod help_center_translations;
mod hooks;
mod jobs;
mod mailboxes;
pub(crate) mod oauth;
mod orgs;
mod people;
mod profile_fields;
mod requests;
mod roles;
mod routing;
mod rules;
mod search;
mod sessions;
mod settings;
mod skips;
mod surveys;
mod suspended;
mod talk;
mod ticket_forms;
mod tickets;
mod uploads;
mod voice;

use crate::Api;
use crate::error::{ApiError, ApiResult, json_response};
use axum::Router;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

pub fn api_routes() -> Router<Api> {
    Router::new()
        .merge(tickets::routes())
        .merge(answer_bot::routes())
        .merge(people::routes())
        .merge(requests::routes())
        .merge(orgs::routes())
        .merge(settings::routes())
        .merge(search::routes())
        .merge(export::routes())
        .merge(uploads::routes())
        .merge(jobs::routes())
        .merge(help_center::routes())
        .merge(help_center_translations::routes())
        .merge(article_files::routes())
        .merge(rules::routes())
        .merge(mailboxes::routes())
        .merge(business::routes())
        .merge(hooks::routes())
        .merge(routing::routes())
        .merge(surveys::routes())
        .merge(suspended::routes())
        .merge(ticket_forms::routes())
        .merge(calls::routes())
        .merge(voice::routes())
        .merge(account::routes())
        .merge(goodwill::routes())
        .merge(activities::routes())
        .merge(article_comments::routes())
        .merge(audit_logs::routes())
        .merge(counts::routes())
        .merge(oauth::routes())
        .merge(roles::routes())
        .merge(sessions::routes())
        .merge(skips::routes())
        .merge(deleted::routes())
        .merge(definitions::routes())
        .merge(profile_fields::routes())
        .merge(talk::routes())
        .merge(channels::routes())
        .merge(chat::routes())
        .merge(chat_conversations::routes())
}

pub async fn not_found() -> Response {
    ApiError::App(app::AppError::NotFound).into_response()
}

pub fn ok(body: impl serde::Serialize) -> ApiResult {
    Ok(json_response(StatusCode::OK, &body))
}

pub fn created(body: impl serde::Serialize) -> ApiResult {
    Ok(json_response(StatusCode::CREATED, &body))
}

pub fn no_content() -> ApiResult {
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// A numeric id from the path; anything else cannot name a record.
pub fn path_id<T: domain::ids::Id>(s: &str) -> Result<T, ApiError> {
    s.parse::<i64>()
        .ok()
        .filter(|i| *i > 0)
        .map(T::from_raw)
        .ok_or(ApiError::App(app::AppError::NotFound))
}

/// The `ids` parameter: comma-separated, at most 100.
pub fn ids_param<T: domain::ids::Id>(ctx: &crate::ctx::Ctx, key: &str) -> Result<Vec<T>, ApiError> {
    let raw = ctx.params_all(key);
    if raw.len() > 100 {
        return Err(ApiError::TooMany(format!("{key}: at most 100 values")));
    }
    raw.iter()
        .map(|s| {
            s.parse::<i64>()
                .map(T::from_raw)
                .map_err(|_| ApiError::BadRequest(format!("{key}: {s} is not an id")))
        })
        .collect()
}

/// First and last ids of a page, for cursors.
pub fn bounds<T>(items: &[T], id: impl Fn(&T) -> i64) -> (Option<i64>, Option<i64>) {
    (items.first().map(&id), items.last().map(&id))
}
