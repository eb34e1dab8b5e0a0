-- Outgoing email waits here until the relay accepts it: written in the same
-- transaction as the comment or ticket it tells about, retried with
-- backoff, never lost on restart; a message that keeps failing is marked
-- failed with the server's reply, visible on the ticket.

CREATE TABLE outbound_emails (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    comment_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('acknowledgement', 'reply', 'notification')),
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    in_reply_to TEXT,
    refs TEXT NOT NULL DEFAULT '',
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX outbound_emails_due ON outbound_emails(status, next_attempt_at);
CREATE INDEX outbound_emails_ticket ON outbound_emails(ticket_id);
