//! People: the three roles and the kinds of identity a person can have.

use crate::word_enum;

word_enum!(
    /// What a person may do. End-users are customers; agents work tickets;
    /// admins also manage users, groups and fields.
    Role {
        EndUser = "end-user",
        Agent = "agent",
        Admin = "admin",
    }
);

impl Role {
    /// Agents and admins are staff: they see every ticket.
    pub fn is_staff(self) -> bool {
        matches!(self, Role::Agent | Role::Admin)
    }
}

word_enum!(
    /// One way to reach a person. A person has at most one primary identity of
    /// each kind; the ids that messaging channels bring are kinds of their own
    /// so one customer profile can hold them all.
    IdentityKind {
        Email = "email",
        Phone = "phone_number",
        WhatsApp = "whatsapp",
        Telegram = "telegram",
        Messenger = "messenger",
        Instagram = "instagram",
        ChatVisitor = "chat_visitor",
        ExternalId = "external_id",
    }
);

word_enum!(
    /// Whether an API token is for Basic `email/token:` auth or Bearer
    /// (OAuth) auth.
    TokenKind {
        Api = "api",
        OAuth = "oauth",
    }
);

/// Lower-cases and trims an email address; returns `None` unless it looks like
/// `local@domain.tld`, which is all a help desk can check without mailing it.
pub fn normalize_email(raw: &str) -> Option<String> {
    let e = raw.trim().to_lowercase();
    let (local, domain) = e.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',')
        && !domain.contains('@');
    ok.then_some(e)
}

/// An identity's value in the one form it is stored and matched in: emails
/// lower-cased and checked; phone numbers (and WhatsApp's, which are phone
/// numbers) as `+` and digits, so "+34 600-11 22 33" and "+34600112233"
/// are one customer; other ids trimmed. `None` when nothing usable is left.
pub fn normalize_identity(kind: IdentityKind, raw: &str) -> Option<String> {
    let v = match kind {
        IdentityKind::Email => return normalize_email(raw),
        IdentityKind::Phone | IdentityKind::WhatsApp => {
            let t = raw.trim();
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            let plus = if t.starts_with('+') { "+" } else { "" };
            let only_phone_marks = t
                .chars()
                .all(|c| c.is_ascii_digit() || " +-().".contains(c));
            if digits.len() < 3 || !only_phone_marks {
                return None;
            }
            format!("{plus}{digits}")
        }
        _ => raw.trim().to_string(),
    };
    (!v.is_empty() && v.len() <= 255).then_some(v)
}

/// The domain part of a normalised email, used to attach users to the
/// organization that claims that domain.
pub fn email_domain(email: &str) -> Option<&str> {
    email.rsplit_once('@').map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_are_one_form() {
        let p = |s| normalize_identity(IdentityKind::Phone, s);
        assert_eq!(p("+34 600-11 22 33"), Some("+34600112233".into()));
        assert_eq!(p("(0034) 600.112.233"), Some("0034600112233".into()));
        assert_eq!(p("call me"), None);
        assert_eq!(p("12"), None);
        assert_eq!(
            normalize_identity(IdentityKind::Telegram, "  4711 "),
            Some("4711".into())
        );
        assert_eq!(normalize_identity(IdentityKind::ChatVisitor, "   "), None);
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            normalize_email(" Ana@Example.COM "),
            Some("ana@example.com".into())
        );
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a@b"), None);
        assert_eq!(normalize_email("a b@c.com"), None);
        assert_eq!(email_domain("ana@example.com"), Some("example.com"));
    }

    #[test]
    fn roles_parse_from_their_words() {
        assert_eq!("end-user".parse::<Role>(), Ok(Role::EndUser));
        assert!("root".parse::<Role>().is_err());
        assert!(Role::Admin.is_staff() && !Role::EndUser.is_staff());
    }
}
