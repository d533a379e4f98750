-- How many grievances each neighbourhood has per theme and status, kept in the same
-- transaction as every change (raise, edit of the theme, status change, merge), so that a
-- list's totalCount is a sum over a few rows instead of a count over all grievances.
-- Keep equivalent to ../../postgres/2026-12-01-000004_grievance_counters/up.sql (a test compares them).

CREATE TABLE grievance_counts (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    theme_id BIGINT NOT NULL REFERENCES themes (id),
    status TEXT NOT NULL,
    grievances BIGINT NOT NULL,
    UNIQUE (neighbourhood_id, theme_id, status)
);

INSERT INTO grievance_counts (neighbourhood_id, theme_id, status, grievances)
    SELECT neighbourhood_id, theme_id, status, COUNT(*) FROM grievances
    GROUP BY neighbourhood_id, theme_id, status;
