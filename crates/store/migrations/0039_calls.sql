-- Phone calls reported by a phone system (the CTI API): one row per
-- system and its id of the call, and each event it reported, once (a
-- repeated event changes nothing).
CREATE TABLE calls (
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
    outcome TEXT CHECK (outcome IN ('answered', 'missed', 'voicemail')),
    recording_url TEXT,
    transcription TEXT,
    UNIQUE (provider, provider_call_id)
);
CREATE INDEX calls_ticket ON calls(ticket_id);
-- The screen-pop asks on every workspace page what rings for the agent.
CREATE INDEX calls_agent ON calls(agent_id, started_at);
CREATE TABLE call_events (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('ringing', 'answered', 'ended', 'recording', 'voicemail')),
    at INTEGER NOT NULL,
    PRIMARY KEY (call_id, kind)
);
