-- Live chat. A widget is what a site owner pastes into their pages: its
-- public key names it, its secret signs the identity of a site's signed-in
-- user, and only the listed origins may use it. A visitor is one browser
-- (its token, kept hashed, is what the widget holds; its public key is the
-- chat identity on the customer's profile). A conversation is one chat:
-- first with the bot, then — handed over — on a ticket, whose comments
-- are its transcript. Every line the widget shows is a row, written before
-- it is shown as sent; a visitor's line is recognised by the widget's own
-- id of it, so a resend after a dropped connection is stored once.
CREATE TABLE chat_widgets (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    public_key TEXT NOT NULL UNIQUE,
    secret TEXT NOT NULL,
    allowed_origins TEXT NOT NULL,
    ask_name BOOLEAN NOT NULL,
    ask_email BOOLEAN NOT NULL,
    topics TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE chat_visitors (
    id INTEGER PRIMARY KEY,
    widget_id INTEGER NOT NULL REFERENCES chat_widgets(id) ON DELETE CASCADE,
    visitor_key TEXT NOT NULL UNIQUE,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    verified BOOLEAN NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
);
CREATE TABLE chat_conversations (
    id INTEGER PRIMARY KEY,
    visitor_id INTEGER NOT NULL REFERENCES chat_visitors(id) ON DELETE CASCADE,
    widget_id INTEGER NOT NULL REFERENCES chat_widgets(id) ON DELETE CASCADE,
    state TEXT NOT NULL CHECK (state IN ('bot', 'waiting', 'ended')),
    locale TEXT NOT NULL,
    name TEXT,
    email TEXT,
    topic TEXT,
    ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER
);
CREATE INDEX chat_conversations_visitor ON chat_conversations(visitor_id, id);
CREATE INDEX chat_conversations_ticket ON chat_conversations(ticket_id);
CREATE TABLE chat_lines (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES chat_conversations(id) ON DELETE CASCADE,
    author TEXT NOT NULL CHECK (author IN ('visitor', 'bot', 'agent', 'system')),
    agent_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    client_id TEXT,
    outbound_id INTEGER UNIQUE,
    body TEXT NOT NULL,
    articles TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX chat_lines_client ON chat_lines(conversation_id, client_id);
