//! Messaging channels' rows: connected accounts (their credentials read
//! apart, never with the account), the raw webhook deliveries their
//! providers send, and WhatsApp's approved templates.

use crate::{Conn, Row, StoreError, q};
use domain::messaging::{ChannelAccount, Credentials, DeliveryState, MessageTemplate};
use domain::{Channel, ChannelAccountId, ChannelDeliveryId, MessageTemplateId, Timestamp};

const ACCOUNT_COLS: &str = "id, channel, name, external_id, api_base, bot_first, enabled, created_at, last_delivery_at, last_error, last_error_at";

fn account(r: &Row) -> Result<ChannelAccount, StoreError> {
    Ok(ChannelAccount {
        id: ChannelAccountId(r.int(0)?),
        channel: r.word(1)?,
        name: r.text(2)?,
        external_id: r.text(3)?,
        api_base: r.opt_text(4)?,
        bot_first: r.bool(5)?,
        enabled: r.bool(6)?,
        created_at: Timestamp(r.int(7)?),
        last_delivery_at: r.opt_int(8)?.map(Timestamp),
        last_error: r.opt_text(9)?,
        last_error_at: r.opt_int(10)?.map(Timestamp),
    })
}

/// Credentials as stored: a JSON object of field name → value.
pub(crate) fn credentials_json(c: &Credentials) -> String {
    let map: serde_json::Map<String, serde_json::Value> = c
        .fields()
        .map(|(k, v)| (k.to_string(), serde_json::Value::from(v.expose())))
        .collect();
    serde_json::Value::Object(map).to_string()
}

pub(crate) fn credentials_of(text: &str) -> Credentials {
    let mut c = Credentials::default();
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(text) {
        for (k, v) in map {
            if let Some(v) = v.as_str() {
                c.set(&k, domain::mail::Secret::new(v));
            }
        }
    }
    c
}

/// Stores a new account with its credentials; `None` when the channel
/// already has an account with that provider id.
pub async fn insert_account(
    c: &mut Conn<'_>,
    a: &ChannelAccount,
    creds: &Credentials,
) -> Result<Option<ChannelAccountId>, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO channel_accounts (channel, name, external_id, credentials, api_base, bot_first, enabled, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (channel, external_id) DO NOTHING RETURNING id")
                .bind(a.channel)
                .bind(a.name.as_str())
                .bind(a.external_id.as_str())
                .bind(credentials_json(creds))
                .bind(a.api_base.clone())
                .bind(a.bot_first)
                .bind(a.enabled)
                .bind(a.created_at),
        )
        .await?;
    row.map(|r| r.int(0).map(ChannelAccountId)).transpose()
}

/// Changes what admins set of an account (its credentials too, when
/// given).
pub async fn update_account(
    c: &mut Conn<'_>,
    a: &ChannelAccount,
    creds: Option<&Credentials>,
) -> Result<u64, StoreError> {
    let n = c
        .exec(
            q("UPDATE channel_accounts SET name = $2, api_base = $3, bot_first = $4, enabled = $5 WHERE id = $1")
                .bind(a.id)
                .bind(a.name.as_str())
                .bind(a.api_base.clone())
                .bind(a.bot_first)
                .bind(a.enabled),
        )
        .await?;
    if let Some(creds) = creds {
        c.exec(
            q("UPDATE channel_accounts SET credentials = $2 WHERE id = $1")
                .bind(a.id)
                .bind(credentials_json(creds)),
        )
        .await?;
    }
    Ok(n)
}

pub async fn delete_account(c: &mut Conn<'_>, id: ChannelAccountId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM channel_deliveries WHERE account_id = $1").bind(id))
        .await?;
    c.exec(q("DELETE FROM channel_accounts WHERE id = $1").bind(id))
        .await
}

pub async fn accounts(c: &mut Conn<'_>) -> Result<Vec<ChannelAccount>, StoreError> {
    let rows = c
        .all(q(format!(
            "SELECT {ACCOUNT_COLS} FROM channel_accounts ORDER BY channel, id"
        )))
        .await?;
    rows.iter().map(account).collect()
}

