-- One way in for every channel: each outside message is taken once per
-- (channel, channel account, the provider's message id), and remembered
-- with the ticket and comment it made, so a redelivered webhook or a
-- retried send becomes nothing new, and a later message naming it (a reply
-- to it) threads onto the same ticket.
CREATE TABLE inbound_messages (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('api', 'web', 'email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm', 'voice', 'walk_in')),
    account TEXT NOT NULL,
    external_id TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    comment_id INTEGER,
    -- When the provider says it was sent, and the adapter's stored raw
    -- payload (for audits and reprocessing).
    sent_at INTEGER,
    raw_id INTEGER,
    received_at INTEGER NOT NULL,
    UNIQUE (channel, account, external_id)
);
CREATE INDEX inbound_messages_ticket ON inbound_messages(ticket_id);
