//! Tickets: the status machine, priorities, types and the channel a message
//! came by.

use crate::word_enum;

word_enum!(
    /// Where a ticket is in its life. Declared in Zendesk's order, which search
    /// comparisons (`status<solved`) rely on.
    Status {
        New = "new",
        Open = "open",
        Pending = "pending",
        Hold = "hold",
        Solved = "solved",
        Closed = "closed",
    }
);

word_enum!(
    /// How urgent a ticket is, ordered `low < normal < high < urgent`.
    Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
        Urgent = "urgent",
    }
);

word_enum!(
    /// What kind of request a ticket is; `task` tickets may have a due date and
    /// `incident` tickets may point at a `problem`.
    TicketType {
        Question = "question",
        Incident = "incident",
        Problem = "problem",
        Task = "task",
    }
);

word_enum!(
    /// The channel a ticket or comment came by (Zendesk's `via.channel`).
    Channel {
        Api = "api",
        Web = "web",
        Email = "email",
        Chat = "chat",
        WhatsApp = "whatsapp",
        Telegram = "telegram",
        Messenger = "facebook",
        Instagram = "instagram_dm",
        Sms = "sms",
        Voice = "voice",
        WalkIn = "walk_in",
        Merge = "merge",
        Rule = "rule",
    }
);

impl Channel {
    /// The kind of identity a customer has on this channel, for channels we
    /// can write back on: the address a reply goes to. `None` for channels
    /// that carry no replies (the API, a web form, a merge, a rule, a call,
    /// a counter).
    pub fn reply_identity(self) -> Option<crate::IdentityKind> {
        use crate::IdentityKind as K;
        match self {
            Channel::Email => Some(K::Email),
            Channel::Chat => Some(K::ChatVisitor),
            // A WhatsApp id is the customer's phone number: the same
            // identity as the number they text from.
            Channel::WhatsApp | Channel::Sms => Some(K::Phone),
            Channel::Telegram => Some(K::Telegram),
            Channel::Messenger => Some(K::Messenger),
            Channel::Instagram => Some(K::Instagram),
            Channel::Api
            | Channel::Web
            | Channel::Voice
            | Channel::WalkIn
            | Channel::Merge
            | Channel::Rule => None,
        }
    }

    /// Whether an agent's reply can go out on this channel.
    pub fn carries_replies(self) -> bool {
        self.reply_identity().is_some()
    }
}

/// Why a status change was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    /// Closed tickets are archived: Zendesk refuses any further change.
    #[error("a closed ticket cannot be changed")]
    Closed,
    /// Once a ticket left `new` it can never go back.
    #[error("a ticket cannot be set back to new")]
    BackToNew,
}

impl Status {
    /// Checks a status change against Zendesk's rules: `closed` is final and
    /// `new` is only ever the first status. Staying put is always allowed,
    /// except on a closed ticket, which accepts no change at all.
    pub fn transition(self, to: Status) -> Result<Status, TransitionError> {
        match (self, to) {
            (Status::Closed, _) => Err(TransitionError::Closed),
            (Status::New, Status::New) => Ok(Status::New),
            (_, Status::New) => Err(TransitionError::BackToNew),
            (_, to) => Ok(to),
        }
    }

    /// Solved and closed tickets count as done for views and metrics.
    pub fn is_done(self) -> bool {
        matches!(self, Status::Solved | Status::Closed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn any_status() -> impl Strategy<Value = Status> {
        prop::sample::select(Status::ALL.to_vec())
    }

    proptest! {
        /// Whatever sequence of changes is attempted, accepted changes never
        /// leave `closed` and never return to `new`.
        #[test]
        fn closed_is_final_and_new_is_never_reentered(path in prop::collection::vec(any_status(), 1..40)) {
            let mut current = Status::New;
            let mut left_new = false;
            for to in path {
                let before = current;
                if let Ok(next) = current.transition(to) {
                    prop_assert_ne!(before, Status::Closed);
                    current = next;
                }
                if current != Status::New { left_new = true; }
                if left_new { prop_assert_ne!(current, Status::New); }
                if before == Status::Closed { prop_assert_eq!(current, Status::Closed); }
            }
        }

        /// Every refusal names the right reason.
        #[test]
        fn refusals_explain_themselves(from in any_status(), to in any_status()) {
            match from.transition(to) {
                Err(TransitionError::Closed) => prop_assert_eq!(from, Status::Closed),
                Err(TransitionError::BackToNew) => {
                    prop_assert_eq!(to, Status::New);
                    prop_assert_ne!(from, Status::New);
                }
                Ok(s) => prop_assert_eq!(s, to),
            }
        }
    }

    #[test]
    fn statuses_are_ordered_as_zendesk_searches_them() {
        assert!(Status::Open < Status::Solved && Status::Hold < Status::Solved);
        assert!(Priority::Low < Priority::Urgent);
        assert_eq!("HOLD".parse::<Status>(), Ok(Status::Hold));
    }
}