pub async fn account_by_id(
    c: &mut Conn<'_>,
    id: ChannelAccountId,
) -> Result<Option<ChannelAccount>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {ACCOUNT_COLS} FROM channel_accounts WHERE id = $1"
            ))
            .bind(id),
        )
        .await?;
    row.as_ref().map(account).transpose()
}

/// The account a channel's outgoing message names (by the provider's id
/// of it), else the channel's first enabled account.
pub async fn account_for_sending(
    c: &mut Conn<'_>,
    channel: Channel,
    external_id: Option<&str>,
) -> Result<Option<ChannelAccount>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {ACCOUNT_COLS} FROM channel_accounts WHERE channel = $1 AND enabled = $3 \
                 ORDER BY CASE WHEN external_id = $2 THEN 0 ELSE 1 END, id LIMIT 1"
            ))
            .bind(channel)
            .bind(external_id.unwrap_or(""))
            .bind(true),
        )
        .await?;
    row.as_ref().map(account).transpose()
}

/// The channels with an enabled account.
pub async fn connected_channels(c: &mut Conn<'_>) -> Result<Vec<Channel>, StoreError> {
    let rows = c
        .all(q("SELECT DISTINCT channel FROM channel_accounts WHERE enabled = $1").bind(true))
        .await?;
    rows.iter().map(|r| r.word(0)).collect()
}

/// An account's credentials, read only by its adapter.
pub async fn credentials(
    c: &mut Conn<'_>,
    id: ChannelAccountId,
) -> Result<Credentials, StoreError> {
    let row = c
        .one(q("SELECT credentials FROM channel_accounts WHERE id = $1").bind(id))
        .await?;
    Ok(credentials_of(&row.text(0)?))
}

/// Stores a delivery as received; `None` when the same body came before
/// for this account (a repeated delivery).
pub async fn store_delivery(
    c: &mut Conn<'_>,
    account: ChannelAccountId,
    digest: &str,
    body: &[u8],
    at: Timestamp,
) -> Result<Option<ChannelDeliveryId>, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO channel_deliveries (account_id, digest, body, received_at, state) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, digest) DO NOTHING RETURNING id")
                .bind(account)
                .bind(digest)
                .bind(body.to_vec())
                .bind(at)
                .bind(DeliveryState::Received),
        )
        .await?;
    row.map(|r| r.int(0).map(ChannelDeliveryId)).transpose()
}

/// A stored delivery waiting to be read.
#[derive(Debug, Clone)]
pub struct PendingDelivery {
    pub id: ChannelDeliveryId,
    pub account: ChannelAccountId,
    pub body: Vec<u8>,
    pub received_at: Timestamp,
}

/// Deliveries not read yet, oldest first (after a restart too).
pub async fn pending_deliveries(
    c: &mut Conn<'_>,
    limit: i64,
) -> Result<Vec<PendingDelivery>, StoreError> {
    let rows = c
        .all(
            q("SELECT id, account_id, body, received_at FROM channel_deliveries WHERE state = $1 ORDER BY id LIMIT $2")
                .bind(DeliveryState::Received)
                .bind(limit),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(PendingDelivery {
                id: ChannelDeliveryId(r.int(0)?),
                account: ChannelAccountId(r.int(1)?),
                body: r.opt_bytes(2)?.unwrap_or_default(),
                received_at: Timestamp(r.int(3)?),
            })
        })
        .collect()
}

/// One delivery, if it is still unread.
pub async fn pending_delivery(
    c: &mut Conn<'_>,
    id: ChannelDeliveryId,
) -> Result<Option<PendingDelivery>, StoreError> {
    let row = c
        .opt(
            q("SELECT id, account_id, body, received_at FROM channel_deliveries WHERE id = $1 AND state = $2")
                .bind(id)
                .bind(DeliveryState::Received),
        )
        .await?;
    row.map(|r| {
        Ok(PendingDelivery {
            id: ChannelDeliveryId(r.int(0)?),
            account: ChannelAccountId(r.int(1)?),
            body: r.opt_bytes(2)?.unwrap_or_default(),
            received_at: Timestamp(r.int(3)?),
        })
    })
    .transpose()
}

