-- Article text index (analyzer terms of title and body), title weighted higher.
CREATE TABLE article_fts (
    article_id BIGINT PRIMARY KEY REFERENCES hc_articles(id) ON DELETE CASCADE,
    title_terms TEXT NOT NULL,
    body_terms TEXT NOT NULL,
    tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('simple', title_terms), 'A') || setweight(to_tsvector('simple', body_terms), 'B')) STORED
);
CREATE INDEX article_fts_tsv ON article_fts USING gin (tsv);
