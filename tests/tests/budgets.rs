//! Wijkbudget: rounds, proposals, review, the secret ballot, the count with pb-rules and the
//! Pabulib export that recomputes to the same winners; per role, with bad input, under
//! concurrency; on SQLite and PostgreSQL.

use buurtkracht_tests::cast::{Cast, cast, expect_fields, join};
use buurtkracht_tests::{GqlResponse, Session, TestApp, on_both_backends};
use serde_json::{Value, json};

const ROUND_FIELDS: &str = "id title totalEuros ballotKind maxChoices rule phase ballotCount viewerHasVoted viewerCanPropose viewerCanVote viewerCanOrganise";
const PROPOSAL_FIELDS: &str = "id title description authorName costEuros proposedCostEuros status reviewReason funded explanation viewerIsAuthor viewerCanEdit viewerCanReview";

fn create() -> String {
    format!(
        "mutation($input: CreateBudgetRoundInput!) {{ createBudgetRound(input: $input) {{ {ROUND_FIELDS} }} }}"
    )
}
fn advance() -> String {
    format!(
        "mutation($id: ID!, $reason: String) {{ advanceBudgetRound(id: $id, reason: $reason) {{ {ROUND_FIELDS} }} }}"
    )
}
fn propose() -> String {
    format!(
        "mutation($input: ProposeBudgetProjectInput!) {{ proposeBudgetProject(input: $input) {{ {PROPOSAL_FIELDS} }} }}"
    )
}
fn edit() -> String {
    format!(
        "mutation($input: EditBudgetProposalInput!) {{ editBudgetProposal(input: $input) {{ {PROPOSAL_FIELDS} }} }}"
    )
}
fn review() -> String {
    format!(
        "mutation($input: ReviewBudgetProposalInput!) {{ reviewBudgetProposal(input: $input) {{ {PROPOSAL_FIELDS} }} }}"
    )
}
fn vote() -> String {
    format!(
        "mutation($id: ID!, $choices: [ID!]!) {{ castBudgetBallot(roundId: $id, choices: $choices) {{ {ROUND_FIELDS} }} }}"
    )
}
fn round_query() -> String {
    format!(
        "query($id: ID!) {{ budgetRound(id: $id) {{ {ROUND_FIELDS} }} budgetProposals(roundId: $id) {{ totalCount pageInfo {{ hasNextPage }} edges {{ node {{ {PROPOSAL_FIELDS} }} }} }} }}"
    )
}
const ROUNDS: &str = "query($n: ID!, $first: Int, $after: String) { budgetRounds(neighbourhoodId: $n, first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id title phase viewerHasVoted } } } }";
const OUTCOME: &str = "query($id: ID!) { budgetOutcome(roundId: $id) { rule ballotCount fundedEuros funded { id title } projects { id title costEuros funded explanation } electionPb round { phase ballotCount } } }";
fn round_input(
    neighbourhood: &Value,
    kind: &str,
    max: Option<i32>,
    rule: &str,
    total: i64,
) -> Value {
    json!({
        "neighbourhoodId": neighbourhood["id"],
        "title": "Wijkbudget 2027",
        "totalEuros": total,
        "ballotKind": kind,
        "maxChoices": max,
        "rule": rule,
        "votingFrom": "2027-03-01T00:00:00Z",
        "votingUntil": "2027-03-15T00:00:00Z",
    })
}

async fn new_round(app: &TestApp, token: &str, input: Value) -> Value {
    let r = app
        .graphql_as(Some(token), "en", &create(), json!({ "input": input }))
        .await;
    r.data()["createBudgetRound"].clone()
}

async fn propose_as(app: &TestApp, token: &str, round: &Value, title: &str, cost: i64) -> Value {
    let r = app
        .graphql_as(
            Some(token),
            "en",
            &propose(),
            json!({ "input": { "roundId": round["id"], "title": title, "description": "Voor de hele buurt.", "costEuros": cost } }),
        )
        .await;
    r.data()["proposeBudgetProject"].clone()
}

async fn step(app: &TestApp, token: &str, round: &Value, expected: &str) {
    let r = app
        .graphql_as(Some(token), "en", &advance(), json!({ "id": round["id"] }))
        .await;
    assert_eq!(
        r.data()["advanceBudgetRound"]["phase"],
        expected,
        "{:#}",
        r.body
    );
}

