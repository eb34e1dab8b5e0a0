-- The help center's lists read, per locale, each article's text's draft
-- flag and title: an index holding them spares reading each text's row
-- (with its body). The front page's promoted articles are few: an index
-- of just them lets the query start from them.
CREATE INDEX hc_translations_listing ON hc_translations(article_id, locale, draft, title) WHERE article_id IS NOT NULL;
CREATE INDEX hc_articles_promoted ON hc_articles(position) WHERE promoted = TRUE AND archived_at IS NULL AND user_segment_id IS NULL;
