-- SMS is a channel of its own (Zendesk's `sms`): its messages are taken in
-- and sent like every other channel's. SQLite changes a column's
-- constraint only by rebuilding the table.
CREATE TABLE inbound_messages_new (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('api', 'web', 'email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm', 'sms', 'voice', 'walk_in')),
    account TEXT NOT NULL,
    external_id TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    comment_id INTEGER,
    sent_at INTEGER,
    raw_id INTEGER,
    received_at INTEGER NOT NULL,
    sender TEXT,
    fingerprint TEXT,
    UNIQUE (channel, account, external_id)
);
INSERT INTO inbound_messages_new (id, channel, account, external_id, ticket_id, comment_id, sent_at, raw_id, received_at, sender, fingerprint)
    SELECT id, channel, account, external_id, ticket_id, comment_id, sent_at, raw_id, received_at, sender, fingerprint FROM inbound_messages;
DROP TABLE inbound_messages;
ALTER TABLE inbound_messages_new RENAME TO inbound_messages;
CREATE INDEX inbound_messages_ticket ON inbound_messages(ticket_id);
CREATE TABLE outbound_messages_new (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER,
    comment_id INTEGER,
    kind TEXT NOT NULL CHECK (kind IN ('acknowledgement', 'reply', 'notification', 'sign_in')),
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
    sent_at INTEGER,
    claimed_until INTEGER,
    from_address TEXT,
    from_name TEXT,
    reply_to TEXT,
    channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm', 'sms')),
    account TEXT,
    external_id TEXT
);
INSERT INTO outbound_messages_new (id, ticket_id, comment_id, kind, to_address, subject, message_id, in_reply_to, refs, body_text, body_html,
        status, attempts, next_attempt_at, last_error, created_at, sent_at, claimed_until, from_address, from_name, reply_to, channel, account, external_id)
    SELECT id, ticket_id, comment_id, kind, to_address, subject, message_id, in_reply_to, refs, body_text, body_html,
        status, attempts, next_attempt_at, last_error, created_at, sent_at, claimed_until, from_address, from_name, reply_to, channel, account, external_id
    FROM outbound_messages;
DROP TABLE outbound_messages;
ALTER TABLE outbound_messages_new RENAME TO outbound_messages;
CREATE INDEX outbound_messages_due ON outbound_messages(channel, status, next_attempt_at);
CREATE INDEX outbound_messages_ticket ON outbound_messages(ticket_id);
CREATE INDEX outbound_messages_external ON outbound_messages(channel, external_id);
