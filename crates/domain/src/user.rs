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

/// The domain part of a normalised email, used to attach users to the
/// organization that claims that domain.
pub fn email_domain(email: &str) -> Option<&str> {
    email.rsplit_once('@').map(|(_, d)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

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