async fn review_as(
    app: &TestApp,
    token: &str,
    proposal: &Value,
    feasible: bool,
    reason: Option<&str>,
    cost: Option<i64>,
) -> GqlResponse {
    app.graphql_as(
        Some(token),
        "en",
        &review(),
        json!({ "input": { "id": proposal["id"], "feasible": feasible, "reason": reason, "costEuros": cost } }),
    )
    .await
}

async fn vote_as(app: &TestApp, token: &str, round: &Value, choices: &[&Value]) -> GqlResponse {
    let ids: Vec<Value> = choices.iter().map(|p| p["id"].clone()).collect();
    app.graphql_as(
        Some(token),
        "en",
        &vote(),
        json!({ "id": round["id"], "choices": ids }),
    )
    .await
}

async fn members(app: &TestApp, cast: &Cast, prefix: &str, n: usize) -> Vec<Session> {
    let mut people = Vec::new();
    for i in 0..n {
        let person = app
            .quick_session(&format!("{prefix}{i}@example.org"), &format!("Buur {i}"))
            .await;
        join(app, &person.access_token, &cast.here).await;
        people.push(person);
    }
    people
}

/// A round in the voting phase with three feasible proposals (60, 50, 40 euros of 100) and one
/// that is not feasible.
async fn voting_round(
    app: &TestApp,
    cast: &Cast,
    kind: &str,
    max: Option<i32>,
    rule: &str,
) -> (Value, Vec<Value>, Value) {
    let organiser = cast.organiser_here.access_token.as_str();
    let round = new_round(
        app,
        organiser,
        round_input(&cast.here, kind, max, rule, 100),
    )
    .await;
    let a = propose_as(
        app,
        &cast.resident.access_token,
        &round,
        "Bankjes op het plein",
        60,
    )
    .await;
    let b = propose_as(app, &cast.neighbour.access_token, &round, "Geveltuinen", 50).await;
    let c = propose_as(app, &cast.resident.access_token, &round, "Speeltoestel", 40).await;
    let d = propose_as(app, &cast.neighbour.access_token, &round, "Zwembad", 90).await;
    step(app, organiser, &round, "REVIEWING").await;
    for p in [&a, &b, &c] {
        let r = review_as(app, organiser, p, true, None, None).await;
        assert_eq!(r.data()["reviewBudgetProposal"]["status"], "FEASIBLE");
    }
    let r = review_as(
        app,
        organiser,
        &d,
        false,
        Some("Daar is in de wijk geen plek voor."),
        None,
    )
    .await;
    assert_eq!(r.data()["reviewBudgetProposal"]["status"], "NOT_FEASIBLE");
    step(app, organiser, &round, "VOTING").await;
    (round, vec![a, b, c], d)
}

async fn count_rows(app: &TestApp, sql: &'static str) -> i64 {
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    app.db
        .run(move |conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query(sql)
                .get_result::<N>(conn)
                .map(|r| r.n)
                .map_err(buurtkracht::db::DbError::from)
        })
        .await
        .expect("count")
}

fn recompute(pb: &str) -> (Vec<String>, Vec<String>) {
    let election = pb_rules::pabulib::parse(pb).expect("the export parses");
    let options = pb_rules::RuleOptions::defaults_for(&election);
    let rule = election.meta_value("rule").unwrap_or_default().to_owned();
    let outcome = if rule == "greedy" {
        pb_rules::greedy(&election, &options)
    } else {
        pb_rules::equal_shares(&election, &options)
    }
    .expect("the rule runs");
    let in_file: Vec<String> = election
        .selected_in_file()
        .expect("a selected column")
        .into_iter()
        .map(|i| election.projects[i].id.clone())
        .collect();
    let mut in_file = in_file;
    in_file.sort();
    (outcome.selected_ids(&election), in_file)
}

