-- How many parts of a message its provider has taken (a long text goes as
-- several, each file as its own): a retry after a failure halfway sends
-- only the rest, so the customer never gets the words twice.
ALTER TABLE outbound_messages ADD COLUMN parts_sent INTEGER NOT NULL DEFAULT 0;