/// The account a delivery came to.
pub async fn account_of_delivery(
    c: &mut Conn<'_>,
    id: ChannelDeliveryId,
) -> Result<Option<ChannelAccount>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {} FROM channel_accounts a JOIN channel_deliveries d ON d.account_id = a.id WHERE d.id = $1",
                ACCOUNT_COLS
                    .split(", ")
                    .map(|col| format!("a.{col}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .bind(id),
        )
        .await?;
    row.as_ref().map(account).transpose()
}

/// Settles a delivery: read, or kept as malformed with what was wrong.
/// False when another node settled it first.
pub async fn settle_delivery(
    c: &mut Conn<'_>,
    id: ChannelDeliveryId,
    state: DeliveryState,
    outcome: &str,
    at: Timestamp,
) -> Result<bool, StoreError> {
    let n = c
        .exec(
            q("UPDATE channel_deliveries SET state = $2, outcome = $3, processed_at = $4 WHERE id = $1 AND state = $5")
                .bind(id)
                .bind(state)
                .bind(outcome)
                .bind(at)
                .bind(DeliveryState::Received),
        )
        .await?;
    Ok(n == 1)
}

/// A delivery's state and what became of it.
pub async fn delivery_state(
    c: &mut Conn<'_>,
    id: ChannelDeliveryId,
) -> Result<Option<(DeliveryState, Option<String>)>, StoreError> {
    let row = c
        .opt(q("SELECT state, outcome FROM channel_deliveries WHERE id = $1").bind(id))
        .await?;
    row.map(|r| Ok((r.word(0)?, r.opt_text(1)?))).transpose()
}

/// How many deliveries an account has in each state.
pub async fn delivery_counts(
    c: &mut Conn<'_>,
    account: ChannelAccountId,
) -> Result<Vec<(DeliveryState, i64)>, StoreError> {
    let rows = c
        .all(
            q("SELECT state, COUNT(*) FROM channel_deliveries WHERE account_id = $1 GROUP BY state")
                .bind(account),
        )
        .await?;
    rows.iter().map(|r| Ok((r.word(0)?, r.int(1)?))).collect()
}

