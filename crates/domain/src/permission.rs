//! Who is asking, and what they may see and do. Checked by the use cases, so
//! every entry point (API, pages, channels) enforces the same rules.

use crate::{OrgId, Role, UserId};

/// The authenticated caller of a use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user the credentials belong to.
    pub user: UserId,
    /// Their role at the time of the request.
    pub role: Role,
    /// Their organization, for end-users who may see shared org tickets later.
    pub org: Option<OrgId>,
}

impl Actor {
    /// Agents and admins see all tickets; end-users only those they asked.
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    /// Only admins manage fields, groups and other users' roles.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Whether this caller may read a ticket with this requester (and CCs).
    pub fn can_see_ticket(&self, requester: UserId, collaborators: &[UserId]) -> bool {
        self.is_staff() || requester == self.user || collaborators.contains(&self.user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_users_see_only_their_own_tickets() {
        let me = Actor {
            user: UserId(7),
            role: Role::EndUser,
            org: None,
        };
        assert!(me.can_see_ticket(UserId(7), &[]));
        assert!(me.can_see_ticket(UserId(8), &[UserId(7)]));
        assert!(!me.can_see_ticket(UserId(8), &[]));
        let agent = Actor {
            user: UserId(1),
            role: Role::Agent,
            org: None,
        };
        assert!(agent.can_see_ticket(UserId(8), &[]) && !agent.is_admin());
    }
}
