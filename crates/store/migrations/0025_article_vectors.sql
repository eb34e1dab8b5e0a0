-- The answer bot's sentence vectors of each article text (what the
-- sentence encoder makes of its title and of its title with the start of
-- its body), made in the background when the text is saved and kept with
-- the text and the model they were made from: every node reads them
-- instead of encoding the help center again.
CREATE TABLE hc_article_vectors (
    translation_id INTEGER PRIMARY KEY REFERENCES hc_translations(id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    vectors BLOB NOT NULL,
    source_updated_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
