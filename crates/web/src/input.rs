//! JSON records to use-case inputs, collecting every bad field into one
//! Zendesk-style 422 instead of stopping at the first.

use crate::error::ApiError;
use app::FieldError;
use app::fields::FieldInput;
use app::orgs::OrgInput;
use app::profile_fields::ProfileFieldInput;
use app::tickets::{CommentInput, RequesterInput, TicketInput};
use app::users::UserInput;
use domain::*;
use serde_json::{Map, Value as Json};
use std::str::FromStr;

mod help_center;

pub use help_center::*;

/// Text without NUL characters, which PostgreSQL cannot store in TEXT and
/// no person types.
pub fn without_nul(s: &str) -> String {
    if s.contains('\0') {
        s.replace('\0', "")
    } else {
        s.to_string()
    }
}

/// Typed reads from a JSON object, remembering what was wrong.
pub struct Fields<'a> {
    m: &'a Map<String, Json>,
    pub errors: Vec<FieldError>,
}

impl<'a> Fields<'a> {
    pub fn new(m: &'a Map<String, Json>) -> Self {
        Fields { m, errors: vec![] }
    }

    pub(crate) fn bad(&mut self, k: &str, why: &str) {
        self.errors.push(FieldError::invalid(k, why));
    }

    pub fn has(&self, k: &str) -> bool {
        self.m.contains_key(k)
    }

    /// The value under `k` (tests note every key a parser reads, to hold
    /// the OpenAPI request schemas to what the parsers take).
    fn get(&self, k: &str) -> Option<&'a Json> {
        #[cfg(test)]
        asked::note(k);
        self.m.get(k)
    }

    /// Absent → `None`; `null` → `Some(None)`; text (or a number, as text).
    pub fn text(&mut self, k: &str) -> Option<Option<String>> {
        match self.get(k)? {
            Json::Null => Some(None),
            Json::String(s) => Some(Some(without_nul(s))),
            Json::Number(n) => Some(Some(n.to_string())),
            _ => {
                self.bad(k, "must be text");
                None
            }
        }
    }

    /// Text that may not be null.
    pub fn string(&mut self, k: &str) -> Option<String> {
        self.text(k).flatten()
    }

    pub fn id<T: domain::ids::Id>(&mut self, k: &str) -> Option<Option<T>> {
        match self.get(k)? {
            Json::Null => Some(None),
            Json::Number(n) if n.as_i64().is_some_and(|i| i > 0) => {
                Some(n.as_i64().map(T::from_raw))
            }
            Json::String(s) if s.parse::<i64>().is_ok_and(|i| i > 0) => {
                Some(s.parse().ok().map(T::from_raw))
            }
            _ => {
                self.bad(k, "must be a positive whole number");
                None
            }
        }
    }

    /// A whole number (or one in text) that is not a record id of ours
    /// (a dropdown option's id); absent or null → `None`.
    pub fn int(&mut self, k: &str) -> Option<i64> {
        match self.get(k)? {
            Json::Null => None,
            Json::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Json::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            _ => {
                self.bad(k, "must be a whole number");
                None
            }
        }
    }

    pub fn boolean(&mut self, k: &str) -> Option<bool> {
        match self.get(k)? {
            Json::Null => None,
            Json::Bool(b) => Some(*b),
            Json::String(s) if s == "true" || s == "false" => Some(s == "true"),
            _ => {
                self.bad(k, "must be true or false");
                None
            }
        }
    }

    /// One of a set of words; `null` or `""` clears.
    pub fn word<T: FromStr<Err = UnknownWord>>(&mut self, k: &str) -> Option<Option<T>> {
        match self.text(k)? {
            None => Some(None),
            Some(s) if s.is_empty() => Some(None),
            Some(s) => match s.parse() {
                Ok(v) => Some(Some(v)),
                Err(e) => {
                    self.bad(k, &e.to_string());
                    None
                }
            },
        }
    }

    /// A list of strings; a single string is split on spaces and commas.
    pub fn strings(&mut self, k: &str) -> Option<Vec<String>> {
        match self.get(k)? {
            Json::Null => Some(vec![]),
            Json::String(s) => Some(
                s.split([' ', ','])
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect(),
            ),
            Json::Array(a) if a.iter().all(|v| v.is_string() || v.is_number()) => Some(
                a.iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
                    .collect(),
            ),
            _ => {
                self.bad(k, "must be a list of strings");
                None
            }
        }
    }

    pub fn ids(&mut self, k: &str) -> Option<Vec<i64>> {
        match self.get(k)? {
            Json::Null => Some(vec![]),
            Json::Array(a) if a.iter().all(|v| v.as_i64().is_some_and(|i| i > 0)) => {
                Some(a.iter().filter_map(Json::as_i64).collect())
            }
            _ => {
                self.bad(k, "must be a list of ids");
                None
            }
        }
    }

    pub fn time(&mut self, k: &str) -> Option<Option<Timestamp>> {
        match self.text(k)? {
            None => Some(None),
            Some(s) if s.is_empty() => Some(None),
            Some(s) => match Timestamp::parse(&s) {
                Some(t) => Some(Some(t)),
                None => {
                    self.bad(k, "must be a date or time like 2024-05-01T12:00:00Z");
                    None
                }
            },
        }
    }

    pub fn object(&mut self, k: &str) -> Option<&'a Map<String, Json>> {
        match self.get(k)? {
            Json::Object(o) => Some(o),
            Json::Null => None,
            _ => {
                self.bad(k, "must be an object");
                None
            }
        }
    }

    /// An object of locale → text (a name or title per help-center
    /// locale); `what` says what it should be when it is not one.
    pub fn locale_texts(&mut self, k: &str, what: &str) -> Option<Vec<(String, String)>> {
        match self.get(k)? {
            Json::Null => None,
            Json::Object(o) => Some(
                o.iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                    .collect(),
            ),
            _ => {
                self.errors.push(FieldError::invalid(k, what));
                None
            }
        }
    }

    /// Fails with every collected error, if any.
    pub fn finish<T>(self, value: T) -> Result<T, ApiError> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(ApiError::App(app::AppError::Invalid(self.errors)))
        }
    }
}

