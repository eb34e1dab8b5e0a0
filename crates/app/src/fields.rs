//! Custom ticket fields (admins manage them) and checking a value against
//! its field.

use crate::{App, AppError, FieldError};
use domain::audit_log::{AdminAction, AdminChange, AdminSource};
use domain::{Actor, FieldId, FieldType, Timestamp};
use serde_json::Value as Json;
use store::events::{Entity, EventKind, NewEvent};
use store::model::{FieldOption, TicketField};
use store::repo::fields;

/// The parts of a field a caller may set.
#[derive(Debug, Clone, Default)]
pub struct FieldInput {
    pub field_type: Option<FieldType>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub required: Option<bool>,
    pub active: Option<bool>,
    pub position: Option<i64>,
    pub regexp: Option<String>,
    pub tag: Option<String>,
    pub options: Option<Vec<(String, String)>>,
    pub visible_in_portal: Option<bool>,
    pub editable_in_portal: Option<bool>,
    pub required_in_portal: Option<bool>,
    /// The title on the request form in the default locale.
    pub title_in_portal: Option<String>,
    /// Titles on the request form per help-center locale (replacing them).
    pub portal_titles: Option<Vec<(String, String)>>,
}

/// A field's value as stored (text), checked against the field's type; the
/// tags it implies (dropdown and checkbox fields add tags).
pub fn check_value(
    field: &TicketField,
    value: &Json,
) -> Result<Option<(String, Vec<String>)>, FieldError> {
    let rule = ValueRule {
        name: format!("custom_field_{}", field.id),
        field_type: field.field_type,
        options: &field.options,
        regexp: field.regexp.as_deref(),
        tag: field.tag.as_deref(),
    };
    rule.check(value)
}

/// What a custom field's value is checked against (ticket, user and
/// organization fields alike).
pub(crate) struct ValueRule<'a> {
    /// How an error names the field.
    pub name: String,
    pub field_type: FieldType,
    pub options: &'a [FieldOption],
    pub regexp: Option<&'a str>,
    pub tag: Option<&'a str>,
}

impl ValueRule<'_> {
    /// The value as stored (text) and the tags it implies, or `None` for
    /// no value.
    pub(crate) fn check(&self, value: &Json) -> Result<Option<(String, Vec<String>)>, FieldError> {
        let field = self;
        let name = &self.name;
        let bad = |why: &str| FieldError::invalid(name, why.to_string());
        if value.is_null() || value.as_str() == Some("") {
            return Ok(None);
        }
        let text = match field.field_type {
            FieldType::Text | FieldType::Textarea | FieldType::Regexp => match value {
                Json::String(s) => s.clone(),
                Json::Number(n) => n.to_string(),
                Json::Bool(b) => b.to_string(),
                _ => return Err(bad("must be text")),
            },
            FieldType::Checkbox => match value {
                Json::Bool(b) => b.to_string(),
                Json::String(s) if s == "true" || s == "false" => s.clone(),
                _ => return Err(bad("must be true or false")),
            },
            FieldType::Integer => match value {
                Json::Number(n) if n.is_i64() => n.to_string(),
                Json::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().to_string(),
                _ => return Err(bad("must be a whole number")),
            },
            FieldType::Decimal => match value {
                Json::Number(n) => n.to_string(),
                Json::String(s) if s.trim().parse::<f64>().is_ok_and(f64::is_finite) => {
                    s.trim().to_string()
                }
                _ => return Err(bad("must be a number")),
            },
            FieldType::Date => match value.as_str().and_then(|s| s.get(..10)) {
                Some(d) if d.parse::<jiff::civil::Date>().is_ok() => d.to_string(),
                _ => return Err(bad("must be a date YYYY-MM-DD")),
            },
            FieldType::Tagger => {
                let v = value
                    .as_str()
                    .ok_or_else(|| bad("must be one of the field's option values"))?;
                if !field.options.iter().any(|o| o.value == v) {
                    return Err(bad(&format!("{v} is not one of the field's option values")));
                }
                v.to_string()
            }
            FieldType::Multiselect => {
                let vals: Vec<&str> = match value {
                    Json::Array(a) => a.iter().filter_map(Json::as_str).collect(),
                    Json::String(s) => vec![s.as_str()],
                    _ => return Err(bad("must be a list of option values")),
                };
                if let Some(v) = vals
                    .iter()
                    .find(|v| !field.options.iter().any(|o| o.value == **v))
                {
                    return Err(bad(&format!("{v} is not one of the field's option values")));
                }
                vals.join(" ")
            }
        };
        // A pattern that no longer compiles rejects nothing: it was checked
        // when saved, and the engine may only have grown.
        if field.field_type == FieldType::Regexp
            && let Some(pattern) = field.regexp.filter(|p| !p.is_empty())
            && compile(pattern).is_ok_and(|re| !re.is_match(&text))
        {
            return Err(bad(&format!(
                "does not match the field's pattern {pattern}"
            )));
        }
        let tags = match field.field_type {
            FieldType::Tagger | FieldType::Multiselect => {
                text.split(' ').map(str::to_string).collect()
            }
            FieldType::Checkbox if text == "true" => {
                field.tag.iter().map(|t| t.to_string()).collect()
            }
            _ => vec![],
        };
        Ok(Some((
            text.replace('\0', "").chars().take(65_536).collect(),
            tags,
        )))
    }
}

