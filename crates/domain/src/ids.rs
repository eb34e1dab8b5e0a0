//! Typed ids, so a user id can never be passed where a ticket id is wanted.

use serde::{Deserialize, Serialize};

/// Any id: a typed one, or a raw integer where the kind is known
/// elsewhere. Lets the API's path parsing give each handler its own type.
pub trait Id: Copy {
    fn from_raw(raw: i64) -> Self;
}

impl Id for i64 {
    fn from_raw(raw: i64) -> Self {
        raw
    }
}

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),+ $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl $name {
            /// The raw integer, for SQL parameters and JSON.
            pub fn get(self) -> i64 { self.0 }
        }

        impl Id for $name {
            fn from_raw(raw: i64) -> Self { $name(raw) }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    )+};
}

id_type!(
    /// A ticket (a case, a conversation).
    TicketId,
    /// Anyone: end-user, agent or admin.
    UserId,
    /// One way to reach a user: an email address, a phone number, a chat id.
    IdentityId,
    /// A customer company.
    OrgId,
    /// A team of agents.
    GroupId,
    /// A reply or an internal note on a ticket.
    CommentId,
    /// One change set on a ticket: who, when, which events.
    AuditId,
    /// A custom ticket field.
    FieldId,
    /// A stored file attached to a comment.
    AttachmentId,
    /// Membership of an agent in a group.
    MembershipId,
    /// A row of the event log; its order is the order of commits.
    EventId,
    /// A background job (bulk update, merge) whose progress clients poll.
    JobId,
    /// A support address: where customers write to and our mail comes from.
    MailboxId,
    /// A trigger or an automation.
    RuleId,
    /// A macro: canned changes and a reply an agent applies.
    MacroId,
    /// A saved list of tickets.
    ViewId,
    /// A customer's satisfaction rating of a ticket.
    RatingId,
    /// An SLA policy.
    SlaPolicyId,
    /// A business-hours schedule.
    ScheduleId,
    /// A holiday of a schedule.
    HolidayId,
    /// A help-center category.
    CategoryId,
    /// A help-center section.
    SectionId,
    /// A help-center article.
    ArticleId,
    /// A reader's "was this helpful?" answer on an article.
    VoteId,
    /// One saved text of an article in a locale (its history).
    ArticleRevisionId,
    /// A file attached to a help-center article.
    ArticleAttachmentId,
    /// The text of an article, section or category in one locale.
    TranslationId,
    /// A help-center user segment (who may read a restricted article).
    UserSegmentId,
    /// A request form (Zendesk's ticket form).
    TicketFormId,
    /// A survey sent to a customer, with its own signed link.
    SurveyInvitationId,
    /// A topic learned from new tickets' text (frequent problems).
    TextTopicId,
    /// A topic's hourly volume found far above its normal level.
    TopicSpikeId,
    /// An outgoing message in the outbox.
    OutboundId,
    /// A received email as stored, raw, before and after processing.
    InboundEmailId,
    /// A merge of two customers' profiles (undoable).
    UserMergeId,
    /// An API token.
    TokenId,
    /// An application registered to ask people for OAuth tokens.
    OAuthClientId,
    /// One queued call to a webhook.
    WebhookDeliveryId,
    /// A chat widget (what a site pastes into its pages).
    ChatWidgetId,
    /// One browser that opened a chat widget.
    ChatVisitorId,
    /// One chat, from its first line to its end.
    ChatConversationId,
    /// One line of a chat as the widget shows it.
    ChatLineId,
    /// A connected messaging account (a WhatsApp number, a page, a bot,
    /// an SMS number).
    ChannelAccountId,
    /// One webhook delivery from a messaging provider, stored raw.
    ChannelDeliveryId,
    /// An approved WhatsApp message template.
    MessageTemplateId,
    /// A customer's talk with the answer bot on a messaging channel.
    BotSessionId,
    /// One phone call.
    CallId,
    /// One of our numbers at a voice provider.
    VoiceLineId,
    /// A goodwill gesture made to a customer on a case.
    GestureId,
    /// A custom field on users or on organizations.
    ProfileFieldId,
    /// A help-center article label.
    LabelId,
    /// An agent passing over a ticket in play mode.
    SkipId,
    /// A reader's comment on a help-center article.
    ArticleCommentId,
    /// A reader's vote on an article comment.
    CommentVoteId,
);
