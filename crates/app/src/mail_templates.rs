//! The words of our mail, per language, as admins edit them: the immediate
//! acknowledgement of a new emailed ticket (on by default, can be turned
//! off) and the footer under agents' replies. Stored as one JSON setting;
//! the built-in texts apply until an admin saves their own.

use crate::{App, AppError, FieldError};
use domain::Actor;
use search::analyze::Language;
use serde::{Deserialize, Serialize};
use store::repo::settings;

const KEY: &str = "mail.templates";

/// Placeholders the templates may use.
pub const PLACEHOLDERS: &[&str] = &[
    "ticket.id",
    "ticket.title",
    "ticket.requester.name",
    "ticket.requester.first_name",
    "support.name",
    "support.address",
];

/// A subject and a body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub subject: String,
    pub body: String,
}

/// Every text of our mail, in Spanish and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MailTemplates {
    /// Whether new emailed tickets are acknowledged at once.
    pub acknowledge: bool,
    pub acknowledgement_en: Template,
    pub acknowledgement_es: Template,
    pub reply_footer_en: String,
    pub reply_footer_es: String,
}

/// The built-in texts, read from the catalogs
/// (`crates/i18n/locales/*/mail.ftl`) once: every acknowledgement and reply
/// asks for them while no admin has saved their own.
static BUILT_IN: std::sync::LazyLock<MailTemplates> = std::sync::LazyLock::new(|| {
    use i18n::{Lang, text};
    let acknowledgement = |lang| Template {
        subject: text(lang, "acknowledgement-subject"),
        body: text(lang, "acknowledgement-body"),
    };
    MailTemplates {
        acknowledge: true,
        acknowledgement_en: acknowledgement(Lang::En),
        acknowledgement_es: acknowledgement(Lang::Es),
        reply_footer_en: text(Lang::En, "reply-footer"),
        reply_footer_es: text(Lang::Es, "reply-footer"),
    }
});

impl Default for MailTemplates {
    fn default() -> Self {
        BUILT_IN.clone()
    }
}

impl MailTemplates {
    /// The acknowledgement in a language (Spanish or, otherwise, English).
    pub fn acknowledgement(&self, lang: Language) -> &Template {
        match lang {
            Language::Spanish => &self.acknowledgement_es,
            _ => &self.acknowledgement_en,
        }
    }

    /// The reply footer in a language.
    pub fn reply_footer(&self, lang: Language) -> &str {
        match lang {
            Language::Spanish => &self.reply_footer_es,
            _ => &self.reply_footer_en,
        }
    }

    /// Every field with a placeholder we do not know, or a blank one.
    fn check(&self) -> Result<(), AppError> {
        let fields = [
            (
                "acknowledgement_en.subject",
                &self.acknowledgement_en.subject,
            ),
            ("acknowledgement_en.body", &self.acknowledgement_en.body),
            (
                "acknowledgement_es.subject",
                &self.acknowledgement_es.subject,
            ),
            ("acknowledgement_es.body", &self.acknowledgement_es.body),
            ("reply_footer_en", &self.reply_footer_en),
            ("reply_footer_es", &self.reply_footer_es),
        ];
        let mut errors = Vec::new();
        for (name, text) in fields {
            if text.trim().is_empty() && !name.starts_with("reply_footer") {
                errors.push(FieldError::blank(name));
            }
            let bad = crate::placeholders::unknown(text, PLACEHOLDERS);
            if !bad.is_empty() {
                errors.push(FieldError::invalid(
                    name,
                    format!(
                        "unknown placeholder {}; known: {}",
                        bad.iter()
                            .map(|b| format!("{{{{{b}}}}}"))
                            .collect::<Vec<_>>()
                            .join(", "),
                        PLACEHOLDERS.join(", ")
                    ),
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(errors))
        }
    }
}

/// The templates as stored, or the built-in ones.
pub(crate) async fn load(c: &mut store::Conn<'_>) -> Result<MailTemplates, AppError> {
    Ok(settings::get(c, KEY)
        .await?
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default())
}

impl App {
    /// The mail templates in force.
    pub async fn mail_templates(&self, actor: Actor) -> Result<MailTemplates, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        let mut rc = self.read().await?;
        load(&mut rc.conn()).await
    }

    /// Saves the mail templates (admins), refusing unknown placeholders.
    pub async fn set_mail_templates(
        &self,
        actor: Actor,
        t: MailTemplates,
    ) -> Result<MailTemplates, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageEmail)?;
        t.check()?;
        let json = serde_json::to_string(&t).map_err(|e| AppError::bad(e.to_string()))?;
        self.write(move |c| {
            Box::pin(async move {
                settings::set(c, KEY, &json).await?;
                Ok(())
            })
        })
        .await?;
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_unknown_placeholders_are_refused() {
        assert!(MailTemplates::default().check().is_ok());
        let mut t = MailTemplates::default();
        t.acknowledgement_es.body = "Hola {{ticket.requester.nombre}}".into();
        match t.check() {
            Err(AppError::Invalid(e)) => {
                assert_eq!(e[0].field, "acknowledgement_es.body");
                assert!(e[0].description.contains("{{ticket.requester.nombre}}"));
            }
            other => panic!("{other:?}"),
        }
    }
}

#[cfg(test)]
mod catalog_tests {
    use super::*;

    /// The catalogs give exactly the texts atiende sent before they moved
    /// there (Fluent's multi-line values keep the blank lines).
    #[test]
    fn defaults_come_from_the_catalogs_unchanged() {
        let t = MailTemplates::default();
        assert_eq!(
            t.acknowledgement_en.subject,
            "[#{{ticket.id}}] {{ticket.title}}"
        );
        assert_eq!(
            t.acknowledgement_en.body,
            "Hello {{ticket.requester.first_name}},\n\nWe received your message and opened ticket #{{ticket.id}}. We usually answer within one business day. To add anything, reply to this email.\n\n{{support.name}}"
        );
        assert_eq!(
            t.acknowledgement_es.body,
            "Hola {{ticket.requester.first_name}}:\n\nHemos recibido tu mensaje y abierto el ticket #{{ticket.id}}. Solemos responder en un día laborable. Si quieres añadir algo, responde a este correo.\n\n{{support.name}}"
        );
        assert_eq!(
            t.reply_footer_es,
            "Ticket #{{ticket.id}}: responde a este correo para continuar."
        );
    }
}
