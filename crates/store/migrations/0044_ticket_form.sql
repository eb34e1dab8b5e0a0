-- The request form a ticket was made with (Zendesk's `ticket_form_id`),
-- kept on the ticket and on its report facts, so reports can be narrowed
-- to a form.
ALTER TABLE tickets ADD COLUMN ticket_form_id INTEGER;
ALTER TABLE report_tickets ADD COLUMN form_id INTEGER;
