//! The API's limits against people who want to hurt it: query cost, depth, repeated fields and
//! batch size are refused before any database work; a cost budget per client; trusted
//! documents; GET runs queries only; `application/graphql-response+json`; a stalled body is
//! closed; a request that takes too long is ended with `TIMEOUT`.

use std::time::{Duration, Instant};

use buurtkracht::graphql::cost::{CostLimits, analyse};
use buurtkracht_tests::{
    Backend, TestApp, document, on_both_backends, operation, smtp::SmtpSink, spawn_app_with,
};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

/// The document of the outside probe: 300 aliases of a 100-item list with 100 comments each.
fn amplification_document() -> String {
    let one = "grievances(neighbourhoodId: $n, first: 100) { edges { node { id title comments(first: 100) { edges { node { id body } } } } } }";
    let aliases = (0..300)
        .map(|i| format!("a{i}: {one}"))
        .collect::<Vec<_>>()
        .join("\n");
    format!("query Heavy($n: ID!) {{\n{aliases}\n}}")
}

async fn post(app: &TestApp, body: &Value) -> (u16, reqwest::header::HeaderMap, Value) {
    let response = app
        .client
        .post(format!("{}/graphql", app.address))
        .header("accept-language", "en")
        .json(body)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, headers, body)
}

/// Send a request that must be refused, and check that it ran no SQL statement: the fewest
/// of three tries, because the outbox job in the background shares the counter.
async fn refused_without_statements(app: &TestApp, body: &Value) -> (u16, Value) {
    let mut fewest = u64::MAX;
    let mut last = (0, Value::Null);
    for _ in 0..3 {
        let before = app.statements();
        let (status, _, answer) = post(app, body).await;
        fewest = fewest.min(app.statements() - before);
        last = (status, answer);
    }
    assert_eq!(fewest, 0, "the refused request reached the database");
    last
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_default()
}

