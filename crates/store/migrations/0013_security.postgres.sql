-- Mail that cannot become a ticket is held, never dropped: a `suspended`
-- status with its cause (Zendesk's suspended tickets), `deleted` once an
-- admin throws it away. The client's address and greeting are kept for
-- sender authentication (SPF), and a fingerprint of each remembered
-- Message-ID tells a redelivery from a different message reusing it.
ALTER TABLE inbound_emails DROP CONSTRAINT inbound_emails_status_check;
ALTER TABLE inbound_emails ADD CONSTRAINT inbound_emails_status_check CHECK (status IN ('received', 'processed', 'ignored', 'failed', 'suspended', 'deleted'));
ALTER TABLE inbound_emails ADD COLUMN peer_ip TEXT;
ALTER TABLE inbound_emails ADD COLUMN helo TEXT;
ALTER TABLE inbound_emails ADD COLUMN cause TEXT CHECK (cause IN ('unreadable', 'no_sender', 'unverified_sender', 'processing_failed'));
ALTER TABLE email_message_ids ADD COLUMN fingerprint TEXT;
-- Who started a background job: only they and admins read its status.
ALTER TABLE job_statuses ADD COLUMN owner_id BIGINT;
