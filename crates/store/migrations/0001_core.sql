-- The ticket core. Written once for both backends: the runner rewrites
-- `INTEGER PRIMARY KEY` to an identity column, INTEGER to BIGINT and BLOB to
-- BYTEA for PostgreSQL. Times are whole seconds since the epoch.

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL UNIQUE,
    details TEXT,
    notes TEXT,
    external_id TEXT UNIQUE,
    group_id INTEGER,
    shared_tickets BOOLEAN NOT NULL DEFAULT FALSE,
    tags TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    deleted_at INTEGER
);

CREATE TABLE organization_domains (
    domain TEXT PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    role TEXT NOT NULL CHECK (role IN ('end-user', 'agent', 'admin')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    organization_id INTEGER REFERENCES organizations(id),
    default_group_id INTEGER,
    locale TEXT NOT NULL DEFAULT 'en-US',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    phone TEXT,
    external_id TEXT UNIQUE,
    details TEXT,
    notes TEXT,
    tags TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX users_email ON users(email);
CREATE INDEX users_org ON users(organization_id);

CREATE TABLE identities (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('email', 'phone_number', 'whatsapp', 'telegram', 'messenger', 'instagram', 'chat_visitor', 'external_id')),
    value TEXT NOT NULL,
    is_primary BOOLEAN NOT NULL DEFAULT FALSE,
    verified BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX identities_user ON identities(user_id);

CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_public BOOLEAN NOT NULL DEFAULT TRUE,
    deleted BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE group_memberships (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (user_id, group_id)
);

CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    subject TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL CHECK (status IN ('new', 'open', 'pending', 'hold', 'solved', 'closed')),
    status_rank INTEGER NOT NULL,
    priority TEXT CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    priority_rank INTEGER,
    type TEXT CHECK (type IN ('question', 'incident', 'problem', 'task')),
    requester_id INTEGER NOT NULL REFERENCES users(id),
    submitter_id INTEGER NOT NULL REFERENCES users(id),
    assignee_id INTEGER REFERENCES users(id),
    group_id INTEGER REFERENCES groups(id),
    organization_id INTEGER REFERENCES organizations(id),
    problem_id INTEGER,
    external_id TEXT,
    via_channel TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    has_attachments BOOLEAN NOT NULL DEFAULT FALSE,
    due_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    solved_at INTEGER,
    deleted_at INTEGER
);
CREATE INDEX tickets_status ON tickets(status_rank, id);
CREATE INDEX tickets_requester ON tickets(requester_id, id);
CREATE INDEX tickets_assignee ON tickets(assignee_id, id);
CREATE INDEX tickets_group ON tickets(group_id, id);
CREATE INDEX tickets_org ON tickets(organization_id, id);
CREATE INDEX tickets_updated ON tickets(updated_at, id);
CREATE INDEX tickets_created ON tickets(created_at, id);
CREATE INDEX tickets_external ON tickets(external_id);

CREATE TABLE ticket_tags (
    tag TEXT NOT NULL,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    PRIMARY KEY (tag, ticket_id)
);
CREATE INDEX ticket_tags_ticket ON ticket_tags(ticket_id);

CREATE TABLE ticket_collaborators (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL CHECK (kind IN ('cc', 'follower')),
    PRIMARY KEY (ticket_id, kind, user_id)
);
CREATE INDEX ticket_collaborators_user ON ticket_collaborators(user_id);

CREATE TABLE ticket_fields (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL CHECK (type IN ('text', 'textarea', 'checkbox', 'integer', 'decimal', 'date', 'regexp', 'tagger', 'multiselect')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    required BOOLEAN NOT NULL DEFAULT FALSE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    regexp TEXT,
    tag TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE ticket_field_options (
    id INTEGER PRIMARY KEY,
    field_id INTEGER NOT NULL REFERENCES ticket_fields(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (field_id, value)
);

CREATE TABLE ticket_field_values (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    field_id INTEGER NOT NULL REFERENCES ticket_fields(id) ON DELETE CASCADE,
    value TEXT NOT NULL,
    PRIMARY KEY (ticket_id, field_id)
);
CREATE INDEX ticket_field_values_lookup ON ticket_field_values(field_id, value);

CREATE TABLE audits (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    author_id INTEGER NOT NULL,
    via_channel TEXT NOT NULL,
    events TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX audits_ticket ON audits(ticket_id, id);

CREATE TABLE comments (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    audit_id INTEGER NOT NULL REFERENCES audits(id),
    author_id INTEGER NOT NULL REFERENCES users(id),
    body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    public BOOLEAN NOT NULL,
    via_channel TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX comments_ticket ON comments(ticket_id, id);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL,
    uploader_id INTEGER NOT NULL REFERENCES users(id),
    comment_id INTEGER REFERENCES comments(id) ON DELETE SET NULL,
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    data BLOB,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX attachments_token ON attachments(token);
CREATE INDEX attachments_comment ON attachments(comment_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('api', 'oauth')),
    token_hash TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);

-- The event log: every write appends here in the same transaction. Its id
-- order is commit order (PostgreSQL serialises appenders with an advisory
-- lock), so consumers can keep a plain integer cursor.
CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    entity TEXT NOT NULL CHECK (entity IN ('ticket', 'user', 'organization', 'group', 'field')),
    entity_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    audit_id INTEGER,
    actor_id INTEGER,
    at INTEGER NOT NULL
);
CREATE INDEX events_entity ON events(entity, id);

CREATE TABLE job_statuses (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'working', 'completed', 'failed', 'killed')),
    total INTEGER NOT NULL,
    progress INTEGER NOT NULL,
    message TEXT,
    results TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
