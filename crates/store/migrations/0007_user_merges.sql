-- Customer profiles merged by agents, with what moved, so a merge can be
-- shown before it happens and undone after.

CREATE TABLE user_merges (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES users(id),
    target_id INTEGER NOT NULL REFERENCES users(id),
    identity_ids TEXT NOT NULL,
    ticket_ids TEXT NOT NULL,
    source_email TEXT,
    actor_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    undone_at INTEGER
);
CREATE INDEX user_merges_source ON user_merges(source_id);
