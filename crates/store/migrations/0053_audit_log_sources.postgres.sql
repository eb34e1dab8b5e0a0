-- The audit log also records the help center's categories, sections and
-- user segments, the site's look (the brand) and account settings
-- (satisfaction surveys, routing).
ALTER TABLE audit_logs DROP CONSTRAINT audit_logs_source_type_check;
ALTER TABLE audit_logs ADD CONSTRAINT audit_logs_source_type_check
    CHECK (source_type IN ('rule', 'ticket_field', 'user_field',
        'organization_field', 'ticket_form', 'group', 'sla_policy', 'schedule', 'webhook',
        'api_token', 'user', 'organization', 'ticket', 'support_address', 'chat_widget',
        'channel_account', 'voice_line', 'category', 'section', 'user_segment', 'brand',
        'account_setting', 'oauth_client'));
