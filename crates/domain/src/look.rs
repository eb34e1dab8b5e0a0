//! How the help center looks, as admins set it: its name per locale, a
//! logo, the accent colour, and the links in its footer.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The largest logo kept (it is served from the database).
pub const MAX_LOGO_BYTES: usize = 256 * 1024;
/// The most footer links.
pub const MAX_FOOTER_LINKS: usize = 8;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SiteLook {
    /// The help center's name per help-center locale (the built-in words
    /// where none).
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// `#rrggbb`, links and buttons; `None`: the built-in blue.
    #[serde(default)]
    pub accent: Option<String>,
    /// (label, address) below every page.
    #[serde(default)]
    pub footer_links: Vec<(String, String)>,
    /// The logo's content type, when there is one (its bytes are kept
    /// apart).
    #[serde(default)]
    pub logo_type: Option<String>,
    /// Changes with each new logo, so browsers fetch it again.
    #[serde(default)]
    pub logo_version: i64,
}

/// A colour as `#rrggbb`, if it is one.
pub fn parse_colour(raw: &str) -> Option<String> {
    let hex = raw.trim().trim_start_matches('#');
    (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| format!("#{}", hex.to_lowercase()))
}

/// The contrast ratio of a `#rrggbb` colour against white (WCAG 2).
pub fn contrast_with_white(colour: &str) -> f64 {
    let hex = colour.trim_start_matches('#');
    let channel = |i: usize| {
        let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap_or(0)) / 255.0;
        if v <= 0.039_28 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    if hex.len() != 6 {
        return 1.0;
    }
    let l = 0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4);
    1.05 / (l + 0.05)
}

/// A footer link's address: `https://…`, `http://…`, `mailto:…` or a path
/// of this site.
pub fn acceptable_link(url: &str) -> bool {
    let u = url.trim();
    !u.is_empty()
        && u.len() <= 500
        && !u
            .chars()
            .any(|c| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        && (u.starts_with("https://")
            || u.starts_with("http://")
            || u.starts_with("mailto:")
            || (u.starts_with('/') && !u.starts_with("//")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_checked_for_reading_on_white() {
        assert_eq!(parse_colour("#0B5CAD").as_deref(), Some("#0b5cad"));
        assert_eq!(parse_colour("red"), None);
        assert!(contrast_with_white("#0b5cad") >= 4.5);
        assert!(contrast_with_white("#ffcc00") < 4.5);
        assert!((contrast_with_white("#000000") - 21.0).abs() < 0.01);
    }

    #[test]
    fn footer_links_go_somewhere_safe() {
        assert!(acceptable_link("https://shop.example.com/terms"));
        assert!(acceptable_link("/hc/es/articles/1"));
        assert!(!acceptable_link("javascript:alert(1)"));
        assert!(!acceptable_link("//evil.example.com"));
        assert!(!acceptable_link("https://x.example.com/\"onmouseover=\""));
    }
}
