//! The site's words in Spanish and English, read once from the Fluent
//! catalogs (`crates/i18n/locales/*/site.ftl`) so templates read fields and
//! no lookup can fail while a page renders.

use i18n::{Arg, Lang};
use std::sync::LazyLock;

/// Declares [`Words`]: one `&'static str` field per catalog key.
macro_rules! words {
    ($( $field:ident = $key:literal, )*) => {
        /// The help center's fixed words in one language.
        pub struct Words {
            pub lang: Lang,
            $( pub $field: &'static str, )*
        }

        impl Words {
            fn load(lang: Lang) -> Words {
                Words {
                    lang,
                    $( $field: Box::leak(i18n::text(lang, $key).into_boxed_str()), )*
                }
            }
        }

        #[cfg(test)]
        pub(crate) const KEYS: &[&str] = &[$( $key, )*];
    };
}

words! {
    title = "hc-title",
    home = "hc-home",
    search = "hc-search",
    search_label = "hc-search-label",
    search_placeholder = "hc-search-placeholder",
    empty_query = "hc-empty-query",
    categories = "hc-categories",
    promoted = "hc-promoted",
    related = "hc-related",
    in_section = "hc-in-section",
    updated = "hc-updated",
    breadcrumbs = "hc-breadcrumbs",
    language = "hc-language",
    not_found_title = "hc-not-found-title",
    not_found = "hc-not-found",
    error_title = "hc-error-title",
    error = "hc-error",
    skip = "hc-skip",
    previous = "hc-previous",
    next = "hc-next",
    helpful = "hc-helpful",
    yes = "hc-yes",
    no = "hc-no",
    thanks = "hc-thanks",
    restricted = "hc-restricted",
}

static ES: LazyLock<Words> = LazyLock::new(|| Words::load(Lang::Es));
static EN: LazyLock<Words> = LazyLock::new(|| Words::load(Lang::En));

/// The words of a language (two languages, read once each).
pub fn of(lang: Lang) -> &'static Words {
    match lang {
        Lang::Es => &ES,
        Lang::En => &EN,
    }
}

impl Words {
    /// "Results for “…”".
    pub fn results(&self, query: &str) -> String {
        i18n::with(self.lang, "hc-results", &[("query", Arg::Text(query))])
    }

    /// "12 articles found", in the language's plural forms.
    pub fn result_count(&self, count: i64) -> String {
        i18n::with(
            self.lang,
            "hc-result-count",
            &[("count", Arg::Number(count))],
        )
    }

    /// "See all 42 articles".
    pub fn more(&self, count: i64) -> String {
        i18n::with(self.lang, "hc-more", &[("count", Arg::Number(count))])
    }

    /// "3 of 4 found this helpful".
    pub fn helpful_count(&self, up: i64, count: i64) -> String {
        i18n::with(
            self.lang,
            "hc-helpful-count",
            &[("up", Arg::Number(up)), ("count", Arg::Number(count))],
        )
    }

    /// "Signed in as Ana".
    pub fn signed_in_as(&self, name: &str) -> String {
        i18n::with(self.lang, "hc-signed-in-as", &[("name", Arg::Text(name))])
    }

    /// What to say when nothing matched.
    pub fn no_results(&self, query: &str) -> String {
        i18n::with(self.lang, "hc-no-results", &[("query", Arg::Text(query))])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_in_both_catalogs() {
        for lang in Lang::ALL {
            for key in KEYS {
                assert!(i18n::has(lang, key), "{key} missing in {}", lang.code());
            }
        }
    }

    #[test]
    fn counts_take_the_plural_of_each_language() {
        assert_eq!(of(Lang::En).result_count(1), "One article found");
        assert_eq!(of(Lang::En).result_count(3), "3 articles found");
        assert_eq!(of(Lang::Es).result_count(1), "Un artículo encontrado");
        assert_eq!(of(Lang::Es).result_count(7), "7 artículos encontrados");
        assert_eq!(of(Lang::Es).results("envío"), "Resultados de «envío»");
    }
}
