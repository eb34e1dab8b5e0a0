-- Custom fields on users and on organizations (Zendesk's `user_fields`
-- and `organization_fields`): typed as ticket fields are, named by a key
-- unique per owner. A value is text, as a ticket field's is; it goes with
-- its field.
CREATE TABLE profile_fields (
    id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL CHECK (owner IN ('user', 'organization')),
    key TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('text', 'textarea', 'checkbox', 'integer', 'decimal', 'date', 'regexp', 'tagger', 'multiselect')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    regexp TEXT,
    tag TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (owner, key)
);

CREATE TABLE profile_field_options (
    id INTEGER PRIMARY KEY,
    field_id INTEGER NOT NULL REFERENCES profile_fields(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (field_id, value)
);

CREATE TABLE profile_field_values (
    field_id INTEGER NOT NULL REFERENCES profile_fields(id) ON DELETE CASCADE,
    -- A user's or an organization's id, by the field's owner.
    entity_id INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (field_id, entity_id)
);
CREATE INDEX profile_field_values_entity ON profile_field_values(entity_id);
