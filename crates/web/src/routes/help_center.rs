//! The Help Center API under `/api/v2/help_center` (locale-prefixed paths
//! such as `/help_center/es/articles` arrive here with a `locale` parameter).

use super::{bounds, created, no_content, ok, path_id};
use crate::Api;
use crate::body::{JsonBody, MultipartForm};
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::{input, wire};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use domain::model::{TranslationOf, VoteValue};
use domain::{CategoryId, SectionId, Timestamp};
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/help_center/locales", get(locales))
        .route(
            "/api/v2/help_center/categories",
            get(categories).post(create_category),
        )
        .route(
            "/api/v2/help_center/categories/{id}",
            get(category).put(update_category).delete(delete_category),
        )
        .route(
            "/api/v2/help_center/categories/{id}/sections",
            get(category_sections).post(create_section),
        )
        .route(
            "/api/v2/help_center/categories/{id}/articles",
            get(category_articles),
        )
        .route("/api/v2/help_center/sections", get(sections))
        .route(
            "/api/v2/help_center/sections/{id}",
            get(section).put(update_section).delete(delete_section),
        )
        .route(
            "/api/v2/help_center/sections/{id}/articles",
            get(section_articles).post(create_article),
        )
        .route("/api/v2/help_center/articles", get(articles))
        .route("/api/v2/help_center/articles/search", get(search))
        .route(
            "/api/v2/help_center/articles/{id}",
            get(article).put(update_article).delete(archive_article),
        )
        .route("/api/v2/help_center/incremental/articles", get(incremental))
        .route(
            "/api/v2/help_center/articles/{id}/votes",
            get(article_votes),
        )
        .route(
            "/api/v2/help_center/articles/{id}/attachments",
            get(article_files::<ALL>).post(attach_file),
        )
        .route(
            "/api/v2/help_center/articles/{id}/attachments/inline",
            get(article_files::<INLINE>),
        )
        .route(
            "/api/v2/help_center/articles/{id}/attachments/block",
            get(article_files::<BLOCK>),
        )
        .route(
            "/api/v2/help_center/articles/{article}/attachments/{id}",
            get(article_file_of),
        )
        .route(
            "/api/v2/help_center/articles/attachments/{id}",
            get(article_file).delete(delete_article_file),
        )
        .route("/api/v2/help_center/articles/{id}/up", post(vote_up))
        .route("/api/v2/help_center/articles/{id}/down", post(vote_down))
        .route(
            "/api/v2/help_center/votes/{id}",
            get(vote).delete(delete_vote),
        )
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
            "/api/v2/help_center/user_segments",
            get(user_segments).post(create_user_segment),
        )
        .route(
            "/api/v2/help_center/user_segments/applicable",
            get(applicable_user_segments),
        )
        .route(
            "/api/v2/help_center/user_segments/{id}",
            get(user_segment)
                .put(update_user_segment)
                .delete(delete_user_segment),
        )
        .route(
            "/api/v2/help_center/translations/{id}",
            delete(delete_translation),
        )
}

/// Which of an article's files a list route names.
const ALL: u8 = 0;
const INLINE: u8 = 1;
const BLOCK: u8 = 2;

async fn article_files<const W: u8>(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    let inline = match W {
        ALL => None,
        INLINE => Some(true),
        _ => Some(false),
    };
    let files = api
        .app
        .article_files(ctx.actor, path_id(&id)?, inline)
        .await?;
    let list: Vec<_> = files
        .iter()
        .map(|f| wire::article_attachment(&ctx.base, f))
        .collect();
    ok(json!({ "article_attachments": list }))
}

/// `POST articles/{id}/attachments`, multipart: `file`, and `inline`
/// (`true` for an image shown in the body).
async fn attach_file(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    req: axum::extract::Request,
) -> ApiResult {
    let limit = api.app.limits.max_upload_bytes + MULTIPART_OVERHEAD;
    let form = MultipartForm::read(req, limit).await?;
    let inline = form
        .field("inline")
        .is_some_and(|v| v == "true" || v == "1");
    let (name, data) = form.file.unwrap_or_default();
    let f = api
        .app
        .attach_to_article(ctx.actor, path_id(&id)?, &name, data, inline)
        .await?;
    created(wire::Keyed(
        "article_attachment",
        wire::article_attachment(&ctx.base, &f),
    ))
}

/// Room for a multipart body's boundaries and headers beyond the file.
const MULTIPART_OVERHEAD: usize = 64 * 1024;

async fn article_file(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let f = api.app.article_file(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed(
        "article_attachment",
        wire::article_attachment(&ctx.base, &f),
    ))
}

/// The same file named under its article; another article's id is a 404.
async fn article_file_of(
    State(api): State<Api>,
    ctx: Ctx,
    Path((article, id)): Path<(String, String)>,
) -> ApiResult {
    let article: domain::ArticleId = path_id(&article)?;
    let f = api.app.article_file(ctx.actor, path_id(&id)?).await?;
    if f.article != article {
        return Err(ApiError::App(app::AppError::NotFound));
    }
    ok(wire::Keyed(
        "article_attachment",
        wire::article_attachment(&ctx.base, &f),
    ))
}

