//! Surveys: our `/api/v2/surveys/settings` (when CSAT and NPS go, what a
//! low score starts, review links, words per language) and Zendesk's
//! `/api/v2/satisfaction_reasons` (the reasons a customer may give for a
//! bad rating: Zendesk's built-in ones, by `reason_code`).

use super::ok;
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;
use domain::survey::{SurveySettings, reason_words};
use serde_json::{Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route(
            "/api/v2/surveys/settings",
            get(settings).put(update_settings),
        )
        .route("/api/v2/satisfaction_reasons", get(reasons))
        .route("/api/v2/satisfaction_reasons/{id}", get(reason))
}

async fn settings(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let s = api.app.survey_settings(ctx.actor).await?;
    ok(json!({ "survey_settings": s }))
}

/// Overlays the given sections on the settings as they are (a section
/// given replaces that section whole).
async fn update_settings(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let current = api.app.survey_settings(ctx.actor).await?;
    let mut merged = serde_json::to_value(&current).unwrap_or(Json::Null);
    let given = body.record("survey_settings")?;
    if let Some(obj) = merged.as_object_mut() {
        for (k, v) in given {
            obj.insert(k.clone(), v.clone());
        }
    }
    let s: SurveySettings = serde_json::from_value(merged).map_err(|e| {
        ApiError::App(app::AppError::field(app::FieldError::invalid(
            "survey_settings",
            e.to_string(),
        )))
    })?;
    let s = api.app.set_survey_settings(ctx.actor, s).await?;
    ok(json!({ "survey_settings": s }))
}

async fn reasons(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let list: Vec<_> = api
        .app
        .satisfaction_reasons(ctx.actor)?
        .into_iter()
        .map(|c| crate::wire::satisfaction_reason(&ctx.base, c))
        .collect();
    ok(crate::wire::page_whole(&ctx, "reasons", list)?)
}

async fn reason(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app.satisfaction_reasons(ctx.actor)?;
    let code: i64 = id
        .strip_suffix(".json")
        .unwrap_or(&id)
        .parse()
        .map_err(|_| ApiError::App(app::AppError::NotFound))?;
    if reason_words(code).is_none() {
        return Err(ApiError::App(app::AppError::NotFound));
    }
    ok(crate::wire::Keyed(
        "reason",
        crate::wire::satisfaction_reason(&ctx.base, code),
    ))
}
