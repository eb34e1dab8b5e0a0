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
ALTER TABLE report_tickets ADD COLUMN packed BLOB;
UPDATE report_tickets SET packed = unhex(printf('%016x%016x%016x%016x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x',
    coalesce(created_at, -9223372036854775807 - 1),
    coalesce(group_id, -9223372036854775807 - 1),
    coalesce(assignee_id, -9223372036854775807 - 1),
    coalesce(solved_at, -9223372036854775807 - 1),
    coalesce(ack_minutes, -2147483648) & 4294967295,
    coalesce(first_reply_minutes, -2147483648) & 4294967295,
    coalesce(first_reply_business, -2147483648) & 4294967295,
    coalesce(resolution_minutes, -2147483648) & 4294967295,
    coalesce(resolution_business, -2147483648) & 4294967295,
    coalesce(requester_wait_minutes, -2147483648) & 4294967295,
    coalesce(requester_wait_business, -2147483648) & 4294967295,
    coalesce(agent_work_minutes, -2147483648) & 4294967295,
    coalesce(agent_work_business, -2147483648) & 4294967295,
    coalesce(reopens, -2147483648) & 4294967295,
    coalesce(replies, -2147483648) & 4294967295,
    coalesce(csat, -2147483648) & 4294967295,
    coalesce(ces, -2147483648) & 4294967295));
