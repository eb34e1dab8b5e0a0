//! Schema migrations, numbered once for both backends. A migration is either
//! shared (`NNNN_name.sql`, with a mechanical type rewrite for PostgreSQL) or
//! split per backend (`NNNN_name.sqlite.sql` / `NNNN_name.postgres.sql`) where
//! the features differ, as for text search.

use crate::{Backend, Db, StoreError, q};

struct Migration {
    version: i64,
    name: &'static str,
    shared: Option<&'static str>,
    sqlite: Option<&'static str>,
    postgres: Option<&'static str>,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "core",
        shared: Some(include_str!("../migrations/0001_core.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 2,
        name: "search",
        shared: None,
        sqlite: Some(include_str!("../migrations/0002_search.sqlite.sql")),
        postgres: Some(include_str!("../migrations/0002_search.postgres.sql")),
    },
    Migration {
        version: 3,
        name: "help_center",
        shared: Some(include_str!("../migrations/0003_help_center.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 4,
        name: "article_search",
        shared: None,
        sqlite: Some(include_str!("../migrations/0004_article_search.sqlite.sql")),
        postgres: Some(include_str!(
            "../migrations/0004_article_search.postgres.sql"
        )),
    },
    Migration {
        version: 5,
        name: "macros_views_ratings",
        shared: Some(include_str!("../migrations/0005_macros_views_ratings.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 6,
        name: "sessions",
        shared: Some(include_str!("../migrations/0006_sessions.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 7,
        name: "user_merges",
        shared: Some(include_str!("../migrations/0007_user_merges.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 8,
        name: "agent_restriction",
        shared: Some(include_str!("../migrations/0008_agent_restriction.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 9,
        name: "email",
        shared: Some(include_str!("../migrations/0009_email.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 10,
        name: "outbox",
        shared: Some(include_str!("../migrations/0010_outbox.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 11,
        name: "mailboxes",
        shared: Some(include_str!("../migrations/0011_mailboxes.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 12,
        name: "business_rules",
        shared: Some(include_str!("../migrations/0012_business_rules.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 13,
        name: "security",
        shared: None,
        sqlite: Some(include_str!("../migrations/0013_security.sqlite.sql")),
        postgres: Some(include_str!("../migrations/0013_security.postgres.sql")),
    },
    Migration {
        version: 14,
        name: "inbound_messages",
        shared: Some(include_str!("../migrations/0014_inbound_messages.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 15,
        name: "outbound_channels",
        shared: Some(include_str!("../migrations/0015_outbound_channels.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 16,
        name: "leaner_writes",
        shared: None,
        sqlite: Some(include_str!("../migrations/0016_leaner_writes.sqlite.sql")),
        postgres: Some(include_str!(
            "../migrations/0016_leaner_writes.postgres.sql"
        )),
    },
    Migration {
        version: 17,
        name: "help_center_site",
        shared: Some(include_str!("../migrations/0017_help_center_site.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 18,
        name: "article_votes",
        shared: Some(include_str!("../migrations/0018_article_votes.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 19,
        name: "translations",
        shared: None,
        sqlite: Some(include_str!("../migrations/0019_translations.sqlite.sql")),
        postgres: Some(include_str!("../migrations/0019_translations.postgres.sql")),
    },
    Migration {
        version: 20,
        name: "user_segments",
        shared: Some(include_str!("../migrations/0020_user_segments.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 21,
        name: "portal_sign_in",
        shared: None,
        sqlite: Some(include_str!("../migrations/0021_portal_sign_in.sqlite.sql")),
        postgres: Some(include_str!(
            "../migrations/0021_portal_sign_in.postgres.sql"
        )),
    },
    Migration {
        version: 22,
        name: "answer_bot",
        shared: Some(include_str!("../migrations/0022_answer_bot.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 23,
        name: "request_forms",
        shared: Some(include_str!("../migrations/0023_request_forms.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 24,
        name: "help_center_reads",
        shared: Some(include_str!("../migrations/0024_help_center_reads.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 25,
        name: "article_vectors",
        shared: Some(include_str!("../migrations/0025_article_vectors.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 26,
        name: "article_authoring",
        shared: Some(include_str!("../migrations/0026_article_authoring.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 27,
        name: "bot_phrasings",
        shared: Some(include_str!("../migrations/0027_bot_phrasings.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 28,
        name: "handover_topics",
        shared: None,
        sqlite: Some(include_str!(
            "../migrations/0028_handover_topics.sqlite.sql"
        )),
        postgres: Some(include_str!(
            "../migrations/0028_handover_topics.postgres.sql"
        )),
    },
    Migration {
        version: 29,
        name: "bot_feedback_index",
        shared: Some(include_str!("../migrations/0029_bot_feedback_index.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 30,
        name: "live_chat",
        shared: Some(include_str!("../migrations/0030_live_chat.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 31,
        name: "chat_invitations",
        shared: Some(include_str!("../migrations/0031_chat_invitations.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 32,
        name: "chat_attendance",
        shared: Some(include_str!("../migrations/0032_chat_attendance.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 33,
        name: "webhook_subscriptions",
        shared: Some(include_str!("../migrations/0033_webhook_subscriptions.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 34,
        name: "sms_channel",
        shared: None,
        sqlite: Some(include_str!("../migrations/0034_sms_channel.sqlite.sql")),
        postgres: Some(include_str!("../migrations/0034_sms_channel.postgres.sql")),
    },
    Migration {
        version: 35,
        name: "messaging",
        shared: Some(include_str!("../migrations/0035_messaging.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 36,
        name: "messaging_consent",
        shared: Some(include_str!("../migrations/0036_messaging_consent.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 37,
        name: "messaging_bot",
        shared: Some(include_str!("../migrations/0037_messaging_bot.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 38,
        name: "outbound_parts",
        shared: Some(include_str!("../migrations/0038_outbound_parts.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 39,
        name: "calls",
        shared: Some(include_str!("../migrations/0039_calls.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 40,
        name: "voice_lines",
        shared: None,
        sqlite: Some(include_str!("../migrations/0040_voice_lines.sqlite.sql")),
        postgres: Some(include_str!("../migrations/0040_voice_lines.postgres.sql")),
    },
    Migration {
        version: 41,
        name: "surveys",
        shared: Some(include_str!("../migrations/0041_surveys.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 42,
        name: "reports",
        shared: Some(include_str!("../migrations/0042_reports.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 43,
        name: "trends",
        shared: Some(include_str!("../migrations/0043_trends.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 44,
        name: "ticket_form",
        shared: Some(include_str!("../migrations/0044_ticket_form.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 45,
        name: "report_packed",
        shared: None,
        sqlite: Some(include_str!("../migrations/0045_report_packed.sqlite.sql")),
        postgres: Some(include_str!(
            "../migrations/0045_report_packed.postgres.sql"
        )),
    },
    Migration {
        version: 46,
        name: "goodwill",
        shared: Some(include_str!("../migrations/0046_goodwill.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 47,
        name: "deletions",
        shared: Some(include_str!("../migrations/0047_deletions.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 48,
        name: "profile_fields",
        shared: Some(include_str!("../migrations/0048_profile_fields.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 49,
        name: "hc_labels",
        shared: None,
        sqlite: Some(include_str!("../migrations/0049_hc_labels.sqlite.sql")),
        postgres: Some(include_str!("../migrations/0049_hc_labels.postgres.sql")),
    },
    Migration {
        version: 50,
        name: "ticket_skips",
        shared: Some(include_str!("../migrations/0050_ticket_skips.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 51,
        name: "article_comments",
        shared: Some(include_str!("../migrations/0051_article_comments.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 52,
        name: "audit_logs",
        shared: Some(include_str!("../migrations/0052_audit_logs.sql")),
        sqlite: None,
        postgres: None,
    },
    Migration {
        version: 53,
        name: "audit_log_sources",
        shared: None,
        sqlite: Some(include_str!(
            "../migrations/0053_audit_log_sources.sqlite.sql"
        )),
        postgres: Some(include_str!(
            "../migrations/0053_audit_log_sources.postgres.sql"
        )),
    },
    Migration {
        version: 54,
        name: "oauth",
        shared: Some(include_str!("../migrations/0054_oauth.sql")),
        sqlite: None,
        postgres: None,
    },
];

/// The latest schema version this binary knows.
pub fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

/// Rewrites the shared dialect for PostgreSQL.
fn for_postgres(sql: &str) -> String {
    sql.replace(
        "INTEGER PRIMARY KEY",
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    )
    .replace("INTEGER", "BIGINT")
    .replace("BLOB", "BYTEA")
}

/// Applies every migration not yet applied, each in its own transaction.
/// Concurrent nodes on PostgreSQL wait for each other on an advisory lock.
/// Returns the versions applied.
pub async fn run(db: &Db) -> Result<Vec<i64>, StoreError> {
    db.write(|c: &mut crate::Conn<'_>| -> crate::BoxFut<'_, Result<Vec<i64>, StoreError>> {
        Box::pin(async move {
            if c.backend() == Backend::Postgres {
                c.exec(q("SELECT pg_advisory_xact_lock(7261001)")).await?;
            }
            c.exec(q("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"))
                .await?;
            let done: Vec<i64> = c
                .all(q("SELECT version FROM schema_migrations"))
                .await?
                .iter()
                .map(|r| r.int(0))
                .collect::<Result<_, _>>()?;
            let mut applied = Vec::new();
            for m in MIGRATIONS.iter().filter(|m| !done.contains(&m.version)) {
                let sql = match (c.backend(), m.shared) {
                    (Backend::Sqlite, Some(s)) => s.to_string(),
                    (Backend::Postgres, Some(s)) => for_postgres(s),
                    (Backend::Sqlite, None) => m.sqlite.unwrap_or_default().to_string(),
                    (Backend::Postgres, None) => m.postgres.unwrap_or_default().to_string(),
                };
                for stmt in statements(&sql) {
                    c.exec(q(stmt)).await.map_err(|e| StoreError::Migration(m.name.into(), e.to_string()))?;
                }
                c.exec(q("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)")
                    .bind(m.version)
                    .bind(m.name)
                    .bind(domain::Timestamp::now()))
                    .await?;
                applied.push(m.version);
            }
            Ok(applied)
        })
    })
    .await
}

/// Splits a migration into statements on `;` at line ends, dropping comments.
fn statements(sql: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in sql.lines() {
        let line = line.trim_end();
        if line.trim_start().starts_with("--") || line.is_empty() {
            continue;
        }
        cur.push_str(line);
        cur.push('\n');
        if line.ends_with(';') {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}
