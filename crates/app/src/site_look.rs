//! The help center's look, as admins set it (name per locale, logo,
//! accent colour, footer links): kept in the settings table, read by every
//! public page through a cache a couple of seconds old.

use crate::{App, AppError, FieldError};
use base64::Engine;
use domain::Actor;
use domain::look::{
    MAX_FOOTER_LINKS, MAX_LOGO_BYTES, SiteLook, acceptable_link, contrast_with_white, parse_colour,
};
use std::time::{Duration, Instant};
use store::repo::settings;

const LOOK_KEY: &str = "site_look";
const LOGO_KEY: &str = "site_logo";
/// How old the look a page shows may be.
const FRESH: Duration = Duration::from_secs(2);

/// The look's cache, shared by a node's requests.
#[derive(Default)]
pub struct LookCache(std::sync::Mutex<Option<(Instant, SiteLook)>>);

/// What becomes of the logo.
#[derive(Debug, Clone, Default)]
pub enum LogoChange {
    #[default]
    Keep,
    Remove,
    /// A new image: its bytes (the type is read from them).
    Set(Vec<u8>),
}

/// What an admin sets.
#[derive(Debug, Clone, Default)]
pub struct LookInput {
    pub names: Vec<(String, String)>,
    pub accent: String,
    /// (label, address).
    pub footer_links: Vec<(String, String)>,
    pub logo: LogoChange,
}

/// The image type of a logo's bytes: PNG, JPEG, GIF or WebP (SVG is not
/// taken: it can carry script).
fn image_type(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if data.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if data.starts_with(b"GIF87a") || data.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if data.len() > 12 && &data[0..4] == b"RIFF" && &data[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

impl App {
    /// How the help center looks now.
    pub async fn site_look(&self) -> Result<SiteLook, AppError> {
        if let Ok(cached) = self.look.0.lock()
            && let Some((at, look)) = cached.as_ref()
            && at.elapsed() < FRESH
        {
            return Ok(look.clone());
        }
        let mut rc = self.read().await?;
        let look: SiteLook = settings::get(&mut rc.conn(), LOOK_KEY)
            .await?
            .and_then(|raw| serde_json::from_str(&raw).ok())
            .unwrap_or_default();
        if let Ok(mut slot) = self.look.0.lock() {
            *slot = Some((Instant::now(), look.clone()));
        }
        Ok(look)
    }

    /// The logo's type and bytes, if there is one.
    pub async fn site_logo(&self) -> Result<Option<(String, Vec<u8>)>, AppError> {
        let look = self.site_look().await?;
        let Some(kind) = look.logo_type else {
            return Ok(None);
        };
        let mut rc = self.read().await?;
        Ok(settings::get(&mut rc.conn(), LOGO_KEY)
            .await?
            .and_then(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
            .map(|bytes| (kind, bytes)))
    }

    /// Sets the look: every field checked (a colour must be readable on
    /// white, links must go somewhere safe, a logo must be a small image).
    pub async fn set_site_look(
        &self,
        actor: Actor,
        input: LookInput,
    ) -> Result<SiteLook, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ArrangeHelpCenter)?;
        let mut look = self.site_look().await?;
        let mut errors = Vec::new();
        look.names.clear();
        for (locale, name) in input.names {
            let locale = crate::help_center::normalize_locale(Some(&locale));
            let name = name.trim().chars().take(80).collect::<String>();
            if crate::help_center::LOCALES.contains(&locale.as_str()) && !name.is_empty() {
                look.names.insert(locale, name);
            }
        }
        look.accent = match input.accent.trim() {
            "" => None,
            raw => match parse_colour(raw) {
                Some(c) if contrast_with_white(&c) >= 4.5 => Some(c),
                Some(c) => {
                    errors.push(FieldError::invalid(
                        "accent",
                        format!(
                            "{c} on white has a contrast of {:.1}:1; links need at least 4.5:1 to be read (choose a darker colour)",
                            contrast_with_white(&c)
                        ),
                    ));
                    look.accent.clone()
                }
                None => {
                    errors.push(FieldError::invalid("accent", "a colour is written #rrggbb"));
                    look.accent.clone()
                }
            },
        };
        let links: Vec<(String, String)> = input
            .footer_links
            .into_iter()
            .map(|(l, u)| {
                (
                    l.trim().chars().take(80).collect::<String>(),
                    u.trim().to_string(),
                )
            })
            .filter(|(l, u)| !(l.is_empty() && u.is_empty()))
            .collect();
        if links.len() > MAX_FOOTER_LINKS {
            errors.push(FieldError::invalid(
                "footer_links",
                format!("at most {MAX_FOOTER_LINKS} links"),
            ));
        }
        for (label, url) in &links {
            if label.is_empty() || !acceptable_link(url) {
                errors.push(FieldError::invalid(
                    "footer_links",
                    format!("“{label}”: a link needs a label and an https://, mailto: or /path address (not {url:?})"),
                ));
            }
        }
        look.footer_links = links;
        let mut logo_bytes = None;
        match input.logo {
            LogoChange::Keep => {}
            LogoChange::Remove => look.logo_type = None,
            LogoChange::Set(data) => {
                if data.len() > MAX_LOGO_BYTES {
                    errors.push(FieldError::invalid(
                        "logo",
                        format!("larger than {} KB", MAX_LOGO_BYTES / 1024),
                    ));
                } else {
                    match image_type(&data) {
                        Some(kind) => {
                            look.logo_type = Some(kind.to_string());
                            look.logo_version += 1;
                            logo_bytes = Some(data);
                        }
                        None => errors.push(FieldError::invalid(
                            "logo",
                            "a PNG, JPEG, GIF or WebP image",
                        )),
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let raw = serde_json::to_string(&look).map_err(|e| AppError::Unavailable(e.to_string()))?;
        let saved = look.clone();
        let now = domain::Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                settings::set(c, LOOK_KEY, &raw).await?;
                let source = domain::audit_log::AdminSource::Brand;
                crate::audit_log::record_setting(c, &actor, source, "Help center look", now)
                    .await?;
                if let Some(bytes) = logo_bytes {
                    let b64 = base64::engine::general_purpose::STANDARD.encode(bytes);
                    settings::set(c, LOGO_KEY, &b64).await?;
                }
                Ok(())
            })
        })
        .await?;
        if let Ok(mut slot) = self.look.0.lock() {
            *slot = Some((Instant::now(), saved.clone()));
        }
        Ok(saved)
    }
}
