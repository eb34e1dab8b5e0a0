//! Live chat's vocabulary: a widget and the sites allowed to use it, a
//! visitor, a conversation's state and the lines the widget shows.

use crate::{
    ChatConversationId, ChatLineId, ChatVisitorId, ChatWidgetId, TicketId, Timestamp, UserId,
    word_enum,
};

/// The most a visitor may write in one line.
pub const MAX_LINE_CHARS: usize = 4_000;
/// The most origins a widget lists.
pub const MAX_ORIGINS: usize = 50;
/// The most topics a widget's pre-chat form offers.
pub const MAX_TOPICS: usize = 20;
/// The most proactive invitations a widget holds.
pub const MAX_INVITATIONS: usize = 10;

/// A message the widget shows by itself after a visitor has been on a
/// matching page for a while ("Need help choosing a size?").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Invitation {
    /// The page's path; `*` stands for anything (`/shoes/*`, `*`).
    pub path: String,
    pub after_seconds: u32,
    pub message_es: String,
    pub message_en: String,
}

impl Invitation {
    /// Whether a page's path matches the pattern.
    pub fn matches(&self, path: &str) -> bool {
        glob_matches(self.path.as_bytes(), path.as_bytes())
    }

    /// What is wrong with it, if anything.
    pub fn problem(&self) -> Option<&'static str> {
        if !(self.path.starts_with('/') || self.path == "*") || self.path.len() > 200 {
            Some("path must start with / (or be *) and be at most 200 characters")
        } else if !(1..=600).contains(&self.after_seconds) {
            Some("after_seconds must be 1 to 600")
        } else if self.message_es.trim().is_empty() && self.message_en.trim().is_empty() {
            Some("a message is needed (message_es or message_en)")
        } else if self.message_es.chars().count() > 300 || self.message_en.chars().count() > 300 {
            Some("a message is at most 300 characters")
        } else {
            None
        }
    }
}

/// `*` matches any run of characters; everything else itself.
fn glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => (0..=text.len()).any(|i| glob_matches(rest, &text[i..])),
        Some((c, rest)) => text.first() == Some(c) && glob_matches(rest, &text[1..]),
    }
}

/// What a site owner pastes into their pages, and how it greets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatWidget {
    pub id: ChatWidgetId,
    pub name: String,
    /// Names the widget in the `<script>` tag: public.
    pub public_key: String,
    /// The sites that may use it (`https://shop.example`, or
    /// `https://*.shop.example` for every subdomain).
    pub allowed_origins: Vec<String>,
    /// What the pre-chat form asks.
    pub ask_name: bool,
    pub ask_email: bool,
    /// Topics the visitor picks from (each may route to its own group by
    /// a trigger on the ticket's tags); none means no topic is asked.
    pub topics: Vec<String>,
    /// Shown by themselves on matching pages.
    pub invitations: Vec<Invitation>,
    pub enabled: bool,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl ChatWidget {
    /// Whether a page at `origin` (`scheme://host[:port]`, as the browser
    /// sends it) may use this widget.
    pub fn admits(&self, origin: &str) -> bool {
        let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
        self.allowed_origins
            .iter()
            .any(|a| origin_matches(a, &origin))
    }
}

/// Whether an allowed-origin entry covers an origin (both lower case).
fn origin_matches(allowed: &str, origin: &str) -> bool {
    let allowed = allowed.trim().trim_end_matches('/').to_ascii_lowercase();
    match allowed.split_once("://*.") {
        Some((scheme, domain)) => origin
            .strip_prefix(scheme)
            .and_then(|o| o.strip_prefix("://"))
            .and_then(|host| host.strip_suffix(domain))
            .is_some_and(|sub| {
                sub.len() > 1 && sub.ends_with('.') && !sub[..sub.len() - 1].contains('/')
            }),
        None => allowed == origin,
    }
}

