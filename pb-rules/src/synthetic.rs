//! A deterministic synthetic election generator, for benchmarks and tests.

use crate::election::{Ballot, Election, Project, VoteType};
use crate::number::amount;

/// A small, fast, deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// An approval election with `voters` ballots over `projects` projects, the same for the same
/// `seed`. Project popularity is skewed (a few projects are much more popular than most), each
/// ballot approves 1 to 10 projects, costs are 5,000 to 500,000 in steps of 1,000, and the
/// budget is a fifth of the total cost.
#[must_use]
pub fn approval_election(voters: usize, projects: usize, seed: u64) -> Election {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let projects = projects.max(1);
    let mut list = Vec::with_capacity(projects);
    let mut total: i64 = 0;
    for i in 0..projects {
        let cost = 5_000 + 1_000 * i64::try_from(rng.below(496)).unwrap_or(0);
        total += cost;
        list.push(Project::new(format!("P{i:03}"), amount(cost)));
    }
    // Popularity weights ~ 1 / (rank + 1): cumulative table for sampling.
    let weights: Vec<u64> = (0..projects).map(|r| 1_000_000 / (r as u64 + 1)).collect();
    let mut cumulative = Vec::with_capacity(projects);
    let mut sum = 0u64;
    for w in &weights {
        sum += w;
        cumulative.push(sum);
    }
    let mut election = Election::new(amount(total / 5), VoteType::Approval, list);
    election.meta.push((
        "description".to_owned(),
        "Synthetic approval election".to_owned(),
    ));
    election
        .meta
        .push(("num_projects".to_owned(), projects.to_string()));
    election
        .meta
        .push(("num_votes".to_owned(), voters.to_string()));
    election
        .meta
        .push(("currency".to_owned(), "EUR".to_owned()));
    let mut ballot = Vec::with_capacity(10);
    for _ in 0..voters {
        ballot.clear();
        let size = 1 + rng.below(10) as usize;
        for _ in 0..size.min(projects) {
            let x = rng.below(sum);
            let p = cumulative.partition_point(|&c| c <= x).min(projects - 1);
            if !ballot.contains(&p) {
                ballot.push(p);
            }
        }
        election.push_ballot(Ballot::Approval(ballot.clone()));
    }
    election
}
