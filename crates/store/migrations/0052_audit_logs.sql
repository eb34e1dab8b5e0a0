-- The admins' audit log (Zendesk's `audit_logs`): each change to the
-- desk's set-up, written in the transaction that makes it.
CREATE TABLE audit_logs (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'destroy')),
    source_type TEXT NOT NULL CHECK (source_type IN ('rule', 'ticket_field', 'user_field',
        'organization_field', 'ticket_form', 'group', 'sla_policy', 'schedule', 'webhook',
        'api_token', 'user', 'organization', 'ticket', 'support_address', 'chat_widget',
        'channel_account', 'voice_line')),
    source_id INTEGER NOT NULL,
    source_label TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX audit_logs_by_time ON audit_logs(created_at, id);
CREATE INDEX audit_logs_by_source ON audit_logs(source_type, source_id);
