//! Zendesk's OAuth API: `/api/v2/oauth/clients` (admins register
//! applications; the secret is shown when made and when regenerated) and
//! `/api/v2/oauth/tokens` (one's own tokens, everyone's for admins with
//! `all=true`, `current`, revoking; admins make a token for a client).
//! The grant endpoint `POST /oauth/tokens` is [`grant`], outside the
//! authenticated API: the application authenticates with its secret.

use super::{created, no_content, ok, path_id};
use crate::Api;
use crate::body::JsonBody;
use crate::ctx::Ctx;
use crate::error::{ApiError, ApiResult};
use crate::input::Fields;
use crate::wire;
use app::auth::Credentials;
use app::oauth::{ClientInput, GrantError};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use domain::oauth::{ClientKind, Scopes};
use domain::{OAuthClientId, TokenId};
use serde_json::{Map, Value as Json, json};

pub fn routes() -> Router<Api> {
    Router::new()
        .route("/api/v2/oauth/clients", get(clients).post(create_client))
        .route(
            "/api/v2/oauth/clients/{id}",
            get(client).put(update_client).delete(delete_client),
        )
        .route(
            "/api/v2/oauth/clients/{id}/generate_secret",
            put(generate_secret),
        )
        .route("/api/v2/oauth/tokens", get(tokens).post(create_token))
        .route("/api/v2/oauth/tokens/{id}", get(token).delete(revoke))
}

/// `{"client": {name, identifier, kind, redirect_uri: [...], company,
/// description}}`.
fn client_input(m: &Map<String, Json>) -> Result<ClientInput, ApiError> {
    let mut f = Fields::new(m);
    let input = ClientInput {
        name: f.string("name"),
        identifier: f.string("identifier"),
        kind: f.word::<ClientKind>("kind").flatten(),
        redirect_uris: f.strings("redirect_uri"),
        company: f.string("company"),
        description: f.string("description"),
    };
    f.finish(input)
}

async fn clients(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = api.app.oauth_clients(ctx.actor).await?;
    let list: Vec<_> = all
        .iter()
        .map(|x| wire::oauth_client(&ctx.base, x, None))
        .collect();
    ok(wire::page_whole(&ctx, "clients", list)?)
}

async fn client(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let x = api
        .app
        .oauth_client(ctx.actor, path_id::<OAuthClientId>(&id)?)
        .await?;
    ok(wire::Keyed(
        "client",
        wire::oauth_client(&ctx.base, &x, None),
    ))
}

async fn create_client(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let made = api
        .app
        .create_oauth_client(ctx.actor, client_input(body.record("client")?)?)
        .await?;
    created(wire::Keyed(
        "client",
        wire::oauth_client(&ctx.base, &made.client, Some(made.secret)),
    ))
}

async fn update_client(
    State(api): State<Api>,
    ctx: Ctx,
    Path(id): Path<String>,
    body: JsonBody,
) -> ApiResult {
    let mut input = client_input(body.record("client")?)?;
    // The identifier is what applications already send: it stays.
    input.identifier = None;
    let x = api
        .app
        .update_oauth_client(ctx.actor, path_id::<OAuthClientId>(&id)?, input)
        .await?;
    ok(wire::Keyed(
        "client",
        wire::oauth_client(&ctx.base, &x, None),
    ))
}

async fn generate_secret(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    let made = api
        .app
        .regenerate_oauth_secret(ctx.actor, path_id::<OAuthClientId>(&id)?)
        .await?;
    ok(wire::Keyed(
        "client",
        wire::oauth_client(&ctx.base, &made.client, Some(made.secret)),
    ))
}

async fn delete_client(State(api): State<Api>, ctx: Ctx, Path(id): Path<String>) -> ApiResult {
    api.app
        .delete_oauth_client(ctx.actor, path_id::<OAuthClientId>(&id)?)
        .await?;
    no_content()
}

async fn tokens(State(api): State<Api>, ctx: Ctx) -> ApiResult {
    let all = ctx.param("all") == Some("true");
    let client = match ctx.param("client_id") {
        Some(c) => Some(path_id::<OAuthClientId>(c)?),
        None => None,
    };
    let list = api.app.oauth_tokens(ctx.actor, all, client).await?;
    let items: Vec<_> = list
        .iter()
        .map(|t| wire::oauth_token(&ctx.base, t, None))
        .collect();
    ok(wire::page_whole(&ctx, "tokens", items)?)
}

/// The bearer token this request came with.
fn bearer(headers: &HeaderMap) -> Option<String> {
    match crate::auth::credentials_in(headers)? {
        Credentials::Bearer(token) => Some(token),
        Credentials::Basic { .. } => None,
    }
}

async fn token(
    State(api): State<Api>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let t = if id == "current" {
        let b = bearer(&headers).ok_or(ApiError::App(app::AppError::NotFound))?;
        api.app.current_oauth_token(ctx.actor, &b).await?
    } else {
        api.app
            .oauth_token(ctx.actor, path_id::<TokenId>(&id)?)
            .await?
    };
    ok(wire::Keyed("token", wire::oauth_token(&ctx.base, &t, None)))
}

