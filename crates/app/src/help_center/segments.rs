//! User segments (Zendesk's `help_center/user_segments`): who may read a
//! restricted article, and the audience a reader belongs to.

use super::*;
use crate::audit_log::note;
use domain::UserSegmentId;
use domain::audit_log::{AdminAction, AdminSource};
use domain::segment::{Audience, SegmentReader, SegmentUserType, UserSegment};
use store::repo::user_segments as segments;

/// What an admin may set on a segment.
#[derive(Debug, Clone, Default)]
pub struct SegmentInput {
    pub name: Option<String>,
    pub user_type: Option<SegmentUserType>,
    pub organization_ids: Option<Vec<domain::OrgId>>,
    pub group_ids: Option<Vec<domain::GroupId>>,
    pub tags: Option<Vec<String>>,
    pub or_tags: Option<Vec<String>>,
}

/// Tags as stored: trimmed, lower-cased, no commas, no repeats.
fn tag_list(tags: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().to_lowercase();
        if !t.is_empty() && !t.contains(',') && !out.contains(&t) {
            out.push(t);
        }
    }
    out
}

fn apply(x: &mut UserSegment, input: SegmentInput) -> Result<(), AppError> {
    if input.name.is_some() {
        x.name = required_name(&input.name, "name")?;
    }
    if let Some(t) = input.user_type {
        x.user_type = t;
    }
    if let Some(v) = input.organization_ids {
        x.organization_ids = v;
    }
    if let Some(v) = input.group_ids {
        x.group_ids = v;
    }
    if let Some(v) = input.tags {
        x.tags = tag_list(v);
    }
    if let Some(v) = input.or_tags {
        x.or_tags = tag_list(v);
    }
    Ok(())
}

impl App {
    /// Which articles a reader may read: `None` is a visitor who is not
    /// signed in.
    pub async fn help_center_audience(&self, actor: Option<&Actor>) -> Result<Audience, AppError> {
        let Some(actor) = actor.filter(|a| !a.is_anonymous()) else {
            return Ok(Audience::Anyone);
        };
        if domain::policy::reads_internal(actor) {
            return Ok(Audience::Staff);
        }
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let Some(user) = store::repo::users::get(c, actor.user).await? else {
            return Ok(Audience::Anyone);
        };
        let reader = SegmentReader {
            staff: false,
            organization: user.organization_id,
            groups: Vec::new(),
            tags: user.tags,
        };
        Ok(Audience::Member(
            segments::all(c)
                .await?
                .iter()
                .filter(|s| s.admits(&reader))
                .map(|s| s.id)
                .collect(),
        ))
    }

    /// Every segment: staff's to read (they pick one for an article).
    pub async fn user_segments(&self, actor: Actor) -> Result<Vec<UserSegment>, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        Ok(segments::all(&mut rc.conn()).await?)
    }

    /// The segments the caller is in.
    pub async fn applicable_user_segments(
        &self,
        actor: Actor,
    ) -> Result<Vec<UserSegment>, AppError> {
        let audience = self.help_center_audience(Some(&actor)).await?;
        let mut rc = self.read().await?;
        let all = segments::all(&mut rc.conn()).await?;
        Ok(match audience {
            Audience::Staff => all,
            Audience::Member(ids) => all.into_iter().filter(|s| ids.contains(&s.id)).collect(),
            Audience::Anyone => Vec::new(),
        })
    }

    pub async fn user_segment(
        &self,
        actor: Actor,
        id: UserSegmentId,
    ) -> Result<UserSegment, AppError> {
        staff_only(&actor)?;
        let mut rc = self.read().await?;
        segments::by_id(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn create_user_segment(
        &self,
        actor: Actor,
        input: SegmentInput,
    ) -> Result<UserSegment, AppError> {
        structure_editor(&actor)?;
        let name = required_name(&input.name, "name")?;
        let user_type = input
            .user_type
            .ok_or_else(|| AppError::field(FieldError::blank("user_type")))?;
        let now = Timestamp::now();
        let mut x = UserSegment {
            id: UserSegmentId(0),
            name,
            user_type,
            organization_ids: Vec::new(),
            group_ids: Vec::new(),
            tags: Vec::new(),
            or_tags: Vec::new(),
            built_in: false,
            created_at: now,
            updated_at: now,
        };
        apply(&mut x, input)?;
        self.write(move |c| {
            Box::pin(async move {
                x.id = segments::insert(c, &x).await?;
                note(
                    c,
                    &actor,
                    AdminAction::Create,
                    AdminSource::UserSegment,
                    x.id.0,
                    &x.name,
                    now,
                )
                .await?;
                Ok(x)
            })
        })
        .await
    }

    /// Changes a segment; the built-in ones stay as they are.
    pub async fn update_user_segment(
        &self,
        actor: Actor,
        id: UserSegmentId,
        input: SegmentInput,
    ) -> Result<UserSegment, AppError> {
        structure_editor(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut x = segments::by_id(c, id).await?.ok_or(AppError::NotFound)?;
                if x.built_in {
                    return Err(built_in());
                }
                apply(&mut x, input)?;
                x.updated_at = now;
                segments::update(c, &x).await?;
                note(
                    c,
                    &actor,
                    AdminAction::Update,
                    AdminSource::UserSegment,
                    x.id.0,
                    &x.name,
                    now,
                )
                .await?;
                Ok(x)
            })
        })
        .await
    }

    /// Removes a segment no article names (moving those articles first
    /// is the admin's decision, not ours: they might become public).
    pub async fn delete_user_segment(
        &self,
        actor: Actor,
        id: UserSegmentId,
    ) -> Result<(), AppError> {
        structure_editor(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let x = segments::by_id(c, id).await?.ok_or(AppError::NotFound)?;
                if x.built_in {
                    return Err(built_in());
                }
                let used = segments::articles_in(c, id).await?;
                if used > 0 {
                    return Err(AppError::field(FieldError::invalid(
                        "id",
                        format!("{used} articles are for this segment; give them another first"),
                    )));
                }
                crate::error::found(segments::delete(c, id).await?)?;
                note(
                    c,
                    &actor,
                    AdminAction::Destroy,
                    AdminSource::UserSegment,
                    x.id.0,
                    &x.name,
                    now,
                )
                .await
            })
        })
        .await
    }
}

fn built_in() -> AppError {
    AppError::field(FieldError::invalid(
        "built_in",
        "the built-in segments cannot be changed or removed",
    ))
}

/// A segment an article is set to must exist.
pub(super) async fn check_segment(
    c: &mut store::Conn<'_>,
    id: Option<UserSegmentId>,
) -> Result<(), AppError> {
    if let Some(id) = id
        && segments::by_id(c, id).await?.is_none()
    {
        return Err(AppError::field(FieldError::invalid(
            "user_segment_id",
            format!("there is no user segment {id}"),
        )));
    }
    Ok(())
}