/// Compiles a field's validation pattern. Zendesk writes Ruby patterns, whose
/// `\A` and `\z` anchors this engine shares; it runs in linear time, so an
/// admin's pattern can never stall a request.
fn compile(pattern: &str) -> Result<regex_lite::Regex, regex_lite::Error> {
    regex_lite::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
}

/// Every tag a field's options (or checkbox tag) may add, to remove the old
/// ones when the value changes.
pub fn implied_tags(field: &TicketField) -> Vec<String> {
    let mut tags: Vec<String> = field.options.iter().map(|o| o.value.clone()).collect();
    tags.extend(field.tag.clone());
    tags
}

fn apply(f: &mut TicketField, input: FieldInput) -> Result<(), AppError> {
    if let Some(v) = input.visible_in_portal {
        f.visible_in_portal = v;
    }
    if let Some(v) = input.editable_in_portal {
        f.editable_in_portal = v;
    }
    if let Some(v) = input.required_in_portal {
        f.required_in_portal = v;
    }
    if let Some(list) = input.portal_titles {
        f.portal_titles.clear();
        for (locale, title) in list {
            let locale = crate::help_center::normalize_locale(Some(&locale));
            if !crate::help_center::LOCALES.contains(&locale.as_str()) {
                return Err(AppError::field(FieldError::invalid(
                    "title_in_portal_translations",
                    format!("{locale} is not a help-center locale"),
                )));
            }
            let title = title.trim().to_string();
            if !title.is_empty() {
                f.portal_titles.insert(locale, title);
            }
        }
    }
    if let Some(t) = input.title_in_portal.map(|t| t.trim().to_string()) {
        let default = crate::help_center::LOCALES[0].to_string();
        if t.is_empty() {
            f.portal_titles.remove(&default);
        } else {
            f.portal_titles.insert(default, t);
        }
    }
    if let Some(t) = input.title {
        if t.trim().is_empty() {
            return Err(AppError::field(FieldError::blank("title")));
        }
        f.title = t.trim().to_string();
    }
    if let Some(d) = input.description {
        f.description = d;
    }
    if let Some(r) = input.required {
        f.required = r;
    }
    if let Some(a) = input.active {
        f.active = a;
    }
    if let Some(p) = input.position {
        f.position = p;
    }
    Checks {
        regexp: &mut f.regexp,
        tag: &mut f.tag,
        options: &mut f.options,
    }
    .apply(f.field_type, input.regexp, input.tag, input.options)
}

