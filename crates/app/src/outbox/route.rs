//! Where an agent's reply to a customer goes. The customer can be reached
//! on every channel they hold an identity for (email only when mail can go
//! out). Without a choice, a reply goes on the channel they last wrote from
//! on this ticket (their latest public comment on a channel that carries
//! replies), else the channel the ticket came by, else the first they can
//! be reached on. On a messaging channel the address is the one their
//! latest message on it came from (with the channel account it came in
//! on), else their identity of that kind; on email, their primary address.

use crate::{AppError, FieldError};
use domain::model::Identity;
use domain::model::outbox::ReplyRoute;
use domain::{Channel, IdentityKind};
use store::Conn;
use store::model::Ticket;
use store::repo::{comments, inbound, users};

/// Every channel a reply can go out on, in the order offered when nothing
/// else says which.
const ANY_ORDER: [Channel; 7] = [
    Channel::Email,
    Channel::WhatsApp,
    Channel::Sms,
    Channel::Telegram,
    Channel::Messenger,
    Channel::Instagram,
    Channel::Chat,
];

/// The requester's identities and the channels they can be reached on.
struct Reach {
    identities: Vec<Identity>,
    channels: Vec<Channel>,
}

impl Reach {
    async fn of(c: &mut Conn<'_>, t: &Ticket, email_ready: bool) -> Result<Reach, AppError> {
        let identities = users::identities(c, t.requester_id).await?;
        let channels = ANY_ORDER
            .into_iter()
            .filter(|ch| *ch != Channel::Email || email_ready)
            .filter(|ch| {
                identities
                    .iter()
                    .any(|i| Some(i.kind) == ch.reply_identity())
            })
            .collect();
        Ok(Reach {
            identities,
            channels,
        })
    }

    fn values(&self, kind: IdentityKind) -> impl Iterator<Item = &Identity> {
        self.identities.iter().filter(move |i| i.kind == kind)
    }

    /// The channel a reply takes unless the agent chose: asks the ticket's
    /// history only when there is more than one to pick from.
    async fn default_channel(
        &self,
        c: &mut Conn<'_>,
        t: &Ticket,
    ) -> Result<Option<Channel>, AppError> {
        if self.channels.len() <= 1 {
            return Ok(self.channels.first().copied());
        }
        let last = comments::last_channel_of(c, t.id, t.requester_id).await?;
        Ok(last
            .into_iter()
            .chain([t.via])
            .find(|ch| self.channels.contains(ch))
            .or_else(|| self.channels.first().copied()))
    }

    /// The customer's address on a channel they can be reached on.
    async fn address(
        &self,
        c: &mut Conn<'_>,
        t: &Ticket,
        channel: Channel,
    ) -> Result<Option<ReplyRoute>, AppError> {
        let Some(kind) = channel.reply_identity() else {
            return Ok(None);
        };
        let route = |account, to| {
            Some(ReplyRoute {
                channel,
                account,
                to,
            })
        };
        if channel == Channel::Email {
            let primary = self
                .values(kind)
                .find(|i| i.primary)
                .or_else(|| self.values(kind).next());
            return Ok(primary.and_then(|i| route(None, i.value.clone())));
        }
        for (account, sender) in inbound::senders_on(c, t.id, channel).await? {
            if self.values(kind).any(|i| i.value == sender) {
                return Ok(route(Some(account), sender));
            }
        }
        Ok(self
            .values(kind)
            .next()
            .and_then(|i| route(None, i.value.clone())))
    }
}

/// The route a reply takes: the `chosen` channel, else the default (see
/// the module's doc); `None` when the customer cannot be reached at all.
/// A chosen channel the customer cannot be reached on is refused (the
/// whole write with it), rather than the reply going somewhere else.
pub(crate) async fn choose(
    c: &mut Conn<'_>,
    t: &Ticket,
    chosen: Option<Channel>,
    email_ready: bool,
) -> Result<Option<ReplyRoute>, AppError> {
    let reach = Reach::of(c, t, email_ready).await?;
    let channel = match chosen {
        Some(ch) if reach.channels.contains(&ch) => Some(ch),
        Some(ch) => {
            return Err(AppError::field(FieldError::invalid(
                "reply_via",
                format!("the customer cannot be reached by {} here", ch.as_str()),
            )));
        }
        None => reach.default_channel(c, t).await?,
    };
    match channel {
        Some(ch) => reach.address(c, t, ch).await,
        None => Ok(None),
    }
}

/// Every route a reply on this ticket can take, the default first.
pub(crate) async fn all(
    c: &mut Conn<'_>,
    t: &Ticket,
    email_ready: bool,
) -> Result<Vec<ReplyRoute>, AppError> {
    let reach = Reach::of(c, t, email_ready).await?;
    let default = reach.default_channel(c, t).await?;
    let mut order: Vec<Channel> = default.into_iter().collect();
    order.extend(reach.channels.iter().filter(|ch| Some(**ch) != default));
    let mut routes = Vec::with_capacity(order.len());
    for ch in order {
        if let Some(r) = reach.address(c, t, ch).await? {
            routes.push(r);
        }
    }
    Ok(routes)
}
