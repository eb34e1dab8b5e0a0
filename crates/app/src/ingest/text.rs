//! A message's words as a comment stores them: what was written this time,
//! then any quoted history (an email's earlier messages and signature, a
//! quoted chat message), kept whole but folded in a `<details>` the
//! timeline shows as a localised "quoted text" toggle.

use crate::sanitize::{clean_html, escape, html_to_text, text_to_html};
use crate::tickets::CommentText;

/// The marker the timeline replaces with a localised "quoted text" toggle.
pub const QUOTED_SUMMARY: &str = "<summary data-quoted></summary>";

/// Earlier text a message quotes, as the channel separated it.
#[derive(Debug, Clone, Default)]
pub struct Quoted {
    pub text: Option<String>,
    /// HTML from outside, sanitised here.
    pub html: Option<String>,
}

/// The comment's stored text and HTML. Outside HTML is sanitised; a
/// message with no words at all (a photo, a location) still makes one.
pub(crate) fn comment_text(text: &str, html: Option<&str>, quoted: &Quoted) -> CommentText {
    let html = html.filter(|h| !h.trim().is_empty()).map(clean_html);
    let text = match (text.trim_end(), &html) {
        ("", Some(h)) => html_to_text(h).trim_end().to_string(),
        (t, _) => t.to_string(),
    };
    let quoted_text = quoted.text.as_deref().filter(|q| !q.trim().is_empty());
    let body = match quoted_text {
        Some(q) => format!("{text}\n\n{}", q.trim_end()),
        None => text.clone(),
    };
    let body = if body.trim().is_empty() {
        "(no text)".to_string()
    } else {
        body
    };
    let head = match html {
        Some(h) => h,
        None if text.is_empty() => String::new(),
        None => text_to_html(&text),
    };
    let folded = match (quoted.html.as_deref(), quoted_text) {
        (Some(h), _) if !h.trim().is_empty() => Some(clean_html(h)),
        (_, Some(q)) => Some(format!(
            "<pre class=\"quoted-text\">{}</pre>",
            escape(q.trim_end())
        )),
        _ => None,
    };
    let html = match folded {
        Some(f) => format!("{head}<details class=\"quoted\">{QUOTED_SUMMARY}{f}</details>"),
        None if head.is_empty() => text_to_html(&body),
        None => head,
    };
    CommentText::prepared(body, html)
}

/// The line a comment carries for a file too large to attach.
pub(crate) fn too_large_note(name: &str, bytes: usize) -> String {
    format!("[{name} ({bytes} bytes) was too large to attach; the original message is kept.]")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_history_is_kept_folded_and_outside_html_is_cleaned() {
        let q = Quoted {
            text: Some("> earlier".into()),
            html: None,
        };
        let t = comment_text("Hola", Some("<p onclick=x>Hola</p><script>1</script>"), &q);
        assert_eq!(t.body(), "Hola\n\n> earlier");
        let html = t.html_body();
        assert!(
            html.starts_with("<p>Hola</p><details class=\"quoted\">"),
            "{html}"
        );
        assert!(
            !html.contains("script") && !html.contains("onclick"),
            "{html}"
        );
        assert!(html.contains("&gt; earlier"), "{html}");
    }

    #[test]
    fn html_alone_gives_the_text_and_nothing_gives_a_placeholder() {
        let t = comment_text("", Some("<b>Sólo</b> HTML"), &Quoted::default());
        assert_eq!(t.body(), "Sólo HTML");
        let t = comment_text("  ", None, &Quoted::default());
        assert_eq!(t.body(), "(no text)");
        assert_eq!(t.html_body(), "<p>(no text)</p>");
    }
}
