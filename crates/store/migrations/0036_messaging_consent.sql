-- Whether a customer agreed to messages on a messaging channel: recorded
-- when they write first (opt-in), when they send a stop word such as STOP
-- or BAJA (opt-out) or a start word (opt-in again), or when an agent sets
-- it. A customer who opted out gets no more replies on that channel.
CREATE TABLE messaging_consent (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    channel TEXT NOT NULL CHECK (channel IN ('whatsapp', 'facebook', 'instagram_dm', 'telegram', 'sms')),
    opted_in BOOLEAN NOT NULL,
    source TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, channel)
);