/// `{"token": {client_id, scopes: ["read", "write"]}}`: a token for the
/// admin asking, given to that client.
async fn create_token(State(api): State<Api>, ctx: Ctx, body: JsonBody) -> ApiResult {
    let mut f = Fields::new(body.record("token")?);
    let client = f.id::<OAuthClientId>("client_id").flatten();
    let scopes = f.strings("scopes");
    let (client, scopes) = f.finish((client, scopes))?;
    let client = client
        .ok_or_else(|| ApiError::App(app::AppError::field(app::FieldError::blank("client_id"))))?;
    let scopes = match scopes {
        Some(words) => Scopes::parse(&words.join(" ")).map_err(|why| {
            ApiError::App(app::AppError::field(app::FieldError::invalid(
                "scopes", why,
            )))
        })?,
        None => Scopes::ALL,
    };
    let made = api
        .app
        .create_oauth_token(ctx.actor, client, scopes)
        .await?;
    created(wire::Keyed(
        "token",
        wire::oauth_token(&ctx.base, &made.token, Some(made.secret)),
    ))
}

async fn revoke(
    State(api): State<Api>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult {
    let id = if id == "current" {
        let b = bearer(&headers).ok_or(ApiError::App(app::AppError::NotFound))?;
        api.app.current_oauth_token(ctx.actor, &b).await?.id
    } else {
        path_id::<TokenId>(&id)?
    };
    api.app.revoke_oauth_token(ctx.actor, id).await?;
    no_content()
}

/// An RFC 6749 error answer (never cached).
fn refusal(e: &GrantError) -> Response {
    let status = match e {
        GrantError::InvalidClient => StatusCode::UNAUTHORIZED,
        GrantError::App(_) => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_REQUEST,
    };
    if let GrantError::App(err) = e {
        tracing::error!(error = %err, "an OAuth grant failed");
    }
    no_store(
        status,
        json!({"error": e.code(), "error_description": e.description()}),
    )
}

fn no_store(status: StatusCode, body: Json) -> Response {
    (
        status,
        [
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
        ],
        body.to_string(),
    )
        .into_response()
}

/// The grant's parameters: a form (as RFC 6749 has it) or JSON (as
/// Zendesk also takes), and the client's credentials from HTTP Basic
/// when they are not in the body.
fn grant_params(headers: &HeaderMap, body: &[u8]) -> Result<Map<String, Json>, GrantError> {
    let json_body = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("json"));
    let mut m: Map<String, Json> = if json_body {
        match serde_json::from_slice::<Json>(body) {
            Ok(Json::Object(m)) => m,
            _ => {
                return Err(GrantError::InvalidRequest(
                    "the body is not a JSON object".into(),
                ));
            }
        }
    } else {
        form_urlencoded::parse(body)
            .map(|(k, v)| (k.into_owned(), Json::String(v.into_owned())))
            .collect()
    };
    if let Some(Credentials::Basic { user, secret }) = crate::auth::credentials_in(headers) {
        m.entry("client_id").or_insert(Json::String(user));
        m.entry("client_secret").or_insert(Json::String(secret));
    }
    Ok(m)
}

/// `POST /oauth/tokens`: `grant_type=authorization_code` (`code`,
/// `redirect_uri`) or `client_credentials`, with `client_id` and
/// `client_secret`, and `scope` for the latter. Answers
/// `{access_token, token_type: "bearer", scope}`.
pub async fn grant(
    State(api): State<Api>,
    client: Option<axum::Extension<app::guard::Client>>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let source = client.map(|c| c.0).unwrap_or_default();
    if let Err(e) = crate::auth::limit_source(&api, source) {
        return e.into_response();
    }
    let outcome = async {
        let m = grant_params(&headers, &body)?;
        let text = |k: &str| m.get(k).and_then(Json::as_str).map(str::trim);
        let need = |k: &'static str| {
            text(k)
                .filter(|v| !v.is_empty())
                .ok_or_else(|| GrantError::InvalidRequest(format!("{k} is required")))
        };
        let (id, secret) = (need("client_id")?, need("client_secret")?);
        match text("grant_type") {
            Some("authorization_code") => {
                api.app
                    .exchange_oauth_code(id, secret, need("code")?, need("redirect_uri")?)
                    .await
            }
            Some("client_credentials") => {
                api.app
                    .oauth_client_credentials(id, secret, text("scope"))
                    .await
            }
            _ => Err(GrantError::UnsupportedGrantType),
        }
    };
    match outcome.await {
        Ok(g) => no_store(
            StatusCode::OK,
            json!({"access_token": g.access_token, "token_type": "bearer", "scope": g.scopes.joined()}),
        ),
        Err(e) => refusal(&e),
    }
}
