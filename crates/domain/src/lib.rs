//! The vocabulary of atiende, free of I/O: ids, users and their roles, tickets
//! and their status machine, custom fields, channels, and the permission rules
//! that decide who may see and change what. Every other crate speaks these
//! types, so a rule written here holds for the API, the UI and every channel.

pub mod activity;
pub mod article_comment;
pub mod audit;
pub mod audit_log;
pub mod call_stats;
pub mod calls;
pub mod chat;
pub mod field;
pub mod form;
pub mod goodwill;
pub mod hours;
pub mod ids;
pub mod look;
pub mod mail;
pub mod messaging;
pub mod metric_events;
pub mod model;
pub mod oauth;
pub mod permission;
pub mod policy;
pub mod report;
pub mod roles;
pub mod routing;
pub mod rules;
pub mod segment;
pub mod skip;
pub mod sla;
pub mod survey;
pub mod ticket;
pub mod time;
pub mod trends;
pub mod user;
pub mod voice;

pub use field::FieldType;
pub use ids::*;
pub use mail::{
    AfterFetch, ImapSecurity, InboundStatus, OutboundKind, OutboundStatus, Secret, SuspensionCause,
};
pub use permission::{Actor, TicketParties};
pub use ticket::{Channel, Priority, Status, TicketType, TransitionError};
pub use time::Timestamp;
pub use user::{IdentityKind, Role};

/// A value that should be one of a fixed set of words but was not; carries the
/// offending input and the allowed words so the API can say both.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not one of: {allowed}")]
pub struct UnknownWord {
    /// What the caller sent.
    pub value: String,
    /// The accepted words, comma separated, for the error message.
    pub allowed: &'static str,
}

/// Declares a closed set of words stored as TEXT (with a CHECK constraint) and
/// sent on the wire as the same lower-case word.
macro_rules! word_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word stored in the database and sent on the wire.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::UnknownWord;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                // Any case: the words are matched as written or shouted.
                let s = s.trim();
                $(if s.eq_ignore_ascii_case($word) {
                    return Ok($name::$variant);
                })+
                Err($crate::UnknownWord {
                    value: s.to_string(),
                    allowed: concat!($($word, " "),+),
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                s.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use word_enum;
