//! Frequent problems and trends: what each new ticket is about (its
//! topic), how often each topic came this period against the one before,
//! and when a topic's hourly volume jumps far above its normal level (a
//! spike: an outage, a broken release, a late delivery round).

use crate::ticket::Channel;
use crate::{FieldId, TextTopicId};
use serde::{Deserialize, Serialize};

/// What a ticket is about, in the order it is decided: the category an
/// agent or form chose (a dropdown field's value), else a tag, else what
/// its text is about (a topic learned from the text).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Topic {
    Category { field: FieldId, value: String },
    Tag(String),
    Text(TextTopicId),
}

impl Topic {
    /// The topic as stored and in links (`category:7:envio_tarde`,
    /// `tag:outage`, `text:12`).
    pub fn key(&self) -> String {
        match self {
            Topic::Category { field, value } => format!("category:{}:{value}", field.0),
            Topic::Tag(t) => format!("tag:{t}"),
            Topic::Text(id) => format!("text:{}", id.0),
        }
    }

    /// A stored key back; `None` for anything else.
    pub fn parse(key: &str) -> Option<Topic> {
        let (kind, rest) = key.split_once(':')?;
        let word =
            |s: &str| (!s.is_empty() && !s.contains(char::is_whitespace)).then(|| s.to_string());
        match kind {
            "category" => {
                let (field, value) = rest.split_once(':')?;
                Some(Topic::Category {
                    field: FieldId(field.parse().ok()?),
                    value: word(value)?,
                })
            }
            "tag" => Some(Topic::Tag(word(rest)?)),
            "text" => Some(Topic::Text(TextTopicId(rest.parse().ok()?))),
            _ => None,
        }
    }
}

/// A ticket's topic from what people set on it: the first category
/// field (in `categories`' order) with a value, else its first tag that
/// says something of the problem (not in `ignored`). `None`: its text
/// decides.
pub fn topic_of(
    custom_fields: &[(FieldId, String)],
    categories: &[FieldId],
    tags: &[String],
    ignored: &[String],
) -> Option<Topic> {
    let category = categories.iter().find_map(|f| {
        custom_fields
            .iter()
            .find(|(id, v)| id == f && !v.trim().is_empty())
            .map(|(id, v)| Topic::Category {
                field: *id,
                value: v.trim().to_string(),
            })
    });
    category.or_else(|| {
        tags.iter()
            .find(|t| !ignored.contains(t))
            .map(|t| Topic::Tag(t.clone()))
    })
}

/// When a topic's last hour is a spike.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SpikeRule {
    /// At least this many new tickets in the hour (a quiet topic's 1 → 4
    /// is noise, not an outage).
    pub min_tickets: i64,
    /// And at least this many times its normal hour.
    pub times_normal: f64,
}

impl Default for SpikeRule {
    fn default() -> Self {
        SpikeRule {
            min_tickets: 10,
            times_normal: 3.0,
        }
    }
}

/// The hours a topic's normal level is the average of (the week before
/// the hour looked at).
pub const NORMAL_HOURS: i64 = 7 * 24;

impl SpikeRule {
    /// A topic's normal hour: the average over the week before.
    pub fn normal(week_before: i64) -> f64 {
        week_before as f64 / NORMAL_HOURS as f64
    }

    /// Whether `last_hour` new tickets on a topic that had `week_before`
    /// in the week before is a spike.
    pub fn is_spike(&self, last_hour: i64, week_before: i64) -> bool {
        last_hour >= self.min_tickets
            && last_hour as f64 >= self.times_normal * SpikeRule::normal(week_before)
    }
}

/// How frequent problems are found and told: set by admins.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default)]
pub struct TrendSettings {
    /// Tags that say nothing of the problem (`vip`, `urgent`): a ticket
    /// with only these is placed by its text.
    pub ignored_tags: Vec<String>,
    pub spike: SpikeRule,
    /// Addresses told of a spike by email (besides webhooks and the
    /// workspace).
    pub alert_emails: Vec<String>,
}

