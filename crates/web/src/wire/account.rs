//! The account's own records as Zendesk gives them: its one brand and the
//! languages it speaks.

use serde::Serialize;
use utoipa::ToSchema;

/// When atiende's catalog was written; locales and the brand have no
/// history of their own.
pub const SINCE: &str = "2026-01-01T00:00:00Z";

/// The desk's one brand, its help center at the site's root.
#[derive(Serialize, ToSchema)]
pub struct Brand<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub brand_url: &'a str,
    pub subdomain: Option<&'a str>,
    pub host_mapping: Option<&'a str>,
    pub has_help_center: bool,
    pub help_center_state: &'static str,
    pub active: bool,
    pub default: bool,
    pub is_deleted: bool,
    pub logo: Option<&'a str>,
    pub signature_template: &'static str,
    pub created_at: &'static str,
    pub updated_at: &'static str,
}

pub fn brand<'a>(base: &'a str, f: &'a app::account::AccountFacts) -> Brand<'a> {
    Brand {
        id: 1,
        url: format!("{base}/api/v2/brands/1.json"),
        name: &f.name,
        brand_url: base,
        subdomain: None,
        host_mapping: None,
        has_help_center: true,
        help_center_state: "enabled",
        active: true,
        default: true,
        is_deleted: false,
        logo: None,
        signature_template: "{{agent.signature}}",
        created_at: SINCE,
        updated_at: SINCE,
    }
}

/// A language the desk speaks (Zendesk's ids: English 1, Spanish 2).
#[derive(Serialize, ToSchema)]
pub struct Locale {
    pub id: i64,
    pub url: String,
    pub locale: &'static str,
    pub name: &'static str,
    pub native_name: &'static str,
    pub presentation_name: &'static str,
    pub rtl: bool,
    pub default: bool,
    pub created_at: &'static str,
    pub updated_at: &'static str,
}

pub fn locale(base: &str, code: &'static str) -> Locale {
    let (id, name) = match code {
        "en-US" => (1, "English"),
        _ => (2, "Español"),
    };
    Locale {
        id,
        url: format!("{base}/api/v2/locales/{id}.json"),
        locale: code,
        name,
        native_name: name,
        presentation_name: name,
        rtl: false,
        default: app::account::LOCALES.first() == Some(&code),
        created_at: SINCE,
        updated_at: SINCE,
    }
}

/// A reason a customer may give for their rating (Zendesk's built-in
/// codes: 100 "took too long", and the rest).
#[derive(Serialize, ToSchema)]
pub struct SatisfactionReason {
    pub id: i64,
    pub url: String,
    pub reason_code: i64,
    pub value: String,
    pub raw_value: String,
    pub deleted: bool,
    pub created_at: &'static str,
    pub updated_at: &'static str,
}

pub fn satisfaction_reason(base: &str, code: i64) -> SatisfactionReason {
    let words = domain::survey::reason_words(code).unwrap_or_default();
    SatisfactionReason {
        id: code,
        url: format!("{base}/api/v2/satisfaction_reasons/{code}.json"),
        reason_code: code,
        value: words.to_string(),
        raw_value: words.to_string(),
        deleted: false,
        created_at: SINCE,
        updated_at: SINCE,
    }
}
