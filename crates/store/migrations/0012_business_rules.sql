-- Business rules and service levels: schedules with holidays, SLA
-- policies and each ticket's SLA clock, triggers and automations, signed
-- outgoing webhooks with their delivery log, skills-based routing (skills
-- with levels, agents' languages, capacity and presence, tickets' needs and
-- their place in the queue), and named leases so that with several nodes
-- each periodic job runs on one of them.

CREATE TABLE schedules (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    -- JSON [[start_minute, end_minute], ...], minutes since Sunday 00:00.
    intervals TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE holidays (
    id INTEGER PRIMARY KEY,
    schedule_id INTEGER NOT NULL REFERENCES schedules(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL
);
CREATE INDEX holidays_schedule ON holidays(schedule_id);

CREATE TABLE sla_policies (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    position INTEGER NOT NULL DEFAULT 0,
    -- JSON {all: [...], any: [...]} in Zendesk's condition shape.
    filter TEXT NOT NULL,
    -- JSON [{priority, metric, target, business_hours}].
    metrics TEXT NOT NULL,
    schedule_id INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

-- A ticket's SLA: the policy in force, the history its clocks run on
-- (JSON [[unix_seconds, happening], ...]), each target's state, and the
-- nearest due instant (views sort by it; the breach watcher scans it).
CREATE TABLE ticket_slas (
    ticket_id INTEGER PRIMARY KEY,
    policy_id INTEGER,
    history TEXT NOT NULL,
    targets TEXT NOT NULL,
    next_due_at INTEGER,
    -- The due instant whose breach was already announced.
    breach_announced_at INTEGER,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ticket_slas_due ON ticket_slas(next_due_at);

CREATE TABLE business_rules (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('trigger', 'automation')),
    title TEXT NOT NULL,
    description TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    position INTEGER NOT NULL DEFAULT 0,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    -- A rule atiende created at first start (the acknowledgement, the
    -- assignee notification): admins may edit or turn it off.
    builtin TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX business_rules_kind ON business_rules(kind, position, id);

-- An automation fires once per ticket state: (rule, ticket, the ticket's
-- updated_at after firing). A second node racing for the same ticket hits
-- the primary key and backs off.
CREATE TABLE automation_firings (
    rule_id INTEGER NOT NULL,
    ticket_id INTEGER NOT NULL,
    version INTEGER NOT NULL,
    fired_at INTEGER NOT NULL,
    PRIMARY KEY (rule_id, ticket_id, version)
);

CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT,
    endpoint TEXT NOT NULL,
    http_method TEXT NOT NULL CHECK (http_method IN ('POST', 'PUT', 'PATCH', 'GET', 'DELETE')),
    request_format TEXT NOT NULL DEFAULT 'json',
    status TEXT NOT NULL CHECK (status IN ('active', 'inactive')),
    signing_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    ticket_id INTEGER,
    rule_id INTEGER,
    body TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    claimed_until INTEGER,
    last_status INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);
CREATE INDEX webhook_deliveries_hook ON webhook_deliveries(webhook_id, id);

CREATE TABLE routing_attributes (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE routing_attribute_values (
    id TEXT PRIMARY KEY,
    attribute_id TEXT NOT NULL REFERENCES routing_attributes(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX routing_values_attribute ON routing_attribute_values(attribute_id);

-- An agent's skills, 1 (some) to 5 (expert).
CREATE TABLE agent_skills (
    user_id INTEGER NOT NULL,
    value_id TEXT NOT NULL REFERENCES routing_attribute_values(id) ON DELETE CASCADE,
    level INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, value_id)
);

-- What a ticket needs of its agent.
CREATE TABLE ticket_requirements (
    ticket_id INTEGER NOT NULL,
    value_id TEXT NOT NULL REFERENCES routing_attribute_values(id) ON DELETE CASCADE,
    min_level INTEGER NOT NULL CHECK (min_level BETWEEN 1 AND 5),
    optional BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (ticket_id, value_id)
);

-- An agent's routing profile: languages, capacity and presence per work
-- channel, working schedule, when they last got a case and last did
-- something (presence falls to away after inactivity).
CREATE TABLE agent_routing (
    user_id INTEGER PRIMARY KEY,
    languages TEXT NOT NULL DEFAULT '',
    capacity_email INTEGER NOT NULL DEFAULT 10,
    capacity_chat INTEGER NOT NULL DEFAULT 3,
    capacity_call INTEGER NOT NULL DEFAULT 1,
    presence_email TEXT NOT NULL DEFAULT 'offline' CHECK (presence_email IN ('online', 'away', 'offline')),
    presence_chat TEXT NOT NULL DEFAULT 'offline' CHECK (presence_chat IN ('online', 'away', 'offline')),
    presence_call TEXT NOT NULL DEFAULT 'offline' CHECK (presence_call IN ('online', 'away', 'offline')),
    schedule_id INTEGER,
    last_assigned_at INTEGER,
    last_active_at INTEGER,
    updated_at INTEGER NOT NULL
);

-- A ticket the router handles: waiting in its group's queue, or assigned
-- and awaiting the agent's first action.
CREATE TABLE ticket_routing (
    ticket_id INTEGER PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'assigned', 'done')),
    group_id INTEGER,
    work_channel TEXT NOT NULL CHECK (work_channel IN ('email', 'chat', 'call')),
    language TEXT,
    queued_at INTEGER NOT NULL,
    assigned_at INTEGER,
    assignee_id INTEGER,
    optional_dropped BOOLEAN NOT NULL DEFAULT FALSE,
    escalations INTEGER NOT NULL DEFAULT 0,
    last_reason TEXT,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ticket_routing_state ON ticket_routing(state, queued_at);

CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    node TEXT NOT NULL,
    until INTEGER NOT NULL
);

-- An agent's load: their tickets in new or open, per channel.
CREATE INDEX tickets_assignee_status ON tickets(assignee_id, status_rank);
