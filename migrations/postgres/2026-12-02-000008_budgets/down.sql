DROP TABLE budget_ballots;
DROP TABLE budget_voters;
DROP TABLE budget_proposals;
DROP TABLE budget_rounds;
