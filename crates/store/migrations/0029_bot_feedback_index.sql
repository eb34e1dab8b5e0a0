-- The answer bot learns from what customers said of its answers: the few
-- questions with an answer marked helpful or not are read (and counted,
-- every few seconds, to see whether there is anything new) through this
-- index rather than the whole log of questions.
CREATE INDEX bot_interactions_feedback ON bot_interactions(id)
    WHERE resolved_article_id IS NOT NULL OR rejected_article_id IS NOT NULL;
