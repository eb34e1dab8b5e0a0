-- One way out for every channel: the outbox holds outgoing messages of any
-- channel, each claimed only by its channel's sender. Email's columns
-- (subject, Message-ID, threading headers) stay; other channels leave
-- them empty. A sender records the provider's id of what it sent.
ALTER TABLE outbound_emails RENAME TO outbound_messages;
ALTER TABLE outbound_messages ADD COLUMN channel TEXT NOT NULL DEFAULT 'email' CHECK (channel IN ('email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm'));
ALTER TABLE outbound_messages ADD COLUMN account TEXT;
ALTER TABLE outbound_messages ADD COLUMN external_id TEXT;
DROP INDEX outbound_emails_due;
CREATE INDEX outbound_messages_due ON outbound_messages(channel, status, next_attempt_at);
-- The sender's address on the channel (normalised identity value), so an
-- agent's reply goes back to where the customer wrote from; a fingerprint
-- of the content, so a different message reusing an id (it happens with
-- email's Message-IDs) is told from a redelivery.
ALTER TABLE inbound_messages ADD COLUMN sender TEXT;
ALTER TABLE inbound_messages ADD COLUMN fingerprint TEXT;
-- Email takes the one way in: a customer's Message-IDs move to
-- inbound_messages (email is one channel account, ''); ours are the
-- outbox's message_id already. Email's own index of them goes.
INSERT INTO inbound_messages (channel, account, external_id, ticket_id, comment_id, received_at, fingerprint)
    SELECT 'email', '', message_id, ticket_id, comment_id, 0, fingerprint FROM email_message_ids
    WHERE inbound AND ticket_id IN (SELECT id FROM tickets);
DROP TABLE email_message_ids;
CREATE INDEX outbound_messages_external ON outbound_messages(channel, external_id);
