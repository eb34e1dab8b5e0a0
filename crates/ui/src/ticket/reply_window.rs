//! The reply box's WhatsApp window: how long the customer's window has
//! left, and — once it is closed — the approved templates an agent may
//! send instead (picked by `name|language`, its parameters one per line,
//! the reply's words the template's, filled in), and the buttons a reply
//! on a messaging channel offers (one per line).

use crate::Ui;
use crate::session::Form;
use app::AppError;
use app::tickets::{CommentInput, TicketInput};
use domain::model::outbox::TemplateUse;
use domain::{Actor, TicketId, Timestamp};

/// The window as the reply box shows it.
pub struct WindowView {
    pub open: bool,
    pub hours_left: i64,
}

pub async fn window(ui: &Ui, actor: Actor, id: TicketId) -> Result<Option<WindowView>, AppError> {
    let Some(w) = ui.app.reply_window(actor, id).await? else {
        return Ok(None);
    };
    let left = w
        .closes_at
        .map_or(0, |end| (end.0 - Timestamp::now().0).max(0));
    Ok(Some(WindowView {
        open: w.open,
        hours_left: (left + 3599) / 3600,
    }))
}

/// The library as the reply box offers it: (`name|language`, label).
pub async fn templates(ui: &Ui, actor: Actor) -> Result<Vec<(String, String)>, AppError> {
    Ok(ui
        .app
        .message_templates(actor)
        .await?
        .into_iter()
        .map(|t| {
            (
                format!("{}|{}", t.name, t.language),
                format!("{} ({}) — {}", t.name, t.language, t.body),
            )
        })
        .collect())
}

/// A template picked in the reply box becomes the reply: its words filled
/// in with the parameters given (refused unless exactly its own).
pub async fn apply_template(
    ui: &Ui,
    actor: Actor,
    form: &Form,
    public: bool,
    input: &mut TicketInput,
) -> Result<(), AppError> {
    let Some((name, language)) = form
        .get("template")
        .filter(|t| !t.is_empty())
        .and_then(|t| t.split_once('|'))
    else {
        return Ok(());
    };
    let params: Vec<String> = form
        .get("template_params")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    let known = ui
        .app
        .message_templates(actor)
        .await?
        .into_iter()
        .find(|t| t.name == name && t.language == language)
        .ok_or_else(|| {
            AppError::field(app::FieldError::invalid(
                "template",
                "is not in the library",
            ))
        })?;
    let words = known.render(&params).ok_or_else(|| {
        AppError::field(app::FieldError::invalid(
            "template",
            format!(
                "{} takes {} parameter(s), one per line",
                known.name,
                known.parameter_count()
            ),
        ))
    })?;
    let comment = input.comment.get_or_insert_with(CommentInput::default);
    comment.body = Some(words);
    comment.public = Some(public);
    comment.template = Some(TemplateUse {
        name: known.name,
        language: known.language,
        params,
    });
    Ok(())
}

/// The buttons typed in the reply box, one per line (the core checks
/// them against the channel the reply takes).
pub fn buttons(form: &Form) -> Vec<String> {
    form.get("buttons")
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}
