//! Everything atiende says to people — the workspace's pages, the mail it
//! sends, notifications — from one Fluent catalog per language
//! (`locales/{es,en}/*.ftl`, compiled into the binary). A test keeps the
//! two catalogs to the same keys, so nothing is said in one language only.
//!
//! Lookups never fail at run time: a key missing from a catalog comes back
//! as the key itself (visible, and caught by the tests of every caller that
//! loads its words at start).

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use std::sync::LazyLock;

/// The languages atiende speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Es, Lang::En];

    /// From a locale setting (`es`, `es-MX`, `en-US`); English otherwise.
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("es") {
            Lang::Es
        } else {
            Lang::En
        }
    }

    /// The first of the browser's languages we speak (`Accept-Language`).
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("es") {
                return Lang::Es;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }

    /// The `lang` attribute and the stored locale.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Es => "es",
            Lang::En => "en",
        }
    }

    fn catalog(self) -> &'static Catalog {
        match self {
            Lang::Es => &ES,
            Lang::En => &EN,
        }
    }
}

/// One language's files.
type Sources = [(&'static str, &'static str); 13];

const EN_SOURCES: Sources = [
    ("workspace.ftl", include_str!("../locales/en/workspace.ftl")),
    ("mail.ftl", include_str!("../locales/en/mail.ftl")),
    (
        "placeholders.ftl",
        include_str!("../locales/en/placeholders.ftl"),
    ),
    ("site.ftl", include_str!("../locales/en/site.ftl")),
    ("portal.ftl", include_str!("../locales/en/portal.ftl")),
    ("chat.ftl", include_str!("../locales/en/chat.ftl")),
    ("messaging.ftl", include_str!("../locales/en/messaging.ftl")),
    ("calls.ftl", include_str!("../locales/en/calls.ftl")),
    ("voice.ftl", include_str!("../locales/en/voice.ftl")),
    ("surveys.ftl", include_str!("../locales/en/surveys.ftl")),
    ("reports.ftl", include_str!("../locales/en/reports.ftl")),
    ("goodwill.ftl", include_str!("../locales/en/goodwill.ftl")),
    ("rules.ftl", include_str!("../locales/en/rules.ftl")),
];

const ES_SOURCES: Sources = [
    ("workspace.ftl", include_str!("../locales/es/workspace.ftl")),
    ("mail.ftl", include_str!("../locales/es/mail.ftl")),
    (
        "placeholders.ftl",
        include_str!("../locales/es/placeholders.ftl"),
    ),
    ("site.ftl", include_str!("../locales/es/site.ftl")),
    ("portal.ftl", include_str!("../locales/es/portal.ftl")),
    ("chat.ftl", include_str!("../locales/es/chat.ftl")),
    ("messaging.ftl", include_str!("../locales/es/messaging.ftl")),
    ("calls.ftl", include_str!("../locales/es/calls.ftl")),
    ("voice.ftl", include_str!("../locales/es/voice.ftl")),
    ("surveys.ftl", include_str!("../locales/es/surveys.ftl")),
    ("reports.ftl", include_str!("../locales/es/reports.ftl")),
    ("goodwill.ftl", include_str!("../locales/es/goodwill.ftl")),
    ("rules.ftl", include_str!("../locales/es/rules.ftl")),
];

static EN: LazyLock<Catalog> = LazyLock::new(|| Catalog::load(Lang::En, &EN_SOURCES));
static ES: LazyLock<Catalog> = LazyLock::new(|| Catalog::load(Lang::Es, &ES_SOURCES));

/// A language's messages, and what went wrong reading them (empty when all
/// is well; the tests require that).
struct Catalog {
    bundle: FluentBundle<FluentResource>,
    keys: Vec<String>,
    problems: Vec<String>,
}

impl Catalog {
    fn load(lang: Lang, sources: &Sources) -> Catalog {
        let id = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // No Unicode isolation marks around placeables: the text goes into
        // HTML and mail, where they would show as stray characters.
        bundle.set_use_isolating(false);
        let mut keys = Vec::new();
        let mut problems = Vec::new();
        for (file, text) in sources {
            let resource = match FluentResource::try_new(text.to_string()) {
                Ok(r) => r,
                Err((r, errors)) => {
                    problems.extend(errors.iter().map(|e| format!("{file}: {e:?}")));
                    r
                }
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry {
                    keys.push(m.id.name.to_string());
                }
            }
            if let Err(errors) = bundle.add_resource(resource) {
                problems.extend(errors.iter().map(|e| format!("{file}: {e:?}")));
            }
        }
        Catalog {
            bundle,
            keys,
            problems,
        }
    }

