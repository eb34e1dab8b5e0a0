//! "Submit a request": the form (Zendesk's ticket forms: their fields in
//! the reader's language, fields shown only for certain answers), its
//! spam defences (a field only robots fill, a minimum time, limits per
//! address and network — all in `app::web_requests`), and the answer bot's
//! suggestions while the customer types, whose opening is counted.

use crate::Site;
use crate::form::{self, Form};
use crate::locale::SiteLocale;
use crate::pages::{failure, not_found_in, rendered_page};
use crate::reader::Reader;
use crate::view::Frame;
use crate::words::{self, Words};
use app::AppError;
use app::guard::Client;
use app::web_requests::{Submitted, WebRequest};
use askama::Template;
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use domain::form::{ConditionValue, TicketForm};
use domain::model::TicketField;
use domain::{FieldId, FieldType, Timestamp};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct NewParams {
    #[serde(default)]
    form: Option<String>,
    /// Filled in from elsewhere (the bot's "talk to a person").
    #[serde(default)]
    subject: Option<String>,
    #[serde(default)]
    description: Option<String>,
}

/// One field on the page.
struct FieldView {
    /// The input's id and name.
    id: String,
    name: String,
    /// The field's id (what conditions name).
    field: i64,
    title: String,
    kind: &'static str,
    input_type: &'static str,
    required: bool,
    options: Vec<(String, String)>,
    value: String,
    /// A multi-select's chosen values.
    chosen: Vec<String>,
    /// JSON: the answers that show it (`[{"p": parent, "v": value}]`),
    /// empty for a field always shown.
    show_when: String,
}

#[derive(Template)]
#[template(path = "hc_request_new.html")]
struct NewPage {
    frame: Frame,
    action: String,
    suggest: String,
    /// (id, name, chosen) when there are several forms.
    forms: Vec<(i64, String, bool)>,
    form_id: Option<i64>,
    fields: Vec<FieldView>,
    anonymous: bool,
    csrf: String,
    started: i64,
    email: String,
    name: String,
    subject: String,
    description: String,
    problems: Vec<String>,
}

#[derive(Template)]
#[template(path = "hc_request_sent.html")]
struct SentPage {
    frame: Frame,
    thanks: String,
    confirm: Option<String>,
}

/// What the form held, to show again when it was refused.
#[derive(Default)]
struct Filled {
    email: String,
    name: String,
    subject: String,
    description: String,
    fields: Vec<(FieldId, String)>,
}

fn field_view(
    f: &TicketField,
    form: &TicketForm,
    locale: &str,
    filled: &Filled,
) -> Option<FieldView> {
    let (kind, input_type) = match f.field_type {
        FieldType::Text | FieldType::Regexp => ("text", "text"),
        FieldType::Textarea => ("textarea", "text"),
        FieldType::Checkbox => ("checkbox", "checkbox"),
        FieldType::Integer | FieldType::Decimal => ("number", "number"),
        FieldType::Date => ("date", "date"),
        FieldType::Tagger => ("tagger", "text"),
        FieldType::Multiselect => ("multiselect", "checkbox"),
    };
    let when: Vec<serde_json::Value> = form
        .end_user_conditions
        .iter()
        .filter(|c| c.child_fields.iter().any(|x| x.id == f.id))
        .map(|c| {
            let v = match &c.value {
                ConditionValue::Flag(b) => serde_json::Value::Bool(*b),
                ConditionValue::Text(t) => serde_json::Value::String(t.clone()),
            };
            serde_json::json!({"p": c.parent_field_id.0, "v": v})
        })
        .collect();
    let value = filled
        .fields
        .iter()
        .find(|(id, _)| *id == f.id)
        .map(|(_, v)| v.clone())
        .unwrap_or_default();
    Some(FieldView {
        id: format!("rq-field-{}", f.id),
        name: format!("field_{}", f.id),
        field: f.id.0,
        title: f.portal_title(locale).to_string(),
        kind,
        input_type,
        required: f.required_in_portal,
        options: f
            .options
            .iter()
            .map(|o| (o.value.clone(), o.name.clone()))
            .collect(),
        value: value.clone(),
        chosen: value.split(',').map(str::to_string).collect(),
        show_when: if when.is_empty() {
            String::new()
        } else {
            serde_json::Value::Array(when).to_string()
        },
    })
}

