//! The help center's structure: categories and sections, which admins
//! arrange (each with its source locale's text kept as a translation).

use super::*;
use crate::audit_log::note as log;
use domain::audit_log::{AdminAction, AdminSource};

impl App {
    pub async fn create_category(
        &self,
        actor: Actor,
        input: GroupingInput,
    ) -> Result<Category, AppError> {
        structure_editor(&actor)?;
        let name = required_name(&input.name, "name")?;
        let now = Timestamp::now();
        let locale = normalize_locale(input.locale.as_deref());
        let mut x = Category {
            id: CategoryId(0),
            name,
            description: input.description.unwrap_or_default(),
            source_locale: locale.clone(),
            locale,
            position: input.position.unwrap_or(0),
            created_at: now,
            updated_at: now,
        };
        self.write(move |c| {
            Box::pin(async move {
                x.id = hc::insert_category(c, &x).await?;
                source_text(
                    c,
                    TranslationOf::Category(x.id),
                    &x.locale,
                    &x.name,
                    &x.description,
                    false,
                    actor,
                    now,
                )
                .await?;
                log(
                    c,
                    &actor,
                    AdminAction::Create,
                    AdminSource::Category,
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

    pub async fn update_category(
        &self,
        actor: Actor,
        id: CategoryId,
        input: GroupingInput,
    ) -> Result<Category, AppError> {
        structure_editor(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut x = hc::categories(c, &[id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                set_common(&input, &mut x.name, &mut x.description, &mut x.position)?;
                x.updated_at = now;
                hc::update_category(c, &x).await?;
                source_text(
                    c,
                    TranslationOf::Category(x.id),
                    &x.source_locale,
                    &x.name,
                    &x.description,
                    false,
                    actor,
                    now,
                )
                .await?;
                log(
                    c,
                    &actor,
                    AdminAction::Update,
                    AdminSource::Category,
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

    pub async fn delete_category(&self, actor: Actor, id: CategoryId) -> Result<(), AppError> {
        structure_editor(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let x = hc::categories(c, &[id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                crate::error::found(hc::delete_category(c, id).await?)?;
                let (what, from) = (AdminAction::Destroy, AdminSource::Category);
                log(c, &actor, what, from, id.0, &x.name, now).await
            })
        })
        .await
    }

    pub async fn category(&self, id: CategoryId) -> Result<Category, AppError> {
        let mut rc = self.read().await?;
        hc::categories(&mut rc.conn(), &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    pub async fn list_categories(
        &self,
        locale: Option<&str>,
        paging: Paging,
    ) -> Result<(Vec<Category>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        match locale.map(|l| normalize_locale(Some(l))) {
            Some(l) => {
                let cond = "hc_categories t JOIN hc_translations x ON x.category_id = t.id AND x.locale = $1 WHERE 1 = 1";
                let page = page_ids(c, cond, vec![l.clone().into()], paging).await?;
                Ok((tr::categories_in_locale(c, &page.ids, &l).await?, page))
            }
            None => {
                let page = page_ids(c, "hc_categories t WHERE 1 = 1", vec![], paging).await?;
                Ok((hc::categories(c, &page.ids).await?, page))
            }
        }
    }

    pub async fn create_section(
        &self,
        actor: Actor,
        category_id: CategoryId,
        input: GroupingInput,
    ) -> Result<Section, AppError> {
        structure_editor(&actor)?;
        let name = required_name(&input.name, "name")?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let cat = hc::categories(c, &[category_id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                let parent = input.parent_section_id.flatten();
                if let Some(p) = parent
                    && hc::sections(c, &[p.0]).await?.is_empty()
                {
                    return Err(AppError::field(FieldError::invalid(
                        "parent_section_id",
                        format!("section {p} does not exist"),
                    )));
                }
                let locale = input
                    .locale
                    .as_deref()
                    .map_or(cat.locale.clone(), |l| normalize_locale(Some(l)));
                let mut x = Section {
                    id: SectionId(0),
                    category_id,
                    parent_section_id: parent,
                    name,
                    description: input.description.unwrap_or_default(),
                    source_locale: locale.clone(),
                    locale,
                    position: input.position.unwrap_or(0),
                    created_at: now,
                    updated_at: now,
                };
                x.id = hc::insert_section(c, &x).await?;
                source_text(
                    c,
                    TranslationOf::Section(x.id),
                    &x.locale,
                    &x.name,
                    &x.description,
                    false,
                    actor,
                    now,
                )
                .await?;
                log(
                    c,
                    &actor,
                    AdminAction::Create,
                    AdminSource::Section,
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

    pub async fn update_section(
        &self,
        actor: Actor,
        id: SectionId,
        input: GroupingInput,
    ) -> Result<Section, AppError> {
        structure_editor(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut x = hc::sections(c, &[id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                set_common(&input, &mut x.name, &mut x.description, &mut x.position)?;
                if let Some(cat) = input.category_id {
                    hc::categories(c, &[cat.0]).await?.pop().ok_or_else(|| {
                        AppError::field(FieldError::invalid("category_id", "no such category"))
                    })?;
                    x.category_id = cat;
                }
                if let Some(p) = input.parent_section_id {
                    if p == Some(id) {
                        return Err(AppError::field(FieldError::invalid(
                            "parent_section_id",
                            "a section cannot be its own parent",
                        )));
                    }
                    x.parent_section_id = p;
                }
                x.updated_at = now;
                hc::update_section(c, &x).await?;
                source_text(
                    c,
                    TranslationOf::Section(x.id),
                    &x.source_locale,
                    &x.name,
                    &x.description,
                    false,
                    actor,
                    now,
                )
                .await?;
                log(
                    c,
                    &actor,
                    AdminAction::Update,
                    AdminSource::Section,
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

    pub async fn delete_section(&self, actor: Actor, id: SectionId) -> Result<(), AppError> {
        structure_editor(&actor)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let x = hc::sections(c, &[id.0])
                    .await?
                    .pop()
                    .ok_or(AppError::NotFound)?;
                crate::error::found(hc::delete_section(c, id).await?)?;
                let (what, from) = (AdminAction::Destroy, AdminSource::Section);
                log(c, &actor, what, from, id.0, &x.name, now).await
            })
        })
        .await
    }

    pub async fn section(&self, id: SectionId) -> Result<Section, AppError> {
        let mut rc = self.read().await?;
        hc::sections(&mut rc.conn(), &[id.0])
            .await?
            .pop()
            .ok_or(AppError::NotFound)
    }

    pub async fn list_sections(
        &self,
        category: Option<CategoryId>,
        locale: Option<&str>,
        paging: Paging,
    ) -> Result<(Vec<Section>, Paged), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let locale = locale.map(|l| normalize_locale(Some(l)));
        let mut args: Vec<store::Value> = vec![];
        let mut cond = match &locale {
            Some(l) => {
                args.push(l.clone().into());
                String::from(
                    "hc_sections t JOIN hc_translations x ON x.section_id = t.id AND x.locale = $1 WHERE 1 = 1",
                )
            }
            None => String::from("hc_sections t WHERE 1 = 1"),
        };
        if let Some(cat) = category {
            args.push(cat.into());
            cond.push_str(&format!(" AND t.category_id = ${}", args.len()));
        }
        let page = page_ids(c, &cond, args, paging).await?;
        let sections = match &locale {
            Some(l) => tr::sections_in_locale(c, &page.ids, l).await?,
            None => hc::sections(c, &page.ids).await?,
        };
        Ok((sections, page))
    }
}

/// What a category and a section both take from a change: name,
/// description, position.
fn set_common(
    input: &GroupingInput,
    name: &mut String,
    description: &mut String,
    position: &mut i64,
) -> Result<(), AppError> {
    if input.name.is_some() {
        *name = required_name(&input.name, "name")?;
    }
    if let Some(d) = &input.description {
        description.clone_from(d);
    }
    if let Some(p) = input.position {
        *position = p;
    }
    Ok(())
}
