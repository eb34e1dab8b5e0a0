-- Deleted for good: Zendesk's `deleted_tickets` and `deleted_users`.
-- A deleted ticket keeps its row (`tickets.deleted_at`) so it can be
-- restored; this table says who deleted it and, once it is deleted
-- permanently, when its content was scrubbed (then it is listed no more
-- and cannot come back). A user deleted permanently keeps a row with no
-- personal data, so the tickets and audits that name it still read.
CREATE TABLE ticket_deletions (
    ticket_id INTEGER NOT NULL PRIMARY KEY REFERENCES tickets(id),
    deleted_by INTEGER,
    deleted_at INTEGER NOT NULL,
    scrubbed_at INTEGER
);
CREATE INDEX ticket_deletions_listed ON ticket_deletions(deleted_at, ticket_id) WHERE scrubbed_at IS NULL;

INSERT INTO ticket_deletions (ticket_id, deleted_by, deleted_at)
    SELECT t.id,
           (SELECT e.actor_id FROM events e
             WHERE e.entity = 'ticket' AND e.entity_id = t.id AND e.kind = 'deleted'
             ORDER BY e.id DESC LIMIT 1),
           t.deleted_at
    FROM tickets t WHERE t.deleted_at IS NOT NULL;

ALTER TABLE users ADD COLUMN scrubbed_at INTEGER;
CREATE INDEX users_deleted ON users(id) WHERE active = FALSE;