/// The form page (with what was typed and what was wrong, after a refusal).
#[allow(clippy::too_many_arguments)]
async fn new_page(
    site: &Site,
    l: SiteLocale,
    reader: &Reader,
    headers: &HeaderMap,
    chosen: Option<i64>,
    filled: Filled,
    problems: Vec<String>,
    status: StatusCode,
) -> Response {
    let t = words::of(l.lang());
    let forms = match site.app.ticket_forms(false).await {
        Ok(f) => f,
        Err(e) => return failure(l.lang(), &e),
    };
    let form = chosen
        .and_then(|id| forms.iter().find(|f| f.id.0 == id))
        .or_else(|| forms.iter().find(|f| f.default))
        .or(forms.first());
    let fields = match site.app.request_form_fields(form).await {
        Ok(f) => f,
        Err(e) => return failure(l.lang(), &e),
    };
    let (csrf, fresh) = match &reader.session {
        Some((_, csrf)) => (csrf.clone(), false),
        None => form::sign_in_token(headers),
    };
    let base = format!("/hc/{}/requests", l.code());
    let p = NewPage {
        frame: Frame::new(l, t.new_request.to_string()).for_reader(reader),
        action: format!("{base}/new"),
        suggest: format!("{base}/suggest"),
        forms: forms
            .iter()
            .map(|f| {
                (
                    f.id.0,
                    f.display_name(l.code()).to_string(),
                    Some(f.id) == form.map(|x| x.id),
                )
            })
            .collect(),
        form_id: form.map(|f| f.id.0),
        fields: match form {
            Some(form) => fields
                .iter()
                .filter_map(|f| field_view(f, form, l.code(), &filled))
                .collect(),
            None => Vec::new(),
        },
        anonymous: reader.session.is_none(),
        csrf: csrf.clone(),
        started: Timestamp::now().0,
        email: filled.email,
        name: filled.name,
        subject: filled.subject,
        description: filled.description,
        problems,
    };
    let mut resp = rendered_page(status, "private, no-store", &p);
    form::keep_sign_in_token(&mut resp, &csrf, fresh);
    resp
}

/// `GET /hc/{locale}/requests/new`.
pub async fn new(
    State(site): State<Site>,
    Path(locale): Path<String>,
    Query(params): Query<NewParams>,
    reader: Reader,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let chosen = params.form.and_then(|f| f.parse().ok());
    let filled = Filled {
        subject: params
            .subject
            .unwrap_or_default()
            .chars()
            .take(255)
            .collect(),
        description: params
            .description
            .unwrap_or_default()
            .chars()
            .take(5_000)
            .collect(),
        ..Filled::default()
    };
    new_page(
        &site,
        l,
        &reader,
        &headers,
        chosen,
        filled,
        Vec::new(),
        StatusCode::OK,
    )
    .await
}

/// What a refusal says, field by field, in the reader's language.
fn problems(
    t: &Words,
    errors: &[app::FieldError],
    fields: &[TicketField],
    locale: &str,
) -> Vec<String> {
    errors
        .iter()
        .map(|e| {
            let title = |name: &str| -> String {
                match name {
                    "subject" => t.subject.to_string(),
                    "description" => t.description.to_string(),
                    "email" => t.your_email.to_string(),
                    "file" | "attachments" => t.attachments.to_string(),
                    other => other
                        .strip_prefix("custom_field_")
                        .and_then(|id| id.parse::<i64>().ok())
                        .and_then(|id| fields.iter().find(|f| f.id.0 == id))
                        .map_or_else(|| other.to_string(), |f| f.portal_title(locale).to_string()),
                }
            };
            match (e.field.as_str(), e.code) {
                ("started_at", _) => t.too_quick.to_string(),
                ("email", _) => t.bad_email.to_string(),
                (f, "BlankValue") => t.field_missing(&title(f)),
                (f, _) => t.field_invalid(&title(f), &e.description),
            }
        })
        .collect()
}

