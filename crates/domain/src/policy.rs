//! The one answer to "may this caller do this?": what each role may do
//! with the desk's configuration ([`Capability`]), and with people and
//! their profiles (field by field, identities). Tickets' visibility is
//! [`crate::permission`]. Every use case asks here, so the API, the pages
//! and the channels cannot disagree; `crates/testkit/tests/api/route_table.rs`
//! checks the outcome for every route and role. Agents' private notes are
//! never shown to or written by customers, and only admins give roles,
//! verify staff or change staff's sign-in addresses.

use crate::{Actor, Role, UserId};

/// Things only some staff may do, whatever the resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capability {
    /// Triggers and automations.
    ManageRules,
    ManageSchedules,
    ManageSlaPolicies,
    ManageWebhooks,
    ManageRouting,
    /// Support addresses, mail texts, the outbox.
    ManageEmail,
    ManageTokens,
    ManageFields,
    /// Deactivate people (their history stays).
    DeactivateUsers,
    DeleteOrganizations,
    /// Read, recover and delete mail held in the suspended queue.
    ManageSuspendedMail,
    /// Incremental exports of every ticket, user and organization.
    Export,
    ReadSecurityCounters,
    /// Shared macros (there are no personal ones yet).
    ManageMacros,
    /// What staff do and customers do not: lists of people, groups and
    /// organizations, macros and views, ratings, queues, bulk changes,
    /// merges, audits, routing and SLA views, live events.
    WorkTheDesk,
    /// Help center categories and sections.
    ArrangeHelpCenter,
    /// Help center articles: staff who see the whole desk.
    WriteArticles,
    ManageGroups,
    /// Merge one customer into another: staff who see the whole desk.
    MergeCustomers,
    /// Chat widgets and messaging accounts, their keys and secrets.
    ManageChannels,
    /// Surveys: when they go, what they ask, what a low score starts.
    ManageSurveys,
    /// Reports count every ticket: staff who see the whole desk.
    ReadReports,
    /// Who changed the desk's set-up, and when.
    ReadAuditLog,
}

impl Capability {
    /// Who holds it.
    pub fn allowed(self, actor: &Actor) -> bool {
        use Capability::*;
        match self {
            WorkTheDesk => actor.is_staff(),
            WriteArticles | MergeCustomers | ReadReports => actor.sees_every_ticket(),
            ManageRules | ManageSchedules | ManageSlaPolicies | ManageWebhooks | ManageRouting
            | ManageEmail | ManageTokens | ManageFields | DeactivateUsers | DeleteOrganizations
            | ManageSuspendedMail | Export | ReadSecurityCounters | ManageMacros
            | ArrangeHelpCenter | ManageGroups | ManageChannels | ManageSurveys | ReadAuditLog => {
                actor.is_admin()
            }
        }
    }

    /// What the refusal says.
    pub fn refusal(self) -> &'static str {
        use Capability::*;
        match self {
            ManageRules => "only admins manage triggers and automations",
            ManageSchedules => "only admins manage schedules",
            ManageSlaPolicies => "only admins manage SLA policies",
            ManageWebhooks => "only admins manage webhooks",
            ManageRouting => "only admins manage routing",
            ManageEmail => "only admins manage email settings",
            ManageTokens => "only admins manage API tokens",
            ManageFields => "only admins manage ticket fields",
            DeactivateUsers => "only admins delete users",
            DeleteOrganizations => "only admins delete organizations",
            ManageSuspendedMail => "only admins handle suspended mail",
            Export => "only admins may export",
            ReadSecurityCounters => "only admins read the security counters",
            ManageMacros => "only admins manage shared macros",
            WorkTheDesk => "only agents and admins may do this",
            ArrangeHelpCenter => "only admins arrange help center categories and sections",
            WriteArticles => "only agents without a group restriction write articles",
            ManageGroups => "only admins manage groups",
            MergeCustomers => "only agents who see every ticket merge customers",
            ManageChannels => "only admins manage chat widgets and messaging accounts",
            ManageSurveys => "only admins manage surveys",
            ReadReports => "only agents who see every ticket read reports",
            ReadAuditLog => "only admins read the audit log",
        }
    }
}

/// A field of a user's profile, for write checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserField {
    Name,
    Email,
    Role,
    Organization,
    DefaultGroup,
    Tags,
    ExternalId,
    Phone,
    Locale,
    TimeZone,
    /// What staff know about the person (shown to staff only).
    Details,
    /// Staff's private notes about the person.
    Notes,
    Verified,
    Active,
    Password,
    /// An agent's ticket restriction to their groups.
    Restriction,
    /// Values of the user fields admins defined (staff's record of the
    /// person).
    CustomFields,
}

