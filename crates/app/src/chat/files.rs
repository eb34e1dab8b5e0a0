//! Files in a chat. A visitor talking with a person sends a file: it is
//! checked (size, and a kind no browser runs), stored as the visitor's
//! upload, shown as a line and attached to the case's comment through the
//! one way in. An agent's reply carries its comment's files to the widget
//! ([`super::delivery`]). The widget downloads a file by an unguessable
//! key in its address, as it holds no session.

use super::ChatSignal;
use super::lines::{LINES_PER_MINUTE, new_line, valid_client_id};
use crate::{App, AppError, FieldError};
use domain::chat::{
    ChatLine, ChatVisitor, ChatWidget, ConversationState, LineAuthor, LineFile,
    MAX_CHAT_FILE_BYTES, chat_file_allowed,
};
use domain::{AttachmentId, ChatLineId};
use store::model::Attachment;
use store::repo::attachments;
use store::repo::chat as repo;

/// A file the visitor sends.
#[derive(Debug, Clone)]
pub struct SentFile {
    /// The widget's id of the line (a resend carries the same).
    pub client_id: String,
    pub file_name: String,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

/// A line's file, as the widget lists it.
pub(crate) fn line_file(a: &Attachment) -> LineFile {
    LineFile {
        attachment: a.id.0,
        name: a.file_name.clone(),
        content_type: a.content_type.clone(),
        size: a.size,
        key: crate::auth::random_token(24),
    }
}

impl App {
    /// Stores a visitor's file as a line of their chat with a person, and
    /// puts it on the case. Returns the line (the same one for a resend).
    pub async fn send_chat_file(
        &self,
        widget: &ChatWidget,
        visitor: &ChatVisitor,
        file: SentFile,
    ) -> Result<ChatLine, AppError> {
        if !valid_client_id(&file.client_id) {
            return Err(AppError::field(FieldError::invalid(
                "client_id",
                "must be 1 to 64 letters, digits, - or _",
            )));
        }
        if file.data.is_empty() {
            return Err(AppError::field(FieldError::blank("file")));
        }
        if file.data.len() > MAX_CHAT_FILE_BYTES.min(self.limits.max_upload_bytes) {
            return Err(AppError::field(FieldError::invalid(
                "file",
                format!(
                    "is larger than {} MB",
                    MAX_CHAT_FILE_BYTES.min(self.limits.max_upload_bytes) / (1024 * 1024)
                ),
            )));
        }
        let not_yet = || {
            AppError::field(FieldError::invalid(
                "file",
                "files can be sent once a person is in the chat",
            ))
        };
        let profile = visitor.user.ok_or_else(not_yet)?;
        // The chat, a resend's line if this is one, and who the visitor is,
        // in one read.
        let (conversation, resent, who) = {
            let mut rc = self.read().await?;
            let c = &mut rc.conn();
            let conversation = repo::open_conversation_of(c, visitor.id)
                .await?
                .filter(|v| v.state == ConversationState::Waiting)
                .ok_or_else(not_yet)?;
            let resent = repo::line_by_client_id(c, conversation.id, &file.client_id).await?;
            let who = store::repo::users::get(c, profile)
                .await?
                .ok_or(AppError::NotFound)?
                .actor();
            (conversation, resent, who)
        };
        if let Some(l) = resent {
            return Ok(l);
        }
        if !self.chat.allow_line(visitor.id, LINES_PER_MINUTE) {
            return Err(AppError::TooManyAttempts(60));
        }
        let (token, stored) = self
            .upload(
                who,
                &file.file_name,
                file.content_type.as_deref(),
                file.data,
                None,
            )
            .await?;
        if !chat_file_allowed(&stored.content_type) {
            let _ = self.delete_upload(who, token).await;
            return Err(AppError::field(FieldError::invalid(
                "file",
                "this kind of file cannot be sent in the chat (pictures, PDF, text and office documents can)",
            )));
        }
        let mut line = new_line(
            conversation.id,
            LineAuthor::Visitor,
            stored.file_name.clone(),
        );
        line.client_id = Some(file.client_id.clone());
        line.files = vec![line_file(&stored)];
        let (line, new) = self
            .write(move |c| {
                Box::pin(async move {
                    if let Some(l) = repo::line_by_client_id(
                        c,
                        line.conversation,
                        line.client_id.as_deref().unwrap_or_default(),
                    )
                    .await?
                    {
                        return Ok((l, false));
                    }
                    let mut l = line;
                    l.id = repo::insert_line(c, &l).await?;
                    Ok((l, true))
                })
            })
            .await?;
        if new {
            self.chat_signal(conversation.id, ChatSignal::Line).await;
            self.line_to_case(widget, visitor, &conversation, &line, vec![token])
                .await?;
        }
        Ok(line)
    }

    /// A chat file by its line and key (the widget's download address):
    /// the file and its bytes, or not found.
    pub async fn chat_file(
        &self,
        line: ChatLineId,
        key: &str,
    ) -> Result<(Attachment, Vec<u8>), AppError> {
        let mut rc = self.read().await?;
        let c = &mut rc.conn();
        let l = repo::line_by_id(c, line).await?.ok_or(AppError::NotFound)?;
        let f = l
            .files
            .iter()
            .find(|f| crate::auth::same_secret(&f.key, key))
            .ok_or(AppError::NotFound)?;
        let id = AttachmentId(f.attachment);
        let a = attachments::get(c, id).await?.ok_or(AppError::NotFound)?;
        let data = attachments::data(c, id).await?.ok_or(AppError::NotFound)?;
        Ok((a, data))
    }
}
