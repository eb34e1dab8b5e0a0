//! The help center's records as the API answers with them: categories,
//! sections, articles, their translations, votes, user segments, and the
//! answer bot's answers.

use domain::model::{
    Article as ArticleRecord, ArticleAttachment as ArticleFileRecord, Category as CategoryRecord,
    Section as SectionRecord, Translation as TranslationRecord, TranslationOf, Vote as VoteRecord,
};
use domain::segment::UserSegment as SegmentRecord;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Category<'a> {
    pub id: i64,
    pub url: String,
    pub html_url: String,
    pub name: &'a str,
    pub description: &'a str,
    pub locale: &'a str,
    pub source_locale: &'a str,
    pub position: i64,
    pub outdated: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn category<'a>(base: &str, c: &'a CategoryRecord) -> Category<'a> {
    Category {
        id: c.id.0,
        url: format!(
            "{base}/api/v2/help_center/{}/categories/{}.json",
            c.locale, c.id
        ),
        html_url: format!("{base}/hc/{}/categories/{}", c.locale, c.id),
        name: &c.name,
        description: &c.description,
        locale: &c.locale,
        source_locale: &c.source_locale,
        position: c.position,
        outdated: false,
        created_at: c.created_at.to_iso(),
        updated_at: c.updated_at.to_iso(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Section<'a> {
    pub id: i64,
    pub url: String,
    pub html_url: String,
    pub category_id: i64,
    pub parent_section_id: Option<i64>,
    pub name: &'a str,
    pub description: &'a str,
    pub locale: &'a str,
    pub source_locale: &'a str,
    pub position: i64,
    pub sorting: &'static str,
    pub outdated: bool,
    pub theme_template: &'static str,
    pub created_at: String,
    pub updated_at: String,
}

pub fn section<'a>(base: &str, s: &'a SectionRecord) -> Section<'a> {
    Section {
        id: s.id.0,
        url: format!(
            "{base}/api/v2/help_center/{}/sections/{}.json",
            s.locale, s.id
        ),
        html_url: format!("{base}/hc/{}/sections/{}", s.locale, s.id),
        category_id: s.category_id.0,
        parent_section_id: s.parent_section_id.map(|p| p.0),
        name: &s.name,
        description: &s.description,
        locale: &s.locale,
        source_locale: &s.source_locale,
        position: s.position,
        sorting: "manual",
        outdated: false,
        theme_template: "section_page",
        created_at: s.created_at.to_iso(),
        updated_at: s.updated_at.to_iso(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Article<'a> {
    pub id: i64,
    pub url: String,
    pub html_url: String,
    pub author_id: i64,
    pub comments_disabled: bool,
    pub draft: bool,
    pub promoted: bool,
    pub position: i64,
    pub vote_sum: i64,
    pub vote_count: i64,
    pub section_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub edited_at: String,
    pub name: &'a str,
    pub title: &'a str,
    pub source_locale: &'a str,
    pub locale: &'a str,
    pub outdated: bool,
    pub outdated_locales: Vec<String>,
    pub permission_group_id: i64,
    pub user_segment_id: Option<i64>,
    pub label_names: &'a [String],
    /// Sanitised HTML.
    pub body: &'a str,
    pub content_tag_ids: Vec<String>,
    /// Search results only: the matching text with `<em>` around the hits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    /// Search results only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result_type: Option<&'static str>,
}

pub fn article<'a>(base: &str, a: &'a ArticleRecord) -> Article<'a> {
    Article {
        id: a.id.0,
        url: format!(
            "{base}/api/v2/help_center/{}/articles/{}.json",
            a.locale, a.id
        ),
        html_url: format!("{base}/hc/{}/articles/{}", a.locale, a.id),
        author_id: a.author_id.0,
        comments_disabled: a.comments_disabled,
        draft: a.draft,
        promoted: a.promoted,
        position: a.position,
        vote_sum: a.vote_sum,
        vote_count: a.vote_count,
        section_id: a.section_id.0,
        created_at: a.created_at.to_iso(),
        updated_at: a.updated_at.to_iso(),
        edited_at: a.edited_at.to_iso(),
        name: &a.title,
        title: &a.title,
        source_locale: &a.source_locale,
        locale: &a.locale,
        outdated: false,
        outdated_locales: vec![],
        permission_group_id: a.permission_group_id,
        user_segment_id: a.user_segment_id.map(|s| s.0),
        label_names: &a.label_names,
        body: &a.body,
        content_tag_ids: vec![],
        snippet: None,
        result_type: None,
    }
}

