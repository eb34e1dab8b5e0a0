-- Ticket text index. The analyzer's terms (already folded and stemmed) are
-- indexed verbatim; rowid is the ticket id.
CREATE VIRTUAL TABLE ticket_fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 0');
