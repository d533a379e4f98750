//! The `.pb` parser must never panic or hang, whatever the input. What parses must also survive
//! a write/parse round trip and both rules (on small inputs, to keep each run fast).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pb_rules::{RuleOptions, equal_shares, greedy, pabulib};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    if let Ok(election) = pabulib::parse(&text) {
        let back = pabulib::parse(&pabulib::write(&election));
        // Not assert_eq!: the Debug output of a large election would drown the report.
        assert!(
            back.as_ref() == Ok(&election),
            "round trip changed the election"
        );
        if election.voters.len() <= 50 && election.projects.len() <= 20 {
            let options = RuleOptions::defaults_for(&election);
            let _ = greedy(&election, &options);
            let _ = equal_shares(&election, &options);
        }
    }
});
