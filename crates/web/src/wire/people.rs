//! People and who they belong to, as Zendesk's records: users, their
//! identities, organizations, groups and memberships, with the custom
//! field values users and organizations carry.

use super::records::field_value;
use domain::Timestamp;
use domain::model::{
    Group as GroupRecord, Identity as IdentityRecord, Membership as MembershipRecord,
    Organization as OrgRecord, User as UserRecord,
};
use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct User<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub email: Option<&'a str>,
    pub created_at: String,
    pub updated_at: String,
    pub time_zone: &'a str,
    pub iana_time_zone: &'a str,
    pub phone: Option<&'a str>,
    pub shared_phone_number: Option<bool>,
    pub photo: Option<Json>,
    pub locale: &'a str,
    pub organization_id: Option<i64>,
    /// `end-user`, `agent` or `admin`.
    pub role: &'static str,
    pub verified: bool,
    pub external_id: Option<&'a str>,
    pub tags: &'a [String],
    pub alias: Option<String>,
    pub active: bool,
    pub shared: bool,
    pub shared_agent: bool,
    pub last_login_at: Option<String>,
    pub two_factor_auth_enabled: bool,
    pub signature: Option<String>,
    pub details: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub role_type: Option<i64>,
    pub custom_role_id: Option<i64>,
    pub moderator: bool,
    /// `requested` for customers, `groups` for agents who see only their
    /// groups' tickets, null for agents who see all.
    pub ticket_restriction: Option<&'static str>,
    pub only_private_comments: bool,
    pub restricted_agent: bool,
    pub suspended: bool,
    pub default_group_id: Option<i64>,
    pub report_csv: bool,
    /// The user fields' values by key, typed by their field (a checkbox's
    /// `true`, a number, a multiselect's list, else text).
    #[schema(value_type = Object)]
    pub user_fields: Json,
}

pub fn user<'a>(base: &str, u: &'a UserRecord) -> User<'a> {
    let staff = u.role.is_staff();
    User {
        id: u.id.0,
        url: format!("{base}/api/v2/users/{}.json", u.id),
        name: &u.name,
        email: u.email.as_deref(),
        created_at: Timestamp::to_iso(u.created_at),
        updated_at: Timestamp::to_iso(u.updated_at),
        time_zone: &u.time_zone,
        iana_time_zone: &u.time_zone,
        phone: u.phone.as_deref(),
        shared_phone_number: None,
        photo: None,
        locale: &u.locale,
        organization_id: u.organization_id.map(|x| x.0),
        role: u.role.as_str(),
        verified: u.verified,
        external_id: u.external_id.as_deref(),
        tags: &u.tags,
        alias: None,
        active: u.active,
        shared: false,
        shared_agent: false,
        last_login_at: None,
        two_factor_auth_enabled: false,
        signature: None,
        details: u.details.as_deref(),
        notes: u.notes.as_deref(),
        role_type: None,
        custom_role_id: None,
        moderator: staff,
        ticket_restriction: match (staff, u.restricted_to_groups) {
            (false, _) => Some("requested"),
            (true, true) => Some("groups"),
            (true, false) => None,
        },
        only_private_comments: false,
        restricted_agent: staff && u.restricted_to_groups,
        suspended: false,
        default_group_id: u.default_group_id.map(|x| x.0),
        report_csv: false,
        user_fields: profile_values(&u.fields),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Identity<'a> {
    pub id: i64,
    pub url: String,
    pub user_id: i64,
    /// `email`, `phone_number`, `twitter`, `facebook`, … — one per channel
    /// a customer can be reached on.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub value: &'a str,
    pub verified: bool,
    pub primary: bool,
    pub created_at: String,
    pub updated_at: String,
    pub undeliverable_count: i64,
    pub deliverable_state: &'static str,
}

