-- Messaging channels. An account is one connected WhatsApp number, page,
-- Instagram account, Telegram bot or SMS number; its credentials are kept
-- apart from what is read of it (never shown again once given). Every
-- webhook delivery is stored raw before the provider is answered, once
-- per (account, digest of its body) so a repeated delivery is stored
-- once; a worker reads it afterwards. What the provider later says of a
-- message we sent (delivered, read) is kept on the outbox row; a template
-- sent when the customer's window was closed is named there too.
CREATE TABLE channel_accounts (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('whatsapp', 'facebook', 'instagram_dm', 'telegram', 'sms')),
    name TEXT NOT NULL,
    external_id TEXT NOT NULL,
    credentials TEXT NOT NULL,
    api_base TEXT,
    bot_first BOOLEAN NOT NULL DEFAULT FALSE,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    last_delivery_at INTEGER,
    last_error TEXT,
    last_error_at INTEGER,
    UNIQUE (channel, external_id)
);
CREATE TABLE channel_deliveries (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES channel_accounts(id) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    body BLOB NOT NULL,
    received_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('received', 'processed', 'malformed')),
    outcome TEXT,
    processed_at INTEGER,
    UNIQUE (account_id, digest)
);
CREATE INDEX channel_deliveries_state ON channel_deliveries(state, id);
CREATE TABLE message_templates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    language TEXT NOT NULL,
    category TEXT NOT NULL CHECK (category IN ('marketing', 'utility', 'authentication')),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (name, language)
);
ALTER TABLE outbound_messages ADD COLUMN receipt TEXT CHECK (receipt IN ('delivered', 'read'));
ALTER TABLE outbound_messages ADD COLUMN receipt_at INTEGER;
ALTER TABLE outbound_messages ADD COLUMN template TEXT;
CREATE INDEX inbound_messages_sender ON inbound_messages(channel, sender, received_at);
