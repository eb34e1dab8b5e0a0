//! Deliveries from messaging providers: stored raw in one commit before
//! the provider is answered (a repeated delivery — the same body for the
//! same account — is stored once), read afterwards by the adapter into
//! events, and settled: its messages taken in through the one way in, its
//! receipts put on the replies they tell about, or — when it cannot be
//! read — kept as malformed and shown on the account's status.

use super::ReadError;
use super::bot::Taken;
use crate::ingest::{Inbound, IngestOutcome};
use crate::{App, AppError};
use domain::messaging::{ChannelAccount, Credentials, DeliveryState, Receipt};
use domain::{ChannelAccountId, ChannelDeliveryId, Timestamp};
use sha2::{Digest, Sha256};
use store::repo::messaging::{self as repo, PendingDelivery};
use store::repo::outbox;

/// How long a reply's files stay reachable by address for its provider.
const MEDIA_FRESH_SECS: i64 = 7 * 86_400;

/// One thing a delivery says.
#[derive(Debug, Clone)]
pub enum ChannelEvent {
    /// A customer's message, in the core's terms.
    Message(Box<Inbound>),
    /// What the provider says of a message we sent (by its id of it):
    /// delivered or read, or failed with its words.
    Receipt {
        external_id: String,
        receipt: Result<Receipt, String>,
    },
}

/// What storing a delivery did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New(ChannelDeliveryId),
    /// The same delivery came before: nothing new was stored.
    Repeated,
}

fn digest(body: &[u8]) -> String {
    let d = Sha256::digest(body);
    d.iter().map(|b| format!("{b:02x}")).collect()
}

impl App {
    /// An account and its credentials, for the adapter that checks a
    /// delivery's signature or calls the provider.
    pub async fn channel_account_with_credentials(
        &self,
        id: ChannelAccountId,
    ) -> Result<Option<(ChannelAccount, Credentials)>, AppError> {
        let mut rc = self.read().await?;
        let mut c = rc.conn();
        let Some(account) = repo::account_by_id(&mut c, id).await? else {
            return Ok(None);
        };
        let creds = repo::credentials(&mut c, id).await?;
        Ok(Some((account, creds)))
    }

    /// The account a channel's outgoing message goes out from (the one it
    /// names, else the channel's first enabled one), with its credentials.
    pub async fn sending_account(
        &self,
        channel: domain::Channel,
        external_id: Option<&str>,
    ) -> Result<Option<(ChannelAccount, Credentials)>, AppError> {
        let mut rc = self.read().await?;
        let mut c = rc.conn();
        let Some(account) = repo::account_for_sending(&mut c, channel, external_id).await? else {
            return Ok(None);
        };
        let creds = repo::credentials(&mut c, account.id).await?;
        Ok(Some((account, creds)))
    }

    /// Stores a delivery whose signature the adapter checked, in one
    /// commit, before the provider is answered.
    pub async fn store_channel_delivery(
        &self,
        account: ChannelAccountId,
        body: Vec<u8>,
    ) -> Result<Stored, AppError> {
        let now = Timestamp::now();
        let key = digest(&body);
        self.write(move |c| {
            Box::pin(async move {
                let id = repo::store_delivery(c, account, &key, &body, now).await?;
                repo::note_delivery(c, account, now).await?;
                Ok(id.map_or(Stored::Repeated, Stored::New))
            })
        })
        .await
    }

    /// Deliveries stored but not read yet, oldest first: those received
    /// before `before` (a node reads its own at once; the rest are found
    /// here, after a crash or on another node).
    pub async fn unread_channel_deliveries(
        &self,
        before: Timestamp,
        limit: i64,
    ) -> Result<Vec<PendingDelivery>, AppError> {
        let mut rc = self.read().await?;
        let all = repo::pending_deliveries(&mut rc.conn(), limit).await?;
        Ok(all
            .into_iter()
            .filter(|d| d.received_at.0 < before.0)
            .collect())
    }

    /// One stored delivery, unread, by id (a node reading what it stored).
    pub async fn unread_channel_delivery(
        &self,
        id: ChannelDeliveryId,
    ) -> Result<Option<PendingDelivery>, AppError> {
        let mut rc = self.read().await?;
        Ok(repo::pending_delivery(&mut rc.conn(), id).await?)
    }

