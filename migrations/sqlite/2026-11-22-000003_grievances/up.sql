-- Grievances ("signalen"): themes, grievances, co-signs, comments and their reports,
-- author updates, status history; and an optional area (centre and radius) per neighbourhood.
-- Keep equivalent to ../../postgres/2026-11-22-000003_grievances/up.sql (a test compares them).

ALTER TABLE neighbourhoods ADD COLUMN area_latitude_e6 BIGINT;
ALTER TABLE neighbourhoods ADD COLUMN area_longitude_e6 BIGINT;
ALTER TABLE neighbourhoods ADD COLUMN area_radius_meters INTEGER;

CREATE TABLE themes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name_nl TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);

INSERT INTO themes (key, name_nl, name_en, position, created_at) VALUES
    ('housing', 'Wonen', 'Housing', 10, CURRENT_TIMESTAMP),
    ('safety', 'Veiligheid', 'Safety', 20, CURRENT_TIMESTAMP),
    ('green-public-space', 'Groen en openbare ruimte', 'Green and public space', 30, CURRENT_TIMESTAMP),
    ('traffic', 'Verkeer', 'Traffic', 40, CURRENT_TIMESTAMP),
    ('facilities', 'Voorzieningen', 'Facilities', 50, CURRENT_TIMESTAMP),
    ('poverty-income', 'Armoede en inkomen', 'Poverty and income', 60, CURRENT_TIMESTAMP),
    ('health-care', 'Gezondheid en zorg', 'Health and care', 70, CURRENT_TIMESTAMP),
    ('youth', 'Jongeren', 'Youth', 80, CURRENT_TIMESTAMP),
    ('other', 'Overig', 'Other', 90, CURRENT_TIMESTAMP);

CREATE TABLE grievances (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    author_user_id BIGINT NOT NULL REFERENCES users (id),
    theme_id BIGINT NOT NULL REFERENCES themes (id),
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    latitude_e6 BIGINT,
    longitude_e6 BIGINT,
    show_name INTEGER NOT NULL CHECK (show_name IN (0, 1)),
    status TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'in_campaign', 'resolved', 'closed', 'merged')),
    status_reason TEXT,
    cosign_count BIGINT NOT NULL DEFAULT 0,
    comment_count BIGINT NOT NULL DEFAULT 0,
    merged_into_id BIGINT REFERENCES grievances (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX grievances_top_idx ON grievances (neighbourhood_id, cosign_count, id);
CREATE INDEX grievances_newest_idx ON grievances (neighbourhood_id, id);
CREATE INDEX grievances_author_idx ON grievances (author_user_id);
CREATE INDEX grievances_merged_into_idx ON grievances (merged_into_id);
-- Counting a filtered list and choosing the places for NEAREST, from the index alone.
CREATE INDEX grievances_list_idx ON grievances (neighbourhood_id, status, latitude_e6, longitude_e6);

CREATE TABLE grievance_cosigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    grievance_id BIGINT NOT NULL REFERENCES grievances (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (grievance_id, user_id)
);
CREATE INDEX grievance_cosigns_user_idx ON grievance_cosigns (user_id);

CREATE TABLE grievance_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    grievance_id BIGINT NOT NULL REFERENCES grievances (id) ON DELETE CASCADE,
    author_user_id BIGINT NOT NULL REFERENCES users (id),
    author_anonymous INTEGER NOT NULL CHECK (author_anonymous IN (0, 1)),
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    edited_at TIMESTAMP,
    hidden_at TIMESTAMP,
    hidden_reason TEXT,
    hidden_by_user_id BIGINT REFERENCES users (id)
);
CREATE INDEX grievance_comments_grievance_idx ON grievance_comments (grievance_id, created_at, id);
CREATE INDEX grievance_comments_author_idx ON grievance_comments (author_user_id);

CREATE TABLE grievance_comment_reports (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    comment_id BIGINT NOT NULL REFERENCES grievance_comments (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    reason TEXT,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (comment_id, user_id)
);
CREATE INDEX grievance_comment_reports_user_idx ON grievance_comment_reports (user_id);

CREATE TABLE grievance_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    grievance_id BIGINT NOT NULL REFERENCES grievances (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX grievance_updates_grievance_idx ON grievance_updates (grievance_id, id);

CREATE TABLE grievance_status_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    grievance_id BIGINT NOT NULL REFERENCES grievances (id) ON DELETE CASCADE,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reason TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX grievance_status_changes_grievance_idx ON grievance_status_changes (grievance_id, id);
CREATE INDEX grievance_status_changes_actor_idx ON grievance_status_changes (actor_user_id);
