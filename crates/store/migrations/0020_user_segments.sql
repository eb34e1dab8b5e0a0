-- Help-center user segments (who may read a restricted article): a user
-- type, then filters that must all hold (lists stored comma-separated).
-- Two are built in, as in Zendesk: every signed-in user, and staff. An
-- article naming a segment that does not exist stays with staff.
CREATE TABLE hc_user_segments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    user_type TEXT NOT NULL CHECK (user_type IN ('signed_in_users', 'staff')),
    organization_ids TEXT NOT NULL DEFAULT '',
    group_ids TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    or_tags TEXT NOT NULL DEFAULT '',
    built_in BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT INTO hc_user_segments (name, user_type, built_in, created_at, updated_at)
    VALUES ('Signed-in users', 'signed_in_users', TRUE, 0, 0);
INSERT INTO hc_user_segments (name, user_type, built_in, created_at, updated_at)
    VALUES ('Agents and admins', 'staff', TRUE, 0, 0);
CREATE INDEX hc_articles_segment ON hc_articles(user_segment_id) WHERE user_segment_id IS NOT NULL;