/// Why settings were refused: the field and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Refused(pub &'static str, pub String);

impl TrendSettings {
    /// The settings cleaned (tags lower-cased, blanks dropped), or why
    /// they cannot be kept.
    pub fn checked(mut self) -> Result<TrendSettings, Refused> {
        self.ignored_tags = clean(self.ignored_tags, |t| t.to_lowercase());
        let mut emails = Vec::new();
        for raw in clean(self.alert_emails, |e| e.to_string()) {
            match crate::user::normalize_email(&raw) {
                Some(e) if !emails.contains(&e) => emails.push(e),
                Some(_) => {}
                None => {
                    return Err(Refused(
                        "alert_emails",
                        format!("not an email address: {raw}"),
                    ));
                }
            }
        }
        self.alert_emails = emails;
        if self.ignored_tags.len() > 200 {
            return Err(Refused("ignored_tags", "at most 200 tags".into()));
        }
        if let Some(bad) = self
            .ignored_tags
            .iter()
            .find(|t| t.contains(char::is_whitespace))
        {
            return Err(Refused(
                "ignored_tags",
                format!("a tag has no spaces: {bad}"),
            ));
        }
        if !(2..=100_000).contains(&self.spike.min_tickets) {
            return Err(Refused(
                "min_tickets",
                "between 2 and 100000 tickets".into(),
            ));
        }
        if !(1.5..=1000.0).contains(&self.spike.times_normal) {
            return Err(Refused("times_normal", "between 1.5 and 1000 times".into()));
        }
        if self.alert_emails.len() > 20 {
            return Err(Refused("alert_emails", "at most 20 addresses".into()));
        }
        Ok(self)
    }
}

