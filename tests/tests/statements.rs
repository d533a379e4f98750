//! Statements per request of every page of the web app, with the operation documents it sends
//! (`graphql/operations/`): one connection per request, no N+1, count only on demand. The
//! budgets are the ones README.md lists; a page that needs more fails here.

use buurtkracht_tests::{TestApp, document, on_both_backends};
use serde_json::{Value, json};

/// A page's request, its variables, and the most statements it may cost for a visitor and for
/// a signed-in resident (None: the page is for signed-in people only).
struct Page {
    page: &'static str,
    operation: &'static str,
    variables: Value,
    visitor: Option<u64>,
    signed_in: u64,
}

/// The most statements the confirmation of a pending co-sign may cost (one write
/// transaction): with a new account, and for an address that has one.
const CONFIRM_NEW_ACCOUNT: u64 = 23;
const CONFIRM_KNOWN_ACCOUNT: u64 = 19;

/// Wait until the outbox job has marked every mail sent, so that it adds nothing to the next
/// measurement.
async fn all_mail_sent(app: &TestApp) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let unsent = app
            .db
            .run(|conn| {
                use buurtkracht::db::schema::outbox_messages as o;
                use diesel::prelude::*;
                o::table
                    .filter(o::sent_at.is_null())
                    .count()
                    .get_result::<i64>(conn)
                    .map_err(buurtkracht::db::DbError::from)
            })
            .await
            .expect("outbox");
        if unsent == 0 || std::time::Instant::now() > deadline {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

async fn check(app: &TestApp, token: &str, pages: &[Page]) {
    let mut report = Vec::new();
    for p in pages {
        let query = document(p.operation);
        let mut row = format!("{:<34} {:<18}", p.page, p.operation);
        if let Some(budget) = p.visitor {
            let (cost, r) = app.cost_of(None, &query, p.variables.clone()).await;
            r.data();
            row.push_str(&format!(" visitor {cost} (≤ {budget})"));
            assert!(
                cost <= budget,
                "{}: {} costs {cost} statements for a visitor, more than {budget}",
                p.page,
                p.operation
            );
        }
        let (cost, r) = app.cost_of(Some(token), &query, p.variables.clone()).await;
        r.data();
        row.push_str(&format!(" signed in {cost} (≤ {})", p.signed_in));
        assert!(
            cost <= p.signed_in,
            "{}: {} costs {cost} statements signed in, more than {}",
            p.page,
            p.operation,
            p.signed_in
        );
        report.push(row);
    }
    eprintln!(
        "statements per request ({:?}):\n{}",
        app.backend,
        report.join("\n")
    );
}

on_both_backends! {
    async fn every_page_of_the_web_app_stays_within_its_statement_budget(app) {
        app.db.run(buurtkracht::domain::demo::seed).await.expect("demo data");
        let resident = app.quick_session("bewoner@example.org", "Bewoner").await;
        let token = resident.access_token.as_str();
        let setup = app.graphql(&document("GrievanceSetup"), json!({ "slug": "transvaal" })).await;
        let neighbourhood = setup.data()["neighbourhood"]["id"].clone();
        let r = app.graphql_as(Some(token), "en", &document("JoinNeighbourhood"), json!({ "neighbourhoodId": neighbourhood })).await;
        r.data();
        // The grievance with the most comments, for the detail page.
        let list = app.graphql(&document("Grievances"), json!({ "neighbourhoodId": neighbourhood, "first": 100 })).await;
        let grievance = list.data()["grievances"]["edges"].as_array().expect("edges").iter()
            .max_by_key(|e| e["node"]["commentCount"].as_i64())
            .map(|e| e["node"]["id"].clone())
            .expect("a grievance");
        assert!(list.data()["grievances"]["edges"].as_array().is_some_and(|e| e.len() > 3));
        let near = json!({ "near": { "lat": 52.0680, "lon": 4.2930 } });
        let pages = [
            Page { page: "/ (home)", operation: "Neighbourhoods", variables: json!({ "first": 20 }), visitor: Some(3), signed_in: 4 },
            Page { page: "/buurt/:slug", operation: "Neighbourhood", variables: json!({ "slug": "transvaal" }), visitor: Some(3), signed_in: 4 },
            Page { page: "/buurt/:slug (top three)", operation: "Grievances", variables: json!({ "neighbourhoodId": neighbourhood, "first": 3, "orderBy": "TOP" }), visitor: Some(3), signed_in: 4 },
            Page { page: "/buurt/:slug/meldingen (setup)", operation: "GrievanceSetup", variables: json!({ "slug": "transvaal" }), visitor: Some(1), signed_in: 2 },
            Page { page: "/buurt/:slug/meldingen (TOP)", operation: "Grievances", variables: json!({ "neighbourhoodId": neighbourhood, "first": 20 }), visitor: Some(3), signed_in: 4 },
            Page { page: "/buurt/:slug/meldingen (NEWEST)", operation: "Grievances", variables: json!({ "neighbourhoodId": neighbourhood, "first": 20, "orderBy": "NEWEST", "filter": { "themes": ["housing"], "statuses": ["OPEN"] } }), visitor: Some(3), signed_in: 4 },
            Page { page: "/buurt/:slug/meldingen (NEAREST)", operation: "Grievances", variables: json!({ "neighbourhoodId": neighbourhood, "first": 20, "orderBy": "NEAREST", "filter": near }), visitor: Some(3), signed_in: 4 },
            Page { page: "/buurt/:slug/meldingen/nieuw", operation: "GrievanceSetup", variables: json!({ "slug": "transvaal" }), visitor: Some(1), signed_in: 2 },
            Page { page: "/meldingen/:id", operation: "Grievance", variables: json!({ "id": grievance }), visitor: Some(4), signed_in: 4 },
            Page { page: "/meldingen/:id (more comments)", operation: "GrievanceComments", variables: json!({ "id": grievance, "after": null }), visitor: Some(2), signed_in: 3 },
            Page { page: "every page, signed in (session)", operation: "Viewer", variables: json!({}), visitor: Some(1), signed_in: 4 },
            Page { page: "/profile (my data)", operation: "MyData", variables: json!({}), visitor: None, signed_in: 14 },
            Page { page: "/reageren (organises none)", operation: "GrievancesNeedingResponse", variables: json!({ "first": 20 }), visitor: None, signed_in: 2 },
        ];
        check(&app, token, &pages).await;
        // The detail page as the neighbourhood's organiser (who also sees report counts).
        let organiser = app.graphql_as(None, "en", "mutation { signInWithPassword(input: { email: \"fatima.elamrani@demo.buurtkracht.nl\", password: \"demo-buurtkracht-2026\" }) { accessToken } }", json!({})).await;
        let organiser = organiser.data()["signInWithPassword"]["accessToken"].as_str().expect("token").to_owned();
        let needing = app.graphql_as(Some(&organiser), "en", &document("GrievancesNeedingResponse"), json!({ "first": 20 })).await;
        assert!(needing.data()["grievancesNeedingResponse"]["edges"].as_array().is_some_and(|e| e.len() > 1), "the demo has grievances that need a response");
        check(&app, &organiser, &[
            Page { page: "/meldingen/:id (organiser)", operation: "Grievance", variables: json!({ "id": grievance }), visitor: None, signed_in: 4 },
            Page { page: "/reageren (organiser)", operation: "GrievancesNeedingResponse", variables: json!({ "first": 20 }), visitor: None, signed_in: 4 },
        ]).await;

        // The landing page of a confirmation link (`/bevestig`): a visitor's one write, which
        // makes the account and the membership, co-signs and signs in. Each link works once,
        // so three links are measured and the fewest counted (the outbox job shares the
        // counter); a fixed cost, whatever the neighbourhood or the grievance holds.
        let mut costs = Vec::new();
        for (i, known) in [(0, false), (1, false), (2, false), (3, true), (4, true), (5, true)] {
            let email = format!("bevestig{i}@example.org");
            if known {
                app.quick_session(&email, "Bekende").await;
            }
            let r = app.graphql(&document("CosignGrievanceByEmail"), json!({ "grievanceId": grievance, "contact": { "email": email, "displayName": "Buur", "language": "NL" } })).await;
            assert_eq!(r.data()["cosignGrievanceByEmail"], true);
            let mail = app.smtp.wait_for(&email, std::time::Duration::from_secs(10)).await.expect("the confirmation mail");
            let link = mail.confirm_token().expect("a confirmation link");
            all_mail_sent(&app).await;
            let before = app.statements();
            let r = app.graphql(&document("ConfirmAction"), json!({ "token": link })).await;
            costs.push((known, app.statements() - before));
            assert_eq!(r.data()["confirmAction"]["done"], true);
        }
        let new_account = costs.iter().filter(|(known, _)| !known).map(|(_, c)| *c).min().expect("three");
        let known_account = costs.iter().filter(|(known, _)| *known).map(|(_, c)| *c).min().expect("three");
        eprintln!("statements of /bevestig (ConfirmAction, a co-sign): new account {new_account}, known account {known_account}");
        assert!(new_account <= CONFIRM_NEW_ACCOUNT, "ConfirmAction with a new account costs {new_account}, more than {CONFIRM_NEW_ACCOUNT}");
        assert!(known_account <= CONFIRM_KNOWN_ACCOUNT, "ConfirmAction with a known account costs {known_account}, more than {CONFIRM_KNOWN_ACCOUNT}");
    }

    async fn total_count_costs_nothing_unless_asked_for_and_stays_exact(app) {
        app.db.run(buurtkracht::domain::demo::seed).await.expect("demo data");
        let setup = app.graphql(&document("GrievanceSetup"), json!({ "slug": "transvaal" })).await;
        let n = setup.data()["neighbourhood"]["id"].clone();
        let with = "query($n: ID!, $f: GrievanceFilter) { grievances(neighbourhoodId: $n, filter: $f) { totalCount edges { node { id status theme { key } } } } }";
        let without = "query($n: ID!, $f: GrievanceFilter) { grievances(neighbourhoodId: $n, filter: $f) { edges { node { id } } } }";
        let (counted, r) = app.cost_of(None, with, json!({ "n": n })).await;
        let (uncounted, _) = app.cost_of(None, without, json!({ "n": n })).await;
        assert_eq!(counted, uncounted + 1, "totalCount is one statement, and only when selected");
        let total = r.data()["grievances"]["totalCount"].as_i64().expect("count");
        assert_eq!(total as usize, r.data()["grievances"]["edges"].as_array().map_or(0, Vec::len));
        // Every filter of statuses and themes agrees with the rows.
        let all = "query($n: ID!, $f: GrievanceFilter) { grievances(neighbourhoodId: $n, filter: $f, first: 100) { totalCount edges { node { status theme { key } } } } }";
        for filter in [json!({ "statuses": ["OPEN"] }), json!({ "themes": ["housing", "traffic"] }), json!({ "statuses": ["OPEN", "ACKNOWLEDGED"], "themes": ["safety"] }), json!({ "statuses": ["MERGED"] })] {
            let r = app.graphql(all, json!({ "n": n, "f": filter })).await;
            let page = &r.data()["grievances"];
            assert_eq!(page["totalCount"].as_u64(), Some(page["edges"].as_array().map_or(0, Vec::len) as u64), "{filter}");
        }
    }
}