/// The status line: a delivery arrived now.
pub async fn note_delivery(
    c: &mut Conn<'_>,
    account: ChannelAccountId,
    at: Timestamp,
) -> Result<(), StoreError> {
    c.exec(
        q("UPDATE channel_accounts SET last_delivery_at = $2 WHERE id = $1 AND (last_delivery_at IS NULL OR last_delivery_at < $2)")
            .bind(account)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// The status line: something went wrong with the account.
pub async fn note_error(
    c: &mut Conn<'_>,
    account: ChannelAccountId,
    error: &str,
    at: Timestamp,
) -> Result<(), StoreError> {
    let error: String = error.chars().take(500).collect();
    c.exec(
        q("UPDATE channel_accounts SET last_error = $2, last_error_at = $3 WHERE id = $1")
            .bind(account)
            .bind(error)
            .bind(at),
    )
    .await?;
    Ok(())
}

/// When the customer (`sender`, their address on the channel) last wrote
/// on a channel: the start of its customer-service window.
pub async fn last_inbound_from(
    c: &mut Conn<'_>,
    channel: Channel,
    sender: &str,
) -> Result<Option<Timestamp>, StoreError> {
    let row = c
        .opt(
            q("SELECT MAX(received_at) FROM inbound_messages WHERE channel = $1 AND sender = $2")
                .bind(channel)
                .bind(sender),
        )
        .await?;
    Ok(row
        .map(|r| r.opt_int(0))
        .transpose()?
        .flatten()
        .map(Timestamp))
}

const TEMPLATE_COLS: &str = "id, name, language, category, body, created_at";

fn template(r: &Row) -> Result<MessageTemplate, StoreError> {
    Ok(MessageTemplate {
        id: MessageTemplateId(r.int(0)?),
        name: r.text(1)?,
        language: r.text(2)?,
        category: r.word(3)?,
        body: r.text(4)?,
        created_at: Timestamp(r.int(5)?),
    })
}

/// Stores a template; `None` when one of that name and language exists.
pub async fn insert_template(
    c: &mut Conn<'_>,
    t: &MessageTemplate,
) -> Result<Option<MessageTemplateId>, StoreError> {
    let row = c
        .opt(
            q("INSERT INTO message_templates (name, language, category, body, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (name, language) DO NOTHING RETURNING id")
                .bind(t.name.as_str())
                .bind(t.language.as_str())
                .bind(t.category)
                .bind(t.body.as_str())
                .bind(t.created_at),
        )
        .await?;
    row.map(|r| r.int(0).map(MessageTemplateId)).transpose()
}

pub async fn delete_template(c: &mut Conn<'_>, id: MessageTemplateId) -> Result<u64, StoreError> {
    c.exec(q("DELETE FROM message_templates WHERE id = $1").bind(id))
        .await
}

pub async fn templates(c: &mut Conn<'_>) -> Result<Vec<MessageTemplate>, StoreError> {
    let rows = c
        .all(q(format!(
            "SELECT {TEMPLATE_COLS} FROM message_templates ORDER BY name, language"
        )))
        .await?;
    rows.iter().map(template).collect()
}

pub async fn template_by_id(
    c: &mut Conn<'_>,
    id: MessageTemplateId,
) -> Result<Option<MessageTemplate>, StoreError> {
    let row = c
        .opt(
            q(format!(
                "SELECT {TEMPLATE_COLS} FROM message_templates WHERE id = $1"
            ))
            .bind(id),
        )
        .await?;
    row.as_ref().map(template).transpose()
}

/// A customer's consent on a channel: (opted in, what said so, when).
pub async fn consent(
    c: &mut Conn<'_>,
    user: domain::UserId,
    channel: Channel,
) -> Result<Option<(bool, String, Timestamp)>, StoreError> {
    let row = c
        .opt(
            q("SELECT opted_in, source, changed_at FROM messaging_consent WHERE user_id = $1 AND channel = $2")
                .bind(user)
                .bind(channel),
        )
        .await?;
    row.map(|r| Ok((r.bool(0)?, r.text(1)?, Timestamp(r.int(2)?))))
        .transpose()
}

/// Every channel's consent of a customer.
pub async fn consents(
    c: &mut Conn<'_>,
    user: domain::UserId,
) -> Result<Vec<(Channel, bool, String, Timestamp)>, StoreError> {
    let rows = c
        .all(
            q("SELECT channel, opted_in, source, changed_at FROM messaging_consent WHERE user_id = $1 ORDER BY channel")
                .bind(user),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.word(0)?, r.bool(1)?, r.text(2)?, Timestamp(r.int(3)?))))
        .collect()
}

/// Records consent; `only_if_unknown` keeps what was recorded before (a
/// customer writing again is not a new opt-in after a stop word).
pub async fn set_consent(
    c: &mut Conn<'_>,
    user: domain::UserId,
    channel: Channel,
    opted_in: bool,
    source: &str,
    at: Timestamp,
    only_if_unknown: bool,
) -> Result<(), StoreError> {
    let sql = if only_if_unknown {
        "INSERT INTO messaging_consent (user_id, channel, opted_in, source, changed_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (user_id, channel) DO NOTHING"
    } else {
        "INSERT INTO messaging_consent (user_id, channel, opted_in, source, changed_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, channel) DO UPDATE SET opted_in = excluded.opted_in, source = excluded.source, changed_at = excluded.changed_at"
    };
    c.exec(
        q(sql)
            .bind(user)
            .bind(channel)
            .bind(opted_in)
            .bind(source)
            .bind(at),
    )
    .await?;
    Ok(())
}
