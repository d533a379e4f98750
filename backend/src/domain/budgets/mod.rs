//! Wijkbudget ("neighbourhood budget"): a budget round per neighbourhood, created by its
//! organisers; members propose projects, organisers review them, members vote with a secret
//! ballot, and closing the vote counts it with `pb-rules` and stores the outcome, which anyone
//! can recompute from the Pabulib export.
//!
//! Secrecy: `budget_voters` records THAT a member voted, `budget_ballots` WHAT was voted, with
//! no column that links the two (no user id, no time, a random key). Counting rewrites every
//! ballot of the round in random-key order in one transaction, which also wipes what the storage
//! engines record on their own (PostgreSQL's `xmin` and physical order). README "Secret ballot"
//! describes what a database administrator can and cannot learn.

pub mod election;
pub mod model;
pub mod policy;
pub mod repo;
pub mod service;

pub use model::{
    BallotKind, NewProposal, NewRound, Outcome, Phase, Proposal, ProposalEdit, ProposalPage,
    ProposalStatus, ProposalView, Review, Round, RoundView, Rule,
};

/// The public id kinds (`ids::public_id`).
pub const ROUND_KIND: &str = "BudgetRound";
pub const PROPOSAL_KIND: &str = "BudgetProposal";
