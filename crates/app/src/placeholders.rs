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

/// The language a customer reads: their profile's, else the one their
/// ticket was written in (`es` or `en`).
pub async fn customer_language(
    c: &mut store::Conn<'_>,
    t: &store::model::Ticket,
) -> Result<String, crate::AppError> {
    let locale = store::repo::users::get(c, t.requester_id)
        .await?
        .map(|u| u.locale.to_ascii_lowercase())
        .unwrap_or_default();
    Ok(if locale.starts_with("es") {
        "es".into()
    } else {
        match search::analyze::detect(&search::fold(&t.description)) {
            search::analyze::Language::Spanish => "es".into(),
            search::analyze::Language::English => "en".into(),
        }
    })
}

/// Status and priority names in a language, for placeholders.
fn word_in(lang: &str, word: &str) -> String {
    let es = [
        ("new", "nuevo"),
        ("open", "abierto"),
        ("pending", "pendiente"),
        ("hold", "en espera"),
        ("solved", "resuelto"),
        ("closed", "cerrado"),
        ("low", "baja"),
        ("normal", "normal"),
        ("high", "alta"),
        ("urgent", "urgente"),
    ];
    if lang == "es"
        && let Some((_, w)) = es.iter().find(|(k, _)| *k == word)
    {
        return (*w).to_string();
    }
    word.to_string()
}

/// The placeholders of a ticket and the agent at work, with names of
/// states in `lang` (macros).
pub async fn ticket_values(
    c: &mut store::Conn<'_>,
    t: &store::model::Ticket,
    agent: Option<&store::model::User>,
    lang: &str,
) -> Result<Vec<(String, String)>, crate::AppError> {
    let requester = store::repo::users::get(c, t.requester_id).await?;
    let rname = requester
        .as_ref()
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let aname = agent.map(|u| u.name.clone()).unwrap_or_default();
    let first = |s: &str| s.split_whitespace().next().unwrap_or("").to_string();
    Ok(vec![
        ("ticket.id".into(), t.id.to_string()),
        ("ticket.title".into(), t.subject.clone()),
        ("ticket.status".into(), word_in(lang, t.status.as_str())),
        (
            "ticket.priority".into(),
            t.priority
                .map(|p| word_in(lang, p.as_str()))
                .unwrap_or_default(),
        ),
        ("ticket.requester.name".into(), rname.clone()),
        ("ticket.requester.first_name".into(), first(&rname)),
        ("current_user.name".into(), aname.clone()),
        ("current_user.first_name".into(), first(&aname)),
    ])
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