pub fn identity<'a>(base: &str, i: &'a IdentityRecord) -> Identity<'a> {
    Identity {
        id: i.id.0,
        url: format!("{base}/api/v2/users/{}/identities/{}.json", i.user_id, i.id),
        user_id: i.user_id.0,
        kind: i.kind.as_str(),
        value: &i.value,
        verified: i.verified,
        primary: i.primary,
        created_at: Timestamp::to_iso(i.created_at),
        updated_at: Timestamp::to_iso(i.updated_at),
        undeliverable_count: 0,
        deliverable_state: "deliverable",
    }
}

#[derive(Serialize, ToSchema)]
pub struct Organization<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub shared_tickets: bool,
    pub shared_comments: bool,
    pub external_id: Option<&'a str>,
    pub created_at: String,
    pub updated_at: String,
    pub domain_names: &'a [String],
    pub details: Option<&'a str>,
    pub notes: Option<&'a str>,
    pub group_id: Option<i64>,
    pub tags: &'a [String],
    /// The organization fields' values by key, typed by their field.
    #[schema(value_type = Object)]
    pub organization_fields: Json,
}

pub fn org<'a>(base: &str, o: &'a OrgRecord) -> Organization<'a> {
    Organization {
        id: o.id.0,
        url: format!("{base}/api/v2/organizations/{}.json", o.id),
        name: &o.name,
        shared_tickets: o.shared_tickets,
        shared_comments: false,
        external_id: o.external_id.as_deref(),
        created_at: Timestamp::to_iso(o.created_at),
        updated_at: Timestamp::to_iso(o.updated_at),
        domain_names: &o.domain_names,
        details: o.details.as_deref(),
        notes: o.notes.as_deref(),
        group_id: o.group_id.map(|x| x.0),
        tags: &o.tags,
        organization_fields: profile_values(&o.fields),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Group<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub description: &'a str,
    pub default: bool,
    pub deleted: bool,
    pub is_public: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn group<'a>(base: &str, g: &'a GroupRecord) -> Group<'a> {
    Group {
        id: g.id.0,
        url: format!("{base}/api/v2/groups/{}.json", g.id),
        name: &g.name,
        description: &g.description,
        default: false,
        deleted: g.deleted,
        is_public: g.is_public,
        created_at: Timestamp::to_iso(g.created_at),
        updated_at: Timestamp::to_iso(g.updated_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct GroupMembership {
    pub id: i64,
    pub url: String,
    pub user_id: i64,
    pub group_id: i64,
    pub default: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn membership(base: &str, m: &MembershipRecord) -> GroupMembership {
    GroupMembership {
        id: m.id.0,
        url: format!("{base}/api/v2/group_memberships/{}.json", m.id),
        user_id: m.user_id.0,
        group_id: m.group_id.0,
        default: m.default,
        created_at: Timestamp::to_iso(m.created_at),
        updated_at: Timestamp::to_iso(m.updated_at),
    }
}

/// A user's organization as a membership record (its id is the user id:
/// a user belongs to one organization).
#[derive(Serialize, ToSchema)]
pub struct OrganizationMembership {
    pub id: i64,
    pub url: String,
    pub user_id: i64,
    pub organization_id: Option<i64>,
    pub default: bool,
    pub organization_name: Option<String>,
    pub view_tickets: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn org_membership(base: &str, u: &UserRecord) -> OrganizationMembership {
    OrganizationMembership {
        id: u.id.0,
        url: format!("{base}/api/v2/organization_memberships/{}.json", u.id),
        user_id: u.id.0,
        organization_id: u.organization_id.map(|o| o.0),
        default: true,
        organization_name: None,
        view_tickets: true,
        created_at: Timestamp::to_iso(u.created_at),
        updated_at: Timestamp::to_iso(u.updated_at),
    }
}

/// A record's custom field values by key, typed as a ticket field's value
/// is (a checkbox's boolean, a number, a multiselect's list, else text).
pub fn profile_values(values: &[domain::field::ProfileValue]) -> Json {
    Json::Object(
        values
            .iter()
            .map(|v| {
                let shown = v
                    .value
                    .as_deref()
                    .map_or(Json::Null, |text| field_value(v.field_type, text));
                (v.key.clone(), shown)
            })
            .collect(),
    )
}