impl UserField {
    /// The API's name for the field, for error messages.
    pub fn name(self) -> &'static str {
        match self {
            UserField::Name => "name",
            UserField::Email => "email",
            UserField::Role => "role",
            UserField::Organization => "organization_id",
            UserField::DefaultGroup => "default_group_id",
            UserField::Tags => "tags",
            UserField::ExternalId => "external_id",
            UserField::Phone => "phone",
            UserField::Locale => "locale",
            UserField::TimeZone => "time_zone",
            UserField::Details => "details",
            UserField::Notes => "notes",
            UserField::Verified => "verified",
            UserField::Active => "active",
            UserField::Password => "password",
            UserField::Restriction => "ticket_restriction",
            UserField::CustomFields => "user_fields",
        }
    }
}

/// The user a check is about.
#[derive(Debug, Clone, Copy)]
pub struct Subject {
    pub id: UserId,
    pub role: Role,
}

/// How the caller stands to the user they act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Standing {
    Admin,
    /// The caller themself (any role).
    Own,
    /// An agent acting on a customer.
    AgentOnCustomer,
    /// An agent acting on another agent or an admin.
    AgentOnStaff,
    /// A customer acting on someone else.
    Stranger,
}

fn standing(actor: &Actor, subject: Subject) -> Standing {
    if actor.is_admin() {
        Standing::Admin
    } else if actor.user == subject.id {
        Standing::Own
    } else if actor.is_staff() && !subject.role.is_staff() {
        Standing::AgentOnCustomer
    } else if actor.is_staff() {
        Standing::AgentOnStaff
    } else {
        Standing::Stranger
    }
}

/// Whether `actor` may see `subject`'s profile at all.
pub fn may_see_user(actor: &Actor, subject: Subject) -> bool {
    may_see_person(actor, subject.id)
}

/// Whether `actor` may see the profile of user `id` (staff see everyone,
/// customers themselves).
pub fn may_see_person(actor: &Actor, id: UserId) -> bool {
    actor.is_staff() || actor.user == id
}

/// Whether `actor` may create a user with `role` (and a ticket
/// restriction): agents add customers, admins anyone.
pub fn may_create_user(actor: &Actor, role: Role, restricted: bool) -> bool {
    actor.is_admin() || (actor.is_staff() && !role.is_staff() && !restricted)
}

/// Whether `actor` may see organization `org`: staff, or its members.
pub fn may_see_org(actor: &Actor, org: crate::OrgId) -> bool {
    actor.is_staff() || actor.org == Some(org)
}

/// Whether `actor` reads what staff write for staff: internal notes,
/// drafts and restricted articles, staff-only fields.
pub fn reads_internal(actor: &Actor) -> bool {
    actor.is_staff()
}

/// Whether `actor` may change a ticket's fields (assignee, group, status,
/// tags …) rather than only add a comment to it.
pub fn may_change_ticket_fields(actor: &Actor) -> bool {
    actor.is_staff()
}

/// Whether `actor` may read a file of a comment: staff who may see the
/// ticket; a customer who may see it, if the comment is public; and always
/// the person who uploaded it.
pub fn may_read_file(
    actor: &Actor,
    uploaded_by_them: bool,
    public: bool,
    sees_ticket: bool,
) -> bool {
    uploaded_by_them || (sees_ticket && (public || actor.is_staff()))
}

/// Whether `actor` may discard an upload not yet attached: its uploader or
/// an admin.
pub fn may_discard_upload(actor: &Actor, uploader: UserId) -> bool {
    actor.user == uploader || actor.is_admin()
}

/// Whether `actor` may read a job's status: who started it, or an admin.
pub fn may_read_job(actor: &Actor, owner: Option<UserId>) -> bool {
    actor.is_admin() || owner == Some(actor.user)
}

/// Whether `actor` may change `agent`'s routing profile: agents set their
/// own presence; admins everything (skills, capacity, schedule, languages).
pub fn may_change_routing_profile(actor: &Actor, agent: UserId, admin_fields: bool) -> bool {
    actor.is_admin() || (actor.is_staff() && actor.user == agent && !admin_fields)
}

/// Whether `actor` may read staff-only fields (details, notes) of users
/// and organizations.
pub fn may_read_private_fields(actor: &Actor) -> bool {
    actor.is_staff()
}

