-- What a webhook is called for: Zendesk's `conditional_ticket_events`
-- (triggers and automations call it), and atiende's chat events
-- (`chat.started`, `chat.handed_over`, `chat.accepted`,
-- `chat.transferred`, `chat.ended`), as a JSON list.
ALTER TABLE webhooks ADD COLUMN subscriptions TEXT NOT NULL DEFAULT '["conditional_ticket_events"]';
