//! The admins' audit log (Zendesk's `audit_logs`): who changed the desk's
//! set-up — rules, fields, groups, forms, policies, webhooks, tokens,
//! support addresses, chat widgets, messaging accounts, phone lines, the
//! help center's categories, sections, segments and look, account
//! settings (surveys, routing) — or
//! deleted people and tickets for good, and when. Written in the same
//! transaction as the change, so a change is never without its entry.

use crate::{Timestamp, UserId, word_enum};

word_enum!(
    /// What was done (Zendesk's `action`).
    AdminAction {
        Create = "create",
        Update = "update",
        Destroy = "destroy",
    }
);

word_enum!(
    /// What it was done to (Zendesk's `source_type`).
    AdminSource {
        /// A trigger, automation, macro or view.
        Rule = "rule",
        TicketField = "ticket_field",
        UserField = "user_field",
        OrganizationField = "organization_field",
        TicketForm = "ticket_form",
        Group = "group",
        SlaPolicy = "sla_policy",
        Schedule = "schedule",
        Webhook = "webhook",
        ApiToken = "api_token",
        User = "user",
        Organization = "organization",
        Ticket = "ticket",
        /// A support address (and its IMAP account).
        SupportAddress = "support_address",
        ChatWidget = "chat_widget",
        /// A WhatsApp number, page, bot or SMS number.
        ChannelAccount = "channel_account",
        VoiceLine = "voice_line",
        /// A help-center category.
        Category = "category",
        /// A help-center section.
        Section = "section",
        /// Who may read which articles.
        UserSegment = "user_segment",
        /// The help center's name, logo, colours and links.
        Brand = "brand",
        /// Satisfaction surveys, routing and the other desk-wide settings.
        AccountSetting = "account_setting",
        /// An application registered for OAuth.
        OAuthClient = "oauth_client",
    }
);

/// One change as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdminChange {
    pub action: AdminAction,
    pub source: AdminSource,
    pub source_id: i64,
    /// Its name or title when the change was made.
    pub label: String,
}

impl AdminChange {
    pub fn new(
        action: AdminAction,
        source: AdminSource,
        source_id: i64,
        label: impl Into<String>,
    ) -> AdminChange {
        AdminChange {
            action,
            source,
            source_id,
            label: label.into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLogEntry {
    pub id: i64,
    pub actor_id: UserId,
    pub change: AdminChange,
    pub created_at: Timestamp,
}

/// Which entries a list holds (every filter optional, all must hold).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditLogFilter {
    pub source: Option<AdminSource>,
    pub source_id: Option<i64>,
    pub actor_id: Option<UserId>,
    pub action: Option<AdminAction>,
    /// Written at or after the first and at or before the second.
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
}
