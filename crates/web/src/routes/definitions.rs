//! What rules and macros may say, for the tools that build them:
//! `triggers/definitions`, `macros/definitions` and `macros/actions` as
//! Zendesk has them, and `automations/definitions` (atiende's own, shaped
//! as the triggers'). Titles are in the caller's language.

use super::ok;
use crate::Api;
use crate::ctx::Ctx;
use crate::error::ApiResult;
use crate::wire;
use app::rules::RuleSet;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde_json::json;

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/triggers/definitions", get(triggers))
        .route("/api/v2/automations/definitions", get(automations))
        .route("/api/v2/macros/definitions", get(macros))
        .route("/api/v2/macros/actions", get(macro_actions))
}

async fn with_conditions(api: &Api, ctx: &Ctx, set: RuleSet) -> ApiResult {
    let d = api.app.rule_definitions(ctx.actor, set).await?;
    ok(json!({"definitions": wire::rule_definitions(&d, true)}))
}

async fn triggers(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    with_conditions(&api, &ctx, RuleSet::Triggers).await
}

async fn automations(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    with_conditions(&api, &ctx, RuleSet::Automations).await
}

async fn macros(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let d = api.app.rule_definitions(ctx.actor, RuleSet::Macros).await?;
    ok(json!({"definitions": wire::rule_definitions(&d, false)}))
}

async fn macro_actions(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let d = api.app.rule_definitions(ctx.actor, RuleSet::Macros).await?;
    ok(json!({"actions": wire::macro_actions(&d)}))
}