    /// Takes in what a delivery says and settles it: each message through
    /// [`App::ingest`] (a message taken in before lands nowhere new), each
    /// receipt on its reply. A delivery read twice (two nodes) changes
    /// nothing the second time.
    pub async fn take_channel_events(
        &self,
        delivery: ChannelDeliveryId,
        events: Vec<ChannelEvent>,
    ) -> Result<String, AppError> {
        let (mut taken, mut repeated, mut by_bot, mut receipts) = (0, 0, 0, 0);
        let mut answered = 0;
        // The delivery's account says whose messages they are and whether
        // the bot answers first: read once per delivery.
        let mut account: Option<Option<ChannelAccount>> = None;
        for event in events {
            if account.is_none() {
                let mut rc = self.read().await?;
                account = Some(repo::account_of_delivery(&mut rc.conn(), delivery).await?);
            }
            let account = account.as_ref().and_then(Option::as_ref);
            match event {
                ChannelEvent::Message(inbound) => {
                    let mut inbound = *inbound;
                    inbound.raw_id = Some(delivery.0);
                    let (channel, sender, text) = (
                        inbound.channel,
                        inbound.sender.clone(),
                        inbound.text.clone(),
                    );
                    // An answer to the survey sent on this channel is
                    // the survey's, not a new message on the case.
                    if self.take_survey_reply(&inbound).await? {
                        answered += 1;
                        continue;
                    }
                    let outcome = if account.is_some_and(|a| a.bot_first) {
                        self.take_with_bot(inbound).await?
                    } else {
                        Taken::Ingested(self.ingest(inbound).await?)
                    };
                    match outcome {
                        Taken::Ingested(IngestOutcome::Landed(..)) => {
                            taken += 1;
                            self.note_consent(channel, &sender, &text, Timestamp::now())
                                .await?;
                        }
                        Taken::Ingested(IngestOutcome::Duplicate(_)) => repeated += 1,
                        Taken::ByBot => by_bot += 1,
                    }
                }
                ChannelEvent::Receipt {
                    external_id,
                    receipt,
                } => {
                    receipts += 1;
                    if let Some(a) = account {
                        self.apply_receipt(a.channel, &external_id, receipt).await?;
                    }
                }
            }
        }
        let outcome = format!(
            "{taken} message(s) taken in, {by_bot} answered by the bot, {answered} survey answer(s), {repeated} seen before, {receipts} receipt(s)"
        );
        let now = Timestamp::now();
        let said = outcome.clone();
        self.write(move |c| {
            Box::pin(async move {
                repo::settle_delivery(c, delivery, DeliveryState::Processed, &said, now).await?;
                Ok(())
            })
        })
        .await?;
        Ok(outcome)
    }

    /// A receipt for one of our messages on a channel.
    async fn apply_receipt(
        &self,
        channel: domain::Channel,
        external_id: &str,
        receipt: Result<Receipt, String>,
    ) -> Result<(), AppError> {
        let now = Timestamp::now();
        let external_id = external_id.to_string();
        let ticket = self
            .write(move |c| {
                Box::pin(async move {
                    let r = receipt.as_ref().copied().map_err(String::as_str);
                    Ok(outbox::mark_receipt(c, channel, &external_id, r, now).await?)
                })
            })
            .await?;
        if ticket.is_none() {
            tracing::debug!(
                channel = channel.as_str(),
                "a receipt for no message of ours"
            );
        }
        Ok(())
    }

    /// Keeps a delivery that could not be read, raw, and says so on the
    /// account's status; a temporary failure leaves it to be read again.
    pub async fn unreadable_channel_delivery(
        &self,
        delivery: &PendingDelivery,
        why: ReadError,
    ) -> Result<(), AppError> {
        let now = Timestamp::now();
        let (id, account) = (delivery.id, delivery.account);
        tracing::warn!(delivery = id.0, account = account.0, error = ?why, "a messaging delivery could not be read");
        self.write(move |c| {
            Box::pin(async move {
                match why {
                    ReadError::Malformed(words) => {
                        repo::settle_delivery(c, id, DeliveryState::Malformed, &words, now).await?;
                        repo::note_error(
                            c,
                            account,
                            &format!("unreadable delivery #{}: {words}", id.0),
                            now,
                        )
                        .await?;
                    }
                    ReadError::Temporary(words) => {
                        repo::note_error(c, account, &words, now).await?;
                    }
                }
                Ok(())
            })
        })
        .await
    }

    /// A file a messaging reply carries, for its provider to fetch (MMS
    /// takes media by address): the `n`th of the message with our id
    /// `message_id`, while it is fresh (a week). The address is the
    /// secret: our id holds a random part nobody outside was told.
    pub async fn messaging_media(
        &self,
        message_id: &str,
        n: usize,
    ) -> Result<Option<crate::outbox::sender::OutboundFile>, AppError> {
        let m = {
            let mut rc = self.read().await?;
            outbox::by_message_id(&mut rc.conn(), message_id).await?
        };
        let fresh = Timestamp(Timestamp::now().0 - MEDIA_FRESH_SECS);
        let Some(m) = m.filter(|m| {
            domain::messaging::MESSAGING_CHANNELS.contains(&m.channel) && m.created_at.0 >= fresh.0
        }) else {
            return Ok(None);
        };
        Ok(self.outbound_attachments(&m).await?.into_iter().nth(n))
    }

    /// A delivery's state and what became of it (tests, admins).
    pub async fn channel_delivery_state(
        &self,
        id: ChannelDeliveryId,
    ) -> Result<Option<(DeliveryState, Option<String>)>, AppError> {
        let mut rc = self.read().await?;
        Ok(repo::delivery_state(&mut rc.conn(), id).await?)
    }
}