pub(super) fn comment(f: &mut Fields<'_>, o: &Map<String, Json>) -> CommentInput {
    let mut c = Fields::new(o);
    let input = CommentInput {
        body: c.string("body"),
        html_body: c.string("html_body"),
        public: c.boolean("public"),
        author_id: c.id("author_id").flatten(),
        uploads: c.strings("uploads").unwrap_or_default(),
        // Zendesk's API has no say in the channel: the customer's last one.
        reply_via: None,
        template: None,
        buttons: c.strings("buttons").unwrap_or_default(),
    };
    let mut input = input;
    if let Some(t) = c.object("template") {
        let mut t = Fields::new(t);
        let (name, language) = (t.string("name"), t.string("language"));
        let params = t.strings("params").unwrap_or_default();
        match (name, language) {
            (Some(name), Some(language)) => {
                input.template = Some(domain::model::outbox::TemplateUse {
                    name,
                    language,
                    params,
                });
            }
            _ => c.bad("template", "needs a name and a language"),
        }
        c.errors.extend(t.errors);
    }
    for e in c.errors {
        f.errors.push(FieldError {
            field: format!("comment.{}", e.field),
            ..e
        });
    }
    input
}

/// `{"ticket": {…}}` for create and update.
pub fn ticket(m: &Map<String, Json>) -> Result<TicketInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = TicketInput {
        subject: f.string("subject"),
        submitter_id: f.id("submitter_id").flatten(),
        assignee_id: f.id("assignee_id"),
        group_id: f.id("group_id"),
        organization_id: f.id("organization_id"),
        status: f.word::<Status>("status").flatten(),
        priority: f.word::<Priority>("priority"),
        ticket_type: f.word::<TicketType>("type"),
        tags: f.strings("tags"),
        add_tags: f.strings("additional_tags").unwrap_or_default(),
        remove_tags: f.strings("remove_tags").unwrap_or_default(),
        external_id: f.text("external_id"),
        due_at: f.time("due_at"),
        problem_id: f.id("problem_id"),
        ticket_form_id: f.id("ticket_form_id"),
        collaborator_ids: f
            .ids("collaborator_ids")
            .map(|v| v.into_iter().map(UserId).collect()),
        follower_ids: f
            .ids("follower_ids")
            .map(|v| v.into_iter().map(UserId).collect()),
        recipient: f.string("recipient"),
        ..Default::default()
    };
    if f.boolean("safe_update") == Some(true) {
        input.updated_stamp = f.time("updated_stamp").flatten();
    }
    if let Some(o) = f.object("comment") {
        input.comment = Some(comment(&mut f, o));
    } else if let Some(d) = f.string("description") {
        input.comment = Some(CommentInput {
            body: Some(d),
            ..Default::default()
        });
    }
    if let Some(Some(id)) = f.id("requester_id") {
        input.requester = Some(RequesterInput::Id(UserId(id)));
    } else if let Some(r) = f.object("requester") {
        let mut rf = Fields::new(r);
        let email = rf.string("email");
        let name = rf.string("name");
        let locale = rf.string("locale");
        f.errors.extend(rf.errors);
        match email {
            Some(email) => {
                input.requester = Some(RequesterInput::Email {
                    email,
                    name,
                    locale,
                })
            }
            None => f.errors.push(FieldError::blank("requester.email")),
        }
    }
    let custom_key = if f.has("custom_fields") {
        "custom_fields"
    } else {
        "fields"
    };
    match f.get(custom_key) {
        None | Some(Json::Null) => {}
        Some(Json::Array(items)) => {
            for item in items {
                match (item.get("id").and_then(Json::as_i64), item.get("value")) {
                    (Some(id), Some(v)) => input.custom_fields.push((FieldId(id), v.clone())),
                    (Some(id), None) => input.custom_fields.push((FieldId(id), Json::Null)),
                    _ => f.errors.push(FieldError::invalid(
                        custom_key,
                        "each entry needs an id and a value",
                    )),
                }
            }
        }
        Some(Json::Object(o)) => {
            for (k, v) in o {
                match k.parse::<i64>() {
                    Ok(id) => input.custom_fields.push((FieldId(id), v.clone())),
                    Err(_) => f.errors.push(FieldError::invalid(
                        custom_key,
                        format!("{k} is not a field id"),
                    )),
                }
            }
        }
        Some(_) => f.errors.push(FieldError::invalid(
            custom_key,
            "must be a list of {id, value}",
        )),
    }
    f.finish(input)
}

