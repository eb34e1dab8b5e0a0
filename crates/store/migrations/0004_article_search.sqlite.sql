-- Article text index (analyzer terms of title and body); rowid is the article id.
CREATE VIRTUAL TABLE article_fts USING fts5(title_terms, body_terms, tokenize = 'unicode61 remove_diacritics 0');
