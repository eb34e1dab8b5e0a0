//! Reading stored deliveries, one at a time in the order they came (a
//! customer's messages keep their order): those this node stored at once,
//! and every few seconds those left unread (after a crash, or stored by a
//! node that went away). Each is read by its channel's reader into the
//! core's events; a body that cannot be read is kept as malformed.

use crate::http::Http;
use crate::{meta, telegram, twilio, whatsapp};
use app::App;
use app::messaging::{Events, PendingDelivery, ReadError};
use domain::messaging::{ChannelAccount, Credentials};
use domain::{Channel, ChannelDeliveryId, Timestamp};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};

/// How long a delivery waits before any node's sweep reads it (its own
/// node reads it at once).
const SWEEP_AFTER_SECS: i64 = 10;

/// How many unread deliveries one sweep lists.
const SWEEP_BATCH: i64 = 200;

/// Starts the reader; returns where to send the deliveries this node
/// stores.
pub fn spawn(app: App, http: Http) -> UnboundedSender<ChannelDeliveryId> {
    let (tx, mut rx) = unbounded_channel::<ChannelDeliveryId>();
    tokio::spawn(async move {
        let mut sweep = tokio::time::interval(Duration::from_secs(5));
        loop {
            tokio::select! {
                got = rx.recv() => match got {
                    Some(id) => match app.unread_channel_delivery(id).await {
                        Ok(Some(d)) => {
                            read_one(&app, &http, d).await;
                        }
                        Ok(None) => {}
                        Err(e) => tracing::warn!(error = %e, "reading a delivery failed"),
                    },
                    None => return,
                },
                _ = sweep.tick() => loop {
                    // Batch after batch while there is a backlog.
                    let before = Timestamp(Timestamp::now().0 - SWEEP_AFTER_SECS);
                    match app.unread_channel_deliveries(before, SWEEP_BATCH).await {
                        Ok(list) => {
                            let full = list.len() as i64 == SWEEP_BATCH;
                            let mut settled = 0;
                            for d in list {
                                settled += usize::from(read_one(&app, &http, d).await);
                            }
                            // Deliveries that could not be read now wait
                            // for the next tick.
                            if !full || settled == 0 {
                                break;
                            }
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "listing unread deliveries failed");
                            break;
                        }
                    }
                },
            }
        }
    });
    tx
}

/// Reads one delivery with its account's reader and settles it; false
/// when it stays unread (to be read again later).
async fn read_one(app: &App, http: &Http, d: PendingDelivery) -> bool {
    let account = match app.channel_account_with_credentials(d.account).await {
        Ok(Some(x)) => x,
        Ok(None) => return false,
        Err(e) => {
            tracing::warn!(error = %e, "reading a channel account failed");
            return false;
        }
    };
    let result = match read(http, &account.0, &account.1, &d.body).await {
        Ok(events) => app.take_channel_events(d.id, events).await.map(|_| true),
        Err(why @ ReadError::Malformed(_)) => app
            .unreadable_channel_delivery(&d, why)
            .await
            .map(|()| true),
        Err(why) => app
            .unreadable_channel_delivery(&d, why)
            .await
            .map(|()| false),
    };
    result.unwrap_or_else(|e| {
        tracing::warn!(delivery = d.id.0, error = %e, "taking in a delivery failed; it will be read again");
        false
    })
}

/// The channel's reader.
async fn read(
    http: &Http,
    account: &ChannelAccount,
    creds: &Credentials,
    body: &[u8],
) -> Result<Events, ReadError> {
    match account.channel {
        Channel::WhatsApp => whatsapp::read(http, account, creds, body).await,
        Channel::Messenger | Channel::Instagram => meta::read(http, account, body).await,
        Channel::Telegram => telegram::read(http, account, creds, body).await,
        Channel::Sms => twilio::read(http, account, creds, body).await,
        other => Err(ReadError::Malformed(format!("{other} has no reader"))),
    }
}
