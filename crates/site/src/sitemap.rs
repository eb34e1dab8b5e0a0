//! `/hc/sitemap.xml`: every public page of the help center, each with its
//! last change, so search engines find articles (and nothing internal).

use crate::Site;
use app::sanitize::escape;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

pub async fn sitemap(State(site): State<Site>, headers: HeaderMap) -> Response {
    let places = match site.app.help_center_places().await {
        Ok(p) => p,
        Err(e) => {
            tracing::error!(error = %e, "sitemap failed");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for l in crate::locale::SiteLocale::all() {
        push(
            &mut xml,
            &site.url(&headers, &crate::view::home_path(l)),
            None,
        );
    }
    for p in &places {
        let path = crate::view::place_path(p.kind, &p.locale, p.id, &p.title);
        push(
            &mut xml,
            &site.url(&headers, &path),
            Some(p.updated_at.to_iso()),
        );
    }
    xml.push_str("</urlset>\n");
    (
        [
            (header::CONTENT_TYPE, "application/xml; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        xml,
    )
        .into_response()
}

fn push(xml: &mut String, loc: &str, lastmod: Option<String>) {
    xml.push_str("  <url><loc>");
    xml.push_str(&escape(loc));
    xml.push_str("</loc>");
    if let Some(m) = lastmod {
        xml.push_str("<lastmod>");
        xml.push_str(&m);
        xml.push_str("</lastmod>");
    }
    xml.push_str("</url>\n");
}
