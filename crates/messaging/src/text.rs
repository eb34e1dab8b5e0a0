//! Texts longer than a provider takes in one message, and choices
//! written out where a channel has no buttons.

/// Splits a long text into parts of at most `max` characters, at
/// whitespace where it can; no character is lost or cut in two.
pub fn split_text(text: &str, max: usize) -> Vec<String> {
    let mut parts = Vec::new();
    let mut rest = text.trim();
    while rest.chars().count() > max {
        let cut = rest.char_indices().nth(max).map_or(rest.len(), |(i, _)| i);
        let at = rest[..cut]
            .rfind(char::is_whitespace)
            .filter(|i| *i > cut / 2)
            .unwrap_or(cut);
        parts.push(rest[..at].trim_end().to_string());
        rest = rest[at..].trim_start();
    }
    if !rest.is_empty() {
        parts.push(rest.to_string());
    }
    parts
}

/// The text with a message's choices listed under it, one per line, for a
/// channel (or a message) whose buttons cannot go as buttons: the
/// customer answers by writing one.
pub fn with_choices(text: &str, choices: &[String]) -> String {
    if choices.is_empty() {
        return text.to_string();
    }
    let mut out = text.trim_end().to_string();
    out.push('\n');
    for c in choices {
        out.push_str("\n• ");
        out.push_str(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_texts_split_at_whitespace_and_keep_every_character() {
        let text = "ñandú ".repeat(1000);
        let parts = split_text(&text, 4096);
        assert!(parts.len() >= 2);
        assert!(parts.iter().all(|p| p.chars().count() <= 4096));
        assert_eq!(parts.join(" "), text.trim());
    }

    #[test]
    fn choices_are_listed_under_the_text() {
        assert_eq!(with_choices("¿Te ha servido?", &[]), "¿Te ha servido?");
        assert_eq!(
            with_choices(
                "¿Te ha servido?\n",
                &["Sí".into(), "Hablar con persona".into()]
            ),
            "¿Te ha servido?\n\n• Sí\n• Hablar con persona"
        );
    }
}
