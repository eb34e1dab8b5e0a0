-- OAuth for integrations (Zendesk's OAuth clients and tokens): the
-- applications admins register, the one-time codes a person's consent
-- gives an application, and which application a token was given to with
-- what scopes (`read`, `write`; earlier tokens keep both).
CREATE TABLE oauth_clients (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    identifier TEXT NOT NULL UNIQUE,
    secret_hash TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('confidential', 'public')),
    -- One address per line.
    redirect_uris TEXT NOT NULL DEFAULT '',
    company TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE oauth_codes (
    code_hash TEXT PRIMARY KEY,
    client_id INTEGER NOT NULL REFERENCES oauth_clients(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    redirect_uri TEXT NOT NULL,
    scopes TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
ALTER TABLE api_tokens ADD COLUMN client_id INTEGER REFERENCES oauth_clients(id) ON DELETE CASCADE;
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'read write';
CREATE INDEX api_tokens_by_client ON api_tokens(client_id);
