-- Phone calls through a voice provider (Twilio Programmable Voice). A line
-- is one of our numbers there, with its credentials (never read back) and
-- what admins set for it (languages, menu, queue, off hours) as JSON. A
-- call through a line keeps where it is (stage), the caller's language and
-- menu choice, and when it started waiting; each ring of an agent's phone
-- is a leg. Recordings are fetched from the provider through a queue with
-- retries and kept with the call. Calls may end abandoned or as a callback
-- request, and an outbound call may answer one. Each call keeps when it
-- last changed, for the incremental export. SQLite changes a column's
-- constraint only by rebuilding the table (and its child with it, so that
-- no row of the child is cascaded away).
CREATE TABLE voice_lines (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    number TEXT NOT NULL UNIQUE,
    credentials TEXT NOT NULL,
    api_base TEXT,
    settings TEXT NOT NULL,
    enabled BOOLEAN NOT NULL DEFAULT TRUE,
    created_at INTEGER NOT NULL,
    last_call_at INTEGER,
    last_error TEXT
);
CREATE TABLE calls_new (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    provider_call_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    agent_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    customer_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    ticket_id INTEGER REFERENCES tickets(id) ON DELETE SET NULL,
    started_at INTEGER NOT NULL,
    answered_at INTEGER,
    ended_at INTEGER,
    duration_secs INTEGER,
    outcome TEXT CHECK (outcome IN ('answered', 'missed', 'voicemail', 'abandoned', 'callback')),
    recording_url TEXT,
    transcription TEXT,
    line_id INTEGER REFERENCES voice_lines(id) ON DELETE SET NULL,
    stage TEXT CHECK (stage IN ('menu', 'queued', 'ringing', 'talking', 'voicemail', 'callback', 'over')),
    language TEXT,
    menu_choice INTEGER,
    queued_at INTEGER,
    callback_of INTEGER,
    updated_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (provider, provider_call_id)
);
INSERT INTO calls_new (id, provider, provider_call_id, direction, from_number, to_number, agent_id, customer_id, ticket_id,
        started_at, answered_at, ended_at, duration_secs, outcome, recording_url, transcription, updated_at)
    SELECT id, provider, provider_call_id, direction, from_number, to_number, agent_id, customer_id, ticket_id,
        started_at, answered_at, ended_at, duration_secs, outcome, recording_url, transcription,
        COALESCE(ended_at, answered_at, started_at) FROM calls;
CREATE TABLE call_events_new (
    call_id INTEGER NOT NULL REFERENCES calls_new(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('ringing', 'answered', 'ended', 'recording', 'voicemail')),
    at INTEGER NOT NULL,
    PRIMARY KEY (call_id, kind)
);
INSERT INTO call_events_new (call_id, kind, at) SELECT call_id, kind, at FROM call_events;
DROP TABLE call_events;
DROP TABLE calls;
ALTER TABLE calls_new RENAME TO calls;
ALTER TABLE call_events_new RENAME TO call_events;
CREATE INDEX calls_ticket ON calls(ticket_id);
CREATE INDEX calls_agent ON calls(agent_id, started_at);
CREATE INDEX calls_queue ON calls(line_id, stage, queued_at);
-- The incremental export of calls, by when they last changed.
CREATE INDEX calls_updated ON calls(updated_at, id);
-- The sweep that completes calls whose log failed halfway.
CREATE INDEX calls_unlogged ON calls(ended_at) WHERE ticket_id IS NULL;
CREATE TABLE call_legs (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rang_at INTEGER NOT NULL,
    ended TEXT CHECK (ended IN ('answered', 'no-answer', 'busy', 'failed')),
    ended_at INTEGER
);
CREATE INDEX call_legs_call ON call_legs(call_id);
CREATE TABLE call_recordings (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    duration_secs INTEGER,
    state TEXT NOT NULL CHECK (state IN ('queued', 'fetched', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until INTEGER,
    last_error TEXT,
    content_type TEXT,
    data BLOB,
    fetched_at INTEGER
);
CREATE INDEX call_recordings_due ON call_recordings(state, next_attempt_at);
-- A phone system asks to show an agent a case or a customer (Talk's
-- display endpoints): the latest request per agent, taken by their page.
CREATE TABLE agent_displays (
    agent_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    at INTEGER NOT NULL
);