/// `{"user": {…}}`.
pub fn user(m: &Map<String, Json>) -> Result<UserInput, ApiError> {
    let mut f = Fields::new(m);
    // Zendesk's agent restrictions; we support "groups" (and none).
    let restricted_to_groups = match f.text("ticket_restriction") {
        None => None,
        Some(None) => Some(false),
        Some(Some(r)) if r == "groups" => Some(true),
        Some(Some(_)) => {
            f.bad("ticket_restriction", "must be \"groups\" or null");
            None
        }
    };
    let input = UserInput {
        name: f.string("name"),
        email: f.string("email"),
        role: f.word::<Role>("role").flatten(),
        organization_id: f.id("organization_id"),
        default_group_id: f.id("default_group_id"),
        tags: f.strings("tags"),
        external_id: f.text("external_id"),
        phone: f.text("phone"),
        locale: f.string("locale"),
        time_zone: f.string("time_zone"),
        details: f.text("details"),
        notes: f.text("notes"),
        verified: f.boolean("verified"),
        active: None,
        password: f.string("password"),
        restricted_to_groups,
        fields: profile_values(f.object("user_fields")),
    };
    f.finish(input)
}

/// `user_fields` or `organization_fields`: key → value, as given.
fn profile_values(given: Option<&Map<String, Json>>) -> Vec<(String, Json)> {
    given
        .map(|m| m.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default()
}

/// `{"organization": {…}}`.
pub fn org(m: &Map<String, Json>) -> Result<OrgInput, ApiError> {
    let mut f = Fields::new(m);
    let input = OrgInput {
        name: f.string("name"),
        details: f.text("details"),
        notes: f.text("notes"),
        external_id: f.text("external_id"),
        group_id: f.id("group_id"),
        shared_tickets: f.boolean("shared_tickets"),
        tags: f.strings("tags"),
        domain_names: f.strings("domain_names"),
        fields: profile_values(f.object("organization_fields")),
    };
    f.finish(input)
}

/// `{"ticket_field": {…}}`.
pub fn field(m: &Map<String, Json>) -> Result<FieldInput, ApiError> {
    let mut f = Fields::new(m);
    let mut input = FieldInput {
        field_type: f.word::<FieldType>("type").flatten(),
        title: f.string("title"),
        description: f.string("description"),
        required: f.boolean("required"),
        active: f.boolean("active"),
        position: f.id("position").flatten(),
        regexp: f.string("regexp_for_validation"),
        tag: f.string("tag"),
        options: None,
        visible_in_portal: f.boolean("visible_in_portal"),
        editable_in_portal: f.boolean("editable_in_portal"),
        required_in_portal: f.boolean("required_in_portal"),
        title_in_portal: f.string("title_in_portal"),
        portal_titles: None,
    };
    // atiende's: the form title per help-center locale.
    input.portal_titles = f.locale_texts(
        "title_in_portal_translations",
        "an object of locale → title",
    );
    input.options = field_options(&mut f);
    f.finish(input)
}

/// `custom_field_options`: `[{name, value}]` as given, or `None`.
fn field_options(f: &mut Fields) -> Option<Vec<(String, String)>> {
    match f.get("custom_field_options") {
        None | Some(Json::Null) => None,
        Some(Json::Array(items)) => {
            let mut opts = Vec::new();
            for o in items {
                let name = o.get("name").and_then(Json::as_str);
                let value = o
                    .get("value")
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string));
                match (name, value) {
                    (Some(n), Some(v)) => opts.push((n.to_string(), v)),
                    _ => f.errors.push(FieldError::invalid(
                        "custom_field_options",
                        "each option needs a name and a value",
                    )),
                }
            }
            Some(opts)
        }
        Some(_) => {
            f.errors.push(FieldError::invalid(
                "custom_field_options",
                "must be a list",
            ));
            None
        }
    }
}