async fn app_with(backend: Backend, extra: &[(&'static str, &str)]) -> Option<TestApp> {
    spawn_app_with(backend, SmtpSink::start().await, extra).await
}

#[test]
fn the_web_apps_documents_stay_well_inside_the_cost_limit() {
    let schema = buurtkracht::graphql::schema();
    let limits = CostLimits::default();
    let mut costs = buurtkracht::graphql::trusted::documents()
        .values()
        .map(|d| {
            // The largest page the web app asks for wherever it passes `first`.
            let variables = [("first".to_owned(), juniper::InputValue::scalar(100))]
                .into_iter()
                .collect();
            let analysis = analyse(&schema.schema, &d.text, None, &variables, &limits)
                .unwrap_or_else(|e| panic!("{} is refused: {e:?}", d.name))
                .unwrap_or_else(|| panic!("{} does not parse", d.name));
            (analysis.cost, analysis.depth, d.name)
        })
        .collect::<Vec<_>>();
    costs.sort();
    for (cost, depth, name) in &costs {
        println!("{name}: cost {cost}, depth {depth}");
        assert!(
            *cost <= limits.max_cost / 2,
            "{name} costs {cost}, more than half the limit {}",
            limits.max_cost
        );
        assert!(*depth <= limits.max_depth - 3, "{name} is {depth} deep");
    }
    assert!(costs.len() > 30);
}

on_both_backends! {
    async fn the_amplification_document_is_refused_before_any_database_work(app) {
        let (status, body) = refused_without_statements(&app, &json!({ "query": amplification_document(), "variables": { "n": "x" } })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
        let extensions = &body["errors"][0]["extensions"];
        // 300 aliases of one field: refused for the repetition before the cost is added up.
        assert_eq!(extensions["field"], "grievances");
        assert_eq!(extensions["limit"], 10);

        // Ten aliases pass the repetition limit but not the cost: 10 × 100 × 100 comments.
        let ten = amplification_document().lines().take(11).collect::<Vec<_>>().join("\n") + "\n}";
        let (status, body) = refused_without_statements(&app, &json!({ "query": ten, "variables": { "n": "x" } })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
        let extensions = &body["errors"][0]["extensions"];
        assert_eq!(extensions["limit"], 10_000);
        assert!(extensions["cost"].as_u64().unwrap_or_default() > 100_000, "{body}");
        assert!(body["errors"][0]["message"].as_str().unwrap_or_default().contains("too large"));
    }

    async fn deep_documents_and_large_batches_are_refused(app) {
        let mut deep = String::from("title");
        for _ in 0..15 {
            deep = format!("mergedFrom {{ {deep} }}");
        }
        let (status, _, body) = post(&app, &json!({ "query": format!("{{ grievance(id: \"x\") {{ {deep} }} }}") })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["depth"], 17);
        assert_eq!(body["errors"][0]["extensions"]["limit"], 15);

        let query = json!({ "query": "{ themes { key } }" });
        let (status, _, body) = post(&app, &Value::Array(vec![query.clone(); 10])).await;
        assert_eq!(status, 200);
        assert_eq!(body.as_array().map(Vec::len), Some(10));
        let (status, body) = refused_without_statements(&app, &Value::Array(vec![query; 11])).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["operations"], 11);
        assert_eq!(body["errors"][0]["extensions"]["limit"], 10);

        // The costs of a batch add up.
        let page = json!({ "query": "{ neighbourhoods(first: 100) { edges { node { organisers { displayName } } } } }" });
        let (status, _, single) = post(&app, &page).await;
        assert_eq!(status, 200, "{single}");
        let (status, _, body) = post(&app, &Value::Array(vec![page; 8])).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "QUERY_TOO_COMPLEX", "{body}");
        assert_eq!(body["errors"][0]["extensions"]["cost"], 8 * (1 + 100 * (1 + 1 + (1 + 10))));
    }

    async fn a_simple_query_stays_fast_while_heavy_documents_are_refused(app) {
        let heavy = amplification_document();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let mut attackers = Vec::new();
        for _ in 0..4 {
            let client = app.client.clone();
            let url = format!("{}/graphql", app.address);
            let body = Value::Array(vec![json!({ "query": heavy, "variables": { "n": "x" } }); 10]);
            let stop = stop.clone();
            attackers.push(tokio::spawn(async move {
                let mut refused = 0u32;
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let r = client.post(&url).json(&body).send().await.expect("sent");
                    assert_eq!(r.status(), 400);
                    refused += 1;
                }
                refused
            }));
        }
        let mut slowest = Duration::ZERO;
        for _ in 0..20 {
            let started = Instant::now();
            let r = app.graphql("{ themes { key } }", json!({})).await;
            assert_eq!(r.status, 200);
            slowest = slowest.max(started.elapsed());
        }
        stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let mut refused = 0;
        for a in attackers {
            refused += a.await.expect("attacker");
        }
        assert!(refused >= 4, "the attackers were answered {refused} times");
        // Generous: the outside probe saw 22 s; a refused document costs microseconds.
        assert!(slowest < Duration::from_secs(3), "a simple query waited {slowest:?}");
    }

    async fn mutations_over_get_are_refused_with_405(app) {
        let query = "mutation { requestSignInLink(input: { email: \"a@example.org\" }) }";
        let url = format!("{}/graphql?query={}", app.address, query.replace(' ', "%20").replace('"', "%22").replace('{', "%7B").replace('}', "%7D"));
        let before = app.smtp.messages().len();
        let r = app.client.get(url).send().await.expect("sent");
        assert_eq!(r.status(), 405);
        assert_eq!(r.headers()["allow"], "POST");
        let body: Value = r.json().await.expect("json");
        assert_eq!(code(&body), "VALIDATION");
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(app.smtp.messages().len(), before, "the mutation ran");
        // Queries still work over GET, also by a trusted document's id.
        let id = buurtkracht::graphql::trusted::documents().values().find(|d| d.name == "Neighbourhoods").map(|d| d.id.clone()).expect("trusted");
        let r = app.get(&format!("/graphql?documentId={}", id.replace(':', "%3A"))).await;
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.expect("json");
        assert_eq!(body["data"]["neighbourhoods"]["totalCount"], 0, "{body}");
    }

    async fn trusted_documents_are_run_by_their_id(app) {
        let doc = buurtkracht::graphql::trusted::documents()
            .values()
            .find(|d| d.name == "Neighbourhoods")
            .expect("Neighbourhoods is trusted")
            .clone();
        assert_eq!(doc.text, document("Neighbourhoods"));
        let (status, _, body) = post(&app, &json!({ "documentId": doc.id, "variables": { "first": 5 } })).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["neighbourhoods"]["totalCount"], 0);
        // Apollo's automatic persisted queries name the same hash.
        let hash = doc.id.trim_start_matches("sha256:");
        let (status, _, body) = post(&app, &json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } })).await;
        assert_eq!(status, 200, "{body}");
        let (status, _, body) = post(&app, &json!({ "documentId": "sha256:0000" })).await;
        assert_eq!(status, 400);
        assert_eq!(code(&body), "PERSISTED_DOCUMENT_NOT_FOUND");
        // By default other documents run too (third-party clients).
        let (status, _, _) = post(&app, &json!({ "query": "{ themes { key } }" })).await;
        assert_eq!(status, 200);
        // The checked-in list names the same ids.
        let manifest: Value = serde_json::from_str(&std::fs::read_to_string(buurtkracht_tests::repo_root().join("graphql/trusted-documents.json")).expect("manifest")).expect("json");
        assert_eq!(manifest["Neighbourhoods"], doc.id);
        let _ = operation("Neighbourhoods");
    }

    async fn graphql_response_json_is_answered_with_the_specs_status_codes(app) {
        let send = |accept: &'static str, query: &'static str| {
            app.client
                .post(format!("{}/graphql", app.address))
                .header("accept", accept)
                .json(&json!({ "query": query }))
                .send()
        };
        let r = send("application/graphql-response+json", "{ themes { key } }").await.expect("sent");
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/graphql-response+json"));
        // A document that does not validate: 400 with the new type …
        let r = send("application/graphql-response+json", "{ nope }").await.expect("sent");
        assert_eq!(r.status(), 400);
        let body: Value = r.json().await.expect("json");
        assert!(body.get("data").is_none());
        // … and an error while executing still answers 200 with the data there is.
        let r = send("application/graphql-response+json", "{ grievance(id: \"bad\") { title } themes { key } }").await.expect("sent");
        assert_eq!(r.status(), 200);
        let body: Value = r.json().await.expect("json");
        assert!(body["data"]["themes"].is_array(), "{body}");
        // application/json answers 200 with the errors, as the spec says for that type.
        let r = send("application/json", "{ nope }").await.expect("sent");
        assert_eq!(r.status(), 200);
        assert!(r.headers()["content-type"].to_str().unwrap_or_default().starts_with("application/json"));
        let r = send("text/html", "{ themes { key } }").await.expect("sent");
        assert_eq!(r.status(), 406);
    }

    async fn a_stalled_body_is_answered_and_closed(app) {
        let _ = &app;
        let Some(app) = app_with(app.backend, &[("BUURTKRACHT_BODY_TIMEOUT_SECS", "1")]).await else { return };
        let address = app.address.trim_start_matches("http://").to_owned();
        let mut stream = tokio::net::TcpStream::connect(&address).await.expect("connect");
        stream
            .write_all(format!("POST /graphql HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{\"query\":").as_bytes())
            .await
            .expect("write");
        let started = Instant::now();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
        assert!(read.is_ok(), "no answer and no close after 10 s");
        let answer = String::from_utf8_lossy(&answer);
        assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    async fn the_cost_budget_refuses_a_client_that_spends_too_much(app) {
        let _ = &app;
        let Some(app) = app_with(app.backend, &[("BUURTKRACHT_COST_PER_MINUTE", "100")]).await else { return };
        // 1 + 20 × 3 = 61 points each.
        let page = json!({ "query": "{ neighbourhoods { edges { node { name } } } }" });
        let (status, headers, _) = post(&app, &page).await;
        assert_eq!(status, 200);
        assert_eq!(headers["ratelimit-limit"], "100");
        assert_eq!(headers["ratelimit-remaining"], "39");
        let (status, headers, body) = post(&app, &page).await;
        assert_eq!(status, 429);
        assert_eq!(code(&body), "RATE_LIMITED", "{body}");
        let retry = body["errors"][0]["extensions"]["retryAfterSeconds"].as_u64().unwrap_or_default();
        assert!((1..=60).contains(&retry), "{body}");
        assert_eq!(headers["retry-after"].to_str().unwrap_or_default(), retry.to_string());
        assert!(headers.contains_key("ratelimit-reset"));
        // A signed-in person has a budget of their own.
        let session = app.quick_session("budget@example.org", "Budget").await;
        let r = app.graphql_as(Some(&session.access_token), "en", "{ neighbourhoods { edges { node { name } } } }", json!({})).await;
        assert_eq!(r.status, 200);
    }

    async fn a_request_that_takes_too_long_is_ended_with_timeout(app) {
        let _ = &app;
        let Some(app) = app_with(app.backend, &[("BUURTKRACHT_REQUEST_TIMEOUT_SECS", "1")]).await else { return };
        let admin = app.admin_token("timeout@example.org").await;
        // Another connection holds the database's write lock (SQLite) or the table's lock
        // (PostgreSQL), so that creating a neighbourhood waits.
        let url = app.database.url();
        let (locked_tx, locked_rx) = std::sync::mpsc::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let backend = app.backend;
        let holder = std::thread::spawn(move || {
            use diesel::Connection as _;
            use diesel::connection::SimpleConnection as _;
            match backend {
                Backend::Sqlite => {
                    let path = url.trim_start_matches("sqlite://");
                    let mut conn = diesel::SqliteConnection::establish(path).expect("sqlite");
                    conn.batch_execute("BEGIN EXCLUSIVE").expect("lock");
                    locked_tx.send(()).expect("signal");
                    let _ = release_rx.recv();
                    conn.batch_execute("ROLLBACK").expect("unlock");
                }
                Backend::Postgres => {
                    let mut conn = diesel::PgConnection::establish(&url).expect("postgres");
                    conn.batch_execute("BEGIN; LOCK TABLE neighbourhoods IN ACCESS EXCLUSIVE MODE").expect("lock");
                    locked_tx.send(()).expect("signal");
                    let _ = release_rx.recv();
                    conn.batch_execute("ROLLBACK").expect("unlock");
                }
            }
        });
        locked_rx.recv().expect("locked");
        let started = Instant::now();
        let r = app
            .client
            .post(format!("{}/graphql", app.address))
            .header("accept-language", "en")
            .bearer_auth(&admin)
            .json(&json!({ "query": operation("CreateNeighbourhood"), "variables": { "input": { "name": "Traag" } } }))
            .send()
            .await
            .expect("sent");
        let elapsed = started.elapsed();
        // Hold the lock well past the statement timeout, then let go.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        release_tx.send(()).expect("release");
        holder.join().expect("lock holder");
        assert_eq!(r.status(), 503);
        assert!(r.headers().contains_key("retry-after"));
        let body: Value = r.json().await.expect("json");
        assert_eq!(code(&body), "TIMEOUT", "{body}");
        assert!(elapsed < Duration::from_secs(5), "answered after {elapsed:?}");
        // The waiting statement gave up with the request (the statement timeout is the request
        // timeout), so nothing was written after the client was told TIMEOUT.
        tokio::time::sleep(Duration::from_millis(500)).await;
        let r = app.graphql("{ neighbourhoods { edges { node { name } } } }", json!({})).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.data()["neighbourhoods"]["edges"], json!([]), "written after TIMEOUT");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_trusted_documents_run_when_configured() {
    let Some(app) = app_with(
        Backend::Sqlite,
        &[("BUURTKRACHT_UNKNOWN_DOCUMENTS", "refuse")],
    )
    .await
    else {
        return;
    };
    let (status, _, body) = post(&app, &json!({ "query": "{ themes { key } }" })).await;
    assert_eq!(status, 400);
    assert_eq!(code(&body), "PERSISTED_DOCUMENT_NOT_FOUND", "{body}");
    // The text of a trusted document runs as well as its id.
    let (status, _, body) = post(
        &app,
        &json!({ "query": document("Neighbourhoods"), "variables": {} }),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}
