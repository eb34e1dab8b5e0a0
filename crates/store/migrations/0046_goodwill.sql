-- Goodwill gestures: what the team gave a customer on a case when
-- something went wrong (`domain::goodwill`). The amount is in the
-- currency's minor units; a gesture without a stated value has neither.
-- The audit is the ticket's, where the gesture's internal note is.
CREATE TABLE goodwill_gestures (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL,
    agent_id INTEGER NOT NULL,
    kind TEXT NOT NULL,
    amount_minor INTEGER,
    currency TEXT,
    reason TEXT NOT NULL,
    audit_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX goodwill_gestures_ticket ON goodwill_gestures(ticket_id, created_at);
CREATE INDEX goodwill_gestures_created ON goodwill_gestures(created_at);
