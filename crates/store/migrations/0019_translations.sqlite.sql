-- Translations: an article, section or category has one text per locale
-- (its source locale's and any others), as Zendesk's translations. The
-- record's own title/name and body/description keep a copy of its source
-- locale's text, so readers of the record alone see what they saw before.
-- A translation of an article holds its own draft flag: the Spanish text
-- can be published while the English one is still being written.
CREATE TABLE hc_translations (
    id INTEGER PRIMARY KEY,
    article_id INTEGER REFERENCES hc_articles(id) ON DELETE CASCADE,
    section_id INTEGER REFERENCES hc_sections(id) ON DELETE CASCADE,
    category_id INTEGER REFERENCES hc_categories(id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    draft BOOLEAN NOT NULL DEFAULT FALSE,
    outdated BOOLEAN NOT NULL DEFAULT FALSE,
    created_by_id INTEGER REFERENCES users(id),
    updated_by_id INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((CASE WHEN article_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN section_id IS NULL THEN 0 ELSE 1 END)
         + (CASE WHEN category_id IS NULL THEN 0 ELSE 1 END) = 1)
);
CREATE UNIQUE INDEX hc_translations_article ON hc_translations(article_id, locale) WHERE article_id IS NOT NULL;
CREATE UNIQUE INDEX hc_translations_section ON hc_translations(section_id, locale) WHERE section_id IS NOT NULL;
CREATE UNIQUE INDEX hc_translations_category ON hc_translations(category_id, locale) WHERE category_id IS NOT NULL;
INSERT INTO hc_translations (article_id, locale, title, body, draft, created_by_id, updated_by_id, created_at, updated_at)
    SELECT id, locale, title, body, draft, author_id, author_id, created_at, updated_at FROM hc_articles;
INSERT INTO hc_translations (section_id, locale, title, body, created_at, updated_at)
    SELECT id, locale, name, description, created_at, updated_at FROM hc_sections;
INSERT INTO hc_translations (category_id, locale, title, body, created_at, updated_at)
    SELECT id, locale, name, description, created_at, updated_at FROM hc_categories;
-- The public site lists a section's articles by position: whether one is
-- published in a locale is its translation's to say.
DROP INDEX hc_articles_public;
CREATE INDEX hc_articles_listed ON hc_articles(section_id, promoted DESC, position)
    WHERE archived_at IS NULL AND user_segment_id IS NULL;
-- The article text index holds one row per translation (rowid = the
-- translation's id), rebuilt from its own stored terms.
CREATE VIRTUAL TABLE article_fts_new USING fts5(title_terms, body_terms, tokenize = 'unicode61 remove_diacritics 0');
INSERT INTO article_fts_new (rowid, title_terms, body_terms)
    SELECT t.id, f.title_terms, f.body_terms FROM article_fts f JOIN hc_translations t ON t.article_id = f.rowid;
DROP TABLE article_fts;
ALTER TABLE article_fts_new RENAME TO article_fts;
