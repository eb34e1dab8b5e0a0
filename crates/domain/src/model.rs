//! The records of atiende: tickets, users, comments, audits and the rest,
//! as the store keeps them and every crate reads them. The API maps them to
//! Zendesk's JSON in the web crate; nothing here knows about the wire.

pub mod business_rules;
pub mod email;
pub mod mailboxes;
pub mod outbox;
pub mod routing;
pub mod schedules;
pub mod sla;
pub mod webhooks;

use crate::*;

#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: UserId,
    pub name: String,
    /// The primary email identity, denormalised for lists and auth.
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub verified: bool,
    pub organization_id: Option<OrgId>,
    pub default_group_id: Option<GroupId>,
    pub locale: String,
    pub time_zone: String,
    pub phone: Option<String>,
    pub external_id: Option<String>,
    pub details: Option<String>,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    /// Argon2 PHC string; never leaves the app crate.
    pub password_hash: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// An agent who sees only their groups' tickets (admins see all).
    pub restricted_to_groups: bool,
    /// Values of the user fields admins defined, by key.
    pub fields: Vec<crate::field::ProfileValue>,
}

impl User {
    /// This user as the caller of a use case.
    pub fn actor(&self) -> crate::Actor {
        crate::Actor {
            user: self.id,
            role: self.role,
            org: self.organization_id,
            restricted: self.restricted_to_groups && self.role == crate::Role::Agent,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
    pub id: IdentityId,
    pub user_id: UserId,
    pub kind: IdentityKind,
    pub value: String,
    pub primary: bool,
    pub verified: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Organization {
    pub id: OrgId,
    pub name: String,
    pub details: Option<String>,
    pub notes: Option<String>,
    pub external_id: Option<String>,
    pub group_id: Option<GroupId>,
    pub shared_tickets: bool,
    pub tags: Vec<String>,
    pub domain_names: Vec<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Values of the organization fields admins defined, by key.
    pub fields: Vec<crate::field::ProfileValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub is_public: bool,
    pub deleted: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub id: MembershipId,
    pub user_id: UserId,
    pub group_id: GroupId,
    pub default: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ticket {
    pub id: TicketId,
    pub subject: String,
    /// The first comment's text.
    pub description: String,
    pub status: Status,
    pub priority: Option<Priority>,
    pub ticket_type: Option<TicketType>,
    pub requester_id: UserId,
    pub submitter_id: UserId,
    pub assignee_id: Option<UserId>,
    pub group_id: Option<GroupId>,
    pub organization_id: Option<OrgId>,
    pub problem_id: Option<TicketId>,
    /// The request form it was made with (Zendesk's `ticket_form_id`).
    pub ticket_form_id: Option<crate::TicketFormId>,
    pub external_id: Option<String>,
    /// The support address the customer wrote to; our replies come from it.
    pub recipient: Option<String>,
    pub via: Channel,
    /// Sorted, lower-case, unique.
    pub tags: Vec<String>,
    pub has_attachments: bool,
    pub due_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub solved_at: Option<Timestamp>,
    pub deleted_at: Option<Timestamp>,
    /// Custom field values as text; the field's type says how to show them.
    pub custom_fields: Vec<(FieldId, String)>,
    pub collaborator_ids: Vec<UserId>,
    pub follower_ids: Vec<UserId>,
}

impl Ticket {
    /// Who may see this ticket depends on these.
    pub fn parties(&self) -> crate::TicketParties<'_> {
        crate::TicketParties {
            requester: self.requester_id,
            collaborators: &self.collaborator_ids,
            assignee: self.assignee_id,
            group: self.group_id,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Comment {
    pub id: CommentId,
    pub ticket_id: TicketId,
    pub audit_id: AuditId,
    pub author_id: UserId,
    pub body: String,
    /// Sanitised HTML.
    pub html_body: String,
    pub public: bool,
    pub via: Channel,
    pub created_at: Timestamp,
    pub attachments: Vec<Attachment>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Audit {
    pub id: AuditId,
    pub ticket_id: TicketId,
    pub author_id: UserId,
    pub via: Channel,
    pub events: Vec<crate::audit::AuditEvent>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub id: AttachmentId,
    pub token: String,
    pub uploader_id: UserId,
    pub comment_id: Option<CommentId>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FieldOption {
    pub id: i64,
    pub name: String,
    pub value: String,
    pub position: i64,
}

/// A custom field on users or organizations (Zendesk's `user_fields` and
/// `organization_fields`): named by a key, typed as ticket fields are.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileField {
    pub id: ProfileFieldId,
    pub owner: crate::field::FieldOwner,
    /// How records and the API name it (`plan`): letters, digits, `_`.
    pub key: String,
    pub field_type: FieldType,
    pub title: String,
    pub description: String,
    pub position: i64,
    pub active: bool,
    pub regexp: Option<String>,
    /// The tag a checked checkbox stands for.
    pub tag: Option<String>,
    pub options: Vec<FieldOption>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TicketField {
    pub id: FieldId,
    pub field_type: FieldType,
    pub title: String,
    pub description: String,
    pub required: bool,
    pub active: bool,
    pub position: i64,
    pub regexp: Option<String>,
    pub tag: Option<String>,
    pub options: Vec<FieldOption>,
    /// Customers see it on the request form and on their requests.
    pub visible_in_portal: bool,
    /// Customers fill it in on the request form.
    pub editable_in_portal: bool,
    /// Customers must fill it in when the form shows it.
    pub required_in_portal: bool,
    /// What the request form calls it, per help-center locale (its title
    /// where a locale has none).
    pub portal_titles: std::collections::BTreeMap<String, String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl TicketField {
    /// Its name on the request form in `locale`.
    pub fn portal_title(&self, locale: &str) -> &str {
        self.portal_titles
            .get(locale)
            .map_or(self.title.as_str(), String::as_str)
    }
}

word_enum!(
    /// Which way a view sorts.
    SortOrder {
        Asc = "asc",
        Desc = "desc",
    }
);

word_enum!(
    /// A satisfaction rating's score (Zendesk's words; customers give
    /// `good` or `bad`).
    RatingScore {
        Offered = "offered",
        Unoffered = "unoffered",
        Good = "good",
        Bad = "bad",
    }
);

word_enum!(
    /// Where a background job stands (Zendesk's job status words).
    JobState {
        Queued = "queued",
        Working = "working",
        Completed = "completed",
        Failed = "failed",
        Killed = "killed",
    }
);

/// A background job (bulk changes), as Zendesk's job statuses show it.
#[derive(Debug, Clone, PartialEq)]
pub struct JobStatus {
    pub id: String,
    pub kind: String,
    pub status: JobState,
    pub total: i64,
    pub progress: i64,
    pub message: Option<String>,
    /// JSON array of per-item results.
    pub results: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Who started it: only they and admins read it.
    pub owner_id: Option<crate::UserId>,
}

/// Space-separated tags as stored, to a list.
pub fn split_tags(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_string).collect()
}

/// A list of tags as stored.
pub fn join_tags(tags: &[String]) -> String {
    tags.join(" ")
}

#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    pub id: CategoryId,
    pub name: String,
    pub description: String,
    pub locale: String,
    pub source_locale: String,
    pub position: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Section {
    pub id: SectionId,
    pub category_id: CategoryId,
    pub parent_section_id: Option<SectionId>,
    pub name: String,
    pub description: String,
    pub locale: String,
    pub source_locale: String,
    pub position: i64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A label articles may carry (Zendesk's article labels), as a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArticleLabel {
    pub id: LabelId,
    pub name: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub author_id: UserId,
    pub title: String,
    /// Sanitised HTML.
    pub body: String,
    pub locale: String,
    pub source_locale: String,
    pub draft: bool,
    pub promoted: bool,
    pub position: i64,
    pub label_names: Vec<String>,
    pub permission_group_id: i64,
    /// Who may read it besides staff; `None`: everyone.
    pub user_segment_id: Option<UserSegmentId>,
    pub comments_disabled: bool,
    pub vote_sum: i64,
    pub vote_count: i64,
    pub archived_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub edited_at: Timestamp,
}

/// One saved text of an article in a locale.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleRevision {
    pub id: ArticleRevisionId,
    pub article: ArticleId,
    pub locale: String,
    pub title: String,
    pub body: String,
    pub draft: bool,
    pub author: Option<UserId>,
    pub created_at: Timestamp,
}

/// A file attached to an article (without its bytes).
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleAttachment {
    pub id: ArticleAttachmentId,
    pub article: ArticleId,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    /// Shown in the body (an image) rather than listed under it.
    pub inline: bool,
    pub author: Option<UserId>,
    pub created_at: Timestamp,
}

impl Article {
    /// Readable by anyone, signed in or not: published, not archived, for
    /// no particular user segment. The store's public queries say the same.
    pub fn is_public(&self) -> bool {
        !self.draft && self.archived_at.is_none() && self.user_segment_id.is_none()
    }
}

/// A reader's answer to "was this article helpful?" (Zendesk's votes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteValue {
    Up,
    Down,
}

impl VoteValue {
    /// As stored and as Zendesk's API writes it: 1 or -1.
    pub fn number(self) -> i64 {
        match self {
            VoteValue::Up => 1,
            VoteValue::Down => -1,
        }
    }

    pub fn from_number(n: i64) -> Option<VoteValue> {
        match n {
            1 => Some(VoteValue::Up),
            -1 => Some(VoteValue::Down),
            _ => None,
        }
    }
}

/// Who answered: a signed-in user, or an anonymous visitor known by the
/// random id in their browser's cookie. One answer each per article; a new
/// one replaces it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Voter {
    User(UserId),
    Visitor(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Vote {
    pub id: VoteId,
    pub article_id: ArticleId,
    pub voter: Voter,
    /// The article's locale when the answer was given.
    pub locale: String,
    pub value: VoteValue,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// What a list of articles shows of each: no body.
#[derive(Debug, Clone, PartialEq)]
pub struct ArticleTitle {
    pub id: ArticleId,
    pub section_id: SectionId,
    pub locale: String,
    pub title: String,
    pub promoted: bool,
}

/// What a help-center page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpCenterKind {
    Category,
    Section,
    Article,
}

/// What a translation is the text of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranslationOf {
    Article(ArticleId),
    Section(SectionId),
    Category(CategoryId),
}

impl TranslationOf {
    pub fn kind(self) -> HelpCenterKind {
        match self {
            TranslationOf::Article(_) => HelpCenterKind::Article,
            TranslationOf::Section(_) => HelpCenterKind::Section,
            TranslationOf::Category(_) => HelpCenterKind::Category,
        }
    }

    pub fn id(self) -> i64 {
        match self {
            TranslationOf::Article(a) => a.0,
            TranslationOf::Section(s) => s.0,
            TranslationOf::Category(c) => c.0,
        }
    }
}

/// The text of an article, section or category in one locale (for a
/// section or category, `title` is its name and `body` its description).
/// The source locale's translation mirrors the record's own text.
#[derive(Debug, Clone, PartialEq)]
pub struct Translation {
    pub id: TranslationId,
    pub of: TranslationOf,
    pub locale: String,
    pub title: String,
    /// Sanitised HTML for an article, plain text otherwise.
    pub body: String,
    /// Articles only: this locale's text is not published yet.
    pub draft: bool,
    /// The source text changed after this translation was last saved.
    pub outdated: bool,
    pub created_by_id: Option<UserId>,
    pub updated_by_id: Option<UserId>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// One public help-center page: what it shows, in which locale, and when
/// it last changed (a sitemap entry).
#[derive(Debug, Clone, PartialEq)]
pub struct HelpCenterPlace {
    pub kind: HelpCenterKind,
    pub id: i64,
    pub locale: String,
    /// The article's title, the section's or category's name.
    pub title: String,
    pub updated_at: Timestamp,
}

/// A macro: canned actions; `actions` is Zendesk-shaped JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Macro {
    pub id: MacroId,
    pub title: String,
    pub description: Option<String>,
    pub active: bool,
    pub position: i64,
    pub actions: String,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A saved ticket queue; `conditions` is `{"all": […], "any": […]}` JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct View {
    pub id: ViewId,
    pub title: String,
    pub description: Option<String>,
    pub active: bool,
    pub position: i64,
    pub conditions: String,
    pub sort_by: Option<String>,
    pub sort_order: SortOrder,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SatisfactionRating {
    pub id: RatingId,
    pub ticket_id: TicketId,
    pub requester_id: UserId,
    pub assignee_id: Option<UserId>,
    pub group_id: Option<GroupId>,
    pub score: RatingScore,
    pub comment: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// Why a bad rating (Zendesk's `reason_code`; 0: none given).
    pub reason_code: i64,
    /// The channel the survey was asked on; `None`: rated through the API.
    pub channel: Option<crate::Channel>,
}

/// A browser session signed in now, as the sessions API lists it: never
/// its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Read from the first digits of the token's hash: stable, and naming
    /// nothing that signs anyone in.
    pub id: i64,
    pub user: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}
