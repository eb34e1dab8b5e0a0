-- Article authoring. Every saved text of an article in a locale is kept
-- as a revision (who, when, the title, the body and whether it was a
-- draft), so writers see the history of changes and can bring an earlier
-- text back; the texts there are now start the history. Files attached to
-- an article (shown under it, or as images in its body) are stored with
-- it and go with it.
CREATE TABLE hc_article_revisions (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES hc_articles(id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    draft BOOLEAN NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX hc_article_revisions_article ON hc_article_revisions(article_id, id);
INSERT INTO hc_article_revisions (article_id, locale, title, body, draft, author_id, created_at)
    SELECT article_id, locale, title, body, draft, updated_by_id, updated_at
    FROM hc_translations WHERE article_id IS NOT NULL ORDER BY id;
CREATE TABLE hc_article_attachments (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES hc_articles(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    inline BOOLEAN NOT NULL,
    data BLOB NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX hc_article_attachments_article ON hc_article_attachments(article_id, id);
