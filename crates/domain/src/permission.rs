//! Who is asking, and what they may see and do. Checked by the use cases, so
//! every entry point (API, pages, channels) enforces the same rules.

use crate::{GroupId, OrgId, Role, UserId};

/// The authenticated caller of a use case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    /// The user the credentials belong to.
    pub user: UserId,
    /// Their role at the time of the request.
    pub role: Role,
    /// Their organization, for end-users who may see shared org tickets later.
    pub org: Option<OrgId>,
    /// An agent who sees only the tickets of their groups (and those
    /// assigned to or requested by them): Zendesk's `ticket_restriction:
    /// "groups"`, for contractors and large teams with private queues.
    pub restricted: bool,
}

/// The people and group a ticket's visibility depends on.
#[derive(Debug, Clone, Copy)]
pub struct TicketParties<'a> {
    pub requester: UserId,
    pub collaborators: &'a [UserId],
    pub assignee: Option<UserId>,
    pub group: Option<GroupId>,
}

/// The id business rules act under (Zendesk's `-1`): audits they write
/// are authored by it, and it is never a person to assign to.
pub const SYSTEM_USER: UserId = UserId(-1);

/// The id an anonymous reader acts under: never a user's (ids start at 1).
pub const ANONYMOUS_USER: UserId = UserId(0);

impl Actor {
    /// atiende itself, applying triggers, automations, SLA and routing.
    pub fn system() -> Actor {
        Actor {
            user: SYSTEM_USER,
            role: Role::Admin,
            org: None,
            restricted: false,
        }
    }

    /// Someone not signed in, reading what is public (the help center's
    /// articles for everyone). No user has id 0, so nothing is theirs.
    pub fn anonymous() -> Actor {
        Actor {
            user: ANONYMOUS_USER,
            role: Role::EndUser,
            org: None,
            restricted: false,
        }
    }

    /// Whether nobody signed in.
    pub fn is_anonymous(&self) -> bool {
        self.user == ANONYMOUS_USER
    }

    /// Whether this is atiende itself rather than a person.
    pub fn is_system(&self) -> bool {
        self.user == SYSTEM_USER
    }

    /// Agents and admins work tickets; end-users only ask.
    pub fn is_staff(&self) -> bool {
        self.role.is_staff()
    }

    /// Only admins manage fields, groups and other users' roles.
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// Staff who see every ticket (no group restriction).
    pub fn sees_every_ticket(&self) -> bool {
        self.is_staff() && !self.restricted
    }

    /// Whether this caller may read a ticket. `my_groups` matters only for
    /// a restricted agent (callers may pass `&[]` otherwise).
    pub fn can_see_ticket(&self, t: TicketParties<'_>, my_groups: &[GroupId]) -> bool {
        if t.requester == self.user || t.collaborators.contains(&self.user) {
            return true;
        }
        if !self.is_staff() {
            return false;
        }
        !self.restricted
            || t.assignee == Some(self.user)
            || t.group.is_some_and(|g| my_groups.contains(&g))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parties(
        requester: i64,
        ccs: &[UserId],
        assignee: Option<i64>,
        group: Option<i64>,
    ) -> TicketParties<'_> {
        TicketParties {
            requester: UserId(requester),
            collaborators: ccs,
            assignee: assignee.map(UserId),
            group: group.map(GroupId),
        }
    }

    #[test]
    fn end_users_see_only_their_own_tickets() {
        let me = Actor {
            user: UserId(7),
            role: Role::EndUser,
            org: None,
            restricted: false,
        };
        assert!(me.can_see_ticket(parties(7, &[], None, None), &[]));
        assert!(me.can_see_ticket(parties(8, &[UserId(7)], None, None), &[]));
        assert!(!me.can_see_ticket(parties(8, &[], Some(7), Some(1)), &[GroupId(1)]));
        let agent = Actor {
            user: UserId(1),
            role: Role::Agent,
            org: None,
            restricted: false,
        };
        assert!(agent.can_see_ticket(parties(8, &[], None, None), &[]) && !agent.is_admin());
    }

    #[test]
    fn restricted_agents_see_their_groups_and_their_own() {
        let agent = Actor {
            user: UserId(1),
            role: Role::Agent,
            org: None,
            restricted: true,
        };
        let mine = [GroupId(3)];
        assert!(agent.can_see_ticket(parties(8, &[], None, Some(3)), &mine));
        assert!(agent.can_see_ticket(parties(8, &[], Some(1), Some(4)), &mine));
        assert!(!agent.can_see_ticket(parties(8, &[], None, Some(4)), &mine));
        assert!(!agent.can_see_ticket(parties(8, &[], None, None), &mine));
        assert!(!agent.sees_every_ticket());
    }
}
