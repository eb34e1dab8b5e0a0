//! Backend-neutral SQL values, queries and rows. Queries are written once with
//! `$1`-style placeholders, which both SQLite and PostgreSQL understand, and
//! rows come back as plain values so repository code never names a backend.

use crate::StoreError;
use std::borrow::Cow;

/// The SQL type of a NULL parameter. PostgreSQL caches prepared statements
/// with their parameter types, so a NULL must be bound with the type the
/// column has, or a later non-NULL value of the same query is misread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NullKind {
    Int,
    Real,
    Bool,
    Text,
    Bytes,
}

/// One SQL parameter or column value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null(NullKind),
    Int(i64),
    Real(f64),
    Bool(bool),
    Text(String),
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(v.into())
    }
}
impl From<usize> for Value {
    fn from(v: usize) -> Self {
        Value::Int(i64::try_from(v).unwrap_or(i64::MAX))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Real(v)
    }
}
impl Value {
    /// Text as both backends store it: PostgreSQL's text cannot hold NUL
    /// (binding one is an error), so it is removed everywhere, from stored
    /// values and lookups alike (a path id `%00` simply finds nothing).
    pub fn text(v: String) -> Value {
        if v.contains('\0') {
            Value::Text(v.replace('\0', ""))
        } else {
            Value::Text(v)
        }
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::text(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::text(v.to_string())
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::text(v.clone())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
/// Binds `Option<T>` with the NULL type of `T`.
macro_rules! value_from_option {
    ($kind:ident: $($t:ty),*) => {$(
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Self {
                v.map_or(Value::Null(NullKind::$kind), Into::into)
            }
        }
    )*};
}
value_from_option!(Int: i64, i32, usize);
value_from_option!(Bool: bool);
value_from_option!(Real: f64);
value_from_option!(Text: String, &str, &String);
value_from_option!(Bytes: Vec<u8>);

/// Lets typed ids and enums bind directly.
macro_rules! value_from_id {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::Int(v.0) }
        }
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Self { v.map_or(Value::Null(NullKind::Int), Into::into) }
        }
    )*};
}
value_from_id!(
    domain::TicketId,
    domain::UserId,
    domain::OrgId,
    domain::GroupId,
    domain::CommentId,
    domain::AuditId,
    domain::FieldId,
    domain::AttachmentId,
    domain::IdentityId,
    domain::MembershipId,
    domain::EventId,
    domain::JobId,
    domain::MailboxId,
    domain::RuleId,
    domain::MacroId,
    domain::ViewId,
    domain::RatingId,
    domain::SlaPolicyId,
    domain::ScheduleId,
    domain::HolidayId,
    domain::CategoryId,
    domain::SectionId,
    domain::ArticleId,
    domain::VoteId,
    domain::ArticleRevisionId,
    domain::ArticleAttachmentId,
    domain::TranslationId,
    domain::UserSegmentId,
    domain::TicketFormId,
    domain::OutboundId,
    domain::InboundEmailId,
    domain::UserMergeId,
    domain::TokenId,
    domain::OAuthClientId,
    domain::WebhookDeliveryId,
    domain::ChatWidgetId,
    domain::ChatVisitorId,
    domain::ChatConversationId,
    domain::ChatLineId,
    domain::ChannelAccountId,
    domain::ChannelDeliveryId,
    domain::BotSessionId,
    domain::CallId,
    domain::VoiceLineId,
    domain::MessageTemplateId,
    domain::SurveyInvitationId,
    domain::TextTopicId,
    domain::TopicSpikeId,
    domain::GestureId,
    domain::ProfileFieldId,
    domain::LabelId,
    domain::SkipId,
    domain::ArticleCommentId,
    domain::CommentVoteId,
    domain::Timestamp
);

