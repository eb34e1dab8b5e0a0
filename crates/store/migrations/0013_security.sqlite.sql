-- Mail that cannot become a ticket is held, never dropped: a `suspended`
-- status with its cause (Zendesk's suspended tickets), `deleted` once an
-- admin throws it away. The client's address and greeting are kept for
-- sender authentication (SPF), and a fingerprint of each remembered
-- Message-ID tells a redelivery from a different message reusing it.
-- SQLite cannot change a CHECK in place: the table is rebuilt.
CREATE TABLE inbound_emails_new (
    id INTEGER PRIMARY KEY,
    received_at INTEGER NOT NULL,
    mail_from TEXT NOT NULL,
    rcpt_to TEXT NOT NULL,
    raw BLOB NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('received', 'processed', 'ignored', 'failed', 'suspended', 'deleted')),
    ticket_id INTEGER,
    comment_id INTEGER,
    outcome TEXT,
    processed_at INTEGER,
    mailbox_id INTEGER,
    sender TEXT,
    peer_ip TEXT,
    helo TEXT,
    cause TEXT CHECK (cause IN ('unreadable', 'no_sender', 'unverified_sender', 'processing_failed'))
);
INSERT INTO inbound_emails_new (id, received_at, mail_from, rcpt_to, raw, status, ticket_id, comment_id, outcome, processed_at, mailbox_id, sender)
    SELECT id, received_at, mail_from, rcpt_to, raw, status, ticket_id, comment_id, outcome, processed_at, mailbox_id, sender FROM inbound_emails;
DROP TABLE inbound_emails;
ALTER TABLE inbound_emails_new RENAME TO inbound_emails;
CREATE INDEX inbound_emails_status ON inbound_emails(status, id);
CREATE INDEX inbound_emails_sender ON inbound_emails(sender, received_at);
CREATE INDEX inbound_emails_ticket ON inbound_emails(ticket_id);
ALTER TABLE email_message_ids ADD COLUMN fingerprint TEXT;
-- Who started a background job: only they and admins read its status.
ALTER TABLE job_statuses ADD COLUMN owner_id INTEGER;