/// What a custom field's values are checked against — its pattern, its
/// checkbox tag, its options —, the same for ticket, user and organization
/// fields.
pub(crate) struct Checks<'a> {
    pub regexp: &'a mut Option<String>,
    pub tag: &'a mut Option<String>,
    pub options: &'a mut Vec<FieldOption>,
}

impl Checks<'_> {
    /// Sets the parts given (`None` leaves one as it is), each checked; a
    /// dropdown or multiselect must keep at least one option.
    pub(crate) fn apply(
        self,
        field_type: FieldType,
        regexp: Option<String>,
        tag: Option<String>,
        options: Option<Vec<(String, String)>>,
    ) -> Result<(), AppError> {
        if let Some(p) = regexp {
            *self.regexp = checked_pattern(p)?;
        }
        if let Some(t) = tag {
            *self.tag = Some(t.trim().to_lowercase()).filter(|t| !t.is_empty());
        }
        if let Some(opts) = options {
            *self.options = checked_options(opts)?;
        }
        if field_type.has_options() && self.options.is_empty() {
            return Err(AppError::field(FieldError::blank("custom_field_options")));
        }
        Ok(())
    }
}

/// A validation pattern as given: none when empty, refused when it does
/// not compile.
fn checked_pattern(p: String) -> Result<Option<String>, AppError> {
    if p.is_empty() {
        return Ok(None);
    }
    if let Err(e) = compile(&p) {
        return Err(AppError::field(FieldError::invalid(
            "regexp_for_validation",
            format!("is not a valid pattern: {e}"),
        )));
    }
    Ok(Some(p))
}

/// Dropdown options as given (name, value): values lower-case with `_`
/// for spaces, none blank, none twice.
fn checked_options(opts: Vec<(String, String)>) -> Result<Vec<FieldOption>, AppError> {
    let mut out: Vec<FieldOption> = Vec::with_capacity(opts.len());
    for (i, (name, value)) in opts.into_iter().enumerate() {
        let value = value.trim().to_lowercase().replace(' ', "_");
        if name.trim().is_empty() || value.is_empty() {
            return Err(AppError::field(FieldError::blank("custom_field_options")));
        }
        if out.iter().any(|o| o.value == value) {
            return Err(AppError::field(FieldError::duplicate(
                "custom_field_options",
                &value,
            )));
        }
        out.push(FieldOption {
            id: 0,
            name: name.trim().to_string(),
            value,
            position: i as i64,
        });
    }
    Ok(out)
}

/// The field list as last read, for rendering. Fields change rarely; a
/// change on this node clears it at once, on another node within a second.
#[derive(Default)]
pub struct FieldCache {
    entry: std::sync::Mutex<Option<(std::time::Instant, std::sync::Arc<Vec<TicketField>>)>>,
}

impl FieldCache {
    const TTL: std::time::Duration = std::time::Duration::from_secs(1);

    fn get(&self) -> Option<std::sync::Arc<Vec<TicketField>>> {
        let e = self.entry.lock().unwrap_or_else(|p| p.into_inner());
        e.as_ref()
            .filter(|(at, _)| at.elapsed() < Self::TTL)
            .map(|(_, f)| f.clone())
    }

    fn put(&self, fields: std::sync::Arc<Vec<TicketField>>) {
        *self.entry.lock().unwrap_or_else(|p| p.into_inner()) =
            Some((std::time::Instant::now(), fields));
    }

    fn clear(&self) {
        *self.entry.lock().unwrap_or_else(|p| p.into_inner()) = None;
    }
}

fn event(id: FieldId, kind: EventKind, actor: Actor, at: Timestamp) -> NewEvent {
    NewEvent {
        entity: Entity::Field,
        entity_id: id.0,
        kind,
        audit: None,
        actor: Some(actor.user),
        at,
    }
}

impl App {
    pub async fn create_field(
        &self,
        actor: Actor,
        input: FieldInput,
    ) -> Result<TicketField, AppError> {
        let out = self.create_field_unit(actor, input).await;
        self.field_cache.clear();
        out
    }

