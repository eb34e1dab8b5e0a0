-- Tickets an agent passed over in play mode, with why (Zendesk's
-- `skips`): the next ticket offered is one they have not skipped.
CREATE TABLE ticket_skips (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX ticket_skips_by_user ON ticket_skips(user_id, ticket_id);
CREATE INDEX ticket_skips_by_ticket ON ticket_skips(ticket_id, id);
