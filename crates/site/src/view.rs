//! What the templates read: the page frame (language, links, switcher)
//! and links to help-center pages.

use crate::locale::SiteLocale;
use crate::words::{self, Words};
use app::help_center::slug;
use domain::model::{Article, ArticleTitle, Category, HelpCenterKind, Section};

/// The parts every page shares.
pub struct Frame {
    pub t: &'static Words,
    pub locale: SiteLocale,
    /// The page's own title (empty for the front page); the site's name
    /// follows it in `<title>`.
    pub title: String,
    /// The help center's name: the admins' for this locale, else ours.
    pub site_name: String,
    /// The admins' accent colour (`#rrggbb`, checked when saved).
    pub accent: Option<String>,
    /// The logo's address, when there is one.
    pub logo: Option<String>,
    /// (label, address) below the page.
    pub footer_links: Vec<(String, String)>,
    /// `<meta name="description">`.
    pub description: String,
    /// The page's one address.
    pub canonical: Option<String>,
    /// The same page in other languages: (hreflang, address).
    pub alternates: Vec<(&'static str, String)>,
    /// The language switcher: (language code, its name, address, current).
    pub switcher: Vec<(&'static str, &'static str, String, bool)>,
    /// What the search box holds.
    pub query: String,
    /// "Signed in as …", for a signed-in reader.
    pub signed_in: Option<String>,
    /// Their session's CSRF token, for the sign-out form.
    pub csrf: Option<String>,
}

impl Frame {
    pub fn new(locale: SiteLocale, title: String) -> Frame {
        Frame {
            t: words::of(locale.lang()),
            locale,
            description: String::new(),
            canonical: None,
            alternates: Vec::new(),
            // The other language's front page unless the page is
            // translated (`Frame::translated`).
            switcher: SiteLocale::all()
                .map(|l| (l.lang().code(), l.name(), home_path(l), l == locale))
                .collect(),
            query: String::new(),
            signed_in: None,
            csrf: None,
            site_name: words::of(locale.lang()).title.to_string(),
            accent: None,
            logo: None,
            footer_links: Vec::new(),
            title,
        }
    }

    /// Says who is signed in, on a page made for them.
    pub fn for_reader(mut self, reader: &crate::reader::Reader) -> Frame {
        self.signed_in = reader.name.as_ref().map(|n| self.t.signed_in_as(n));
        self.csrf = reader.session.as_ref().map(|(_, csrf)| csrf.clone());
        self.with_look(&reader.look)
    }

    /// Dresses the page as admins set the help center's look.
    pub fn with_look(mut self, look: &domain::look::SiteLook) -> Frame {
        if let Some(name) = look.names.get(self.locale.code()) {
            self.site_name = name.clone();
        }
        self.accent = look.accent.clone();
        self.logo = look
            .logo_type
            .as_ref()
            .map(|_| format!("/hc/assets/logo?v={}", look.logo_version));
        self.footer_links = look.footer_links.clone();
        self
    }

    /// The whole `<title>`.
    pub fn full_title(&self) -> String {
        if self.title.is_empty() {
            self.site_name.clone()
        } else {
            format!("{} · {}", self.title, self.site_name)
        }
    }

    pub fn sign_in_path(&self) -> String {
        format!("/hc/{}/signin", self.locale.code())
    }

    pub fn sign_out_path(&self) -> String {
        format!("/hc/{}/signout", self.locale.code())
    }

    pub fn requests_path(&self) -> String {
        format!("/hc/{}/requests", self.locale.code())
    }

    /// Points the switcher and the `hreflang` alternates at this page's
    /// translations: (locale, path) for each locale it is published in.
    pub fn translated(&mut self, paths: &[(SiteLocale, String)], url: impl Fn(&str) -> String) {
        for (code, _, href, _) in &mut self.switcher {
            if let Some((_, p)) = paths.iter().find(|(l, _)| l.lang().code() == *code) {
                *href = p.clone();
            }
        }
        self.alternates = paths.iter().map(|(l, p)| (l.code(), url(p))).collect();
    }

    pub fn lang(&self) -> &'static str {
        self.locale.lang().code()
    }

    pub fn home(&self) -> String {
        home_path(self.locale)
    }

    pub fn search_action(&self) -> String {
        search_path(self.locale)
    }
}

/// A link to a help-center page.
pub struct Link {
    pub href: String,
    pub text: String,
}

pub fn home_path(l: SiteLocale) -> String {
    format!("/hc/{}", l.code())
}

pub fn search_path(l: SiteLocale) -> String {
    format!("/hc/{}/search", l.code())
}

/// The part of an address that names what a page shows.
pub fn segment(kind: HelpCenterKind) -> &'static str {
    match kind {
        HelpCenterKind::Category => "categories",
        HelpCenterKind::Section => "sections",
        HelpCenterKind::Article => "articles",
    }
}

/// The one address of a help-center page (`/hc/es/articles/42-como-pagar`).
pub fn place_path(kind: HelpCenterKind, locale: &str, id: i64, title: &str) -> String {
    let kind = segment(kind);
    match slug(title) {
        s if s.is_empty() => format!("/hc/{locale}/{kind}/{id}"),
        s => format!("/hc/{locale}/{kind}/{id}-{s}"),
    }
}

/// A link to a page, its title as the text.
fn link(kind: HelpCenterKind, locale: &str, id: i64, title: &str) -> Link {
    Link {
        href: place_path(kind, locale, id, title),
        text: title.to_string(),
    }
}

pub fn category_link(c: &Category) -> Link {
    link(HelpCenterKind::Category, &c.locale, c.id.0, &c.name)
}

pub fn section_link(s: &Section) -> Link {
    link(HelpCenterKind::Section, &s.locale, s.id.0, &s.name)
}

pub fn title_link(a: &ArticleTitle) -> Link {
    link(HelpCenterKind::Article, &a.locale, a.id.0, &a.title)
}

pub fn article_link(a: &Article) -> Link {
    link(HelpCenterKind::Article, &a.locale, a.id.0, &a.title)
}

/// The first words of a text, for a meta description (about 160 characters).
pub fn summary(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 160 {
        return text;
    }
    let cut: String = text.chars().take(157).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// A date as the page's language writes it (`4 de diciembre de 2026`,
/// `December 4, 2026`), from the catalog's `hc-date` and month names.
pub fn date(lang: i18n::Lang, at: domain::Timestamp) -> String {
    let Ok(ts) = jiff::Timestamp::from_second(at.0) else {
        return String::new();
    };
    let d = ts.to_zoned(jiff::tz::TimeZone::UTC).date();
    let month = i18n::text(lang, &format!("hc-month-{}", d.month()));
    i18n::with(
        lang,
        "hc-date",
        &[
            ("day", i18n::Arg::Number(i64::from(d.day()))),
            ("month", i18n::Arg::Text(&month)),
            ("year", i18n::Arg::Text(&d.year().to_string())),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_end_at_a_word() {
        assert_eq!(summary("  Hola\n mundo "), "Hola mundo");
        let long = "palabra ".repeat(40);
        let s = summary(&long);
        assert!(s.chars().count() <= 158 && s.ends_with("palabra…"), "{s}");
    }

    #[test]
    fn dates_read_as_each_language_writes_them() {
        let at = domain::Timestamp(1_796_342_400); // 2026-12-04
        assert_eq!(date(i18n::Lang::Es, at), "4 de diciembre de 2026");
        assert_eq!(date(i18n::Lang::En, at), "December 4, 2026");
    }
}
