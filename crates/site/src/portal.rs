//! Signing in to the customer portal: by a link we email (one use, 15
//! minutes) or by password; signing out. The link's page asks for a click
//! before it is used, so a mail scanner that follows links does not use it
//! up. Nothing here says whether an address has an account.

use crate::Site;
use crate::form::{self, Form, SIGN_IN_CSRF_COOKIE};
use crate::locale::SiteLocale;
use crate::pages::rendered_page;
use crate::reader::Reader;
use crate::view::Frame;
use crate::words;
use app::guard::Client;
use app::portal::LinkAsked;
use app::sessions::{LoginRefused, SESSION_COOKIE};
use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

/// How long a portal session lasts (as the workspace's).
const SESSION_MAX_AGE: i64 = 7 * 86_400;

#[derive(Template)]
#[template(path = "hc_signin.html")]
struct SignInPage {
    frame: Frame,
    csrf: String,
    email: String,
    notice: Option<String>,
    problem: Option<String>,
    link_action: String,
    password_action: String,
}

/// The sign-in page with what to say, and the CSRF cookie set if the
/// browser had none.
fn sign_in_page(
    l: SiteLocale,
    reader: &Reader,
    headers: &HeaderMap,
    status: StatusCode,
    email: String,
    notice: Option<String>,
    problem: Option<String>,
) -> Response {
    let t = words::of(l.lang());
    let (csrf, fresh) = form::sign_in_token(headers);
    let base = format!("/hc/{}/signin", l.code());
    let p = SignInPage {
        frame: Frame::new(l, t.sign_in.to_string()).for_reader(reader),
        csrf: csrf.clone(),
        email,
        notice,
        problem,
        link_action: format!("{base}/link"),
        password_action: base,
    };
    let mut resp = rendered_page(status, "no-store", &p);
    form::keep_sign_in_token(&mut resp, &csrf, fresh);
    resp
}

/// The locale and form of a posted sign-in form, or the answer for one in
/// no locale of ours, from another site, or without this browser's token.
#[allow(clippy::result_large_err)]
fn posted_sign_in_form(
    site: &Site,
    locale: &str,
    reader: &Reader,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(SiteLocale, Form), Response> {
    let Some(l) = SiteLocale::exact(locale) else {
        return Err(crate::pages::not_found_in(headers));
    };
    let f = Form::parse(body);
    if !form::same_origin(site, headers) || !form::sign_in_csrf_ok(headers, &f) {
        let problem = Some(words::of(l.lang()).form_expired.to_string());
        let email = f.text("email");
        return Err(sign_in_page(
            l,
            reader,
            headers,
            StatusCode::FORBIDDEN,
            email,
            None,
            problem,
        ));
    }
    Ok((l, f))
}

/// `GET /hc/{locale}/signin` (also for someone signed in: they may sign
/// in as someone else).
pub async fn sign_in(Path(locale): Path<String>, reader: Reader, headers: HeaderMap) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return crate::pages::not_found_in(&headers);
    };
    sign_in_page(
        l,
        &reader,
        &headers,
        StatusCode::OK,
        String::new(),
        None,
        None,
    )
}

/// `POST /hc/{locale}/signin/link`: mails a link if the address is an
/// account's; says the same either way.
pub async fn send_link(
    State(site): State<Site>,
    Path(locale): Path<String>,
    reader: Reader,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (l, f) = match posted_sign_in_form(&site, &locale, &reader, &headers, &body) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let t = words::of(l.lang());
    let email = f.text("email");
    let client = client.map(|Extension(c)| c).unwrap_or_default();
    let prefix = site.url(&headers, &format!("/hc/{}/signin/link/", l.code()));
    match site
        .app
        .send_sign_in_link(&email, l.lang(), &prefix, client)
        .await
    {
        Ok(LinkAsked::Sent) => {
            let notice = Some(t.link_sent(&email));
            sign_in_page(l, &reader, &headers, StatusCode::OK, email, notice, None)
        }
        Ok(LinkAsked::TooMany) => {
            let problem = Some(t.too_many.to_string());
            sign_in_page(
                l,
                &reader,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                email,
                None,
                problem,
            )
        }
        Err(app::AppError::Invalid(_)) => {
            let problem = Some(t.bad_email.to_string());
            sign_in_page(
                l,
                &reader,
                &headers,
                StatusCode::UNPROCESSABLE_ENTITY,
                email,
                None,
                problem,
            )
        }
        Err(e) => crate::pages::failure(l.lang(), &e),
    }
}

