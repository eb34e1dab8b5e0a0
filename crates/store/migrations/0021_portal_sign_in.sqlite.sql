-- Customers sign in to the portal with a link sent by email. Such a mail
-- is about an account, not a ticket: the outbox now holds messages with
-- no ticket (kind `sign_in`). SQLite changes a column's constraints only
-- by rebuilding the table.
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
    channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm')),
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
-- One-time sign-in links: stored hashed, single use, short-lived; the
-- address they went to and the network that asked are kept to limit how
-- many one address is sent and one network asks for.
CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    network TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);
CREATE INDEX sign_in_links_email ON sign_in_links(email, created_at);
CREATE INDEX sign_in_links_network ON sign_in_links(network, created_at);
