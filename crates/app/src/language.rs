//! The language a customer reads and writes: what our mail, macros and
//! routing speak to them in. One place, so the acknowledgement, a macro
//! and the router agree.

use crate::AppError;
use search::analyze::{Language, detect, detect_clearly};
use store::Conn;
use store::model::{Ticket, User};
use store::repo::users;

/// Whether a profile asks for Spanish.
pub fn prefers_spanish(u: &User) -> bool {
    u.locale.to_ascii_lowercase().starts_with("es")
}

/// What to write to a customer in: their profile's Spanish, else the
/// language their ticket was written in (English when in doubt).
pub fn customer(requester: Option<&User>, t: &Ticket) -> Language {
    if requester.is_some_and(prefers_spanish) {
        Language::Spanish
    } else {
        detect(&search::fold(&t.description))
    }
}

/// What an agent must speak for this ticket: the language its first
/// message is clearly written in, else the requester's Spanish locale
/// (read only then); `None` when unsure (then any agent will do).
pub async fn required(c: &mut Conn<'_>, t: &Ticket) -> Result<Option<Language>, AppError> {
    if let Some(l) = detect_clearly(&search::fold(&t.description)) {
        return Ok(Some(l));
    }
    let requester = users::get(c, t.requester_id).await?;
    Ok(requester
        .as_ref()
        .is_some_and(prefers_spanish)
        .then_some(Language::Spanish))
}

/// The two-letter code (`es`, `en`).
pub fn code(l: Language) -> &'static str {
    match l {
        Language::Spanish => "es",
        Language::English => "en",
    }
}
