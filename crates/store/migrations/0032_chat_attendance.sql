-- Who answers a chat handed to people. Routing's choice is an offer the
-- agent accepts or declines (an offer not answered in time lapses and the
-- chat is routed again, past whoever declined it); the agent who accepted
-- is the one the visitor talks to. A chat nobody can take now continues
-- by email (`by_email`). `seen_line` is the last line an agent has seen
-- (the visitor's read marks).
ALTER TABLE chat_conversations ADD COLUMN agent_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE chat_conversations ADD COLUMN offered_to INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE chat_conversations ADD COLUMN offered_at INTEGER;
ALTER TABLE chat_conversations ADD COLUMN by_email BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE chat_conversations ADD COLUMN seen_line INTEGER;
CREATE INDEX chat_conversations_offered ON chat_conversations(offered_to) WHERE offered_to IS NOT NULL;
CREATE INDEX chat_conversations_agent ON chat_conversations(agent_id) WHERE agent_id IS NOT NULL;
-- Agents who declined a case (or let its offer lapse): routing passes
-- them by for a while.
CREATE TABLE routing_declines (
    ticket_id INTEGER NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
    agent_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    declined_at INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, agent_id)
);
-- Files sent in a chat, either way: each line's files (attachment id,
-- name, type, size, and the key in its download address).
ALTER TABLE chat_lines ADD COLUMN files TEXT NOT NULL DEFAULT '[]';
