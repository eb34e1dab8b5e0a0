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
    attachments = "hc-attachments",
    attach_files = "portal-attach-files",
    multiselect_hint = "portal-multiselect-hint",
    bot_title = "hc-bot-title",
    bot_person_intro = "hc-bot-person-intro",
    bot_asked_for_person = "hc-bot-asked-for-person",
    bot_no_answer = "hc-bot-no-answer",
    talk_to_person = "hc-talk-to-person",
    handover_details = "hc-handover-details",
    handover_title = "hc-handover-title",
    handover_soon = "hc-handover-soon",
    handover_see = "hc-handover-see",
    in_section = "hc-in-section",
    updated = "hc-updated",
    breadcrumbs = "hc-breadcrumbs",
    language = "hc-language",
    not_found_title = "hc-not-found-title",
    not_found = "hc-not-found",
    error_title = "hc-error-title",
    error = "hc-error",
    invalid_title = "hc-invalid-title",
    invalid = "hc-invalid",
    skip = "hc-skip",
    previous = "hc-previous",
    next = "hc-next",
    helpful = "hc-helpful",
    yes = "hc-yes",
    no = "hc-no",
    thanks = "hc-thanks",
    restricted = "hc-restricted",
    comments = "hc-comments",
    comments_none = "hc-comments-none",
    comments_closed = "hc-comments-closed",
    comment_add = "hc-comment-add",
    comment_publish = "hc-comment-publish",
    comment_sign_in = "hc-comment-sign-in",
    new_request = "portal-new-request",
    new_request_intro = "portal-new-request-intro",
    your_email = "portal-your-email",
    your_name = "portal-your-name",
    subject = "portal-subject",
    description = "portal-description",
    description_hint = "portal-description-hint",
    form_choice = "portal-form-choice",
    choose = "portal-choose",
    required = "portal-required",
    submit = "portal-submit",
    robots = "portal-robots",
    too_quick = "portal-too-quick",
    too_many_requests = "portal-too-many-requests",
    suggest = "portal-suggest",
    thanks_plain = "portal-thanks-plain",
    select_none = "portal-select-none",
    account = "portal-account",
    sign_in = "portal-sign-in",
    sign_in_intro = "portal-sign-in-intro",
    email = "portal-email",
    send_link = "portal-send-link",
    or_password = "portal-or-password",
    password = "portal-password",
    too_many = "portal-too-many",
    bad_credentials = "portal-bad-credentials",
    bad_email = "portal-bad-email",
    continue_ = "portal-continue",
    link_dead = "portal-link-dead",
    sign_out = "portal-sign-out",
    my_requests = "portal-my-requests",
    open = "portal-open",
    solved = "portal-solved",
    ccd = "portal-ccd",
    no_requests = "portal-no-requests",
    status_open = "portal-status-open",
    status_pending = "portal-status-pending",
    status_solved = "portal-status-solved",
    status_closed = "portal-status-closed",
    status = "portal-status",
    created = "portal-created",
    last_activity = "portal-updated",
    reply = "portal-reply",
    your_reply = "portal-your-reply",
    send = "portal-send",
    mark_solved = "portal-mark-solved",
    attach = "portal-attach",
    add_cc = "portal-add-cc",
    reply_empty = "portal-reply-empty",
    form_expired = "portal-form-expired",
    sent = "portal-sent",
    conversation = "portal-conversation",
    solved_note = "portal-solved-note",
    closed_note = "portal-closed-note",
    survey_title = "survey-page-title",
    survey_good = "survey-csat-good",
    survey_bad = "survey-csat-bad",
    survey_ces_low = "survey-ces-low",
    survey_ces_high = "survey-ces-high",
    survey_nps_low = "survey-nps-low",
    survey_nps_high = "survey-nps-high",
    survey_comment = "survey-comment",
    survey_reason = "survey-reason",
    survey_send = "survey-send",
    survey_saved = "survey-saved",
    survey_review_invite = "survey-review-invite",
    survey_review_action = "survey-review-action",
    survey_invalid_title = "survey-invalid-title",
    survey_invalid = "survey-invalid",
    survey_expired_title = "survey-expired-title",
    survey_expired = "survey-expired",
    survey_your_answer = "survey-your-answer",
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

    /// "If ana@… belongs to an account, we have sent it a link…".
    pub fn link_sent(&self, email: &str) -> String {
        i18n::with(
            self.lang,
            "portal-link-sent",
            &[
                ("email", Arg::Text(email)),
                ("minutes", Arg::Number(app::portal::LINK_MINUTES)),
            ],
        )
    }

    /// "Too many attempts. Please try again in 8 seconds."
    pub fn wait(&self, seconds: u64) -> String {
        let s = i64::try_from(seconds).unwrap_or(i64::MAX);
        i18n::with(self.lang, "portal-wait", &[("seconds", Arg::Number(s))])
    }

    /// "Sign in as ana@…".
    pub fn link_confirm(&self, email: &str) -> String {
        i18n::with(
            self.lang,
            "portal-link-confirm",
            &[("email", Arg::Text(email))],
        )
    }

    /// "Thank you. We received your request #42."
    pub fn thanks(&self, id: i64) -> String {
        i18n::with(self.lang, "portal-thanks", &[("id", Arg::Number(id))])
    }

    /// "Your question is on request #12" / "added to your open request #12".
    pub fn handed_over(&self, id: i64, continued: bool) -> String {
        let key = if continued {
            "hc-handover-continued"
        } else {
            "hc-handover-new"
        };
        i18n::with(self.lang, key, &[("id", Arg::Number(id))])
    }

    /// "We're closed now. A person will answer you from Monday 7 December
    /// at 09:00 (Europe/Madrid)".
    pub fn opens_at(&self, at: domain::Timestamp, zone: &jiff::tz::TimeZone) -> String {
        app::handover::opens_at_text(self.lang, "hc-handover-opens", at, zone)
            .unwrap_or_else(|| self.handover_soon.to_string())
    }

    /// "We have sent a link to ana@…".
    pub fn thanks_confirm(&self, email: &str) -> String {
        i18n::with(
            self.lang,
            "portal-thanks-confirm",
            &[("email", Arg::Text(email))],
        )
    }

    /// "Please fill in “Order number”."
    pub fn field_missing(&self, field: &str) -> String {
        i18n::with(
            self.lang,
            "portal-field-missing",
            &[("field", Arg::Text(field))],
        )
    }

    /// "“Order number”: why".
    pub fn field_invalid(&self, field: &str, why: &str) -> String {
        i18n::with(
            self.lang,
            "portal-field-invalid",
            &[("field", Arg::Text(field)), ("why", Arg::Text(why))],
        )
    }

    /// "Request #42".
    pub fn request_title(&self, id: i64) -> String {
        i18n::with(self.lang, "portal-request", &[("id", Arg::Number(id))])
    }

    /// "x is not an email address."
    pub fn cc_invalid(&self, value: &str) -> String {
        i18n::with(
            self.lang,
            "portal-cc-invalid",
            &[("value", Arg::Text(value))],
        )
    }

    /// How a customer reads a ticket's status: on hold is still open to
    /// them, pending is waiting for their reply.
    pub fn status(&self, s: domain::Status) -> &'static str {
        use domain::Status;
        match s {
            Status::New | Status::Open | Status::Hold => self.status_open,
            Status::Pending => self.status_pending,
            Status::Solved => self.status_solved,
            Status::Closed => self.status_closed,
        }
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
