-- Campaigns ("acties"): started from grievances of one neighbourhood, with change goals, phases
-- with goals (exactly one active phase, enforced here), participants and a core team.
-- Keep equivalent to ../../postgres/2026-12-02-000007_campaigns/up.sql (a test compares them).

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    -- The change goals ("veranderdoelen"), in order: a JSON array of texts.
    change_goals TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('active', 'closed')),
    outcome TEXT CHECK (outcome IN ('won', 'partly_won', 'not_won', 'stopped')),
    started_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- Set when the organiser stepped back: residents run it.
    handed_over_at TIMESTAMP,
    participant_count BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    closed_at TIMESTAMP
);
CREATE INDEX campaigns_neighbourhood_idx ON campaigns (neighbourhood_id, status, id);
CREATE INDEX campaigns_started_by_idx ON campaigns (started_by_user_id);

CREATE TABLE campaign_phases (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('planned', 'active', 'completed')),
    reflection TEXT,
    completed_at TIMESTAMP,
    completed_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, position)
);
-- Exactly one active phase per campaign, whatever the code does.
CREATE UNIQUE INDEX campaign_phases_one_active_idx ON campaign_phases (campaign_id) WHERE status = 'active';
CREATE INDEX campaign_phases_completed_by_idx ON campaign_phases (completed_by_user_id);

CREATE TABLE campaign_goals (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    phase_id BIGINT NOT NULL REFERENCES campaign_phases (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT NOT NULL,
    target BIGINT,
    unit TEXT,
    current_value BIGINT,
    met_at TIMESTAMP,
    evidence TEXT,
    evidence_link TEXT,
    -- Why it was not met, given when its phase was completed without it.
    unmet_reason TEXT,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX campaign_goals_phase_idx ON campaign_goals (phase_id, position);

CREATE TABLE campaign_goal_updates (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    goal_id BIGINT NOT NULL REFERENCES campaign_goals (id) ON DELETE CASCADE,
    value BIGINT,
    note TEXT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX campaign_goal_updates_goal_idx ON campaign_goal_updates (goal_id, id);
CREATE INDEX campaign_goal_updates_actor_idx ON campaign_goal_updates (actor_user_id);

-- Participants; core-team members ("kerngroep") are participants with the flag.
CREATE TABLE campaign_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    campaign_id BIGINT NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    core_team INTEGER NOT NULL CHECK (core_team IN (0, 1)),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (campaign_id, user_id)
);
CREATE INDEX campaign_members_user_idx ON campaign_members (user_id);
CREATE INDEX campaign_members_team_idx ON campaign_members (campaign_id, core_team);

-- Per neighbourhood: may residents start campaigns? No row means yes.
CREATE TABLE campaign_settings (
    neighbourhood_id BIGINT PRIMARY KEY NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    residents_may_start INTEGER NOT NULL CHECK (residents_may_start IN (0, 1)),
    updated_at TIMESTAMP NOT NULL
);

ALTER TABLE grievances ADD COLUMN campaign_id BIGINT REFERENCES campaigns (id) ON DELETE SET NULL;
CREATE INDEX grievances_campaign_idx ON grievances (campaign_id, id);