async fn delete_article_file(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    api.app
        .delete_article_file(ctx.actor, path_id(&id)?)
        .await?;
    no_content()
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
    ok(
        json!({"translations": items, "count": items.len(), "next_page": null, "previous_page": null}),
    )
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

fn segment_list(ctx: &Ctx, all: &[domain::segment::UserSegment]) -> ApiResult {
    let items: Vec<_> = all
        .iter()
        .map(|s| wire::user_segment(&ctx.base, s))
        .collect();
    ok(
        json!({"user_segments": items, "count": items.len(), "next_page": null, "previous_page": null}),
    )
}

async fn user_segments(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    segment_list(&ctx, &api.app.user_segments(ctx.actor).await?)
}

async fn applicable_user_segments(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    segment_list(&ctx, &api.app.applicable_user_segments(ctx.actor).await?)
}

async fn user_segment(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let s = api.app.user_segment(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed(
        "user_segment",
        wire::user_segment(&ctx.base, &s),
    ))
}

async fn create_user_segment(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let input = input::user_segment(body.record("user_segment")?)?;
    let s = api.app.create_user_segment(ctx.actor, input).await?;
    created(wire::Keyed(
        "user_segment",
        wire::user_segment(&ctx.base, &s),
    ))
}

async fn update_user_segment(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let input = input::user_segment(body.record("user_segment")?)?;
    let s = api
        .app
        .update_user_segment(ctx.actor, path_id(&id)?, input)
        .await?;
    ok(wire::Keyed(
        "user_segment",
        wire::user_segment(&ctx.base, &s),
    ))
}

async fn delete_user_segment(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> ApiResult {
    api.app
        .delete_user_segment(ctx.actor, path_id(&id)?)
        .await?;
    no_content()
}

async fn delete_translation(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_translation(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn article_votes(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let votes = api.app.article_votes(ctx.actor, path_id(&id)?).await?;
    let votes: Vec<_> = votes.iter().map(|v| wire::vote(&ctx.base, v)).collect();
    ok(wire::Keyed("votes", votes))
}

async fn vote_up(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    cast(&api, &ctx, &id, VoteValue::Up).await
}

async fn vote_down(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    cast(&api, &ctx, &id, VoteValue::Down).await
}

/// Zendesk answers a vote with 200 and the vote, a first one or a change.
async fn cast(api: &Api, ctx: &Ctx, id: &str, value: VoteValue) -> ApiResult {
    let v = api
        .app
        .vote_as_user(ctx.actor, path_id(id)?, ctx.param("locale"), value)
        .await?;
    ok(wire::Keyed("vote", wire::vote(&ctx.base, &v)))
}

async fn vote(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let v = api.app.vote(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed("vote", wire::vote(&ctx.base, &v)))
}

async fn delete_vote(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_vote(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn locales() -> ApiResult {
    ok(
        json!({"locales": app::help_center::LOCALES, "default_locale": app::help_center::LOCALES[0]}),
    )
}

/// The locale from the body, else from the path or query.
fn with_locale(
    mut g: app::help_center::GroupingInput,
    ctx: &Ctx,
) -> app::help_center::GroupingInput {
    if g.locale.is_none() {
        g.locale = ctx.param("locale").map(str::to_string);
    }
    g
}

async fn categories(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let (items, paged) = api
        .app
        .list_categories(ctx.param("locale"), ctx.paging()?)
        .await?;
    let ids = bounds(&items, |c| c.id.0);
    ok(wire::page(
        &ctx,
        "categories",
        items.iter().map(|c| wire::category(&ctx.base, c)).collect(),
        &paged,
        ids,
    ))
}

async fn create_category(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let input = with_locale(input::grouping(body.record("category")?)?, &ctx);
    let c = api.app.create_category(ctx.actor, input).await?;
    created(wire::Keyed("category", wire::category(&ctx.base, &c)))
}

async fn category(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let c = api.app.category(path_id(&id)?).await?;
    ok(wire::Keyed("category", wire::category(&ctx.base, &c)))
}

async fn update_category(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let c = api
        .app
        .update_category(
            ctx.actor,
            path_id(&id)?,
            input::grouping(body.record("category")?)?,
        )
        .await?;
    ok(wire::Keyed("category", wire::category(&ctx.base, &c)))
}

async fn delete_category(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_category(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn list_sections(api: &Api, ctx: &Ctx, category: Option<CategoryId>) -> ApiResult {
    let (items, paged) = api
        .app
        .list_sections(category, ctx.param("locale"), ctx.paging()?)
        .await?;
    let ids = bounds(&items, |s| s.id.0);
    ok(wire::page(
        ctx,
        "sections",
        items.iter().map(|s| wire::section(&ctx.base, s)).collect(),
        &paged,
        ids,
    ))
}

async fn sections(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_sections(&api, &ctx, None).await
}

async fn category_sections(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    api.app.category(id).await?;
    list_sections(&api, &ctx, Some(id)).await
}

async fn create_section(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let input = with_locale(input::grouping(body.record("section")?)?, &ctx);
    let s = api
        .app
        .create_section(ctx.actor, path_id(&id)?, input)
        .await?;
    created(wire::Keyed("section", wire::section(&ctx.base, &s)))
}

async fn section(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let s = api.app.section(path_id(&id)?).await?;
    ok(wire::Keyed("section", wire::section(&ctx.base, &s)))
}

async fn update_section(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let s = api
        .app
        .update_section(
            ctx.actor,
            path_id(&id)?,
            input::grouping(body.record("section")?)?,
        )
        .await?;
    ok(wire::Keyed("section", wire::section(&ctx.base, &s)))
}

async fn delete_section(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.delete_section(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn list_articles(
    api: &Api,
    ctx: &Ctx,
    section: Option<SectionId>,
    category: Option<CategoryId>,
) -> ApiResult {
    let (items, paged) = api
        .app
        .list_articles(
            ctx.actor,
            section,
            category,
            ctx.param("locale"),
            ctx.paging()?,
        )
        .await?;
    let ids = bounds(&items, |a| a.id.0);
    ok(wire::page(
        ctx,
        "articles",
        items.iter().map(|a| wire::article(&ctx.base, a)).collect(),
        &paged,
        ids,
    ))
}

async fn articles(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    list_articles(&api, &ctx, None, None).await
}

async fn section_articles(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    api.app.section(id).await?;
    list_articles(&api, &ctx, Some(id), None).await
}

async fn category_articles(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let id = path_id(&id)?;
    api.app.category(id).await?;
    list_articles(&api, &ctx, None, Some(id)).await
}

async fn create_article(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut input = input::article(body.record("article")?)?;
    if input.locale.is_none() {
        input.locale = ctx.param("locale").map(str::to_string);
    }
    let a = api
        .app
        .create_article(ctx.actor, path_id(&id)?, input)
        .await?;
    created(wire::Keyed("article", wire::article(&ctx.base, &a)))
}

async fn article(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let a = api
        .app
        .article(ctx.actor, path_id(&id)?, ctx.param("locale"))
        .await?;
    ok(wire::Keyed("article", wire::article(&ctx.base, &a)))
}

async fn update_article(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let a = api
        .app
        .update_article(
            ctx.actor,
            path_id(&id)?,
            input::article(body.record("article")?)?,
        )
        .await?;
    ok(wire::Keyed("article", wire::article(&ctx.base, &a)))
}

async fn archive_article(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.archive_article(ctx.actor, path_id(&id)?).await?;
    no_content()
}

async fn search(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let per_page = ctx.int("per_page")?.unwrap_or(25).clamp(1, 100);
    let page = ctx.page_number()?;
    let labels = ctx.params_all("label_names");
    let (hits, count) = api
        .app
        .search_articles(
            ctx.actor,
            ctx.param("query").unwrap_or(""),
            ctx.param("locale"),
            ctx.int("category")?.map(CategoryId),
            ctx.int("section")?.map(SectionId),
            labels,
            (page - 1) * per_page,
            per_page,
        )
        .await?;
    let results: Vec<_> = hits
        .iter()
        .map(|h| {
            let mut a = wire::article(&ctx.base, &h.article);
            a.result_type = Some("article");
            a.snippet = Some(h.snippet.clone());
            a
        })
        .collect();
    let page_count = (count + per_page - 1) / per_page;
    let next = (page < page_count).then(|| {
        ctx.link(&[
            ("page", (page + 1).to_string()),
            ("per_page", per_page.to_string()),
        ])
    });
    let prev = (page > 1).then(|| {
        ctx.link(&[
            ("page", (page - 1).to_string()),
            ("per_page", per_page.to_string()),
        ])
    });
    ok(
        json!({"results": results, "count": count, "next_page": next, "previous_page": prev, "page": page, "per_page": per_page, "page_count": page_count}),
    )
}

async fn incremental(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let since = Timestamp(ctx.int("start_time")?.unwrap_or(0));
    let items = api.app.articles_since(ctx.actor, since, 1000).await?;
    let end_time = items.last().map_or(since.0, |a| a.updated_at.0);
    let end = items.len() < 1000;
    let next = (!end).then(|| {
        format!(
            "{}/api/v2/help_center/incremental/articles.json?start_time={end_time}",
            ctx.base
        )
    });
    ok(
        json!({"articles": items.iter().map(|a| wire::article(&ctx.base, a)).collect::<Vec<_>>(), "count": items.len(), "end_time": end_time, "next_page": next, "end_of_stream": end}),
    )
}
