//! The public help center phase: write `articles` articles (half Spanish,
//! half English, in 20 sections) through the API, then render article
//! pages, the front page and search pages as visitors would (no
//! credentials), as the issue's "article page p95 ≤ 20 ms with 5,000
//! articles" asks.

use crate::{Target, call, phase};
use std::sync::Arc;

const TOPICS: &[&str] = &[
    "contraseña",
    "factura",
    "envío",
    "devolución",
    "pedido",
    "cuenta",
    "tarjeta",
    "suscripción",
    "password",
    "invoice",
    "shipping",
    "refund",
    "order",
    "account",
    "card",
    "subscription",
];

/// A visitor's page: no session.
async fn visit(t: &Target, path: &str) -> Result<serde_json::Value, String> {
    crate::pages::page(t, None, path).await
}

pub async fn run(t: &Arc<Target>, articles: usize, pages: usize, clients: usize) {
    let mut sections = Vec::new();
    for locale in ["es", "en-us"] {
        let cat = call(
            t,
            reqwest::Method::POST,
            &format!("/api/v2/help_center/{locale}/categories.json"),
            Some(serde_json::json!({"category": {"name": format!("Ayuda {locale}")}})),
        )
        .await;
        let Some(cat) = cat.ok().and_then(|v| v["category"]["id"].as_i64()) else {
            eprintln!("help center phase skipped: could not create a category");
            return;
        };
        for s in 0..10 {
            let sec = call(
                t,
                reqwest::Method::POST,
                &format!("/api/v2/help_center/categories/{cat}/sections.json"),
                Some(serde_json::json!({"section": {"name": format!("Sección {s} {locale}")}})),
            )
            .await;
            if let Some(id) = sec.ok().and_then(|v| v["section"]["id"].as_i64()) {
                sections.push((locale, id));
            }
        }
    }
    if sections.is_empty() {
        return;
    }
    let sections = Arc::new(sections);
    let s = sections.clone();
    let made = phase(t, "write help center article", articles, clients, move |t, i| {
        let (locale, section) = s[i % s.len()];
        async move {
            let topic = TOPICS[i % TOPICS.len()];
            let body = format!(
                "<p>Artículo {i} sobre {topic}: cómo resolver los problemas más comunes con tu {topic}, paso a paso.</p>\
                 <ol><li>Abre tu cuenta.</li><li>Busca «{topic}» en el menú.</li><li>Sigue las instrucciones.</li></ol>\
                 <p>Si sigue sin funcionar, escríbenos y te ayudará una persona.</p>"
            );
            let v = call(
                &t,
                reqwest::Method::POST,
                &format!("/api/v2/help_center/sections/{section}/articles.json"),
                Some(serde_json::json!({"article": {"title": format!("{topic} {i}: preguntas frecuentes"), "body": body, "promoted": i % 97 == 0}})),
            )
            .await?;
            Ok(serde_json::json!([locale, v["article"]["id"]]))
        }
    })
    .await;
    let ids: Arc<Vec<(String, i64)>> = Arc::new(
        made.iter()
            .filter_map(|v| Some((v[0].as_str()?.to_string(), v[1].as_i64()?)))
            .collect(),
    );
    if ids.is_empty() {
        return;
    }
    let a = ids.clone();
    phase(
        t,
        "render help center article page",
        pages,
        clients,
        move |t, i| {
            let (locale, id) = a[(i * 7919) % a.len()].clone();
            async move { visit(&t, &format!("/hc/{locale}/articles/{id}")).await }
        },
    )
    .await;
    phase(
        t,
        "render help center front page",
        pages / 4,
        clients,
        |t, i| async move { visit(&t, if i % 2 == 0 { "/hc/es" } else { "/hc/en-us" }).await },
    )
    .await;
    phase(
        t,
        "render help center search page",
        pages / 4,
        clients,
        |t, i| async move {
            let topic = TOPICS[i % TOPICS.len()];
            let locale = if i % TOPICS.len() < 8 { "es" } else { "en-us" };
            visit(
                &t,
                &format!(
                    "/hc/{locale}/search?query={}",
                    topic.replace('ñ', "n").replace('í', "i").replace('ó', "o")
                ),
            )
            .await
        },
    )
    .await;
}
