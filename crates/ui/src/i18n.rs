//! The workspace's words in Spanish and English, read once from the
//! Fluent catalogs of the `i18n` crate (`crates/i18n/locales/`) into
//! [`Text`], so pages read a field (`t.sign_in`) and no lookup can fail
//! while a page renders.

pub use i18n::Lang;
use std::sync::LazyLock;

/// The pages' words in a language.
pub trait Words {
    fn text(self) -> &'static Text;
}

impl Words for Lang {
    fn text(self) -> &'static Text {
        match self {
            Lang::Es => &ES,
            Lang::En => &EN,
        }
    }
}

static ES: LazyLock<Text> = LazyLock::new(|| Text::load(Lang::Es));
static EN: LazyLock<Text> = LazyLock::new(|| Text::load(Lang::En));

/// A catalog text kept for the life of the process (two languages, read
/// once each), so pages can hold `&'static str`.
fn keep(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// The names of a closed set of words (statuses, channels, …) in a
/// language, in the set's `ALL` order, from the catalog keys
/// `{prefix}-{word}`.
fn names<T: Copy, const N: usize>(
    lang: Lang,
    prefix: &str,
    all: &[T],
    word: impl Fn(T) -> &'static str,
) -> [&'static str; N] {
    std::array::from_fn(|i| {
        let key = all
            .get(i)
            .map_or_else(String::new, |w| format!("{prefix}-{}", word(*w)));
        keep(i18n::text(lang, &key))
    })
}

/// Declares [`Text`]: one `&'static str` field per catalog key, plus the
/// lists read from numbered or per-word keys.
macro_rules! words {
    ($( $(#[$doc:meta])* $field:ident, )*) => {
        pub struct Text {
            $( $(#[$doc])* pub $field: &'static str, )*
            /// (keys, what they do), from `shortcut-1`, `shortcut-2`, …
            pub shortcuts_help: &'static [(&'static str, &'static str)],
            /// In `domain::Status::ALL` order.
            pub status_names: [&'static str; 6],
            /// In `domain::Priority::ALL` order.
            pub priority_names: [&'static str; 4],
            /// In `domain::TicketType::ALL` order.
            pub type_names: [&'static str; 4],
            /// In `domain::Channel::ALL` order.
            pub channel_names: [&'static str; 13],
        }

        /// The catalog keys read into a field of their own name.
        #[cfg(test)]
        const FIELD_KEYS: &[&str] = &[$(stringify!($field)),*];

        impl Text {
            fn load(lang: Lang) -> Text {
                let shortcuts: Vec<(&'static str, &'static str)> = (1..)
                    .map(|n| format!("shortcut-{n}"))
                    .take_while(|key| i18n::has(lang, key))
                    .map(|key| (keep(i18n::attribute(lang, &key, "keys")), keep(i18n::text(lang, &key))))
                    .collect();
                Text {
                    $( $field: keep(i18n::text(lang, stringify!($field))), )*
                    shortcuts_help: shortcuts.leak(),
                    status_names: names(lang, "status", domain::Status::ALL, |w| w.as_str()),
                    priority_names: names(lang, "priority", domain::Priority::ALL, |w| w.as_str()),
                    type_names: names(lang, "type", domain::TicketType::ALL, |w| w.as_str()),
                    channel_names: names(lang, "channel", domain::Channel::ALL, |w| w.as_str()),
                }
            }
        }
    };
}

// Every message the pages show: one field per catalog key of the same
// name, so a message the pages use and the catalog lacks is a failing test
// (`every_word_is_in_both_catalogs`), never a blank on screen.
words! {
    app_name,
    sign_in,
    sign_in_title,
    email,
    password,
    wrong_password,
    not_staff,
    too_many_attempts,
    form_expired,
    sign_out,
    queues,
    q_my_open,
    q_unassigned,
    q_unsolved,
    q_pending,
    q_solved,
    search,
    search_placeholder,
    results,
    no_tickets,
    subject,
    requester,
    status,
    priority,
    ticket_type,
    assignee,
    group,
    tags,
    updated,
    created,
    none,
    sort_by,
    newer,
    older,
    page_of,
    reply,
    public_reply,
    internal_note,
    submit_as,
    submit,
    save,
    properties,
    customer,
    identities,
    organization,
    earlier_conversations,
    no_earlier,
    via,
    changes,
    attachments,
    conflict,
    saved,
    reply_added,
    note_added,
    also_here,
    is_replying,
    is_viewing,
    live_updated,
    chat_customer_typing,
    chat_going_on,
    chat_end,
    chat_tabs,
    chat_offer,
    chat_accept,
    chat_decline,
    chat_seconds_left,
    chat_unseen,
    chat_transfer,
    chat_transfer_to,
    chat_transfer_note,
    chat_transfer_send,
    chat_transfer_agents,
    chat_transfer_groups,
    chat_by_email,
    chat_offer_after,
    chat_admin,
    chat_admin_help,
    chat_widget_new,
    chat_widget_name,
    chat_widget_origins,
    chat_widget_ask_name,
    chat_widget_ask_email,
    chat_widget_topics,
    chat_widget_invitations,
    chat_widget_enabled,
    chat_widget_snippet,
    chat_widget_key,
    chat_widget_secret,
    chat_widgets_empty,
    chat_widget_create,
    channels_admin,
    channels_admin_help,
    channel_account_new,
    channel_kind,
    channel_name,
    channel_external_id,
    channel_credentials,
    channel_credentials_help,
    channel_api_base,
    channel_bot_first,
    channel_enabled,
    channel_webhook,
    channel_last_delivery,
    channel_last_error,
    channel_deliveries,
    channel_never,
    channel_test_to,
    channel_test_send,
    channel_test_sent,
    channel_made,
    channel_connect,
    channels_empty,
    templates_title,
    templates_help,
    template_name,
    template_language,
    template_category,
    template_body,
    template_add,
    templates_empty,
    window_left,
    window_closed,
    template_choose,
    template_params,
    template_none,
    reply_buttons,
    reply_buttons_hint,
    reply_route_waits,
    call_ringing,
    call_unknown_number,
    call_create_customer,
    call_open_cases,
    call_no_open_cases,
    call_last_contact,
    call_wrap_up,
    call_inbound,
    call_outbound,
    call_answered,
    call_missed,
    call_voicemail,
    call_abandoned,
    call_callback,
    call_live,
    call_place,
    call_back,
    call_recording,
    call_transcription,
    call_placed,
    phone_admin,
    phone_admin_help,
    phone_today,
    phone_total_calls,
    phone_answered,
    phone_abandoned,
    phone_voicemails,
    phone_callbacks_requested,
    phone_callbacks_made,
    phone_asa,
    phone_queue_wait,
    phone_talk,
    phone_wrap_up,
    phone_by_agent,
    phone_agent,
    phone_missed,
    phone_lines_empty,
    phone_incoming_url,
    phone_status_url,
    phone_last_call,
    phone_languages,
    phone_default_language,
    phone_greeting,
    phone_menu,
    phone_menu_help,
    phone_menu_key,
    phone_menu_label,
    phone_menu_target,
    phone_target_queue,
    phone_target_message,
    phone_skills,
    phone_message,
    phone_queue_timeout,
    phone_ring_secs,
    phone_when_nobody,
    phone_voicemail,
    phone_offer_callback,
    phone_record,
    phone_schedule,
    phone_schedule_default,
    phone_line_new,
    phone_number,
    phone_credentials_help,
    phone_hold_music,
    reply_receipt_delivered,
    reply_receipt_read,
    identity_suggestions,
    identity_add_suggested,
    identity_same_person,
    consent_title,
    consent_in,
    consent_out,
    language,
    shortcuts,
    close,
    not_found,
    forbidden,
    error,
    back,
    internal,
    bulk_apply,
    select_ticket,
    remove,
    add,
    add_identity,
    identity_value,
    merge_into,
    merge_preview,
    merge_customer,
    merge_moves,
    merge_explain,
    merge_confirm,
    merge_done,
    merge_undone,
    undo,
    tickets_word,
    no_such_customer,
    admin,
    agents,
    groups,
    fields,
    views_admin,
    tokens,
    look_admin,
    look_help,
    look_name_es,
    look_name_en,
    look_accent,
    look_links,
    look_logo,
    look_remove_logo,
    look_current_logo,
    bot_admin,
    toolbar_insert_image,
    toolbar_alt_prompt,
    bot_topics,
    bot_topics_help,
    bot_reason_topic,
    article_phrasings,
    article_phrasings_hint,
    bot_write_article,
    articles,
    articles_help,
    articles_empty,
    article_new,
    article_create,
    article_section,
    article_locale,
    article_status,
    article_updated,
    article_draft,
    article_published,
    article_outdated,
    article_missing,
    article_source,
    article_source_text,
    article_title,
    article_body,
    article_visibility,
    article_everyone,
    article_promoted,
    article_labels,
    article_preview,
    article_preview_note,
    article_save_draft,
    article_publish,
    article_unpublish,
    article_saved,
    article_view_public,
    article_history,
    article_history_empty,
    article_restore,
    article_restored,
    article_files,
    article_files_empty,
    article_file,
    article_upload,
    article_inline,
    article_inline_mark,
    article_delete_file,
    article_by,
    article_back,
    toolbar,
    toolbar_bold,
    toolbar_italic,
    toolbar_heading,
    toolbar_subheading,
    toolbar_bullets,
    toolbar_numbers,
    toolbar_link,
    toolbar_link_prompt,
    toolbar_quote,
    toolbar_clear,
    bot_help,
    bot_signals,
    bot_signal_words,
    bot_signal_translation_on,
    bot_signal_translation_off,
    bot_signal_meaning_on,
    bot_signal_meaning_off,
    bot_encoded,
    bot_month,
    bot_answered,
    bot_handed_over,
    bot_helped,
    bot_did_not_help,
    bot_deflected,
    bot_gaps,
    bot_gaps_help,
    bot_gaps_empty,
    bot_times,
    bot_recent,
    bot_question,
    bot_outcome,
    bot_feedback,
    bot_reason_asked_for_person,
    bot_reason_nothing_to_answer,
    bot_reason_no_good_match,
    bot_articles,
    bot_opened,
    bot_request,
    bot_recent_empty,
    name,
    role,
    active,
    invite_agent,
    invite,
    password_generated,
    new_group,
    title,
    field_type,
    options,
    options_help,
    pattern,
    required_to_solve,
    new_field,
    new_view,
    condition,
    operator,
    value,
    description,
    revoke,
    new_token,
    invited,
    token_created,
    only_own_groups,
    macro_label,
    merge_into_ticket,
    email_admin,
    outbox_empty,
    server_reply,
    retry,
    mail_queued,
    mail_sent,
    mail_failed,
    mail_acknowledgement,
    mail_reply,
    mail_notification,
    mail_sign_in,
    quoted_text,
    support_addresses,
    support_addresses_help,
    no_mailboxes,
    from_name,
    default_mailbox,
    imap_account,
    imap_host,
    imap_port,
    imap_security,
    imap_username,
    imap_password,
    imap_password_keep,
    imap_folder,
    imap_after,
    after_mark_seen,
    after_move,
    imap_move_to,
    imap_status,
    imap_none,
    add_mailbox,
    edit,
    mail_templates,
    mail_templates_help,
    acknowledge_new,
    ack_subject_en,
    ack_body_en,
    ack_subject_es,
    ack_body_es,
    footer_en,
    footer_es,
    undelivered_mail,
    suspended_mail,
    suspended_help,
    suspended_empty,
    reason,
    sender,
    received,
    recover,
    delete,
    cause_unreadable,
    cause_no_sender,
    cause_unverified_sender,
    cause_processing_failed,
    imap_not_checked,
    rules_admin,
    rules_help,
    triggers,
    automations,
    add_trigger,
    add_automation,
    title_label,
    active_label,
    position_label,
    conditions_json,
    actions_json,
    targets_json,
    sla_admin,
    schedules,
    schedules_help,
    time_zone,
    weekly_hours,
    holidays,
    add_schedule,
    sla_policies,
    policies_help,
    add_policy,
    routing_admin,
    routing_settings,
    routing_enabled,
    drop_optional_after,
    escalate_after,
    escalation_groups,
    reroute_after,
    away_after,
    skills,
    attribute_name,
    attribute_values,
    agent_routing,
    languages,
    capacity_email,
    capacity_chat,
    capacity_call,
    webhooks,
    webhooks_help,
    send_test,
    no_deliveries,
    attempts,
    endpoint,
    add_webhook,
    presence,
    presence_online,
    presence_away,
    presence_offline,
    sla,
    sla_first_reply,
    sla_next_reply,
    sla_periodic,
    sla_requester_wait,
    sla_agent_work,
    sla_next,
    routing_event,
    sla_event,
    automation_event,
    thread_headers,
    thread_reply_address,
    thread_subject,
    thread_new,
    thread_open_case,
    reply_by,
    no_reply_route,
    outgoing_messages,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_is_in_both_catalogs() {
        for lang in Lang::ALL {
            for key in FIELD_KEYS {
                assert!(i18n::has(lang, key), "{lang:?} lacks {key}");
            }
            let words = domain::Status::ALL
                .iter()
                .map(|w| format!("status-{}", w.as_str()))
                .chain(
                    domain::Priority::ALL
                        .iter()
                        .map(|w| format!("priority-{}", w.as_str())),
                )
                .chain(
                    domain::TicketType::ALL
                        .iter()
                        .map(|w| format!("type-{}", w.as_str())),
                )
                .chain(
                    domain::Channel::ALL
                        .iter()
                        .map(|w| format!("channel-{}", w.as_str())),
                );
            for key in words {
                assert!(i18n::has(lang, &key), "{lang:?} lacks {key}");
            }
            let t = lang.text();
            assert_eq!(t.shortcuts_help.len(), 7, "{lang:?}");
        }
        assert_eq!(Lang::Es.text().status(domain::Status::Hold), "En espera");
        assert_eq!(Lang::En.text().channel(domain::Channel::WalkIn), "Walk-in");
        assert_eq!(Lang::Es.text().shortcuts_help[0].0, "j / k");
    }
}
