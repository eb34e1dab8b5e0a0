-- Reports (issue 15): one row of facts per ticket, folded from the event
-- log by the reports loop (its cursor is the setting `reports.cursor`) and
-- rebuildable from scratch. Times are minutes, calendar and business (the
-- default schedule); NULL where the milestone has not happened.
CREATE TABLE report_tickets (
    ticket_id INTEGER PRIMARY KEY,
    created_at INTEGER NOT NULL,
    channel TEXT NOT NULL,
    group_id INTEGER,
    assignee_id INTEGER,
    organization_id INTEGER,
    requester_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    -- Space-separated, with a space before and after (`' a b '`), so a
    -- tag filter is one LIKE.
    tags TEXT NOT NULL,
    solved_at INTEGER,
    -- The first message we sent the customer about it, automatic or not.
    ack_minutes INTEGER,
    first_reply_minutes INTEGER,
    first_reply_business INTEGER,
    resolution_minutes INTEGER,
    resolution_business INTEGER,
    requester_wait_minutes INTEGER NOT NULL,
    requester_wait_business INTEGER NOT NULL,
    agent_work_minutes INTEGER NOT NULL,
    agent_work_business INTEGER NOT NULL,
    reopens INTEGER NOT NULL,
    replies INTEGER NOT NULL,
    -- 1 good, 0 bad, NULL not rated; and the channel it was asked on.
    csat INTEGER,
    csat_channel TEXT,
    ces INTEGER,
    folded_at INTEGER NOT NULL
);
CREATE INDEX report_tickets_created ON report_tickets(created_at);
CREATE INDEX report_tickets_solved ON report_tickets(solved_at) WHERE solved_at IS NOT NULL;
-- The backlog at a moment: the open ones, and those solved since.
CREATE INDEX report_tickets_open ON report_tickets(created_at) WHERE solved_at IS NULL;