/// `{"user_field": {…}}` or `{"organization_field": {…}}`; a dropdown is
/// Zendesk's `dropdown` here (`tagger` is read too).
pub fn profile_field(m: &Map<String, Json>) -> Result<ProfileFieldInput, ApiError> {
    let mut f = Fields::new(m);
    let field_type = match f.string("type") {
        None => None,
        Some(t) if t == "dropdown" => Some(FieldType::Tagger),
        Some(t) => match t.parse::<FieldType>() {
            Ok(t) => Some(t),
            Err(e) => {
                f.bad("type", &e.to_string());
                None
            }
        },
    };
    let mut input = ProfileFieldInput {
        key: f.string("key"),
        field_type,
        title: f.string("title"),
        description: f.string("description"),
        position: f.id("position").flatten(),
        active: f.boolean("active"),
        regexp: f.string("regexp_for_validation"),
        tag: f.string("tag"),
        options: None,
    };
    input.options = field_options(&mut f);
    f.finish(input)
}

/// The keys parsers read, noted per thread while a test runs.
#[cfg(test)]
pub(crate) mod asked {
    use std::cell::RefCell;
    use std::collections::BTreeSet;

    thread_local! {
        static KEYS: RefCell<BTreeSet<String>> = const { RefCell::new(BTreeSet::new()) };
    }

    pub fn note(k: &str) {
        KEYS.with(|s| s.borrow_mut().insert(k.to_string()));
    }

    /// Every key read since the last call.
    pub fn take() -> BTreeSet<String> {
        KEYS.with(|s| std::mem::take(&mut *s.borrow_mut()))
    }
}
