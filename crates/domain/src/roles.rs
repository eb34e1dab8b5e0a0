//! The staff roles atiende has, as Zendesk's `custom_roles` list them:
//! fixed (admin, agent, agent limited to their groups), each with what it
//! may do read from the same capabilities every request is checked by.

use crate::permission::Actor;
use crate::policy::Capability;
use crate::{Role, UserId, word_enum};

word_enum!(
    /// A staff role.
    StaffRole {
        Admin = "admin",
        Agent = "agent",
        /// An agent who sees only their groups' tickets.
        GroupAgent = "group_agent",
    }
);

impl StaffRole {
    /// The role's id in the API (stable: roles are not made or removed).
    pub fn id(self) -> i64 {
        match self {
            StaffRole::Admin => 1,
            StaffRole::Agent => 2,
            StaffRole::GroupAgent => 3,
        }
    }

    pub fn by_id(id: i64) -> Option<StaffRole> {
        StaffRole::ALL.iter().copied().find(|r| r.id() == id)
    }

    /// Zendesk's `role_type`: 4 for admins, 0 for agent roles.
    pub fn role_type(self) -> i64 {
        match self {
            StaffRole::Admin => 4,
            StaffRole::Agent | StaffRole::GroupAgent => 0,
        }
    }

    /// Someone holding this role, for asking what it may do.
    fn holder(self) -> Actor {
        Actor {
            user: UserId(0),
            role: match self {
                StaffRole::Admin => Role::Admin,
                StaffRole::Agent | StaffRole::GroupAgent => Role::Agent,
            },
            org: None,
            restricted: self == StaffRole::GroupAgent,
        }
    }

    /// Whether this role holds the capability.
    pub fn may(self, what: Capability) -> bool {
        what.allowed(&self.holder())
    }

    /// Which role a staff member has (none for customers).
    pub fn of(role: Role, restricted: bool) -> Option<StaffRole> {
        match (role, restricted) {
            (Role::Admin, _) => Some(StaffRole::Admin),
            (Role::Agent, false) => Some(StaffRole::Agent),
            (Role::Agent, true) => Some(StaffRole::GroupAgent),
            (Role::EndUser, _) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_may_what_their_holders_may() {
        assert!(StaffRole::Admin.may(Capability::ManageRules));
        assert!(!StaffRole::Agent.may(Capability::ManageRules));
        assert!(StaffRole::Agent.may(Capability::ReadReports));
        assert!(!StaffRole::GroupAgent.may(Capability::ReadReports));
        assert!(StaffRole::GroupAgent.may(Capability::WorkTheDesk));
        for r in StaffRole::ALL {
            assert_eq!(StaffRole::by_id(r.id()), Some(*r));
        }
    }
}