macro_rules! value_from_word {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self { Value::Text(v.as_str().to_string()) }
        }
        impl From<Option<$t>> for Value {
            fn from(v: Option<$t>) -> Self { v.map_or(Value::Null(NullKind::Text), Into::into) }
        }
    )*};
}
value_from_word!(
    domain::audit_log::AdminAction,
    domain::audit_log::AdminSource,
    domain::oauth::ClientKind,
    domain::Status,
    domain::Priority,
    domain::TicketType,
    domain::Role,
    domain::Channel,
    domain::IdentityKind,
    domain::FieldType,
    domain::ImapSecurity,
    domain::AfterFetch,
    domain::InboundStatus,
    domain::SuspensionCause,
    domain::OutboundStatus,
    domain::OutboundKind,
    domain::routing::WorkChannel,
    domain::routing::Presence,
    domain::model::JobState,
    domain::model::SortOrder,
    domain::model::RatingScore,
    domain::model::webhooks::WebhookStatus,
    domain::model::webhooks::HttpMethod,
    domain::messaging::DeliveryState,
    domain::messaging::BotSessionState,
    domain::calls::CallDirection,
    domain::calls::CallEventKind,
    domain::goodwill::GestureKind,
    domain::calls::CallOutcome,
    domain::voice::CallStage,
    domain::voice::LegEnd,
    domain::survey::SurveyKind,
    domain::survey::Question,
    domain::messaging::Receipt,
    domain::messaging::TemplateCategory,
    domain::field::FieldOwner
);

/// SQL text plus its parameters, in placeholder order.
#[derive(Debug, Clone)]
pub struct Query {
    pub sql: Cow<'static, str>,
    pub args: Vec<Value>,
}

/// Starts a query; chain [`Query::bind`] for each `$n`.
pub fn q(sql: impl Into<Cow<'static, str>>) -> Query {
    Query {
        sql: sql.into(),
        args: Vec::new(),
    }
}

impl Query {
    /// Adds the next parameter.
    pub fn bind(mut self, v: impl Into<Value>) -> Self {
        self.args.push(v.into());
        self
    }
}

/// One result row, decoded from either backend.
#[derive(Debug, Clone, Default)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> Result<&Value, StoreError> {
        self.0
            .get(i)
            .ok_or_else(|| StoreError::Decode(format!("no column {i}")))
    }

    /// An integer column (also accepts booleans stored as 0/1).
    pub fn int(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_int(i)?
            .ok_or_else(|| StoreError::Decode(format!("column {i} is NULL")))
    }

    /// A nullable integer column.
    pub fn opt_int(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.at(i)? {
            Value::Null(_) => Ok(None),
            Value::Int(v) => Ok(Some(*v)),
            Value::Bool(b) => Ok(Some(i64::from(*b))),
            Value::Real(f) => Ok(Some(*f as i64)),
            other => Err(StoreError::Decode(format!(
                "column {i}: expected integer, got {other:?}"
            ))),
        }
    }

    /// A text column.
    pub fn text(&self, i: usize) -> Result<String, StoreError> {
        self.opt_text(i)?
            .ok_or_else(|| StoreError::Decode(format!("column {i} is NULL")))
    }

    /// A nullable text column.
    pub fn opt_text(&self, i: usize) -> Result<Option<String>, StoreError> {
        match self.at(i)? {
            Value::Null(_) => Ok(None),
            Value::Text(s) => Ok(Some(s.clone())),
            other => Err(StoreError::Decode(format!(
                "column {i}: expected text, got {other:?}"
            ))),
        }
    }

    /// A boolean column (SQLite stores them as 0/1).
    pub fn bool(&self, i: usize) -> Result<bool, StoreError> {
        match self.at(i)? {
            Value::Bool(b) => Ok(*b),
            Value::Int(v) => Ok(*v != 0),
            other => Err(StoreError::Decode(format!(
                "column {i}: expected boolean, got {other:?}"
            ))),
        }
    }

    /// A nullable blob column.
    pub fn opt_bytes(&self, i: usize) -> Result<Option<Vec<u8>>, StoreError> {
        match self.at(i)? {
            Value::Null(_) => Ok(None),
            Value::Bytes(b) => Ok(Some(b.clone())),
            Value::Text(s) => Ok(Some(s.clone().into_bytes())),
            other => Err(StoreError::Decode(format!(
                "column {i}: expected bytes, got {other:?}"
            ))),
        }
    }

    /// A column holding one of a closed set of words.
    pub fn word<T: std::str::FromStr>(&self, i: usize) -> Result<T, StoreError> {
        let s = self.text(i)?;
        s.parse()
            .map_err(|_| StoreError::Decode(format!("column {i}: unexpected word {s:?}")))
    }

    /// A nullable column holding one of a closed set of words.
    pub fn opt_word<T: std::str::FromStr>(&self, i: usize) -> Result<Option<T>, StoreError> {
        match self.opt_text(i)? {
            None => Ok(None),
            Some(s) => s
                .parse()
                .map(Some)
                .map_err(|_| StoreError::Decode(format!("column {i}: unexpected word {s:?}"))),
        }
    }
}