#[derive(Serialize, ToSchema)]
pub struct Vote {
    pub id: i64,
    pub url: String,
    /// `null` for a visitor of the public site who was not signed in.
    pub user_id: Option<i64>,
    /// 1 (helpful) or -1 (not helpful).
    pub value: i64,
    pub item_id: i64,
    pub item_type: &'static str,
    pub created_at: String,
    pub updated_at: String,
}

pub fn vote(base: &str, v: &VoteRecord) -> Vote {
    Vote {
        id: v.id.0,
        url: format!("{base}/api/v2/help_center/votes/{}.json", v.id),
        user_id: match &v.voter {
            domain::model::Voter::User(u) => Some(u.0),
            domain::model::Voter::Visitor(_) => None,
        },
        value: v.value.number(),
        item_id: v.article_id.0,
        item_type: "Article",
        created_at: v.created_at.to_iso(),
        updated_at: v.updated_at.to_iso(),
    }
}

/// A file attached to an article (Zendesk's article attachment).
#[derive(Serialize, ToSchema)]
pub struct ArticleAttachment<'a> {
    pub id: i64,
    pub url: String,
    pub article_id: i64,
    pub file_name: &'a str,
    pub display_file_name: &'a str,
    /// Where the help center serves the file to the article's readers.
    pub content_url: String,
    pub relative_path: String,
    pub content_type: &'a str,
    pub size: i64,
    /// An image shown in the article's body rather than listed under it.
    pub inline: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn article_attachment<'a>(base: &str, f: &'a ArticleFileRecord) -> ArticleAttachment<'a> {
    let path = app::help_center::article_attachment_path(f);
    ArticleAttachment {
        id: f.id.0,
        url: format!(
            "{base}/api/v2/help_center/articles/attachments/{}.json",
            f.id
        ),
        article_id: f.article.0,
        file_name: &f.file_name,
        display_file_name: &f.file_name,
        content_url: format!("{base}{path}"),
        relative_path: path,
        content_type: &f.content_type,
        size: f.size,
        inline: f.inline,
        created_at: f.created_at.to_iso(),
        updated_at: f.created_at.to_iso(),
    }
}

/// The text of an article, section or category in one locale (Zendesk's
/// translation).
#[derive(Serialize, ToSchema)]
pub struct Translation<'a> {
    pub id: i64,
    pub url: String,
    /// The page of the translated article, section or category.
    pub html_url: String,
    pub source_id: i64,
    /// `Article`, `Section` or `Category`.
    pub source_type: &'static str,
    pub locale: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub outdated: bool,
    pub draft: bool,
    pub hidden: bool,
    pub created_at: String,
    pub updated_at: String,
    pub created_by_id: Option<i64>,
    pub updated_by_id: Option<i64>,
}

/// Where a record's translations live in the API, and its type's name.
pub fn translated(of: TranslationOf) -> (&'static str, &'static str) {
    match of {
        TranslationOf::Article(_) => ("articles", "Article"),
        TranslationOf::Section(_) => ("sections", "Section"),
        TranslationOf::Category(_) => ("categories", "Category"),
    }
}

