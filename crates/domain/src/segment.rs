//! Help-center user segments: who may read a restricted article. An
//! article with no segment is public; one with a segment is for the
//! signed-in readers that segment admits, and for staff.

use crate::ids::{GroupId, OrgId, UserSegmentId};
use crate::time::Timestamp;
use crate::word_enum;

word_enum!(
    /// Whom a segment starts from: every signed-in user, or staff only.
    SegmentUserType {
        SignedInUsers = "signed_in_users",
        Staff = "staff",
    }
);

/// A named set of readers (Zendesk's user segment): the user type, then
/// every filter that is set must hold — one of its organizations, one of
/// its groups (agents'), all of `tags`, any of `or_tags`.
#[derive(Debug, Clone, PartialEq)]
pub struct UserSegment {
    pub id: UserSegmentId,
    pub name: String,
    pub user_type: SegmentUserType,
    pub organization_ids: Vec<OrgId>,
    pub group_ids: Vec<GroupId>,
    pub tags: Vec<String>,
    pub or_tags: Vec<String>,
    /// "Signed-in users" and "Agents and admins": made with the database,
    /// never changed or removed.
    pub built_in: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A signed-in reader as segments see them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SegmentReader {
    pub staff: bool,
    pub organization: Option<OrgId>,
    pub groups: Vec<GroupId>,
    pub tags: Vec<String>,
}

impl UserSegment {
    pub fn admits(&self, r: &SegmentReader) -> bool {
        let by_type = match self.user_type {
            SegmentUserType::SignedInUsers => true,
            SegmentUserType::Staff => r.staff,
        };
        let by_org = self.organization_ids.is_empty()
            || r.organization
                .is_some_and(|o| self.organization_ids.contains(&o));
        let by_group =
            self.group_ids.is_empty() || r.groups.iter().any(|g| self.group_ids.contains(g));
        let all_tags = self.tags.iter().all(|t| r.tags.contains(t));
        let any_tag = self.or_tags.is_empty() || self.or_tags.iter().any(|t| r.tags.contains(t));
        by_type && by_org && by_group && all_tags && any_tag
    }
}

/// Which help-center articles a reader may read: public ones always;
/// restricted ones by segment; staff every one (they write them, and
/// internal articles are their training library).
#[derive(Debug, Clone, PartialEq)]
pub enum Audience {
    /// Not signed in: public articles only.
    Anyone,
    /// A signed-in customer: public articles and those of these segments.
    Member(Vec<UserSegmentId>),
    /// Agents and admins.
    Staff,
}

impl Audience {
    /// Whether an article for `segment` (`None`: everyone) is readable.
    pub fn reads(&self, segment: Option<UserSegmentId>) -> bool {
        match (self, segment) {
            (_, None) | (Audience::Staff, _) => true,
            (Audience::Member(ids), Some(s)) => ids.contains(&s),
            (Audience::Anyone, Some(_)) => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn segment(user_type: SegmentUserType) -> UserSegment {
        UserSegment {
            id: UserSegmentId(1),
            name: "s".into(),
            user_type,
            organization_ids: vec![],
            group_ids: vec![],
            tags: vec![],
            or_tags: vec![],
            built_in: false,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn every_set_filter_must_hold() {
        let customer = SegmentReader {
            organization: Some(OrgId(5)),
            tags: vec!["vip".into(), "es".into()],
            ..Default::default()
        };
        let agent = SegmentReader {
            staff: true,
            groups: vec![GroupId(2)],
            ..Default::default()
        };
        let signed_in = segment(SegmentUserType::SignedInUsers);
        assert!(signed_in.admits(&customer) && signed_in.admits(&agent));
        let staff = segment(SegmentUserType::Staff);
        assert!(!staff.admits(&customer) && staff.admits(&agent));

        let mut acme = segment(SegmentUserType::SignedInUsers);
        acme.organization_ids = vec![OrgId(5), OrgId(6)];
        assert!(acme.admits(&customer) && !acme.admits(&agent));
        acme.tags = vec!["vip".into(), "es".into()];
        assert!(acme.admits(&customer));
        acme.tags.push("gold".into());
        assert!(!acme.admits(&customer), "all of `tags`");
        acme.tags.clear();
        acme.or_tags = vec!["gold".into(), "vip".into()];
        assert!(acme.admits(&customer), "any of `or_tags`");
        acme.or_tags = vec!["gold".into()];
        assert!(!acme.admits(&customer));

        let mut billing_team = segment(SegmentUserType::Staff);
        billing_team.group_ids = vec![GroupId(2)];
        assert!(billing_team.admits(&agent));
        billing_team.group_ids = vec![GroupId(3)];
        assert!(!billing_team.admits(&agent));
    }

    #[test]
    fn audiences_read_public_articles_and_their_segments() {
        let s = Some(UserSegmentId(4));
        assert!(Audience::Anyone.reads(None) && !Audience::Anyone.reads(s));
        assert!(Audience::Member(vec![UserSegmentId(4)]).reads(s));
        assert!(!Audience::Member(vec![UserSegmentId(3)]).reads(s));
        assert!(Audience::Staff.reads(s));
    }
}
