//! Turning outside text into safe HTML and plain text. Every HTML body that
//! comes from outside passes through [`clean_html`] before it is stored.

/// Removes scripts, event handlers and anything else unsafe; keeps ordinary
/// formatting, links (made `rel="noopener noreferrer"`) and inline images.
pub fn clean_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// Plain text as HTML paragraphs, escaped.
pub fn text_to_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for para in text.split("\n\n") {
        if para.trim().is_empty() {
            continue;
        }
        out.push_str("<p>");
        for (i, line) in para.lines().enumerate() {
            if i > 0 {
                out.push_str("<br>");
            }
            out.push_str(&escape(line));
        }
        out.push_str("</p>");
    }
    if out.is_empty() {
        "<p></p>".into()
    } else {
        out
    }
}

/// Escapes text for HTML content and attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The readable text of an HTML body: tags dropped, block ends as line
/// breaks, common entities decoded.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    let mut tag = String::new();
    let mut skip_depth = 0u32;
    for c in html.chars() {
        match (in_tag, c) {
            (false, '<') => {
                in_tag = true;
                tag.clear();
            }
            (true, '>') => {
                in_tag = false;
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .collect::<String>()
                    .to_ascii_lowercase();
                let closing = tag.starts_with('/');
                if name == "script" || name == "style" {
                    if closing {
                        skip_depth = skip_depth.saturating_sub(1)
                    } else {
                        skip_depth += 1
                    }
                }
                if matches!(
                    name.as_str(),
                    "br" | "p" | "div" | "li" | "tr" | "h1" | "h2" | "h3" | "h4" | "blockquote"
                ) && !out.ends_with('\n')
                {
                    out.push('\n');
                }
            }
            (true, c) => tag.push(c),
            (false, c) if skip_depth == 0 => out.push(c),
            _ => {}
        }
    }
    let decoded = out
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    decoded.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed() {
        let dirty = r#"<p onclick="x()">Hola <script>alert(1)</script><a href="javascript:alert(2)">link</a><img src=x onerror=alert(3)></p>"#;
        let clean = clean_html(dirty);
        assert!(
            !clean.contains("script")
                && !clean.contains("onclick")
                && !clean.contains("onerror")
                && !clean.contains("javascript:"),
            "{clean}"
        );
        assert!(clean.contains("Hola"));
    }

    #[test]
    fn text_round_trips_through_html() {
        let html = text_to_html("Hola <b>mundo</b>\nlinea dos\n\nparrafo");
        assert_eq!(
            html,
            "<p>Hola &lt;b&gt;mundo&lt;/b&gt;<br>linea dos</p><p>parrafo</p>"
        );
        assert_eq!(html_to_text(&html), "Hola <b>mundo</b>\nlinea dos\nparrafo");
        assert_eq!(html_to_text("<p>a<script>evil()</script>b</p>"), "ab");
    }
}
