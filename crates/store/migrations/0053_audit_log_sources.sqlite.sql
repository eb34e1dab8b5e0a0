-- The audit log also records the help center's categories, sections and
-- user segments, the site's look (the brand) and account settings
-- (satisfaction surveys, routing). SQLite changes a column's constraints
-- only by rebuilding the table.
CREATE TABLE audit_logs_new (
    id INTEGER PRIMARY KEY,
    actor_id INTEGER NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'update', 'destroy')),
    source_type TEXT NOT NULL CHECK (source_type IN ('rule', 'ticket_field', 'user_field',
        'organization_field', 'ticket_form', 'group', 'sla_policy', 'schedule', 'webhook',
        'api_token', 'user', 'organization', 'ticket', 'support_address', 'chat_widget',
        'channel_account', 'voice_line', 'category', 'section', 'user_segment', 'brand',
        'account_setting', 'oauth_client')),
    source_id INTEGER NOT NULL,
    source_label TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO audit_logs_new (id, actor_id, action, source_type, source_id, source_label, created_at)
    SELECT id, actor_id, action, source_type, source_id, source_label, created_at FROM audit_logs;
DROP TABLE audit_logs;
ALTER TABLE audit_logs_new RENAME TO audit_logs;
CREATE INDEX audit_logs_by_time ON audit_logs(created_at, id);
CREATE INDEX audit_logs_by_source ON audit_logs(source_type, source_id);
