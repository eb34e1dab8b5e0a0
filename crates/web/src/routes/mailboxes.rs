//! `/recipient_addresses`: the support addresses (Zendesk's name for them),
//! each optionally with an IMAP account (our extension: an `imap` object;
//! its password is accepted, never returned). Admins only.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire::{opt_ts, ts};
use app::FieldError;
use app::email::{ImapInput, MailboxInput};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::model::mailboxes::Mailbox;
use domain::{AfterFetch, ImapSecurity, MailboxId, Secret};
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/recipient_addresses", get(list).post(create))
        .route(
            "/api/v2/recipient_addresses/{id}",
            get(show).put(update).delete(destroy),
        )
}

fn wire(base: &str, m: &Mailbox) -> Json {
    let imap = m.imap.as_ref().map(|i| {
        json!({
            "host": i.host,
            "port": i.port,
            "security": i.security.as_str(),
            "username": i.username,
            "folder": i.folder,
            "after": i.after.as_str(),
            "move_to": i.move_to,
            "status": m.imap_status,
            "checked_at": opt_ts(m.imap_checked_at),
        })
    });
    let fetching = m
        .imap_status
        .as_deref()
        .is_some_and(|s| s.starts_with("connected"));
    json!({
        "id": m.id.0,
        "url": format!("{base}/api/v2/recipient_addresses/{}.json", m.id),
        "brand_id": null,
        "default": m.is_default,
        "email": m.address,
        "name": m.name,
        "forwarding_status": if fetching { "verified" } else { "unknown" },
        "spf_status": "unknown",
        "cname_status": "unknown",
        "domain_verification_status": "unknown",
        "imap": imap,
        "created_at": ts(m.created_at),
        "updated_at": ts(m.updated_at),
    })
}

/// `{"recipient_address": {…}}` with the optional `imap` object.
fn input(m: &Map<String, Json>) -> Result<MailboxInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = MailboxInput {
        address: f.string("email"),
        name: f.string("name"),
        is_default: f.boolean("default"),
        imap: None,
    };
    match m.get("imap") {
        None => {}
        Some(Json::Null) => input.imap = Some(None),
        Some(Json::Object(o)) => {
            let mut i = Fields::new(o);
            let port = match o.get("port") {
                None | Some(Json::Null) => None,
                Some(v) => match v.as_u64().and_then(|p| u16::try_from(p).ok()) {
                    Some(p) => Some(p),
                    None => {
                        i.errors
                            .push(FieldError::invalid("port", "must be 1 to 65535"));
                        None
                    }
                },
            };
            let imap = ImapInput {
                host: i.string("host").unwrap_or_default(),
                port,
                security: i.word::<ImapSecurity>("security").flatten(),
                username: i.string("username").unwrap_or_default(),
                password: i
                    .string("password")
                    .filter(|p| !p.is_empty())
                    .map(Secret::new),
                folder: i.string("folder"),
                after: i.word::<AfterFetch>("after").flatten(),
                move_to: i.string("move_to"),
            };
            for e in i.errors {
                f.errors.push(FieldError {
                    field: format!("imap.{}", e.field),
                    ..e
                });
            }
            input.imap = Some(Some(imap));
        }
        Some(_) => f
            .errors
            .push(FieldError::invalid("imap", "must be an object or null")),
    }
    f.finish(input)
}

async fn list(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all: Vec<Json> = api
        .app
        .list_mailboxes(ctx.actor)
        .await?
        .iter()
        .map(|m| wire(&ctx.base, m))
        .collect();
    ok(crate::wire::page_whole(&ctx, "recipient_addresses", all)?)
}

async fn show(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let m = api
        .app
        .mailbox(ctx.actor, path_id::<MailboxId>(&id)?)
        .await?;
    ok(json!({"recipient_address": wire(&ctx.base, &m)}))
}

async fn create(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let m = api
        .app
        .create_mailbox(ctx.actor, input(body.record("recipient_address")?)?)
        .await?;
    created(json!({"recipient_address": wire(&ctx.base, &m)}))
}

async fn update(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let m = api
        .app
        .update_mailbox(
            ctx.actor,
            path_id::<MailboxId>(&id)?,
            input(body.record("recipient_address")?)?,
        )
        .await?;
    ok(json!({"recipient_address": wire(&ctx.base, &m)}))
}

async fn destroy(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_mailbox(ctx.actor, path_id::<MailboxId>(&id)?)
        .await?;
    no_content()
}
