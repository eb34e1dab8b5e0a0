//! The help center's look, set by an admin in the workspace: its name per
//! language, the accent colour (refused when unreadable on white), a logo
//! (an image, nothing else), and footer links (nowhere unsafe) — shown on
//! every public page.

use super::workspace::Browser;
use super::*;

async fn save(
    b: &Browser,
    csrf: &str,
    fields: &[(&str, &str)],
    logo: Option<(&str, Vec<u8>)>,
) -> (u16, String) {
    let mut form = reqwest::multipart::Form::new().text("csrf", csrf.to_string());
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    if let Some((name, data)) = logo {
        form = form.part(
            "logo",
            reqwest::multipart::Part::bytes(data).file_name(name.to_string()),
        );
    }
    b.post_multipart("/agent/admin/look", form).await
}

both!(admins_set_how_the_help_center_looks, |srv| {
    let mut b = Browser::new(&srv.base);
    b.sign_in("admin@example.com", "admin-password-1").await;
    let page = b.get("/agent/admin/look").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = super::workspace::hidden(&page.body, "csrf");

    // Refused, with the reason: a colour unreadable on white, a link to
    // script, a file that is not an image.
    let (s, body) = save(&b, &csrf, &[("accent", "#ffcc00")], None).await;
    assert_eq!(s, 422);
    assert!(body.contains("4.5:1"), "{body}");
    let (s, body) = save(&b, &csrf, &[("links", "Malo | javascript:alert(1)")], None).await;
    assert_eq!(s, 422, "{body}");
    let (s, _) = save(
        &b,
        &csrf,
        &[],
        Some(("logo.svg", b"<svg onload=alert(1)>".to_vec())),
    )
    .await;
    assert_eq!(s, 422);

    let (s, body) = save(&b,
        &csrf,
        &[("name_es", "Ayuda de Tienda Sol"), ("name_en", "Tienda Sol Help"), ("accent", "#7a1f5c"),
          ("links", "Condiciones | https://tiendasol.example/condiciones\nPrivacidad | /hc/es/articles/1")],
        Some(("logo.png", TINY_PNG.to_vec())),
    )
    .await;
    assert_eq!(s, 303, "{body}");

    // Every public page wears it, in its language.
    let mut visitor = Browser::new(&srv.base);
    let home = visitor.get("/hc/es").await;
    assert!(
        home.body.contains("<title>Ayuda de Tienda Sol</title>"),
        "{}",
        home.body
    );
    assert!(home.body.contains("--accent: #7a1f5c"), "{}", home.body);
    assert!(
        home.body
            .contains("href=\"https://tiendasol.example/condiciones\">Condiciones</a>"),
        "{}",
        home.body
    );
    assert!(home.body.contains("/hc/assets/logo?v=1"), "{}", home.body);
    let en = visitor.get("/hc/en-us/search?query=x").await;
    assert!(en.body.contains("Tienda Sol Help"), "{}", en.body);
    let logo = reqwest::get(format!("{}/hc/assets/logo?v=1", srv.base))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        logo.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/png")
    );
    assert_eq!(
        logo.bytes().await.map(|b| b.to_vec()).unwrap_or_default(),
        TINY_PNG
    );

    // Customers cannot change it.
    let mut cust = Browser::new(&srv.base);
    let page = cust.get("/agent/admin/look").await;
    assert!(matches!(page.status, 302 | 303), "{}", page.status);
});
