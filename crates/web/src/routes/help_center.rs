//! The Help Center API under `/api/v2/help_center` (locale-prefixed paths
//! such as `/help_center/es/articles` arrive here with a `locale` parameter).

use super::{bounds, created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::{input, wire};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use domain::model::VoteValue;
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
        .route("/api/v2/help_center/articles/labels", get(labels))
        .route("/api/v2/help_center/articles/labels/{id}", get(label))
        .route(
            "/api/v2/help_center/articles/{id}/labels",
            get(article_labels).post(add_label),
        )
        .route(
            "/api/v2/help_center/articles/{id}/labels/{label}",
            axum::routing::delete(remove_label),
        )
        .route(
            "/api/v2/help_center/articles/{id}",
            get(article).put(update_article).delete(archive_article),
        )
        .route("/api/v2/help_center/incremental/articles", get(incremental))
        .route(
            "/api/v2/help_center/articles/{id}/votes",
            get(article_votes),
        )
        .route("/api/v2/help_center/articles/{id}/up", post(vote_up))
        .route("/api/v2/help_center/articles/{id}/down", post(vote_down))
        .route(
            "/api/v2/help_center/votes/{id}",
            get(vote).delete(delete_vote),
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
}

fn segment_list(ctx: &Ctx, all: &[domain::segment::UserSegment]) -> ApiResult {
    let items: Vec<_> = all
        .iter()
        .map(|s| wire::user_segment(&ctx.base, s))
        .collect();
    ok(wire::page_whole(ctx, "user_segments", items)?)
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

async fn article_votes(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let votes = api.app.article_votes(ctx.actor, path_id(&id)?).await?;
    let votes: Vec<_> = votes.iter().map(|v| wire::vote(&ctx.base, v)).collect();
    ok(wire::page_whole(&ctx, "votes", votes)?)
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
            &ctx.params_all("label_names"),
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
    let since = Timestamp(ctx.epoch("start_time")?.unwrap_or(0));
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

/// Every label (agents), by id.
async fn labels(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.article_labels(ctx.actor).await?;
    let list: Vec<_> = all
        .iter()
        .map(|l| wire::article_label(&ctx.base, l))
        .collect();
    ok(wire::page_whole(&ctx, "labels", list)?)
}

async fn label(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let l = api.app.article_label(ctx.actor, path_id(&id)?).await?;
    ok(wire::Keyed("label", wire::article_label(&ctx.base, &l)))
}

/// An article's labels, for whoever may read it.
async fn article_labels(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let all = api.app.labels_of_article(ctx.actor, path_id(&id)?).await?;
    let list: Vec<_> = all
        .iter()
        .map(|l| wire::article_label(&ctx.base, l))
        .collect();
    ok(wire::page_whole(&ctx, "labels", list)?)
}

/// `{"label": {"name": …}}` onto an article.
async fn add_label(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let m = body.record("label")?;
    let name = m
        .get("name")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("");
    let l = api
        .app
        .add_article_label(ctx.actor, path_id(&id)?, name)
        .await?;
    created(wire::Keyed("label", wire::article_label(&ctx.base, &l)))
}

async fn remove_label(
    State(api): State<Api>,
    ctx: Ctx,
    Path((id, label)): Path<(String, String)>,
) -> ApiResult {
    api.app
        .remove_article_label(ctx.actor, path_id(&id)?, path_id(&label)?)
        .await?;
    no_content()
}
