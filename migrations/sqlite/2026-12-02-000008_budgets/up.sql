-- Wijkbudget: budget rounds per neighbourhood, proposals with their review, the secret
-- ballot (who voted apart from what was voted) and the stored outcome.
-- Keep equivalent to ../../postgres/2026-12-02-000008_budgets/up.sql (a test compares them).

CREATE TABLE budget_rounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    neighbourhood_id BIGINT NOT NULL REFERENCES neighbourhoods (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    total_euros BIGINT NOT NULL CHECK (total_euros > 0),
    ballot_kind TEXT NOT NULL CHECK (ballot_kind IN ('approval', 'k_approval', 'knapsack')),
    max_choices INTEGER,
    rule TEXT NOT NULL CHECK (rule IN ('greedy', 'equal_shares')),
    phase TEXT NOT NULL CHECK (phase IN ('proposing', 'reviewing', 'voting', 'counted')),
    proposals_until TIMESTAMP,
    voting_from TIMESTAMP,
    voting_until TIMESTAMP,
    ballot_count BIGINT NOT NULL DEFAULT 0,
    counted_at TIMESTAMP,
    created_by_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX budget_rounds_neighbourhood_idx ON budget_rounds (neighbourhood_id, id);
CREATE INDEX budget_rounds_created_by_idx ON budget_rounds (created_by_user_id);

CREATE TABLE budget_proposals (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    round_id BIGINT NOT NULL REFERENCES budget_rounds (id) ON DELETE CASCADE,
    author_user_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    cost_euros BIGINT NOT NULL CHECK (cost_euros > 0),
    proposed_cost_euros BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'feasible', 'not_feasible')),
    review_reason TEXT,
    funded INTEGER CHECK (funded IN (0, 1)),
    explanation TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX budget_proposals_round_idx ON budget_proposals (round_id, id);
CREATE INDEX budget_proposals_author_idx ON budget_proposals (author_user_id);

-- THAT a member voted: no time, no ballot reference.
CREATE TABLE budget_voters (
    round_id BIGINT NOT NULL REFERENCES budget_rounds (id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    UNIQUE (round_id, user_id)
);
CREATE INDEX budget_voters_user_idx ON budget_voters (user_id);

-- WHAT was voted: a random key, no voter, no time; see README "Secret ballot".
CREATE TABLE budget_ballots (
    id TEXT NOT NULL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES budget_rounds (id) ON DELETE CASCADE,
    choices TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX budget_ballots_round_idx ON budget_ballots (round_id);
