-- Inbound email: every raw message is stored before it is acknowledged
-- (before SMTP's 250) and processed afterwards, so a crash in between
-- loses nothing. Message-IDs map to tickets, for threading replies and for
-- processing each message once.

CREATE TABLE inbound_emails (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    mail_from TEXT NOT NULL,
    rcpt_to TEXT NOT NULL,
    raw BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
    ticket_id INTEGER,
    comment_id INTEGER,
    outcome TEXT,
    processed_at INTEGER
);
CREATE INDEX inbound_emails_status ON inbound_emails(status, id);

CREATE TABLE email_message_ids (
    message_id TEXT PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    comment_id INTEGER,
    inbound BOOLEAN NOT NULL
);
