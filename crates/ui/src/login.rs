//! Signing in and out, and the language switch.

use crate::Ui;
use crate::chrome::render;
use crate::i18n::{Lang, Text, Words};
use crate::session::{
    AgentForm, DEVICE_COOKIE, Form, LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, browser_lang,
    cookie, safe_next, same_secret, set_cookie,
};
use app::guard::Client;
use app::sessions::LoginRefused;
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use std::collections::HashMap;

const YEAR: i64 = 365 * 86_400;
const WEEK: i64 = 7 * 86_400;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: &'static Text,
    lang: &'static str,
    csrf: String,
    next: String,
    email: String,
    error: Option<&'static str>,
}

fn login_page(
    status: StatusCode,
    lang: Lang,
    next: String,
    email: String,
    error: Option<&'static str>,
) -> Response {
    // A fresh double-submit token for every form shown.
    let csrf = app::auth::random_token(32);
    let mut resp = render(
        status,
        &LoginPage {
            t: lang.text(),
            lang: lang.code(),
            csrf: csrf.clone(),
            next,
            email,
            error,
        },
    );
    add_cookie(&mut resp, set_cookie(LOGIN_CSRF_COOKIE, &csrf, 3600));
    resp
}

fn add_cookie(resp: &mut Response, cookie: String) {
    if let Ok(v) = cookie.parse() {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

/// `GET /login` (`?lang=es` switches the page's language).
pub async fn form(headers: HeaderMap, Query(q): Query<HashMap<String, String>>) -> Response {
    let lang = q
        .get("lang")
        .map_or_else(|| browser_lang(&headers), |l| Lang::from_locale(l));
    let mut resp = login_page(
        StatusCode::OK,
        lang,
        safe_next(q.get("next").map(String::as_str)),
        String::new(),
        None,
    );
    if q.contains_key("lang") {
        add_cookie(&mut resp, set_cookie(LANG_COOKIE, lang.code(), YEAR));
    }
    resp
}

/// `POST /login`: email + password → session cookie → the page asked for.
/// Attempts are limited by the app's credential guard (per account and
/// source, shared with the API); a browser that signed in to the account
/// before gets through a lock put on it by others.
pub async fn submit(
    State(ui): State<Ui>,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let client = client.map(|Extension(c)| c).unwrap_or_default();
    let form = Form::parse(&body);
    let lang = browser_lang(&headers);
    let t = lang.text();
    let email = form.get("email").unwrap_or("").trim().to_string();
    let next = safe_next(form.get("next"));
    let csrf_ok = match (cookie(&headers, LOGIN_CSRF_COOKIE), form.get("csrf")) {
        (Some(c), Some(f)) => same_secret(&c, f),
        _ => false,
    };
    if !csrf_ok {
        return login_page(
            StatusCode::FORBIDDEN,
            lang,
            next,
            email,
            Some(t.form_expired),
        );
    }
    let password = form.get("password").unwrap_or("");
    let known_device = match cookie(&headers, DEVICE_COOKIE) {
        Some(mark) => ui.app.is_known_device(&email, &mark).await.unwrap_or(false),
        None => false,
    };
    match ui.app.login(&email, password, client, known_device).await {
        Ok(Ok(token)) => {
            let mut resp = Redirect::to(&next).into_response();
            add_cookie(&mut resp, set_cookie(SESSION_COOKIE, &token, WEEK));
            add_cookie(&mut resp, set_cookie(LOGIN_CSRF_COOKIE, "", 0));
            if let Ok(mark) = ui.app.device_mark(&email).await {
                add_cookie(&mut resp, set_cookie(DEVICE_COOKIE, &mark, YEAR));
            }
            resp
        }
        Ok(Err(LoginRefused::TooManyAttempts(secs))) => {
            let mut resp = login_page(
                StatusCode::TOO_MANY_REQUESTS,
                lang,
                next,
                email,
                Some(t.too_many_attempts),
            );
            if let Ok(v) = secs.to_string().parse() {
                resp.headers_mut().insert(header::RETRY_AFTER, v);
            }
            resp
        }
        Ok(Err(why)) => {
            let msg = match why {
                LoginRefused::NotStaff => t.not_staff,
                _ => t.wrong_password,
            };
            login_page(StatusCode::UNAUTHORIZED, lang, next, email, Some(msg))
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed");
            login_page(
                StatusCode::SERVICE_UNAVAILABLE,
                lang,
                next,
                email,
                Some(t.error),
            )
        }
    }
}

/// `POST /logout`.
pub async fn logout(State(ui): State<Ui>, headers: HeaderMap, _checked: AgentForm) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE)
        && let Err(e) = ui.app.logout(&token).await
    {
        tracing::error!(error = %e, "sign-out failed");
    }
    let mut resp = Redirect::to("/login").into_response();
    add_cookie(&mut resp, set_cookie(SESSION_COOKIE, "", 0));
    resp
}

/// `POST /agent/presence`: the agent says whether routing gives them work
/// (every channel at once).
pub async fn presence(
    State(ui): State<Ui>,
    headers: HeaderMap,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let Ok(p) = form
        .get("presence")
        .unwrap_or("")
        .parse::<domain::routing::Presence>()
    else {
        return crate::chrome::error_page(
            &agent,
            &app::AppError::bad("presence: online, away or offline"),
        );
    };
    let change = app::routing::ProfileChange {
        presence: [Some(p); 3],
        ..Default::default()
    };
    if let Err(e) = ui
        .app
        .update_routing_profile(agent.user.actor, agent.user.actor.user, change)
        .await
    {
        return crate::chrome::error_page(&agent, &e);
    }
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/agent").map(|i| r[i..].to_string()));
    Redirect::to(&safe_next(back.as_deref())).into_response()
}

/// `POST /agent/language`: the agent's choice, kept on their profile and in
/// the browser.
pub async fn language(
    State(ui): State<Ui>,
    headers: HeaderMap,
    AgentForm { agent, form }: AgentForm,
) -> Response {
    let lang = Lang::from_locale(form.get("lang").unwrap_or("en"));
    if let Err(e) = ui.app.set_own_locale(agent.user.actor, lang.code()).await {
        return crate::chrome::error_page(&agent, &e);
    }
    // Back to the page the switch was made on, if it is ours.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.find("/agent").map(|i| r[i..].to_string()));
    let mut resp = Redirect::to(&safe_next(back.as_deref())).into_response();
    add_cookie(&mut resp, set_cookie(LANG_COOKIE, lang.code(), YEAR));
    resp
}
