-- The request form customers fill in. A ticket field says whether
-- customers see it, fill it in and must fill it in, and what the form
-- calls it (one title per help-center locale, the field's title where
-- none). Ticket forms (Zendesk's) choose and order the fields a form
-- shows, with conditions that show a field only for certain answers.
-- Each web submission is counted by address and network against spam.
ALTER TABLE ticket_fields ADD COLUMN visible_in_portal BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE ticket_fields ADD COLUMN editable_in_portal BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE ticket_fields ADD COLUMN required_in_portal BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE ticket_fields ADD COLUMN portal_titles TEXT NOT NULL DEFAULT '{}';
CREATE TABLE ticket_forms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    display_names TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    end_user_visible BOOLEAN NOT NULL DEFAULT TRUE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    ticket_field_ids TEXT NOT NULL DEFAULT '',
    end_user_conditions TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- Deflection: an article the bot suggested on the form was opened, and
-- whether a request followed.
ALTER TABLE bot_interactions ADD COLUMN opened_article_id INTEGER;
ALTER TABLE bot_interactions ADD COLUMN ticket_id INTEGER;
CREATE TABLE web_submissions (
    id INTEGER PRIMARY KEY,
    email TEXT NOT NULL,
    network TEXT NOT NULL,
    ticket_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX web_submissions_email ON web_submissions(email, created_at);
CREATE INDEX web_submissions_network ON web_submissions(network, created_at);
