//! `{{ticket.id}}`-style placeholders in admin-written text (mail
//! templates, and later macros), with Zendesk's names so admins who know
//! Zendesk recognise them. Deliberately not a template language: no loops,
//! no filters, nothing that can fail at send time. Unknown names are caught
//! when the text is saved.

/// Replaces every `{{ name }}` that `lookup` knows; leaves the others as
/// written.
pub fn render(template: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match lookup(name) {
                    Some(v) => out.push_str(&v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// The placeholder names a text uses that are not in `known`.
pub fn unknown(template: &str, known: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim();
        if !known.contains(&name) && !found.iter().any(|f: &String| f == name) {
            found.push(name.to_string());
        }
        rest = &after[end + 2..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_known_and_keeps_unknown() {
        let lookup = |n: &str| (n == "ticket.id").then(|| "42".to_string());
        assert_eq!(
            render("#{{ticket.id}} / {{ ticket.id }}", lookup),
            "#42 / 42"
        );
        assert_eq!(
            render("{{nope}} {{ticket.id", lookup),
            "{{nope}} {{ticket.id"
        );
        assert_eq!(render("no placeholders", lookup), "no placeholders");
        assert_eq!(render("ñ {{ticket.id}} ü", lookup), "ñ 42 ü");
    }

    #[test]
    fn finds_unknown_names_once() {
        assert_eq!(
            unknown("{{a}} {{ticket.id}} {{a}} {{b}}", &["ticket.id"]),
            vec!["a".to_string(), "b".to_string()]
        );
        assert!(unknown("{{ticket.id}}", &["ticket.id"]).is_empty());
    }
}