    fn format(&self, key: &str, attribute: Option<&str>) -> String {
        self.format_with(key, attribute, None)
    }

    fn format_with(
        &self,
        key: &str,
        attribute: Option<&str>,
        args: Option<&fluent_bundle::FluentArgs>,
    ) -> String {
        let Some(message) = self.bundle.get_message(key) else {
            return key.to_string();
        };
        let pattern = match attribute {
            Some(a) => message.get_attribute(a).map(|a| a.value()),
            None => message.value(),
        };
        let Some(pattern) = pattern else {
            return key.to_string();
        };
        let mut errors = vec![];
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// A message with no arguments.
pub fn text(lang: Lang, key: &str) -> String {
    lang.catalog().format(key, None)
}

/// A value given to a message's placeable (`{ $name }`).
#[derive(Debug, Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

/// A message with arguments: `with(lang, "hc-results", &[("query", Arg::Text(q))])`.
/// Numbers choose the plural form (`one`, `other`) of the language.
pub fn with(lang: Lang, key: &str, args: &[(&str, Arg<'_>)]) -> String {
    let mut fa = fluent_bundle::FluentArgs::new();
    for (name, value) in args {
        match value {
            Arg::Text(t) => fa.set(*name, *t),
            Arg::Number(n) => fa.set(*name, *n),
        }
    }
    lang.catalog().format_with(key, None, Some(&fa))
}

/// An attribute of a message (`key.attribute` in the catalog).
pub fn attribute(lang: Lang, key: &str, attribute: &str) -> String {
    lang.catalog().format(key, Some(attribute))
}

/// Whether a language's catalog has a message.
pub fn has(lang: Lang, key: &str) -> bool {
    lang.catalog().bundle.has_message(key)
}

/// Every message key of a language, in file order.
pub fn keys(lang: Lang) -> &'static [String] {
    &lang.catalog().keys
}

/// What could not be read in a language's catalog (syntax errors, keys
/// given twice).
pub fn problems(lang: Lang) -> &'static [String] {
    &lang.catalog().problems
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn both_catalogs_read_cleanly_and_have_the_same_keys() {
        for lang in Lang::ALL {
            assert!(problems(lang).is_empty(), "{lang:?}: {:?}", problems(lang));
            assert!(keys(lang).len() > 200, "{lang:?}");
        }
        let es: BTreeSet<_> = keys(Lang::Es).iter().collect();
        let en: BTreeSet<_> = keys(Lang::En).iter().collect();
        assert_eq!(
            es.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&&String>::new(),
            "keys in one catalog only"
        );
    }

    #[test]
    fn messages_read_as_written() {
        assert_eq!(text(Lang::Es, "sign_in"), "Entrar");
        assert_eq!(text(Lang::En, "sign_in"), "Sign in");
        assert_eq!(attribute(Lang::En, "shortcut-1", "keys"), "j / k");
        // Our own `{{…}}` placeholders pass through Fluent untouched.
        assert_eq!(
            text(Lang::En, "reply-footer"),
            "Ticket #{{ticket.id}}: reply to this email to continue."
        );
        assert!(
            text(Lang::Es, "acknowledgement-body")
                .starts_with("Hola {{ticket.requester.first_name}}:\n\nHemos recibido")
        );
        assert_eq!(text(Lang::Es, "placeholder-status-hold"), "en espera");
        // A missing key shows itself rather than a blank.
        assert_eq!(text(Lang::Es, "no-such-key"), "no-such-key");
    }

    #[test]
    fn languages_from_locales_and_browsers() {
        assert_eq!(Lang::from_locale("es-MX"), Lang::Es);
        assert_eq!(Lang::from_locale("pt-BR"), Lang::En);
        assert_eq!(
            Lang::from_accept_language("fr, es;q=0.8, en;q=0.5"),
            Lang::Es
        );
        assert_eq!(Lang::from_accept_language(""), Lang::En);
    }
}
