//! The agent workspace phase: sign in through the real form, then render
//! queue pages and a ticket page with 50 comments, as agents would all day.

use crate::{Target, call, phase};
use std::sync::Arc;

/// Signs in with the form and returns the session cookie (`name=value`).
pub(crate) async fn sign_in(base: &str, email: &str, password: &str) -> Result<String, String> {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .map_err(|e| e.to_string())?;
    let form = http
        .get(format!("{base}/login"))
        .send()
        .await
        .map_err(|e| e.to_string())?;
    let csrf_cookie = cookies(&form)
        .into_iter()
        .find(|c| c.starts_with("atiende_login_csrf="))
        .ok_or("no sign-in CSRF cookie")?;
    let csrf = csrf_cookie
        .split_once('=')
        .map(|(_, v)| v.to_string())
        .unwrap_or_default();
    let r = http
        .post(format!("{base}/login"))
        .header("cookie", &csrf_cookie)
        .form(&[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/agent"),
        ])
        .send()
        .await
        .map_err(|e| e.to_string())?;
    cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("atiende_session=") && c.len() > "atiende_session=".len())
        .ok_or_else(|| format!("sign-in refused: {}", r.status()))
}

fn cookies(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next().map(str::to_string))
        .collect()
}

/// Fetches a page (with a session cookie, or as a visitor); a page is
/// an answer of more than 500 bytes with a success status.
pub(crate) async fn page(
    t: &Target,
    cookie: Option<&str>,
    path: &str,
) -> Result<serde_json::Value, String> {
    let mut req = t.http.get(format!("{}{path}", t.base));
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let r = req.send().await.map_err(|e| e.to_string())?;
    let status = r.status();
    let body = r.bytes().await.map_err(|e| e.to_string())?;
    if status.is_success() && body.len() > 500 {
        Ok(serde_json::Value::Null)
    } else {
        Err(format!("{path}: {status}"))
    }
}

/// Renders `count` queue pages and `count` ticket pages.
pub async fn run(t: &Arc<Target>, email: &str, password: &str, count: usize, clients: usize) {
    let cookie = match sign_in(&t.base, email, password).await {
        Ok(c) => Arc::new(c),
        Err(e) => {
            eprintln!("pages phase skipped: {e}");
            return;
        }
    };
    // A long conversation: one ticket with 50 comments.
    let created = call(
        t,
        reqwest::Method::POST,
        "/api/v2/tickets.json",
        Some(serde_json::json!({"ticket": {"subject": "Conversación larga", "comment": {"body": "Primer mensaje del cliente."}, "requester": {"name": "Cliente largo", "email": "largo@bench.example"}}})),
    )
    .await;
    let Some(id) = created.ok().and_then(|v| v["ticket"]["id"].as_i64()) else {
        eprintln!("pages phase skipped: could not create the long ticket");
        return;
    };
    for i in 1..50 {
        let public = i % 3 != 0;
        let _ = call(
            t,
            reqwest::Method::PUT,
            &format!("/api/v2/tickets/{id}.json"),
            Some(serde_json::json!({"ticket": {"comment": {"body": format!("Mensaje {i}: seguimos revisando el envío y le escribimos pronto."), "public": public}}})),
        )
        .await;
    }
    let queues = ["unsolved", "pending", "solved", "unassigned", "my-open"];
    let c = cookie.clone();
    phase(t, "render queue page", count, clients, move |t, i| {
        let c = c.clone();
        async move {
            let path = format!(
                "/agent?queue={}&page={}",
                queues[i % queues.len()],
                1 + i % 3
            );
            page(&t, Some(&c), &path).await
        }
    })
    .await;
    let c = cookie.clone();
    phase(
        t,
        "render ticket page (50 comments)",
        count,
        clients,
        move |t, _| {
            let c = c.clone();
            async move { page(&t, Some(&c), &format!("/agent/tickets/{id}")).await }
        },
    )
    .await;
}