/// Whether `actor` may change `field` on `subject`.
pub fn may_write_user_field(actor: &Actor, subject: Subject, field: UserField) -> bool {
    use UserField::*;
    match standing(actor, subject) {
        Standing::Admin => true,
        Standing::Own if actor.is_staff() => {
            matches!(
                field,
                Name | Phone | Locale | TimeZone | Password | Details | Notes | DefaultGroup
            )
        }
        Standing::Own => matches!(field, Name | Locale | TimeZone | Password),
        Standing::AgentOnCustomer => !matches!(field, Role | Active | Password | Restriction),
        Standing::AgentOnStaff | Standing::Stranger => false,
    }
}

/// What `actor` may do with `subject`'s identities (email addresses,
/// phones, messaging ids): the sign-in address of staff is theirs and the
/// admins' to change, never another agent's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdentityRights {
    /// Nothing (the profile is not the caller's to touch).
    None,
    /// Their own: add (unverified), delete one that is not primary, make a
    /// verified one primary.
    Own,
    /// Everything, verifying included.
    Full,
}

pub fn identity_rights(actor: &Actor, subject: Subject) -> IdentityRights {
    match standing(actor, subject) {
        Standing::Admin | Standing::AgentOnCustomer => IdentityRights::Full,
        Standing::Own => IdentityRights::Own,
        Standing::AgentOnStaff | Standing::Stranger => IdentityRights::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(id: i64, role: Role) -> Actor {
        Actor {
            user: UserId(id),
            role,
            org: None,
            restricted: false,
        }
    }

    fn subject(id: i64, role: Role) -> Subject {
        Subject {
            id: UserId(id),
            role,
        }
    }

    #[test]
    fn agents_cannot_touch_staff_identities_or_fields() {
        let agent = actor(2, Role::Agent);
        let admin = subject(1, Role::Admin);
        assert_eq!(identity_rights(&agent, admin), IdentityRights::None);
        assert!(!may_write_user_field(&agent, admin, UserField::Email));
        assert!(!may_write_user_field(
            &agent,
            subject(3, Role::Agent),
            UserField::Name
        ));
        assert_eq!(
            identity_rights(&agent, subject(9, Role::EndUser)),
            IdentityRights::Full
        );
        assert_eq!(
            identity_rights(&agent, subject(2, Role::Agent)),
            IdentityRights::Own
        );
        assert!(!may_write_user_field(
            &agent,
            subject(2, Role::Agent),
            UserField::Email
        ));
        assert!(!may_write_user_field(
            &agent,
            subject(2, Role::Agent),
            UserField::Restriction
        ));
    }

    #[test]
    fn customers_change_only_their_own_harmless_fields() {
        let me = actor(9, Role::EndUser);
        let own = subject(9, Role::EndUser);
        for f in [
            UserField::Name,
            UserField::Locale,
            UserField::TimeZone,
            UserField::Password,
        ] {
            assert!(may_write_user_field(&me, own, f), "{f:?}");
        }
        for f in [
            UserField::Notes,
            UserField::Details,
            UserField::Verified,
            UserField::Role,
            UserField::Tags,
            UserField::Email,
            UserField::ExternalId,
            UserField::Organization,
            UserField::Active,
            UserField::CustomFields,
        ] {
            assert!(!may_write_user_field(&me, own, f), "{f:?}");
        }
        assert!(!may_read_private_fields(&me));
        assert!(!may_see_user(&me, subject(10, Role::EndUser)));
        assert_eq!(
            identity_rights(&me, subject(10, Role::EndUser)),
            IdentityRights::None
        );
    }

    #[test]
    fn capabilities_follow_the_role() {
        let restricted = Actor {
            restricted: true,
            ..actor(3, Role::Agent)
        };
        assert!(Capability::WorkTheDesk.allowed(&restricted));
        assert!(!Capability::WriteArticles.allowed(&restricted));
        assert!(Capability::WriteArticles.allowed(&actor(2, Role::Agent)));
        assert!(!Capability::ManageWebhooks.allowed(&actor(2, Role::Agent)));
        assert!(Capability::ManageWebhooks.allowed(&actor(1, Role::Admin)));
        assert!(!Capability::WorkTheDesk.allowed(&actor(9, Role::EndUser)));
    }

    #[test]
    fn admins_may_do_everything() {
        let admin = actor(1, Role::Admin);
        assert_eq!(
            identity_rights(&admin, subject(2, Role::Agent)),
            IdentityRights::Full
        );
        assert!(may_write_user_field(
            &admin,
            subject(2, Role::Agent),
            UserField::Role
        ));
    }
}
