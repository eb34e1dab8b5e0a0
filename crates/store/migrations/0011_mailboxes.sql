-- Support addresses (mailboxes) that admins manage: the address and name
-- our mail goes out as, and optionally an IMAP account fetched with IDLE.
-- A node fetches an account only while it holds its lease, so with several
-- nodes each account has one reader. IMAP passwords must be stored
-- reversibly (we log in with them); they never leave the server.

CREATE TABLE mailboxes (
    id INTEGER PRIMARY KEY,
    address TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT FALSE,
    imap_host TEXT,
    imap_port INTEGER,
    imap_security TEXT CHECK (imap_security IN ('tls', 'starttls', 'plain')),
    imap_username TEXT,
    imap_password TEXT,
    imap_folder TEXT NOT NULL DEFAULT 'INBOX',
    imap_after TEXT NOT NULL DEFAULT 'mark_seen' CHECK (imap_after IN ('mark_seen', 'move')),
    imap_move_to TEXT,
    imap_status TEXT,
    imap_checked_at INTEGER,
    lease_node TEXT,
    lease_until INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- One row per IMAP message we stored, so a message fetched again (a crash
-- between storing and flagging it, or a second node) is stored once.
CREATE TABLE imap_fetched (
    mailbox_id INTEGER NOT NULL,
    uid_validity INTEGER NOT NULL,
    uid INTEGER NOT NULL,
    inbound_email_id INTEGER NOT NULL,
    PRIMARY KEY (mailbox_id, uid_validity, uid)
);

-- Which mailbox a message came in on, and who sent it (for the per-sender
-- rate limit).
ALTER TABLE inbound_emails ADD COLUMN mailbox_id INTEGER;
ALTER TABLE inbound_emails ADD COLUMN sender TEXT;
CREATE INDEX inbound_emails_sender ON inbound_emails(sender, received_at);
-- How each emailed comment threaded, shown on its ticket.
CREATE INDEX inbound_emails_ticket ON inbound_emails(ticket_id);

-- The support address a ticket was sent to (Zendesk's `recipient`): our
-- replies go out from it.
ALTER TABLE tickets ADD COLUMN recipient TEXT;

-- A sender holds a message it is sending until claimed_until, so with
-- several nodes each message is sent by one; the From and Reply-To it goes
-- out with are decided when it is queued (the ticket's mailbox).
ALTER TABLE outbound_emails ADD COLUMN claimed_until INTEGER;
ALTER TABLE outbound_emails ADD COLUMN from_address TEXT;
ALTER TABLE outbound_emails ADD COLUMN from_name TEXT;
ALTER TABLE outbound_emails ADD COLUMN reply_to TEXT;