/// `POST /hc/{locale}/signin`: email and password.
pub async fn password(
    State(site): State<Site>,
    Path(locale): Path<String>,
    reader: Reader,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (l, f) = match posted_sign_in_form(&site, &locale, &reader, &headers, &body) {
        Ok(found) => found,
        Err(answer) => return answer,
    };
    let t = words::of(l.lang());
    let email = f.text("email");
    let client = client.map(|Extension(c)| c).unwrap_or_default();
    let password = f.get("password").unwrap_or("");
    match site.app.portal_login(&email, password, client).await {
        Ok(Ok(token)) => signed_in(l, &token),
        Ok(Err(LoginRefused::TooManyAttempts(secs))) => {
            let mut r = sign_in_page(
                l,
                &reader,
                &headers,
                StatusCode::TOO_MANY_REQUESTS,
                email,
                None,
                Some(t.wait(secs)),
            );
            if let Ok(v) = secs.to_string().parse() {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            r
        }
        Ok(Err(_)) => {
            let problem = Some(t.bad_credentials.to_string());
            sign_in_page(
                l,
                &reader,
                &headers,
                StatusCode::UNAUTHORIZED,
                email,
                None,
                problem,
            )
        }
        Err(e) => crate::pages::failure(l.lang(), &e),
    }
}

#[derive(Template)]
#[template(path = "hc_link.html")]
struct LinkPage {
    frame: Frame,
    heading: String,
    csrf: String,
    action: String,
}

/// `GET /hc/{locale}/signin/link/{token}`: "Sign in as …" and a button.
pub async fn link(
    State(site): State<Site>,
    Path((locale, token)): Path<(String, String)>,
    reader: Reader,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return crate::pages::not_found_in(&headers);
    };
    let t = words::of(l.lang());
    match site.app.sign_in_link_address(&token).await {
        Ok(Some(email)) => {
            let (csrf, fresh) = form::sign_in_token(&headers);
            let p = LinkPage {
                frame: Frame::new(l, t.sign_in.to_string()).for_reader(&reader),
                heading: t.link_confirm(&email),
                csrf: csrf.clone(),
                action: format!("/hc/{}/signin/link/{}", l.code(), token_part(&token)),
            };
            let mut resp = rendered_page(StatusCode::OK, "no-store", &p);
            // The link's address (its token) must not reach other sites as
            // a referrer. (`no-referrer` would also make the browser send
            // `Origin: null` with the form, which the origin check refuses.)
            resp.headers_mut().insert(
                header::REFERRER_POLICY,
                header::HeaderValue::from_static("same-origin"),
            );
            form::keep_sign_in_token(&mut resp, &csrf, fresh);
            resp
        }
        Ok(None) => dead_link(l, &reader, &headers),
        Err(e) => crate::pages::failure(l.lang(), &e),
    }
}

/// `POST /hc/{locale}/signin/link/{token}`: uses the link up, signs in.
pub async fn use_link(
    State(site): State<Site>,
    Path((locale, token)): Path<(String, String)>,
    reader: Reader,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = match posted_sign_in_form(&site, &locale, &reader, &headers, &body) {
        Ok((l, _)) => l,
        Err(answer) => return answer,
    };
    match site.app.redeem_sign_in_link(&token).await {
        Ok(Some(session)) => signed_in(l, &session),
        Ok(None) => dead_link(l, &reader, &headers),
        Err(e) => crate::pages::failure(l.lang(), &e),
    }
}

/// `POST /hc/{locale}/signout`.
pub async fn sign_out(
    State(site): State<Site>,
    Path(locale): Path<String>,
    reader: Reader,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let l = SiteLocale::exact(&locale).unwrap_or(SiteLocale::of(i18n::Lang::Es));
    let f = Form::parse(&body);
    let (Some((_, csrf)), Some(token)) = (
        &reader.session,
        crate::reader::cookie(&headers, SESSION_COOKIE),
    ) else {
        return to_sign_in(l, false);
    };
    if !form::same_secret(csrf, f.get("csrf").unwrap_or("")) {
        return (StatusCode::FORBIDDEN, words::of(l.lang()).form_expired).into_response();
    }
    if let Err(e) = site.app.logout(&token).await {
        return crate::pages::failure(l.lang(), &e);
    }
    let mut resp = Redirect::to(&crate::view::home_path(l)).into_response();
    form::add_cookie(&mut resp, &form::cookie(SESSION_COOKIE, "", "/", 0));
    resp
}

/// A used, expired or unknown link: the sign-in page says so (410 Gone).
fn dead_link(l: SiteLocale, reader: &Reader, headers: &HeaderMap) -> Response {
    let problem = Some(words::of(l.lang()).link_dead.to_string());
    sign_in_page(
        l,
        reader,
        headers,
        StatusCode::GONE,
        String::new(),
        None,
        problem,
    )
}

/// The session cookie, and on to "my requests".
fn signed_in(l: SiteLocale, token: &str) -> Response {
    let mut resp = Redirect::to(&requests_path(l)).into_response();
    form::add_cookie(
        &mut resp,
        &form::cookie(SESSION_COOKIE, token, "/", SESSION_MAX_AGE),
    );
    form::add_cookie(&mut resp, &form::cookie(SIGN_IN_CSRF_COOKIE, "", "/hc", 0));
    resp
}

/// A link token as it may appear in an address we write: letters and
/// digits only (ours are), anything else dropped.
fn token_part(token: &str) -> String {
    token
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(64)
        .collect()
}

/// What someone not signed in gets from a page that needs a session: a
/// page asked for (GET) sends the browser to sign in; a form posted gets
/// 401, as the workspace answers.
pub fn to_sign_in(l: SiteLocale, page: bool) -> Response {
    if page {
        Redirect::to(&format!("/hc/{}/signin", l.code())).into_response()
    } else {
        (StatusCode::UNAUTHORIZED, words::of(l.lang()).sign_in).into_response()
    }
}

pub fn requests_path(l: SiteLocale) -> String {
    format!("/hc/{}/requests", l.code())
}
