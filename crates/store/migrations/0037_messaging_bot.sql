-- Bot first on a messaging channel: a customer who writes with no case
-- open talks with the answer bot until it answers them or hands them over.
-- A session is one such talk (per account and sender); each of the
-- customer's messages the bot took is a turn, once per provider message
-- id (a delivery read twice answers once), with the bot's record of the
-- question (its interaction token, hashed) so the hand-over shows what
-- was asked and offered.
CREATE TABLE channel_bot_sessions (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('whatsapp', 'facebook', 'instagram_dm', 'telegram', 'sms')),
    account TEXT NOT NULL,
    sender TEXT NOT NULL,
    locale TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('bot', 'resolved', 'handed_over')),
    ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX channel_bot_sessions_sender ON channel_bot_sessions(channel, account, sender, state);
CREATE TABLE channel_bot_turns (
    id INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES channel_bot_sessions(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    account TEXT NOT NULL,
    external_id TEXT NOT NULL,
    token_hash TEXT,
    offered BOOLEAN NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (channel, account, external_id)
);
CREATE INDEX channel_bot_turns_session ON channel_bot_turns(session_id);
-- Buttons a message offers (a JSON list of their titles): WhatsApp reply
-- buttons, Messenger quick replies, a Telegram keyboard; listed in the
-- text on SMS.
ALTER TABLE outbound_messages ADD COLUMN buttons TEXT;