/// Reads an allowed-origin entry as written by an admin: a scheme, a host
/// (optionally `*.` and a domain) and a port; nothing else.
pub fn parse_origin(entry: &str) -> Option<String> {
    let e = entry.trim().trim_end_matches('/').to_ascii_lowercase();
    let (scheme, rest) = e.split_once("://")?;
    if !matches!(scheme, "http" | "https") || rest.is_empty() {
        return None;
    }
    let host = rest.strip_prefix("*.").unwrap_or(rest);
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) => (n, Some(p)),
        None => (host, None),
    };
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        && !name.starts_with('.')
        && !name.ends_with('.');
    let port_ok =
        port.is_none_or(|p| !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()));
    (name_ok && port_ok).then_some(e)
}

/// One browser that opened a widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatVisitor {
    pub id: ChatVisitorId,
    pub widget: ChatWidgetId,
    /// The chat identity on the customer's profile (not a secret: the
    /// token the widget holds is).
    pub visitor_key: String,
    /// The customer this browser is, once known: signed by the site, or
    /// made when the chat first reached a person.
    pub user: Option<UserId>,
    /// The site signed who the visitor is.
    pub verified: bool,
}

word_enum!(
    /// Where a chat stands: with the bot, handed over to people (waiting
    /// for or talking with an agent), or over.
    ConversationState {
        Bot = "bot",
        Waiting = "waiting",
        Ended = "ended",
    }
);

/// One chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub id: ChatConversationId,
    pub visitor: ChatVisitorId,
    pub widget: ChatWidgetId,
    pub state: ConversationState,
    pub locale: String,
    /// What the pre-chat form was given (a claim, never an identity).
    pub name: Option<String>,
    pub email: Option<String>,
    pub topic: Option<String>,
    /// The case it is on, once handed over.
    pub ticket: Option<TicketId>,
    pub started_at: Timestamp,
    pub updated_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    /// Who answers it once handed to people.
    pub attendance: Attendance,
}

/// Who answers a chat handed to people: routing's offer to an agent, the
/// agent who accepted it, and whether it continues by email instead.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attendance {
    /// The agent talking with the visitor (who accepted the offer, or
    /// answered it).
    pub agent: Option<UserId>,
    /// An offer waiting for its agent's answer, and since when.
    pub offered_to: Option<UserId>,
    pub offered_at: Option<Timestamp>,
    /// Nobody could take it live: replies go to the address given.
    pub by_email: bool,
    /// The last line an agent has seen (the visitor's read marks).
    pub seen_line: Option<ChatLineId>,
}

impl Attendance {
    /// An offer to `agent` made at `now` (whoever answered before is no
    /// longer the one talking).
    pub fn offer(&mut self, agent: UserId, now: Timestamp) {
        self.agent = None;
        self.offered_to = Some(agent);
        self.offered_at = Some(now);
    }

    /// `agent` takes the chat (accepting its offer, or simply answering).
    pub fn accept(&mut self, agent: UserId) {
        self.agent = Some(agent);
        self.offered_to = None;
        self.offered_at = None;
        self.by_email = false;
    }

    /// The offer is withdrawn (declined, lapsed, or moved on).
    pub fn withdraw(&mut self) {
        self.offered_to = None;
        self.offered_at = None;
    }

    /// Whether an offer made at `offered_at` has lapsed by `now`.
    pub fn lapsed(&self, now: Timestamp, seconds: i64) -> bool {
        self.offered_at.is_some_and(|at| now.0 - at.0 >= seconds)
    }
}

word_enum!(
    /// Who wrote a line.
    LineAuthor {
        Visitor = "visitor",
        Bot = "bot",
        Agent = "agent",
        System = "system",
    }
);

/// An article the bot offered in a line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OfferedArticle {
    pub id: i64,
    pub title: String,
    pub url: String,
}

/// One line as the widget shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatLine {
    pub id: ChatLineId,
    pub conversation: ChatConversationId,
    pub author: LineAuthor,
    pub agent: Option<UserId>,
    /// The widget's own id of a visitor's line (resends carry it).
    pub client_id: Option<String>,
    pub body: String,
    pub articles: Vec<OfferedArticle>,
    /// Files sent with it (a visitor's, or an agent's reply's).
    pub files: Vec<LineFile>,
    pub created_at: Timestamp,
}