    async fn create_field_unit(
        &self,
        actor: Actor,
        input: FieldInput,
    ) -> Result<TicketField, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageFields)?;
        let field_type = input
            .field_type
            .ok_or_else(|| AppError::field(FieldError::blank("type")))?;
        if input.title.as_deref().is_none_or(|t| t.trim().is_empty()) {
            return Err(AppError::field(FieldError::blank("title")));
        }
        let now = Timestamp::now();
        let mut f = TicketField {
            id: FieldId(0),
            field_type,
            title: String::new(),
            description: String::new(),
            required: false,
            active: true,
            position: 0,
            regexp: None,
            tag: None,
            options: vec![],
            visible_in_portal: true,
            editable_in_portal: true,
            required_in_portal: false,
            portal_titles: Default::default(),
            created_at: now,
            updated_at: now,
        };
        apply(&mut f, input)?;
        self.write(move |c| {
            Box::pin(async move {
                f.id = fields::insert(c, &f).await?;
                store::events::append(c, event(f.id, EventKind::Created, actor, now)).await?;
                let change = AdminChange::new(
                    AdminAction::Create,
                    AdminSource::TicketField,
                    f.id.0,
                    &f.title,
                );
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(fields::get(c, f.id).await?.ok_or(AppError::NotFound)?)
            })
        })
        .await
    }

    pub async fn update_field(
        &self,
        actor: Actor,
        id: FieldId,
        input: FieldInput,
    ) -> Result<TicketField, AppError> {
        let out = self.update_field_unit(actor, id, input).await;
        self.field_cache.clear();
        out
    }

    async fn update_field_unit(
        &self,
        actor: Actor,
        id: FieldId,
        input: FieldInput,
    ) -> Result<TicketField, AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageFields)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let mut f = fields::get(c, id).await?.ok_or(AppError::NotFound)?;
                apply(&mut f, input)?;
                f.updated_at = now;
                fields::update(c, &f).await?;
                store::events::append(c, event(id, EventKind::Updated, actor, now)).await?;
                let change = AdminChange::new(
                    AdminAction::Update,
                    AdminSource::TicketField,
                    id.0,
                    &f.title,
                );
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(fields::get(c, id).await?.ok_or(AppError::NotFound)?)
            })
        })
        .await
    }

    pub async fn delete_field(&self, actor: Actor, id: FieldId) -> Result<(), AppError> {
        let out = self.delete_field_unit(actor, id).await;
        self.field_cache.clear();
        out
    }

    async fn delete_field_unit(&self, actor: Actor, id: FieldId) -> Result<(), AppError> {
        crate::error::require(&actor, domain::policy::Capability::ManageFields)?;
        let now = Timestamp::now();
        self.write(move |c| {
            Box::pin(async move {
                let f = fields::get(c, id).await?.ok_or(AppError::NotFound)?;
                crate::error::found(fields::delete(c, id).await?)?;
                store::events::append(c, event(id, EventKind::Deleted, actor, now)).await?;
                let change = AdminChange::new(
                    AdminAction::Destroy,
                    AdminSource::TicketField,
                    id.0,
                    &f.title,
                );
                crate::audit_log::record(c, &actor, change, now).await?;
                Ok(())
            })
        })
        .await
    }

    /// The custom fields for showing tickets, from a cache at most a second old.
    pub async fn fields_for_display(&self) -> Result<std::sync::Arc<Vec<TicketField>>, AppError> {
        if let Some(f) = self.field_cache.get() {
            return Ok(f);
        }
        let f = std::sync::Arc::new(self.fields().await?);
        self.field_cache.put(f.clone());
        Ok(f)
    }

    /// Every custom field (anyone signed in may read them: forms need them).
    pub async fn fields(&self) -> Result<Vec<TicketField>, AppError> {
        let mut rc = self.read().await?;
        Ok(fields::all(&mut rc.conn()).await?)
    }

    pub async fn field(&self, id: FieldId) -> Result<TicketField, AppError> {
        let mut rc = self.read().await?;
        fields::get(&mut rc.conn(), id)
            .await?
            .ok_or(AppError::NotFound)
    }
}
