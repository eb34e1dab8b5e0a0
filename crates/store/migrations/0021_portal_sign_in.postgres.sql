-- Customers sign in to the portal with a link sent by email. Such a mail
-- is about an account, not a ticket: the outbox now holds messages with
-- no ticket (kind `sign_in`).
ALTER TABLE outbound_messages ALTER COLUMN ticket_id DROP NOT NULL;
ALTER TABLE outbound_messages DROP CONSTRAINT outbound_emails_kind_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_kind_check
    CHECK (kind IN ('acknowledgement', 'reply', 'notification', 'sign_in'));
-- One-time sign-in links: stored hashed, single use, short-lived; the
-- address they went to and the network that asked are kept to limit how
-- many one address is sent and one network asks for.
CREATE TABLE sign_in_links (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    network TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX sign_in_links_email ON sign_in_links(email, created_at);
CREATE INDEX sign_in_links_network ON sign_in_links(network, created_at);
