-- The answer bot. Each article translation's machine translation into the
-- other language (made offline when the text is saved, kept with the
-- text it was made from), and every question the bot was asked: what it
-- answered or that it handed over, and what the customer said of it
-- ("it answered my question" / "it did not").
CREATE TABLE hc_machine_translations (
    translation_id INTEGER PRIMARY KEY REFERENCES hc_translations(id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    source_updated_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE bot_interactions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    enquiry TEXT NOT NULL,
    locale TEXT NOT NULL,
    article_ids TEXT NOT NULL DEFAULT '',
    handover BOOLEAN NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('asked_for_person', 'nothing_to_answer', 'no_good_match', 'answered')),
    confidence DOUBLE PRECISION NOT NULL,
    resolved_article_id INTEGER,
    rejected_article_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX bot_interactions_created ON bot_interactions(created_at);
