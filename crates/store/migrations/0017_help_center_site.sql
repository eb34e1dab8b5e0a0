-- The public help center lists article titles by locale and section (the
-- front page counts them, a section lists them in order): one index over
-- exactly the articles anyone may read answers both without reading a
-- single article body.
CREATE INDEX hc_articles_public ON hc_articles(locale, section_id, promoted DESC, position, title)
    WHERE archived_at IS NULL AND draft = FALSE AND user_segment_id IS NULL;
