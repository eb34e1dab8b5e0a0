//! Zendesk's Answer Bot API: articles for a question (or, atiende's
//! addition, a hand-over when none answers it), and the customer's word on
//! an answer. The bot itself is `app::answer_bot`.

use super::{no_content, ok};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::{input, wire};
use axum::Router;
use axum::extract::State;
use axum::routing::post;
use domain::ArticleId;

/// Articles offered per question.
const OFFERED: usize = 3;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/answer_bot/answers/articles", post(answers))
        .route("/api/v2/answer_bot/resolution", post(resolution))
        .route("/api/v2/answer_bot/rejection", post(rejection))
}

async fn answers(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let q = input::bot_question(&body.0)?;
    let a = api
        .app
        .answer_bot(
            Some(ctx.actor.user),
            &q.enquiry,
            q.locale.as_deref(),
            OFFERED,
        )
        .await?;
    ok(wire::bot_answer(&ctx.base, &a))
}

/// Signed in, as every API call (the token names the question).
async fn resolution(State(api): State<Api>, _ctx: Ctx, body: JsonBody) -> ApiResult {
    feedback(&api, &body, true).await
}

async fn rejection(State(api): State<Api>, _ctx: Ctx, body: JsonBody) -> ApiResult {
    feedback(&api, &body, false).await
}

async fn feedback(api: &Api, body: &JsonBody, resolved: bool) -> ApiResult {
    let f = input::bot_feedback(&body.0)?;
    api.app
        .answer_bot_feedback(&f.token, ArticleId(f.article_id), resolved)
        .await?;
    no_content()
}
