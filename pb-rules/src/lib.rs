//! Participatory-budgeting rules for the wijkbudget ("neighbourhood budget") capability.
//!
//! A pure library: ballots and their validation, greedy by support, the Method of Equal Shares
//! with the completions used in practice, per-project explanations residents can read, and the
//! Pabulib `.pb` format. No I/O and no database (the optional `cli` feature adds the
//! `buurtkracht pb outcome` command, which reads a file).
//!
//! All arithmetic is exact (big rationals and scaled big integers), so outcomes never depend on
//! floating-point error. Ties are broken by [`TieBreak`]; the default compares project ids as
//! strings, like pabutools, the reference implementation.
//!
//! ```
//! use pb_rules::{Ballot, Election, Project, RuleOptions, VoteType, amount, equal_shares, greedy};
//!
//! let mut election = Election::new(
//!     amount(100),
//!     VoteType::Approval,
//!     vec![Project::new("a", amount(60)), Project::new("b", amount(50)), Project::new("c", amount(40))],
//! );
//! election.push_ballot(Ballot::Approval(vec![0, 1]));
//! election.push_ballot(Ballot::Approval(vec![0]));
//! election.push_ballot(Ballot::Approval(vec![2]));
//! let options = RuleOptions::defaults_for(&election);
//! let outcome = greedy(&election, &options).expect("approval ballots");
//! assert_eq!(outcome.selected_ids(&election), ["a", "c"]);
//! let outcome = equal_shares(&election, &options).expect("approval ballots");
//! assert_eq!(outcome.selected_ids(&election), ["a"]);
//! ```

pub mod ballot;
#[cfg(feature = "cli")]
pub mod cli;
pub mod election;
pub mod number;
pub mod pabulib;
pub mod rules;
pub mod synthetic;

pub use ballot::{
    BallotEntry, BallotKind, BallotProblem, BallotRules, Minimum, ProblemCode, to_ballot,
    validate_ballot,
};
pub use election::{Ballot, Election, Project, VoteType, Voter};
pub use number::{Amount, amount, format_exact, format_money, parse_amount};
pub use pabulib::ParseError;
pub use rules::{
    Completion, Explanation, MAX_BUDGET_RAISES, Outcome, Reason, RuleError, RuleOptions,
    Satisfaction, SharesDetails, TieBreak, equal_shares, greedy,
};
