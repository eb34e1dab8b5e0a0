//! What the account has set up, counted for `account/settings`.

use crate::{Conn, StoreError, q};

/// How many of each channel set-up the account has: chat widgets, voice
/// lines, messaging accounts; and the first schedule's time zone.
pub async fn set_up(c: &mut Conn<'_>) -> Result<(i64, i64, i64, Option<String>), StoreError> {
    let widgets = c.scalar(q("SELECT COUNT(*) FROM chat_widgets")).await?;
    let lines = c.scalar(q("SELECT COUNT(*) FROM voice_lines")).await?;
    let accounts = c.scalar(q("SELECT COUNT(*) FROM channel_accounts")).await?;
    let zone = c
        .opt(q("SELECT time_zone FROM schedules ORDER BY id LIMIT 1"))
        .await?
        .map(|r| r.text(0))
        .transpose()?;
    Ok((widgets, lines, accounts, zone))
}
