//! The OAuth consent page (Zendesk's `/oauth/authorizations/new`): a
//! signed-in agent or admin is asked whether an application may act for
//! them, and with what (read, or read and write). Allowing sends the
//! browser back to the application's registered address with a one-time
//! code; denying sends it back with `error=access_denied`. An unknown
//! application or an address it did not register gets a page saying so,
//! never a redirect.

use crate::Ui;
use crate::session::{Agent, AgentForm};
use crate::view::enc;
use app::sanitize::escape;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use domain::oauth::Scopes;
use i18n::{Arg, Lang};
use std::collections::HashMap;

/// `redirect_uri` with `params` added to its query.
fn back_to(redirect_uri: &str, params: &[(&str, &str)]) -> String {
    let mut out = redirect_uri.to_string();
    for (i, (k, v)) in params.iter().filter(|(_, v)| !v.is_empty()).enumerate() {
        let sep = if i == 0 && !redirect_uri.contains('?') {
            '?'
        } else {
            '&'
        };
        out.push(sep);
        out.push_str(k);
        out.push('=');
        out.push_str(&enc(v));
    }
    out
}

/// A page of the consent flow: a heading and what follows it.
fn page(lang: Lang, status: StatusCode, heading: &str, inner: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{}</title><link rel=\"stylesheet\" href=\"/assets/agent.css\"></head>\
         <body><main id=\"main\" class=\"consent\"><h1>{}</h1>{inner}</main></body></html>",
        lang.code(),
        escape(heading),
        escape(heading),
    );
    (status, Html(body)).into_response()
}

fn refused(lang: Lang) -> Response {
    let t = i18n::text(lang, "oauth_consent_title");
    let why = i18n::text(lang, "oauth_unknown_client");
    page(
        lang,
        StatusCode::BAD_REQUEST,
        &t,
        &format!("<p class=\"error\" role=\"alert\">{}</p>", escape(&why)),
    )
}

/// `GET /oauth/authorizations/new?response_type=code&client_id=…&redirect_uri=…&scope=…&state=…`
pub async fn ask(
    State(ui): State<Ui>,
    agent: Agent,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let lang = agent.lang;
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    let (id, redirect, state) = (get("client_id"), get("redirect_uri"), get("state"));
    let client = match ui.app.oauth_consent_request(id, redirect).await {
        Ok(Some(c)) => c,
        Ok(None) => return refused(lang),
        Err(e) => return crate::chrome::error_page(&agent, &e),
    };
    if get("response_type") != "code" {
        let to = back_to(
            redirect,
            &[("error", "unsupported_response_type"), ("state", state)],
        );
        return Redirect::to(&to).into_response();
    }
    let scope = q.get("scope").map_or("read write", String::as_str);
    let Ok(scopes) = Scopes::parse(scope) else {
        return Redirect::to(&back_to(
            redirect,
            &[("error", "invalid_scope"), ("state", state)],
        ))
        .into_response();
    };
    let mut can = Vec::new();
    if scopes.read {
        can.push(i18n::text(lang, "oauth_scope_read"));
    }
    if scopes.write {
        can.push(i18n::text(lang, "oauth_scope_write"));
    }
    let asks = i18n::with(
        lang,
        "oauth_consent_asks",
        &[
            ("app", Arg::Text(&client.name)),
            ("person", Arg::Text(&agent.user.name)),
        ],
    );
    let items: String = can
        .iter()
        .map(|c| format!("<li>{}</li>", escape(c)))
        .collect();
    let company = if client.company.is_empty() {
        String::new()
    } else {
        format!("<p>{}</p>", escape(&client.company))
    };
    let hidden = |k: &str, v: &str| {
        format!(
            "<input type=\"hidden\" name=\"{k}\" value=\"{}\">",
            escape(v)
        )
    };
    let inner = format!(
        "<p>{}</p>{company}<ul>{items}</ul><p>{}</p>\
         <form method=\"post\" action=\"/oauth/authorizations\">{}{}{}{}{}\
         <button type=\"submit\" name=\"decision\" value=\"allow\">{}</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\">{}</button></form>",
        escape(&asks),
        escape(&i18n::text(lang, "oauth_consent_revoke")),
        hidden("csrf", &agent.user.csrf),
        hidden("client_id", id),
        hidden("redirect_uri", redirect),
        hidden("scope", &scopes.joined()),
        hidden("state", state),
        escape(&i18n::text(lang, "oauth_allow")),
        escape(&i18n::text(lang, "oauth_deny")),
    );
    let mut resp = page(
        lang,
        StatusCode::OK,
        &i18n::text(lang, "oauth_consent_title"),
        &inner,
    );
    // Browsers hold the redirect after the form to the page's
    // `form-action`: this page lets it go on to the application's
    // registered address, and nowhere else.
    if let Some(csp) = consent_policy(redirect) {
        resp.headers_mut()
            .insert(axum::http::header::CONTENT_SECURITY_POLICY, csp);
    }
    resp
}

/// The site's content policy with `form-action` widened to the origin of
/// the application's registered address.
fn consent_policy(redirect: &str) -> Option<axum::http::HeaderValue> {
    let uri: axum::http::Uri = redirect.parse().ok()?;
    let origin = format!("{}://{}", uri.scheme_str()?, uri.authority()?);
    if origin.contains([';', ',', '\'', ' ']) {
        return None;
    }
    axum::http::HeaderValue::from_str(&app::page_policy::with_form_target(&origin)).ok()
}

/// `POST /oauth/authorizations` (`decision` allow or deny): back to the
/// application with a code or with `access_denied`.
pub async fn decide(State(ui): State<Ui>, AgentForm { agent, form }: AgentForm) -> Response {
    let get = |k: &str| form.get(k).unwrap_or("");
    let (id, redirect, state) = (get("client_id"), get("redirect_uri"), get("state"));
    match ui.app.oauth_consent_request(id, redirect).await {
        Ok(Some(_)) => {}
        Ok(None) => return refused(agent.lang),
        Err(e) => return crate::chrome::error_page(&agent, &e),
    }
    if get("decision") != "allow" {
        let to = back_to(redirect, &[("error", "access_denied"), ("state", state)]);
        return Redirect::to(&to).into_response();
    }
    match ui
        .app
        .grant_oauth_code(agent.user.actor, id, redirect, Some(get("scope")))
        .await
    {
        Ok(code) => {
            Redirect::to(&back_to(redirect, &[("code", &code), ("state", state)])).into_response()
        }
        Err(e) => Redirect::to(&back_to(redirect, &[("error", e.code()), ("state", state)]))
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::{back_to, consent_policy};

    #[test]
    fn the_consent_form_may_lead_only_to_the_registered_origin() {
        let csp = consent_policy("https://tool.example:8443/cb?x=1")
            .map(|v| v.to_str().unwrap_or_default().to_string())
            .unwrap_or_default();
        assert!(
            csp.contains("form-action 'self' https://tool.example:8443;"),
            "{csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
    }

    #[test]
    fn the_way_back_keeps_the_applications_query() {
        assert_eq!(
            back_to("https://tool.example/cb", &[("code", "a b"), ("state", "")]),
            "https://tool.example/cb?code=a+b"
        );
        assert_eq!(
            back_to(
                "https://tool.example/cb?x=1",
                &[("error", "access_denied"), ("state", "s")]
            ),
            "https://tool.example/cb?x=1&error=access_denied&state=s"
        );
    }
}
