-- Macros (canned changes and replies), views (saved ticket queues) and
-- satisfaction ratings. Actions and conditions are JSON in Zendesk's shape;
-- the app checks them on write and compiles views to search plans.

CREATE TABLE macros (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    actions TEXT NOT NULL,
    usage_count INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE views (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    conditions TEXT NOT NULL,
    sort_by TEXT,
    sort_order TEXT NOT NULL DEFAULT 'desc' CHECK (sort_order IN ('asc', 'desc')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE satisfaction_ratings (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id) ON DELETE CASCADE,
    requester_id INTEGER NOT NULL REFERENCES users(id),
    assignee_id INTEGER,
    group_id INTEGER,
    score TEXT NOT NULL CHECK (score IN ('offered', 'unoffered', 'good', 'bad')),
    comment TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX satisfaction_ratings_updated ON satisfaction_ratings(updated_at, id);
