-- Ticket text index. The analyzer's terms (already folded and stemmed) are
-- indexed with the 'simple' configuration, which keeps them as they are.
CREATE TABLE ticket_fts (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    terms TEXT NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED
);
CREATE INDEX ticket_fts_tsv ON ticket_fts USING gin (tsv);
