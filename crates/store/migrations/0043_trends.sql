-- Frequent problems and trends (issue 15). Each ticket's topic is kept
-- with its report facts: a category field's value, a tag, or a topic
-- learned from the text (`text:<id>`), so a period's top problems are one
-- grouped count and a topic's last hour one indexed count.
ALTER TABLE report_tickets ADD COLUMN topic TEXT;
CREATE INDEX report_tickets_topic ON report_tickets(topic, created_at) WHERE topic IS NOT NULL;
-- Topics learned from tickets' text: a centre (unit vector, little-endian
-- f32s) of the model that made it, how many tickets made it, and their
-- most frequent words ("word count" per line) to name it.
CREATE TABLE text_topics (
    id INTEGER PRIMARY KEY,
    model TEXT NOT NULL,
    centre BLOB NOT NULL,
    size INTEGER NOT NULL,
    words TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX text_topics_model ON text_topics(model);
-- A ticket's text topic, decided once (a rebuild of the reports reads it
-- instead of reading the text again). Kept without a foreign key: a
-- deleted ticket's row goes with its report row (`reports::remove`).
CREATE TABLE ticket_text_topics (
    ticket_id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL,
    model TEXT NOT NULL
);
-- Spikes found: a topic's last hour far above its normal hour. One per
-- topic at a time (a new one only after `trends::QUIET` has passed).
CREATE TABLE topic_spikes (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    name TEXT NOT NULL,
    tickets INTEGER NOT NULL,
    -- The week before the hour (its normal hour is a 168th of it).
    week_before INTEGER NOT NULL,
    hour_from INTEGER NOT NULL,
    detected_at INTEGER NOT NULL
);
CREATE INDEX topic_spikes_topic ON topic_spikes(topic, detected_at);
CREATE INDEX topic_spikes_detected ON topic_spikes(detected_at);
-- A period's report reads the tickets solved in it that were created
-- before it: the creation time beside the solve time answers that from
-- the index alone (and the backlog's count likewise).
DROP INDEX report_tickets_solved;
CREATE INDEX report_tickets_solved ON report_tickets(solved_at, created_at) WHERE solved_at IS NOT NULL;
