//! What integrations read first: `account/settings`, `brands` (the one
//! brand, its help center at the site's root), `locales`, and the small
//! lookups they make while syncing — `autocomplete/tags`,
//! `tickets/{id}/incidents` and `related`, `views/count_many`.

use super::{ids_param, ok, path_id};
use crate::Api;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::wire;
use app::account::LOCALES;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::{TicketId, ViewId};
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/account/settings", get(settings))
        .route("/api/v2/brands", get(brands))
        .route("/api/v2/brands/{id}", get(brand))
        .route("/api/v2/locales", get(locales))
        .route("/api/v2/locales/public", get(locales))
        .route("/api/v2/locales/agent", get(locales))
        .route("/api/v2/locales/current", get(current_locale))
        .route("/api/v2/locales/{id}", get(locale))
        .route("/api/v2/autocomplete/tags", get(autocomplete_tags))
        .route("/api/v2/tickets/{id}/incidents", get(incidents))
        .route("/api/v2/tickets/{id}/related", get(related))
        .route("/api/v2/views/count_many", get(count_many))
}

async fn settings(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let f = api.app.account_facts(ctx.actor).await?;
    let per_minute = api.limiter.limit_for(ctx.actor.role);
    ok(json!({"settings": {
        "branding": {"header_color": f.accent, "page_background_color": null, "text_color": null, "tab_background_color": null},
        "localization": {"locale_ids": [2, 1], "default_locale": LOCALES[0], "time_zone": f.time_zone},
        "tickets": {"comments_public_by_default": true, "list_newest_comments_first": false, "tagging": true,
                    "collaboration": true, "has_color_text": false, "rich_text_comments": true,
                    "max_attachment_size": f.max_upload_bytes},
        "active_features": {"help_center": true, "answer_bot": true, "ticket_forms": true, "sla": true,
                            "business_hours": true, "chat": f.chat, "voice": f.voice, "messaging": f.messaging,
                            "customer_satisfaction": f.csat, "csat_reason_code": f.csat, "nps": f.nps, "goodwill_gestures": true,
                            "organization_access_enabled": true, "on_hold_status": true, "ticket_tagging": true,
                            "user_tagging": true, "user_org_fields": true, "allow_ccs": true},
        "api": {"accepted_api_agreement": true, "rate_limit_per_minute": per_minute, "max_page_size": 100},
        "limits": {"attachment_bytes": f.max_upload_bytes, "requests_per_minute": per_minute, "page_size": 100},
    }}))
}

async fn brands(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let f = api.app.account_facts(ctx.actor).await?;
    ok(wire::page_whole(
        &ctx,
        "brands",
        vec![wire::brand(&ctx.base, &f)],
    )?)
}

async fn brand(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let f = api.app.account_facts(ctx.actor).await?;
    if id != "1" {
        return Err(ApiError::App(app::AppError::NotFound));
    }
    ok(wire::Keyed("brand", wire::brand(&ctx.base, &f)))
}

async fn locales(ctx: Ctx) -> ApiResult {
    let all: Vec<_> = LOCALES.iter().map(|l| wire::locale(&ctx.base, l)).collect();
    ok(wire::page_whole(&ctx, "locales", all)?)
}

async fn locale(ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let found = LOCALES
        .iter()
        .map(|l| wire::locale(&ctx.base, l))
        .find(|l| id.parse::<i64>().ok() == Some(l.id) || l.locale == id);
    match found {
        Some(l) => ok(wire::Keyed("locale", l)),
        None => Err(ApiError::App(app::AppError::NotFound)),
    }
}

/// The caller's own language.
async fn current_locale(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let me = api.app.user(ctx.actor, ctx.actor.user).await?;
    let locale = if me.locale.starts_with("en") {
        "en-US"
    } else {
        LOCALES[0]
    };
    ok(wire::Keyed("locale", wire::locale(&ctx.base, locale)))
}

/// Tags beginning with `name` (at least two letters), most used first.
async fn autocomplete_tags(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let prefix = ctx.param("name").unwrap_or("").trim().to_lowercase();
    if prefix.chars().count() < 2 {
        return Err(ApiError::BadRequest(
            "name must have at least two characters".into(),
        ));
    }
    let tags: Vec<String> = api
        .app
        .tag_counts(ctx.actor)
        .await?
        .into_iter()
        .map(|(name, _)| name)
        .filter(|name| name.starts_with(&prefix))
        .take(15)
        .collect();
    ok(json!({ "tags": tags }))
}

async fn incidents(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let found = api
        .app
        .ticket_incidents(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    let fields = api.app.fields_for_display().await?;
    let list: Vec<_> = found
        .iter()
        .map(|t| wire::ticket(&ctx.base, t, &fields))
        .collect();
    ok(wire::page_whole(&ctx, "tickets", list)?)
}

/// What a ticket is related to: here, how many incidents it has.
async fn related(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let incidents = api
        .app
        .ticket_incidents(ctx.actor, path_id::<TicketId>(&id)?)
        .await?;
    ok(json!({"ticket_related": {
        "topic_id": null, "jira_issue_ids": [], "followup_source_ids": [],
        "from_archive": false, "incidents": incidents.len(), "twitter": {},
    }}))
}

async fn count_many(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let ids: Vec<ViewId> = ids_param(&ctx, "ids")?;
    let mut counts = Vec::with_capacity(ids.len());
    for id in ids {
        let (v, _, total) = api.app.view_tickets(ctx.actor, id, 0, 1).await?;
        counts.push(super::rules::view_count(&ctx.base, v.id, total));
    }
    ok(json!({ "view_counts": counts }))
}
