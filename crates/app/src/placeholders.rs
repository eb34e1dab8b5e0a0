//! `{{ticket.id}}`-style placeholders in admin-written text (mail
//! templates, and later macros), with Zendesk's names so admins who know
//! Zendesk recognise them. Deliberately not a template language: no loops,
//! no filters, nothing that can fail at send time. Unknown names are caught
//! when the text is saved.

use domain::{Priority, Status};

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

/// Status and priority words per language (Spanish, English), in each
/// set's `ALL` order, read from the catalogs
/// (`crates/i18n/locales/*/placeholders.ftl`) once: every mail atiende
/// sends fills these placeholders.
struct Words {
    status: Vec<String>,
    priority: Vec<String>,
}

static WORDS: std::sync::LazyLock<[Words; 2]> = std::sync::LazyLock::new(|| {
    let read = |lang, kind: &str, words: &mut dyn Iterator<Item = &'static str>| {
        words
            .map(|w| i18n::text(lang, &format!("placeholder-{kind}-{w}")))
            .collect()
    };
    [i18n::Lang::Es, i18n::Lang::En].map(|lang| Words {
        status: read(lang, "status", &mut Status::ALL.iter().map(|s| s.as_str())),
        priority: read(
            lang,
            "priority",
            &mut Priority::ALL.iter().map(|p| p.as_str()),
        ),
    })
});

/// The words for a language (`es`, `en`).
fn words(lang: &str) -> &'static Words {
    match i18n::Lang::from_locale(lang) {
        i18n::Lang::Es => &WORDS[0],
        i18n::Lang::En => &WORDS[1],
    }
}

/// The position of a word in its set.
fn position<T: PartialEq>(all: &[T], x: &T) -> usize {
    all.iter().position(|w| w == x).unwrap_or(0)
}

/// Placeholder values, name to value, for one message or comment.
#[derive(Debug, Clone, Default)]
pub struct Values(Vec<(String, String)>);

impl Values {
    /// A ticket's placeholders (`ticket.*`, its requester), with names of
    /// states in `lang` (`es` or `en`).
    pub async fn of_ticket(
        c: &mut store::Conn<'_>,
        t: &store::model::Ticket,
        lang: &str,
    ) -> Result<Values, crate::AppError> {
        let requester = store::repo::users::get(c, t.requester_id).await?;
        Ok(Values::of(t, requester.as_ref(), lang))
    }

    /// [`Values::of_ticket`] with the requester already at hand.
    pub fn of(
        t: &store::model::Ticket,
        requester: Option<&store::model::User>,
        lang: &str,
    ) -> Values {
        let requester = requester.map(|u| u.name.clone()).unwrap_or_default();
        Values(vec![
            ("ticket.id".into(), t.id.to_string()),
            ("ticket.title".into(), t.subject.clone()),
            (
                "ticket.status".into(),
                words(lang).status[position(Status::ALL, &t.status)].clone(),
            ),
            (
                "ticket.priority".into(),
                t.priority
                    .map(|p| words(lang).priority[position(Priority::ALL, &p)].clone())
                    .unwrap_or_default(),
            ),
            ("ticket.description".into(), t.description.clone()),
            ("ticket.url".into(), format!("/agent/tickets/{}", t.id)),
            ("ticket.requester.first_name".into(), first_name(&requester)),
            ("ticket.requester.name".into(), requester),
        ])
    }

    /// One more value.
    pub fn with(mut self, name: &str, value: impl Into<String>) -> Values {
        self.0.push((name.into(), value.into()));
        self
    }

    /// `current_user.*` for the agent at work.
    pub fn with_agent(self, agent: Option<&store::model::User>) -> Values {
        let name = agent.map(|u| u.name.clone()).unwrap_or_default();
        self.with("current_user.first_name", first_name(&name))
            .with("current_user.name", name)
    }

    fn fill(&self, text: &str, escape: impl Fn(&str) -> String) -> String {
        render(text, |n| {
            self.0.iter().find(|(k, _)| k == n).map(|(_, v)| escape(v))
        })
    }

    /// Fills plain text.
    pub fn render(&self, text: &str) -> String {
        self.fill(text, str::to_string)
    }

    /// Fills HTML (values escaped).
    pub fn render_html(&self, text: &str) -> String {
        self.fill(text, crate::sanitize::escape)
    }

    /// Fills a JSON template (values escaped as JSON string contents).
    pub fn render_json(&self, text: &str) -> String {
        self.fill(text, |v| {
            let s = serde_json::Value::String(v.to_string()).to_string();
            s[1..s.len() - 1].to_string()
        })
    }
}

fn first_name(name: &str) -> String {
    name.split_whitespace().next().unwrap_or("").to_string()
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
