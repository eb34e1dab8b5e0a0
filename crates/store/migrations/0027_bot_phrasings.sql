-- Other ways customers ask what an article answers, written by its
-- authors per language ("my parcel never came" for "Where is my order"):
-- the answer bot matches a question against them as against the title.
CREATE TABLE hc_bot_phrasings (
    translation_id INTEGER PRIMARY KEY REFERENCES hc_translations(id) ON DELETE CASCADE,
    phrasings TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