fn clean(items: Vec<String>, f: impl Fn(&str) -> String) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items.iter().map(|i| f(i.trim())).filter(|i| !i.is_empty()) {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

/// A spike found.
#[derive(Debug, Clone, PartialEq)]
pub struct Spike {
    pub id: crate::TopicSpikeId,
    pub topic: Topic,
    /// The topic's name when it was found.
    pub name: String,
    /// New tickets in the hour.
    pub tickets: i64,
    /// New tickets in the week before the hour.
    pub week_before: i64,
    /// The hour: `[hour_from, hour_from + 3600)`.
    pub hour_from: crate::Timestamp,
    pub detected_at: crate::Timestamp,
}

/// One topic's figures in a period and the one before.
#[derive(Debug, Clone, PartialEq)]
pub struct TopicCount {
    pub topic: Topic,
    pub count: i64,
    pub before: i64,
    /// Its tickets by channel, most first.
    pub channels: Vec<(Channel, i64)>,
}

impl TopicCount {
    /// The change against the period before, in percent (`None` when
    /// the topic is new).
    pub fn change_percent(&self) -> Option<i64> {
        (self.before > 0).then(|| {
            ((self.count - self.before) as f64 * 100.0 / self.before as f64).round() as i64
        })
    }
}

/// The `n` most frequent topics of a period from its `(topic, channel,
/// tickets)` rows, with the period before's counts: most tickets first,
/// then the larger rise, then the key (a stable order).
pub fn top_topics(
    now: &[(Topic, Channel, i64)],
    before: &[(Topic, i64)],
    n: usize,
) -> Vec<TopicCount> {
    let mut lines: Vec<TopicCount> = Vec::new();
    for (topic, channel, count) in now {
        let i = match lines.iter().position(|l| &l.topic == topic) {
            Some(i) => i,
            None => {
                lines.push(TopicCount {
                    topic: topic.clone(),
                    count: 0,
                    before: 0,
                    channels: Vec::new(),
                });
                lines.len() - 1
            }
        };
        lines[i].count += count;
        lines[i].channels.push((*channel, *count));
    }
    for line in &mut lines {
        line.before = before
            .iter()
            .filter(|(t, _)| t == &line.topic)
            .map(|(_, c)| c)
            .sum();
        line.channels
            .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.as_str().cmp(b.0.as_str())));
    }
    lines.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then((b.count - b.before).cmp(&(a.count - a.before)))
            .then(a.topic.cmp(&b.topic))
    });
    lines.truncate(n);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_key_goes_and_comes_back() {
        for t in [
            Topic::Category {
                field: FieldId(7),
                value: "envio_tarde".into(),
            },
            Topic::Tag("outage".into()),
            Topic::Text(TextTopicId(12)),
        ] {
            assert_eq!(Topic::parse(&t.key()), Some(t));
        }
        for bad in ["", "tag:", "text:x", "category:7", "other:1", "tag:a b"] {
            assert_eq!(Topic::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn category_first_then_a_telling_tag_then_the_text() {
        let fields = vec![
            (FieldId(3), "  ".to_string()),
            (FieldId(9), "envio".to_string()),
        ];
        let tags = vec!["vip".to_string(), "outage".to_string()];
        let ignored = vec!["vip".to_string()];
        assert_eq!(
            topic_of(&fields, &[FieldId(3), FieldId(9)], &tags, &ignored),
            Some(Topic::Category {
                field: FieldId(9),
                value: "envio".into()
            })
        );
        assert_eq!(
            topic_of(&fields, &[FieldId(3)], &tags, &ignored),
            Some(Topic::Tag("outage".into()))
        );
        assert_eq!(topic_of(&[], &[], &tags[..1], &ignored), None);
    }

    #[test]
    fn a_spike_is_enough_tickets_and_far_above_normal() {
        let rule = SpikeRule::default();
        assert!(rule.is_spike(10, 0), "a new topic with 10 in an hour");
        assert!(!rule.is_spike(9, 0), "too few");
        // 336 a week = 2 an hour: 6 is three times, but under 10.
        assert!(!rule.is_spike(6, 336));
        // 1,680 a week = 10 an hour: 29 is not three times.
        assert!(!rule.is_spike(29, 1680));
        assert!(rule.is_spike(30, 1680));
    }

    #[test]
    fn settings_are_checked_and_cleaned() {
        let s = TrendSettings {
            ignored_tags: vec![" VIP ".into(), "vip".into(), "".into()],
            alert_emails: vec!["ops@example.com".into()],
            ..TrendSettings::default()
        };
        assert_eq!(s.checked().unwrap().ignored_tags, vec!["vip".to_string()]);
        let bad = |s: TrendSettings| s.checked().unwrap_err().0;
        let mut s = TrendSettings::default();
        s.spike.min_tickets = 1;
        assert_eq!(bad(s), "min_tickets");
        let mut s = TrendSettings::default();
        s.spike.times_normal = 1.0;
        assert_eq!(bad(s), "times_normal");
        let s = TrendSettings {
            alert_emails: vec!["not an address".into()],
            ..TrendSettings::default()
        };
        assert_eq!(bad(s), "alert_emails");
    }

    #[test]
    fn top_topics_sum_channels_and_compare() {
        let parcel = Topic::Text(TextTopicId(1));
        let login = Topic::Tag("login".into());
        let now = vec![
            (parcel.clone(), Channel::Email, 3),
            (login.clone(), Channel::Web, 4),
            (parcel.clone(), Channel::WhatsApp, 2),
        ];
        let before = vec![(parcel.clone(), 10), (Topic::Tag("old".into()), 5)];
        let top = top_topics(&now, &before, 5);
        assert_eq!(top.len(), 2);
        assert_eq!(top[0].topic, parcel);
        assert_eq!((top[0].count, top[0].before), (5, 10));
        assert_eq!(
            top[0].channels,
            vec![(Channel::Email, 3), (Channel::WhatsApp, 2)]
        );
        assert_eq!(top[0].change_percent(), Some(-50));
        assert_eq!(top[1].change_percent(), None, "new");
        assert_eq!(top_topics(&now, &before, 1).len(), 1);
    }
}
