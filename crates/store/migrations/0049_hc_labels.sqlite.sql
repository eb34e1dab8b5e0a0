-- Article labels as records with ids (Zendesk's article labels API). An
-- article's labels stay in `hc_articles.label_names`; every name used
-- there has a row here, made when an article is saved with it.
CREATE TABLE hc_labels (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
INSERT OR IGNORE INTO hc_labels (name, created_at, updated_at)
    WITH RECURSIVE split(name, rest, at) AS (
        SELECT '', label_names || ',', updated_at FROM hc_articles WHERE label_names <> ''
        UNION ALL
        SELECT trim(substr(rest, 1, instr(rest, ',') - 1)), substr(rest, instr(rest, ',') + 1), at
        FROM split WHERE rest <> ''
    )
    SELECT name, MIN(at), MIN(at) FROM split WHERE name <> '' GROUP BY name;