/// A file in a chat: the stored attachment, and the unguessable key of the
/// address the widget downloads it from (the widget holds no session the
/// attachment's usual checks could read).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineFile {
    pub attachment: i64,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub key: String,
}

/// The largest file a chat carries.
pub const MAX_CHAT_FILE_BYTES: usize = 10 * 1024 * 1024;

/// What may be sent in a chat: pictures, PDFs, text and office documents
/// and archives — nothing a browser would run.
pub fn chat_file_allowed(content_type: &str) -> bool {
    matches!(
        content_type,
        "image/png"
            | "image/jpeg"
            | "image/gif"
            | "image/webp"
            | "application/pdf"
            | "text/plain"
            | "text/csv"
            | "application/zip"
            | "application/msword"
            | "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            | "application/vnd.ms-excel"
            | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            | "application/vnd.oasis.opendocument.text"
            | "application/vnd.oasis.opendocument.spreadsheet"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widget(origins: &[&str]) -> ChatWidget {
        ChatWidget {
            id: ChatWidgetId(1),
            name: "w".into(),
            public_key: "k".into(),
            allowed_origins: origins.iter().map(|o| o.to_string()).collect(),
            ask_name: false,
            ask_email: false,
            topics: vec![],
            invitations: vec![],
            enabled: true,
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn only_listed_origins_use_a_widget() {
        let w = widget(&[
            "https://shop.example",
            "https://*.tienda.example",
            "http://127.0.0.1:8080",
        ]);
        assert!(w.admits("https://shop.example"));
        assert!(w.admits("HTTPS://Shop.Example/"));
        assert!(w.admits("https://es.tienda.example"));
        assert!(w.admits("https://a.b.tienda.example"));
        assert!(w.admits("http://127.0.0.1:8080"));
        for bad in [
            "http://shop.example",
            "https://shop.example.evil.test",
            "https://evilshop.example",
            "https://tienda.example",
            "https://eviltienda.example",
            "http://127.0.0.1:8081",
            "null",
            "",
        ] {
            assert!(!w.admits(bad), "{bad}");
        }
    }

    #[test]
    fn invitations_match_their_pages() {
        let i = |path: &str| Invitation {
            path: path.into(),
            after_seconds: 10,
            message_es: "¿Te ayudo?".into(),
            message_en: String::new(),
        };
        assert!(i("/zapatillas/*").matches("/zapatillas/running/42"));
        assert!(!i("/zapatillas/*").matches("/camisetas/1"));
        assert!(i("*").matches("/"));
        assert!(i("/checkout").matches("/checkout"));
        assert!(!i("/checkout").matches("/checkout/pago"));
        assert!(i("/*/pago").matches("/checkout/pago"));
        assert_eq!(i("/a").problem(), None);
        assert!(i("zapatillas").problem().is_some());
        let mut slow = i("/a");
        slow.after_seconds = 0;
        assert!(slow.problem().is_some());
        let mut silent = i("/a");
        silent.message_es = " ".into();
        assert!(silent.problem().is_some());
    }

    #[test]
    fn origins_are_read_strictly() {
        assert_eq!(
            parse_origin(" https://Shop.example/ "),
            Some("https://shop.example".into())
        );
        assert_eq!(
            parse_origin("https://*.shop.example"),
            Some("https://*.shop.example".into())
        );
        assert_eq!(
            parse_origin("http://localhost:3000"),
            Some("http://localhost:3000".into())
        );
        for bad in [
            "shop.example",
            "ftp://shop.example",
            "https://",
            "https://shop.example/path",
            "https://a b",
            "https://x:99999999",
            "javascript://x",
        ] {
            assert_eq!(parse_origin(bad), None, "{bad}");
        }
    }
}
