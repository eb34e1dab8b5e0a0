//! The help center's locales in addresses: `en-us` and `es`, as Zendesk
//! writes them; a near miss (`en`, `es-mx`) is sent to the one we have.

use i18n::Lang;

/// A locale the help center is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteLocale(&'static str);

impl SiteLocale {
    /// Every locale, in the order the language switcher lists them.
    pub fn all() -> impl Iterator<Item = SiteLocale> {
        app::help_center::LOCALES.iter().copied().map(SiteLocale)
    }

    /// Exactly one of ours (`es`, `en-us`, any case).
    pub fn exact(raw: &str) -> Option<SiteLocale> {
        let raw = raw.to_ascii_lowercase().replace('_', "-");
        Self::all().find(|l| l.0 == raw)
    }

    /// The one of ours in the same language (`es-MX` → `es`, `en` → `en-us`).
    pub fn near(raw: &str) -> Option<SiteLocale> {
        let lang = raw.split(['-', '_']).next()?.to_ascii_lowercase();
        Self::all().find(|l| l.0.split('-').next() == Some(lang.as_str()))
    }

    /// The locale of a language.
    pub fn of(lang: Lang) -> SiteLocale {
        Self::all()
            .find(|l| Lang::from_locale(l.0) == lang)
            .unwrap_or(SiteLocale(app::help_center::LOCALES[0]))
    }

    pub fn code(self) -> &'static str {
        self.0
    }

    /// The language its pages speak.
    pub fn lang(self) -> Lang {
        Lang::from_locale(self.0)
    }

    /// The name of its language, in that language (for the switcher).
    pub fn name(self) -> &'static str {
        match self.lang() {
            Lang::Es => "Español",
            Lang::En => "English",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_find_the_locale_of_their_language() {
        assert_eq!(SiteLocale::exact("ES").map(SiteLocale::code), Some("es"));
        assert_eq!(
            SiteLocale::exact("en_US").map(SiteLocale::code),
            Some("en-us")
        );
        assert_eq!(SiteLocale::exact("en"), None);
        assert_eq!(SiteLocale::near("en").map(SiteLocale::code), Some("en-us"));
        assert_eq!(SiteLocale::near("es-MX").map(SiteLocale::code), Some("es"));
        assert_eq!(SiteLocale::near("fr"), None);
        assert_eq!(SiteLocale::of(Lang::Es).code(), "es");
    }
}
