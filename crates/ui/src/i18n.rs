//! The workspace's words in Spanish and English. Every message is a field
//! of [`Text`], so a message missing in one language is a compile error,
//! not a blank on screen. (A struct per language is lighter than fluent for
//! two languages and a few hundred words; plural rules are not needed yet.)

/// The languages the workspace speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Es,
    En,
}

impl Lang {
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

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Es => &ES,
            Lang::En => &EN,
        }
    }
}

/// Every message the pages show.
pub struct Text {
    pub app_name: &'static str,
    pub sign_in: &'static str,
    pub sign_in_title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub wrong_password: &'static str,
    pub not_staff: &'static str,
    pub too_many_attempts: &'static str,
    pub form_expired: &'static str,
    pub sign_out: &'static str,
    pub queues: &'static str,
    pub q_my_open: &'static str,
    pub q_unassigned: &'static str,
    pub q_unsolved: &'static str,
    pub q_pending: &'static str,
    pub q_solved: &'static str,
    pub search: &'static str,
    pub search_placeholder: &'static str,
    pub results: &'static str,
    pub no_tickets: &'static str,
    pub subject: &'static str,
    pub requester: &'static str,
    pub status: &'static str,
    pub priority: &'static str,
    pub ticket_type: &'static str,
    pub assignee: &'static str,
    pub group: &'static str,
    pub tags: &'static str,
    pub updated: &'static str,
    pub created: &'static str,
    pub none: &'static str,
    pub sort_by: &'static str,
    pub newer: &'static str,
    pub older: &'static str,
    pub page_of: &'static str,
    pub reply: &'static str,
    pub public_reply: &'static str,
    pub internal_note: &'static str,
    pub submit_as: &'static str,
    pub submit: &'static str,
    pub save: &'static str,
    pub properties: &'static str,
    pub customer: &'static str,
    pub identities: &'static str,
    pub organization: &'static str,
    pub earlier_conversations: &'static str,
    pub no_earlier: &'static str,
    pub via: &'static str,
    pub changes: &'static str,
    pub attachments: &'static str,
    pub conflict: &'static str,
    pub saved: &'static str,
    pub reply_added: &'static str,
    pub note_added: &'static str,
    pub also_here: &'static str,
    pub is_replying: &'static str,
    pub is_viewing: &'static str,
    pub live_updated: &'static str,
    pub language: &'static str,
    pub shortcuts: &'static str,
    pub shortcuts_help: &'static [(&'static str, &'static str)],
    pub close: &'static str,
    pub not_found: &'static str,
    pub forbidden: &'static str,
    pub error: &'static str,
    pub back: &'static str,
    pub internal: &'static str,
    pub status_names: [&'static str; 6],
    pub priority_names: [&'static str; 4],
    pub type_names: [&'static str; 4],
    pub bulk_apply: &'static str,
    pub select_ticket: &'static str,
    pub remove: &'static str,
    pub add: &'static str,
    pub add_identity: &'static str,
    pub identity_value: &'static str,
    pub merge_into: &'static str,
    pub merge_preview: &'static str,
    pub merge_customer: &'static str,
    pub merge_moves: &'static str,
    pub merge_explain: &'static str,
    pub merge_confirm: &'static str,
    pub merge_done: &'static str,
    pub merge_undone: &'static str,
    pub undo: &'static str,
    pub tickets_word: &'static str,
    pub no_such_customer: &'static str,
    pub admin: &'static str,
    pub agents: &'static str,
    pub groups: &'static str,
    pub fields: &'static str,
    pub views_admin: &'static str,
    pub tokens: &'static str,
    pub name: &'static str,
    pub role: &'static str,
    pub active: &'static str,
    pub invite_agent: &'static str,
    pub invite: &'static str,
    pub password_generated: &'static str,
    pub new_group: &'static str,
    pub title: &'static str,
    pub field_type: &'static str,
    pub options: &'static str,
    pub options_help: &'static str,
    pub pattern: &'static str,
    pub required_to_solve: &'static str,
    pub new_field: &'static str,
    pub new_view: &'static str,
    pub condition: &'static str,
    pub operator: &'static str,
    pub value: &'static str,
    pub description: &'static str,
    pub revoke: &'static str,
    pub new_token: &'static str,
    pub invited: &'static str,
    pub token_created: &'static str,
    pub only_own_groups: &'static str,
    pub macro_label: &'static str,
    pub merge_into_ticket: &'static str,
    pub email_admin: &'static str,
    pub outbox_empty: &'static str,
    pub server_reply: &'static str,
    pub retry: &'static str,
    pub mail_queued: &'static str,
    pub mail_sent: &'static str,
    pub mail_failed: &'static str,
    pub mail_acknowledgement: &'static str,
    pub mail_reply: &'static str,
    pub mail_notification: &'static str,
    pub quoted_text: &'static str,
    pub support_addresses: &'static str,
    pub support_addresses_help: &'static str,
    pub no_mailboxes: &'static str,
    pub from_name: &'static str,
    pub default_mailbox: &'static str,
    pub imap_account: &'static str,
    pub imap_host: &'static str,
    pub imap_port: &'static str,
    pub imap_security: &'static str,
    pub imap_username: &'static str,
    pub imap_password: &'static str,
    pub imap_password_keep: &'static str,
    pub imap_folder: &'static str,
    pub imap_after: &'static str,
    pub after_mark_seen: &'static str,
    pub after_move: &'static str,
    pub imap_move_to: &'static str,
    pub imap_status: &'static str,
    pub imap_none: &'static str,
    pub add_mailbox: &'static str,
    pub edit: &'static str,
    pub mail_templates: &'static str,
    pub mail_templates_help: &'static str,
    pub acknowledge_new: &'static str,
    pub ack_subject_en: &'static str,
    pub ack_body_en: &'static str,
    pub ack_subject_es: &'static str,
    pub ack_body_es: &'static str,
    pub footer_en: &'static str,
    pub footer_es: &'static str,
    pub undelivered_mail: &'static str,
    pub suspended_mail: &'static str,
    pub suspended_help: &'static str,
    pub suspended_empty: &'static str,
    pub reason: &'static str,
    pub sender: &'static str,
    pub received: &'static str,
    pub recover: &'static str,
    pub delete: &'static str,
    pub cause_unreadable: &'static str,
    pub cause_no_sender: &'static str,
    pub cause_unverified_sender: &'static str,
    pub cause_processing_failed: &'static str,
    pub imap_not_checked: &'static str,
    pub rules_admin: &'static str,
    pub rules_help: &'static str,
    pub triggers: &'static str,
    pub automations: &'static str,
    pub add_trigger: &'static str,
    pub add_automation: &'static str,
    pub title_label: &'static str,
    pub active_label: &'static str,
    pub position_label: &'static str,
    pub conditions_json: &'static str,
    pub actions_json: &'static str,
    pub targets_json: &'static str,
    pub sla_admin: &'static str,
    pub schedules: &'static str,
    pub schedules_help: &'static str,
    pub time_zone: &'static str,
    pub weekly_hours: &'static str,
    pub holidays: &'static str,
    pub add_schedule: &'static str,
    pub sla_policies: &'static str,
    pub policies_help: &'static str,
    pub add_policy: &'static str,
    pub routing_admin: &'static str,
    pub routing_settings: &'static str,
    pub routing_enabled: &'static str,
    pub drop_optional_after: &'static str,
    pub escalate_after: &'static str,
    pub escalation_groups: &'static str,
    pub reroute_after: &'static str,
    pub away_after: &'static str,
    pub skills: &'static str,
    pub attribute_name: &'static str,
    pub attribute_values: &'static str,
    pub agent_routing: &'static str,
    pub languages: &'static str,
    pub capacity_email: &'static str,
    pub capacity_chat: &'static str,
    pub capacity_call: &'static str,
    pub webhooks: &'static str,
    pub webhooks_help: &'static str,
    pub send_test: &'static str,
    pub no_deliveries: &'static str,
    pub attempts: &'static str,
    pub endpoint: &'static str,
    pub add_webhook: &'static str,
    pub presence: &'static str,
    pub presence_online: &'static str,
    pub presence_away: &'static str,
    pub presence_offline: &'static str,
    pub sla: &'static str,
    pub sla_first_reply: &'static str,
    pub sla_next_reply: &'static str,
    pub sla_periodic: &'static str,
    pub sla_requester_wait: &'static str,
    pub sla_agent_work: &'static str,
    pub sla_next: &'static str,
    pub routing_event: &'static str,
    pub sla_event: &'static str,
    pub automation_event: &'static str,
    pub thread_headers: &'static str,
    pub thread_reply_address: &'static str,
    pub thread_subject: &'static str,
    pub thread_new: &'static str,
    pub thread_open_case: &'static str,
    pub reply_by: &'static str,
    pub no_reply_route: &'static str,
    pub outgoing_messages: &'static str,
    /// Channel names in `domain::Channel::ALL` order.
    pub channel_names: [&'static str; 12],
}

impl Text {
    /// What an SLA target measures, in this language.
    pub fn sla_metric(&self, m: domain::sla::SlaMetric) -> &'static str {
        use domain::sla::SlaMetric;
        match m {
            SlaMetric::FirstReplyTime => self.sla_first_reply,
            SlaMetric::NextReplyTime => self.sla_next_reply,
            SlaMetric::PeriodicUpdateTime => self.sla_periodic,
            SlaMetric::RequesterWaitTime => self.sla_requester_wait,
            SlaMetric::AgentWorkTime => self.sla_agent_work,
        }
    }

    /// How an emailed comment threaded, in this language.
    pub fn threading(&self, t: app::email::Threading) -> &'static str {
        use app::email::Threading;
        match t {
            Threading::Headers => self.thread_headers,
            Threading::ReplyAddress => self.thread_reply_address,
            Threading::SubjectToken => self.thread_subject,
            Threading::OpenCase => self.thread_open_case,
            Threading::New => self.thread_new,
        }
    }

    /// A status's name in this language.
    pub fn status(&self, s: domain::Status) -> &'static str {
        let i = domain::Status::ALL
            .iter()
            .position(|x| *x == s)
            .unwrap_or(0);
        self.status_names[i]
    }

    /// A channel's name in this language.
    pub fn channel(&self, c: domain::Channel) -> &'static str {
        let i = domain::Channel::ALL
            .iter()
            .position(|x| *x == c)
            .unwrap_or(0);
        self.channel_names[i]
    }

    pub fn priority(&self, p: domain::Priority) -> &'static str {
        let i = domain::Priority::ALL
            .iter()
            .position(|x| *x == p)
            .unwrap_or(0);
        self.priority_names[i]
    }

    pub fn ticket_type(&self, t: domain::TicketType) -> &'static str {
        let i = domain::TicketType::ALL
            .iter()
            .position(|x| *x == t)
            .unwrap_or(0);
        self.type_names[i]
    }
}

mod en;
mod es;
pub use en::EN;
pub use es::ES;