pub fn translation<'a>(base: &str, t: &'a TranslationRecord) -> Translation<'a> {
    let (plural, kind) = translated(t.of);
    let id = t.of.id();
    Translation {
        id: t.id.0,
        url: format!(
            "{base}/api/v2/help_center/{plural}/{id}/translations/{}.json",
            t.locale
        ),
        html_url: format!("{base}/hc/{}/{plural}/{id}", t.locale),
        source_id: id,
        source_type: kind,
        locale: &t.locale,
        title: &t.title,
        body: &t.body,
        outdated: t.outdated,
        draft: t.draft,
        hidden: false,
        created_at: t.created_at.to_iso(),
        updated_at: t.updated_at.to_iso(),
        created_by_id: t.created_by_id.map(|u| u.0),
        updated_by_id: t.updated_by_id.map(|u| u.0),
    }
}

/// Who may read a restricted article (Zendesk's user segment).
#[derive(Serialize, ToSchema)]
pub struct UserSegment<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    /// `signed_in_users` or `staff`.
    pub user_type: &'static str,
    pub organization_ids: Vec<i64>,
    pub group_ids: Vec<i64>,
    /// A reader must have every one of these tags…
    pub tags: &'a [String],
    /// …and at least one of these, when any are set.
    pub or_tags: &'a [String],
    pub built_in: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn user_segment<'a>(base: &str, s: &'a SegmentRecord) -> UserSegment<'a> {
    UserSegment {
        id: s.id.0,
        url: format!("{base}/api/v2/help_center/user_segments/{}.json", s.id),
        name: &s.name,
        user_type: s.user_type.as_str(),
        organization_ids: s.organization_ids.iter().map(|o| o.0).collect(),
        group_ids: s.group_ids.iter().map(|g| g.0).collect(),
        tags: &s.tags,
        or_tags: &s.or_tags,
        built_in: s.built_in,
        created_at: s.created_at.to_iso(),
        updated_at: s.updated_at.to_iso(),
    }
}

/// An article the answer bot offers.
#[derive(Serialize, ToSchema)]
pub struct BotArticle<'a> {
    pub article_id: i64,
    pub title: &'a str,
    /// Escaped text, matched words in `<em>`.
    pub snippet: &'a str,
    pub html_url: String,
    pub url: String,
    pub locale: &'a str,
    /// How sure the bot is (0–1).
    pub score: f32,
}

/// The answer bot's answer: ranked articles, or a hand-over.
#[derive(Serialize, ToSchema)]
pub struct BotAnswer<'a> {
    pub articles: Vec<BotArticle<'a>>,
    /// No article answers: a person should (atiende's, beside Zendesk's).
    pub handover: bool,
    pub confidence: f32,
    /// `asked_for_person`, `nothing_to_answer`, `no_good_match` or `answered`.
    pub reason: &'static str,
    /// For `answer_bot/resolution` and `answer_bot/rejection`.
    pub interaction_access_token: &'a str,
}

pub fn bot_answer<'a>(base: &str, a: &'a app::answer_bot::BotAnswer) -> BotAnswer<'a> {
    BotAnswer {
        articles: a
            .articles
            .iter()
            .map(|x| BotArticle {
                article_id: x.article_id.0,
                title: &x.title,
                snippet: &x.snippet,
                html_url: format!("{base}/hc/{}/articles/{}", x.locale, x.article_id),
                url: format!(
                    "{base}/api/v2/help_center/{}/articles/{}.json",
                    x.locale, x.article_id
                ),
                locale: &x.locale,
                score: x.score,
            })
            .collect(),
        handover: a.handover,
        confidence: a.confidence,
        reason: app::answer_bot::reason_word(a.reason),
        interaction_access_token: &a.token,
    }
}

/// An article label (Zendesk's article labels).
#[derive(Serialize, ToSchema)]
pub struct ArticleLabel<'a> {
    pub id: i64,
    pub url: String,
    pub name: &'a str,
    pub created_at: String,
    pub updated_at: String,
}

pub fn article_label<'a>(base: &str, l: &'a domain::model::ArticleLabel) -> ArticleLabel<'a> {
    ArticleLabel {
        id: l.id.0,
        url: format!("{base}/api/v2/help_center/articles/labels/{}.json", l.id),
        name: &l.name,
        created_at: l.created_at.to_iso(),
        updated_at: l.updated_at.to_iso(),
    }
}
