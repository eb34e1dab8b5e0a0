-- SMS is a channel of its own (Zendesk's `sms`): its messages are taken in
-- and sent like every other channel's.
ALTER TABLE inbound_messages DROP CONSTRAINT IF EXISTS inbound_messages_channel_check;
ALTER TABLE inbound_messages ADD CONSTRAINT inbound_messages_channel_check
    CHECK (channel IN ('api', 'web', 'email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm', 'sms', 'voice', 'walk_in'));
ALTER TABLE outbound_messages DROP CONSTRAINT IF EXISTS outbound_messages_channel_check;
ALTER TABLE outbound_messages ADD CONSTRAINT outbound_messages_channel_check
    CHECK (channel IN ('email', 'chat', 'whatsapp', 'telegram', 'facebook', 'instagram_dm', 'sms'));
