//! The Help Center API's translations: the text of an article, section
//! or category in each locale, one set of handlers for the three.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{input, wire};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{delete, get};
use domain::model::TranslationOf;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/help_center/articles/{id}/translations",
            get(translations::<ARTICLE>).post(create_translation::<ARTICLE>),
        )
        .route(
            "/api/v2/help_center/articles/{id}/translations/missing",
            get(missing_translations::<ARTICLE>),
        )
        .route(
            "/api/v2/help_center/articles/{id}/translations/{locale}",
            get(translation::<ARTICLE>).put(update_translation::<ARTICLE>),
        )
        .route(
            "/api/v2/help_center/sections/{id}/translations",
            get(translations::<SECTION>).post(create_translation::<SECTION>),
        )
        .route(
            "/api/v2/help_center/sections/{id}/translations/missing",
            get(missing_translations::<SECTION>),
        )
        .route(
            "/api/v2/help_center/sections/{id}/translations/{locale}",
            get(translation::<SECTION>).put(update_translation::<SECTION>),
        )
        .route(
            "/api/v2/help_center/categories/{id}/translations",
            get(translations::<CATEGORY>).post(create_translation::<CATEGORY>),
        )
        .route(
            "/api/v2/help_center/categories/{id}/translations/missing",
            get(missing_translations::<CATEGORY>),
        )
        .route(
            "/api/v2/help_center/categories/{id}/translations/{locale}",
            get(translation::<CATEGORY>).put(update_translation::<CATEGORY>),
        )
        .route(
            "/api/v2/help_center/translations/{id}",
            delete(delete_translation),
        )
}

/// Which kind of record a translations route is about (a const
/// parameter, so one handler serves articles, sections and categories).
const ARTICLE: u8 = 0;
const SECTION: u8 = 1;
const CATEGORY: u8 = 2;

/// The record a translations route names.
fn translated<const K: u8>(id: &str) -> Result<TranslationOf, ApiError> {
    Ok(match K {
        ARTICLE => TranslationOf::Article(path_id(id)?),
        SECTION => TranslationOf::Section(path_id(id)?),
        _ => TranslationOf::Category(path_id(id)?),
    })
}

async fn translations<const K: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    let all = api
        .app
        .translations(ctx.actor, translated::<K>(&id)?)
        .await?;
    let items: Vec<_> = all
        .iter()
        .map(|t| wire::translation(&ctx.base, t))
        .collect();
    ok(wire::page_whole(&ctx, "translations", items)?)
}

async fn create_translation<const K: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let input = input::translation(body.record("translation")?)?;
    let t = api
        .app
        .create_translation(ctx.actor, translated::<K>(&id)?, input)
        .await?;
    created(wire::Keyed("translation", wire::translation(&ctx.base, &t)))
}

async fn missing_translations<const K: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    let locales = api
        .app
        .missing_translations(ctx.actor, translated::<K>(&id)?)
        .await?;
    ok(json!({"locales": locales}))
}

async fn translation<const K: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, locale)): Path<(String, String)>,
) -> ApiResult {
    let t = api
        .app
        .translation(ctx.actor, translated::<K>(&id)?, &locale)
        .await?;
    ok(wire::Keyed("translation", wire::translation(&ctx.base, &t)))
}

async fn update_translation<const K: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, locale)): Path<(String, String)>,
    body: JsonBody,
) -> ApiResult {
    let input = input::translation(body.record("translation")?)?;
    let t = api
        .app
        .update_translation(ctx.actor, translated::<K>(&id)?, &locale, input)
        .await?;
    ok(wire::Keyed("translation", wire::translation(&ctx.base, &t)))
}

async fn delete_translation(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_translation(ctx.actor, path_id(&id)?).await?;
    no_content()
}
