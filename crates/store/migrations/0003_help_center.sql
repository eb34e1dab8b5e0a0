-- The help center: categories hold sections, sections hold articles (and
-- may nest). Each row is in one locale; translations come later.

CREATE TABLE hc_categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL,
    source_locale TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE hc_sections (
    id INTEGER PRIMARY KEY,
    category_id INTEGER NOT NULL REFERENCES hc_categories(id) ON DELETE CASCADE,
    parent_section_id INTEGER REFERENCES hc_sections(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL,
    source_locale TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX hc_sections_category ON hc_sections(category_id, id);

CREATE TABLE hc_articles (
    id INTEGER PRIMARY KEY,
    section_id INTEGER NOT NULL REFERENCES hc_sections(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL REFERENCES users(id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    locale TEXT NOT NULL,
    source_locale TEXT NOT NULL,
    draft BOOLEAN NOT NULL DEFAULT FALSE,
    promoted BOOLEAN NOT NULL DEFAULT FALSE,
    position INTEGER NOT NULL DEFAULT 0,
    label_names TEXT NOT NULL DEFAULT '',
    permission_group_id INTEGER NOT NULL,
    user_segment_id INTEGER,
    comments_disabled BOOLEAN NOT NULL DEFAULT FALSE,
    vote_sum INTEGER NOT NULL DEFAULT 0,
    vote_count INTEGER NOT NULL DEFAULT 0,
    archived_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    edited_at INTEGER NOT NULL
);
CREATE INDEX hc_articles_section ON hc_articles(section_id, id);
CREATE INDEX hc_articles_updated ON hc_articles(updated_at, id);
