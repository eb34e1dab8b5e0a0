-- Surveys (issue 15). CSAT stays Zendesk's satisfaction rating, now with
-- the reason a customer gave for a bad one and the channel it was asked
-- on; each survey sent is an invitation with its own signed link; CES and
-- NPS answers are kept per invitation, and a changed answer leaves its
-- earlier score behind.
ALTER TABLE satisfaction_ratings ADD COLUMN reason_code INTEGER NOT NULL DEFAULT 0;
ALTER TABLE satisfaction_ratings ADD COLUMN channel TEXT;
CREATE TABLE survey_invitations (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('csat', 'nps')),
    ticket_id INTEGER REFERENCES tickets(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- NULL: decided but not sent (the customer cannot be reached, or the
    -- case did not qualify), so it is not considered again.
    channel TEXT,
    locale TEXT NOT NULL,
    sent_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    review_offered_at INTEGER,
    review_clicked_at INTEGER,
    -- When a low score started follow-up work (once per survey).
    followed_up_at INTEGER
);
-- One CSAT survey per case (NPS invitations have no case).
CREATE UNIQUE INDEX survey_invitations_ticket ON survey_invitations(ticket_id, kind);
CREATE INDEX survey_invitations_user ON survey_invitations(user_id, kind, sent_at);
CREATE TABLE survey_answers (
    id INTEGER PRIMARY KEY,
    invitation_id INTEGER NOT NULL REFERENCES survey_invitations(id) ON DELETE CASCADE,
    question TEXT NOT NULL CHECK (question IN ('ces', 'nps')),
    score INTEGER NOT NULL,
    comment TEXT,
    channel TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (invitation_id, question)
);
CREATE INDEX survey_answers_answered ON survey_answers(answered_at, id);
CREATE TABLE survey_answer_changes (
    answer_id INTEGER NOT NULL REFERENCES survey_answers(id) ON DELETE CASCADE,
    score_before INTEGER NOT NULL,
    score_after INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX survey_answer_changes_answer ON survey_answer_changes(answer_id);
-- The survey pass looks for cases solved a while ago.
CREATE INDEX tickets_solved ON tickets(solved_at) WHERE solved_at IS NOT NULL;
