-- The answer bot also hands over for topics admins list (reason
-- `handover_topic`).
ALTER TABLE bot_interactions DROP CONSTRAINT bot_interactions_reason_check;
ALTER TABLE bot_interactions ADD CONSTRAINT bot_interactions_reason_check
    CHECK (reason IN ('asked_for_person', 'handover_topic', 'nothing_to_answer', 'no_good_match', 'answered'));
