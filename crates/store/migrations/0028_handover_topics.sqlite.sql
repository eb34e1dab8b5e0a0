-- The answer bot also hands over for topics admins list (reason
-- `handover_topic`). SQLite changes a column's constraints only by
-- rebuilding the table.
CREATE TABLE bot_interactions_new (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    enquiry TEXT NOT NULL,
    locale TEXT NOT NULL,
    article_ids TEXT NOT NULL DEFAULT '',
    handover BOOLEAN NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('asked_for_person', 'handover_topic', 'nothing_to_answer', 'no_good_match', 'answered')),
    confidence DOUBLE PRECISION NOT NULL,
    resolved_article_id INTEGER,
    rejected_article_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    opened_article_id INTEGER,
    ticket_id INTEGER
);
INSERT INTO bot_interactions_new (id, token_hash, user_id, enquiry, locale, article_ids, handover, reason, confidence,
        resolved_article_id, rejected_article_id, created_at, updated_at, opened_article_id, ticket_id)
    SELECT id, token_hash, user_id, enquiry, locale, article_ids, handover, reason, confidence,
        resolved_article_id, rejected_article_id, created_at, updated_at, opened_article_id, ticket_id
    FROM bot_interactions;
DROP TABLE bot_interactions;
ALTER TABLE bot_interactions_new RENAME TO bot_interactions;
CREATE INDEX bot_interactions_created ON bot_interactions(created_at);