on_both_backends! {
    async fn a_round_goes_from_proposals_through_review_and_a_secret_vote_to_a_recomputable_outcome(app) {
        let cast = cast(&app).await;
        let organiser = cast.organiser_here.access_token.as_str();
        let round = new_round(&app, organiser, round_input(&cast.here, "APPROVAL", None, "GREEDY", 100)).await;
        assert_eq!(round["phase"], "PROPOSING");
        assert_eq!(round["viewerCanOrganise"], true);

        // Members propose; the author edits their own, nobody else can.
        let a = propose_as(&app, &cast.resident.access_token, &round, "Bankjes", 60).await;
        assert_eq!(a["authorName"], "Kees Resident");
        assert_eq!(a["status"], "SUBMITTED");
        assert_eq!(a["viewerCanEdit"], true);
        let edit_input = json!({ "input": { "id": a["id"], "title": "Bankjes op het plein", "description": "Drie bankjes.", "costEuros": 60 } });
        let r = app.graphql_as(Some(&cast.neighbour.access_token), "en", &edit(), edit_input.clone()).await;
        assert_eq!(r.error_code(), Some("FORBIDDEN"));
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &edit(), edit_input.clone()).await;
        assert_eq!(r.data()["editBudgetProposal"]["title"], "Bankjes op het plein");
        let b = propose_as(&app, &cast.neighbour.access_token, &round, "Geveltuinen", 50).await;
        let c = propose_as(&app, &cast.resident.access_token, &round, "Speeltoestel", 45).await;
        let d = propose_as(&app, &cast.neighbour.access_token, &round, "Zwembad", 90).await;

        // Review: proposing is closed, editing too; a revised cost and a refusal need a reason.
        step(&app, organiser, &round, "REVIEWING").await;
        let late = app.graphql_as(Some(&cast.resident.access_token), "en", &propose(), json!({ "input": { "roundId": round["id"], "title": "Te laat", "description": "x", "costEuros": 5 } })).await;
        expect_fields(&late, "CONFLICT", &[("phase", "INVALID_TRANSITION")]);
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &edit(), edit_input).await;
        expect_fields(&r, "CONFLICT", &[("phase", "INVALID_TRANSITION")]);
        let r = review_as(&app, organiser, &d, false, None, None).await;
        expect_fields(&r, "VALIDATION", &[("reason", "REQUIRED")]);
        let r = step_result(&app, organiser, &round).await;
        expect_fields(&r, "CONFLICT", &[("proposals", "NOT_REVIEWED")]);
        for p in [&a, &b] {
            review_as(&app, organiser, p, true, None, None).await.data();
        }
        let r = review_as(&app, organiser, &c, true, Some("Een speeltoestel kost 40 euro."), Some(40)).await;
        assert_eq!(r.data()["reviewBudgetProposal"]["costEuros"], 40.0);
        assert_eq!(r.data()["reviewBudgetProposal"]["proposedCostEuros"], 45.0);
        let r = review_as(&app, organiser, &d, false, Some("Daar is geen plek voor."), None).await;
        assert_eq!(r.data()["reviewBudgetProposal"]["reviewReason"], "Daar is geen plek voor.");
        let audited = count_rows(&app, "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'budget.review' AND reason = 'Daar is geen plek voor.'").await;
        assert_eq!(audited, 1);

        // Voting: only feasible proposals are on the ballot.
        step(&app, organiser, &round, "VOTING").await;
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&a, &d]).await;
        expect_fields(&r, "VALIDATION", &[("choices", "UNKNOWN_CHOICE")]);
        let voters = members(&app, &cast, "stemmer", 3).await;
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&a, &b]).await;
        assert_eq!(r.data()["castBudgetBallot"]["viewerHasVoted"], true);
        assert_eq!(r.data()["castBudgetBallot"]["viewerCanVote"], false);
        vote_as(&app, &cast.neighbour.access_token, &round, &[&a]).await.data();
        vote_as(&app, &voters[0].access_token, &round, &[&c]).await.data();
        vote_as(&app, &voters[1].access_token, &round, &[&a, &c]).await.data();
        vote_as(&app, &voters[2].access_token, &round, &[&b, &c]).await.data();
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&c]).await;
        expect_fields(&r, "CONFLICT", &[("roundId", "ALREADY_VOTED")]);
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &round_query(), json!({ "id": round["id"] })).await;
        assert_eq!(r.data()["budgetRound"]["viewerHasVoted"], true);
        assert_eq!(r.data()["budgetRound"]["ballotCount"], 5.0);
        let r = app.graphql_as(None, "en", OUTCOME, json!({ "id": round["id"] })).await;
        assert!(r.data()["budgetOutcome"].is_null(), "no outcome before the count");

        // Close: counted with greedy (a: 3, c: 3, b: 2; a then c fit in 100).
        step(&app, organiser, &round, "COUNTED").await;
        let r = vote_as(&app, &cast.organiser_here.access_token, &round, &[&a]).await;
        expect_fields(&r, "CONFLICT", &[("phase", "INVALID_TRANSITION")]);
        let r = app.graphql_as(None, "en", OUTCOME, json!({ "id": round["id"] })).await;
        let outcome = &r.data()["budgetOutcome"];
        assert_eq!(outcome["ballotCount"], 5.0);
        assert_eq!(outcome["rule"], "GREEDY");
        let funded: Vec<&str> = outcome["funded"].as_array().expect("present").iter().map(|p| p["title"].as_str().expect("present")).collect();
        assert_eq!(funded, ["Bankjes op het plein", "Speeltoestel"]);
        assert_eq!(outcome["fundedEuros"], 100.0);
        assert_eq!(outcome["projects"].as_array().expect("present").len(), 3, "only feasible proposals were on the ballot");
        assert!(outcome["projects"].as_array().expect("present").iter().all(|p| p["explanation"].as_str().is_some_and(|e| !e.is_empty())));

        // The export recomputes to the same winners, and says so in its selected column.
        let pb = outcome["electionPb"].as_str().expect("present");
        let (recomputed, in_file) = recompute(pb);
        assert_eq!(recomputed, in_file);
        assert_eq!(recomputed.len(), 2);
        let votes = pb.split("VOTES\n").nth(1).expect("a VOTES section");
        assert_eq!(votes.lines().count(), 1 + 5, "a header and five anonymous ballots: {pb}");
        assert!(!pb.contains("Kees") && !pb.contains("example.org"), "no voter in the export: {pb}");
        let mine = app.graphql_as(Some(&cast.resident.access_token), "en", "{ myData }", json!({})).await;
        let mine: Value = serde_json::from_str(mine.data()["myData"].as_str().expect("json")).expect("json");
        assert_eq!(mine["budgets"]["proposals"].as_array().expect("a list").len(), 2);
        assert_eq!(mine["budgets"]["votedInRounds"], json!([round["id"]]));
        assert!(!mine["budgets"].to_string().contains("choices"), "never what one voted");
        let r = app.graphql(ROUNDS, json!({ "n": cast.here["id"] })).await;
        assert_eq!(r.data()["budgetRounds"]["edges"][0]["node"]["phase"], "COUNTED");

        // The same file over plain HTTP, for anyone; nothing before the count.
        let id = round["id"].as_str().expect("an id");
        let download = app.get(&format!("/api/budgets/{id}/election.pb")).await;
        assert_eq!(download.status().as_u16(), 200);
        assert_eq!(download.text().await.expect("text"), pb);
        let other = new_round(&app, organiser, round_input(&cast.here, "APPROVAL", None, "GREEDY", 100)).await;
        let other_id = other["id"].as_str().expect("an id");
        assert_eq!(app.get(&format!("/api/budgets/{other_id}/election.pb")).await.status().as_u16(), 404);
        assert_eq!(app.get("/api/budgets/nope/election.pb").await.status().as_u16(), 404);
    }

    async fn the_method_of_equal_shares_count_recomputes_from_the_export(app) {
        let cast = cast(&app).await;
        let (round, p, _) = voting_round(&app, &cast, "APPROVAL", None, "EQUAL_SHARES").await;
        let voters = members(&app, &cast, "mes", 4).await;
        vote_as(&app, &cast.resident.access_token, &round, &[&p[0], &p[1]]).await.data();
        vote_as(&app, &cast.neighbour.access_token, &round, &[&p[0]]).await.data();
        vote_as(&app, &voters[0].access_token, &round, &[&p[2]]).await.data();
        vote_as(&app, &voters[1].access_token, &round, &[&p[2]]).await.data();
        vote_as(&app, &voters[2].access_token, &round, &[&p[1], &p[2]]).await.data();
        vote_as(&app, &voters[3].access_token, &round, &[&p[0]]).await.data();
        step(&app, &cast.admin, &round, "COUNTED").await;
        let r = app.graphql(OUTCOME, json!({ "id": round["id"] })).await;
        let outcome = &r.data()["budgetOutcome"];
        assert_eq!(outcome["rule"], "EQUAL_SHARES");
        let (recomputed, in_file) = recompute(outcome["electionPb"].as_str().expect("present"));
        assert_eq!(recomputed, in_file);
        let stored: Vec<String> = outcome["funded"].as_array().expect("present").iter().map(|f| f["id"].as_str().expect("present").to_owned()).collect();
        assert_eq!(stored.len(), recomputed.len());
        assert!(!stored.is_empty());
    }

    async fn ballots_are_checked_against_the_kind_of_ballot(app) {
        let cast = cast(&app).await;
        let (round, p, _) = voting_round(&app, &cast, "K_APPROVAL", Some(1), "GREEDY").await;
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&p[0], &p[1]]).await;
        expect_fields(&r, "VALIDATION", &[("choices", "TOO_MANY_CHOICES")]);
        let r = app.graphql_as(Some(&cast.resident.access_token), "nl", &vote(), json!({ "id": round["id"], "choices": [p[0]["id"], p[1]["id"]] })).await;
        assert_eq!(r.error_message(), "Je koos te veel plannen. Kies er hoogstens 1.");
        let r = vote_as(&app, &cast.resident.access_token, &round, &[]).await;
        expect_fields(&r, "VALIDATION", &[("choices", "REQUIRED")]);
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&p[0], &p[0]]).await;
        expect_fields(&r, "VALIDATION", &[("choices", "DUPLICATE_CHOICE")]);
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &vote(), json!({ "id": round["id"], "choices": ["bm9wZQ"] })).await;
        expect_fields(&r, "VALIDATION", &[("choices", "UNKNOWN_CHOICE")]);
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_voters").await, 0, "nothing half-written");
        vote_as(&app, &cast.resident.access_token, &round, &[&p[1]]).await.data();

        let (round, p, _) = voting_round(&app, &cast, "KNAPSACK", None, "GREEDY").await;
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&p[0], &p[1]]).await;
        expect_fields(&r, "VALIDATION", &[("choices", "OVER_BUDGET")]);
        let r = app.graphql_as(Some(&cast.resident.access_token), "nl", &vote(), json!({ "id": round["id"], "choices": [p[0]["id"], p[1]["id"]] })).await;
        assert_eq!(r.error_message(), "Je keuze kost meer dan het budget. Kies minder of goedkopere plannen.");
        let r = vote_as(&app, &cast.resident.access_token, &round, &[&p[0], &p[2]]).await;
        assert_eq!(r.data()["castBudgetBallot"]["viewerHasVoted"], true);
    }

    async fn bad_input_is_refused_per_field_in_both_languages(app) {
        let cast = cast(&app).await;
        let organiser = cast.organiser_here.access_token.as_str();
        let mut input = round_input(&cast.here, "K_APPROVAL", None, "GREEDY", 0);
        input["title"] = json!("  ");
        input["votingUntil"] = json!("2027-01-01T00:00:00Z");
        let r = app.graphql_as(Some(organiser), "en", &create(), json!({ "input": input })).await;
        expect_fields(&r, "VALIDATION", &[("title", "REQUIRED"), ("totalEuros", "OUT_OF_RANGE"), ("maxChoices", "REQUIRED"), ("votingUntil", "OUT_OF_RANGE")]);
        let r = app.graphql_as(Some(organiser), "en", &create(), json!({ "input": round_input(&cast.here, "APPROVAL", Some(3), "GREEDY", 10) })).await;
        expect_fields(&r, "VALIDATION", &[("maxChoices", "INVALID_FORMAT")]);
        let r = app.graphql_as(Some(organiser), "en", &create(), json!({ "input": round_input(&cast.here, "APPROVAL", None, "GREEDY", 10) })).await;
        let round = r.data()["createBudgetRound"].clone();
        let over = json!({ "input": { "roundId": round["id"], "title": "Duur", "description": "Te duur.", "costEuros": 11 } });
        let r = app.graphql_as(Some(&cast.resident.access_token), "nl", &propose(), over.clone()).await;
        expect_fields(&r, "VALIDATION", &[("costEuros", "OUT_OF_RANGE")]);
        assert_eq!(r.error_message(), "De kosten valt buiten wat kan.");
        let half = json!({ "input": { "roundId": round["id"], "title": "Half", "description": "Halve euro.", "costEuros": 2.5 } });
        let r = app.graphql_as(Some(&cast.resident.access_token), "en", &propose(), half).await;
        expect_fields(&r, "VALIDATION", &[("costEuros", "OUT_OF_RANGE")]);
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_proposals").await, 0);
    }

    async fn every_mutation_is_authorised_per_role(app) {
        let cast = cast(&app).await;
        let expected_create = [("visitor", "UNAUTHENTICATED"), ("resident", "FORBIDDEN"), ("organiser here", "OK"), ("organiser elsewhere", "FORBIDDEN"), ("admin", "OK")];
        for ((role, token), (_, expected)) in cast.roles().into_iter().zip(expected_create) {
            let r = app.graphql_as(token, "en", &create(), json!({ "input": round_input(&cast.here, "APPROVAL", None, "GREEDY", 100) })).await;
            assert_eq!(r.error_code().unwrap_or("OK"), expected, "{role} creates a round: {:#}", r.body);
        }
        let round = new_round(&app, &cast.admin, round_input(&cast.here, "APPROVAL", None, "GREEDY", 100)).await;
        // Proposing: members only (the organiser here is a member through the appointment).
        let expected_propose = [("visitor", "UNAUTHENTICATED"), ("resident", "OK"), ("organiser here", "OK"), ("organiser elsewhere", "FORBIDDEN"), ("admin", "FORBIDDEN")];
        let mut proposals = Vec::new();
        for ((role, token), (_, expected)) in cast.roles().into_iter().zip(expected_propose) {
            let r = app.graphql_as(token, "en", &propose(), json!({ "input": { "roundId": round["id"], "title": format!("Plan van {role}"), "description": "Iets moois.", "costEuros": 10 } })).await;
            assert_eq!(r.error_code().unwrap_or("OK"), expected, "{role} proposes: {:#}", r.body);
            if expected == "OK" {
                proposals.push(r.data()["proposeBudgetProject"].clone());
            }
        }
        // Moving the phase and reviewing: organisers here and admins.
        let movers = [("visitor", "UNAUTHENTICATED"), ("resident", "FORBIDDEN"), ("organiser elsewhere", "FORBIDDEN")];
        for (role, token) in cast.roles() {
            if let Some((_, expected)) = movers.iter().find(|(r, _)| *r == role) {
                let r = app.graphql_as(token, "en", &advance(), json!({ "id": round["id"] })).await;
                assert_eq!(r.error_code(), Some(*expected), "{role} moves the phase");
            }
        }
        step(&app, &cast.organiser_here.access_token, &round, "REVIEWING").await;
        let expected_review = [("visitor", "UNAUTHENTICATED"), ("resident", "FORBIDDEN"), ("organiser here", "OK"), ("organiser elsewhere", "FORBIDDEN"), ("admin", "OK")];
        for ((role, token), (_, expected)) in cast.roles().into_iter().zip(expected_review) {
            let r = app.graphql_as(token, "en", &review(), json!({ "input": { "id": proposals[0]["id"], "feasible": true } })).await;
            assert_eq!(r.error_code().unwrap_or("OK"), expected, "{role} reviews: {:#}", r.body);
        }
        review_as(&app, &cast.admin, &proposals[1], true, None, None).await.data();
        step(&app, &cast.admin, &round, "VOTING").await;
        // Voting: members only.
        let expected_vote = [("visitor", "UNAUTHENTICATED"), ("resident", "OK"), ("organiser here", "OK"), ("organiser elsewhere", "FORBIDDEN"), ("admin", "FORBIDDEN")];
        for ((role, token), (_, expected)) in cast.roles().into_iter().zip(expected_vote) {
            let r = app.graphql_as(token, "en", &vote(), json!({ "id": round["id"], "choices": [proposals[0]["id"]] })).await;
            assert_eq!(r.error_code().unwrap_or("OK"), expected, "{role} votes: {:#}", r.body);
        }
        // What each role sees of the round.
        for (role, token) in cast.roles() {
            let r = app.graphql_as(token, "en", &round_query(), json!({ "id": round["id"] })).await;
            let seen = &r.data()["budgetRound"];
            assert_eq!(seen["viewerCanOrganise"], matches!(role, "organiser here" | "admin"), "{role}");
            assert_eq!(seen["viewerHasVoted"], matches!(role, "resident" | "organiser here"), "{role}");
            assert_eq!(seen["viewerCanVote"], false, "{role}");
            assert_eq!(r.data()["budgetProposals"]["totalCount"], 2);
            assert!(!r.body.to_string().contains("@example.org"), "display names only");
        }
        let _ = &cast.elsewhere;
    }

    async fn twenty_votes_of_one_member_at_once_count_once_and_thirty_members_count_thirty(app) {
        let cast = cast(&app).await;
        let (round, p, _) = voting_round(&app, &cast, "APPROVAL", None, "GREEDY").await;
        let query = vote();
        let mut tasks = Vec::new();
        for _ in 0..20 {
            let (client, url, token, body) = (app.client.clone(), format!("{}/graphql", app.address), cast.resident.access_token.clone(), json!({ "query": query, "variables": { "id": round["id"], "choices": [p[0]["id"]] } }));
            tasks.push(tokio::spawn(async move {
                let response = client.post(url).bearer_auth(token).json(&body).send().await.expect("sent");
                let body: Value = response.json().await.expect("json");
                body["errors"][0]["extensions"]["fields"][0]["code"].as_str().unwrap_or("OK").to_owned()
            }));
        }
        let mut outcomes = Vec::new();
        for task in tasks {
            outcomes.push(task.await.expect("vote task"));
        }
        assert_eq!(outcomes.iter().filter(|o| *o == "OK").count(), 1, "{outcomes:?}");
        assert_eq!(outcomes.iter().filter(|o| *o == "ALREADY_VOTED").count(), 19, "{outcomes:?}");

        let people = members(&app, &cast, "tegelijk", 30).await;
        let mut tasks = Vec::new();
        for person in &people {
            let (client, url, token, body) = (app.client.clone(), format!("{}/graphql", app.address), person.access_token.clone(), json!({ "query": query, "variables": { "id": round["id"], "choices": [p[1]["id"]] } }));
            tasks.push(tokio::spawn(async move {
                let response = client.post(url).bearer_auth(token).json(&body).send().await.expect("sent");
                let body: Value = response.json().await.expect("json");
                assert!(body.get("errors").is_none(), "{body:#}");
            }));
        }
        for task in tasks {
            task.await.expect("vote task");
        }
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_ballots").await, 31);
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_voters").await, 31);
        let r = app.graphql(&round_query(), json!({ "id": round["id"] })).await;
        assert_eq!(r.data()["budgetRound"]["ballotCount"], 31.0);
        step(&app, &cast.organiser_here.access_token, &round, "COUNTED").await;
        let r = app.graphql(OUTCOME, json!({ "id": round["id"] })).await;
        assert_eq!(r.data()["budgetOutcome"]["ballotCount"], 31.0);
    }

    async fn closing_while_members_vote_counts_exactly_the_accepted_ballots(app) {
        let cast = cast(&app).await;
        let (round, p, _) = voting_round(&app, &cast, "APPROVAL", None, "GREEDY").await;
        let people = members(&app, &cast, "race", 20).await;
        let query = vote();
        let mut tasks = Vec::new();
        for (i, person) in people.iter().enumerate() {
            let (client, url, token, body) = (app.client.clone(), format!("{}/graphql", app.address), person.access_token.clone(), json!({ "query": query, "variables": { "id": round["id"], "choices": [p[i % 3]["id"]] } }));
            tasks.push(tokio::spawn(async move {
                let response = client.post(url).bearer_auth(token).json(&body).send().await.expect("sent");
                let body: Value = response.json().await.expect("json");
                body["errors"][0]["extensions"]["fields"][0]["code"].as_str().unwrap_or("OK").to_owned()
            }));
        }
        step(&app, &cast.organiser_here.access_token, &round, "COUNTED").await;
        let mut accepted = 0;
        for task in tasks {
            let outcome = task.await.expect("vote task");
            assert!(outcome == "OK" || outcome == "INVALID_TRANSITION", "{outcome}");
            accepted += i64::from(outcome == "OK");
        }
        let r = app.graphql(OUTCOME, json!({ "id": round["id"] })).await;
        let counted = r.data()["budgetOutcome"]["ballotCount"].as_f64().expect("a count");
        assert_eq!(counted, accepted as f64);
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_ballots").await, accepted);
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_voters").await, accepted);
    }

    async fn nothing_stored_links_a_ballot_to_a_voter(app) {
        let cast = cast(&app).await;
        let (round, p, _) = voting_round(&app, &cast, "APPROVAL", None, "GREEDY").await;
        let people = members(&app, &cast, "geheim", 8).await;
        for (i, person) in people.iter().enumerate() {
            vote_as(&app, &person.access_token, &round, &[&p[i % 3]]).await.data();
        }
        // The columns: the voters' table knows no ballot and no time, the ballots' no person.
        let columns = |table: &'static str| {
            let sql: &'static str = match (app.backend, table) {
                (buurtkracht_tests::Backend::Sqlite, "budget_voters") => "SELECT COUNT(*) AS n FROM pragma_table_info('budget_voters') WHERE name NOT IN ('round_id', 'user_id')",
                (buurtkracht_tests::Backend::Sqlite, _) => "SELECT COUNT(*) AS n FROM pragma_table_info('budget_ballots') WHERE name NOT IN ('id', 'round_id', 'choices')",
                (_, "budget_voters") => "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_name = 'budget_voters' AND column_name NOT IN ('round_id', 'user_id')",
                _ => "SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_name = 'budget_ballots' AND column_name NOT IN ('id', 'round_id', 'choices')",
            };
            sql
        };
        assert_eq!(count_rows(&app, columns("budget_voters")).await, 0);
        assert_eq!(count_rows(&app, columns("budget_ballots")).await, 0);
        step(&app, &cast.organiser_here.access_token, &round, "COUNTED").await;
        match app.backend {
            buurtkracht_tests::Backend::Sqlite => {
                // No rowid: the table is stored in the order of its random keys.
                let rowid = app.db.run(|conn| {
                    use diesel::RunQueryDsl;
                    diesel::sql_query("SELECT rowid FROM budget_ballots").execute(conn).map_err(buurtkracht::db::DbError::from)
                }).await;
                assert!(rowid.is_err(), "budget_ballots has no rowid");
            }
            _ => {
                // After the count every ballot was rewritten in one transaction: one xmin for all,
                // and none shared with a voter's row.
                assert_eq!(count_rows(&app, "SELECT COUNT(DISTINCT xmin::text)::bigint AS n FROM budget_ballots").await, 1);
                assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_ballots b JOIN budget_voters v ON b.xmin::text = v.xmin::text").await, 0);
            }
        }
        // The stored order of the ballots is the order of their random keys, not of voting.
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM budget_ballots").await, 8);
        assert_eq!(count_rows(&app, "SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'budget.%' AND actor_user_id IN (SELECT user_id FROM budget_voters) AND details LIKE '%choices%'").await, 0);
    }

    async fn the_round_page_costs_a_fixed_number_of_statements(app) {
        let cast = cast(&app).await;
        let (round, _, _) = voting_round(&app, &cast, "APPROVAL", None, "GREEDY").await;
        let query = buurtkracht_tests::document("BudgetRound");
        let (visitor, r) = app.cost_of(None, &query, json!({ "id": round["id"] })).await;
        assert_eq!(r.data()["budgetProposals"]["totalCount"], 4);
        let (member, _) = app.cost_of(Some(&cast.resident.access_token), &query, json!({ "id": round["id"] })).await;
        println!("round page: visitor {visitor}, member {member}");
        assert!(visitor <= 4, "a visitor's round page costs {visitor} statements");
        assert!(member <= 6, "a member's round page costs {member} statements");
        let rounds = buurtkracht_tests::document("BudgetRounds");
        for _ in 0..5 {
            new_round(&app, &cast.admin, round_input(&cast.here, "APPROVAL", None, "GREEDY", 100)).await;
        }
        let (visitor_list, _) = app.cost_of(None, &rounds, json!({ "neighbourhoodId": cast.here["id"] })).await;
        assert!(visitor_list <= 1, "the rounds list costs a visitor {visitor_list} statements");
        let (cost, r) = app.cost_of(Some(&cast.resident.access_token), &rounds, json!({ "neighbourhoodId": cast.here["id"] })).await;
        println!("rounds list: visitor {visitor_list}, member {cost}");
        assert_eq!(r.data()["budgetRounds"]["edges"].as_array().expect("present").len(), 6);
        assert!(cost <= 3, "the rounds list costs {cost} statements");
    }
}

async fn step_result(app: &TestApp, token: &str, round: &Value) -> GqlResponse {
    app.graphql_as(Some(token), "en", &advance(), json!({ "id": round["id"] }))
        .await
}
