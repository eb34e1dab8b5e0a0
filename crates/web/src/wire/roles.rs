//! Staff roles as Zendesk's `custom_roles` gives them: what each may do,
//! read from the capabilities every request is checked by.

use domain::policy::Capability as C;
use domain::roles::StaffRole;
use serde::Serialize;
use utoipa::ToSchema;

/// What a role may do, in Zendesk's configuration keys.
#[derive(Serialize, ToSchema)]
pub struct RoleConfiguration {
    /// "all", or "within-groups" for agents limited to their groups.
    pub ticket_access: &'static str,
    pub ticket_editing: bool,
    pub ticket_deletion: bool,
    pub ticket_merge: bool,
    pub ticket_tag_editing: bool,
    pub ticket_bulk_edit: bool,
    pub view_deleted_tickets: bool,
    pub manage_business_rules: bool,
    pub manage_triggers: bool,
    pub manage_automations: bool,
    pub manage_slas: bool,
    pub manage_ticket_fields: bool,
    pub manage_ticket_forms: bool,
    pub manage_user_fields: bool,
    pub manage_organization_fields: bool,
    pub manage_groups: bool,
    pub manage_group_memberships: bool,
    pub manage_organizations: bool,
    pub manage_suspended_tickets: bool,
    pub manage_extensions_and_channels: bool,
    pub manage_skills: bool,
    /// "all" (change and delete people) or "readonly".
    pub manage_team_members: &'static str,
    /// "full" or "readonly" (shared macros).
    pub macro_access: &'static str,
    /// "full" (write help-center articles) or "readonly".
    pub forum_access: &'static str,
    /// "full" or "none".
    pub report_access: &'static str,
    pub explore_access: &'static str,
    pub end_user_profile_access: &'static str,
    pub chat_access: bool,
    pub voice_access: bool,
    pub light_agent: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CustomRole<'a> {
    pub id: i64,
    pub name: &'a str,
    pub description: &'a str,
    pub role_type: i64,
    pub team_member_count: i64,
    pub configuration: RoleConfiguration,
    pub created_at: String,
    pub updated_at: String,
}

fn configuration(r: StaffRole) -> RoleConfiguration {
    let choose = |c: C, yes: &'static str, no: &'static str| if r.may(c) { yes } else { no };
    RoleConfiguration {
        ticket_access: choose(C::ReadReports, "all", "within-groups"),
        ticket_editing: true,
        ticket_deletion: true,
        ticket_merge: true,
        ticket_tag_editing: true,
        ticket_bulk_edit: true,
        view_deleted_tickets: true,
        manage_business_rules: r.may(C::ManageRules),
        manage_triggers: r.may(C::ManageRules),
        manage_automations: r.may(C::ManageRules),
        manage_slas: r.may(C::ManageSlaPolicies),
        manage_ticket_fields: r.may(C::ManageFields),
        manage_ticket_forms: r.may(C::ManageFields),
        manage_user_fields: r.may(C::ManageFields),
        manage_organization_fields: r.may(C::ManageFields),
        manage_groups: r.may(C::ManageGroups),
        manage_group_memberships: r.may(C::ManageGroups),
        manage_organizations: r.may(C::DeleteOrganizations),
        manage_suspended_tickets: r.may(C::ManageSuspendedMail),
        manage_extensions_and_channels: r.may(C::ManageChannels),
        manage_skills: r.may(C::ManageRouting),
        manage_team_members: choose(C::DeactivateUsers, "all", "readonly"),
        macro_access: choose(C::ManageMacros, "full", "readonly"),
        forum_access: choose(C::WriteArticles, "full", "readonly"),
        report_access: choose(C::ReadReports, "full", "none"),
        explore_access: choose(C::ReadReports, "full", "none"),
        end_user_profile_access: "full",
        chat_access: true,
        voice_access: true,
        light_agent: false,
    }
}

pub fn custom_role(v: &app::roles::RoleView) -> CustomRole<'_> {
    CustomRole {
        id: v.role.id(),
        name: &v.name,
        description: &v.description,
        role_type: v.role.role_type(),
        team_member_count: v.members,
        configuration: configuration(v.role),
        created_at: v.created_at.to_iso(),
        updated_at: v.created_at.to_iso(),
    }
}
