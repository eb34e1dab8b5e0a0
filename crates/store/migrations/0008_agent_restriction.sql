-- Agents who see only the tickets of their groups (Zendesk's
-- ticket_restriction "groups").

ALTER TABLE users ADD COLUMN restricted_to_groups BOOLEAN NOT NULL DEFAULT FALSE;
