-- A report reads, of each ticket's facts, only what its figures count
-- (`domain::report::Counted`). Reading twenty columns of each of a
-- quarter's hundred thousand rows cost more than counting them, so the
-- fold also keeps those columns packed in one value: big-endian, in
-- this order, a NULL as the type's least value —
--   8 bytes each: created_at, group_id, assignee_id, solved_at;
--   4 bytes each: ack_minutes, first_reply_minutes, first_reply_business, resolution_minutes, resolution_business, requester_wait_minutes, requester_wait_business, agent_work_minutes, agent_work_business, reopens, replies, csat, ces.
-- The columns stay what the figures are defined on (and what a
-- documented query reads); `packed` is written with them, always.
-- Here the facts already folded are packed.
ALTER TABLE report_tickets ADD COLUMN packed BYTEA;
UPDATE report_tickets SET packed =
    int8send(coalesce(created_at::int8, -9223372036854775807 - 1))
    || int8send(coalesce(group_id::int8, -9223372036854775807 - 1))
    || int8send(coalesce(assignee_id::int8, -9223372036854775807 - 1))
    || int8send(coalesce(solved_at::int8, -9223372036854775807 - 1))
    || int4send(coalesce(ack_minutes::int4, -2147483648))
    || int4send(coalesce(first_reply_minutes::int4, -2147483648))
    || int4send(coalesce(first_reply_business::int4, -2147483648))
    || int4send(coalesce(resolution_minutes::int4, -2147483648))
    || int4send(coalesce(resolution_business::int4, -2147483648))
    || int4send(coalesce(requester_wait_minutes::int4, -2147483648))
    || int4send(coalesce(requester_wait_business::int4, -2147483648))
    || int4send(coalesce(agent_work_minutes::int4, -2147483648))
    || int4send(coalesce(agent_work_business::int4, -2147483648))
    || int4send(coalesce(reopens::int4, -2147483648))
    || int4send(coalesce(replies::int4, -2147483648))
    || int4send(coalesce(csat::int4, -2147483648))
    || int4send(coalesce(ces::int4, -2147483648));
