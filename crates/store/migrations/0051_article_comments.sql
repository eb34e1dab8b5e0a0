-- Readers' comments on help-center articles (Zendesk's article comments),
-- their sanitised HTML as written in a locale, and one vote per reader on
-- each comment.
CREATE TABLE hc_article_comments (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES hc_articles(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    locale TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    -- Someone other than the author who changed it last (a moderator).
    editor_id INTEGER REFERENCES users(id),
    edited_at INTEGER
);
CREATE INDEX hc_article_comments_by_article ON hc_article_comments(article_id, id);
CREATE INDEX hc_article_comments_by_author ON hc_article_comments(author_id, id);

CREATE TABLE hc_comment_votes (
    id INTEGER PRIMARY KEY,
    comment_id INTEGER NOT NULL REFERENCES hc_article_comments(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    value INTEGER NOT NULL CHECK (value IN (1, -1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (comment_id, user_id)
);
