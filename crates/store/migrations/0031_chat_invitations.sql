-- Proactive chat invitations: per widget, a list (JSON) of pages (a path
-- pattern), how long a visitor is on one before the invitation shows, and
-- what it says in Spanish and English.
ALTER TABLE chat_widgets ADD COLUMN invitations TEXT NOT NULL DEFAULT '[]';
