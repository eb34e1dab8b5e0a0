-- "Was this article helpful?": one answer per reader and article (a
-- signed-in user, or an anonymous visitor by the random id in their
-- browser), a new answer replacing the old; the article keeps the sum and
-- count for its locale, as Zendesk's `vote_sum` and `vote_count`.
CREATE TABLE hc_votes (
    id INTEGER PRIMARY KEY,
    article_id INTEGER NOT NULL REFERENCES hc_articles(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    visitor TEXT,
    locale TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value IN (1, -1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK ((user_id IS NULL) <> (visitor IS NULL))
);
CREATE UNIQUE INDEX hc_votes_user ON hc_votes(article_id, user_id) WHERE user_id IS NOT NULL;
CREATE UNIQUE INDEX hc_votes_visitor ON hc_votes(article_id, visitor) WHERE visitor IS NOT NULL;