/// `POST /hc/{locale}/requests/new`.
pub async fn submit(
    State(site): State<Site>,
    Path(locale): Path<String>,
    reader: Reader,
    client: Option<Extension<Client>>,
    headers: HeaderMap,
    req: axum::extract::Request,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let t = words::of(l.lang());
    let Ok((f, files)) = form::read_with_files(req).await else {
        return failure(l.lang(), &AppError::bad("the form could not be read"));
    };
    let chosen = f.get("form").and_then(|v| v.parse::<i64>().ok());
    let fields: Vec<(FieldId, String)> = form_fields(&f);
    let filled = Filled {
        email: f.text("email"),
        name: f.text("name"),
        subject: f.text("subject"),
        description: f.get("description").unwrap_or("").to_string(),
        fields: fields.clone(),
    };
    let csrf_ok = match &reader.session {
        Some((_, csrf)) => form::same_secret(csrf, f.get("csrf").unwrap_or("")),
        None => form::sign_in_csrf_ok(&headers, &f),
    };
    if !form::same_origin(&site, &headers) || !csrf_ok {
        let p = vec![t.form_expired.to_string()];
        return new_page(
            &site,
            l,
            &reader,
            &headers,
            chosen,
            filled,
            p,
            StatusCode::FORBIDDEN,
        )
        .await;
    }
    let request = WebRequest {
        form: chosen.map(domain::TicketFormId),
        email: filled.email.clone(),
        name: filled.name.clone(),
        subject: filled.subject.clone(),
        description: filled.description.clone(),
        fields,
        honeypot: f.text("website"),
        started_at: f.get("started").and_then(|v| v.parse().ok()).map(Timestamp),
        locale: l.code().to_string(),
        bot_tokens: f
            .get("bot_token")
            .unwrap_or("")
            .split(',')
            .filter(|t| !t.is_empty() && t.len() <= 64)
            .map(str::to_string)
            .collect(),
        files,
    };
    let client = client.map(|Extension(c)| c).unwrap_or_default();
    let prefix = site.url(&headers, &format!("/hc/{}/signin/link/", l.code()));
    let actor = reader.session.as_ref().map(|(a, _)| *a);
    match site
        .app
        .submit_web_request(actor, request, client, &prefix)
        .await
    {
        Ok(Submitted::Created(id)) => {
            Redirect::to(&format!("/hc/{}/requests/{}?sent=1", l.code(), id)).into_response()
        }
        Ok(Submitted::AwaitingConfirmation(id)) => sent(
            l,
            &reader,
            t.thanks(id.0),
            Some(t.thanks_confirm(&filled.email)),
        ),
        // A robot is thanked like anyone and learns nothing.
        Ok(Submitted::Dropped) => sent(l, &reader, t.thanks_plain.to_string(), None),
        Ok(Submitted::TooMany) => {
            let p = vec![t.too_many_requests.to_string()];
            new_page(
                &site,
                l,
                &reader,
                &headers,
                chosen,
                filled,
                p,
                StatusCode::TOO_MANY_REQUESTS,
            )
            .await
        }
        Err(AppError::Invalid(errors)) => {
            let all = site
                .app
                .fields_for_display()
                .await
                .map(|f| f.to_vec())
                .unwrap_or_default();
            let p = problems(t, &errors, &all, l.code());
            new_page(
                &site,
                l,
                &reader,
                &headers,
                chosen,
                filled,
                p,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => failure(l.lang(), &e),
    }
}

fn sent(l: SiteLocale, reader: &Reader, thanks: String, confirm: Option<String>) -> Response {
    let t = words::of(l.lang());
    let p = SentPage {
        frame: Frame::new(l, t.new_request.to_string()).for_reader(reader),
        thanks,
        confirm,
    };
    rendered_page(StatusCode::OK, "private, no-store", &p)
}

/// The custom fields of a posted form (`field_12=…`).
fn form_fields(f: &Form) -> Vec<(FieldId, String)> {
    let mut out: Vec<(FieldId, String)> = Vec::new();
    for (k, v) in f.pairs() {
        let Some(id) = k.strip_prefix("field_").and_then(|i| i.parse::<i64>().ok()) else {
            continue;
        };
        // A multi-select sends one pair per choice: joined by commas.
        match out.iter_mut().find(|(f, _)| f.0 == id) {
            Some((_, joined)) => {
                joined.push(',');
                joined.push_str(v);
            }
            None => out.push((FieldId(id), v.clone())),
        }
    }
    out
}

/// Suggestions one network may ask for in a minute: a person typing gets
/// one every half second at most.
const SUGGESTIONS_PER_MINUTE: u32 = 60;

/// Counts suggestions per network, per minute (per node: a rough limit).
#[derive(Default)]
pub struct SuggestionLimit(std::sync::Mutex<(u64, std::collections::HashMap<String, u32>)>);

impl SuggestionLimit {
    /// Takes one suggestion for `network`; false past the minute's limit.
    pub(crate) fn take(&self, network: String) -> bool {
        let minute = Timestamp::now().0.div_euclid(60) as u64;
        let Ok(mut g) = self.0.lock() else {
            return true;
        };
        if g.0 != minute {
            *g = (minute, std::collections::HashMap::new());
        }
        let n = g.1.entry(network).or_default();
        *n += 1;
        *n <= SUGGESTIONS_PER_MINUTE
    }
}

#[derive(Deserialize)]
pub struct SuggestParams {
    #[serde(default)]
    query: String,
}

/// `GET /hc/{locale}/requests/suggest?query=…`: the bot's articles for what
/// the customer has typed so far (JSON for the form's script).
pub async fn suggest(
    State(site): State<Site>,
    Path(locale): Path<String>,
    Query(params): Query<SuggestParams>,
    reader: Reader,
    client: Option<Extension<Client>>,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let client = client.map(|Extension(c)| c).unwrap_or_default();
    if !site.suggestions.take(client.network()) {
        return StatusCode::TOO_MANY_REQUESTS.into_response();
    }
    let query: String = params.query.chars().take(2_000).collect();
    if query.trim().is_empty() {
        return axum::Json(serde_json::json!({"articles": [], "token": null})).into_response();
    }
    let user = reader.session.as_ref().map(|(a, _)| a.user);
    match site.app.answer_bot(user, &query, Some(l.code()), 3).await {
        Ok(a) => {
            let articles: Vec<serde_json::Value> = a
                .articles
                .iter()
                .map(|x| {
                    serde_json::json!({
                        "title": x.title,
                        "href": format!("/hc/{}/requests/deflect?token={}&article={}", l.code(), a.token, x.article_id),
                    })
                })
                .collect();
            (
                [(header::CACHE_CONTROL, "no-store")],
                axum::Json(serde_json::json!({"articles": articles, "token": a.token})),
            )
                .into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "request form suggestions failed");
            axum::Json(serde_json::json!({"articles": [], "token": null})).into_response()
        }
    }
}

#[derive(Deserialize)]
pub struct DeflectParams {
    #[serde(default)]
    token: String,
    #[serde(default)]
    article: String,
}

/// `GET /hc/{locale}/requests/deflect?token=…&article=…`: notes that a
/// suggested article was opened, then shows it.
pub async fn deflect(
    State(site): State<Site>,
    Path(locale): Path<String>,
    Query(params): Query<DeflectParams>,
    headers: HeaderMap,
) -> Response {
    let Some(l) = SiteLocale::exact(&locale) else {
        return not_found_in(&headers);
    };
    let Some(article) = app::help_center::id_of_slug(&params.article) else {
        return failure(l.lang(), &AppError::NotFound);
    };
    if let Err(e) = site
        .app
        .answer_bot_opened(&params.token, domain::ArticleId(article))
        .await
    {
        tracing::info!(error = %e, "a suggestion opened without its question");
    }
    // Only the parsed id goes into the address.
    Redirect::to(&format!("/hc/{}/articles/{article}", l.code())).into_response()
}
