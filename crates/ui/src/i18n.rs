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
        pub(super) const FIELD_KEYS: &[&str] = &[$(stringify!($field)),*];

        impl Text {
            pub(super) fn load(lang: Lang) -> Text {
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

/// Hands the word lists of `words/*.rs` on, one part after the other, to
/// [`words!`]: each part's macro adds its words to those before it and
/// calls this again with the parts still to come.
macro_rules! gather {
    ([] $($words:ident,)*) => { words! { $($words,)* } };
    ([$part:ident $(, $rest:ident)*] $($words:ident,)*) => {
        $part! { [$($rest),*] $($words,)* }
    };
}

mod words;
#[cfg(test)]
use words::FIELD_KEYS;
pub use words::Text;

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
